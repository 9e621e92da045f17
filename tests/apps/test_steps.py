"""A step is registered in one place (issue 26, point 8): its data in :mod:`dol_toolkit.steps`, its widget builder
in :mod:`dol_toolkit.apps._steps`. A made-up step, registered here (not in the product), appears in the page's step
navigation and is shown at its own address."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as widgets
import pytest
from tests.workshops import copy_example_workshop

from dol_toolkit.apps._common import language_switch
from dol_toolkit.apps._steps import BUILDERS, builds
from dol_toolkit.apps.workshop_page import WorkshopApp
from dol_toolkit.i18n import Lang, as_lang
from dol_toolkit.pages.cache import load_content
from dol_toolkit.steps import OLD_PAGES, REGISTRY, Step
from dol_toolkit.workshop import load_config

MADE_UP = "warm_up"


class WarmUpApp:
    """The made-up step's app: a language switch and a line of text."""

    def __init__(self, lang: Lang) -> None:
        self.switch = language_switch(lang)
        self.widget = widgets.VBox([self.switch, widgets.HTML("<p class='warm-up'>Warm up</p>")])

    @property
    def lang(self) -> Lang:
        return as_lang(self.switch.value)


@pytest.fixture
def made_up_step():
    """The made-up step, registered for this test only."""
    REGISTRY.register(Step(MADE_UP, "steps.start", "steps.results_hint", old_page="5_opvarmning.ipynb"))
    built: list[WarmUpApp] = []

    @builds(MADE_UP)
    def _warm_up(page) -> WarmUpApp:
        built.append(WarmUpApp(page.lang))
        return built[-1]

    yield built
    REGISTRY.unregister(MADE_UP)
    BUILDERS.pop(MADE_UP, None)


@pytest.fixture(scope="module")
def workshop(repo: Path, tmp_path_factory: pytest.TempPathFactory):
    tmp_path = tmp_path_factory.mktemp("workshop")
    path = copy_example_workshop(repo, tmp_path)
    config = load_config(path)
    return config, load_content(config)


def _stop(page: WorkshopApp) -> None:
    for app in page.apps.values():
        poller = getattr(app, "poller", None)
        if poller is not None:
            poller.stop()


def test_the_built_in_steps_are_registered_in_order():
    assert [s.key for s in REGISTRY.steps()] == ["results", "reflection", "cases", "action_plan"]
    assert set(BUILDERS) == {"start", "results", "reflection", "cases", "action_plan"}


def test_the_old_pages_are_the_servers():
    assert OLD_PAGES == {"start.ipynb": "start", "1_resultater.ipynb": "results", "2_refleksion.ipynb": "reflection",
                         "3_cases.ipynb": "cases", "4_handlingsplan.ipynb": "action_plan"}


def test_a_made_up_step_is_in_the_navigation_and_at_its_own_address(made_up_step, workshop):
    assert REGISTRY.old_pages()["5_opvarmning.ipynb"] == MADE_UP
    page = WorkshopApp(*workshop)
    try:
        start = page.apps["start"].content.value  # the start page's list of steps
        assert f'data-dol-step="{MADE_UP}"' in start and f'href="?step={MADE_UP}&amp;lang=da"' in start
        assert "5 Forside" in start  # numbered after the four steps, named by its title key
        page.route.value = f"step={MADE_UP}&lang=en"  # ?step=warm_up&lang=en, as the page's script sends it
        assert page.step == MADE_UP and f'data-step="{MADE_UP}"' in page.route_state.value
        assert page.stage.children == (page.step_boxes[MADE_UP],)
        assert page.step_boxes[MADE_UP].children == (made_up_step[0].widget,)
        assert made_up_step[0].lang == "en"
        page.route.value = "step=action_plan&lang=en"  # the last step before it now leads to it
        footer = page.apps["action_plan"].footer.value
        assert f'data-dol-step="{MADE_UP}"' in footer and "Next step: 5 Start page" in footer
    finally:
        _stop(page)


def test_an_unregistered_step_is_not_served(workshop):
    page = WorkshopApp(*workshop)
    try:
        page.route.value = f"step={MADE_UP}&lang=da"
        assert page.step == "start" and MADE_UP not in page.apps["start"].content.value
    finally:
        _stop(page)
