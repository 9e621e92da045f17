"""Where a chart is shown, how wide it is there, and how big its text comes out.

Every chart is drawn for one medium, at the width it is placed at, so that the type sizes chosen for that
medium (:mod:`dol_toolkit.plots._style`) are the sizes the reader sees:

* ``"paper"``: the summary documents (DOCX) place a chart 16 cm wide, the text width of an A4 page. The figure
  is drawn exactly that wide, so a 9 pt text prints at 9 pt. Saved as PNG at :data:`SAVE_DPI` (200 dpi).
* ``"screen"``: the workshop page's results column is about 900 CSS px wide at a 1280 px window. The figure is
  :data:`SCREEN_WIDTH_PX` / :data:`CSS_PX_PER_INCH` inches wide and meant to be shown at 100 CSS px per figure
  inch: an ``<img>`` with ``width: {css_width_px("screen")}px; max-width: 100%``. Then a 12 pt text is
  12 / 72 * 100 = 16.7 CSS px. The PNG is saved at 200 dpi, twice the CSS size, so that it stays sharp on
  high-density screens; the HTML's explicit width, not the PNG's pixel count, sets its size.
* ``"phone"``: a phone's screen, 360-430 CSS px wide. The figure is :data:`PHONE_WIDTH_PX` (330) CSS px wide at
  the same 100 CSS px per figure inch as on screen, so its type is as large as on a laptop; the charts lay out
  narrow for it (the item text on its own line above its row, the legend below). The workshop page carries both
  screen drawings and lets the browser pick this one below :data:`NARROW_MEDIA_QUERY`. Saved at 200 dpi too.

The effective size of a text placed at another width scales with it: ``pt * placed width / figure width`` on
paper, ``pt / 72 * CSS px per figure inch`` on screen. :func:`printed_min_pt` and :func:`screen_min_px` compute
the smallest one from the figure's own Text artists, so tests check what is drawn, not the constants.

>>> round(figure_width_in("paper") * 2.54, 2), figure_width_in("screen"), css_width_px("screen")
(16.0, 8.6, 860)
>>> figure_width_in("phone"), css_width_px("phone")
(3.3, 330)
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Literal

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.figure import Figure, SubFigure
from matplotlib.spines import Spine
from matplotlib.text import Text

Medium = Literal["screen", "paper", "phone"]
MEDIA: tuple[Medium, ...] = ("screen", "paper", "phone")
SCREENS: tuple[Medium, ...] = ("screen", "phone")
"""The media shown in a browser at 100 CSS px per figure inch."""

CM_PER_INCH = 2.54
PAPER_WIDTH_CM = 16.0
"""The width a chart is placed at in the documents: the text width of an A4 page with 2.5 cm margins."""
CSS_PX_PER_INCH = 100.0
"""CSS px per figure inch on screen (the HTML gives the image this size, whatever its pixel count)."""
SCREEN_WIDTH_PX = 860
"""The chart's CSS width on screen: within the ~900 px results column of a 1280 px window, so not shrunk."""
PHONE_WIDTH_PX = 330
"""The chart's CSS width on a phone: within the page's column at a 360 px wide window (the narrowest phone)."""
NARROW_MEDIA_QUERY = "(max-width: 600px)"
"""The window widths at which a page shows the "phone" drawing of a chart instead of the "screen" one."""
SAVE_DPI: dict[Medium, int] = {"screen": 200, "paper": 200, "phone": 200}
PALETTE_COLOURS = 128  # colours of a saved chart's palette (see _palette_png)
"""Pixels per figure inch of the saved PNG: 2x the CSS size on screen; 200 dpi in print."""


def check_medium(medium: object) -> Medium:
    """``medium`` as a :data:`Medium`, or a ValueError that names the choices."""
    if medium == "screen":
        return "screen"
    if medium == "paper":
        return "paper"
    if medium == "phone":
        return "phone"
    raise ValueError(f"unknown medium {medium!r}: use medium='screen' (the workshop page), 'phone' (the page on "
                     "a phone) or 'paper' (documents)")


def placed_width_in(medium: Medium) -> float:
    """The width the chart is shown at, in inches: 16 cm on paper; on screen and phone its CSS width at 100 px
    per inch.

    >>> round(placed_width_in("paper"), 4), placed_width_in("screen"), placed_width_in("phone")
    (6.2992, 8.6, 3.3)
    """
    checked = check_medium(medium)
    if checked == "paper":
        return PAPER_WIDTH_CM / CM_PER_INCH
    return (PHONE_WIDTH_PX if checked == "phone" else SCREEN_WIDTH_PX) / CSS_PX_PER_INCH


def figure_width_in(medium: Medium) -> float:
    """The width a chart's figure is drawn at: the placed width itself, so that type sizes are true sizes."""
    return placed_width_in(medium)


def css_width_px(medium: Medium = "screen") -> int:
    """The CSS width to give a screen (or phone) chart's ``<img>`` (with ``max-width: 100%``).

    >>> css_width_px(), css_width_px("phone")
    (860, 330)
    """
    checked = check_medium(medium)
    if checked not in SCREENS:
        raise ValueError("a paper chart has no CSS width: it is placed 16 cm wide; use medium='screen' or 'phone' "
                         "for HTML")
    return round(figure_width_in(checked) * CSS_PX_PER_INCH)


def _figure(chart: Axes | Figure) -> Figure:
    fig = chart.get_figure(root=True) if isinstance(chart, Axes) else chart
    if not isinstance(fig, Figure):
        raise ValueError("the chart belongs to no figure")
    return fig


def png_bytes(chart: Axes | Figure, medium: Medium) -> bytes:
    """The chart (its Axes or Figure) as PNG at the medium's :data:`SAVE_DPI`; the figure is closed.

    The figure is saved as drawn (no ``bbox_inches="tight"``), so its width, and with it the size of its text,
    stays what the medium needs. A figure of pyplot is closed there; a plain one (as the charts make) is
    cleared, so that nothing keeps its artists alive.

    >>> fig = Figure(figsize=(figure_width_in("paper"), 1))
    >>> data = png_bytes(fig, "paper")
    >>> data[:4] == b"\\x89PNG", int.from_bytes(data[16:20], "big")  # 6.2992 in at 200 dpi, whole pixels
    (True, 1259)
    """
    fig = _figure(chart)
    buffer = io.BytesIO()
    dpi = SAVE_DPI[check_medium(medium)]
    # The drawn pixels as they are (RGBA), not a PNG of them that _palette_png would only decode again.
    width, height = (int(x) for x in fig.get_size_inches() * dpi)
    fig.savefig(buffer, format="rgba", dpi=dpi)
    size: tuple[int, int] | None = (width, height)
    if len(buffer.getvalue()) != 4 * width * height:  # not the size expected (never seen): a PNG, as read
        buffer, size = io.BytesIO(), None
        fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    if getattr(fig.canvas, "manager", None) is not None:
        import matplotlib.pyplot as plt

        plt.close(fig)
    else:
        fig.clear()
    return _palette_png(buffer.getvalue(), dpi, size)


def _palette_png(data: bytes, dpi: int, size: tuple[int, int] | None = None) -> bytes:
    """The PNG with a palette of :data:`PALETTE_COLOURS` colours instead of full RGBA: a chart has a handful of
    colours and their anti-aliased edges, so it looks the same at a third of the bytes (a page of the room
    carries every chart of the group's view; 237 KB -> 69 KB for the Likert chart at 2x)."""
    from PIL import Image

    if size is not None:  # the RGBA pixels of a figure
        image = Image.frombuffer("RGBA", size, data, "raw", "RGBA", 0, 1).convert("RGB")
    else:  # an image file (PNG)
        image = Image.open(io.BytesIO(data)).convert("RGB")
    palette = image.quantize(colors=PALETTE_COLOURS, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    out = io.BytesIO()
    palette.save(out, format="PNG", dpi=(dpi, dpi))
    return out.getvalue()


def _in_view(axis: Axis, loc: float) -> bool:
    low, high = sorted(float(v) for v in axis.get_view_interval())
    slack = (high - low) * 1e-9
    return low - slack <= loc <= high + slack


def _axis_texts(axis: Axis) -> Iterator[Text]:
    """The texts an axis draws: its label, offset text and the labels of the ticks within the view."""
    yield axis.label
    yield axis.offsetText
    for minor in (False, True):
        locs = axis.get_minorticklocs() if minor else axis.get_majorticklocs()
        ticks = axis.get_minor_ticks(len(locs)) if minor else axis.get_major_ticks(len(locs))
        for tick, loc in zip(ticks, locs, strict=True):
            if tick.get_visible() and _in_view(axis, float(loc)):
                yield tick.label1
                yield tick.label2


def _texts(artist: Artist) -> Iterator[Text]:
    if not artist.get_visible():
        return
    if isinstance(artist, Text):
        if artist.get_text().strip():
            yield artist
        return
    if isinstance(artist, Axis):
        for text in _axis_texts(artist):
            yield from _texts(text)
        return
    children = artist.get_children()
    if isinstance(artist, Axes) and not artist.axison:
        children = [c for c in children if not isinstance(c, Axis | Spine)]
    for child in children:
        yield from _texts(child)


def visible_texts(fig: Figure | SubFigure) -> list[Text]:
    """Every Text the figure draws, with text in it: tick labels (of ticks within the view), axis labels,
    legend texts, titles, annotations and free texts; none of a hidden artist or of an axis turned off.

    The figure is drawn first (without rendering), because matplotlib makes tick labels at draw time.
    """
    root = fig.get_figure(root=True) if isinstance(fig, SubFigure) else fig
    if isinstance(root, Figure):
        root.draw_without_rendering()
    return list(dict.fromkeys(_texts(fig)))


def text_sizes(fig: Figure) -> list[tuple[str, float]]:
    """Each visible, non-empty text of the figure with its font size in points (see :func:`visible_texts`).

    >>> fig = Figure(figsize=(4, 2))
    >>> _ = fig.text(0.1, 0.5, "n = 58", fontsize=12)
    >>> _ = fig.text(0.5, 0.5, "", fontsize=4)  # empty: not drawn, not counted
    >>> text_sizes(fig)
    [('n = 58', 12.0)]
    """
    return [(t.get_text(), float(t.get_fontsize())) for t in visible_texts(fig)]


def _smallest_pt(fig: Figure) -> float:
    sizes = [size for _, size in text_sizes(fig)]
    if not sizes:
        raise ValueError("the figure has no text")
    return min(sizes)


def printed_min_pt(fig: Figure, placed_width_in: float) -> float:
    """The smallest text of the figure in points as printed when the figure is placed ``placed_width_in``
    inches wide: its font size times placed width over figure width.

    >>> fig = Figure(figsize=(13.5, 4))
    >>> _ = fig.text(0.5, 0.5, "n = 58", fontsize=12)
    >>> round(printed_min_pt(fig, 16 / 2.54), 1)  # 1350 px wide at 100 dpi, placed 16 cm wide
    5.6
    """
    return _smallest_pt(fig) * placed_width_in / float(fig.get_size_inches()[0])


def screen_min_px(fig: Figure, placed_px: float) -> float:
    """The smallest text of the figure in CSS px when the figure is shown ``placed_px`` CSS px wide:
    points / 72 * CSS px per figure inch.

    >>> fig = Figure(figsize=(figure_width_in("screen"), 4))
    >>> _ = fig.text(0.5, 0.5, "n = 58", fontsize=12)
    >>> round(screen_min_px(fig, css_width_px("screen")), 1), round(screen_min_px(fig, 720), 1)
    (16.7, 14.0)
    """
    return _smallest_pt(fig) / 72 * placed_px / float(fig.get_size_inches()[0])
