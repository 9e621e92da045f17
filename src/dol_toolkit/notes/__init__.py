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
    SQLNoteStore,
    is_database_url,
    open_store,
)

__all__ = ["MAX_NOTE_CHARS", "Note", "NoteKey", "NoteStore", "NoteStoreError", "NoteTooLong", "Revision",
           "SQLNoteStore", "SQLiteNoteStore", "SaveResult",
           "is_database_url", "open_store"]
