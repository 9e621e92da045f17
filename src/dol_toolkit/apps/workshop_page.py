"""The whole workshop as one page: the start page and the steps (:mod:`dol_toolkit.steps`, each built by the
builder :mod:`dol_toolkit.apps._steps` registers for it), switched inside the page.

One participant is one page and one kernel, whichever steps they visit: a step is built the first time it is
shown and then kept (its notes keep saving, its view stays as it was left). The step is in the address
(``?step=reflection&lang=da``), so a reload, the browser's back button and a shared link land on the right step:
the page template's script turns a click on a step link into a change of the hidden route widget (no page load)
and writes the step the kernel shows back into the address.

What every participant sees alike comes from the workshop's shared content (:mod:`dol_toolkit.pages.cache`),
computed once per workshop; the kernel of a page reads it and draws nothing for the group itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from dol_toolkit.apps import _timers
from dol_toolkit.apps._common import CSS, alert_html
from dol_toolkit.apps._html import Markup, render
from dol_toolkit.apps._launch import START_ERRORS, App, error_page, workshop_config
from dol_toolkit.apps._page import PageModel
from dol_toolkit.apps._steps import BUILDERS
from dol_toolkit.apps._visit import Query, on_visit, parse_query
from dol_toolkit.apps.note_editor import page_texts_html, page_texts_widget
from dol_toolkit.errors import error_text
from dol_toolkit.i18n import LANGUAGES, Lang, as_lang, t
from dol_toolkit.notes import NoteStore, NoteStoreError, open_store
from dol_toolkit.pages.cache import WorkshopContent, load_content
from dol_toolkit.steps import REGISTRY, START
from dol_toolkit.themes import Theme, load_theme
from dol_toolkit.workshop import ConfigError, WorkshopConfig

log = logging.getLogger("dol_toolkit.apps.workshop")

# Built before anyone visits (with preheated kernels): the start page and the results, where a visit begins.
PREBUILT = (START, "results")
# The other steps are built this long after the visit, one every BUILD_AHEAD_GAP_SECONDS.
BUILD_AHEAD_SECONDS = 10.0
BUILD_AHEAD_GAP_SECONDS = 1.0


class _PageBox(widgets.VBox):  # type: ignore[misc]
    """The workshop page's widget. Its display also carries the page's first view as static HTML (the page
    template puts it on screen at once, while the browser loads the widget code, about a second here)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.preview = ""

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        data = super()._repr_mimebundle_(**kwargs)
        if not self.preview or not data:
            return data
        return {**data, "text/html": self.preview}, {"dol_preview": True}


class WorkshopApp:
    """The workshop page; ``widget`` is what the notebook displays. ``page`` is the page's state (language,
    step, the open personal view, what the page's script said): the widgets follow it."""

    def __init__(self, config: WorkshopConfig, content: WorkshopContent, lang: str | None = None,
                 theme: Theme | None = None, step: str | None = None,
                 prebuild: tuple[str, ...] = PREBUILT) -> None:
        self.config, self.content = config, content
        self.theme = theme or load_theme(config.theme)
        self.page = PageModel(lang=as_lang(lang or config.language))
        self._store: NoteStore | None = None
        self.apps: dict[str, App] = {}
        self.step_boxes: dict[str, widgets.Box] = {}
        self.route = widgets.Text(continuous_update=False, layout=widgets.Layout(display="none"))
        self.route.add_class("dol-route")
        self.route_state = widgets.HTML(layout=widgets.Layout(display="none"))
        self.route_state.add_class("dol-route-state")
        # Which note box has the keyboard focus (the page's script writes it): such a box is never replaced.
        self.focus = widgets.Text(continuous_update=False, layout=widgets.Layout(display="none"))
        self.focus.add_class("dol-focus-state")
        # What the page's script says on its own (the kernel gone, a paste too long), in the page's language.
        self.texts = page_texts_widget(self.lang)
        self.stage = widgets.Box(layout=widgets.Layout(width="100%", flex_flow="column"))
        self.widget = _PageBox([self.route, self.route_state, self.focus, self.texts, self.stage],
                               layout=widgets.Layout(width="100%"))
        self.widget.add_class("dol-app")
        self.widget.add_class("dol-workshop")
        for key in prebuild:
            self._box(key)
        self.page.observe(self._write_state, names=["lang", "step"])
        self.route.observe(self._on_route, names="value")
        self.focus.observe(self._on_focus, names="value")
        self.show(step or START)
        self.widget.preview = self.preview_html()

    @property
    def lang(self) -> Lang:
        return self.page.lang

    @property
    def step(self) -> str:
        """The step shown ("" before the first)."""
        return str(self.page.step)

    # -- steps --------------------------------------------------------------------------------------------------
    def store(self) -> NoteStore:
        if self._store is None:
            self._store = open_store(self.config.notes_database)
        return self._store

    def _box(self, key: str) -> widgets.Box:
        """The step's part of the page, built on first need (by the builder registered for it)."""
        if key not in self.step_boxes:
            try:
                app = BUILDERS[key](self)
            except (ConfigError, NoteStoreError, OSError) as exc:
                log.exception("step %s could not start", key)
                message = t("results.cannot_start", self.lang, reason=error_text(exc, self.lang))
                box = widgets.VBox([widgets.HTML(str(render("page_alert.html", css=Markup(CSS),
                                                            alert=Markup(alert_html(message)))))])
            else:
                self.apps[key] = app
                app.switch.observe(self._on_language, names="value")
                gate = getattr(app, "gate", None)
                if gate is not None:  # whose personal view is open on the page (a step built later changes nothing)
                    gate.observe(self._on_leader, names="leader")
                box = widgets.VBox([app.widget], layout=widgets.Layout(width="100%"))
            box.add_class(f"dol-step-{key}")
            self.step_boxes[key] = box
        return self.step_boxes[key]

    def show(self, key: str | None, lang: str | None = None) -> None:
        """Show a step (an unknown one: the start page) in a language (default: the page's)."""
        key = key if key in REGISTRY.places() and key in BUILDERS else START
        with self.page.hold_trait_notifications():  # the page's state is written once, after both changed
            if lang is not None:
                self.page.lang = as_lang(lang)
            box = self._box(key)
            app = self.apps.get(key)
            if app is not None and app.switch.value != self.page.lang:
                app.switch.value = self.page.lang
            if self.page.step != key:
                self._leave(self.page.step)
                self.page.step = key
                self.stage.children = [box]
        self._carry_leader(app)

    def _carry_leader(self, app: App | None) -> None:
        """One code per visit: a leader whose view is open on the page finds it open on every step they go to,
        without typing their code again."""
        gate = getattr(app, "gate", None)
        if gate is None:
            return
        if self.page.leader is not None:
            gate.open_for(self.page.leader)
        elif gate.leader is not None:  # cannot stay open when the page's view is closed
            gate.close()

    def preview_html(self) -> str:
        """The first view of each prebuilt step in each language, static; the page template shows the one the
        address asks for until the widgets are on screen. Only what every participant sees alike."""
        views: list[dict[str, str]] = []
        for key in self.step_boxes:
            app = self.apps.get(key)
            preview: Callable[[Lang], str] | None = getattr(app, "preview_html", None)
            if preview is None:
                continue
            views.extend({"step": key, "lang": lang, "html": Markup(preview(lang))} for lang in LANGUAGES)
        return str(render("preview.html", default_lang=self.config.language, default_step=START, views=views))

    def _leave(self, key: str) -> None:
        """Leaving a step keeps what is personal on it open for its leader (one code per visit); its idle close
        stops counting there. Closing on any step, leaving the page or the idle time closes it on every step."""
        gate = getattr(self.apps.get(key), "gate", None)
        if gate is not None and gate.leader is not None:
            gate.park()

    def _write_state(self, change: dict[str, Any] | None = None) -> None:
        lang, key = self.lang, self.step
        texts = page_texts_html(lang)
        if self.texts.value != texts:
            self.texts.value = texts
        step = REGISTRY.get(key)
        name = t(step.title_key, lang) if step is not None else ""
        title = f"{name} – {self.theme.title(lang)}" if name else self.theme.title(lang)
        self.route_state.value = str(render("route_state.html", step=key, lang=lang, title=title))

    # -- events -------------------------------------------------------------------------------------------------
    def _on_route(self, change: dict[str, Any]) -> None:
        try:
            query = parse_query(str(change["new"]))
            self.show(query.get("step"), query.get("lang"))
        except Exception:  # never a traceback in the page; the step stays as it was
            log.exception("could not show the step %r", change["new"])

    def _on_focus(self, change: dict[str, Any]) -> None:
        value = str(change["new"])
        with self.page.hold_trait_notifications():
            self.page.script_runs = True  # any word from the page's script: it applies the kernel's offers
            self.page.focused = {value} if value.startswith("dol-id-") else set()

    def _on_leader(self, change: dict[str, Any]) -> None:
        """A gate opened or closed: the page's view follows it, and every other gate follows the page (a view
        closed on one step is closed, its widgets destroyed, on all of them)."""
        leader = change["new"]
        self.page.leader = leader
        for app in list(self.apps.values()):
            gate = getattr(app, "gate", None)
            if gate is not None and gate is not change["owner"] and gate.leader not in (None, leader):
                gate.close()

    def _on_language(self, change: dict[str, Any]) -> None:
        self.page.lang = as_lang(change["new"])

    def visited(self, query: Query) -> None:
        """The visit has come: show its step and language, and the notes as they are stored now; the other
        steps are built a little later, one at a time, so that moving to them is instant."""
        for app in self.apps.values():
            reload: Callable[[], None] | None = getattr(app, "reload", None)
            if reload is not None:
                reload()
        self.show(query.get("step"), query.get("lang"))
        self.build_ahead()

    def build_ahead(self, after: float | None = None) -> None:
        """Build the steps not built yet in the background, the first ``after`` seconds from now (when a room
        arrives at once, the arrivals are served first)."""

        def next_step() -> None:
            missing = [key for key in REGISTRY.places() if key not in self.step_boxes and key in BUILDERS]
            if not missing:
                return
            try:
                self._box(missing[0])
            except Exception:  # building ahead is a convenience: the step is built when it is asked for
                log.exception("building the step %s ahead failed", missing[0])
                return
            _timers.call_later(BUILD_AHEAD_GAP_SECONDS, next_step)

        _timers.call_later(BUILD_AHEAD_SECONDS if after is None else after, next_step)


def workshop_app(config: str | None = None, lang: str | None = None, step: str | None = None) -> widgets.Widget:
    """Build the workshop page for the configuration (default: the one the server was started with).

    Built before the visit when kernels are preheated; the visit's step and language (``?step=…&lang=…``) are
    applied when it comes. Problems with the configuration or the data come back as a page that says what to fix.
    """
    try:
        cfg = workshop_config(config)
        app = WorkshopApp(cfg, load_content(cfg), lang=lang, step=step)
    except START_ERRORS as exc:
        log.exception("the workshop page could not start")
        return error_page(exc, lang)
    if step is None or lang is None:
        on_visit(lambda query: app.visited({**query, **({"step": step} if step else {}),
                                            **({"lang": lang} if lang else {})}))
    return app.widget
