"""The notes schema is written once (dol_toolkit.notes.schema) and rendered for SQLite and PostgreSQL: the
tables are the ones the earlier stores wrote by hand, so a database made by an earlier toolkit opens and keeps
its notes (issue 26)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from dol_toolkit.notes import NoteKey, SQLiteNoteStore, open_store
from dol_toolkit.notes.schema import MIGRATIONS, POSTGRES, SQLITE, create_statements

KEY = NoteKey("ws", "reflection:technologies")

# The schema as the stores before issue 26 wrote it, word for word.
OLD_SQLITE = """
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
OLD_POSTGRES = [
    """CREATE TABLE dol_notes (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        workshop TEXT NOT NULL,
        scope TEXT NOT NULL CHECK (scope IN ('group', 'private')),
        owner TEXT NOT NULL DEFAULT '',
        topic TEXT NOT NULL,
        text TEXT NOT NULL,
        revision INTEGER NOT NULL,
        saved_at TIMESTAMPTZ NOT NULL,
        UNIQUE (workshop, scope, owner, topic)
    )""",
    """CREATE TABLE dol_revisions (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        note_id BIGINT NOT NULL REFERENCES dol_notes (id),
        revision INTEGER NOT NULL,
        text TEXT NOT NULL,
        submitted TEXT NOT NULL,
        base_revision INTEGER NOT NULL,
        author TEXT NOT NULL DEFAULT '',
        saved_at TIMESTAMPTZ NOT NULL,
        conflict INTEGER NOT NULL DEFAULT 0,
        UNIQUE (note_id, revision)
    )""",
]


def _words(sql: str) -> list[str]:
    return sql.replace("(", " ( ").replace(")", " ) ").replace(",", " , ").split()


def test_the_rendered_schema_is_the_one_the_stores_wrote_before():
    assert len(MIGRATIONS) == 1
    old_sqlite = [s for s in OLD_SQLITE.split(";") if s.strip()]
    assert [_words(s) for s in create_statements(MIGRATIONS[0], SQLITE)] == [_words(s) for s in old_sqlite]
    assert [_words(s) for s in create_statements(MIGRATIONS[0], POSTGRES)] == [_words(s) for s in OLD_POSTGRES]


def _sqlite_shape(path: Path) -> dict[str, object]:
    db = sqlite3.connect(path)
    shape: dict[str, object] = {}
    for table in ("notes", "revisions"):
        shape[table] = (db.execute(f"PRAGMA table_info({table})").fetchall(),
                        db.execute(f"PRAGMA foreign_key_list({table})").fetchall(),
                        sorted(r[2] for r in db.execute(f"PRAGMA index_list({table})").fetchall()))
    db.close()
    return shape


def test_a_sqlite_database_of_the_earlier_toolkit_opens_with_its_notes(tmp_path: Path):
    old = tmp_path / "old.sqlite"
    db = sqlite3.connect(old)
    db.executescript(OLD_SQLITE)
    now = datetime.now(UTC).isoformat()
    db.execute("INSERT INTO notes (workshop, scope, owner, topic, text, revision, saved_at) "
               "VALUES ('ws', 'group', '', 'reflection:technologies', 'fra før', 1, ?)", (now,))
    db.execute("INSERT INTO revisions (note_id, revision, text, submitted, base_revision, author, saved_at, "
               "conflict) VALUES (1, 1, 'fra før', 'fra før', 0, '', ?, 0)", (now,))
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    store = SQLiteNoteStore(old)
    assert store.get(KEY).text == "fra før" and store.schema_version() == len(MIGRATIONS)
    assert store.save(KEY, "fra før og nu", 1).note.revision == 2
    store.close()
    SQLiteNoteStore(tmp_path / "new.sqlite").close()
    assert _sqlite_shape(tmp_path / "new.sqlite") == _sqlite_shape(old)


def _postgres_shape(url: str) -> list[tuple[object, ...]]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as db:
        return db.execute(
            "SELECT table_name, column_name, data_type, is_nullable, column_default, is_identity "
            "FROM information_schema.columns WHERE table_name LIKE 'dol_%' ORDER BY table_name, ordinal_position"
        ).fetchall()


def test_a_postgres_database_of_the_earlier_toolkit_opens_with_its_notes(postgres_server):
    import psycopg

    old = postgres_server.new_database()
    with psycopg.connect(old, autocommit=True) as db:
        db.execute("CREATE TABLE dol_schema (version INTEGER NOT NULL)")
        for statement in OLD_POSTGRES:
            db.execute(statement)
        db.execute("INSERT INTO dol_schema (version) VALUES (1)")
        db.execute("INSERT INTO dol_notes (workshop, scope, owner, topic, text, revision, saved_at) "
                   "VALUES ('ws', 'group', '', 'reflection:technologies', 'fra før', 1, now())")
    store = open_store(old)
    assert store.get(KEY).text == "fra før"
    assert store.save(KEY, "fra før og nu", 1).note.revision == 2
    store.close()
    new = postgres_server.new_database()
    open_store(new).close()
    assert _postgres_shape(new) == _postgres_shape(old)
