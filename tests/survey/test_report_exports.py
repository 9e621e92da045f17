"""Excel report exports and the drafted mapping (issue 24): summary rows under the data, a cover sheet before
the data, errors that name a workbook's sheets, and a drafted mapping that says only what the import does.

Every file is written here.
"""

from __future__ import annotations

import pandas as pd
import pyreadstat
import pytest

from dol_toolkit.survey import SurveyImportError, read_export
from dol_toolkit.survey.draft_mapping import draft_mapping
from tests.survey.builders import EMPLOYEE_DA, assert_counts_add_up, write_csv, write_xlsx

HEADER = ["Leder", "Afdeling", "Rolle", *EMPLOYEE_DA]
COVER = [["Ledelsesevaluering 2024"], ["Styrelsen for Eksempler"], [], ["Resultaterne står på arket Data."]]


def section(draft: str, name: str) -> str:
    return draft.split(f"[{name}]")[1].split("\n[")[0]


def test_total_rows_in_a_semicolon_cp1252_csv(tmp_path):
    rows = [["Søren Ærø", "Økonomi", "Medarbejder", *["4"] * 5] for _ in range(5)]
    rows += [["I alt", "", "", *["20"] * 5],  # row 7
             ["Gennemsnit", "", "", "4,0", "4,0", "4,0", "4,0", "4,0"],  # row 8
             ["Total (n=5)", "", "", "", "", "", "", ""]]  # row 9
    path = write_csv(tmp_path / "rapport.csv", [HEADER, *rows], delimiter=";", encoding="cp1252")
    result = read_export(path)
    report = result.report
    assert [(p.row, p.code, p.value) for p in report.problems] == [
        (7, "summary_row", "I alt"), (8, "summary_row", "Gennemsnit"), (9, "summary_row", "Total (n=5)")]
    assert report.rows_kept == 5 and report.respondents_by_role["employee"] == 5
    assert set(result.responses["value"]) == {4.0}
    assert "opsummeringsrække" in report.format("da")
    assert_counts_add_up(report)
    draft = draft_mapping(path)
    answers = section(draft, "answers")
    assert "20" not in answers and "4,0" not in answers and "every answer label was recognised" in answers
    assert "# rows 7, 8, 9: summary rows" in draft
    assert "I alt" not in section(draft, "roles")


def test_a_department_that_begins_like_a_summary_word_is_no_summary_row(tmp_path):
    rows = [["Ane", "Samlet Administration", "Medarbejder", *["4"] * 5]]
    assert read_export(write_csv(tmp_path / "x.csv", [HEADER, *rows])).report.problems == []


def test_a_workbook_whose_first_sheet_is_a_cover_page(tmp_path):
    rows = [["Ane", "HR", "Medarbejder", *[4] * 5] for _ in range(5)] + [["Total", None, None, *[20] * 5]]
    path = write_xlsx(tmp_path / "hospital.xlsx", [HEADER, *rows], title="Data", before=[("Forside", COVER)])
    report = read_export(path).report
    assert report.sheet == "Data" and report.rows_kept == 5
    assert [p.code for p in report.problems] == ["summary_row"]
    assert "'Data'" in report.format("da")
    draft = draft_mapping(path)
    assert 'sheet = "Data"' in draft and "every answer label was recognised" in section(draft, "answers")


def test_an_error_about_a_workbook_names_every_sheet_and_the_one_read(tmp_path):
    path = write_xlsx(tmp_path / "x.xlsx", [["Navn", "Tal"], ["a", 1]], title="Noget andet",
                      before=[("Forside", COVER)])
    with pytest.raises(SurveyImportError) as caught:
        read_export(path)
    assert "'Forside', 'Noget andet'" in caught.value.message("en") and "read: 'Forside'" in caught.value.message(
        "en")
    assert "læst: 'Forside'" in caught.value.message("da")


# -- 10. the drafted mapping tells the truth ----------------------------------------------------------------------
def test_the_draft_never_proposes_a_meaning_for_a_code_it_does_not_know(tmp_path):
    rows = [["Ane", "HR", "Medarbejder", 6, 9, 4, 5, 1] for _ in range(5)]
    draft = draft_mapping(write_xlsx(tmp_path / "codes.xlsx", [HEADER, *rows]))
    answers = section(draft, "answers")
    assert '# 6 = ""' in answers and '# 9 = ""' in answers
    assert "dont_know\"   #" not in answers and "prefer_not\"   #" not in answers


def test_the_draft_reads_spss_labels_as_the_import_does(tmp_path):
    """9 is "Ønsker ikke at oplyse" in the file: the draft never offers it as "Ved ikke"."""
    path = tmp_path / "region.sav"
    frame = pd.DataFrame({"leder": ["Ane"] * 5, "rolle": [1.0] * 5, "q1": [4.0, 9.0, 8.0, 9.0, 5.0]})
    pyreadstat.write_sav(frame, str(path), column_labels=["Leder", "Rolle", EMPLOYEE_DA[0]],
                         variable_value_labels={"rolle": {1.0: "Medarbejder"},
                                                "q1": {8.0: "Ved ikke", 9.0: "Ønsker ikke at oplyse"}},
                         missing_ranges={"q1": [8.0, 9.0]})
    assert read_export(path).report.answers_by_category["prefer_not"] == 2
    draft = draft_mapping(path)
    assert "every answer label was recognised" in section(draft, "answers")
    assert 'Medarbejder = "employee"' in section(draft, "roles")


def test_a_code_book_label_the_toolkit_does_not_know_gets_no_meaning(tmp_path):
    rows = [["Ane", "HR", "Medarbejder", 1, 2, 5, 6, 8] for _ in range(5)]
    labels = [["Værdi", "Label"], [1, "Helt uenig"], [2, "Overvejende uenig"], [5, "Helt enig"], [6, "Ved ikke"],
              [8, "Ikke relevant"]]
    answers = section(draft_mapping(write_xlsx(tmp_path / "b.xlsx", [HEADER, *rows], after=[("Labels", labels)])),
                      "answers")
    assert answers.strip().splitlines()[1:] == [
        '# 8 = ""   # UNKNOWN label (code book: Ikke relevant): set 1-5, "dont_know" or "prefer_not"']


def test_the_draft_never_says_a_status_column_is_used_when_the_import_does_not_use_it(tmp_path):
    header = ["Leder", "Rolle", "Status", *EMPLOYEE_DA]
    rows = [["Ane", "Medarbejder", "Fastansat", *["4"] * 5], ["Ane", "Medarbejder", "Vikar", *["4"] * 5]]
    draft = draft_mapping(write_csv(tmp_path / "x.csv", [header, *rows]))
    status = section(draft, "status")
    assert "recognised" not in status.split("test_column")[0]
    assert '"Status" is not read as a status' in status
    assert '"Status"' in draft.split("Columns not recognised:")[1].splitlines()[0]


def test_the_draft_names_what_the_import_uses_for_status_and_tests(tmp_path):
    header = ["Leder", "Rolle", "Status", "Testsvar", *EMPLOYEE_DA]
    rows = [["Ane", "Medarbejder", "Gennemført", "0", *["4"] * 5], ["Ane", "Medarbejder", "Delvis", "1", *["4"] * 5]]
    status = section(draft_mapping(write_csv(tmp_path / "x.csv", [header, *rows])), "status")
    assert "# recognised (column): Status" in status
    assert '# test_column = "Testsvar"   # recognised' in status


def test_the_draft_proposes_a_round_like_column_as_a_check(tmp_path):
    header = ["Leder", "Rolle", "Undersøgelse", *EMPLOYEE_DA]
    rows = [["Ane", "Leder", "2023", *["4"] * 5], ["Ane", "Leder", "2024", *["5"] * 5]]
    draft = draft_mapping(write_csv(tmp_path / "x.csv", [header, *rows]))
    assert '# wave = "Undersøgelse"   # CHECK: looks like the round (2023, 2024)' in draft


def test_of_an_overview_and_the_data_the_sheet_of_respondent_rows_is_read(tmp_path):
    """Review 9: a cover, an overview of averages per leader (with an 'I alt' row) and the real rows: the rows
    are read, and the report names every sheet, the one read and why; the draft names it too."""
    header = ["Respondent-ID", "Leder", "Rolle", *EMPLOYEE_DA]
    data = [[f"R{k}", "Ane", "Medarbejder", *[3] * 5] for k in range(5)]
    data += [[f"S{k}", "Bo", "Medarbejder", *[4] * 5] for k in range(3)]
    overview = [["Leder", "Rolle", *EMPLOYEE_DA, "Antal svar"], ["Ane", "Medarbejder", 3, 3, 3, 3, 3, 5],
                ["Bo", "Medarbejder", 4, 4, 4, 4, 4, 3], ["I alt", "", 3.4, 3.4, 3.4, 3.4, 3.4, 8]]
    path = write_xlsx(tmp_path / "report.xlsx", [header, *data], title="Data",
                      before=[("Forside", COVER), ("Oversigt", overview)])
    result = read_export(path)
    report = result.report
    assert report.sheet == "Data" and report.rows_kept == 8 and report.sheet_reason == "rows"
    assert report.sheet_candidates == ["Oversigt", "Data"]
    assert "'Forside', 'Oversigt', 'Data'; read: 'Data'" in report.format("en")
    assert "læst: 'Data'" in report.format("da")
    assert 'sheet = "Data"' in draft_mapping(path)


def test_two_sheets_of_respondent_rows_stop_the_import_and_are_named(tmp_path):
    header = ["Respondent-ID", "Leder", "Rolle", *EMPLOYEE_DA]
    rows = [[f"R{k}", "Ane", "Medarbejder", *[3] * 5] for k in range(5)]
    path = write_xlsx(tmp_path / "two.xlsx", [header, *rows], title="2024", before=[("2023", [header, *rows])])
    with pytest.raises(SurveyImportError) as caught:
        read_export(path)
    assert caught.value.code == "several_data_sheets"
    assert "'2023', '2024'" in caught.value.message("en") and 'sheet = "2023"' in caught.value.message("da")
    assert read_export(path, mapping={"file": {"sheet": "2024"}}).report.sheet_reason == "named"


def test_departments_never_make_summary_rows_and_worded_summary_rows_are_found(tmp_path):
    """Review 10: departments that begin with a summary word are real rows; 'Gennemsnit for alle ledere' and
    'Totalt antal' under the data (in the department column, the leader, role and respondent cells empty) are
    summary rows; a leader called 'Sum-Up Team' with a role and a person is a leader. Written as a semicolon
    cp1252 CSV, as Danish Excel saves it."""
    header = ["Afdeling", "Respondent-ID", "Leder", "Rolle", *EMPLOYEE_DA]
    departments = ["Total Facility Management", "Total - Facility Management", "Samlet: Drift", "Sum-Up Team",
                   "Mean Machines", "Total (FM)"]
    rows = [[d, f"R{k}{i}", f"Leder{i}", "Medarbejder", *["3"] * 5] for i, d in enumerate(departments)
            for k in range(5)]
    rows += [["Økonomi", f"U{k}", "Sum-Up Team", "Medarbejder", *["4"] * 5] for k in range(5)]
    rows += [["Gennemsnit for alle ledere", "", "", "", *["3,4"] * 5],  # row 37
             ["Totalt antal", "", "", "", *["35"] * 5],  # row 38
             ["", "", "I alt", "", *["35"] * 5]]  # row 39
    result = read_export(write_csv(tmp_path / "x.csv", [header, *rows], encoding="cp1252"))
    report = result.report
    assert [(p.row, p.code, p.value) for p in report.problems] == [
        (37, "summary_row", "Gennemsnit for alle ledere"), (38, "summary_row", "Totalt antal"),
        (39, "summary_row", "I alt")]
    assert report.rows_kept == 35 and report.leaders == 7
    assert_counts_add_up(report)
