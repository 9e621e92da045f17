"""The workshop as one page in a real browser: a participant walks through every step without a page load or
a new kernel; the step is in the address (reload, back, old links); the page says it is starting, in the
workshop's look and language; a kernel no page connected to is given back."""

from __future__ import annotations

import time
import urllib.request
from pathlib import Path

import pytest

from dol_toolkit.i18n import t
from dol_toolkit.notes import NoteKey, SQLiteNoteStore
from dol_toolkit.themes import load_theme
from tests.browser.conftest import FIRST_LOAD_MS, RESULTS, WORKSHOP, Server, start_server
from tests.browser.notes_support import (
    GROUP_NOTE,
    NotesWorkshop,
    make_workshop,
    now_hms,
    shutdown,
    wait_saved,
)

pytestmark = pytest.mark.browser
THEME = load_theme()
# What each step shows once it is on screen.
STEP_READY = {
    "start": ".dol-landing li[data-item]",
    "results": '.dol-step-results .dol-chart[data-chart="likert"] img',
    "reflection": ".dol-step-reflection " + GROUP_NOTE,
    "cases": ".dol-step-cases h2[data-case]",
    "action_plan": ".dol-step-action_plan .dol-add-action",
}


def _kernel_id(page) -> str:
    return str(page.evaluate("JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"))


def _step(page, key: str, lang: str = "da") -> None:
    page.wait_for_selector(STEP_READY[key], timeout=30_000)
    page.wait_for_function("want => window.location.search === want", arg=f"?step={key}&lang={lang}")


def test_a_participant_walks_through_every_step_in_one_page(page, workshop_server, workshop, artifacts):
    workshop_server.open(page, "/", STEP_READY["start"])
    _step(page, "start")
    kernel = _kernel_id(page)
    page.evaluate("window.__samePage = true")  # gone if the browser loads another page
    kernels_before = len(workshop_server.kernels())
    for key, link in (("results", "1 Resultater"), ("reflection", "Næste trin: 2 Refleksion"),
                      ("cases", "Næste trin: 3 Cases"), ("action_plan", "Næste trin: 4 Handlingsplan"),
                      ("start", "Tilbage til forsiden")):
        page.get_by_role("link", name=link).first.click()
        _step(page, key)
        assert page.locator(f".dol-step-{key}").count() == 1
        title = THEME.title.da if key == "start" else f"{t(f'steps.{key}', 'da')} – {THEME.title.da}"
        assert page.evaluate("document.title") == title
        if key == "reflection":  # a note typed on the way is saved like on any page
            box = page.locator(GROUP_NOTE).nth(3)
            since = now_hms()
            box.click()
            box.press_sequentially("Skrevet undervejs", delay=10)
            wait_saved(page, since, index=3)
        page.screenshot(path=str(artifacts / f"workshop-step-{key}.png"))
    assert page.evaluate("window.__samePage === true"), "a step change loaded a page"
    assert _kernel_id(page) == kernel
    # The browser's back button goes back one step, inside the page; forward comes back.
    page.go_back()
    _step(page, "action_plan")
    page.go_back()
    _step(page, "cases")
    page.go_forward()
    _step(page, "action_plan")
    assert page.evaluate("window.__samePage === true") and _kernel_id(page) == kernel
    assert len(workshop_server.kernels()) <= kernels_before + 1  # no kernel per step (a refill at most)
    # The language follows the page: the switch, the address and the page's lang attribute.
    page.get_by_role("button", name="English").first.click()
    _step(page, "action_plan", "en")
    assert page.evaluate("document.documentElement.lang") == "en"
    # A reload (and a shared link) lands on the step in the address.
    page.reload()
    _step(page, "action_plan", "en")
    assert _kernel_id(page) != kernel


def test_a_link_to_a_step_opens_that_step(page, workshop_server):
    page.goto(f"{workshop_server.url}{WORKSHOP}?step=cases&lang=en")
    _step(page, "cases", "en")
    assert page.get_by_text(THEME.cases[0].title.en).first.is_visible()
    assert page.evaluate("document.documentElement.lang") == "en"


@pytest.mark.parametrize(("old", "step"), [("1_resultater.ipynb", "results"), ("4_handlingsplan.ipynb", "action_plan"),
                                           ("start.ipynb", "start")])
def test_old_step_addresses_land_on_the_step(page, workshop_server, old, step):
    page.goto(f"{workshop_server.url}/voila/render/{old}?lang=da")
    _step(page, step)


def test_the_page_says_it_is_starting_in_the_workshops_look(page, workshop_server):
    for lang, text in (("da", "Workshoppen starter …"), ("en", "The workshop is starting …")):
        page.goto(f"{workshop_server.url}{RESULTS}&lang={lang}", wait_until="commit")
        page.wait_for_selector(".dol-booting h1", state="attached")
        assert page.locator(".dol-booting h1").text_content() == text
        assert page.evaluate("document.documentElement.lang") == lang
        page.wait_for_selector(STEP_READY["results"])
        assert page.locator(".dol-booting").is_hidden()  # gone once the app is there
        page.wait_for_function("document.querySelector('.dol-preview') === null")  # removed once the app is up
        # Voila writes "Executing 1 of 1" into #loading_text: the page has no such place.
        assert page.evaluate("document.getElementById('loading_text') === null")
        assert "Executing" not in page.locator("body").inner_text()


def test_the_first_view_shows_before_the_widget_code(browser, workshop_server, artifacts):
    """The group's results are on screen before (here: without) Voila's widget code: the page carries the
    prebuilt steps' first view as static HTML and shows the one the address asks for."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        page.route("**/voila.js", lambda route: route.abort())  # the widget code never comes
        page.goto(f"{workshop_server.url}{RESULTS}&lang=en")
        view = '.dol-preview-view[data-step="results"][data-lang="en"]'
        chart = page.locator(f'{view} .dol-chart[data-chart="likert"] img')
        chart.wait_for(state="visible")
        assert page.get_by_text("Results – Ledergruppe Teknik og Miljø").is_visible()
        assert page.locator('.dol-preview-view').count() == 1  # only the view the address asks for
        assert page.locator(".dol-booting").is_hidden()
        assert "Helle Kjeldsen" not in page.locator(".dol-preview").inner_text()  # the group view only
        page.screenshot(path=str(artifacts / "workshop-first-view-en.png"))
        # A step without a first view keeps the starting message until its app is there.
        page.goto(f"{workshop_server.url}{WORKSHOP}?step=reflection")
        page.wait_for_selector(".dol-booting h1", state="visible")
        assert page.locator(".dol-preview").count() == 0
    finally:
        context.close()


@pytest.fixture(scope="module")
def release_workshop(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> NotesWorkshop:
    return make_workshop(repo, tmp_path_factory.mktemp("release-workshop"))


def test_a_page_that_never_connects_gives_its_kernel_back(repo, artifacts, release_workshop):
    """Plain GETs of the page (a page closed before its app appeared) take kernels; each is shut down once no
    page has been connected to it for the release time, and the pool is back to its size."""
    server: Server = start_server(repo, artifacts / "release-server.log",
                                  [str(release_workshop.config), "--participants", "2", "--release-after", "10"])
    try:
        server.wait_for_pool()
        taken = {k.pid for k in server.kernels()}  # the two ready kernels: the first two GETs take them
        assert len(taken) == 2
        for _ in range(3):
            with urllib.request.urlopen(server.url + RESULTS, timeout=120) as response:
                assert response.status == 200
        assert len(server.kernels()) >= 3
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and taken & {k.pid for k in server.kernels()}:
            time.sleep(1)
        assert not taken & {k.pid for k in server.kernels()}, server.log_text()[-3000:]
        # The third GET's kernel goes too, and the room's two pages are ready again (refilled).
        assert server.wait_for_kernels(2, timeout=180) == 2, server.log_text()[-3000:]
        server.wait_for_pool()
        status = server.status()
        assert status["ready"] == status["target"] == 2
    finally:
        shutdown(server)


@pytest.fixture(scope="module")
def crowd_workshop(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> NotesWorkshop:
    return make_workshop(repo, tmp_path_factory.mktemp("crowd-workshop"))


def test_ten_people_typing_in_one_note_lose_no_phrase(browser, repo, artifacts, crowd_workshop):
    """Ten browsers type phrases into the same group note at once, for long enough that the 3 s poll and the
    others' saves and the joined texts of conflicts reach their boxes while they type: every phrase is afterwards
    in the note itself (and so in its kept revisions)."""
    ws = crowd_workshop
    server = start_server(repo, artifacts / "crowd-server.log", [str(ws.config), "--participants", "10"])
    contexts = []
    try:
        server.wait_for_pool()
        pages = []
        for _ in range(10):
            context = browser.new_context(viewport={"width": 1200, "height": 800})
            contexts.append(context)
            pg = context.new_page()
            pg.set_default_timeout(FIRST_LOAD_MS)
            pg.goto(server.url + WORKSHOP + "?step=reflection", timeout=180_000)
            pages.append(pg)
        for pg in pages:
            pg.wait_for_selector(GROUP_NOTE, timeout=180_000)
        phrases: list[str] = []
        for round_ in range(4):
            for i, pg in enumerate(pages):
                phrase = f"p{i:02d}r{round_}x{time.monotonic_ns() % 100000:05d}"
                phrases.append(phrase)
                box = pg.locator(GROUP_NOTE).first
                box.click()
                pg.keyboard.press("End")
                pg.keyboard.type(f" {phrase}", delay=5)  # at once: no pause for the kernel to hear of the click
            time.sleep(1.5)  # saves, conflicts and polls happen between the rounds
        store = SQLiteNoteStore(ws.notes)
        key = NoteKey(ws.name, "reflection:technologies")

        def stored() -> list[str]:
            revisions = store.revisions(key)
            return [store.get(key).text, *(r.text for r in revisions), *(r.submitted for r in revisions)]

        try:
            # The last keystrokes may still be on their way on a busy machine: wait (generously) until every phrase
            # is stored somewhere and the joined texts have settled, then look at the note itself.
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline:
                texts = stored()
                if all(any(p in text for text in texts) for p in phrases) and all(p in texts[0] for p in phrases):
                    break
                time.sleep(0.5)
            for i, pg in enumerate(pages):  # every page has saved what it typed (its status no longer pending)
                try:
                    pg.wait_for_function(
                        """() => { const s = document.querySelector('.dol-note-group .dol-note-status');
                                   return !!s && s.innerText.length > 0 && !s.querySelector('.dol-save-pending'); }""",
                        timeout=FIRST_LOAD_MS)
                except Exception:
                    status = [p.evaluate("() => (document.querySelector('.dol-note-group .dol-note-status') || {})"
                                         ".innerHTML") for p in pages]
                    raise AssertionError(f"page {i} did not settle; the pages' note status: {status}") from None
            texts = stored()
        finally:
            store.close()
        missing = [p for p in phrases if not any(p in text for text in texts)]
        assert not missing, f"{len(missing)} of {len(phrases)} phrases lost: {missing}"
        # and none is only in the history: the note the group takes home holds every phrase, each whole
        not_in_note = [p for p in phrases if p not in texts[0]]
        assert not not_in_note, f"{len(not_in_note)} of {len(phrases)} phrases not in the note: {not_in_note}"
        pages[0].screenshot(path=str(artifacts / "crowd-note.png"))
    finally:
        for context in contexts:
            context.close()
        shutdown(server)
