"""The landing page: the workshop's steps, then what the theme is, its items, the reflection questions and
the cases."""

from __future__ import annotations

import ipywidgets as widgets

from dol_toolkit.apps._common import CSS, error_box, esc, guarded, language_switch, steps_html
from dol_toolkit.apps._visit import on_visit
from dol_toolkit.i18n import Lang, as_lang, number_word, t
from dol_toolkit.runtime import from_server
from dol_toolkit.themes import Theme, load_theme, theme_words


def preparation_html(lang: Lang) -> str:
    """The preparation (step 0), first, where the server offers it: on the facilitator's own machine, never
    with --lan (``DOL_PREPARATION=1``, set by the server)."""
    if not from_server().preparation:
        return ""
    link = f'<a href="preparation.ipynb?lang={lang}" data-dol-preparation>{esc(t("prep.step", lang))}</a>'
    return (f'<ol class="dol-steps dol-preparation-step"><li>{link}'
            f'<span class="dol-hint"> \u2013 {esc(t("prep.step_hint", lang))}</span></li></ol>')


def render_theme_html(theme: Theme, lang: Lang) -> str:
    """The theme as one HTML fragment in ``lang``; every text is escaped."""
    scale = ", ".join(f"{p.value} {p.label(lang)}" for p in theme.scale.points)
    other = ", ".join(n.label(lang) for n in theme.scale.non_substantive)
    items_heading = t("landing.items_heading", lang, **theme_words(theme, lang))
    cases = number_word(len(theme.cases), lang)
    cases_heading = t("landing.cases_heading", lang, count=len(theme.cases), Number=cases[:1].upper() + cases[1:])
    parts = [
        CSS,
        '<div class="dol-page">',
        f'<div class="dol-kicker">{esc(t("landing.kicker", lang))}</div>',
        f"<h1>{esc(theme.title(lang))}</h1>",
        f"<h2>{esc(t('steps.heading', lang))}</h2>",
        preparation_html(lang),
        steps_html(theme, lang),
        f"<h2>{esc(t('landing.what_is_it', lang))}</h2><p>{esc(theme.what_is_it(lang))}</p>",
        f"<h2>{esc(t('landing.why_it_matters', lang))}</h2><p>{esc(theme.why_it_matters(lang))}</p>",
        f"<h2>{esc(items_heading)}</h2><p>{esc(theme.how_we_ask(lang))}</p>",
        f'<p class="dol-intro">{esc(theme.respondent_intro(lang))}</p>',
        f'<p class="dol-intro">{esc(theme.question_stem(lang))}</p>',
        '<ol class="dol-items">',
        *(f'<li data-item="{esc(i.id)}">{esc(i.wording.employee(lang))}</li>' for i in theme.items),
        "</ol>",
        f'<p class="dol-note">{esc(t("landing.scale_note", lang, scale=scale, other=other))}</p>',
        f"<h2>{esc(t('landing.reflection_heading', lang))}</h2>",
        f"<p>{esc(theme.guidance.reflection_intro(lang))}</p><ol>",
        *(
            f'<li data-question="{esc(q.id)}"><strong>{esc(q.title(lang))}.</strong> {esc(q.text(lang))}</li>'
            for q in theme.reflection_questions
        ),
        "</ol>",
        f"<h2>{esc(cases_heading)}</h2><ol>",
        *(f'<li data-case="{esc(c.id)}">{esc(c.title(lang))}</li>' for c in theme.cases),
        "</ol>",
        "</div>",
    ]
    return "\n".join(parts)


class LandingApp:
    """The landing page widget with its language switch. ``widget`` is what a notebook displays."""

    def __init__(self, theme: Theme | None = None, lang: str | None = None) -> None:
        self.theme = theme or load_theme()
        self.errors = error_box()
        self.switch = language_switch(as_lang(lang))
        self.content = widgets.HTML(layout=widgets.Layout(width="100%"))
        self.widget = widgets.VBox(
            [self.switch, self.errors, self.content],
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
        return f'<div class="dol-preview-spacer" style="height:66px"></div>{render_theme_html(self.theme, lang)}'

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
