"""Cell problems never stop an import: the answer or the row is left out and listed with row, column, value, reason."""

from __future__ import annotations

import pytest

from dol_toolkit.survey import Problem, read_export
from tests.survey.builders import (
    EMPLOYEE_DA,
    HEADER,
    ITEM_IDS,
    WIDE_ROWS,
    answer_of,
    assert_counts_add_up,
    problems_as_tuples,
    wide_table,
    write_csv,
    write_xlsx,
)


def rows_with(changes: dict[tuple[int, int], str]) -> list[list[str]]:
    rows = [list(r) for r in WIDE_ROWS]
    for (i, j), v in changes.items():
        rows[i][j] = v
    return rows


def imported(tmp_path, rows, header=HEADER, **kwargs):
    result = read_export(write_csv(tmp_path / "x.csv", wide_table(header=header, rows=rows), **kwargs))
    assert_counts_add_up(result.report)
    return result


def wide_invariant(result) -> None:
    rep = result.report
    answer_problems = [p for p in rep.problems if p.column in rep.item_columns.values()]
    assert len(result.responses) + rep.answers_by_category["blank"] + len(answer_problems) == rep.rows_kept * len(
        rep.item_columns
    )


# ----------------------------------------------------------------------------------------- answer problems
@pytest.mark.parametrize(
    ("value", "codes"),
    [
        ("Måske", {"unknown_label"}),
        ("Enig?!x", {"unknown_label"}),
        ("N/A?", {"unknown_label"}),
        ("7", {"out_of_range"}),
        ("0", {"out_of_range"}),
        ("-1", {"out_of_range"}),
        ("99", {"out_of_range"}),
        ("6,0", {"out_of_range"}),
        ("4,5", {"out_of_range", "not_whole"}),
    ],
)
def test_bad_answer_is_left_out_and_listed(tmp_path, value, codes):
    # R03 (Søren Ærø's self-assessment 2024, row 4) answers `value` on citizen_value
    result = imported(tmp_path, rows_with({(2, 7): value}))
    rep = result.report
    assert len(rep.problems) == 1
    p = rep.problems[0]
    assert (p.row, p.column, p.value) == (4, EMPLOYEE_DA[2], value)
    assert p.code in codes
    # the row stays; only that answer is gone
    assert rep.rows_read == 8 and rep.rows_kept == 8 and rep.rows_excluded == 0
    assert len(result.responses) == 35
    assert answer_of(result, "Søren Ærø", "self", "it_security", "2024")["value"] == 4.0
    df = result.responses
    r03 = df[df["respondent_id"].astype(str) == "R03"]["item_id"].astype(str).tolist()
    assert r03 == ["competences", "rationale", "curiosity_culture", "it_security"]
    assert rep.answers_by_category["blank"] == 4  # a bad answer is not a blank
    wide_invariant(result)


def test_problem_reason_in_both_languages(tmp_path):
    result = imported(tmp_path, rows_with({(0, 5): "Måske", (1, 4): "Praktikant"}))
    for p in result.report.problems:
        assert isinstance(p, Problem)
        da, en = p.reason("da"), p.reason("en")
        assert da and en and da != en
        assert "{" not in da + en
        d = p.to_dict("en")
        assert {"row", "column", "value", "reason", "code"} <= set(d)
        assert d["reason"] == en
        assert p.to_dict("da")["reason"] == da
    unknown = next(p for p in result.report.problems if p.code == "unknown_label")
    assert "[answers]" in unknown.reason("en") or "mapping" in unknown.reason("en")


def test_several_answer_problems_in_one_row_and_column(tmp_path):
    result = imported(tmp_path, rows_with({(0, 5): "x", (0, 9): "8", (4, 5): "Måske", (7, 9): "helt enig!?"}))
    rep = result.report
    # "helt enig!?" is still "Helt enig" (trailing punctuation)? The spec only promises case-insensitivity for
    # answer labels, so accept either reading, but it must not vanish silently.
    tuples = problems_as_tuples(rep)
    assert (2, EMPLOYEE_DA[0], "x", "unknown_label") in tuples
    assert (2, EMPLOYEE_DA[4], "8", "out_of_range") in tuples
    assert (6, EMPLOYEE_DA[0], "Måske", "unknown_label") in tuples
    r08 = result.responses[result.responses["respondent_id"].astype(str) == "R08"]
    it = r08[r08["item_id"].astype(str) == "it_security"]
    assert len(it) == 1 or (9, EMPLOYEE_DA[4], "helt enig!?", "unknown_label") in tuples
    assert rep.rows_kept == 8
    wide_invariant(result)


def test_answer_problems_excel(tmp_path):
    rows = [[*r[:5], *[int(v) if v.isdigit() else v for v in r[5:]]] for r in WIDE_ROWS]
    rows[0][5] = 12
    rows[1][6] = 2.5
    rows[5][9] = "Overvejende"
    result = read_export(write_xlsx(tmp_path / "x.xlsx", [HEADER, *rows]))
    tuples = {(p.row, p.column, p.value) for p in result.report.problems}
    assert tuples == {(2, EMPLOYEE_DA[0], "12"), (3, EMPLOYEE_DA[1], "2.5"), (7, EMPLOYEE_DA[4], "Overvejende")}
    wide_invariant(result)


# -------------------------------------------------------------------------------------------- row problems
def test_unknown_role_excludes_the_row(tmp_path):
    result = imported(tmp_path, rows_with({(4, 4): "Praktikant"}))  # R05, row 6
    rep = result.report
    assert problems_as_tuples(rep) == [(6, "Rolle", "Praktikant", "unknown_role")]
    assert rep.rows_read == 8 and rep.rows_kept == 7 and rep.rows_excluded == 1
    assert "R05" not in set(result.responses["respondent_id"].astype(str))
    assert rep.respondents_by_role == {"employee": 3, "self": 3, "manager": 1}
    assert len(result.responses) == 31
    assert "[roles]" in rep.problems[0].reason("en") or "mapping" in rep.problems[0].reason("en")
    wide_invariant(result)


def test_blank_role_excludes_the_row(tmp_path):
    result = imported(tmp_path, rows_with({(4, 4): ""}))
    rep = result.report
    assert [(p.row, p.column) for p in rep.problems] == [(6, "Rolle")]
    assert rep.rows_kept == 7 and rep.rows_excluded == 1


def test_blank_leader_excludes_the_row(tmp_path):
    result = imported(tmp_path, rows_with({(0, 3): ""}))
    rep = result.report
    assert [(p.row, p.column) for p in rep.problems] == [(2, "Leder")]
    assert rep.rows_kept == 7 and rep.rows_excluded == 1


def test_duplicate_respondent_id(tmp_path):
    # R05 (row 6) reuses R01's id (row 2), about the same leader in the same round: the same person submitted
    # again; the latest submission counts (issue 24), the earlier one is listed
    rows = rows_with({(4, 0): "R01", (4, 3): "Søren Ærø"})
    result = imported(tmp_path, rows)
    rep = result.report
    assert problems_as_tuples(rep) == [(2, "Respondent-ID", "R01", "resubmission")]
    assert rep.rows_kept == 7 and rep.rows_excluded == 1
    assert "6" in rep.problems[0].reason("en")  # names the row that counts
    r01 = result.responses[result.responses["respondent_id"].astype(str) == "R01"]
    assert set(r01["row"]) == {6}
    wide_invariant(result)


def test_an_exact_duplicate_row_keeps_the_first(tmp_path):
    rows = [*[list(r) for r in WIDE_ROWS], list(WIDE_ROWS[0])]  # row 10 repeats row 2 cell for cell
    result = imported(tmp_path, rows)
    rep = result.report
    assert problems_as_tuples(rep) == [(10, "Respondent-ID", "R01", "duplicate_respondent")]
    assert "2" in rep.problems[0].reason("en")
    wide_invariant(result)


def test_duplicate_respondent_id_three_times(tmp_path):
    # rows 2 and 6 (R01, 2024) and 9 (R01, 2026), all about Søren Ærø
    rows = rows_with({(4, 0): "R01", (4, 3): "Søren Ærø", (7, 0): "R01", (7, 3): "Søren Ærø"})
    result = imported(tmp_path, rows)
    dups = [p for p in result.report.problems if p.code == "resubmission"]
    # R08 is in another round (2026): the same id in another round is a new answer; row 2 must be listed
    assert [p.row for p in dups] == [2]
    assert_counts_add_up(result.report)


def test_second_self_for_same_leader_and_round(tmp_path):
    rows = [*[list(r) for r in WIDE_ROWS], ["R09", "2024", "IT og Digitalisering", "Søren Ærø", "Selvevaluering",
                                           "1", "1", "1", "1", "1"]]
    result = imported(tmp_path, rows)  # R09 is row 10
    rep = result.report
    assert problems_as_tuples(rep) == [(10, "Rolle", "Selvevaluering", "second_self")]
    assert rep.rows_read == 9 and rep.rows_kept == 8 and rep.rows_excluded == 1
    # the first self-assessment (R03, row 4) stays
    assert answer_of(result, "Søren Ærø", "self", "it_security", "2024")["value"] == 4.0
    assert "4" in rep.problems[0].reason("da")
    wide_invariant(result)


def test_self_in_each_round_is_not_a_second_self(tmp_path):
    result = imported(tmp_path, [list(r) for r in WIDE_ROWS])  # Søren Ærø: self in 2024 (R03) and 2026 (R07)
    assert result.report.problems == []
    assert result.report.respondents_by_role["self"] == 3


def test_two_managers_are_allowed_or_listed_but_never_crash(tmp_path):
    rows = [*[list(r) for r in WIDE_ROWS], ["R09", "2024", "IT", "Søren Ærø", "Leders leder", "1", "1", "1", "1", "1"]]
    result = imported(tmp_path, rows)
    assert_counts_add_up(result.report)


def test_mixed_problems_counts(tmp_path):
    rows = [list(r) for r in WIDE_ROWS]
    rows[0][4] = "Vikar"  # row 2 unknown role
    rows[1][0] = "R03"  # row 3 is R03 too, and row 4 is R03's later submission: row 3 is left out
    rows[5][5] = "11"  # row 7 answer out of range
    rows.append(["R10", "2024", "Økonomi", "Åse Øberg-Ødegård", "leder", "5", "5", "5", "5", "5"])  # row 10 2nd self
    rows.append(["", "", "", "", "", "", "", "", "", ""])  # row 11 blank
    rows.append(["R11", "2026", "Økonomi", "Åse Øberg-Ødegård", "MEDARBEJDER", "hElT eNiG", "", "", "", ""])
    result = imported(tmp_path, rows)
    rep = result.report
    assert rep.rows_read == 10  # the blank row 11 is skipped, not read
    assert rep.blank_rows == 1
    codes = sorted((p.row, p.code) for p in rep.problems)
    assert codes == [(2, "unknown_role"), (3, "resubmission"), (7, "out_of_range"), (10, "second_self")]
    assert rep.rows_excluded == 3 and rep.rows_kept == 7
    r11 = result.responses[result.responses["respondent_id"].astype(str) == "R11"]
    assert r11["row"].tolist() == [12]
    assert r11["value"].tolist() == [5.0]
    wide_invariant(result)


def test_problem_rows_count_title_rows(tmp_path):
    rows = rows_with({(2, 4): "Ukendt"})  # R03
    table = [["Eksport fra survey"], [], *wide_table(rows=rows)]
    result = read_export(write_csv(tmp_path / "x.csv", table))
    assert [p.row for p in result.report.problems] == [6]


def test_problem_rows_count_blank_lines(tmp_path):
    rows = rows_with({(2, 5): "Forkert"})
    table = wide_table(rows=rows)
    table = [table[0], [], [], *table[1:]]
    result = read_export(write_csv(tmp_path / "x.csv", table))
    assert [(p.row, p.value) for p in result.report.problems] == [(6, "Forkert")]


def test_problem_rows_with_multiline_cells_count_records_not_lines(tmp_path):
    """A comment cell with line breaks: a spreadsheet still shows one row per record."""
    header = [*HEADER, "Kommentar"]
    rows = [[*r, ""] for r in WIDE_ROWS]
    rows[0][-1] = "første linje\nanden linje\ntredje linje"
    rows[2][4] = "Praktikant"  # R03, record row 4
    result = read_export(write_csv(tmp_path / "x.csv", [header, *rows]))
    assert [p.row for p in result.report.problems] == [4]
    assert result.responses[result.responses["respondent_id"].astype(str) == "R08"]["row"].iloc[0] == 9


def test_report_format_lists_problems(tmp_path):
    result = imported(tmp_path, rows_with({(4, 4): "Praktikant", (0, 5): "Måske"}))
    for lang in ("da", "en"):
        text = result.report.format(lang)
        assert "Praktikant" in text and "Måske" in text
        assert "6" in text and "2" in text


def test_report_to_dict(tmp_path):
    result = imported(tmp_path, rows_with({(4, 4): "Praktikant"}))
    d = result.report.to_dict("en")
    for key in ("rows_read", "rows_kept", "rows_excluded", "leaders", "waves", "respondents_by_role",
                "answers_by_category", "problems"):
        assert key in d
    assert d["rows_read"] == 8 and d["rows_kept"] == 7 and d["rows_excluded"] == 1
    assert d["problems"] == [
        {"row": 6, "column": "Rolle", "value": "Praktikant", "reason": result.report.problems[0].reason("en"),
         "code": "unknown_role"},
    ]
    assert d["waves"] == ["2024", "2026"]


# ---------------------------------------------------------------------------------------------------- long
LONG_HEADER = ["Respondent-ID", "År", "Leder", "Rolle", "Spørgsmål", "Svar"]


def long_rows():
    return [
        ["R1", "2024", "Søren Ærø", "Medarbejder", EMPLOYEE_DA[0], "4"],  # row 2
        ["R1", "2024", "Søren Ærø", "Medarbejder", EMPLOYEE_DA[1], "Helt enig"],  # 3
        ["R2", "2024", "Søren Ærø", "Leder", ITEM_IDS[4], "4"],  # 4
        ["R2", "2024", "Søren Ærø", "Leder", ITEM_IDS[0], "2"],  # 5
        ["R3", "2024", "Søren Ærø", "Leders leder", ITEM_IDS[0], "Ved ikke"],  # 6
    ]


def test_long_unknown_answer_is_left_out_and_listed(tmp_path):
    rows = long_rows()
    rows[1][5] = "Sikkert"
    rows[3][5] = "9"
    result = read_export(write_csv(tmp_path / "l.csv", [LONG_HEADER, *rows]))
    rep = result.report
    assert_counts_add_up(rep)
    assert problems_as_tuples(rep) == [(3, "Svar", "Sikkert", "unknown_label"), (5, "Svar", "9", "out_of_range")]
    assert len(result.responses) == 3
    assert answer_of(result, "Søren Ærø", "self", "it_security", "2024")["value"] == 4.0


def test_long_unknown_item_and_role(tmp_path):
    rows = long_rows()
    rows[0][4] = "Hvordan har du det?"
    rows[4][3] = "Direktør"
    result = read_export(write_csv(tmp_path / "l.csv", [LONG_HEADER, *rows]))
    rep = result.report
    assert_counts_add_up(rep)
    assert sorted((p.row, p.column, p.code) for p in rep.problems) == [
        (2, "Spørgsmål", "unknown_item"), (6, "Rolle", "unknown_role"),
    ]
    assert rep.rows_read == 5 and rep.rows_kept == 3 and rep.rows_excluded == 2


def test_long_second_self(tmp_path):
    rows = [*long_rows(), ["R9", "2024", "Søren Ærø", "Selvevaluering", ITEM_IDS[1], "5"]]  # row 7
    result = read_export(write_csv(tmp_path / "l.csv", [LONG_HEADER, *rows]))
    rep = result.report
    assert problems_as_tuples(rep) == [(7, "Rolle", "Selvevaluering", "second_self")]
    assert rep.respondents_by_role == {"employee": 1, "self": 1, "manager": 1}


def test_long_blank_answers_are_counted_not_problems(tmp_path):
    rows = long_rows()
    rows[1][5] = ""
    result = read_export(write_csv(tmp_path / "l.csv", [LONG_HEADER, *rows]))
    rep = result.report
    assert rep.problems == []
    assert rep.answers_by_category["blank"] == 1
    assert len(result.responses) == 4


def test_long_missing_respondent_id_reason_is_not_a_duplicate_of_row_0(tmp_path):
    """A blank respondent id is listed; its reason must not claim the id 'is already used in row 0'."""
    rows = long_rows()
    rows[2][0] = ""
    result = read_export(write_csv(tmp_path / "l.csv", [LONG_HEADER, *rows]))
    rep = result.report
    assert_counts_add_up(rep)
    assert [(p.row, p.column) for p in rep.problems] == [(4, "Respondent-ID")]
    for lang, word in (("en", "row 0"), ("da", "række 0")):
        assert word not in rep.problems[0].reason(lang), rep.problems[0].reason(lang)


def test_long_same_answer_twice(tmp_path):
    rows = [*long_rows(), ["R1", "2024", "Søren Ærø", "Medarbejder", EMPLOYEE_DA[0], "2"]]  # row 7 repeats row 2
    result = read_export(write_csv(tmp_path / "l.csv", [LONG_HEADER, *rows]))
    rep = result.report
    assert_counts_add_up(rep)
    assert [(p.row, p.code) for p in rep.problems] == [(7, "duplicate_answer")]
    assert answer_of(result, "Søren Ærø", "employee", "competences")["value"] == 4.0
