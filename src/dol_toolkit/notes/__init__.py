"""Notes written in the workshop: a store that keeps every revision and never overwrites silently.

:mod:`~dol_toolkit.notes.base` says what a store is (keys, notes, errors, the :class:`NoteStore` interface);
:mod:`~dol_toolkit.notes.schema` describes its tables once for every database; :mod:`~dol_toolkit.notes.sql`
holds the rules of saving; :mod:`~dol_toolkit.notes.sqlite` and :mod:`~dol_toolkit.notes.postgres` are the
stores. :func:`open_store` picks the store from a path or URL.
"""

from __future__ import annotations

from pathlib import Path

from dol_toolkit.notes.base import (
    MAX_NOTE_CHARS,
    Note,
    NoteKey,
    NoteStore,
    NoteStoreError,
    NoteTooLong,
    Revision,
    SaveResult,
    is_database_url,
)
from dol_toolkit.notes.sql import SQLNoteStore
from dol_toolkit.notes.sqlite import SQLiteNoteStore

__all__ = ["MAX_NOTE_CHARS", "Note", "NoteKey", "NoteStore", "NoteStoreError", "NoteTooLong", "Revision",
           "SQLNoteStore", "SQLiteNoteStore", "SaveResult",
           "is_database_url", "open_store"]


def open_store(location: str | Path) -> NoteStore:
    """The note store at ``location``: a SQLite file path (or ``sqlite:///path``), or a PostgreSQL URL
    (``postgresql://user@host/dbname``, :mod:`dol_toolkit.notes.postgres`, imported only then)."""
    text = str(location)
    if is_database_url(text):
        from dol_toolkit.notes.postgres import PostgresNoteStore

        return PostgresNoteStore(text)
    return SQLiteNoteStore(text.removeprefix("sqlite:///"))
