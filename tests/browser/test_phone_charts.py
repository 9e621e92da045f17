"""The results' charts on a phone: the browser shows the drawing made for a phone's width (the ``<source>`` of
the chart's ``<picture>``) in a 390 px window and the wide one at 1280 px, and switches between them by itself
when the window's width changes (rotation, resize), with no round trip to the kernel."""

from __future__ import annotations

import pytest

from dol_toolkit.plots import media
from tests.browser.conftest import FIRST_LOAD_MS, RESULTS

pytestmark = pytest.mark.browser

SHOWN = """() => [...document.querySelectorAll('.dol-step-results figure.dol-chart')].map(f => {
  const img = f.querySelector('picture img'), source = f.querySelector('picture source');
  return {key: f.dataset.chart, current: img ? img.currentSrc : '', wide: img ? img.src : '',
          narrow: source ? source.srcset : '', width: img ? img.getBoundingClientRect().width : 0,
          right: img ? img.getBoundingClientRect().right : 0};
})"""
LOADED = ("() => [...document.querySelectorAll('.dol-step-results figure.dol-chart img')]"
          ".every(i => i.complete && i.naturalWidth > 0)")


def test_a_phone_gets_the_narrow_drawing_and_a_laptop_the_wide_one(page, workshop_server, artifacts) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    workshop_server.open(page, RESULTS, '.dol-step-results .dol-chart[data-chart="gaps"] img')
    page.wait_for_function(LOADED, timeout=FIRST_LOAD_MS)
    charts = page.evaluate(SHOWN)
    page.screenshot(path=str(artifacts / "results-phone-390px.png"), full_page=True)
    assert [c["key"] for c in charts] == ["likert", "change", "gaps"]
    for chart in charts:
        assert chart["narrow"] and chart["narrow"] != chart["wide"], chart["key"]
        assert chart["current"] == chart["narrow"], chart["key"]  # the phone's drawing is the one shown
        assert chart["right"] <= 390
        # At its own width (or the column's, when that is narrower): not a laptop's chart shrunk to 40 %.
        assert chart["width"] <= media.css_width_px("phone") + 1
        assert chart["width"] >= 0.9 * media.css_width_px("phone")

    page.set_viewport_size({"width": 1280, "height": 900})  # the same page turned into a laptop's window
    page.wait_for_function("() => [...document.querySelectorAll('.dol-step-results figure.dol-chart picture img')]"
                           ".every(i => i.currentSrc === i.src)", timeout=10_000)
    page.wait_for_function(LOADED, timeout=10_000)
    for chart in page.evaluate(SHOWN):
        assert chart["current"] == chart["wide"], chart["key"]
        assert chart["width"] == pytest.approx(media.css_width_px("screen"), abs=1)
