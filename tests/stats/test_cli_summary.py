"""`dol summary` on the sample data and on a small export with numbers worked out by hand: records, anonymity in
the output, the text in Danish and English, errors with exit 2."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest
from scipy import stats as st

from tests.cli_support import run_dol_in_process

SAMPLE = "data/samples/ledelsesevaluering_digital_omstilling.csv"
DOL = [str(Path(sys.executable).parent / "dol")]


def _run(repo, *args):
    return _run_file(repo / SAMPLE, *args)


def _run_file(path, *args):
    """``dol summary`` in this process; the entry point itself is run as a program in
    test_errors_exit_2_with_a_message."""
    return run_dol_in_process("summary", str(path), *args)


def test_json_for_every_leader_hides_small_units(repo):
    result = _run(repo, "--json")
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    keys = {"leader", "kind", "item", "role", "n", "n_substantive", "dont_know", "prefer_not", "mean", "suppressed",
            "counts", "wave", "left_out"}
    assert all(keys <= set(r) for r in records)
    hidden = [r for r in records if r["suppressed"]]
    shown = [r for r in records if not r["suppressed"] and r["role"] == "employee" and r["item"] != "index"]
    assert hidden and shown
    assert all(r["n"] is None and r["mean"] is None and r["counts"] is None for r in hidden)
    assert all(r["n_substantive"] is None and r["dont_know"] is None and r["prefer_not"] is None for r in hidden)
    assert all(sum(r["counts"].values()) == r["n"] for r in shown)
    assert all(r["n"] == r["n_substantive"] + r["dont_know"] + r["prefer_not"] for r in shown)
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


# ------------------------------------------------------------------------------ a small export, by hand
HEADER = ["Respondent-ID", "År", "Forvaltning", "Leder", "Rolle",
          "Min leder sikrer, at vores kompetencer er opdaterede med hensyn til den digitale udvikling.",
          "Min leder kan forklare, hvorfor vi skal tage nye digitale teknologier i brug.",
          "Min leder sikrer, at den digitale omstilling skaber værdi for borgerne/brugerne.",
          "Min leder skaber en kultur, hvor vi går nysgerrigt og systematisk til nye digitale teknologier.",
          "Min leder sikrer, at vi har styr på IT-sikkerheden i vores enhed."]
LABEL = {"1": "Helt uenig", "2": "Overvejende uenig", "3": "Hverken enig eller uenig", "4": "Overvejende enig",
         "5": "Helt enig", "dk": "Ved ikke", "pn": "Ønsker ikke at oplyse"}
# Bo: six employees; on the first item (competences) 4, 4, 5, 2, "Ved ikke", "Ønsker ikke at oplyse"; 4 on the
# other items. Bo rated themself (5 on every item); Bo's own leader did not answer. Ea: three employees (all 1),
# below the limit of 5, in the same department.
BO_FIRST = ["4", "4", "5", "2", "dk", "pn"]


def _export(path: Path) -> Path:
    lines = [";".join(HEADER)]
    k = 0

    def row(leader: str, role: str, answers: list[str]) -> None:
        nonlocal k
        k += 1
        lines.append(";".join([f"R{k:03d}", "2025", "Kultur", leader, role, *(LABEL[a] for a in answers)]))

    for first in BO_FIRST:
        row("Bo", "Medarbejder", [first, "4", "4", "4", "4"])
    row("Bo", "Leder", ["5"] * 5)
    for _ in range(3):
        row("Ea", "Medarbejder", ["1"] * 5)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def small_export(tmp_path):
    return _export(tmp_path / "lille.csv")


def _record(records, leader, role, item):
    (record,) = [r for r in records if r["leader"] == leader and r["role"] == role and r["item"] == item]
    return record


def test_records_carry_answers_on_and_off_the_scale(small_export):
    records = json.loads(_run_file(small_export, "--json").stdout)
    first = _record(records, "Bo", "employee", "competences")
    values = [4, 4, 5, 2]
    assert first["n"] == 6 and first["n_substantive"] == 4
    assert first["dont_know"] == 1 and first["prefer_not"] == 1
    assert first["counts"] == {"1": 0, "2": 1, "3": 0, "4": 2, "5": 1, "dont_know": 1, "prefer_not": 1}
    assert math.isclose(first["mean"], 3.75)
    low, high = st.t.interval(0.95, len(values) - 1, loc=3.75, scale=st.sem(values))
    assert math.isclose(first["ci_low"], round(max(low, 1.0), 4)) and first["ci_high"] == min(round(high, 4), 5.0)
    other = _record(records, "Bo", "employee", "rationale")
    assert (other["n"], other["n_substantive"], other["dont_know"], other["prefer_not"]) == (6, 6, 0, 0)
    assert other["mean"] == 4.0 and other["respondents"] == 6
    # The leader's own answer, and an own leader who did not answer: "no answers", not "too few".
    own = _record(records, "Bo", "self", "competences")
    assert (own["n"], own["n_substantive"], own["mean"], own["suppressed"]) == (1, 1, 5.0, False)
    manager = _record(records, "Bo", "manager", "competences")
    assert manager["suppressed"] and manager["reason"] == "no_answers"
    assert manager["n"] is None and manager["n_substantive"] is None and manager["dont_know"] is None
    # Ea's employees are hidden: every number null.
    hidden = _record(records, "Ea", "employee", "competences")
    assert hidden["suppressed"] and hidden["reason"] == "too_few_respondents"
    assert all(hidden[k] is None for k in ("n", "n_substantive", "dont_know", "prefer_not", "mean", "counts"))


def test_pooled_figures_list_the_leaders_left_out(small_export):
    records = json.loads(_run_file(small_export, "--json").stdout)
    org = _record(records, "organisation", "employee", "competences")
    # Ea's 3 respondents are the round's pool, below 5: they enter no figure, and the organisation says so.
    assert org["kind"] == "organisation" and org["n"] == 6 and org["respondents"] == 6
    assert org["left_out"] == [{"leader": "Ea", "reason": "too_few_respondents"}]
    assert _record(records, "Bo", "employee", "competences")["left_out"] == []
    department = json.loads(_run_file(small_export, "--department", "Kultur", "--json").stdout)
    first = _record(department, "Kultur", "employee", "competences")
    assert first["kind"] == "department" and first["counts"] == org["counts"]
    assert first["left_out"] == [{"leader": "Ea", "reason": "too_few_respondents"}]
    group = json.loads(_run_file(small_export, "--leader", "Bo", "Ea", "--json").stdout)
    assert all(r["left_out"] == [{"leader": "Ea", "reason": "too_few_respondents"}] for r in group)
    # A group of Ea alone is suppressed; it still says who is left out, never how many answered.
    alone = json.loads(_run_file(small_export, "--leader", "Ea", "Bo", "--min-n", "7", "--json").stdout)
    assert all(r["suppressed"] and r["n"] is None for r in alone)
    assert {x["leader"] for x in alone[0]["left_out"]} == {"Bo", "Ea"}
    assert all(set(x) == {"leader", "reason"} for r in alone for x in r["left_out"])


def _line(text: str, *parts: str) -> str:
    (line,) = [x for x in text.splitlines() if all(p in x for p in parts)]
    return line


def test_text_in_danish_with_decimal_comma(small_export):
    result = _run_file(small_export)
    assert result.returncode == 0, result.stderr
    line = _line(result.stdout, "Bo 2025", "medarbejdere", "Opdaterede kompetencer")
    assert "n=6" in line and "gns.=3,75 [" in line and "på skalaen=4" in line
    assert "ved ikke=1" in line and "ønsker ikke at oplyse=1" in line and "3.75" not in line
    assert "intet svar" in _line(result.stdout, "Bo 2025", "leders leder", "IT-sikkerhed")
    assert "gns.=5,00" in _line(result.stdout, "Bo 2025", "leder selv", "Temaet samlet")
    assert "skjult: færre end 5 medarbejdersvar" in _line(result.stdout, "Ea 2025", "medarbejdere", "Nysgerrig")
    assert "Hele organisationen 2025: uden for tallene, færre end 5 medarbejdersvar: Ea" in result.stdout
    assert "n=6" in _line(result.stdout, "Hele organisationen 2025", "medarbejdere", "Forklarer hvorfor")


def test_text_in_english(small_export):
    result = _run_file(small_export, "--lang", "en")
    assert result.returncode == 0, result.stderr
    line = _line(result.stdout, "Bo 2025", "employees", "Up-to-date skills")
    assert "mean=3.75 [" in line and "on the scale=4" in line and "don't know=1" in line
    assert "prefer not to say=1" in line
    assert "no answer" in _line(result.stdout, "Bo 2025", "own leader", "IT security")
    assert "hidden: fewer than 5 employee answers" in _line(result.stdout, "Ea 2025", "employees", "Explains why")
    assert "The whole organisation 2025: left out of the figures" in result.stdout
