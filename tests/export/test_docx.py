"""The DOCX, read back with python-docx: headings, notes as typed, pictures, the actions table, privacy."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document

from dol_toolkit.export import export_summary, summary_bytes
from dol_toolkit.i18n import t
from dol_toolkit.themes import load_theme

from .conftest import DAY, IMG, LEADERS, NOTES, PRIVATE, SCRIPT

MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _open(config, **kwargs):
    data, name, mime = summary_bytes(config, "docx", when=DAY, **kwargs)
    assert mime == MIME and name.endswith(".docx") and data[:2] == b"PK"
    return Document(io.BytesIO(data))


def _headings(document) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs
            if p.style.name.startswith("Heading") or p.style.name == "Title"]


def _all_text(document) -> str:
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    return "\n".join([*(p.text for p in document.paragraphs), *cells])


@pytest.fixture(scope="module")
def group_doc(workshop):
    return _open(workshop)


@pytest.fixture(scope="module")
def klaus_doc(workshop):
    return _open(workshop, leader="Klaus Tønnesen")


def test_headings(group_doc):
    theme = load_theme()
    headings = _headings(group_doc)
    assert ("Title", theme.title("da")) in headings
    for q in theme.reflection_questions:
        assert ("Heading 2", q.title("da")) in headings
    for c in theme.cases:
        assert ("Heading 2", c.title("da")) in headings
    for h in ("Om temaet", "Gruppens resultater", "Refleksionsspørgsmål", "Cases", "Handlingsplan"):
        assert ("Heading 1", h) in headings
    assert ("Heading 3", "Gruppens noter") in headings
    assert ("Heading 2", t("results.employees", "da")) in headings


def _facts(document) -> dict[str, str]:
    """The heading block's facts: the first table, label and value."""
    return {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}


def test_date_and_group_at_the_top(group_doc):
    facts = _facts(group_doc)
    assert facts["Gruppe"] == "Ledergruppe Teknik og Miljø" and facts["Workshopdato"] == "27. november 2026"
    assert facts["Organisation"] == "Eksempel Kommune" and facts["Facilitator"] == "Mette Holm, HR"
    assert facts["Deltagere"].split(", ") == list(LEADERS)
    assert "medarbejdere har svaret i runde 2026" in facts["Svar"]
    footer = group_doc.sections[0].footer.paragraphs[0].text
    assert "Ledergruppe Teknik og Miljø" in footer


def test_notes_verbatim_with_line_breaks_and_markup_as_text(group_doc):
    from dol_toolkit.report.model import NoteText

    paragraphs = [p.text for p in group_doc.paragraphs]
    bullets = [p.text for p in group_doc.paragraphs if p.style.name == "List Bullet"]
    for note in NOTES.values():
        for kind, lines in NoteText(note).parts():  # a paragraph per run of lines, "\n" kept; "- " lines a list
            if kind == "lines":
                assert "\n".join(lines) in paragraphs
            elif kind == "list":
                assert all(line in bullets for line in lines)
    assert "heller ikke" in bullets and "Teams og sagssystemet\nRobotter i lønbogholderiet" in paragraphs
    assert any(SCRIPT in p for p in paragraphs) and any(IMG in p for p in paragraphs)


def test_pictures_with_alternative_text(group_doc):
    shapes = group_doc.inline_shapes
    assert len(shapes) == 3  # employees, change since 2024, the leaders' gaps
    for shape in shapes:
        assert shape._inline.docPr.get("descr")
        assert abs(shape.width.cm - 16) < 0.01
    section = group_doc.sections[0]
    assert abs((section.page_width - section.left_margin - section.right_margin) / 360000 - 16) < 0.01  # EMU


def test_actions_table(group_doc):
    tables = [tb for tb in group_doc.tables if [c.text for c in tb.rows[0].cells] == ["Hvad", "Hvem", "Senest",
                                                                                       "Spørgsmål"]]
    assert len(tables) == 1
    rows = [[c.text for c in row.cells] for row in tables[0].rows[1:]]
    assert rows[0] == ["Fælles læring hver måned", "Birgitte", "15. januar 2027", "Opdaterede kompetencer"]
    assert rows[1] == [f"{SCRIPT} gennemgå IT-sikkerheden | med {IMG}", "Alle & IT", "1. februar 2027",
                       "IT-sikkerhed"]
    assert tables[0].rows[0].cells[0].paragraphs[0].runs[0].bold


def test_group_docx_has_no_private_note(group_doc):
    text = _all_text(group_doc)
    for note in PRIVATE.values():
        assert note not in text
    assert "Dine private noter" not in text and "Dine resultater" not in text


def test_leaders_docx_has_their_note_not_anothers_and_no_other_name_in_their_results(klaus_doc):
    text = _all_text(klaus_doc)
    assert PRIVATE["Klaus Tønnesen"] in [p.text for p in klaus_doc.paragraphs]
    assert PRIVATE["Morten Vestergaard"] not in text
    paragraphs = klaus_doc.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text == "Dine resultater – Klaus Tønnesen")
    assert paragraphs[start].style.name == "Heading 1"
    end = next(i for i, p in enumerate(paragraphs) if i > start and p.style.name == "Heading 1")
    personal = "\n".join(p.text for p in paragraphs[start:end])
    for other in LEADERS:
        if other != "Klaus Tønnesen":
            assert other not in personal
    assert len(klaus_doc.inline_shapes) == 5  # the group's three and the leader's two


def test_suppressed_group_docx_has_the_sentence_and_no_pictures(small_workshop):
    document = _open(small_workshop)
    assert t("results.suppressed_group", "da", min_n=5) in [p.text for p in document.paragraphs]
    assert len(document.inline_shapes) == 0


def test_english_docx(workshop):
    document = _open(workshop, lang="en")
    headings = [h for _, h in _headings(document)]
    assert {"The group's results", "Reflection questions", "Action plan"} <= set(headings)
    assert _facts(document)["Workshop date"] == "27 November 2026"


def test_export_summary_writes_into_a_folder(workshop, tmp_path: Path):
    path = export_summary(workshop, "docx", tmp_path, when=DAY)
    assert path == tmp_path / "opsamling-ledergruppe-teknik-og-miljoe-2026-11-27.docx"
    assert Document(str(path)).paragraphs
