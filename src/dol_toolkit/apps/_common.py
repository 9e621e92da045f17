"""Pieces every app shares: the page style, the language switch and safe error reporting."""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from dol_toolkit.errors import error_text
from dol_toolkit.i18n import LANGUAGE_NAMES, LANGUAGES, Lang, number_word, t
from dol_toolkit.pages.css import CSS as CSS  # the page style, re-exported for the apps
from dol_toolkit.runtime import from_server
from dol_toolkit.themes import Theme

log = logging.getLogger("dol_toolkit.apps")


SENT_ON_LEAVING = "dol-model-"


def sent_on_leaving(box: widgets.Text | widgets.Textarea) -> None:
    """Mark a text box whose last keystrokes must reach the kernel when the page is left.

    ipywidgets' browser side sends one update of a box at a time and keeps the newest value back until the
    kernel has answered the previous one; a tab closed or reloaded meanwhile would take those last words with
    it. The page's script (the ``dol`` template) sends the value of every box marked so, typed in since it was
    last sent, straight over the box's comm before the page goes (the class names the box's model)."""
    box.add_class(SENT_ON_LEAVING + box.model_id)


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
            message = t("app.error", lang(), message=error_text(exc, lang()))
            errors.value = f'<div class="dol-error" role="alert">{esc(message)}</div>'
        else:
            errors.value = ""

    return wrapper


@dataclass(frozen=True)
class Step:
    number: int
    key: str  # i18n key under steps., and the step's name in the address (?step=...)
    notebook: str  # the notebook a step had before the workshop became one page (old links are redirected)


STEPS = (
    Step(1, "results", "1_resultater.ipynb"),
    Step(2, "reflection", "2_refleksion.ipynb"),
    Step(3, "cases", "3_cases.ipynb"),
    Step(4, "action_plan", "4_handlingsplan.ipynb"),
)
START = "start"
STEP_KEYS = (START, *(s.key for s in STEPS))
WORKSHOP_NOTEBOOK = "workshop.ipynb"


def step_href(key: str, lang: Lang) -> str:
    """The address of a step of the workshop page, relative to the page (the page switches it in place)."""
    return f"?step={key}&lang={lang}"


def step_anchor(key: str, lang: Lang, text: str) -> str:
    """A link to a step. In the page, the template's script switches the step without loading a page."""
    return f'<a href="{esc(step_href(key, lang))}" data-dol-step="{esc(key)}">{text}</a>'


def steps_html(theme: Theme, lang: Lang, current: int | None = None) -> str:
    """The workshop's steps in order, each a link; the current one marked. The hints count the theme's
    reflection questions and cases."""
    counts = {"reflection": len(theme.reflection_questions), "cases": len(theme.cases)}
    title = theme.title(lang)
    topic = title[:1].lower() + title[1:]
    items = []
    for step in STEPS:
        label = f"{step.number} {t(f'steps.{step.key}', lang)}"
        count = counts.get(step.key, 0)
        hint = t(f"steps.{step.key}_hint", lang, count=count, number=number_word(count, lang), topic=topic)
        attrs = ' aria-current="page" class="dol-current"' if step.number == current else ""
        items.append(
            f'<li{attrs}>{step_anchor(step.key, lang, esc(label))}'
            f'<span class="dol-hint"> \u2013 {esc(hint)}</span></li>'
        )
    return f'<nav aria-label="{esc(t("steps.nav", lang))}"><ol class="dol-steps">{"".join(items)}</ol></nav>'


def next_step_html(current: int, lang: Lang) -> str:
    """The link at the bottom of a step: to the next step, or back to the start after the last."""
    following = [s for s in STEPS if s.number == current + 1]
    if following:
        step = following[0]
        label = t("steps.next", lang, step=f"{step.number} {t(f'steps.{step.key}', lang)}")
        return f'<p class="dol-next">{step_anchor(step.key, lang, esc(label) + " →")}</p>'
    return f'<p class="dol-next">{step_anchor(START, lang, esc(t("steps.back_to_start", lang)))}</p>'


def config_path() -> Path | None:
    """The workshop configuration the server was started with (DOL_WORKSHOP_CONFIG), if any."""
    return from_server().config
