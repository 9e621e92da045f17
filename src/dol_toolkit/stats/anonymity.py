"""Statistical disclosure control of the employee figures: one rule, applied where the numbers are made.

The programme's rule is primary suppression: a leader's employee results are shown only when at least ``min_n``
(5) employees answered. On its own that is not enough, because every figure the toolkit can make counts as
published (per leader, workshop group, department and organisation, per round, at every allowed minimum, in the
apps, the CLI and every export), and the sum or difference of published figures can give a hidden one back.
Statistical offices add complementary (secondary) suppression or pooling for that: cells are hidden or merged
until no combination of published cells isolates a protected one, as tau-argus and R's sdcTable do for tables
with linked totals. This module does it the pooling way, with blocks that never change with ``min_n``.

The rule, per round
-------------------

1. **Blocks.** The employee answers of a round fall into blocks:

   * a *leader block*: one leader with at least ``PROGRAMME_MIN_N`` (5) distinct employee respondents (any
     answer, "Ved ikke" included) in the round. The limit is always the programme's 5, whatever ``min_n`` is
     (in research mode ``min(min_n, 5)``);
   * the *pool*: all of the round's leaders with fewer than 5. The pool is one block: it enters a figure only
     as a whole, and only when it holds at least ``min_n`` distinct respondents; otherwise it enters no figure.

2. **Selections.** A selection that is not the whole organisation (a leader, a list of leaders such as a
   workshop group, a department, any other grouping) uses the blocks of its leaders that are reportable under
   the policy, i.e. have at least ``min_n`` respondents; never the pool. A department's leaders in a round are
   the leaders whose answers of that round mostly carry the department, so a leader's block is never split.
3. **The organisation** uses every leader block (at least 5 respondents, whatever ``min_n``) plus the pool when
   the pool is large enough. The organisation at ``min_n`` 7 therefore equals the organisation at 5, except
   possibly for the pool as a whole.
4. **Suppression.** Any figure with fewer than ``min_n`` distinct respondents is suppressed: its row is kept and
   says why, but it carries no number computed from the answers.

Why this is safe
----------------

Every published employee figure is a sum, per round, of whole blocks, and every block holds at least 5
respondents. Counts add up block by block, so any sum or difference of published figures, of any selections,
rounds, departments and the organisation, at any ``min_n`` >= 5, from the apps, the CLI or an export, is a
combination of whole blocks: it is zero or holds the answers of at least 5 respondents. It never isolates a
leader below 5 and never part of a block. In particular: a selection with or without a non-reportable leader
is the same figure; a department minus its shown leaders is zero; the organisation minus everything shown is at
most the leaders between 5 and ``min_n`` and the pool, each a whole block; the organisation at two minimums
differs at most by the whole pool; one round minus another is a combination of blocks of the two rounds. A
leader's figure at a higher ``min_n`` is hidden but the leader's block still counts in the organisation: a
raised minimum hides small figures, while the protection against differencing stays the programme's 5.

Figures report which leaders were left out and why (never how many respondents they have), so the reader knows
why a figure differs from the sum of its parts.

Limits
------

* A block is protected as a whole: an item's cell within a block may hold fewer answers than the block has
  respondents (some skipped the item), and a figure's count of one category may be small.
* Blocks are counted by respondent id. A person who rates two leaders (two ids, or one id under two leaders)
  belongs to both blocks; distinct respondents of a figure are counted once.
* Means, intervals, the theme index and Cronbach's alpha are computed from the same released answers, but they
  are not sums: the argument above is about the counts.
* In research mode the block limit follows ``min_n`` below 5, so figures made at two research minimums are not
  covered by the argument; the workshop apps never use research mode.

Answers on the scale per item (``min_answers_per_item``)
-----------------------------------------------------

The programme's rule counts respondents, and "Ved ikke" is an answer: a leader with 5 respondents of whom 2
answered "Ved ikke" to an item shows that item's distribution of 3 answers on the scale. Every figure says how many
answers on the scale it holds (``n_substantive``). An organisation may ask for more with
``min_answers_per_item`` (off by default, the programme's rule): then a *cell*, one block's employee answers to one
item in one round, with fewer answers on the scale than that is **withheld**. A withheld cell enters no figure at
all (all its answers, "Ved ikke" included): the leader's own row of the item is hidden and says why
(``too_few_answers_on_scale``), and every selection and the organisation leave the cell out of the item's figure
(and out of the theme index and everything computed from the released answers), as they leave out a block. A
cell is withheld or not by its block's own answers, never by the selection or ``min_n``, so the argument above
holds cell by cell: any sum or difference of published figures of an item, under one ``min_answers_per_item``,
is a combination of whole released cells and never holds a withheld one. The pool is a block, so its cells
follow the same rule. A figure made with the setting off (or lower) shows the cells it does not withhold; the
setting protects what is published under it.

Leader-level distributions shown to a group (the spread of the leaders' self-other gaps, of their self or own
leader answers) never name a leader and are shown only when at least ``min_leaders`` (default 3) leaders
contribute, the usual minimum for rater groups in 360-degree tools.

``min_n`` may be raised, never lowered below 5, except in an explicit research mode that the workshop apps
never use.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dol_toolkit.errors import EnglishError

PROGRAMME_MIN_N = 5
DEFAULT_MIN_LEADERS = 3
LEFT_OUT_REASON = "too_few_respondents"
ITEM_REASON = "too_few_answers_on_scale"
_POOL = "\x00pool"  # the pool's block id (no leader id is this)


class AnonymityError(EnglishError, ValueError):
    """An anonymity setting that would show what must not be shown."""


@dataclass(frozen=True)
class AnonymityPolicy:
    """How many answers a figure needs before it is shown.

    ``min_n``: employee respondents a leader (and any selection) needs; at least 5 unless ``research_mode``.
    ``min_leaders``: leaders a leader-level distribution needs (gaps, self answers across a group).
    ``min_answers_per_item``: answers on the scale (not "Ved ikke") a block's item needs to enter any figure;
    None (the default, the programme's rule) for no such limit.
    """

    min_n: int = PROGRAMME_MIN_N
    min_leaders: int = DEFAULT_MIN_LEADERS
    research_mode: bool = False
    min_answers_per_item: int | None = None

    def __post_init__(self) -> None:
        if self.min_n < 1 or self.min_leaders < 1:
            raise AnonymityError("min_n and min_leaders must be at least 1")
        per_item = self.min_answers_per_item
        if per_item is not None and (isinstance(per_item, bool) or not isinstance(per_item, int) or per_item < 1):
            raise AnonymityError(f"min_answers_per_item must be a whole number of at least 1 (or off), not "
                                 f"{per_item!r}")
        if self.min_n < PROGRAMME_MIN_N and not self.research_mode:
            raise AnonymityError(
                f"min_n={self.min_n} is below the programme's limit of {PROGRAMME_MIN_N}; it can only be lowered "
                "in research mode (AnonymityPolicy(research_mode=True)), which the workshop apps never use"
            )

    @property
    def block_min_n(self) -> int:
        """Respondents a leader needs to be a block of their own (rule 1): the programme's 5, whatever
        ``min_n`` is; in research mode ``min(min_n, 5)``."""
        return min(self.min_n, PROGRAMME_MIN_N) if self.research_mode else PROGRAMME_MIN_N


def _employees(responses: pd.DataFrame) -> pd.DataFrame:
    return responses[(responses["role"] == "employee").to_numpy()]


def employee_respondents(responses: pd.DataFrame) -> pd.DataFrame:
    """Distinct employee respondents per leader and round: columns leader_id, wave, respondents."""
    employees = _employees(responses)
    counts = (
        employees.groupby(["leader_id", "wave"], observed=True, dropna=False)["respondent_id"]
        .nunique()
        .rename("respondents")
        .reset_index()
    )
    return counts


def employee_blocks(responses: pd.DataFrame, policy: AnonymityPolicy) -> pd.DataFrame:
    """Per leader and round with employee answers: the leader's block under the rule.

    Columns: leader_id, wave, respondents, ``block`` ("leader" or "pool"), ``reportable`` (the leader's own
    figure may be shown, and the leader enters selections: at least ``min_n``), ``in_organisation`` (the
    leader's answers enter the organisation's figure: a leader block, or a pool that holds at least ``min_n``).
    ``responses`` must hold whole rounds for ``in_organisation`` to mean anything.
    """
    counts = employee_respondents(responses)
    own = counts["respondents"] >= policy.block_min_n
    counts["block"] = np.where(own, "leader", "pool")
    counts["reportable"] = counts["respondents"] >= policy.min_n
    pool = _pool_size(responses, policy)
    pool_ok = counts["wave"].map(lambda w: pool.get(round_key(w), 0) >= policy.min_n).astype(bool)
    counts["in_organisation"] = own | pool_ok
    return counts


def reportable_leaders(responses: pd.DataFrame, policy: AnonymityPolicy) -> pd.DataFrame:
    """Per leader and round: respondents and whether the leader's employee results may be shown."""
    return employee_blocks(responses, policy)[["leader_id", "wave", "respondents", "reportable"]]


def round_key(wave: object) -> str | None:
    """A round as a dictionary key (a missing round, NaN or None, is None)."""
    return None if wave is None or wave != wave else str(wave)


def _leader_sizes(employees: pd.DataFrame) -> np.ndarray:
    """Per employee answer: distinct employee respondents of its leader in its round."""
    per_leader = employees.groupby(["leader_id", "wave"], observed=True, dropna=False)["respondent_id"]
    return per_leader.transform("nunique").to_numpy()


def _pool_size(responses: pd.DataFrame, policy: AnonymityPolicy) -> dict[str | None, int]:
    """Per round: distinct respondents of the pool (all leaders below the block limit)."""
    employees = _employees(responses)
    pool = employees[_leader_sizes(employees) < policy.block_min_n]
    sizes = pool.groupby("wave", observed=True, dropna=False)["respondent_id"].nunique()
    return {round_key(w): int(n) for w, n in sizes.items()}


def released_employee_answers(
    responses: pd.DataFrame, policy: AnonymityPolicy, *, organisation: bool = False
) -> pd.DataFrame:
    """The employee answers that may enter a figure under the rule of this module.

    ``organisation=False``: ``responses`` are a selection's rows (whole leader-rounds, as
    ``Selection.rows`` gives them); the answers of its reportable leaders (rule 2). ``organisation=True``:
    ``responses`` are whole rounds; every leader block, and each round's pool as a whole when it holds at least
    ``min_n`` respondents (rule 3). Suppressing a figure with too few respondents (rule 4) is the caller's.
    """
    employees = _employees(responses)
    sizes = _leader_sizes(employees)
    withheld = _withheld(employees, sizes, policy)
    if not organisation:
        keep: np.ndarray = (sizes >= policy.min_n) & ~withheld
        return employees[keep]
    own = sizes >= policy.block_min_n
    allowed = own.copy()
    if (~own).any():
        pool = employees[~own]
        pool_size = pool.groupby("wave", observed=True, dropna=False)["respondent_id"].transform("nunique")
        allowed[~own] = pool_size.to_numpy() >= policy.min_n
    released: np.ndarray = allowed & ~withheld
    return employees[released]


def _withheld(employees: pd.DataFrame, sizes: np.ndarray, policy: AnonymityPolicy) -> np.ndarray:
    """Per employee answer: its cell (block, round, item) has fewer answers on the scale than
    ``policy.min_answers_per_item`` (all False when the setting is off)."""
    limit = policy.min_answers_per_item
    if limit is None or employees.empty:
        return np.zeros(len(employees), dtype=bool)
    block = np.where(sizes >= policy.block_min_n, employees["leader_id"].astype(object).astype(str).to_numpy(),
                     _POOL)
    cells = pd.DataFrame({
        "block": block,
        "wave": [round_key(w) for w in employees["wave"].astype(object)],
        "item": employees["item_id"].astype(object).astype(str).to_numpy(),
        "on_scale": employees["value"].notna().to_numpy(),
    })
    on_scale = cells.groupby(["block", "wave", "item"], dropna=False)["on_scale"].transform("sum")
    return (on_scale < limit).to_numpy()


def withheld_answers(responses: pd.DataFrame, policy: AnonymityPolicy) -> np.ndarray:
    """Per row of ``responses`` (whole leader-rounds): an employee answer whose cell is withheld under
    ``policy.min_answers_per_item`` (see the module's notes); False for every other row."""
    mask = np.zeros(len(responses), dtype=bool)
    is_employee = (responses["role"] == "employee").to_numpy()
    employees = responses[is_employee]
    mask[is_employee] = _withheld(employees, _leader_sizes(employees), policy)
    return mask


def withheld_items(responses: pd.DataFrame, policy: AnonymityPolicy, *,
                   organisation: bool = False) -> dict[tuple[str | None, str], tuple[str, ...]]:
    """(round, item) -> the leaders (sorted ids) whose employee answers to the item would enter the figure of
    ``responses`` but are withheld for too few answers on the scale. Same arguments as
    :func:`released_employee_answers`; empty when ``min_answers_per_item`` is off."""
    if policy.min_answers_per_item is None:
        return {}
    employees = _employees(responses)
    sizes = _leader_sizes(employees)
    withheld = _withheld(employees, sizes, policy)
    blocks = employee_blocks(responses, policy)
    enters = set()
    for b in blocks.itertuples(index=False):
        if bool(b.in_organisation if organisation else b.reportable):
            enters.add((str(b.leader_id), round_key(b.wave)))
    rows = employees[withheld]
    out: dict[tuple[str | None, str], set[str]] = {}
    for leader, wave, item in zip(rows["leader_id"].astype(object).astype(str), rows["wave"].astype(object),
                                  rows["item_id"].astype(object).astype(str), strict=True):
        if (leader, round_key(wave)) in enters:
            out.setdefault((round_key(wave), item), set()).add(leader)
    return {key: tuple(sorted(v)) for key, v in out.items()}


def left_out_leaders(responses: pd.DataFrame, policy: AnonymityPolicy, *,
                     organisation: bool = False) -> dict[str | None, tuple[str, ...]]:
    """Per round (keyed as ``str(wave)``, None for no round): the leaders with employee answers whose answers
    do not enter the figure, sorted. Same arguments as :func:`released_employee_answers`."""
    blocks = employee_blocks(responses, policy)
    out = blocks[~blocks["in_organisation" if organisation else "reportable"]]
    left: dict[str | None, tuple[str, ...]] = {}
    for wave, part in out.groupby("wave", observed=True, dropna=False):
        left[round_key(wave)] = tuple(sorted(str(x) for x in part["leader_id"].astype(object)))
    return left
