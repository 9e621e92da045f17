"""Notes and action plans typed in the room reach the documents without control characters or terminal escape
sequences (issue 25, point 9: free text): a DOCX cannot hold them, a terminal would run them."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from dol_toolkit.export.cli import cli_export
from dol_toolkit.export.summary import workshop_id
from dol_toolkit.notes import NoteKey, open_store
from dol_toolkit.notes.topics import PLAN_ACTIONS, Action, dump_actions, reflection_topic
from tests.export.conftest import make_config

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|\\[2J|\\]8;;")
NOTE = "Vi vil\x1b]8;;http://evil.example/\x07 lære\x1b]8;;\x07 mere\x00 om\x1b[2J data\x0b."


def test_notes_with_control_characters_give_clean_documents(repo: Path, tmp_path: Path):
    config = make_config(repo, tmp_path / "workshop")
    store = open_store(config.notes_database)
    try:
        wid = workshop_id(config)
        store.save(NoteKey(wid, reflection_topic("technologies")), NOTE, 0, author="facilitator")
        store.save(NoteKey(wid, PLAN_ACTIONS), dump_actions((Action("Plan\x1b[31m A\x07", "IT\x00", "2027-01-15",
                                                                    "competences"),)), 0)
    finally:
        store.close()
    for fmt in ("docx", "md", "html"):
        out = tmp_path / f"summary.{fmt}"
        assert cli_export(str(config.path), fmt, str(out), None, "da") == 0
        text = zipfile.ZipFile(out).read("word/document.xml").decode() if fmt == "docx" else out.read_text("utf-8")
        assert not CONTROL.findall(text), fmt
        # the escape sequences are gone whole; a lone control character shows as U+FFFD, as before
        assert "Vi vil lære mere\ufffd om data\ufffd." in text
        assert "Plan A\ufffd" in text
