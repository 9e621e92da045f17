"""Notes in a real browser: autosave that survives a reload, a killed kernel and a killed server; two writers in
one note; markup that stays text (pages and summary); private notes behind a personal code; the DOCX summary;
and screenshots of the three note pages for people to look at.

These tests run their own server on their own copy of the example workshop (fresh codes, a fresh notes
database), so that what they type does not meet other tests' notes.
"""

from __future__ import annotations

import re
import signal
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dol_toolkit.notes import NoteKey, SQLiteNoteStore
from dol_toolkit.server import SHUTDOWN_GRACE_SECONDS
from dol_toolkit.themes import load_theme
from tests.browser.conftest import FIRST_LOAD_MS, Server
from tests.browser.notes_support import (
    CASES,
    FIRST,
    GROUP_NOTE,
    PLAN,
    PRIVATE_CLOSE,
    PRIVATE_NOTE,
    PRIVATE_OPEN,
    REFLECTION,
    SAVE_MS,
    NotesWorkshop,
    add_action_row,
    kernel_id,
    kernel_process,
    kill_kernels_left,
    kill_server_group,
    make_workshop,
    now_hms,
    open_page,
    screenshot_whole,
    serve,
    shutdown,
    status_text,
    textarea_values,
    type_note,
    unique,
    wait_gone,
    wait_saved,
)

pytestmark = pytest.mark.browser

CONFLICT = "En anden har ændret noten samtidig"
PAYLOAD = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'
PLAN_STATUS = ".dol-step-4 .dol-note-status"


@pytest.fixture(scope="module")
def nws(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> NotesWorkshop:
    return make_workshop(repo, tmp_path_factory.mktemp("notes-workshop"))


@pytest.fixture(scope="module")
def notes_server(repo: Path, artifacts: Path, nws: NotesWorkshop, browser) -> Iterator[Server]:
    server = serve(repo, nws, artifacts / "notes-server.log")
    yield server
    shutdown(server)


def _stored(nws: NotesWorkshop, key: NoteKey):
    store = SQLiteNoteStore(nws.notes)
    try:
        return store.get(key), store.revisions(key)
    finally:
        store.close()


def _to_end(page, selector: str = GROUP_NOTE, index: int = 0) -> None:
    box = page.locator(selector).nth(index)
    box.click()
    box.press("Control+End")


def _append_note(page, text: str, selector: str = GROUP_NOTE, index: int = 0) -> str:
    _to_end(page, selector, index)
    return type_note(page, text, selector, index)


def _wait_plan_saved(page, since: str) -> None:
    page.wait_for_function(
        """([selector, since]) => {
            const el = document.querySelector(selector);
            const m = el && el.innerText.match(/Gemt kl\\. (\\d\\d:\\d\\d:\\d\\d)/);
            return !!m && m[1] >= since;
        }""",
        arg=[PLAN_STATUS, since],
        timeout=SAVE_MS,
    )


def _download(page, button: str, folder: Path) -> Path:
    page.get_by_role("button", name=button).click()
    link = page.locator("a.dol-download")
    link.wait_for(timeout=FIRST_LOAD_MS)
    with page.expect_download(timeout=30_000) as info:
        link.click()
    download = info.value
    target = folder / download.suggested_filename
    download.save_as(target)
    return target


# -- autosave -----------------------------------------------------------------------------------------------
def test_saved_note_is_there_after_a_reload(notes_server, nws, contexts):
    text = unique("Teams og sagssystemet")
    page = open_page(contexts(), notes_server, REFLECTION)
    status = _append_note(page, text)
    assert status.startswith("Gemt kl."), status
    assert text in _stored(nws, NoteKey(nws.name, FIRST))[0].text
    page.reload()
    page.wait_for_selector(GROUP_NOTE, timeout=FIRST_LOAD_MS)
    page.wait_for_function("([s, t]) => document.querySelector(s).value.includes(t)", arg=[GROUP_NOTE, text],
                           timeout=10_000)


def test_reopened_page_shows_the_latest_save_at_once(notes_server, nws, contexts):
    """A page opened right after a save shows it in its first picture (not a few seconds later, when a
    participant may already have started typing over an empty box)."""
    context = contexts()
    page = open_page(context, notes_server, REFLECTION)
    text = unique("Robotter i sagsbehandlingen")
    _append_note(page, text, index=1)
    again = open_page(context, notes_server, REFLECTION)
    first_seen = again.locator(GROUP_NOTE).nth(1).input_value()
    assert text in first_seen, (
        f"the reopened page first showed {first_seen!r}; the note saved just before ({text!r}) came later "
        "(or never)"
    )


def test_two_writers_in_one_note_keep_both_texts(notes_server, nws, contexts):
    key = NoteKey(nws.name, FIRST)
    anne = open_page(contexts(), notes_server, REFLECTION)
    bo = open_page(contexts(), notes_server, REFLECTION)
    text = {"anne": unique("Anne: Teams virker"), "bo": unique("Bo: vi mangler kurser")}
    since = now_hms()
    # Both change the note before either save lands (fill: one change, so both start from the same revision).
    anne.locator(GROUP_NOTE).first.fill(text["anne"])
    bo.locator(GROUP_NOTE).first.fill(text["bo"])
    settled = """([selector, since, conflict]) => {
        const status = document.querySelector(selector).closest('.dol-note-editor')
            .querySelector('.dol-note-status').innerText;
        const m = status.match(/Gemt kl\\. (\\d\\d:\\d\\d:\\d\\d)/);
        return status.includes(conflict) || (!!m && m[1] >= since);
    }"""
    for page in (anne, bo):
        page.wait_for_function(settled, arg=[GROUP_NOTE, since, CONFLICT], timeout=SAVE_MS)
    note, revisions = _stored(nws, key)
    assert text["anne"] in note.text and text["bo"] in note.text, note.text
    last = revisions[-1]
    assert last.conflict, [(r.revision, r.submitted, r.conflict) for r in revisions[-3:]]
    later = "anne" if last.submitted == text["anne"] else "bo"
    assert last.submitted == text[later]
    pages = {"anne": anne, "bo": bo}
    assert CONFLICT in status_text(pages[later]), status_text(pages[later])
    # The later writer's box shows both texts once they leave it (never replaced under their fingers).
    box = pages[later].locator(GROUP_NOTE).first
    assert box.input_value() == text[later]
    pages[later].locator(".dol-page h1").first.click()
    expect(box).to_have_value(re.compile(re.escape(text["anne"])), timeout=SAVE_MS)
    expect(box).to_have_value(re.compile(re.escape(text["bo"])), timeout=SAVE_MS)
    earlier = pages["bo" if later == "anne" else "anne"]
    earlier.reload()
    earlier.wait_for_selector(GROUP_NOTE, timeout=FIRST_LOAD_MS)
    expect(earlier.locator(GROUP_NOTE).first).to_have_value(note.text, timeout=10_000)


def test_typing_that_crosses_someone_elses_save_keeps_both_texts(notes_server, nws, contexts):
    """The race that lost phrases in a crowded room, made certain: the writer's kernel is held (as on a busy
    laptop) while someone else's save lands and the writer types; when the kernel runs again its poll brings the
    other save in while the keystrokes are still queued. Both texts end in the note, whole, and the box shows
    both once the writer leaves it."""
    key = NoteKey(nws.name, FIRST)
    page = open_page(contexts(), notes_server, REFLECTION)
    box = page.locator(GROUP_NOTE).first
    before = box.input_value()
    other, mine = unique("Kollegaens tekst"), unique("min vigtige sætning")
    process = kernel_process(notes_server, kernel_id(page))
    process.send_signal(signal.SIGSTOP)
    try:
        store = SQLiteNoteStore(nws.notes)
        try:
            current = store.get(key)
            store.save(key, (current.text + "\n" if current.text else "") + other, current.revision, author="kollega")
        finally:
            store.close()
        time.sleep(3.5)  # the kernel's poll is due when it runs again
        box.click()
        page.keyboard.press("Control+End")  # the end of the text
        page.keyboard.type(" " + mine, delay=20)
    finally:
        process.send_signal(signal.SIGCONT)
    page.wait_for_function(
        """(s) => { const st = document.querySelector(s).closest('.dol-note-editor').querySelector('.dol-note-status');
                    return !!st && st.innerText.length > 0 && !st.querySelector('.dol-save-pending'); }""",
        arg=GROUP_NOTE, timeout=SAVE_MS)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        note, _ = _stored(nws, key)
        if mine in note.text and other in note.text:
            break
        time.sleep(0.3)
    assert mine in note.text and other in note.text, note.text
    if before:
        assert before in note.text
    page.locator(".dol-page h1").first.click()  # the writer leaves the box: it catches up
    expect(box).to_have_value(re.compile(re.escape(other)), timeout=SAVE_MS)
    expect(box).to_have_value(re.compile(re.escape(mine)), timeout=SAVE_MS)


OFFER_JS = """([selector, number, expect, text]) => {
    const editor = document.querySelector(selector).closest('.dol-note-editor');
    const box = editor.querySelector('textarea');
    const id = [...box.closest('.widget-textarea').classList].find((c) => c.startsWith('dol-id-'));
    const span = document.createElement('span');
    Object.entries({'data-dol-offer': number, 'data-id': id, 'data-expect': expect, 'data-text': text})
        .forEach(([name, value]) => span.setAttribute(name, value));
    editor.querySelector('.dol-note-offer').appendChild(span);
}"""


def test_an_offer_never_lands_in_the_box_being_typed_in(notes_server, nws, contexts):
    """An offer the kernel made before it heard that the writer clicked into the box (a busy kernel) reaches the
    page while the writer types: the page leaves the box alone (setting its text would also move the caret to
    the end, splitting what is typed) and applies the offer when the writer leaves the box."""
    page = open_page(contexts(), notes_server, REFLECTION)
    box = page.locator(GROUP_NOTE).first
    process = kernel_process(notes_server, kernel_id(page))
    process.send_signal(signal.SIGSTOP)  # the kernel hears nothing and offers nothing meanwhile
    try:
        box.click()
        page.keyboard.press("Control+End")
        page.keyboard.type("r")
        typed = box.input_value()
        offered = typed + "\n" + unique("Kollegaens linje")
        page.evaluate(OFFER_JS, [GROUP_NOTE, 900001, typed, offered])
        page.wait_for_timeout(300)  # the page's script reacts at once to the offer (a DOM change)
        assert box.input_value() == typed, "an offer was applied to the box being typed in"
        page.keyboard.type("obotter")
        assert box.input_value() == typed + "obotter"  # one word, typed where the caret was
        page.evaluate(OFFER_JS, [GROUP_NOTE, 900002, typed + "obotter", offered])
        page.wait_for_timeout(300)
        assert box.input_value() == typed + "obotter"
        page.locator(".dol-page h1").first.click()  # the writer leaves the box: the waiting offer is applied
        expect(box).to_have_value(offered, timeout=5_000)
    finally:
        process.send_signal(signal.SIGCONT)


@pytest.mark.parametrize("leave", ["next-step link", "reload", "close tab"])
def test_text_typed_just_before_leaving_the_page_is_saved(notes_server, nws, contexts, leave):
    """A participant types the last words and at once follows "Næste trin", reloads or closes the tab (inside
    the 0.7 s autosave window, while ipywidgets may still hold the last keystrokes back). Every word is saved,
    and a reload asks first while the save is pending."""
    key = NoteKey(nws.name, "reflection:citizen_value")
    page = open_page(contexts(), notes_server, REFLECTION)
    text = unique(f"sidste ord før {leave}")
    _to_end(page, index=5)
    page.locator(GROUP_NOTE).nth(5).press_sequentially(text, delay=15)
    # The page asks before a reload or a closed tab while a save is pending; the participant says leave.
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.accept()))
    if leave == "next-step link":
        page.get_by_role("link", name="Næste trin: 3 Cases").click()  # the step changes inside the page
        page.wait_for_function("location.search.startsWith('?step=cases')", timeout=15_000)
    elif leave == "reload":
        page.reload()
    else:
        page.close(run_before_unload=True)
    deadline = time.monotonic() + 5  # the autosave would have landed within about 1 s
    while time.monotonic() < deadline and text not in _stored(nws, key)[0].text:
        time.sleep(0.2)
    stored = _stored(nws, key)[0].text
    assert text in stored, f"typed {text!r}, then left the page by {leave}: stored note is {stored!r}"
    if leave == "reload":  # (a closed tab's dialog is not always reported to Playwright before it closes)
        assert asked == ["beforeunload"], f"reloaded with a save pending without being asked; stored {stored!r}"


# -- markup stays text --------------------------------------------------------------------------------------
def test_markup_in_notes_and_actions_stays_text(notes_server, nws, contexts, tmp_path):
    context = contexts()
    page = open_page(context, notes_server, REFLECTION)
    _append_note(page, PAYLOAD, index=2)
    plan = open_page(context, notes_server, PLAN, ready=".dol-add-action")
    what = add_action_row(plan).locator("input[type=text]").first  # the "what" of the new row
    since = now_hms()
    what.click()
    what.press_sequentially(PAYLOAD, delay=10)
    _wait_plan_saved(plan, since)

    page.reload()
    page.wait_for_selector(GROUP_NOTE, timeout=FIRST_LOAD_MS)
    expect(page.locator(GROUP_NOTE).nth(2)).to_have_value(PAYLOAD, timeout=10_000)
    plan.reload()
    plan.wait_for_selector(".dol-action input[type=text]", timeout=FIRST_LOAD_MS)
    values = plan.locator(".dol-action input[type=text]").evaluate_all("els => els.map(e => e.value)")
    assert PAYLOAD in values, values
    for p in (page, plan):
        assert p.evaluate("() => typeof window.__xss") == "undefined"
        assert p.locator("img[src=x]").count() == 0
        assert p.locator("img[src='x']").count() == 0

    summary = _download(plan, "Lav opsamlingen: HTML", tmp_path)
    html = summary.read_text(encoding="utf-8")
    assert "&lt;script&gt;" in html
    assert "<script>window.__xss" not in html
    assert "<img src=x" not in html
    # Opened in a browser, the summary runs nothing of it either.
    viewer = context.new_page()
    viewer.goto(summary.as_uri())
    viewer.wait_for_load_state("load")
    assert viewer.evaluate("() => typeof window.__xss") == "undefined"
    assert viewer.locator("img[src=x]").count() == 0
    assert "window.__xss=1" in viewer.locator("body").inner_text()


# -- private notes ------------------------------------------------------------------------------------------
def test_private_note_is_only_behind_the_code(notes_server, nws, contexts):
    leader = "Klaus Tønnesen" if "Klaus Tønnesen" in nws.codes else next(iter(nws.codes))
    text = unique("Min egen tanke: jeg skal spørge mere")
    page = open_page(contexts(), notes_server, REFLECTION)
    assert page.locator(PRIVATE_NOTE).count() == 0
    page.locator(".dol-code input").fill(nws.codes[leader])
    page.get_by_role("button", name=PRIVATE_OPEN).click()
    page.wait_for_selector(PRIVATE_NOTE, timeout=SAVE_MS)
    expect(page.get_by_text(f"Private noter for {leader}")).to_be_visible(timeout=SAVE_MS)
    type_note(page, text, PRIVATE_NOTE, 0)

    page.get_by_role("button", name=PRIVATE_CLOSE).click()
    expect(page.locator(PRIVATE_NOTE)).to_have_count(0, timeout=SAVE_MS)
    assert not any(text in v for v in textarea_values(page))
    assert text not in page.locator("body").inner_text()

    stranger = open_page(contexts(), notes_server, REFLECTION)
    assert stranger.locator(PRIVATE_NOTE).count() == 0
    assert not any(text in v for v in textarea_values(stranger))
    assert text not in stranger.locator("body").inner_text()
    assert text not in stranger.content()

    private, _ = _stored(nws, NoteKey(nws.name, FIRST, "private", leader))
    assert private.text == text
    group, _ = _stored(nws, NoteKey(nws.name, FIRST))
    assert text not in group.text


# -- summary ------------------------------------------------------------------------------------------------
def test_docx_summary_holds_the_title_and_the_group_note(notes_server, nws, contexts, tmp_path):
    import docx

    context = contexts()
    page = open_page(context, notes_server, REFLECTION)
    text = unique("Vi vil afprøve en chatbot på borgerservice")
    _append_note(page, text, index=3)
    plan = open_page(context, notes_server, PLAN, ready=".dol-add-action")
    path = _download(plan, "Lav opsamlingen: Word (.docx)", tmp_path)
    assert path.suffix == ".docx"
    document = docx.Document(str(path))
    title = load_theme().title("da")
    headings = [(p.style.name, p.text) for p in document.paragraphs
                if p.style.name == "Title" or p.style.name.startswith("Heading")]
    assert any(p_text.strip() == title for _, p_text in headings), headings
    texts = [p.text for p in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert any(text in t for t in texts), [t for t in texts if t.strip()][:60]


# -- screenshots --------------------------------------------------------------------------------------------
def _assert_picture(path: Path, window: tuple[int, int]) -> None:
    """The screenshot is the whole window it was taken at (nothing cut off: the window was made as tall as the
    page) and a drawn page, not a blank or one-colour one (text, boxes and buttons give many colours)."""
    from PIL import Image

    with Image.open(path) as image:
        assert image.size == window, (path.name, image.size, window)
        colours = image.convert("RGB").getcolors(maxcolors=1 << 24)
    assert colours is not None and len(colours) > 50, (path.name, len(colours or []))
    assert path.stat().st_size > 10_000


def test_screenshots_of_the_note_pages(notes_server, nws, contexts, artifacts):
    """Pictures of the three note pages as a participant sees them after typing, kept as artifacts; each shows
    the page's own questions or cases and what was typed, at the moment it was taken."""
    theme = load_theme()
    context = contexts()
    page = open_page(context, notes_server, REFLECTION)
    reflection_note = "Teams, sagssystemet og RPA.\nOm fem år: AI-assistenter i borgerservice."
    _append_note(page, reflection_note, index=4)
    expect(page.locator("h2[data-question]")).to_have_count(len(theme.reflection_questions))
    for question in theme.reflection_questions:
        expect(page.locator("h2[data-question]", has_text=question.title("da"))).to_be_visible()
    expect(page.locator(GROUP_NOTE).nth(4)).to_have_value(re.compile(re.escape(reflection_note) + r"$"))
    window = screenshot_whole(page, artifacts / "notes-reflection-da.png")
    _assert_picture(artifacts / "notes-reflection-da.png", window)

    cases = open_page(context, notes_server, CASES)
    cases_note = ("Vi ville starte med at spørge medarbejderne, hvad der fylder mest.\n"
                  "Og så lave en plan for kompetencer sammen med dem.")
    _append_note(cases, cases_note)
    expect(cases.locator("h2[data-case]")).to_have_count(len(theme.cases))
    expect(cases.locator("h2[data-case]", has_text=theme.cases[0].title("da"))).to_be_visible()
    expect(cases.locator(GROUP_NOTE).first).to_have_value(re.compile(re.escape(cases_note) + r"$"))
    window = screenshot_whole(cases, artifacts / "notes-cases-da.png")
    _assert_picture(artifacts / "notes-cases-da.png", window)

    plan = open_page(context, notes_server, PLAN, ready=".dol-add-action")
    plan.locator(".dol-focus input").first.check()
    row = add_action_row(plan)
    since = now_hms()
    row.locator("input[type=text]").nth(0).fill("Kursus i digitale værktøjer for alle teamledere")
    row.locator("input[type=text]").nth(1).fill("Helle")
    _wait_plan_saved(plan, since)
    expect(plan.locator(".dol-focus input").first).to_be_checked()
    # The saved action is on the page (the plan may hold earlier tests' actions and re-draw its rows on save).
    rows = plan.evaluate("""() => Array.from(document.querySelectorAll('.dol-action')).map(
        row => Array.from(row.querySelectorAll('input[type=text]')).slice(0, 2).map(i => i.value))""")
    assert ["Kursus i digitale værktøjer for alle teamledere", "Helle"] in rows, rows
    expect(plan.locator(PLAN_STATUS)).to_contain_text("Gemt kl.")
    window = screenshot_whole(plan, artifacts / "notes-plan-da.png")
    _assert_picture(artifacts / "notes-plan-da.png", window)


# -- killed processes ---------------------------------------------------------------------------------------
def test_note_survives_a_killed_kernel(notes_server, nws, contexts):
    text = unique("Gemt før kernen døde")
    context = contexts()
    page = open_page(context, notes_server, REFLECTION)
    _append_note(page, text)
    kid = kernel_id(page)
    process = kernel_process(notes_server, kid)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    page.close()
    again = open_page(contexts(), notes_server, REFLECTION)
    assert kernel_id(again) != kid
    box = again.locator(GROUP_NOTE).first
    again.wait_for_function("([s, t]) => document.querySelector(s).value.includes(t)", arg=[GROUP_NOTE, text],
                            timeout=10_000)
    assert text in box.input_value()


def test_note_survives_a_killed_server(repo, artifacts, tmp_path, browser, contexts):
    ws = make_workshop(repo, tmp_path / "killed")
    text = unique("Gemt før serveren døde")
    # Without preheated kernels a fresh server's first page is ready in ~7 s instead of ~20 s here.
    first = serve(repo, ws, artifacts / "notes-killed-server-1.log", "--preheat", "0")
    try:
        page = open_page(contexts(), first, REFLECTION)
        type_note(page, text)
        kernels = [k.pid for k in first.kernels()]
        assert kernels
        kill_server_group(first)
    finally:
        if first.process.poll() is None:
            shutdown(first)
    # Kernels run in sessions of their own: the server's group does not include them. They should notice their
    # parent is gone and exit; kill any that do not, and say so.
    orphans = wait_gone(kernels, timeout=15)
    kill_kernels_left(first)
    page.context.close()

    with sqlite3.connect(ws.notes) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    second = serve(repo, ws, artifacts / "notes-killed-server-2.log", "--preheat", "0")
    try:
        again = open_page(contexts(), second, REFLECTION)
        again.wait_for_function("([s, t]) => document.querySelector(s).value.includes(t)",
                                arg=[GROUP_NOTE, text], timeout=10_000)
        assert again.locator(GROUP_NOTE).first.input_value() == text
    finally:
        shutdown(second)
    assert not orphans, f"kernels still running 15 s after their server was killed: {orphans}"


def test_a_participant_who_is_asked_and_stays_keeps_a_page_that_saves(notes_server, nws, contexts):
    """Typing, then closing the tab (or reloading) inside the autosave window: the page asks whether to leave.
    Whoever answers "stay" must keep a working page: what they typed and what they type next is saved, and their
    kernel is not shut down behind their back."""
    key = NoteKey(nws.name, "reflection:citizen_value")
    page = open_page(contexts(), notes_server, REFLECTION)
    kernel = kernel_id(page)
    first, second = unique("før jeg blev"), unique("efter jeg blev")
    _to_end(page, index=5)
    page.locator(GROUP_NOTE).nth(5).press_sequentially(first, delay=15)
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.close(run_before_unload=True)  # the participant is asked, and stays
    deadline = time.monotonic() + 15
    while not asked and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert asked == ["beforeunload"], "closing the tab with a save pending did not ask"
    assert not page.is_closed()
    time.sleep(SHUTDOWN_GRACE_SECONDS + 1)  # a shutdown asked for on leaving would have happened by now
    since = now_hms()
    page.locator(GROUP_NOTE).nth(5).press_sequentially(second, delay=15)
    wait_saved(page, since, index=5)
    stored = _stored(nws, key)[0].text
    assert first in stored and second in stored, f"stayed on the page; stored note is {stored!r}"
    alive = kernel_process(notes_server, kernel)  # raises when the kernel is gone
    assert alive.is_running(), "the page's kernel was shut down although its page stayed open"
