"""The content model every output shares: a document is sections, a section is a heading and blocks.

The results app, the workshop summary (DOCX, HTML, Markdown, PDF), the personal result sheets and the handouts
are all built as these plain structures by :mod:`dol_toolkit.report.results` and
:mod:`dol_toolkit.report.documents`, and only laid out by the renderers. So the app and every document say the
same thing: a heading, a figure, a sentence is written once.

>>> note = NoteText("Vi vil:\\n- tale med IT\\n- lave en plan\\nSå ses vi.")
>>> [kind for kind, _ in note.parts()]
['lines', 'list', 'lines']
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from dol_toolkit.i18n import Lang
from dol_toolkit.survey.readers import clean_text


def _clean(value: Any) -> Any:
    return clean_text(value) if isinstance(value, str) else value


ParagraphStyle = Literal["body", "intro", "notice", "read", "muted"]
Medium = Literal["screen", "paper"]
"""Where a document or view is shown (a screen view carries each chart drawn for a phone as well)."""


@dataclass(frozen=True)
class Paragraph:
    """Plain text. ``notice``: a sentence that stands in for a result (suppression); ``read``: how to read what
    is above; ``intro``: the theme's own words; ``muted``: "no notes"."""

    text: str
    style: ParagraphStyle = "body"

    def __post_init__(self) -> None:  # no control characters reach a document (a DOCX cannot hold them)
        object.__setattr__(self, "text", clean_text(self.text))


@dataclass(frozen=True)
class Chart:
    """A chart drawn for its medium: PNG bytes, the width it is placed at (CSS: ``16cm`` on paper, ``860px`` on
    screen), its alternative text and one sentence on how to read it; on screen also the same chart drawn
    narrow for a phone (``narrow_png``, placed ``narrow_width`` wide), which a page shows instead when the
    window is narrow (:data:`dol_toolkit.plots.media.NARROW_MEDIA_QUERY`). Both drawings show the same figures."""

    png: bytes
    alt: str
    how_to_read: str
    key: str  # likert, change, gaps, my_likert, means
    width: str = "100%"
    narrow_png: bytes | None = None
    narrow_width: str | None = None


# A list item of a note typed as "- " or "* " (or "• "), with the mark's indentation ignored.
_LIST_MARKS = ("- ", "* ", "• ", "– ")


@dataclass(frozen=True)
class NoteText:
    """A note as its writer typed it: shown literally, line breaks kept; lines typed as ``- `` are a list."""

    text: str
    private: bool = False
    topic: str = ""

    def __post_init__(self) -> None:  # a note as typed, but without control characters or terminal escapes
        object.__setattr__(self, "text", clean_text(self.text))

    def parts(self) -> Iterator[tuple[Literal["lines", "list", "blank"], tuple[str, ...]]]:
        """The note in runs: ``("lines", lines)`` of plain text, ``("list", items)`` of lines typed as list
        items (the mark removed), ``("blank", ())`` for a paragraph break."""
        run: list[str] = []
        kind: Literal["lines", "list"] | None = None
        for line in self.text.split("\n"):
            stripped = line.lstrip()
            mark = next((m for m in _LIST_MARKS if stripped.startswith(m)), None)
            this: Literal["lines", "list", "blank"] = "blank" if not line.strip() else \
                ("list" if mark else "lines")
            if kind is not None and this != kind:
                yield kind, tuple(run)
                run, kind = [], None
            if this == "blank":
                yield "blank", ()
                continue
            kind = this
            run.append(stripped[len(mark):].strip() if mark else line.rstrip())
        if kind is not None:
            yield kind, tuple(run)


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    key: str = ""
    numeric: tuple[bool, ...] = ()  # per column: right-aligned numbers

    def __post_init__(self) -> None:  # cells typed in the room (an action plan) without control characters
        object.__setattr__(self, "header", tuple(_clean(c) for c in self.header))
        object.__setattr__(self, "rows", tuple(tuple(_clean(c) for c in row) for row in self.rows))


@dataclass(frozen=True)
class BulletList:
    items: tuple[str, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "items", tuple(_clean(x) for x in self.items))


@dataclass(frozen=True)
class WritingSpace:
    """Ruled room to write on a printed handout: ``lines`` lines."""

    lines: int = 8


Block = Paragraph | Chart | NoteText | Table | BulletList | WritingSpace


@dataclass(frozen=True)
class Section:
    heading: str
    level: int  # 1-3
    blocks: tuple[Block, ...] = ()
    key: str = ""  # what it is: about, employees, vs_org, personal, reflection:<id>, case:<id>, plan, ...
    page_break: bool = False  # starts a new page on paper


@dataclass(frozen=True)
class Document:
    """One document: the heading block (kicker, title, facts as label/value pairs, intro), the sections and the
    running text of every page (``footer``; ``confidential`` marks every page "Fortroligt")."""

    title: str  # the theme's title, or the handout's
    kicker: str  # "Opsamling fra workshoppen"
    group: str
    day: date
    date_text: str
    lang: Lang
    leader: str | None
    intro: str
    footer: str
    sections: tuple[Section, ...] = field(default_factory=tuple)
    facts: tuple[tuple[str, str], ...] = ()
    confidential: bool = False
    kind: Literal["summary", "sheet", "handout"] = "summary"

    @property
    def charts(self) -> list[Chart]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Chart)]

    @property
    def notes(self) -> list[NoteText]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, NoteText)]

    @property
    def tables(self) -> list[Table]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Table)]

    def section(self, key: str) -> Section:
        for s in self.sections:
            if s.key == key:
                return s
        raise KeyError(f"no section {key!r}")
