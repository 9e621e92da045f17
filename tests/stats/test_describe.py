"""Distributions, means with intervals and the theme index: values checked against independent computations."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as st

from dol_toolkit.stats import Selection, describe_leaders, describe_selection
from dol_toolkit.stats.describe import INDEX, answer_categories
from dol_toolkit.survey import read_export
from tests.stats.helpers import ITEMS, respondent, tidy, unit

SAMPLE = "data/samples/ledelsesevaluering_digital_omstilling.csv"


@pytest.fixture(scope="module")
def sample(repo):
    return read_export(repo / SAMPLE).responses


def test_leader_figures_equal_a_plain_groupby(sample):
    frame = describe_leaders(sample)
    shown = frame[(frame["role"] == "employee") & ~frame["suppressed"] & (frame["item_id"] != INDEX)]
    assert len(shown) > 100
    employees = sample[sample["role"] == "employee"]
    expected_mean = employees.groupby(["leader_id", "wave", "item_id"], observed=True)["value"].mean()
    expected_n = employees.groupby(["leader_id", "wave", "item_id"], observed=True).size()
    expected_counts = employees.groupby(["leader_id", "wave", "item_id", "answer"], observed=True).size()
    for row in shown.itertuples():
        key = (row.leader_id, row.wave, row.item_id)
        assert math.isclose(row.mean, expected_mean[key], rel_tol=1e-12)
        assert row.n == expected_n[key]
        for c in answer_categories(sample):
            assert getattr(row, f"count_{c}") == expected_counts.get((*key, c), 0)
            assert math.isclose(getattr(row, f"share_{c}"), expected_counts.get((*key, c), 0) / row.n)


def test_interval_is_the_t_interval_clipped_to_the_scale():
    rows = []
    answers = ["2", "3", "3", "4", "5", "dont_know"]
    for a in answers:
        rows += respondent("L", {"competences": a})
    frame = describe_selection(tidy(rows), Selection.leader("L"))
    row = frame[(frame["role"] == "employee") & (frame["item_id"] == "competences")].iloc[0]
    values = np.array([2, 3, 3, 4, 5.0])
    low, high = st.t.interval(0.95, len(values) - 1, loc=values.mean(), scale=st.sem(values))
    assert row["n"] == 6 and row["n_substantive"] == 5 and row["count_dont_know"] == 1
    assert math.isclose(row["mean"], 3.4)
    assert math.isclose(row["ci_low"], max(low, 1.0)) and math.isclose(row["ci_high"], min(high, 5.0))
    assert math.isclose(row["share_dont_know"], 1 / 6)


def test_dont_know_and_prefer_not_are_counted_never_averaged():
    rows = unit("L", ["dont_know", "dont_know", "prefer_not", "5", "5"])
    frame = describe_leaders(tidy(rows))
    row = frame[(frame["role"] == "employee") & (frame["item_id"] == "rationale")].iloc[0]
    assert row["n"] == 5 and row["n_substantive"] == 2 and row["mean"] == 5.0
    assert row["count_dont_know"] == 2 and row["count_prefer_not"] == 1


def test_theme_index_needs_three_substantive_answers():
    rows = []
    for _ in range(5):
        rows += respondent("L", {"competences": "4", "rationale": "2", "citizen_value": "3"})  # index 3.0
    rows += respondent("L", {"competences": "5", "rationale": "5", "it_security": "dont_know"})  # only 2
    frame = describe_selection(tidy(rows), Selection.leader("L"))
    index = frame[(frame["role"] == "employee") & (frame["item_id"] == INDEX)].iloc[0]
    assert index["n"] == 5 and index["mean"] == 3.0


def test_every_item_has_a_row_even_without_answers():
    rows = []
    for _ in range(5):
        rows += respondent("L", {"competences": "4"})
    frame = describe_selection(tidy(rows), Selection.leader("L"))
    employee = frame[frame["role"] == "employee"]
    assert list(employee["item_id"]) == [*ITEMS, INDEX]
    missing = employee[employee["item_id"] == "it_security"].iloc[0]
    assert missing["suppressed"] and missing["reason"] == "no_answers"


def test_group_selection_pools_its_leaders(sample):
    leaders = list(sample["leader_id"].cat.categories[:6])
    group = describe_selection(sample, Selection.group(leaders), waves=["2026"])
    leader_rows = describe_leaders(sample, leaders=leaders, waves=["2026"])
    shown = leader_rows[(leader_rows["role"] == "employee") & ~leader_rows["suppressed"]]
    for item in ITEMS:
        g = group[(group["role"] == "employee") & (group["item_id"] == item)].iloc[0]
        parts = shown[shown["item_id"] == item]
        assert g["count_4"] == parts["count_4"].sum()
        assert g["n"] == parts["n"].sum()
    # Groups show employees only: self and own-leader answers are personal.
    assert set(group["role"]) == {"employee"}


def test_no_round_column():
    rows = unit("L", ["4"] * 5)
    frame = tidy(rows)
    frame["wave"] = pd.Categorical([None] * len(frame))
    described = describe_leaders(frame)
    assert not described[described["role"] == "employee"]["suppressed"].any()
