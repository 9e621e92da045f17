"""Property-based tests: messy exports never raise anything but SurveyImportError, and the counts always add up.

The generator writes a table whose meaning is known (each row's leader, role and answers), then messes up its
form: label spelling and case, encoding, delimiter, line endings, quoting, blank rows and columns, extra columns
(with line breaks and delimiters inside), title rows, column order. The importer must recover the meaning.
"""

from __future__ import annotations

import csv
import itertools
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dol_toolkit.survey import SurveyImportError, read_export
from dol_toolkit.survey.vocabulary import leader_key
from tests.survey.builders import (
    EMPLOYEE_DA,
    EMPLOYEE_EN,
    ITEM_IDS,
    LABELS_DA,
    LABELS_EN,
    MANAGER_DA,
    MANAGER_EN,
    SELF_DA,
    SELF_EN,
    csv_bytes,
    write_xlsx,
)

SETTINGS = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)

LEADERS = ["Søren Ærø", "Åse Øberg-Ødegård", "Hansen, Jørgen", 'Anne "Nanna" Bæk', "Ib; Ørum", "Bjørn Ståhl"]
ROLE_VARIANTS = {
    "employee": ["Medarbejder", "employee"],
    "self": ["Leder", "Selvevaluering", "self"],
    "manager": ["Leders leder", "Egen leder", "Overordnet leder", "manager"],
}
UNKNOWN_ROLES = ["Praktikant", "Vikar", "HR-partner", "Ekstern"]
ANSWER_VARIANTS: dict[str, list[str]] = {
    **{str(k): [str(k), f"{k},0", f"{k}.0", LABELS_DA[k], LABELS_EN[k]] for k in range(1, 6)},
    "dont_know": ["Ved ikke", "Don't know"],
    "prefer_not": ["Ønsker ikke at oplyse", "Prefer not to say"],
}
ANSWER_VARIANTS["2"].append("Delvist uenig")
ANSWER_VARIANTS["4"].append("Delvist enig")
INVALID_ANSWERS = ["Måske", "Ja", "Nej", "x", "0", "6", "7", "-1", "10", "4,5", "2.5", "Enig måske"]
ITEM_WORDINGS = [EMPLOYEE_DA, SELF_DA, MANAGER_DA, EMPLOYEE_EN, SELF_EN, MANAGER_EN, ITEM_IDS]
FIELD_HEADERS = {
    "leader": ["Leder", "Leder-ID", "Leder ID", "leader", "leader_id"],
    "role": ["Rolle", "Respondenttype", "Respondentgruppe", "role"],
    "wave": ["År", "Runde", "wave", "year"],
    "department": ["Afdeling", "Forvaltning", "department"],
    "rid": ["Respondent-ID", "respondent_id"],
}
EXTRA_HEADERS = ["Kommentar", "Tidsstempel", "Status", "Bemærkning"]
TITLES = ["Ledelsesevaluering 2024", "Eksport: Digital omstilling", "Udtræk fra surveysystem"]
COMMENT_ALPHABET = "abcdefghij æøåÆØÅ,;.\t\"'\n-"


def messy_case(draw: Any, text: str) -> str:
    how = draw(st.sampled_from(["as_is", "as_is", "upper", "lower", "pad"]))
    return {"as_is": text, "upper": text.upper(), "lower": text.lower(), "pad": f"  {text} "}[how]


@dataclass
class Row:
    leader: str  # stripped name ('' for none)
    role: str | None  # employee | self | manager | None (unknown or blank role)
    wave: str
    rid: str
    answers: list[tuple[str, str]]  # per item column: (kind, category) kind in valid|blank|invalid
    cells: dict[str, str] = field(default_factory=dict)  # column header -> written cell
    number: int = 0  # spreadsheet row


@dataclass
class Export:
    header: list[str]
    table: list[list[str]]
    rows: list[Row]
    item_headers: dict[str, str]  # item id -> header
    blank_rows: int
    has_wave: bool
    has_rid: bool
    data_row_numbers: set[int]
    role_header: str
    leader_header: str


@st.composite
def exports(draw: Any, max_rows: int = 18, cp1252_safe: bool = True) -> Export:
    items = draw(st.lists(st.sampled_from(ITEM_IDS), min_size=1, max_size=5, unique=True))
    item_headers = {}
    for item_id in items:
        wording = draw(st.sampled_from(ITEM_WORDINGS))[ITEM_IDS.index(item_id)]
        tail = draw(st.sampled_from(["", "", ".", "?", " :", "\n"]))
        text = messy_case(draw, wording.rstrip(".") + tail if tail else wording)
        if draw(st.booleans()):  # a header wrapped over lines, as survey systems write long item texts
            text = text.replace(" ", draw(st.sampled_from(["\n", "\r\n", " \n "])), draw(st.integers(1, 3)))
        item_headers[item_id] = text
    has_wave = draw(st.booleans())
    has_rid = draw(st.booleans())
    has_dept = draw(st.booleans())
    headers = {"leader": draw(st.sampled_from(FIELD_HEADERS["leader"])),
               "role": draw(st.sampled_from(FIELD_HEADERS["role"]))}
    if has_wave:
        headers["wave"] = draw(st.sampled_from(FIELD_HEADERS["wave"]))
    if has_rid:
        headers["rid"] = draw(st.sampled_from(FIELD_HEADERS["rid"]))
    if has_dept:
        headers["department"] = draw(st.sampled_from(FIELD_HEADERS["department"]))
    extras = draw(st.lists(st.sampled_from(EXTRA_HEADERS), max_size=2, unique=True))
    n_blank_cols = draw(st.integers(0, 2))
    leaders = draw(st.lists(st.sampled_from(LEADERS), min_size=1, max_size=4, unique=True))

    n = draw(st.integers(1, max_rows))
    rows: list[Row] = []
    valid_non_self_rids: list[tuple[str, str]] = []  # (wave, rid) of rows that will surely be kept
    for i in range(n):
        leader = draw(st.sampled_from([*leaders, *leaders, *leaders, ""]))
        role_kind = draw(st.sampled_from(["employee"] * 5 + ["self", "self", "manager", "unknown", "blank"]))
        wave = draw(st.sampled_from(["2024", "2026"])) if has_wave else ""
        rid = f"R{i + 1:03d}"
        cells: dict[str, str] = {}
        if role_kind == "unknown":
            cells[headers["role"]] = messy_case(draw, draw(st.sampled_from(UNKNOWN_ROLES)))
            role = None
        elif role_kind == "blank":
            cells[headers["role"]] = draw(st.sampled_from(["", " "]))
            role = None
        else:
            cells[headers["role"]] = messy_case(draw, draw(st.sampled_from(ROLE_VARIANTS[role_kind])))
            role = role_kind
        # a duplicate respondent id: an employee row reusing the id of an earlier surely-kept employee row
        if has_rid and role == "employee" and leader and valid_non_self_rids and draw(st.integers(0, 9)) == 0:
            same_wave = [r for w, r in valid_non_self_rids if w == wave]
            if same_wave:
                rid = draw(st.sampled_from(same_wave))
        elif role == "employee" and leader:
            valid_non_self_rids.append((wave, rid))
        answers = []
        for item_id in items:
            kind = draw(st.sampled_from(["valid"] * 6 + ["blank", "invalid"]))
            if kind == "valid":
                category = draw(st.sampled_from(list(ANSWER_VARIANTS)))
                text = messy_case(draw, draw(st.sampled_from(ANSWER_VARIANTS[category])))
            elif kind == "blank":
                category, text = "", draw(st.sampled_from(["", "", " "]))
            else:
                category, text = "", messy_case(draw, draw(st.sampled_from(INVALID_ANSWERS)))
            answers.append((kind, category))
            cells[item_headers[item_id]] = text
        if leader and draw(st.booleans()):
            cells[headers["leader"]] = f" {leader}  "
        elif leader:
            cells[headers["leader"]] = leader
        if has_wave:
            cells[headers["wave"]] = wave
        if has_rid:
            cells[headers["rid"]] = rid
        if has_dept:
            cells[headers["department"]] = draw(st.sampled_from(["Børn og Unge", "Økonomi", "IT"]))
        for extra in extras:
            cells[extra] = draw(st.text(alphabet=COMMENT_ALPHABET, max_size=25)) if extra != "Tidsstempel" else (
                f"2024-0{draw(st.integers(1, 9))}-1{draw(st.integers(0, 9))} 10:0{draw(st.integers(0, 9))}")
        rows.append(Row(leader=leader, role=role, wave=wave, rid=rid, answers=answers, cells=cells))

    header = [*headers.values(), *item_headers.values(), *extras, *[""] * n_blank_cols]
    order = draw(st.permutations(list(range(len(header)))))
    header = [header[k] for k in order]
    trailing = draw(st.booleans())
    if trailing:
        header.append("")
    titles = draw(st.lists(st.sampled_from(TITLES), max_size=2))
    title_blank = draw(st.booleans()) and bool(titles)
    table: list[list[str]] = [[t] for t in titles]
    if title_blank:
        table.append([""] * len(header))
    table.append(header)
    blank_rows = 0
    numbers: set[int] = set()
    written: list[Row] = []
    for row in rows:
        while draw(st.integers(0, 7)) == 0:
            table.append([""] * len(header))
            blank_rows += 1
        line = [row.cells.get(h, "") if h else "" for h in header]
        table.append(line)
        if not any(v.strip() for v in line):
            # No leader, role, answer or anything else, only spaces: an empty row, which the importer skips and
            # counts as such (this was the "row lost in a messy workbook": the generator counted it as data).
            blank_rows += 1
            continue
        row.number = len(table)
        numbers.add(row.number)
        written.append(row)
    rows = written
    if draw(st.booleans()):
        table.append([""] * len(header))
        blank_rows += 1
    return Export(header=header, table=table, rows=rows, item_headers=item_headers, blank_rows=blank_rows,
                  has_wave=has_wave, has_rid=has_rid, data_row_numbers=numbers, role_header=headers["role"],
                  leader_header=headers["leader"])


def expected_outcome(exp: Export) -> tuple[dict[int, str], set[int], list[list[int]]]:
    """Rows that must be left out (row -> code family) and rows that must be kept; others are not asserted.
    Also the groups of rows that are one person's submissions about one leader in one round: at most one row
    of each is kept (the latest, or the first of rows equal cell for cell: which one is not asserted)."""
    must_exclude: dict[int, str] = {}
    must_keep: set[int] = set()
    seen_self: set[tuple[str, str]] = set()
    groups: dict[tuple[str, str, str], list[Row]] = {}
    for row in exp.rows:
        if not row.leader or row.role is None:
            must_exclude[row.number] = "row"
            continue
        key = (row.wave, row.rid, leader_key(row.leader)) if exp.has_rid else ("", "", str(row.number))
        groups.setdefault(key, []).append(row)  # a response is (respondent, leader, round)
    several = [rows for rows in groups.values() if len(rows) > 1]
    uncertain_self = {(r.leader, r.wave) for rows in several for r in rows if r.role == "self"}
    for row in exp.rows:
        if row.number in must_exclude:
            continue
        key = (row.wave, row.rid, leader_key(row.leader)) if exp.has_rid else ("", "", str(row.number))
        if len(groups[key]) > 1:
            continue  # one of them is kept
        if row.role == "self":
            if (row.leader, row.wave) in uncertain_self:
                continue
            if (row.leader, row.wave) in seen_self:
                must_exclude[row.number] = "second_self"
                continue
            seen_self.add((row.leader, row.wave))
        must_keep.add(row.number)
    return must_exclude, must_keep, [[r.number for r in rows] for rows in several]


def check_wide(exp: Export, result: Any) -> None:
    rep = result.report
    df = result.responses
    # counts always add up
    assert rep.rows_read == rep.rows_kept + rep.rows_excluded
    assert rep.rows_read == len(exp.rows)
    assert rep.blank_rows == exp.blank_rows
    assert rep.layout == "wide"
    assert set(rep.item_columns) == set(exp.item_headers)
    n_items = len(exp.item_headers)
    item_names = set(rep.item_columns.values())
    answer_problems = [p for p in rep.problems if p.column in item_names]
    row_problems = [p for p in rep.problems if p.column not in item_names]
    assert len(df) + rep.answers_by_category["blank"] + len(answer_problems) == rep.rows_kept * n_items
    # every problem names a real data row of the file
    assert {p.row for p in rep.problems} <= exp.data_row_numbers
    assert set(df["row"]) <= exp.data_row_numbers
    for p in rep.problems:
        assert p.reason("da") and p.reason("en")
    # meaning recovered
    must_exclude, must_keep, submissions = expected_outcome(exp)
    excluded_rows = {p.row for p in row_problems}
    assert len(excluded_rows) == rep.rows_excluded
    for number, code in must_exclude.items():
        assert number in excluded_rows, f"row {number} should be left out ({code})"
        if code != "row":
            assert code in {p.code for p in row_problems if p.row == number}
    assert not (must_keep & excluded_rows), f"rows wrongly left out: {sorted(must_keep & excluded_rows)}"
    for numbers in submissions:  # one person's submissions: all but (at most) one are left out and listed
        kept = [n for n in numbers if n not in excluded_rows]
        assert len(kept) <= 1, f"rows {kept} of one person, leader and round all kept"
    by_row = {row.number: row for row in exp.rows}
    items = list(exp.item_headers)
    expected_answers = set()
    expected_bad = set()
    for number in must_keep:
        row = by_row[number]
        for item_id, (kind, category) in zip(items, row.answers, strict=True):
            if kind == "valid":
                expected_answers.add((number, item_id, category))
            elif kind == "invalid":
                expected_bad.add((number, rep.item_columns[item_id]))
    got = {(int(r), str(i), str(a)) for r, i, a in zip(df["row"], df["item_id"], df["answer"], strict=True)}
    assert got >= expected_answers, f"answers lost: {sorted(expected_answers - got)[:5]}"
    assert {(r, i, a) for r, i, a in got if r in must_keep} == expected_answers
    bad = {(p.row, p.column) for p in answer_problems}
    assert {b for b in bad if b[0] in must_keep} == expected_bad
    for p in answer_problems:
        assert p.code in {"unknown_label", "out_of_range", "not_whole"}
    # roles, leaders and rounds of kept rows
    kept_rows = df.drop_duplicates("row").set_index("row")
    for number in must_keep & set(kept_rows.index):
        row = by_row[number]
        assert kept_rows.loc[number, "role"] == row.role
        assert kept_rows.loc[number, "leader_id"] == row.leader
        if exp.has_wave:
            assert kept_rows.loc[number, "wave"] == row.wave
    if not exp.has_wave:
        assert df["wave"].isna().all()
        assert rep.waves == []
    # report summaries agree with the tidy table
    counts = Counter(df["answer"].astype(str))
    for category in ("1", "2", "3", "4", "5", "dont_know", "prefer_not"):
        assert rep.answers_by_category[category] == counts.get(category, 0)
    # respondents are people: one per respondent id, round and role, however many leaders they rated
    kept = [row for row in exp.rows if row.number not in excluded_rows]
    people = {(row.wave, row.rid if exp.has_rid else row.number, row.role) for row in kept}
    assert sum(rep.respondents_by_role.values()) == len(people)
    values = df["value"]
    substantive = df["answer"].astype(str).isin(list("12345"))
    assert (values[substantive] == df.loc[substantive, "answer"].astype(str).astype(float)).all()
    assert values[~substantive].isna().all()


_counter = itertools.count()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("properties")


@SETTINGS
@given(
    exp=exports(),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    delimiter=st.sampled_from([";", ",", "\t"]),
    newline=st.sampled_from(["\n", "\r\n"]),
    quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
)
def test_messy_csv_imports_with_meaning_intact(workdir, exp, encoding, delimiter, newline, quoting):
    path = workdir / f"messy_{next(_counter)}.csv"
    path.write_bytes(csv_bytes(exp.table, delimiter=delimiter, encoding=encoding, newline=newline, quoting=quoting))
    try:
        result = read_export(path)
    except SurveyImportError as exc:  # a well-formed export must import; say what the importer refused
        pytest.fail(f"refused a valid export: {exc.code}: {exc.message('en')}\n{path.read_text(encoding=encoding)}")
    check_wide(exp, result)
    assert result.report.delimiter == delimiter


@settings(SETTINGS, max_examples=30)
@given(exp=exports(max_rows=12), numbers=st.booleans())
def test_messy_xlsx_imports_with_meaning_intact(workdir, exp, numbers):
    table = list(exp.table)
    while not any(str(v).strip() for v in table[-1]):  # a sheet ends at its last filled row
        table.pop()
        exp.blank_rows -= 1
    if numbers:  # digits as numbers, as Excel holds them
        table = [[int(v) if v.strip().isdigit() else v for v in row] for row in table]
    path = write_xlsx(workdir / f"messy_{next(_counter)}.xlsx", table)
    try:
        result = read_export(path)
    except SurveyImportError as exc:
        pytest.fail(f"refused a valid export: {exc.code}: {exc.message('en')}")
    check_wide(exp, result)


# --------------------------------------------------------------------------------------------- long layout
@st.composite
def long_exports(draw: Any) -> tuple[list[list[str]], list[tuple[int, str, str, str, str]], set[int]]:
    """Long tables: (table, expected answers (row, rid, item, kind, category), data row numbers)."""
    header = ["Respondent-ID", "Leder", "Rolle", "Spørgsmål", "Svar"]
    order = draw(st.permutations(list(range(5))))
    table = [[header[k] for k in order]]
    expected = []
    numbers = set()
    n_resp = draw(st.integers(1, 6))
    for r in range(n_resp):
        leader = draw(st.sampled_from(LEADERS[:3]))
        role = draw(st.sampled_from(["employee", "employee", "manager"]))
        role_label = messy_case(draw, draw(st.sampled_from(ROLE_VARIANTS[role])))
        answered = draw(st.lists(st.sampled_from(ITEM_IDS), min_size=1, max_size=5, unique=True))
        for item_id in answered:
            words = draw(st.sampled_from(ITEM_WORDINGS))[ITEM_IDS.index(item_id)]
            kind = draw(st.sampled_from(["valid"] * 5 + ["blank", "invalid"]))
            if kind == "valid":
                category = draw(st.sampled_from(list(ANSWER_VARIANTS)))
                text = messy_case(draw, draw(st.sampled_from(ANSWER_VARIANTS[category])))
            elif kind == "blank":
                category, text = "", ""
            else:
                category, text = "", draw(st.sampled_from(INVALID_ANSWERS))
            cells = [f"P{r}", leader, role_label, messy_case(draw, words), text]
            if draw(st.integers(0, 6)) == 0:
                table.append([""] * 5)
            table.append([cells[k] for k in order])
            numbers.add(len(table))
            expected.append((len(table), f"P{r}", item_id, kind, category))
    return table, expected, numbers


@SETTINGS
@given(data=long_exports(), delimiter=st.sampled_from([";", ",", "\t"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
def test_messy_long_layout(workdir, data, delimiter, encoding):
    table, expected, numbers = data
    path = workdir / f"long_{next(_counter)}.csv"
    path.write_bytes(csv_bytes(table, delimiter=delimiter, encoding=encoding))
    result = read_export(path)
    rep = result.report
    df = result.responses
    assert rep.layout == "long"
    assert rep.rows_read == rep.rows_kept + rep.rows_excluded == len(expected)
    assert {p.row for p in rep.problems} <= numbers
    answer_problems = [p for p in rep.problems if p.code in {"unknown_label", "out_of_range", "not_whole"}]
    assert len(df) + rep.answers_by_category["blank"] + len(answer_problems) == rep.rows_read
    got = {(int(r), str(i), str(a)) for r, i, a in zip(df["row"], df["item_id"], df["answer"], strict=True)}
    assert got == {(n, i, c) for n, _, i, kind, c in expected if kind == "valid"}
    assert {p.row for p in answer_problems} == {n for n, _, _, kind, _ in expected if kind == "invalid"}


# ------------------------------------------------------------------------------------------------ chaos
CHAOS_CELLS = [
    "", " ", "Leder", "Rolle", "År", "Svar", "Spørgsmål", "Respondent-ID", "Medarbejder", "Leder", "Leders leder",
    "Helt enig", "Ved ikke", "4", "4,0", "7", "x", "competences", "it_security", EMPLOYEE_DA[0], SELF_DA[4],
    "Søren Ærø", '"', "\n", "2024", "Åse", "nan", "NaN", "None", "#N/A", "=1+1", "TRUE", "1e308", "-0", "∞",
]


@settings(SETTINGS, max_examples=100)
@given(
    cells=st.lists(st.lists(st.one_of(st.sampled_from(CHAOS_CELLS), st.text(max_size=6)), max_size=8), max_size=12),
    delimiter=st.sampled_from([";", ",", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
    header=st.sampled_from([None, ["Leder", "Rolle", *EMPLOYEE_DA[:3]], ["Respondent-ID", "Leder", "Rolle",
                                                                          "Spørgsmål", "Svar", "År"]]),
)
def test_chaotic_tables_only_raise_survey_import_error(workdir, cells, delimiter, encoding, header):
    if header is not None:
        cells = [header, *cells]
    path = workdir / f"chaos_{next(_counter)}.csv"
    try:
        data = csv_bytes(cells, delimiter=delimiter, encoding=encoding)
    except UnicodeEncodeError:
        data = csv_bytes(cells, delimiter=delimiter, encoding="utf-8")
    path.write_bytes(data)
    try:
        result = read_export(path)
    except SurveyImportError as exc:
        assert exc.message("da") and exc.message("en")
        return
    rep = result.report
    assert rep.rows_read == rep.rows_kept + rep.rows_excluded
    n_records = len(cells)
    assert all(1 <= p.row <= n_records for p in rep.problems)
    assert all(1 <= r <= n_records for r in result.responses["row"])
    if rep.layout == "wide":
        answer_problems = [p for p in rep.problems if p.column in set(rep.item_columns.values())]
        blank = rep.answers_by_category["blank"]
        assert len(result.responses) + blank + len(answer_problems) == rep.rows_kept * len(rep.item_columns)


@settings(SETTINGS, max_examples=60)
@given(data=st.binary(max_size=600), prefix=st.sampled_from([b"", b"PK\x03\x04", b"$FL2", b"\xef\xbb\xbf",
                                                             b"\xff\xfe", b"Leder;Rolle;competences\n"]))
def test_random_bytes_only_raise_survey_import_error(workdir, data, prefix):
    path = workdir / f"bytes_{next(_counter)}.csv"
    path.write_bytes(prefix + data)
    try:
        result = read_export(path)
    except SurveyImportError:
        return
    rep = result.report
    assert rep.rows_read == rep.rows_kept + rep.rows_excluded


@settings(SETTINGS, max_examples=80)
@given(data=st.binary(max_size=800), kind=st.sampled_from(["xlsx", "sav", "zip-xlsx"]))
def test_random_bytes_with_a_matching_name_only_raise_survey_import_error(workdir, data, kind):
    """Corrupt workbooks and SPSS files, named as such: only SurveyImportError."""
    import io
    import zipfile

    if kind == "sav":
        content, suffix = b"$FL2@(#) IBM SPSS STATISTICS" + data, ".sav"
    elif kind == "xlsx":
        content, suffix = b"PK\x03\x04" + data, ".xlsx"
    else:  # a real zip with workbook-like members holding junk
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("[Content_Types].xml", data[:200])
            z.writestr("xl/workbook.xml", data[200:500])
            z.writestr("xl/worksheets/sheet1.xml", data[500:])
        content, suffix = buf.getvalue(), ".xlsx"
    path = workdir / f"junk_{next(_counter)}{suffix}"
    path.write_bytes(content)
    try:
        result = read_export(path)
    except SurveyImportError:
        return
    rep = result.report
    assert rep.rows_read == rep.rows_kept + rep.rows_excluded
