"""The results' charts where the browser places them: at a laptop's 1280 px the chart keeps the width it was
drawn for (so its text is the size the chart tests measure), and at 768 px the questions go under the charts
instead of over them."""

from __future__ import annotations

import pytest

from dol_toolkit.plots import media
from tests.browser.conftest import FIRST_LOAD_MS, RESULTS

pytestmark = pytest.mark.browser

GEOMETRY = """() => {
  const charts = [...document.querySelectorAll('.dol-step-results figure.dol-chart img')].map(i => {
    const r = i.getBoundingClientRect(); return {key: i.closest('figure').dataset.chart, left: r.left, right: r.right,
    top: r.top, bottom: r.bottom, width: r.width}; });
  const q = document.querySelector('.dol-step-results .dol-questions').getBoundingClientRect();
  return {charts, questions: {left: q.left, right: q.right, top: q.top, bottom: q.bottom}};
}"""


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


@pytest.mark.parametrize("width", [1280, 768])
def test_charts_keep_their_size_and_nothing_covers_them(page, workshop_server, artifacts, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(workshop_server.url + RESULTS)
    page.wait_for_selector('.dol-step-results .dol-chart[data-chart="gaps"] img', timeout=FIRST_LOAD_MS)
    page.wait_for_function("() => [...document.querySelectorAll('.dol-step-results figure.dol-chart img')]"
                           ".every(i => i.complete && i.naturalWidth > 0)", timeout=FIRST_LOAD_MS)
    geometry = page.evaluate(GEOMETRY)
    page.screenshot(path=str(artifacts / f"results-{width}px.png"), full_page=True)
    charts, questions = geometry["charts"], geometry["questions"]
    assert [c["key"] for c in charts] == ["likert", "change", "gaps"]
    drawn = media.css_width_px("screen")
    for chart in charts:
        assert not _overlap(chart, questions), (width, chart)
        assert chart["right"] <= width
        if width == 1280:  # drawn for this width: shown at it, not shrunk
            assert chart["width"] == pytest.approx(drawn, abs=1)
        else:  # the column is narrower than the chart: shrunk, but to no less than 80 % (text >= 13 px)
            assert chart["width"] >= 0.8 * drawn
    if width == 768:
        assert questions["top"] >= max(c["bottom"] for c in charts)  # below the charts, not beside them
