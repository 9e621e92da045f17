"""The workshop configuration: which data, which group of leaders, which language, where notes go, and the
leaders' personal codes.

A configuration is a TOML file (example: ``workshop/eksempel.toml``)::

    [workshop]
    name = "Ledergruppe Teknik og Miljø"   # shown on the pages
    organisation = "Eksempel Kommune"      # the documents' heading block (optional)
    facilitator = "Mette Holm, HR"         # (optional)
    date = 2026-11-27                      # the workshop's day: the documents are dated by it (optional)
    language = "da"                        # da | en (participants can switch)
    min_n = 5                              # fewest employee respondents shown (never below 5)
    theme = "digital_omstilling"           # a shipped theme's id, or a theme file (.toml, relative to this file)

    [anonymity]                            # (optional)
    min_answers_per_item = 4               # hide a leader's item with fewer employee answers on the scale
                                           # (not "Ved ikke"); left out: the programme's rule, off

    [data]
    file = "../data/samples/ledelsesevaluering_digital_omstilling.csv"   # relative to this file
    mapping = ""                           # optional mapping file (see dol validate --write-mapping)

    [group]
    leaders = ["Anne Kofoed", "Bent Thygesen"]

    [notes]
    database = "../var/eksempel-notes.sqlite"

    [room]
    participants = 30                      # pages to have ready when people arrive (dol serve --participants)

    [codes]                                # written by `dol codes`: leader -> scrypt hash of the code
    "Anne Kofoed" = "scrypt$16384$8$1$<salt>$<hash>"

Paths are relative to the configuration file. ``dol codes CONFIG`` makes a short, hard-to-guess personal code for
each leader of the group, stores only its hash in ``[codes]`` (the rest of the file is left as it is) and prints
the codes once for the facilitator to hand out.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, ClassVar

import tomli_w
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import ErrorDetails

from dol_toolkit.errors import DolError
from dol_toolkit.i18n import LANGUAGES, Lang, read_lang, t
from dol_toolkit.notes.base import is_database_url
from dol_toolkit.themes import DEFAULT_THEME, ThemeError, is_theme_path, load_theme

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: easy to read aloud and type
CODE_GROUPS, CODE_GROUP_LEN = 2, 4  # "K7QM-4XPA": 32**8 = 1.1e12 possible codes
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


# One laptop serves one room; a larger room needs more than one server (see the README).
MAX_PARTICIPANTS = 60


class ConfigError(DolError, ValueError):
    """A workshop configuration that cannot be used; the message names the file and the field and says how to
    fix it. ``code`` names the message in the catalogs' ``[config]`` table; ``str()`` is the English text.

    A relative path that does not resolve (``relative=True`` among the values) gets a hint that it is read from
    the configuration file's folder (``base``); a value's type (``expected``, ``actual``) is named as the
    language names it.
    """

    prefix: ClassVar[str] = "config."

    def filled(self, lang: Lang) -> dict[str, Any]:
        values = {"hint": "", **super().filled(lang)}
        if values.pop("relative", False):
            values["hint"] = t("config.relative_hint", lang, base=values["base"])
        if "guesses" in values:  # leaders not in the data, each with the name the data has that is most like it
            values["leaders"] = ", ".join(
                t("config.did_you_mean", lang, name=repr(name), close=repr(close)) if close else repr(name)
                for name, close in values.pop("guesses"))
        for name in ("expected", "actual"):
            if name in values:
                values[name] = _type_word(str(values[name]), lang)
        return values


def _type_word(kind: str, lang: Lang) -> str:
    """A TOML value's type as the message names it ("str" in English, "en tekst" in Danish)."""
    try:
        return t(f"config.type.{kind}", lang)
    except KeyError:
        return kind


@dataclass(frozen=True)
class WorkshopConfig:
    path: Path
    name: str
    language: Lang
    min_n: int
    data_file: Path
    mapping_file: Path | None
    leaders: tuple[str, ...]
    notes_database: Path | str  # a SQLite file, or a PostgreSQL URL (notes shared by several servers)
    codes: dict[str, str] = field(default_factory=dict)
    participants: int | None = None  # [room] participants: how many pages to have ready (None: not said)
    close_personal_after_minutes: int = 10  # [room]: an open personal view idle this long closes itself (0: never)
    organisation: str = ""  # [workshop] organisation: shown in the documents' heading block
    facilitator: str = ""  # [workshop] facilitator
    day: date | None = None  # [workshop] date: the day of the workshop (the documents are dated by it)
    theme: str = DEFAULT_THEME  # [workshop] theme: a shipped theme's id, or the absolute path of a theme file
    min_answers_per_item: int | None = None  # [anonymity]: answers on the scale an item needs (None: off)

    def check_code(self, code: str) -> str | None:
        """The leader whose personal code this is, or None. Compares every hash (no early exit on a match)."""
        found = None
        typed = normalise_code(code)
        if not typed:
            return None
        for leader, stored in self.codes.items():
            if leader not in self.leaders:  # an old code of someone not in this group opens nothing
                continue
            if verify_code(typed, stored) and found is None:
                found = leader
        return found


def normalise_code(code: str) -> str:
    """Codes are typed with or without the dash, in any case, with spaces."""
    return re.sub(r"[^A-Z0-9]", "", str(code).upper())


def new_code() -> str:
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUPS * CODE_GROUP_LEN))
    return "-".join(chars[i : i + CODE_GROUP_LEN] for i in range(0, len(chars), CODE_GROUP_LEN))


def hash_code(code: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(normalise_code(code).encode(), salt=salt, **_SCRYPT)
    b64 = base64.urlsafe_b64encode
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${b64(salt).decode()}${b64(digest).decode()}"


def verify_code(code: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.urlsafe_b64decode(digest)
        actual = hashlib.scrypt(normalise_code(code).encode(), salt=base64.urlsafe_b64decode(salt), n=int(n),
                                r=int(r), p=int(p), dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


# -- the file's shape --------------------------------------------------------------------------------------
class _Section(BaseModel):
    """One table of the file. Strict: a value of the wrong type is named, never converted; keys the toolkit
    does not know are left alone (a facilitator's own notes in the file)."""

    model_config = ConfigDict(extra="ignore", strict=True, frozen=True)


class _Workshop(_Section):
    name: str = "Workshop"
    language: Lang = "da"
    min_n: int = Field(default=5, ge=5)
    organisation: str = ""
    facilitator: str = ""
    theme: str = DEFAULT_THEME
    day: date | None = Field(default=None, alias="date")

    @field_validator("language", mode="before")
    @classmethod
    def _language(cls, value: object) -> object:
        return read_lang(value) or value  # "dansk", "English" ...; anything else is refused below

    @field_validator("organisation", "facilitator", "theme")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()

    @field_validator("day", mode="before")
    @classmethod
    def _date(cls, value: object) -> object:
        """A TOML date (``date = 2026-11-27``) or the same as a string; empty: none."""
        if value == "":
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        return value


class _Anonymity(_Section):
    min_answers_per_item: int | None = Field(default=None, ge=1)


class _Data(_Section):
    file: str
    mapping: str = ""


class _Group(_Section):
    leaders: list[str] = Field(min_length=1)

    @field_validator("leaders")
    @classmethod
    def _names(cls, value: list[str]) -> list[str]:
        if not all(x.strip() for x in value):
            raise ValueError("a leader without a name")
        return [x.strip() for x in value]


class _Notes(_Section):
    database: str | None = None


class _Room(_Section):
    participants: int | None = Field(default=None, ge=1, le=MAX_PARTICIPANTS)
    close_personal_after_minutes: int = Field(default=10, ge=0, le=24 * 60)


class ConfigFile(BaseModel):
    """A workshop configuration file as written: its tables and their values, checked. :func:`load_config`
    turns it into a :class:`WorkshopConfig` (paths resolved, the theme and the files checked)."""

    model_config = ConfigDict(extra="ignore", strict=True, frozen=True)

    workshop: _Workshop = _Workshop()
    anonymity: _Anonymity = _Anonymity()
    data: _Data
    group: _Group
    notes: _Notes = _Notes()
    codes: dict[str, str] = {}
    room: _Room = _Room()


# The message for a field whose every problem is best said one way (else: its type, or that it is missing).
_FIELD_CODES = {
    ("workshop", "language"): "language",
    ("workshop", "date"): "date",
    ("anonymity", "min_answers_per_item"): "min_answers",
    ("group", "leaders"): "no_leaders",
    ("codes",): "codes",
    ("room", "participants"): "participants",
    ("room", "close_personal_after_minutes"): "idle",
}
_TYPE_NAMES = {"string": "str", "int": "int", "list": "list", "dict": "table", "model": "table", "bool": "bool",
               "float": "float", "date": "date"}


def _config_error(path: Path, raw: dict[str, Any], error: ErrorDetails) -> ConfigError:
    """One problem pydantic found, said as the toolkit says it: the file, the key, what is wrong, the fix."""
    loc = tuple(str(part) for part in error["loc"])
    place = next((key for key in _FIELD_CODES if loc[: len(key)] == key), None)
    value = _value_at(raw, loc)
    if place is not None:
        code = _FIELD_CODES[place]
        return ConfigError(code, path=path, value=repr(value), most=MAX_PARTICIPANTS,
                           languages=", ".join(f'"{lang}"' for lang in LANGUAGES))
    if loc == ("workshop", "min_n") and error["type"] == "greater_than_equal":
        return ConfigError("min_n_low", path=path, min_n=value)
    if error["type"] == "missing":
        key = ".".join(loc) if len(loc) > 1 else f"{loc[0]}.file" if loc == ("data",) else f"[{loc[0]}]"
        return ConfigError("missing", path=path, field=key)
    if len(loc) == 1 or error["type"] in ("model_type", "model_attributes_type", "dict_type"):
        return ConfigError("not_table", path=path, section=loc[0])
    expected = _TYPE_NAMES.get(error["type"].removesuffix("_type").removesuffix("_parsing"), error["type"])
    return ConfigError("wrong_type", path=path, field=".".join(loc[:2]), expected=expected,
                       actual=_toml_type(value))


def _value_at(raw: dict[str, Any], loc: tuple[str, ...]) -> object:
    node: object = raw
    for part in loc:
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def _toml_type(value: object) -> str:
    if isinstance(value, datetime):
        return "datetime"
    if isinstance(value, date):
        return "date"
    return "table" if isinstance(value, dict) else type(value).__name__


def load_config(path: str | Path) -> WorkshopConfig:
    """Read and check a workshop configuration; errors (:class:`ConfigError`) name the file and the field."""
    path = Path(path).resolve()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError("not_found", path=path) from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError("not_toml", path=path, detail=str(exc)) from None
    try:
        model = ConfigFile.model_validate({"data": {}, "group": {"leaders": []}, **raw})
    except ValidationError as exc:
        first = exc.errors()[0]
        if first["loc"][:1] not in (("workshop",), ("anonymity",), ("data",)):
            # The data's files are checked before the group and what follows it, as the file reads top down: a
            # configuration whose export is missing says so first.
            data = raw.get("data")
            if isinstance(data, dict) and isinstance(data.get("file"), str):
                mapping = data.get("mapping", "")
                _data_files(path, data["file"], mapping if isinstance(mapping, str) else "")
        raise _config_error(path, raw, first) from None
    ws = model.workshop
    data_file, mapping_file = _data_files(path, model.data.file, model.data.mapping)
    notes_text = model.notes.database if model.notes.database is not None else f"{path.stem}-notes.sqlite"
    notes: Path | str = notes_text if is_database_url(notes_text) else path.parent / notes_text
    return WorkshopConfig(path=path, name=ws.name, theme=_theme(ws.theme, path), language=ws.language,
                          min_n=ws.min_n, data_file=data_file, mapping_file=mapping_file,
                          leaders=tuple(model.group.leaders), notes_database=notes, codes=dict(model.codes),
                          participants=model.room.participants,
                          close_personal_after_minutes=model.room.close_personal_after_minutes,
                          organisation=ws.organisation, facilitator=ws.facilitator, day=ws.day,
                          min_answers_per_item=model.anonymity.min_answers_per_item)


def _data_files(path: Path, file: str, mapping: str) -> tuple[Path, Path | None]:
    """``data.file`` and ``data.mapping`` (relative to the configuration's folder), or :class:`ConfigError` for the
    first one that does not exist."""
    base = path.parent
    data_file = base / file
    if not data_file.is_file():
        raise ConfigError("data_missing", path=path, setting="data.file", file=data_file, base=base,
                          relative=not Path(file).is_absolute())
    mapping_file = base / mapping if mapping else None
    if mapping_file is not None and not mapping_file.is_file():
        raise ConfigError("data_missing", path=path, setting="data.mapping", file=mapping_file, base=base,
                          relative=not Path(mapping).is_absolute())
    return data_file, mapping_file


def _theme(text: str, path: Path) -> str:
    """``workshop.theme``: a shipped theme's id, or a theme file's path (relative to the configuration file);
    the theme is read and checked here, so that a broken theme stops the start with its file and field."""
    spec = str((path.parent / text).resolve()) if is_theme_path(text) else text
    if is_theme_path(spec) and not Path(spec).is_file():
        raise ConfigError("theme_missing", path=path, theme=spec, base=path.parent)
    try:
        load_theme(spec)
    except ThemeError as exc:
        raise ConfigError("theme", path=path, error=exc) from None
    return spec


def stale_codes(config: WorkshopConfig) -> list[str]:
    """Leaders with a code hash in ``[codes]`` who are not in the group (a copied configuration's old codes)."""
    return [leader for leader in config.codes if leader not in config.leaders]


def write_codes(path: str | Path, leaders: list[str] | None = None) -> dict[str, str]:
    """Make new codes for the group's leaders (or ``leaders`` of the group), store their hashes in the file's
    ``[codes]`` table and return {leader: code}. The codes of the group's other leaders are kept; the hashes of
    anyone not in the group are removed (see :func:`stale_codes`), so that a copied configuration's codes open
    nothing."""
    config = load_config(path)
    chosen = leaders or list(config.leaders)
    unknown = [x for x in chosen if x not in config.leaders]
    if unknown:
        raise ConfigError("not_in_group", path=config.path, leaders=", ".join(unknown))
    plain = {leader: new_code() for leader in chosen}
    kept = {leader: stored for leader, stored in config.codes.items() if leader in config.leaders}
    hashes = {**kept, **{leader: hash_code(code) for leader, code in plain.items()}}
    text = config.path.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^# Personal codes, hashed.*\n", "", text)
    text = re.sub(r"(?ms)^\[codes\][^\[]*", "", text).rstrip() + "\n\n"
    text += "# Personal codes, hashed (scrypt). Made by `dol codes`; the codes themselves are not stored.\n"
    text += tomli_w.dumps({"codes": hashes})
    config.path.write_text(text, encoding="utf-8")
    return plain


def workshop_id(config: WorkshopConfig) -> str:
    """The name notes are filed under: the workshop's name (one notes database serves one workshop)."""
    return config.name
