"""Submission times as survey systems write them, read with one format for the whole column.

A column's format is decided once: the format (year first, day first, month first; with or without a time,
seconds, AM/PM) that reads every value. Danish exports write dotted times ("05.03.2024 09.30"), "kl." and month
names ("12. marts 2024"); Excel holds serial numbers or date cells (read as ISO text). When both day-first and
month-first read every value (no day above 12), the column is *ambiguous*: both readings are returned, and the
caller decides whether the difference matters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

_MONTHS = {
    "januar": 1, "january": 1, "jan": 1, "februar": 2, "february": 2, "feb": 2, "marts": 3, "march": 3, "mar": 3,
    "april": 4, "apr": 4, "maj": 5, "may": 5, "juni": 6, "june": 6, "jun": 6, "juli": 7, "july": 7, "jul": 7,
    "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "october": 10, "okt": 10,
    "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_MONTH_NAME = re.compile(r"^(\d{1,2})\.?\s+([a-zæøå]+)\.?,?\s+(\d{4})", re.IGNORECASE)
_KL = re.compile(r"\s+kl\.?\s+", re.IGNORECASE)
_DOTTED_TIME = re.compile(r"(\s)(\d{1,2})\.(\d{2})(?:\.(\d{2}))?$")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$")
_SERIAL = re.compile(r"^\d{5}([.,]\d+)?$")

_DATES = {
    "ymd": ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d"),
    "dmy": ("%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%y", "%d.%m.%y", "%d/%m/%y"),
    "mdy": ("%m/%d/%Y", "%m/%d/%y"),
}
_TIMES = ("", " %H:%M", " %H:%M:%S", " %I:%M %p", " %I:%M:%S %p", " %I %p")
_SAMPLE = 40


@dataclass
class TimeReading:
    """A column of times read: seconds since 1970 per value (NaN: unreadable or blank), the format used, and
    for an ambiguous column the other reading (month first instead of day first)."""

    seconds: np.ndarray
    format: str | None = None
    other: np.ndarray | None = None  # the month-first reading of an ambiguous column
    unreadable: list[str] = field(default_factory=list)  # values no format of the column reads


def _prepare(text: str) -> str:
    """Danish spellings made plain: "kl." dropped, a dotted time written with a colon, a month name as a
    number ("12. marts 2024 14:05" -> "12.03.2024 14:05")."""
    text = " ".join(text.split())
    text = _KL.sub(" ", text)
    named = _MONTH_NAME.match(text)
    if named and named.group(2).casefold() in _MONTHS:
        month = _MONTHS[named.group(2).casefold()]
        text = f"{named.group(1)}.{month:02d}.{named.group(3)}{text[named.end():]}"
    return _DOTTED_TIME.sub(lambda m: f"{m.group(1)}{m.group(2)}:{m.group(3)}" + (f":{m.group(4)}" if m.group(4)
                                                                                 else ""), text)


def _seconds(stamps: pd.Series | pd.DatetimeIndex) -> np.ndarray:
    index = pd.DatetimeIndex(stamps)
    if index.tz is not None:
        index = index.tz_convert("UTC").tz_localize(None)
    out = np.full(len(index), np.nan)
    ok = np.asarray(index.notna(), dtype=bool)
    out[ok] = index[ok].as_unit("s").asi8.astype(float)
    return out


def _with_format(values: list[str], fmt: str) -> np.ndarray:
    return _seconds(pd.to_datetime(pd.Series(values, dtype=object), format=fmt, errors="coerce"))


def read_times(values: list[str]) -> TimeReading:
    """Read distinct non-blank texts of a time column (see the module's documentation)."""
    if not values:
        return TimeReading(np.array([], dtype=float))
    prepared = [_prepare(v) for v in values]
    if all(_SERIAL.match(v) for v in prepared):  # Excel serial days since 1899-12-30
        days = np.array([float(v.replace(",", ".")) for v in prepared])
        if ((days > 20000) & (days < 80000)).all():
            return TimeReading(_seconds(pd.to_datetime(days, unit="D", origin="1899-12-30")), "excel")
    if all(_ISO.match(v) for v in prepared):
        seconds = _seconds(pd.to_datetime(pd.Series(prepared, dtype=object), format="ISO8601", utc=True,
                                          errors="coerce"))
        return TimeReading(seconds, "ISO 8601", unreadable=[v for v, s in zip(values, seconds, strict=True)
                                                             if s != s])
    # One date format for the whole column (with or without a time of day, which may vary from value to value):
    # the formats that read some of a sample, then the whole column; the one that reads most values wins.
    sample = prepared[:_SAMPLE]
    best: dict[str, tuple[int, str, np.ndarray]] = {}
    for order, dates in _DATES.items():
        for date in dates:
            seconds = np.full(len(prepared), np.nan)
            for time in _TIMES:
                if np.isnan(_with_format(sample, date + time)).all():
                    continue
                seconds = np.where(np.isnan(seconds), _with_format(prepared, date + time), seconds)
            read = int((~np.isnan(seconds)).sum())
            if read > best.get(order, (0, "", seconds))[0]:
                best[order] = (read, date, seconds)
    if not best:
        return TimeReading(np.full(len(values), np.nan), None, unreadable=list(values))
    read, fmt, seconds = max(best.values(), key=lambda b: b[0])
    other = None
    if fmt.startswith("%d") and best.get("mdy", (0,))[0] == read:  # no day above 12: day or month first?
        other = best["mdy"][2]
    elif fmt.startswith("%m") and best.get("dmy", (0,))[0] == read:
        seconds, other, fmt = best["dmy"][2], seconds, best["dmy"][1]
    return TimeReading(seconds, fmt, other,
                       unreadable=[v for v, s in zip(values, seconds, strict=True) if s != s])
