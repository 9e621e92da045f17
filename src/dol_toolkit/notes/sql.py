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

:class:`SQLNoteStore` holds these rules for any SQL database. :class:`SQLiteNoteStore` keeps the notes in one
file (WAL journal, a busy timeout for concurrent writers, a schema version with migrations), for one server;
:class:`dol_toolkit.notes.postgres.PostgresNoteStore` in a PostgreSQL database shared by several servers.
:class:`NoteStore` is the interface the apps use; :func:`open_store` picks the store from a path or URL.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, Protocol, TypeVar

from dol_toolkit.notes.merge import CONFLICT_MARK, merge_texts

Scope = Literal["group", "private"]
SCHEMA_VERSION = 1
T = TypeVar("T")
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


def _when(value: str | datetime | None) -> datetime | None:
    """A stored time: ISO text (SQLite) or a timestamp (PostgreSQL)."""
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value) if value else None


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


class SQLNoteStore:
    """What a note store does, on any SQL database: the rules of saving (revisions, conflicts that keep both
    texts) in one place. A subclass gives the connection (``_db``), a write transaction that holds other writers
    of the same note off (``_write``), its placeholder style and its table names."""

    notes_table = "notes"
    revisions_table = "revisions"
    placeholder = "?"

    def _db(self) -> Any:
        raise NotImplementedError

    def _write(self, key: NoteKey | None = None) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _sql(self, query: str) -> str:
        query = query.replace("{notes}", self.notes_table).replace("{revisions}", self.revisions_table)
        return query if self.placeholder == "?" else query.replace("?", self.placeholder)

    def _retrying(self, action: Callable[[], T]) -> T:
        """``action`` again after a lost connection, where the database can say what happened (a server
        database); SQLite has no connection to lose."""
        return action()

    def get(self, key: NoteKey) -> Note:
        return self._retrying(lambda: self._note(self._db(), key))

    def _note(self, db: Any, key: NoteKey) -> Note:
        row = db.execute(
            self._sql("SELECT text, revision, saved_at FROM {notes} WHERE workshop=? AND scope=? AND owner=? "
                      "AND topic=?"),
            (key.workshop, key.scope, key.owner, key.topic),
        ).fetchone()
        return Note(key, row[0], row[1], _when(row[2])) if row else Note(key, "", 0, None)

    def _revision_text(self, db: Any, note_id: int | None, revision: int) -> str | None:
        if revision == 0:
            return ""
        if note_id is None or revision < 0:
            return None
        row = db.execute(self._sql("SELECT text FROM {revisions} WHERE note_id=? AND revision=?"),
                         (note_id, revision)).fetchone()
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
        return self._retrying(lambda: self._save(key, text, base_revision, author, conflict_label, merge))

    def _save(self, key: NoteKey, text: str, base_revision: int, author: str, conflict_label: str,
              merge: Callable[[str, str], str] | None) -> SaveResult:
        with self._write(key) as db:
            row = db.execute(
                self._sql("SELECT id, text, revision FROM {notes} WHERE workshop=? AND scope=? AND owner=? "
                          "AND topic=?"),
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
            now = _now()
            if note_id is None:
                note_id = db.execute(
                    self._sql("INSERT INTO {notes} (workshop, scope, owner, topic, text, revision, saved_at) "
                              "VALUES (?, ?, ?, ?, ?, 1, ?) RETURNING id"),
                    (key.workshop, key.scope, key.owner, key.topic, stored, self._stamp(now)),
                ).fetchone()[0]
                new_revision = 1
            else:
                new_revision = revision + 1
                db.execute(self._sql("UPDATE {notes} SET text=?, revision=?, saved_at=? WHERE id=?"),
                           (stored, new_revision, self._stamp(now), note_id))
            db.execute(
                self._sql("INSERT INTO {revisions} (note_id, revision, text, submitted, base_revision, author, "
                          "saved_at, conflict) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
                (note_id, new_revision, stored, text, base_revision, author, self._stamp(now), int(conflict)),
            )
            return SaveResult(Note(key, stored, new_revision, now), conflict=conflict)

    @staticmethod
    def _stamp(when: datetime) -> Any:
        return when.isoformat()

    def revisions(self, key: NoteKey) -> list[Revision]:
        def read() -> list[Revision]:
            rows = self._db().execute(
                self._sql("SELECT r.revision, r.text, r.submitted, r.base_revision, r.author, r.saved_at, "
                          "r.conflict FROM {revisions} r JOIN {notes} n ON n.id = r.note_id "
                          "WHERE n.workshop=? AND n.scope=? AND n.owner=? AND n.topic=? ORDER BY r.revision"),
                (key.workshop, key.scope, key.owner, key.topic),
            ).fetchall()
            return [Revision(r[0], r[1], r[2], r[3], r[4], _when(r[5]) or _now(), bool(r[6])) for r in rows]

        return self._retrying(read)

    def notes(self, workshop: str, scope: Scope | None = None, owner: str | None = None) -> list[Note]:
        query = "SELECT scope, owner, topic, text, revision, saved_at FROM {notes} WHERE workshop=?"
        args: list[str] = [workshop]
        if scope is not None:
            query += " AND scope=?"
            args.append(scope)
        if owner is not None:
            query += " AND owner=?"
            args.append(owner)
        query = self._sql(query + " ORDER BY topic, scope, owner")

        def read() -> list[Note]:
            rows = self._db().execute(query, args).fetchall()
            return [Note(NoteKey(workshop, r[2], r[0], r[1]), r[3], r[4], _when(r[5])) for r in rows]

        return self._retrying(read)

    def close(self) -> None:
        raise NotImplementedError


class SQLiteNoteStore(SQLNoteStore):
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

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None


def is_database_url(location: str | Path) -> bool:
    """Whether ``location`` names a server database (PostgreSQL) rather than a SQLite file."""
    return str(location).startswith(("postgresql://", "postgres://"))


def open_store(location: str | Path) -> NoteStore:
    """The note store at ``location``: a SQLite file path (or ``sqlite:///path``), or a PostgreSQL URL
    (``postgresql://user@host/dbname``, :mod:`dol_toolkit.notes.postgres`)."""
    text = str(location)
    if is_database_url(text):
        from dol_toolkit.notes.postgres import PostgresNoteStore

        return PostgresNoteStore(text)
    return SQLiteNoteStore(text.removeprefix("sqlite:///"))
