"""Control characters and terminal escape sequences in an export's cells never reach a terminal, a document or a
spreadsheet, wherever in the file they stand (issue 25, point 9): they are taken out on import, and the report
says in which rows."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest

from dol_toolkit.survey import read_export
from dol_toolkit.survey.readers import clean_text
from tests.survey.test_hostile_files import run

SAMPLE = "data/samples/ledelsesevaluering_digital_omstilling.csv"
LEADER = "Gitte Sørensen"  # her first row is far beyond the file's first 4 KB
# An OSC 8 link around the name, a screen clear, a bell and a right-to-left override in the department
HOSTILE_LEADER = "Gitte\x1b]8;;http://evil.example/\x07 Sørensen\x1b]8;;\x07\x1b[2J\x1b[H"
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def hostile_sample(repo: Path, folder: Path) -> tuple[Path, list[int]]:
    """The sample export with the leader's name (and department) full of escape sequences in every row of
    theirs (all after the first 8 KB); the rows changed."""
    text = (repo / SAMPLE).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    changed, offset = [], 0
    for number, row in enumerate(rows, start=1):
        offset += len(";".join(row).encode()) + 1
        if row[3] == LEADER:
            assert offset > 8192
            row[3] = HOSTILE_LEADER
            row[2] = row[2][:1] + "\x07\u202e" + row[2][1:] + "\x1b[31m"
            changed.append(number)
    assert len(changed) > 5
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\n").writerows(rows)
    path = folder / "export.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    assert "\x1b" not in path.read_text(encoding="utf-8")[:4096]
    return path, changed


def assert_clean(text: str) -> None:
    found = CONTROL.findall(text)
    assert not found, f"control characters reached the output: {found[:5]!r}"


def test_clean_text():
    assert clean_text(HOSTILE_LEADER) == LEADER
    assert clean_text("a\x9b31mb\x9d0;title\x9cc\x1bcd") == "abcd"
    assert clean_text("Linje 1\nLinje 2\tog tab") == "Linje 1\nLinje 2\tog tab"
    assert clean_text("\u202eevil\u2066") == "evil"


def test_import_takes_them_out_and_says_where(repo, tmp_path):
    path, changed = hostile_sample(repo, tmp_path)
    result = read_export(path)
    leaders = {str(x) for x in result.responses["leader_id"].cat.categories}
    assert LEADER in leaders and not any(CONTROL.search(x) for x in leaders)
    departments = {str(x) for x in result.responses["department"].cat.categories}
    assert not any(CONTROL.search(x) for x in departments)
    assert result.report.rows_kept == 1179  # nothing else changes
    note = next(n for n in result.report.to_dict("en")["notes"] if n["code"] == "control_characters")
    assert note["count"] == str(len(changed))
    shown = ", ".join(str(r) for r in changed[:8]) + (" …" if len(changed) > 8 else "")
    assert note["text"] == (f"Control characters (such as terminal codes or invisible characters that change the "
                            f"direction of text) were removed from the cells of {len(changed)} row(s): {shown}. "
                            f"Check the names in those rows; export the file again if they look wrong")


@pytest.mark.parametrize("command", [["leaders"], ["summary", "--leader", LEADER], ["validate"]])
def test_the_commands_print_no_control_characters(repo, tmp_path, command):
    path, _ = hostile_sample(repo, tmp_path)
    result = run(command[0], path, *command[1:])
    assert result.returncode == 0, result.stderr
    assert_clean(result.stdout + result.stderr)
    if command[0] != "validate":
        assert LEADER in result.stdout
    else:
        assert "Control characters (such as terminal codes" in result.stdout


def test_codes_and_documents_of_a_workshop_on_such_a_file(repo, tmp_path):
    path, _ = hostile_sample(repo, tmp_path)
    config = (repo / "workshop" / "eksempel.toml").read_text(encoding="utf-8")
    config = re.sub(r'(?m)^file = ".*"', f'file = "{path.as_posix()}"', config)
    config = config.replace('database = "../var/eksempel-notes.sqlite"', 'database = "notes.sqlite"')
    config = re.sub(r"(?ms)^leaders = \[.*?\]", f'leaders = ["{LEADER}", "Helle Kjeldsen"]', config)
    config_path = tmp_path / "workshop.toml"
    config_path.write_text(config, encoding="utf-8")
    codes = run("codes", config_path)
    assert codes.returncode == 0, codes.stderr
    assert_clean(codes.stdout + codes.stderr)
    assert LEADER in codes.stdout
    for fmt in ("md", "docx"):
        out = tmp_path / f"summary.{fmt}"
        result = run("export", config_path, "--format", fmt, "--out", out)
        assert result.returncode == 0, result.stderr  # a DOCX fails on strings that are not XML compatible
        if fmt == "md":
            text = out.read_text(encoding="utf-8")
        else:
            text = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
        assert_clean(text)
        assert LEADER in text
