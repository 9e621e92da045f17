"""Independent tests of the documents a facilitator hands out, written from the issue, not from the code.

Two readers try to break them:

* a participant (or anyone who gets hold of a file) looking for what is not theirs: another leader's name,
  figures or private notes; the employee results of a leader with too few answers, directly or by subtracting two
  figures the toolkit prints; markup smuggled in through a leader's name;
* a reader checking the numbers: every figure recomputed here from the answers with pandas (the pooling rule of
  the anonymity policy written out again), every difference and gap recomputed from the numbers shown, every page
  numbered, the heading block taken from the configuration, one language at a time.

Files are read back as a reader gets them: DOCX with python-docx (and its raw XML parts, where alt texts and
document properties live), PDF with pypdfium2 (text page by page, metadata, the drawn lines), HTML with a parser.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import subprocess
import sys
import zipfile
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
from docx import Document as open_docx
from docx.oxml.ns import qn

from dol_toolkit.cli import main
from dol_toolkit.export.summary import document_bytes
from dol_toolkit.i18n import catalog
from dol_toolkit.i18n.dates import long_date
from dol_toolkit.notes import NoteKey, open_store
from dol_toolkit.pages.content import build_content, personal_html
from dol_toolkit.report.documents import build_handouts, build_sheet, build_summary
from dol_toolkit.stats.workshop_data import WorkshopData, load_workshop_data
from dol_toolkit.themes import load_theme
from dol_toolkit.workshop import WorkshopConfig, load_config, workshop_id
from tests.cli_support import run_dol_in_process

from .conftest import LEADERS, PRIVATE, PdfPart, dol_handouts, dol_sheets, make_config, pdf_unavailable, write_notes

# PDF needs WeasyPrint's Pango; the DOCX, HTML and Markdown checks run without it (conftest.PdfPart: a test checks
# the PDF only where it can be made, and says so in a subtest "pdf" where it cannot).

FORMATS = ("docx", "pdf", "html", "md")
HIDDEN_DA = "vises ikke (for få svar)"
COMPARISON_HEADER = ["Spørgsmål", "Dine medarbejdere", "Gruppen", "Hele organisationen", "Forskel til gruppen"]
VS_ORG_HEADER = ["Spørgsmål", "Gruppen", "Hele organisationen", "Forskel"]
THRESHOLD = 1.3
MINUS = "\u2212"
# Private notes this file adds to its own workshop: one on a topic the theme no longer has (shown under "other
# notes" in the owner's own summary), one of a leader outside the group, one of a hidden leader.
EXTRA_PRIVATE = {
    "Morten Vestergaard": ("reflection:gammelt_spoergsmaal", "Morten hemmeligt: overvejer at søge væk"),
    "Anne Kofoed": ("reflection:knowledge", "Anne udenfor gruppen: min afdeling skal lukkes"),
    "Helle Kjeldsen": ("reflection:purpose", "Helle privat: mine medarbejdere er utrygge"),
}


# -- reading the files back -------------------------------------------------------------------------------------
def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_pages(data: bytes) -> list[str]:
    pdf = pdfium.PdfDocument(data)
    return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]


def pdf_everything(data: bytes) -> str:
    pdf = pdfium.PdfDocument(data)
    meta = " ".join(str(v) for v in pdf.get_metadata_dict().values())
    return flat(" ".join(pdf_pages(data)) + " " + meta)


def docx_everything(data: bytes) -> str:
    """Every XML part of the DOCX (body, headers, footers, document properties, alt texts), tags removed and
    also kept (attributes such as an image's description carry text too), entities decoded."""
    parts = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                xml = archive.read(name).decode("utf-8")
                parts += [html.unescape(xml), html.unescape(re.sub(r"<[^>]+>", "", xml))]
    return "\n".join(parts)


def docx_text(data: bytes) -> str:
    document = open_docx(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs] + [p.text for p in section.footer.paragraphs]
    return "\n".join(parts)


def docx_tables(data: bytes) -> list[list[list[str]]]:
    document = open_docx(io.BytesIO(data))
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]


def docx_table(data: bytes, header: list[str]) -> list[list[str]] | None:
    found = [t for t in docx_tables(data) if t and t[0] == header]
    assert len(found) <= 1, f"{len(found)} tables with the header {header}"
    return found[0] if found else None


def text_of(fmt: str, data: bytes) -> str:
    """All a reader (or a curious program) can get out of a file of ``fmt``."""
    if fmt == "docx":
        return docx_everything(data)
    if fmt == "pdf":
        return pdf_everything(data)
    return html.unescape(data.decode("utf-8"))


class Page(HTMLParser):
    """What an HTML page shows: its sections, tables, list items per section, charts, images' alt texts,
    notices, every tag, and its visible text (outside <style>)."""

    def __init__(self, source: str) -> None:
        super().__init__()
        self.sections: list[str] = []
        self.tables: dict[str, list[list[str]]] = {}
        self.items: dict[str, list[str]] = {}
        self.charts: list[str] = []
        self.alts: list[str] = []
        self.notices: list[str] = []
        self.tags: list[str] = []
        self.text: list[str] = []
        self._stack: list[str] = []
        self._table: str | None = None
        self._cell: list[str] | None = None
        self._li: list[str] | None = None
        self._notice: list[str] | None = None
        self._skip = 0
        self.feed(source)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append(tag)
        if tag in ("style", "script"):
            self._skip += 1
        if tag == "section":
            self._stack.append(str(a.get("data-section") or ""))
            if a.get("data-section"):
                self.sections.append(str(a["data-section"]))
        elif tag == "table" and a.get("data-table"):
            self._table = str(a["data-table"])
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in ("th", "td") and self._table:
            self._cell = []
        elif tag == "li":
            self._li = []
        elif tag == "figure" and a.get("data-chart"):
            self.charts.append(str(a["data-chart"]))
        elif tag == "img":
            self.alts.append(str(a.get("alt") or ""))
        elif tag == "p" and "dol-notice" in (a.get("class") or ""):
            self._notice = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip = max(0, self._skip - 1)
        if tag == "section" and self._stack:
            self._stack.pop()
        elif tag == "table":
            self._table = None
        elif tag in ("th", "td") and self._cell is not None and self._table:
            self.tables[self._table][-1].append(flat("".join(self._cell)))
            self._cell = None
        elif tag == "li" and self._li is not None:
            key = self._stack[-1] if self._stack else ""
            self.items.setdefault(key, []).append(flat("".join(self._li)))
            self._li = None
        elif tag == "p" and self._notice is not None:
            self.notices.append(flat("".join(self._notice)))
            self._notice = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.text.append(data)
        for part in (self._cell, self._li, self._notice):
            if part is not None:
                part.append(data)

    @property
    def visible(self) -> str:
        return flat(" ".join(self.text))


# -- the numbers, computed again from the answers ------------------------------------------------------------------
def fmt(value: float, lang: str = "da") -> str:
    text = f"{abs(value):.1f}"
    if lang == "da":
        text = text.replace(".", ",")
    negative = value < 0 and text.strip("0.,") != ""
    return (MINUS if negative else "") + text


def fmt_signed(value: float, lang: str = "da") -> str:
    text = fmt(value, lang)
    return "+" + text if value > 0 and text.strip("0.,") != "" else text


def number(cell: str) -> float:
    return float(cell.replace(MINUS, "-").replace("+", "").replace(",", "."))


def employees_of(d: WorkshopData, wave: str) -> pd.DataFrame:
    r = d.responses
    out = r[(r["role"].astype(str) == "employee").to_numpy() & (r["wave"].astype(str) == str(wave)).to_numpy()]
    out = out.assign(leader=out["leader_id"].astype(str), who=out["respondent_id"].astype(str),
                     item=out["item_id"].astype(str))
    return out


def released(d: WorkshopData, wave: str, leaders: list[str] | None) -> pd.DataFrame:
    """The employee answers behind a figure, by the issue's rule as the anonymity policy writes it out: a
    selection pools its leaders with at least min_n respondents; the organisation pools every leader with at
    least 5 and the leaders below 5 only as one pool, when that pool has at least min_n respondents."""
    emp = employees_of(d, wave)
    size = emp.groupby("leader")["who"].nunique()
    min_n = d.config.min_n
    if leaders is not None:
        keep = [x for x in leaders if size.get(x, 0) >= min_n]
    else:
        keep = [x for x, n in size.items() if n >= 5]
        pool = [x for x, n in size.items() if n < 5]
        if emp[emp["leader"].isin(pool)]["who"].nunique() >= min_n:
            keep += pool
    return emp[emp["leader"].isin(keep)]


def means(d: WorkshopData, answers: pd.DataFrame) -> dict[str, float | None]:
    """Per item the mean of the answers on the scale, and the theme index (a respondent's mean over at least 3
    answered items, averaged); None where fewer than min_n respondents stand behind it."""
    min_n = d.config.min_n
    out: dict[str, float | None] = {}
    for item in d.theme.item_ids:
        rows = answers[answers["item"] == item]
        values = rows["value"].dropna()
        out[item] = float(values.mean()) if rows["who"].nunique() >= min_n and len(values) else None
    scored = answers.dropna(subset=["value"])
    per = scored.groupby(["who", "leader"])["value"].agg(["count", "mean"])
    per = per[per["count"] >= 3]
    out["index"] = float(per["mean"].mean()) if len(per) >= min_n else None
    return out


def agree_share(answers: pd.DataFrame, item: str) -> float:
    values = answers[answers["item"] == item]["value"].dropna()
    return float((values >= 4).sum() / len(values))


def labels(d: WorkshopData, lang: str = "da") -> dict[str, str]:
    out = {i.id: i.short(lang) for i in d.theme.items}
    out["index"] = "Temaet samlet" if lang == "da" else "The theme overall"
    return out


def own_answer(d: WorkshopData, leader: str, wave: str, role: str, item: str) -> float | None:
    r = d.responses
    rows = r[(r["leader_id"].astype(str) == leader).to_numpy() & (r["wave"].astype(str) == wave).to_numpy()
             & (r["role"].astype(str) == role).to_numpy() & (r["item_id"].astype(str) == item).to_numpy()]
    values = rows["value"].dropna()
    return float(values.iloc[0]) if len(values) else None


def data_leaders(d: WorkshopData) -> set[str]:
    return {str(x) for x in d.responses["leader_id"].cat.categories}


# -- workshops of this file --------------------------------------------------------------------------------------
def configured(repo: Path, folder: Path, leaders: tuple[str, ...] = LEADERS, *, min_n: int = 5,
               day: str | None = "2026-11-27", organisation: str | None = None,
               facilitator: str | None = None) -> WorkshopConfig:
    config = make_config(repo, folder, leaders)
    text = config.path.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^min_n = \d+", f"min_n = {min_n}", text)
    text = re.sub(r"(?m)^date = \S+", f"date = {day}" if day else "", text)
    if organisation is not None:
        line = f"organisation = {json.dumps(organisation, ensure_ascii=False)}"
        text = re.sub(r'(?m)^organisation = "[^"]*"', lambda _m: line, text)
    if facilitator is not None:
        line = f"facilitator = {json.dumps(facilitator, ensure_ascii=False)}"
        text = re.sub(r'(?m)^facilitator = "[^"]*"', lambda _m: line, text)
    config.path.write_text(text, encoding="utf-8")
    return load_config(config.path)


@pytest.fixture(scope="module")
def noted(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> WorkshopConfig:
    """The sample group with every kind of note, and more private notes than the shared fixture has."""
    config = configured(repo, tmp_path_factory.mktemp("noted"))
    write_notes(config)
    store = open_store(config.notes_database)
    try:
        for owner, (topic, note) in EXTRA_PRIVATE.items():
            store.save(NoteKey(workshop_id(config), topic, "private", owner), note, 0, author=owner)
    finally:
        store.close()
    return config


def all_private() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {owner: [note] for owner, note in PRIVATE.items()}
    for owner, (_topic, note) in EXTRA_PRIVATE.items():
        out.setdefault(owner, []).append(note)
    return out


@pytest.fixture(scope="module")
def noted_data(noted: WorkshopConfig) -> WorkshopData:
    return load_workshop_data(noted)


@pytest.fixture(scope="module")
def sheets_dir(noted: WorkshopConfig, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sheets")
    dol_sheets(noted, out)
    return out


def sheet_file(folder: Path, leader: str, ext: str) -> Path:
    from dol_toolkit.export.summary import slug

    return folder / f"resultatark-{slug(leader)}.{ext}"


@pytest.fixture(scope="module")
def personal_files(noted: WorkshopConfig, noted_data: WorkshopData,
                   sheets_dir: Path) -> dict[str, dict[str, dict[str, bytes]]]:
    """Per leader: their result sheet and their own summary in every format."""
    out: dict[str, dict[str, dict[str, bytes]]] = {}
    formats = FORMATS if pdf_unavailable() is None else tuple(f for f in FORMATS if f != "pdf")
    for leader in noted.leaders:
        sheet = build_sheet(noted_data, leader)
        summary = build_summary(noted, leader=leader, data=noted_data)
        out[leader] = {
            "sheet": {**{f: sheet_file(sheets_dir, leader, f).read_bytes() for f in ("docx", "pdf") if f in formats},
                      "html": document_bytes(sheet, "html"), "md": document_bytes(sheet, "md")},
            "summary": {f: document_bytes(summary, f) for f in formats},
        }
    return out


# -- 1. nothing of anyone else ---------------------------------------------------------------------------------
def test_a_leaders_sheet_summary_and_app_view_hold_no_other_leaders_name_or_private_note(
        noted: WorkshopConfig, noted_data: WorkshopData,
        personal_files: dict[str, dict[str, dict[str, bytes]]], pdf_part: PdfPart) -> None:
    pdf_part.report()
    everyone = data_leaders(noted_data)
    private = all_private()
    problems = []
    for leader in noted.leaders:
        views = {f"{kind}.{f}": text_of(f, data) for kind, files in personal_files[leader].items()
                 for f, data in files.items()}
        # The app's view is only the sections (the page around it names the leader).
        views["app"] = html.unescape(personal_html(noted_data, leader, noted_data.latest_wave or "", "da"))
        for where, text in views.items():
            if leader not in text and where != "app":
                problems.append(f"{leader}'s {where} does not name them")
            others = sorted(x for x in everyone - {leader} if x in text)
            if others:
                problems.append(f"{leader}'s {where} names {others}")
            for owner, notes in private.items():
                for note in notes:
                    shown = note in text or flat(note) in flat(text)
                    if owner != leader and shown:
                        problems.append(f"{leader}'s {where} shows {owner}'s private note {note!r}")
                    if owner == leader and where.startswith("summary") and not shown:
                        problems.append(f"{leader}'s own {where} lacks their private note {note!r}")
    summary = build_summary(noted, data=noted_data)
    for f in pdf_part.formats:
        text = text_of(f, document_bytes(summary, f))
        leaked = [n for notes in private.values() for n in notes if n in text or flat(n) in flat(text)]
        if leaked:
            problems.append(f"the group's summary ({f}) shows private notes {leaked}")
        outside = sorted(x for x in everyone - set(noted.leaders) if x in text)
        if outside:
            problems.append(f"the group's summary ({f}) names leaders outside the group: {outside}")
    assert not problems, "\n".join(problems)


# -- 2. a leader's own figures, recomputed -------------------------------------------------------------------------
def expected_comparison(d: WorkshopData, leader: str) -> list[list[str]]:
    wave = d.latest_wave or ""
    own = means(d, released(d, wave, [leader]))
    group = means(d, released(d, wave, list(d.config.leaders)))
    org = means(d, released(d, wave, None))
    rows = [COMPARISON_HEADER]
    for item, label in labels(d).items():
        o, g, w = own[item], group[item], org[item]
        diff = "" if o is None or g is None else fmt_signed(round(number(fmt(o)) - number(fmt(g)), 1))
        rows.append([label, HIDDEN_DA if o is None else fmt(o), HIDDEN_DA if g is None else fmt(g),
                     HIDDEN_DA if w is None else fmt(w), diff])
    return rows


def test_dine_medarbejdere_gruppen_and_organisation_are_the_figures_of_the_answers(
        noted: WorkshopConfig, noted_data: WorkshopData,
        personal_files: dict[str, dict[str, dict[str, bytes]]], pdf_part: PdfPart) -> None:
    pdf_part.report()
    d = noted_data
    wave = d.latest_wave or ""
    checked = 0
    for leader in noted.leaders:
        files = personal_files[leader]
        answered = (d.responses["leader_id"].astype(str) == leader) & (d.responses["wave"].astype(str) == wave)
        sheet = docx_table(files["sheet"]["docx"], COMPARISON_HEADER)
        if not answered.any():  # nobody answered about this leader in the round: a sentence, and no table
            assert sheet is None
            assert f"Der er ingen svar om dig i runde {wave}" in docx_text(files["sheet"]["docx"])
            continue
        expected = expected_comparison(d, leader)
        assert sheet == expected, leader
        assert docx_table(files["summary"]["docx"], COMPARISON_HEADER) == expected, leader
        app = Page(personal_html(d, leader, wave, "da")).tables["comparison"]
        assert app == expected, leader
        for fmt_ in ("sheet", "summary") if pdf_part.ready else ():
            text = flat(" ".join(pdf_pages(files[fmt_]["pdf"])))
            for row in expected[1:]:
                assert flat(" ".join(c for c in row if c)) in text, (leader, fmt_, row)
        checked += 1
    assert checked >= 4


# -- 3. a hidden leader: no employee number anywhere ---------------------------------------------------------------
@pytest.fixture(scope="module")
def seven(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> WorkshopConfig:
    config = configured(repo, tmp_path_factory.mktemp("seven"), min_n=7)
    write_notes(config)
    return config


def hidden_leaders(d: WorkshopData) -> list[str]:
    wave = d.latest_wave or ""
    size = employees_of(d, wave).groupby("leader")["who"].nunique()
    return [x for x in d.config.leaders if 0 < size.get(x, 0) < d.config.min_n]


def test_a_leader_under_min_n_7_has_no_employee_figure_in_any_form(seven: WorkshopConfig,
                                                                   tmp_path: Path, pdf_part: PdfPart) -> None:
    pdf_part.report()
    d = load_workshop_data(seven)
    hidden = hidden_leaders(d)
    assert "Nanna Østergaard" in hidden and "Helle Kjeldsen" in hidden  # 5 and 1 employee answers in 2026
    wave = d.latest_wave or ""
    group = means(d, released(d, wave, list(seven.leaders)))
    org = means(d, released(d, wave, None))
    allowed = {fmt(v) for v in (*group.values(), *org.values()) if v is not None} | {fmt(THRESHOLD)}
    dol_sheets(seven, tmp_path)
    problems = []
    for leader in hidden:
        sheet = build_sheet(d, leader)
        views = {
            "docx": docx_text(sheet_file(tmp_path, leader, "docx").read_bytes()),
            **({"pdf": flat(" ".join(pdf_pages(sheet_file(tmp_path, leader, "pdf").read_bytes())))}
               if pdf_part.ready else {}),
            "html": Page(document_bytes(sheet, "html").decode()).visible,
            "md": document_bytes(sheet, "md").decode(),
            "app": Page(personal_html(d, leader, wave, "da")).visible,
        }
        for where, text in views.items():
            if "færre end 7" not in text:
                problems.append(f"{leader} {where}: no 'færre end 7' statement")
            if "færre end 5" in text:
                problems.append(f"{leader} {where}: says 'færre end 5' in a workshop with min_n 7")
            signed = re.findall(rf"[+{MINUS}]\d+,\d", text)
            if signed:  # a difference or a gap: the employees' mean is the own answer minus it
                problems.append(f"{leader} {where}: signed figures {signed}")
            stray = sorted({x for x in re.findall(r"(?<![\d,])\d,\d(?![\d,])", text) if x not in allowed})
            if stray:
                problems.append(f"{leader} {where}: figures that are neither the group's nor the "
                                f"organisation's: {stray}")
        page = Page(document_bytes(sheet, "html").decode())
        app = Page(personal_html(d, leader, wave, "da"))
        for where, p in (("html", page), ("app", app)):
            if {"my_likert", "means"} & set(p.charts):
                problems.append(f"{leader} {where}: charts of their employees {p.charts}")
            if any(re.search(r"\d", alt) for alt in p.alts):
                problems.append(f"{leader} {where}: an alt text with a figure {p.alts}")
            yours = [row[1] for row in p.tables.get("comparison", [])[1:]]
            if not yours or any(x != HIDDEN_DA for x in yours):
                problems.append(f"{leader} {where}: 'Dine medarbejdere' column {yours}")
        document = open_docx(str(sheet_file(tmp_path, leader, "docx")))
        if document.inline_shapes:
            problems.append(f"{leader} docx: {len(document.inline_shapes)} pictures")
        descr = re.findall(r'descr="([^"]*)"', docx_everything(sheet_file(tmp_path, leader, "docx").read_bytes()))
        if any(re.search(r"\d", x) for x in descr):
            problems.append(f"{leader} docx: alt texts with figures {descr}")
    assert not problems, "\n".join(problems)


# -- 4. nor derivable by subtracting group figures -----------------------------------------------------------------
def group_view(content: dict, lang: str, wave: str) -> tuple[list, dict, list]:
    page = Page(content["group_html"][lang][wave])
    pngs = re.findall(r"data:image/png;base64,([^\"]+)", content["group_html"][lang][wave])
    notices = [n for n in page.notices if not re.match(r"\d+ (leder|leader)", n)]  # the count of left-out leaders
    return pngs, page.tables, notices


@pytest.mark.parametrize("min_n", [5, 7])
def test_the_groups_figures_are_the_same_with_and_without_its_hidden_leaders(repo: Path, tmp_path: Path,
                                                                            min_n: int) -> None:
    full = configured(repo, tmp_path / "full", min_n=min_n)
    d = load_workshop_data(full)
    emp = employees_of(d, d.latest_wave or "")
    size = emp.groupby("leader")["who"].nunique()
    shown = tuple(x for x in LEADERS if size.get(x, 0) >= min_n)
    assert 0 < len(shown) < len(LEADERS)
    reduced = configured(repo, tmp_path / "reduced", shown, min_n=min_n)
    a, b = build_content(full), build_content(reduced)
    assert a["waves"] == b["waves"]
    assert a["item_figures"] == b["item_figures"]
    for lang in ("da", "en"):
        for wave in a["waves"]:
            pa, pb = group_view(a, lang, wave), group_view(b, lang, wave)
            assert pa[1] == pb[1], (lang, wave, "tables")
            assert pa[2] == pb[2], (lang, wave, "notices")
            assert len(pa[0]) == len(pb[0]) and pa[0] == pb[0], (lang, wave, "charts differ")

    def employees_answered(config: WorkshopConfig) -> str:
        facts = dict(build_summary(config, data=load_workshop_data(config)).facts)
        return facts["Svar"].split(" i runde")[0]

    # The pooled count printed in the heading block is the one of the leaders shown, recomputed here.
    pooled = released(d, d.latest_wave or "", list(LEADERS))["who"].nunique()
    assert employees_answered(full) == employees_answered(reduced) == f"{pooled} medarbejdere har svaret"


# -- 5. gaps, blind spots and hidden strengths as a reader checks them ----------------------------------------------
GAP_LISTS = ("my_gaps_positive", "my_gaps_negative", "my_blind_spots", "my_hidden_strengths")


def test_every_gap_shown_is_the_own_answer_minus_the_shown_mean_and_is_classified_by_the_shown_gap(
        repo: Path, tmp_path: Path) -> None:
    # The sample group, and three leaders of the data whose gaps fall on a rounding edge in one round.
    leaders = (*LEADERS, "Mette Nørgaard", "Kasper Brandt", "Jakob Kjærgaard")
    config = configured(repo, tmp_path / "gaps", leaders)
    d = load_workshop_data(config)
    names = {v: k for k, v in labels(d).items()}
    problems = []
    checked = 0
    for leader in leaders:
        for wave in d.waves:
            page = Page(personal_html(d, leader, wave, "da"))
            if "comparison" not in page.tables or not page.items.get("my_gaps_positive"):
                continue
            shown_mean = {names[row[0]]: number(row[1]) for row in page.tables["comparison"][1:]
                          if row[1] != HIDDEN_DA and row[0] in names}
            lists: dict[str, dict[str, float]] = {}
            for key in GAP_LISTS:
                lists[key] = {}
                for entry in page.items.get(key, []):
                    if entry in ("Ingen", "ingen"):
                        continue
                    label, value = entry.rsplit(": ", 1)
                    lists[key][names[label]] = number(value)
            for key, entries in lists.items():
                for item, gap in entries.items():
                    self_answer = own_answer(d, leader, wave, "self", item)
                    checked += 1
                    if self_answer is None or round(self_answer - shown_mean[item], 1) != gap:
                        problems.append(f"{leader} {wave} {key} {item}: shown {gap}, own answer {self_answer} "
                                        f"minus shown mean {shown_mean.get(item)}")
                    if key == "my_gaps_positive" and not gap > 0:
                        problems.append(f"{leader} {wave}: {item} listed as rated higher with a gap of {gap}")
                    if key == "my_gaps_negative" and not gap < 0:
                        problems.append(f"{leader} {wave}: {item} listed as rated lower with a gap of {gap}")
                    if key == "my_blind_spots" and not gap >= THRESHOLD:
                        problems.append(f"{leader} {wave}: blind spot {item} with a gap of {gap}")
                    if key == "my_hidden_strengths" and not gap <= -THRESHOLD:
                        problems.append(f"{leader} {wave}: hidden strength {item} with a gap of {gap}")
            # The leader knows their own answer: every item whose shown gap reaches the threshold is named.
            for item, mean in shown_mean.items():
                self_answer = own_answer(d, leader, wave, "self", item)
                if item == "index" or self_answer is None:
                    continue
                gap = round(self_answer - mean, 1)
                if gap >= THRESHOLD and item not in lists["my_blind_spots"]:
                    problems.append(f"{leader} {wave}: {item} is {gap:+.1f} (own answer {self_answer:g}, "
                                    f"employees {fmt(mean)}) but not among the blind spots")
                if gap <= -THRESHOLD and item not in lists["my_hidden_strengths"]:
                    problems.append(f"{leader} {wave}: {item} is {gap:+.1f} (own answer {self_answer:g}, "
                                    f"employees {fmt(mean)}) but not among the hidden strengths")
    assert checked >= 30
    assert not problems, "\n".join(problems)


# -- 6. "Forskel" in the app, DOCX and PDF, recomputed ---------------------------------------------------------------
def test_the_groups_table_and_focus_figures_are_the_answers_and_forskel_their_shown_difference(
        workshop: WorkshopConfig, pdf_part: PdfPart) -> None:
    pdf_part.report()
    d = load_workshop_data(workshop)
    content = build_content(workshop, d)
    for wave in d.waves:
        group = means(d, released(d, wave, list(workshop.leaders)))
        org = means(d, released(d, wave, None))
        for lang in ("da", "en"):
            expected = []
            for item, label in labels(d, lang).items():
                g, o = group[item], org[item]
                assert g is not None and o is not None
                expected.append([label, fmt(g, lang), fmt(o, lang),
                                 fmt_signed(round(number(fmt(g)) - number(fmt(o)), 1), lang)])
            table = Page(content["group_html"][lang][wave]).tables["vs_org"]
            assert table[1:] == expected, (wave, lang)
    wave = d.latest_wave or ""
    summary = build_summary(workshop, data=d)
    data = document_bytes(summary, "docx")
    table = docx_table(data, VS_ORG_HEADER)
    assert table is not None
    page = Page(content["group_html"]["da"][wave]).tables["vs_org"]
    assert table == page
    pdf = flat(" ".join(pdf_pages(document_bytes(summary, "pdf")))) if pdf_part.ready else None
    for row in table[1:]:
        if pdf is not None:
            assert flat(" ".join(row)) in pdf, row
        assert round(number(row[1]) - number(row[2]), 1) == number(row[3]), row
    # The action plan's focus table: the group's mean as in the table above, and the share agreeing.
    answers = released(d, wave, list(workshop.leaders))
    focus = docx_table(data, ["Spørgsmål", "Gennemsnit", "Andel enige"])
    assert focus is not None and len(focus) == 3
    by_label = {row[0]: row for row in table}
    for label, mean, agree in focus[1:]:
        item = {v: k for k, v in labels(d).items()}[label]
        assert mean == by_label[label][1]
        assert agree == f"{agree_share(answers, item) * 100:.0f} %", (label, agree)


# -- 7. the heading block comes from the configuration ------------------------------------------------------------
def test_the_heading_block_and_every_footer_follow_the_configured_workshop(repo: Path, tmp_path: Path,
                                                                          pdf_part: PdfPart) -> None:
    pdf_part.report()
    config = configured(repo, tmp_path / "dated", day="2026-06-10", organisation="Testkommune Nord",
                        facilitator="Ida Ærø, HR")
    write_notes(config)
    out = tmp_path / "out"
    for f in ("docx", "pdf") if pdf_part.ready else ("docx",):
        assert main(["export", str(config.path), "--format", f, "--out", str(out)]) == 0
    files = sorted(out.iterdir())
    assert [p.name for p in files] == ["opsamling-ledergruppe-teknik-og-miljoe-2026-06-10.docx",
                                       "opsamling-ledergruppe-teknik-og-miljoe-2026-06-10.pdf"][:len(files)]
    assert len(files) == (2 if pdf_part.ready else 1)
    d = load_workshop_data(config)
    wave = d.latest_wave or ""
    r = d.responses[(d.responses["wave"].astype(str) == wave).to_numpy()]
    in_group = r[r["leader_id"].astype(str).isin(LEADERS).to_numpy()]
    selfs = in_group[in_group["role"].astype(str) == "self"]["leader_id"].astype(str).nunique()
    managers = in_group[in_group["role"].astype(str) == "manager"]["leader_id"].astype(str).nunique()
    pooled = released(d, wave, list(LEADERS))["who"].nunique()
    responses = (f"{pooled} medarbejdere har svaret i runde {wave} · {selfs} af 6 ledere har vurderet sig selv · "
                 f"{managers} af 6 ledere har en vurdering fra egen leder")
    facts = {"Organisation": "Testkommune Nord", "Gruppe": "Ledergruppe Teknik og Miljø",
             "Workshopdato": "10. juni 2026", "Facilitator": "Ida Ærø, HR", "Deltagere": ", ".join(LEADERS),
             "Svar": responses}
    docx = files[0].read_bytes()
    first = docx_tables(docx)[0]
    assert {row[0]: row[1] for row in first} == facts
    document = open_docx(io.BytesIO(docx))
    assert "10. juni 2026" in document.sections[0].footer.paragraphs[0].text
    pages = pdf_pages(files[1].read_bytes()) if pdf_part.ready else []
    top = flat(pages[0]) if pages else ""
    for label, value in facts.items() if pages else ():
        assert f"{label} {value}" in top, label
    today = long_date(date.today(), "da")
    for number_, text in enumerate(pages, start=1):
        assert "10. juni 2026" in text, f"page {number_} has no date"
        if today != "10. juni 2026":
            assert today not in text, f"page {number_} is dated today"
    # The sheet and the handouts are dated by the workshop too; English writes the date the English way.
    sheet = build_sheet(d, "Klaus Tønnesen")
    assert "Fortroligt – Klaus Tønnesen · 10. juni 2026" in flat(docx_text(document_bytes(sheet, "docx")))
    if pdf_part.ready:
        for _name, handout in build_handouts(config):
            assert "Workshopdato 10. juni 2026" in flat(" ".join(pdf_pages(document_bytes(handout, "pdf"))))
        english = flat(" ".join(pdf_pages(document_bytes(build_summary(config, lang="en", data=d), "pdf"))))
        assert "Workshop date 10 June 2026" in english and "10. juni" not in english
    # Without a date in the configuration, the document says it is the day it was printed.
    undated = configured(repo, tmp_path / "undated", day=None)
    facts_undated = dict(build_summary(undated, when=date(2027, 1, 2)).facts)
    assert facts_undated.get("Udskrevet") == "2. januar 2027" and "Workshopdato" not in facts_undated


# -- 8. every page numbered, one footer size ------------------------------------------------------------------------
def footer_sizes(data: bytes) -> tuple[set, list[str]]:
    document = open_docx(io.BytesIO(data))
    sizes = set()
    fields = []
    for section in document.sections:
        for paragraph in [*section.footer.paragraphs, *section.header.paragraphs]:
            sizes |= {run.font.size for run in paragraph.runs}
        for paragraph in section.footer.paragraphs:
            fields += [e.text.strip() for e in paragraph._p.iter(qn("w:instrText"))]
    return sizes, fields


def test_every_page_of_every_sheet_and_handout_is_numbered_and_marked(noted: WorkshopConfig, sheets_dir: Path,
                                                                      tmp_path: Path, pdf_part: PdfPart) -> None:
    pdf_part.report()
    problems = []
    for leader in noted.leaders:
        pages = pdf_pages(sheet_file(sheets_dir, leader, "pdf").read_bytes()) if pdf_part.ready else []
        for number_, text in enumerate(pages, start=1):
            if f"Side {number_} af {len(pages)}" not in text:
                problems.append(f"{leader} sheet page {number_}: no 'Side {number_} af {len(pages)}'")
            if leader not in text or "fortroligt" not in text.lower():
                problems.append(f"{leader} sheet page {number_}: not marked with their name and 'Fortroligt'")
        sizes, fields = footer_sizes(sheet_file(sheets_dir, leader, "docx").read_bytes())
        if len(sizes) != 1 or None in sizes or fields != ["PAGE", "NUMPAGES"]:
            problems.append(f"{leader} sheet docx: header/footer sizes {sizes}, fields {fields}")
    dol_handouts(noted, tmp_path)
    handouts = sorted(p.with_suffix(".pdf") for p in tmp_path.glob("*.docx"))
    assert len(handouts) == 1 + len(load_theme().cases)
    for path in handouts:
        pages = pdf_pages(path.read_bytes()) if pdf_part.ready else []
        for number_, text in enumerate(pages, start=1):
            if f"Side {number_} af {len(pages)}" not in text:
                problems.append(f"{path.name} page {number_}: no 'Side {number_} af {len(pages)}'")
        sizes, fields = footer_sizes(path.with_suffix(".docx").read_bytes())
        if len(sizes) != 1 or None in sizes or fields != ["PAGE", "NUMPAGES"]:
            problems.append(f"{path.name[:-4]}.docx: header/footer sizes {sizes}, fields {fields}")
    english = document_bytes(build_sheet(load_workshop_data(noted), "Klaus Tønnesen", lang="en"), "pdf") \
        if pdf_part.ready else None
    pages = pdf_pages(english) if english is not None else []
    for number_, text in enumerate(pages, start=1):
        if f"Page {number_} of {len(pages)}" not in text:
            problems.append(f"English sheet page {number_}: no 'Page {number_} of {len(pages)}'")
    assert not problems, "\n".join(problems)


# -- 9. one language at a time ---------------------------------------------------------------------------------
def fragments(lang: str, other: str) -> set[str]:
    """Pieces of ``lang``'s catalog (between its {fields}) that ``other``'s catalog does not have."""
    mine, theirs = catalog(lang), catalog(other)  # type: ignore[arg-type]
    everything = " ".join(theirs.values())
    out = set()
    for key, value in mine.items():
        if theirs.get(key) == value:
            continue
        for piece in re.split(r"\{[^}]*\}", value):
            piece = piece.strip(" .,:;·–-()»«\"'")
            if len(piece) >= 14 and piece not in everything:
                out.add(piece)
    return out


@pytest.mark.parametrize(("lang", "other"), [("en", "da"), ("da", "en")])
def test_a_document_speaks_one_language(workshop: WorkshopConfig, lang: str, other: str, pdf_part: PdfPart) -> None:
    pdf_part.report()
    d = load_workshop_data(workshop)
    documents = [build_summary(workshop, lang=lang, data=d), build_sheet(d, "Klaus Tønnesen", lang=lang),
                 build_sheet(d, "Helle Kjeldsen", lang=lang), *[x for _, x in build_handouts(workshop, lang=lang)]]
    foreign = fragments(other, lang)
    assert len(foreign) > 50
    own_words = set(catalog(lang).values())  # type: ignore[arg-type]
    short = {v for k, v in catalog(other).items()  # type: ignore[arg-type]
             if k.startswith(("doc.col_", "doc.meta_", "results.")) and v not in own_words and "{" not in v
             and len(v) < 30}
    problems = []
    for document in documents:
        docx = document_bytes(document, "docx")
        pdf = flat(" ".join(pdf_pages(document_bytes(document, "pdf")))) if pdf_part.ready else None
        for where, text in (("docx", flat(docx_text(docx))), *((("pdf", pdf),) if pdf is not None else ())):
            found = sorted(f for f in foreign if f in text)
            if found:
                problems.append(f"{document.kind} {document.leader or ''} {where}: {found}")
        tables = docx_tables(docx)
        headers = {cell for table in tables for cell in table[0]} | {row[0] for table in tables for row in table}
        wrong = sorted(headers & short)
        if wrong:
            problems.append(f"{document.kind} {document.leader or ''} docx table labels in {other}: {wrong}")
        day = "27 November 2026" if lang == "en" else "27. november 2026"
        if pdf is not None and day not in pdf:
            problems.append(f"{document.kind} {document.leader or ''}: no {day!r}")
    assert not problems, "\n".join(problems)


# -- 10. singular and plural -----------------------------------------------------------------------------------------
def test_one_left_out_leader_is_singular_and_two_are_plural_in_the_documents(workshop: WorkshopConfig, repo: Path,
                                                                            tmp_path: Path, pdf_part: PdfPart) -> None:
    pdf_part.report()
    two = configured(repo, tmp_path / "two", (*LEADERS, "Bjørn Ærenlund"))  # 4 employee answers in 2026
    cases = [
        (workshop, ("1 leder i gruppen har færre end 5 medarbejdersvar; lederens medarbejderes svar indgår ikke i "
                    "gruppens tal.",
                    "I runde 2026 har 1 leder i gruppen færre end 5 medarbejdersvar; lederens medarbejderes svar "
                    "indgår derfor ikke.",
                    "1 leader in the group has fewer than 5 employee answers; that leader's employees' answers")),
        (two, ("2 ledere i gruppen har færre end 5 medarbejdersvar; deres medarbejderes svar indgår ikke i gruppens "
               "tal.",
               "I runde 2026 har 2 ledere i gruppen færre end 5 medarbejdersvar; deres medarbejderes svar indgår "
               "derfor ikke.",
               "2 leaders in the group have fewer than 5 employee answers; their employees' answers")),
    ]
    for config, (notice, method, english) in cases:
        summary = build_summary(config)
        for text in (flat(docx_text(document_bytes(summary, "docx"))),
                     *((flat(" ".join(pdf_pages(document_bytes(summary, "pdf")))),) if pdf_part.ready else ())):
            assert notice in text
            assert method in text
            assert "leder(e)" not in text and "1 ledere" not in text and not re.search(r"\b[2-9] leder\b", text)
        assert english in flat(docx_text(document_bytes(build_summary(config, lang="en"), "docx")))


# -- 11. handouts ----------------------------------------------------------------------------------------------------
def ruled_after(document, heading: str) -> int:
    """How many empty ruled paragraphs follow the heading ``heading`` before the next heading."""
    count, inside = 0, False
    for p in document.paragraphs:
        if p.style.name.startswith("Heading"):
            if inside:
                break
            inside = flat(p.text) == flat(heading)
            continue
        if inside and not p.text.strip() and p._p.pPr is not None and p._p.pPr.find(qn("w:pBdr")) is not None:
            count += 1
    return count


def pdf_rules(data: bytes) -> int:
    """Lines drawn across the text width (ruled lines to write on)."""
    pdf = pdfium.PdfDocument(data)
    count = 0
    for i in range(len(pdf)):
        for obj in pdf[i].get_objects():
            if obj.type == pdfium_raw.FPDF_PAGEOBJ_PATH:
                left, bottom, right, top = obj.get_bounds()
                if right - left > 400 and top - bottom < 40:
                    count += 1
    return count


@pytest.mark.parametrize("lang", ["da", "en"])
def test_handouts_have_every_question_case_and_prompt_with_room_to_write(noted: WorkshopConfig, lang: str,
                                                                         tmp_path: Path, pdf_part: PdfPart) -> None:
    pdf_part.report()
    theme = load_theme()
    dol_handouts(noted, tmp_path, "--lang", lang)
    first = "refleksionsspoergsmaal" if lang == "da" else next(p.stem for p in tmp_path.glob("*.docx")
                                                                if "case" not in p.stem)
    everyone = data_leaders(load_workshop_data(noted))
    problems = []

    def check(stem: str, titles: list[str], texts: list[str], rooms: list[str], lines: int) -> None:
        docx_bytes = (tmp_path / f"{stem}.docx").read_bytes()
        pdf_bytes = (tmp_path / f"{stem}.pdf").read_bytes() if pdf_part.ready else None
        docx = flat(docx_text(docx_bytes))
        pdf = flat(" ".join(pdf_pages(pdf_bytes))) if pdf_bytes is not None else None
        for where, text in (("docx", docx), *((("pdf", pdf),) if pdf is not None else ())):
            for part in [*titles, *texts, *rooms]:
                if flat(part) not in text:
                    problems.append(f"{stem}.{where} lacks {part[:60]!r}")
            names = sorted(x for x in everyone if x in text)
            if names or "fortroligt" in text.lower() or "confidential" in text.lower():
                problems.append(f"{stem}.{where} names {names} or is marked confidential")
        document = open_docx(io.BytesIO(docx_bytes))
        for heading in rooms:
            if ruled_after(document, heading) < 5:
                problems.append(f"{stem}.docx: {ruled_after(document, heading)} lines to write after {heading!r}")
        if pdf_bytes is not None and pdf_rules(pdf_bytes) < lines * len(rooms):
            problems.append(f"{stem}.pdf: {pdf_rules(pdf_bytes)} ruled lines for {len(rooms)} places to write")

    questions = theme.reflection_questions
    check(first, [q.title(lang) for q in questions], [s.text(lang) for q in questions for s in q.sub_questions],
          [q.title(lang) for q in questions], 5)
    for number_, case in enumerate(theme.cases, start=1):
        check(f"case-{number_}", [case.title(lang)], [case.text(lang)], [p.text(lang) for p in case.prompts], 5)
    assert not problems, "\n".join(problems)


# -- 12-13. a leader's name is text, and their file is their own --------------------------------------------------
NASTY = "Klaus \"K\" <b>Tønnesen</b></style><script>alert(1)</script> & 'Co'"
TWINS = ("Nanna Østergaard", "Nanna Oestergaard")  # one file name for both, if names are only slugged


@pytest.fixture(scope="module")
def odd_names(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> WorkshopConfig:
    """The sample data with Klaus Tønnesen renamed to a name holding markup and quotes, and Morten Vestergaard
    renamed to a name that is written the same as Nanna Østergaard's without the Danish letter."""
    folder = tmp_path_factory.mktemp("odd")
    source = (repo / "data" / "samples" / "ledelsesevaluering_digital_omstilling.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(source), delimiter=";"))
    column = rows[0].index("Leder")
    renamed = {"Klaus Tønnesen": NASTY, "Morten Vestergaard": TWINS[1]}
    for row in rows[1:]:
        row[column] = renamed.get(row[column], row[column])
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    (folder / "data.csv").write_text(buffer.getvalue(), encoding="utf-8")
    text = (repo / "workshop" / "eksempel.toml").read_text(encoding="utf-8")
    text = re.sub(r'(?m)^file = "[^"]*"', 'file = "data.csv"', text)
    text = re.sub(r'(?m)^database = "[^"]*"', 'database = "notes.sqlite"', text)
    leaders = [NASTY, *TWINS, "Helle Kjeldsen", "Birgitte Sandbæk"]
    listed = ", ".join(json.dumps(x, ensure_ascii=False) for x in leaders)
    text = re.sub(r"(?ms)^leaders = \[.*?\]", f"leaders = [{listed}]", text)
    text = re.sub(r"(?ms)^# Personal codes.*", "", text)
    (folder / "workshop.toml").write_text(text, encoding="utf-8")
    config = load_config(folder / "workshop.toml")
    assert config.leaders == tuple(leaders)
    return config


def test_a_leader_name_with_markup_and_quotes_is_shown_as_text_in_every_format(odd_names: WorkshopConfig,
                                                                               pdf_part: PdfPart) -> None:
    pdf_part.report()
    d = load_workshop_data(odd_names)
    sheet = build_sheet(d, NASTY)
    summary = build_summary(odd_names, leader=NASTY, data=d)
    problems = []
    for document in (sheet, summary):
        kind = document.kind
        source = document_bytes(document, "html").decode()
        page = Page(source)
        injected = sorted({t for t in page.tags if t in ("script", "b")})
        if injected:
            problems.append(f"{kind}.html: the name became markup: <{'>, <'.join(injected)}>")
        if NASTY not in page.visible:
            problems.append(f"{kind}.html: the name is not shown as typed")
        if "font-family" in page.visible:
            problems.append(f"{kind}.html: style sheet text is shown on the page")
        pages = pdf_pages(document_bytes(document, "pdf")) if pdf_part.ready else []
        for number_, text in enumerate(pages, start=1):
            if f"Side {number_} af {len(pages)}" not in text:
                problems.append(f"{kind}.pdf page {number_}: no 'Side {number_} af {len(pages)}'")
            if "font-family" in text or "@bottom-left" in text:
                problems.append(f"{kind}.pdf page {number_}: style sheet text printed on the page")
        if pdf_part.ready and re.sub(r"\s", "", NASTY) not in re.sub(r"\s", "", " ".join(pages)):
            problems.append(f"{kind}.pdf: the name is not shown as typed")  # (a line may break after "/")
        if NASTY not in docx_text(document_bytes(document, "docx")):
            problems.append(f"{kind}.docx: the name is not shown as typed")
        markdown = document_bytes(document, "md").decode()
        if "<script>" in markdown or "<b>" in markdown:
            problems.append(f"{kind}.md: raw markup from the name")
    assert not problems, "\n".join(problems)


def test_two_leaders_whose_names_look_alike_each_get_their_own_sheet(odd_names: WorkshopConfig,
                                                                      tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str],
                                                                      pdf_ready: None) -> None:
    assert main(["sheets", str(odd_names.path), "--out", str(tmp_path)]) == 0
    printed = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    files = sorted(tmp_path.iterdir())
    assert len(set(printed)) == len(printed), f"the same file written twice: {printed}"
    assert len(files) == 2 * len(odd_names.leaders), [p.name for p in files]
    for twin in TWINS:
        other = next(x for x in TWINS if x != twin)
        own = [p for p in files if p.suffix == ".pdf" and twin in flat(" ".join(pdf_pages(p.read_bytes())))
               and other not in flat(" ".join(pdf_pages(p.read_bytes())))]
        assert len(own) == 1, f"{twin}: {len(own)} sheets of their own"


# -- 14. bad input -------------------------------------------------------------------------------------------------
def run_dol(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dol_toolkit.cli", *args], capture_output=True, text=True,
                          timeout=600, check=False)


def test_bad_input_exits_2_with_one_line_and_no_traceback(workshop: WorkshopConfig, repo: Path,
                                                         tmp_path: Path, pdf_part: PdfPart) -> None:
    pdf_part.report()
    stranger = configured(repo, tmp_path / "stranger", ("Klaus Tønnesen", "Ingen Sådan Leder"))
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    cases = {
        "missing config": (("sheets", str(tmp_path / "missing.toml"), "--out", str(tmp_path / "o1")),
                           "missing.toml"),
        "leader not in the data": (("sheets", str(stranger.path), "--out", str(tmp_path / "o2")),
                                   "Ingen Sådan Leder"),
        "out under a file (sheets)": (("sheets", str(workshop.path), "--out", str(blocker / "sub")), "a-file"),
        "out under a file (handouts)": (("handouts", str(workshop.path), "--out", str(blocker / "sub")),
                                        "a-file"),
        **({"out under a file (export pdf)": (("export", str(workshop.path), "--format", "pdf", "--out",
                                               str(blocker / "sub" / "x.pdf")), "a-file")} if pdf_part.ready else {}),
        "leader of the data but not of the group": (("export", str(workshop.path), "--leader", "Anne Kofoed",
                                                     "--out", str(tmp_path / "o3")), "Anne Kofoed"),
    }
    problems = []
    for name, (args, mentioned) in cases.items():
        # The first case through the real entry point (python -m dol_toolkit.cli), the others in this process.
        result = run_dol(*args) if name == "missing config" else run_dol_in_process(*args)
        lines = [x for x in result.stderr.splitlines() if x.strip()]
        if result.returncode != 2:
            problems.append(f"{name}: exit {result.returncode}")
        if len(lines) != 1 or "Traceback" in result.stderr:
            problems.append(f"{name}: stderr is {result.stderr!r}")
        elif not lines[0].startswith(f"dol {args[0]}: ") or mentioned not in lines[0]:
            problems.append(f"{name}: the message {lines[0]!r} does not name {mentioned!r}")
        if result.stdout.strip():
            problems.append(f"{name}: printed {result.stdout!r} on stdout")
    assert not problems, "\n".join(problems)
