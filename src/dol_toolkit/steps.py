"""The workshop's steps, registered in one place: each step's name (in the address, ``?step=<name>``), the
messages that name and describe it, and the page it had before the workshop became one page (old links are
redirected to the step).

This module holds data only (no widgets): the server reads it for its old addresses (:data:`OLD_PAGES`), the
apps for the page's step navigation; what a step shows is registered against its name in
:mod:`dol_toolkit.apps._steps`. A step is numbered by its place in the registry.
"""

from __future__ import annotations

from dataclasses import dataclass

START = "start"  # the start page: not a numbered step, but a place in the page (``?step=start``)
START_PAGE = "start.ipynb"  # the start page's own page, before the workshop became one page


@dataclass(frozen=True)
class Step:
    """One step of the workshop."""

    key: str  # the step's name in the address (?step=...)
    title_key: str  # the message that names it ("Results")
    hint_key: str  # the message that says what it holds ("the group's results and your own"); may take a count
    old_page: str | None = None  # the notebook the step had before the workshop became one page
    hint_count: str | None = None  # the theme's list the hint counts ("cases": "3 examples of ...")


class StepRegistry:
    """The steps in order. Registering a step adds it to the page's step navigation and its address."""

    def __init__(self) -> None:
        self._steps: dict[str, Step] = {}

    def register(self, step: Step) -> Step:
        if step.key == START or step.key in self._steps:
            raise ValueError(f"a step named {step.key!r} is registered already")
        self._steps[step.key] = step
        return step

    def unregister(self, key: str) -> None:
        self._steps.pop(key, None)

    def steps(self) -> tuple[Step, ...]:
        return tuple(self._steps.values())

    def places(self) -> tuple[str, ...]:
        """Every place of the page: the start page, then the steps in order."""
        return (START, *self._steps)

    def number(self, key: str) -> int:
        """The step's number as the page shows it (1 for the first step)."""
        return list(self._steps).index(key) + 1

    def get(self, key: str) -> Step | None:
        return self._steps.get(key)

    def old_pages(self) -> dict[str, str]:
        """Old page name -> step name (the start page's too)."""
        pages = {START_PAGE: START}
        pages.update({s.old_page: s.key for s in self._steps.values() if s.old_page})
        return pages


REGISTRY = StepRegistry()
register = REGISTRY.register

register(Step("results", "steps.results", "steps.results_hint", "1_resultater.ipynb"))
register(Step("reflection", "steps.reflection", "steps.reflection_hint", "2_refleksion.ipynb",
              "reflection_questions"))
register(Step("cases", "steps.cases", "steps.cases_hint", "3_cases.ipynb", "cases"))
register(Step("action_plan", "steps.action_plan", "steps.action_plan_hint", "4_handlingsplan.ipynb"))

# The pages each step had before the workshop became one page: old links land on the step (the server's routes).
OLD_PAGES: dict[str, str] = REGISTRY.old_pages()
