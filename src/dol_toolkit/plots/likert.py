"""Diverging stacked bars of the theme's items: how the answers are distributed on the scale.

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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle
from matplotlib.text import Text
from matplotlib.ticker import MultipleLocator

from dol_toolkit.i18n import Lang, t
from dol_toolkit.plots import _style
from dol_toolkit.plots._common import (
    INDEX,
    ITEM_REASON,
    NarrowRows,
    PlotError,
    as_number,
    bottom_legends,
    chart_setup,
    draw_labels_above,
    figure_of,
    finish_text,
    fit_row,
    item_label,
    label_block_height,
    line_height,
    message_chart,
    narrow_rows,
    narrow_text_width,
    new_figure,
    pick_wave,
    require_columns,
    text_width,
    theme_order,
    top_legend,
    wrap_to_width,
)
from dol_toolkit.plots._format import (
    format_integer,
    format_percent,
    format_percent_number,
    percent_axis_formatter,
)
from dol_toolkit.plots.geometry import (
    Segment,
    agreement_share,
    centred_limit,
    diverging_segments,
    off_scale_shares,
    order_items,
    wrap,
)
from dol_toolkit.plots.media import Medium, figure_width_in
from dol_toolkit.themes import OFF_SCALE, Theme

BAR_HEIGHT = 0.62
SIDE_BAR_HEIGHT = 0.3
SIDE_OFFSET = 0.17
WIDTH_RATIOS = (4.0, 1.25)
"""Bars and side panel in a given ``ax``; a chart's own figure gives the panel :data:`SIDE_EMS` instead."""
SIDE_EMS = 7.5
"""The side panel of a chart's own figure is at least half this many ems of the segment text wide (and wider
when its longest bar and percentage need it)."""
WRAP_WIDTH = _style.STYLES["screen"].item_wrap
EDGE_ROOM = 3.0  # percentage points between the longest bar and the edge of the axis
NO_WRAP = 10_000  # the layout's labels unwrapped: a narrow chart wraps them to its measured width

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
    on_scale: float | None = None  # answers on the scale: the ones the bars are made of


@dataclass(frozen=True)
class LikertLayout:
    """Rows top to bottom, the half-width of the centred axis, and why nothing is shown (if so); the scale's
    points and the answers beside it that the side panel shows (those the theme offers, and any other that
    was given)."""

    items: tuple[LikertItem, ...]
    limit: float
    suppressed_reason: str | None
    scale: tuple[str, ...]
    off_scale: tuple[str, ...]


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
    lang, theme, _, _ = chart_setup(lang, theme)
    scale = theme.scale.codes
    require_columns(description, ["item_id", *(f"count_{c}" for c in scale)], "likert_bars",
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
        counts = {c: as_number(row.get(f"count_{c}")) or 0.0 for c in (*scale, *OFF_SCALE)}
        n_value = as_number(row.get("n"))
        n = n_value if n_value is not None else sum(counts.values())
        on_scale = as_number(row.get("n_substantive"))
        on_scale = on_scale if on_scale is not None else sum(counts[c] for c in scale)
        items.append(LikertItem(item_id, label, False, None, n, diverging_segments(counts, scale),
                                off_scale_shares(counts, scale, n), agreement_share(counts, scale), on_scale))

    if sort_by_agreement:
        agreement = {i.item_id: i.agreement for i in items}
        position = {item_id: k for k, item_id in enumerate(order_items(order, order, agreement))}
        items.sort(key=lambda i: position[i.item_id])

    shown = [i for i in items if not i.suppressed]
    suppressed_reason = None
    if not shown:
        reasons = {i.reason for i in items}
        suppressed_reason = ("too_few_respondents" if "too_few_respondents" in reasons or not items else
                             ITEM_REASON if ITEM_REASON in reasons else "no_answers")
    extent = max((max(-s.left, s.left + s.width) for i in shown for s in i.segments), default=0.0)
    offered = theme.scale.offered_off_scale
    off_scale = tuple(c for c in OFF_SCALE if c in offered or any(i.off_scale.get(c, 0.0) > 0 for i in shown))
    items = [i if i.suppressed else replace(i, off_scale={c: i.off_scale[c] for c in off_scale}) for i in items]
    return LikertLayout(tuple(items), centred_limit(extent + EDGE_ROOM), suppressed_reason, scale, off_scale)


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
    medium: Medium = "screen",
    min_n: int = 5,
) -> Axes:
    """Diverging stacked bars of the theme's items (not the index) of one role and round.

    ``description``: a table of :func:`dol_toolkit.stats.describe_selection`. ``role``: whose answers
    ("employee", "self" or "manager"). ``wave``: the round; the latest one when None. ``sort_by_agreement``:
    items by the share of 4 and 5, highest on top (otherwise in the theme's order). ``medium``: "screen" or
    "paper" (:mod:`dol_toolkit.plots.media`): the figure's width and the type sizes. ``min_n``: the anonymity
    limit the description was made with, said in the message of a suppressed chart.

    ``ax``: where to draw. None makes a new figure of the medium's width: a plain matplotlib Figure (not
    registered with pyplot; show it with ``display(ax.figure)``, save it with
    :func:`dol_toolkit.plots.media.png_bytes`), laid out once from the measured size of its labels, with no
    layout engine, so that rendering it is one draw; a segment's percentage is left out where it would not fit
    its segment. A given ``ax`` is split in two within its own area: in a grid (``plt.subplots``,
    ``add_subplot``) its cell is divided by a sub-gridspec, ``ax`` moves into the left part and holds the bars,
    and the side panel is a new Axes of the same figure in the right part; an ``ax`` placed by position
    (``fig.add_axes``) is narrowed and the panel placed in the freed space. Both ways work with constrained
    layout. The function returns ``ax`` (the bars); :func:`side_panel` returns the panel. When the whole chart
    is suppressed, ``ax`` is not split and shows the reason only. Segment labels are sized for bars about 4
    inches wide or more; in a much narrower given ``ax`` they may not fit their segments.

    Returns the Axes with the bars (or the message).
    """
    lang, theme, medium, st = chart_setup(lang, theme, medium)
    layout = likert_layout(description, role=role, wave=wave, sort_by_agreement=sort_by_agreement, lang=lang,
                           theme=theme, wrap_width=NO_WRAP if st.narrow else st.item_wrap)
    if layout.suppressed_reason is not None:
        key = {"too_few_respondents": "suppressed_employees", ITEM_REASON: "item_too_few_on_scale"}.get(
            layout.suppressed_reason, "no_answers")
        message = t(f"chart.{key}", lang, min_n=min_n)
        return message_chart(ax, message, medium)

    own_figure = ax is None
    narrow, height = _narrow_rows(layout, lang, medium) if st.narrow else (None, _rows_height(layout, medium))
    if ax is None:
        fig = new_figure(figure_width_in(medium), height + 3)
        ax, side = fig.add_axes((0.3, 0.1, 0.5, 0.8)), fig.add_axes((0.85, 0.1, 0.1, 0.8))
    else:
        side = _split(ax)
    _SIDE_PANELS[ax] = side
    labels, handles = _draw_main(ax, layout, lang, theme, medium, own_figure, narrow)
    side_handles = _draw_side(side, layout, lang, theme, medium, own_figure, narrow)
    finish_text(ax, side, medium=medium)
    if narrow is not None:  # below the chart: the scale, then the answers beside it under the panel's title
        bottom_legends([ax, side], [(handles, ax, None), (side_handles, side, t("chart.side_xlabel", lang))],
                       medium, own_figure=own_figure)
    if own_figure:
        fit_row([ax, side], widths=[None, _side_width(layout, lang, medium)], pad=st.pad, gap=st.gap,
                height=height)
        _drop_unfit(labels)
    _space_ticks(ax, layout, medium)
    return ax


def _space_ticks(ax: Axes, layout: LikertLayout, medium: Medium) -> None:
    """Ticks every 25 percentage points, or every 50 (or, in a narrow chart, 100) when labels such as "100 %"
    would touch at 25 (at 50)."""
    fig = figure_of(ax)
    inches_per_point = float(fig.get_size_inches()[0]) * ax.get_position().width / (2 * layout.limit + EDGE_ROOM)
    label = max(text_width(str(t), _style.style(medium).tick_pt) for t in ax.xaxis.get_major_formatter().format_ticks(
        [-layout.limit, 0]))
    steps = (25, 50, 100) if _style.style(medium).narrow else (25, 50)
    fits = [step for step in steps if step * inches_per_point >= 1.4 * label]
    ax.xaxis.set_major_locator(MultipleLocator(fits[0] if fits else steps[-1]))


def _side_width(layout: LikertLayout, lang: Lang, medium: Medium) -> float:
    """Inches for the side panel of a chart's own figure: the longest bar and its percentage beside it fit."""
    st = _style.style(medium)
    largest = max((v for i in layout.items for v in i.off_scale.values()), default=0.0) * 100
    limit, room = _side_limit(largest, _style.style(medium).narrow)
    need = [(text_width(format_percent(v, lang), st.segment_pt) + 0.06) / (1 - (v * 100 + room) / limit)
            for i in layout.items for v in i.off_scale.values()]
    return max([SIDE_EMS * st.segment_pt / 72 / 2, *need])


def _bars_width(layout: LikertLayout, lang: Lang, medium: Medium) -> float:
    """Inches a text under or in a narrow chart's bars may take: the width less the side panel, the gap and the
    overhang of the axis' end labels."""
    return narrow_text_width(medium) - _side_width(layout, lang, medium) - 0.45


def _side_limit(largest: float, narrow: bool = False) -> tuple[float, float]:
    """The side panel's x limit and the room between a bar and its percentage, for the largest share (%); a
    narrow chart's panel has shorter bars, so that its percentages need less of the width."""
    return max(largest, 10) * (3.0 if narrow else 1.8), max(largest, 10) * (0.08 if narrow else 0.05)


def _rows_height(layout: LikertLayout, medium: Medium) -> float:
    """Inches for the rows: each holds its item text (wrapped) and the two side bars' labels apart."""
    st = _style.style(medium)
    lines = max((i.label.count("\n") + 1 for i in layout.items), default=1)
    text = line_height(st.tick_pt, lines) + 2 * st.gap
    side = line_height(st.segment_pt, 1, 1.25) / (2 * SIDE_OFFSET)
    return len(layout.items) * max(text, side)


def _narrow_labels(layout: LikertLayout, lang: Lang, medium: Medium) -> list[str]:
    """A narrow chart's item texts: the full wording and its n, wrapped to the chart's width (the n kept whole,
    on the last line)."""
    st = _style.style(medium)
    out = []
    for item in layout.items:
        text = " ".join(item.label.split())
        if item.n is not None:
            text += " (" + t("chart.n_label", lang, n=format_integer(item.n, lang)).replace(" ", "\u00a0") + ")"
        out.append(wrap_to_width(text, narrow_text_width(medium), st.tick_pt))
    return out


def _narrow_rows(layout: LikertLayout, lang: Lang, medium: Medium) -> tuple[NarrowRows, float]:
    """Rows of a narrow chart (each its item text above its bar) and the inches they take."""
    st = _style.style(medium)
    row_in = line_height(st.segment_pt, 1, 1.25) / (2 * SIDE_OFFSET)  # the side bars' labels apart
    rows = narrow_rows([label_block_height(x, st.tick_pt) for x in _narrow_labels(layout, lang, medium)], row_in)
    return rows, rows.end * row_in


def _drop_unfit(labels: list[tuple[Text, Rectangle]]) -> None:
    """Remove a segment's percentage that is wider than its segment as laid out (a narrow bar on a wide axis)."""
    if not labels:
        return
    fig = labels[0][1].get_figure(root=True)
    if not isinstance(fig, Figure):
        return
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    renderer = canvas.get_renderer()  # type: ignore[no-untyped-call]
    for label, patch in labels:
        # The extent includes the digits' side bearings: at the segment's width their ink is still inside it.
        if label.get_window_extent(renderer).width > patch.get_window_extent(renderer).width:
            label.remove()


def _positions(layout: LikertLayout, narrow: NarrowRows | None = None) -> list[float]:
    return list(narrow.centres) if narrow is not None else [float(k) for k in range(len(layout.items))]


def _frame_rows(ax: Axes, layout: LikertLayout, narrow: NarrowRows | None = None) -> None:
    if narrow is not None:
        ax.set_ylim(narrow.end, 0.0)
        return
    count = len(layout.items)
    ax.set_ylim(count - 0.5, -0.5)  # first item on top


def _draw_main(ax: Axes, layout: LikertLayout, lang: Lang, theme: Theme, medium: Medium, own_figure: bool,
               narrow: NarrowRows | None = None) -> tuple[list[tuple[Text, Rectangle]], list[Artist]]:
    """The bars, their labels and the scale legend (above the chart; a narrow chart's handles are returned for
    a legend below it); returns each segment label with its segment, and the legend's handles."""
    st = _style.style(medium)
    positions = _positions(layout, narrow)
    # One barh call per category (not per segment): the same patches, drawn much faster.
    bars: dict[str, list[tuple[float, str, Segment]]] = {c: [] for c in layout.scale}
    colours = _style.scale_colours(layout.scale)
    text_colours = _style.segment_text_colours(colours)
    texts: dict[tuple[str, str], Text] = {}
    for pos, item in zip(positions, layout.items, strict=True):
        if item.suppressed or not item.segments:
            key = ("item_off_scale_only" if not item.suppressed else
                   "item_no_answers" if item.reason == "no_answers" else
                   "item_too_few_on_scale" if item.reason == ITEM_REASON else "item_too_few")
            note = t(f"chart.{key}", lang)
            if narrow is not None:  # within the bars' part of the width, clear of the side panel
                note = wrap_to_width(note, _bars_width(layout, lang, medium), st.note_pt)
            ax.text(0, pos, note, ha="center", va="center", fontsize=st.note_pt, linespacing=1.1,
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
            box = {"boxstyle": "square,pad=0.1", "facecolor": colours[segment.category],
                   "edgecolor": "none"} if straddles else None
            texts[(item.item_id, segment.category)] = ax.text(
                segment.centre, pos, format_percent_number(segment.share, lang), ha="center", va="center",
                fontsize=st.segment_pt, color=text_colours[segment.category], zorder=5, bbox=box)
    labels: list[tuple[Text, Rectangle]] = []
    for category, entries in bars.items():
        if not entries:
            continue
        container = ax.barh([e[0] for e in entries], [e[2].width for e in entries],
                            left=[e[2].left for e in entries], height=BAR_HEIGHT,
                            color=colours[category], edgecolor=_style.EDGE, linewidth=0.8, zorder=2)
        for patch, (_, item_id, _) in zip(container.patches, entries, strict=True):
            patch.set_gid(f"likert:{item_id}:{category}")
            if (item_id, category) in texts:
                labels.append((texts[(item_id, category)], patch))
    ax.axvline(0, color=_style.CENTRE_LINE, linewidth=1.3, zorder=4)
    # A little room beyond the last tick, so that a bar of 100 % does not run into the frame.
    ax.set_xlim(-layout.limit - EDGE_ROOM / 2, layout.limit + EDGE_ROOM / 2)
    ax.xaxis.set_major_locator(MultipleLocator(25))
    ax.xaxis.set_major_formatter(percent_axis_formatter(lang))
    ax.grid(axis="x", color=_style.GRID, linewidth=0.8, zorder=0)
    ax.set_axisbelow(True)
    if narrow is not None:
        draw_labels_above(ax, narrow, _narrow_labels(layout, lang, medium), medium, own_figure=own_figure)
    else:
        ax.set_yticks(positions, [i.label for i in layout.items])
    ax.tick_params(axis="y", length=0)
    _frame_rows(ax, layout, narrow)
    for name in ("top", "right", "left"):
        ax.spines[name].set_visible(False)
    xlabel = t("chart.likert_xlabel", lang)
    if narrow is not None:  # within the bars' part of the width
        xlabel = wrap_to_width(xlabel, _bars_width(layout, lang, medium), st.label_pt)
    ax.set_xlabel(xlabel, fontsize=st.label_pt)
    # Two columns, filled column by column: disagreement and the middle on the left, agreement on the right.
    # From the chart's left edge, across the item texts, so that the panel's legend has the right end.
    labels_of_scale = [p.label(lang) for p in theme.scale.points]
    handles: list[Artist] = [Patch(facecolor=colours[c], edgecolor=_style.EDGE, label=label)
                             for c, label in zip(layout.scale, labels_of_scale, strict=True)]
    if narrow is None:
        top_legend(ax, handles, medium, own_figure=own_figure, ncols=2, align="left", above_pt=0.4 * st.legend_pt,
                   handlelength=1.6, columnspacing=1.2)
    return labels, handles


def _draw_side(side: Axes, layout: LikertLayout, lang: Lang, theme: Theme, medium: Medium, own_figure: bool,
               narrow: NarrowRows | None = None) -> Sequence[Artist]:
    """The side panel; its legend above it, or (a narrow chart) its handles returned for a legend below."""
    st = _style.style(medium)
    positions = _positions(layout, narrow)
    largest = max((v for i in layout.items for v in i.off_scale.values()), default=0.0) * 100
    limit, room = _side_limit(largest, narrow is not None)
    shown = [(pos, item) for pos, item in zip(positions, layout.items, strict=True) if not item.suppressed]
    for k, category in enumerate(layout.off_scale):
        offset = 0.0 if len(layout.off_scale) == 1 else (-SIDE_OFFSET if k == 0 else SIDE_OFFSET)
        ys = [pos + offset for pos, _ in shown]
        shares = [item.off_scale[category] for _, item in shown]
        if not shown:
            continue
        container = side.barh(ys, [v * 100 for v in shares], height=SIDE_BAR_HEIGHT,
                              color=_style.OFF_SCALE_COLOURS[category], hatch=_style.OFF_SCALE_HATCH[category],
                              edgecolor="#525252", linewidth=0.6, zorder=2)
        for patch, y, share, (_, item) in zip(container.patches, ys, shares, shown, strict=True):
            patch.set_gid(f"side:{item.item_id}:{category}")
            side.text(share * 100 + room, y, format_percent(share, lang), ha="left", va="center",
                      fontsize=st.segment_pt, color="black")
    side.set_xlim(0, limit)
    side.set_xticks([])
    if narrow is not None:  # the n stands in the item's text above the bar
        side.set_yticks([])
    else:
        side.set_yticks(positions, ["" if i.n is None else t("chart.n_label", lang, n=format_integer(i.n, lang))
                                    for i in layout.items])
    side.tick_params(axis="y", length=0, pad=0.4 * st.tick_pt)
    _frame_rows(side, layout, narrow)
    for name in ("top", "right", "bottom"):
        side.spines[name].set_visible(False)
    side.spines["left"].set_color(_style.GRID)
    if narrow is not None:  # the item texts above the bars reach across the panel: nothing over or through them
        side.spines["left"].set_visible(False)
        side.patch.set_visible(False)
    handles = [Patch(facecolor=_style.OFF_SCALE_COLOURS[c], hatch=_style.OFF_SCALE_HATCH[c], edgecolor="#525252",
                     label=theme.scale.label(c, lang)) for c in layout.off_scale]
    if narrow is None:  # a narrow chart's legend below says this as its title
        side.set_xlabel(t("chart.side_xlabel", lang), fontsize=st.label_pt)
        top_legend(side, handles, medium, own_figure=own_figure, ncols=1, align="right",
                   above_pt=0.4 * st.legend_pt, handlelength=1.6)
    return handles
