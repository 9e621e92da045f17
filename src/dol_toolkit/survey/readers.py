"""Read an export file into a raw grid of cells, keeping the row numbers a spreadsheet shows.

Formats are recognised by content, not by the file name: Excel workbooks (.xlsx/.xlsm, a zip), SPSS data files
(.sav/.zsav), and delimited text (``,`` ``;`` or tab) in UTF-8, UTF-8 with BOM, UTF-16 with BOM (Excel's
"Unicode text") or Windows-1252. Nothing is interpreted here: cells stay text (or the values a workbook holds);
finding the header and recognising columns is the importer's work.
"""

from __future__ import annotations

import csv
import io
import re
import stat
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dol_toolkit.survey.errors import SurveyImportError

DELIMITERS = (";", ",", "\t")
_SNIFF_ROWS = 60

# What can be a survey export: limits checked before the data is expanded, each said in the message that refuses
# a file. A large organisation's export (tens of thousands of respondents, a few hundred columns) is far below
# them; a zip bomb, a sheet that claims a million rows of 16,384 columns or a runaway CSV is far above.
MAX_FILE_BYTES = 100_000_000  # the file on disk (a CSV is read no further than this)
MAX_UNPACKED_BYTES = 200_000_000  # a workbook's parts unpacked together (sheet XML, shared strings), as its zip says
MAX_ROWS = 200_000  # rows of a sheet or a CSV
MAX_COLUMNS = 2_000  # columns of a sheet or a CSV
MAX_CELLS = 5_000_000  # rows x columns
MAX_CELL_CHARS = 32_767  # characters in one cell: Excel's own limit
# Text that must not reach a terminal, a document or a spreadsheet: terminal escape sequences (CSI such as colours
# and cursor moves, OSC such as links and window titles, and the other string sequences) as a whole, then every
# remaining control character but tab and line breaks, the bidirectional overrides that reorder what is shown,
# and the code points XML forbids (a DOCX cannot hold them).
_ESCAPE_SEQUENCE = re.compile(
    "[\x1b][\\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\\\|\x9c)?"  # OSC, DCS, SOS, PM, APC up to their end
    "|[\x9d\x90\x98\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x1b\\\\|\x9c)?"  # the same in their 8-bit form
    "|(?:\x1b\\[|\x9b)[0-?]*[ -/]*[@-~]?"  # CSI: colours, cursor moves, erasing
    "|\x1b[ -/]*[0-~]?"  # the other escapes (ESC c resets a terminal)
)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")


def strip_escapes(text: str) -> str:
    """``text`` without terminal escape sequences (ESC or CSI/OSC and what belongs to them); other characters
    stay."""
    return _ESCAPE_SEQUENCE.sub("", text) if ("\x1b" in text or _C1.search(text)) else text


_C1 = re.compile("[\x90\x98\x9b\x9d-\x9f]")


def clean_text(text: str) -> str:
    """``text`` without terminal escape sequences and control characters (tab and line breaks stay).

    >>> clean_text("Ane\\x1b]8;;http://x\\x07Hansen\\x1b]8;;\\x07 \\x1b[31mrød\\x1b[0m\\x07")
    'AneHansen rød'
    """
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text))


def _clean_cells(cells: pd.DataFrame, row_numbers: Any) -> list[int]:
    """Clean every text cell of ``cells`` in place (:func:`clean_text`); the row numbers of the cells changed."""
    changed: set[int] = set()
    for j in range(cells.shape[1]):
        column = cells.iloc[:, j]
        hit = column.map(lambda v: isinstance(v, str) and _CONTROL.search(v) is not None).to_numpy(dtype=bool)
        if hit.any():
            index = np.flatnonzero(hit)
            cleaned = [clean_text(str(v)) for v in column.iloc[index]]
            if isinstance(column.dtype, pd.StringDtype):
                cells.isetitem(j, column.astype(object).to_numpy())
            for i, value in zip(index, cleaned, strict=True):
                cells.iat[int(i), j] = value
            changed.update(int(row_numbers[i]) for i in index)
    return sorted(changed)


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?\"")


@dataclass
class RawTable:
    """Cells as read. ``cells`` has a RangeIndex; ``row_numbers[i]`` is the spreadsheet row of ``cells.iloc[i]``."""

    cells: pd.DataFrame
    row_numbers: Any  # numpy int array
    file_type: str  # "csv" | "xlsx" | "sav"
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    header_row: int | None = None  # for formats with a fixed header (SPSS): its row number
    column_labels: dict[str, str] = field(default_factory=dict)  # SPSS variable labels by column
    value_labels: dict[str, dict[Any, str]] = field(default_factory=dict)  # SPSS value labels by column
    # A code book (answer codes and their labels): by normalised column name, "" for codes of every answer column
    codebook: dict[str, dict[str, str]] = field(default_factory=dict)
    codebook_source: str | None = None
    sheets: list[str] = field(default_factory=list)  # a workbook's sheets, in order
    # Why this sheet of a workbook was read ("named", "only", "rows"), and the sheets that held answers
    sheet_reason: str | None = None
    sheet_candidates: list[str] = field(default_factory=list)
    # Rows with cells that held control characters or terminal escape sequences, removed as the file was read
    cleaned_rows: list[int] = field(default_factory=list)
    # Cells merged down a column whose value was given to every row of the merge, as a spreadsheet names them
    merged_filled: list[str] = field(default_factory=list)

    def codebook_for(self, column: str, shared: bool = True) -> dict[str, str]:
        """The codes of ``column`` and their labels: its own, else (``shared``) the code book's codes for every
        answer column."""
        if not self.codebook:
            return {}
        return self.codebook.get(_name_key(column)) or (self.codebook.get("", {}) if shared else {})


def read_raw(path: str | Path, sheet: str | None = None) -> RawTable:
    """Read ``path`` into a :class:`RawTable`; structural problems raise :class:`SurveyImportError`."""
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise SurveyImportError("file_not_found", path=path) from None
    except OSError as exc:
        raise SurveyImportError("unreadable_file", path=path, detail=exc.strerror or type(exc).__name__) from None
    if stat.S_ISDIR(info.st_mode):
        raise SurveyImportError("is_directory", path=path)
    if not stat.S_ISREG(info.st_mode):  # a FIFO, a device or a socket: opening it to read could wait forever
        raise SurveyImportError("not_a_file", path=path)
    if info.st_size > MAX_FILE_BYTES:
        raise SurveyImportError("too_big_file", path=path, size=_megabytes(info.st_size),
                                limit=_megabytes(MAX_FILE_BYTES))
    with path.open("rb") as fh:
        head = fh.read(8)
    if not head:
        raise SurveyImportError("empty_file", path=path)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise SurveyImportError("old_excel", path=path)
    if head.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf")):
        raise SurveyImportError("wrong_type", path=path)
    if head.startswith(b"PK\x03\x04"):
        table = _read_xlsx(path, sheet)
    elif head.startswith((b"$FL2", b"$FL3")):
        table = _read_sav(path)
    else:
        table = _read_text(path)
    # No text cell carries control characters on: not to a terminal, a document or a spreadsheet.
    table.cleaned_rows = _clean_cells(table.cells, table.row_numbers)
    table.column_labels = {k: clean_text(v) for k, v in table.column_labels.items()}
    table.value_labels = {k: {c: clean_text(str(v)) for c, v in labels.items()}
                          for k, labels in table.value_labels.items()}
    return table


def _megabytes(size: int) -> int:
    return max(1, -(-size // 1_000_000))


def check_shape(path: Path, rows: int, columns: int, where: str = "") -> None:
    """SurveyImportError when a table of ``rows`` x ``columns`` is over :data:`MAX_ROWS`, :data:`MAX_COLUMNS`
    or :data:`MAX_CELLS`."""
    if rows > MAX_ROWS:
        raise SurveyImportError("too_many_rows", path=path, count=rows, limit=MAX_ROWS, where=where)
    if columns > MAX_COLUMNS:
        raise SurveyImportError("too_many_columns", path=path, count=columns, limit=MAX_COLUMNS, where=where)
    if rows * columns > MAX_CELLS:
        raise SurveyImportError("too_many_cells", path=path, rows=rows, columns=columns, count=rows * columns,
                                limit=MAX_CELLS, where=where)


def _check_cell_lengths(cells: pd.DataFrame, row_numbers: Any, path: Path) -> None:
    """SurveyImportError naming the first cell (row, column) longer than :data:`MAX_CELL_CHARS`."""
    for j in range(cells.shape[1]):
        lengths = cells.iloc[:, j].map(lambda v: len(v) if isinstance(v, str) else 0).to_numpy()
        over = np.flatnonzero(lengths > MAX_CELL_CHARS)
        if len(over):
            i = int(over[0])
            raise SurveyImportError("cell_too_long", path=path, row=int(row_numbers[i]), column=_column_letter(j),
                                    length=int(lengths[i]), limit=MAX_CELL_CHARS)


def _column_letter(j: int) -> str:
    """The spreadsheet name of the ``j``-th column (0 -> A, 26 -> AA)."""
    name = ""
    j += 1
    while j:
        j, rest = divmod(j - 1, 26)
        name = chr(65 + rest) + name
    return name


def _column_number(letters: bytes) -> int:
    number = 0
    for c in letters:
        number = number * 26 + (c - 64)
    return number


@contextmanager
def _field_limit(limit: int) -> Iterator[None]:
    """The csv module's field size limit raised to ``limit`` for a while (it is one setting per process)."""
    old = csv.field_size_limit()
    csv.field_size_limit(max(old, limit))
    try:
        yield
    finally:
        csv.field_size_limit(old)


# --------------------------------------------------------------------------------------------------- text
def _decode(data: bytes, path: Path) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise SurveyImportError("unreadable_bytes", path=path, detail=f"byte {exc.start + 3}") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise SurveyImportError("unreadable_bytes", path=path, detail=f"byte {exc.start}") from None
    if b"\x00" in data[:4096]:
        raise SurveyImportError("binary", path=path)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise SurveyImportError("unreadable_bytes", path=path, detail=f"byte {exc.start}") from None
    # Control characters other than line breaks and tabs mean this is no text table.
    if any(ord(c) < 32 and c not in "\r\n\t" for c in text[:4096]):
        raise SurveyImportError("binary", path=path)
    return text, "cp1252"


def sniff_delimiter(text: str) -> str | None:
    """The delimiter that splits the first rows into the most consistent number of fields (at least two)."""
    best: tuple[float, int, str] | None = None
    sample_end = 0
    for _ in range(_SNIFF_ROWS * 3):  # enough text for ~60 records, quoted line breaks included
        nxt = text.find("\n", sample_end + 1)
        if nxt < 0:
            sample_end = len(text)
            break
        sample_end = nxt
    sample = text[:sample_end]
    for delim in DELIMITERS:
        try:
            with _field_limit(len(sample) + 1):  # a long cell is said later, with its row; here it is a cell
                rows = [r for r in csv.reader(io.StringIO(sample), delimiter=delim) if any(c.strip() for c in r)]
        except csv.Error:
            continue
        rows = rows[:_SNIFF_ROWS]
        widths = [len(r) for r in rows if len(r) > 1]
        if not widths:
            continue
        mode = max(set(widths), key=widths.count)
        # share of non-empty rows with the modal width, and how many rows/fields that is
        score = (widths.count(mode) / len(rows), mode, delim)
        if best is None or score[:2] > best[:2]:
            best = score
    return best[2] if best else None


def _read_text(path: Path) -> RawTable:
    with path.open("rb") as fh:  # no further than the limit, whatever the file's size said
        data = fh.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise SurveyImportError("too_big_file", path=path, size=_megabytes(len(data)),
                                limit=_megabytes(MAX_FILE_BYTES))
    text, encoding = _decode(data, path)
    if not text.strip():
        raise SurveyImportError("empty_file", path=path)
    if "\r" in text and "\n" not in text:  # line breaks as old Macs wrote them (CR only): read as line breaks
        text = text.replace("\r", "\n")
        if encoding != "utf-16":  # no byte of a UTF-8 or Windows-1252 character but CR itself is 0x0D
            data = data.replace(b"\r", b"\n")
    delimiter = sniff_delimiter(text)
    if delimiter is None:
        raise SurveyImportError("not_a_table", path=path)
    # Before parsing: at most as many cells as delimiters and line breaks (quoted ones counted too).
    lines = text.count("\n") + 1
    cells_at_most = text.count(delimiter) + lines
    if cells_at_most > MAX_CELLS or lines > MAX_ROWS:
        width = max(1, round(cells_at_most / lines))
        check_shape(path, lines, width)
        if cells_at_most > MAX_CELLS:
            raise SurveyImportError("too_many_cells", path=path, rows=lines, columns=width, count=cells_at_most,
                                    limit=MAX_CELLS, where="")
    # The C parser decodes the bytes itself (faster and lighter than parsing the decoded text).
    encoded = data[3:] if encoding == "utf-8-sig" else data
    source: io.IOBase = io.BytesIO(encoded) if encoding in ("utf-8", "utf-8-sig", "cp1252") else io.StringIO(text)
    del text
    try:
        cells = pd.read_csv(
            source,
            encoding="utf-8" if encoding == "utf-8-sig" else encoding,
            sep=delimiter,
            header=None,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
            quotechar='"',
            on_bad_lines="error",
        )
    except pd.errors.ParserError as exc:
        eof_in_quote = re.search(r"EOF inside string starting at row (\d+)", str(exc))
        if eof_in_quote:  # a quote that is never closed: the rest of the file would be one cell
            raise _unbalanced_quote(path, _decode(data, path)[0].replace("\r\n", "\n"), delimiter,
                                    int(eof_in_quote.group(1)) + 1) from None
        # Rows with more fields than the first: read them with the csv module and pad.
        text = _decode(data, path)[0]
        if "\r" in text and "\n" not in text:
            text = text.replace("\r", "\n")
        cells = _read_ragged(text, delimiter, path)
    except pd.errors.EmptyDataError:
        raise SurveyImportError("empty_file", path=path) from None
    cells.columns = pd.RangeIndex(len(cells.columns))
    check_shape(path, len(cells), len(cells.columns))
    row_numbers = np.arange(1, len(cells) + 1)
    _check_cell_lengths(cells, row_numbers, path)
    return RawTable(
        cells=cells,
        row_numbers=row_numbers,
        file_type="csv",
        encoding=encoding,
        delimiter=delimiter,
    )


def _read_ragged(text: str, delimiter: str, path: Path) -> pd.DataFrame:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    with _field_limit(MAX_CELL_CHARS + 1):
        while True:
            line = reader.line_num + 1  # the line the next row starts on
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                if "field larger than field limit" in str(exc):
                    raise _unbalanced_quote(path, text, delimiter, len(rows) + 1, line, long_cell=True) from None
                raise _unbalanced_quote(path, text, delimiter, len(rows) + 1, line) from None
            rows.append(row)
    width = max((len(r) for r in rows), default=0)
    check_shape(path, len(rows), width)
    return pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=str)


def _unbalanced_quote(path: Path, text: str, delimiter: str, row: int, line: int | None = None,
                      long_cell: bool = False) -> SurveyImportError:
    """The error for a quote that opens a cell in row ``row`` (as the table counts rows) and is never closed, or
    (``long_cell``) a cell in that row longer than :data:`MAX_CELL_CHARS`; ``line`` is the line of the file the
    row starts on (found from the text when not given)."""
    if line is None:
        line = 1
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        with _field_limit(len(text) + 1):
            try:
                for _ in range(row - 1):
                    next(reader)
                line = reader.line_num + 1
            except (StopIteration, csv.Error):
                pass
    if long_cell:
        return SurveyImportError("cell_too_long_quote", path=path, row=row, line=line, limit=MAX_CELL_CHARS)
    return SurveyImportError("unbalanced_quote", path=path, row=row, line=line)


# -------------------------------------------------------------------------------------------------- excel
def _read_xlsx(path: Path, sheet: str | None) -> RawTable:
    """Read a workbook by its content, whatever the file is called (openpyxl judges a file name's extension, so
    it gets the bytes). Any failure of a damaged or foreign zip becomes one clear error."""
    try:
        rows, numbers, title, book, sheets, merged = _xlsx_rows(path, sheet)
    except SurveyImportError:
        raise
    except Exception as exc:  # openpyxl raises zip, XML, key and its own errors for damaged files
        detail = f"{type(exc).__name__}: {exc}".strip().rstrip(":")
        raise SurveyImportError("bad_workbook", path=path, detail=detail[:200]) from None
    if not rows:
        raise SurveyImportError("empty_file", path=path)
    width = max(len(r) for r in rows)
    cells = pd.DataFrame([list(r) + [None] * (width - len(r)) for r in rows], dtype=object)
    _check_cell_lengths(cells, numbers, path)
    filled = _fill_merged(cells, numbers, merged)
    table = RawTable(cells=cells, row_numbers=np.array(numbers), file_type="xlsx", sheet=title, sheets=sheets,
                     merged_filled=filled)
    if book is not None:
        table.codebook, table.codebook_source = book[1], f"{path.name}: '{book[0]}'"
    return table


def check_workbook(source: Any, path: Path) -> None:
    """Refuse a workbook that cannot be a survey export from its zip's central directory, before anything is
    unpacked: its parts unpacked together over :data:`MAX_UNPACKED_BYTES`, or a sheet whose stated dimension is
    over :data:`MAX_ROWS`, :data:`MAX_COLUMNS` or :data:`MAX_CELLS` (only the first bytes of each sheet are
    unpacked to read it). ``zipfile`` never unpacks more of a part than the directory states."""
    with zipfile.ZipFile(source) as archive:
        parts = archive.infolist()
        total = sum(p.file_size for p in parts)
        if total > MAX_UNPACKED_BYTES:
            largest = max(parts, key=lambda p: p.file_size)
            raise SurveyImportError("too_big_unpacked", path=path, size=_megabytes(total),
                                    part=f"{largest.filename}: {_megabytes(largest.file_size)} MB",
                                    limit=_megabytes(MAX_UNPACKED_BYTES))
        for part in parts:
            if not (part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml")):
                continue
            with archive.open(part) as fh:
                head = fh.read(4096)
            found = _DIMENSION.search(head)
            if found is None:
                continue
            first_col, first_row, last_col, last_row = found.groups()
            if last_col is None:
                continue
            rows = int(last_row) - int(first_row) + 1
            columns = _column_number(last_col) - _column_number(first_col) + 1
            check_shape(path, rows, columns, f" ({part.filename})")


def _xlsx_rows(path: Path, sheet: str | None
               ) -> tuple[list[tuple[Any, ...]], list[int], str, tuple[str, dict[str, dict[str, str]]] | None,
                          list[str], list[tuple[int, int, int, int]]]:
    import openpyxl

    with path.open("rb") as fh:
        data = fh.read(MAX_FILE_BYTES + 1)
    check_workbook(io.BytesIO(data), path)
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    del data
    try:
        if sheet is not None:
            if sheet not in wb.sheetnames:
                raise SurveyImportError("no_sheet", path=path, sheet=sheet, sheets=", ".join(wb.sheetnames))
            ws = wb[sheet]
        else:
            ws = wb.worksheets[0]
        where = f" ('{ws.title}')"
        # The cells the sheet holds, not the size its header claims (a wrong claim would cut rows off or pad
        # every row to it); the rows and cells are counted as they are read.
        ws.reset_dimensions()
        rows: list[tuple[Any, ...]] = []
        numbers: list[int] = []
        cells = width = 0
        for row in ws.iter_rows():
            values = tuple(c.value for c in row)
            number = next((c.row for c in row if getattr(c, "row", None)), None)
            if number is None:  # a row of empty cells: it follows the previous row
                number = (numbers[-1] + 1) if numbers else 1
            rows.append(values)
            numbers.append(number)
            cells += len(values)
            width = max(width, len(values))
            if len(rows) > MAX_ROWS or width > MAX_COLUMNS or cells > MAX_CELLS:
                check_shape(path, len(rows), width, where)
                raise SurveyImportError("too_many_cells", path=path, rows=len(rows), columns=width, count=cells,
                                        limit=MAX_CELLS, where=where)
        found = None
        for other in wb.worksheets:  # the first sheet of answer codes and their labels beside the data
            if other.title != ws.title:
                book = codebook_from_rows(list(other.iter_rows(max_row=2000, values_only=True)))
                if book:
                    found = (str(other.title), book)
                    break
        merged = _merged_ranges(wb, ws)
        return rows, numbers, str(ws.title), found, [str(name) for name in wb.sheetnames], merged
    finally:
        wb.close()


_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s+ref=\"\$?([A-Z]{1,3})\$?(\d+):\$?([A-Z]{1,3})\$?(\d+)\"")


def _merged_ranges(wb: Any, ws: Any) -> list[tuple[int, int, int, int]]:
    """The sheet's merged cells as (first column, first row, last column, last row), 1-based: read from its
    XML (openpyxl's read-only sheets do not say), which the limits above have kept to a bounded size."""
    archive, part = getattr(wb, "_archive", None), getattr(ws, "_worksheet_path", None)
    if archive is None or part is None:
        return []
    found: list[tuple[int, int, int, int]] = []
    tail = b""
    with archive.open(part) as fh:
        while chunk := fh.read(1 << 20):
            text = tail + chunk
            last = 0
            for m in _MERGE.finditer(text):
                found.append((_column_number(m.group(1)), int(m.group(2)), _column_number(m.group(3)),
                              int(m.group(4))))
                last = m.end()
            tail = text[max(last, len(text) - 200):]
    return found


def _fill_merged(cells: pd.DataFrame, numbers: list[int], merged: list[tuple[int, int, int, int]]) -> list[str]:
    """A cell merged down a column (a leader's name over the rows of their block, as hand-made workbooks do)
    holds its value only in its first row: the rows under it get that value. Only merges within one column
    are filled (a heading merged across columns is one heading, not several); the ranges filled, as a
    spreadsheet names them."""
    index = {number: i for i, number in enumerate(numbers)}
    filled = []
    for first_col, first_row, last_col, last_row in sorted(merged):
        j = first_col - 1
        if first_col != last_col or last_row <= first_row or j >= cells.shape[1] or first_row not in index:
            continue
        value: Any = cells.iat[index[first_row], j]
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        rows = [index[r] for r in range(first_row + 1, last_row + 1) if r in index]
        empty = [i for i in rows if cells.iat[i, j] is None]
        for i in empty:
            cells.iat[i, j] = value
        if empty:
            filled.append(f"{_column_letter(j)}{first_row}:{_column_letter(j)}{last_row}")
    return filled


# ----------------------------------------------------------------------------------------------- code books
_VALUE_HEADERS = {"værdi", "vaerdi", "value", "kode", "code", "svarværdi", "svarkode", "nummer", "number", "værdikode"}
_LABEL_HEADERS = {"label", "etiket", "tekst", "text", "betydning", "svar", "svarmulighed", "svarkategori",
                  "værdilabel", "valuelabel", "kategori", "category", "beskrivelse", "description"}
_VARIABLE_HEADERS = {"variabel", "variable", "variabelnavn", "kolonne", "column", "spørgsmål", "question", "felt",
                     "field", "navn", "name"}


def _name_key(name: object) -> str:
    return " ".join(str(name).split()).casefold()


def _code_text(value: object) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return str(int(value)) if float(value).is_integer() else None
    text = str(value).strip()
    return text if text.lstrip("-").isdigit() else None


def _at(cells: list[Any], j: int | None) -> Any:
    return cells[j] if j is not None and j < len(cells) else None


def codebook_from_rows(rows: list[tuple[Any, ...]]) -> dict[str, dict[str, str]]:
    """Answer codes and their labels from a code book's rows: a header with a value column and a label column
    (and a variable column naming the column the codes belong to, filled on the first row of its block), or
    rows of (code, label) without a header. Empty when the rows are no code book."""
    book: dict[str, dict[str, str]] = {}
    start, value_col, label_col, variable_col = 0, None, None, None
    for i, row in enumerate(rows[:10]):
        keys = [_name_key(c) if c is not None else "" for c in row]
        if any(k in _VALUE_HEADERS for k in keys) and any(k in _LABEL_HEADERS for k in keys):
            value_col = next(j for j, k in enumerate(keys) if k in _VALUE_HEADERS)
            label_col = next(j for j, k in enumerate(keys) if k in _LABEL_HEADERS and j != value_col)
            variable_col = next((j for j, k in enumerate(keys) if k in _VARIABLE_HEADERS
                                 and j not in (value_col, label_col)), None)
            start = i + 1
            break
    pairs = 0
    variable = ""
    for row in rows[start:]:
        cells = list(row)
        if value_col is None:  # no header: the first code cell with a text right of it
            found = next(((j, j + 1) for j in range(len(cells) - 1)
                          if _code_text(cells[j]) is not None and isinstance(cells[j + 1], str)
                          and cells[j + 1].strip()), None)
            if found is None:
                continue
            value_at: int | None = found[0]
            label_at: int | None = found[1]
            variable_at: int | None = found[0] - 1 if found[0] else None
        else:
            value_at, label_at, variable_at = value_col, label_col, variable_col
        named = _at(cells, variable_at)
        if variable_at is not None and isinstance(named, str) and named.strip():
            variable = _name_key(named)
        code, label = _code_text(_at(cells, value_at)), _at(cells, label_at)
        if code is None or label is None or not str(label).strip():
            continue
        book.setdefault(variable, {})[code] = clean_text(str(label)).strip()
        pairs += 1
    return book if pairs >= 2 else {}


# --------------------------------------------------------------------------------------------------- spss
def _read_sav(path: Path) -> RawTable:
    try:
        import pyreadstat
    except ModuleNotFoundError:  # pragma: no cover - a dependency of the package
        raise SurveyImportError("no_spss_reader", path=path) from None
    try:  # its size first, from the file's header (a compressed .zsav could hold far more than it weighs)
        _, head = pyreadstat.read_sav(str(path), metadataonly=True)
    except Exception as exc:  # pyreadstat raises its own ReadstatError and others
        raise SurveyImportError("bad_spss", path=path, detail=str(exc)) from None
    check_shape(path, max(0, int(head.number_rows or 0)), int(head.number_columns or 0))
    try:
        frame, meta = pyreadstat.read_sav(str(path), apply_value_formats=False, user_missing=True)
    except Exception as exc:  # pyreadstat raises its own ReadstatError and others
        raise SurveyImportError("bad_spss", path=path, detail=str(exc)) from None
    names = list(frame.columns)
    # The variable names head the grid (row 0); cases are numbered from 1, as SPSS's Data View shows them.
    header = pd.DataFrame([names], dtype=object)
    body = frame.astype(object).where(frame.notna(), None)
    body.columns = pd.RangeIndex(len(names))
    header.columns = pd.RangeIndex(len(names))
    cells = pd.concat([header, body], ignore_index=True)
    _check_cell_lengths(cells, np.arange(0, len(cells)), path)
    labels = {name: label for name, label in zip(meta.column_names, meta.column_labels, strict=False) if label}
    return RawTable(
        cells=cells,
        row_numbers=np.arange(0, len(cells)),
        file_type="sav",
        header_row=0,
        column_labels=labels,
        value_labels={k: dict(v) for k, v in (meta.variable_value_labels or {}).items()},
    )
