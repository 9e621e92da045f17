"""Steps 2-4 of the workshop as pages to work from: the reflection questions, the two cases and the basis for
the action plan. (Notes that are kept, the cases' results and the action plan's form are the notes store's
work; these pages show the theme's content for each step.)"""

from __future__ import annotations

import ipywidgets as widgets

from dol_toolkit.apps._common import (
    CSS,
    error_box,
    esc,
    guarded,
    language_switch,
    next_step_html,
    steps_html,
    visit_language,
)
from dol_toolkit.i18n import Lang, as_lang, t
from dol_toolkit.themes import Theme, load_theme


def _reflection(theme: Theme, lang: Lang) -> str:
    parts = [f"<p>{esc(theme.guidance.reflection_intro(lang))}</p>", '<ol class="dol-questions-list">']
    for q in theme.reflection_questions:
        subs = "".join(f"<li>{esc(s.text(lang))}</li>" for s in q.sub_questions)
        parts.append(f'<li data-question="{esc(q.id)}"><h3>{esc(q.title(lang))}</h3><ul>{subs}</ul></li>')
    parts.append("</ol>")
    return "".join(parts)


def _cases(theme: Theme, lang: Lang) -> str:
    parts = []
    for case in theme.cases:
        touched = ", ".join(theme.item(i).short(lang) for i in case.items)
        prompts = "".join(f"<li>{esc(p.text(lang))}</li>" for p in case.prompts)
        parts.append(
            f'<section data-case="{esc(case.id)}"><h2>{esc(case.title(lang))}</h2><p>{esc(case.text(lang))}</p>'
            f'<h3>{esc(t("steps_page.prompts", lang))}</h3><ol>{prompts}</ol>'
            f'<p class="dol-read">{esc(t("steps_page.touches", lang, items=touched))}</p></section>'
        )
    return "".join(parts)


def _action_plan(theme: Theme, lang: Lang) -> str:
    items = "".join(f"<li><strong>{esc(i.short(lang))}</strong>: {esc(i.wording.employee(lang))}</li>"
                    for i in theme.items)
    return (f"<h2>{esc(theme.guidance.heading(lang))}</h2><p>{esc(theme.guidance.text(lang))}</p>"
            f"<h2>{esc(t('steps_page.choose_focus', lang))}</h2><ol>{items}</ol>"
            f"<p>{esc(t('steps_page.plan_help', lang))}</p>")


_PAGES = {2: ("reflection", _reflection), 3: ("cases", _cases), 4: ("action_plan", _action_plan)}


class StepPage:
    """One step's page with the language switch; ``widget`` is what the notebook displays."""

    def __init__(self, step: int, theme: Theme | None = None, lang: str | None = None) -> None:
        if step not in _PAGES:
            raise ValueError(f"no page for step {step}; steps with a page: {sorted(_PAGES)}")
        self.step = step
        self.theme = theme or load_theme()
        self.errors = error_box()
        self.switch = language_switch(as_lang(lang) if lang else visit_language())
        self.content = widgets.HTML(layout=widgets.Layout(width="100%"))
        self.widget = widgets.VBox([self.switch, self.errors, self.content],
                                   layout=widgets.Layout(padding="0 1.5em", width="100%"))
        self.widget.add_class(f"dol-step-{step}")
        self.switch.observe(guarded(lambda change: self.render(), self.errors, lambda: self.lang), names="value")
        self.render()

    @property
    def lang(self) -> Lang:
        return as_lang(self.switch.value)

    def render(self) -> None:
        lang = self.lang
        key, body = _PAGES[self.step]
        self.switch.description = t("app.language", lang)
        self.content.value = (
            f'{CSS}<div class="dol-page"><div class="dol-kicker">{esc(self.theme.title(lang))}</div>'
            f'<h1>{self.step} {esc(t(f"steps.{key}", lang))}</h1>{body(self.theme, lang)}'
            f"{next_step_html(self.step, lang)}{steps_html(lang, self.step)}</div>"
        )


def step_app(step: int, lang: str | None = None) -> widgets.VBox:
    """Build the page of workshop step 2, 3 or 4 and return its widget."""
    return StepPage(step, lang=lang).widget
