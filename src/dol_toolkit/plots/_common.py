"""What every chart shares: its opening (:func:`chart_setup`), a figure when none is given, its layout, input
checks, the suppression message, type sizes."""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Sequence
from functools import cache
from typing import NamedTuple

import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.legend import Legend
from matplotlib.text import Text
from matplotlib.transforms import ScaledTranslation, blended_transform_factory

from dol_toolkit.errors import EnglishError
from dol_toolkit.i18n import Lang
from dol_toolkit.plots import _style
from dol_toolkit.plots._format import check_lang
from dol_toolkit.plots.geometry import wrap
from dol_toolkit.plots.media import Medium, check_medium, figure_width_in
from dol_toolkit.survey.waves import wave_key
from dol_toolkit.themes import Theme, ThemeError, load_theme

INDEX = "index"
# The reason of a leader's item withheld for too few answers on the scale (dol_toolkit.stats.anonymity).
ITEM_REASON = "too_few_answers_on_scale"


class PlotError(EnglishError, ValueError):
    """Chart input that cannot be drawn; the message says what to pass instead."""


class ChartSetup(NamedTuple):
    """What every chart (and its ``*_layout``) starts from."""

    lang: Lang
    theme: Theme
    medium: Medium
    st: _style.MediumStyle  # the type sizes and marks of ``medium``


def chart_setup(lang: object, theme: Theme | None = None, medium: object = "screen") -> ChartSetup:
    """The opening of every chart: ``lang`` and ``medium`` checked (a ValueError that names the choices), the
    medium's style, and ``theme`` or the default theme.

    ``lang, theme, medium, st = chart_setup(lang, theme, medium)`` in a chart; a ``*_layout`` (drawn later for
    a medium it does not know) takes ``lang, theme, _, _``.
    """
    language = check_lang(lang)
    checked = check_medium(medium)
    return ChartSetup(language, theme or load_theme(), checked, _style.style(checked))


def own_axes(ax: Axes | None, medium: Medium, rows: float) -> tuple[Axes, bool]:
    """``ax``, or (when None) an Axes on a new figure of the medium's width with room for ``rows`` inches of
    rows; and whether the chart made it (then it lays the figure out itself, with :func:`fit_row`)."""
    if ax is not None:
        return ax, False
    return new_axes(figure_width_in(medium), rows + 3), True


def message_chart(ax: Axes | None, message: str, medium: Medium) -> Axes:
    """A suppressed chart: ``message`` in its place, in ``ax`` or in a new figure just big enough for it."""
    return draw_message(ax if ax is not None else message_axes(medium, message), message, medium)


def new_figure(width: float, height: float) -> Figure:
    """A new figure (inches) on an Agg canvas, with no layout engine (see :func:`fit_row`).

    It is a plain :class:`matplotlib.figure.Figure`, not registered with pyplot: no global state, freed with its
    last reference, safe in widget callbacks. Show it with ``display(ax.figure)`` or save it with
    ``ax.figure.savefig(...)`` (or :func:`dol_toolkit.plots.media.png_bytes`).
    """
    fig = Figure(figsize=(width, height))
    FigureCanvasAgg(fig)
    return fig


def new_axes(width: float, height: float) -> Axes:
    """An Axes filling a new figure of :func:`new_figure`; the chart places it with :func:`fit_row`."""
    return new_figure(width, height).add_axes((0.1, 0.1, 0.8, 0.8))


def line_height(size_pt: float, lines: int = 1, spacing: float = 1.2) -> float:
    """Inches taken by ``lines`` lines of text of ``size_pt`` points."""
    return lines * size_pt * spacing / 72


@cache
def _measuring_renderer() -> RendererBase:
    renderer: RendererBase = FigureCanvasAgg(Figure(dpi=72)).get_renderer()  # type: ignore[no-untyped-call]
    return renderer


def text_width(text: str, size_pt: float) -> float:
    """Inches that ``text`` takes in one line of the charts' font at ``size_pt`` points (measured, not guessed)."""
    width, _, _ = _measuring_renderer().get_text_width_height_descent(text, FontProperties(size=size_pt),
                                                                       ismath=False)
    return float(width) / 72


def _legends(ax: Axes) -> list[Legend]:
    return [a for a in ax.get_children() if isinstance(a, Legend) and a.get_visible()]


def _margins(ax: Axes, renderer: RendererBase) -> tuple[float, float, float, float]:
    """Pixels that the decorations of ``ax`` take left, right, below and above it.

    Legends count above and below only: the charts place them across the figure themselves (see
    :func:`top_legend`), and a legend reaching over the item texts must not push the Axes aside.
    """
    box = ax.get_window_extent(renderer)
    legends = _legends(ax)
    extra = [a for a in ax.get_default_bbox_extra_artists() if a not in legends]
    tight = ax.get_tightbbox(renderer, bbox_extra_artists=extra)
    if tight is None:
        tight = box
    bottom, top = tight.y0, tight.y1
    for legend in legends:
        extent = legend.get_window_extent(renderer)
        bottom, top = min(bottom, extent.y0), max(top, extent.y1)
    return (max(box.x0 - tight.x0, 0.0), max(tight.x1 - box.x1, 0.0), max(box.y0 - bottom, 0.0),
            max(top - box.y1, 0.0))


def fit_row(axes: Sequence[Axes], ratios: Sequence[float] | None = None, *, pad: float = 0.15,
            gap: float = 0.25, height: float | None = None, widths: Sequence[float | None] | None = None) -> None:
    """Lay out a row of Axes on their (own, new) figure from the measured size of their decorations.

    Each Axes' tick labels, axis labels, legends and texts outside it are measured (``get_tightbbox``) and the
    Axes are placed so that all of it fits with ``pad`` inches around and ``gap`` inches between them. An Axes
    with a width in ``widths`` (inches) gets it; the others share the rest by ``ratios``. With ``height``
    (inches) the Axes get that height and the figure's height is set to hold them and their decorations (its
    width stays: it is the medium's); without it they take what the figure's height leaves.

    No layout engine: saving the figure is then a single draw (with a layout engine, every save draws twice
    and lays out twice). The decorations are measured again after placing, and the Axes placed once more when
    they changed (a tick label that outgrew its row at the first size). Charts call this only for figures they
    made themselves; a caller's own ``ax`` keeps the caller's layout.
    """
    fig = figure_of(axes[0])
    canvas = fig.canvas
    if not isinstance(canvas, FigureCanvasAgg):
        canvas = FigureCanvasAgg(fig)
    renderer = canvas.get_renderer()  # type: ignore[no-untyped-call]
    ratios = list(ratios) if ratios is not None else [1.0] * len(axes)
    fixed = list(widths) if widths is not None else [None] * len(axes)
    measured: list[tuple[float, float, float, float]] | None = None
    for _ in range(3):
        margins = [_margins(ax, renderer) for ax in axes]
        if measured is not None and all(abs(a - b) < 0.5 for m, n in zip(margins, measured, strict=True)
                                        for a, b in zip(m, n, strict=True)):
            break
        measured = margins
        _place(fig, axes, margins, ratios, fixed, pad, gap, height)


def _place(fig: Figure, axes: Sequence[Axes], margins: Sequence[tuple[float, float, float, float]],
           ratios: Sequence[float], fixed: Sequence[float | None], pad: float, gap: float,
           height: float | None) -> None:
    dpi = fig.dpi
    bottom = max(m[2] for m in margins) + pad * dpi
    top = max(m[3] for m in margins) + pad * dpi
    if height is not None:
        fig.set_size_inches(fig.get_size_inches()[0], (bottom + top) / dpi + height, forward=False)
    width, fig_height = fig.get_size_inches() * dpi
    free = width - 2 * pad * dpi - gap * dpi * (len(axes) - 1) - sum(m[0] + m[1] for m in margins)
    free -= sum(w * dpi for w in fixed if w is not None)
    free = max(free, width * 0.2)
    shared = sum(r for r, w in zip(ratios, fixed, strict=True) if w is None) or 1.0
    inner_height = max(fig_height - bottom - top, fig_height * 0.2)
    x = pad * dpi
    for ax, (left, right, _, _), ratio, given in zip(axes, margins, ratios, fixed, strict=True):
        ax_width = given * dpi if given is not None else free * ratio / shared
        x += left
        ax.set_position((x / width, bottom / fig_height, ax_width / width, inner_height / fig_height))
        x += ax_width + right + gap * dpi


def top_legend(ax: Axes, handles: Sequence[Artist], medium: Medium, *, own_figure: bool, ncols: int = 1,
               align: str = "left", above_pt: float = 0.0, **options: object) -> Legend:
    """A legend above ``ax``, ``above_pt`` points above its top: with ``align="left"`` its left edge at the
    figure's left margin when the chart made the figure (``own_figure``; the legend then reaches across the
    item texts) or at the left end of ``ax`` in a caller's figure; with ``"right"`` its right edge at the
    right end of ``ax``.

    In a chart's own figure the left edge is fixed in figure coordinates, not the Axes', so the legend may be
    wider than the Axes and still start where the chart starts; :func:`fit_row` keeps room above for it.
    """
    fig = figure_of(ax)
    st = _style.style(medium)
    across = align == "left" and own_figure
    base = blended_transform_factory(fig.transFigure if across else ax.transAxes, ax.transAxes)
    transform = base + ScaledTranslation(0, above_pt / 72, fig.dpi_scale_trans)
    x = (st.pad / float(fig.get_size_inches()[0]) if across else 0.0) if align == "left" else 1.0
    return ax.legend(handles=list(handles), loc="lower left" if align == "left" else "lower right",
                     bbox_to_anchor=(x, 1.0), bbox_transform=transform, borderaxespad=0.0, borderpad=0.2,
                     ncols=ncols, frameon=False, fontsize=st.legend_pt, **options)


def figure_of(ax: Axes) -> Figure:
    fig = ax.get_figure(root=True)
    if not isinstance(fig, Figure):
        raise PlotError("the Axes belongs to no figure; pass an Axes from plt.subplots() or Figure.add_subplot()")
    return fig


def require_columns(frame: pd.DataFrame, columns: Iterable[str], what: str, source: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise PlotError(f"{what} needs the columns {', '.join(missing)}, which the table lacks; pass the "
                        f"result of {source}")


def as_number(value: object) -> float | None:
    """A finite number from a table cell (Python or numpy, int or float), or None for a missing one."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        number = float(value)
        return None if math.isnan(number) else number
    return None


def pick_wave(frame: pd.DataFrame, wave: object | None, what: str) -> pd.DataFrame:
    """The rows of one round: ``wave`` (compared as text), or the latest round when ``wave`` is None."""
    if "wave" not in frame.columns:
        return frame
    present = sorted({str(w) for w in frame["wave"].dropna().astype(object)}, key=wave_key)
    if not present:
        return frame
    chosen = present[-1] if wave is None else str(wave)
    if chosen not in present:
        raise PlotError(f"{what}: there is no round {chosen!r} in the table; its rounds are {', '.join(present)}")
    return frame[(frame["wave"].astype(object).astype(str) == chosen).to_numpy()]


def theme_order(theme: Theme, items: Sequence[str]) -> list[str]:
    """The theme's items first in its order, then any other item of the table (not the index)."""
    known = [i for i in theme.item_ids if i in items]
    return known + [i for i in items if i not in known and i != INDEX]


def item_label(theme: Theme, item_id: str, lang: Lang, *, full: bool) -> str:
    """The employee wording (``full``) or the short label of an item; the id for an item the theme lacks."""
    try:
        item = theme.item(item_id)
    except (KeyError, ThemeError):
        return item_id
    return item.wording.employee(lang) if full else item.short(lang)


def message_chars(width_in: float, size_pt: float) -> int:
    """Characters per line of a message of ``size_pt`` in a box ``width_in`` inches wide (at most 60)."""
    return max(min(int(width_in * 72 / (size_pt * 0.6)), 60), 20)


def balanced_wrap(text: str, width: int) -> str:
    """:func:`wrap` to at most ``width`` characters, with lines as even as the same number of lines allows
    (no last line of one word)."""
    lines = wrap(text, width).count("\n")
    while width > 10 and wrap(text, width - 1).count("\n") == lines:
        width -= 1
    return wrap(text, width)


def message_axes(medium: Medium, message: str) -> Axes:
    """An Axes filling a new figure of the medium's width, just tall enough for ``message`` in its box."""
    st = _style.style(medium)
    width = figure_width_in(medium)
    lines = balanced_wrap(message, message_chars(width - 2 * st.pad - 0.4, st.message_pt)).count("\n") + 1
    height = line_height(st.message_pt, lines, 1.4) + 2 * (0.8 + 0.5) * st.message_pt / 72 + 2 * st.pad
    return new_figure(width, height).add_axes((0.0, 0.0, 1.0, 1.0))


def draw_message(ax: Axes, message: str, medium: Medium = "screen") -> Axes:
    """Draw ``message`` in the chart's place: no axis, no ticks, nothing from the data."""
    st = _style.style(medium)
    fig = figure_of(ax)
    width = float(fig.get_size_inches()[0]) * ax.get_position().width
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_axis_off()
    ax.text(0.5, 0.5, balanced_wrap(message, message_chars(width - 2 * st.pad - 0.4, st.message_pt)),
            transform=ax.transAxes, ha="center", va="center", fontsize=st.message_pt, color="black",
            linespacing=1.4,
            bbox={"boxstyle": "round,pad=0.8", "facecolor": _style.MESSAGE_BACKGROUND, "edgecolor": _style.GRID})
    finish_text(ax, medium=medium)
    return ax


def finish_text(*axes: Axes, medium: Medium = "screen") -> None:
    """Set tick and label sizes of the medium explicitly and raise any text of these Axes below its minimum.

    Tick sizes go through ``tick_params`` so that ticks matplotlib creates later, at draw time, get them too.
    """
    st = _style.style(medium)
    for ax in axes:
        ax.tick_params(axis="both", which="both", labelsize=st.tick_pt)
        for axis in (ax.xaxis, ax.yaxis):
            axis.offsetText.set_fontsize(st.tick_pt)
            if font_size(axis.label) < st.label_pt:
                axis.label.set_fontsize(st.label_pt)
        for artist in ax.findobj(Text):
            if isinstance(artist, Text) and font_size(artist) < st.min_pt:
                artist.set_fontsize(st.min_pt)


def font_size(artist: Text) -> float:
    """The size of a text in points (matplotlib keeps it resolved to points once the text exists)."""
    return float(artist.get_fontsize())


# -- the narrow layout (a phone): item texts above their rows, legends below ------------------------------------
def wrap_to_width(text: str, width_in: float, size_pt: float) -> str:
    """``text`` wrapped at word boundaries into lines at most ``width_in`` inches wide in the charts' font at
    ``size_pt`` points, measured (a single word wider than that stays whole on its line); its own line breaks
    are kept.

    >>> lines = wrap_to_width("Min leder giver mig ros", 1.2, 12).split("\\n")
    >>> len(lines) > 1 and " ".join(lines) == "Min leder giver mig ros"
    True
    >>> all(text_width(line, 12) <= 1.2 for line in lines)
    True
    """
    out: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in (w for w in paragraph.split(" ") if w):  # not at a no-break space
            candidate = f"{line} {word}" if line else word
            if line and text_width(candidate, size_pt) > width_in:
                out.append(line)
                line = word
            else:
                line = candidate
        out.append(line)
    return "\n".join(out)


class NarrowRows(NamedTuple):
    """Rows of a narrow chart, top to bottom, in data units of the y axis (inverted: 0 at the top), one unit
    being the height of a row's marks: where each row's item text starts (``tops``), the centre of its marks
    (``centres``), where its text's room ends and its marks' begins (``text_ends``), and the bottom end of the
    axis (``end``)."""

    tops: tuple[float, ...]
    centres: tuple[float, ...]
    end: float
    text_ends: tuple[float, ...]


def narrow_rows(label_inches: Sequence[float], row_inches: float,
                marks: Sequence[float] | None = None) -> NarrowRows:
    """Rows with their item text above the marks: row k takes ``label_inches[k]`` for its text and
    ``marks[k]`` data units (default 1) of ``row_inches`` each for its marks.

    >>> narrow_rows([0.5, 1.0], 0.5)
    NarrowRows(tops=(0.0, 2.0), centres=(1.5, 4.5), end=5.0, text_ends=(1.0, 4.0))
    """
    tops, centres, ends = [], [], []
    cursor = 0.0
    for k, label in enumerate(label_inches):
        band = 1.0 if marks is None else marks[k]
        tops.append(cursor)
        cursor += label / row_inches
        ends.append(cursor)
        centres.append(cursor + band / 2)
        cursor += band
    return NarrowRows(tuple(tops), tuple(centres), cursor, tuple(ends))


def narrow_text_width(medium: Medium) -> float:
    """Inches an item text of a narrow chart's own figure may take: the figure's width within its pads."""
    return figure_width_in(medium) - 2 * _style.style(medium).pad


def label_block_height(label: str, size_pt: float) -> float:
    """Inches an item text above its row takes: its lines and a little room below it."""
    return line_height(size_pt, label.count("\n") + 1) + 0.25 * size_pt / 72


class ItemRows(NamedTuple):
    """Where a chart's item rows go: the item texts (wrapped on a narrow chart), the rows' centres and the lines
    between them (data units), the height of all rows in inches, and on a narrow chart its :class:`NarrowRows`."""

    labels: list[str]
    positions: list[float]
    separators: list[float]
    inches: float
    narrow: NarrowRows | None


def item_rows(texts: Sequence[str], medium: Medium, row_inches: float, wide_inches: float,
              marks: Sequence[float] | None = None) -> ItemRows:
    """The rows of a chart with one row per item: on a narrow medium each item's text on its own lines above its
    marks (``row_inches`` per data unit, ``marks`` data units per row, default 1), else one row per item, the
    texts beside them, ``wide_inches`` in all."""
    st = _style.style(medium)
    if st.narrow:
        labels = [wrap_to_width(x, narrow_text_width(medium), st.tick_pt) for x in texts]
        narrow = narrow_rows([label_block_height(x, st.tick_pt) for x in labels], row_inches, marks)
        return ItemRows(labels, list(narrow.centres), list(narrow.tops[1:]), narrow.end * row_inches, narrow)
    positions = [float(k) for k in range(len(texts))]
    return ItemRows(list(texts), positions, [k - 0.5 for k in positions[1:]], wide_inches, None)


def draw_labels_above(ax: Axes, rows: NarrowRows, labels: Sequence[str], medium: Medium, *,
                      own_figure: bool) -> list[Text]:
    """The item texts of a narrow chart, each on its own line(s) above its row, from the figure's left pad (the
    chart's own figure) or from the Axes' left end (a caller's ``ax``). They stay out of :func:`fit_row`'s
    measuring: they lie within the figure's width by construction (wrapped to :func:`narrow_text_width`)."""
    fig = figure_of(ax)
    st = _style.style(medium)
    transform = blended_transform_factory(fig.transFigure if own_figure else ax.transAxes, ax.transData)
    x = st.pad / float(fig.get_size_inches()[0]) if own_figure else 0.0
    ax.set_yticks([])
    out = []
    for top, label, text_end in zip(rows.tops, labels, rows.text_ends, strict=True):
        # The text's band is white: grid and centre lines stop at it instead of crossing the words.
        ax.axhspan(top, text_end, facecolor="white", edgecolor="none", zorder=4.5)
        text = ax.text(x, top, label, transform=transform, ha="left", va="top", fontsize=st.tick_pt,
                       color="black", linespacing=1.2, clip_on=False, zorder=6)
        text.set_in_layout(False)
        out.append(text)
    ax.set_ylim(rows.end, 0.0)
    return out


def legend_columns(labels: Sequence[str], width_in: float, size_pt: float, *, handlelength: float = 1.6,
                   spacing: float = 1.2) -> int:
    """The most columns (filled column by column, as matplotlib does) in which a legend of ``labels`` at
    ``size_pt`` fits ``width_in`` inches; 1 when none does."""
    em = size_pt / 72
    for ncols in range(len(labels), 1, -1):
        per = math.ceil(len(labels) / ncols)
        columns = [labels[k * per:(k + 1) * per] for k in range(ncols)]
        if any(not c for c in columns):
            continue
        width = sum(max(text_width(x, size_pt) for x in c) + (handlelength + 0.8) * em for c in columns)
        width += spacing * em * (ncols - 1) + 0.8 * em
        if width <= width_in:
            return ncols
    return 1


def bottom_legends(axes: Sequence[Axes], legends: Sequence[tuple[Sequence[Artist], Axes, str | None]],
                   medium: Medium, *, own_figure: bool) -> list[Legend]:
    """Legends below a narrow chart, one under the other, below the x axis decorations of every Axes in
    ``axes``; each its handles, the Axes that holds it and its title (or None), in as many columns as fit the
    width (wrapped into rows; a label wider than the chart wrapped too). From the figure's left pad in the
    chart's own figure, else from the left end of the Axes.

    The depth of the axes' decorations is measured once (tick labels and axis labels do not change with where
    the Axes is placed), so the legends keep their place when :func:`fit_row` moves the Axes.
    """
    fig = figure_of(axes[0])
    st = _style.style(medium)
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    renderer = canvas.get_renderer()  # type: ignore[no-untyped-call]
    depth = 0.0  # pixels below the lowest Axes' bottom edge
    lowest = min(axes, key=lambda a: a.get_window_extent(renderer).y0)
    base_y = lowest.get_window_extent(renderer).y0
    for ax in axes:
        box = ax.xaxis.get_tightbbox(renderer)
        if box is not None:
            depth = max(depth, base_y - box.y0)
    depth += 0.5 * st.legend_pt / 72 * fig.dpi
    width = narrow_text_width(medium) if own_figure else float(fig.get_size_inches()[0]) * lowest.get_position().width
    out: list[Legend] = []
    room = width - (1.6 + 0.8 + 0.4) * st.legend_pt / 72  # a label's room beside its handle in one column
    for handles, holder, title in legends:
        labels = [str(h.get_label()) for h in handles]
        ncols = legend_columns(labels, width, st.legend_pt)
        if ncols == 1:  # a label wider than the chart is wrapped
            for handle, label in zip(handles, labels, strict=True):
                handle.set_label(wrap_to_width(label, room, st.legend_pt))
        base = blended_transform_factory(fig.transFigure if own_figure else lowest.transAxes, lowest.transAxes)
        transform = base + ScaledTranslation(0, -depth / fig.dpi, fig.dpi_scale_trans)
        x = st.pad / float(fig.get_size_inches()[0]) if own_figure else 0.0
        legend = holder.legend(handles=list(handles), loc="upper left", bbox_to_anchor=(x, 0.0),
                               bbox_transform=transform, borderaxespad=0.0, borderpad=0.2, ncols=ncols,
                               frameon=False, fontsize=st.legend_pt, handlelength=1.6, columnspacing=1.2,
                               title=None if title is None else wrap_to_width(title, width, st.legend_pt),
                               title_fontsize=st.legend_pt, alignment="left")
        out.append(legend)
        depth += legend.get_window_extent(renderer).height + 0.3 * st.legend_pt / 72 * fig.dpi
    return out
