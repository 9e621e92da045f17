"""The narrow layout of the phone medium: the item text above its row across the width, the bars and axes using
the whole width, legends below the chart, and the same figures as the wide drawing (nothing more, nothing less).
Sizes, overlaps and cuts of the phone drawings are checked with every medium in test_legibility and test_media."""

from __future__ import annotations

import re

import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from dol_toolkit.plots import change_bars, gap_dots, likert_bars, likert_layout, mean_marks, side_panel
from dol_toolkit.plots.media import figure_width_in, visible_texts
from dol_toolkit.stats import Selection, describe_selection
from dol_toolkit.stats.compare import compare_waves
from dol_toolkit.stats.gaps import group_gap_distribution, leader_gaps


@pytest.fixture(scope="module")
def inputs(sample, group):
    employees = sample[(sample["leader_id"] == "Anders Pedersen") & (sample["role"] == "employee")]
    keep = employees["respondent_id"].drop_duplicates().head(4)
    four = sample[(sample["role"] != "employee") | sample["respondent_id"].isin(keep)]
    return {
        "likert": (likert_bars, describe_selection(sample, Selection.group(group))),
        "my_likert": (likert_bars, describe_selection(sample, Selection.leader("Anders Pedersen"))),
        "likert_hidden": (likert_bars, describe_selection(four, Selection.leader("Anders Pedersen"))),
        "means": (mean_marks, describe_selection(sample, Selection.leader("Anders Pedersen"))),
        "gaps": (gap_dots, group_gap_distribution(leader_gaps(sample), group)),
        "change": (change_bars, compare_waves(sample, Selection.group(group))),
    }


SHOWN = ["likert", "my_likert", "means", "gaps", "change"]


def figure(inputs, chart: str, medium: str, lang: str = "da") -> Figure:
    draw, data = inputs[chart]
    fig = draw(data, lang=lang, medium=medium).get_figure(root=True)
    assert isinstance(fig, Figure)
    return fig


def _box(fig: Figure, artist):
    return artist.get_window_extent(fig.canvas.get_renderer())


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("chart", SHOWN)
def test_item_texts_stand_above_their_rows_and_the_plot_takes_the_width(inputs, chart, lang):
    fig = figure(inputs, chart, "phone", lang)
    ax = fig.axes[0]
    width = fig.get_size_inches()[0] * fig.dpi
    assert fig.get_size_inches()[0] == pytest.approx(figure_width_in("phone"))
    assert [t for t in ax.get_yticklabels() if t.get_text()] == []  # no text column on the left
    labels = [t for t in ax.texts if isinstance(t, Text) and t.get_va() == "top" and t.get_ha() == "left"
              and not t.get_in_layout()]
    assert len(labels) >= 5
    plot = _box(fig, ax)
    panel = side_panel(ax)
    right = _box(fig, panel).x1 if panel is not None else plot.x1
    for label in labels:
        box = _box(fig, label)
        assert box.x0 <= plot.x0 + 1  # from the left edge of the chart, not from a column of texts
        assert box.x1 <= width
    # The marks (with the side panel of a Likert chart) span most of the width; without the column of texts the
    # bars of a laptop's 5.4 inches would have half of a phone's 3.3.
    assert (right - plot.x0) / width >= 0.8
    # Each text is above the marks of its row: its bottom is above the highest mark of the next text's row.
    tops = sorted(_box(fig, t).y0 for t in labels)
    assert tops == sorted(set(tops))


@pytest.mark.parametrize("chart", ["likert", "my_likert", "means", "gaps"])  # the change bars have no legend
def test_legends_are_below_the_chart(inputs, chart):
    fig = figure(inputs, chart, "phone")
    visible_texts(fig)  # drawn
    legends = [a.get_legend() for a in fig.axes if a.get_legend() is not None]
    assert legends
    lowest = min(_box(fig, a).y0 for a in fig.axes if a.axison)
    for legend in legends:
        assert _box(fig, legend).y1 < lowest


def test_both_halves_of_the_diverging_bar_are_shown(inputs):
    draw, data = inputs["likert"]
    ax = draw(data, medium="phone")
    layout = likert_layout(data)
    low, high = ax.get_xlim()
    assert low <= -layout.limit and high >= layout.limit
    assert ax.get_xticks().min() < 0 < ax.get_xticks().max()


NUMBER = re.compile(r"[-+\u2212]?\d+(?:[,.]\d+)?")


def _figures(fig: Figure, chart: str) -> list[str]:
    """The figures a chart shows in its texts, not its axes' tick values; for the Likert bars the n of each item
    (its segment percentages are the shares of the same counts, dropped where they do not fit a segment)."""
    ticks = {t for ax in fig.axes for t in (*ax.get_xticklabels(), *ax.get_xticklabels(minor=True))}
    texts = [t.get_text() for t in visible_texts(fig) if t not in ticks]
    if chart.endswith("likert"):
        return sorted(m for text in texts for m in re.findall(r"n\s=\s(\d+)", text.replace("\u00a0", " ")))
    return sorted(n for text in texts for n in NUMBER.findall(text) if "±" not in text)


@pytest.mark.parametrize("chart", ["likert", "my_likert", "means", "change"])
def test_the_narrow_drawing_shows_the_same_figures_as_the_wide_one(inputs, chart):
    wide, narrow = _figures(figure(inputs, chart, "screen"), chart), _figures(figure(inputs, chart, "phone"), chart)
    assert wide and narrow == wide


def test_a_hidden_chart_is_hidden_on_a_phone_too(inputs):
    fig = figure(inputs, "likert_hidden", "phone")
    shown = [t.get_text() for t in visible_texts(fig)]
    assert len(shown) == 1 and not re.search(r"\d{2,}", shown[0].replace("5", ""))
