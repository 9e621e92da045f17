"""The spread of a group's self-other gaps: one anonymous dot per leader and item, no names.

The shaded band around zero is "no clear gap" (within the threshold, by default a third of the scale's range);
dots right of it are leaders who rate themselves clearly higher than their employees do, dots left of it
clearly lower. Dots that would overlap are moved up or down (see :func:`dol_toolkit.plots.geometry.dot_offsets`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MultipleLocator

from dol_toolkit.i18n import Lang, t
from dol_toolkit.plots import _style
from dol_toolkit.plots._common import (
    INDEX,
    PlotError,
    bottom_legends,
    chart_setup,
    draw_labels_above,
    finish_text,
    fit_row,
    item_label,
    item_rows,
    line_height,
    message_chart,
    narrow_text_width,
    own_axes,
    pick_wave,
    require_columns,
    theme_order,
    top_legend,
    wrap_to_width,
)
from dol_toolkit.plots._format import decimal_axis_formatter, format_decimal
from dol_toolkit.plots.geometry import dot_offsets, symmetric_limit, wrap
from dol_toolkit.plots.media import Medium
from dol_toolkit.themes import Theme

DOT_STEP = 0.16
SEPARATION = 1 / 40  # of the axis' full width: dots closer than this are stacked
NO_WRAP = 10_000  # the layout's labels unwrapped: a narrow chart wraps them to its measured width


@dataclass(frozen=True)
class GapItem:
    item_id: str
    label: str
    values: tuple[float, ...] | None  # None: suppressed
    offsets: tuple[float, ...]


@dataclass(frozen=True)
class GapLayout:
    items: tuple[GapItem, ...]
    limit: float
    suppressed: bool


def gap_layout(
    distribution: pd.DataFrame,
    *,
    wave: object | None = None,
    threshold: float | None = None,
    lang: Lang = "da",
    theme: Theme | None = None,
    wrap_width: int = _style.STYLES["screen"].short_wrap,
) -> GapLayout:
    """Everything :func:`gap_dots` draws, from :func:`dol_toolkit.stats.gaps.group_gap_distribution`."""
    lang, theme, _, _ = chart_setup(lang, theme)
    threshold = theme.scale.gap_threshold if threshold is None else threshold
    require_columns(distribution, ["item_id", "values", "suppressed"], "gap_dots",
                    "dol_toolkit.stats.gaps.group_gap_distribution")
    rows = pick_wave(distribution, wave, "gap_dots")
    rows = rows[(rows["item_id"].astype(object) != INDEX).to_numpy()]
    if rows["item_id"].duplicated().any():
        raise PlotError("gap_dots: several rows for the same item; pick one round (wave=...) first")
    by_item = {str(r["item_id"]): r for r in rows.to_dict("records")}
    values: dict[str, tuple[float, ...] | None] = {}
    for item_id, row in by_item.items():
        raw = row["values"]
        if bool(row["suppressed"]) or raw is None or (isinstance(raw, float) and math.isnan(raw)):
            values[item_id] = None
        else:
            values[item_id] = tuple(sorted(float(v) for v in raw if not math.isnan(float(v))))
    shown = [v for vs in values.values() if vs is not None for v in vs]
    limit = symmetric_limit(shown, at_least=threshold + 0.5, pad=0.3)
    items = []
    for item_id in theme_order(theme, list(by_item)):
        vs = values[item_id]
        offsets = tuple(dot_offsets(vs, 2 * limit * SEPARATION, DOT_STEP)) if vs else ()
        items.append(GapItem(item_id, wrap(item_label(theme, item_id, lang, full=False), wrap_width), vs, offsets))
    return GapLayout(tuple(items), limit, not items or all(i.values is None for i in items))


def gap_dots(
    distribution: pd.DataFrame,
    *,
    wave: object | None = None,
    ax: Axes | None = None,
    lang: Lang = "da",
    threshold: float | None = None,
    compared: str = "self",
    theme: Theme | None = None,
    medium: Medium = "screen",
    min_n: int = 5,
) -> Axes:
    """One dot per leader and item for a group's gaps, the zero line and the "no clear gap" band.

    ``distribution``: :func:`dol_toolkit.stats.gaps.group_gap_distribution` (its ``values``, never names).
    ``wave``: the round, the latest when None. ``threshold``: half-width of the band (the one the gaps were
    classified with; by default the theme's, :attr:`dol_toolkit.themes.Scale.gap_threshold`).
    ``compared``: "self" or "manager", which gap the values are (for the axis text).
    ``medium``: "screen", "paper" or "phone" (:mod:`dol_toolkit.plots.media`; on a phone each item's text
    stands above its dots and the legend below the chart). An item with too few leaders says so in
    its row; when every item is suppressed the chart's place shows why (a leader counts with answers from at
    least ``min_n`` employees) and no number. Returns the Axes.
    """
    lang, theme, medium, st = chart_setup(lang, theme, medium)
    if compared not in ("self", "manager"):
        raise PlotError(f"gap_dots: compared must be 'self' or 'manager', not {compared!r}")
    threshold = theme.scale.gap_threshold if threshold is None else threshold
    layout = gap_layout(distribution, wave=wave, threshold=threshold, lang=lang, theme=theme,
                        wrap_width=NO_WRAP if st.narrow else st.short_wrap)
    if layout.suppressed:
        message = t("chart.suppressed_leaders", lang, min_n=min_n)
        return message_chart(ax, message, medium)
    marker = st.marker * 10 / 11
    # On a narrow chart each row is as tall as its stacked dots need (one line of dots: a little more than a dot).
    marks = [(2 * max((abs(o) for o in i.offsets), default=0.0) + 2.4 * DOT_STEP) for i in layout.items]
    placed = item_rows([i.label for i in layout.items], medium, _dots_height(medium), _rows_height(layout, medium),
                     marks)
    labels, positions, separators, narrow = placed.labels, placed.positions, placed.separators, placed.narrow
    ax, own_figure = own_axes(ax, medium, placed.inches)

    ax.axvspan(-threshold, threshold, color=_style.BAND, zorder=0, linewidth=0)
    ax.axvline(0, color=_style.CENTRE_LINE, linewidth=1.3, zorder=1)
    for y in separators:
        ax.axhline(y, color=_style.GRID, linewidth=0.8, zorder=5 if st.narrow else 0)
    for pos, item in zip(positions, layout.items, strict=True):
        if item.values is None:
            ax.text(0, pos, t("chart.item_too_few_leaders", lang), ha="center", va="center", fontsize=st.note_pt,
                    style="italic", color=_style.NOTE_COLOUR, zorder=6,
                    bbox={"boxstyle": "round,pad=0.3", "facecolor": "white", "edgecolor": _style.GRID})
            continue
        ax.plot(list(item.values), [pos + o for o in item.offsets], linestyle="none", marker="o", markersize=marker,
                color=_style.DOT_COLOUR, markeredgecolor="white", markeredgewidth=1.0, zorder=3,
                gid=f"gaps:{item.item_id}")

    limit = layout.limit
    ax.set_xlim(-limit, limit)
    ax.xaxis.set_major_locator(MultipleLocator(1.0 if limit >= 2 else 0.5))
    ax.xaxis.set_major_formatter(decimal_axis_formatter(lang, 0 if limit >= 2 else 1, signed=True))
    if narrow is not None:
        draw_labels_above(ax, narrow, labels, medium, own_figure=own_figure)
    else:
        ax.set_yticks(positions, labels)
        ax.set_ylim(len(layout.items) - 0.5, -0.5)
    ax.tick_params(axis="y", length=0)
    for name in ("top", "right", "left"):
        ax.spines[name].set_visible(False)
    xlabel = t(f"chart.gap_xlabel_{compared}", lang)
    if st.narrow:
        # The Axes spans the figure within its pads, less the room of the end tick labels.
        half = (narrow_text_width(medium) - 0.2) / 2 - 0.1
        xlabel = wrap_to_width(xlabel, narrow_text_width(medium), st.label_pt)
        # The arrows stay with the word beside them (a no-break space).
        lower = wrap_to_width(t("chart.gap_lower", lang).replace("\u2190 ", "\u2190\u00a0"), half, st.note_pt)
        higher = wrap_to_width(t("chart.gap_higher", lang).replace(" \u2192", "\u00a0\u2192"), half, st.note_pt)
    else:
        # The two directions over the two ends of the axis, on lines short enough that they never meet.
        lower = wrap(t("chart.gap_lower", lang), st.note_wrap)
        higher = wrap(t("chart.gap_higher", lang), st.note_wrap)
    ax.set_xlabel(xlabel, fontsize=st.label_pt)
    ax.text(0.0, 1.0, lower, transform=ax.transAxes, ha="left", va="bottom", fontsize=st.note_pt,
            color=_style.NOTE_COLOUR, linespacing=1.2)
    ax.text(1.0, 1.0, higher, transform=ax.transAxes, ha="right", va="bottom", multialignment="right",
            fontsize=st.note_pt, color=_style.NOTE_COLOUR, linespacing=1.2)
    handles = [
        Line2D([], [], linestyle="none", marker="o", markersize=marker, color=_style.DOT_COLOUR,
               markeredgecolor="white", label=t("chart.gap_dot", lang)),
        Patch(facecolor=_style.BAND, label=t("chart.gap_band", lang,
                                             threshold=format_decimal(threshold, lang, 2))),
    ]
    if st.narrow:  # below the chart, in rows that fit its width, under the tick labels as sized
        finish_text(ax, medium=medium)
        bottom_legends([ax], [(handles, ax, None)], medium, own_figure=own_figure)
    else:  # above the two direction texts: their height is known from their lines and size
        lines = max(lower.count("\n"), higher.count("\n")) + 1
        top_legend(ax, handles, medium, own_figure=own_figure, ncols=2, align="left",
                   above_pt=line_height(st.note_pt, lines) * 72 + 0.5 * st.legend_pt)
    finish_text(ax, medium=medium)
    if own_figure:
        fit_row([ax], pad=st.pad, height=placed.inches)
    return ax


def _rows_height(layout: GapLayout, medium: Medium) -> float:
    """Inches for the rows: an item's label, and the dots stacked at up to seven levels without touching."""
    st = _style.style(medium)
    lines = max((i.label.count("\n") + 1 for i in layout.items), default=1)
    label = line_height(st.tick_pt, lines) + 2 * st.gap
    return len(layout.items) * max(label, _dots_height(medium))


def _dots_height(medium: Medium) -> float:
    """Inches for a row of dots stacked at up to seven levels without touching."""
    return _style.style(medium).marker * 10 / 11 * 1.1 / 72 / DOT_STEP
