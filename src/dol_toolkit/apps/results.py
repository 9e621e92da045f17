"""Step 1, the results app: the group's results for everyone, each leader's own after their personal code.

The app builds and wires widgets only: figures come from :mod:`dol_toolkit.stats`, charts from
:mod:`dol_toolkit.plots`. Anonymity is the statistics layer's: the app never sees a number it may not show.

* Group view (the default): the group's pooled employee answers, the group against the whole organisation, the
  change since the earlier round (when the data has one), and the anonymous spread of the leaders' self-other
  gaps.
* Personal view: after a leader types their personal code (:class:`~dol_toolkit.apps.personal.CodeGate`: a
  wrong code is refused, repeated wrong codes pause the box), their own employees' answers, their self and their
  own leader's answers, and their largest gaps, blind spots and hidden strengths. It stays open (off the screen
  while the group view is shown, and on the page's other steps) until it is closed: its close button, a close on
  another step, the idle time or the page's end remove it from the screen and from the app.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from dol_toolkit.apps._common import (
    CSS,
    error_box,
    footer_html,
    guarded,
    language_switch,
    page_frame,
)
from dol_toolkit.apps._html import Markup, render
from dol_toolkit.apps._launch import launch
from dol_toolkit.apps._page import PageModel, unheard
from dol_toolkit.apps.personal import CodeGate
from dol_toolkit.i18n import Lang, as_lang, t
from dol_toolkit.pages.cache import WorkshopContent, load_content
from dol_toolkit.themes import Theme, load_theme
from dol_toolkit.workshop import WorkshopConfig

log = logging.getLogger("dol_toolkit.apps.results")

STEP = "results"


class ResultsApp:
    """The results app; ``widget`` is what the notebook displays."""

    def __init__(self, config: WorkshopConfig, content: WorkshopContent, lang: str | None = None,
                 theme: Theme | None = None, page: PageModel | None = None) -> None:
        self.config, self.content = config, content
        self.theme = theme or load_theme(config.theme)
        self.errors = error_box()
        self.switch = language_switch(as_lang(lang) if lang else as_lang(config.language))
        waves = content.waves or [""]
        self.wave = widgets.Dropdown(options=waves, value=waves[-1], layout=widgets.Layout(width="auto"),
                                     style={"description_width": "initial"})
        self.wave.add_class("dol-wave")
        self.view = widgets.ToggleButtons(style={"description_width": "initial", "button_width": "12em"})
        self.view.add_class("dol-view")
        self.gate = CodeGate(config, lambda: self.lang, open_key="results.open", close_key="results.close",
                             on_open=self._opened, on_close=self._closed, page=page)
        self.header = widgets.HTML()
        self.body = widgets.HTML(layout=widgets.Layout(width="100%"))
        self.body.add_class("dol-body")
        self.aside = widgets.HTML(layout=widgets.Layout(width="100%"))
        self.footer = widgets.HTML()
        self.controls = widgets.HBox([self.wave, self.view], layout=widgets.Layout(flex_flow="row wrap",
                                                                                   grid_gap="1.5em"))
        self.grid = widgets.GridBox(
            [self.body, self.aside],
            layout=widgets.Layout(grid_template_columns="minmax(0, 3fr) minmax(16em, 1fr)", grid_gap="1.5em",
                                  width="100%"),
        )
        self.grid.add_class("dol-results-grid")
        self.widget = page_frame(
            self.switch, [self.header, self.errors, self.controls, self.gate.widget, self.grid, self.footer],
            layout=widgets.Layout(padding="0 1.5em", width="100%"),
        )
        self.widget.add_class("dol-results")
        self._cache: dict[tuple[object, ...], str] = {}
        self._lock = threading.RLock()
        self.switch.observe(self._guard(self._on_change), names="value")
        self.wave.observe(self._guard(self._on_change), names="value")
        self._view_observer = self._guard(self._on_view)
        self.view.observe(self._view_observer, names="value")
        self.gate.open_button.on_click(self._guard(self.gate.try_open))
        self.gate.close_button.on_click(self._guard(self.gate.close))
        self._relabel()
        self.render()

    def _guard(self, callback: Callable[..., None]) -> Callable[..., None]:
        return guarded(callback, self.errors, lambda: self.lang)

    # -- state ------------------------------------------------------------------------------------------
    @property
    def lang(self) -> Lang:
        return as_lang(self.switch.value)

    def _relabel(self) -> None:
        lang = self.lang
        self.switch.description = t("app.language", lang)
        self.wave.description = t("results.wave", lang)
        self.wave.disabled = len(self.content.waves) < 2
        current = self.view.value or "group"
        # New option labels reset the value for a moment: not a change of view.
        with unheard(self.view, self._view_observer):
            self.view.options = [(t("results.view_group", lang), "group"),
                                 (t("results.view_personal", lang), "personal")]
            self.view.value = current
        self.view.description = t("results.view", lang)
        self.gate.relabel()
        self.gate.open_button.tooltip = t("results.open_help", lang)
        self.gate.close_button.tooltip = t("results.close_help", lang)

    def _on_change(self, change: dict[str, Any]) -> None:
        self.gate.touch()
        self._relabel()
        self.render()

    @property
    def leader(self) -> str | None:
        """The leader whose results are open (after their code), or None."""
        return self.gate.leader

    def _on_view(self, change: dict[str, Any]) -> None:
        """Group or personal view. A leader whose view is open who looks at the group keeps it open (one code
        per visit); its close button stays on screen, and nothing of theirs is on the page meanwhile."""
        self.gate.message.value = ""
        self.gate.touch()
        self.render()

    def _opened(self, leader: str) -> None:
        self.view.value = "personal"
        self.render()
        self.prerender()

    def _closed(self) -> None:
        # Off the screen first (a drawing ahead may hold the lock for seconds), then out of the app.
        self.view.value = "group"
        self.render()
        with self._lock:
            self._cache = {k: v for k, v in self._cache.items() if k[0] != "personal"}

    # -- rendering ----------------------------------------------------------------------------------------
    def render(self) -> None:
        lang = self.lang
        personal = self.view.value == "personal"
        own = personal and self.leader is not None
        if own:  # what shows the leader's results says so: the page hides it the moment "close" is clicked
            for part in (self.header, self.body):
                part.add_class("dol-personal")
        self.gate.show(personal or self.leader is not None)  # an open view's close button stays on screen
        self.header.value = self._header_html(lang, self.leader if personal else None)
        self.aside.value = self._questions_html(lang)
        self.footer.value = self._footer_html(lang)
        # The charts last: everything else on the page is already in the new state while they are drawn.
        if personal and self.leader is None:
            self.body.value = str(render("page_part.html", p=t("results.code_intro", lang)))
        elif personal and self.leader is not None:
            key = ("personal", self.leader, self.wave.value, lang)
            if key not in self._cache:  # drawn now: say so while it takes
                self.body.value = str(render("loading.html", text=t("results.loading_personal", lang)))
            self.body.value = self._personal(self.leader, self.wave.value, lang)
        else:
            self.body.value = self._group(self.wave.value, lang)
        if not own:
            for part in (self.header, self.body):
                part.remove_class("dol-personal")

    def _header_html(self, lang: Lang, leader: str | None = None) -> str:
        title = t("results.title_personal", lang, leader=leader) if leader else \
            t("results.title", lang, group=self.config.name)
        return str(render("step_header.html", css=Markup(CSS), heading=title,
                          kicker=f'{self.theme.title(lang)} · {t("steps.results", lang)}'))

    def _footer_html(self, lang: Lang) -> str:
        return footer_html(self.theme, STEP, lang)

    def preview_html(self, lang: Lang) -> str:
        """The group view of the latest round as static HTML: what the page shows before its widgets are up."""
        wave = self.content.latest_wave or ""
        # Spacers where the language switch and the round/view controls come, so that the page does not jump.
        return str(render("results_preview.html", header=Markup(self._header_html(lang)),
                          group=Markup(self._group(wave, lang)), questions=Markup(self._questions_html(lang)),
                          footer=Markup(self._footer_html(lang))))

    # -- content: the group's from the workshop's shared content, a leader's drawn here on opening --------------
    def _group(self, wave: str, lang: Lang) -> str:
        return self.content.group(wave, lang)

    def _personal(self, leader: str, wave: str, lang: Lang) -> str:
        with self._lock:  # one drawing at a time (matplotlib), here or in the background
            key = ("personal", leader, wave, lang)
            if key not in self._cache:
                from dol_toolkit.pages import content  # the heavy half, imported only for a personal view

                html = content.personal_html(content.workshop_data(self.config), leader, wave, lang)
                if self.leader != leader:  # closed meanwhile: keep nothing of it
                    return ""
                self._cache[key] = html
            return self._cache[key]

    def prerender(self, background: bool = True) -> None:
        """Draw the other rounds and languages of an open personal view ahead, so that choosing them is instant
        (the group's are all in the shared content).

        Runs in a background thread; a choice the user makes meanwhile waits at most for the drawing in progress.
        """
        leader = self.leader
        if leader is None:
            return

        def work() -> None:
            for lang in (self.lang, *[x for x in ("da", "en") if x != self.lang]):
                for wave in reversed(self.content.waves or [""]):
                    if self.leader == leader:
                        self._personal(leader, wave, as_lang(lang))

        if not background:
            work()
            return
        thread = threading.Thread(target=self._safely, args=(work,), name="dol-prerender", daemon=True)
        thread.start()

    def _safely(self, work: Callable[[], None]) -> None:
        try:
            work()
        except Exception:  # drawing ahead is a convenience: a failure shows when the user asks for it
            log.exception("drawing ahead failed")

    def _questions_html(self, lang: Lang) -> str:
        return str(render("questions.html", heading=t("results.questions", lang),
                          questions=[t(f"results.question_{k}", lang) for k in (1, 2, 3)]))

def results_app(config: str | None = None, lang: str | None = None) -> widgets.Widget:
    """Build the results app for the workshop configuration (default: the one the server was started with).

    The group's results come from the workshop's shared content (computed once per workshop); a leader's own
    are drawn in this kernel when they open them.
    """

    def build(cfg: WorkshopConfig, language: Lang) -> ResultsApp:
        return ResultsApp(cfg, load_content(cfg), lang=language)

    return launch(build, config, lang, "results")
