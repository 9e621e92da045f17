"""Summary records for the command line and exports: one record per selection, round, role and item."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from dol_toolkit.stats.anonymity import ITEM_REASON, LEFT_OUT_REASON, AnonymityPolicy
from dol_toolkit.stats.describe import Selection, describe_leaders, describe_selection


def _number(value: object, digits: int = 4) -> float | int | None:
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    if math.isnan(number):
        return None
    return int(number) if number.is_integer() and digits == 0 else round(number, digits)


def records(frame: pd.DataFrame, name_column: str = "selection", *, kind: str = "leader") -> list[dict[str, Any]]:
    """JSON-ready records of a description; a suppressed record has every number null.

    Per record: ``leader`` (the selection's name), ``kind`` (leader, leaders, department, organisation),
    ``wave``, ``item``, ``role``; ``n`` (answers, all categories), ``n_substantive`` (answers on the theme's scale,
    the ones in the mean), ``dont_know``, ``prefer_not``, ``respondents``, ``mean``, ``ci_low``, ``ci_high``,
    ``counts`` (per answer category: "1" .. "7" and the others on a 7-point scale); ``suppressed`` and
    ``reason`` ("too_few_respondents", "too_few_answers_on_scale" for an item withheld under the policy's
    ``min_answers_per_item``, or "no_answers" for a figure with no answer at all, e.g. a leader who did
    not rate themself); and ``left_out``: for a figure over
    several leaders (``kind`` other than leader), the leaders whose employee answers do not enter it, each as
    ``{"leader": id, "reason": "too_few_respondents"}``, and those whose answers to this item are withheld, as
    ``{"leader": id, "reason": "too_few_answers_on_scale"}`` (never their counts), else empty. The theme
    index has no categories: its ``dont_know``, ``prefer_not`` and counts are null.
    """
    pooled = kind != "leader"
    categories = [c.removeprefix("count_") for c in frame.columns if c.startswith("count_")]
    out = []
    for row in frame.to_dict("records"):
        suppressed = bool(row["suppressed"])
        wave = row.get("wave")
        left = (row.get("left_out") or ()) if pooled and row["role"] == "employee" else ()
        item_left = (row.get("item_left_out") or ()) if pooled and row["role"] == "employee" else ()
        out.append({
            "leader": row[name_column],
            "kind": kind,
            "wave": None if wave is None or wave != wave else str(wave),
            "item": row["item_id"],
            "role": row["role"],
            "n": None if suppressed else _number(row["n"], 0),
            "n_substantive": None if suppressed else _number(row["n_substantive"], 0),
            "dont_know": None if suppressed else _number(row["count_dont_know"], 0),
            "prefer_not": None if suppressed else _number(row["count_prefer_not"], 0),
            "respondents": None if suppressed else _number(row["respondents"], 0),
            "mean": None if suppressed else _number(row["mean"]),
            "ci_low": None if suppressed else _number(row["ci_low"]),
            "ci_high": None if suppressed else _number(row["ci_high"]),
            "suppressed": suppressed,
            "reason": row.get("reason") if suppressed else None,
            "counts": None if suppressed else {c: _number(row[f"count_{c}"], 0) for c in categories},
            "left_out": [*({"leader": str(x), "reason": LEFT_OUT_REASON} for x in left),
                         *({"leader": str(x), "reason": ITEM_REASON} for x in item_left)],
        })
    return out


def summary(
    responses: pd.DataFrame,
    *,
    leaders: list[str] | None = None,
    department: str | None = None,
    waves: list[str] | None = None,
    policy: AnonymityPolicy | None = None,
) -> list[dict[str, Any]]:
    """Records for ``dol summary``: one leader (their employees, self and own leader), a group of leaders, a
    department, or (with no selection) every leader and the organisation."""
    policy = policy or AnonymityPolicy()
    known = {str(x) for x in responses["leader_id"].cat.categories}
    unknown = [x for x in leaders or [] if x not in known]
    if unknown:
        raise ValueError(f"unknown leader(s): {', '.join(unknown)}; see the leader column of the data")
    if department is not None:
        if "department" not in responses.columns:
            raise ValueError("the data has no department column")
        departments = {str(x) for x in responses["department"].astype(object).unique()}
        if department not in departments:
            raise ValueError(f"unknown department {department!r}; departments: {', '.join(sorted(departments))}")
        frame = describe_selection(responses, Selection.of_department(department), policy, waves=waves)
        return records(frame, kind="department")
    if leaders and len(leaders) == 1:
        return records(describe_selection(responses, Selection.leader(leaders[0]), policy, waves=waves))
    if leaders:
        return records(describe_selection(responses, Selection.group(leaders), policy, waves=waves), kind="leaders")
    every = records(describe_leaders(responses, policy, waves=waves), name_column="leader_id")
    org = records(describe_selection(responses, Selection.organisation(), policy, waves=waves), kind="organisation")
    return every + org
