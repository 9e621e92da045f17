"""Self-other gaps, comparisons between rounds and with the organisation, and Cronbach's alpha."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from scipy import stats as st

from dol_toolkit.stats import AnonymityPolicy, Selection
from dol_toolkit.stats.compare import compare_to_organisation, compare_waves
from dol_toolkit.stats.gaps import classify, default_threshold, group_gap_distribution, largest_gaps, leader_gaps
from dol_toolkit.stats.reliability import cronbach_alpha, employee_alpha
from dol_toolkit.survey import read_export
from dol_toolkit.themes import gap_threshold
from tests.stats.helpers import ITEMS, respondent, tidy, unit


@pytest.fixture(scope="module")
def sample(repo):
    return read_export(repo / "data/samples/ledelsesevaluering_digital_omstilling.csv").responses


def test_classify_default_threshold_is_a_third_of_the_range(sample):
    assert math.isclose(default_threshold(sample), 4 / 3)
    assert math.isclose(gap_threshold(5), 4 / 3) and math.isclose(gap_threshold(7), 2.0)
    limit = default_threshold(sample)
    assert classify(1.4, limit) == "blind_spot" and classify(-1.4, limit) == "hidden_strength"
    assert classify(1.0, limit) == "agreement"
    assert classify(0.6, threshold=0.5) == "blind_spot"
    assert classify(float("nan"), limit) is None


def test_gaps_of_one_leader():
    rows = []
    for _ in range(5):
        rows += respondent("L", {"competences": "2", "rationale": "5", "citizen_value": "3", "it_security": "4"})
    rows += respondent("L", {"competences": "5", "rationale": "3", "citizen_value": "dont_know",
                             "it_security": "4"}, role="self")
    rows += respondent("L", {"competences": "3", "rationale": "5"}, role="manager")
    gaps = leader_gaps(tidy(rows)).set_index("item_id")
    assert gaps.loc["competences", "gap_self"] == 3 and gaps.loc["competences", "class_self"] == "blind_spot"
    assert gaps.loc["rationale", "gap_self"] == -2 and gaps.loc["rationale", "class_self"] == "hidden_strength"
    assert gaps.loc["it_security", "class_self"] == "agreement"
    assert pd.isna(gaps.loc["citizen_value", "gap_self"])  # "Ved ikke" has no gap
    assert gaps.loc["competences", "gap_manager"] == 1
    top = largest_gaps(gaps.reset_index(), "L")
    assert list(top["positive"]["item_id"]) == ["competences"]
    assert list(top["negative"]["item_id"]) == ["rationale"]


def test_no_gap_for_a_leader_below_the_limit():
    gaps = leader_gaps(tidy(unit("L", ["1", "1", "1"], self_answer="5")))
    assert gaps["gap_self"].isna().all() and gaps["employee_mean"].isna().all() and gaps["suppressed"].all()


def test_group_gap_distribution_has_no_names_and_needs_three_leaders():
    rows = unit("a", ["3"] * 5, self_answer="4") + unit("b", ["3"] * 5, self_answer="5") \
        + unit("c", ["4"] * 5, self_answer="3")
    gaps = leader_gaps(tidy(rows))
    dist = group_gap_distribution(gaps, ["a", "b", "c"]).set_index("item_id")
    assert dist.loc["competences", "values"] == (-1.0, 1.0, 2.0)
    assert "leader_id" not in dist.columns
    two = group_gap_distribution(gaps, ["a", "b"]).set_index("item_id")
    assert two["suppressed"].all() and two["values"].isna().all() and two["mean"].isna().all()


def test_compare_waves_is_later_minus_earlier_with_welch_interval():
    early = ["2", "3", "3", "4", "2", "3"]
    late = ["4", "4", "5", "3", "4"]
    rows = unit("L", early, wave="2024") + unit("L", late, wave="2026")
    change = compare_waves(tidy(rows), Selection.leader("L")).set_index("item_id")
    a, b = np.array(late, float), np.array(early, float)
    expected = st.ttest_ind(a, b, equal_var=False).confidence_interval(0.95)
    row = change.loc["competences"]
    assert row["earlier"] == "2024" and row["later"] == "2026"
    assert math.isclose(row["difference"], a.mean() - b.mean())
    assert math.isclose(row["ci_low"], expected.low) and math.isclose(row["ci_high"], expected.high)


def test_compare_waves_suppressed_when_a_round_is_too_small():
    rows = unit("L", ["3"] * 6, wave="2024") + unit("L", ["4"] * 3, wave="2026")
    change = compare_waves(tidy(rows), Selection.leader("L"))
    assert change["suppressed"].all() and change["difference"].isna().all()


def test_compare_to_organisation(sample):
    leaders = list(sample["leader_id"].cat.categories[:8])
    cmp = compare_to_organisation(sample, Selection.group(leaders), waves=["2026"]).set_index("item_id")
    assert not cmp["suppressed"].any()
    assert np.allclose(cmp["difference"], cmp["selection_mean"] - cmp["organisation_mean"])
    assert (cmp["ci_low"] < cmp["difference"]).all() and (cmp["difference"] < cmp["ci_high"]).all()


def test_alpha_matches_pingouin(sample):
    # Reference: pingouin.cronbach_alpha (listwise complete cases), which agrees with R psych::alpha's raw_alpha.
    employees = sample[sample["role"] == "employee"]
    wide = employees.pivot_table(index=["wave", "respondent_id"], columns="item_id", values="value",
                                 aggfunc="first", observed=True).dropna()
    expected, _ = pg.cronbach_alpha(data=wide)
    assert math.isclose(cronbach_alpha(wide), expected, rel_tol=1e-12)
    # The organisation figure pools only answers that anonymity releases; here that is close to all of them.
    result = employee_alpha(sample)
    assert not result.suppressed and result.items == 5 and 0.7 < result.alpha < 0.9


def test_alpha_textbook_example():
    # Three respondents x three items: item variances 1, 1, 1; sum scores 3, 6, 9 (variance 9) -> 1.5 * (1 - 3/9)
    matrix = pd.DataFrame({"a": [1, 2, 3], "b": [1, 2, 3], "c": [1, 2, 3]}, dtype=float)
    assert math.isclose(cronbach_alpha(matrix), 1.0)
    matrix = pd.DataFrame({"a": [1, 2, 3], "b": [3, 2, 1], "c": [2, 2, 2]}, dtype=float)
    assert math.isnan(cronbach_alpha(matrix))  # zero total variance


def test_alpha_suppressed_for_a_small_leader():
    result = employee_alpha(tidy(unit("L", ["3", "4", "5"])), Selection.leader("L"), AnonymityPolicy())
    assert result.suppressed and result.alpha is None and result.respondents is None
    assert len(ITEMS) == 5


def test_alpha_interval_and_item_analysis_match_pingouin_and_the_formula(sample):
    from dol_toolkit.stats.reliability import employee_matrix, item_analysis

    wide = employee_matrix(sample)
    value, (low, high) = pg.cronbach_alpha(data=wide, ci=0.95)
    result = employee_alpha(sample)
    assert math.isclose(result.alpha, value, rel_tol=1e-12) and result.respondents == len(wide)
    assert result.interval is not None
    assert abs(result.interval[0] - low) < 0.0006 and abs(result.interval[1] - high) < 0.0006  # pingouin rounds to 3
    table = item_analysis(wide)
    assert list(table.index) == list(wide.columns) and (table["n"] == len(wide)).all()
    for item in wide.columns:  # the corrected item-total r and alpha without the item, computed apart
        rest = wide.drop(columns=item).sum(axis=1)
        assert math.isclose(table.loc[item, "item_total_r"], np.corrcoef(wide[item], rest)[0, 1], rel_tol=1e-9)
        alone, _ = pg.cronbach_alpha(data=wide.drop(columns=item))
        assert math.isclose(table.loc[item, "alpha_if_deleted"], alone, rel_tol=1e-9)


def test_alpha_of_a_leader_below_the_limit_is_suppressed_with_no_interval(sample):
    from dol_toolkit.stats.reliability import employee_matrix

    # Helle Kjeldsen has fewer than 5 employee answers in the sample's 2026 round (the example workshop says so).
    leader = Selection.leader("Helle Kjeldsen")
    result = employee_alpha(sample, leader, wave="2026")
    assert result.suppressed and result.alpha is None and result.interval is None and result.respondents is None
    assert employee_matrix(sample, leader, wave="2026").empty


def test_gap_shares_by_department_count_the_shown_gaps_of_its_leaders(sample):
    from dol_toolkit.stats.gaps import gap_shares_by_department

    gaps = leader_gaps(sample)
    table = gap_shares_by_department(sample, gaps)
    row = table[(table["department"] == "Social og Sundhed") & (table["wave"] == "2026")].iloc[0]
    # independently: the leaders whose 2026 employee rows mostly name the department, and their shown gaps
    rows = sample[(sample["wave"].astype(str) == "2026")]
    main = rows.groupby("leader_id", observed=True)["department"].agg(lambda s: s.astype(str).mode().iloc[0])
    members = set(main[main == "Social og Sundhed"].index.astype(str))
    mine = gaps[(gaps["wave"].astype(str) == "2026") & gaps["leader_id"].astype(str).isin(members)
                & gaps["class_self"].notna()]
    assert row["leaders"] == mine["leader_id"].nunique() and row["gaps"] == len(mine)
    for name in ("blind_spot", "hidden_strength", "agreement"):
        assert math.isclose(row[name], 100 * (mine["class_self"] == name).mean())
    assert math.isclose(row["blind_spot"] + row["hidden_strength"] + row["agreement"], 100.0)
    # fewer leaders with gaps than the policy's min_leaders: no shares at all
    strict = gap_shares_by_department(sample, gaps, AnonymityPolicy(min_leaders=5))
    small = strict[strict["department"] == "Teknik og Miljø"]
    assert small["suppressed"].all() and small[["leaders", "gaps", "blind_spot"]].isna().all().all()


def test_leader_changes_are_each_leaders_compare_waves_and_hide_small_rounds(sample):
    from dol_toolkit.stats.compare import leader_changes

    changes = leader_changes(sample)
    assert changes["leader_id"].nunique() == sample["leader_id"].nunique()
    one = changes[changes["leader_id"] == "Klaus Tønnesen"].drop(columns="leader_id").reset_index(drop=True)
    expected = compare_waves(sample, Selection.leader("Klaus Tønnesen"))
    pd.testing.assert_frame_equal(one, expected)
    # Helle Kjeldsen is below the limit in 2026: her change is suppressed, with no figure at all
    helle = changes[changes["leader_id"] == "Helle Kjeldsen"]
    assert helle["suppressed"].all() and helle[["earlier_mean", "later_mean", "difference"]].isna().all().all()
