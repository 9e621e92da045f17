"""Change between two rounds per item: the difference of the employees' means with its 95 % interval.

A bar from zero to the difference (purple up, orange down, and the signed number beside it, so colour is never
the only cue), the interval as a line with end caps, and the two rounds named on the axis.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from dol_toolkit.i18n import Lang, t
from dol_toolkit.plots import _style
from dol_toolkit.plots._common import (
    INDEX,
    PlotError,
    as_number,
    chart_setup,
    draw_labels_above,
    finish_text,
    fit_row,
    item_label,
    label_block_height,
    line_height,
    message_chart,
    narrow_rows,
    narrow_text_width,
    own_axes,
    require_columns,
    theme_order,
    wrap_to_width,
)
from dol_toolkit.plots._format import decimal_axis_formatter, format_decimal, format_signed
from dol_toolkit.plots.geometry import symmetric_limit, wrap
from dol_toolkit.plots.media import Medium
from dol_toolkit.themes import Theme

BAR_HEIGHT = 0.5
CAP = 0.12
LABEL_GAP = 0.04  # of the axis' full width
NO_WRAP = 10_000  # the layout's labels unwrapped: a narrow chart wraps them to its measured width
NARROW_ROW_EMS = 2.2  # a narrow chart's bar row, in ems of the note text beside the bar


@dataclass(frozen=True)
class ChangeItem:
    item_id: str
    label: str
    difference: float | None  # None: suppressed
    low: float | None
    high: float | None
    earlier_mean: float | None
    later_mean: float | None


@dataclass(frozen=True)
class ChangeLayout:
    items: tuple[ChangeItem, ...]
    earlier: str | None
    later: str | None
    limit: float
    suppressed_reason: str | None  # "too_few_respondents", "one_round" or None



def change_layout(
    comparison: pd.DataFrame, *, include_index: bool = False, lang: Lang = "da", theme: Theme | None = None,
    wrap_width: int = _style.STYLES["screen"].short_wrap,
) -> ChangeLayout:
    """Everything :func:`change_bars` draws, from :func:`dol_toolkit.stats.compare.compare_waves`."""
    lang, theme, _, _ = chart_setup(lang, theme)
    require_columns(comparison, ["item_id", "difference", "ci_low", "ci_high", "suppressed"], "change_bars",
                    "dol_toolkit.stats.compare.compare_waves")
    if comparison.empty:
        return ChangeLayout((), None, None, 1.0, "one_round")
    pairs = {(str(r["earlier"]), str(r["later"])) for r in comparison.to_dict("records")} \
        if {"earlier", "later"} <= set(comparison.columns) else {("", "")}
    if len(pairs) > 1:
        raise PlotError("change_bars: the table compares more than one pair of rounds; pass one compare_waves "
                        "result")
    earlier, later = next(iter(pairs))
    by_item = {str(r["item_id"]): r for r in comparison.to_dict("records")}
    order = theme_order(theme, list(by_item)) + ([INDEX] if include_index and INDEX in by_item else [])
    items = []
    for item_id in order:
        row = by_item[item_id]
        hidden = bool(row["suppressed"]) or as_number(row["difference"]) is None
        label = t("chart.index", lang) if item_id == INDEX else item_label(theme, item_id, lang, full=False)
        if hidden:
            items.append(ChangeItem(item_id, wrap(label, wrap_width), None, None, None, None, None))
            continue
        items.append(ChangeItem(item_id, wrap(label, wrap_width), as_number(row["difference"]),
                                as_number(row["ci_low"]), as_number(row["ci_high"]),
                                as_number(row.get("earlier_mean")), as_number(row.get("later_mean"))))
    shown = [i for i in items if i.difference is not None]
    ends = [v for i in shown for v in (i.difference, i.low, i.high) if v is not None]
    limit = symmetric_limit(ends, at_least=1.0, pad=0.35, step=0.5)
    return ChangeLayout(tuple(items), earlier or None, later or None, limit,
                        None if shown else "too_few_respondents")


def change_bars(
    comparison: pd.DataFrame,
    *,
    ax: Axes | None = None,
    lang: Lang = "da",
    include_index: bool = False,
    theme: Theme | None = None,
    medium: Medium = "screen",
    min_n: int = 5,
) -> Axes:
    """Per item the change of the employees' mean from the earlier round to the later one, with its interval.

    ``comparison``: :func:`dol_toolkit.stats.compare.compare_waves` (one pair of rounds). ``include_index``:
    add the theme index as a last row. An item whose comparison is suppressed says so in its row; when every
    item is suppressed (fewer than ``min_n`` employees) or there is only one round, the chart's place shows why
    and no number. ``ax``: where to draw; None makes a new figure of the medium's width. ``medium``:
    "screen", "paper" or "phone" (:mod:`dol_toolkit.plots.media`; on a phone each item's text and means stand on their
    own lines above its bar). Returns the Axes.
    """
    lang, theme, medium, st = chart_setup(lang, theme, medium)
    layout = change_layout(comparison, include_index=include_index, lang=lang, theme=theme,
                           wrap_width=NO_WRAP if st.narrow else st.short_wrap)
    if layout.suppressed_reason is not None:
        key = "one_round" if layout.suppressed_reason == "one_round" else "suppressed_employees"
        message = t(f"chart.{key}", lang, min_n=min_n)
        return message_chart(ax, message, medium)
    if st.narrow:
        width = narrow_text_width(medium)
        labels = [_row_label(replace(i, label=wrap_to_width(i.label, width, st.tick_pt)), lang)
                  for i in layout.items]
        row_in = NARROW_ROW_EMS * st.note_pt / 72
        narrow = narrow_rows([label_block_height(x, st.tick_pt) for x in labels], row_in)
        positions = list(narrow.centres)
        rows = narrow.end * row_in
    else:
        labels = [_row_label(i, lang) for i in layout.items]
        lines = max(label.count("\n") + 1 for label in labels)
        rows = len(layout.items) * max(line_height(st.tick_pt, lines) + 3 * st.gap, 4 * st.note_pt / 72)
        positions = list(range(len(layout.items)))
    ax, own_figure = own_axes(ax, medium, rows)

    limit = layout.limit
    for pos, item in zip(positions, layout.items, strict=True):
        if item.difference is None:
            ax.text(0, pos, t("chart.item_too_few", lang), ha="center", va="center", fontsize=st.note_pt,
                    style="italic", color=_style.NOTE_COLOUR, zorder=6,
                    bbox={"boxstyle": "round,pad=0.3", "facecolor": "white", "edgecolor": _style.GRID})
            continue
        d = item.difference
        direction = "up" if d > 0 else "down" if d < 0 else "zero"
        (patch,) = ax.barh(pos, d, left=0, height=BAR_HEIGHT, color=_style.CHANGE_COLOURS[direction], zorder=2)
        patch.set_gid(f"change:{item.item_id}")
        if item.low is not None and item.high is not None:
            ax.plot([item.low, item.high], [pos, pos], color="black", linewidth=st.line * 0.8, zorder=3,
                    gid=f"interval:{item.item_id}")
            for end in (item.low, item.high):
                ax.plot([end, end], [pos - CAP, pos + CAP], color="black", linewidth=st.line * 0.8, zorder=3)
        reach = [d, *(v for v in (item.low, item.high) if v is not None)]
        gap = 2 * limit * LABEL_GAP
        x, ha = (max(reach) + gap, "left") if d >= 0 else (min(reach) - gap, "right")
        ax.text(x, pos, format_signed(d, lang, 1), ha=ha, va="center", fontsize=st.note_pt,
                fontweight="bold", color="black", zorder=4)
    ax.axvline(0, color=_style.CENTRE_LINE, linewidth=1.3, zorder=3)
    ax.set_xlim(-limit, limit)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=4 if st.narrow else 8, steps=[1, 2, 2.5, 5, 10], symmetric=True))
    ax.xaxis.set_major_formatter(decimal_axis_formatter(lang, 1, signed=True))
    ax.grid(axis="x", color=_style.GRID, linewidth=0.8, zorder=0)
    ax.set_axisbelow(True)
    if st.narrow:
        draw_labels_above(ax, narrow, labels, medium, own_figure=own_figure)
    else:
        ax.set_yticks(positions, labels)
        ax.set_ylim(len(layout.items) - 0.5, -0.5)
    ax.tick_params(axis="y", length=0)
    for name in ("top", "right", "left"):
        ax.spines[name].set_visible(False)
    xlabel = t("chart.change_xlabel", lang, earlier=layout.earlier or "", later=layout.later or "")
    title = t("chart.change_interval", lang)
    if st.narrow:
        xlabel = wrap_to_width(xlabel, narrow_text_width(medium), st.label_pt)
        title = wrap_to_width(title, narrow_text_width(medium), st.note_pt)
    ax.set_xlabel(xlabel, fontsize=st.label_pt)
    ax.set_title(title, loc="left", fontsize=st.note_pt, color=_style.NOTE_COLOUR)
    finish_text(ax, medium=medium)
    if own_figure:
        fit_row([ax], pad=st.pad, height=rows)
    return ax


def _row_label(item: ChangeItem, lang: Lang) -> str:
    """The item, and below it the two means ("2,9 → 3,3") when shown."""
    if item.earlier_mean is None or item.later_mean is None:
        return item.label
    return (f"{item.label}\n{format_decimal(item.earlier_mean, lang)} \u2192 "
            f"{format_decimal(item.later_mean, lang)}")
