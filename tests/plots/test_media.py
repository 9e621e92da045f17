"""Charts drawn for their medium: text sizes as read where the chart is placed, figure widths, nothing on top of
anything, and the suppression message naming the workshop's limit.

Sizes come from the figure's own Text artists (plots.media.text_sizes) and the width it is placed at, never
from the style constants: a chart that set a text smaller, or drew wider, fails here.
"""

from __future__ import annotations

import doctest
import re

import pytest
from matplotlib.figure import Figure

from dol_toolkit.i18n import t
from dol_toolkit.plots import change_bars, gap_dots, likert_bars, mean_marks, media
from dol_toolkit.plots.media import (
    MEDIA,
    css_width_px,
    figure_width_in,
    placed_width_in,
    png_bytes,
    printed_min_pt,
    screen_min_px,
    text_sizes,
)
from dol_toolkit.stats import Selection, describe_selection
from dol_toolkit.stats.compare import compare_waves
from dol_toolkit.stats.gaps import group_gap_distribution, leader_gaps
from dol_toolkit.themes import Theme, load_theme

from .builders import ITEM_IDS, expand, outside, overlaps, tidy

PAPER_MIN_PT = 9.0  # as printed, the chart placed 16 cm wide
SCREEN_MIN_PX = 16.0  # CSS px, the chart placed at its CSS width (not shrunk, a 1280 px window)
NARROW_PX = 720  # the results column of a 768 px window, the side panel moved below
NARROW_MIN_PX = 12.0
LEADER = "Anders Pedersen"


def long_theme() -> Theme:
    """The theme with item texts of about 150 characters and short labels of about 40."""
    data = load_theme().model_dump()
    more = {"da": (", også når arbejdsdagen er travl og der er mange andre opgaver.", " i hele enheden"),
            "en": (", also when the working day is busy and there are many other tasks.", " in the whole unit")}
    for item in data["items"]:
        for lang, (wording, short) in more.items():
            item["wording"]["employee"][lang] = item["wording"]["employee"][lang].rstrip(".") + wording
            item["short"][lang] = item["short"][lang] + short
    return Theme.model_validate(data)


@pytest.fixture(scope="module")
def cases(sample, group):
    """Per chart kind: (function, input, extra arguments) of a typical, a long-label and a suppressed case."""
    employees = sample[(sample["leader_id"] == LEADER) & (sample["role"] == "employee")]
    keep = employees["respondent_id"].drop_duplicates().head(4)
    four = sample[(sample["role"] != "employee") | sample["respondent_id"].isin(keep)]
    long = long_theme()
    described = describe_selection(sample, Selection.group(group))
    personal = describe_selection(sample, Selection.leader(LEADER))
    gaps = group_gap_distribution(leader_gaps(sample), group)
    change = compare_waves(sample, Selection.group(group))
    dont_know = {item: expand({"3": 3, "4": 3}) for item in ITEM_IDS}
    dont_know["rationale"] = ["dont_know"] * 6
    return {
        "likert-typical": (likert_bars, described, {}),
        "likert-long": (likert_bars, described, {"theme": long}),
        "likert-dont-know": (likert_bars, describe_selection(tidy(dont_know), Selection.group(["L1"])), {}),
        "likert-suppressed": (likert_bars, describe_selection(four, Selection.leader(LEADER)), {}),
        "means-typical": (mean_marks, personal, {}),
        "means-notes": (mean_marks, personal, {"wave": "2024"}),  # the own leader said "Ved ikke"
        "means-long": (mean_marks, personal, {"theme": long}),
        "means-suppressed": (mean_marks, describe_selection(four, Selection.leader(LEADER)), {}),
        "gaps-typical": (gap_dots, gaps, {}),
        "gaps-long": (gap_dots, gaps, {"theme": long}),
        "gaps-suppressed": (gap_dots, group_gap_distribution(leader_gaps(sample), [LEADER, "Anne Kofoed"]), {}),
        "change-typical": (change_bars, change, {}),
        "change-long": (change_bars, change, {"theme": long, "include_index": True}),
        "change-suppressed": (change_bars, compare_waves(four, Selection.leader(LEADER)), {}),
    }


CASES = ["likert-typical", "likert-long", "likert-dont-know", "likert-suppressed", "means-typical", "means-notes",
         "means-long", "means-suppressed", "gaps-typical", "gaps-long", "gaps-suppressed", "change-typical",
         "change-long", "change-suppressed"]


def draw(cases, case: str, lang: str, medium: str, **extra: object) -> Figure:
    function, data, arguments = cases[case]
    fig = function(data, lang=lang, medium=medium, **arguments, **extra).get_figure(root=True)
    assert isinstance(fig, Figure)
    return fig


def test_every_case_is_what_it_says(cases):
    suppressed = {case: data for case, (_, data, _) in cases.items() if case.endswith("suppressed")}
    assert suppressed["likert-suppressed"].query("role == 'employee'")["suppressed"].all()
    assert suppressed["means-suppressed"].query("role == 'employee'")["suppressed"].all()
    assert suppressed["gaps-suppressed"]["suppressed"].all()
    assert suppressed["change-suppressed"]["suppressed"].all()
    assert min(len(long_theme().item(i).wording.employee(lang)) for i in ITEM_IDS for lang in ("da", "en")) > 120


def test_declared_widths():
    assert placed_width_in("paper") * 2.54 == pytest.approx(16.0)
    assert figure_width_in("paper") == placed_width_in("paper")
    assert css_width_px("screen") <= 880  # within the ~900 px results column at a 1280 px window
    assert css_width_px("screen") == round(figure_width_in("screen") * media.CSS_PX_PER_INCH)
    assert media.SAVE_DPI["paper"] >= 200 and media.SAVE_DPI["screen"] >= 2 * media.CSS_PX_PER_INCH
    with pytest.raises(ValueError, match="paper"):
        css_width_px("paper")
    with pytest.raises(ValueError, match="medium="):
        figure_width_in("print")  # type: ignore[arg-type]


@pytest.mark.parametrize("medium", MEDIA)
@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("case", CASES)
def test_text_is_large_enough_where_the_chart_is_placed(cases, case, lang, medium):
    fig = draw(cases, case, lang, medium)
    assert fig.get_size_inches()[0] == pytest.approx(figure_width_in(medium))
    sizes = text_sizes(fig)
    assert len(sizes) >= (1 if case.endswith("suppressed") else 10)  # tick labels, legend and notes are in it
    if medium == "paper":
        assert printed_min_pt(fig, placed_width_in("paper")) >= PAPER_MIN_PT - 1e-9, sorted(sizes, key=lambda s: s[1])
    else:
        assert screen_min_px(fig, css_width_px("screen")) >= SCREEN_MIN_PX, sorted(sizes, key=lambda s: s[1])
        assert screen_min_px(fig, NARROW_PX) >= NARROW_MIN_PX


@pytest.mark.parametrize("medium", MEDIA)
@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("case", CASES)
def test_nothing_overlaps_or_is_cut(cases, case, lang, medium):
    fig = draw(cases, case, lang, medium)
    assert overlaps(fig) == []
    assert outside(fig) == []


@pytest.mark.parametrize("lang", ["da", "en"])
def test_long_item_texts_are_wrapped_not_cut(cases, lang):
    fig = draw(cases, "likert-long", lang, "paper")
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert all(label.count("\n") >= 4 for label in labels)  # about 150 characters on lines of 26 at most
    assert [" ".join(label.split()) for label in labels] == [long_theme().item(i).wording.employee(lang)
                                                            for i in ITEM_IDS]


KEYS = {"likert": "chart.suppressed_employees", "means": "chart.suppressed_employees",
        "gaps": "chart.suppressed_leaders", "change": "chart.suppressed_employees"}


@pytest.mark.parametrize("medium", MEDIA)
@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("kind", ["likert", "means", "gaps", "change"])
def test_suppression_message_says_the_given_min_n(cases, kind, lang, medium):
    fig = draw(cases, f"{kind}-suppressed", lang, medium, min_n=7)
    message = t(KEYS[kind], lang, min_n=7)
    assert "7" in message and "5" not in message
    strings = [" ".join(s.split()) for s, _ in text_sizes(fig)]
    assert strings == [message]
    assert re.findall(r"\d", strings[0]) == ["7"]
    default = draw(cases, f"{kind}-suppressed", lang, medium)
    assert [" ".join(s.split()) for s, _ in text_sizes(default)] == [t(KEYS[kind], lang, min_n=5)]


def test_the_size_check_can_fail(cases):
    """A text made smaller after drawing, or a chart of the old width, is found too small."""
    fig = draw(cases, "likert-typical", "da", "paper")
    assert printed_min_pt(fig, placed_width_in("paper")) >= PAPER_MIN_PT - 1e-9
    fig.axes[0].get_yticklabels()[0].set_fontsize(7)
    assert printed_min_pt(fig, placed_width_in("paper")) == pytest.approx(7.0)
    screen = draw(cases, "likert-typical", "da", "screen")
    # The screen chart put in a document (8.6 in shrunk to 16 cm) is too small to print...
    assert printed_min_pt(screen, placed_width_in("paper")) < PAPER_MIN_PT
    # ... and a chart as drawn before this module, 13.5 in at 12 pt shrunk into a 900 px column, too small to read.
    old = Figure(figsize=(13.5, 6))
    old.text(0.5, 0.5, "n = 58", fontsize=12)
    assert screen_min_px(old, 900) < 12
    assert printed_min_pt(old, placed_width_in("paper")) == pytest.approx(5.6, abs=0.05)


def test_text_sizes_sees_ticks_legends_and_notes_but_no_hidden_text(cases):
    fig = draw(cases, "means-notes", "da", "screen")
    strings = [s for s, _ in text_sizes(fig)]
    assert "Opdaterede kompetencer" in strings  # a tick label
    assert "Din egen vurdering" in strings  # a legend entry
    assert "Din leder: Ved ikke" in strings  # a note in the chart
    assert "Svar på skalaen" in strings  # the axis label
    note = next(text for text in fig.axes[0].texts if text.get_text() == "Din leder: Ved ikke")
    note.set_visible(False)
    assert "Din leder: Ved ikke" not in [s for s, _ in text_sizes(fig)]
    assert all(s.strip() for s in strings)


@pytest.mark.parametrize("medium", MEDIA)
def test_png_bytes_at_the_medium_resolution(cases, medium):
    fig = draw(cases, "change-typical", "en", medium)
    width_in, height_in = fig.get_size_inches()
    data = png_bytes(fig.axes[0], medium)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert 0 <= width_in * media.SAVE_DPI[medium] - width < 1  # matplotlib drops the fraction of a pixel
    assert 0 <= height_in * media.SAVE_DPI[medium] - height < 1
    assert not fig.axes  # closed: nothing left to keep alive
    assert len(data) < 400_000


def test_png_bytes_closes_a_pyplot_figure():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(figure_width_in("screen"), 2))
    ax.plot([1, 2])
    assert plt.fignum_exists(fig.number)
    png_bytes(ax, "screen")
    assert not plt.fignum_exists(fig.number)


def test_examples_in_the_media_module_hold():
    failed, tried = doctest.testmod(media, optionflags=doctest.ELLIPSIS)
    assert tried >= 8 and failed == 0
