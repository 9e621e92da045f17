"""`dol summary` on the sample data: records, anonymity in the output, errors with exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SAMPLE = "data/samples/ledelsesevaluering_digital_omstilling.csv"
DOL = [str(Path(sys.executable).parent / "dol")]


def _run(repo, *args):
    return subprocess.run([*DOL, "summary", str(repo / SAMPLE), *args], capture_output=True, text=True,
                          timeout=120)


def test_json_for_every_leader_hides_small_units(repo):
    result = _run(repo, "--json")
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    keys = {"leader", "item", "role", "n", "mean", "suppressed", "counts", "wave"}
    assert all(keys <= set(r) for r in records)
    hidden = [r for r in records if r["suppressed"]]
    shown = [r for r in records if not r["suppressed"] and r["role"] == "employee" and r["item"] != "index"]
    assert hidden and shown
    assert all(r["n"] is None and r["mean"] is None and r["counts"] is None for r in hidden)
    assert all(sum(r["counts"].values()) == r["n"] for r in shown)
    assert {r["leader"] for r in records} >= {"organisation"}
    # Every leader of the data is there, each with 2 rounds x 3 roles x 6 rows at most.
    assert len({r["leader"] for r in records}) == 44


def test_one_leader_and_a_department(repo):
    one = json.loads(_run(repo, "--leader", "Anders Pedersen", "--wave", "2026", "--json").stdout)
    assert {r["role"] for r in one} == {"employee", "self", "manager"}
    assert {r["wave"] for r in one} == {"2026"} and len(one) == 18
    dept = json.loads(_run(repo, "--department", "Teknik og Miljø", "--json").stdout)
    assert {r["leader"] for r in dept} == {"Teknik og Miljø"} and {r["role"] for r in dept} == {"employee"}


def test_errors_exit_2_with_a_message(repo):
    result = _run(repo, "--leader", "Ingen Sådan")
    assert result.returncode == 2 and "unknown leader" in result.stderr and "Traceback" not in result.stderr
    result = _run(repo, "--min-n", "3")
    assert result.returncode == 2 and "research mode" in result.stderr
    result = subprocess.run([*DOL, "summary", str(repo / "README.md")], capture_output=True, text=True)
    assert result.returncode == 2 and "Traceback" not in result.stderr and result.stderr.strip()
