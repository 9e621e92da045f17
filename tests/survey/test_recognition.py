"""Recognition without configuration: item columns, answer labels, roles and column names (issue, second bullet)."""

from __future__ import annotations

import math

import pytest

from dol_toolkit.survey import read_export
from tests.survey.builders import (
    EMPLOYEE_DA,
    EMPLOYEE_EN,
    HEADER,
    ITEM_IDS,
    MANAGER_DA,
    MANAGER_EN,
    SELF_DA,
    SELF_EN,
    WIDE_ROWS,
    answer_of,
    wide_table,
    write_csv,
)


def one_row_file(tmp_path, header, row, name="x.csv", delimiter=";"):
    return write_csv(tmp_path / name, [header, row], delimiter=delimiter)


# --------------------------------------------------------------------------------------------- item columns
WORDINGS = {
    "employee_da": EMPLOYEE_DA,
    "self_da": SELF_DA,
    "manager_da": MANAGER_DA,
    "employee_en": EMPLOYEE_EN,
    "self_en": SELF_EN,
    "manager_en": MANAGER_EN,
    "ids": ITEM_IDS,
}


@pytest.mark.parametrize("wording", list(WORDINGS))
@pytest.mark.parametrize(
    "quirk",
    ["as_is", "upper", "lower", "spaces", "no_final_point", "extra_punctuation", "colon", "line_break", "nbsp"],
)
def test_item_columns_by_any_wording(tmp_path, wording, quirk):
    def mess(text: str) -> str:
        if quirk == "upper":
            return text.upper()
        if quirk == "lower":
            return text.lower()
        if quirk == "spaces":
            return f"   {text}\t "
        if quirk == "no_final_point":
            return text.rstrip(".")
        if quirk == "extra_punctuation":
            return text.rstrip(".") + "?!"
        if quirk == "colon":
            return text.rstrip(".") + ":"
        if quirk == "line_break":
            return text.replace(" ", "\n", 2)
        if quirk == "nbsp":
            return text.replace(" ", "\u00a0", 1)
        return text

    header = [*HEADER[:5], *[mess(t) for t in WORDINGS[wording]]]
    result = read_export(write_csv(tmp_path / "x.csv", wide_table(header=header)))
    assert sorted(result.report.item_columns) == sorted(ITEM_IDS)
    assert result.report.ignored_columns == []
    assert answer_of(result, "Søren Ærø", "self", "it_security", "2024")["value"] == 4.0
    assert answer_of(result, "Søren Ærø", "manager", "competences", "2024")["respondent_id"] == "R04"
    assert len(result.responses) == 36


def test_item_columns_mixed_wordings_and_order(tmp_path):
    header = [*HEADER[:5], EMPLOYEE_EN[0], SELF_DA[1], MANAGER_EN[2], ITEM_IDS[3].upper(), MANAGER_DA[4]]
    result = read_export(write_csv(tmp_path / "x.csv", wide_table(header=header)))
    assert result.report.item_columns == dict(zip(ITEM_IDS, header[5:], strict=True))
    assert len(result.responses) == 36


def test_item_texts_are_not_confused(tmp_path):
    """Items share a lot of words; each column must go to its own item."""
    header = [*HEADER[:5], *reversed(EMPLOYEE_DA)]
    rows = [[*r[:5], *reversed(r[5:])] for r in WIDE_ROWS]
    result = read_export(write_csv(tmp_path / "x.csv", wide_table(header=header, rows=rows)))
    assert answer_of(result, "Søren Ærø", "self", "it_security", "2024")["value"] == 4.0
    assert answer_of(result, "Søren Ærø", "self", "competences", "2024")["value"] == 5.0


# ------------------------------------------------------------------------------------------------- answers
ANSWER_LABELS = [
    ("1", "1"), ("2", "2"), ("3", "3"), ("4", "4"), ("5", "5"),
    ("Helt uenig", "1"), ("Overvejende uenig", "2"), ("Delvist uenig", "2"), ("Hverken enig eller uenig", "3"),
    ("Overvejende enig", "4"), ("Delvist enig", "4"), ("Helt enig", "5"),
    ("Ved ikke", "dont_know"), ("Ønsker ikke at oplyse", "prefer_not"),
    ("Strongly disagree", "1"), ("Mostly disagree", "2"), ("Neither agree nor disagree", "3"),
    ("Mostly agree", "4"), ("Strongly agree", "5"), ("Don't know", "dont_know"), ("Prefer not to say", "prefer_not"),
    ("4,0", "4"), ("2.0", "2"),
]


@pytest.mark.parametrize(("label", "category"), ANSWER_LABELS)
@pytest.mark.parametrize("case", ["as_is", "upper", "lower", "padded"])
def test_answer_labels(tmp_path, label, category, case):
    text = {"as_is": label, "upper": label.upper(), "lower": label.lower(), "padded": f"  {label} "}[case]
    header = ["Leder", "Rolle", *EMPLOYEE_DA]
    row = ["Søren Ærø", "Medarbejder", text, "", "", "", ""]
    result = read_export(one_row_file(tmp_path, header, row))
    assert result.report.problems == []
    df = result.responses
    assert len(df) == 1
    assert df.iloc[0]["answer"] == category
    if category in {"dont_know", "prefer_not"}:
        assert math.isnan(df.iloc[0]["value"])
    else:
        assert df.iloc[0]["value"] == float(category)
    assert result.report.answers_by_category[category] == 1
    assert result.report.answers_by_category["blank"] == 4


def test_answers_with_danish_letters_in_cp1252(tmp_path):
    header = ["Leder", "Rolle", *EMPLOYEE_DA]
    row = ["Søren Ærø", "Medarbejder", "ØNSKER IKKE AT OPLYSE", "ved ikke", "Helt Enig", "", ""]
    path = write_csv(tmp_path / "x.csv", [header, row], encoding="cp1252")
    result = read_export(path)
    assert result.report.problems == []
    assert result.responses["answer"].astype(str).tolist() == ["prefer_not", "dont_know", "5"]


# ---------------------------------------------------------------------------------------------------- roles
ROLE_LABELS = [
    ("Medarbejder", "employee"), ("employee", "employee"),
    ("Leder", "self"), ("Selvevaluering", "self"), ("self", "self"),
    ("Leders leder", "manager"), ("Egen leder", "manager"), ("Overordnet leder", "manager"), ("manager", "manager"),
]


@pytest.mark.parametrize(("label", "role"), ROLE_LABELS)
@pytest.mark.parametrize("case", ["as_is", "upper", "lower", "padded"])
def test_role_labels(tmp_path, label, role, case):
    text = {"as_is": label, "upper": label.upper(), "lower": label.lower(), "padded": f" {label}  "}[case]
    header = ["Leder", "Rolle", *EMPLOYEE_DA]
    result = read_export(one_row_file(tmp_path, header, ["Søren Ærø", text, "4", "", "", "", ""]))
    assert result.report.problems == []
    assert result.responses["role"].astype(str).tolist() == [role]
    assert result.report.respondents_by_role[role] == 1


# ------------------------------------------------------------------------------------------- column names
@pytest.mark.parametrize("name", ["Rolle", "Respondenttype", "Respondentgruppe", "role", "ROLLE", "Role"])
def test_role_column_names(tmp_path, name):
    header = ["Leder", name, *EMPLOYEE_DA]
    result = read_export(one_row_file(tmp_path, header, ["Søren Ærø", "Leder", "4", "", "", "", ""]))
    assert result.report.columns["role"] == name
    assert result.responses["role"].astype(str).tolist() == ["self"]


@pytest.mark.parametrize("name", ["Leder", "Leder-ID", "Leder ID", "leader", "leader_id", "LEDER", "Leder_ID"])
def test_leader_column_names(tmp_path, name):
    header = [name, "Rolle", *EMPLOYEE_DA]
    result = read_export(one_row_file(tmp_path, header, ["L-017", "Medarbejder", "4", "", "", "", ""]))
    assert name in result.report.columns.values()
    assert result.responses["leader_id"].astype(str).tolist() == ["L-017"]
    assert result.report.leaders == 1


def test_leader_id_and_name_columns(tmp_path):
    header = ["Leder-ID", "Leder", "Rolle", *EMPLOYEE_DA]
    rows = [
        ["L1", "Søren Ærø", "Medarbejder", "4", "", "", "", ""],
        ["L1", "Søren Ærø", "Leder", "", "", "", "", "4"],
        ["L2", "Søren Ærø", "Leder", "", "", "", "", "2"],  # a namesake: another leader
    ]
    result = read_export(write_csv(tmp_path / "x.csv", [header, *rows]))
    rep = result.report
    assert rep.leaders == 2
    assert rep.problems == []
    df = result.responses
    assert "leader_name" in df.columns
    assert df["leader_id"].astype(str).tolist() == ["L1", "L1", "L2"]
    assert df["leader_name"].astype(str).tolist() == ["Søren Ærø"] * 3
    # two self-assessments, but of two different leaders: no "second self" problem
    assert rep.respondents_by_role["self"] == 2


@pytest.mark.parametrize("name", ["Afdeling", "Forvaltning", "department"])
def test_department_column_names(tmp_path, name):
    header = ["Leder", "Rolle", name, *EMPLOYEE_DA]
    result = read_export(one_row_file(tmp_path, header, ["A", "Medarbejder", "Børn og Unge", "4", "", "", "", ""]))
    assert result.responses["department"].astype(str).tolist() == ["Børn og Unge"]


@pytest.mark.parametrize("name", ["År", "Runde", "wave", "year", "ÅR", "Year"])
def test_round_column_names(tmp_path, name):
    header = ["Leder", "Rolle", name, *EMPLOYEE_DA]
    rows = [["A", "Leder", "2024", "4", "", "", "", ""], ["A", "Leder", "2026", "5", "", "", "", ""]]
    result = read_export(write_csv(tmp_path / "x.csv", [header, *rows]))
    assert result.report.waves == ["2024", "2026"]
    assert result.report.problems == []  # one self-assessment per round
    assert result.responses["wave"].astype(str).tolist() == ["2024", "2026"]


def test_no_round_column(tmp_path):
    header = ["Leder", "Rolle", *EMPLOYEE_DA]
    result = read_export(one_row_file(tmp_path, header, ["A", "Medarbejder", "4", "", "", "", ""]))
    assert result.report.waves == []
    assert result.responses["wave"].isna().all()


@pytest.mark.parametrize("name", ["Respondent-ID", "respondent_id", "RespondentID", "Respondent ID"])
def test_respondent_id_column_names(tmp_path, name):
    header = [name, "Leder", "Rolle", *EMPLOYEE_DA]
    rows = [["X-1", "A", "Medarbejder", "4", "", "", "", ""], ["X-1", "A", "Medarbejder", "5", "", "", "", ""]]
    result = read_export(write_csv(tmp_path / "x.csv", [header, *rows]))
    assert result.report.columns["respondent_id"] == name
    assert result.responses["respondent_id"].astype(str).tolist() == ["X-1"]
    assert [p.code for p in result.report.problems] == ["resubmission"]  # the latest submission counts


def test_without_respondent_id_every_row_is_a_respondent(tmp_path):
    header = ["Leder", "Rolle", *EMPLOYEE_DA]
    rows = [["A", "Medarbejder", "4", "4", "", "", ""], ["A", "Medarbejder", "4", "4", "", "", ""]]
    result = read_export(write_csv(tmp_path / "x.csv", [header, *rows]))
    assert result.report.problems == []
    assert result.report.respondents_by_role["employee"] == 2
    assert result.responses["respondent_id"].nunique() == 2


def test_report_lists_recognised_columns(tmp_path):
    result = read_export(write_csv(tmp_path / "x.csv", wide_table()))
    rep = result.report
    assert rep.columns == {
        "respondent_id": "Respondent-ID", "wave": "År", "department": "Afdeling", "leader_name": "Leder",
        "role": "Rolle",
    } or {k: v for k, v in rep.columns.items()} == {
        "respondent_id": "Respondent-ID", "wave": "År", "department": "Afdeling", "leader_id": "Leder",
        "role": "Rolle",
    }
    assert rep.item_columns == dict(zip(ITEM_IDS, EMPLOYEE_DA, strict=True))
    assert rep.header_row == 1
    # the readable report says the same in both languages
    da, en = rep.format("da"), rep.format("en")
    assert "8" in da and "8" in en and da != en
    assert "2024" in da and "2026" in en


def test_leader_name_in_header_position_not_confused_with_role_value(tmp_path):
    """"Leder" is both the leader column's name and a role label: the header row is still found."""
    header = ["Titel", "", ""]
    table = [header, ["Leder", "Rolle", *EMPLOYEE_DA], *[["A", "Leder", "1", "2", "3", "4", "5"]] * 1]
    result = read_export(write_csv(tmp_path / "x.csv", table))
    assert result.report.header_row == 2
    assert result.responses["role"].astype(str).unique().tolist() == ["self"]


def test_comment_column_quoting_an_item_is_not_the_item_column(tmp_path):
    """The spec recognises an item column by the item's text (case, whitespace, trailing punctuation ignored).

    A free-text column whose header merely CONTAINS an item text ("Kommentar til: <item>") is not that item;
    when it comes first it must not take the place of the real item column."""
    header = ["Leder", "Rolle", "Kommentar til: " + EMPLOYEE_DA[4], *EMPLOYEE_DA]
    rows = [["Søren Ærø", "Leder", "Godt arbejde", "1", "2", "3", "4", "4"]]
    result = read_export(write_csv(tmp_path / "x.csv", [header, *rows]))
    assert result.report.item_columns["it_security"] == EMPLOYEE_DA[4]
    assert answer_of(result, "Søren Ærø", "self", "it_security")["value"] == 4.0
    assert result.report.problems == []


def test_one_column_set_per_role_wording(tmp_path):
    """Exports that give each role its own wording in its own columns (employee "Min leder ...", self "Jeg ...",
    own leader "Lederen ...") - the issue recognises all three wordings. The spec's "one column per item" makes
    this an interpretation: the answers in the self and own-leader columns must not vanish (here they would be
    the only self/manager answers). Either merged into the item, or at least reported as problems."""
    header = ["Leder", "Rolle", *EMPLOYEE_DA, *SELF_DA, *MANAGER_DA]
    rows = [
        ["Søren Ærø", "Medarbejder", "1", "2", "3", "4", "5", *[""] * 10],
        ["Søren Ærø", "Leder", *[""] * 5, "5", "5", "5", "5", "4", *[""] * 5],
        ["Søren Ærø", "Leders leder", *[""] * 10, "3", "3", "3", "3", "2"],
    ]
    result = read_export(write_csv(tmp_path / "x.csv", [header, *rows]))
    rep = result.report
    if len(result.responses) == 15:  # merged: every answer kept
        assert answer_of(result, "Søren Ærø", "self", "it_security")["value"] == 4.0
        assert answer_of(result, "Søren Ærø", "manager", "it_security")["value"] == 2.0
    else:  # not merged: the lost answers must at least be reported, not counted as blanks
        assert rep.problems, "10 self/own-leader answers dropped silently (only listed as unused columns)"
