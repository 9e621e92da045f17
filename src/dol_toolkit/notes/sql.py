"""The rules of saving notes, on any SQL database: every save a revision, and saving never overwrites silently.

* every save adds a revision; the note's current text is its latest revision;
* a writer says which revision their text was based on; when someone else saved in between, the save is a
  *conflict*: both texts are kept, in the submitted revision and in the new current text, which holds both
  writers' changes to the revision they started from (:mod:`dol_toolkit.notes.merge`: changes in different
  places both go in, additions at one place both go in, the earlier first; both versions of a part changed
  differently go in one after the other under a marked line); the later writer is told.

:class:`SQLNoteStore` holds these rules; a store for one database (:class:`dol_toolkit.notes.sqlite.SQLiteNoteStore`,
:class:`dol_toolkit.notes.postgres.PostgresNoteStore`) gives it a connection, a write transaction and its
dialect (:mod:`dol_toolkit.notes.schema`).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any, ClassVar, TypeVar

from dol_toolkit.notes.base import MAX_NOTE_CHARS, Note, NoteKey, NoteTooLong, Revision, SaveResult, Scope
from dol_toolkit.notes.merge import CONFLICT_MARK, merge_texts
from dol_toolkit.notes.schema import Dialect

T = TypeVar("T")


def _now() -> datetime:
    return datetime.now(UTC)


def _when(value: str | datetime | None) -> datetime | None:
    """A stored time: ISO text (SQLite) or a timestamp (PostgreSQL)."""
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value) if value else None


class SQLNoteStore:
    """What a note store does, on any SQL database: the rules of saving (revisions, conflicts that keep both
    texts) in one place. A subclass gives the connection (``_db``), a write transaction that holds other writers
    of the same note off (``_write``), its placeholder style and its dialect (the tables' names)."""

    dialect: ClassVar[Dialect]
    placeholder: ClassVar[str] = "?"

    def _db(self) -> Any:
        raise NotImplementedError

    def _write(self, key: NoteKey | None = None) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _sql(self, query: str) -> str:
        query = query.replace("{notes}", self.dialect.table("notes"))
        query = query.replace("{revisions}", self.dialect.table("revisions"))
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
