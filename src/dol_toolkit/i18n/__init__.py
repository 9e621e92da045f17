"""User-interface text in Danish (the default) and English.

Catalogs are TOML files beside this module, one per language, with the same keys. Theme content (items,
questions, cases) lives in the theme files, not here.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Literal

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
    try:
        message = catalog(lang)[key]
    except KeyError:
        raise KeyError(f"no message {key!r} in the {lang!r} catalog") from None
    return message.format(**values) if values else message


def as_lang(value: object) -> Lang:
    """Normalise a language setting ("da", "EN", "dansk" ...) or fall back to Danish."""
    text = str(value or "").strip().lower()
    if text in ("en", "eng", "english", "engelsk"):
        return "en"
    return "da"
