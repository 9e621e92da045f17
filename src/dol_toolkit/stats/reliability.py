"""Reliability of the theme's scale: Cronbach's alpha of the items for employees.

alpha = k / (k - 1) * (1 - sum of item variances / variance of the respondents' sum score), over respondents
who answered every item on the scale (listwise: "Ved ikke" and blanks leave a respondent out). Variances use
ddof=1, as R's psych::alpha and pingouin do.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dol_toolkit.stats.anonymity import AnonymityPolicy, released_employee_answers
from dol_toolkit.stats.describe import Selection


@dataclass(frozen=True)
class Alpha:
    alpha: float | None
    respondents: int | None  # complete respondents behind alpha
    items: int
    suppressed: bool


def cronbach_alpha(matrix: pd.DataFrame) -> float:
    """Alpha of a respondents x items matrix of numbers with no missing values."""
    k = matrix.shape[1]
    if k < 2 or len(matrix) < 2:
        return float("nan")
    item_var = matrix.var(axis=0, ddof=1).sum()
    total_var = matrix.sum(axis=1).var(ddof=1)
    if total_var == 0:
        return float("nan")
    return float(k / (k - 1) * (1 - item_var / total_var))


def employee_alpha(
    responses: pd.DataFrame, selection: Selection | None = None, policy: AnonymityPolicy | None = None,
    wave: str | None = None,
) -> Alpha:
    """Cronbach's alpha of the employees' answers in a selection (default: the organisation)."""
    policy = policy or AnonymityPolicy()
    selection = selection or Selection.organisation()
    data = selection.rows(responses)
    if wave is not None:
        data = data[data["wave"].astype(str) == str(wave)]
    released = released_employee_answers(data, policy, organisation=selection.kind == "organisation")
    # one row per response: (respondent, leader) - an employee with two leaders answered twice
    wide = released.pivot_table(index=["wave", "respondent_id", "leader_id"], columns="item_id", values="value",
                                aggfunc="first", observed=True)
    wide = wide.dropna()
    items = wide.shape[1]
    if len(wide) < policy.min_n:
        return Alpha(None, None, items, True)
    value = cronbach_alpha(wide)
    return Alpha(None if np.isnan(value) else value, len(wide), items, False)
