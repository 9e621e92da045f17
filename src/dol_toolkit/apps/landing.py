"""The landing page: the workshop's steps, then what the theme is, its items, the reflection questions and
the cases."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from dol_toolkit.apps._common import CSS, error_box, guarded, language_switch, page_frame, steps_html
from dol_toolkit.apps._html import Markup, render
from dol_toolkit.apps._visit import on_visit
from dol_toolkit.i18n import Lang, as_lang, number_word, t
from dol_toolkit.runtime import from_server
from dol_toolkit.themes import Theme, load_theme, theme_words


def _in(lang: Lang) -> Callable[..., str]:
    """``t`` in one language, for a template: ``t("key", name=value)``."""

    def translate(key: str, **values: object) -> str:
        return t(key, lang, **values)

    return translate


def preparation_html(lang: Lang) -> str:
    """The preparation (step 0), under a heading of its own after the participants' four steps, where the server
    offers it: on the facilitator's own machine, never with --lan (``DOL_PREPARATION=1``, set by the server)."""
    if not from_server().preparation:
        return ""
    return str(render("preparation_step.html", lang=lang, t=_in(lang)))


def render_theme_html(theme: Theme, lang: Lang) -> str:
    """The theme as one HTML fragment in ``lang``; every text is escaped."""
    scale = ", ".join(f"{p.value} {p.label(lang)}" for p in theme.scale.points)
    other = ", ".join(n.label(lang) for n in theme.scale.non_substantive)
    cases = number_word(len(theme.cases), lang)
    return str(render(
        "landing.html", theme=theme, lang=lang, t=_in(lang), css=Markup(CSS),
        preparation=Markup(preparation_html(lang)), steps=Markup(steps_html(theme, lang)), scale=scale,
        other=other, items_heading=t("landing.items_heading", lang, **theme_words(theme, lang)),
        cases_heading=t("landing.cases_heading", lang, count=len(theme.cases), Number=cases[:1].upper() + cases[1:]),
    ))


class LandingApp:
    """The landing page widget with its language switch. ``widget`` is what a notebook displays."""

    def __init__(self, theme: Theme | None = None, lang: str | None = None) -> None:
        self.theme = theme or load_theme()
        self.errors = error_box()
        self.switch = language_switch(as_lang(lang))
        self.content = widgets.HTML(layout=widgets.Layout(width="100%"))
        self.widget = page_frame(
            self.switch, [self.errors, self.content],
            layout=widgets.Layout(padding="0 1.5em", width="100%"),
        )
        self.widget.add_class("dol-landing")
        self.switch.observe(guarded(self._on_lang, self.errors, lambda: self.lang), names="value")
        self.render()

    @property
    def lang(self) -> Lang:
        return as_lang(self.switch.value)

    def _on_lang(self, change: dict[str, object]) -> None:
        self.render()

    def preview_html(self, lang: Lang) -> str:
        """The page as static HTML: what shows before its widgets are up."""
        return str(render("landing_preview.html", page=Markup(render_theme_html(self.theme, lang))))

    def render(self) -> None:
        lang = self.lang
        self.switch.description = t("app.language", lang)
        self.content.value = render_theme_html(self.theme, lang)


def landing_app(lang: str | None = None, theme: Theme | None = None) -> widgets.VBox:
    """Build the landing page and return its widget (language: ``lang``, else the visit's ``?lang=``)."""
    app = LandingApp(theme=theme, lang=lang)
    if lang is None:
        on_visit(lambda query: setattr(app.switch, "value", as_lang(query.get("lang"))))
    return app.widget
