"""Exports shaped like those that survey systems write (issue 11): status columns, code books, Qualtrics'
three header rows, per-role item columns in a drafted mapping, messy leader names, round labels, one respondent
with several leaders, skipped answers written as text, label variants, and respondent counts.

Every file is written here; the expected figures are counted by hand from the rows below.
"""

from __future__ import annotations

import json
import math

import pytest

from dol_toolkit.stats.anonymity import AnonymityPolicy
from dol_toolkit.stats.compare import compare_waves
from dol_toolkit.stats.describe import Selection, describe_selection
from dol_toolkit.survey import read_export
from dol_toolkit.survey.draft_mapping import draft_mapping
from dol_toolkit.survey.mapping import load_mapping
from tests.survey.builders import (
    EMPLOYEE_DA,
    ITEM_IDS,
    MANAGER_DA,
    SELF_DA,
    assert_counts_add_up,
    write_csv,
    write_xlsx,
)


def employees(result, leader: str, wave: str | None = None) -> int:
    df = result.responses
    sel = (df["role"].astype(str) == "employee") & (df["leader_id"].astype(str) == leader)
    if wave is not None:
        sel &= df["wave"].astype(str) == wave
    return int(df[sel]["respondent_id"].nunique())


def codes_of(report, code: str) -> list[int]:
    return [p.row for p in report.problems if p.code == code]


# -- 1. response status ----------------------------------------------------------------------------------------
SX_HEADER = ["respondentid", "Leder", "Rolle", *EMPLOYEE_DA,
             "statoverall_1", "statoverall_2", "statoverall_3", "statoverall_4", "statoverall_5"]


def sx_row(rid: str, leader: str, status: int, answers: list[object]) -> list[object]:
    flags = [1 if k == status else 0 for k in range(1, 6)]
    return [rid, leader, "Medarbejder", *answers, *flags]


def test_surveyxact_status_columns_count_only_completed_responses(tmp_path):
    """Ane has 4 completed answers and 1 partial: she is below 5 and never shown; the partial and the never
    answered rows are listed as left out with their status."""
    rows = [sx_row(f"R{k}", "Ane", 4, [4, 4, 4, 4, 4]) for k in range(4)]
    rows.append(sx_row("R4", "Ane", 3, [1, 1, "", "", ""]))  # partial (row 6)
    rows.append(sx_row("R5", "Ane", 1, ["", "", "", "", ""]))  # not answered (row 7)
    rows += [sx_row(f"B{k}", "Bo", 4, [5, 5, 5, 5, 5]) for k in range(5)]
    path = write_xlsx(tmp_path / "surveyxact.xlsx", [SX_HEADER, *rows])
    result = read_export(path)
    report = result.report
    assert report.status["source"] == "surveyxact"
    assert codes_of(report, "not_completed") == [6, 7]
    left = {p.row: p.value for p in report.problems if p.code == "not_completed"}
    assert left == {6: "statoverall_3", 7: "statoverall_1"}
    assert employees(result, "Ane") == 4 and employees(result, "Bo") == 5
    assert report.respondents_by_role["employee"] == 9
    assert "statoverall_4" not in report.ignored_columns
    assert_counts_add_up(report)
    figure = describe_selection(result.responses, Selection.leader("Ane"), AnonymityPolicy())
    assert figure[figure["role"] == "employee"]["suppressed"].all()
    text = report.format("da")
    assert "Kun gennemførte besvarelser tæller" in text and "statoverall_4" in text


def test_qualtrics_finished_and_preview_rows(tmp_path):
    header = ["Status", "Progress", "Finished", "ResponseId", "Leder", "Rolle", *EMPLOYEE_DA]
    rows = [["IP Address", "100", "True", f"R_{k}", "Ane", "Medarbejder", *["4"] * 5] for k in range(5)]
    rows.append(["Survey Preview", "100", "True", "R_p", "Ane", "Medarbejder", *["1"] * 5])  # row 7
    rows.append(["IP Address", "40", "False", "R_x", "Ane", "Medarbejder", "2", "2", "", "", ""])  # row 8
    path = write_csv(tmp_path / "qualtrics.csv", [header, *rows], delimiter=",")
    result = read_export(path)
    report = result.report
    assert report.status["source"] == "qualtrics"
    assert codes_of(report, "status_preview") == [7]
    assert codes_of(report, "not_completed") == [8]
    assert employees(result, "Ane") == 5
    assert set(result.responses["value"].dropna()) == {4.0}  # neither the preview nor the partial answers


def test_a_completed_column_and_a_mapping_rule(tmp_path):
    header = ["Leder", "Rolle", "Gennemført", *EMPLOYEE_DA]
    rows = [["Ane", "Medarbejder", "Ja", *["3"] * 5] for _ in range(5)]
    rows.append(["Ane", "Medarbejder", "Nej", *["1"] * 5])  # row 7
    rows.append(["Ane", "Medarbejder", "Afbrudt", *["1"] * 5])  # row 8: a status the importer does not know
    path = write_csv(tmp_path / "done.csv", [header, *rows])
    report = read_export(path).report
    assert codes_of(report, "not_completed") == [7, 8]
    assert "Afbrudt" in report.format("da") and "[status]" in report.format("da")
    # The mapping sets the rule: both statuses count, or every row does.
    mapping = tmp_path / "m.toml"
    mapping.write_text('[status]\ncolumn = "Gennemført"\ncompleted = ["Ja", "Afbrudt"]\n', encoding="utf-8")
    report = read_export(path, mapping).report
    assert codes_of(report, "not_completed") == [7] and report.status["source"] == "mapping"
    mapping.write_text("[status]\nuse = false\n", encoding="utf-8")
    result = read_export(path, mapping)
    assert result.report.rows_kept == 7 and result.report.status is None


# -- 2. code books ------------------------------------------------------------------------------------------------
def test_numeric_codes_with_a_mapping_work_in_excel_and_csv(tmp_path):
    header = ["Leder", "Rolle", *EMPLOYEE_DA]
    rows = [["Ane", "Medarbejder", 6, 7, 4, 5, 1] for _ in range(5)]
    mapping = tmp_path / "m.toml"
    mapping.write_text('[answers]\n"6" = "dont_know"\n"7" = "prefer_not"\n', encoding="utf-8")
    for path in (write_xlsx(tmp_path / "codes.xlsx", [header, *rows]),
                 write_csv(tmp_path / "codes.csv", [header, *rows])):
        result = read_export(path, mapping)
        counts = result.report.answers_by_category
        assert counts["dont_know"] == 5 and counts["prefer_not"] == 5 and counts["4"] == 5, path.name
        assert not result.report.problems
    # Without the mapping, the codes are listed as out of range, and a drafted mapping asks for them.
    path = tmp_path / "codes.xlsx"
    assert {p.value for p in read_export(path).report.problems if p.code == "out_of_range"} == {"6", "7"}
    draft = draft_mapping(path)
    answers = draft.split("[answers]")[1].split("[leaders]")[0]
    assert "# 6 = " in answers and "# 7 = " in answers and "every answer label was recognised" not in draft


def test_a_label_sheet_in_the_workbook_is_read(tmp_path):
    header = ["Leder", "Rolle", *EMPLOYEE_DA]
    rows = [["Ane", "Medarbejder", 1, 2, 5, 6, 8] for _ in range(5)]
    labels = [["Værdi", "Label"], [1, "Helt uenig"], [2, "Overvejende uenig"], [3, "Hverken enig eller uenig"],
              [4, "Overvejende enig"], [5, "Helt enig"], [6, "Ved ikke"], [8, "Ikke relevant"]]
    path = write_xlsx(tmp_path / "book.xlsx", [header, *rows], after=[("Labels", labels)])
    result = read_export(path)
    report = result.report
    assert report.codebook is not None and "Labels" in report.codebook["source"]
    assert report.answers_by_category["dont_know"] == 5
    assert report.answers_by_category["1"] == 5 and report.answers_by_category["5"] == 5
    # 8 is "Ikke relevant" in the code book: not a known answer, listed (not guessed)
    assert {p.value for p in report.problems if p.code == "unknown_label"} == {"8"}
    assert "Svarkoder læst gennem kodebogen" in report.format("da")


def test_a_code_book_in_a_second_file_per_variable(tmp_path):
    header = ["Leder", "Rolle", *EMPLOYEE_DA]
    rows = [["Ane", "Medarbejder", 1, 2, 3, 9, 9] for _ in range(5)]
    path = write_csv(tmp_path / "data.csv", [header, *rows])
    book = [["Variabel", "Værdi", "Label"]]
    for text in EMPLOYEE_DA:
        book += [[text, 1, "Helt enig"], ["", 2, "Overvejende enig"], ["", 3, "Hverken enig eller uenig"],
                 ["", 9, "Ved ikke"]]
    write_csv(tmp_path / "labels.csv", book)
    mapping = tmp_path / "m.toml"
    mapping.write_text('[file]\ncodebook = "labels.csv"\n', encoding="utf-8")
    counts = read_export(path, mapping).report.answers_by_category
    assert counts["5"] == 5 and counts["4"] == 5 and counts["3"] == 5 and counts["dont_know"] == 10


# -- 3. Qualtrics' three header rows ---------------------------------------------------------------------------
def test_qualtrics_three_header_rows(tmp_path):
    ids = ["ResponseId", "Finished", "Leder", "Rolle", "Q1_1", "Q1_2", "Q1_3", "Q1_4", "Q1_5"]
    texts = ["Response ID", "Finished", "Leder", "Rolle",
             *[f"Hvor enig er du i følgende udsagn? - {w}" for w in EMPLOYEE_DA]]
    import_ids = [json.dumps({"ImportId": i}) for i in ids]
    rows = [[f"R_{k}", "1", "Ane", "Medarbejder", "Helt enig", "4", "4", "4", "4"] for k in range(5)]
    path = write_csv(tmp_path / "q.csv", [ids, texts, import_ids, *rows], delimiter=",")
    result = read_export(path)
    report = result.report
    assert report.header_row == 1 and report.extra_header_rows == [2, 3]
    assert report.rows_read == 5 and not report.problems
    assert report.item_columns == dict(zip(ITEM_IDS, ["Q1_1", "Q1_2", "Q1_3", "Q1_4", "Q1_5"], strict=True))
    assert "ImportId" not in draft_mapping(path)


# -- 4. the drafted mapping never drops columns ----------------------------------------------------------------
def test_a_drafted_mapping_keeps_the_self_and_own_leader_columns(tmp_path):
    header = ["Leder", "Type", *EMPLOYEE_DA, *SELF_DA, *MANAGER_DA]
    rows = [["Ane", "Medarbejder", *["4"] * 5, *[""] * 10] for _ in range(5)]
    rows.append(["Ane", "Leder", *[""] * 5, *["5"] * 5, *[""] * 5])
    rows.append(["Ane", "Leders leder", *[""] * 10, *["2"] * 5])
    path = write_csv(tmp_path / "roles.csv", [header, *rows])
    draft = draft_mapping(path)
    mapping = tmp_path / "m.toml"
    mapping.write_text(draft.replace('# role = ""   # NOT FOUND: the header of this column (required)',
                                     'role = "Type"'), encoding="utf-8")
    load_mapping(mapping)
    result = read_export(path, mapping)
    assert not result.report.ignored_columns
    by_role = result.responses.groupby(result.responses["role"].astype(str))["value"].agg(["count", "mean"])
    assert by_role.loc["employee", "count"] == 25 and by_role.loc["self", "mean"] == 5.0
    assert by_role.loc["manager", "mean"] == 2.0


# -- 5. leader identity ----------------------------------------------------------------------------------------
def test_names_that_differ_in_spacing_case_or_unicode_are_one_leader(tmp_path):
    decomposed = "Ane Østerga\u030ard"  # å as a + combining ring
    names = ["Ane Østergård", "Ane Østergård ", "ane østergård", "Ane  Østergård", decomposed]
    header = ["Leder", "Rolle", *EMPLOYEE_DA]
    rows = [[name, "Medarbejder", *["4"] * 5] for name in names]
    rows.append(["ANE ØSTERGÅRD", "Leders leder", *["3"] * 5])  # row 7
    rows.append(["A. Østergård", "Leder", *["5"] * 5])  # row 8: an alias
    path = write_csv(tmp_path / "names.csv", [header, *rows])
    mapping = tmp_path / "m.toml"
    mapping.write_text('[leaders]\n"A. Østergård" = "Ane Østergård"\n', encoding="utf-8")
    result = read_export(path, mapping)
    assert list(result.responses["leader_id"].astype(str).unique()) == ["Ane Østergård"]
    assert employees(result, "Ane Østergård") == 5
    figure = describe_selection(result.responses, Selection.leader("Ane Østergård"), AnonymityPolicy())
    shown = figure[(figure["role"] == "employee") & (figure["item_id"] == ITEM_IDS[0])]
    assert not shown["suppressed"].iloc[0] and shown["n"].iloc[0] == 5
    manager = figure[(figure["role"] == "manager") & (figure["item_id"] == ITEM_IDS[0])]
    assert manager["mean"].iloc[0] == 3.0
    merges = result.report.leader_merges
    assert len(merges) == 1 and merges[0]["leader"] == "Ane Østergård"
    spellings = {v["spelling"]: v for v in merges[0]["variants"]}
    assert spellings["A. Østergård"]["how"] == "alias" and spellings["A. Østergård"]["first_rows"] == [8]
    assert spellings["ANE ØSTERGÅRD"]["first_rows"] == [7]
    assert "Læst som én leder" in result.report.format("da")


# -- 6. rounds -------------------------------------------------------------------------------------------------
def test_rounds_are_ordered_by_the_year_they_begin(tmp_path):
    header = ["Runde", "Leder", "Rolle", *EMPLOYEE_DA]
    rows = [["2026", "Ane", "Medarbejder", *["4"] * 5] for _ in range(5)]
    rows += [["2024-2025", "Ane", "Medarbejder", *["2"] * 5] for _ in range(5)]
    path = write_csv(tmp_path / "rounds.csv", [header, *rows])
    result = read_export(path)
    assert result.report.waves == ["2024-2025", "2026"] and result.report.wave_order == "year"
    change = compare_waves(result.responses, Selection.leader("Ane"), AnonymityPolicy())
    first = change[change["item_id"] == ITEM_IDS[0]].iloc[0]
    assert first["earlier"] == "2024-2025" and first["later"] == "2026"
    assert first["difference"] == pytest.approx(2.0)  # from 2 to 4: up, not down
    mapping = tmp_path / "m.toml"
    mapping.write_text('[rounds]\norder = ["2026", "2024-2025"]\n', encoding="utf-8")
    report = read_export(path, mapping).report
    assert report.waves == ["2026", "2024-2025"] and "mapping-filens rækkefølge" in report.format("da")


# -- 7. one respondent, several leaders --------------------------------------------------------------------------
def test_an_own_leader_rating_two_leaders_and_an_employee_with_two_leaders(tmp_path):
    header = ["Respondent-ID", "Leder", "Rolle", *EMPLOYEE_DA]
    rows = [["M1", "Ane", "Leders leder", *["3"] * 5], ["M1", "Bo", "Leders leder", *["4"] * 5]]
    rows += [[f"E{k}", "Ane", "Medarbejder", *["4"] * 5] for k in range(5)]
    rows += [["E0", "Bo", "Medarbejder", *["2"] * 5]]  # E0 has two leaders
    path = write_csv(tmp_path / "two.csv", [header, *rows])
    result = read_export(path)
    assert not result.report.problems
    assert result.report.respondents_by_role == {"employee": 5, "self": 0, "manager": 1}
    df = result.responses
    manager = df[df["role"].astype(str) == "manager"].groupby(df["leader_id"].astype(str))["value"].mean()
    assert manager.to_dict() == {"Ane": 3.0, "Bo": 4.0}
    # long layout: the same
    long = [["Respondent-ID", "Leder", "Rolle", "Spørgsmål", "Svar"],
            ["M1", "Ane", "Leders leder", ITEM_IDS[0], "3"], ["M1", "Bo", "Leders leder", ITEM_IDS[0], "4"]]
    result = read_export(write_csv(tmp_path / "long.csv", long))
    assert not result.report.problems and len(result.responses) == 2


def test_an_employee_with_two_leaders_gives_two_responses_to_a_group_figure(tmp_path):
    """The same five employees rate Ane (all 4) and Bo (all 2): the group's theme index holds ten responses
    (means 4 and 2), not five respondents averaged across their two leaders (all 3)."""
    header = ["Respondent-ID", "Leder", "Rolle", *EMPLOYEE_DA]
    rows = [[f"E{k}", leader, "Medarbejder", *[value] * 5] for leader, value in (("Ane", "4"), ("Bo", "2"))
            for k in range(5)]
    result = read_export(write_csv(tmp_path / "shared.csv", [header, *rows]))
    assert not result.report.problems and result.report.respondents_by_role["employee"] == 5
    figure = describe_selection(result.responses, Selection.group(["Ane", "Bo"]), AnonymityPolicy())
    index = figure[(figure["role"] == "employee") & (figure["item_id"] == "index")].iloc[0]
    assert index["n"] == 10 and index["mean"] == pytest.approx(3.0)
    assert index["sd"] == pytest.approx(math.sqrt(10 / 9))


# -- 8. skipped answers written as text ---------------------------------------------------------------------------
def test_skipped_answers_written_as_text_are_blanks(tmp_path):
    header = ["Leder", "Rolle", *EMPLOYEE_DA]
    rows = [["Ane", "Medarbejder", "4", "NULL", "N/A", "#N/A", "-"], ["Ane", "Medarbejder", "4", "NA", ".", "", "3"]]
    path = write_csv(tmp_path / "blanks.csv", [header, *rows])
    result = read_export(path)
    report = result.report
    assert not report.problems
    assert report.answers_by_category["blank"] == 7 and report.answers_by_category["4"] == 2
    assert {r["value"] for r in report.readings if r["via"] == "blank_text"} == {"NULL", "N/A", "#N/A", "-", "NA", "."}
    answers = draft_mapping(path).split("[answers]")[1].split("[leaders]")[0]
    assert "every answer label was recognised" in answers and "NULL" not in answers


# -- 9. label variants are listed ---------------------------------------------------------------------------------
def test_answers_read_through_a_variant_are_listed_with_count_and_rows(tmp_path):
    header = ["Leder", "Rolle", *EMPLOYEE_DA]
    rows = [["Ane", "Medarbejder", "Meget enig", "Delvist enig", "Helt enig", "4", "4"] for _ in range(3)]
    path = write_csv(tmp_path / "variants.csv", [header, *rows])
    report = read_export(path).report
    read = {(r["value"], r["read_as"]): r for r in report.readings if r["via"] == "synonym"}
    assert set(read) == {("Meget enig", "5"), ("Delvist enig", "4")}
    assert read[("Meget enig", "5")]["count"] == 3 and read[("Meget enig", "5")]["first_rows"] == [2, 3, 4]
    assert "Helt enig" not in {r["value"] for r in report.readings}  # the theme's own label: no note
    assert "'Meget enig'" in report.format("da")


# -- 10. respondents, not rows -----------------------------------------------------------------------------------
def test_respondents_by_role_counts_people_in_the_long_layout(tmp_path):
    long = [["Respondent-ID", "Leder", "Rolle", "Spørgsmål", "Svar"]]
    for k in range(3):
        long += [[f"E{k}", "Ane", "Medarbejder", item, "4"] for item in ITEM_IDS]
    result = read_export(write_csv(tmp_path / "long.csv", long))
    assert result.report.rows_read == 15
    assert result.report.respondents_by_role == {"employee": 3, "self": 0, "manager": 0}
    assert not math.isnan(result.responses["value"].mean())


# -- 11. the row "lost" in a messy workbook ----------------------------------------------------------------------
def test_a_row_of_spaces_in_a_workbook_is_an_empty_row_and_a_row_with_one_answer_is_read(tmp_path):
    """The property test's counterexample (rows read 5 of 6): its sixth "row" held nothing but spaces (no leader,
    role or answer), which the importer rightly skips and counts as an empty row; the generator counted it as
    data. A row with anything in it is read, and listed when it cannot be used."""
    header = ["Leder", "Rolle", EMPLOYEE_DA[0], "Kommentar"]
    rows = [["Ane", "Medarbejder", k, "ok"] for k in (1, 2, 3, 4, 5)]
    path = write_xlsx(tmp_path / "spaces.xlsx", [header, *rows, [" ", "  ", " ", " "]])
    report = read_export(path).report
    assert (report.rows_read, report.blank_rows) == (5, 1)
    path = write_xlsx(tmp_path / "one.xlsx", [header, *rows, [" ", " ", 4, ""]])
    report = read_export(path).report
    assert (report.rows_read, report.rows_excluded, report.blank_rows) == (6, 1, 0)
    assert [(p.row, p.code) for p in report.problems] == [(7, "missing_leader")]


def test_coded_roles_and_answers_through_a_per_variable_label_sheet(tmp_path):
    """A SurveyXact-style workbook: roles and answers as codes, their labels per variable on a sheet; names in
    two spellings are one leader, shown in the spelling written with capitals."""
    header = ["respondentid", "bg_leder", "bg_rolle", *[f"s_{k}" for k in range(1, 6)]]
    rows = [[f"R{k}", "ane østergård" if k % 2 else "Ane Østergård", 1, 4, 4, 6, 4, 4] for k in range(6)]
    rows.append(["R9", "Ane Østergård", 3, 2, 2, 2, 2, 2])
    labels = [["Variabel", "Værdi", "Label"], ["bg_rolle", 1, "Medarbejder"], ["", 2, "Leder"], ["", 3, "Leders leder"]]
    for k in range(1, 6):
        labels += [[f"s_{k}", 1, "Helt uenig"], ["", 2, "Overvejende uenig"], ["", 3, "Hverken enig eller uenig"],
                   ["", 4, "Overvejende enig"], ["", 5, "Helt enig"], ["", 6, "Ved ikke"]]
    path = write_xlsx(tmp_path / "sx.xlsx", [header, *rows], title="Dataset", after=[("Labels", labels)])
    mapping = tmp_path / "m.toml"
    mapping.write_text('[columns]\nleader_name = "bg_leder"\nrole = "bg_rolle"\n[columns.items]\n'
                       + "".join(f'{item} = "s_{k}"\n' for k, item in enumerate(ITEM_IDS, 1)), encoding="utf-8")
    result = read_export(path, mapping)
    assert not result.report.problems
    assert result.report.respondents_by_role == {"employee": 6, "self": 0, "manager": 1}
    assert result.report.answers_by_category["dont_know"] == 6
    assert list(result.responses["leader_id"].astype(str).unique()) == ["Ane Østergård"]
    assert "bg_rolle: 1 = Medarbejder" in result.report.format("da")
