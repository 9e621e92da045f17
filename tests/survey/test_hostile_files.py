"""Files that cannot be survey exports are refused at once, with the limit in the message; broken CSV says where
(issue 25: "nothing gets in, nothing is lost, nothing hangs").

Every hostile file is made here, in tmp_path. The commands run as a facilitator runs them, in a subprocess with
this checkout's source first on the path, under a generous timeout: a file that makes them hang fails the test
instead of holding the run.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

import dol_toolkit
from dol_toolkit.survey import readers
from tests.survey.builders import HEADER, WIDE_ROWS, wide_table, write_csv

SOURCE = str(Path(dol_toolkit.__file__).resolve().parents[1])
LIMIT_SECONDS = 120  # far more than a refusal needs, even on a loaded machine; a hang fails


def run(*args: object, lang: str = "en") -> subprocess.CompletedProcess[str]:
    """``dol <args> --lang <lang>`` with this checkout's source; fails the test if it does not return in time."""
    env = {**os.environ, "PYTHONPATH": SOURCE}
    try:
        result = subprocess.run([sys.executable, "-m", "dol_toolkit.cli", *map(str, args), "--lang", lang],
                                capture_output=True, text=True, timeout=LIMIT_SECONDS, env=env)
    except subprocess.TimeoutExpired:
        pytest.fail(f"dol {' '.join(map(str, args))} did not return within {LIMIT_SECONDS} s")
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    return result


def refused(path: Path, command: str = "validate") -> tuple[str, str]:
    """The Danish and English messages of a refused file (exit code 2, nothing on stdout)."""
    out = []
    for lang in ("da", "en"):
        result = run(command, path, lang=lang)
        assert result.returncode == 2, (result.stdout, result.stderr)
        assert result.stdout == ""
        out.append(result.stderr.strip())
    return out[0], out[1]


def workbook_bytes(rows: list[list[object]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rewrite_sheet(path: Path, sheet_xml: bytes | None = None, filler_bytes: int = 0,
                  dimension: bytes | None = None) -> Path:
    """A small valid workbook of the canonical table with its first sheet's XML changed: ``filler_bytes`` of
    whitespace streamed into the sheet data (a zip bomb: highly compressible, small on disk), or its
    ``<dimension>`` replaced, or the whole sheet XML replaced."""
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes([HEADER, *WIDE_ROWS])))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename != "xl/worksheets/sheet1.xml":
                out.writestr(info, data)
                continue
            if sheet_xml is not None:
                data = sheet_xml
            if dimension is not None:
                start = data.index(b"<dimension")
                data = data[:start] + dimension + data[data.index(b"/>", start) + 2:]
            head, _, tail = data.partition(b"</sheetData>")
            with out.open(info.filename, "w", force_zip64=True) as fh:
                fh.write(head)
                chunk = b" " * (1 << 20)
                for _ in range(filler_bytes >> 20):
                    fh.write(chunk)
                fh.write(b"</sheetData>" + tail)
    return path


# -- point 5: limits checked before the data is expanded ---------------------------------------------------------
def test_zip_bomb_is_refused_from_the_zip_directory(tmp_path):
    unpacked = readers.MAX_UNPACKED_BYTES + 20_000_000
    path = rewrite_sheet(tmp_path / "bomb.xlsx", filler_bytes=unpacked)
    assert path.stat().st_size < 2_000_000  # small on disk
    da, en = refused(path)
    limit_mb = readers.MAX_UNPACKED_BYTES // 1_000_000
    assert f"grænsen er {limit_mb} MB pakket ud" in da and "zip-bombe" in da
    assert f"the limit is {limit_mb} MB unpacked" in en and "zip bomb" in en
    assert "xl/worksheets/sheet1.xml" in en
    result = run("summary", path, lang="en")
    assert (result.returncode, result.stderr.strip()) == (2, en)


def test_zip_bomb_in_the_preparation_gives_an_error_at_once(tmp_path):
    path = rewrite_sheet(tmp_path / "bomb.xlsx", filler_bytes=readers.MAX_UNPACKED_BYTES + 20_000_000)
    code = ("import sys; from dol_toolkit.prepare import inspect_export; i = inspect_export(sys.argv[1]); "
            "print(i.ok, i.error.code if i.error else None, i.error.message('en') if i.error else '')")
    result = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True,
                            timeout=LIMIT_SECONDS, env={**os.environ, "PYTHONPATH": SOURCE})
    assert result.returncode == 0, result.stderr
    ok, error, message = result.stdout.split(" ", 2)
    assert (ok, error) == ("False", "too_big_unpacked")
    assert "zip bomb" in message


@pytest.mark.parametrize("dimension", [b'<dimension ref="A1:XFD1048576"/>', b'<dimension ref="A1:J900000"/>',
                                       b'<dimension ref="A1:ZZZ9"/>'])
def test_a_sheet_claiming_too_many_cells_is_refused(tmp_path, dimension):
    da, en = refused(rewrite_sheet(tmp_path / "wide.xlsx", dimension=dimension))
    assert "It cannot be a survey export" in en and "Det kan ikke være en spørgeskemaeksport" in da
    limits = (f"{readers.MAX_CELLS:,}", f"{readers.MAX_ROWS:,}", f"{readers.MAX_COLUMNS:,}")
    assert any(f"at most {limit}" in en for limit in limits), en
    assert any(f"højst have {limit.replace(',', '.')}" in da for limit in limits), da


def test_rows_far_down_a_sheet_are_counted_as_they_are_read(tmp_path):
    """No dimension, and a cell in row 1,048,576: the empty rows before it would be made one by one."""
    sheet = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Leder</t></is></c>'
             b'</row><row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
             b'</worksheet>')
    _, en = refused(rewrite_sheet(tmp_path / "tall.xlsx", sheet_xml=sheet))
    assert f"an export can have at most {readers.MAX_ROWS:,} rows" in en


def test_a_fifo_is_refused_without_being_opened(tmp_path):
    fifo = tmp_path / "export.csv"
    os.mkfifo(fifo)
    da, en = refused(fifo)  # opening a FIFO to read waits for a writer: that would hang
    assert "is not a regular file" in en and "pipe" in en
    assert "er ikke en almindelig fil" in da
    refused(fifo, "summary")
    refused(fifo, "leaders")


def test_a_device_is_refused(tmp_path):
    _, en = refused(Path(os.devnull))
    assert "is not a regular file" in en


def test_a_csv_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.csv"
    with path.open("wb") as fh:  # sparse: no disk used
        fh.write(b"Leder;Rolle\n")
        fh.truncate(readers.MAX_FILE_BYTES + 1)
    da, en = refused(path)
    assert f"an export can be at most {readers.MAX_FILE_BYTES // 1_000_000} MB" in en
    assert f"højst fylde {readers.MAX_FILE_BYTES // 1_000_000} MB" in da


def test_a_csv_of_millions_of_empty_cells_is_refused_before_parsing(tmp_path):
    path = tmp_path / "cells.csv"
    width = 1_500
    line = ";".join(["x"] * width) + "\n"
    path.write_text(line * (readers.MAX_CELLS // width + 10), encoding="utf-8")
    _, en = refused(path)
    assert f"at most {readers.MAX_CELLS:,} cells" in en


# -- point 12: clear messages for broken CSV -----------------------------------------------------------------
def test_cr_only_line_endings_are_read(tmp_path):
    path = write_csv(tmp_path / "mac.csv", wide_table(), newline="\r")
    assert b"\n" not in path.read_bytes()
    result = run("validate", path, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["rows_read"], data["rows_kept"], data["leaders"]) == (8, 8, 2)


def test_a_huge_cell_is_named_by_row_and_column(tmp_path):
    rows = [list(r) for r in WIDE_ROWS]
    rows[3][2] = "x" * 2_000_000  # row 5, column C (department)
    da, en = refused(write_csv(tmp_path / "cell.csv", wide_table(rows=rows)))
    assert f"the cell in row 5, column C has 2,000,000 characters; a cell can have at most " \
           f"{readers.MAX_CELL_CHARS:,} characters" in en
    assert "cellen i række 5, kolonne C har 2.000.000 tegn" in da
    assert "ingen tabel" not in da


def test_a_huge_cell_in_a_workbook_is_named(tmp_path):
    """Excel cannot write a cell over its limit (nor openpyxl), but a hand-made sheet can."""
    long = b"y" * (readers.MAX_CELL_CHARS + 1)
    sheet = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Leder</t></is></c>'
             b'</row><row r="2"><c r="D2" t="inlineStr"><is><t>' + long + b'</t></is></c></row></sheetData>'
             b'</worksheet>')
    _, en = refused(rewrite_sheet(tmp_path / "cell.xlsx", sheet_xml=sheet))
    assert f"the cell in row 2, column D has {readers.MAX_CELL_CHARS + 1:,} characters" in en


@pytest.mark.parametrize("tail_rows", [0, 3_000])
def test_an_unbalanced_quote_says_its_row(tmp_path, tail_rows):
    """A quote opening the leader cell of row 4 is never closed: the rest of the file would be one cell (a short
    file), or that cell outgrows the csv module's field limit (a long one)."""
    lines = [";".join(HEADER)]
    for k, row in enumerate(WIDE_ROWS):
        cells = list(row)
        if k == 2:
            cells[3] = '"Søren Ærø'
        lines.append(";".join(cells))
    lines += [";".join(WIDE_ROWS[0]) + " padding" * 10] * tail_rows
    path = tmp_path / "quote.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    da, en = refused(path)
    assert "row 4 (line 4 of the file)" in en and "quote" in en
    assert "række 4 (linje 4 i filen)" in da
    assert "field limit" not in en + da


def test_an_unbalanced_quote_in_a_ragged_file_says_its_row(tmp_path):
    """A row with an extra field sends the file to the csv module; the broken quote after it still says where."""
    lines = [";".join(HEADER), ";".join([*WIDE_ROWS[0], "extra"])]
    lines += [";".join(r) for r in WIDE_ROWS[1:3]]
    lines.append(";".join(WIDE_ROWS[3][:3]) + ';"Åse;' + ";".join(WIDE_ROWS[3][4:]))
    lines += [";".join(r) for r in WIDE_ROWS[4:]] * 3000
    path = tmp_path / "ragged.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, en = refused(path)
    assert "row 5 (line 5 of the file)" in en


def test_an_spss_file_is_measured_from_its_header(tmp_path):
    """A .sav file says its cases and variables in its header: too many columns are refused before the data
    is read."""
    import pandas as pd
    import pyreadstat

    frame = pd.DataFrame([[1.0] * (readers.MAX_COLUMNS + 1)], columns=[f"v{k}" for k in range(readers.MAX_COLUMNS + 1)])
    path = tmp_path / "wide.sav"
    pyreadstat.write_sav(frame, str(path))
    with pytest.raises(readers.SurveyImportError) as caught:
        readers.read_raw(path)
    assert caught.value.code == "too_many_columns"
    assert f"{readers.MAX_COLUMNS + 1:,} columns; an export can have at most {readers.MAX_COLUMNS:,}" \
           in caught.value.message("en")
