"""``dol leaders``: departments and leaders with their employee answers per round and the anonymity status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dol_toolkit.cli import main

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples" / "ledelsesevaluering_digital_omstilling.csv"


def _row(lines: list[str], leader: str) -> list[str]:
    line = next(x for x in lines if x.strip().startswith(leader))
    return line.strip()[len(leader):].split()


def test_the_table_counts_employees_per_round_and_marks_the_leaders_under_the_limit(capsys) -> None:
    assert main(["leaders", str(SAMPLE)]) == 0
    lines = capsys.readouterr().out.splitlines()
    heading = next(i for i, x in enumerate(lines) if x.startswith("Teknik og Miljø ("))
    assert lines[heading] == "Teknik og Miljø (7 ledere)"
    assert lines[heading + 1].split()[-2:] == ["2024", "2026"]
    assert _row(lines, "Klaus Tønnesen") == ["20", "SL", "21", "SL"]
    assert _row(lines, "Helle Kjeldsen") == ["4", "*", "SL", "1", "*", "SL"]
    assert _row(lines, "Jesper Bertelsen") == ["4", "*", "SL", "-"]  # no answers about him in 2026
    assert _row(lines, "Nanna Østergaard") == ["6", "SL", "5", "SL"]  # 5 is enough
    assert lines[-1].startswith("* = færre end 5 medarbejdersvar")


def test_json_has_one_record_per_leader_and_round(capsys) -> None:
    assert main(["leaders", str(SAMPLE), "--json", "--min-n", "6"]) == 0
    records = json.loads(capsys.readouterr().out)
    nanna = {r["wave"]: r for r in records if r["leader"] == "Nanna Østergaard"}
    assert nanna["2024"]["employees"] == 6 and nanna["2024"]["shown"] is True
    assert nanna["2026"]["employees"] == 5 and nanna["2026"]["shown"] is False  # under a limit of 6
    assert {r["department"] for r in records if r["leader"] == "Klaus Tønnesen"} == {"Teknik og Miljø"}
    assert all(r["shown"] != r["left_out"] for r in records)


def test_english_and_a_file_that_cannot_be_read(tmp_path: Path, capsys) -> None:
    assert main(["leaders", str(SAMPLE), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Teknik og Miljø (7 leaders)" in out and "* = fewer than 5 employee answers" in out
    assert main(["leaders", str(tmp_path / "missing.csv")]) == 2
    assert capsys.readouterr().err.strip()


@pytest.mark.parametrize("min_n", [3, 4])
def test_the_limit_is_never_below_5(min_n: int, capsys) -> None:
    assert main(["leaders", str(SAMPLE), "--min-n", str(min_n)]) == 2
    assert "dol leaders:" in capsys.readouterr().err
