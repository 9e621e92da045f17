"""Notes in one SQLite file, for one server: WAL journal, a busy timeout for concurrent writers, the schema's
version in ``PRAGMA user_version`` with migrations (:mod:`dol_toolkit.notes.schema`)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dol_toolkit.notes.base import NoteKey, NoteStoreError
from dol_toolkit.notes.schema import MIGRATIONS, SQLITE, create_statements
from dol_toolkit.notes.sql import SQLNoteStore

__all__ = ["BUSY_TIMEOUT_MS", "SQLiteNoteStore"]

BUSY_TIMEOUT_MS = 30_000


class SQLiteNoteStore(SQLNoteStore):
    """Notes in one SQLite file. Safe for several processes (WAL, busy timeout) and threads (one connection
    per thread)."""

    dialect = SQLITE

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise NoteStoreError("folder", path=self.path, detail=str(exc)) from None
        self._local = threading.local()
        self._migrate()

    def _db(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            try:
                db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
                db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                db.execute("PRAGMA journal_mode = WAL")
                # Committed saves survive a killed process (WAL); FULL also survives a power cut.
                db.execute("PRAGMA synchronous = FULL")
                db.execute("PRAGMA foreign_keys = ON")
            except sqlite3.Error as exc:
                raise NoteStoreError("cannot_open", path=self.path, detail=str(exc)) from None
            self._local.db = db
        return db

    @contextmanager
    def _write(self, key: NoteKey | None = None) -> Iterator[sqlite3.Connection]:
        db = self._db()
        db.execute("BEGIN IMMEDIATE")  # one writer at a time in the whole file
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def schema_version(self) -> int:
        version: int = self._db().execute("PRAGMA user_version").fetchone()[0]
        return version

    def _migrate(self) -> None:
        try:
            with self._write() as db:
                version = db.execute("PRAGMA user_version").fetchone()[0]
                if version > len(MIGRATIONS):
                    raise NoteStoreError("newer", path=self.path, version=version, known=len(MIGRATIONS))
                for tables in MIGRATIONS[version:]:
                    for statement in create_statements(tables, SQLITE):
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")
        except sqlite3.DatabaseError as exc:
            raise NoteStoreError("not_notes", path=self.path, detail=str(exc)) from None

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None
