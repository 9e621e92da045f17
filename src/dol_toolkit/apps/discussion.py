"""Steps 2 and 3: the reflection questions and the cases, each with the group's note and, after a leader's
personal code, that leader's private note. Notes save themselves (:mod:`.note_editor`)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from dol_toolkit.apps._common import (
    CSS,
    error_box,
    esc,
    guarded,
    language_switch,
    next_step_html,
    steps_html,
)
from dol_toolkit.apps._launch import launch
from dol_toolkit.apps.note_editor import NoteEditor, NotePoller
from dol_toolkit.apps.personal import CodeGate
from dol_toolkit.i18n import Lang, as_lang, t
from dol_toolkit.notes import NoteKey, NoteStore, open_store
from dol_toolkit.notes.topics import case_topic, reflection_topic
from dol_toolkit.pages.cache import WorkshopContent, load_content
from dol_toolkit.themes import Theme, load_theme
from dol_toolkit.workshop import WorkshopConfig, workshop_id

log = logging.getLogger("dol_toolkit.apps.discussion")


class _Topic:
    """One question or case: its text, the group's editor and a place for a private editor."""

    def __init__(self, topic: str, html: widgets.HTML, group: NoteEditor) -> None:
        self.topic, self.html, self.group = topic, html, group
        self.private: NoteEditor | None = None
        self.private_box = widgets.VBox()
        self.widget = widgets.VBox([html, group.widget, self.private_box], layout=widgets.Layout(width="100%"))
        self.widget.add_class("dol-topic")


class DiscussionApp:
    """The page of step 2 (reflection) or 3 (cases); ``widget`` is what the notebook displays."""

    step: int = 0
    step_key: str = ""

    def __init__(self, config: WorkshopConfig, store: NoteStore, lang: str | None = None,
                 theme: Theme | None = None) -> None:
        self.config, self.store = config, store
        self.theme = theme or load_theme(config.theme)
        self.workshop = workshop_id(config)
        self.author = uuid.uuid4().hex[:8]
        self.errors = error_box()
        self.switch = language_switch(as_lang(lang) if lang else config.language)
        self.header = widgets.HTML()
        self.intro = widgets.HTML()
        self.gate = CodeGate(config, lambda: self.lang, open_key="notes.private_open",
                             close_key="notes.private_close", on_open=self._open_private,
                             on_close=self._close_private)
        self.gate_intro = widgets.HTML()
        self.topics = [self._topic(tid) for tid in self.topic_ids()]
        self.footer = widgets.HTML()
        self.widget = widgets.VBox(
            [self.switch, self.header, self.errors, self.intro, *[x.widget for x in self.topics],
             widgets.HTML(f"{CSS}<hr>"), self.gate_intro, self.gate.widget, self.footer],
            layout=widgets.Layout(padding="0 1.5em", width="100%", max_width="70em"),
        )
        self.widget.add_class(f"dol-step-{self.step}")
        self.switch.observe(self._guard(lambda change: self.render()), names="value")
        self.gate.open_button.on_click(self._guard(self.gate.try_open))
        self.gate.close_button.on_click(self._guard(self.gate.close))
        self.poller = NotePoller(self.refresh)
        self.render()
        self.poller.start()

    # -- what a page is about (subclasses) ------------------------------------------------------------------
    def topic_ids(self) -> list[str]:
        raise NotImplementedError

    def topic_name(self, topic: str, lang: Lang) -> str:
        raise NotImplementedError

    def topic_html(self, topic: str, lang: Lang) -> str:
        raise NotImplementedError

    def note_topic(self, topic: str) -> str:
        raise NotImplementedError

    def intro_html(self, lang: Lang) -> str:
        return ""

    # -- wiring ---------------------------------------------------------------------------------------------
    @property
    def lang(self) -> Lang:
        return as_lang(self.switch.value)

    def _guard(self, callback: Callable[..., None]) -> Callable[..., None]:
        return guarded(callback, self.errors, lambda: self.lang)

    def editors(self) -> list[NoteEditor]:
        found = [x.group for x in self.topics]
        return found + [x.private for x in self.topics if x.private is not None]

    def _topic(self, topic: str) -> _Topic:
        key = NoteKey(self.workshop, self.note_topic(topic))
        name = self.topic_name(topic, self.lang)
        editor = NoteEditor(self.store, key, t("notes.group_label", self.lang, topic=name), lambda: self.lang,
                            author=self.author, placeholder=t("notes.group_placeholder", self.lang))
        return _Topic(topic, widgets.HTML(), editor)

    def _open_private(self, leader: str) -> None:
        for item in self.topics:
            key = NoteKey(self.workshop, self.note_topic(item.topic), "private", leader)
            name = self.topic_name(item.topic, self.lang)
            item.private = NoteEditor(self.store, key, t("notes.private_label", self.lang, topic=name),
                                      lambda: self.lang, author=self.author,
                                      placeholder=t("notes.private_placeholder", self.lang),
                                      on_activity=self.gate.touch)
            heading = widgets.HTML(f'<div class="dol-page"><h3>{esc(t("notes.private_heading", self.lang))}'
                                   f"</h3></div>")
            item.private_box.add_class("dol-personal")  # the page hides it the moment "close" is clicked
            item.private_box.children = [heading, item.private.widget]
        self.render()

    def _close_private(self) -> None:
        for item in self.topics:
            old = item.private_box.children
            if item.private is not None:
                item.private.flush()  # keep what was typed
            item.private = None
            item.private_box.children = []
            item.private_box.remove_class("dol-personal")
            for part in old:  # closed, not hidden: gone from the kernel and the browser
                _close_all(part)
        self.render()

    def refresh(self) -> None:
        """Bring other people's saves into editors without unsaved typing."""
        for editor in self.editors():
            editor.refresh()

    def reload(self) -> None:
        """Show the notes as stored now (called when the visit starts: a preheated page was built earlier)."""
        for editor in self.editors():
            editor.reload()

    def render(self) -> None:
        lang = self.lang
        self.switch.description = t("app.language", lang)
        leader = self.gate.leader
        kicker = esc(self.theme.title(lang))
        heading = f"{self.step} {esc(t(f'steps.{self.step_key}', lang))}"
        who = f'<p class="dol-read">{esc(t("notes.private_for", lang, leader=leader))}</p>' if leader else ""
        if leader:  # names the leader: hidden the moment "close" is clicked
            self.header.add_class("dol-personal")
        self.header.value = f'{CSS}<div class="dol-page"><div class="dol-kicker">{kicker}</div><h1>{heading}</h1>' \
                            f"{who}</div>"
        if not leader:
            self.header.remove_class("dol-personal")
        self.intro.value = f'<div class="dol-page">{self.intro_html(lang)}</div>'
        for item in self.topics:
            name = self.topic_name(item.topic, lang)
            item.html.value = f'<div class="dol-page dol-card">{self.topic_html(item.topic, lang)}</div>'
            item.group.set_label(t("notes.group_label", lang, topic=name), t("notes.group_placeholder", lang))
            if item.private is not None:
                item.private.set_label(t("notes.private_label", lang, topic=name),
                                       t("notes.private_placeholder", lang))
        self.gate_intro.value = "" if leader else f'<div class="dol-page"><p>{esc(t("notes.private_intro", lang))}' \
                                                  f"</p></div>"
        self.gate.relabel()
        self.footer.value = (f'<div class="dol-page">{next_step_html(self.step, lang)}'
                             f'{steps_html(self.theme, lang, self.step)}</div>')


def _close_all(widget: Any) -> None:
    for child in getattr(widget, "children", ()):
        _close_all(child)
    widget.close()


class ReflectionApp(DiscussionApp):
    step, step_key = 2, "reflection"

    def topic_ids(self) -> list[str]:
        return [q.id for q in self.theme.reflection_questions]

    def _question(self, topic: str) -> Any:
        return next(q for q in self.theme.reflection_questions if q.id == topic)

    def topic_name(self, topic: str, lang: Lang) -> str:
        return str(self._question(topic).title(lang))

    def note_topic(self, topic: str) -> str:
        return reflection_topic(topic)

    def intro_html(self, lang: Lang) -> str:
        return f"<p>{esc(self.theme.guidance.reflection_intro(lang))}</p>"

    def topic_html(self, topic: str, lang: Lang) -> str:
        q = self._question(topic)
        number = self.topic_ids().index(topic) + 1
        subs = "".join(f"<li>{esc(s.text(lang))}</li>" for s in q.sub_questions)
        return f'<h2 data-question="{esc(q.id)}">{number}. {esc(q.title(lang))}</h2><ul>{subs}</ul>'


class CasesApp(DiscussionApp):
    step, step_key = 3, "cases"

    def __init__(self, config: WorkshopConfig, store: NoteStore, lang: str | None = None,
                 theme: Theme | None = None, content: WorkshopContent | None = None) -> None:
        self.content = content
        super().__init__(config, store, lang, theme)

    def topic_ids(self) -> list[str]:
        return [c.id for c in self.theme.cases]

    def _case(self, topic: str) -> Any:
        return next(c for c in self.theme.cases if c.id == topic)

    def topic_name(self, topic: str, lang: Lang) -> str:
        return str(self._case(topic).title(lang))

    def note_topic(self, topic: str) -> str:
        return case_topic(topic)

    def topic_html(self, topic: str, lang: Lang) -> str:
        case = self._case(topic)
        prompts = "".join(f"<li>{esc(p.text(lang))}</li>" for p in case.prompts)
        return (f'<h2 data-case="{esc(case.id)}">{esc(case.title(lang))}</h2><p>{esc(case.text(lang))}</p>'
                f'<h3>{esc(t("steps_page.prompts", lang))}</h3><ol>{prompts}</ol>{self._results(case.items, lang)}')

    def _results(self, items: tuple[str, ...], lang: Lang) -> str:
        if self.content is None:
            return ""
        return item_results_html(self.content, items, self.theme, lang,
                                 t("notes.group_results", lang, wave=self.content.figures_wave or ""))


def item_results_html(content: WorkshopContent, items: tuple[str, ...] | list[str], theme: Theme, lang: Lang,
                      heading: str) -> str:
    """The group's employee mean and share agreeing for some items, from the workshop's shared content
    (anonymity applied by the statistics: an item they hide says so)."""
    rows = []
    for item in items:
        figures = content.item_figures[lang].get(item)
        label = esc(theme.item(item).short(lang))
        if figures is None:
            hidden = esc(t("results.hidden", lang))
            rows.append(f'<tr><th scope="row">{label}</th><td colspan="2">{hidden}</td></tr>')
            continue
        rows.append(f'<tr><th scope="row">{label}</th><td>{esc(figures["mean"])}</td>'
                    f'<td>{esc(figures["agree"])}</td></tr>')
    head = (f'<tr><th scope="col">{esc(t("results.item", lang))}</th><th scope="col">{esc(t("notes.mean", lang))}'
            f'</th><th scope="col">{esc(t("notes.agree_share", lang))}</th></tr>')
    return (f"<h3>{esc(heading)}</h3>"
            f'<table class="dol-table"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>')


def reflection_app(config: str | None = None, lang: str | None = None) -> widgets.Widget:
    """Step 2: the reflection questions with the group's and private notes."""

    def build(cfg: WorkshopConfig, language: Lang) -> ReflectionApp:
        return ReflectionApp(cfg, open_store(cfg.notes_database), lang=language)

    return launch(build, config, lang, "reflection", after=lambda app: app.reload())


def cases_app(config: str | None = None, lang: str | None = None) -> widgets.Widget:
    """Step 3: the theme's cases with their prompts, the group's results on the items they touch, and notes."""

    def build(cfg: WorkshopConfig, language: Lang) -> CasesApp:
        return CasesApp(cfg, open_store(cfg.notes_database), lang=language, content=load_content(cfg))

    return launch(build, config, lang, "cases", after=lambda app: app.reload())
