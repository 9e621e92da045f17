"""Fixture-file builders for the survey importer tests: every file the tests read is written here, into tmp_path.

The canonical wide table (``WIDE_ROWS``) is small and hand-written so that expected values can be stated exactly.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dol_toolkit.themes import load_theme

THEME = load_theme()
ITEM_IDS = [item.id for item in THEME.items]
assert ITEM_IDS == ["competences", "rationale", "citizen_value", "curiosity_culture", "it_security"]

EMPLOYEE_DA = [item.wording.employee.da for item in THEME.items]
SELF_DA = [item.wording.self.da for item in THEME.items]
MANAGER_DA = [item.wording.manager.da for item in THEME.items]
EMPLOYEE_EN = [item.wording.employee.en for item in THEME.items]
SELF_EN = [item.wording.self.en for item in THEME.items]
MANAGER_EN = [item.wording.manager.en for item in THEME.items]

LABELS_DA = {p.value: p.label.da for p in THEME.scale.points}
LABELS_EN = {p.value: p.label.en for p in THEME.scale.points}
assert LABELS_DA == {
    1: "Helt uenig",
    2: "Overvejende uenig",
    3: "Hverken enig eller uenig",
    4: "Overvejende enig",
    5: "Helt enig",
}
DONT_KNOW_DA, PREFER_NOT_DA = "Ved ikke", "Ønsker ikke at oplyse"

HEADER = ["Respondent-ID", "År", "Afdeling", "Leder", "Rolle", *EMPLOYEE_DA]

# The canonical wide export: (respondent, year, department, leader, role label, five answer cells).
# Spreadsheet rows: header in row 1, so these are rows 2..9.
WIDE_ROWS: list[list[str]] = [
    ["R01", "2024", "IT og Digitalisering", "Søren Ærø", "Medarbejder", "4", "5", "3", "2", "1"],
    ["R02", "2024", "IT og Digitalisering", "Søren Ærø", "Medarbejder",
     "Helt enig", "Ved ikke", "Overvejende uenig", "", "Ønsker ikke at oplyse"],
    ["R03", "2024", "IT og Digitalisering", "Søren Ærø", "Leder", "5", "4", "4", "3", "4"],
    ["R04", "2024", "IT og Digitalisering", "Søren Ærø", "Leders leder",
     "Overvejende enig", "Hverken enig eller uenig", "Helt uenig", "Helt enig", "2"],
    ["R05", "2024", "Økonomi", "Åse Øberg-Ødegård", "Medarbejder", "1", "2", "3", "4", "5"],
    ["R06", "2024", "Økonomi", "Åse Øberg-Ødegård", "Leder", "3", "3", "3", "3", "3"],
    ["R07", "2026", "IT og Digitalisering", "Søren Ærø", "Leder", "2", "2", "5", "5", "5"],
    ["R08", "2026", "Økonomi", "Åse Øberg-Ødegård", "Medarbejder", "Helt uenig", "", "", "", "Helt enig"],
]
# What the canonical table holds, counted by hand.
WIDE_N_ROWS = 8
WIDE_BLANK = 4  # R02 curiosity_culture, R08 x3
WIDE_ANSWERS = 8 * 5 - WIDE_BLANK  # 36
WIDE_BY_CATEGORY = {"1": 4, "2": 6, "3": 9, "4": 6, "5": 9, "dont_know": 1, "prefer_not": 1, "blank": 4}
WIDE_BY_ROLE = {"employee": 4, "self": 3, "manager": 1}


def wide_table(header: Sequence[str] = HEADER, rows: Sequence[Sequence[str]] = WIDE_ROWS) -> list[list[str]]:
    return [list(header), *[list(r) for r in rows]]


def csv_bytes(
    table: Sequence[Sequence[Any]],
    delimiter: str = ";",
    encoding: str = "utf-8",
    newline: str = "\n",
    quoting: int = csv.QUOTE_MINIMAL,
) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator=newline, quoting=quoting)
    for row in table:
        writer.writerow(["" if v is None else str(v) for v in row])
    return buf.getvalue().encode(encoding)


def write_csv(path: Path, table: Sequence[Sequence[Any]], **kwargs: Any) -> Path:
    path.write_bytes(csv_bytes(table, **kwargs))
    return path


def write_xlsx(
    path: Path,
    table: Sequence[Sequence[Any]],
    title: str = "Data",
    before: Sequence[tuple[str, Sequence[Sequence[Any]]]] = (),
    after: Sequence[tuple[str, Sequence[Sequence[Any]]]] = (),
) -> Path:
    """A workbook with ``table`` on sheet ``title`` (row 1 = table[0]); extra sheets before/after it.

    ``None`` cells are left empty.
    """
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in [*before, (title, table), *after]:
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None and value != "":
                    ws.cell(row=r, column=c, value=value)
    wb.save(path)
    return path


def as_numbers(row: Sequence[str]) -> list[Any]:
    """Cells as Excel would hold them: digits as numbers, the rest as text."""
    out: list[Any] = []
    for v in row:
        if isinstance(v, str) and v.isdigit():
            out.append(int(v))
        else:
            out.append(v)
    return out


def answer_of(result: Any, leader: str, role: str, item: str, wave: str | None = None) -> Any:
    df = result.responses
    sel = (df["leader_id"].astype(str) == leader) & (df["role"].astype(str) == role) & (
        df["item_id"].astype(str) == item
    )
    if wave is not None:
        sel &= df["wave"].astype(str) == wave
    hits = df[sel]
    assert len(hits) == 1, f"expected one answer for {leader}/{role}/{item}/{wave}, got {len(hits)}:\n{hits}"
    return hits.iloc[0]


def problems_as_tuples(report: Any) -> list[tuple[int, str | None, str | None, str]]:
    return [(p.row, p.column, p.value, p.code) for p in report.problems]


def assert_counts_add_up(report: Any) -> None:
    assert report.rows_read == report.rows_kept + report.rows_excluded
    assert report.rows_read >= 0 and report.rows_kept >= 0 and report.rows_excluded >= 0
