"""Every chart, shown or suppressed, in both languages and for both media: no text under the medium's minimum,
nothing outside the figure, nothing drawn on top of something else."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure

from dol_toolkit.plots import change_bars, gap_dots, likert_bars, mean_marks
from dol_toolkit.plots._style import STYLES
from dol_toolkit.plots.media import MEDIA, text_sizes
from dol_toolkit.stats import Selection, describe_selection
from dol_toolkit.stats.compare import compare_waves
from dol_toolkit.stats.gaps import group_gap_distribution, leader_gaps

from .builders import outside, overlaps, texts


@pytest.fixture(scope="module")
def inputs(sample, group):
    small = ["Anders Pedersen", "Anne Kofoed"]
    # Anders Pedersen with four employees left: his employee results are hidden in every round.
    employees = sample[(sample["leader_id"] == "Anders Pedersen") & (sample["role"] == "employee")]
    keep = employees["respondent_id"].drop_duplicates().head(4)
    four = sample[(sample["role"] != "employee") | sample["respondent_id"].isin(keep)]
    return {
        "likert": (likert_bars, describe_selection(sample, Selection.group(group))),
        "likert_hidden": (likert_bars, describe_selection(four, Selection.leader("Anders Pedersen"))),
        "means": (mean_marks, describe_selection(sample, Selection.leader("Anders Pedersen"))),
        "means_hidden": (mean_marks, describe_selection(four, Selection.leader("Anders Pedersen"))),
        "gaps": (gap_dots, group_gap_distribution(leader_gaps(sample), group)),
        "gaps_hidden": (gap_dots, group_gap_distribution(leader_gaps(sample), small)),
        "change": (change_bars, compare_waves(sample, Selection.group(group))),
        "change_hidden": (change_bars, compare_waves(four, Selection.leader("Anders Pedersen"))),
    }


CHARTS = ["likert", "likert_hidden", "means", "means_hidden", "gaps", "gaps_hidden", "change", "change_hidden"]


@pytest.mark.parametrize("medium", MEDIA)
@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("chart", CHARTS)
def test_no_text_under_the_minimum_of_the_medium(inputs, chart, lang, medium):
    draw, data = inputs[chart]
    ax = draw(data, lang=lang, medium=medium)
    fig = ax.get_figure(root=True)
    assert isinstance(fig, Figure)
    sizes = dict(text_sizes(fig))  # drawn first: ticks are made at draw time, they are checked too
    assert sizes
    small = {s: size for s, size in sizes.items() if size < STYLES[medium].min_pt}
    assert not small
    assert fig.dpi == 100


@pytest.mark.parametrize("medium", MEDIA)
@pytest.mark.parametrize("chart", CHARTS)
def test_everything_inside_the_figure(inputs, chart, medium):
    draw, data = inputs[chart]
    fig = draw(data, medium=medium).get_figure(root=True)
    assert outside(fig) == []


@pytest.mark.parametrize("medium", MEDIA)
@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("chart", CHARTS)
def test_nothing_overlaps(inputs, chart, lang, medium):
    draw, data = inputs[chart]
    fig = draw(data, lang=lang, medium=medium).get_figure(root=True)
    assert overlaps(fig) == []


def test_the_overlap_check_finds_an_overlap(inputs):
    """The check can fail: a note written over the item texts, and a legend over the bars, are found."""
    draw, data = inputs["likert"]
    ax = draw(data)
    label = ax.get_yticklabels()[0]
    fig = ax.get_figure(root=True)
    fig.draw_without_rendering()
    ax.text(*label.get_position(), "over the first item", transform=label.get_transform(), fontsize=12)
    ax.get_legend().set_bbox_to_anchor((0.5, 0.5), transform=ax.transAxes)
    found = overlaps(fig)
    assert any("over the first item" in pair for pair in found)
    assert any(pair[0].startswith("legend") and pair[1].startswith("axes") for pair in found)


def test_hidden_inputs_are_hidden(inputs):
    assert inputs["likert_hidden"][1].query("role == 'employee'")["suppressed"].all()
    assert inputs["gaps_hidden"][1]["suppressed"].all()
    assert inputs["change_hidden"][1]["suppressed"].all()


@pytest.mark.parametrize("medium", MEDIA)
@pytest.mark.parametrize("chart", CHARTS)
def test_given_ax_gets_the_chart_and_is_returned(inputs, chart, medium):
    import matplotlib.pyplot as plt

    draw, data = inputs[chart]
    fig, ax = plt.subplots(figsize=(14, 7), layout="constrained")
    assert draw(data, ax=ax, medium=medium) is ax
    fig.draw_without_rendering()
    assert all(t.get_fontsize() >= STYLES[medium].min_pt for t in texts(fig))
