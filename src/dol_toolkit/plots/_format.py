"""Number formatting for chart text: Danish with a decimal comma and "12 %", English with "3.4" and "12%".

Negative numbers use the typographic minus sign (U+2212), as matplotlib's own tick labels do, so that a label
and a tick of the same chart look alike.
"""

from __future__ import annotations

import math

from matplotlib.ticker import FuncFormatter

from dol_toolkit.i18n import Lang
from dol_toolkit.i18n import check_lang as check_lang  # the one language check, used by every chart
from dol_toolkit.i18n import format_integer as format_integer  # the one way to write a count

MINUS = "\u2212"
LANGS: tuple[Lang, ...] = ("da", "en")


def _localise(digits: str, lang: Lang) -> str:
    """Swap the separators of a number formatted the Python way (``1,234.5``) for the language's."""
    if lang == "da":
        return digits.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return digits


def format_decimal(value: float, lang: Lang, digits: int = 1) -> str:
    """``3.4`` -> "3,4" (da) / "3.4" (en); negative with a minus sign; thousands grouped ("1.234,5")."""
    if math.isnan(value):
        raise ValueError("cannot format a missing number; leave the label out instead")
    text = f"{abs(value):,.{digits}f}"
    negative = value < 0 and any(ch not in "0.," for ch in text)
    return (MINUS if negative else "") + _localise(text, lang)


def format_signed(value: float, lang: Lang, digits: int = 1) -> str:
    """A change or gap with its sign: "+0,4", or the minus sign; a value that rounds to zero is "0,0"."""
    text = format_decimal(value, lang, digits)
    if value > 0 and any(ch not in "0.," for ch in text):
        return "+" + text
    return text


def format_percent(share: float, lang: Lang, digits: int = 0) -> str:
    """A share (0-1) as a percentage: "12 %" (da, with a space) / "12%" (en)."""
    number = format_decimal(share * 100, lang, digits)
    return f"{number} %" if lang == "da" else f"{number}%"


def format_percent_number(share: float, lang: Lang) -> str:
    """A share (0-1) as a whole percentage without the sign ("12"), for labels inside bar segments whose axis
    already says "%"; it keeps a label narrow enough to sit inside an 8 % segment at 12 pt."""
    return format_decimal(share * 100, lang, 0)


def percent_axis_formatter(lang: Lang) -> FuncFormatter:
    """Tick labels for an axis in percentage points, shown without sign on both sides of a diverging chart."""
    return FuncFormatter(lambda x, _pos: format_percent(abs(x) / 100, lang))


def decimal_axis_formatter(lang: Lang, digits: int = 1, *, signed: bool = False) -> FuncFormatter:
    """Tick labels with the language's decimal separator (optionally with a "+" on positive values)."""
    fmt = format_signed if signed else format_decimal
    return FuncFormatter(lambda x, _pos: fmt(float(x), lang, digits))
