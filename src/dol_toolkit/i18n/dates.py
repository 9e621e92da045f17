"""Dates written and read the way the page's language writes them, not the way the browser's locale does.

Chromium shows an ``<input type=date>`` in the browser's own locale (mm/dd/yyyy in an en-US browser) whatever
the page's language, so the apps take dates as text and read them here. What is stored stays ISO
(``2026-06-10``); these functions only show and read.

Danish writes the day first with dots, English (as in Denmark and Britain) the day first with the month's name:

>>> from datetime import date
>>> day = date(2026, 6, 10)
>>> short_date(day, "da"), short_date(day, "en")
('10.06.2026', '10 Jun 2026')
>>> long_date(day, "da"), long_date(day, "en")
('10. juni 2026', '10 June 2026')
>>> weekday_date(day, "da"), weekday_date(day, "en")
('onsdag den 10. juni 2026', 'Wednesday 10 June 2026')

Reading is forgiving about separators, month names (Danish or English, written out or shortened) and an ISO
date; numbers are always read day, month, year (or year first when the year comes first):

>>> [parse_date(text, "da").isoformat() for text in ("10.06.2026", "10.6.2026", "10/6/2026", "10-6-2026",
...                                                   "10. juni 2026", "2026-06-10", "onsdag den 10. juni 2026")]
['2026-06-10', '2026-06-10', '2026-06-10', '2026-06-10', '2026-06-10', '2026-06-10', '2026-06-10']
>>> [parse_date(text, "en").isoformat() for text in ("10 June 2026", "June 10th, 2026", "10 Jun 2026")]
['2026-06-10', '2026-06-10', '2026-06-10']

What cannot be read raises :class:`DateParseError`, a ``ValueError`` whose text says, in the user's language,
what to write instead:

>>> parse_date("31.6.2026", "da")
Traceback (most recent call last):
...
dol_toolkit.i18n.dates.DateParseError: Der er ingen 31. juni 2026: juni 2026 har 30 dage.
>>> try:
...     parse_date("10.13.2026", "en")
... except DateParseError as exc:
...     exc.key, exc.message("en")
('dates.no_such_month', 'There is no month 13. Write the day first, then the month, e.g. 10 June 2026.')
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date

from dol_toolkit.i18n import DolError, Lang

__all__ = [
    "MONTHS",
    "MONTHS_SHORT",
    "WEEKDAYS",
    "DateParseError",
    "iso_or_text",
    "long_date",
    "parse_date",
    "short_date",
    "weekday_date",
]

MONTHS: dict[Lang, tuple[str, ...]] = {
    "da": ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
           "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}
MONTHS_SHORT: dict[Lang, tuple[str, ...]] = {
    "da": ("jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec."),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}
WEEKDAYS: dict[Lang, tuple[str, ...]] = {
    "da": ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
# Between the parts of a date: spaces, dots, slashes, hyphens (and the other dashes) and commas.
_SEPARATORS = " \t.,/-\u2010\u2011\u2012\u2013\u2014\u2212"
_TOKEN = re.compile(r"\d+|[^\W\d_]+")
# Words that may stand in a date without changing it: "den" (onsdag den 10. juni), "the", "of" (the 10th of
# June), and English ordinal endings (10th, 1st, 2nd, 3rd).
_FILLERS = frozenset({"den", "d", "the", "of", "st", "nd", "rd", "th"})
_SHORTEST_MONTH_PREFIX = 3


class DateParseError(DolError, ValueError):
    """Typed text that is not a date. ``key`` (and ``code``) names the message (``dates.*`` in the catalogs) and
    ``values`` fill it; ``str()`` of the error is the message in the language the text was read in.

    >>> error = DateParseError("dates.incomplete", "da")
    >>> error.key, str(error)
    ('dates.incomplete', 'Skriv hele datoen med dag, måned og år, fx 10.06.2026.')
    >>> error.message("en")
    'Write the whole date with day, month and year, e.g. 10 June 2026.'
    """

    def __init__(self, key: str, lang: Lang, **values: object) -> None:
        super().__init__(key, **values)
        self.lang: Lang = lang

    @property
    def key(self) -> str:
        """The message's key in the catalogs (its ``code``), as callers have read it."""
        return self.code

    def __str__(self) -> str:
        return self.message(self.lang)

    def message(self, lang: Lang | None = None) -> str:
        """The message in ``lang`` (by default the language the text was read in)."""
        return super().message(lang or self.lang)

    def filled(self, lang: Lang) -> dict[str, object]:
        """Month and weekday names and dates among the values, written in ``lang``."""
        filled: dict[str, object] = {}
        for name, value in self.values.items():
            if isinstance(value, date):
                filled[name] = long_date(value, lang)
            elif name.endswith("month_name") and isinstance(value, int):
                filled[name] = MONTHS[lang][value - 1]
            elif name.endswith("weekday") and isinstance(value, int):
                filled[name] = WEEKDAYS[lang][value]
            else:
                filled[name] = value
        return filled


def short_date(day: date, lang: Lang) -> str:
    """The date in a field: ``10.06.2026`` (Danish), ``10 Jun 2026`` (English, never mm/dd).

    >>> short_date(date(2027, 3, 1), "da"), short_date(date(2027, 3, 1), "en")
    ('01.03.2027', '1 Mar 2027')
    """
    if lang == "da":
        return f"{day.day:02d}.{day.month:02d}.{day.year:04d}"
    return f"{day.day} {MONTHS_SHORT['en'][day.month - 1]} {day.year:04d}"


def long_date(day: date, lang: Lang) -> str:
    """The date written out: ``27. november 2026`` (Danish), ``27 November 2026`` (English).

    >>> long_date(date(2026, 11, 27), "da"), long_date(date(2026, 11, 27), "en")
    ('27. november 2026', '27 November 2026')
    """
    month = MONTHS[lang][day.month - 1]
    return f"{day.day}. {month} {day.year}" if lang == "da" else f"{day.day} {month} {day.year}"


def weekday_date(day: date, lang: Lang) -> str:
    """The date written out with its weekday, to show which day a typed date was read as.

    >>> weekday_date(date(2027, 3, 1), "da"), weekday_date(date(2027, 3, 1), "en")
    ('mandag den 1. marts 2027', 'Monday 1 March 2027')
    """
    weekday = WEEKDAYS[lang][day.weekday()]
    return f"{weekday} den {long_date(day, lang)}" if lang == "da" else f"{weekday} {long_date(day, lang)}"


def iso_or_text(value: str, lang: Lang) -> str:
    """An ISO date (``YYYY-MM-DD``) written out with :func:`long_date`; anything else as it was.

    >>> iso_or_text("2026-06-10", "da"), iso_or_text(" 2026-06-10 ", "en")
    ('10. juni 2026', '10 June 2026')
    >>> iso_or_text("efter sommerferien", "da"), iso_or_text("2026-02-30", "da"), iso_or_text("", "en")
    ('efter sommerferien', '2026-02-30', '')
    """
    text = value.strip()
    if not _ISO.fullmatch(text):
        return value
    try:
        return long_date(date.fromisoformat(text), lang)
    except ValueError:
        return value


def _fold(word: str) -> str:
    return word.casefold()


def _month_of(word: str) -> int | None:
    """1-12 for a month's name in Danish or English, whole or its first three or more letters."""
    word = _fold(word)
    if len(word) < _SHORTEST_MONTH_PREFIX:
        return None
    for names in MONTHS.values():
        for number, name in enumerate(names, start=1):
            if _fold(name).startswith(word):
                return number
    return None


def _weekday_of(word: str) -> int | None:
    """0-6 (Monday first) for a weekday's whole name in Danish or English."""
    word = _fold(word)
    for names in WEEKDAYS.values():
        for number, name in enumerate(names):
            if _fold(name) == word:
                return number
    return None


def parse_date(text: str, lang: Lang) -> date:
    """The date in ``text`` as a participant types it; :class:`DateParseError` (message in ``lang``) if none.

    Accepted: day, month and year as numbers with dots, slashes, hyphens or spaces between (``10.06.2026``,
    ``10.6.2026``, ``10/6/2026``, ``10-6-2026``); a month's name in Danish or English, whole or shortened
    (``10. juni 2026``, ``10 June 2026``, ``June 10, 2026``, ``10 jun 2026``); ISO (``2026-06-10``); an optional
    weekday in front (``onsdag den 10. juni 2026``), which must then be the date's weekday. Numbers are read
    day first in both languages (``10/6/2026`` is 10 June); the year is written with four digits.

    >>> parse_date(" 1.3.2027 ", "da")
    datetime.date(2027, 3, 1)
    >>> parse_date("10.6.26", "da")
    Traceback (most recent call last):
    ...
    dol_toolkit.i18n.dates.DateParseError: Skriv året med fire cifre, fx 10.06.2026.
    >>> parse_date("next Friday", "en")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    dol_toolkit.i18n.dates.DateParseError: Cannot read “next” as part of a date. Write it like 10 June 2026 ...
    """
    raw = text
    text = unicodedata.normalize("NFKC", text).strip()
    if not text:
        raise DateParseError("dates.empty", lang)
    if any(not (ch.isalnum() or ch in _SEPARATORS) for ch in text):
        raise DateParseError("dates.unreadable", lang, text=raw.strip())
    numbers: list[str] = []
    month_word: int | None = None
    weekday: int | None = None
    for token in _TOKEN.findall(text):
        if token.isdigit():
            numbers.append(token)
            continue
        if _fold(token) in _FILLERS:
            continue
        found_weekday = _weekday_of(token)
        if found_weekday is not None and weekday is None and month_word is None and not numbers:
            weekday = found_weekday
            continue
        found_month = _month_of(token)
        if found_month is None or month_word is not None:
            raise DateParseError("dates.unknown_word", lang, word=token)
        month_word = found_month
    if any(len(n) > 4 for n in numbers):
        raise DateParseError("dates.unreadable", lang, text=raw.strip())
    year, month, day = _parts(numbers, month_word, lang)
    if not 1 <= month <= 12:
        raise DateParseError("dates.no_such_month", lang, month=month)
    if year < 1:
        raise DateParseError("dates.unreadable", lang, text=raw.strip())
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise DateParseError("dates.no_such_day", lang, day=day, month_name=month, year=year, days=days)
    result = date(year, month, day)
    if weekday is not None and weekday != result.weekday():
        raise DateParseError("dates.wrong_weekday", lang, date=result, weekday=result.weekday(),
                             typed_weekday=weekday)
    return result


def _parts(numbers: list[str], month_word: int | None, lang: Lang) -> tuple[int, int, int]:
    """(year, month, day) from the numbers typed and the month's name, if one was typed."""
    if month_word is not None:
        if len(numbers) > 2:
            raise DateParseError("dates.too_many", lang)
        if len(numbers) < 2:
            raise DateParseError("dates.incomplete", lang)
        # The year is the number with four digits (10 June 2026, June 10 2026, 2026 June 10); the other the day.
        at = next((i for i, n in enumerate(numbers) if len(n) == 4), None)
        if at is None:
            raise DateParseError("dates.year_digits", lang)
        return int(numbers[at]), month_word, int(numbers[1 - at])
    if len(numbers) < 3:
        raise DateParseError("dates.incomplete", lang)
    if len(numbers) > 3:
        raise DateParseError("dates.too_many", lang)
    first, second, third = numbers
    if len(first) == 4:  # year first, as in ISO: 2026-06-10, 2026.6.10
        return int(first), int(second), int(third)
    if len(third) != 4:
        raise DateParseError("dates.year_digits", lang)
    return int(third), int(second), int(first)
