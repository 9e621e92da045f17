"""Notes written in the workshop: a store that keeps every revision and never overwrites silently."""

from dol_toolkit.notes.store import (
    MAX_NOTE_CHARS,
    Note,
    NoteKey,
    NoteStore,
    NoteStoreError,
    NoteTooLong,
    Revision,
    SaveResult,
    SQLiteNoteStore,
    open_store,
)

__all__ = ["MAX_NOTE_CHARS", "Note", "NoteKey", "NoteStore", "NoteStoreError", "NoteTooLong", "Revision",
           "SQLiteNoteStore", "SaveResult", "open_store"]
