"""Notes written in the workshop: a store that keeps every revision and never overwrites silently."""

from dol_toolkit.notes.store import (
    Note,
    NoteKey,
    NoteStore,
    NoteStoreError,
    Revision,
    SaveResult,
    SQLiteNoteStore,
    open_store,
)

__all__ = ["Note", "NoteKey", "NoteStore", "NoteStoreError", "Revision", "SQLiteNoteStore", "SaveResult",
           "open_store"]
