"""The workshop served on a second, made-up theme with a 7-point scale (tests/fixtures/theme_seven_point), in
Chromium: the landing page, the group's results, a leader's own results and the reflection questions follow
the theme, with no code change."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.conftest import (
    FIRST_LOAD_MS,
    REFLECTION,
    RESULTS,
    STOP_S,
    WORKSHOP,
    Server,
    left_behind,
    start_server,
    stop_server,
)

pytestmark = pytest.mark.browser
FIXTURE = Path(__file__).parents[1] / "fixtures" / "theme_seven_point"


@pytest.fixture(scope="module")
def seven(repo: Path, artifacts: Path, tmp_path_factory) -> Iterator[tuple[Server, dict[str, str]]]:
    from dol_toolkit.workshop import write_codes

    folder = tmp_path_factory.mktemp("seven-served")
    for name in ("samarbejde.toml", "eksport.csv", "workshop.toml"):
        shutil.copy(FIXTURE / name, folder / name)
    codes = write_codes(folder / "workshop.toml")
    server = start_server(repo, artifacts / "seven-point-server.log", [str(folder / "workshop.toml")],
                          ready_pool=True)
    yield server, codes
    code = stop_server(server)
    leaked = left_behind(server)
    assert code is not None, f"dol serve did not stop on Ctrl-C within {STOP_S} s"
    assert not leaked, f"kernels left running after the server stopped: {leaked}"


def test_the_landing_page_shows_the_second_theme(page, seven, artifacts):
    server, _ = seven
    page.goto(server.url + WORKSHOP)
    page.wait_for_selector(".dol-landing .dol-items li")
    text = page.locator(".dol-landing").inner_text()
    assert "Ledelse af samarbejde på tværs" in text and "De seks spørgsmål" in text and "Tre cases" in text
    assert "de fire refleksionsspørgsmål" in text and "Digital" not in text
    assert page.locator(".dol-landing .dol-items li").count() == 6
    assert "7 Helt enig" in text
    page.screenshot(path=str(artifacts / "seven-point-landing.png"), full_page=True)


def test_the_group_and_a_leader_s_own_results_on_the_seven_point_scale(page, seven, artifacts):
    server, codes = seven
    page.goto(server.url + RESULTS)
    page.wait_for_selector('.dol-step-results .dol-chart[data-chart="likert"] img', timeout=FIRST_LOAD_MS)
    body = page.locator(".dol-body").inner_text()
    assert "Resultater – Ledergruppe Sundhed" in page.locator("body").inner_text()
    assert "skalaen 1-7" in body and "Ønsker ikke" not in body
    page.set_viewport_size({"width": 1400, "height": 2400})
    page.screenshot(path=str(artifacts / "seven-point-results.png"))
    page.get_by_role("button", name="Mine resultater").click()
    page.locator(".dol-code input").fill(codes["Astrid Kjærsgaard"])
    page.get_by_role("button", name="Vis mine resultater").click()
    page.get_by_text("Dine resultater – Astrid Kjærsgaard").wait_for()
    page.wait_for_selector('.dol-chart[data-chart="means"] img')
    own = page.locator(".dol-body").inner_text()
    assert "Dine største forskelle" in own
    assert not any(name in page.locator("body").inner_text() for name in codes if name != "Astrid Kjærsgaard")
    page.screenshot(path=str(artifacts / "seven-point-personal.png"))
    page.get_by_role("button", name="Luk mine resultater").click()
    page.get_by_text("Resultater – Ledergruppe Sundhed").wait_for()
    assert "Astrid Kjærsgaard" not in page.locator("body").inner_text()


def test_the_reflection_step_has_the_theme_s_four_questions(page, seven):
    import tomllib

    server, _ = seven
    theme = tomllib.loads((FIXTURE / "samarbejde.toml").read_text(encoding="utf-8"))
    page.goto(server.url + REFLECTION)
    first = theme["reflection_questions"][0]["title"]["da"]
    page.get_by_text(first).first.wait_for(timeout=FIRST_LOAD_MS)
    text = page.locator("body").inner_text()
    assert all(q["title"]["da"] in text for q in theme["reflection_questions"])
