"""Charts: a table from :mod:`dol_toolkit.stats` in, a matplotlib Axes out. No widgets here.

Every chart takes its table, ``ax=None``, ``lang="da"|"en"``, ``medium="screen"|"paper"`` and (where it can be
suppressed) ``min_n``, and returns the Axes:

* :func:`likert_bars` (``describe_selection``): diverging stacked bars per item, "Ved ikke" / "Ønsker ikke at
  oplyse" in a side panel (:func:`side_panel`), n beside each bar;
* :func:`mean_marks` (``describe_selection`` of one leader): employees' mean with 95 % interval, own answer and
  own leader's answer;
* :func:`gap_dots` (``group_gap_distribution``): one anonymous dot per leader and item, threshold band;
* :func:`change_bars` (``compare_waves``): change between two rounds with its interval.

With ``ax=None`` a chart makes a plain matplotlib Figure (not a pyplot one: nothing to close, nothing shown by
itself; use ``display(ax.figure)`` or :func:`dol_toolkit.plots.media.png_bytes`), laid out once to fit its
labels. A given ``ax`` is drawn into (``likert_bars`` splits its area for the side panel) and the caller's layout
applies.

``medium`` (:mod:`dol_toolkit.plots.media`) is where the chart is shown: the figure is drawn at that width with
type sizes chosen for it, so that they are true sizes there. ``"paper"``: 16 cm wide (the documents' text
width), no text under 9 pt as printed. ``"screen"``: shown at ``css_width_px("screen")`` CSS px (100 px per
figure inch), no text under 12 pt = 16.7 px; placed 720 px wide (a 768 px window) it is still 14 px.

The placing arithmetic is in :mod:`dol_toolkit.plots.geometry` and in each chart's ``*_layout`` function, so it
is tested without drawing. A suppressed input draws a message in the chart's place and no number from the
data (its message names ``min_n``, the workshop's anonymity limit). Numbers follow the language ("3,4" and
"12 %" in Danish); the charts' words are in the i18n catalogs' ``[chart]`` table.
"""

from dol_toolkit.plots._common import PlotError
from dol_toolkit.plots.change import change_bars, change_layout
from dol_toolkit.plots.gap_dots import gap_dots, gap_layout
from dol_toolkit.plots.likert import likert_bars, likert_layout, side_panel
from dol_toolkit.plots.means import mean_layout, mean_marks
from dol_toolkit.plots.media import Medium, css_width_px, png_bytes

__all__ = [
    "Medium",
    "PlotError",
    "change_bars",
    "change_layout",
    "css_width_px",
    "gap_dots",
    "gap_layout",
    "likert_bars",
    "likert_layout",
    "mean_layout",
    "mean_marks",
    "png_bytes",
    "side_panel",
]
