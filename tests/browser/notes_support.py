"""Helpers for the note browser tests: a workshop configuration of their own (fresh codes, a fresh notes
database), a server on it, and waiting for a note's autosave as the page shows it."""

from __future__ import annotations

import os
import signal
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import psutil

from tests.browser.conftest import (
    CASES,
    FIRST_LOAD_MS,
    PLAN,
    REFLECTION,
    TEST_PARTICIPANTS,
    Server,
    start_server,
    stop_server,
)

__all__ = ["CASES", "FIRST_LOAD_MS", "PLAN", "REFLECTION"]
SAVE_MS = 20_000
GROUP_NOTE = ".dol-note-group textarea"
FIRST = "reflection:technologies"  # the topic of the reflection step's first question
PRIVATE_OPEN = "Åbn mine private noter"
PRIVATE_CLOSE = "Luk mine private noter"
PRIVATE_NOTE = ".dol-note-private textarea"


def unique(label: str) -> str:
    """``label`` with a random suffix: a text no other test typed."""
    return f"{label} {uuid.uuid4().hex[:6]}"


@dataclass
class NotesWorkshop:
    config: Path
    codes: dict[str, str]
    name: str
    notes: Path


def make_workshop(repo: Path, folder: Path) -> NotesWorkshop:
    """workshop/eksempel.toml copied into ``folder`` with absolute data paths, a notes database that does not
    exist yet (the store creates it) and fresh personal codes."""
    from dol_toolkit.workshop import load_config, write_codes

    folder.mkdir(parents=True, exist_ok=True)
    text = (repo / "workshop" / "eksempel.toml").read_text(encoding="utf-8")
    text = text.replace('file = "../data/samples/', f'file = "{repo}/data/samples/')
    text = text.replace('database = "../var/eksempel-notes.sqlite"', 'database = "notes/notes.sqlite"')
    text = text.replace("participants = 10", f"participants = {TEST_PARTICIPANTS}")
    config = folder / "eksempel.toml"
    config.write_text(text, encoding="utf-8")
    codes = write_codes(config)
    loaded = load_config(config)
    assert not loaded.notes_database.exists()
    return NotesWorkshop(config=config, codes=codes, name=loaded.name, notes=loaded.notes_database)


def serve(repo: Path, ws: NotesWorkshop, log: Path, *options: str) -> Server:
    """`dol serve CONFIG [options]` as the harness starts it, waiting for its pages to be ready."""
    return start_server(repo, log, [str(ws.config), *options], ready_pool=True)


def kill_kernels_left(server: Server) -> list[int]:
    """SIGKILL every kernel the server was seen running that still runs; returns their pids."""
    left = []
    for pid in server.seen_kernels:
        try:
            proc = psutil.Process(pid)
            if proc.status() != psutil.STATUS_ZOMBIE:
                left.append(pid)
                proc.kill()
        except psutil.NoSuchProcess:
            continue
    return left


def shutdown(server: Server) -> None:
    """Stop a server the tests started (Ctrl-C), and kill any kernel it left behind."""
    try:
        stop_server(server)
    finally:
        kill_kernels_left(server)


def kill_server_group(server: Server) -> None:
    """SIGKILL the server's whole process group (a crashed laptop, a killed terminal)."""
    server.kernels()  # remember its kernels
    os.killpg(server.process.pid, signal.SIGKILL)
    server.process.wait(timeout=10)


def wait_gone(pids: list[int], timeout: float = 15) -> list[int]:
    """The pids still alive (not zombies) after waiting up to ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    alive = list(pids)
    while alive and time.monotonic() < deadline:
        alive = [p for p in alive if _alive(p)]
        if alive:
            time.sleep(0.2)
    return alive


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def open_page(context, server: Server, path: str, ready: str = GROUP_NOTE):
    page = context.new_page()
    page.set_default_timeout(30_000)
    return server.open(page, path, ready)


def add_action_row(page):
    """Click the action plan's "add" button and return the new row, once it is on the page.

    The plan may already hold rows (earlier tests' actions): ``.last`` read straight after the click can still be
    the old last row, and typing into it overwrites that action. The new row is the one after those counted
    before the click."""
    rows = page.locator(".dol-action")
    before = rows.count()
    page.locator(".dol-add-action").click()
    page.wait_for_function("n => document.querySelectorAll('.dol-action').length > n", arg=before, timeout=60_000)
    row = rows.nth(before)
    row.locator("input[type=text]").first.wait_for()
    return row


def now_hms() -> str:
    return datetime.now().strftime("%H:%M:%S")


# The status of the note editor holding ``selector``'s textarea (nth match) shows "Gemt kl. hh:mm:ss" with a
# time not before ``since`` (a save made after the typing, not the saved time shown on opening the page), for a text
# as long as the box's: a save made while keystrokes were still on their way does not count.
_SAVED_SINCE = """([selector, index, since]) => {
    const box = document.querySelectorAll(selector)[index];
    const editor = box && box.closest('.dol-note-editor');
    const status = editor && editor.querySelector('.dol-note-status');
    const m = status && status.innerText.match(/Gemt kl\\. (\\d\\d:\\d\\d:\\d\\d)/);
    const vouched = status && status.querySelector('[data-saved-units]');
    return !!m && m[1] >= since && !!vouched && Number(vouched.dataset.savedUnits) === box.value.length;
}"""


def wait_saved(page, since: str, selector: str = GROUP_NOTE, index: int = 0, timeout: int = SAVE_MS) -> str:
    """Wait until the note shows it was saved at ``since`` or later; returns the status text."""
    page.wait_for_function(_SAVED_SINCE, arg=[selector, index, since], timeout=timeout)
    return status_text(page, selector, index)


def status_text(page, selector: str = GROUP_NOTE, index: int = 0) -> str:
    return page.evaluate(
        """([selector, index]) => {
            const box = document.querySelectorAll(selector)[index];
            const status = box && box.closest('.dol-note-editor').querySelector('.dol-note-status');
            return status ? status.innerText : '';
        }""",
        [selector, index],
    )


def type_note(page, text: str, selector: str = GROUP_NOTE, index: int = 0) -> str:
    """Type ``text`` key by key into the note and wait for its autosave; returns the status text."""
    box = page.locator(selector).nth(index)
    since = now_hms()
    box.click()
    box.press_sequentially(text, delay=15)
    return wait_saved(page, since, selector, index)


def kernel_id(page) -> str:
    """The id of the kernel serving this Voila page (from the page's configuration)."""
    found = page.evaluate(
        """() => {
            const el = document.getElementById('jupyter-config-data');
            if (el) { try { const c = JSON.parse(el.textContent); if (c.kernelId) return c.kernelId; } catch (e) {} }
            const m = document.documentElement.innerHTML.match(/"kernelId":\\s*"([0-9a-f-]+)"/);
            return m ? m[1] : null;
        }"""
    )
    assert found, "the page names no kernel id"
    return str(found)


def kernel_process(server: Server, kid: str) -> psutil.Process:
    for proc in server.kernels():
        try:
            if any(kid in part for part in proc.cmdline()):
                return proc
        except psutil.NoSuchProcess:
            continue
    raise AssertionError(f"no kernel process for kernel {kid} among {[p.pid for p in server.kernels()]}")


def textarea_values(page) -> list[str]:
    return page.evaluate("() => Array.from(document.querySelectorAll('textarea')).map(t => t.value)")


def screenshot_whole(page, path: Path, width: int = 1400, at_most: int = 8000) -> tuple[int, int]:
    """A screenshot of the whole app: Voila scrolls inside a panel, so a "full page" screenshot shows only the
    window; make the window as tall as the tallest scrolling content first. Returns the window's size (CSS px,
    width and height) the screenshot was taken at."""
    height = page.evaluate(
        "() => Math.max(...Array.from(document.querySelectorAll('body, body *')).map(e => e.scrollHeight))"
    )
    size = (width, max(900, min(int(height) + 40, at_most)))
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": width, "height": 900})
    return size
