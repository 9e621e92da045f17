"""Pieces every app shares: the page style, the language switch and safe error reporting."""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from dol_toolkit.i18n import LANGUAGE_NAMES, LANGUAGES, Lang, t

log = logging.getLogger("dol_toolkit.apps")

# Projector first: large type, high contrast, readable line length.
CSS = """
<style>
.dol-page { font-size: 18px; line-height: 1.5; color: #1a1a1a; max-width: 60em; }
.dol-page h1 { font-size: 2.1em; margin: 0.2em 0 0.4em; color: #0b3d62; }
.dol-page h2 { font-size: 1.4em; margin: 1.2em 0 0.4em; color: #0b3d62; }
.dol-page h3 { font-size: 1.1em; margin: 0.8em 0 0.2em; }
.dol-page p, .dol-page li { font-size: 1em; }
.dol-page .dol-kicker { text-transform: uppercase; letter-spacing: 0.08em; color: #4a4a4a; font-size: 0.85em; }
.dol-page .dol-intro { font-style: italic; color: #333; }
.dol-page .dol-note { color: #333; font-size: 0.95em; }
.dol-page ol.dol-items li { margin-bottom: 0.4em; }
.dol-lang .widget-toggle-button { font-size: 16px; height: 38px; }
.dol-lang .widget-label { font-size: 16px; }
.dol-error { font-size: 18px; color: #8a1c1c; background: #fdecea; padding: 0.6em 1em; border-left: 5px solid #8a1c1c; }
</style>
"""


def esc(text: str) -> str:
    """Escape text for an HTML widget: content is always shown literally."""
    return html.escape(text, quote=True)


def language_switch(lang: Lang) -> widgets.ToggleButtons:
    """Dansk | English toggle; its value is the language code."""
    switch = widgets.ToggleButtons(
        options=[(LANGUAGE_NAMES[code], code) for code in LANGUAGES],
        value=lang,
        description=t("app.language", lang),
        tooltips=[t("app.language_help", code) for code in LANGUAGES],
        style={"description_width": "initial", "button_width": "7em", "font_weight": "bold"},
    )
    switch.add_class("dol-lang")
    return switch


def error_box() -> widgets.HTML:
    """Where an app shows what went wrong, in words, instead of a traceback."""
    box = widgets.HTML()
    box.add_class("dol-errors")
    return box


def guarded(callback: Callable[..., None], errors: widgets.HTML, lang: Callable[[], Lang]) -> Callable[..., None]:
    """Wrap a widget callback: an exception is logged for the facilitator and shown as a plain message.

    Errors inside ipywidgets callbacks are otherwise silent in Voila. A later successful call clears the message.
    """

    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            callback(*args, **kwargs)
        except Exception as exc:
            log.exception("error in app callback %s", getattr(callback, "__name__", callback))
            errors.value = f'<div class="dol-error" role="alert">{esc(t("app.error", lang(), message=str(exc)))}</div>'
        else:
            errors.value = ""

    return wrapper
