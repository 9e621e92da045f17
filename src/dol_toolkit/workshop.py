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

import tomli_w

from dol_toolkit.i18n import Lang, as_lang
from dol_toolkit.notes.store import is_database_url
from dol_toolkit.themes import DEFAULT_THEME, ThemeError, is_theme_path, load_theme

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: easy to read aloud and type
CODE_GROUPS, CODE_GROUP_LEN = 2, 4  # "K7QM-4XPA": 32**8 = 1.1e12 possible codes
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


# One laptop serves one room; a larger room needs more than one server (see the README).
MAX_PARTICIPANTS = 60


class ConfigError(ValueError):
    """A workshop configuration that cannot be used; the message names the file and the field."""


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


def _get(raw: dict[str, object], path: Path, section: str, key: str, kind: type, default: object = None) -> object:
    table = raw.get(section, {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [{section}] must be a table")
    value = table.get(key, default)
    if value is None:
        raise ConfigError(f"{path}: {section}.{key} is missing")
    if not isinstance(value, kind):
        raise ConfigError(f"{path}: {section}.{key} must be a {kind.__name__}, not {type(value).__name__}")
    return value


def load_config(path: str | Path) -> WorkshopConfig:
    """Read and check a workshop configuration; errors name the file and the field."""
    path = Path(path).resolve()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: configuration file not found") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    base = path.parent
    name = str(_get(raw, path, "workshop", "name", str, "Workshop"))
    language = as_lang(_get(raw, path, "workshop", "language", str, "da"))
    min_n = _get(raw, path, "workshop", "min_n", int, 5)
    assert isinstance(min_n, int)
    if min_n < 5:
        raise ConfigError(f"{path}: workshop.min_n is {min_n}; the workshop never shows fewer than 5 answers")
    min_answers = _get(raw, path, "anonymity", "min_answers_per_item", int, 0)
    if isinstance(min_answers, bool) or not isinstance(min_answers, int) or min_answers < 0 \
            or ("min_answers_per_item" in _table(raw, "anonymity") and min_answers < 1):
        raise ConfigError(f"{path}: anonymity.min_answers_per_item must be a whole number of at least 1 (leave it "
                          "out for the programme's rule: no limit per item)")
    data_file = base / str(_get(raw, path, "data", "file", str))
    if not data_file.is_file():
        raise ConfigError(f"{path}: data.file {data_file} does not exist" + _relative_hint(raw, "file", base))
    mapping = str(_get(raw, path, "data", "mapping", str, ""))
    mapping_file = base / mapping if mapping else None
    if mapping_file is not None and not mapping_file.is_file():
        raise ConfigError(f"{path}: data.mapping {mapping_file} does not exist"
                          + _relative_hint(raw, "mapping", base))
    leaders = _get(raw, path, "group", "leaders", list, [])
    assert isinstance(leaders, list)
    if not leaders or not all(isinstance(x, str) and x.strip() for x in leaders):
        raise ConfigError(f"{path}: group.leaders must list the group's leaders (their ids in the data)")
    notes_text = str(_get(raw, path, "notes", "database", str, f"{path.stem}-notes.sqlite"))
    notes: Path | str = notes_text if is_database_url(notes_text) else base / notes_text
    codes = raw.get("codes", {})
    if not isinstance(codes, dict) or not all(isinstance(v, str) for v in codes.values()):
        raise ConfigError(f"{path}: [codes] must map leaders to code hashes (write it with `dol codes`)")
    participants = _get(raw, path, "room", "participants", int, -1)
    assert isinstance(participants, int)
    if participants != -1 and (isinstance(participants, bool) or not 1 <= participants <= MAX_PARTICIPANTS):
        raise ConfigError(f"{path}: room.participants must be a whole number from 1 to {MAX_PARTICIPANTS}")
    idle = _get(raw, path, "room", "close_personal_after_minutes", int, 10)
    if isinstance(idle, bool) or not isinstance(idle, int) or not 0 <= idle <= 24 * 60:
        raise ConfigError(f"{path}: room.close_personal_after_minutes must be a whole number of minutes from 0 "
                          "(never) to 1440")
    organisation = str(_get(raw, path, "workshop", "organisation", str, "")).strip()
    facilitator = str(_get(raw, path, "workshop", "facilitator", str, "")).strip()
    return WorkshopConfig(path=path, name=name, theme=_theme(raw, path), language=language, min_n=min_n,
                          data_file=data_file,
                          mapping_file=mapping_file, leaders=tuple(x.strip() for x in leaders),
                          notes_database=notes, codes=dict(codes),
                          participants=None if participants == -1 else participants,
                          close_personal_after_minutes=idle, organisation=organisation,
                          facilitator=facilitator, day=_workshop_day(raw, path),
                          min_answers_per_item=min_answers or None)


def _table(raw: dict[str, object], section: str) -> dict[str, object]:
    table = raw.get(section, {})
    return table if isinstance(table, dict) else {}


def _theme(raw: dict[str, object], path: Path) -> str:
    """``workshop.theme``: a shipped theme's id, or a theme file's path (relative to the configuration file);
    the theme is read and checked here, so that a broken theme stops the start with its file and field."""
    text = str(_get(raw, path, "workshop", "theme", str, DEFAULT_THEME)).strip()
    spec = str((path.parent / text).resolve()) if is_theme_path(text) else text
    if is_theme_path(spec) and not Path(spec).is_file():
        raise ConfigError(f"{path}: workshop.theme {spec} does not exist (a relative path is read from the "
                          f"configuration file's folder, {path.parent})")
    try:
        load_theme(spec)
    except ThemeError as exc:
        raise ConfigError(f"{path}: workshop.theme: {exc}") from None
    return spec


def _relative_hint(raw: dict[str, object], key: str, base: Path) -> str:
    """For a relative path that does not resolve: it is read from the configuration file's folder, which moved
    with a copied file."""
    table = raw.get("data", {})
    value = table.get(key) if isinstance(table, dict) else None
    if isinstance(value, str) and not Path(value).is_absolute():
        return (f" (a relative path is read from the configuration file's folder, {base}; write the path from "
                "there, or an absolute path)")
    return ""


def _workshop_day(raw: dict[str, object], path: Path) -> date | None:
    """``workshop.date``: a TOML date (``date = 2026-11-27``) or the same as a string; absent: None."""
    table = raw.get("workshop", {})
    value = table.get("date") if isinstance(table, dict) else None
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ConfigError(f"{path}: workshop.date must be a date written as 2026-11-27 (year-month-day), not {value!r}")


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
        raise ConfigError(f"{config.path}: {', '.join(unknown)} not in group.leaders")
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
