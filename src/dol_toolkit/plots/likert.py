"""Diverging stacked bars of the five items: how the answers are distributed on the scale.

Disagreement (1, 2) lies left of the centre line, agreement (4, 5) right of it, and the neutral answers (3) are
split half and half across it. The segments are shares of the answers ON THE SCALE, so every bar spans 100 %.
"Ved ikke" and "Ønsker ikke at oplyse" are answers too: they are drawn in a side panel, as shares of ALL
answers, so that they neither move the centre nor vanish. Beside each bar: n, the number of answers.

The arithmetic lives in :mod:`dol_toolkit.plots.geometry` and in :func:`likert_layout`; :func:`likert_bars`
only draws what they computed.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch
from matplotlib.ticker import MultipleLocator

from dol_toolkit.plots import _style
from dol_toolkit.plots._common import (
    INDEX,
    PlotError,
    as_number,
    draw_message,
    figure_of,
    finish_text,
    fit_row,
    item_label,
    new_axes,
    new_figure,
    pick_wave,
    require_columns,
    theme_order,
)
from dol_toolkit.plots._format import (
    check_lang,
    format_integer,
    format_percent,
    format_percent_number,
    percent_axis_formatter,
)
from dol_toolkit.plots._text import Lang, text
from dol_toolkit.plots.geometry import (
    OFF_SCALE,
    SCALE,
    Segment,
    agreement_share,
    centred_limit,
    diverging_segments,
    off_scale_shares,
    order_items,
    wrap,
)
from dol_toolkit.themes import Theme, load_theme

BAR_HEIGHT = 0.62
SIDE_BAR_HEIGHT = 0.3
SIDE_OFFSET = 0.17
WIDTH_RATIOS = (4.0, 1.25)
WRAP_WIDTH = 40
EDGE_ROOM = 3.0  # percentage points between the longest bar and the edge of the axis
COUNT_COLUMNS = [f"count_{c}" for c in (*SCALE, *OFF_SCALE)]

_SIDE_PANELS: weakref.WeakKeyDictionary[Axes, Axes] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class LikertItem:
    """One row of the chart, as computed from the description (no drawing)."""

    item_id: str
    label: str
    suppressed: bool
    reason: str | None
    n: float | None
    segments: tuple[Segment, ...]
    off_scale: Mapping[str, float]
    agreement: float | None


@dataclass(frozen=True)
class LikertLayout:
    """Rows top to bottom, the half-width of the centred axis, and why nothing is shown (if so)."""

    items: tuple[LikertItem, ...]
    limit: float
    suppressed_reason: str | None


def _flag(value: object) -> bool:
    return bool(value) and not (isinstance(value, float) and math.isnan(value))


def likert_layout(
    description: pd.DataFrame,
    *,
    role: str = "employee",
    wave: object | None = None,
    sort_by_agreement: bool = False,
    lang: Lang = "da",
    theme: Theme | None = None,
    wrap_width: int = WRAP_WIDTH,
) -> LikertLayout:
    """Everything :func:`likert_bars` draws, computed from a description of
    :func:`dol_toolkit.stats.describe_selection` (or a frame with its columns ``item_id`` and ``count_*``;
    ``role``, ``wave``, ``n``, ``suppressed`` and ``reason`` are used when present)."""
    lang = check_lang(lang)
    theme = theme or load_theme()
    require_columns(description, ["item_id", *COUNT_COLUMNS[:5]], "likert_bars",
                    "dol_toolkit.stats.describe_selection")
    rows = description
    if "role" in rows.columns:
        roles = sorted({str(r) for r in rows["role"].dropna()})
        rows = rows[(rows["role"].astype(object) == role).to_numpy()]
        if rows.empty:
            raise PlotError(f"likert_bars: the description has no rows for role {role!r}; its roles are "
                            f"{', '.join(roles)}")
    rows = pick_wave(rows, wave, "likert_bars")
    rows = rows[(rows["item_id"].astype(object) != INDEX).to_numpy()]
    if rows["item_id"].duplicated().any():
        raise PlotError("likert_bars: several rows for the same item; pick one selection, role and round first")
    by_item = {str(r["item_id"]): r for r in rows.to_dict("records")}
    order = theme_order(theme, list(by_item))

    items = []
    for item_id in order:
        row = by_item[item_id]
        suppressed = _flag(row.get("suppressed", False))
        reason = str(row["reason"]) if suppressed and isinstance(row.get("reason"), str) else None
        label = wrap(item_label(theme, item_id, lang, full=True), wrap_width)
        if suppressed:
            items.append(LikertItem(item_id, label, True, reason or "too_few_respondents", None, (), {}, None))
            continue
        counts = {c: as_number(row.get(f"count_{c}")) or 0.0 for c in (*SCALE, *OFF_SCALE)}
        n_value = as_number(row.get("n"))
        n = n_value if n_value is not None else sum(counts.values())
        items.append(LikertItem(item_id, label, False, None, n, diverging_segments(counts),
                                off_scale_shares(counts, n), agreement_share(counts)))

    if sort_by_agreement:
        agreement = {i.item_id: i.agreement for i in items}
        position = {item_id: k for k, item_id in enumerate(order_items(order, order, agreement))}
        items.sort(key=lambda i: position[i.item_id])

    shown = [i for i in items if not i.suppressed]
    suppressed_reason = None
    if not shown:
        reasons = {i.reason for i in items}
        suppressed_reason = "too_few_respondents" if "too_few_respondents" in reasons or not items else "no_answers"
    extent = max((max(-s.left, s.left + s.width) for i in shown for s in i.segments), default=0.0)
    return LikertLayout(tuple(items), centred_limit(extent + EDGE_ROOM), suppressed_reason)


def side_panel(ax: Axes) -> Axes | None:
    """The side panel ("Ved ikke", "Ønsker ikke at oplyse") that :func:`likert_bars` drew beside ``ax``."""
    return _SIDE_PANELS.get(ax)


def _split(ax: Axes) -> Axes:
    """Split the area of ``ax`` in two: ``ax`` keeps the left part, a new side panel takes the right part."""
    fig = figure_of(ax)
    spec = ax.get_subplotspec()
    if spec is not None:
        grid = spec.subgridspec(1, 2, width_ratios=WIDTH_RATIOS, wspace=0.02)
        ax.set_subplotspec(grid[0])
        return fig.add_subplot(grid[1])
    box = ax.get_position()
    main_share = WIDTH_RATIOS[0] / sum(WIDTH_RATIOS)
    gap = box.width * 0.1
    side_width = box.width * (1 - main_share) - gap
    ax.set_position((box.x0, box.y0, box.width * main_share, box.height))
    return fig.add_axes((box.x0 + box.width * main_share + gap, box.y0, side_width, box.height))


def likert_bars(
    description: pd.DataFrame,
    *,
    role: str = "employee",
    wave: object | None = None,
    sort_by_agreement: bool = False,
    ax: Axes | None = None,
    lang: Lang = "da",
    theme: Theme | None = None,
) -> Axes:
    """Diverging stacked bars of the five items (not the index) of one role and round.

    ``description``: a table of :func:`dol_toolkit.stats.describe_selection`. ``role``: whose answers
    ("employee", "self" or "manager"). ``wave``: the round; the latest one when None. ``sort_by_agreement``:
    items by the share of 4 and 5, highest on top (otherwise in the theme's order).

    ``ax``: where to draw. None makes a new figure: a plain matplotlib Figure (not registered with pyplot; show
    it with ``display(ax.figure)``, save it with ``ax.figure.savefig``), laid out once from the measured size of
    its labels, with no layout engine, so that rendering it is one draw. A given ``ax`` is split in two within
    its own area: in a grid (``plt.subplots``, ``add_subplot``) its cell is divided by a sub-gridspec, ``ax``
    moves into the left part and holds the bars, and the side panel is a new Axes of the same figure in the
    right part; an ``ax`` placed by position (``fig.add_axes``) is narrowed and the panel placed in the freed
    space. Both ways work with constrained layout. The function returns ``ax`` (the bars); :func:`side_panel`
    returns the panel. When the whole chart is suppressed, ``ax`` is not split and shows the reason only.
    Segment labels are sized for bars about 6 inches wide or more; in a much narrower ``ax`` they may not fit
    their segments.

    Returns the Axes with the bars (or the message).
    """
    lang = check_lang(lang)
    theme = theme or load_theme()
    layout = likert_layout(description, role=role, wave=wave, sort_by_agreement=sort_by_agreement, lang=lang,
                           theme=theme)
    if layout.suppressed_reason is not None:
        key = "suppressed_employees" if layout.suppressed_reason == "too_few_respondents" else "no_answers"
        return draw_message(ax if ax is not None else new_axes(13, 2.5), text(key, lang))

    own_figure = ax is None
    if ax is None:
        lines = max((i.label.count("\n") + 1 for i in layout.items), default=1)
        fig = new_figure(13.5, 1.9 + len(layout.items) * (0.35 + 0.24 * lines))
        ax, side = fig.add_axes((0.3, 0.1, 0.5, 0.8)), fig.add_axes((0.85, 0.1, 0.1, 0.8))
    else:
        side = _split(ax)
    _SIDE_PANELS[ax] = side
    _draw_main(ax, layout, lang, theme)
    _draw_side(side, layout, lang, theme)
    finish_text(ax, side)
    if own_figure:
        fit_row([ax, side], WIDTH_RATIOS, gap=0.1)
    return ax


def _positions(layout: LikertLayout) -> list[int]:
    return list(range(len(layout.items)))


def _frame_rows(ax: Axes, layout: LikertLayout) -> None:
    count = len(layout.items)
    ax.set_ylim(count - 0.5, -0.5)  # first item on top


def _draw_main(ax: Axes, layout: LikertLayout, lang: Lang, theme: Theme) -> None:
    positions = _positions(layout)
    # One barh call per category (not per segment): the same patches, drawn much faster.
    bars: dict[str, list[tuple[int, str, Segment]]] = {c: [] for c in SCALE}
    for pos, item in zip(positions, layout.items, strict=True):
        if item.suppressed or not item.segments:
            key = ("item_off_scale_only" if not item.suppressed else
                   "item_no_answers" if item.reason == "no_answers" else "item_too_few")
            ax.text(0, pos, text(key, lang), ha="center", va="center", fontsize=_style.NOTE_PT,
                    style="italic", color=_style.NOTE_COLOUR, zorder=6,
                    bbox={"boxstyle": "round,pad=0.3", "facecolor": "white", "edgecolor": _style.GRID})
            continue
        for segment in item.segments:
            if segment.width > 0:
                bars[segment.category].append((pos, item.item_id, segment))
            if not segment.labelled:
                continue
            # A label on the centre line gets a box of the segment's colour: it interrupts the line instead of
            # being crossed by it.
            straddles = segment.left < 0 < segment.left + segment.width
            box = {"boxstyle": "square,pad=0.1", "facecolor": _style.SCALE_COLOURS[segment.category],
                   "edgecolor": "none"} if straddles else None
            ax.text(segment.centre, pos, format_percent_number(segment.share, lang), ha="center", va="center",
                    fontsize=_style.SEGMENT_PT, color=_style.SEGMENT_TEXT_COLOURS[segment.category], zorder=5,
                    bbox=box)
    for category, entries in bars.items():
        if not entries:
            continue
        container = ax.barh([e[0] for e in entries], [e[2].width for e in entries],
                            left=[e[2].left for e in entries], height=BAR_HEIGHT,
                            color=_style.SCALE_COLOURS[category], edgecolor=_style.EDGE, linewidth=0.8, zorder=2)
        for patch, (_, item_id, _) in zip(container.patches, entries, strict=True):
            patch.set_gid(f"likert:{item_id}:{category}")
    ax.axvline(0, color=_style.CENTRE_LINE, linewidth=1.3, zorder=4)
    # A little room beyond the last tick, so that a bar of 100 % does not run into the frame.
    ax.set_xlim(-layout.limit - EDGE_ROOM / 2, layout.limit + EDGE_ROOM / 2)
    ax.xaxis.set_major_locator(MultipleLocator(25))
    ax.xaxis.set_major_formatter(percent_axis_formatter(lang))
    ax.grid(axis="x", color=_style.GRID, linewidth=0.8, zorder=0)
    ax.set_axisbelow(True)
    ax.set_yticks(positions, [i.label for i in layout.items])
    ax.tick_params(axis="y", length=0)
    _frame_rows(ax, layout)
    for name in ("top", "right", "left"):
        ax.spines[name].set_visible(False)
    ax.set_xlabel(text("likert_xlabel", lang), fontsize=_style.LABEL_PT)
    # Two rows, read left to right: matplotlib fills a legend column by column, so interleave the entries.
    labels = [p.label(lang) for p in theme.scale.points]
    handles = [Patch(facecolor=_style.SCALE_COLOURS[c], edgecolor=_style.EDGE, label=label)
               for c, label in zip(SCALE, labels, strict=True)]
    order = [0, 3, 1, 4, 2]
    # Right-aligned with the bars, so that a legend wider than the bars reaches over the item texts, not beyond.
    ax.legend(handles=[handles[k] for k in order], loc="lower right", bbox_to_anchor=(1.0, 1.01), ncols=3,
              frameon=False, fontsize=_style.LEGEND_PT, handlelength=1.6, columnspacing=1.4)


def _draw_side(side: Axes, layout: LikertLayout, lang: Lang, theme: Theme) -> None:
    positions = _positions(layout)
    largest = max((v for i in layout.items for v in i.off_scale.values()), default=0.0) * 100
    room = max(largest, 10) * 0.05
    shown = [(pos, item) for pos, item in zip(positions, layout.items, strict=True) if not item.suppressed]
    for k, category in enumerate(OFF_SCALE):
        ys = [pos + (-SIDE_OFFSET if k == 0 else SIDE_OFFSET) for pos, _ in shown]
        shares = [item.off_scale[category] for _, item in shown]
        if not shown:
            continue
        container = side.barh(ys, [v * 100 for v in shares], height=SIDE_BAR_HEIGHT,
                              color=_style.OFF_SCALE_COLOURS[category], hatch=_style.OFF_SCALE_HATCH[category],
                              edgecolor="#525252", linewidth=0.6, zorder=2)
        for patch, y, share, (_, item) in zip(container.patches, ys, shares, shown, strict=True):
            patch.set_gid(f"side:{item.item_id}:{category}")
            side.text(share * 100 + room, y, format_percent(share, lang), ha="left", va="center",
                      fontsize=_style.SEGMENT_PT, color="black")
    side.set_xlim(0, max(largest, 10) * 1.8)
    side.set_xticks([])
    side.set_yticks(positions, ["" if i.n is None else text("n_label", lang, n=format_integer(i.n, lang))
                                for i in layout.items])
    side.tick_params(axis="y", length=0, pad=6)
    _frame_rows(side, layout)
    for name in ("top", "right", "bottom"):
        side.spines[name].set_visible(False)
    side.spines["left"].set_color(_style.GRID)
    side.set_xlabel(text("side_xlabel", lang), fontsize=_style.LABEL_PT)
    names: dict[str, str] = {n.code: n.label(lang) for n in theme.scale.non_substantive}
    handles = [Patch(facecolor=_style.OFF_SCALE_COLOURS[c], hatch=_style.OFF_SCALE_HATCH[c], edgecolor="#525252",
                     label=names.get(c, c)) for c in OFF_SCALE]
    side.legend(handles=handles, loc="lower right", bbox_to_anchor=(1.0, 1.01), ncols=1, frameon=False,
                fontsize=_style.LEGEND_PT, handlelength=1.6)
