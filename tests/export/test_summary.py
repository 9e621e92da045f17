"""What the summary holds: sections in order, notes only where they belong, anonymity, languages, dates."""

from __future__ import annotations

from datetime import date

import pytest

from dol_toolkit.export import ExportError, build_summary
from dol_toolkit.export.summary import (
    BulletList,
    Chart,
    NoteText,
    Paragraph,
    Summary,
    Table,
    check_format,
    file_name,
)
from dol_toolkit.i18n import t
from dol_toolkit.i18n.dates import iso_or_text, long_date
from dol_toolkit.themes import load_theme

from .conftest import DAY, LEADERS, NOTES, PRIVATE


def _texts(summary: Summary, keys: set[str] | None = None) -> str:
    out = []
    for section in summary.sections:
        if keys is not None and section.key not in keys:
            continue
        out.append(section.heading)
        for block in section.blocks:
            if isinstance(block, Paragraph | NoteText):
                out.append(block.text)
            elif isinstance(block, Chart):
                out += [block.alt, block.how_to_read]
            elif isinstance(block, Table):
                out += [*block.header, *(c for row in block.rows for c in row)]
            elif isinstance(block, BulletList):
                out += list(block.items)
    return "\n".join(out)


@pytest.fixture(scope="module")
def group(workshop) -> Summary:
    return build_summary(workshop, when=DAY)


@pytest.fixture(scope="module")
def klaus(workshop) -> Summary:
    return build_summary(workshop, leader="Klaus Tønnesen", when=DAY)


def test_group_summary_has_theme_questions_cases_plan_in_order(group):
    theme = load_theme()
    assert group.title == "Ledelse af digital omstilling" and group.group == "Ledergruppe Teknik og Miljø"
    assert group.date_text == "27. november 2026" and group.leader is None
    top = [s.key for s in group.sections if s.level == 1]
    assert top == ["about", "method", "group_results", "reflection", "cases", "plan"]
    headings = [s.heading for s in group.sections]
    for q in theme.reflection_questions:
        assert q.title("da") in headings
    for c in theme.cases:
        assert c.title("da") in headings
    assert {c.key for c in group.charts} == {"likert", "change", "gaps"}
    for chart in group.charts:
        assert chart.png.startswith(b"\x89PNG") and chart.alt and chart.how_to_read


def test_group_summary_has_group_notes_verbatim_and_no_private_note(group):
    notes = [n.text for n in group.notes]
    assert NOTES["technologies"] in notes and NOTES["purpose"] in notes and NOTES["case_algorithms"] in notes
    assert not any(n.private for n in group.notes)
    everything = _texts(group)
    for private in PRIVATE.values():
        assert private not in everything
    assert t("results.title_personal", "da", leader="Klaus Tønnesen") not in everything


def test_group_summary_names_no_leader_outside_the_plan(group):
    shown = _texts(group, {s.key for s in group.sections if s.key not in ("actions",)})
    for leader in LEADERS:
        assert leader not in shown


def test_leaders_summary_has_their_private_notes_and_results_only(klaus):
    privates = [n for n in klaus.notes if n.private]
    assert [n.text for n in privates] == [PRIVATE["Klaus Tønnesen"]]
    assert PRIVATE["Morten Vestergaard"] not in _texts(klaus)
    personal_keys = {"personal", "my_employees", "three_views", "my_gaps", "my_gaps_positive", "my_gaps_negative",
                     "my_blind_spots", "my_hidden_strengths"}
    personal = _texts(klaus, personal_keys)
    assert "Klaus Tønnesen" in personal
    for other in LEADERS:
        if other != "Klaus Tønnesen":
            assert other not in personal
    assert {"my_likert", "means"} <= {c.key for c in klaus.charts}


def test_leader_below_the_limit_gets_the_sentence_not_their_employees_chart(workshop):
    helle = build_summary(workshop, leader="Helle Kjeldsen", when=DAY)
    keys = {c.key for c in helle.charts}
    assert keys == {"likert", "change", "gaps"}  # the group's; of hers no chart (the chart would be a message)
    section = helle.section("my_employees")
    assert section.blocks == (Paragraph(t("results.suppressed_personal", "da", min_n=5), "notice"),)
    # "your own and your leader's assessment are below": as a table
    (table,) = helle.section("three_views").blocks
    assert isinstance(table, Table) and table.header == ("Spørgsmål", "Din egen vurdering", "Din leders vurdering")
    assert len(table.rows) == 5 and all(r[1] and r[2] for r in table.rows)
    assert helle.section("my_gaps").blocks[0].style == "notice"
    personal = _texts(helle, {"personal", "my_employees", "three_views", "my_gaps"})
    assert not any(other in personal for other in LEADERS if other != "Helle Kjeldsen")


def test_leader_without_answers_in_the_round_gets_the_sentence(workshop):
    jesper = build_summary(workshop, leader="Jesper Bertelsen", when=DAY)
    assert jesper.section("my_employees").blocks == (Paragraph("Der er ingen svar om dig i runde 2026.", "notice"),)
    assert {s.key for s in jesper.sections} & {"comparison", "three_views", "my_gaps"} == set()


def test_group_of_small_leaders_shows_the_suppression_sentence_and_no_chart(small_workshop):
    summary = build_summary(small_workshop, when=DAY)
    sentence = t("results.suppressed_group", "da", min_n=5)
    assert summary.section("employees").blocks == (Paragraph(sentence, "notice"),)
    assert "likert" not in {c.key for c in summary.charts}
    assert "vs_org" not in {s.key for s in summary.sections}
    # the gaps and the change need employees too: plain sentences, no charts from hidden data
    assert summary.charts == []
    assert all(isinstance(b, Paragraph) and b.style == "notice" for b in summary.section("gaps").blocks)


def test_focus_items_carry_the_groups_mean_and_agreement(group):
    table = next(b for b in group.section("focus").blocks if isinstance(b, Table))
    assert table.header == ("Spørgsmål", "Gennemsnit", "Andel enige")
    assert [r[0] for r in table.rows] == ["Opdaterede kompetencer", "IT-sikkerhed"]
    for _, mean, agree in table.rows:
        assert "," in mean and 1 <= float(mean.replace(",", ".")) <= 5
        assert agree.endswith(" %")


def test_focus_items_are_hidden_when_the_group_is_suppressed(small_workshop):
    summary = build_summary(small_workshop, when=DAY)
    table = next(b for b in summary.section("focus").blocks if isinstance(b, Table))
    assert all(row[1] == t("results.hidden", "da") and row[2] == "" for row in table.rows)


def test_actions_and_follow_up(group):
    table = next(b for b in group.section("actions").blocks if isinstance(b, Table))
    assert table.header == ("Hvad", "Hvem", "Senest", "Spørgsmål")
    assert table.rows[0] == ("Fælles læring hver måned", "Birgitte", "15. januar 2027", "Opdaterede kompetencer")
    assert group.section("follow_up").blocks[0].text == "Gruppen følger op den 1. marts 2027."


def test_english(workshop):
    summary = build_summary(workshop, lang="en", when=DAY)
    theme = load_theme()
    assert summary.title == theme.title("en") and summary.date_text == "27 November 2026"
    headings = [s.heading for s in summary.sections]
    assert {"About the theme", "The group's results", "Reflection questions", "Cases", "Action plan"} <= set(
        headings)
    assert all(q.title("en") in headings for q in theme.reflection_questions)
    assert t("results.employees", "en") in headings


def test_unknown_leader_language_and_format_are_refused(workshop):
    with pytest.raises(ExportError, match="not a leader of the group"):
        build_summary(workshop, leader="Ukendt Leder")
    with pytest.raises(ExportError, match="unknown language"):
        build_summary(workshop, lang="de")
    with pytest.raises(ExportError, match="unknown format"):
        check_format("odt")
    assert check_format("Markdown") == "md" and check_format(".DOCX") == "docx"


def test_missing_notes_database_means_no_notes_and_is_not_created(repo, tmp_path):
    from .conftest import make_config

    config = make_config(repo, tmp_path / "fresh")
    summary = build_summary(config, when=DAY)
    assert not config.notes_database.exists()
    assert summary.notes == []
    assert all(b == Paragraph("Ingen noter.", "muted") for s in summary.sections if s.key.startswith("notes:")
               for b in s.blocks)


def test_dates_and_file_names(group, klaus):
    assert long_date(date(2026, 5, 1), "da") == "1. maj 2026"
    assert long_date(date(2026, 5, 1), "en") == "1 May 2026"
    assert iso_or_text("næste måned", "da") == "næste måned"
    assert file_name(group, "docx") == "opsamling-ledergruppe-teknik-og-miljoe-2026-11-27.docx"
    assert file_name(klaus, "md") == "opsamling-ledergruppe-teknik-og-miljoe-klaus-toennesen-2026-11-27.md"


def test_control_characters_in_a_note_do_not_break_the_export(repo, tmp_path):
    from dol_toolkit.export.summary import workshop_id
    from dol_toolkit.notes import NoteKey, open_store

    from .conftest import make_config

    config = make_config(repo, tmp_path / "ctrl")
    store = open_store(config.notes_database)
    store.save(NoteKey(workshop_id(config), "reflection:purpose"), "a\x00b\x0bc\r\nd", 0)
    store.close()
    summary = build_summary(config, when=DAY)
    assert [n.text for n in summary.notes] == ["a\ufffdb\ufffdc\nd"]
