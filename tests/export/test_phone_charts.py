"""Every chart a page shows is drawn twice, wide for a laptop and narrow for a phone, from the same data: the page
carries both in a ``<picture>`` and the browser picks by the window's width. Documents keep one drawing."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser

import pytest

from dol_toolkit.pages.content import build_content, personal_html, workshop_data
from dol_toolkit.plots import media
from dol_toolkit.report.documents import build_summary
from dol_toolkit.report.html import chart_html
from dol_toolkit.report.model import Chart
from dol_toolkit.workshop import WorkshopConfig

from .conftest import LEADERS

PNG = "data:image/png;base64,"


class Charts(HTMLParser):
    """Each chart figure of a page: its key, the wide image and the narrow source (media query, data, widths)."""

    def __init__(self) -> None:
        super().__init__()
        self.charts: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "figure" and a.get("data-chart"):
            self.charts.append({"key": a["data-chart"]})
        elif tag == "source" and self.charts:
            self.charts[-1].update(media=a.get("media", ""), narrow=a.get("srcset", ""),
                                   narrow_width=a.get("width", ""))
        elif tag == "img" and self.charts:
            self.charts[-1].update(wide=a.get("src", ""), alt=a.get("alt", ""), wide_width=a.get("width", ""),
                                   source_first=str("narrow" in self.charts[-1]))


def charts_of(html: str) -> list[dict[str, str]]:
    parser = Charts()
    parser.feed(html)
    return parser.charts


def png_width(url: str) -> int:
    assert url.startswith(PNG)
    data = base64.b64decode(url[len(PNG):])
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big")


def assert_both_drawings(chart: dict[str, str]) -> None:
    assert chart["media"] == media.NARROW_MEDIA_QUERY == "(max-width: 600px)"
    assert chart["source_first"] == "True"  # a <source> before the <img>: the browser tries it first
    assert chart["alt"]  # the alternative text stays on the img
    assert chart["wide_width"] == str(media.css_width_px("screen"))
    assert chart["narrow_width"] == str(media.css_width_px("phone"))
    # Drawn at the width each is shown at, at 2x for a sharp screen.
    assert png_width(chart["wide"]) == media.css_width_px("screen") * 2
    assert png_width(chart["narrow"]) == media.css_width_px("phone") * 2
    assert chart["wide"] != chart["narrow"]


def test_chart_html_carries_both_drawings_with_the_media_query() -> None:
    wide, narrow = b"\x89PNG wide", b"\x89PNG narrow"
    out = chart_html(Chart(wide, 'Svarene "alle"', "Sådan læses den", "likert", "860px", narrow, "330px"))
    assert out.count("<picture>") == 1 and out.count("<source") == 1 and out.count("<img") == 1
    assert f'srcset="{PNG}{base64.b64encode(narrow).decode()}"' in out
    assert f'src="{PNG}{base64.b64encode(wide).decode()}"' in out
    assert 'media="(max-width: 600px)"' in out
    assert 'alt="Svarene &quot;alle&quot;"' in out
    assert re.search(r'<source [^>]*width="330"', out) and re.search(r'<img [^>]*width="860"', out)
    assert out.index("<source") < out.index("<img") < out.index("</picture>") < out.index("<figcaption")


def test_a_chart_without_a_narrow_drawing_is_one_image_as_before() -> None:
    out = chart_html(Chart(b"\x89PNG", "alt", "read", "likert", "16.0cm"))
    assert "<picture" not in out and "<source" not in out
    assert 'style="width:16.0cm;max-width:100%;height:auto"' in out


@pytest.fixture(scope="module")
def content(workshop: WorkshopConfig) -> dict:
    return build_content(workshop)


def test_every_chart_of_the_group_view_has_its_narrow_drawing(content) -> None:
    seen = set()
    for lang, by_wave in content["group_html"].items():
        for wave, html in by_wave.items():
            charts = charts_of(html)
            assert charts, (lang, wave)
            for chart in charts:
                assert_both_drawings(chart)
                seen.add(chart["key"])
    assert seen == {"likert", "change", "gaps"}


def test_every_chart_of_a_personal_view_has_its_narrow_drawing(workshop: WorkshopConfig) -> None:
    data = workshop_data(workshop)
    seen = set()
    for leader in LEADERS[:2]:
        for lang in ("da", "en"):
            for chart in charts_of(personal_html(data, leader, data.latest_wave or "", lang)):
                assert_both_drawings(chart)
                seen.add(chart["key"])
    assert seen == {"my_likert", "means"}


def test_documents_keep_one_drawing_for_paper(workshop: WorkshopConfig) -> None:
    document = build_summary(workshop, lang="da", data=workshop_data(workshop))
    assert document.charts
    assert all(c.narrow_png is None and c.width.endswith("cm") for c in document.charts)
