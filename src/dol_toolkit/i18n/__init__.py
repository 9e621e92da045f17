"""User-interface text in Danish (the default) and English.

Catalogs are TOML files beside this module, one per language, with the same keys. Theme content (items,
questions, cases) lives in the theme files, not here.

A message that depends on a number has plural forms, a table with ``one`` and ``other`` (and, where a language
says it differently, ``zero``); :func:`t` picks the form by the ``count`` it is given::

    [results.left_out]
    one = "1 leder har færre end {min_n} medarbejdersvar; lederens medarbejderes svar indgår ikke."
    other = "{count} ledere har færre end {min_n} medarbejdersvar; deres medarbejderes svar indgår ikke."

>>> t("doc.leaders", "da", count=1), t("doc.leaders", "da", count=3)
('1 leder', '3 ledere')
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Literal

__all__ = ["DEFAULT_LANG", "LANGUAGES", "LANGUAGE_NAMES", "Lang", "as_lang", "catalog", "number_word", "quoted_list",
           "t"]

Lang = Literal["da", "en"]
LANGUAGES: tuple[Lang, ...] = ("da", "en")
DEFAULT_LANG: Lang = "da"
LANGUAGE_NAMES: dict[Lang, str] = {"da": "Dansk", "en": "English"}


def _flatten(table: dict[str, object], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, f"{name}."))
        else:
            out[name] = str(value)
    return out


@cache
def catalog(lang: Lang) -> dict[str, str]:
    """All messages of one language, keyed by dotted name ("landing.items_heading")."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")
    path = Path(__file__).with_name(f"{lang}.toml")
    return _flatten(tomllib.loads(path.read_text(encoding="utf-8")))


def t(key: str, lang: Lang = DEFAULT_LANG, **values: object) -> str:
    """The message ``key`` in ``lang``, with ``{name}`` fields filled from ``values``."""
    messages = catalog(lang)
    message = messages.get(key)
    if message is None:
        message = _plural(messages, key, lang, values)
    return message.format(**values) if values else message


def _plural(messages: dict[str, str], key: str, lang: Lang, values: dict[str, object]) -> str:
    """The plural form of ``key`` for ``values["count"]``: ``zero`` (if the catalog has one) for 0, ``one`` for
    1, ``other`` for the rest."""
    if f"{key}.other" not in messages:
        raise KeyError(f"no message {key!r} in the {lang!r} catalog")
    count = values.get("count")
    if not isinstance(count, int | float):
        raise KeyError(f"the message {key!r} has plural forms: give it count=<number>")
    if count == 0 and f"{key}.zero" in messages:
        return messages[f"{key}.zero"]
    if count == 1 and f"{key}.one" in messages:
        return messages[f"{key}.one"]
    return messages[f"{key}.other"]


def as_lang(value: object) -> Lang:
    """Normalise a language setting ("da", "EN", "dansk" ...) or fall back to Danish."""
    text = str(value or "").strip().lower()
    if text in ("en", "eng", "english", "engelsk"):
        return "en"
    return "da"


def number_word(number: int, lang: Lang) -> str:
    """A count as a word, as a sentence writes it ("fem", "seven"); digits above twelve.

    >>> number_word(5, "da"), number_word(7, "en"), number_word(14, "da")
    ('fem', 'seven', '14')
    """
    words = [w.strip() for w in catalog(lang)["number.words"].split(",")]
    return words[number] if 0 <= number < len(words) else str(number)


def quoted_list(texts: list[str] | tuple[str, ...], lang: Lang) -> str:
    """Texts quoted as the language quotes them, joined with "og" / "and": »Ved ikke« og »Ønsker ikke at
    oplyse«; “Don't know” and “Prefer not to say”.

    >>> quoted_list(["Ved ikke", "Ønsker ikke at oplyse"], "da")
    '»Ved ikke« og »Ønsker ikke at oplyse«'
    """
    quoted = [f"»{x}«" if lang == "da" else f"\u201c{x}\u201d" for x in texts]
    if len(quoted) <= 1:
        return "".join(quoted)
    return f"{', '.join(quoted[:-1])} {catalog(lang)['number.and']} {quoted[-1]}"
