"""Read an export file into a raw grid of cells, keeping the row numbers a spreadsheet shows.

Formats are recognised by content, not by the file name: Excel workbooks (.xlsx/.xlsm, a zip), SPSS data files
(.sav/.zsav), and delimited text (``,`` ``;`` or tab) in UTF-8, UTF-8 with BOM, UTF-16 with BOM (Excel's
"Unicode text") or Windows-1252. Nothing is interpreted here: cells stay text (or the values a workbook holds);
finding the header and recognising columns is the importer's work.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dol_toolkit.survey.errors import SurveyImportError

DELIMITERS = (";", ",", "\t")
_SNIFF_ROWS = 60


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

    def codebook_for(self, column: str, shared: bool = True) -> dict[str, str]:
        """The codes of ``column`` and their labels: its own, else (``shared``) the code book's codes for every
        answer column."""
        if not self.codebook:
            return {}
        return self.codebook.get(_name_key(column)) or (self.codebook.get("", {}) if shared else {})


def read_raw(path: str | Path, sheet: str | None = None) -> RawTable:
    """Read ``path`` into a :class:`RawTable`; structural problems raise :class:`SurveyImportError`."""
    path = Path(path)
    if not path.exists():
        raise SurveyImportError("file_not_found", path=path)
    if path.is_dir():
        raise SurveyImportError("is_directory", path=path)
    with path.open("rb") as fh:
        head = fh.read(8)
    if not head:
        raise SurveyImportError("empty_file", path=path)
    if head.startswith(b"PK\x03\x04"):
        return _read_xlsx(path, sheet)
    if head.startswith((b"$FL2", b"$FL3")):
        return _read_sav(path)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise SurveyImportError("old_excel", path=path)
    if head.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf")):
        raise SurveyImportError("wrong_type", path=path)
    return _read_text(path)


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
    data = path.read_bytes()
    text, encoding = _decode(data, path)
    if not text.strip():
        raise SurveyImportError("empty_file", path=path)
    delimiter = sniff_delimiter(text)
    if delimiter is None:
        raise SurveyImportError("not_a_table", path=path)
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
    except pd.errors.ParserError:
        # Rows with more fields than the first: read them with the csv module and pad.
        cells = _read_ragged(_decode(data, path)[0], delimiter)
    except pd.errors.EmptyDataError:
        raise SurveyImportError("empty_file", path=path) from None
    cells.columns = pd.RangeIndex(len(cells.columns))
    return RawTable(
        cells=cells,
        row_numbers=np.arange(1, len(cells) + 1),
        file_type="csv",
        encoding=encoding,
        delimiter=delimiter,
    )


def _read_ragged(text: str, delimiter: str) -> pd.DataFrame:
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    width = max((len(r) for r in rows), default=0)
    return pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=str)


# -------------------------------------------------------------------------------------------------- excel
def _read_xlsx(path: Path, sheet: str | None) -> RawTable:
    """Read a workbook by its content, whatever the file is called (openpyxl judges a file name's extension, so
    it gets the bytes). Any failure of a damaged or foreign zip becomes one clear error."""
    try:
        rows, numbers, title, book, sheets = _xlsx_rows(path, sheet)
    except SurveyImportError:
        raise
    except Exception as exc:  # openpyxl raises zip, XML, key and its own errors for damaged files
        detail = f"{type(exc).__name__}: {exc}".strip().rstrip(":")
        raise SurveyImportError("bad_workbook", path=path, detail=detail[:200]) from None
    if not rows:
        raise SurveyImportError("empty_file", path=path)
    width = max(len(r) for r in rows)
    cells = pd.DataFrame([list(r) + [None] * (width - len(r)) for r in rows], dtype=object)
    table = RawTable(cells=cells, row_numbers=np.array(numbers), file_type="xlsx", sheet=title, sheets=sheets)
    if book is not None:
        table.codebook, table.codebook_source = book[1], f"{path.name}: '{book[0]}'"
    return table


def _xlsx_rows(path: Path, sheet: str | None
               ) -> tuple[list[tuple[Any, ...]], list[int], str, tuple[str, dict[str, dict[str, str]]] | None,
                          list[str]]:
    import openpyxl

    with path.open("rb") as fh:
        wb = openpyxl.load_workbook(io.BytesIO(fh.read()), read_only=True, data_only=True)
    try:
        if sheet is not None:
            if sheet not in wb.sheetnames:
                raise SurveyImportError("no_sheet", path=path, sheet=sheet, sheets=", ".join(wb.sheetnames))
            ws = wb[sheet]
        else:
            ws = wb.worksheets[0]
        rows: list[tuple[Any, ...]] = []
        numbers: list[int] = []
        for row in ws.iter_rows():
            values = tuple(c.value for c in row)
            number = next((c.row for c in row if getattr(c, "row", None)), None)
            if number is None:  # a row of empty cells: it follows the previous row
                number = (numbers[-1] + 1) if numbers else 1
            rows.append(values)
            numbers.append(number)
        found = None
        for other in wb.worksheets:  # the first sheet of answer codes and their labels beside the data
            if other.title != ws.title:
                book = codebook_from_rows(list(other.iter_rows(max_row=2000, values_only=True)))
                if book:
                    found = (str(other.title), book)
                    break
        return rows, numbers, str(ws.title), found, [str(name) for name in wb.sheetnames]
    finally:
        wb.close()


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
        book.setdefault(variable, {})[code] = str(label).strip()
        pairs += 1
    return book if pairs >= 2 else {}


# --------------------------------------------------------------------------------------------------- spss
def _read_sav(path: Path) -> RawTable:
    try:
        import pyreadstat
    except ModuleNotFoundError:  # pragma: no cover - a dependency of the package
        raise SurveyImportError("no_spss_reader", path=path) from None
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
    labels = {name: label for name, label in zip(meta.column_names, meta.column_labels, strict=False) if label}
    return RawTable(
        cells=cells,
        row_numbers=np.arange(0, len(cells)),
        file_type="sav",
        header_row=0,
        column_labels=labels,
        value_labels={k: dict(v) for k, v in (meta.variable_value_labels or {}).items()},
    )
