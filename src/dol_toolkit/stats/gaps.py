"""Self-other agreement: how a leader's own answer and their own leader's answer differ from the employees'.

Per leader, round and item: ``gap_self = self - employee mean`` and ``gap_manager = manager - employee mean``.
A gap is classified against a threshold:

* ``blind_spot``: the leader rates themself clearly higher than the employees do (gap >= threshold);
* ``hidden_strength``: clearly lower (gap <= -threshold);
* ``agreement``: in between.

The default threshold is a third of the scale's range: (5 - 1) / 3 = 1.33 points on a 5-point scale, 2 on a
7-point scale (:func:`dol_toolkit.themes.gap_threshold`), a common choice of 360-degree feedback tools for
"clearly" (see DOMAIN notes); it is a setting (``threshold=``). A gap exists only
where the leader's employee results may be shown (at least ``min_n`` respondents) and the other answer is on
the scale ("Ved ikke" has no gap).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dol_toolkit.stats.anonymity import AnonymityPolicy
from dol_toolkit.stats.describe import INDEX, describe_leaders, main_department, scale_codes
from dol_toolkit.themes import gap_threshold

CLASSES = ("blind_spot", "hidden_strength", "agreement")


def default_threshold(responses: pd.DataFrame) -> float:
    """The default threshold of a clear gap on the responses' scale (1.33 on 1-5, 2.0 on 1-7)."""
    return gap_threshold(len(scale_codes(responses)))


def classify(gap: float | None, threshold: float) -> str | None:
    """blind_spot, hidden_strength or agreement; None when there is no gap."""
    if gap is None or gap != gap:
        return None
    if gap >= threshold:
        return "blind_spot"
    if gap <= -threshold:
        return "hidden_strength"
    return "agreement"


def leader_gaps(
    responses: pd.DataFrame,
    policy: AnonymityPolicy | None = None,
    *,
    leaders: list[str] | None = None,
    threshold: float | None = None,
    waves: list[str] | None = None,
) -> pd.DataFrame:
    """Per leader, round and item: employee mean, self, own leader, both gaps and their classes.

    Columns: leader_id, wave, item_id, employee_mean, employee_n, self, manager, gap_self, gap_manager,
    class_self, class_manager, suppressed (the leader's employee results are hidden: no mean, no gap).
    ``threshold`` defaults to :func:`default_threshold` of the responses' scale.
    """
    if threshold is None:
        threshold = default_threshold(responses)
    if threshold <= 0:
        raise ValueError("the gap threshold must be positive")
    described = describe_leaders(responses, policy, leaders=leaders, waves=waves)
    described = described[described["item_id"] != INDEX]
    wide = described.pivot_table(
        index=["leader_id", "wave", "item_id"], columns="role", values="mean", aggfunc="first", dropna=False,
        observed=True,
    )
    wide = wide.reindex(columns=["employee", "self", "manager"])
    emp = described[described["role"] == "employee"].set_index(["leader_id", "wave", "item_id"])
    out = pd.DataFrame({
        "employee_mean": wide["employee"],
        "employee_n": emp["n_substantive"].reindex(wide.index),
        "self": wide["self"],
        "manager": wide["manager"],
        "suppressed": emp["suppressed"].reindex(wide.index).fillna(True).astype(bool),
    })
    out["gap_self"] = out["self"] - out["employee_mean"]
    out["gap_manager"] = out["manager"] - out["employee_mean"]
    out["class_self"] = [classify(g, threshold) for g in out["gap_self"]]
    out["class_manager"] = [classify(g, threshold) for g in out["gap_manager"]]
    out = out.reset_index()
    order = {item: k for k, item in enumerate(responses["item_id"].cat.categories)}
    out = out.sort_values(["leader_id", "wave", "item_id"], key=lambda s: s.map(order) if s.name == "item_id"
                          else s.astype(str)).reset_index(drop=True)
    return out


def largest_gaps(gaps: pd.DataFrame, leader_id: str, wave: object = None, k: int = 2) -> dict[str, pd.DataFrame]:
    """A leader's ``k`` largest positive and ``k`` largest negative self-other gaps (items without a gap are left
    out): {"positive": ..., "negative": ...}."""
    mine = gaps[(gaps["leader_id"] == leader_id) & gaps["gap_self"].notna()]
    if wave is not None:
        mine = mine[mine["wave"].astype(str) == str(wave)]
    positive = mine[mine["gap_self"] > 0].nlargest(k, "gap_self")
    negative = mine[mine["gap_self"] < 0].nsmallest(k, "gap_self")
    return {"positive": positive.reset_index(drop=True), "negative": negative.reset_index(drop=True)}


def group_gap_distribution(
    gaps: pd.DataFrame, leaders: list[str], policy: AnonymityPolicy | None = None, column: str = "gap_self"
) -> pd.DataFrame:
    """The spread of a group's gaps per round and item, with no names: sorted values and a summary.

    Columns: wave, item_id, leaders (how many contribute), values (sorted tuple, or None when suppressed),
    mean, min, max, suppressed. Shown only when at least ``min_leaders`` leaders contribute.
    """
    policy = policy or AnonymityPolicy()
    mine = gaps[gaps["leader_id"].astype(str).isin([str(x) for x in leaders])]
    rows = []
    for (wave, item), part in mine.groupby(["wave", "item_id"], sort=False, dropna=False, observed=True):
        values = np.sort(part[column].dropna().to_numpy())
        hidden = len(values) < policy.min_leaders
        rows.append({
            "wave": wave, "item_id": item, "leaders": None if hidden else len(values),
            "values": None if hidden else tuple(float(v) for v in values),
            "mean": None if hidden else float(values.mean()),
            "min": None if hidden else float(values.min()),
            "max": None if hidden else float(values.max()),
            "suppressed": hidden,
        })
    return pd.DataFrame(rows)


def gap_shares_by_department(
    responses: pd.DataFrame, gaps: pd.DataFrame, policy: AnonymityPolicy | None = None, column: str = "class_self"
) -> pd.DataFrame:
    """Per department and round: how many leaders have gaps, and the shares (%) of their item gaps that are
    blind spots, hidden strengths and agreement (``column``: ``class_self`` or ``class_manager``).

    A leader belongs to the department most of their answers of the round carry (as
    :meth:`dol_toolkit.stats.describe.Selection.of_department` decides). Only gaps that exist count (leaders
    whose employee results may be shown); a department with fewer than ``policy.min_leaders`` such leaders in a
    round gets no shares (``suppressed``).

    Columns: department, wave, leaders, gaps, blind_spot, hidden_strength, agreement, suppressed.
    """
    policy = policy or AnonymityPolicy()
    shown = gaps[gaps[column].notna()]
    # Each leader-round's department, worked out once (as Selection.of_department does for one department).
    assigned = pd.DataFrame({"department": main_department(responses),
                             "leader_id": responses["leader_id"].astype(str).to_numpy(),
                             "wave": responses["wave"].astype(str).to_numpy()}).drop_duplicates()
    rows = []
    for department in sorted(responses["department"].dropna().astype(str).unique()):
        members = assigned[assigned["department"] == department]
        keys = set(zip(members["leader_id"], members["wave"], strict=True))
        mine = shown[[(str(a), str(b)) in keys for a, b in zip(shown["leader_id"], shown["wave"], strict=True)]]
        for wave in sorted(members["wave"].astype(str).unique()):
            part = mine[mine["wave"].astype(str) == wave]
            leaders = part["leader_id"].nunique()
            hidden = leaders < policy.min_leaders
            counts = part[column].value_counts()
            row: dict[str, object] = {"department": department, "wave": wave, "leaders": None if hidden else leaders,
                                      "gaps": None if hidden else len(part), "suppressed": hidden}
            for name in CLASSES:
                row[name] = None if hidden else float(100 * counts.get(name, 0) / len(part))
            rows.append(row)
    return pd.DataFrame(rows, columns=["department", "wave", "leaders", "gaps", *CLASSES, "suppressed"])
