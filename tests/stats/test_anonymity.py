"""Anonymity is enforced in the statistics: suppressed figures carry no numbers, and no two shown figures can
be subtracted to reveal the answers of a leader below the limit."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dol_toolkit.stats import AnonymityError, AnonymityPolicy, Selection, describe_leaders, describe_selection
from dol_toolkit.stats.anonymity import reportable_leaders
from dol_toolkit.stats.describe import MOMENT_COLUMNS
from dol_toolkit.stats.summary import summary
from dol_toolkit.themes import load_theme
from tests.stats.helpers import tidy, unit

# Department A: two shown leaders (6 and 5 employees) and one below the limit (3 employees, all "1").
# Department B: one shown leader (7) and one below the limit (1 employee).
ROWS = (
    unit("big", ["4", "5", "4", "3", "4", "5"], department="A")
    + unit("five", ["2", "3", "4", "4", "5"], department="A")
    + unit("small", ["1", "1", "1"], department="A")
    + unit("other", ["3", "3", "4", "4", "4", "5", "5"], department="B")
    + unit("tiny", ["2"], department="B")
)

_CATEGORIES = load_theme().scale.categories
COUNT_COLUMNS = [f"count_{c}" for c in _CATEGORIES]
NUMBER_COLUMNS = ["respondents", "n", *COUNT_COLUMNS, *(f"share_{c}" for c in _CATEGORIES), *MOMENT_COLUMNS]


@pytest.fixture
def responses():
    return tidy(ROWS)


def _employee(frame):
    """Employee rows by item; the theme index row has no counts and is compared through its mean."""
    return frame[frame["role"] == "employee"].set_index("item_id")


def _items(frame):
    return _employee(frame).drop(index="index")


def test_reportable_leaders(responses):
    status = reportable_leaders(responses, AnonymityPolicy()).set_index("leader_id")
    assert status["respondents"].to_dict() == {"big": 6, "five": 5, "other": 7, "small": 3, "tiny": 1}
    assert status["reportable"].to_dict() == {"big": True, "five": True, "other": True, "small": False,
                                              "tiny": False}


def test_leader_below_limit_carries_no_number(responses):
    frame = describe_selection(responses, Selection.leader("small"))
    employee = frame[frame["role"] == "employee"]
    assert employee["suppressed"].all()
    assert set(employee["reason"]) == {"too_few_respondents"}
    assert employee[NUMBER_COLUMNS].isna().all().all()
    # The leader's own and own-leader answers are theirs to see.
    assert frame[frame["role"] == "self"]["mean"].dropna().eq(4).all()


def test_five_is_enough_four_is_not():
    rows = unit("five", ["4"] * 5) + unit("four", ["4"] * 4)
    frame = describe_leaders(tidy(rows))
    employee = frame[frame["role"] == "employee"].groupby("leader_id")["suppressed"].all()
    assert employee.to_dict() == {"five": False, "four": True}


def test_group_with_or_without_a_small_leader_is_the_same(responses):
    """Differencing attack 1: group minus (group without the small leader) must reveal nothing."""
    with_small = _items(describe_selection(responses, Selection.group(["big", "five", "small"])))
    without = _items(describe_selection(responses, Selection.group(["big", "five"])))
    assert (with_small[COUNT_COLUMNS] == without[COUNT_COLUMNS]).all().all()
    assert np.allclose(with_small["mean"], without["mean"])
    assert (with_small["leaders_left_out"] == 1).all() and (without["leaders_left_out"] == 0).all()


def test_department_minus_its_shown_leaders_is_zero(responses):
    """Differencing attack 2: a department minus every leader shown in it leaves nothing."""
    department = _items(describe_selection(responses, Selection.of_department("A")))
    shown = [_items(describe_selection(responses, Selection.leader(x))) for x in ("big", "five")]
    remainder = department[COUNT_COLUMNS] - sum(s[COUNT_COLUMNS] for s in shown)
    assert (remainder == 0).all().all()


def test_organisation_pool_below_the_limit_enters_no_figure(responses):
    """Differencing attack 3: the organisation minus all shown leaders. The small leaders' pool here is 4
    employees (3 + 1), below the limit, so it is left out of the organisation too."""
    org = _items(describe_selection(responses, Selection.organisation()))
    shown = [_items(describe_selection(responses, Selection.leader(x))) for x in ("big", "five", "other")]
    remainder = org[COUNT_COLUMNS] - sum(s[COUNT_COLUMNS] for s in shown)
    assert (remainder == 0).all().all()
    assert org.loc["competences", "respondents"] == 18


def test_organisation_pool_of_five_or_more_counts_there_only():
    rows = (unit("big", ["4"] * 6) + unit("s1", ["1", "1", "1"]) + unit("s2", ["2", "2"]))
    responses = tidy(rows)
    org = _items(describe_selection(responses, Selection.organisation()))
    big = _items(describe_selection(responses, Selection.leader("big")))
    remainder = org[COUNT_COLUMNS] - big[COUNT_COLUMNS]
    # What differencing yields is the pooled five answers of two leaders, never one leader's.
    assert remainder.loc["competences", "count_1"] == 3 and remainder.loc["competences", "count_2"] == 2
    assert org.loc["competences", "respondents"] == 11
    group = _items(describe_selection(responses, Selection.group(["big", "s1", "s2"])))
    assert group.loc["competences", "respondents"] == 6  # a group never takes the pool


def test_selection_of_only_small_leaders_is_suppressed(responses):
    frame = describe_selection(responses, Selection.group(["small", "tiny"]))
    employee = frame[frame["role"] == "employee"]
    assert employee["suppressed"].all() and employee[NUMBER_COLUMNS].isna().all().all()


def test_rounds_are_judged_separately():
    rows = unit("lead", ["4"] * 5, wave="2024") + unit("lead", ["4"] * 3, wave="2026")
    frame = describe_leaders(tidy(rows))
    employee = frame[(frame["role"] == "employee")].groupby("wave")["suppressed"].all()
    assert employee.to_dict() == {"2024": False, "2026": True}


def test_min_n_can_be_raised_not_lowered(responses):
    frame = describe_leaders(responses, AnonymityPolicy(min_n=6))
    shown = frame[(frame["role"] == "employee") & ~frame["suppressed"]]["leader_id"].unique()
    assert sorted(shown) == ["big", "other"]
    with pytest.raises(AnonymityError, match="below the programme's limit of 5"):
        AnonymityPolicy(min_n=4)
    research = describe_leaders(responses, AnonymityPolicy(min_n=3, research_mode=True))
    shown = research[(research["role"] == "employee") & ~research["suppressed"]]["leader_id"].unique()
    assert "small" in shown and "tiny" not in shown


def test_summary_records_of_suppressed_leader_hold_no_numbers(responses):
    records = [r for r in summary(responses) if r["leader"] in ("small", "tiny") and r["role"] == "employee"]
    assert records and all(r["suppressed"] for r in records)
    for r in records:
        assert r["n"] is None and r["mean"] is None and r["counts"] is None and r["respondents"] is None
        assert r["ci_low"] is None and r["ci_high"] is None
    shown = [r for r in summary(responses) if r["leader"] == "big" and r["role"] == "employee"
             and r["item"] == "competences"]
    assert shown[0]["counts"] == {"1": 0, "2": 0, "3": 1, "4": 3, "5": 2, "dont_know": 0, "prefer_not": 0}
    assert math.isclose(shown[0]["mean"], 25 / 6, abs_tol=1e-4)
