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
from typing import Any, ClassVar, Literal

__all__ = ["DEFAULT_LANG", "LANGUAGES", "LANGUAGE_NAMES", "DolError", "Lang", "UnknownLanguage", "as_lang", "catalog",
           "check_lang", "format_integer", "number_word", "quoted_list", "read_lang", "t"]

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


def t(key: str, lang: Lang = DEFAULT_LANG, /, **values: object) -> str:
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


# What a setting or a visit may call a language (lower case), by the language's code.
_LANGUAGE_WORDS: dict[str, Lang] = {"da": "da", "dan": "da", "dansk": "da", "danish": "da",
                                    "en": "en", "eng": "en", "english": "en", "engelsk": "en"}


def read_lang(value: object) -> Lang | None:
    """A language setting ("da", "EN", "dansk", "English" ...) as its code; None for anything else.

    >>> read_lang("Engelsk"), read_lang(" da "), read_lang("fr")
    ('en', 'da', None)
    """
    return _LANGUAGE_WORDS.get(str(value or "").strip().lower())


def as_lang(value: object) -> Lang:
    """Normalise a language setting ("da", "EN", "dansk" ...) or fall back to Danish (a visit's ``?lang=``)."""
    return read_lang(value) or DEFAULT_LANG


def check_lang(lang: object) -> Lang:
    """``lang`` exactly as a language code ("da" or "en"), or :class:`UnknownLanguage` (a ``ValueError``) that
    names the choices: for a function's ``lang=`` argument, where a wrong value is a mistake to be told of.

    >>> check_lang("en")
    'en'
    """
    if lang in LANGUAGES:
        return lang
    raise UnknownLanguage("language.unknown", lang=repr(lang))


def format_integer(value: float, lang: Lang) -> str:
    """A whole number as the language writes it: "1.234" (da) / "1,234" (en); rounded; negative with the
    typographic minus sign (U+2212), as the charts write it.

    >>> format_integer(100000, "da"), format_integer(2530, "en"), format_integer(-3, "da")
    ('100.000', '2,530', '−3')
    """
    if value != value:  # NaN
        raise ValueError("cannot format a missing number; leave the label out instead")
    number = round(value)
    text = f"{abs(number):,}"
    return ("\u2212" if number < 0 else "") + (text.replace(",", ".") if lang == "da" else text)


class DolError(Exception):
    """The toolkit's errors: what went wrong, said in Danish or English.

    ``code`` names the message in the catalogs (under the class's table ``prefix``: :attr:`catalog_key` is the whole
    catalog key) and ``values`` fill its ``{fields}``; :meth:`message` gives the text in a language, for a page.
    ``str()`` of the error is the text in :attr:`log_lang` (English unless a class says otherwise), for logs and
    the command line. A value that is itself a :class:`DolError` is written in the message's language.

    >>> error = UnknownLanguage("language.unknown", lang="'fr'")
    >>> error.catalog_key, error.message("da")
    ('language.unknown', "ukendt sprog 'fr': brug lang='da' (dansk) eller lang='en' (engelsk)")
    """

    prefix: ClassVar[str] = ""  # the catalog table of the class's codes, with its dot ("prep.")
    log_lang: ClassVar[Lang] = "en"  # the language of str()

    def __init__(self, code: str, /, **values: Any) -> None:
        self.code = code
        self.values: dict[str, Any] = values
        super().__init__(code)

    @property
    def catalog_key(self) -> str:
        """The message's key in the catalogs."""
        return self.prefix + self.code

    def message(self, lang: Lang = DEFAULT_LANG) -> str:
        """The message in ``lang``."""
        return t(self.catalog_key, lang, **self.filled(lang))

    def filled(self, lang: Lang) -> dict[str, Any]:
        """The values as the message in ``lang`` shows them (a class may write some its own way)."""
        return {name: value.message(lang) if isinstance(value, DolError) else value
                for name, value in self.values.items()}

    def __str__(self) -> str:
        return self.message(self.log_lang)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled with its attributes, whatever the class's constructor takes."""
        return _restore, (type(self), self.args, self.__dict__)


def _restore(cls: type[DolError], args: tuple[Any, ...], state: dict[str, Any]) -> DolError:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class UnknownLanguage(DolError, ValueError):
    """A language argument that is not a language code of the toolkit (:func:`check_lang`)."""


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
