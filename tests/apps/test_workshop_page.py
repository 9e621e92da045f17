"""The workshop page and its shared content, without a browser: steps switched by the route, the language
followed, the content computed once per workshop and kept on disk, and typed text never lost when the kernel
replaces a note's text."""

from __future__ import annotations

import html
import json
import re
import time
import uuid
from pathlib import Path

import pytest
from tests.workshops import copy_example_workshop

from dol_toolkit.apps.note_editor import NoteEditor, _drops_text
from dol_toolkit.apps.workshop_page import WorkshopApp
from dol_toolkit.notes import NoteKey, SQLiteNoteStore
from dol_toolkit.pages import cache as _cache
from dol_toolkit.pages.cache import content_key, ensure_content, load_content
from dol_toolkit.workshop import load_config, write_codes


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("DOL_CACHE_DIR", str(folder))
    monkeypatch.setattr(_cache, "_LOADED", {})
    return folder


# -- shared content -----------------------------------------------------------------------------------------
def test_content_is_computed_once_and_reused_after_a_restart(repo, tmp_path, own_cache, monkeypatch):
    config = load_config(copy_example_workshop(repo, tmp_path / "w"))
    first, reused = ensure_content(config)
    assert not reused and list(own_cache.glob("content-*.json"))
    calls = []
    import dol_toolkit.pages.content as heavy

    monkeypatch.setattr(heavy, "build_content", lambda *a, **k: calls.append(1) or {})
    again, reused = ensure_content(config)  # a restarted server: read, not computed
    assert reused and not calls
    assert again.group("2026", "da") == first.group("2026", "da")
    assert again.waves == ["2024", "2026"] and set(again.group_html) == {"da", "en"}


@pytest.mark.parametrize("change", ["data", "config", "mapping"])
def test_a_changed_input_computes_the_content_again(repo, tmp_path, own_cache, change):
    path = copy_example_workshop(repo, tmp_path / "w")
    config = load_config(path)
    before = content_key(config)
    if change == "data":
        data = config.data_file
        data.write_bytes(data.read_bytes().replace(b"2026", b"2027"))
    elif change == "config":
        path.write_text(path.read_text(encoding="utf-8").replace("min_n = 5", "min_n = 6"), encoding="utf-8")
    else:
        mapping = path.parent / "mapping.toml"
        mapping.write_text("# no changes\n", encoding="utf-8")
        path.write_text(path.read_text(encoding="utf-8").replace('mapping = ""', 'mapping = "mapping.toml"'),
                        encoding="utf-8")
    changed = load_config(path)
    assert content_key(changed) != before
    if change == "data":
        content, reused = ensure_content(changed)
        assert not reused and content.waves == ["2024", "2027"]


def test_a_damaged_cache_file_is_computed_again(repo, tmp_path, own_cache):
    config = load_config(copy_example_workshop(repo, tmp_path / "w"))
    ensure_content(config)
    (own_cache / f"content-{content_key(config)}.json").write_text("{not json", encoding="utf-8")
    content, reused = ensure_content(config)
    assert not reused and content.waves == ["2024", "2026"]


def test_the_cache_holds_only_what_the_whole_group_may_see(repo, tmp_path, own_cache):
    config = load_config(copy_example_workshop(repo, tmp_path / "w"))
    ensure_content(config)
    text = (own_cache / f"content-{content_key(config)}.json").read_text(encoding="utf-8")
    raw = json.loads(text)
    assert set(raw) == {"waves", "group_html", "item_figures", "figures_wave"}
    for leader in config.leaders:  # no leader is named: only the group's pooled figures
        assert leader not in text


# -- the page -----------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def codes(repo, tmp_path_factory):
    path = copy_example_workshop(repo, tmp_path_factory.mktemp("page"))
    return path, write_codes(path)


@pytest.fixture(scope="module")
def workshop(codes):
    config = load_config(codes[0])
    return config, load_content(config)


@pytest.fixture
def page(workshop):
    app = WorkshopApp(*workshop)
    yield app
    for step in app.apps.values():
        poller = getattr(step, "poller", None)
        if poller is not None:
            poller.stop()


def _state(app: WorkshopApp) -> str:
    return app.route_state.value


def test_the_route_switches_steps_and_builds_each_once(page):
    assert page.step == "start" and 'data-step="start"' in _state(page)
    assert set(page.apps) == {"start", "results"}  # built before the visit
    page.route.value = "step=reflection&lang=da"
    assert page.step == "reflection" and page.stage.children == (page.step_boxes["reflection"],)
    reflection = page.apps["reflection"]
    page.route.value = "step=results&lang=da"
    page.route.value = "step=reflection&lang=da"
    assert page.apps["reflection"] is reflection  # kept, with its notes
    assert 'data-step="reflection"' in _state(page) and "Refleksion – " in _state(page)
    page.route.value = "step=nonsense"
    assert page.step == "start"


def test_the_language_follows_the_page(page):
    page.route.value = "step=results&lang=en"
    assert page.apps["results"].switch.value == "en" and 'data-lang="en"' in _state(page)
    page.apps["results"].switch.value = "da"  # the switch on the step
    assert page.lang == "da" and 'data-lang="da"' in _state(page)
    page.route.value = "step=cases"
    assert page.apps["cases"].switch.value == "da"


def test_the_visit_lands_on_its_step_and_the_other_steps_are_built_ahead(page, monkeypatch):
    import dol_toolkit.apps.workshop_page as module

    monkeypatch.setattr(module, "BUILD_AHEAD_SECONDS", 0.1)
    monkeypatch.setattr(module, "BUILD_AHEAD_GAP_SECONDS", 0.1)
    page.visited({"step": "action_plan", "lang": "en"})
    assert page.step == "action_plan" and page.apps["action_plan"].lang == "en"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(page.step_boxes) < 5:
        time.sleep(0.05)
    assert set(page.step_boxes) == {"start", "results", "reflection", "cases", "action_plan"}
    assert page.step == "action_plan"  # built, not shown


def test_the_first_view_carries_the_group_results_for_both_languages(page):
    preview = page.preview_html()
    assert preview.count('class="dol-preview-view"') == 4  # start and results, Danish and English
    assert 'data-step="results" data-lang="en"' in preview and "Results – Ledergruppe" in preview
    assert preview.count('data-chart="likert"') == 2
    bundle, metadata = page.widget._repr_mimebundle_()
    assert bundle["text/html"] == preview and metadata == {"dol_preview": True}
    assert "application/vnd.jupyter.widget-view+json" in bundle


def _open_results(page: WorkshopApp, code: str):
    page.route.value = "step=results"
    results = page.apps["results"]
    results.view.value = "personal"
    results.gate.code.value = code
    results.gate.open_button.click()
    return results


def test_one_code_per_visit_opens_every_step_until_it_is_closed_on_any(page, codes):
    """A leader types their code once: every step they go to shows what is theirs without the code again; a
    close on the last step closes it on all of them, its widgets destroyed (closed, not hidden), and the next
    person on the page finds every step closed."""
    leader = "Klaus Tønnesen"
    results = _open_results(page, codes[1][leader])
    assert results.leader == leader and leader in results.header.value
    page.route.value = "step=reflection"
    reflection = page.apps["reflection"]
    assert reflection.gate.leader == leader and reflection.gate.code.value == ""
    private = reflection.topics[0].private
    assert private is not None
    page.route.value = "step=cases"
    cases = page.apps["cases"]
    assert cases.gate.leader == leader and cases.topics[0].private is not None
    case_private = cases.topics[0].private
    page.route.value = "step=action_plan"
    plan = page.apps["action_plan"]
    assert plan.gate.leader == leader and leader in plan.download_intro.value
    assert results.leader == leader and page.page.leader == leader  # still open on the steps left behind

    plan.gate.close_button.click()
    assert page.page.leader is None
    assert [a.gate.leader for a in page.apps.values() if getattr(a, "gate", None)] == [None] * 4
    assert results.leader is None and leader not in results.header.value + results.body.value
    assert not any(key[0] == "personal" for key in results._cache)
    assert reflection.topics[0].private is None and cases.topics[0].private is None
    for editor in (private, case_private):
        assert editor.text.comm is None and editor.widget.comm is None  # closed, not hidden
    assert leader not in plan.download_intro.value

    page.route.value = "step=results"  # the next person: nothing open, the code asked for again
    assert results.leader is None and results.view.value == "group"
    results.view.value = "personal"
    assert results.gate.code_row.layout.display == "flex" and leader not in results.header.value


def test_the_group_view_keeps_an_open_personal_view_with_its_close_button(page, codes):
    leader = "Klaus Tønnesen"
    results = _open_results(page, codes[1][leader])
    results.view.value = "group"
    assert results.leader == leader and leader not in results.header.value + results.body.value
    assert results.gate.close_row.layout.display == "flex" and results.gate.code_row.layout.display == "none"
    results.view.value = "personal"
    assert leader in results.header.value and 'data-chart="means"' in results.body.value
    results.gate.close_button.click()
    assert results.leader is None and page.page.leader is None


def test_the_idle_time_closes_the_view_on_every_step(page, codes, monkeypatch):
    """The idle close counts on the step the leader is on: a step left behind does not close the view under
    them; when the time runs out where they are, every step closes."""
    import dol_toolkit.apps._timers as timers_module

    timers: list[dict] = []

    def call_later(delay, callback):
        timer = {"delay": delay, "callback": callback, "cancelled": False}
        timers.append(timer)
        return lambda: timer.update(cancelled=True)

    monkeypatch.setattr(timers_module, "call_later", call_later)
    leader = "Klaus Tønnesen"
    results = _open_results(page, codes[1][leader])
    idle = page.config.close_personal_after_minutes * 60
    assert idle > 0 and [t["delay"] for t in timers if not t["cancelled"] and t["delay"] == idle] == [idle]
    page.route.value = "step=reflection"
    reflection = page.apps["reflection"]
    live = [t for t in timers if not t["cancelled"] and t["delay"] == idle]
    assert len(live) == 1  # the results step's count stopped, the reflection step's started
    assert reflection.gate.leader == leader
    live[0]["callback"]()
    assert reflection.gate.leader is None and results.leader is None and page.page.leader is None
    assert reflection.topics[0].private is None and not any(key[0] == "personal" for key in results._cache)


# -- notes: nothing typed is lost when the kernel replaces the text ---------------------------------------------
def test_drops_text():
    assert not _drops_text("abc", "abcd") and not _drops_text("", "x") and not _drops_text("ab", "aXb")
    assert _drops_text("abc", "ab") and _drops_text("old c", "old other d")


def test_keystrokes_in_flight_when_the_poll_replaces_the_text_are_kept(tmp_path):
    store = SQLiteNoteStore(tmp_path / "notes.sqlite")
    key = NoteKey("w", "reflection:technologies")
    mine = NoteEditor(store, key, "note", lambda: "da", author="me")
    # Someone else saves; the poll brings it into my box while my keystrokes are still on their way.
    store.save(key, "Deres tekst", 0, author="them")
    mine.refresh()
    assert mine.text.value == "Deres tekst"
    mine.text.value = "min vigtige sætning"  # typed on the old (empty) text, arriving after the replacement
    mine.text.value = "Deres tekst og mere"  # typed on the new text: the phrase above is not in it
    mine.flush()
    texts = [store.get(key).text, *(r.text for r in store.revisions(key))]
    assert any("min vigtige sætning" in x for x in texts), texts
    assert "Deres tekst og mere" in store.get(key).text
    store.close()


def test_the_poll_leaves_a_box_that_was_just_typed_in(tmp_path):
    store = SQLiteNoteStore(tmp_path / "notes.sqlite")
    key = NoteKey("w", "reflection:technologies")
    mine = NoteEditor(store, key, "note", lambda: "da", author="me")
    mine.text.value = "skriver"
    mine.flush()
    store.save(key, "andres tekst", store.get(key).revision, author="them")
    mine.refresh()  # typed less than QUIET_SECONDS ago: not replaced under the fingers
    assert mine.text.value == "skriver"
    store.close()


def test_after_a_conflict_the_box_keeps_its_text_until_typing_pauses(tmp_path, monkeypatch):
    """The joined text does not replace the box while its writer may still be typing; what they type meanwhile
    goes into the joined note; then the box shows the joined note."""
    import dol_toolkit.apps.note_editor as editor_module

    monkeypatch.setattr(editor_module, "QUIET_SECONDS", 0.5)
    store = SQLiteNoteStore(tmp_path / "notes.sqlite")
    key = NoteKey("w", "reflection:technologies")
    mine = NoteEditor(store, key, "note", lambda: "da", author="me")
    store.save(key, "Deres tekst", 0, author="them")  # saved while I typed, on the same (empty) base
    mine.text.value = "Min sætning"
    mine.flush()
    assert "Deres tekst" in store.get(key).text and "Min sætning" in store.get(key).text
    assert mine.text.value == "Min sætning"  # not replaced under my fingers
    mine.text.value = "Min sætning fortsætter"
    mine.flush()  # into the joined note, the other's text kept
    stored = store.get(key).text
    assert "Deres tekst" in stored and stored.endswith("Min sætning fortsætter")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and mine.text.value != stored:
        time.sleep(0.05)
    assert mine.text.value == stored  # caught up once typing paused
    store.close()


def test_a_focused_box_is_never_replaced_and_catches_up_when_left(tmp_path, monkeypatch):
    import dol_toolkit.apps.note_editor as editor_module

    monkeypatch.setattr(editor_module, "QUIET_SECONDS", 0.2)
    store = SQLiteNoteStore(tmp_path / "notes.sqlite")
    key = NoteKey("w", "reflection:technologies")
    mine = NoteEditor(store, key, "note", lambda: "da", author="me")
    editor_module.set_focus({mine.dom_id})  # the page says the writer is in this box
    try:
        store.save(key, "Deres tekst", 0, author="them")
        mine.text.value = "Min sætning"
        mine.flush()  # a conflict: both texts in the note
        time.sleep(0.5)
        mine.refresh()
        mine._catch_up()
        assert mine.text.value == "Min sætning"  # not while the box has the focus
        editor_module.set_focus(set())  # the writer leaves the box
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and "Deres tekst" not in mine.text.value:
            time.sleep(0.05)
        assert "Deres tekst" in mine.text.value and "Min sætning" in mine.text.value
    finally:
        editor_module.set_focus(set())
        store.close()


# -- notes in the workshop page: the kernel offers texts, the page applies them only to an untouched box ---------
def _browser_applies(editor: NoteEditor, offer: str | None = None) -> bool:
    """What the page's script does with an editor's offer (or an ``offer`` that reached the browser earlier):
    applied only if the box still has the expected text."""
    found = re.search(r'data-expect="([^"]*)" data-text="([^"]*)"', editor.offer.value if offer is None else offer)
    if not found:
        return False
    expect, text = html.unescape(found.group(1)), html.unescape(found.group(2))
    if editor.text.value != expect:
        return False
    editor.text.value = text  # as the box's input event sends it
    return True


@pytest.fixture
def page_script(monkeypatch):
    import dol_toolkit.apps.note_editor as editor_module

    monkeypatch.setattr(editor_module.kernel_page(), "script_runs", True)
    monkeypatch.setattr(editor_module, "QUIET_SECONDS", 0.2)
    return editor_module


def _all_texts(store, key):
    return [store.get(key).text, *(r.text for r in store.revisions(key)), *(r.submitted for r in store.revisions(key))]


def test_someone_elses_save_is_offered_not_written_into_the_box(tmp_path, page_script):
    store = SQLiteNoteStore(tmp_path / "notes.sqlite")
    key = NoteKey("w", "reflection:technologies")
    mine = NoteEditor(store, key, "note", lambda: "da", author="me")
    store.save(key, 'Deres "tekst" <b>', 0, author="them")
    mine.refresh()
    assert mine.text.value == ""  # the kernel does not write into the box
    assert "data-text=\"Deres &quot;tekst&quot; &lt;b&gt;\"" in mine.offer.value
    assert _browser_applies(mine)
    assert mine.text.value == 'Deres "tekst" <b>' and not mine.offer.value and not mine.dirty
    assert len(store.revisions(key)) == 1  # taking the offer saves nothing
    mine.text.value = 'Deres "tekst" <b> og min'
    mine.flush()
    assert store.get(key).text == 'Deres "tekst" <b> og min'  # on the offered revision: no conflict
    assert "Gemt kl." in mine.status.value
    store.close()


def test_an_older_offer_applied_after_a_newer_was_made_adds_nothing_twice(tmp_path, page_script):
    """The kernel offers a save, then a newer one before the box's answer to the first arrives; the box (which
    has the first offer and not yet the second) applies the first. The kernel takes the box as being on the
    first offer's revision and offers the newer text again: nobody's text is saved twice."""
    store = SQLiteNoteStore(tmp_path / "notes.sqlite")
    key = NoteKey("w", "reflection:technologies")
    mine = NoteEditor(store, key, "note", lambda: "da", author="me")
    store.save(key, "Annes linje", 0, author="anne")
    mine.refresh()
    first = mine.offer.value  # on its way to the browser
    store.save(key, "Annes linje\nBos linje", 1, author="bo")
    time.sleep(page_script.QUIET_SECONDS)
    mine.refresh()
    second = mine.offer.value
    assert second != first and "Bos linje" in second
    assert _browser_applies(mine, first)  # the box applies the first offer (it expects the empty box)
    assert mine.text.value == "Annes linje" and not mine.dirty
    assert not _browser_applies(mine, second)  # the second expects the empty box: left
    assert _browser_applies(mine)  # offered again, on the text the box has now
    assert mine.text.value == "Annes linje\nBos linje"
    mine.text.value += "\nmin linje"
    mine.flush()
    note = store.get(key)
    assert note.text == "Annes linje\nBos linje\nmin linje"
    assert not store.revisions(key)[-1].conflict  # saved on the revision the box showed
    store.close()


def test_a_box_typed_in_before_the_offer_came_keeps_its_text_and_both_are_kept(tmp_path, page_script):
    store = SQLiteNoteStore(tmp_path / "notes.sqlite")
    key = NoteKey("w", "reflection:technologies")
    mine = NoteEditor(store, key, "note", lambda: "da", author="me")
    store.save(key, "Deres tekst", 0, author="them")
    mine.refresh()  # the offer is on its way to the browser ...
    browser_box = "min vigtige sætning"  # ... where the writer has typed meanwhile
    offered = mine.offer.value
    mine.text.value = browser_box  # the keystrokes reach the kernel
    assert mine.offer.value == ""  # the offer is void
    assert not _browser_applies(mine, offered)  # and the browser leaves it: the box is not the expected text
    mine.flush()
    note = store.get(key).text
    assert "Deres tekst" in note and "min vigtige sætning" in note  # saved on the revision the box showed
    assert mine.text.value == browser_box  # nothing written under the fingers
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and "data-text" not in mine.offer.value:
        time.sleep(0.05)  # once typing pauses the joined note is offered
    assert _browser_applies(mine) and mine.text.value == note
    store.close()


def test_a_crowd_of_editors_with_offers_keeps_every_phrase(tmp_path, page_script):
    """Six boxes on one note, each typing in turns while the others' saves are offered: a box takes an offer
    only when untouched, as the page's script does; every phrase ends in the note or a revision."""
    store = SQLiteNoteStore(tmp_path / "notes.sqlite")
    key = NoteKey("w", "reflection:technologies")
    editors = [NoteEditor(store, key, "note", lambda: "da", author=f"p{i}") for i in range(6)]
    phrases = []
    for round_ in range(4):
        for i, editor in enumerate(editors):
            phrase = f"r{round_}-p{i}-ord"
            phrases.append(phrase)
            editor.refresh()
            if round_ % 2:  # half the time the offer arrives after the writer typed
                editor.text.value = editor.text.value + " " + phrase
                _browser_applies(editor)
            else:
                _browser_applies(editor)
                editor.text.value = editor.text.value + " " + phrase
            editor.flush()
    texts = _all_texts(store, key)
    assert [p for p in phrases if not any(p in x for x in texts)] == []
    store.close()


def test_a_note_over_the_limit_is_not_saved_and_the_writer_is_told(tmp_path):
    from dol_toolkit.notes import MAX_NOTE_CHARS

    store = SQLiteNoteStore(tmp_path / "notes.sqlite")
    key = NoteKey("w", "reflection:technologies")
    mine = NoteEditor(store, key, "note", lambda: "da", author="me")
    mine.text.value = "kort"
    mine.flush()
    assert "Gemt kl." in mine.status.value
    mine.text.value = "x" * (MAX_NOTE_CHARS + 1)
    mine.flush()
    assert "Gemt" not in mine.status.value.replace("ikke gemt", "")
    assert "100.001 tegn" in mine.status.value and "højst gemmes 100.000" in mine.status.value
    assert "dol-save-warning" in mine.status.value
    assert store.get(key).text == "kort" and len(store.revisions(key)) == 1
    assert mine.text.value == "x" * (MAX_NOTE_CHARS + 1)  # the text stays in the box
    mine.text.value = "kort igen"
    mine.flush()
    assert store.get(key).text == "kort igen" and "Gemt kl." in mine.status.value
    store.close()


def test_a_conflict_whose_joined_note_would_be_too_long_writes_nothing(tmp_path):
    from dol_toolkit.notes import MAX_NOTE_CHARS, NoteTooLong

    store = SQLiteNoteStore(tmp_path / "notes.sqlite")
    key = NoteKey("w", "reflection:technologies")
    half = MAX_NOTE_CHARS // 2 + 10
    store.save(key, "a" * half, 0, author="a")
    with pytest.raises(NoteTooLong):
        store.save(key, "b" * half, 0, author="b")  # on the old base: a conflict, joined > limit
    assert store.get(key).text == "a" * half and len(store.revisions(key)) == 1
    store.close()


# -- a shared laptop: leader A opens what is theirs, closes it, and leader B finds nothing of it ----------------
def _live_states(since: set[str]) -> str:
    """Every live widget's state made since ``since`` (what ``request_states`` from the page's console returns
    of this page), as one text."""
    from ipywidgets.widgets.widget import _instances

    return json.dumps([w.get_state() for key, w in list(_instances.items()) if key not in since],
                      ensure_ascii=False, default=str)


def test_after_a_closes_every_step_no_live_widget_holds_anything_of_a(workshop, codes):
    from ipywidgets.widgets.widget import _instances

    before = set(_instances)
    page = WorkshopApp(*workshop)
    leader = "Morten Vestergaard"
    code = codes[1][leader]
    try:
        # results: A's own view
        page.route.value = "step=results"
        results = page.apps["results"]
        results.view.value = "personal"
        results.gate.code.value = code
        results.gate.open_button.click()
        assert leader in _live_states(before) and 'data-chart="means"' in results.body.value
        results.gate.close_button.click()
        states = _live_states(before)
        assert leader not in states and 'data-chart="means"' not in states
        # reflection and cases: A's private notes
        for step in ("reflection", "cases"):
            page.route.value = f"step={step}"
            app = page.apps[step]
            app.gate.code.value = code
            app.gate.open_button.click()
            marker = f"A-{step}-{uuid.uuid4().hex[:8]}"
            app.topics[0].private.text.value = marker
            app.topics[0].private.flush()
            assert marker in _live_states(before)
            app.gate.close_button.click()
            states = _live_states(before)
            assert marker not in states and leader not in states, step
        # the plan: A's own summary to download
        page.route.value = "step=action_plan"
        plan = page.apps["action_plan"]
        plan.gate.code.value = code
        plan.gate.open_button.click()
        plan.download("md")
        link = plan.personal_links.children[0]
        href = re.search(r'href="([^"]+)"', link.value).group(1)
        assert href in _live_states(before)
        plan.gate.close_button.click()
        states = _live_states(before)
        assert leader not in states and href not in states
        assert link.comm is None  # the link's widget is closed, not emptied
    finally:
        for step in page.apps.values():
            poller = getattr(step, "poller", None)
            if poller is not None:
                poller.stop()
