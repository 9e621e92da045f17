"""Distributions, means with intervals and the theme index, for leaders and for selections.

All functions take the tidy responses table of :mod:`dol_toolkit.survey` and return DataFrames. Employee
figures pass through :mod:`.anonymity` first; a suppressed figure keeps its row (so the reader learns that it
exists and why it is not shown) but carries no number computed from the answers: ``n``, ``respondents``,
counts, shares, mean and interval are all missing.

Columns of a description (one row per selection, round, role and item):

``selection, wave, role, item_id`` - what the row describes (``item_id`` "index" for the theme index);
``suppressed, reason`` - whether it is hidden and why ("too_few_respondents", "no_answers", or
"too_few_answers_on_scale": a leader's item with fewer answers on the scale than the policy's
``min_answers_per_item``);
``respondents`` - distinct respondents behind the figure; ``n`` - answers given (all categories);
``count_<c>`` and ``share_<c>`` for every answer category c of the responses (the theme's scale points, then
dont_know and prefer_not: ``count_1 .. count_5`` on a 5-point scale, ``count_1 .. count_7`` on a 7-point scale;
see :func:`answer_categories`) - ``share = count / n``;
``n_substantive, mean, sd, ci_low, ci_high`` - of the answers on the scale, with a 95% t-interval (missing for
fewer than two answers; clipped to the scale's ends); ``left_out`` - the leaders of the selection whose employee
answers do not enter the figure (sorted ids, employee rows of selections; see :mod:`.anonymity`) and
``leaders_left_out`` - how many; ``item_left_out`` - the leaders whose employee answers to this item are
withheld for too few answers on the scale (the leaders' other items do enter; employee rows of
:func:`describe_selection`).

``n_substantive`` is the number every output prints beside an item's figures ("n = 3 på skalaen"): the answers
the distribution's bars and the mean are made of. A withheld item (see :mod:`.anonymity`) enters no figure, the
theme index included: a leader's index is then the mean of their other items.

The theme index of a respondent is the mean of their substantive answers to the theme's items, given when they
answered at least ``INDEX_MIN_ITEMS`` (3) of the theme's items on the scale, so that one or two answers do not
stand for the whole theme. The index row's ``n`` counts respondents with an index.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy.special import stdtrit  # the t quantile; lighter to load than scipy.stats

from dol_toolkit.stats.anonymity import (
    ITEM_REASON,
    AnonymityPolicy,
    left_out_leaders,
    released_employee_answers,
    reportable_leaders,
    round_key,
    withheld_answers,
    withheld_items,
)
from dol_toolkit.themes import OFF_SCALE

INDEX = "index"
INDEX_MIN_ITEMS = 3
ROLES = ("employee", "self", "manager")
MOMENT_COLUMNS = ["n_substantive", "mean", "sd", "ci_low", "ci_high"]
Kind = Literal["leader", "leaders", "department", "organisation"]


def answer_categories(responses: pd.DataFrame) -> tuple[str, ...]:
    """The answer categories of a tidy responses table, in order: the points of its theme's scale, then the
    answers beside the scale (the importer takes them from the theme; see
    :attr:`dol_toolkit.themes.Scale.categories`).

    >>> from dol_toolkit.themes import load_theme
    >>> table = pd.DataFrame({"answer": pd.Categorical([], categories=load_theme().scale.categories)})
    >>> answer_categories(table)
    ('1', '2', '3', '4', '5', 'dont_know', 'prefer_not')
    """
    answer = responses["answer"]
    if not isinstance(answer.dtype, pd.CategoricalDtype):
        raise ValueError("the responses' answer column is not categorical; read the export with read_export")
    return tuple(str(c) for c in answer.cat.categories)


def scale_codes(responses: pd.DataFrame) -> tuple[str, ...]:
    """The points of the responses' scale ("1" .. "7" on a 7-point scale)."""
    return tuple(c for c in answer_categories(responses) if c not in OFF_SCALE)


def count_columns(responses: pd.DataFrame) -> list[str]:
    """The ``count_<c>`` columns a description of ``responses`` has, in category order."""
    return [f"count_{c}" for c in answer_categories(responses)]


def number_columns(responses: pd.DataFrame) -> list[str]:
    """Every column of a description of ``responses`` computed from the answers (all missing when suppressed)."""
    categories = answer_categories(responses)
    return ["respondents", "n", *(f"count_{c}" for c in categories), *(f"share_{c}" for c in categories),
            *MOMENT_COLUMNS]


def _number_columns(frame: pd.DataFrame) -> list[str]:
    """The computed columns of a description frame, whatever its scale."""
    return [c for c in frame.columns
            if c in ("respondents", "n", *MOMENT_COLUMNS) or c.startswith(("count_", "share_"))]


@dataclass(frozen=True)
class Selection:
    """Whose results: one leader, a list of leaders (a workshop group), a department, or the organisation."""

    kind: Kind
    name: str
    leaders: tuple[str, ...] = field(default_factory=tuple)
    department: str | None = None

    @classmethod
    def leader(cls, leader_id: str) -> Selection:
        return cls("leader", str(leader_id), (str(leader_id),))

    @classmethod
    def group(cls, leader_ids: list[str] | tuple[str, ...], name: str = "group") -> Selection:
        return cls("leaders", name, tuple(str(x) for x in leader_ids))

    @classmethod
    def of_department(cls, department: str) -> Selection:
        return cls("department", str(department), department=str(department))

    @classmethod
    def organisation(cls, name: str = "organisation") -> Selection:
        return cls("organisation", name)

    def rows(self, responses: pd.DataFrame) -> pd.DataFrame:
        """The responses about this selection's leaders (all roles), as whole leader-rounds: a leader's block
        (see :mod:`.anonymity`) is in a selection entirely or not at all.

        A department's leaders in a round are those whose answers of that round mostly carry the department
        (ties: the first department in sorted order), so a leader whose rows name two departments is in one.
        """
        if self.kind in ("leader", "leaders"):
            return responses[responses["leader_id"].astype(object).isin(self.leaders).to_numpy()]
        if self.kind == "department":
            if "department" not in responses.columns:
                raise ValueError("the data has no department column")
            mine: np.ndarray = main_department(responses) == self.department
            return responses[mine]
        return responses


def main_department(responses: pd.DataFrame) -> np.ndarray:
    """Per row: the department most of its leader's rows of the same round carry ("" for none)."""
    if responses.empty:
        return np.array([], dtype=object)
    leader_round = responses.groupby(["leader_id", "wave"], observed=True, dropna=False, sort=False).ngroup()
    department = responses["department"].astype(object).fillna("").astype(str).to_numpy()
    counts = pd.DataFrame({"g": leader_round.to_numpy(), "d": department}).value_counts().rename("k").reset_index()
    main = counts.sort_values(["g", "k", "d"], ascending=[True, False, True]).drop_duplicates("g")
    return main.set_index("g")["d"].reindex(leader_round.to_numpy()).to_numpy()


def _t_interval(mean: pd.Series, sd: pd.Series, n: pd.Series, points: int) -> tuple[pd.Series, pd.Series]:
    nn = n.astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        half = stdtrit(nn - 1, 0.975) * sd / np.sqrt(nn)
    half = half.where(nn >= 2)
    # Clipped to the scale (1 .. points): an interval never claims values no answer can take.
    return (mean - half).clip(lower=1.0), (mean + half).clip(upper=float(points))


def _describe(answers: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Counts, shares, mean and interval per ``keys`` + item, and the theme index per ``keys``."""
    group_keys = [*keys, "item_id"]
    categories = answer_categories(answers)
    count_cols = [f"count_{c}" for c in categories]
    counts = (
        answers.groupby([*group_keys, "answer"], observed=True, dropna=False).size()
        .unstack("answer", fill_value=0)
        .reindex(columns=list(categories), fill_value=0)
    )
    counts.columns = count_cols
    out = counts.astype("int64")
    out["n"] = out[count_cols].sum(axis=1)
    for c in categories:
        out[f"share_{c}"] = out[f"count_{c}"] / out["n"]
    values = answers.dropna(subset=["value"]).groupby(group_keys, observed=True, dropna=False)["value"]
    moments = values.agg(n_substantive="count", mean="mean", sd="std")
    out = out.join(moments, how="left")
    out["n_substantive"] = out["n_substantive"].fillna(0).astype("int64")
    respondents = answers.groupby(group_keys, observed=True, dropna=False)["respondent_id"].nunique()
    out["respondents"] = respondents
    out = out.reset_index()
    out["item_id"] = out["item_id"].astype(object)
    index = _index(answers, keys)
    out = pd.concat([out, index], ignore_index=True) if len(index) else out
    out["ci_low"], out["ci_high"] = _t_interval(out["mean"], out["sd"], out["n_substantive"],
                                                len(scale_codes(answers)))
    return out


def _index(answers: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    scored = answers.dropna(subset=["value"])
    # one index per response: (respondent, leader) - an employee with two leaders rates each of them
    response = ["respondent_id", *([] if "leader_id" in keys else ["leader_id"])]
    per = scored.groupby([*keys, *response], observed=True, dropna=False)["value"].agg(["count", "mean"])
    per = per[per["count"] >= INDEX_MIN_ITEMS]
    if per.empty:
        return pd.DataFrame()
    g = per.groupby(level=list(range(len(keys))), observed=True, dropna=False)["mean"]
    out = g.agg(n_substantive="count", mean="mean", sd="std").reset_index()
    out["n"] = out["n_substantive"]
    out["respondents"] = out["n_substantive"]
    out["item_id"] = INDEX
    return out


def _suppress(frame: pd.DataFrame, mask: pd.Series | np.ndarray, reason: str) -> pd.DataFrame:
    """Blank every number of the masked rows and say why."""
    mask = np.asarray(mask, dtype=bool)
    for column in _number_columns(frame):
        frame[column] = frame[column].astype("float64")
        frame.loc[mask, column] = np.nan
    frame.loc[mask, "suppressed"] = True
    frame.loc[mask, "reason"] = reason
    return frame


def _finish(frame: pd.DataFrame, item_ids: tuple[str, ...], columns: list[str]) -> pd.DataFrame:
    for column in columns:
        if column not in frame.columns:
            frame[column] = np.nan
    if "suppressed" not in frame.columns:
        frame["suppressed"] = False
    if "reason" not in frame.columns:
        frame["reason"] = None
    frame["suppressed"] = frame["suppressed"].fillna(False).astype(bool)
    order = {item: k for k, item in enumerate([*item_ids, INDEX])}
    frame["_item"] = frame["item_id"].map(order)
    frame["_role"] = frame["role"].map({r: k for k, r in enumerate(ROLES)})
    sort = [c for c in ("selection", "leader_id", "wave") if c in frame.columns] + ["_role", "_item"]
    frame = frame.sort_values(sort, kind="stable").drop(columns=["_item", "_role"]).reset_index(drop=True)
    lead = [c for c in ("selection", "leader_id", "wave", "role", "item_id", "suppressed", "reason") if c in frame]
    rest = [c for c in frame.columns if c not in lead]
    return frame[lead + rest]


def _full_grid(frame: pd.DataFrame, keys: dict[str, list[Any]], item_ids: tuple[str, ...]) -> pd.DataFrame:
    """Every combination of ``keys`` and item (index included), so a missing figure is a row that says so."""
    names = list(keys)
    grid = pd.MultiIndex.from_product([*keys.values(), [*item_ids, INDEX]], names=[*names, "item_id"]).to_frame(
        index=False)
    for name in names:
        grid[name] = grid[name].astype(object)
        if name in frame.columns:
            frame[name] = frame[name].astype(object)
    merged = grid.merge(frame, on=[*names, "item_id"], how="left")
    empty = merged["n"].isna() if "n" in merged.columns else pd.Series(True, index=merged.index)
    merged = _suppress(merged, empty.to_numpy(), "no_answers")
    return merged


def _waves(responses: pd.DataFrame, waves: list[str] | None) -> list[object]:
    present = list(pd.unique(responses["wave"].astype(object)))
    if waves is None:
        return present
    return [w for w in present if str(w) in {str(x) for x in waves}]


def describe_selection(
    responses: pd.DataFrame,
    selection: Selection,
    policy: AnonymityPolicy | None = None,
    *,
    item_ids: tuple[str, ...] | None = None,
    waves: list[str] | None = None,
) -> pd.DataFrame:
    """Employee figures of a selection (and, for one leader, their self and own-leader answers)."""
    policy = policy or AnonymityPolicy()
    item_ids = item_ids or tuple(str(c) for c in responses["item_id"].cat.categories)
    wave_list = _waves(responses, waves)
    data = responses[responses["wave"].astype(object).isin(wave_list).to_numpy()]
    data = selection.rows(data)
    organisation = selection.kind == "organisation"
    released = released_employee_answers(data, policy, organisation=organisation)
    left_out = left_out_leaders(data, policy, organisation=organisation)

    employee = _describe(released.assign(role="employee"), ["wave", "role"])
    roles = ["employee"]
    parts = [employee]
    if selection.kind == "leader":
        own = data[data["role"].isin(["self", "manager"])]
        if len(own):
            parts.append(_describe(own.assign(role=own["role"].astype(object)), ["wave", "role"]))
        roles += ["self", "manager"]
    frame = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) else \
        pd.DataFrame(columns=["wave", "role", "item_id", "n"])
    frame = _full_grid(frame, {"wave": wave_list, "role": roles}, item_ids)
    # Rule 4: too few respondents behind the selection's employee figure -> suppressed.
    counts = released.groupby("wave", observed=True, dropna=False)["respondent_id"].nunique()
    per_wave = {round_key(w): int(n) for w, n in counts.items()}
    employee_rows = frame["role"].eq("employee").to_numpy()
    keys = [round_key(w) for w in frame["wave"]]
    few = employee_rows & np.array([per_wave.get(k, 0) < policy.min_n for k in keys], dtype=bool)
    withheld = withheld_items(data, policy, organisation=organisation)
    item_left_out = [withheld.get((k, str(item)), ()) if e else ()
                     for k, item, e in zip(keys, frame["item_id"], employee_rows, strict=True)]
    if selection.kind == "leader":
        frame = _suppress(frame, np.array([bool(x) for x in item_left_out], dtype=bool), ITEM_REASON)
    frame = _suppress(frame, few, "too_few_respondents")
    frame["left_out"] = [left_out.get(k, ()) if e else () for k, e in zip(keys, employee_rows, strict=True)]
    frame["leaders_left_out"] = frame["left_out"].map(len).astype("int64")
    frame["item_left_out"] = [() if f else x for x, f in zip(item_left_out, few, strict=True)]
    frame.insert(0, "selection", selection.name)
    return _finish(frame, item_ids, number_columns(responses))


def describe_leaders(
    responses: pd.DataFrame,
    policy: AnonymityPolicy | None = None,
    *,
    leaders: list[str] | None = None,
    item_ids: tuple[str, ...] | None = None,
    waves: list[str] | None = None,
) -> pd.DataFrame:
    """Every leader's own results at once (employees, self, own leader): the personal view for all leaders.

    Employee rows of a leader below the limit are suppressed. This is the fast path for many leaders; it gives
    the same figures as :func:`describe_selection` with ``Selection.leader``.
    """
    policy = policy or AnonymityPolicy()
    item_ids = item_ids or tuple(str(c) for c in responses["item_id"].cat.categories)
    wave_list = _waves(responses, waves)
    data = responses[responses["wave"].astype(object).isin(wave_list).to_numpy()]
    if leaders is not None:
        data = data[data["leader_id"].astype(object).isin([str(x) for x in leaders]).to_numpy()]
    withheld = withheld_answers(data, policy)
    frame = _describe(data[~withheld], ["leader_id", "wave", "role"])
    frame["leader_id"] = frame["leader_id"].astype(object)
    frame["role"] = frame["role"].astype(object)
    frame["wave"] = frame["wave"].astype(object)
    # The leaders and rounds that exist, with every role and item.
    pairs = data[["leader_id", "wave"]].astype(object).drop_duplicates()
    grid = pairs.merge(pd.DataFrame({"role": list(ROLES)}), how="cross").merge(
        pd.DataFrame({"item_id": [*item_ids, INDEX]}), how="cross")
    merged = grid.merge(frame, on=["leader_id", "wave", "role", "item_id"], how="left")
    merged = _suppress(merged, merged["n"].isna().to_numpy(), "no_answers")
    cells = data[withheld]
    hidden_cells = set(zip(cells["leader_id"].astype(object).astype(str),
                           [round_key(w) for w in cells["wave"].astype(object)],
                           cells["item_id"].astype(object).astype(str), strict=True))
    item_hidden = np.array([r == "employee" and (str(x), round_key(w), str(i)) in hidden_cells for x, w, r, i in
                            zip(merged["leader_id"], merged["wave"], merged["role"], merged["item_id"], strict=True)],
                           dtype=bool)
    merged = _suppress(merged, item_hidden, ITEM_REASON)
    status = reportable_leaders(data, policy)
    status["leader_id"] = status["leader_id"].astype(object)
    status["wave"] = status["wave"].astype(object)
    merged = merged.merge(status[["leader_id", "wave", "reportable"]], on=["leader_id", "wave"], how="left")
    hidden = merged["role"].eq("employee") & ~merged["reportable"].fillna(False).astype(bool)
    merged = _suppress(merged, hidden.to_numpy(), "too_few_respondents")
    merged = merged.drop(columns=["reportable"])
    merged["left_out"] = [()] * len(merged)
    merged["leaders_left_out"] = 0
    merged["item_left_out"] = [()] * len(merged)
    return _finish(merged, item_ids, number_columns(responses))
