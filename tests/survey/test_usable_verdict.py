"""A file that can be used has answers, and its verdict says how many rows were left out and why (issue 25,
point 6): `dol validate` exits 2 when nothing can be used, `dol summary` and `dol leaders` refuse such a file
with a sentence, and the preparation shows it as an error."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from dol_toolkit.prepare import inspect_export
from dol_toolkit.survey import read_export
from tests.apps.test_preparation import _upload
from tests.survey.builders import HEADER, WIDE_ROWS, wide_table, write_csv
from tests.survey.test_hostile_files import run


def no_answers_csv(folder: Path) -> Path:
    """Leaders and roles, but every answer NaN, infinite or a date."""
    junk = ["nan", "inf", "-inf", "NaN", "2024-03-01"]
    rows = [[*r[:5], *junk] for r in WIDE_ROWS]
    return write_csv(folder / "junk.csv", wide_table(rows=rows))


def no_answers_xlsx(folder: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in WIDE_ROWS:
        ws.append([*r[:5], dt.datetime(2024, 3, 1), dt.date(2024, 3, 2), float("inf"), "NaN", dt.time(10, 0)])
    path = folder / "junk.xlsx"
    wb.save(path)
    return path


@pytest.mark.parametrize("make", [no_answers_csv, no_answers_xlsx])
def test_a_file_without_answers_is_not_approved(tmp_path, make):
    path = make(tmp_path)
    result = run("validate", path)
    assert result.returncode == 2
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("The file cannot be used: the 8 rows that are left hold no answer that can be read")
    assert "can be used." not in result.stdout
    da = run("validate", path, lang="da")
    assert da.returncode == 2 and "Filen kan bruges" not in da.stdout
    assert da.stdout.strip().splitlines()[-1].startswith("Filen kan ikke bruges: de 8 rækker")
    data = json.loads(run("validate", path, "--json").stdout)
    assert data["usable"] is False and data["answers_given"] == 0


@pytest.mark.parametrize("command", [["summary"], ["leaders"], ["summary", "--json"]])
def test_summary_and_leaders_refuse_a_file_without_answers(tmp_path, command):
    path = no_answers_csv(tmp_path)
    result = run(command[0], path, *command[1:])
    assert result.returncode == 2 and result.stdout == ""
    assert "cannot set a frame" not in result.stderr
    assert result.stderr.startswith(f"{path}: The file cannot be used: the 8 rows that are left hold no answer")
    assert f"`dol validate {path}`" in result.stderr


def test_the_verdict_says_how_many_rows_were_left_out_and_why(tmp_path):
    rows = [list(r) for r in WIDE_ROWS]
    for k in (0, 1, 4, 7):
        rows[k][3] = ""  # no leader
    rows[5][4] = "Praktikant"  # unknown role
    path = write_csv(tmp_path / "holes.csv", wide_table(rows=rows))
    report = read_export(path).report
    assert report.excluded_by_reason == {"missing_leader": 4, "unknown_role": 1}
    assert report.verdict("en") == ("The file can be used: 3 of 8 rows with 15 answers about 1 leaders. "
                                    "5 rows are left out: 4 without a leader, 1 with an unknown role.")
    assert report.verdict("da") == ("Filen kan bruges: 3 af 8 rækker med 15 svar fra 1 ledere. "
                                    "5 rækker er udeladt: 4 uden leder, 1 med ukendt rolle.")
    result = run("validate", path)
    assert result.returncode == 0 and result.stdout.strip().endswith(report.verdict("en"))


def test_nothing_kept_says_why(tmp_path):
    rows = [[*r[:3], "", *r[4:]] for r in WIDE_ROWS]
    result = run("validate", write_csv(tmp_path / "none.csv", wide_table(rows=rows)))
    assert result.returncode == 2
    assert result.stdout.strip().endswith("8 rows are left out: 8 without a leader.")


def test_cells_merged_down_a_column_are_read_in_every_row(tmp_path):
    """A hand-made workbook: the leader and the department written once per block, merged down over it."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in WIDE_ROWS:
        ws.append(list(r))
    for merged in ("C2:C5", "D2:D5", "D6:D7"):  # Søren Ærø's 2024 rows, Åse Øberg-Ødegård's
        ws.merge_cells(merged)  # openpyxl empties every cell of the range but the first
    path = tmp_path / "merged.xlsx"
    wb.save(path)
    assert openpyxl.load_workbook(path)["Sheet"]["D3"].value is None
    report = read_export(path).report
    assert (report.rows_kept, report.rows_excluded, report.leaders) == (8, 0, 2)
    note = next(n for n in report.to_dict("en")["notes"] if n["code"] == "merged_cells")
    assert note["ranges"] == "C2:C5, D2:D5, D6:D7"
    result = run("validate", path)
    assert result.returncode == 0
    assert "Cells merged down a column (3) are read as if the value stood in every row of the merged range: " \
           "C2:C5, D2:D5, D6:D7" in result.stdout


def test_the_preparation_says_it(tmp_path, monkeypatch):
    from dol_toolkit.apps.preparation import PreparationApp

    monkeypatch.setenv("DOL_WORKSHOPS_DIR", str(tmp_path / "workshops"))
    assert not inspect_export(no_answers_csv(tmp_path)).ok
    app = PreparationApp(lang="en")
    _upload(app, no_answers_csv(tmp_path).read_bytes(), "junk.csv")
    assert 'class="dol-error"' in app.file_status.value
    assert "junk.csv has been read, but cannot be used: The file cannot be used" in app.file_status.value
    assert "can be used" not in app.file_status.value.replace("cannot be used", "")
    rows = [list(r) for r in WIDE_ROWS]
    rows[0][3] = rows[1][3] = ""
    _upload(app, (write_csv(tmp_path / "holes.csv", wide_table(rows=rows))).read_bytes(), "holes.csv")
    assert 'class="dol-ok"' in app.file_status.value
    assert "6 responses from 2 leaders can be used" in app.file_status.value
    assert "2 rows are left out: 2 without a leader." in app.file_status.value
