"""CSV files a spreadsheet opens without running anything in them: every CSV the toolkit writes goes through
:func:`write_csv`.

A cell that begins with ``=``, ``+``, ``-`` or ``@`` (or with a tab or a line break), also after leading spaces,
is a formula to Excel, LibreOffice and Google Sheets: ``=HYPERLINK(...)`` sends data away on a click,
``+cmd|' /C calc'!A0`` starts a program (DDE). Such cells are written with a leading apostrophe, as OWASP's rule
for CSV injection says, so that the spreadsheet shows them as text. A plain number stays a number (``-3``,
``+4,5``, ``1e-3``); cells that are not text are written as they are.

>>> neutralise("=HYPERLINK(\\"http://x\\", \\"klik\\")")
'\\'=HYPERLINK("http://x", "klik")'
>>> neutralise("  @SUM(A1)"), neutralise("\\t=1+1"), neutralise("-2"), neutralise("-2,5"), neutralise("Helt enig")
("'  @SUM(A1)", "'\\t=1+1", '-2', '-2,5', 'Helt enig')
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

# What a spreadsheet reads as the start of a formula (OWASP: = + - @, tab, carriage return; a line feed too)
FORMULA_START = frozenset("=+-@\t\r\n")
# Spaces a spreadsheet skips before it looks for a formula
_LEADING = " \u00a0\u2007\u202f\u3000"
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")


def neutralise(value: Any) -> Any:
    """``value`` as a spreadsheet shows it as text: an apostrophe before a text that would start a formula."""
    if not isinstance(value, str):
        return value
    head = value.lstrip(_LEADING)
    if not head or head[0] not in FORMULA_START:
        return value
    if _NUMBER.fullmatch(value.strip(_LEADING)):
        return value
    return "'" + value


def write_csv(frame: pd.DataFrame, path: str | Path, **options: Any) -> None:
    """``frame.to_csv(path, index=False, **options)`` with every text cell (and column name) neutralised. Lines
    end in CR LF unless ``lineterminator`` says otherwise: the writer quotes a cell only for the line break
    characters of its line ending, and a bare CR in a cell left unquoted would start a new row in a spreadsheet."""
    safe = frame.map(neutralise)
    safe.columns = [neutralise(c) for c in frame.columns]
    safe.to_csv(path, index=False, **{"lineterminator": "\r\n", **options})
