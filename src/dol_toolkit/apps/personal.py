"""The personal-code gate: a leader types their code to open what is theirs (results, private notes).

Wrong codes hold the page that typed them, not the room:

* A page (one participant's kernel; every code box on it counts together) may type ``PAGE_FREE_WRONG - 1``
  wrong codes freely. From the ``PAGE_FREE_WRONG``-th wrong code in a row on, the page pauses after each one,
  and each pause is twice the one before: ``PAGE_PAUSE_SECONDS``, then double, up to ``PAGE_PAUSE_MAX_SECONDS``.
  The right code ends the row.
* The room (every page of the workshop, every kernel of the server: a shared file, so a reload does not start
  the count again) takes at most ``ROOM_MAX_WRONG`` wrong codes per ``ROOM_WINDOW_SECONDS``. When they are used
  up, a page that has typed a wrong code waits until the oldest of them is a window old; the code is not even
  checked. A page that has not typed a wrong code is never held by the room: its code is always checked, so a
  leader typing the right code gets in while others guess. (Its code, if wrong, counts as well, and from then
  on that page is held like the others.)

Guessing is hopeless either way: with 32**8 possible codes the room checks ``ROOM_MAX_WRONG`` codes a minute,
plus one for each page newly opened (each a kernel the server starts). A wrong code names no leader, so the count
cannot be per leader. The log says how many wrong codes were typed, never which. Closing forgets the leader.
The gate only checks codes; what opens is the app's business (``on_open`` / ``on_close``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import math
import time
from collections.abc import Callable, Iterator
from typing import Any

import ipywidgets as widgets
import traitlets

from dol_toolkit.apps import _timers
from dol_toolkit.apps._common import alert_html as alert_html  # apps import it from here too
from dol_toolkit.apps._common import sent_before_submit
from dol_toolkit.apps._page import PageModel, kernel_page
from dol_toolkit.i18n import Lang, t
from dol_toolkit.workshop import WorkshopConfig

log = logging.getLogger("dol_toolkit.apps.personal")

PAGE_FREE_WRONG = 3
PAGE_PAUSE_SECONDS = 15
PAGE_PAUSE_MAX_SECONDS = 15 * 60
ROOM_MAX_WRONG = 10
ROOM_WINDOW_SECONDS = 60


def _now() -> float:
    """Wall-clock seconds: the room's count is shared between processes."""
    return time.time()


def page_pause(wrong_in_a_row: int) -> float:
    """Seconds a page waits after its ``wrong_in_a_row``-th wrong code in a row (0: none)."""
    if wrong_in_a_row < PAGE_FREE_WRONG:
        return 0.0
    return float(min(PAGE_PAUSE_SECONDS * 2 ** (wrong_in_a_row - PAGE_FREE_WRONG), PAGE_PAUSE_MAX_SECONDS))


class PageAttempts:
    """Wrong codes in a row on one page (one kernel), shared by every code box on it."""

    def __init__(self) -> None:
        self.wrong_in_a_row = 0
        self.paused_until = 0.0

    def wait(self, now: float) -> float:
        return max(0.0, self.paused_until - now)

    def wrong(self, now: float) -> float:
        """Count a wrong code; the page's pause from now (0: none)."""
        self.wrong_in_a_row += 1
        pause = page_pause(self.wrong_in_a_row)
        self.paused_until = now + pause
        return pause

    def right(self) -> None:
        self.wrong_in_a_row, self.paused_until = 0, 0.0


class AttemptLedger:
    """Wrong codes for one workshop, counted across the server's kernels (a small JSON file beside the shared
    content, locked while read and written): the times of the wrong codes of the last ``ROOM_WINDOW_SECONDS``."""

    def __init__(self, config: WorkshopConfig) -> None:
        from dol_toolkit.pages.cache import cache_dir

        digest = hashlib.sha256(str(config.path).encode()).hexdigest()[:16]
        self.path = cache_dir() / f"attempts-{digest}.json"

    @contextlib.contextmanager
    def _recent(self, now: float) -> Iterator[list[float]]:
        """The wrong codes still in the window, oldest first; changes to the list are written back."""
        from filelock import FileLock  # imported on the first wrong code, not by every page's kernel

        self.path.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(self.path.with_suffix(".lock")):
            try:
                state: dict[str, Any] = json.loads(self.path.read_text(encoding="utf-8"))
            except (FileNotFoundError, ValueError):
                state = {}
            stamps = state.get("wrong") if isinstance(state, dict) else None
            recent = sorted(float(x) for x in (stamps if isinstance(stamps, list) else [])
                            if isinstance(x, (int, float)) and now - float(x) < ROOM_WINDOW_SECONDS)
            yield recent
            self.path.write_text(json.dumps({"wrong": recent}), encoding="utf-8")

    @staticmethod
    def _full_for(recent: list[float], now: float) -> float:
        """Seconds until the room takes another wrong code (0: it takes one now)."""
        if len(recent) < ROOM_MAX_WRONG:
            return 0.0
        return max(0.0, recent[len(recent) - ROOM_MAX_WRONG] + ROOM_WINDOW_SECONDS - now)

    def reserve(self, now: float) -> float:
        """For a page that has typed wrong codes: take one of the room's wrong codes before the code is checked
        (given back with :meth:`give_back` when it is right). 0 when taken, else the seconds to wait."""
        with self._recent(now) as recent:
            wait = self._full_for(recent, now)
            if wait == 0:
                recent.append(now)
            return wait

    def give_back(self, stamp: float) -> None:
        with self._recent(_now()) as recent:
            if stamp in recent:
                recent.remove(stamp)

    def wrong(self, now: float) -> int:
        """Count a wrong code of a page that had typed none (never held); the room's wrong codes in the window."""
        with self._recent(now) as recent:
            recent.append(now)
            recent.sort()
            return len(recent)

    def status(self, now: float) -> tuple[int, float]:
        """(wrong codes in the window, seconds until the room takes another)."""
        with self._recent(now) as recent:
            return len(recent), self._full_for(recent, now)


class CodeGate(traitlets.HasTraits):
    """Code box, open and close buttons, and the message line. ``leader`` is who opened it (or None); the
    workshop page joins it to its model's ``leader``. Wrong codes count on the page's ``attempts``."""

    leader = traitlets.Unicode(None, allow_none=True)

    def __init__(self, config: WorkshopConfig, lang: Callable[[], Lang], *, open_key: str, close_key: str,
                 on_open: Callable[[str], None], on_close: Callable[[], None],
                 page: PageModel | None = None) -> None:
        super().__init__()
        self.config, self.lang = config, lang
        self.open_key, self.close_key = open_key, close_key
        self.on_open, self.on_close = on_open, on_close
        self.visible = True
        self.page: PageAttempts = (page or kernel_page()).attempts
        self.ledger = AttemptLedger(config)
        self._idle_cancel: Callable[[], None] | None = None
        self.code = widgets.Password(placeholder="XXXX-XXXX", layout=widgets.Layout(width="auto"),
                                     style={"description_width": "initial"})
        self.code.add_class("dol-code")
        sent_before_submit(self.code)
        self.open_button = widgets.Button(button_style="primary", layout=widgets.Layout(width="auto"))
        self.open_button.add_class("dol-open")
        self.close_button = widgets.Button(layout=widgets.Layout(width="auto"))
        self.close_button.add_class("dol-close")
        self.message = widgets.HTML()
        self.message.add_class("dol-message")
        self.code_row = widgets.HBox([self.code, self.open_button])
        self.code_row.add_class("dol-code-row")  # wraps on a phone: the button goes under the code box
        self.code.on_msg(self._on_code_message)  # Enter in the code box opens, as the button does
        self.close_row = widgets.HBox([self.close_button])
        self.widget = widgets.VBox([self.code_row, self.close_row, self.message])

    def relabel(self) -> None:
        lang = self.lang()
        self.code.description = t("results.code", lang)
        self.open_button.description = t(self.open_key, lang)
        self.close_button.description = t(self.close_key, lang)
        self.show()

    def show(self, visible: bool | None = None) -> None:
        """Show the code box (no one open) or the close button (someone open), or neither (``visible=False``,
        e.g. the results app's group view). Without ``visible`` the gate keeps what it was last told: a new
        language or an opened view never shows the code box where the app hides it, not even for a moment."""
        if visible is not None:
            self.visible = visible
        self.code_row.layout.display = "flex" if self.visible and self.leader is None else "none"
        self.close_row.layout.display = "flex" if self.visible and self.leader is not None else "none"

    def _on_code_message(self, _widget: object, content: object, _buffers: object) -> None:
        """The code box's own message: the browser sends ``{"event": "submit"}`` when Enter is pressed in it
        (after the typed value, over the same channel, so the value has arrived)."""
        if isinstance(content, dict) and content.get("event") == "submit" and self.leader is None:
            self.try_open()

    def try_open(self, *_: object) -> None:
        """Check the typed code; on success remember the leader and call ``on_open``. A page in its pause, or
        a page that has typed wrong codes while the room's are used up, waits; its code is not checked."""
        lang = self.lang()
        now = _now()
        typed, self.code.value = self.code.value, ""
        wait = self.page.wait(now)
        guessing = self.page.wrong_in_a_row > 0
        reserved = False
        if wait == 0 and guessing:
            wait = self._room_reserve(now)
            reserved = wait == 0
        if wait > 0:
            self.message.value = self._wait_html(wait, lang)
            return
        leader = self.config.check_code(typed)
        if leader is None:
            page_wait = self.page.wrong(now)
            if not reserved:
                self._room_wrong(now)
            in_room, room_wait = self._room_status(now)
            log.warning("wrong personal code: %d in a row on this page, %d on the server in the last %d s",
                        self.page.wrong_in_a_row, in_room, ROOM_WINDOW_SECONDS)
            if in_room == ROOM_MAX_WRONG:
                log.warning("the room's %d wrong codes per %d s are used up: pages that typed wrong codes wait",
                            ROOM_MAX_WRONG, ROOM_WINDOW_SECONDS)
            wait = max(page_wait, room_wait)
            self.message.value = (self._wait_html(wait, lang) if wait > 0
                                  else alert_html(t("results.wrong_code", lang)))
            return
        if reserved:
            self._room_give_back(now)
        self.page.right()
        self.leader, self.message.value = leader, ""
        self.show()
        self.on_open(leader)
        self.touch()

    def open_for(self, leader: str) -> None:
        """Open for ``leader`` without a code: the page they are on has already checked theirs (one code per
        visit, :meth:`dol_toolkit.apps.workshop_page.WorkshopApp.show`)."""
        if self.leader == leader:
            self.touch()
            return
        self.leader, self.code.value, self.message.value = leader, "", ""
        self.show()
        self.on_open(leader)
        self.touch()

    def park(self) -> None:
        """The page has moved to another step: the view stays open for its leader, and its idle close stops
        counting here (it counts on the step the leader is on)."""
        if self._idle_cancel is not None:
            self._idle_cancel()
            self._idle_cancel = None

    @staticmethod
    def _wait_html(wait: float, lang: Lang) -> str:
        return alert_html(t("results.locked", lang, seconds=math.ceil(wait)))

    def touch(self) -> None:
        """The leader did something in their view: its idle close starts counting again."""
        if self._idle_cancel is not None:
            self._idle_cancel()
            self._idle_cancel = None
        minutes = self.config.close_personal_after_minutes
        if self.leader is not None and minutes > 0:
            self._idle_cancel = _timers.call_later(minutes * 60, self._idle)

    def _idle(self) -> None:
        self._idle_cancel = None
        if self.leader is None:
            return
        log.info("a personal view closed itself after %d idle minutes", self.config.close_personal_after_minutes)
        try:
            self.close()
        finally:
            self.message.value = alert_html(t("results.closed_idle", self.lang(),
                                              minutes=self.config.close_personal_after_minutes))

    # The room's count lives in a file; when it cannot be read or written the page's own pause still holds.
    def _room_reserve(self, now: float) -> float:
        try:
            return self.ledger.reserve(now)
        except OSError:
            log.exception("the server-wide count of wrong codes cannot be read")
            return 0.0

    def _room_give_back(self, stamp: float) -> None:
        try:
            self.ledger.give_back(stamp)
        except OSError:
            log.exception("the server-wide count of wrong codes cannot be written")

    def _room_wrong(self, now: float) -> None:
        try:
            self.ledger.wrong(now)
        except OSError:
            log.exception("the server-wide count of wrong codes cannot be written")

    def _room_status(self, now: float) -> tuple[int, float]:
        try:
            return self.ledger.status(now)
        except OSError:
            log.exception("the server-wide count of wrong codes cannot be read")
            return 0, 0.0

    def close(self, *_: object) -> None:
        if self._idle_cancel is not None:
            self._idle_cancel()
            self._idle_cancel = None
        self.leader = None
        self.code.value = ""
        self.message.value = ""
        self.show()
        self.on_close()
