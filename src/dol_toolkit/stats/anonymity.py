"""Anonymity, enforced where the numbers are made.

The programme's rule: a leader's employee results are shown only when at least ``min_n`` (5) employees
answered. This module decides which answers may enter which figure, so that no figure, and no difference
between two figures, reveals the answers of a leader below the limit.

The rule (per round):

1. **Reportable leaders.** A leader is reportable in a round when at least ``min_n`` distinct employees gave
   at least one answer (any category, "Ved ikke" included) about that leader in that round.
2. **Selections aggregate reportable leaders only.** The employee figures of any selection that is not the
   whole organisation (a leader, a list of leaders such as a workshop group, a department, any other grouping)
   use the answers of its reportable leaders and nothing else. A selection with fewer than ``min_n`` such
   respondents is suppressed.
3. **The organisation adds one pool.** The answers of all non-reportable leaders of a round enter exactly one
   figure: the organisation's, and only when that pool holds at least ``min_n`` respondents; otherwise they
   enter no figure at all.

Why this stops differencing: a selection with or without a non-reportable leader gives the same figure (rule
2), so subtracting one from the other yields nothing; a department minus its shown leaders is exactly zero; the
organisation minus every other shown figure yields at most the pool of rule 3, which holds at least ``min_n``
respondents from several leaders and is itself no more revealing than any shown selection. Figures report how
many leaders were left out (a count of leaders, not of answers) so the reader knows why a figure differs from
the sum of its parts.

Leader-level distributions shown to a group (the spread of the leaders' self-other gaps, of their self or own
leader answers) never name a leader and are shown only when at least ``min_leaders`` (default 3) leaders
contribute, the usual minimum for rater groups in 360-degree tools.

``min_n`` may be raised, never lowered below 5, except in an explicit research mode that the workshop apps
never use.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

PROGRAMME_MIN_N = 5
DEFAULT_MIN_LEADERS = 3


class AnonymityError(ValueError):
    """An anonymity setting that would show what must not be shown."""


@dataclass(frozen=True)
class AnonymityPolicy:
    """How many answers a figure needs before it is shown.

    ``min_n``: employee respondents a leader (and any selection) needs; at least 5 unless ``research_mode``.
    ``min_leaders``: leaders a leader-level distribution needs (gaps, self answers across a group).
    """

    min_n: int = PROGRAMME_MIN_N
    min_leaders: int = DEFAULT_MIN_LEADERS
    research_mode: bool = False

    def __post_init__(self) -> None:
        if self.min_n < 1 or self.min_leaders < 1:
            raise AnonymityError("min_n and min_leaders must be at least 1")
        if self.min_n < PROGRAMME_MIN_N and not self.research_mode:
            raise AnonymityError(
                f"min_n={self.min_n} is below the programme's limit of {PROGRAMME_MIN_N}; it can only be lowered "
                "in research mode (AnonymityPolicy(research_mode=True)), which the workshop apps never use"
            )


def employee_respondents(responses: pd.DataFrame) -> pd.DataFrame:
    """Distinct employee respondents per leader and round: columns leader_id, wave, respondents."""
    employees = responses[responses["role"] == "employee"]
    counts = (
        employees.groupby(["leader_id", "wave"], observed=True, dropna=False)["respondent_id"]
        .nunique()
        .rename("respondents")
        .reset_index()
    )
    return counts


def reportable_leaders(responses: pd.DataFrame, policy: AnonymityPolicy) -> pd.DataFrame:
    """Per leader and round: respondents and whether the leader's employee results may be shown."""
    counts = employee_respondents(responses)
    counts["reportable"] = counts["respondents"] >= policy.min_n
    return counts


def released_employee_answers(
    responses: pd.DataFrame, policy: AnonymityPolicy, *, organisation: bool = False
) -> pd.DataFrame:
    """The employee answers that may enter a figure: those of reportable leaders (rule 2); for the organisation
    also the pool of the other leaders of a round when it is large enough (rule 3)."""
    employees = responses[responses["role"] == "employee"]
    per_leader = employees.groupby(["leader_id", "wave"], observed=True, dropna=False)["respondent_id"]
    allowed = (per_leader.transform("nunique") >= policy.min_n).to_numpy().copy()
    if organisation and (~allowed).any():
        pool = employees[~allowed]
        pool_size = pool.groupby("wave", observed=True, dropna=False)["respondent_id"].transform("nunique")
        allowed[~allowed] = (pool_size >= policy.min_n).to_numpy()
    return employees[allowed]
