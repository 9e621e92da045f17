"""Pieces every app shares: the page style, the language switch and safe error reporting."""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from dol_toolkit.apps._html import Markup, render
from dol_toolkit.errors import error_text
from dol_toolkit.i18n import LANGUAGE_NAMES, LANGUAGES, Lang, number_word, t
from dol_toolkit.pages.css import CSS as CSS  # the page style, re-exported for the apps
from dol_toolkit.runtime import from_server
from dol_toolkit.steps import REGISTRY, START
from dol_toolkit.themes import Theme

log = logging.getLogger("dol_toolkit.apps")


def _no_null_tooltip(widget: widgets.Widget) -> None:
    """ipywidgets 8 writes a widget's missing tooltip (None) into its label's ``title`` as the text "null": a
    "null" that the mouse shows on hover and a screen reader may read out. A widget made in the kernel gets the
    empty text instead (``title=""``, which nothing shows or reads). Called as each widget is made, before it is
    sent to the browser (ipywidgets' ``on_widget_constructed`` hook), so it costs no message."""
    if isinstance(widget, widgets.DOMWidget) and widget.tooltip is None:
        widget.tooltip = ""


widgets.Widget.on_widget_constructed(_no_null_tooltip)


SENT_ON_LEAVING = "dol-model-"


def sent_on_leaving(box: widgets.Text | widgets.Textarea) -> None:
    """Mark a text box whose last keystrokes must reach the kernel when the page is left.

    ipywidgets' browser side sends one update of a box at a time and keeps the newest value back until the
    kernel has answered the previous one; a tab closed or reloaded meanwhile would take those last words with
    it. The page's script (the ``dol`` template) sends the value of every box marked so, typed in since it was
    last sent, straight over the box's comm before the page goes (the class names the box's model)."""
    box.add_class(SENT_ON_LEAVING + box.model_id)


def sent_before_submit(box: widgets.Text | widgets.Password) -> None:
    """Mark a box whose value must reach the kernel before the Enter or the button click that submits it.

    ipywidgets sends a box's newest value only after the kernel has answered its previous update, but Enter's
    "submit" and a button's click go at once: a code typed fast and submitted on a busy page reached the kernel
    cut short and counted as a wrong code. The page's script sends the box's value straight over its comm, in
    order, the moment Enter is pressed in it or its row's submit button is clicked (the class names the model)."""
    box.add_class(SENT_ON_LEAVING + box.model_id)


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


def page_frame(switch: widgets.ToggleButtons, parts: list[widgets.Widget], layout: widgets.Layout) -> widgets.VBox:
    """An app's page: its header (the language switch) above its main part (``parts``). The page template makes
    them the page's ``banner`` and ``main`` landmarks (WCAG 1.3.1); the steps' list is a ``nav`` in the main part.
    The header and the main part are siblings: a banner inside ``main`` would not be the page's banner."""
    main = widgets.VBox(parts, layout=widgets.Layout(width="100%"))
    main.add_class("dol-main")
    return widgets.VBox([switch, main], layout=layout)


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
            errors.value = alert_html(t("app.error", lang(), message=error_text(exc, lang())))
        else:
            errors.value = ""

    return wrapper




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
    return from_server().config
