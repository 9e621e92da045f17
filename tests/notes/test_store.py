"""The note store: revisions, conflicts that keep both texts, schema versions, literal text. The rules run
against both stores (a SQLite file, a PostgreSQL database: ``notes_location`` in tests/conftest.py)."""

from __future__ import annotations

import sqlite3

import pytest

from dol_toolkit.notes import NoteKey, NoteStoreError, SQLiteNoteStore, open_store
from dol_toolkit.notes.schema import MIGRATIONS

KEY = NoteKey("ws", "reflection:technologies")


@pytest.fixture
def store(notes_location):
    s = open_store(notes_location)
    yield s
    s.close()


def test_new_note_is_empty_and_saves_keep_every_revision(store):
    assert store.get(KEY).text == "" and store.get(KEY).revision == 0
    first = store.save(KEY, "Teams og sagssystemet", 0, author="a")
    second = store.save(KEY, "Teams, sagssystemet og robotter", first.note.revision, author="a")
    assert not first.conflict and not second.conflict
    assert store.get(KEY).text == "Teams, sagssystemet og robotter" and store.get(KEY).revision == 2
    revisions = store.revisions(KEY)
    assert [r.text for r in revisions] == ["Teams og sagssystemet", "Teams, sagssystemet og robotter"]
    assert [r.base_revision for r in revisions] == [0, 1]


def test_saving_the_same_text_writes_nothing(store):
    store.save(KEY, "x", 0)
    again = store.save(KEY, "x", 1)
    assert again.unchanged and len(store.revisions(KEY)) == 1


def test_two_writers_keep_both_texts(store):
    base = store.save(KEY, "Fælles start", 0).note.revision
    store.save(KEY, "Fælles start. Anne skriver.", base, author="anne")
    late = store.save(KEY, "Fælles start. Bo skriver.", base, author="bo", conflict_label="Bos version")
    assert late.conflict
    text = store.get(KEY).text
    assert "Anne skriver." in text and "Bo skriver." in text
    revisions = store.revisions(KEY)
    assert revisions[-1].conflict and revisions[-1].submitted == "Fælles start. Bo skriver."
    assert [r.revision for r in revisions] == [1, 2, 3]


def test_the_same_line_changed_two_ways_keeps_both_under_a_marked_line(store):
    base = store.save(KEY, "Mål: a\nTid: b\n", 0).note.revision
    store.save(KEY, "Mål: færre systemer\nTid: b\n", base, author="anne")
    store.save(KEY, "Mål: bedre data\nTid: b\n", base, author="bo", conflict_label="Bos version")
    text = store.get(KEY).text
    assert "færre systemer" in text and "bedre data" in text and "Bos version" in text
    assert text.count("Tid: b") == 1


def test_a_room_writing_into_one_note_does_not_double_it(store):
    """Thirty writers, each adding a line on a text that is a few saves behind: the note grows by what they
    wrote, not by copies of what was there."""
    revision = store.save(KEY, "Gruppens note\n", 0).note.revision
    texts = {revision: "Gruppens note\n"}
    for writer in range(30):
        base = max(1, revision - 3)  # typed on a text three saves old
        line = f"skribent {writer:02d} skriver noget\n"
        result = store.save(KEY, texts[base] + line, base, author=f"w{writer}")
        revision = result.note.revision
        texts[revision] = result.note.text
    note = store.get(KEY).text
    assert all(f"skribent {w:02d} skriver noget" in note for w in range(30))
    assert note.count("Gruppens note") == 1 and len(note) < 2 * (len("Gruppens note\n") + 30 * 26)


def test_group_and_private_notes_are_apart(store):
    private = NoteKey("ws", KEY.topic, "private", "Klaus Tønnesen")
    store.save(KEY, "gruppens", 0)
    store.save(private, "min egen", 0)
    assert store.get(KEY).text == "gruppens" and store.get(private).text == "min egen"
    assert [n.text for n in store.notes("ws", scope="group")] == ["gruppens"]
    assert [n.text for n in store.notes("ws", owner="Klaus Tønnesen")] == ["min egen"]
    assert store.notes("other") == []
    with pytest.raises(ValueError):
        NoteKey("ws", "t", "private")


def test_markup_is_stored_as_written(store):
    text = '<script>alert("x")</script> <img src=x onerror=alert(1)> & "quotes"'
    store.save(KEY, text, 0)
    assert store.get(KEY).text == text


def test_schema_version_and_reopen(tmp_path):
    path = tmp_path / "n.sqlite"
    SQLiteNoteStore(path).save(KEY, "bevares", 0)
    again = SQLiteNoteStore(path)
    assert again.schema_version() == len(MIGRATIONS) and again.get(KEY).text == "bevares"
    mode = sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_newer_schema_and_foreign_files_are_refused(tmp_path):
    newer = tmp_path / "newer.sqlite"
    db = sqlite3.connect(newer)
    db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    db.close()
    with pytest.raises(NoteStoreError, match="newer than this toolkit"):
        SQLiteNoteStore(newer)
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(NoteStoreError, match=r"notes database .*choose another notes\.database path"):
        SQLiteNoteStore(junk)


def test_open_store_by_path_or_url(tmp_path):
    assert isinstance(open_store(tmp_path / "a.sqlite"), SQLiteNoteStore)
    assert isinstance(open_store(f"sqlite:///{tmp_path}/b.sqlite"), SQLiteNoteStore)
    # A PostgreSQL URL opens the server store; a server that is not there is a message without the password.
    with pytest.raises(NoteStoreError) as refused:
        open_store("postgresql://dol:hemmeligt@127.0.0.1:1/notes")
    message = str(refused.value)
    assert "cannot connect to the notes database postgresql://dol@127.0.0.1:1/notes" in message
    assert "hemmeligt" not in message and "check notes.database" in message


def test_postgres_schema_version_reopen_and_a_newer_schema(postgres_server):
    import psycopg

    from dol_toolkit.notes.postgres import PostgresNoteStore
    from dol_toolkit.notes.schema import MIGRATIONS as PG_MIGRATIONS

    url = postgres_server.new_database()
    first = open_store(url)
    assert isinstance(first, PostgresNoteStore)
    first.save(KEY, "bevares", 0)
    first.close()
    again = open_store(url)
    assert again.schema_version() == len(PG_MIGRATIONS) and again.get(KEY).text == "bevares"
    again.close()
    with psycopg.connect(url, autocommit=True) as db:
        assert db.execute("SELECT count(*) FROM dol_schema").fetchone()[0] == 1
        db.execute("UPDATE dol_schema SET version = %s", (len(PG_MIGRATIONS) + 1,))
    with pytest.raises(NoteStoreError, match="newer than this toolkit"):
        open_store(url)


def test_postgres_servers_starting_together_migrate_once(postgres_server):
    """Several workshop servers opening one new database at the same moment: one makes the schema."""
    from concurrent.futures import ThreadPoolExecutor

    import psycopg

    url = postgres_server.new_database()
    with ThreadPoolExecutor(8) as pool:
        stores = list(pool.map(lambda _: open_store(url), range(8)))
    for i, s in enumerate(stores):
        s.save(NoteKey("ws", f"case:{i}"), f"note {i}", 0)
        s.close()
    with psycopg.connect(url, autocommit=True) as db:
        assert db.execute("SELECT version FROM dol_schema").fetchall() == [(1,)]
        assert db.execute("SELECT count(*) FROM dol_notes").fetchone()[0] == 8


def test_postgres_a_missing_database_says_so(postgres_server):
    url = postgres_server.url("findes_ikke")
    with pytest.raises(NoteStoreError, match=r'cannot connect to the notes database .*findes_ikke.*does not exist'):
        open_store(url)
