"""The documents a facilitator hands out: the summary as PDF, the personal result sheets and the handouts, read
back as a reader gets them (DOCX paragraphs and tables, PDF text page by page).

Only the PDF checks ask for WeasyPrint's Pango (the ``pdf_ready`` fixture); the DOCX checks run everywhere."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from docx import Document as open_docx
from docx.oxml.ns import qn

from dol_toolkit.cli import main
from dol_toolkit.export.sheets import write_handouts, write_sheets
from dol_toolkit.export.summary import document_bytes, slug
from dol_toolkit.plots._format import format_decimal
from dol_toolkit.report.documents import build_summary
from dol_toolkit.stats import Selection, describe_selection
from dol_toolkit.stats.workshop_data import load_workshop_data
from dol_toolkit.workshop import WorkshopConfig, load_config

from .conftest import make_config, pdf_unavailable, write_notes


def pdf_pages(data: bytes) -> list[str]:
    pdf = pdfium.PdfDocument(data)
    return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]


def docx_text(path_or_bytes: Path | bytes) -> str:
    """Everything a DOCX shows: paragraphs, table cells, headers and footers."""
    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else str(path_or_bytes)
    document = open_docx(source)
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs] + [p.text for p in section.footer.paragraphs]
    return "\n".join(parts)


def flat(text: str) -> str:
    return " ".join(text.split())


# -- the summary as PDF ----------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def summary_pdf(workshop: WorkshopConfig, tmp_path_factory: pytest.TempPathFactory, pdf_ready: None) -> list[str]:
    out = tmp_path_factory.mktemp("pdf")
    assert main(["export", str(workshop.path), "--format", "pdf", "--out", str(out)]) == 0
    files = list(out.glob("*.pdf"))
    assert len(files) == 1 and files[0].name == "opsamling-ledergruppe-teknik-og-miljoe-2026-11-27.pdf"
    return pdf_pages(files[0].read_bytes())


def test_every_page_of_the_pdf_says_side_x_af_y(summary_pdf: list[str]) -> None:
    pages = len(summary_pdf)
    assert pages >= 5
    for number, text in enumerate(summary_pdf, start=1):
        assert f"Side {number} af {pages}" in text


def test_the_pdf_starts_with_the_heading_block_and_a_page_on_method(summary_pdf: list[str],
                                                                     workshop: WorkshopConfig) -> None:
    first = flat(summary_pdf[0])
    for fact in ("Eksempel Kommune", "Ledergruppe Teknik og Miljø", "27. november 2026", "Mette Holm, HR",
                 "Birgitte Sandbæk", "Nanna Østergaard", "medarbejdere har svaret"):
        assert fact in first, fact
    assert "Om metoden og anonymiteten" not in first
    assert "Om metoden og anonymiteten" in flat(summary_pdf[1])  # a page of its own after the heading block
    # In 2026 one leader of the sample group has 1 employee answer (and one has none): singular.
    words = flat(" ".join(summary_pdf))
    assert "1 leder i gruppen har færre end 5 medarbejdersvar; lederens medarbejderes svar indgår ikke" in words
    assert "leder(e)" not in words


def test_no_page_of_the_pdf_ends_with_a_heading(summary_pdf: list[str], workshop: WorkshopConfig) -> None:
    summary = build_summary(workshop)
    headings = {flat(s.heading) for s in summary.sections}
    for number, text in enumerate(summary_pdf, start=1):
        lines = [flat(x) for x in text.splitlines() if x.strip() and not re.match(r"Side \d+ af \d+", x.strip())]
        body = [x for x in lines if summary.footer not in x and summary.kicker not in x]
        assert body, f"page {number} is empty"
        assert body[-1] not in headings, f"page {number} ends with the heading {body[-1]!r}"


def test_the_pdf_has_the_notes_as_lists_and_the_follow_up_in_danish(summary_pdf: list[str]) -> None:
    text = flat(" ".join(summary_pdf))
    assert "Gruppen følger op den 1. marts 2027." in text
    assert "Andel enige" in text
    assert "<script>alert(1)</script>" in text  # a note is text, shown as typed


# -- DOCX ---------------------------------------------------------------------------------------------------------
def test_the_docx_has_shaded_table_headers_page_x_of_y_and_lists_from_notes(workshop: WorkshopConfig) -> None:
    document = open_docx(io.BytesIO(document_bytes(build_summary(workshop), "docx")))
    actions = [t for t in document.tables if t.rows[0].cells[0].text == "Hvad"]
    assert actions
    header_cell = actions[0].rows[0].cells[0]._tc
    assert header_cell.tcPr.find(qn("w:shd")).get(qn("w:fill")) == "DBE7F3"
    footer = document.sections[0].footer.paragraphs[0]
    instructions = [e.text.strip() for e in footer._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert "Side" in footer.text and " af " in footer.text
    sizes = {r.font.size for r in footer.runs}
    assert len(sizes) == 1  # one size for the footer's text and its page numbers
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert "heller ikke" in bullets  # the note's "- heller ikke" line is a list item
    headings = [p for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert all(p.paragraph_format.keep_with_next or p.style.paragraph_format.keep_with_next for p in headings)


def test_a_leaders_own_summary_is_marked_confidential_with_their_results_first(workshop: WorkshopConfig) -> None:
    summary = build_summary(workshop, leader="Klaus Tønnesen")
    keys = [s.key for s in summary.sections]
    assert keys[0] == "personal" and keys.index("my_employees") < keys.index("about")
    text = docx_text(document_bytes(summary, "docx"))
    assert "FORTROLIGT" in text
    assert text.count("Ingen noter.") <= len([s for s in summary.sections if s.key.startswith("notes:")])
    assert "Dine private noter" in text and "Klaus privat" in text and "Morten privat" not in text


# -- the personal result sheets --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sheets(workshop: WorkshopConfig, tmp_path_factory: pytest.TempPathFactory, pdf_ready: None) -> Path:
    """The sheets as ``dol sheets`` writes them: DOCX and PDF."""
    out = tmp_path_factory.mktemp("sheets")
    assert main(["sheets", str(workshop.path), "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def docx_sheets(workshop: WorkshopConfig, tmp_path_factory: pytest.TempPathFactory,
                request: pytest.FixtureRequest) -> Path:
    """The same sheets as DOCX only (the same writer as ``dol sheets``), for the checks that need no PDF. Where
    PDF can be made, they are the DOCX files ``dol sheets`` wrote (``sheets``): not written a second time."""
    if pdf_unavailable() is None:
        sheets: Path = request.getfixturevalue("sheets")
        return sheets
    out = tmp_path_factory.mktemp("docx-sheets")
    write_sheets(workshop, out, formats=("docx",), progress=False)
    return out


def _own_means(workshop: WorkshopConfig, leader: str) -> list[str] | None:
    """The leader's own employees' means per item as the sheet should show them, computed here from the
    statistics (None when they are hidden)."""
    data = load_workshop_data(workshop)
    described = describe_selection(data.responses, Selection.leader(leader), data.policy,
                                   item_ids=data.theme.item_ids)
    rows = described[(described["role"] == "employee") & (described["wave"].astype(str) == data.latest_wave)]
    if rows["suppressed"].all():
        return None
    return [format_decimal(float(rows[rows["item_id"] == i]["mean"].iloc[0]), "da") for i in data.theme.item_ids]


def test_one_docx_and_one_pdf_per_leader(sheets: Path, workshop: WorkshopConfig) -> None:
    names = sorted(p.name for p in sheets.iterdir())
    expected = sorted(f"resultatark-{slug(x)}.{ext}" for x in workshop.leaders for ext in ("docx", "pdf"))
    assert names == expected


def _own_sheet_only(text: str, leader: str, everyone: set[str]) -> None:
    assert leader in text
    assert "FORTROLIGT" in text.upper()
    others = [x for x in everyone - {leader} if x in text]
    assert not others, f"{leader}'s sheet names {others}"


def test_every_pdf_sheet_has_its_leader_and_nothing_of_any_other(sheets: Path, workshop: WorkshopConfig) -> None:
    data = load_workshop_data(workshop)
    everyone = {str(x) for x in data.responses["leader_id"].cat.categories}
    assert len(everyone) > len(workshop.leaders)
    for leader in workshop.leaders:
        stem = sheets / f"resultatark-{slug(leader)}"
        _own_sheet_only("\n".join(pdf_pages(stem.with_suffix(".pdf").read_bytes())), leader, everyone)


def test_every_sheet_has_its_leader_and_nothing_of_any_other(docx_sheets: Path, workshop: WorkshopConfig) -> None:
    data = load_workshop_data(workshop)
    everyone = {str(x) for x in data.responses["leader_id"].cat.categories}
    assert len(everyone) > len(workshop.leaders)
    for leader in workshop.leaders:
        stem = docx_sheets / f"resultatark-{slug(leader)}"
        _own_sheet_only(docx_text(stem.with_suffix(".docx")), leader, everyone)
        document = open_docx(str(stem.with_suffix(".docx")))
        tables = [t for t in document.tables if t.rows[0].cells[0].text == "Spørgsmål" and len(t.columns) == 5]
        if leader not in set(data.responses[data.responses["wave"].astype(str) == data.latest_wave]["leader_id"]):
            assert not tables and f"Der er ingen svar om dig i runde {data.latest_wave}" in docx_text(
                stem.with_suffix(".docx"))
            continue
        comparison = tables[0]
        yours = [row.cells[1].text for row in comparison.rows[1:6]]
        expected = _own_means(workshop, leader)
        if expected is None:  # hidden: the statement in their place, and no number
            assert all(not re.search(r"\d", x) for x in yours)
            assert "Dine medarbejderes svar vises ikke, fordi færre end 5 har svaret" in docx_text(
                stem.with_suffix(".docx"))
        else:
            assert yours == expected


def test_a_sheet_names_blind_spots_and_hidden_strengths(docx_sheets: Path) -> None:
    text = docx_text(docx_sheets / "resultatark-klaus-toennesen.docx")
    for heading in ("Sådan svarer dine medarbejdere", "Dine tal ved siden af gruppens og organisationens",
                    "Medarbejderne, du selv og din leder", "Blinde vinkler", "Skjulte styrker"):
        assert heading in text


def test_sheets_show_progress(workshop: WorkshopConfig, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                              pdf_ready: None) -> None:
    assert main(["sheets", str(workshop.path), "--out", str(tmp_path), "--lang", "en"]) == 0
    err = capsys.readouterr().err
    assert "Results sheets" in err and f"{len(workshop.leaders)}/{len(workshop.leaders)}" in err
    assert f"Written: {2 * len(workshop.leaders)} files" in err


def test_sheets_of_an_unknown_configuration_say_what_is_wrong(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sheets", str(tmp_path / "missing.toml"), "--out", str(tmp_path)]) == 2
    assert "configuration file not found" in capsys.readouterr().err


# -- handouts --------------------------------------------------------------------------------------------------------
def test_handouts_have_every_question_and_case_with_room_to_write(workshop: WorkshopConfig, tmp_path: Path,
                                                                  pdf_ready: None) -> None:
    from dol_toolkit.themes import load_theme

    assert main(["handouts", str(workshop.path), "--out", str(tmp_path)]) == 0
    theme = load_theme()
    names = sorted(p.name for p in tmp_path.iterdir())
    stems = ["refleksionsspoergsmaal", *[f"case-{i}" for i in range(1, len(theme.cases) + 1)]]
    assert names == sorted(f"{s}.{ext}" for s in stems for ext in ("docx", "pdf"))
    reflection = flat(" ".join(pdf_pages((tmp_path / "refleksionsspoergsmaal.pdf").read_bytes())))
    for q in theme.reflection_questions:
        assert flat(q.title("da")) in reflection
        for sub in q.sub_questions:
            assert flat(sub.text("da")) in reflection
    for number, case in enumerate(theme.cases, start=1):
        text = flat(" ".join(pdf_pages((tmp_path / f"case-{number}.pdf").read_bytes())))
        assert flat(case.title("da")) in text
        for prompt in case.prompts:
            assert flat(prompt.text("da")) in text
        document = open_docx(str(tmp_path / f"case-{number}.docx"))
        ruled = [p for p in document.paragraphs if not p.text and p._p.pPr is not None
                 and p._p.pPr.find(qn("w:pBdr")) is not None]
        assert len(ruled) >= 5 * len(case.prompts)


def test_the_case_handouts_in_docx_have_room_to_write(workshop: WorkshopConfig, tmp_path: Path) -> None:
    """The DOCX part of the test above, where PDF cannot be made: five ruled lines per prompt of each case."""
    from dol_toolkit.themes import load_theme

    theme = load_theme()
    write_handouts(workshop, tmp_path, formats=("docx",), progress=False)
    for number, case in enumerate(theme.cases, start=1):
        document = open_docx(str(tmp_path / f"case-{number}.docx"))
        ruled = [p for p in document.paragraphs if not p.text and p._p.pPr is not None
                 and p._p.pPr.find(qn("w:pBdr")) is not None]
        assert len(ruled) >= 5 * len(case.prompts)


# -- words ---------------------------------------------------------------------------------------------------------
def test_a_workshop_with_min_n_7_says_7_everywhere(repo: Path, tmp_path: Path, pdf_ready: None) -> None:
    config = make_config(repo, tmp_path / "seven")
    text = config.path.read_text(encoding="utf-8").replace("min_n = 5 ", "min_n = 7 ")
    config.path.write_text(text, encoding="utf-8")
    config = load_config(config.path)
    assert config.min_n == 7
    write_notes(config)
    for leader in (None, "Helle Kjeldsen"):
        summary = build_summary(config, leader=leader)
        words = flat(" ".join(pdf_pages(document_bytes(summary, "pdf"))))
        assert "færre end 7" in words or "mindst 7" in words
        assert "færre end 5" not in words and "mindst 5 " not in words


def test_one_leader_is_singular(workshop: WorkshopConfig) -> None:
    from dol_toolkit.i18n import t

    assert t("results.left_out", "da", count=1, min_n=5).startswith("1 leder i gruppen har færre end 5 "
                                                                   "medarbejdersvar; lederens medarbejderes svar")
    assert t("results.left_out", "en", count=1, min_n=5).startswith("1 leader in the group has")
    assert t("results.left_out", "da", count=2, min_n=5).startswith("2 ledere i gruppen")
