"""Respondents per department, leader and round, and who falls under the anonymity rule (stats.leaders)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dol_toolkit.stats import AnonymityPolicy
from dol_toolkit.stats.anonymity import employee_respondents
from dol_toolkit.stats.leaders import COLUMNS, departments, latest_counts, leader_counts
from tests.stats.helpers import respondent, tidy

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples" / "ledelsesevaluering_digital_omstilling.csv"


def _people(leader: str, n: int, role: str = "employee", wave: str = "2024", department: str = "Teknik") -> list:
    return [row for _ in range(n) for row in respondent(leader, "4", role=role, wave=wave, department=department)]


@pytest.fixture(scope="module")
def responses() -> pd.DataFrame:
    rows = [
        *_people("Anne", 6), *_people("Anne", 1, "self"), *_people("Anne", 1, "manager"),
        *_people("Bent", 4), *_people("Bent", 1, "self"),
        *_people("Carl", 5, wave="2024", department="Kultur"), *_people("Carl", 4, wave="2025", department="Kultur"),
        # Dora's rows name two departments: she is in the one most of them carry
        *_people("Dora", 3, department="Kultur"), *_people("Dora", 2, department="Teknik"),
        # a leader with only a self-assessment
        *_people("Erik", 1, "self", department="Kultur"),
    ]
    return tidy(rows)


def _row(counts: pd.DataFrame, leader: str, wave: str = "2024") -> dict:
    found = counts[(counts["leader"] == leader) & (counts["wave"] == wave)]
    assert len(found) == 1, found
    return found.iloc[0].to_dict()


def test_counts_per_leader_round_and_role(responses):
    counts = leader_counts(responses)
    assert list(counts.columns) == COLUMNS
    anne = _row(counts, "Anne")
    assert (anne["department"], anne["employees"], anne["self"], anne["manager"]) == ("Teknik", 6, 1, 1)
    assert anne["shown"] and not anne["left_out"] and anne["in_organisation"]
    bent = _row(counts, "Bent")
    assert (bent["employees"], bent["self"], bent["manager"]) == (4, 1, 0)
    assert not bent["shown"] and bent["left_out"]
    carl_2024, carl_2025 = _row(counts, "Carl", "2024"), _row(counts, "Carl", "2025")
    assert (carl_2024["employees"], carl_2024["shown"]) == (5, True)
    assert (carl_2025["employees"], carl_2025["shown"]) == (4, False)
    assert _row(counts, "Dora")["department"] == "Kultur"
    erik = _row(counts, "Erik")
    assert (erik["employees"], erik["self"], erik["shown"], erik["left_out"]) == (0, 1, False, True)


def test_a_raised_minimum_leaves_more_leaders_out(responses):
    at_6 = leader_counts(responses, AnonymityPolicy(min_n=6))
    assert _row(at_6, "Anne")["shown"]
    assert not _row(at_6, "Carl", "2024")["shown"]
    # the organisation's figure keeps every leader with at least 5 (the block rule does not move with min_n)
    assert _row(at_6, "Carl", "2024")["in_organisation"]


def test_rows_are_sorted_by_department_leader_and_round(responses):
    counts = leader_counts(responses)
    keys = list(zip(counts["department"], counts["leader"], counts["wave"], strict=True))
    assert keys == [("Kultur", "Carl", "2024"), ("Kultur", "Carl", "2025"), ("Kultur", "Dora", "2024"),
                    ("Kultur", "Erik", "2024"), ("Teknik", "Anne", "2024"), ("Teknik", "Bent", "2024")]


def test_departments_and_latest_round(responses):
    counts = leader_counts(responses)
    assert departments(counts) == {"Kultur": ["Carl", "Dora", "Erik"], "Teknik": ["Anne", "Bent"]}
    latest = latest_counts(counts)
    assert _row(latest, "Carl", "2025")["employees"] == 4
    assert len(latest) == 5


def test_no_department_column_and_no_rows(responses):
    counts = leader_counts(responses.drop(columns="department"))
    assert set(counts["department"]) == {""}
    assert departments(counts)[""] == ["Anne", "Bent", "Carl", "Dora", "Erik"]
    empty = leader_counts(responses.iloc[:0])
    assert empty.empty and list(empty.columns) == COLUMNS


def test_the_sample_counts_equal_the_anonymity_modules_counts():
    from dol_toolkit.survey import read_export

    data = read_export(SAMPLE).responses
    counts = leader_counts(data)
    reference = employee_respondents(data)
    merged = counts.merge(reference.assign(leader=reference["leader_id"].astype(str),
                                           wave=reference["wave"].astype(str)), on=["leader", "wave"])
    assert len(merged) == len(reference)
    assert (merged["employees"] == merged["respondents"]).all()
    assert (counts["shown"] == (counts["employees"] >= 5)).all()
    # Teknik og Miljø: the example workshop's department, with Signe Åkjær below the rule
    latest = latest_counts(counts)
    signe = latest[latest["leader"] == "Signe Åkjær"].iloc[0]
    assert signe["department"] == "Teknik og Miljø" and not signe["shown"]
