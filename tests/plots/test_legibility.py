"""Every chart, shown or suppressed, in both languages: no text under 12 pt, nothing outside the figure."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure

from dol_toolkit.plots import change_bars, gap_dots, likert_bars, mean_marks
from dol_toolkit.plots._style import MIN_FONT_PT
from dol_toolkit.stats import Selection, describe_selection
from dol_toolkit.stats.compare import compare_waves
from dol_toolkit.stats.gaps import group_gap_distribution, leader_gaps

from .builders import texts


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


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("chart", CHARTS)
def test_no_text_under_12_pt(inputs, chart, lang):
    draw, data = inputs[chart]
    ax = draw(data, lang=lang)
    fig = ax.get_figure(root=True)
    assert isinstance(fig, Figure)
    fig.draw_without_rendering()  # ticks are made at draw time: check them too
    sizes = {t.get_text(): t.get_fontsize() for t in texts(fig)}
    assert sizes
    small = {s: size for s, size in sizes.items() if size < MIN_FONT_PT}
    assert not small
    assert fig.dpi == 100


@pytest.mark.parametrize("chart", ["likert", "means", "gaps", "change"])
def test_everything_inside_the_figure(inputs, chart):
    draw, data = inputs[chart]
    fig = draw(data).get_figure(root=True)
    fig.draw_without_rendering()
    box = fig.get_tightbbox(fig.canvas.get_renderer())
    width, height = fig.get_size_inches()
    assert box.x0 >= 0 and box.y0 >= 0 and box.x1 <= width and box.y1 <= height


def test_hidden_inputs_are_hidden(inputs):
    assert inputs["likert_hidden"][1].query("role == 'employee'")["suppressed"].all()
    assert inputs["gaps_hidden"][1]["suppressed"].all()
    assert inputs["change_hidden"][1]["suppressed"].all()


@pytest.mark.parametrize("chart", CHARTS)
def test_given_ax_gets_the_chart_and_is_returned(inputs, chart):
    import matplotlib.pyplot as plt

    draw, data = inputs[chart]
    fig, ax = plt.subplots(figsize=(14, 7), layout="constrained")
    assert draw(data, ax=ax) is ax
    fig.draw_without_rendering()
    assert all(t.get_fontsize() >= MIN_FONT_PT for t in texts(fig))
