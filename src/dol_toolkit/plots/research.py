"""Analysis figures for researchers (the notebooks in notebooks/research/), drawn with seaborn.

The workshop's own charts (likert, means, gaps, change) are built for a room and for print, by hand; these are
the ones an analyst reads: plain seaborn figures on tidy data, labelled from the theme, on its own scale.
"""

from __future__ import annotations

import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from dol_toolkit.i18n import Lang
from dol_toolkit.plots._common import chart_setup, item_label, theme_order
from dol_toolkit.themes import Theme


def item_distributions(matrix: pd.DataFrame, theme: Theme | None = None, lang: Lang = "da",
                       col_wrap: int = 3) -> Figure:
    """One panel per item: the share of respondents giving each answer on the theme's scale, from a
    respondents x items matrix of answers (e.g. :func:`dol_toolkit.stats.reliability.employee_matrix`)."""
    lang, theme, _, _ = chart_setup(lang, theme)
    items = theme_order(theme, [str(c) for c in matrix.columns])
    points = [p.value for p in theme.scale.points]
    long = matrix[items].melt(var_name="item_id", value_name="value").dropna()
    long["value"] = long["value"].round().astype(int)
    long["item"] = [item_label(theme, i, lang, full=False) for i in long["item_id"]]
    shares = (long.groupby(["item", "value"], observed=True).size()
              .groupby(level="item", observed=True).transform(lambda s: 100 * s / s.sum())
              .rename("percent").reset_index())
    order = [item_label(theme, i, lang, full=False) for i in items]
    grid = sns.catplot(data=shares, x="value", y="percent", col="item", col_order=order, col_wrap=col_wrap,
                       kind="bar", order=points, color=sns.color_palette("viridis", 1)[0], height=2.4,
                       aspect=1.2)
    grid.set_axis_labels("", "%")
    grid.set_titles("{col_name}")
    figure: Figure = grid.figure
    return figure


def gap_distributions(gaps: pd.DataFrame, theme: Theme | None = None, lang: Lang = "da",
                      column: str = "gap_self", threshold: float | None = None) -> Figure:
    """The leaders' self-other gaps per item (``gap_self`` or ``gap_manager`` of
    :func:`dol_toolkit.stats.gaps.leader_gaps`; only gaps that exist), one histogram per item, with the lines
    beyond which a gap is a blind spot (right) or a hidden strength (left)."""
    lang, theme, _, _ = chart_setup(lang, theme)
    limit = theme.scale.gap_threshold if threshold is None else threshold
    shown = gaps[gaps[column].notna()].copy()
    items = theme_order(theme, [str(i) for i in shown["item_id"].astype(str).unique()])
    shown["item"] = [item_label(theme, str(i), lang, full=False) for i in shown["item_id"]]
    order = [item_label(theme, i, lang, full=False) for i in items]
    grid = sns.displot(data=shown, x=column, col="item", col_order=order, col_wrap=3, binwidth=0.25,
                       color=sns.color_palette("viridis", 3)[1], height=2.4, aspect=1.2)
    for ax in grid.axes.flat:
        for x in (-limit, limit):
            ax.axvline(x, color="0.3", linewidth=0.8, linestyle="--")
    grid.set_axis_labels(column, "leader-rounds")
    grid.set_titles("{col_name}")
    figure: Figure = grid.figure
    return figure


def change_intervals(changes: pd.DataFrame, theme: Theme | None = None, lang: Lang = "da") -> Figure:
    """Each leader's change per item (:func:`dol_toolkit.stats.compare.leader_changes`, suppressed rows left
    out) with its 95 % interval, leaders sorted by the change within each panel; the line at 0 is no change."""
    lang, theme, _, _ = chart_setup(lang, theme)
    shown = changes[~changes["suppressed"].astype(bool)].dropna(subset=["difference"]).copy()
    items = theme_order(theme, [str(i) for i in shown["item_id"].astype(str).unique()])
    shown["item"] = [item_label(theme, str(i), lang, full=False) for i in shown["item_id"]]
    shown["rank"] = shown.groupby("item")["difference"].rank(method="first")
    order = [item_label(theme, i, lang, full=False) for i in items]

    def intervals(data: pd.DataFrame, **style: object) -> None:
        import matplotlib.pyplot as plt

        plt.errorbar(data["difference"], data["rank"], xerr=[data["difference"] - data["ci_low"],
                                                            data["ci_high"] - data["difference"]],
                     fmt="o", markersize=3, linewidth=0.8, color=sns.color_palette("viridis", 3)[0])
        plt.axvline(0, color="0.3", linewidth=0.8)

    grid = sns.FacetGrid(shown, col="item", col_order=order, col_wrap=3, height=2.8, aspect=1.1, sharey=False)
    grid.map_dataframe(intervals)
    grid.set_axis_labels("", "")
    grid.set(yticks=[])
    grid.set_titles("{col_name}")
    figure: Figure = grid.figure
    return figure
