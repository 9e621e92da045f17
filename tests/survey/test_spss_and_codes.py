"""SPSS files as SPSS writes them, and codes in every coded column (issue 24): value labels on the role and the
department, user-missing codes that are answers, variable labels that name items and rounds, a warning when a
column that looks like a round is pooled, and a mapping's or a code book's codes for roles and departments.

Every file is written here through pyreadstat or openpyxl.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyreadstat
import pytest

from dol_toolkit.survey import read_export
from tests.survey.builders import EMPLOYEE_DA, write_csv, write_xlsx

ANSWER_LABELS = {1.0: "Helt uenig", 2.0: "Overvejende uenig", 3.0: "Hverken enig eller uenig",
                 4.0: "Overvejende enig", 5.0: "Helt enig", 8.0: "Ved ikke", 9.0: "Ønsker ikke at oplyse"}
ITEMS = [f"spm{i}" for i in range(1, 6)]


def region_sav(path: Path, round_name: str = "aar", round_label: str = "Survey round",
               role_labels: dict[float, str] | None = None) -> Path:
    """A region's SPSS file: three rounds; per round Ane has 5 employees (answers 4, 8, 9, 5, 3 on the five
    items: 8 and 9 are user-missing "Ved ikke" and "Ønsker ikke at oplyse") and rates herself (5); the role
    and the department are labelled numbers; the short names say nothing, the variable labels do."""
    rows = []
    for wave in (2022.0, 2023.0, 2024.0):
        for k in range(5):
            rows.append({"lbnr": float(k), round_name: wave, "leder": "Ane", "rolle": 1.0, "afd": 10.0,
                         **dict(zip(ITEMS, [4.0, 8.0, 9.0, 5.0, 3.0], strict=True))})
        rows.append({"lbnr": 99.0, round_name: wave, "leder": "Ane", "rolle": 2.0, "afd": 10.0,
                     **dict.fromkeys(ITEMS, 5.0)})
    frame = pd.DataFrame(rows)
    labels = {"lbnr": "Respondent-ID", round_name: round_label, "leder": "Leder", "rolle": "Respondenttype",
              "afd": "Afdeling", **dict(zip(ITEMS, EMPLOYEE_DA, strict=True))}
    pyreadstat.write_sav(
        frame, str(path), column_labels=[labels[c] for c in frame.columns],
        variable_value_labels={"rolle": role_labels or {1.0: "Medarbejder", 2.0: "Leder", 3.0: "Leders leder"},
                               "afd": {10.0: "Sundhed", 20.0: "Regional Udvikling"},
                               **{item: ANSWER_LABELS for item in ITEMS}},
        missing_ranges={item: [8.0, 9.0] for item in ITEMS})
    return path


def test_spss_value_labels_user_missing_codes_and_variable_labels(tmp_path):
    result = read_export(region_sav(tmp_path / "region.sav"))
    report = result.report
    assert report.problems == []
    assert report.columns == {"respondent_id": "lbnr", "wave": "aar", "leader_name": "leder", "role": "rolle",
                              "department": "afd"}
    assert report.item_columns == dict(zip(["competences", "rationale", "citizen_value", "curiosity_culture",
                                            "it_security"], ITEMS, strict=True))
    assert report.waves == ["2022", "2023", "2024"]
    assert report.respondents_by_role == {"employee": 15, "self": 3, "manager": 0}
    # user-missing codes are answers with their labels, never blanks nor out of range
    counts = report.answers_by_category
    assert counts["dont_know"] == 15 and counts["prefer_not"] == 15 and counts["blank"] == 0
    df = result.responses
    assert set(df["department"].astype(str)) == {"Sundhed"}
    employees = df[df["role"] == "employee"]
    assert employees[employees["item_id"] == "citizen_value"]["answer"].astype(str).unique().tolist() == [
        "prefer_not"]
    assert df[df["answer"].astype(str).isin(["dont_know", "prefer_not"])]["value"].isna().all()


@pytest.mark.parametrize("name", ["År", "Year", "Periode", "Måling", "Survey round"])
def test_round_columns_by_name_or_label(tmp_path, name):
    header = ["Leder", "Rolle", name, *EMPLOYEE_DA]
    rows = [["Ane", "Leder", "2023", *["4"] * 5], ["Ane", "Leder", "2024", *["5"] * 5]]
    assert read_export(write_csv(tmp_path / "x.csv", [header, *rows])).report.waves == ["2023", "2024"]


def test_a_round_like_column_that_is_not_read_is_said(tmp_path):
    """A column the importer does not take for the round ("Undersøgelse", values 2022-2024) pools three
    rounds: the report says so and how to name it."""
    path = region_sav(tmp_path / "region.sav", round_name="undersoeg", round_label="Undersøgelse")
    report = read_export(path).report
    assert report.waves == []
    assert [n["code"] for n in report.notes if n["code"] == "round_like"] == ["round_like"]
    text = report.format("en")
    assert "'undersoeg' looks like a survey round" in text and "2022, 2023, 2024" in text
    assert "[columns] wave" in text
    # a column of years with a name that says nothing is said too
    header = ["Leder", "Rolle", "Kolonne7", *EMPLOYEE_DA]
    rows = [["Ane", "Leder", "2023", *["4"] * 5], ["Ane", "Leder", "2024-2025", *["5"] * 5]]
    report = read_export(write_csv(tmp_path / "x.csv", [header, *rows])).report
    assert [n["column"] for n in report.notes if n["code"] == "round_like"] == ["Kolonne7"]


def test_one_round_in_a_column_is_no_warning(tmp_path):
    header = ["Leder", "Rolle", "Undersøgelse", *EMPLOYEE_DA]
    rows = [["Ane", "Leder", "2024", *["4"] * 5], ["Bo", "Leder", "2024", *["5"] * 5]]
    assert not [n for n in read_export(write_csv(tmp_path / "x.csv", [header, *rows])).report.notes
                if n["code"] == "round_like"]


# -- 8. codes everywhere -----------------------------------------------------------------------------------------
def test_a_mapping_names_role_codes_behind_spss_value_labels(tmp_path):
    """The role's value labels are a system's own words; the mapping names the codes."""
    path = region_sav(tmp_path / "region.sav", role_labels={1.0: "Gruppe A", 2.0: "Gruppe B"})
    assert {p.code for p in read_export(path).report.problems} == {"unknown_role"}
    mapping = tmp_path / "m.toml"
    mapping.write_text('[roles]\n"1" = "employee"\n"2" = "self"\n', encoding="utf-8")
    report = read_export(path, mapping).report
    assert report.problems == [] and report.respondents_by_role == {"employee": 15, "self": 3, "manager": 0}


def test_a_mapping_names_answer_codes_behind_spss_value_labels(tmp_path):
    path = tmp_path / "x.sav"
    frame = pd.DataFrame({"leder": ["Ane"] * 2, "rolle": ["Medarbejder"] * 2, "q1": [7.0, 4.0]})
    pyreadstat.write_sav(frame, str(path), column_labels=["Leder", "Rolle", EMPLOYEE_DA[0]],
                         variable_value_labels={"q1": {7.0: "Kan ikke svare", 4.0: "Overvejende enig"}})
    assert [p.code for p in read_export(path).report.problems] == ["unknown_label"]
    mapping = tmp_path / "m.toml"
    mapping.write_text('[answers]\n"7" = "dont_know"\n', encoding="utf-8")
    assert read_export(path, mapping).report.answers_by_category["dont_know"] == 1


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_role_codes_in_numeric_cells_with_a_mapping(tmp_path, kind):
    header = ["Leder", "Rolle", *EMPLOYEE_DA]
    rows = [["Ane", 1, *[4] * 5] for _ in range(5)] + [["Ane", 2, *[5] * 5], ["Ane", 3, *[3] * 5]]
    path = (write_xlsx if kind == "xlsx" else write_csv)(tmp_path / f"x.{kind}", [header, *rows])
    mapping = tmp_path / "m.toml"
    mapping.write_text('[roles]\n"1" = "employee"\n"2" = "self"\n"3" = "manager"\n', encoding="utf-8")
    report = read_export(path, mapping).report
    assert report.problems == [] and report.respondents_by_role == {"employee": 5, "self": 1, "manager": 1}


def test_a_code_book_labels_every_coded_column(tmp_path):
    """The code book labels the department's codes as well as the roles' and the answers'."""
    header = ["Leder", "Afdeling", "Rolle", *EMPLOYEE_DA]
    rows = [["Ane", 10, 1, *[4] * 5] for _ in range(5)] + [["Bo", 20, 2, *[6] * 5]]
    book = [["Variabel", "Værdi", "Label"], ["Afdeling", 10, "HR"], ["", 20, "IT og Digitalisering"],
            ["Rolle", 1, "Medarbejder"], ["", 2, "Leder"]]
    for text in EMPLOYEE_DA:
        book += [[text, 4, "Overvejende enig"], ["", 6, "Ved ikke"]]
    result = read_export(write_xlsx(tmp_path / "book.xlsx", [header, *rows], after=[("Kodebog", book)]))
    df = result.responses
    assert dict(zip(df["leader_id"].astype(str), df["department"].astype(str), strict=True)) == {
        "Ane": "HR", "Bo": "IT og Digitalisering"}
    assert result.report.answers_by_category["dont_know"] == 5
    assert "Afdeling: 10 = HR" in result.report.format("da")


# -- review 2: the code book and value labels apply to the completion rule's columns -------------------------
def test_a_code_book_labels_the_status_column(tmp_path):
    """Status 1/2 with a code book saying 1 = Gennemført, 2 = Delvist besvaret: the partial row is left out
    (it was counted, the column called "not a status")."""
    header = ["Respondent-ID", "Status", "Afd", "Leder", "Rolle", *EMPLOYEE_DA]
    rows = [[f"R{k}", "1", "10", "Ane", "1", *["3"] * 5] for k in range(4)]
    rows.append(["R9", "2", "10", "Ane", "1", "3", "", "", "", ""])  # row 6: partial
    path = write_csv(tmp_path / "x.csv", [header, *rows])
    write_csv(tmp_path / "book.csv", [["Variabel", "Værdi", "Label"], ["Status", "1", "Gennemført"],
                                      ["", "2", "Delvist besvaret"], ["", "3", "Ikke startet"],
                                      ["Rolle", "1", "Medarbejder"], ["", "2", "Leder"],
                                      ["Afd", "10", "IT og Digitalisering"]])
    mapping = tmp_path / "m.toml"
    mapping.write_text('[file]\ncodebook = "book.csv"\n[columns]\ndepartment = "Afd"\n', encoding="utf-8")
    result = read_export(path, mapping)
    report = result.report
    assert [(p.row, p.code, p.value) for p in report.problems] == [(6, "not_completed", "Delvist besvaret")]
    assert report.status is not None and report.status["columns"] == ["Status"]
    assert result.responses["respondent_id"].nunique() == 4


def test_spss_value_labels_on_status_and_test_columns(tmp_path):
    """A .sav whose status (1 = Gennemført, 2 = Delvis) and test flag (0 = Nej, 1 = Ja) are labelled numbers;
    a mapping's completed code ("1") still applies to the labelled column."""
    rows = [{"lbnr": float(k), "status": 1.0, "testsvar": 0.0, "leder": "Ane", "rolle": 1.0,
             **dict.fromkeys(ITEMS, 4.0)} for k in range(4)]
    rows.append({"lbnr": 8.0, "status": 2.0, "testsvar": 0.0, "leder": "Ane", "rolle": 1.0,
                 **dict.fromkeys(ITEMS, 4.0)})  # case 5: partial
    rows.append({"lbnr": 9.0, "status": 1.0, "testsvar": 1.0, "leder": "Ane", "rolle": 1.0,
                 **dict.fromkeys(ITEMS, 1.0)})  # case 6: a test
    path = tmp_path / "x.sav"
    pyreadstat.write_sav(
        pd.DataFrame(rows), str(path),
        column_labels=["Respondent-ID", "Status", "Testsvar", "Leder", "Rolle", *EMPLOYEE_DA],
        variable_value_labels={"status": {1.0: "Gennemført", 2.0: "Delvis"}, "testsvar": {0.0: "Nej", 1.0: "Ja"},
                               "rolle": {1.0: "Medarbejder", 2.0: "Leder"}})
    for mapping in (None, {"status": {"column": "status", "completed": ["1"]}}):
        result = read_export(path, mapping)
        report = result.report
        assert [(p.row, p.code) for p in report.problems] == [(5, "not_completed"), (6, "test_response")]
        assert result.responses["respondent_id"].nunique() == 4
