"""The note store under pressure: many processes writing at once keep every save, a writer killed with
SIGKILL loses nothing it was told was saved, and a database server restarted under a writer loses nothing
either. Every test runs against both stores: a SQLite file and a PostgreSQL database on a server the tests
start themselves (``notes_location`` in tests/conftest.py).

Writers are separate Python processes (``python -c``), as the workshop's kernels are. They start together
(they wait for a "go" file) so that their saves really overlap.
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from dol_toolkit.notes import NoteKey, open_store
from dol_toolkit.notes.merge import keeps_additions

WORKSHOP = "Ledergruppe Teknik og Miljø"
WRITERS = 20
EDITS = 50
# A guard against a hang, not a speed goal: seconds for all writers together. A run here takes about 5 s on
# SQLite and about 20 s on PostgreSQL (its lock queue is fair, so nearly every save in the shared note is a
# conflict that joins both texts, and the note grows).
RUN_TIMEOUT = 240

# One writer: says it is ready, waits for the go file, then saves EDITS texts. ``stale`` writers base some
# saves on an old revision (someone who had the page open for a while), the others on the revision they just
# read. Prints the texts it submitted, as JSON, when done.
WRITER = textwrap.dedent(
    """
    import json, os, random, sys, time
    from dol_toolkit.notes import NoteKey, open_store

    db, go, topic = sys.argv[1], sys.argv[2], sys.argv[4]
    writer, edits, stale = int(sys.argv[3]), int(sys.argv[5]), sys.argv[6] == "1"
    store = open_store(db)
    key = NoteKey("Ledergruppe Teknik og Miljø", topic)
    store.get(key)  # connected and ready
    open(f"{go}.ready-{writer}", "w").close()
    deadline = time.monotonic() + 30
    while not os.path.exists(go):
        if time.monotonic() > deadline:
            sys.exit("no go file")
        time.sleep(0.001)
    submitted, conflicts, old = [], 0, 0
    for edit in range(edits):
        time.sleep(random.random() * 0.004)  # people type at different speeds: saves interleave
        current = store.get(key)
        base = current.revision
        if stale and edit % 3 == 2:
            base = old  # an old revision: this save is a conflict unless nobody saved since
        old = current.revision
        text = f"skriver {writer:02d} ændring {edit:02d}: æøå <b>&amp;</b> 'citat' \\"dobbelt\\""
        result = store.save(key, text, base, author=f"w{writer}", conflict_label=f"w{writer}e{edit}")
        if result.unchanged:
            sys.exit(f"save {text!r} was not written")
        conflicts += result.conflict
        submitted.append(text)
    store.close()
    print(json.dumps({"writer": writer, "submitted": submitted, "conflicts": conflicts}))
    """
)


def _integrity(db: str) -> None:
    """The database's own consistency checks (SQLite); PostgreSQL enforces its constraints on every write."""
    if db.startswith("postgresql://"):
        return
    with sqlite3.connect(db) as check:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert check.execute("PRAGMA foreign_key_check").fetchall() == []


def _run_writers(db: str, tmp_path: Path, topics: list[str], stale: set[int]) -> list[dict]:
    go = tmp_path / "go"
    open_store(db).close()  # create the schema once, before the crowd
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db), str(go), str(i), topics[i], str(EDITS), "1" if i in stale else "0"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True,
        )
        for i in range(len(topics))
    ]
    deadline = time.monotonic() + RUN_TIMEOUT
    try:
        while not all(Path(f"{go}.ready-{i}").exists() for i in range(len(topics))):
            assert time.monotonic() < deadline, "the writers did not start"
            assert all(p.poll() is None for p in procs), "a writer stopped before starting"
            time.sleep(0.01)
        go.touch()
        results = []
        for proc in procs:
            out, err = proc.communicate(timeout=max(1.0, deadline - time.monotonic()))
            assert proc.returncode == 0, f"writer failed ({proc.returncode}): {err[-2000:]}"
            results.append(json.loads(out))
        return results
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def test_twenty_writers_in_one_note_keep_every_save(tmp_path, notes_location):
    db = notes_location
    topic = "reflection:technologies"
    results = _run_writers(db, tmp_path, [topic] * WRITERS, stale={0, 1, 2, 3, 4})
    store = open_store(db)
    key = NoteKey(WORKSHOP, topic)
    revisions = store.revisions(key)
    assert len(revisions) == WRITERS * EDITS
    assert [r.revision for r in revisions] == list(range(1, WRITERS * EDITS + 1))
    assert store.get(key).revision == WRITERS * EDITS
    assert store.get(key).text == revisions[-1].text
    sent = [text for r in results for text in r["submitted"]]
    assert len(set(sent)) == WRITERS * EDITS
    kept = [r.submitted for r in revisions]
    assert sorted(kept) == sorted(sent), "every submitted text is in exactly one revision"
    # Conflicts happened (stale writers, and writers racing each other), and each kept both texts.
    conflicts = [r for r in revisions if r.conflict]
    assert len(conflicts) >= 10, len(conflicts)
    assert sum(r["conflicts"] for r in results) == len(conflicts)
    texts = {0: "", **{r.revision: r.text for r in revisions}}
    for before, after in itertools.pairwise(revisions):
        if after.conflict:  # both writers' additions to the text the later one started from are in the note
            assert keeps_additions(texts[after.base_revision], before.text, after.submitted, after.text)
        else:
            assert after.text == after.submitted
    store.close()
    _integrity(db)


def test_twenty_writers_in_twenty_notes_each_keep_fifty_revisions(tmp_path, notes_location):
    db = notes_location
    topics = [f"case:case-{i:02d}" for i in range(WRITERS)]
    results = _run_writers(db, tmp_path, topics, stale=set())
    store = open_store(db)
    for result, topic in zip(results, topics, strict=True):
        key = NoteKey(WORKSHOP, topic)
        revisions = store.revisions(key)
        assert [r.revision for r in revisions] == list(range(1, EDITS + 1)), topic
        assert [r.submitted for r in revisions] == result["submitted"]
        assert not any(r.conflict for r in revisions), "a writer alone in its note never conflicts"
        assert store.get(key).text == result["submitted"][-1]
    assert len(store.notes(WORKSHOP)) == WRITERS
    store.close()


# A writer that saves until it is killed; after each save returns it prints "revision<TAB>text", flushed.
LOOPER = textwrap.dedent(
    """
    import sys
    from dol_toolkit.notes import NoteKey, open_store

    store = open_store(sys.argv[1])
    key = NoteKey("Ledergruppe Teknik og Miljø", "reflection:technologies")
    base = store.get(key).revision
    round_ = sys.argv[2]
    for i in range(1_000_000):
        text = f"runde {round_} ændring {i}: " + "tekst " * (i % 40)
        result = store.save(key, text, base, author="looper")
        base = result.note.revision
        sys.stdout.write(f"{result.note.revision}\\t{text}\\n")
        sys.stdout.flush()
    """
)


def _reports(data: bytes) -> list[tuple[int, str]]:
    """(revision, text) for every complete line; a line cut short by the kill reports nothing."""
    found = []
    for line in data.split(b"\n")[:-1]:  # the part after the last newline is not a complete report
        revision, text = line.decode("utf-8").split("\t", 1)
        found.append((int(revision), text))
    return found


class _Looper:
    """A LOOPER process: read its reports as they come, then kill it (SIGKILL) and keep every complete report."""

    def __init__(self, db: str, round_: int) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", LOOPER, db, str(round_)], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.data = b""

    def read_until(self, count: int, seconds: float) -> None:
        assert self.proc.stdout is not None
        deadline = time.monotonic() + seconds
        while (reported := self.data.count(b"\n")) < count:
            assert time.monotonic() < deadline, f"the writer reported {reported} saves, not {count}"
            line = self.proc.stdout.readline()
            assert line, f"the writer stopped: {self.proc.stderr.read().decode() if self.proc.stderr else ''}"
            self.data += line

    def kill(self) -> list[tuple[int, str]]:
        """SIGKILL, then the reports, with the rest read through the same reader (communicate() reads the pipe
        itself and would skip what readline() has already read ahead: a line cut in two)."""
        assert self.proc.stdout is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        rest = self.proc.stdout.read()
        self.proc.wait(timeout=10)
        assert self.proc.returncode == -signal.SIGKILL
        return _reports(self.data + rest)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
@pytest.mark.parametrize(("reports_before_kill", "extra_delay"), [(25, 0.0), (60, 0.013), (120, 0.031)])
def test_a_writer_killed_mid_save_loses_nothing_it_reported(notes_location, reports_before_kill, extra_delay):
    db = notes_location
    key = NoteKey(WORKSHOP, "reflection:technologies")
    reported: list[tuple[int, str]] = []
    for round_ in range(2):  # killed twice: the second writer goes on from what the first one left
        looper = _Looper(db, round_)
        try:
            looper.read_until(reports_before_kill, 30)
            time.sleep(extra_delay)  # let it get somewhere inside a later save
            reports = looper.kill()
        finally:
            looper.stop()
        assert len(reports) >= reports_before_kill
        reported += reports

        store = open_store(db)  # reopened after the kill
        revisions = {r.revision: r for r in store.revisions(key)}
        note = store.get(key)
        store.close()
        assert sorted(revisions) == list(range(1, len(revisions) + 1)), "revision numbers without gaps"
        for revision, text in reported:
            assert revisions[revision].text == text, f"revision {revision} lost or changed"
        last_revision, last_text = reported[-1]
        # The writer may have committed one more save it had no time to report; never fewer.
        assert note.revision in (last_revision, last_revision + 1), (note.revision, last_revision)
        if note.revision == last_revision:
            assert note.text == last_text
        else:
            assert revisions[note.revision].base_revision == last_revision
        _integrity(db)


def test_a_database_server_restart_under_a_writer_loses_nothing(postgres_server):
    """PostgreSQL is a server of its own: restarted (fast: open connections are cut) while a writer saves, the
    writer's store connects again and goes on, and every save it reported is there. (A SQLite file has no
    server; reopening it after a killed writer is the test above.)"""
    db = postgres_server.new_database()
    key = NoteKey(WORKSHOP, "reflection:technologies")
    open_store(db).close()
    looper = _Looper(db, 0)
    try:
        looper.read_until(30, 60)
        postgres_server.restart()
        looper.read_until(looper.data.count(b"\n") + 30, 120)  # it goes on after the restart
        reported = looper.kill()
    finally:
        looper.stop()
    store = open_store(db)
    revisions = {r.revision: r for r in store.revisions(key)}
    store.close()
    assert sorted(revisions) == list(range(1, len(revisions) + 1)), "revision numbers without gaps"
    for revision, text in reported:
        assert revisions[revision].text == text, f"revision {revision} lost or changed"
    assert len(revisions) >= len(reported) >= 60
