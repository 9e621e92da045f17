"""One content model: the results app and every document show the same sections, tables and charts for the same
selection, and every difference shown is the difference of the numbers shown."""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from docx import Document as open_docx

from dol_toolkit.export._html import render_html
from dol_toolkit.export._markdown import render_markdown
from dol_toolkit.export.summary import document_bytes
from dol_toolkit.pages.content import build_content, personal_html, workshop_data
from dol_toolkit.report.documents import build_sheet, build_summary
from dol_toolkit.report.model import Document
from dol_toolkit.workshop import WorkshopConfig

GROUP_KEYS = ("employees", "vs_org", "change", "gaps")
PERSONAL_KEYS = ("my_employees", "comparison", "three_views", "my_gaps", "my_gaps_positive", "my_gaps_negative",
                 "my_blind_spots", "my_hidden_strengths")


class Page(HTMLParser):
    """What an HTML page shows: its sections (key and heading), tables (cell texts), charts and notices."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[str] = []
        self.headings: list[str] = []
        self.tables: dict[str, list[list[str]]] = {}
        self.charts: list[str] = []
        self.notices: list[str] = []
        self._table: str | None = None
        self._cell: list[str] | None = None
        self._heading: list[str] | None = None
        self._notice: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "section" and a.get("data-section"):
            self.sections.append(str(a["data-section"]))
        elif tag == "table" and a.get("data-table"):
            self._table = str(a["data-table"])
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in ("th", "td") and self._table:
            self._cell = []
        elif tag == "figure" and a.get("data-chart"):
            self.charts.append(str(a["data-chart"]))
        elif tag in ("h2", "h3", "h4"):
            self._heading = []
        elif tag == "p" and "dol-notice" in (a.get("class") or ""):
            self._notice = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._cell is not None and self._table:
            self.tables[self._table][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table":
            self._table = None
        elif tag in ("h2", "h3", "h4") and self._heading is not None:
            self.headings.append("".join(self._heading).strip())
            self._heading = None
        elif tag == "p" and self._notice is not None:
            self.notices.append("".join(self._notice).strip())
            self._notice = None

    def handle_data(self, data: str) -> None:
        for part in (self._cell, self._heading, self._notice):
            if part is not None:
                part.append(data)


def read(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def docx_view(data: bytes) -> tuple[list[str], list[list[list[str]]], list[str]]:
    """A DOCX's headings, tables (rows of cell texts; the facts table first) and picture titles (chart keys)."""
    document = open_docx(io.BytesIO(data))
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name.startswith("Heading")]
    tables = [[[c.text for c in row.cells] for row in table.rows] for table in document.tables]
    charts = [str(s._inline.docPr.get("title")) for s in document.inline_shapes]
    return headings, tables, charts


def pdf_text(data: bytes) -> list[str]:
    pdf = pdfium.PdfDocument(data)
    return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]


def _part(page: Page, keys: tuple[str, ...]) -> list[str]:
    return [k for k in page.sections if k in keys]


# The app's content and the group's summary of the (session's) workshop, built once for this module: the tests
# only read them (a Document is frozen; the content is read, never changed).
@pytest.fixture(scope="module")
def content(workshop: WorkshopConfig) -> dict:
    return build_content(workshop)


@pytest.fixture(scope="module")
def group_summary(workshop: WorkshopConfig) -> Callable[[str], Document]:
    """The group's summary in a language, built on first use."""
    return functools.cache(lambda lang: build_summary(workshop, lang=lang))


@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_group_view_and_every_format_of_the_summary_show_the_same_results(
        content: dict, group_summary: Callable[[str], Document], lang: str) -> None:
    wave = content["waves"][-1]
    app = read(content["group_html"][lang][wave])
    summary = group_summary(lang)
    exported = read(render_html(summary))
    # The same sections, in the same order, with the same headings, tables and charts.
    assert _part(app, GROUP_KEYS) == ["employees", "vs_org", "change", "gaps"]
    assert _part(exported, GROUP_KEYS) == _part(app, GROUP_KEYS)
    group_headings = [h for h in app.headings]
    assert group_headings and all(h in exported.headings for h in group_headings)
    assert app.tables["vs_org"] == exported.tables["vs_org"]
    assert len(app.tables["vs_org"]) == 1 + 5 + 1  # header, five items, the theme index
    assert app.charts == [c for c in exported.charts if c in ("likert", "change", "gaps")]
    assert set(app.notices) <= set(exported.notices)
    # DOCX: the same headings, the same table, the same charts.
    headings, tables, charts = docx_view(document_bytes(summary, "docx"))
    assert all(h in headings for h in group_headings)
    assert app.tables["vs_org"] in tables
    assert [c for c in charts if c in ("likert", "change", "gaps")] == app.charts
    # Markdown: the headings and every cell of the table.
    markdown = render_markdown(summary)
    for h in group_headings:
        assert re.search(r"(?m)^#{2,4} " + re.escape(h.replace("–", "–")), markdown.replace("\\", "")), h
    md_rows = [[c.strip().replace("\\", "") for c in line.strip("|").split("|")] for line in markdown.splitlines()
               if line.startswith("| ") and "---" not in line]
    for row in app.tables["vs_org"]:
        assert row in md_rows


@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_pdf_of_the_summary_shows_the_group_views_headings_and_figures(
        content: dict, group_summary: Callable[[str], Document], lang: str, pdf_ready: None) -> None:
    """The PDF part of the test above, apart: it needs WeasyPrint's Pango, the other formats do not."""
    app = read(content["group_html"][lang][content["waves"][-1]])
    group_headings = [h for h in app.headings]
    summary = group_summary(lang)
    # PDF: every heading and every figure of the table.
    text = " ".join(" ".join(pdf_text(document_bytes(summary, "pdf"))).split())
    for h in group_headings:
        assert " ".join(h.split()) in text, h
    for row in app.tables["vs_org"][1:]:
        for cell in row[1:]:
            assert cell in text


def test_a_leaders_view_their_sheet_and_their_summary_show_the_same_results(workshop: WorkshopConfig) -> None:
    leader = "Klaus Tønnesen"
    data = workshop_data(workshop)
    wave = data.latest_wave or ""
    app = read(personal_html(data, leader, wave, "da"))
    sheet = read(render_html(build_sheet(data, leader)))
    summary = read(render_html(build_summary(workshop, leader=leader)))
    assert _part(app, PERSONAL_KEYS) == list(PERSONAL_KEYS)
    assert _part(sheet, PERSONAL_KEYS) == _part(app, PERSONAL_KEYS) == _part(summary, PERSONAL_KEYS)
    assert app.tables["comparison"] == sheet.tables["comparison"] == summary.tables["comparison"]
    assert app.charts == ["my_likert", "means"] == [c for c in sheet.charts if c in ("my_likert", "means")]
    # The leader's own results come first in their summary, before the group's material.
    assert summary.sections.index("my_employees") < summary.sections.index("about") < \
        summary.sections.index("employees")


def test_a_hidden_leader_sees_the_same_sentence_and_table_in_the_app_and_on_the_sheet(
        workshop: WorkshopConfig) -> None:
    leader = "Helle Kjeldsen"  # fewer than 5 employee answers
    data = workshop_data(workshop)
    app = read(personal_html(data, leader, data.latest_wave or "", "da"))
    sheet = read(render_html(build_sheet(data, leader)))
    assert app.tables["own_answers"] == sheet.tables["own_answers"]
    assert app.tables["comparison"] == sheet.tables["comparison"]
    assert any("færre end 5" in n for n in app.notices)
    assert [n for n in app.notices if "færre end" in n] == [n for n in sheet.notices if "færre end" in n]
    assert not app.charts and not [c for c in sheet.charts if c in ("my_likert", "means")]
    # The hidden column carries no number.
    assert all(not re.search(r"\d", row[1]) for row in app.tables["comparison"][1:])


def _number(cell: str) -> float:
    return float(cell.replace("\u2212", "-").replace(",", ".").replace("+", ""))


@pytest.mark.parametrize("lang", ["da", "en"])
def test_every_difference_shown_is_the_difference_of_the_numbers_shown(workshop: WorkshopConfig, content: dict,
                                                                     lang: str) -> None:
    checked = 0
    for wave in content["waves"]:
        table = read(content["group_html"][lang][wave]).tables["vs_org"]
        for _label, group, org, diff in table[1:]:
            if diff:
                assert round(_number(group) - _number(org), 1) == _number(diff), (group, org, diff)
                checked += 1
    data = workshop_data(workshop)
    for leader in workshop.leaders:
        page = read(personal_html(data, leader, data.latest_wave or "", lang))
        if "comparison" not in page.tables:  # no answers about this leader in the round: a sentence says so
            assert any(str(data.latest_wave) in n for n in page.notices)
            continue
        for _label, yours, group, _org, diff in page.tables["comparison"][1:]:
            if diff:
                assert round(_number(yours) - _number(group), 1) == _number(diff), (yours, group, diff)
                checked += 1
    assert checked >= 20


def test_the_charts_of_a_document_are_drawn_at_the_width_they_are_printed(
        group_summary: Callable[[str], Document]) -> None:
    from PIL import Image

    summary = group_summary("da")  # build_summary's default language
    assert summary.charts
    for chart in summary.charts:
        assert chart.width == "16.0cm"
        image = Image.open(io.BytesIO(chart.png))
        dpi = image.info["dpi"][0]
        assert image.width / dpi * 2.54 == pytest.approx(16.0, abs=0.05)


def test_the_app_draws_its_charts_for_the_screen(content: dict) -> None:
    from dol_toolkit.plots import media

    html = content["group_html"]["da"][content["waves"][-1]]
    widths = re.findall(r'<img [^>]*width="(\d+)"', html)
    assert widths and all(int(w) == media.css_width_px("screen") for w in widths)
    narrow = re.findall(r'<source [^>]*width="(\d+)"', html)  # each with its phone drawing
    assert len(narrow) == len(widths) and all(int(w) == media.css_width_px("phone") for w in narrow)


def test_no_user_facing_text_outside_the_catalogs(repo: Path) -> None:
    package = repo / "src" / "dol_toolkit"
    assert not (package / "export" / "_text.py").exists()
    assert not (package / "plots" / "_text.py").exists()
