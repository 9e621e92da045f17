"""Who answered about whom: per department, leader and round, the respondents of each role and whether the
leader's employee results may be shown under the anonymity rule.

This is what a facilitator checks before picking a workshop group (the preparation app, ``dol leaders``): it
holds counts of respondents only, never an answer.

>>> import pandas as pd
>>> rows = [("e1", "Ann", "employee"), ("e2", "Ann", "employee"), ("s1", "Ann", "self"), ("m1", "Ann", "manager")]
>>> responses = pd.DataFrame(rows, columns=["respondent_id", "leader_id", "role"]).assign(item_id="x", wave="2024")
>>> row = leader_counts(responses).iloc[0]
>>> row["leader"], int(row["employees"]), int(row["self"]), int(row["manager"]), bool(row["shown"])
('Ann', 2, 1, 1, False)
"""

from __future__ import annotations

import pandas as pd

from dol_toolkit.stats.anonymity import AnonymityPolicy, employee_blocks, round_key

COLUMNS = ["department", "leader", "wave", "employees", "self", "manager", "shown", "left_out", "in_organisation"]
ROLES = ("employee", "self", "manager")


def _main_departments(responses: pd.DataFrame) -> dict[tuple[str, str | None], str]:
    """(leader, round) -> the department most of the leader's rows of that round carry (ties: the first in
    sorted order; "" when the data has no department), as :meth:`Selection.rows` assigns departments."""
    if "department" not in responses.columns or responses.empty:
        return {}
    frame = pd.DataFrame({
        "leader": responses["leader_id"].astype(object).astype(str).to_numpy(),
        "wave": [round_key(w) for w in responses["wave"].astype(object)],
        "department": responses["department"].astype(object).fillna("").astype(str).to_numpy(),
    })
    counts = frame.value_counts(dropna=False).rename("k").reset_index()
    main = counts.sort_values(["leader", "wave", "k", "department"], ascending=[True, True, False, True],
                              na_position="first").drop_duplicates(["leader", "wave"])
    return {(str(r.leader), round_key(r.wave)): str(r.department) for r in main.itertuples(index=False)}


def leader_counts(responses: pd.DataFrame, policy: AnonymityPolicy | None = None) -> pd.DataFrame:
    """One row per leader and round in ``responses`` (the tidy table of :func:`dol_toolkit.survey.read_export`).

    Columns:

    ``department`` - the department the leader's rows of the round mostly carry ("" when the data has none);
    ``leader`` - the leader's id as the data names it; ``wave`` - the round (None when the data has no rounds);
    ``employees``, ``self``, ``manager`` - distinct respondents of each role (any answer, "Ved ikke" included);
    ``shown`` - the leader's own employee results may be shown (at least ``policy.min_n`` employees): the
    leader's employees enter a group's figures; ``left_out`` - the opposite, for a leader with employee answers
    or without any (so ``shown`` and ``left_out`` always differ); ``in_organisation`` - the leader's employee
    answers enter the organisation's figure (a block of their own, or a pool large enough; see
    :mod:`dol_toolkit.stats.anonymity`).

    Rows are sorted by department, leader and round (the rounds in the data's order, earliest first).
    """
    policy = policy or AnonymityPolicy()
    if responses.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
    frame = pd.DataFrame({
        "leader": responses["leader_id"].astype(object).astype(str).to_numpy(),
        "wave": [round_key(w) for w in responses["wave"].astype(object)],
        "role": responses["role"].astype(object).astype(str).to_numpy(),
        "respondent_id": responses["respondent_id"].astype(object).astype(str).to_numpy(),
    })
    counts = (frame.drop_duplicates().groupby(["leader", "wave", "role"], dropna=False).size()
              .unstack("role", fill_value=0).reindex(columns=list(ROLES), fill_value=0).reset_index())
    counts = counts.rename(columns={"employee": "employees"})
    counts.columns.name = None
    # A missing round comes out of the grouping as NaN: key it as round_key does (None), as every look-up
    # below is keyed.
    counts["wave"] = [round_key(w) for w in counts["wave"].astype(object)]
    blocks = employee_blocks(responses, policy)
    status = {(str(b.leader_id), round_key(b.wave)): (bool(b.reportable), bool(b.in_organisation))
              for b in blocks.itertuples(index=False)}
    keys = list(zip(counts["leader"], counts["wave"], strict=True))
    counts["shown"] = [status.get(k, (False, False))[0] for k in keys]
    counts["left_out"] = ~counts["shown"].astype(bool)
    counts["in_organisation"] = [status.get(k, (False, False))[1] for k in keys]
    departments = _main_departments(responses)
    counts["department"] = [departments.get(k, "") for k in keys]
    for column in ("employees", "self", "manager"):
        counts[column] = counts[column].astype("int64")
    order = _wave_order(responses)
    counts["_wave"] = [order.get(w, len(order)) for w in counts["wave"]]
    counts = counts.sort_values(["department", "leader", "_wave"], kind="stable").drop(columns="_wave")
    counts["wave"] = counts["wave"].astype(object).where(counts["wave"].notna(), None)
    return counts[COLUMNS].reset_index(drop=True)


def _wave_order(responses: pd.DataFrame) -> dict[str | None, int]:
    wave = responses["wave"]
    if isinstance(wave.dtype, pd.CategoricalDtype) and wave.cat.ordered:
        return {str(c): i for i, c in enumerate(wave.cat.categories)}
    values = sorted({w for w in (round_key(x) for x in wave.astype(object)) if w is not None})
    return {w: i for i, w in enumerate(values)}


def latest_counts(counts: pd.DataFrame) -> pd.DataFrame:
    """Of :func:`leader_counts`, each leader's row of their latest round (the rows are already in round order)."""
    if counts.empty:
        return counts
    return counts.groupby("leader", sort=False).tail(1).reset_index(drop=True)


def departments(counts: pd.DataFrame) -> dict[str, list[str]]:
    """Department -> its leaders (sorted), from :func:`leader_counts` (a leader in their latest round's
    department). Without a department column every leader is under ""."""
    latest = latest_counts(counts)
    out: dict[str, list[str]] = {}
    for department, leader in zip(latest["department"], latest["leader"], strict=True):
        out.setdefault(str(department), []).append(str(leader))
    return {d: sorted(v) for d, v in sorted(out.items())}


__all__ = ["COLUMNS", "departments", "latest_counts", "leader_counts"]
