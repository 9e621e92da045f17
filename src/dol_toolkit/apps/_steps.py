"""What each step of the workshop page shows: its widget builder, registered against the step's name
(:mod:`dol_toolkit.steps` holds the step's data: its name, messages and old page).

A builder takes the page (:class:`StepPage`: the configuration, the shared content, the theme, the note store,
the page's model) and returns the step's app. Builders import their app when first called, so that a page's
kernel loads only the steps it builds.

To add a step: register its data in :mod:`dol_toolkit.steps` and its builder here with ``@builds("<name>")``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from dol_toolkit.steps import START

if TYPE_CHECKING:
    from dol_toolkit.apps._launch import App
    from dol_toolkit.apps._page import PageModel
    from dol_toolkit.i18n import Lang
    from dol_toolkit.notes import NoteStore
    from dol_toolkit.pages.cache import WorkshopContent
    from dol_toolkit.themes import Theme
    from dol_toolkit.workshop import WorkshopConfig


class StepPage(Protocol):
    """What a step's builder gets from the page it is built for."""

    config: WorkshopConfig
    content: WorkshopContent
    theme: Theme
    page: PageModel

    @property
    def lang(self) -> Lang: ...

    def store(self) -> NoteStore: ...


Builder = Callable[[StepPage], "App"]
BUILDERS: dict[str, Builder] = {}


def builds(key: str) -> Callable[[Builder], Builder]:
    """Register the decorated function as the builder of the step ``key``."""

    def register(builder: Builder) -> Builder:
        BUILDERS[key] = builder
        return builder

    return register


@builds(START)
def _start(page: StepPage) -> App:
    from dol_toolkit.apps.landing import LandingApp

    return LandingApp(theme=page.theme, lang=page.lang)


@builds("results")
def _results(page: StepPage) -> App:
    from dol_toolkit.apps.results import ResultsApp

    return ResultsApp(page.config, page.content, lang=page.lang, theme=page.theme, page=page.page)


@builds("reflection")
def _reflection(page: StepPage) -> App:
    from dol_toolkit.apps.discussion import ReflectionApp

    return ReflectionApp(page.config, page.store(), lang=page.lang, theme=page.theme, page=page.page)


@builds("cases")
def _cases(page: StepPage) -> App:
    from dol_toolkit.apps.discussion import CasesApp

    return CasesApp(page.config, page.store(), lang=page.lang, theme=page.theme, content=page.content,
                    page=page.page)


@builds("action_plan")
def _action_plan(page: StepPage) -> App:
    from dol_toolkit.apps.action_plan import ActionPlanApp, summary

    return ActionPlanApp(page.config, page.store(), lang=page.lang, theme=page.theme, content=page.content,
                         summary=summary, page=page.page)
