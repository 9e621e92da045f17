"""Disclosure control, tested as attacks: an attacker takes any two published employee figures and subtracts
their counts, hoping to read the answers of a leader with fewer than 5 respondents.

Every figure is read exactly as the toolkit publishes it: the records of ``summary(...)`` (what ``dol summary
--json`` prints) and the frames of ``describe_selection`` (what the apps and exports draw), counts per item and
category. A difference passes when it is all zero, or when it is the answers of at least 5 respondents and never
a small leader's answer distribution. See :mod:`dol_toolkit.stats.anonymity` for the rule.

The table: two rounds, two departments, five leaders with 4, 6, 3, 20 and 8 employees. Every respondent answers
every item (some with "Ved ikke" or "Ønsker ikke at oplyse"), so an item's answers are its respondents. The
employees give the same answers in both rounds, the strongest case for an attacker comparing rounds; in 2026
the leader with 3 has no employee answers, so the leader with 4 is alone below 5 there.
"""

from __future__ import annotations

import itertools
from functools import cache

import numpy as np
import pytest

from dol_toolkit.stats import AnonymityPolicy, Selection, describe_selection
from dol_toolkit.stats.summary import summary
from tests.stats.helpers import CATEGORIES, ITEMS, respondent, tidy

COUNT_COLUMNS = [f"count_{c}" for c in CATEGORIES]

WAVES = ("2024", "2026")
SIZES = {"L4": 4, "L6": 6, "L3": 3, "L20": 20, "L8": 8}
DEPARTMENT = {"L4": "A", "L6": "A", "L20": "A", "L3": "B", "L8": "B"}
SMALL = ("L4", "L3")
MIN_NS = tuple(range(5, 11))
# Distinct answer patterns: a leader's respondents draw from their own distribution.
_P = {"L4": [0.5, 0.2, 0.0, 0.0, 0.0, 0.2, 0.1], "L3": [0.0, 0.0, 0.1, 0.1, 0.8, 0.0, 0.0],
      "L6": [0.1, 0.2, 0.3, 0.2, 0.1, 0.1, 0.0], "L20": [0.05, 0.1, 0.25, 0.35, 0.2, 0.03, 0.02],
      "L8": [0.1, 0.1, 0.2, 0.3, 0.2, 0.05, 0.05]}


def _answers() -> dict[str, list[dict[str, str]]]:
    rng = np.random.default_rng(20240605)
    return {leader: [{item: str(rng.choice(CATEGORIES, p=_P[leader])) for item in ITEMS} for _ in range(size)]
            for leader, size in SIZES.items()}


ANSWERS = _answers()


def _rows() -> list[dict]:
    rows: list[dict] = []
    for wave in WAVES:
        for leader, answers in ANSWERS.items():
            department = DEPARTMENT[leader]
            if not (leader == "L3" and wave == "2026"):
                for a in answers:
                    rows += respondent(leader, a, wave=wave, department=department)
            rows += respondent(leader, "4", role="self", wave=wave, department=department)
            rows += respondent(leader, "3", role="manager", wave=wave, department=department)
    return rows


@cache
def _table():
    return tidy(_rows())


@pytest.fixture(scope="module")
def responses():
    return _table()


# ---------------------------------------------------------------------------------------------- ground truth
def _truth() -> dict[tuple[str, str], np.ndarray]:
    """Counts (items x categories) of every leader's employees per round, counted from the rows built here."""
    out = {}
    for wave in WAVES:
        for leader, answers in ANSWERS.items():
            if leader == "L3" and wave == "2026":
                continue
            counts = np.zeros((len(ITEMS), len(CATEGORIES)), dtype=np.int64)
            for a in answers:
                for i, item in enumerate(ITEMS):
                    counts[i, CATEGORIES.index(a[item])] += 1
            out[(leader, wave)] = counts
    return out


TRUTH = _truth()
SMALL_DISTRIBUTIONS = [v for (leader, _), v in TRUTH.items() if leader in SMALL]


def test_the_table_is_what_the_attacks_assume(responses):
    employees = responses[responses["role"] == "employee"]
    sizes = employees.groupby(["leader_id", "wave"], observed=True)["respondent_id"].nunique().to_dict()
    assert sizes == {(leader, wave): SIZES[leader] for leader, wave in TRUTH}
    # Subset sums of the leaders of a round are unique, so a figure's counts name the leaders behind it.
    for wave in WAVES:
        leaders = [x for x in SIZES if (x, wave) in TRUTH]
        sums = [_subset_sum(s, wave).tobytes() for s in _subsets(leaders)]
        assert len(set(sums)) == len(sums)


def _subsets(leaders: list[str]) -> list[tuple[str, ...]]:
    return [s for k in range(len(leaders) + 1) for s in itertools.combinations(leaders, k)]


def _subset_sum(leaders: tuple[str, ...], wave: str) -> np.ndarray:
    return sum((TRUTH[(x, wave)] for x in leaders), np.zeros((len(ITEMS), len(CATEGORIES)), dtype=np.int64))


# --------------------------------------------------------------------------------------- published figures
Figure = dict[str, np.ndarray | None]  # round -> counts (items x categories), None when suppressed

SELECTIONS: dict[str, dict] = {
    "organisation": {},
    **{f"department {d}": {"department": d} for d in ("A", "B")},
    **{f"leader {x}": {"leaders": [x]} for x in SIZES},
    **{f"group {'+'.join(g)}": {"leaders": list(g)}
       for k in (2, 3) for g in itertools.combinations(SIZES, k)},
}


@cache
def _published(name: str, min_n: int) -> tuple[tuple[str, np.ndarray | None], ...]:
    records = summary(_table(), policy=AnonymityPolicy(min_n=min_n), **SELECTIONS[name])
    wanted = "organisation" if name == "organisation" else None
    out = []
    for wave in WAVES:
        mine = [r for r in records if r["role"] == "employee" and r["wave"] == wave and r["item"] != "index"
                and (wanted is None or r["leader"] == wanted)]
        assert [r["item"] for r in mine] == ITEMS
        if any(r["suppressed"] for r in mine):
            assert all(r["suppressed"] and r["counts"] is None for r in mine)
            out.append((wave, None))
        else:
            out.append((wave, np.array([[r["counts"][c] for c in CATEGORIES] for r in mine], dtype=np.int64)))
    return tuple(out)


def published(name: str, min_n: int) -> Figure:
    """A selection's employee counts per round as ``summary`` publishes them."""
    return dict(_published(name, min_n))


def drawn(responses, selection: Selection, min_n: int) -> Figure:
    """The same from ``describe_selection`` (the apps and exports)."""
    frame = describe_selection(responses, selection, AnonymityPolicy(min_n=min_n))
    frame = frame[(frame["role"] == "employee") & (frame["item_id"] != "index")]
    out: Figure = {}
    for wave in frame["wave"].astype(str).unique():
        part = frame[frame["wave"].astype(str) == wave].set_index("item_id").loc[ITEMS]
        out[wave] = None if part["suppressed"].any() else part[COUNT_COLUMNS].to_numpy(dtype=np.int64)
    return out


def assert_reveals_nothing(difference: np.ndarray, what: str) -> None:
    """All zero, or at least 5 answers to every item on one side, and never a small leader's distribution."""
    if not difference.any():
        return
    for small in SMALL_DISTRIBUTIONS:
        assert not np.array_equal(difference, small) and not np.array_equal(difference, -small), \
            f"{what} gives back a leader below 5: {difference.tolist()}"
    if (difference >= 0).all() or (difference <= 0).all():
        answers = np.abs(difference).sum(axis=1)
        assert (answers >= 5).all(), f"{what} isolates {answers.tolist()} answers per item"


def _difference(a: np.ndarray | None, b: np.ndarray | None) -> np.ndarray | None:
    return None if a is None or b is None else a - b


# -------------------------------------------------------------------------------------------------- attacks
@pytest.mark.parametrize("wave", WAVES)
def test_attack_1_organisation_at_min_n_7_minus_at_5(wave):
    """The reported bug: at --min-n 7 the leader with 6 joined the pool and lifted it over the limit, so the
    organisation at 7 minus the organisation at 5 was exactly the answers of the leader with 4 (in 2026)."""
    difference = _difference(published("organisation", 7)[wave], published("organisation", 5)[wave])
    assert difference is not None
    assert_reveals_nothing(difference, f"organisation {wave}, min_n 7 - 5")
    # Only the pool, as a whole, can differ: it is 7 respondents in 2024 (in at 5 and 7) and 4 in 2026 (never).
    assert not difference.any()


@pytest.mark.parametrize("min_n", MIN_NS)
def test_attack_2_department_minus_its_shown_leaders(responses, min_n):
    for department, wave in itertools.product(("A", "B"), WAVES):
        whole = drawn(responses, Selection.of_department(department), min_n)[wave]
        if whole is None:
            continue
        shown = [published(f"leader {x}", min_n)[wave] for x in SIZES if DEPARTMENT[x] == department]
        remainder = whole - sum(s for s in shown if s is not None)
        assert_reveals_nothing(remainder, f"department {department} {wave} at {min_n} - its leaders")
        assert not remainder.any()  # a department is the sum of its shown leaders, nothing else


@pytest.mark.parametrize("min_n", MIN_NS)
def test_attack_3_organisation_minus_everything_shown(responses, min_n):
    for wave in WAVES:
        org = drawn(responses, Selection.organisation(), min_n)[wave]
        assert org is not None
        leaders = [published(f"leader {x}", min_n)[wave] for x in SIZES]
        departments = [published(f"department {d}", min_n)[wave] for d in ("A", "B")]
        without_leaders = org - sum(s for s in leaders if s is not None)
        without_departments = org - sum(s for s in departments if s is not None)
        assert_reveals_nothing(without_leaders, f"organisation {wave} at {min_n} - all shown leaders")
        assert_reveals_nothing(without_departments, f"organisation {wave} at {min_n} - all shown departments")
        # And across minimums: the organisation at one minimum minus the leaders shown at another.
        for other in MIN_NS:
            shown = [published(f"leader {x}", other)[wave] for x in SIZES]
            rest = org - sum(s for s in shown if s is not None)
            assert_reveals_nothing(rest, f"organisation {wave} at {min_n} - leaders shown at {other}")


@pytest.mark.parametrize("min_n", MIN_NS)
def test_attack_4_group_with_and_without_a_suppressed_leader(responses, min_n):
    for small, others in (("L4", ("L6", "L20")), ("L3", ("L8",)), ("L4", ("L20",))):
        for wave in WAVES:
            with_small = drawn(responses, Selection.group([small, *others]), min_n)[wave]
            without = drawn(responses, Selection.group(list(others)), min_n)[wave]
            difference = _difference(with_small, without)
            if difference is None:
                assert (with_small is None) == (without is None)
                continue
            assert_reveals_nothing(difference, f"group with and without {small}, {wave} at {min_n}")
            assert not difference.any()


@pytest.mark.parametrize("min_n", MIN_NS)
def test_attack_5_one_round_minus_the_other(min_n):
    """The same selection in two rounds with the same employees answering the same: what changes between the
    rounds is the leader with 3 (gone in 2026); it must never be read off alone."""
    for name in SELECTIONS:
        figure = published(name, min_n)
        difference = _difference(figure["2024"], figure["2026"])
        if difference is not None:
            assert_reveals_nothing(difference, f"{name} at {min_n}, 2024 - 2026")


@pytest.mark.parametrize(("low", "high"), list(itertools.combinations((5, 6, 7, 8, 10), 2)))
def test_attack_6_the_same_figure_at_two_minimums(low, high):
    groups = [n for n in SELECTIONS if n.startswith("group") and set(n.split(" ")[1].split("+")) & set(SMALL)]
    names = ["organisation", "department A", "department B", *groups]
    for name, wave in itertools.product(names, WAVES):
        difference = _difference(published(name, high)[wave], published(name, low)[wave])
        if difference is not None:
            assert_reveals_nothing(difference, f"{name} {wave}, min_n {high} - {low}")


def test_a_raised_minimum_hides_leaders_but_keeps_them_in_the_organisation():
    """At min_n 7 the leader with 6 is hidden, but still a block of the organisation: the organisation is the
    same figure at 5 and 7; the pool (4 + 3 in 2024) enters at 7, not at 8."""
    assert published("leader L6", 7)["2024"] is None and published("leader L6", 5)["2024"] is not None
    assert np.array_equal(published("organisation", 7)["2024"], _subset_sum(tuple(SIZES), "2024"))
    assert np.array_equal(published("organisation", 8)["2024"], _subset_sum(("L6", "L20", "L8"), "2024"))
    assert np.array_equal(published("organisation", 5)["2026"], _subset_sum(("L6", "L20", "L8"), "2026"))


# --------------------------------------------------------------------------------------------- the property
def _leaders_behind(counts: np.ndarray, wave: str) -> frozenset[str]:
    """Which leaders' employees a published figure holds, read off its counts (unique by the table's design).
    A figure that is not a sum of whole leaders' answers fails here."""
    leaders = [x for x in SIZES if (x, wave) in TRUTH]
    matches = [s for s in _subsets(leaders) if np.array_equal(_subset_sum(s, wave), counts)]
    assert len(matches) == 1, f"a published figure of {wave} is not a sum of whole leaders: {counts.tolist()}"
    return frozenset(matches[0])


def test_no_two_published_figures_isolate_fewer_than_5():
    """Every figure the toolkit can make on the table (organisation, each department, each leader, every group
    of 2-3 leaders, each round, min_n 5..10): when one figure's respondents are contained in another's, the
    difference holds no one or at least 5 respondents; and the pool's leaders (below 5) always come together."""
    figures: list[tuple[str, str, int, frozenset[str]]] = []
    for name, min_n in itertools.product(SELECTIONS, MIN_NS):
        for wave, counts in published(name, min_n).items():
            if counts is not None:
                figures.append((name, wave, min_n, _leaders_behind(counts, wave)))
    assert len(figures) > 150
    for wave in WAVES:
        pool = {x for x in SMALL if (x, wave) in TRUTH}
        for _name, w, _min_n, leaders in figures:
            if w == wave:
                assert not leaders & pool or pool <= leaders  # the pool is all in or all out
    for (name_a, wave_a, min_a, a), (name_b, wave_b, min_b, b) in itertools.permutations(figures, 2):
        if wave_a != wave_b or not a <= b:
            continue
        respondents = sum(SIZES[x] for x in b - a)
        assert respondents == 0 or respondents >= 5, (
            f"{name_b} at {min_b} minus {name_a} at {min_a} ({wave_a}) isolates {sorted(b - a)}")


def test_attack_7_a_leader_whose_rows_name_two_departments():
    """Hand-edited exports mix departments: a leader with 10 employees, 7 rows saying A and 3 saying B. The
    leader is in one department (the one most rows name) with the whole block, so the leader minus department A
    is zero, and department B does not hold 3 of the leader's employees."""
    rows: list[dict] = []
    for k in range(10):
        rows += respondent("M", "4" if k < 7 else "1", department="A" if k < 7 else "B")
    for _ in range(6):
        rows += respondent("N", "3", department="B")
    table = tidy(rows)
    leader = drawn(table, Selection.leader("M"), 5)["2024"]
    department_a = drawn(table, Selection.of_department("A"), 5)["2024"]
    department_b = drawn(table, Selection.of_department("B"), 5)["2024"]
    assert leader is not None and department_a is not None and department_b is not None
    assert not (leader - department_a).any()
    assert department_b[:, CATEGORIES.index("1")].sum() == 0 and department_b.sum(axis=1).tolist() == [6] * 5
