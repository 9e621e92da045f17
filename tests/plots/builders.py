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
from matplotlib.transforms import Bbox

from dol_toolkit.plots.media import visible_texts
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


def _boxes_overlap(a: Bbox, b: Bbox, slack: float = 0.5) -> bool:
    """Whether two boxes (pixels) share more than a touching edge."""
    return a.x0 + slack < b.x1 and b.x0 + slack < a.x1 and a.y0 + slack < b.y1 and b.y0 + slack < a.y1


def overlaps(fig: Figure) -> list[tuple[str, str]]:
    """Pairs of things drawn on top of each other: two texts (tick labels, labels, legend entries, notes,
    titles), a legend and a text not in it, two legends, or a legend and an Axes' plotting area."""
    texts = visible_texts(fig)  # draws the figure (ticks are made at draw time)
    renderer = fig.canvas.get_renderer()
    boxes = [(t, t.get_window_extent(renderer)) for t in texts]
    found = []
    for k, (a, box_a) in enumerate(boxes):
        found += [(a.get_text(), b.get_text()) for b, box_b in boxes[k + 1:] if _boxes_overlap(box_a, box_b)]
    legends = [legend for ax in fig.axes if (legend := ax.get_legend()) is not None and legend.get_visible()]
    for k, legend in enumerate(legends):
        extent = legend.get_window_extent(renderer)
        own = {*legend.get_texts(), legend.get_title()}  # its entries and its title
        found += [(f"legend {k}", t.get_text()) for t, box in boxes if t not in own and _boxes_overlap(extent, box)]
        found += [(f"legend {k}", f"legend {j}") for j, other in enumerate(legends[k + 1:], k + 1)
                  if _boxes_overlap(extent, other.get_window_extent(renderer))]
        found += [(f"legend {k}", f"axes {j}") for j, ax in enumerate(fig.axes)
                  if ax.axison and _boxes_overlap(extent, ax.get_window_extent(renderer))]
    return found


def outside(fig: Figure) -> list[str]:
    """What the figure draws beyond its edges (cut off in the saved picture), by text; "figure" for
    anything else."""
    texts = visible_texts(fig)
    renderer = fig.canvas.get_renderer()
    width, height = fig.get_size_inches() * fig.dpi
    cut = [t.get_text() for t in texts if (box := t.get_window_extent(renderer)).x0 < -0.5 or box.y0 < -0.5
           or box.x1 > width + 0.5 or box.y1 > height + 0.5]
    box = fig.get_tightbbox(renderer)
    inches_w, inches_h = fig.get_size_inches()
    if not (box.x0 >= 0 and box.y0 >= 0 and box.x1 <= inches_w + 1e-9 and box.y1 <= inches_h + 1e-9):
        cut.append("figure")
    return cut
