"""Charts: a table from :mod:`dol_toolkit.stats` in, a matplotlib Axes out. No widgets here.

Every chart takes its table, ``ax=None`` and ``lang="da"|"en"``, and returns the Axes:

* :func:`likert_bars` (``describe_selection``): diverging stacked bars per item, "Ved ikke" / "Ønsker ikke at
  oplyse" in a side panel (:func:`side_panel`), n beside each bar;
* :func:`mean_marks` (``describe_selection`` of one leader): employees' mean with 95 % interval, own answer and
  own leader's answer;
* :func:`gap_dots` (``group_gap_distribution``): one anonymous dot per leader and item, threshold band;
* :func:`change_bars` (``compare_waves``): change between two rounds with its interval.

With ``ax=None`` a chart makes a plain matplotlib Figure (not a pyplot one: nothing to close, nothing shown by
itself; use ``display(ax.figure)`` or ``ax.figure.savefig(...)``), laid out once to fit its labels. A given
``ax`` is drawn into (``likert_bars`` splits its area for the side panel) and the caller's layout applies.

The placing arithmetic is in :mod:`dol_toolkit.plots.geometry` and in each chart's ``*_layout`` function, so it
is tested without drawing. A suppressed input draws a message in the chart's place and no number from the
data. Text is never under 12 pt; numbers follow the language ("3,4" and "12 %" in Danish).
"""

from dol_toolkit.plots._common import PlotError
from dol_toolkit.plots.change import change_bars, change_layout
from dol_toolkit.plots.gap_dots import gap_dots, gap_layout
from dol_toolkit.plots.likert import likert_bars, likert_layout, side_panel
from dol_toolkit.plots.means import mean_layout, mean_marks

__all__ = [
    "PlotError",
    "change_bars",
    "change_layout",
    "gap_dots",
    "gap_layout",
    "likert_bars",
    "likert_layout",
    "mean_layout",
    "mean_marks",
    "side_panel",
]
