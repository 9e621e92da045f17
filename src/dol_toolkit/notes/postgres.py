"""The note store in a PostgreSQL database, for a workshop served by several servers (a JupyterHub with one
server per user, or several hub services) that must share one set of notes.

The rules of saving are the SQLite store's (:class:`dol_toolkit.notes.sql.SQLNoteStore`): every save a
revision, a conflict keeps both texts. What differs is the database's part:

* writers of one note wait for each other on a transaction-level advisory lock taken on the note's key (SQLite
  locks the whole file); writers of different notes go side by side;
* the schema (:mod:`dol_toolkit.notes.schema`, with the ``dol_`` prefix) has its own version table
  (``dol_schema``) and migrations run under an advisory lock, so servers starting together migrate once;
* a lost connection (the database server restarted, a network hiccup) is opened again and the call repeated for
  up to :data:`RECONNECT_SECONDS`. Repeating a save is safe: a save whose commit went through before the
  connection broke finds its own text as the current one and writes nothing more.

Select it with a URL as ``notes.database`` in the workshop configuration:
``postgresql://user@host:5432/dbname`` (the password from ``PGPASSWORD`` or ``~/.pgpass`` rather than in the
file; libpq's other settings, such as ``sslmode``, as URL parameters).
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, TypeVar

from dol_toolkit.notes.base import NoteKey, NoteStoreError
from dol_toolkit.notes.schema import MIGRATIONS, POSTGRES, create_statements
from dol_toolkit.notes.sql import SQLNoteStore

T = TypeVar("T")

RECONNECT_SECONDS = 30.0  # how long a call waits for a database that went away (a restart takes a few seconds)
CONNECT_TIMEOUT = 10  # seconds for one connection attempt
_MIGRATION_LOCK = 0x646F6C5F6E6F7465  # "dol_note": the advisory lock servers migrate under

def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency; a stripped environment may lack it
        raise NoteStoreError("no_psycopg") from None
    return psycopg


def shown_url(url: str) -> str:
    """The database's address for messages and logs: user, host, port and database, never the password."""
    psycopg = _psycopg()
    try:
        parts = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "postgresql://…"
    user = f"{parts['user']}@" if parts.get("user") else ""
    port = f":{parts['port']}" if parts.get("port") else ""
    return f"postgresql://{user}{parts.get('host', '')}{port}/{parts.get('dbname', '')}"


def _lock_id(key: NoteKey) -> int:
    """A signed 64-bit number for the note's advisory lock (two notes sharing one only wait for each other)."""
    text = "\x1f".join((key.workshop, key.scope, key.owner, key.topic)).encode("utf-8")
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "big", signed=True)


class PostgresNoteStore(SQLNoteStore):
    """Notes in a PostgreSQL database, shared by every server that opens the same URL. One connection per
    thread, as the SQLite store."""

    dialect = POSTGRES
    placeholder = "%s"

    def __init__(self, url: str) -> None:
        self._psycopg = _psycopg()
        self.url = url
        self.shown = shown_url(url)
        self._local = threading.local()
        self._migrate()

    # -- the connection ------------------------------------------------------------------------------------
    def _connect(self) -> Any:
        psycopg = self._psycopg
        try:
            return psycopg.connect(self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT,
                                   application_name="dol_toolkit")
        except psycopg.OperationalError as exc:
            raise _Unreachable(str(exc).strip()) from None
        except psycopg.ProgrammingError as exc:  # a URL libpq cannot read
            raise NoteStoreError("bad_url", detail=str(exc)) from None

    def _db(self) -> Any:
        db = getattr(self._local, "db", None)
        if db is None or db.closed:
            db = self._connect()
            self._local.db = db
        return db

    @contextmanager
    def _write(self, key: NoteKey | None = None) -> Iterator[Any]:
        db = self._db()
        with db.transaction():
            lock = _MIGRATION_LOCK if key is None else _lock_id(key)
            db.execute("SELECT pg_advisory_xact_lock(%s)", (lock,))
            yield db

    @staticmethod
    def _stamp(when: datetime) -> Any:
        return when

    def _retrying(self, action: Callable[[], T]) -> T:
        psycopg = self._psycopg
        deadline = time.monotonic() + RECONNECT_SECONDS
        pause = 0.1
        while True:
            try:
                return action()
            except (_Unreachable, psycopg.OperationalError) as exc:
                self._drop()
                if time.monotonic() + pause > deadline:
                    raise NoteStoreError("no_answer", path=self.shown, seconds=f"{RECONNECT_SECONDS:.0f}",
                                         detail=str(exc)) from None
                time.sleep(pause)
                pause = min(pause * 2, 2.0)

    def _drop(self) -> None:
        db = getattr(self._local, "db", None)
        self._local.db = None
        if db is not None:
            with contextlib.suppress(Exception):  # a broken connection may fail to close; it is gone anyway
                db.close()

    # -- the schema ----------------------------------------------------------------------------------------
    def schema_version(self) -> int:
        row = self._db().execute("SELECT version FROM dol_schema").fetchone()
        return int(row[0]) if row else 0

    def _migrate(self) -> None:
        psycopg = self._psycopg
        try:
            with self._write() as db:
                db.execute("CREATE TABLE IF NOT EXISTS dol_schema (version INTEGER NOT NULL)")
                row = db.execute("SELECT version FROM dol_schema").fetchone()
                version = int(row[0]) if row else 0
                if version > len(MIGRATIONS):
                    raise NoteStoreError("newer", path=self.shown, version=version, known=len(MIGRATIONS))
                for tables in MIGRATIONS[version:]:
                    for statement in create_statements(tables, POSTGRES):
                        db.execute(statement)
                if row is None:
                    db.execute("INSERT INTO dol_schema (version) VALUES (%s)", (len(MIGRATIONS),))
                else:
                    db.execute("UPDATE dol_schema SET version = %s", (len(MIGRATIONS),))
        except _Unreachable as exc:
            raise NoteStoreError("cannot_connect", path=self.shown, detail=str(exc)) from None
        except psycopg.Error as exc:
            raise NoteStoreError("cannot_hold", path=self.shown, detail=str(exc)) from None

    def close(self) -> None:
        self._drop()


class _Unreachable(Exception):
    """No connection could be made (the server is down, restarting, or the address is wrong)."""
