"""The notes database's schema, written once and rendered for each database (SQLite and PostgreSQL).

Two tables: ``notes`` (a note's current text and revision, one row per :class:`~dol_toolkit.notes.base.NoteKey`)
and ``revisions`` (every save). A database's tables carry the dialect's prefix (``dol_notes`` in PostgreSQL,
which shares a database with others; ``notes`` in SQLite's own file), and its column types are the dialect's (a
time is ISO text in SQLite, a ``TIMESTAMPTZ`` in PostgreSQL).

:data:`MIGRATIONS` lists the schema's versions in order: ``MIGRATIONS[i]`` takes a database from version ``i`` to
``i + 1``. Append, never edit: a database made by an earlier toolkit opens because its tables are the ones
written here.

>>> print(create_statements(MIGRATIONS[0], SQLITE)[0])  # doctest: +NORMALIZE_WHITESPACE
CREATE TABLE notes (id INTEGER PRIMARY KEY, workshop TEXT NOT NULL,
scope TEXT NOT NULL CHECK (scope IN ('group', 'private')), owner TEXT NOT NULL DEFAULT '', topic TEXT NOT NULL,
text TEXT NOT NULL, revision INTEGER NOT NULL, saved_at TEXT NOT NULL, UNIQUE (workshop, scope, owner, topic))
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = ["MIGRATIONS", "POSTGRES", "SQLITE", "Column", "Dialect", "Table", "create_statements"]

# A column's kind: the row's own id, a reference to another table's id, text, a whole number, a moment.
Kind = Literal["id", "ref", "text", "integer", "time"]


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    default: str | None = None  # an SQL literal
    check: str | None = None  # an SQL condition on the column
    references: str | None = None  # the table (its name without prefix) whose id a "ref" column holds


@dataclass(frozen=True)
class Table:
    name: str  # without the dialect's prefix
    columns: tuple[Column, ...]
    unique: tuple[str, ...] = ()


@dataclass(frozen=True)
class Dialect:
    """How one database writes the schema: its table prefix and its type for each kind of column."""

    prefix: str
    types: dict[Kind, str] = field(default_factory=dict)

    def table(self, name: str) -> str:
        return self.prefix + name


SQLITE = Dialect(prefix="", types={"id": "INTEGER PRIMARY KEY", "ref": "INTEGER", "text": "TEXT",
                                   "integer": "INTEGER", "time": "TEXT"})
POSTGRES = Dialect(prefix="dol_", types={"id": "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", "ref": "BIGINT",
                                         "text": "TEXT", "integer": "INTEGER", "time": "TIMESTAMPTZ"})

NOTES = Table("notes", (
    Column("id", "id"),
    Column("workshop", "text"),
    Column("scope", "text", check="scope IN ('group', 'private')"),
    Column("owner", "text", default="''"),
    Column("topic", "text"),
    Column("text", "text"),
    Column("revision", "integer"),
    Column("saved_at", "time"),
), unique=("workshop", "scope", "owner", "topic"))

REVISIONS = Table("revisions", (
    Column("id", "id"),
    Column("note_id", "ref", references="notes"),
    Column("revision", "integer"),
    Column("text", "text"),
    Column("submitted", "text"),
    Column("base_revision", "integer"),
    Column("author", "text", default="''"),
    Column("saved_at", "time"),
    Column("conflict", "integer", default="0"),
), unique=("note_id", "revision"))

# The schema's versions: each the tables it creates. Append, never edit.
MIGRATIONS: tuple[tuple[Table, ...], ...] = ((NOTES, REVISIONS),)


def _column(column: Column, dialect: Dialect) -> str:
    sql = f"{column.name} {dialect.types[column.kind]}"
    if column.kind != "id":
        sql += " NOT NULL"
    if column.default is not None:
        sql += f" DEFAULT {column.default}"
    if column.check is not None:
        sql += f" CHECK ({column.check})"
    if column.references is not None:
        sql += f" REFERENCES {dialect.table(column.references)} (id)"
    return sql


def create_statements(tables: tuple[Table, ...], dialect: Dialect) -> list[str]:
    """``CREATE TABLE`` statements for ``tables`` in ``dialect``, one a table."""
    statements = []
    for table in tables:
        parts = [_column(column, dialect) for column in table.columns]
        if table.unique:
            parts.append(f"UNIQUE ({', '.join(table.unique)})")
        statements.append(f"CREATE TABLE {dialect.table(table.name)} ({', '.join(parts)})")
    return statements
