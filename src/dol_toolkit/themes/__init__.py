"""Theme content as data.

A theme (one TOML file in this folder, Danish and English side by side) holds everything the workshop shows
about one theme of the leadership evaluation: its texts, its items in the three respondent wordings, the
response scale, the reflection questions and the cases. :func:`load_theme` reads and validates a file and
returns a typed, immutable :class:`Theme`; a malformed file raises :class:`ThemeError` naming the file and the
field.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from dol_toolkit.errors import DolError
from dol_toolkit.i18n import number_word, quoted_list

__all__ = ["DEFAULT_THEME", "OFF_SCALE", "Case", "Item", "ReflectionQuestion", "Scale", "ScalePoint", "Text",
           "Theme", "ThemeError", "available_themes", "gap_threshold", "is_theme_path", "load_theme",
           "load_theme_file", "lower_points", "theme_words", "upper_points"]

Lang = Literal["da", "en"]
LANGUAGES: tuple[Lang, ...] = ("da", "en")
DEFAULT_THEME = "digital_omstilling"
THEME_DIR = Path(__file__).parent


class ThemeError(DolError, ValueError):
    """A theme file could not be read or does not have the expected shape; ``code`` names the message in the
    catalogs' ``[theme_error]`` table (the shape's problems themselves are pydantic's, in English)."""

    prefix: ClassVar[str] = "theme_error."


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Text(_Model):
    """One text in Danish and English."""

    da: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def __call__(self, lang: Lang) -> str:
        """The text in ``lang``."""
        return self.da if lang == "da" else self.en


class Wording(_Model):
    """An item as each respondent role reads it."""

    employee: Text
    self: Text
    manager: Text

    def for_role(self, role: str) -> Text:
        if role not in ("employee", "self", "manager"):
            raise KeyError(f"unknown role {role!r}; expected employee, self or manager")
        text: Text = getattr(self, role)
        return text


class Item(_Model):
    """One item: its id, a short label for charts and tables, and its wording for each respondent role."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    short: Text
    wording: Wording


OFF_SCALE: tuple[str, ...] = ("dont_know", "prefer_not")
"""The answers beside the scale, the same codes in every theme ("Ved ikke", "Ønsker ikke at oplyse"); a theme
labels the ones its questionnaire offers."""

_OFF_SCALE_LABELS = {"dont_know": ("Ved ikke", "Don't know"),
                     "prefer_not": ("Ønsker ikke at oplyse", "Prefer not to say")}


def lower_points(codes: Sequence[str]) -> tuple[str, ...]:
    """The points below the middle of a scale, given its codes in order ("1", "2" of 1-5 and of 1-4).

    >>> lower_points(("1", "2", "3", "4", "5")), lower_points(("1", "2", "3", "4"))
    (('1', '2'), ('1', '2'))
    """
    return tuple(codes[:len(codes) // 2])


def upper_points(codes: Sequence[str]) -> tuple[str, ...]:
    """The points above the middle of a scale, given its codes in order: those that count as agreeing ("4", "5"
    of 1-5; "5", "6", "7" of 1-7; "3", "4" of 1-4)."""
    return tuple(codes[(len(codes) + 1) // 2:])


def gap_threshold(points: int) -> float:
    """The default "clear" gap between two ratings on a scale of ``points`` points: a third of its range
    (1.33 on 1-5, 2.0 on 1-7), the common choice of 360-degree feedback tools."""
    if points < 2:
        raise ValueError(f"a scale has at least two points; got {points}")
    return (points - 1) / 3


class ScalePoint(_Model):
    """One point of the scale: its number, its label, and (``also``) other wordings of it that exports write,
    read as this point (e.g. ``also = ["Overvejende enig"]``)."""

    value: int = Field(ge=1)
    label: Text
    also: tuple[str, ...] = ()


class NonSubstantive(_Model):
    code: Literal["dont_know", "prefer_not"]
    label: Text


class Scale(_Model):
    """The response scale: its points (numbered 1, 2, ... without gaps) and the answers beside it the
    questionnaire offers. Every layer takes its answer codes, agreement and gap threshold from here."""

    points: tuple[ScalePoint, ...]
    non_substantive: tuple[NonSubstantive, ...]

    @field_validator("points")
    @classmethod
    def _consecutive(cls, points: tuple[ScalePoint, ...]) -> tuple[ScalePoint, ...]:
        values = [p.value for p in points]
        if values != list(range(1, len(values) + 1)) or len(values) < 2:
            raise ValueError(f"scale values must run 1, 2, ... without gaps; got {values}")
        return points

    @property
    def minimum(self) -> int:
        return self.points[0].value

    @property
    def maximum(self) -> int:
        return self.points[-1].value

    @property
    def neutral(self) -> float:
        """The centre of the scale (3 on 1-5, 4 on 1-7, 3.5 on 1-6)."""
        return (self.minimum + self.maximum) / 2

    @property
    def codes(self) -> tuple[str, ...]:
        """The answer codes of the points, in scale order: ``("1", ..., "7")`` on a 7-point scale."""
        return tuple(str(p.value) for p in self.points)

    @property
    def categories(self) -> tuple[str, ...]:
        """Every answer code of the tidy table, in order: the points, then :data:`OFF_SCALE`.

        >>> from dol_toolkit.themes import load_theme
        >>> load_theme().scale.categories
        ('1', '2', '3', '4', '5', 'dont_know', 'prefer_not')
        """
        return (*self.codes, *OFF_SCALE)

    @property
    def agree_codes(self) -> tuple[str, ...]:
        """The points above the centre ("4", "5" on 1-5; "5", "6", "7" on 1-7): :func:`upper_points`."""
        return upper_points(self.codes)

    @property
    def disagree_codes(self) -> tuple[str, ...]:
        """The points below the centre: :func:`lower_points`."""
        return lower_points(self.codes)

    @property
    def offered_off_scale(self) -> tuple[str, ...]:
        """The answers beside the scale that the questionnaire offers, in :data:`OFF_SCALE` order."""
        offered = {n.code for n in self.non_substantive}
        return tuple(c for c in OFF_SCALE if c in offered)

    @property
    def span(self) -> int:
        """The distance from the lowest to the highest point (4 on 1-5)."""
        return self.maximum - self.minimum

    @property
    def gap_threshold(self) -> float:
        """The default threshold of a clear gap on this scale (see :func:`gap_threshold`)."""
        return gap_threshold(len(self.points))

    def label(self, code: str, lang: Lang) -> str:
        """The label of an answer code: a point's label, the theme's label of an off-scale answer, or (for an
        off-scale answer the theme does not offer) the toolkit's own wording of it."""
        for p in self.points:
            if str(p.value) == code:
                return p.label(lang)
        for ns in self.non_substantive:
            if ns.code == code:
                return ns.label(lang)
        if code in _OFF_SCALE_LABELS:
            da, en = _OFF_SCALE_LABELS[code]
            return da if lang == "da" else en
        raise KeyError(f"no answer code {code!r} on this scale; codes: {', '.join(self.categories)}")


class SubQuestion(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    text: Text


class ReflectionQuestion(_Model):
    """A reflection question: a title and its sub-questions, in order."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: Text
    sub_questions: tuple[SubQuestion, ...] = Field(min_length=1)

    def text(self, lang: Lang) -> str:
        """The whole question as the theme prints it: its sub-questions in order."""
        return " ".join(q.text(lang) for q in self.sub_questions)


class Prompt(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    text: Text
    items: tuple[str, ...] = Field(min_length=1)


class Case(_Model):
    """A case: its title, its story and three or four discussion prompts, each tagged with the items it is about."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: Text
    text: Text
    prompts: tuple[Prompt, ...] = Field(min_length=3, max_length=4)

    @property
    def items(self) -> tuple[str, ...]:
        """The item ids this case touches, in first-mentioned order."""
        return tuple(dict.fromkeys(i for p in self.prompts for i in p.items))


class Guidance(_Model):
    heading: Text
    text: Text
    reflection_intro: Text


class Theme(_Model):
    """A whole theme, as its TOML file holds it (see :func:`load_theme` and docs/adding_a_theme.md)."""

    id: str
    title: Text
    what_is_it: Text
    why_it_matters: Text
    how_we_ask: Text
    respondent_intro: Text
    question_stem: Text
    items: tuple[Item, ...] = Field(min_length=1)
    scale: Scale
    guidance: Guidance
    reflection_questions: tuple[ReflectionQuestion, ...] = Field(min_length=1)
    cases: tuple[Case, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Theme:
        for what, ids in (
            ("items", [i.id for i in self.items]),
            ("reflection_questions", [q.id for q in self.reflection_questions]),
            ("cases", [c.id for c in self.cases]),
            ("reflection_questions.sub_questions",
             [s.id for q in self.reflection_questions for s in q.sub_questions]),
            ("cases.prompts", [p.id for c in self.cases for p in c.prompts]),
        ):
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            if dupes:
                raise ValueError(f"{what}: duplicate id(s) {', '.join(dupes)}")
        known = {i.id for i in self.items}
        for c in self.cases:
            for p in c.prompts:
                unknown = [i for i in p.items if i not in known]
                if unknown:
                    raise ValueError(
                        f"cases.{c.id}.prompts.{p.id}.items: unknown item id(s) {', '.join(unknown)}; "
                        f"known: {', '.join(sorted(known))}"
                    )
        return self

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.items)

    def item(self, item_id: str) -> Item:
        for i in self.items:
            if i.id == item_id:
                return i
        raise KeyError(f"theme {self.id!r} has no item {item_id!r}; items: {', '.join(self.item_ids)}")


def _field_path(loc: tuple[int | str, ...], data: object) -> str:
    """Render a pydantic error location as ``items[2].wording.self.da``, with ids where the file has them."""
    out = ""
    node = data
    for part in loc:
        if isinstance(part, int):
            label = f"[{part}]"
            if isinstance(node, list) and 0 <= part < len(node):
                node = node[part]
                if isinstance(node, dict) and isinstance(node.get("id"), str):
                    label = f"[{part}] (id={node['id']})"
            out += label
        else:
            out += f".{part}" if out else part
            node = node.get(part) if isinstance(node, dict) else None
    return out or "(top level)"


def load_theme_file(path: str | Path) -> Theme:
    """Read and validate one theme file. Raises ThemeError naming the file and the field."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ThemeError("not_found", path=path) from None
    except UnicodeDecodeError as exc:
        raise ThemeError("not_utf8", path=path, reason=exc.reason, start=exc.start) from None
    except tomllib.TOMLDecodeError as exc:
        raise ThemeError("not_toml", path=path, detail=str(exc)) from None
    try:
        return Theme.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            field = _field_path(tuple(err["loc"]), raw)
            problems.append(f"field {field}: {err['msg']}")
        raise ThemeError("invalid", path=path, problems="; ".join(problems)) from None


def theme_words(theme: Theme, lang: Lang) -> dict[str, object]:
    """What the interface text says about a theme, for its ``{fields}``: ``number`` (of items, as a word),
    ``low`` and ``high`` (the scale's ends), ``off_scale`` (the answers beside the scale, quoted and joined).

    >>> words = theme_words(load_theme(), "da")
    >>> words["number"], words["low"], words["high"], words["off_scale"]
    ('fem', 1, 5, '»Ved ikke« og »Ønsker ikke at oplyse«')
    """
    return {"number": number_word(len(theme.items), lang), "low": theme.scale.minimum, "high": theme.scale.maximum,
            "off_scale": quoted_list([n.label(lang) for n in theme.scale.non_substantive], lang)}


def available_themes() -> list[str]:
    """Ids of the themes shipped with the package."""
    return sorted(p.stem for p in THEME_DIR.glob("*.toml"))


def load_theme(theme: str | Path = DEFAULT_THEME) -> Theme:
    """Load a theme: one shipped with the package by its id (the file name without .toml), or a theme file
    of your own by its path (anything ending in ``.toml``).

    >>> load_theme().scale.codes
    ('1', '2', '3', '4', '5')
    """
    if is_theme_path(theme):
        return _cached(Path(theme).resolve())
    path = THEME_DIR / f"{theme}.toml"
    if not path.exists():
        raise ThemeError("unknown", path=path, theme=repr(str(theme)), available=", ".join(available_themes()))
    return _cached(path)


def is_theme_path(theme: str | Path) -> bool:
    """Whether ``theme`` names a theme file (a path ending in .toml) rather than a shipped theme's id."""
    return isinstance(theme, Path) or str(theme).casefold().endswith(".toml")


_CACHE: dict[Path, tuple[int | None, Theme]] = {}


def _cached(path: Path) -> Theme:
    """One Theme object per file and version of it (look-up tables are kept per object; an edited file is
    read again)."""
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = None
    hit = _CACHE.get(path)
    if hit is None or hit[0] != stamp:
        _CACHE[path] = hit = (stamp, load_theme_file(path))
    return hit[1]
