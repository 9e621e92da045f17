"""Comparisons: a selection against the organisation, and a round against the earlier round.

Both compare employee means item by item (and the theme index) as a difference with a 95% Welch interval
(two independent groups of respondents, unequal variances). Either side suppressed -> the comparison is
suppressed: it carries no number.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import stdtrit  # the t quantile; lighter to load than scipy.stats

from dol_toolkit.stats.anonymity import AnonymityPolicy
from dol_toolkit.stats.describe import Selection, describe_selection
from dol_toolkit.survey.waves import waves_of


def _welch(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """a - b per row, from mean, sd and n_substantive of each side."""
    diff = a["mean"] - b["mean"]
    va = a["sd"] ** 2 / a["n_substantive"]
    vb = b["sd"] ** 2 / b["n_substantive"]
    se = np.sqrt(va + vb)
    with np.errstate(invalid="ignore", divide="ignore"):
        df = (va + vb) ** 2 / (va**2 / (a["n_substantive"] - 1) + vb**2 / (b["n_substantive"] - 1))
        half = stdtrit(df, 0.975) * se
    ok = (a["n_substantive"] >= 2) & (b["n_substantive"] >= 2)
    return pd.DataFrame({"difference": diff, "ci_low": (diff - half).where(ok), "ci_high": (diff + half).where(ok)})


def _employee(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["role"] == "employee"].set_index(["wave", "item_id"])


def compare_to_organisation(
    responses: pd.DataFrame, selection: Selection, policy: AnonymityPolicy | None = None,
    waves: list[str] | None = None,
) -> pd.DataFrame:
    """Selection minus organisation per round and item: columns wave, item_id, selection_mean,
    organisation_mean, difference, ci_low, ci_high, suppressed."""
    mine = _employee(describe_selection(responses, selection, policy, waves=waves))
    org = _employee(describe_selection(responses, Selection.organisation(), policy, waves=waves)).reindex(mine.index)
    out = _welch(mine, org)
    out.insert(0, "organisation_mean", org["mean"])
    out.insert(0, "selection_mean", mine["mean"])
    out["suppressed"] = mine["suppressed"].to_numpy() | org["suppressed"].to_numpy()
    out.loc[out["suppressed"], ["selection_mean", "organisation_mean", "difference", "ci_low", "ci_high"]] = np.nan
    return out.reset_index()


def compare_waves(
    responses: pd.DataFrame, selection: Selection, policy: AnonymityPolicy | None = None,
    earlier: str | None = None, later: str | None = None,
) -> pd.DataFrame:
    """Change from the earlier round to the later one per item: columns item_id, earlier, later, earlier_mean,
    later_mean, difference (later - earlier), ci_low, ci_high, suppressed. Rounds default to the last two."""
    waves = waves_of(responses)
    if earlier is None or later is None:
        if len(waves) < 2:
            return pd.DataFrame(columns=["item_id", "earlier", "later", "earlier_mean", "later_mean", "difference",
                                         "ci_low", "ci_high", "suppressed"])
        earlier, later = waves[-2], waves[-1]
    described = _employee(describe_selection(responses, selection, policy, waves=[earlier, later]))
    described = described.reset_index()
    described["wave"] = described["wave"].astype(str)
    a = described[described["wave"] == later].set_index("item_id")
    b = described[described["wave"] == earlier].set_index("item_id").reindex(a.index)
    out = _welch(a, b)
    out.insert(0, "later_mean", a["mean"])
    out.insert(0, "earlier_mean", b["mean"])
    out.insert(0, "later", later)
    out.insert(0, "earlier", earlier)
    out["suppressed"] = a["suppressed"].to_numpy() | b["suppressed"].fillna(True).to_numpy(dtype=bool)
    out.loc[out["suppressed"], ["earlier_mean", "later_mean", "difference", "ci_low", "ci_high"]] = np.nan
    return out.reset_index()


def leader_changes(
    responses: pd.DataFrame, policy: AnonymityPolicy | None = None, earlier: str | None = None,
    later: str | None = None, leaders: list[str] | None = None,
) -> pd.DataFrame:
    """:func:`compare_waves` for each leader apart (default: every leader in the data): the change of the
    employees' mean per item from the earlier round to the later one, with Welch's 95 % interval. A leader
    below the anonymity limit in either round has no change (``suppressed``, no figures). Columns: leader_id,
    then those of :func:`compare_waves`."""
    ids = leaders if leaders is not None else sorted(responses["leader_id"].dropna().astype(str).unique())
    parts = []
    for leader in ids:
        part = compare_waves(responses, Selection.leader(leader), policy, earlier, later)
        part.insert(0, "leader_id", leader)
        parts.append(part)
    if not parts:
        return pd.DataFrame(columns=["leader_id", "item_id", "earlier", "later", "earlier_mean", "later_mean",
                                     "difference", "ci_low", "ci_high", "suppressed"])
    return pd.concat(parts, ignore_index=True)
