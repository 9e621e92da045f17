"""Steps 2 and 3: the reflection questions and the cases, each with the group's note and, after a leader's
personal code, that leader's private note. Notes save themselves (:mod:`.note_editor`)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from dol_toolkit.apps._common import CSS, error_box, footer_html, guarded, language_switch, page_frame, step_label
from dol_toolkit.apps._html import Markup, render
from dol_toolkit.apps._page import PageModel
from dol_toolkit.apps._timers import NotePoller
from dol_toolkit.apps.note_editor import NoteEditor
from dol_toolkit.apps.personal import CodeGate
from dol_toolkit.i18n import Lang, as_lang, t
from dol_toolkit.notes import NoteKey, NoteStore
from dol_toolkit.notes.topics import case_topic, reflection_topic
from dol_toolkit.pages.cache import WorkshopContent
from dol_toolkit.steps import REGISTRY
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

    step_key: str = ""  # the step's name (dol_toolkit.steps)

    def __init__(self, config: WorkshopConfig, store: NoteStore, lang: str | None = None,
                 theme: Theme | None = None, page: PageModel | None = None) -> None:
        self.config, self.store = config, store
        self.step = REGISTRY.number(self.step_key)  # its number in the workshop
        self.page = page
        self.theme = theme or load_theme(config.theme)
        self.workshop = workshop_id(config)
        self.author = uuid.uuid4().hex[:8]
        self.errors = error_box()
        self.switch = language_switch(as_lang(lang) if lang else config.language)
        self.header = widgets.HTML()
        self.intro = widgets.HTML()
        self.gate = CodeGate(config, lambda: self.lang, open_key="notes.private_open",
                             close_key="notes.private_close", on_open=self._open_private,
                             on_close=self._close_private, page=page)
        self.gate_intro = widgets.HTML()
        self.topics = [self._topic(tid) for tid in self.topic_ids()]
        self.footer = widgets.HTML()
        self.widget = page_frame(
            self.switch,
            [self.header, self.errors, self.intro, *[x.widget for x in self.topics],
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
                            author=self.author, placeholder=t("notes.group_placeholder", self.lang),
                            page=self.page)
        return _Topic(topic, widgets.HTML(), editor)

    def _open_private(self, leader: str) -> None:
        for item in self.topics:
            key = NoteKey(self.workshop, self.note_topic(item.topic), "private", leader)
            name = self.topic_name(item.topic, self.lang)
            item.private = NoteEditor(self.store, key, t("notes.private_label", self.lang, topic=name),
                                      lambda: self.lang, author=self.author,
                                      placeholder=t("notes.private_placeholder", self.lang),
                                      on_activity=self.gate.touch, page=self.page)
            heading = widgets.HTML(_part(h3=t("notes.private_heading", self.lang)))
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
        who = t("notes.private_for", lang, leader=leader) if leader else ""
        if leader:  # names the leader: hidden the moment "close" is clicked
            self.header.add_class("dol-personal")
        self.header.value = str(render("step_header.html", css=Markup(CSS), kicker=self.theme.title(lang),
                                       heading=step_label(self.step_key, lang), read=who))
        if not leader:
            self.header.remove_class("dol-personal")
        self.intro.value = _part(html=Markup(self.intro_html(lang)))
        for item in self.topics:
            name = self.topic_name(item.topic, lang)
            item.html.value = _part(card=True, html=Markup(self.topic_html(item.topic, lang)))
            item.group.set_label(t("notes.group_label", lang, topic=name), t("notes.group_placeholder", lang))
            if item.private is not None:
                item.private.set_label(t("notes.private_label", lang, topic=name),
                                       t("notes.private_placeholder", lang))
        self.gate_intro.value = "" if leader else _part(p=t("notes.private_intro", lang))
        self.gate.relabel()
        self.footer.value = footer_html(self.theme, self.step_key, lang)


def _part(**values: Any) -> str:
    """A part of the page: headings, a paragraph, HTML made here (see templates/page_part.html)."""
    return str(render("page_part.html", **values))


def _close_all(widget: Any) -> None:
    for child in getattr(widget, "children", ()):
        _close_all(child)
    widget.close()


class ReflectionApp(DiscussionApp):
    step_key = "reflection"

    def topic_ids(self) -> list[str]:
        return [q.id for q in self.theme.reflection_questions]

    def _question(self, topic: str) -> Any:
        return next(q for q in self.theme.reflection_questions if q.id == topic)

    def topic_name(self, topic: str, lang: Lang) -> str:
        return str(self._question(topic).title(lang))

    def note_topic(self, topic: str) -> str:
        return reflection_topic(topic)

    def intro_html(self, lang: Lang) -> str:
        return str(render("page_part.html", p=self.theme.guidance.reflection_intro(lang)))

    def topic_html(self, topic: str, lang: Lang) -> str:
        return str(render("reflection_question.html", q=self._question(topic), lang=lang,
                          number=self.topic_ids().index(topic) + 1))


class CasesApp(DiscussionApp):
    step_key = "cases"

    def __init__(self, config: WorkshopConfig, store: NoteStore, lang: str | None = None,
                 theme: Theme | None = None, content: WorkshopContent | None = None,
                 page: PageModel | None = None) -> None:
        self.content = content
        super().__init__(config, store, lang, theme, page)

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
        return str(render("case.html", case=case, lang=lang, prompts_heading=t("steps_page.prompts", lang),
                          results=Markup(self._results(case.items, lang))))

    def _results(self, items: tuple[str, ...], lang: Lang) -> str:
        if self.content is None:
            return ""
        return item_results_html(self.content, items, self.theme, lang,
                                 t("notes.group_results", lang, wave=self.content.figures_wave or ""))


def item_results_html(content: WorkshopContent, items: tuple[str, ...] | list[str], theme: Theme, lang: Lang,
                      heading: str) -> str:
    """The group's employee mean and share agreeing for some items, from the workshop's shared content
    (anonymity applied by the statistics: an item they hide says so)."""
    rows = [{"label": theme.item(item).short(lang), "figures": content.item_figures[lang].get(item)}
            for item in items]
    return str(render("item_results.html", heading=heading, rows=rows, hidden=t("results.hidden", lang),
                      col_item=t("results.item", lang), col_mean=t("notes.mean", lang),
                      col_agree=t("notes.agree_share", lang)))

