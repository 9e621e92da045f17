"""The personal-code gate: a leader types their code to open what is theirs (results, private notes).

A wrong code is refused with a message; after ``MAX_ATTEMPTS`` wrong codes in a row the gate pauses for
``LOCKOUT_SECONDS``. Wrong codes are also counted for the whole server (every page, every kernel: a reload or
another tab does not start the count again): after ``SERVER_MAX_ATTEMPTS`` wrong codes within
``SERVER_WINDOW_SECONDS`` every gate of the workshop pauses for ``LOCKOUT_SECONDS``. A wrong code names no
leader, so the count cannot be per leader; with 32**8 possible codes, 20 guesses per 5 minutes for the whole room
make guessing hopeless, and one prankster can hold the room up for a minute at most. The log says how many
wrong codes were typed, never which. Closing forgets the leader. The gate only checks codes; what opens is the
app's business (``on_open`` / ``on_close``).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterator
from typing import Any

import ipywidgets as widgets

from dol_toolkit.apps._common import esc
from dol_toolkit.i18n import Lang, t
from dol_toolkit.workshop import WorkshopConfig

log = logging.getLogger("dol_toolkit.apps.personal")

MAX_ATTEMPTS = 5
LOCKOUT_SECONDS = 60
SERVER_MAX_ATTEMPTS = 20
SERVER_WINDOW_SECONDS = 300


class AttemptLedger:
    """Wrong codes for one workshop, counted across the server's kernels (a small JSON file beside the shared
    content, locked while read and written)."""

    def __init__(self, config: WorkshopConfig) -> None:
        from dol_toolkit.apps._cache import cache_dir

        digest = hashlib.sha256(str(config.path).encode()).hexdigest()[:16]
        self.path = cache_dir() / f"attempts-{digest}.json"

    @contextlib.contextmanager
    def _state(self) -> Iterator[dict[str, Any]]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.with_suffix(".lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                try:
                    state = json.loads(self.path.read_text(encoding="utf-8"))
                except (FileNotFoundError, ValueError):
                    state = {}
                state.setdefault("wrong", [])
                state.setdefault("locked_until", 0.0)
                yield state
                self.path.write_text(json.dumps(state), encoding="utf-8")
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def locked_for(self) -> float:
        """Seconds until gates open again (0: they are open)."""
        with self._state() as state:
            return max(0.0, float(state["locked_until"]) - time.time())

    def wrong(self) -> tuple[int, float]:
        """Count a wrong code; (wrong codes in the window, seconds locked now)."""
        now = time.time()
        with self._state() as state:
            recent = [x for x in state["wrong"] if now - float(x) < SERVER_WINDOW_SECONDS] + [now]
            count = len(recent)
            if count >= SERVER_MAX_ATTEMPTS:
                state["locked_until"], recent = now + LOCKOUT_SECONDS, []
            state["wrong"] = recent
            return count, max(0.0, float(state["locked_until"]) - now)


def alert_html(text: str) -> str:
    return f'<div class="dol-error" role="alert">{esc(text)}</div>'


class CodeGate:
    """Code box, open and close buttons, and the message line. ``leader`` is who opened it (or None)."""

    def __init__(self, config: WorkshopConfig, lang: Callable[[], Lang], *, open_key: str, close_key: str,
                 on_open: Callable[[str], None], on_close: Callable[[], None]) -> None:
        self.config, self.lang = config, lang
        self.open_key, self.close_key = open_key, close_key
        self.on_open, self.on_close = on_open, on_close
        self.leader: str | None = None
        self.visible = True
        self.failures = 0
        self.locked_until = 0.0
        self.ledger = AttemptLedger(config)
        self._idle_cancel: Callable[[], None] | None = None
        self.code = widgets.Password(placeholder="XXXX-XXXX", layout=widgets.Layout(width="auto"),
                                     style={"description_width": "initial"})
        self.code.add_class("dol-code")
        self.open_button = widgets.Button(button_style="primary", layout=widgets.Layout(width="auto"))
        self.open_button.add_class("dol-open")
        self.close_button = widgets.Button(layout=widgets.Layout(width="auto"))
        self.close_button.add_class("dol-close")
        self.message = widgets.HTML()
        self.message.add_class("dol-message")
        self.code_row = widgets.HBox([self.code, self.open_button])
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

    def try_open(self, *_: object) -> None:
        """Check the typed code; on success remember the leader and call ``on_open``."""
        lang = self.lang()
        now = time.monotonic()
        wait = max(self.locked_until - now, self._ledger_locked())
        if wait > 0:
            self.code.value = ""
            self.message.value = alert_html(t("results.locked", lang, seconds=int(wait) + 1))
            return
        leader = self.config.check_code(self.code.value)
        self.code.value = ""
        if leader is None:
            self.failures += 1
            in_window, server_wait = self._ledger_wrong()
            log.warning("wrong personal code: %d in a row on this page, %d on the server in the last %d s",
                        self.failures, in_window, SERVER_WINDOW_SECONDS)
            if self.failures >= MAX_ATTEMPTS:
                self.locked_until, self.failures = now + LOCKOUT_SECONDS, 0
            wait = max(self.locked_until - now, server_wait)
            if wait > 0:
                self.message.value = alert_html(t("results.locked", lang, seconds=int(wait) + 1))
            else:
                self.message.value = alert_html(t("results.wrong_code", lang))
            return
        self.failures, self.leader, self.message.value = 0, leader, ""
        self.show()
        self.on_open(leader)
        self.touch()

    def touch(self) -> None:
        """The leader did something in their view: its idle close starts counting again."""
        if self._idle_cancel is not None:
            self._idle_cancel()
            self._idle_cancel = None
        minutes = self.config.close_personal_after_minutes
        if self.leader is not None and minutes > 0:
            from dol_toolkit.apps.note_editor import call_later

            self._idle_cancel = call_later(minutes * 60, self._idle)

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

    def _ledger_locked(self) -> float:
        try:
            return self.ledger.locked_for()
        except OSError:  # the cache folder cannot be written: the page's own count still holds
            log.exception("the server-wide count of wrong codes cannot be read")
            return 0.0

    def _ledger_wrong(self) -> tuple[int, float]:
        try:
            return self.ledger.wrong()
        except OSError:
            log.exception("the server-wide count of wrong codes cannot be written")
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
