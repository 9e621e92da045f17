"""Disclosure control counts people, not rows (issue 24): a resubmission or a test answer never lifts a leader
over the limit, at 5 or at a raised minimum, in ``dol summary``, ``dol leaders`` or a figure over several
leaders; and ``dol leaders`` and ``dol summary`` work on an export without a round column.

The export is written here, shaped like a state agency's: a person key, a submission time, a status column and
a test flag column of its own.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dol_toolkit.cli import main
from dol_toolkit.stats.anonymity import AnonymityPolicy
from dol_toolkit.stats.leaders import leader_counts
from dol_toolkit.stats.summary import summary
from dol_toolkit.survey import read_export
from tests.survey.builders import EMPLOYEE_DA, write_csv

HEADER = ["Person-ID", "Sluttid", "Afdeling", "Leder", "Rolle", "Status", "Testsvar", *EMPLOYEE_DA]


def _rows(leader: str, department: str, people: int, *, resubmissions: int = 0, tests: int = 0,
          value: str = "4") -> list[list[str]]:
    rows = [[f"{leader}-{k}", f"0{1 + k % 9}-03-2024 10:00", department, leader, "Medarbejder", "Gennemført", "0",
             *[value] * 5] for k in range(people)]
    rows += [[f"{leader}-{k}", "28-03-2024 10:00", department, leader, "Medarbejder", "Gennemført", "0",
              *["1"] * 5] for k in range(resubmissions)]  # the same people again, later
    rows += [[f"{leader}-test{k}", "28-03-2024 10:00", department, leader, "Medarbejder", "Gennemført", "1",
              *["5"] * 5] for k in range(tests)]
    return rows


@pytest.fixture
def agency(tmp_path: Path) -> Path:
    """Ane: 4 people + 1 resubmission (5 rows); Bo: 4 people + 1 test answer (5 rows); Cai: 7 people + 1
    resubmission (8 rows); Dan: 8 people. All in "Drift"; Eva: 6 people in "Stab"."""
    rows = [*_rows("Ane", "Drift", 4, resubmissions=1), *_rows("Bo", "Drift", 4, tests=1),
            *_rows("Cai", "Drift", 7, resubmissions=1), *_rows("Dan", "Drift", 8), *_rows("Eva", "Stab", 6)]
    return write_csv(tmp_path / "styrelse.csv", [HEADER, *rows], encoding="cp1252")


def _employee_records(records: list[dict], leader: str) -> list[dict]:
    return [r for r in records if r["leader"] == leader and r["role"] == "employee"]


def test_the_import_counts_people(agency: Path) -> None:
    report = read_export(agency).report
    assert [p.code for p in report.problems].count("resubmission") == 2
    assert [p.code for p in report.problems].count("test_response") == 1
    counts = leader_counts(read_export(agency).responses).set_index("leader")
    assert counts.loc[["Ane", "Bo", "Cai", "Dan", "Eva"], "employees"].tolist() == [4, 4, 7, 8, 6]


@pytest.mark.parametrize("leader", ["Ane", "Bo"])
def test_four_people_and_a_resubmission_or_a_test_are_never_shown(agency: Path, leader: str, capsys) -> None:
    assert main(["summary", str(agency), "--leader", leader, "--json"]) == 0
    records = _employee_records(json.loads(capsys.readouterr().out), leader)
    assert records and all(r["suppressed"] and r["n"] is None and r["counts"] is None for r in records)
    assert main(["leaders", str(agency), "--json"]) == 0
    row = next(r for r in json.loads(capsys.readouterr().out) if r["leader"] == leader)
    assert row["employees"] == 4 and row["shown"] is False


def test_at_min_n_8_seven_people_and_a_resubmission_are_under(agency: Path, capsys) -> None:
    assert main(["summary", str(agency), "--leader", "Cai", "--min-n", "8", "--json"]) == 0
    assert all(r["suppressed"] for r in _employee_records(json.loads(capsys.readouterr().out), "Cai"))
    assert main(["summary", str(agency), "--leader", "Dan", "--min-n", "8", "--json"]) == 0
    dan = _employee_records(json.loads(capsys.readouterr().out), "Dan")
    assert dan and not any(r["suppressed"] for r in dan) and {r["respondents"] for r in dan} == {8}
    assert main(["leaders", str(agency), "--min-n", "8", "--json"]) == 0
    cai = next(r for r in json.loads(capsys.readouterr().out) if r["leader"] == "Cai")
    assert cai["employees"] == 7 and cai["shown"] is False
    assert main(["leaders", str(agency), "--min-n", "8"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.strip().startswith("Cai"))
    assert line.split()[1:3] == ["7", "*"]


@pytest.mark.parametrize("min_n", [5, 8])
def test_no_difference_of_published_figures_gives_back_a_hidden_leader(agency: Path, min_n: int) -> None:
    """The department, the organisation and a group with and without the hidden leaders: every published
    employee figure and every difference of two is zero or holds at least 5 people."""
    responses = read_export(agency).responses
    policy = AnonymityPolicy(min_n=min_n)
    figures: dict[str, dict[str, int]] = {}
    for name, records in (("org", [r for r in summary(responses, policy=policy) if r["kind"] == "organisation"]),
                          ("drift", summary(responses, department="Drift", policy=policy)),
                          ("group", summary(responses, leaders=["Ane", "Bo", "Cai", "Dan"], policy=policy)),
                          ("dan", summary(responses, leaders=["Dan"], policy=policy)),
                          ("eva", summary(responses, leaders=["Eva"], policy=policy))):
        figures[name] = {r["item"]: r["respondents"] or 0 for r in records
                         if r["role"] == "employee" and r["item"] != "index" and not r["suppressed"]}
    for name, by_item in figures.items():
        assert all(n == 0 or n >= 5 for n in by_item.values()), (name, by_item)
    members = {"org": {"Ane", "Bo", "Cai", "Dan", "Eva"}, "drift": {"Ane", "Bo", "Cai", "Dan"},
               "group": {"Ane", "Bo", "Cai", "Dan"}, "dan": {"Dan"}, "eva": {"Eva"}}
    for a in figures:
        for b in figures:
            if not members[b] <= members[a]:
                continue  # a figure minus one of its parts
            for item, n in figures[a].items():
                difference = n - figures[b].get(item, 0)
                assert difference <= 0 or difference >= 5, (a, b, item, difference)


# -- 11. one round, no round column --------------------------------------------------------------------------
@pytest.fixture
def one_round(tmp_path: Path) -> Path:
    header = ["Leder", "Afdeling", "Rolle", *EMPLOYEE_DA]
    rows = [["Ane", "HR", "Medarbejder", *["4"] * 5] for _ in range(6)]
    rows += [["Ane", "HR", "Leder", *["5"] * 5]]
    rows += [["Bo", "IT", "Medarbejder", *["2"] * 5] for _ in range(3)]
    return write_csv(tmp_path / "en_runde.csv", [header, *rows])


def test_dol_leaders_without_a_round_column(one_round: Path, capsys) -> None:
    counts = leader_counts(read_export(one_round).responses).set_index("leader")
    assert counts.loc["Ane", "shown"] and not counts.loc["Bo", "shown"]
    assert counts.loc["Ane", "department"] == "HR" and counts.loc["Bo", "department"] == "IT"
    assert counts.loc["Ane", "wave"] is None
    assert main(["leaders", str(one_round)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "HR (1 leder)" in lines and "IT (1 leder)" in lines
    assert next(x for x in lines if x.strip().startswith("Ane")).split()[1:] == ["6", "S-"]
    assert next(x for x in lines if x.strip().startswith("Bo")).split()[1:] == ["3", "*", "--"]


def test_dol_summary_without_a_round_column(one_round: Path, capsys) -> None:
    assert main(["summary", str(one_round), "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    ane = _employee_records(records, "Ane")
    assert ane and not any(r["suppressed"] for r in ane) and {r["wave"] for r in ane} == {None}
    assert all(r["suppressed"] for r in _employee_records(records, "Bo"))
    organisation = [r for r in records if r["kind"] == "organisation" and r["role"] == "employee"]
    assert organisation and all(r["left_out"] == [{"leader": "Bo", "reason": "too_few_respondents"}]
                                for r in organisation)
