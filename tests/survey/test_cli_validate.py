"""`dol validate FILE [--mapping M] [--json] [--lang da|en] [--write-mapping M]` as a facilitator runs it."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.survey.builders import EMPLOYEE_DA, WIDE_BY_CATEGORY, WIDE_ROWS, wide_table, write_csv, write_xlsx
from tests.survey.test_mapping import CUSTOM_HEADER, CUSTOM_ROWS, custom_file

DOL = Path(sys.executable).parent / "dol"


def dol(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    if not DOL.exists():
        pytest.fail(f"the dol command is not installed next to {sys.executable}")
    result = subprocess.run([str(DOL), "validate", *map(str, args)], capture_output=True, text=True, timeout=120,
                            cwd=cwd)
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    return result


def report_json(*args: object) -> dict:
    result = dol(*args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_sample_json(repo):
    data = report_json(repo / "data" / "samples" / "ledelsesevaluering_digital_omstilling.csv")
    assert data["rows_read"] == 1179
    assert data["rows_kept"] == 1179
    assert data["rows_excluded"] == 0
    assert data["leaders"] == 43
    assert data["waves"] == ["2024", "2026"]
    assert data["problems"] == []
    assert sum(data["respondents_by_role"].values()) == 1179


def test_sample_xlsx_json(repo):
    data = report_json(repo / "data" / "samples" / "ledelsesevaluering_digital_omstilling.xlsx")
    assert (data["rows_read"], data["leaders"], data["waves"]) == (1179, 43, ["2024", "2026"])


def test_json_with_problems_exits_0(tmp_path):
    rows = [list(r) for r in WIDE_ROWS]
    rows[4][4] = "Praktikant"  # row 6
    rows[0][5] = "Måske"  # row 2
    path = write_csv(tmp_path / "x.csv", wide_table(rows=rows))
    en = report_json(path, "--lang", "en")
    da = report_json(path, "--lang", "da")
    assert en["rows_read"] == 8 and en["rows_kept"] == 7 and en["rows_excluded"] == 1
    assert en["respondents_by_role"] == {"employee": 3, "self": 3, "manager": 1}
    assert en["leaders"] == 2
    got = sorted((p["row"], p["column"], p["value"]) for p in en["problems"])
    assert got == [(2, EMPLOYEE_DA[0], "Måske"), (6, "Rolle", "Praktikant")]
    for p_en, p_da in zip(en["problems"], da["problems"], strict=True):
        assert set(p_en) >= {"row", "column", "value", "reason"}
        assert p_en["reason"] and p_da["reason"] and p_en["reason"] != p_da["reason"]
    assert set(en["answers_by_category"]) >= {"1", "2", "3", "4", "5", "dont_know", "prefer_not", "blank"}


def test_json_danish_letters_are_readable(tmp_path):
    path = write_csv(tmp_path / "x.csv", wide_table(), encoding="cp1252")
    result = dol(path, "--json")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["answers_by_category"] == WIDE_BY_CATEGORY


def test_text_report(tmp_path):
    path = write_csv(tmp_path / "x.csv", wide_table())
    for lang in ("da", "en"):
        result = dol(path, "--lang", lang)
        assert result.returncode == 0, result.stderr
        assert "8" in result.stdout and "2024" in result.stdout and "2026" in result.stdout
    assert dol(path, "--lang", "da").stdout != dol(path, "--lang", "en").stdout


@pytest.mark.parametrize("lang", ["da", "en"])
def test_not_importable_exit_2_with_fix(tmp_path, lang):
    path = write_csv(tmp_path / "x.csv", [["Navn", "Svar"], ["A", "4"]])
    result = dol(path, "--lang", lang)
    assert result.returncode == 2
    assert "--write-mapping" in result.stderr
    assert result.stdout.strip() == ""


@pytest.mark.parametrize(
    "content", [b"", b"%PDF-1.4\n" + bytes(100), b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), bytes(range(256))]
)
def test_unusable_files_exit_2(tmp_path, content):
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    result = dol(path, "--json")
    assert result.returncode == 2
    assert result.stderr.strip()


def test_missing_file_exit_2(tmp_path):
    result = dol(tmp_path / "nope.csv")
    assert result.returncode == 2
    assert "nope.csv" in result.stderr


def test_bad_mapping_exit_2(tmp_path):
    path = write_csv(tmp_path / "x.csv", wide_table())
    (tmp_path / "m.toml").write_text('[columns.items]\nkompetencer = "Q1"\n', encoding="utf-8")
    result = dol(path, "--mapping", tmp_path / "m.toml")
    assert result.returncode == 2
    assert "kompetencer" in result.stderr


def test_write_mapping_round_trip_recognised_file(tmp_path):
    path = write_xlsx(tmp_path / "x.xlsx", wide_table())
    mapping = tmp_path / "m.toml"
    result = dol(path, "--write-mapping", mapping, "--json")
    assert result.returncode == 0, result.stderr
    assert mapping.exists()
    parsed = tomllib.loads(mapping.read_text(encoding="utf-8"))
    assert parsed["columns"]["role"] == "Rolle"
    assert set(parsed["columns"]["items"]) == {"competences", "rationale", "citizen_value", "curiosity_culture",
                                              "it_security"}
    before = json.loads(result.stdout)
    after = report_json(path, "--mapping", mapping)
    for key in ("rows_read", "rows_kept", "leaders", "waves", "respondents_by_role", "answers_by_category",
                "problems"):
        assert before[key] == after[key]


def test_write_mapping_for_unrecognised_file_then_edit(tmp_path):
    path = custom_file(tmp_path)
    mapping = tmp_path / "m.toml"
    first = dol(path, "--write-mapping", mapping)
    assert first.returncode == 2  # not importable yet, but the draft is written
    text = mapping.read_text(encoding="utf-8")
    tomllib.loads(text)  # a valid TOML file, to edit
    assert "role" in text and "leader" in text and "competences" in text
    # the facilitator fills in what was missing
    edited = (
        text.replace('# leader_id = ""   # NOT FOUND: the header of this column (required)', 'leader_id = "Chef-nr"')
        .replace('# role = ""   # NOT FOUND: the header of this column (required)', 'role = "Type"')
        .replace('# respondent_id = ""', 'respondent_id = "Løbenr"')
    )
    edited_lines = []
    for line in edited.splitlines():
        for k, item in enumerate(["competences", "rationale", "citizen_value", "curiosity_culture", "it_security"]):
            if line.startswith(f"# {item} = "):
                line = f'{item} = "Q{k + 1}"'
        edited_lines.append(line)
    mapping.write_text("\n".join(edited_lines) + "\n", encoding="utf-8")
    assert 'role = "Type"' in mapping.read_text(encoding="utf-8")
    # second round: the draft now lists the labels it does not know, to fill in
    second = tmp_path / "m2.toml"
    result = dol(path, "--mapping", mapping, "--write-mapping", second, "--json")
    assert result.returncode == 0, result.stderr
    draft = second.read_text(encoding="utf-8")
    tomllib.loads(draft)
    for label in ("Chefen selv", "Direktør", "Lidt uenig", "Ikke relevant", "Vil ikke svare"):
        assert label in draft, f"{label!r} not offered in the draft mapping"
    data = json.loads(result.stdout)
    assert data["rows_read"] == len(CUSTOM_ROWS)
    assert data["rows_read"] == data["rows_kept"] + data["rows_excluded"]


def test_draft_mapping_does_not_claim_answers_recognised_when_no_item_column_was_found(tmp_path):
    """The first draft for an unrecognised file should not say 'every answer label was recognised'."""
    path = write_csv(tmp_path / "c.csv", [CUSTOM_HEADER[:-1], *CUSTOM_ROWS])
    mapping = tmp_path / "m.toml"
    dol(path, "--write-mapping", mapping, "--lang", "en")
    text = mapping.read_text(encoding="utf-8")
    assert "every answer label was recognised" not in text


def test_help_mentions_write_mapping():
    result = subprocess.run([str(DOL), "validate", "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert "--write-mapping" in result.stdout


def test_write_mapping_for_unreadable_file(tmp_path):
    path = tmp_path / "export.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(300))
    mapping = tmp_path / "m.toml"
    result = dol(path, "--write-mapping", mapping)
    assert result.returncode == 2
    assert result.stderr.strip()
    assert not mapping.exists()


def test_write_mapping_into_missing_folder_is_a_message_not_a_traceback(tmp_path):
    path = write_csv(tmp_path / "x.csv", wide_table())
    result = dol(path, "--write-mapping", tmp_path / "no" / "such" / "m.toml")
    assert result.returncode == 2
    assert result.stderr.strip()


def test_write_mapping_keeps_the_sheet(tmp_path):
    path = write_xlsx(tmp_path / "x.xlsx", wide_table(), title="Svar", before=[("Forside", [["Velkommen"]])])
    mapping = tmp_path / "m.toml"
    mapping.write_text('[file]\nsheet = "Svar"\n', encoding="utf-8")
    draft = tmp_path / "draft.toml"
    result = dol(path, "--mapping", mapping, "--write-mapping", draft, "--json")
    assert result.returncode == 0, result.stderr
    assert tomllib.loads(draft.read_text(encoding="utf-8"))["file"]["sheet"] == "Svar"
    assert json.loads(result.stdout)["rows_read"] == 8
    assert report_json(path, "--mapping", draft)["rows_read"] == 8


def test_missing_mapping_file_exit_2(tmp_path):
    path = write_csv(tmp_path / "x.csv", wide_table())
    result = dol(path, "--mapping", tmp_path / "nope.toml")
    assert result.returncode == 2
    assert "nope.toml" in result.stderr
