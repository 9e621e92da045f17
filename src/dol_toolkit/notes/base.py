"""What a note store is: the keys of notes, what a store gives back, its errors and its interface.

A note is identified by a :class:`NoteKey`: the workshop, whose it is (the group's, or one leader's private
note) and its topic (``reflection:<question id>``, ``case:<case id>``, ``plan:...``). Notes are plain text:
whatever a note holds is shown literally everywhere (the apps and the exports escape it).

:class:`NoteStore` is the interface the apps and the exports use; the stores are beside this module
(:mod:`dol_toolkit.notes.sqlite`, :mod:`dol_toolkit.notes.postgres`). This module imports no store.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar, Literal, Protocol

from dol_toolkit.errors import DolError
from dol_toolkit.i18n import Lang, format_integer

__all__ = ["MAX_NOTE_CHARS", "Note", "NoteKey", "NoteStore", "NoteStoreError", "NoteTooLong", "Revision",
           "SaveResult", "Scope", "is_database_url"]

Scope = Literal["group", "private"]

# The longest note the store takes (characters). Far above what a workshop writes, far below what would make a
# note's every save and every page's copy of it a burden (a pasted file, say).
MAX_NOTE_CHARS = 100_000


class NoteStoreError(DolError, RuntimeError):
    """The note store cannot be opened or used; the message (the catalogs' ``[notes_error]`` table) says what
    to do."""

    prefix: ClassVar[str] = "notes_error."


class NoteTooLong(DolError, ValueError):
    """A note's text (or the text a conflict would join) is longer than ``limit``; nothing was saved."""

    prefix: ClassVar[str] = "notes_error."

    def __init__(self, length: int, limit: int = MAX_NOTE_CHARS) -> None:
        super().__init__("too_long", length=length, limit=limit)
        self.length, self.limit = length, limit

    def filled(self, lang: Lang) -> dict[str, Any]:
        return {"length": format_integer(self.length, lang), "limit": format_integer(self.limit, lang)}


@dataclass(frozen=True)
class NoteKey:
    workshop: str
    topic: str
    scope: Scope = "group"
    owner: str = ""  # the leader, for a private note

    def __post_init__(self) -> None:
        if self.scope not in ("group", "private"):
            raise ValueError(f"scope must be 'group' or 'private', not {self.scope!r}")
        if (self.scope == "private") != bool(self.owner):
            raise ValueError("a private note needs its owner; a group note has none")


@dataclass(frozen=True)
class Note:
    key: NoteKey
    text: str
    revision: int  # 0: never saved
    saved_at: datetime | None


@dataclass(frozen=True)
class Revision:
    revision: int
    text: str  # the note's text after this save
    submitted: str  # what the writer sent (differs from text after a conflict)
    base_revision: int
    author: str
    saved_at: datetime
    conflict: bool


@dataclass(frozen=True)
class SaveResult:
    note: Note
    conflict: bool  # someone else had saved since ``base_revision``: both texts are kept in ``note.text``
    unchanged: bool = False  # the text equals the current one: nothing was written


class NoteStore(Protocol):
    """What the apps and the exports need from a note store."""

    def get(self, key: NoteKey) -> Note: ...

    def save(self, key: NoteKey, text: str, base_revision: int, author: str = "",
             conflict_label: str = "another version",
             merge: Callable[[str, str], str] | None = None) -> SaveResult: ...

    def revisions(self, key: NoteKey) -> list[Revision]: ...

    def notes(self, workshop: str, scope: Scope | None = None, owner: str | None = None) -> list[Note]: ...

    def close(self) -> None: ...


def is_database_url(location: str | Path) -> bool:
    """Whether ``location`` names a server database (PostgreSQL) rather than a SQLite file."""
    return str(location).startswith(("postgresql://", "postgres://"))
