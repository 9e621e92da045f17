"""Pieces every app shares: the page style, the language switch and safe error reporting."""

from __future__ import annotations

import html
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from dol_toolkit.apps._html import Markup, render
from dol_toolkit.i18n import LANGUAGE_NAMES, LANGUAGES, Lang, number_word, t
from dol_toolkit.steps import REGISTRY, START
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


def count_text(number: int, lang: Lang) -> str:
    """A count as the language writes it (100.000 in Danish, 100,000 in English)."""
    text = f"{number:,}"
    return text.replace(",", ".") if lang == "da" else text


def esc(text: str) -> str:
    """Escape text for an HTML widget: content is always shown literally."""
    return html.escape(text, quote=True)


def alert_html(text: str) -> str:
    """A message that something went wrong (read out by screen readers at once)."""
    return str(render("alert.html", text=text))


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
            errors.value = alert_html(t("app.error", lang(), message=str(exc)))
        else:
            errors.value = ""

    return wrapper


CONFIG_ENV = "DOL_WORKSHOP_CONFIG"


def step_href(key: str, lang: Lang) -> str:
    """The address of a step of the workshop page, relative to the page (the page switches it in place)."""
    return f"?step={key}&lang={lang}"


def step_anchor(key: str, lang: Lang, text: str) -> Markup:
    """A link to a step (``text`` is escaped unless it is Markup). In the page, the template's script switches
    the step without loading a page."""
    return render("step_link.html", href=step_href(key, lang), key=key, text=text)


def step_label(key: str, lang: Lang) -> str:
    """A step's number and name, "2 Reflection"."""
    step = REGISTRY.get(key)
    if step is None:
        return t("steps.start", lang)
    return f"{REGISTRY.number(key)} {t(step.title_key, lang)}"


def steps_html(theme: Theme, lang: Lang, current: str | None = None) -> str:
    """The workshop's steps in order, each a link; the current one (its name) marked. The hints count what the
    theme has for the step (its reflection questions, its cases)."""
    title = theme.title(lang)
    topic = title[:1].lower() + title[1:]
    items = []
    for step in REGISTRY.steps():
        count = len(getattr(theme, step.hint_count)) if step.hint_count else 0
        hint = t(step.hint_key, lang, count=count, number=number_word(count, lang), topic=topic)
        items.append({"current": step.key == current, "hint": hint,
                      "link": step_anchor(step.key, lang, step_label(step.key, lang))})
    return str(render("steps_nav.html", label=t("steps.nav", lang), items=items))


def next_step_html(current: str, lang: Lang) -> str:
    """The link at the bottom of a step: to the next step, or back to the start after the last."""
    keys = REGISTRY.places()
    following = keys[keys.index(current) + 1] if current in keys and keys.index(current) + 1 < len(keys) else None
    if following is not None:
        label = t("steps.next", lang, step=step_label(following, lang))
        link = step_anchor(following, lang, Markup(esc(label) + " →"))
    else:
        link = step_anchor(START, lang, t("steps.back_to_start", lang))
    return str(render("next_step.html", link=link))


def footer_html(theme: Theme, current: str, lang: Lang) -> str:
    """The bottom of a step: the link to the next step, then the workshop's steps with this one marked."""
    return str(render("page_part.html", html=Markup(next_step_html(current, lang) + steps_html(theme, lang, current))))


def config_path() -> Path | None:
    """The workshop configuration the server was started with (DOL_WORKSHOP_CONFIG), if any."""
    value = os.environ.get(CONFIG_ENV)
    return Path(value) if value else None
