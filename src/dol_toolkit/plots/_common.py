"""What every chart shares: a figure when none is given, input checks, the suppression message, type sizes."""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Sequence

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from dol_toolkit.plots import _style
from dol_toolkit.plots._text import Lang
from dol_toolkit.plots.geometry import wrap
from dol_toolkit.survey.waves import wave_key
from dol_toolkit.themes import Theme, ThemeError

INDEX = "index"


class PlotError(ValueError):
    """Chart input that cannot be drawn; the message says what to pass instead."""


def new_figure(width: float, height: float) -> Figure:
    """A new figure (inches) on an Agg canvas, with no layout engine (see :func:`fit_row`).

    It is a plain :class:`matplotlib.figure.Figure`, not registered with pyplot: no global state, freed with its
    last reference, safe in widget callbacks. Show it with ``display(ax.figure)`` or save it with
    ``ax.figure.savefig(...)``.
    """
    fig = Figure(figsize=(width, height))
    FigureCanvasAgg(fig)
    return fig


def new_axes(width: float, height: float) -> Axes:
    """An Axes filling a new figure of :func:`new_figure`; the chart places it with :func:`fit_row`."""
    return new_figure(width, height).add_axes((0.1, 0.1, 0.8, 0.8))


def fit_row(axes: Sequence[Axes], ratios: Sequence[float] | None = None, *, pad: float = 0.15,
            gap: float = 0.25) -> None:
    """Lay out a row of Axes on their (own, new) figure once, from the measured size of their decorations.

    Each Axes' tick labels, axis labels, legends and texts outside it are measured (``get_tightbbox``) and the
    Axes are placed so that all of it fits with ``pad`` inches around and ``gap`` inches between them; the
    widths of the Axes themselves follow ``ratios``. One measuring pass and no layout engine: saving the figure
    is then a single draw (with a layout engine, every save draws twice and lays out twice, about a fifth more
    time for these charts). Charts call this only for figures they made themselves; a caller's own ``ax`` keeps
    the caller's layout.
    """
    fig = figure_of(axes[0])
    canvas = fig.canvas
    if not isinstance(canvas, FigureCanvasAgg):
        canvas = FigureCanvasAgg(fig)
    renderer = canvas.get_renderer()  # type: ignore[no-untyped-call]
    width, height = fig.get_size_inches() * fig.dpi
    pad_px, gap_px = pad * fig.dpi, gap * fig.dpi
    ratios = list(ratios) if ratios is not None else [1.0] * len(axes)
    margins = []
    for ax in axes:
        box = ax.get_window_extent(renderer)
        tight = ax.get_tightbbox(renderer)
        if tight is None:
            tight = box
        margins.append((max(box.x0 - tight.x0, 0.0), max(tight.x1 - box.x1, 0.0), max(box.y0 - tight.y0, 0.0),
                        max(tight.y1 - box.y1, 0.0)))
    bottom = max(m[2] for m in margins) + pad_px
    top = max(m[3] for m in margins) + pad_px
    free = width - 2 * pad_px - gap_px * (len(axes) - 1) - sum(m[0] + m[1] for m in margins)
    free = max(free, width * 0.2)
    inner_height = max(height - bottom - top, height * 0.2)
    x = pad_px
    for ax, (left, right, _, _), ratio in zip(axes, margins, ratios, strict=True):
        ax_width = free * ratio / sum(ratios)
        x += left
        ax.set_position((x / width, bottom / height, ax_width / width, inner_height / height))
        x += ax_width + right + gap_px


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


def draw_message(ax: Axes, message: str) -> Axes:
    """Draw ``message`` in the chart's place: no axis, no ticks, nothing from the data."""
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_axis_off()
    ax.text(0.5, 0.5, wrap(message, 52), transform=ax.transAxes, ha="center", va="center",
            fontsize=_style.MESSAGE_PT, color="black", linespacing=1.4,
            bbox={"boxstyle": "round,pad=0.8", "facecolor": _style.MESSAGE_BACKGROUND, "edgecolor": _style.GRID})
    finish_text(ax)
    return ax


def finish_text(*axes: Axes) -> None:
    """Set tick and label sizes explicitly and raise any text of these Axes below the minimum to it.

    Tick sizes go through ``tick_params`` so that ticks matplotlib creates later, at draw time, get them too.
    """
    for ax in axes:
        ax.tick_params(axis="both", which="both", labelsize=_style.TICK_PT)
        for axis in (ax.xaxis, ax.yaxis):
            axis.offsetText.set_fontsize(_style.TICK_PT)
            if font_size(axis.label) < _style.LABEL_PT:
                axis.label.set_fontsize(_style.LABEL_PT)
        for artist in ax.findobj(Text):
            if isinstance(artist, Text) and font_size(artist) < _style.MIN_FONT_PT:
                artist.set_fontsize(_style.MIN_FONT_PT)


def font_size(artist: Text) -> float:
    """The size of a text in points (matplotlib keeps it resolved to points once the text exists)."""
    return float(artist.get_fontsize())
