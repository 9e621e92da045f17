"""Notes typed in the browser are never lost to the kernel's timing, nor shown as saved when they are not
(issue 25, points 2 and 3):

* closing a private view (its close button, or a step link, which closes it too) while the kernel is busy, or in
  the same moment as the last keystrokes, saves every word typed before the close;
* a page whose kernel has died says so at once, never shows "Gemt" for what is typed afterwards, keeps it, and
  saves it after a reload;
* a paste longer than a note may be is refused in the browser with a message; nothing is sent, and the page's
  connection to its kernel stays open.

These tests run their own server on their own copy of the example workshop.
"""

from __future__ import annotations

import re
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dol_toolkit.i18n import format_integer, t
from dol_toolkit.notes import MAX_NOTE_CHARS, NoteKey, SQLiteNoteStore
from dol_toolkit.notes.topics import reflection_topic
from dol_toolkit.themes import load_theme
from tests.browser.conftest import FIRST_LOAD_MS, Server
from tests.browser.notes_support import (
    FIRST,
    GROUP_NOTE,
    PRIVATE_CLOSE,
    PRIVATE_NOTE,
    PRIVATE_OPEN,
    REFLECTION,
    SAVE_MS,
    NotesWorkshop,
    kernel_id,
    kernel_process,
    make_workshop,
    open_page,
    serve,
    shutdown,
    type_note,
    unique,
)

pytestmark = pytest.mark.browser

NEXT_STEP = "Næste trin: 3 Cases"


@pytest.fixture(scope="module")
def kws(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> NotesWorkshop:
    return make_workshop(repo, tmp_path_factory.mktemp("notes-kernel-workshop"))


@pytest.fixture(scope="module")
def kernel_server(repo: Path, artifacts: Path, kws: NotesWorkshop, browser) -> Iterator[Server]:
    server = serve(repo, kws, artifacts / "notes-kernel-server.log")
    yield server
    shutdown(server)


def _stored_text(ws: NotesWorkshop, key: NoteKey) -> str:
    store = SQLiteNoteStore(ws.notes)
    try:
        return store.get(key).text
    finally:
        store.close()


def _wait_stored(ws: NotesWorkshop, key: NoteKey, wanted: str, seconds: float = 30) -> str:
    """The stored note once it holds ``wanted`` (or as it is when the time is up)."""
    deadline = time.monotonic() + seconds
    text = _stored_text(ws, key)
    while wanted not in text and time.monotonic() < deadline:
        time.sleep(0.2)
        text = _stored_text(ws, key)
    return text


def _open_private(page, ws: NotesWorkshop, which: int = 0) -> str:
    """Open the private notes of the ``which``-th leader (each test its own: no test reads another's note)."""
    leader = list(ws.codes)[which]
    page.locator(".dol-code input").fill(ws.codes[leader])
    page.get_by_role("button", name=PRIVATE_OPEN).click()
    page.wait_for_selector(PRIVATE_NOTE, timeout=SAVE_MS)
    return leader


def _close(page, how: str) -> None:
    if how == "close button":
        page.get_by_role("button", name=PRIVATE_CLOSE).click()
    else:
        page.get_by_role("link", name=NEXT_STEP).click()


# -- point 2: a close never overtakes the words typed before it ---------------------------------------------
@pytest.mark.parametrize("how", ["close button", "step link"])
def test_words_typed_while_the_kernel_is_busy_are_saved_when_private_notes_close(kernel_server, kws, contexts,
                                                                                 how):
    """The leader types a phrase while their kernel is held (a busy laptop, ~1.5 s), then closes their private
    notes (or follows the next-step link, which takes them to the next step's) before the kernel has answered.
    Every word typed before the close is in their private note."""
    page = open_page(contexts(), kernel_server, REFLECTION)
    leader = _open_private(page, kws, 0 if how == "close button" else 1)
    key = NoteKey(kws.name, FIRST, "private", leader)
    box = page.locator(PRIVATE_NOTE).first
    first = unique("Første tanke")
    type_note(page, first, PRIVATE_NOTE, 0)
    phrase = unique("og så den sidste vigtige sætning")
    process = kernel_process(kernel_server, kernel_id(page))
    box.click()
    page.keyboard.press("Control+End")
    process.send_signal(signal.SIGSTOP)
    try:
        page.keyboard.type(" " + phrase, delay=50)
        _close(page, how)
    finally:
        process.send_signal(signal.SIGCONT)
    if how == "close button":
        expect(page.locator(PRIVATE_NOTE)).to_have_count(0, timeout=SAVE_MS)
    else:  # one code per visit: the next step shows the leader's private notes there
        page.wait_for_selector(".dol-step-cases " + PRIVATE_NOTE, timeout=SAVE_MS)
    stored = _wait_stored(kws, key, phrase)
    assert stored.endswith(f"{first} {phrase}"), f"typed {phrase!r}, closed by {how}: the private note is {stored!r}"


def test_input_in_the_same_moment_as_the_close_is_saved(kernel_server, kws, contexts):
    """Forty changes of the box and the close click in one moment (one task of the page): all forty words are
    in the note."""
    page = open_page(contexts(), kernel_server, REFLECTION)
    leader = _open_private(page, kws, 2)
    key = NoteKey(kws.name, FIRST, "private", leader)
    words = [f"ord{i}" for i in range(40)]
    page.evaluate(
        """([selector, words, name]) => {
            const box = document.querySelector(selector);
            let text = '';
            for (const word of words) {
                text += (text ? ' ' : '') + word;
                box.value = text;
                box.dispatchEvent(new Event('input', { bubbles: true }));
            }
            const close = Array.from(document.querySelectorAll('.dol-close button, button.dol-close'))
                .find((b) => b.innerText.trim() === name);
            close.click();
        }""",
        [PRIVATE_NOTE, words, PRIVATE_CLOSE],
    )
    expect(page.locator(PRIVATE_NOTE)).to_have_count(0, timeout=SAVE_MS)
    stored = _wait_stored(kws, key, words[-1])
    assert stored == " ".join(words), f"stored {stored!r}"


# -- point 3: no "Gemt" for text that is not saved --------------------------------------------------------------
def _editor_text(page, index: int) -> str:
    """What a person sees of the note editor holding the ``index``-th group note (hidden parts left out)."""
    return str(page.locator(GROUP_NOTE).nth(index).locator(
        "xpath=ancestor::*[contains(concat(' ', normalize-space(@class), ' '), ' dol-note-editor ')][1]").inner_text())


def test_a_page_whose_kernel_died_says_so_and_keeps_what_is_typed(kernel_server, kws, contexts):
    """The page's kernel dies. The page says so at once; what is typed afterwards is never shown as "Gemt", stays in
    the box, can be copied, and is saved after a reload."""
    key = NoteKey(kws.name, FIRST)
    page = open_page(contexts(), kernel_server, REFLECTION)
    box = page.locator(GROUP_NOTE).first
    before, after = unique("Gemt før kernen døde"), unique("skrevet efter kernen døde")
    box.click()
    page.keyboard.press("Control+End")
    type_note(page, before)
    process = kernel_process(kernel_server, kernel_id(page))
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    banner = page.locator(".dol-kernel-banner")
    expect(banner).to_contain_text(t("notes.kernel_gone", "da"), timeout=SAVE_MS)
    box.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" " + after, delay=15)
    expect(page.get_by_text(t("notes.unsaved_offline", "da")).first).to_be_visible()
    page.wait_for_timeout(2_000)  # a status that would claim a save has had its time to come
    shown = _editor_text(page, 0)
    assert "Gemt" not in shown, f"the note typed after the kernel died shows {shown!r}"
    assert t("notes.unsaved_offline", "da") in shown, shown
    assert after in box.input_value(), "the text typed after the kernel died left the box"
    assert after not in _stored_text(kws, key)
    # The unsaved text is offered to copy.
    page.locator(".dol-kernel-banner button.dol-copy-unsaved").click()
    expect(banner.locator("textarea")).to_have_value(re.compile(after), timeout=5_000)
    # A reload (a new kernel) saves it.
    page.on("dialog", lambda dialog: dialog.accept())
    page.locator(".dol-kernel-banner button.dol-reload").click()
    page.wait_for_selector(GROUP_NOTE, timeout=FIRST_LOAD_MS)
    stored = _wait_stored(kws, key, after)
    assert before in stored and after in stored, f"after the reload the note is {stored!r}"
    expect(page.locator(GROUP_NOTE).first).to_have_value(re.compile(after), timeout=SAVE_MS)
    expect(page.locator(".dol-kernel-banner")).to_have_count(0)


PASTE_JS = """([selector, index, length]) => {
    const box = document.querySelectorAll(selector)[index];
    const text = 'x'.repeat(length);
    const data = new DataTransfer();
    data.setData('text/plain', text);
    const paste = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true });
    if (box.dispatchEvent(paste)) {
        box.setRangeText(text, box.selectionStart, box.selectionEnd, 'end');
        box.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
    }
}"""


def test_a_paste_too_long_is_refused_in_the_browser(kernel_server, kws, contexts):
    """An 11 MB paste (over the server's 10 MiB websocket limit, far over a note's limit) is refused before it is
    sent: the page says why, the box keeps its saved text, the connection stays open, and typing goes on saving."""
    index = 2
    key = NoteKey(kws.name, reflection_topic(load_theme().reflection_questions[index].id))
    context = contexts()
    page = context.new_page()
    page.set_default_timeout(30_000)
    closed: list[str] = []
    page.on("websocket", lambda ws: ws.on("close", lambda _: closed.append(ws.url)))
    kernel_server.open(page, REFLECTION, GROUP_NOTE)
    box = page.locator(GROUP_NOTE).nth(index)
    first = unique("Før indsætningen")
    box.click()
    page.keyboard.press("Control+End")
    type_note(page, first, GROUP_NOTE, index)
    saved = box.input_value()
    assert first in _wait_stored(kws, key, first)
    box.click()
    page.keyboard.press("Control+End")
    # The paste as the browser delivers it: a paste event with the clipboard's text, then (unless a script
    # refuses it) the text inserted at the caret and an input event.
    huge = 11 * 1024 * 1024
    page.evaluate(PASTE_JS, [GROUP_NOTE, index, huge])
    message = t("notes.paste_too_long", "da", length=format_integer(len(saved) + huge, "da"),
                limit=format_integer(MAX_NOTE_CHARS, "da"))
    expect(page.get_by_text(message)).to_be_visible(timeout=SAVE_MS)
    assert box.input_value() == saved, "the refused paste changed the box"
    page.wait_for_timeout(2_000)  # a closed websocket would have shown by now
    assert not closed, f"the page's websocket closed: {closed}"
    then = unique("og videre")
    status = type_note(page, " " + then, GROUP_NOTE, index)
    assert status.startswith("Gemt kl."), status
    stored = _wait_stored(kws, key, then)
    assert then in stored and "xxxxxxxxxx" not in stored, stored[:200]


def test_private_notes_opened_show_what_is_stored_with_the_focus_on_their_heading(kernel_server, kws, contexts):
    """A leader who wrote private notes earlier opens them again: the box shows the stored text (a box with the
    focus is never given its stored text, so the page puts the focus on the private notes' heading, not in the
    box), and what they add is saved on top of it, nothing merged."""
    leader = list(kws.codes)[3]
    key = NoteKey(kws.name, FIRST, "private", leader)
    earlier = unique("Skrevet ved sidste workshop")
    store = SQLiteNoteStore(kws.notes)
    try:
        store.save(key, earlier, 0, author="earlier")
    finally:
        store.close()
    page = open_page(contexts(), kernel_server, REFLECTION)
    _open_private(page, kws, 3)
    box = page.locator(PRIVATE_NOTE).first
    expect(box).to_have_value(earlier, timeout=SAVE_MS)
    page.wait_for_function("() => document.activeElement && document.activeElement.tagName === 'H3'"
                           " && !!document.activeElement.closest('.dol-personal')", timeout=SAVE_MS)
    more = unique("og nu mere")
    box.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" " + more, delay=20)
    stored = _wait_stored(kws, key, more)
    assert stored == f"{earlier} {more}", stored
