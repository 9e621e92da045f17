"""Colours, marks and type sizes: data, not code (one place to change them).

The 5-point scale uses ColorBrewer's PuOr diverging scheme (colour-blind safe): orange for disagreement, purple for
agreement, with a neutral grey for the middle point instead of PuOr's near-white, so the neutral segment stays
visible on a projector. Answers off the scale are greys; "prefer not to say" also carries a hatch, so the two
greys differ by more than lightness. Marks of different roles differ by shape as well as colour (Okabe-Ito
colours).

Type and marks are chosen per medium (:mod:`dol_toolkit.plots.media`), for a figure drawn at the medium's
width: on paper no text is under 9 pt as printed 16 cm wide; on screen no text is under 12 pt, which is
16.7 CSS px at 100 CSS px per figure inch (the chart unshrunk at a 1280 px window) and still 14 px when the
chart is placed 720 px wide (a 768 px window). On a phone the same sizes as on screen, in a figure 330 CSS px
wide laid out narrow (``narrow``): the item texts above their rows, the legends below the chart.
"""

from __future__ import annotations

from dataclasses import dataclass

from dol_toolkit.plots.media import Medium, check_medium


@dataclass(frozen=True)
class MediumStyle:
    """Type sizes (points), marks (points) and spacing (inches) of the charts drawn for one medium."""

    min_pt: float  # no chart text below this
    tick_pt: float  # tick labels: item texts, scale values, n
    label_pt: float  # axis labels
    note_pt: float  # notes in the chart: "Ikke vist: ...", values beside marks, directions
    segment_pt: float  # percentages on bar segments and beside the side bars
    message_pt: float  # the message drawn in place of a suppressed chart
    legend_pt: float
    item_wrap: int  # characters per line of a full item text (Likert bars)
    short_wrap: int  # characters per line of a short item label (means, gaps, change)
    note_wrap: int  # characters per line of a direction note (gaps)
    marker: float  # size of a mark (points)
    line: float  # width of an interval line (points)
    pad: float  # inches around the figure's content
    gap: float  # inches between the Axes of a row
    narrow: bool = False  # item texts on their own line above their row, legends below (a phone)


STYLES: dict[Medium, MediumStyle] = {
    "screen": MediumStyle(min_pt=12.0, tick_pt=12.0, label_pt=13.0, note_pt=12.5, segment_pt=12.0,
                          message_pt=14.0, legend_pt=12.5, item_wrap=26, short_wrap=24, note_wrap=22,
                          marker=11.0, line=2.2, pad=0.12, gap=0.12),
    "paper": MediumStyle(min_pt=9.0, tick_pt=9.0, label_pt=9.5, note_pt=9.0, segment_pt=9.0, message_pt=10.0,
                         legend_pt=9.0, item_wrap=26, short_wrap=24, note_wrap=22, marker=8.0, line=1.6,
                         pad=0.08, gap=0.08),
    "phone": MediumStyle(min_pt=12.0, tick_pt=12.0, label_pt=12.5, note_pt=12.0, segment_pt=12.0,
                         message_pt=13.0, legend_pt=12.0, item_wrap=26, short_wrap=24, note_wrap=14,
                         marker=10.0, line=2.0, pad=0.1, gap=0.1, narrow=True),
}
MIN_FONT_PT = min(s.min_pt for s in STYLES.values())
"""The smallest text of any medium, as drawn (on paper: also as printed)."""


def style(medium: Medium) -> MediumStyle:
    """The type sizes and marks of ``medium`` ("screen", "paper" or "phone")."""
    return STYLES[check_medium(medium)]


SCALE_COLOURS: dict[str, str] = {
    "1": "#e66101",
    "2": "#fdb863",
    "3": "#bdbdbd",
    "4": "#b2abd2",
    "5": "#5e3c99",
}


def scale_colours(codes: tuple[str, ...]) -> dict[str, str]:
    """The colour of each point of a scale: the five colours above on a 5-point scale; on another scale the
    same diverging ramp (orange - grey - purple) read at as many evenly spaced places as the scale has points,
    so a scale with an odd number of points has the grey middle and one with an even number has none."""
    if len(codes) == len(SCALE_COLOURS):
        return dict(zip(codes, SCALE_COLOURS.values(), strict=True))
    from matplotlib.colors import LinearSegmentedColormap, to_hex

    ramp = LinearSegmentedColormap.from_list("dol_scale", list(SCALE_COLOURS.values()))
    last = max(len(codes) - 1, 1)
    return {c: to_hex(ramp(k / last)) for k, c in enumerate(codes)}


def segment_text_colours(colours: dict[str, str]) -> dict[str, str]:
    """Black or white text for each segment colour, whichever reads better (white on the dark ones)."""
    from matplotlib.colors import to_rgb

    def luminance(colour: str) -> float:
        r, g, b = to_rgb(colour)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    return {c: "white" if luminance(colour) < 0.4 else "black" for c, colour in colours.items()}


OFF_SCALE_COLOURS: dict[str, str] = {"dont_know": "#737373", "prefer_not": "#d9d9d9"}
OFF_SCALE_HATCH: dict[str, str | None] = {"dont_know": None, "prefer_not": "///"}
EDGE = "white"
CENTRE_LINE = "#252525"
GRID = "#d9d9d9"
BAND = "#e0e0e0"
NOTE_COLOUR = "#404040"
MESSAGE_BACKGROUND = "#f2f2f2"

ROLE_COLOURS: dict[str, str] = {"employee": "#0072B2", "self": "#D55E00", "manager": "#009E73"}
ROLE_MARKERS: dict[str, str] = {"employee": "o", "self": "D", "manager": "s"}
DOT_COLOUR = "#0072B2"
CHANGE_COLOURS: dict[str, str] = {"up": SCALE_COLOURS["5"], "down": SCALE_COLOURS["1"], "zero": "#969696"}
