"""The note store: the group's and each leader's notes, with every revision kept.

A note is identified by a :class:`NoteKey`: the workshop, whose it is (the group's, or one leader's private
note) and its topic (``reflection:<question id>``, ``case:<case id>``, ``plan:...``). Notes are plain text:
whatever a note holds is shown literally everywhere (the apps and the exports escape it).

Saving never overwrites silently:

* every save adds a revision; the note's current text is its latest revision;
* a writer says which revision their text was based on; when someone else saved in between, the save is a
  *conflict*: both texts are kept, in the submitted revision and in the new current text, which holds both
  writers' changes to the revision they started from (:mod:`dol_toolkit.notes.merge`: changes in different
  places both go in, additions at one place both go in, the earlier first; both versions of a part changed
  differently go in one after the other under a marked line); the later writer is told.

:class:`SQLiteNoteStore` is the implementation (WAL journal, a busy timeout for concurrent writers, a schema
version with migrations). :class:`NoteStore` is the interface a server database (PostgreSQL, for several
servers) would implement; :func:`open_store` picks the implementation from a path or URL.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, Protocol

from dol_toolkit.notes.merge import CONFLICT_MARK, merge_texts

Scope = Literal["group", "private"]
SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 30_000


class NoteStoreError(RuntimeError):
    """The note store cannot be opened or used; the message says what to do."""


# The longest note the store takes (characters). Far above what a workshop writes, far below what would make a
# note's every save and every page's copy of it a burden (a pasted file, say).
MAX_NOTE_CHARS = 100_000


class NoteTooLong(ValueError):
    """A note's text (or the text a conflict would join) is longer than ``limit``; nothing was saved."""

    def __init__(self, length: int, limit: int = MAX_NOTE_CHARS) -> None:
        super().__init__(f"the note would be {length} characters long; at most {limit} can be saved")
        self.length, self.limit = length, limit


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


def _now() -> datetime:
    return datetime.now(UTC)


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _run(db: sqlite3.Connection, script: str) -> None:
    """Statements one by one (executescript would commit the migration's transaction half-way)."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _migration_1(db: sqlite3.Connection) -> None:
    _run(
        db,
        """
        CREATE TABLE notes (
            id INTEGER PRIMARY KEY,
            workshop TEXT NOT NULL,
            scope TEXT NOT NULL CHECK (scope IN ('group', 'private')),
            owner TEXT NOT NULL DEFAULT '',
            topic TEXT NOT NULL,
            text TEXT NOT NULL,
            revision INTEGER NOT NULL,
            saved_at TEXT NOT NULL,
            UNIQUE (workshop, scope, owner, topic)
        );
        CREATE TABLE revisions (
            id INTEGER PRIMARY KEY,
            note_id INTEGER NOT NULL REFERENCES notes (id),
            revision INTEGER NOT NULL,
            text TEXT NOT NULL,
            submitted TEXT NOT NULL,
            base_revision INTEGER NOT NULL,
            author TEXT NOT NULL DEFAULT '',
            saved_at TEXT NOT NULL,
            conflict INTEGER NOT NULL DEFAULT 0,
            UNIQUE (note_id, revision)
        );
        """
    )


# Migrations in order: MIGRATIONS[i] takes a database from version i to i + 1. Append, never edit.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_migration_1]


class SQLiteNoteStore:
    """Notes in one SQLite file. Safe for several processes (WAL, busy timeout) and threads (one connection
    per thread)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise NoteStoreError(f"cannot create the folder of the notes database {self.path}: {exc}") from None
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
                raise NoteStoreError(f"{self.path} cannot be opened as a notes database ({exc}); choose another "
                                     "notes.database path in the workshop configuration") from None
            self._local.db = db
        return db

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
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
                    raise NoteStoreError(
                        f"the notes database {self.path} has schema version {version}, newer than this toolkit "
                        f"knows ({len(MIGRATIONS)}); update the toolkit"
                    )
                for step in MIGRATIONS[version:]:
                    step(db)
                db.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")
        except sqlite3.DatabaseError as exc:
            raise NoteStoreError(f"{self.path} is not a notes database ({exc}); choose another notes.database "
                                 "path in the workshop configuration") from None

    def get(self, key: NoteKey) -> Note:
        row = self._db().execute(
            "SELECT text, revision, saved_at FROM notes WHERE workshop=? AND scope=? AND owner=? AND topic=?",
            (key.workshop, key.scope, key.owner, key.topic),
        ).fetchone()
        if row is None:
            return Note(key, "", 0, None)
        return Note(key, row[0], row[1], _when(row[2]))

    @staticmethod
    def _revision_text(db: sqlite3.Connection, note_id: int | None, revision: int) -> str | None:
        if revision == 0:
            return ""
        if note_id is None or revision < 0:
            return None
        row = db.execute("SELECT text FROM revisions WHERE note_id=? AND revision=?", (note_id, revision)).fetchone()
        return str(row[0]) if row else None

    def save(self, key: NoteKey, text: str, base_revision: int, author: str = "",
             conflict_label: str = "another version",
             merge: Callable[[str, str], str] | None = None) -> SaveResult:
        """Save ``text`` written on top of ``base_revision``; see the module text for conflicts. ``merge``
        (current, submitted) -> text joins two versions of structured notes; text notes are joined under a
        marked line."""
        text = str(text)
        if len(text) > MAX_NOTE_CHARS:
            raise NoteTooLong(len(text))
        with self._write() as db:
            row = db.execute(
                "SELECT id, text, revision FROM notes WHERE workshop=? AND scope=? AND owner=? AND topic=?",
                (key.workshop, key.scope, key.owner, key.topic),
            ).fetchone()
            note_id, current, revision = (row if row else (None, "", 0))
            if text == current:
                return SaveResult(self._note(db, key), conflict=False, unchanged=True)
            conflict = base_revision != revision and revision > 0 and current.strip() != ""
            if not conflict:
                stored = text
            elif merge is not None:
                stored = merge(current, text)
            else:  # both writers' changes to the text they started from (see dol_toolkit.notes.merge)
                base_text = self._revision_text(db, note_id, base_revision)
                if base_text is None:  # the writer's starting text is not known: the whole text after the note
                    stored = current + CONFLICT_MARK.format(label=conflict_label) + text
                else:
                    stored = merge_texts(base_text, current, text, conflict_label)[0]
            if len(stored) > MAX_NOTE_CHARS:  # the joined note would be too long: nothing is written
                raise NoteTooLong(len(stored))
            now = _now().isoformat()
            if note_id is None:
                note_id = db.execute(
                    "INSERT INTO notes (workshop, scope, owner, topic, text, revision, saved_at) "
                    "VALUES (?, ?, ?, ?, ?, 1, ?)",
                    (key.workshop, key.scope, key.owner, key.topic, stored, now),
                ).lastrowid
                new_revision = 1
            else:
                new_revision = revision + 1
                db.execute("UPDATE notes SET text=?, revision=?, saved_at=? WHERE id=?",
                           (stored, new_revision, now, note_id))
            db.execute(
                "INSERT INTO revisions (note_id, revision, text, submitted, base_revision, author, saved_at, "
                "conflict) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (note_id, new_revision, stored, text, base_revision, author, now, int(conflict)),
            )
            return SaveResult(Note(key, stored, new_revision, _when(now)), conflict=conflict)

    def _note(self, db: sqlite3.Connection, key: NoteKey) -> Note:
        row = db.execute(
            "SELECT text, revision, saved_at FROM notes WHERE workshop=? AND scope=? AND owner=? AND topic=?",
            (key.workshop, key.scope, key.owner, key.topic),
        ).fetchone()
        return Note(key, row[0], row[1], _when(row[2])) if row else Note(key, "", 0, None)

    def revisions(self, key: NoteKey) -> list[Revision]:
        rows = self._db().execute(
            "SELECT r.revision, r.text, r.submitted, r.base_revision, r.author, r.saved_at, r.conflict "
            "FROM revisions r JOIN notes n ON n.id = r.note_id "
            "WHERE n.workshop=? AND n.scope=? AND n.owner=? AND n.topic=? ORDER BY r.revision",
            (key.workshop, key.scope, key.owner, key.topic),
        ).fetchall()
        return [Revision(r[0], r[1], r[2], r[3], r[4], datetime.fromisoformat(r[5]), bool(r[6])) for r in rows]

    def notes(self, workshop: str, scope: Scope | None = None, owner: str | None = None) -> list[Note]:
        query = "SELECT scope, owner, topic, text, revision, saved_at FROM notes WHERE workshop=?"
        args: list[str] = [workshop]
        if scope is not None:
            query += " AND scope=?"
            args.append(scope)
        if owner is not None:
            query += " AND owner=?"
            args.append(owner)
        rows = self._db().execute(query + " ORDER BY topic, scope, owner", args).fetchall()
        return [Note(NoteKey(workshop, r[2], r[0], r[1]), r[3], r[4], _when(r[5])) for r in rows]

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None


def open_store(location: str | Path) -> NoteStore:
    """The note store at ``location``: a SQLite file path, or (later) a server database URL."""
    text = str(location)
    if text.startswith(("postgresql://", "postgres://")):
        raise NoteStoreError(
            "a PostgreSQL note store is not part of this version; use a SQLite file path for notes.database"
        )
    return SQLiteNoteStore(text.removeprefix("sqlite:///"))
