"""Reliability of the theme's scale: Cronbach's alpha of the items for employees, with its confidence
interval, and the item analysis behind it.

alpha = k / (k - 1) * (1 - sum of item variances / variance of the respondents' sum score), over respondents
who answered every item on the scale (listwise: "Ved ikke" and blanks leave a respondent out). Variances use
ddof=1, as R's psych::alpha and pingouin do. The interval is Feldt's (1965), from the F distribution with
n - 1 and (n - 1)(k - 1) degrees of freedom, as pingouin reports it. The item analysis gives, per item, its
corrected item-total correlation (with the sum of the *other* items: R psych's ``r.drop``) and alpha without it.

>>> import pandas as pd
>>> m = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 2, 3, 5, 5], "c": [1, 3, 3, 4, 4]}, dtype=float)
>>> round(cronbach_alpha(m), 3)
0.954
>>> [round(x, 3) for x in alpha_interval(cronbach_alpha(m), n=5, k=3)]
[0.766, 0.995]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as scipy_stats

from dol_toolkit.stats.anonymity import AnonymityPolicy, released_employee_answers
from dol_toolkit.stats.describe import Selection


@dataclass(frozen=True)
class Alpha:
    alpha: float | None
    respondents: int | None  # complete respondents behind alpha
    items: int
    suppressed: bool
    interval: tuple[float, float] | None = None  # Feldt's 95 % confidence interval


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


def alpha_interval(alpha: float, n: int, k: int, confidence: float = 0.95) -> tuple[float, float]:
    """Feldt's confidence interval of Cronbach's alpha from ``n`` complete respondents and ``k`` items."""
    df1, df2 = n - 1, (n - 1) * (k - 1)
    lower = 1 - (1 - alpha) * scipy_stats.f.isf((1 - confidence) / 2, df1, df2)
    upper = 1 - (1 - alpha) * scipy_stats.f.isf((1 + confidence) / 2, df1, df2)
    return float(lower), float(upper)


def item_analysis(matrix: pd.DataFrame) -> pd.DataFrame:
    """Per item of a respondents x items matrix (no missing values): respondents, mean, sd, the corrected
    item-total correlation and alpha if the item is left out.

    >>> import pandas as pd
    >>> m = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 2, 3, 5, 5], "c": [1, 3, 3, 4, 4]}, dtype=float)
    >>> item_analysis(m).round(2)["item_total_r"].tolist()
    [0.97, 0.9, 0.87]
    """
    total = matrix.sum(axis=1)
    rows = []
    for item in matrix.columns:
        rest = total - matrix[item]
        rows.append({"item_id": item, "n": int(matrix[item].count()), "mean": float(matrix[item].mean()),
                     "sd": float(matrix[item].std(ddof=1)), "item_total_r": float(matrix[item].corr(rest)),
                     "alpha_if_deleted": cronbach_alpha(matrix.drop(columns=item))})
    return pd.DataFrame(rows).set_index("item_id")


def employee_matrix(
    responses: pd.DataFrame, selection: Selection | None = None, policy: AnonymityPolicy | None = None,
    wave: str | None = None,
) -> pd.DataFrame:
    """The employees' released answers as a respondents x items matrix of complete answers (one row per
    response: an employee with two leaders answered twice), with anonymity applied; empty when fewer than
    ``policy.min_n`` complete responses remain."""
    policy = policy or AnonymityPolicy()
    selection = selection or Selection.organisation()
    data = selection.rows(responses)
    if wave is not None:
        data = data[data["wave"].astype(str) == str(wave)]
    released = released_employee_answers(data, policy, organisation=selection.kind == "organisation")
    wide = released.pivot_table(index=["wave", "respondent_id", "leader_id"], columns="item_id", values="value",
                                aggfunc="first", observed=True).dropna()
    wide.columns = [str(c) for c in wide.columns]
    return wide if len(wide) >= policy.min_n else wide.iloc[0:0]


def employee_alpha(
    responses: pd.DataFrame, selection: Selection | None = None, policy: AnonymityPolicy | None = None,
    wave: str | None = None,
) -> Alpha:
    """Cronbach's alpha of the employees' answers in a selection (default: the organisation), with Feldt's
    95 % interval."""
    wide = employee_matrix(responses, selection, policy, wave)
    items = wide.shape[1]
    if wide.empty:
        return Alpha(None, None, items, True)
    value = cronbach_alpha(wide)
    if np.isnan(value):
        return Alpha(None, len(wide), items, False)
    return Alpha(value, len(wide), items, False, alpha_interval(value, len(wide), items))
