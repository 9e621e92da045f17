"""Exports where rows are not people (issue 24): resubmissions told apart by a person key and a submission time,
test and preview answers in a column of their own, progress, and status columns with words of their own.

Every file is written here, shaped like the exports of a region, a state agency and a municipality; the expected
figures are counted by hand from the rows below.
"""

from __future__ import annotations

import pytest

from dol_toolkit.survey import read_export
from tests.survey.builders import EMPLOYEE_DA, assert_counts_add_up, write_csv, write_xlsx


def employees(result, leader: str) -> int:
    df = result.responses
    sel = (df["role"].astype(str) == "employee") & (df["leader_id"].astype(str) == leader)
    return int(df[sel]["respondent_id"].nunique())


def problems(report, code: str) -> list[int]:
    return [p.row for p in report.problems if p.code == code]


# -- 1. resubmissions ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("key", ["Respondent-ID", "Person-ID", "Medarbejdernr.", "RespondentKey", "E-mail-hash"])
def test_a_person_who_submitted_twice_counts_once_and_the_latest_counts(tmp_path, key):
    """Ane: 4 people, one of whom (P1) submitted twice; the second submission is earlier in the file but later
    in time, so the row order does not decide: the time does."""
    header = ["Besvarelses-ID", key, "Indsendt", "Leder", "Rolle", *EMPLOYEE_DA]
    rows = [
        ["S1", "P1", "2024-03-12 09:00", "Ane", "Medarbejder", *["5"] * 5],  # row 2: P1's later submission
        ["S2", "P1", "2024-03-01 14:30", "Ane", "Medarbejder", *["1"] * 5],  # row 3: P1's first, left out
        ["S3", "P2", "2024-03-02 10:00", "Ane", "Medarbejder", *["3"] * 5],
        ["S4", "P3", "2024-03-02 11:00", "Ane", "Medarbejder", *["3"] * 5],
        ["S5", "P4", "2024-03-03 08:00", "Ane", "Medarbejder", *["3"] * 5],
    ]
    result = read_export(write_csv(tmp_path / "region.csv", [header, *rows]))
    report = result.report
    assert report.columns["respondent_id"] == key and report.columns["submitted"] == "Indsendt"
    assert problems(report, "resubmission") == [3]
    assert "række 2" in report.format("da") or "(den seneste, i række 2" in report.format("da")
    assert employees(result, "Ane") == 4 and report.respondents_by_role["employee"] == 4
    p1 = result.responses[result.responses["respondent_id"].astype(str) == "P1"]
    assert set(p1["value"]) == {5.0}  # the latest submission's answers
    assert_counts_add_up(report)
    assert not any(n["code"].startswith("no_person_key") for n in report.notes)


@pytest.mark.parametrize(("generic", "key", "ids", "keys"), [
    ("ID", "Medarbejdernr.", ["1", "2", "3", "4", "5"], ["M1", "M2", "M3", "M4", "M1"]),
    ("respondent", "email", ["101", "102", "103", "104", "105"], ["a@x.dk", "b@x.dk", "c@x.dk", "d@x.dk", "a@x.dk"]),
    ("ResponseId", "RecipientEmail", ["R_1", "R_2", "R_3", "R_4", "R_5"], ["a@x.dk", "b@x.dk", "c@x.dk", "d@x.dk",
                                                                          "a@x.dk"]),
    ("Id", "ExternalReference", ["1", "2", "3", "4", "5"], ["E1", "E2", "E3", "E4", "E1"]),
])
def test_a_specific_person_key_wins_over_a_generic_row_id_before_it(tmp_path, generic, key, ids, keys):
    """Review 1: "ID" (one per row) before "Medarbejdernr." no longer hides the person key: Ane has 4 people,
    one of whom submitted twice (rows 2 and 6), so she is never shown with n = 5."""
    header = [generic, key, "Leder", "Rolle", *EMPLOYEE_DA]
    rows = [[i, k, "Ane", "Medarbejder", *[v] * 5] for i, k, v in zip(ids, keys, "13335", strict=True)]
    result = read_export(write_csv(tmp_path / "x.csv", [header, *rows]))
    report = result.report
    assert report.columns["respondent_id"] == key and report.columns["response_id"] == generic
    assert problems(report, "resubmission") == [2]
    assert employees(result, "Ane") == 4 and report.respondents_by_role["employee"] == 4
    assert not any(n["code"].startswith(("no_person_key", "person_key_generic")) for n in report.notes)


def test_a_generic_id_alone_is_the_person_key_and_the_report_says_its_name_does_not_tell(tmp_path):
    header = ["ID", "Leder", "Rolle", *EMPLOYEE_DA]
    rows = [[str(k), "Ane", "Medarbejder", *["3"] * 5] for k in range(5)]
    report = read_export(write_csv(tmp_path / "x.csv", [header, *rows])).report
    assert report.columns["respondent_id"] == "ID"
    assert [n["code"] for n in report.notes] == ["person_key_generic"]
    assert "[columns] respondent_id" in report.format("da") and "running number" in report.format("en")


def test_person_keys_are_compared_without_case_and_spacing(tmp_path):
    """Review 5: "Anna@X.dk" and " anna@x.dk" are one person, who submitted twice."""
    header = ["Respondent-ID", "Leder", "Rolle", *EMPLOYEE_DA]
    rows = [["Anna@X.dk", "Ane", "Medarbejder", *["1"] * 5], [" anna@x.dk", "Ane", "Medarbejder", *["5"] * 5]]
    rows += [[f"p{k}@x.dk", "Ane", "Medarbejder", *["3"] * 5] for k in range(3)]
    result = read_export(write_csv(tmp_path / "x.csv", [header, *rows]))
    report = result.report
    assert problems(report, "resubmission") == [2]
    assert employees(result, "Ane") == 4 and report.respondents_by_role["employee"] == 4
    assert set(result.responses[result.responses["respondent_id"] == "Anna@X.dk"]["value"]) == {5.0}
    assert [n["code"] for n in report.notes] == ["person_key_spellings"]


@pytest.mark.parametrize(("later", "earlier"), [
    ("2024/04/02 10:00", "2024/03/12 10:00"),  # year first with slashes (was read as 4 Feb and 3 Dec)
    ("2024.03.12", "2024.03.01"), ("20240312", "20240301"),
    ("05.03.2024 09.30", "01.03.2024 10.00"),  # Danish, a dotted time
    ("12. marts 2024 14:05", "1. marts 2024 09:00"), ("13-03-2024 kl. 09.15", "01-03-2024 kl. 10.00"),
    ("3/13/2024 2:05 PM", "3/1/2024 10:00 AM"),  # US, month first (13 is a day)
    ("2024-03-12T13:30:00Z", "2024-03-12T14:05:00+02:00"), (45364.5, 45363.25),  # Excel serial numbers
])
def test_the_latest_submission_is_found_in_the_time_formats_exports_write(tmp_path, later, earlier):
    """Review 6: the later submission (answers 5) is first in the file; the column's format decides."""
    header = ["Person-ID", "Indsendt", "Leder", "Rolle", *EMPLOYEE_DA]
    rows = [["P1", later, "Ane", "Medarbejder", *["5"] * 5], ["P1", earlier, "Ane", "Medarbejder", *["1"] * 5],
            ["P2", earlier, "Ane", "Medarbejder", *["3"] * 5]]
    for path in (write_csv(tmp_path / "x.csv", [header, *rows]), write_xlsx(tmp_path / "x.xlsx", [header, *rows])):
        result = read_export(path)
        assert problems(result.report, "resubmission") == [3], path
        assert set(result.responses[result.responses["respondent_id"] == "P1"]["value"]) == {5.0}
        assert not any(n["code"].startswith("time") for n in result.report.notes)


def test_datetime_cells_of_a_workbook_are_times(tmp_path):
    from datetime import datetime

    header = ["Person-ID", "Indsendt", "Leder", "Rolle", *EMPLOYEE_DA]
    rows = [["P1", datetime(2024, 3, 12, 9, 0), "Ane", "Medarbejder", *[5] * 5],
            ["P1", datetime(2024, 3, 1, 14, 30), "Ane", "Medarbejder", *[1] * 5]]
    result = read_export(write_xlsx(tmp_path / "x.xlsx", [header, *rows]))
    assert problems(result.report, "resubmission") == [3]
    assert set(result.responses["value"]) == {5.0}


def test_ambiguous_day_and_month_the_row_order_decides_where_the_readings_disagree(tmp_path):
    """3/5 and 5/3: day first, P1's first row is later; month first, its second. The report says so and the
    last row in the file counts; P2's readings agree (both say row 4 is later)."""
    header = ["Person-ID", "Indsendt", "Leder", "Rolle", *EMPLOYEE_DA]
    rows = [["P1", "3/5/2024 10:00", "Ane", "Medarbejder", *["1"] * 5],
            ["P1", "5/3/2024 10:00", "Ane", "Medarbejder", *["5"] * 5],
            ["P2", "2/3/2024 10:00", "Ane", "Medarbejder", *["1"] * 5],  # row 4: 2 Mar or 3 Feb
            ["P2", "1/1/2024 10:00", "Ane", "Medarbejder", *["3"] * 5]]  # row 5: earlier either way
    result = read_export(write_csv(tmp_path / "x.csv", [header, *rows]))
    report = result.report
    assert problems(report, "resubmission") == [2, 5]
    assert [n["code"] for n in report.notes] == ["time_ambiguous"] and report.notes[0]["count"] == "1"
    assert "day first or month first" in report.format("en") and "dagen eller måneden først" in report.format("da")


def test_an_unreadable_time_is_said_and_the_row_order_decides_for_that_person(tmp_path):
    header = ["Person-ID", "Indsendt", "Leder", "Rolle", *EMPLOYEE_DA]
    rows = [["P1", "2024-03-12 10:00", "Ane", "Medarbejder", *["1"] * 5],
            ["P1", "i går", "Ane", "Medarbejder", *["5"] * 5],  # row 3: unreadable, last in the file
            ["P2", "2024-03-05 10:00", "Ane", "Medarbejder", *["5"] * 5],
            ["P2", "2024-03-01 10:00", "Ane", "Medarbejder", *["1"] * 5]]
    result = read_export(write_csv(tmp_path / "x.csv", [header, *rows]))
    report = result.report
    assert problems(report, "resubmission") == [2, 5]
    assert [n["code"] for n in report.notes] == ["time_unreadable", "time_row_order"]
    assert "'i går'" in report.format("en") and "the last submission in the file counts" in report.format("en")


def test_a_long_export_groups_a_persons_rows_into_submissions_by_their_time(tmp_path):
    """Review 7: a person key and an end time but no response id: P1's later submission (answers 5) counts."""
    from tests.survey.builders import ITEM_IDS

    header = ["Person-ID", "EndDate", "Leder", "Rolle", "Spørgsmål", "Svar"]
    rows = [["P1", "2024-03-01 10:00", "Ane", "Medarbejder", item, "1"] for item in ITEM_IDS]  # rows 2-6
    rows += [["P1", "2024-03-05 10:00", "Ane", "Medarbejder", item, "5"] for item in ITEM_IDS]
    rows += [["P2", "2024-03-02 10:00", "Ane", "Medarbejder", item, "3"] for item in ITEM_IDS]
    result = read_export(write_csv(tmp_path / "long.csv", [header, *rows]))
    assert problems(result.report, "resubmission") == [2, 3, 4, 5, 6]
    assert set(result.responses[result.responses["respondent_id"] == "P1"]["value"]) == {5.0}
    assert len(result.responses) == 10


def test_without_a_time_the_last_submission_in_the_file_counts(tmp_path):
    header = ["Person-ID", "Leder", "Rolle", *EMPLOYEE_DA]
    rows = [["P1", "Ane", "Medarbejder", *["1"] * 5], ["P2", "Ane", "Medarbejder", *["3"] * 5],
            ["P1", "Ane", "Medarbejder", *["5"] * 5]]  # row 4: P1 again, later in the file
    result = read_export(write_csv(tmp_path / "x.csv", [header, *rows]))
    assert problems(result.report, "resubmission") == [2]
    assert set(result.responses[result.responses["respondent_id"] == "P1"]["value"]) == {5.0}


def test_a_resubmission_is_counted_in_the_latest_completed_submission(tmp_path):
    """A later submission that is not completed never replaces a completed one."""
    header = ["Person-ID", "Status", "Sluttid", "Leder", "Rolle", *EMPLOYEE_DA]
    rows = [["P1", "Gennemført", "01-03-2024 10:00", "Ane", "Medarbejder", *["2"] * 5],
            ["P1", "Delvis", "05-03-2024 10:00", "Ane", "Medarbejder", "5", "", "", "", ""]]  # row 3
    result = read_export(write_csv(tmp_path / "x.csv", [header, *rows]))
    assert problems(result.report, "not_completed") == [3]
    assert problems(result.report, "resubmission") == []
    assert set(result.responses["value"]) == {2.0}


def test_the_same_person_about_two_leaders_or_two_rounds_is_no_resubmission(tmp_path):
    header = ["Person-ID", "År", "Leder", "Rolle", *EMPLOYEE_DA]
    rows = [["P1", "2024", "Ane", "Medarbejder", *["2"] * 5], ["P1", "2024", "Bo", "Leders leder", *["3"] * 5],
            ["P1", "2025", "Ane", "Medarbejder", *["4"] * 5]]
    result = read_export(write_csv(tmp_path / "x.csv", [header, *rows]))
    assert result.report.problems == [] and result.report.rows_kept == 3


def test_an_export_row_repeated_cell_for_cell_is_still_a_duplicate(tmp_path):
    header = ["Respondent-ID", "Leder", "Rolle", *EMPLOYEE_DA]
    rows = [["R1", "Ane", "Medarbejder", *["2"] * 5], ["R1", "Ane", "Medarbejder", *["2"] * 5]]
    result = read_export(write_csv(tmp_path / "x.csv", [header, *rows]))
    assert [(p.row, p.code) for p in result.report.problems] == [(3, "duplicate_respondent")]


def test_a_response_id_alone_is_used_but_the_report_says_resubmissions_cannot_be_found(tmp_path):
    header = ["ResponseId", "Leder", "Rolle", *EMPLOYEE_DA]
    rows = [[f"R_{k}", "Ane", "Medarbejder", *["4"] * 5] for k in range(5)]
    report = read_export(write_csv(tmp_path / "x.csv", [header, *rows], delimiter=",")).report
    assert report.columns["respondent_id"] == "ResponseId"
    assert [n["code"] for n in report.notes] == ["no_person_key_response"]
    assert "kan ikke opdages" in report.format("da") and "cannot be detected" in report.format("en")


def test_without_any_key_the_report_says_resubmissions_cannot_be_found(tmp_path):
    header = ["Leder", "Rolle", *EMPLOYEE_DA]
    rows = [["Ane", "Medarbejder", *["4"] * 5] for _ in range(5)]
    report = read_export(write_csv(tmp_path / "x.csv", [header, *rows])).report
    assert [n["code"] for n in report.notes] == ["no_person_key"]
    assert any(n["text"].startswith("No person key") for n in report.to_dict("en")["notes"])


def test_a_mapping_names_the_person_key_and_the_time(tmp_path):
    header = ["Svar nr", "Lønnr", "Tidsstempel", "Leder", "Rolle", *EMPLOYEE_DA]
    rows = [["1", "L7", "2024-03-09 10:00", "Ane", "Medarbejder", *["5"] * 5],
            ["2", "L7", "2024-03-01 10:00", "Ane", "Medarbejder", *["1"] * 5]]  # row 3: earlier in time
    path = write_csv(tmp_path / "x.csv", [header, *rows])
    mapping = tmp_path / "m.toml"
    mapping.write_text('[columns]\nrespondent_id = "Lønnr"\nresponse_id = "Svar nr"\nsubmitted = "Tidsstempel"\n',
                       encoding="utf-8")
    result = read_export(path, mapping)
    assert problems(result.report, "resubmission") == [3]
    assert set(result.responses["value"]) == {5.0}


def test_resubmissions_in_a_long_export_told_apart_by_response_id(tmp_path):
    header = ["ResponseId", "Person-ID", "EndDate", "Leder", "Rolle", "Spørgsmål", "Svar"]
    rows = [["A", "P1", "2024-03-01 10:00", "Ane", "Medarbejder", "competences", "1"],
            ["A", "P1", "2024-03-01 10:00", "Ane", "Medarbejder", "rationale", "1"],
            ["B", "P1", "2024-03-05 10:00", "Ane", "Medarbejder", "competences", "5"],
            ["C", "P2", "2024-03-05 10:00", "Ane", "Medarbejder", "competences", "3"]]
    result = read_export(write_csv(tmp_path / "long.csv", [header, *rows]))
    assert problems(result.report, "resubmission") == [2, 3]
    assert sorted(result.responses["value"].tolist()) == [3.0, 5.0]


# -- 2. test and preview answers in a column of their own ----------------------------------------------------
@pytest.mark.parametrize(("name", "test", "real"), [("Test", "1", "0"), ("Testsvar", "Ja", "Nej"),
                                                    ("Preview", "TRUE", "FALSE"), ("Intern test", "x", "")])
def test_test_answers_in_a_column_of_their_own_are_left_out_beside_a_status(tmp_path, name, test, real):
    header = ["Leder", "Rolle", "Status", name, *EMPLOYEE_DA]
    rows = [["Ane", "Medarbejder", "Gennemført", real, *["4"] * 5] for _ in range(4)]
    rows.append(["Ane", "Medarbejder", "Gennemført", test, *["1"] * 5])  # row 6: a test
    rows.append(["Ane", "Medarbejder", "Ikke startet", real, *[""] * 5])  # row 7
    result = read_export(write_csv(tmp_path / "agency.csv", [header, *rows], encoding="cp1252"))
    report = result.report
    assert problems(report, "test_response") == [6] and problems(report, "not_completed") == [7]
    assert employees(result, "Ane") == 4
    assert report.status["conditions"] == [{"kind": "test", "column": name, "values": [test.lower()]}]
    assert f"kolonnen '{name}'" in report.format("da")
    assert_counts_add_up(report)


def test_an_unknown_value_in_a_test_column_leaves_the_row_out(tmp_path):
    header = ["Leder", "Rolle", "Test", *EMPLOYEE_DA]
    rows = [["Ane", "Medarbejder", "0", *["4"] * 5], ["Ane", "Medarbejder", "måske", *["4"] * 5]]
    report = read_export(write_csv(tmp_path / "x.csv", [header, *rows])).report
    assert [(p.row, p.code, p.value) for p in report.problems] == [(3, "test_unknown", "måske")]


def test_a_column_called_test_that_is_no_flag_is_not_used_and_said(tmp_path):
    header = ["Leder", "Rolle", "Test", *EMPLOYEE_DA]
    rows = [["Ane", "Medarbejder", f"Kursus {c}", *["4"] * 5] for c in "ABC"]  # three values: no flag
    report = read_export(write_csv(tmp_path / "x.csv", [header, *rows])).report
    assert report.rows_kept == 3 and "Test" in report.ignored_columns
    assert [n["code"] for n in report.notes if n["code"].startswith("test")] == ["test_not_used"]


@pytest.mark.parametrize(("name", "marks"), [("Testsvar", ["", "Testperson"]), ("Test", ["", "T"]),
                                            ("Test", ["", "✓"]), ("Intern test", ["Nej", "Intern"]),
                                            ("Preview", ["Rigtig", "Prøve"])])
def test_an_unknown_mark_in_a_test_column_is_never_counted_as_a_real_answer(tmp_path, name, marks):
    """Review 3: a test column whose values are all unrecognised is no longer dropped: Ane has 4 real answers
    and one marked with a word the importer does not know, which is left out (never n = 5)."""
    header = ["Respondent-ID", name, "Leder", "Rolle", *EMPLOYEE_DA]
    rows = [[f"R{k}", marks[k == 4], "Ane", "Medarbejder", *["3"] * 5] for k in range(5)]
    result = read_export(write_csv(tmp_path / "x.csv", [header, *rows]))
    report = result.report
    assert [(p.row, p.code, p.value) for p in report.problems] == [(6, "test_unknown", marks[1])]
    assert employees(result, "Ane") == 4
    assert not any(n["code"] == "test_not_used" for n in report.notes)
    text = report.format("en")
    assert f"Unknown values in the column '{name}' ('{marks[1]}')" in text
    assert "No status column found: every row counts" not in text  # review 11: the test condition does apply
    assert "no row is marked with a known test value" in text and "a test when '1'" not in text


@pytest.mark.parametrize("values", [["1", "2", "3", "4", "5", "6"], ["2", "4", "2", "5", "4", "2"],
                                    ["A", "B", "C", "A", "B", "C"]])
def test_a_question_column_named_test_is_no_flag_and_leaves_no_row_out(tmp_path, values):
    """Review 8: an extra column "Test" holding answers 1-6 (or a scale's numbers, or three course names) is
    not read as a test flag, so it throws no row away; the report says it was not used."""
    header = ["Respondent-ID", "Leder", "Rolle", *EMPLOYEE_DA, "Test"]
    rows = [[f"R{k}", "Ane", "Medarbejder", *["3"] * 5, v] for k, v in enumerate(values)]
    report = read_export(write_csv(tmp_path / "x.csv", [header, *rows])).report
    assert report.rows_kept == 6 and report.problems == []
    assert [n["code"] for n in report.notes] == ["test_not_used"] and "Test" in report.ignored_columns
    assert report.status is None or report.status["conditions"] == []


def test_the_report_names_the_test_values_it_saw_beside_no_status_column(tmp_path):
    """Review 11: with a test flag but no status column the report does not say every row counts."""
    header = ["Respondent-ID", "Test", "Leder", "Rolle", *EMPLOYEE_DA]
    rows = [[f"R{k}", "Ja" if k == 4 else "Nej", "Ane", "Medarbejder", *["3"] * 5] for k in range(5)]
    report = read_export(write_csv(tmp_path / "x.csv", [header, *rows])).report
    assert problems(report, "test_response") == [6]
    da, en = report.format("da"), report.format("en")
    assert "rows count as responses unless a condition below leaves them out" in en
    assert "medmindre en af betingelserne nedenfor udelader dem" in da
    assert "a test when 'ja'" in en and "every row counts" not in en


def test_the_mapping_sets_the_test_column_and_values_and_progress(tmp_path):
    header = ["Leder", "Rolle", "Kilde", "Andel besvaret", *EMPLOYEE_DA]
    rows = [["Ane", "Medarbejder", "Mail", "100", *["4"] * 5],
            ["Ane", "Medarbejder", "Prøve", "100", *["1"] * 5],  # row 3: a test by the mapping's value
            ["Ane", "Medarbejder", "Mail", "60", *["2"] * 5]]  # row 4: not answered to the end
    path = write_csv(tmp_path / "x.csv", [header, *rows])
    mapping = tmp_path / "m.toml"
    mapping.write_text('[status]\ntest_column = "Kilde"\ntest_values = ["Prøve"]\n'
                       'progress_column = "Andel besvaret"\nmin_progress = 100\n', encoding="utf-8")
    report = read_export(path, mapping).report
    assert problems(report, "test_response") == [3] and problems(report, "low_progress") == [4]
    assert [c["kind"] for c in report.status["conditions"]] == ["test", "progress"]
    assert "60" in next(p for p in report.problems if p.row == 4).reason("en")


def test_progress_is_recognised(tmp_path):
    header = ["Leder", "Rolle", "Progress", *EMPLOYEE_DA]
    rows = [["Ane", "Medarbejder", "100", *["4"] * 5], ["Ane", "Medarbejder", "45", "4", "", "", "", ""]]
    report = read_export(write_xlsx(tmp_path / "x.xlsx", [header, *rows])).report
    assert problems(report, "low_progress") == [3]


# -- 3. status words -----------------------------------------------------------------------------------------
def test_a_status_column_is_recognised_by_its_completed_value_and_other_words_are_listed(tmp_path):
    """One word the importer has never seen ("Påmindet 2x") no longer makes it drop the status column."""
    header = ["Leder", "Rolle", "Status", *EMPLOYEE_DA]
    rows = [["Ane", "Medarbejder", "Afsluttet", *["4"] * 5] for _ in range(5)]
    rows += [["Ane", "Medarbejder", "Ikke startet", *[""] * 5],  # row 7
             ["Ane", "Medarbejder", "Delvis", "2", "2", "", "", ""],  # row 8
             ["Ane", "Medarbejder", "Påmindet 2x", "1", "", "", "", ""]]  # row 9: a system's own word
    result = read_export(write_csv(tmp_path / "status.csv", [header, *rows]))
    report = result.report
    assert report.status is not None and report.status["columns"] == ["Status"]
    left = {p.row: p.value for p in report.problems if p.code == "not_completed"}
    assert left == {7: "Ikke startet", 8: "Delvis", 9: "Påmindet 2x"}
    assert report.rows_kept == 5 and set(result.responses["value"]) == {4.0}


def test_a_status_column_with_the_systems_own_completed_word_stops_and_says_how_to_name_it(tmp_path):
    """Review 4: "Indsendt" x4 and the known not-completed word "Delvis": the column is a status whose completed
    word is unknown, so the import stops (rather than count the partial row) and names the line to write."""
    from dol_toolkit.survey import SurveyImportError

    header = ["Respondent-ID", "Status", "Leder", "Rolle", *EMPLOYEE_DA]
    rows = [[f"R{k}", "Indsendt", "Ane", "Medarbejder", *["3"] * 5] for k in range(4)]
    rows.append(["R9", "Delvis", "Ane", "Medarbejder", "3", "", "", "", ""])  # row 6
    path = write_csv(tmp_path / "x.csv", [header, *rows])
    with pytest.raises(SurveyImportError) as caught:
        read_export(path)
    assert caught.value.code == "status_completed_unknown"
    for lang in ("da", "en"):
        message = caught.value.message(lang)
        assert "'Delvis', 'Indsendt'" in message and '[status] column = "Status"' in message
        assert 'completed = ["Indsendt"]' in message
    mapping = tmp_path / "m.toml"
    mapping.write_text('[status]\ncolumn = "Status"\ncompleted = ["Indsendt"]\n', encoding="utf-8")
    result = read_export(path, mapping)
    assert problems(result.report, "not_completed") == [6] and employees(result, "Ane") == 4


def test_a_status_column_of_known_not_completed_words_only_keeps_no_row(tmp_path):
    header = ["Respondent-ID", "Status", "Leder", "Rolle", *EMPLOYEE_DA]
    rows = [[f"R{k}", "Delvis", "Ane", "Medarbejder", "3", "", "", "", ""] for k in range(5)]
    report = read_export(write_csv(tmp_path / "x.csv", [header, *rows])).report
    assert report.rows_kept == 0 and problems(report, "not_completed") == [2, 3, 4, 5, 6]


def test_a_status_column_without_a_completed_value_is_not_used_and_said(tmp_path):
    header = ["Leder", "Rolle", "Status", *EMPLOYEE_DA]
    rows = [["Ane", "Medarbejder", "Fastansat", *["4"] * 5], ["Ane", "Medarbejder", "Vikar", *["4"] * 5]]
    report = read_export(write_csv(tmp_path / "x.csv", [header, *rows])).report
    assert report.rows_kept == 2 and "Status" in report.ignored_columns
    assert [n["code"] for n in report.notes if n["code"].startswith("status")] == ["status_not_used"]
    assert "'Fastansat'" in report.format("da")
