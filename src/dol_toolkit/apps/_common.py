"""Pieces every app shares: the page style, the language switch and safe error reporting."""

from __future__ import annotations

import html
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from dol_toolkit.errors import error_text
from dol_toolkit.i18n import LANGUAGE_NAMES, LANGUAGES, Lang, number_word, t
from dol_toolkit.themes import Theme

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
.dol-page ol.dol-steps { padding-left: 0; list-style: none; }
.dol-page ol.dol-steps li { font-size: 1.15em; margin: 0.35em 0; padding: 0.45em 0.8em; border-left: 6px solid #0b3d62;
  background: #f1f5f9; }
.dol-page ol.dol-steps li.dol-current { background: #dbe7f3; }
.dol-page ol.dol-steps a, .dol-page .dol-next a { color: #0b3d62; font-weight: bold; }
.dol-page .dol-hint { color: #333; }
.dol-page .dol-next { font-size: 1.15em; margin-top: 1.5em; }
.dol-page .dol-read { font-size: 16px; color: #222; margin: 0.3em 0 1.2em; }
.dol-page .dol-loading { font-size: 18px; color: #0b3d62; padding: 0.6em 0; }
.dol-page .dol-notice { font-size: 18px; background: #fff7e0; border-left: 6px solid #8a6d00; padding: 0.6em 1em; }
.dol-page figure.dol-chart { margin: 0.5em 0; }
.dol-page table.dol-table { border-collapse: collapse; font-size: 17px; }
.dol-page table.dol-table th, .dol-page table.dol-table td { padding: 0.3em 0.9em; border-bottom: 1px solid #bbb;
  text-align: right; }
.dol-page table.dol-table th[scope="row"], .dol-page table.dol-table thead th:first-child { text-align: left; }
.dol-page .dol-questions { background: #f1f5f9; padding: 0.5em 1em; border-left: 6px solid #0b3d62; }
.dol-page .dol-questions li { font-size: 1.05em; margin: 0.5em 0; }
.dol-page .dol-columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(16em, 1fr)); gap: 0 1.5em; }
.dol-page figure.dol-chart img { display: block; max-width: 100%; height: auto; }
.dol-page .dol-muted { color: #555; font-style: italic; }
.dol-page table.dol-table thead th { background: #dbe7f3; color: #0b3d62; }
.dol-page section[data-section="my_gaps"] { display: grid; grid-template-columns: repeat(auto-fit, minmax(16em, 1fr));
  gap: 0 1.5em; }
.dol-page section[data-section="my_gaps"] > h2, .dol-page section[data-section="my_gaps"] > p { grid-column: 1 / -1; }
/* Below a laptop's width the questions go under the results, so that the charts keep their size. */
@media (max-width: 1100px) { .dol-results-grid { grid-template-columns: minmax(0, 1fr) !important; } }
.widget-label, .widget-toggle-button, .widget-dropdown select, .widget-password input, .widget-button
  { font-size: 16px !important; }
.dol-results .widget-toggle-button, .dol-results .widget-button { height: 38px; }
.dol-note-editor .widget-label { position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; }
.dol-note-editor textarea { font-size: 17px !important; line-height: 1.4; font-family: inherit !important;
  box-sizing: border-box; }
.dol-focus .widget-label-basic, .dol-focus label { font-size: 17px !important; }
.dol-focus { margin: 0.15em 0; }
.dol-action input, .dol-action select { font-size: 16px !important; }
.widget-button, .widget-toggle-button { font-family: inherit !important; }
.dol-code input { min-width: 11em; font-size: 17px !important; letter-spacing: 0.08em; }
.dol-action { border-left: 4px solid #0b3d62; background: #f8fafc; padding: 0.3em 0.5em; margin: 0.3em 0;
  gap: 0.3em; }
.dol-note-status { font-size: 15px; color: #1d5c2e; min-height: 1.4em; }
.dol-note-status .dol-save-pending { color: #555; }
.dol-note-status .dol-save-warning { color: #8a1c1c; font-weight: bold; }
.dol-card { border-left: 6px solid #0b3d62; background: #f8fafc; padding: 0.2em 1em 0.8em; margin: 0.8em 0; }
.dol-error { font-size: 18px; color: #8a1c1c; background: #fdecea; padding: 0.6em 1em; border-left: 5px solid #8a1c1c; }
</style>
"""


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
CONFIG_ENV = "DOL_WORKSHOP_CONFIG"


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
    value = os.environ.get(CONFIG_ENV)
    return Path(value) if value else None
