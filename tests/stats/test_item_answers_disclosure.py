"""Answers on the scale per item (issue 24, point 5): every figure says how many of its answers are on the scale,
and with ``min_answers_per_item`` an item with fewer is withheld for that leader, with its reason, and treated by
disclosure control like any hidden cell: attacked here by differencing every pair of published figures.

The table is built here. One round, two departments:

* A (department X): 5 employees; to the first item 3 answer on the scale and 2 "Ved ikke" (the issue's case);
* B (X): 6 employees, 5 on the scale to the first item; C (Y): 7 employees, all on the scale;
* P1 (Y) with 3 and P2 (Y) with 2 employees: the pool (5 together); to the first item only 2 of them answer on
  the scale.

With ``min_answers_per_item = 4`` the first item of A and of the pool is withheld; B's and C's are released.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from dol_toolkit.stats import AnonymityError, AnonymityPolicy, Selection, describe_leaders, describe_selection
from dol_toolkit.stats.anonymity import ITEM_REASON, released_employee_answers
from dol_toolkit.stats.summary import summary
from tests.stats.helpers import CATEGORIES, ITEMS, respondent, tidy

FIRST, SECOND = ITEMS[0], ITEMS[1]
# Per leader: one list per employee of (answer to the first item, answer to every other item).
PEOPLE = {
    "A": [("4", "4"), ("5", "3"), ("2", "5"), ("dont_know", "4"), ("dont_know", "2")],
    "B": [("1", "2"), ("2", "2"), ("3", "3"), ("3", "4"), ("4", "1"), ("dont_know", "5")],
    "C": [("5", "5"), ("5", "4"), ("4", "4"), ("4", "3"), ("3", "3"), ("2", "2"), ("1", "1")],
    "P1": [("dont_know", "3"), ("dont_know", "4"), ("3", "2")],
    "P2": [("dont_know", "5"), ("1", "5")],
}
DEPARTMENT = {"A": "X", "B": "X", "C": "Y", "P1": "Y", "P2": "Y"}
LIMIT = 4


def _rows() -> list[dict]:
    rows: list[dict] = []
    for leader, people in PEOPLE.items():
        for first, other in people:
            answers = {item: (first if item == FIRST else other) for item in ITEMS}
            rows += respondent(leader, answers, department=DEPARTMENT[leader])
        rows += respondent(leader, "4", role="self", department=DEPARTMENT[leader])
    return rows


@pytest.fixture(scope="module")
def responses():
    return tidy(_rows())


def _cell(leaders: tuple[str, ...], item: str = FIRST) -> np.ndarray:
    """The true counts per category of the leaders' employees' answers to ``item``."""
    counts = np.zeros(len(CATEGORIES), dtype=np.int64)
    for leader in leaders:
        for first, other in PEOPLE[leader]:
            counts[CATEGORIES.index(first if item == FIRST else other)] += 1
    return counts


POLICY = AnonymityPolicy(min_answers_per_item=LIMIT)


# --------------------------------------------------------------------------------------------- the count shown
def test_a_leader_with_two_dont_know_has_3_answers_on_the_scale(responses):
    frame = describe_selection(responses, Selection.leader("A"))
    employee = frame[frame["role"] == "employee"].set_index("item_id")
    assert int(employee.loc[FIRST, "respondents"]) == 5 and int(employee.loc[FIRST, "n"]) == 5
    assert int(employee.loc[FIRST, "n_substantive"]) == 3
    assert int(employee.loc[SECOND, "n_substantive"]) == 5
    record = next(r for r in summary(responses, leaders=["A"]) if r["role"] == "employee" and r["item"] == FIRST)
    assert (record["n"], record["n_substantive"], record["dont_know"]) == (5, 3, 2)
    assert not record["suppressed"]


def test_the_setting_is_off_by_default_and_checked():
    assert AnonymityPolicy().min_answers_per_item is None
    for bad in (0, -1, 2.5, True, "4"):
        with pytest.raises(AnonymityError, match="min_answers_per_item"):
            AnonymityPolicy(min_answers_per_item=bad)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------ the withheld item
def test_an_item_below_the_limit_is_hidden_with_its_reason_and_the_others_show(responses):
    for frame in (describe_selection(responses, Selection.leader("A"), POLICY),
                  describe_leaders(responses, POLICY, leaders=["A"])):
        employee = frame[frame["role"] == "employee"].set_index("item_id")
        hidden = employee.loc[FIRST]
        assert bool(hidden["suppressed"]) and hidden["reason"] == ITEM_REASON
        assert all(np.isnan(float(hidden[c])) for c in ("n", "n_substantive", "count_dont_know", "mean"))
        for item in ITEMS[1:]:
            assert not bool(employee.loc[item, "suppressed"])
            assert int(employee.loc[item, "n_substantive"]) == 5
        # The theme index is made of the items that are shown: A's employees' means of the other four items.
        expected = np.mean([float(other) for _, other in PEOPLE["A"]])
        assert float(employee.loc["index", "mean"]) == pytest.approx(expected)
        # The leader's own answers are not touched.
        assert not frame[frame["role"] == "self"]["suppressed"].any()
    records = summary(responses, leaders=["A"], policy=POLICY)
    first = next(r for r in records if r["role"] == "employee" and r["item"] == FIRST)
    assert first["suppressed"] and first["reason"] == ITEM_REASON and first["counts"] is None
    assert first["n_substantive"] is None and first["dont_know"] is None
    second = next(r for r in records if r["role"] == "employee" and r["item"] == SECOND)
    assert not second["suppressed"] and second["n_substantive"] == 5


def test_a_leader_at_the_limit_shows_the_item(responses):
    """B has 5 answers on the scale to the first item: shown at 4 and 5, withheld at 6."""
    for limit, hidden in ((4, False), (5, False), (6, True)):
        frame = describe_selection(responses, Selection.leader("B"), AnonymityPolicy(min_answers_per_item=limit))
        row = frame[(frame["role"] == "employee") & (frame["item_id"] == FIRST)].iloc[0]
        assert bool(row["suppressed"]) is hidden


def test_a_group_says_which_leader_is_left_out_of_the_item(responses):
    records = summary(responses, leaders=["A", "B", "C"], policy=POLICY)
    first = next(r for r in records if r["role"] == "employee" and r["item"] == FIRST)
    second = next(r for r in records if r["role"] == "employee" and r["item"] == SECOND)
    assert first["left_out"] == [{"leader": "A", "reason": ITEM_REASON}]
    assert second["left_out"] == []
    assert [first["counts"][c] for c in CATEGORIES] == _cell(("B", "C")).tolist()
    assert [second["counts"][c] for c in CATEGORIES] == _cell(("A", "B", "C"), SECOND).tolist()


def test_the_released_answers_leave_out_the_withheld_cells(responses):
    """What the research export and Cronbach's alpha read: no answer of a withheld cell."""
    for organisation in (False, True):
        released = released_employee_answers(responses, POLICY, organisation=organisation)
        first = released[released["item_id"] == FIRST]
        assert set(first["leader_id"].astype(str)) == {"B", "C"}
        second = released[released["item_id"] == SECOND]
        assert {"A", "B", "C"} <= set(second["leader_id"].astype(str))


# ------------------------------------------------------------------------------------------------- attacks
SELECTIONS: dict[str, dict] = {
    "organisation": {},
    **{f"department {d}": {"department": d} for d in ("X", "Y")},
    **{f"leader {x}": {"leaders": [x]} for x in PEOPLE},
    **{f"group {'+'.join(g)}": {"leaders": list(g)} for k in (2, 3) for g in itertools.combinations(PEOPLE, k)},
}


def _published(responses, min_n: int, item: str) -> dict[str, np.ndarray]:
    """Every shown employee figure of ``item`` (counts per category) under the policy, by selection name."""
    out = {}
    for name, selection in SELECTIONS.items():
        records = summary(responses, policy=AnonymityPolicy(min_n=min_n, min_answers_per_item=LIMIT), **selection)
        for r in records:
            if r["role"] != "employee" or r["item"] != item or r["suppressed"]:
                continue
            if name == "organisation" and r["kind"] != "organisation":
                continue
            out[name] = np.array([r["counts"][c] for c in CATEGORIES], dtype=np.int64)
    return out


@pytest.mark.parametrize("min_n", [5, 6, 7])
def test_no_published_figure_of_the_item_holds_a_withheld_cell(responses, min_n):
    """Each shown figure of the first item is the sum of released cells (B's and C's, as the policy allows),
    never A's or the pool's, so no difference of two figures gives either back: a group with and without A, the
    department minus its shown leaders, the organisation minus everything shown."""
    figures = _published(responses, min_n, FIRST)
    assert "organisation" in figures and len(figures) > 10
    if min_n == 5:
        assert {"group A+B", "leader B", "department X"} <= set(figures)
    released = [s for k in range(3) for s in itertools.combinations(("B", "C"), k)]
    sums = {tuple(_cell(s).tolist()) for s in released}
    for name, counts in figures.items():
        assert tuple(counts.tolist()) in sums, f"{name} at min_n {min_n} holds a withheld cell: {counts.tolist()}"
    withheld = [_cell(("A",)), _cell(("P1", "P2")), _cell(("A", "P1", "P2"))]
    for (name_a, a), (name_b, b) in itertools.permutations(figures.items(), 2):
        difference = b - a
        for cell in withheld:
            assert not np.array_equal(difference, cell), f"{name_b} - {name_a} gives back a withheld cell"
    # The attacks named in the issue, directly:
    if "group A+B" in figures:
        assert np.array_equal(figures["group A+B"], figures["leader B"])  # with and without A
    if "department X" in figures:
        assert np.array_equal(figures["department X"], figures["leader B"])  # the department minus B
    shown = sum(figures.get(f"leader {x}", 0) for x in PEOPLE)
    rest = figures["organisation"] - shown  # zero, or at a raised minimum B's released cell (6 people)
    assert tuple(rest.tolist()) in sums and (min_n > 6 or not rest.any())


def test_the_other_items_still_count_the_leader(responses):
    figures = _published(responses, 5, SECOND)
    assert np.array_equal(figures["leader A"], _cell(("A",), SECOND))
    assert np.array_equal(figures["group A+B"], _cell(("A", "B"), SECOND))
    assert np.array_equal(figures["organisation"], _cell(tuple(PEOPLE), SECOND))


def test_without_the_setting_the_item_shows_as_the_programme_allows(responses):
    frame = describe_selection(responses, Selection.group(["A", "B"]))
    row = frame[(frame["role"] == "employee") & (frame["item_id"] == FIRST)].iloc[0]
    assert [int(row[f"count_{c}"]) for c in CATEGORIES] == _cell(("A", "B")).tolist()
    assert row["item_left_out"] == ()
