"""Leaders by id with an org chart on another sheet or in a second file (issue 24): a state agency's workbook with
a cover sheet, the answers (leader ids only) and a roster sheet; the drafted mapping proposes the roster, the
mapping names it, and the report lists ids with no roster row and roster rows with no answers.
"""

from __future__ import annotations

import pytest

from dol_toolkit.survey import SurveyImportError, read_export
from dol_toolkit.survey.draft_mapping import draft_mapping
from tests.survey.builders import EMPLOYEE_DA, write_csv, write_xlsx

HEADER = ["Leder-ID", "Rolle", *EMPLOYEE_DA]
COVER = [["Ledelsesevaluering 2025"], ["Styrelsen"], [], ["Svarene står på arket Svar, lederne på Organisation."]]
ROSTER = [["Organisationsdiagram pr. 1. marts"], [],
          ["Leder-ID", "Navn", "Afdeling", "Stilling"],
          ["L0042", "Ane Østergård", "Økonomi", "Kontorchef"],
          ["L0043", "Bo Ærø", "IT og Digitalisering", "Teamleder"],
          ["L0099", "Cai Holm", "HR", "Chef"]]  # no answers about L0099


def agency_workbook(tmp_path):
    rows = [["L0042", "Medarbejder", *[4] * 5] for _ in range(5)]
    rows += [["L0043", "Medarbejder", *[3] * 5] for _ in range(3)]
    rows += [["L0050", "Medarbejder", *[2] * 5]]  # no roster row
    return write_xlsx(tmp_path / "styrelse.xlsx", [HEADER, *rows], title="Svar",
                      before=[("Forside", COVER)], after=[("Organisation", ROSTER)])


def test_the_draft_proposes_the_roster_sheet(tmp_path):
    draft = draft_mapping(agency_workbook(tmp_path))
    assert 'sheet = "Svar"' in draft
    roster = draft.split("[roster]")[1].split("\n[")[0]
    assert 'sheet = "Organisation"' in roster and 'id = "Leder-ID"' in roster
    assert 'name = "Navn"' in roster and 'department = "Afdeling"' in roster
    assert "2 of the answers' 3 leader ids" in roster


def test_a_roster_sheet_gives_names_and_departments(tmp_path):
    path = agency_workbook(tmp_path)
    mapping = tmp_path / "m.toml"
    mapping.write_text('[roster]\nsheet = "Organisation"\nid = "Leder-ID"\nname = "Navn"\ndepartment = "Afdeling"\n',
                       encoding="utf-8")
    result = read_export(path, mapping)
    df = result.responses.drop_duplicates("leader_id").set_index(result.responses.drop_duplicates(
        "leader_id")["leader_id"].astype(str))
    assert df.loc["L0042", "leader_name"] == "Ane Østergård" and df.loc["L0042", "department"] == "Økonomi"
    assert df.loc["L0043", "department"] == "IT og Digitalisering"
    assert df.loc["L0050", "leader_name"] == "L0050" and df.loc["L0050", "department"] == ""
    notes = {n["code"]: n for n in result.report.notes}
    assert notes["roster"]["count"] == "2" and notes["roster_missing"]["ids"] == "L0050"
    assert notes["roster_unused"]["ids"] == "L0099"
    text = result.report.format("en")
    assert "Leader ids in the answers with no roster row (1): L0050" in text
    assert "Roster rows with no answers (1): L0099" in text


def test_a_roster_in_a_second_file(tmp_path):
    rows = [["L1", "Medarbejder", *["4"] * 5] for _ in range(5)]
    path = write_csv(tmp_path / "svar.csv", [HEADER, *rows])
    write_csv(tmp_path / "org.csv", [["Leder-ID", "Navn", "Afdeling"], ["L1", "Ane", "HR"]])
    mapping = tmp_path / "m.toml"
    mapping.write_text('[roster]\nfile = "org.csv"\nid = "Leder-ID"\nname = "Navn"\ndepartment = "Afdeling"\n',
                       encoding="utf-8")
    df = read_export(path, mapping).responses
    assert set(df["leader_name"].astype(str)) == {"Ane"} and set(df["department"].astype(str)) == {"HR"}


def test_a_roster_column_that_is_not_there_is_said(tmp_path):
    mapping = tmp_path / "m.toml"
    mapping.write_text('[roster]\nsheet = "Organisation"\nid = "Leder-ID"\nname = "Fulde navn"\n', encoding="utf-8")
    with pytest.raises(SurveyImportError) as caught:
        read_export(agency_workbook(tmp_path), mapping)
    assert "Fulde navn" in caught.value.message("en") and "Stilling" in caught.value.message("en")


def test_a_roster_id_with_two_different_rows_is_said(tmp_path):
    """The review's suspicion: an id twice in the roster with different departments was silently read as its
    first row; the report now lists it."""
    rows = [["L1", "Medarbejder", *["4"] * 5] for _ in range(5)]
    path = write_csv(tmp_path / "svar.csv", [HEADER, *rows])
    write_csv(tmp_path / "org.csv", [["Leder-ID", "Navn", "Afdeling"], ["L1", "Ane", "HR"], ["L1", "Ane", "IT"],
                                     ["L2", "Bo", "IT"], ["L2", "Bo", "IT"]])  # L2 twice, alike: no conflict
    mapping = tmp_path / "m.toml"
    mapping.write_text('[roster]\nfile = "org.csv"\nid = "Leder-ID"\nname = "Navn"\ndepartment = "Afdeling"\n',
                       encoding="utf-8")
    result = read_export(path, mapping)
    notes = {n["code"]: n for n in result.report.notes}
    assert notes["roster_conflict"]["ids"] == "L1" and notes["roster_conflict"]["count"] == "1"
    assert "several roster rows giving a different name or department (1): L1" in result.report.format("en")
    assert set(result.responses["department"].astype(str)) == {"HR"}
