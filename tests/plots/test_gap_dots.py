"""gap_dots: one anonymous dot per leader, zero line, threshold band, suppressed items in words."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from matplotlib.patches import Polygon, Rectangle

from dol_toolkit.plots import PlotError, gap_dots
from dol_toolkit.stats.gaps import group_gap_distribution, leader_gaps

from .builders import ITEM_IDS, assert_only_message, shown_strings

LEADERS_DA = ("For få ledere til at vise resultatet (for få ledere har både deres eget svar og svar fra mindst 5 "
              "medarbejdere).")


def distribution(values: dict[str, tuple[float, ...] | None], wave: str = "2024") -> pd.DataFrame:
    return pd.DataFrame([
        {"wave": wave, "item_id": item, "leaders": None if v is None else len(v), "values": v,
         "mean": None, "min": None, "max": None, "suppressed": v is None}
        for item, v in values.items()
    ])


def dots(ax) -> dict[str, list[float]]:
    return {line.get_gid().split(":")[1]: list(line.get_xdata()) for line in ax.lines
            if (line.get_gid() or "").startswith("gaps:")}


def test_one_dot_per_value(sample, group):
    gaps = group_gap_distribution(leader_gaps(sample), group)
    ax = gap_dots(gaps)
    drawn = dots(ax)
    latest = gaps[gaps["wave"] == "2026"].set_index("item_id")
    for item in ITEM_IDS:
        assert drawn[item] == pytest.approx(list(latest.loc[item, "values"]))
    # No names anywhere.
    strings = " ".join(shown_strings(ax.get_figure(root=True)))
    assert not any(name in strings for name in group)


def test_zero_line_and_band():
    ax = gap_dots(distribution({i: (-0.5, 0.2, 1.8) for i in ITEM_IDS}))
    assert any(list(line.get_xdata()) == [0, 0] for line in ax.lines)
    bands = [p for p in ax.patches if isinstance(p, Polygon | Rectangle)]
    xs = [sorted({round(float(x), 6) for x, _ in p.get_xy()}) for p in bands if isinstance(p, Polygon)] + \
         [[round(p.get_x(), 6), round(p.get_x() + p.get_width(), 6)] for p in bands if isinstance(p, Rectangle)]
    assert [round(-4 / 3, 6), round(4 / 3, 6)] in xs  # a third of the 1-5 scale's range
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["Én leder (anonymt)", "Ingen tydelig forskel (under ±1,33)"]


def test_equal_values_do_not_hide_each_other():
    ax = gap_dots(distribution({i: (0.5, 0.5, 0.5) for i in ITEM_IDS}))
    line = next(x for x in ax.lines if x.get_gid() == "gaps:competences")
    assert len(set(line.get_ydata())) == 3


def test_suppressed_item_says_too_few_leaders():
    values = {i: (-0.5, 0.2, 1.8) for i in ITEM_IDS}
    values["rationale"] = None
    ax = gap_dots(distribution(values))
    assert "rationale" not in dots(ax)
    assert "for få ledere" in [t.get_text() for t in ax.texts]
    ax_en = gap_dots(distribution(values), lang="en")
    assert "too few leaders" in [t.get_text() for t in ax_en.texts]


def test_all_suppressed_shows_only_the_message():
    ax = gap_dots(distribution(dict.fromkeys(ITEM_IDS)))
    assert_only_message(ax, LEADERS_DA)


def test_too_small_group_from_the_statistics(sample):
    gaps = group_gap_distribution(leader_gaps(sample), ["Anders Pedersen", "Anne Kofoed"])
    assert gaps["suppressed"].all()
    ax = gap_dots(gaps, lang="en")
    message = ("Too few leaders to show the result (too few leaders have both their own answer and answers from "
               "at least 5 employees).")
    assert_only_message(ax, message)


def test_tick_labels_signed_in_the_language():
    ax = gap_dots(distribution({i: (-0.5, 0.2, 1.8) for i in ITEM_IDS}))
    ax.get_figure(root=True).draw_without_rendering()
    ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert "+1" in ticks and "\u22121" in ticks and "0" in ticks
    wide = gap_dots(distribution({i: (-0.3, 0.2) for i in ITEM_IDS}), threshold=0.5)
    wide.get_figure(root=True).draw_without_rendering()
    assert any(re.fullmatch(r"[+\u2212]?\d,\d", t.get_text()) for t in wide.get_xticklabels())


def test_wave_and_bad_input(sample, group):
    gaps = group_gap_distribution(leader_gaps(sample), group)
    first = gap_dots(gaps, wave="2024")
    earlier = gaps[gaps["wave"] == "2024"].set_index("item_id")
    assert dots(first)["competences"] == pytest.approx(list(earlier.loc["competences", "values"]))
    with pytest.raises(PlotError, match="group_gap_distribution"):
        gap_dots(gaps.drop(columns=["values"]))
    with pytest.raises(PlotError, match="compared"):
        gap_dots(gaps, compared="employees")
