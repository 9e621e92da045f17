"""The personal-code gate: a leader types their code to open what is theirs (results, private notes).

A wrong code is refused with a message; after ``MAX_ATTEMPTS`` wrong codes in a row the gate pauses for
``LOCKOUT_SECONDS``. Closing forgets the leader. The gate only checks codes; what opens is the app's business
(``on_open`` / ``on_close``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import ipywidgets as widgets

from dol_toolkit.apps._common import esc
from dol_toolkit.i18n import Lang, t
from dol_toolkit.workshop import WorkshopConfig

log = logging.getLogger("dol_toolkit.apps.personal")

MAX_ATTEMPTS = 5
LOCKOUT_SECONDS = 60


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
        self.failures = 0
        self.locked_until = 0.0
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

    def show(self, visible: bool = True) -> None:
        self.code_row.layout.display = "flex" if visible and self.leader is None else "none"
        self.close_row.layout.display = "flex" if visible and self.leader is not None else "none"

    def try_open(self, *_: object) -> None:
        """Check the typed code; on success remember the leader and call ``on_open``."""
        lang = self.lang()
        now = time.monotonic()
        if now < self.locked_until:
            self.message.value = alert_html(t("results.locked", lang, seconds=int(self.locked_until - now) + 1))
            return
        leader = self.config.check_code(self.code.value)
        self.code.value = ""
        if leader is None:
            self.failures += 1
            log.info("wrong personal code (%d in a row)", self.failures)
            if self.failures >= MAX_ATTEMPTS:
                self.locked_until, self.failures = now + LOCKOUT_SECONDS, 0
                self.message.value = alert_html(t("results.locked", lang, seconds=LOCKOUT_SECONDS))
            else:
                self.message.value = alert_html(t("results.wrong_code", lang))
            return
        self.failures, self.leader, self.message.value = 0, leader, ""
        self.show()
        self.on_open(leader)

    def close(self, *_: object) -> None:
        self.leader = None
        self.code.value = ""
        self.message.value = ""
        self.show()
        self.on_close()
