"""Reading every format of the issue: CSV (delimiters, encodings, line endings, quirks), Excel, SPSS, long layout."""

from __future__ import annotations

import csv
import math

import pandas as pd
import pyreadstat
import pytest

from dol_toolkit.survey import SurveyImportError, read_export
from tests.survey.builders import (
    EMPLOYEE_DA,
    HEADER,
    ITEM_IDS,
    LABELS_DA,
    MANAGER_DA,
    SELF_DA,
    WIDE_BY_CATEGORY,
    WIDE_BY_ROLE,
    WIDE_ROWS,
    answer_of,
    as_numbers,
    assert_counts_add_up,
    csv_bytes,
    wide_table,
    write_csv,
    write_xlsx,
)


def assert_canonical(result, first_data_row: int = 2) -> None:
    """The canonical table (builders.WIDE_ROWS) was read completely and correctly."""
    rep = result.report
    assert_counts_add_up(rep)
    assert rep.rows_read == 8
    assert rep.rows_kept == 8
    assert rep.rows_excluded == 0
    assert rep.problems == []
    assert rep.layout == "wide"
    assert rep.leaders == 2
    assert rep.waves == ["2024", "2026"]
    assert rep.respondents_by_role == WIDE_BY_ROLE
    assert rep.answers_by_category == WIDE_BY_CATEGORY
    assert sorted(rep.item_columns) == sorted(ITEM_IDS)
    df = result.responses
    assert len(df) == 36
    assert answer_of(result, "Søren Ærø", "self", "it_security", "2024")["value"] == 4.0
    assert answer_of(result, "Søren Ærø", "self", "it_security", "2026")["value"] == 5.0
    assert answer_of(result, "Søren Ærø", "manager", "it_security")["value"] == 2.0
    assert answer_of(result, "Åse Øberg-Ødegård", "self", "rationale")["value"] == 3.0
    dk = df[(df["respondent_id"].astype(str) == "R02") & (df["item_id"].astype(str) == "rationale")].iloc[0]
    assert dk["answer"] == "dont_know"
    assert math.isnan(dk["value"])
    pn = df[(df["respondent_id"].astype(str) == "R02") & (df["item_id"].astype(str) == "it_security")].iloc[0]
    assert pn["answer"] == "prefer_not"
    assert math.isnan(pn["value"])
    # R02 left curiosity_culture blank: no row for it
    assert df[(df["respondent_id"].astype(str) == "R02")]["item_id"].astype(str).tolist() == [
        "competences", "rationale", "citizen_value", "it_security",
    ]
    # Row numbers as the spreadsheet shows them.
    rows = df.groupby(df["respondent_id"].astype(str))["row"].first().to_dict()
    assert rows == {f"R0{k}": first_data_row + k - 1 for k in range(1, 9)}
    # Department column carried into the tidy table.
    assert set(df[df["leader_id"].astype(str) == "Åse Øberg-Ødegård"]["department"].astype(str)) == {"Økonomi"}
    # Tidy schema
    for col in ("respondent_id", "leader_id", "role", "item_id", "value", "answer", "wave", "row"):
        assert col in df.columns
    assert set(df["role"].astype(str)) == {"employee", "self", "manager"}
    assert set(df["answer"].astype(str)) <= {"1", "2", "3", "4", "5", "dont_know", "prefer_not"}
    substantive = df[df["answer"].astype(str).isin(list("12345"))]
    assert (substantive["value"] == substantive["answer"].astype(str).astype(float)).all()


# ------------------------------------------------------------------------------------------------------- CSV
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_csv_delimiters_and_encodings(tmp_path, delimiter, encoding):
    path = write_csv(tmp_path / "export.csv", wide_table(), delimiter=delimiter, encoding=encoding)
    result = read_export(path)
    assert_canonical(result)
    assert result.report.delimiter == delimiter
    assert result.report.encoding == encoding
    # Danish letters survive every encoding
    assert "Søren Ærø" in set(result.responses["leader_id"].astype(str))


def test_cp1252_detected_without_being_told(tmp_path):
    data = csv_bytes(wide_table(), encoding="cp1252")
    assert b"\xd8" in data  # "Ø" as a single Windows-1252 byte: not valid UTF-8
    path = tmp_path / "windows.csv"
    path.write_bytes(data)
    result = read_export(path)
    assert_canonical(result)
    assert set(result.responses["department"].astype(str)) == {"IT og Digitalisering", "Økonomi"}


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_windows_line_endings(tmp_path, delimiter):
    path = write_csv(tmp_path / "crlf.csv", wide_table(), delimiter=delimiter, newline="\r\n", encoding="utf-8-sig")
    assert b"\r\n" in path.read_bytes()
    result = read_export(path)
    assert_canonical(result)
    # no stray carriage returns in values
    assert not any("\r" in str(v) for v in result.responses["wave"].astype(str))
    assert not any("\r" in c for c in result.report.item_columns.values())


def test_csv_quoted_everything(tmp_path):
    path = write_csv(tmp_path / "quoted.csv", wide_table(), delimiter=",", quoting=csv.QUOTE_ALL)
    assert_canonical(read_export(path))


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_quoted_headers_with_line_breaks(tmp_path, newline):
    """Survey systems wrap long item texts in the header; a spreadsheet still shows the header as one row."""
    header = list(HEADER)
    for k in range(5, 10):
        words = header[k].split(" ")
        header[k] = " ".join(words[:3]) + newline + " ".join(words[3:])
    table = wide_table(header=header)
    path = write_csv(tmp_path / "wrapped.csv", table, delimiter=";", newline=newline)
    raw = path.read_bytes()
    assert raw.count(b'"') >= 10  # the wrapped headers are quoted
    result = read_export(path)
    # the header is record 1, even though it spans 6 physical lines: the first answer row is row 2
    assert_canonical(result, first_data_row=2)
    assert result.report.header_row == 1


def test_trailing_empty_column(tmp_path):
    """Excel's "Save as CSV" of a sheet with a formatted empty column: every line ends with the delimiter."""
    table = [[*row, ""] for row in wide_table()]
    path = write_csv(tmp_path / "trailing.csv", table, delimiter=";")
    assert path.read_text(encoding="utf-8").splitlines()[0].endswith(";")
    result = read_export(path)
    assert_canonical(result)
    assert result.report.ignored_columns == []


def test_trailing_empty_column_with_crlf_and_bom(tmp_path):
    table = [[*row, "", ""] for row in wide_table()]
    path = write_csv(tmp_path / "trailing.csv", table, delimiter=";", newline="\r\n", encoding="utf-8-sig")
    assert_canonical(read_export(path))


def test_decimal_commas_in_csv(tmp_path):
    """Excel in Danish locale writes numbers as "4,0"; in a semicolon CSV they are unquoted."""
    rows = [list(r) for r in WIDE_ROWS]
    for r in rows:
        for k in range(5, 10):
            if r[k].isdigit():
                r[k] = f"{r[k]},0"
    path = write_csv(tmp_path / "decimals.csv", wide_table(rows=rows), delimiter=";")
    assert b"4,0;" in path.read_bytes()
    result = read_export(path)
    assert result.report.delimiter == ";"
    assert_canonical(result)


def test_decimal_commas_in_comma_csv_are_quoted_and_read(tmp_path):
    rows = [list(r) for r in WIDE_ROWS]
    for r in rows:
        for k in range(5, 10):
            if r[k].isdigit():
                r[k] = f"{r[k]},0"
    path = write_csv(tmp_path / "decimals.csv", wide_table(rows=rows), delimiter=",")
    assert b'"4,0"' in path.read_bytes()
    assert_canonical(read_export(path))


def test_decimal_points(tmp_path):
    rows = [list(r) for r in WIDE_ROWS]
    for r in rows:
        for k in range(5, 10):
            if r[k].isdigit():
                r[k] = f"{r[k]}.0"
    assert_canonical(read_export(write_csv(tmp_path / "points.csv", wide_table(rows=rows))))


def test_blank_rows_are_skipped_and_rows_keep_their_numbers(tmp_path):
    table = wide_table()
    # blank line after R02 (line 4) and two fully-empty delimited rows after R05
    table = [*table[:3], [], *table[3:6], [""] * len(HEADER), [""] * len(HEADER), *table[6:], []]
    path = write_csv(tmp_path / "blank.csv", table, delimiter=";")
    result = read_export(path)
    rep = result.report
    assert_counts_add_up(rep)
    assert rep.rows_read == 8
    assert rep.blank_rows == 4 or rep.blank_rows == 3  # a final empty line may or may not be a row
    rows = result.responses.groupby(result.responses["respondent_id"].astype(str))["row"].first().to_dict()
    assert rows == {"R01": 2, "R02": 3, "R03": 5, "R04": 6, "R05": 7, "R06": 10, "R07": 11, "R08": 12}


def test_blank_rows_counted_exactly(tmp_path):
    table = wide_table()
    table = [*table[:3], [""] * len(HEADER), *table[3:6], [""] * len(HEADER), [""] * len(HEADER), *table[6:]]
    result = read_export(write_csv(tmp_path / "blank.csv", table, delimiter=","))
    assert result.report.blank_rows == 3
    assert result.report.rows_read == 8


def test_blank_columns_between_columns(tmp_path):
    """Completely empty columns (no header, no values) are neither used nor a problem."""
    table = [[*row[:3], "", *row[3:7], "", *row[7:]] for row in wide_table()]
    result = read_export(write_csv(tmp_path / "gaps.csv", table, delimiter=";"))
    assert_canonical(result)


def test_title_rows_above_header_csv(tmp_path):
    table = [["Ledelsesevaluering 2024 - eksport"], ["Udtrukket 3. marts 2026"], [], *wide_table()]
    result = read_export(write_csv(tmp_path / "titled.csv", table, delimiter=";"))
    assert result.report.header_row == 4
    assert_canonical(result, first_data_row=5)


def test_shuffled_column_order(tmp_path):
    order = [7, 0, 9, 4, 2, 5, 3, 8, 1, 6]
    table = [[row[k] for k in order] for row in wide_table()]
    assert_canonical(read_export(write_csv(tmp_path / "shuffled.csv", table)))


def test_extra_columns_are_ignored_and_listed(tmp_path):
    table = wide_table()
    table[0] = [*table[0], "Kommentar", "Tidsstempel"]
    for k, row in enumerate(table[1:], start=1):
        table[k] = [*row, "fin leder; god", f"2024-03-0{k} 10:00"]
    result = read_export(write_csv(tmp_path / "extra.csv", table, delimiter=";"))
    assert_canonical(result)
    assert result.report.ignored_columns == ["Kommentar", "Tidsstempel"]


def test_item_columns_in_self_and_manager_wording(tmp_path):
    header = [*HEADER[:5], SELF_DA[0], MANAGER_DA[1], *EMPLOYEE_DA[2:]]
    assert_canonical(read_export(write_csv(tmp_path / "mixed.csv", wide_table(header=header))))


def test_sample_file_csv_and_xlsx(repo):
    for name in ("ledelsesevaluering_digital_omstilling.csv", "ledelsesevaluering_digital_omstilling.xlsx"):
        rep = read_export(repo / "data" / "samples" / name).report
        assert rep.rows_read == 1179
        assert rep.rows_kept == 1179
        assert rep.leaders == 43
        assert rep.waves == ["2024", "2026"]
        assert rep.problems == []


# ------------------------------------------------------------------------------------------------------ Excel
def test_xlsx_basic_numbers_and_labels(tmp_path):
    table = [HEADER, *[as_numbers(r) for r in WIDE_ROWS]]
    path = write_xlsx(tmp_path / "export.xlsx", table, title="Besvarelser")
    result = read_export(path)
    assert_canonical(result)
    assert result.report.sheet == "Besvarelser"
    assert result.report.header_row == 1


def test_xlsx_the_sheet_with_the_data_is_read_unless_named(tmp_path):
    other = [["Noter"], ["Ingen data her"]]
    table = [HEADER, *[as_numbers(r) for r in WIDE_ROWS]]
    path = write_xlsx(tmp_path / "two.xlsx", table, title="Data", after=[("Noter", other)])
    assert_canonical(read_export(path))
    # data on the second sheet, after a cover page: the sheet that holds the data is found (issue 24), and a
    # mapping may name it
    path2 = write_xlsx(tmp_path / "second.xlsx", table, title="Data", before=[("Forside", other)])
    assert read_export(path2).report.sheet == "Data"
    with pytest.raises(SurveyImportError):
        read_export(path2, mapping={"file": {"sheet": "Forside"}})
    result = read_export(path2, mapping={"file": {"sheet": "Data"}})
    assert_canonical(result)
    assert result.report.sheet == "Data"


def test_xlsx_named_sheet_missing(tmp_path):
    path = write_xlsx(tmp_path / "x.xlsx", [HEADER, *WIDE_ROWS], title="Data", after=[("Andet", [["x"]])])
    with pytest.raises(SurveyImportError) as info:
        read_export(path, mapping={"file": {"sheet": "Resultater"}})
    assert "Resultater" in info.value.message("en")
    assert "Data" in info.value.message("en") and "Andet" in info.value.message("en")


def test_xlsx_header_below_title_rows(tmp_path):
    table = [
        ["Ledelsesevaluering - Digital omstilling"],
        ["Eksporteret fra surveysystem", None, None, "2026-03-01"],
        [],
        HEADER,
        *[as_numbers(r) for r in WIDE_ROWS],
    ]
    result = read_export(write_xlsx(tmp_path / "titled.xlsx", table))
    assert result.report.header_row == 4
    assert_canonical(result, first_data_row=5)


def test_xlsx_starting_below_empty_rows(tmp_path):
    """Header in row 3 with rows 1-2 wholly empty: row numbers still follow the sheet."""
    table = [[], [], HEADER, *[as_numbers(r) for r in WIDE_ROWS]]
    result = read_export(write_xlsx(tmp_path / "low.xlsx", table))
    assert result.report.header_row == 3
    assert_canonical(result, first_data_row=4)


def test_xlsx_decimal_comma_text_and_float_cells(tmp_path):
    rows = []
    for k, r in enumerate(WIDE_ROWS):
        row: list = list(r)
        for j in range(5, 10):
            if row[j].isdigit():
                row[j] = f"{row[j]},0" if k % 2 == 0 else float(row[j])
        row[1] = int(row[1])
        rows.append(row)
    result = read_export(write_xlsx(tmp_path / "decimals.xlsx", [HEADER, *rows]))
    assert_canonical(result)


def test_xlsx_year_as_float_and_text(tmp_path):
    rows = [as_numbers(r) for r in WIDE_ROWS]
    for k, r in enumerate(rows):
        r[1] = float(r[1]) if k % 2 else str(r[1])
    result = read_export(write_xlsx(tmp_path / "years.xlsx", [HEADER, *rows]))
    assert_canonical(result)


def test_xlsx_trailing_empty_column_and_blank_rows(tmp_path):
    import openpyxl

    table = [HEADER, *[as_numbers(r) for r in WIDE_ROWS]]
    path = write_xlsx(tmp_path / "fmt.xlsx", table)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    # a formatted but empty trailing column and a formatted empty row in the middle
    from openpyxl.styles import Font

    for r in range(1, 12):
        ws.cell(row=r, column=12).font = Font(bold=True)
    ws.insert_rows(4)
    for c in range(1, 12):
        ws.cell(row=4, column=c).font = Font(italic=True)
    wb.save(path)
    result = read_export(path)
    rep = result.report
    assert rep.rows_read == 8
    assert rep.blank_rows >= 1
    assert rep.ignored_columns == []
    rows = result.responses.groupby(result.responses["respondent_id"].astype(str))["row"].first().to_dict()
    assert rows == {"R01": 2, "R02": 3, "R03": 5, "R04": 6, "R05": 7, "R06": 8, "R07": 9, "R08": 10}
    assert answer_of(result, "Søren Ærø", "self", "it_security", "2024")["value"] == 4.0


def test_xlsx_header_cells_with_line_breaks(tmp_path):
    header = [*HEADER[:5], *[h.replace(", ", ",\n", 1) for h in HEADER[5:]]]
    assert "\n" in header[5]
    result = read_export(write_xlsx(tmp_path / "wrap.xlsx", [header, *[as_numbers(r) for r in WIDE_ROWS]]))
    assert_canonical(result)


def test_xlsx_problem_rows_are_sheet_rows(tmp_path):
    rows = [as_numbers(r) for r in WIDE_ROWS]
    rows[4][6] = "Måske"  # R05 rationale
    table = [["Titel"], [], HEADER, *rows]
    rep = read_export(write_xlsx(tmp_path / "p.xlsx", table)).report
    assert [(p.row, p.column, p.value, p.code) for p in rep.problems] == [
        (8, EMPLOYEE_DA[1], "Måske", "unknown_label")
    ]


# ------------------------------------------------------------------------------------------------------ SPSS
def _write_sav(path, with_labels: bool = True):
    role_codes = {"Medarbejder": 1, "Leder": 2, "Leders leder": 3}
    answer_codes = {**{v: k for k, v in LABELS_DA.items()}, "Ved ikke": 8, "Ønsker ikke at oplyse": 9}
    data = {
        "RespondentID": [r[0] for r in WIDE_ROWS],
        "Runde": [float(r[1]) for r in WIDE_ROWS],
        "Afdeling": [r[2] for r in WIDE_ROWS],
        "Leder": [r[3] for r in WIDE_ROWS],
        "Rolle": [float(role_codes[r[4]]) for r in WIDE_ROWS],
    }
    for k in range(5):
        col = []
        for r in WIDE_ROWS:
            cell = r[5 + k]
            if cell == "":
                col.append(float("nan"))
            elif cell.isdigit():
                col.append(float(cell))
            else:
                col.append(float(answer_codes[cell]))
        data[f"Q{k + 1}"] = col
    df = pd.DataFrame(data)
    answer_labels = {float(v): k for k, v in answer_codes.items()}
    kwargs = {}
    if with_labels:
        kwargs["variable_value_labels"] = {
            "Rolle": {float(v): k for k, v in role_codes.items()},
            **{f"Q{k + 1}": answer_labels for k in range(5)},
        }
    pyreadstat.write_sav(
        df,
        str(path),
        column_labels={
            "RespondentID": "Respondent", "Runde": "Runde", "Afdeling": "Afdeling", "Leder": "Leder",
            "Rolle": "Rolle", **{f"Q{k + 1}": EMPLOYEE_DA[k] for k in range(5)},
        },
        **kwargs,
    )
    return path


def test_spss_with_value_labels(tmp_path):
    path = _write_sav(tmp_path / "export.sav")
    result = read_export(path)
    rep = result.report
    # item columns Q1..Q5 recognised through their variable labels; codes 8/9 through value labels
    assert rep.item_columns == {item_id: f"Q{k + 1}" for k, item_id in enumerate(ITEM_IDS)}
    assert rep.rows_read == 8
    assert rep.problems == []
    assert rep.respondents_by_role == WIDE_BY_ROLE
    assert rep.answers_by_category == WIDE_BY_CATEGORY
    assert rep.waves == ["2024", "2026"]
    assert answer_of(result, "Søren Ærø", "self", "it_security", "2024")["value"] == 4.0
    df = result.responses
    r02 = df[df["respondent_id"].astype(str) == "R02"]
    r02 = r02.set_index(r02["item_id"].astype(str))
    assert r02.loc["rationale", "answer"] == "dont_know"
    assert r02.loc["it_security", "answer"] == "prefer_not"


def test_spss_row_numbers_are_case_numbers(tmp_path):
    """SPSS's Data View numbers cases 1, 2, ...; the spec's "row as a spreadsheet shows it" is read as that."""
    result = read_export(_write_sav(tmp_path / "export.sav"))
    rows = result.responses.groupby(result.responses["respondent_id"].astype(str))["row"].first().to_dict()
    assert rows == {f"R0{k}": k for k in range(1, 9)}


def test_spss_label_not_on_the_scale_is_a_problem(tmp_path):
    df = pd.DataFrame({
        "Leder": ["Søren Ærø", "Søren Ærø"], "Rolle": [1.0, 2.0], "Q1": [7.0, 4.0], "Q2": [5.0, 6.0],
    })
    path = tmp_path / "odd.sav"
    pyreadstat.write_sav(
        df, str(path),
        column_labels={"Leder": "Leder", "Rolle": "Rolle", "Q1": EMPLOYEE_DA[0], "Q2": EMPLOYEE_DA[1]},
        variable_value_labels={
            "Rolle": {1.0: "Medarbejder", 2.0: "Selvevaluering"},
            "Q1": {7.0: "Irrelevant spørgsmål", 4.0: "Overvejende enig"},
        },
    )
    result = read_export(path)
    rep = result.report
    codes = sorted((p.row, p.column, p.code) for p in rep.problems)
    # case 1, Q1 = 7 labelled with an unknown label; case 2, Q2 = 6 (no label): outside 1-5
    assert codes == [(1, "Q1", "unknown_label"), (2, "Q2", "out_of_range")]
    assert rep.rows_kept == 2
    assert answer_of(result, "Søren Ærø", "self", "competences")["value"] == 4.0
    assert answer_of(result, "Søren Ærø", "employee", "rationale")["value"] == 5.0


def test_corrupt_spss_is_a_survey_import_error(tmp_path):
    path = tmp_path / "broken.sav"
    path.write_bytes(b"$FL2@(#) IBM SPSS STATISTICS" + b"\x00\x17" * 40)
    with pytest.raises(SurveyImportError):
        read_export(path)


# ------------------------------------------------------------------------------------------------------ long
def long_table(item_texts: str = "employee") -> list[list[str]]:
    """WIDE_ROWS in long layout: one row per (respondent, item) answer, blanks included as empty answers."""
    texts = {"employee": EMPLOYEE_DA, "id": ITEM_IDS}
    out = [["Respondent-ID", "År", "Afdeling", "Leder", "Rolle", "Spørgsmål", "Svar"]]
    for r in WIDE_ROWS:
        for k in range(5):
            if item_texts == "by_role":
                words = {"Medarbejder": EMPLOYEE_DA, "Leder": SELF_DA, "Leders leder": MANAGER_DA}[r[4]]
            else:
                words = texts[item_texts]
            out.append([*r[:5], words[k], r[5 + k]])
    return out


@pytest.mark.parametrize("item_texts", ["employee", "id", "by_role"])
def test_long_layout_csv(tmp_path, item_texts):
    path = write_csv(tmp_path / "long.csv", long_table(item_texts), delimiter=";")
    result = read_export(path)
    rep = result.report
    assert rep.layout == "long"
    assert_counts_add_up(rep)
    assert rep.rows_read == 40
    assert rep.problems == []
    assert rep.leaders == 2
    assert rep.waves == ["2024", "2026"]
    assert rep.respondents_by_role == WIDE_BY_ROLE
    assert rep.answers_by_category == WIDE_BY_CATEGORY
    df = result.responses
    assert len(df) == 36
    assert answer_of(result, "Søren Ærø", "self", "it_security", "2024")["value"] == 4.0
    # R03 it_security is the 15th answer row: header row 1, so row 2 + 14 = 16 (R03 starts at row 12)
    assert answer_of(result, "Søren Ærø", "self", "it_security", "2024")["row"] == 16


def test_long_layout_xlsx_english_headers(tmp_path):
    table = long_table()
    table[0] = ["respondent_id", "year", "department", "leader", "role", "item", "answer"]
    rows = [table[0], *[[*r[:6], int(r[6]) if r[6].isdigit() else r[6]] for r in table[1:]]]
    result = read_export(write_xlsx(tmp_path / "long.xlsx", rows))
    rep = result.report
    assert rep.layout == "long"
    assert rep.rows_read == 40
    assert rep.answers_by_category == WIDE_BY_CATEGORY
    assert answer_of(result, "Søren Ærø", "self", "it_security", "2024")["value"] == 4.0


def test_long_and_wide_give_the_same_answers(tmp_path):
    wide = read_export(write_csv(tmp_path / "w.csv", wide_table())).responses
    long = read_export(write_csv(tmp_path / "l.csv", long_table())).responses
    cols = ["respondent_id", "leader_id", "role", "item_id", "answer", "wave"]

    def key(df):
        return sorted(map(tuple, df[cols].astype(str).to_numpy().tolist()))

    assert key(wide) == key(long)


def test_ragged_rows_and_empty_lines(tmp_path):
    """Some lines one field longer (a stray trailing delimiter), one shorter, an empty line: read, not refused."""
    text = (
        "Leder;Rolle;" + ";".join(EMPLOYEE_DA) + "\r\n"
        "Søren Ærø;Medarbejder;1;2;3;4;5;\r\n"
        "\r\n"
        "Søren Ærø;Leder;1;2;3;4;4\r\n"
        "Søren Ærø;Leders leder;1;2\r\n"
    )
    path = tmp_path / "ragged.csv"
    path.write_bytes(text.encode("cp1252"))
    result = read_export(path)
    rep = result.report
    assert rep.rows_read == 3 and rep.blank_rows == 1 and rep.problems == []
    assert answer_of(result, "Søren Ærø", "self", "it_security")["value"] == 4.0
    assert answer_of(result, "Søren Ærø", "self", "it_security")["row"] == 4
    assert sorted(set(result.responses["row"])) == [2, 4, 5]
    assert len(result.responses) == 12


def test_excel_sep_hint_line(tmp_path):
    """Excel's "sep=;" first line: the table is still found (row numbers: Excel hides that line; not asserted)."""
    text = "sep=;\n" + "\n".join(";".join(r) for r in wide_table()) + "\n"
    path = tmp_path / "sep.csv"
    path.write_text(text, encoding="utf-8")
    result = read_export(path)
    assert result.report.rows_read == 8
    assert result.report.answers_by_category == WIDE_BY_CATEGORY


def test_spss_user_missing_dont_know_is_an_answer(tmp_path):
    """SPSS exports often declare "Ved ikke" (9) as user-missing; it is still an answer (dont_know)."""
    df = pd.DataFrame({"Leder": ["Søren Ærø"] * 3, "Rolle": [1.0, 1.0, 2.0], "Q1": [9.0, 4.0, 8.0]})
    path = tmp_path / "missing.sav"
    pyreadstat.write_sav(
        df, str(path),
        column_labels={"Leder": "Leder", "Rolle": "Rolle", "Q1": EMPLOYEE_DA[0]},
        variable_value_labels={
            "Rolle": {1.0: "Medarbejder", 2.0: "Leder"},
            "Q1": {4.0: "Overvejende enig", 8.0: "Ønsker ikke at oplyse", 9.0: "Ved ikke"},
        },
        missing_ranges={"Q1": [8.0, 9.0]},
    )
    result = read_export(path)
    assert result.report.problems == []
    assert result.responses["answer"].astype(str).tolist() == ["dont_know", "4", "prefer_not"]
