"""Colours, marks and type sizes: data, not code (one place to change them).

The 1-5 scale uses ColorBrewer's PuOr diverging scheme (colour-blind safe): orange for disagreement, purple for
agreement, with a neutral grey for the middle point instead of PuOr's near-white, so the neutral segment stays
visible on a projector. Answers off the scale are greys; "prefer not to say" also carries a hatch, so the two
greys differ by more than lightness. Marks of different roles differ by shape as well as colour (Okabe-Ito
colours).

Type: no chart text is below ``MIN_FONT_PT`` (12 pt) at the default 100 dpi, so it reads from the back of a room.
"""

from __future__ import annotations

MIN_FONT_PT = 12.0
TICK_PT = 13.0
LABEL_PT = 14.0
NOTE_PT = 13.0
SEGMENT_PT = 12.0
MESSAGE_PT = 16.0
LEGEND_PT = 13.0

SCALE_COLOURS: dict[str, str] = {
    "1": "#e66101",
    "2": "#fdb863",
    "3": "#bdbdbd",
    "4": "#b2abd2",
    "5": "#5e3c99",
}
# Text on a segment: dark on the light colours, white on the dark purple.
SEGMENT_TEXT_COLOURS: dict[str, str] = {"1": "black", "2": "black", "3": "black", "4": "black", "5": "white"}
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
