"""The order of survey rounds.

Rounds are ordered by the year they begin: "2024" and "2024-2025" before "2026" (a label such as "2024-2025" is
no number, and sorted as text it would come after "2026", turning the change between rounds around). Within a
year, seasons and quarters come in calendar order ("Forår 2025" before "Efterår 2025"); labels without a year
in the order of their first number ("Runde 2" before "Runde 10"); other labels last, alphabetically. A mapping's
``[rounds] order`` overrides all of this, and the import report says which order was used.

The importer stores the round as an ordered categorical in this order; :func:`waves_of` reads it back from there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import pandas as pd

_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
# Parts of a year, in calendar order (Danish and English).
_PARTS = {
    "vinter": 0, "winter": 0, "q1": 1, "1. kvartal": 1, "forår": 2, "foraar": 2, "spring": 2, "h1": 2,
    "1. halvår": 2, "q2": 3, "2. kvartal": 3, "sommer": 4, "summer": 4, "q3": 5, "3. kvartal": 5,
    "efterår": 6, "efteraar": 6, "autumn": 6, "fall": 6, "h2": 6, "2. halvår": 6, "q4": 7, "4. kvartal": 7,
}


def wave_key(wave: object) -> tuple[int, float, int, str]:
    """Sort key for one round: (kind, year or number, part of the year, text)."""
    text = str(wave).strip()
    try:
        return (0, float(text.replace(",", ".")), 0, text)
    except ValueError:
        pass
    lower = text.casefold()
    part = min((rank for name, rank in _PARTS.items() if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", lower)),
               default=-1) + 1
    year = _YEAR.search(text)
    if year:
        return (0, float(year.group()), part, text)
    number = _NUMBER.search(text)
    if number:
        return (0, float(number.group().replace(",", ".")), part, text)
    return (1, 0.0, part, text)


def order_waves(waves: Iterable[object], explicit: Sequence[str] = ()) -> tuple[list[str], str]:
    """Distinct rounds as text, earliest first, and how the order was found: "mapping" (the mapping's
    ``[rounds] order``, rounds it does not name after it) or "year" (by the year they begin)."""
    present = {str(w) for w in waves if w is not None and not (isinstance(w, float) and w != w) and str(w) != ""}
    if explicit:
        named = [w for w in dict.fromkeys(str(x) for x in explicit) if w in present]
        rest = sorted(present - set(named), key=wave_key)
        return [*named, *rest], "mapping"
    return sorted(present, key=wave_key), "year"


def sorted_waves(waves: Iterable[object]) -> list[str]:
    """Distinct rounds as text, earliest first (missing values left out)."""
    return order_waves(waves)[0]


def waves_of(responses: pd.DataFrame) -> list[str]:
    """The rounds in a tidy responses table, earliest first: in the order the import stored (an ordered
    categorical), else by the year they begin."""
    column = responses["wave"]
    if isinstance(column.dtype, pd.CategoricalDtype) and column.cat.ordered:
        present = set(column.dropna().astype(str))
        return [str(w) for w in column.cat.categories if str(w) in present]
    return sorted_waves(column.dropna().astype(object))
