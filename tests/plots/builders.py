"""Small tidy response tables, built by hand, and checks on what a figure shows.

``tidy(...)`` writes the tidy responses format of :mod:`dol_toolkit.survey` (respondent_id, leader_id, role,
item_id categorical in theme order, value, answer categorical, wave) from answer lists per item, so a test
states the counts it expects and the statistics layer computes the description from them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text

from dol_toolkit.themes import load_theme

THEME = load_theme()
ITEM_IDS = list(THEME.item_ids)
ANSWERS = ["1", "2", "3", "4", "5", "dont_know", "prefer_not"]
MESSAGE_DA = "For få svar til at vise resultatet (færre end 5 medarbejdere har svaret)."
MESSAGE_EN = "Too few answers to show the result (fewer than 5 employees answered)."


def expand(counts: Mapping[str, int]) -> list[str]:
    """{"1": 2, "dont_know": 1} -> ["1", "1", "dont_know"]."""
    return [category for category, k in counts.items() for _ in range(k)]


def tidy(
    answers: Mapping[str, Sequence[str]],
    *,
    leader: str = "L1",
    role: str = "employee",
    wave: str = "2024",
    prefix: str = "R",
) -> pd.DataFrame:
    """Responses where respondent k gives the k-th answer of each item's list (items with shorter lists are
    simply not answered by the later respondents)."""
    rows = []
    for item_id, given in answers.items():
        for k, answer in enumerate(given):
            rows.append({
                "respondent_id": f"{prefix}{leader}-{role}-{wave}-{k:03d}",
                "leader_id": leader,
                "role": role,
                "item_id": item_id,
                "value": float(answer) if answer.isdigit() else np.nan,
                "answer": answer,
                "wave": wave,
            })
    return frame(rows)


def frame(rows: list[dict[str, object]] | pd.DataFrame) -> pd.DataFrame:
    data = pd.DataFrame(rows) if not isinstance(rows, pd.DataFrame) else rows
    data["item_id"] = pd.Categorical(data["item_id"], categories=ITEM_IDS)
    data["answer"] = pd.Categorical(data["answer"], categories=ANSWERS)
    data["wave"] = pd.Categorical(data["wave"].astype(str))
    data["leader_id"] = pd.Categorical(data["leader_id"].astype(str))
    return data.reset_index(drop=True)


def combine(*parts: pd.DataFrame) -> pd.DataFrame:
    together = pd.concat([p.astype({"item_id": object, "answer": object, "wave": object, "leader_id": object})
                          for p in parts], ignore_index=True)
    return frame(together)


def texts(fig: Figure) -> list[Text]:
    """Every Text artist of the figure, visible or not."""
    return [t for t in fig.findobj(Text) if isinstance(t, Text)]


def shown_strings(fig: Figure) -> list[str]:
    return [t.get_text() for t in texts(fig) if t.get_visible() and t.get_text()]


def assert_only_message(ax: Axes, message: str) -> None:
    """The figure shows ``message`` and nothing from the data: no digit but the 5 of the rule, no bars, no
    lines, no ticks, no legend."""
    fig = ax.get_figure(root=True)
    assert isinstance(fig, Figure)
    fig.draw_without_rendering()
    strings = [t.get_text() for t in texts(fig) if t.get_text()]
    assert any(" ".join(s.split()) == message for s in strings), strings
    for s in strings:
        digits = re.findall(r"\d", s)
        if " ".join(s.split()) == message and "5" in message:
            assert digits == ["5"], s
        else:
            assert not digits, s
    for each in fig.axes:
        assert not each.patches and not each.lines and not each.collections
        assert each.get_legend() is None
        assert not [t for t in each.get_xticklabels() + each.get_yticklabels() if t.get_text()]
