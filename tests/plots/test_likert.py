"""likert_bars: what is drawn equals the description's counts; labels, order, side panel, n, edge cases."""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from dol_toolkit.plots import PlotError, likert_bars, side_panel
from dol_toolkit.plots.likert import WRAP_WIDTH
from dol_toolkit.plots.media import MEDIA
from dol_toolkit.stats import AnonymityPolicy, Selection, describe_selection

from .builders import ITEM_IDS, MESSAGE_DA, MESSAGE_EN, assert_only_message, expand, shown_strings, tidy

RESEARCH = AnonymityPolicy(min_n=1, research_mode=True)

# Six employees of one leader; every item has its own mix (competences has no "1", it_security no "3").
COUNTS = {
    "competences": {"2": 1, "3": 2, "4": 2, "dont_know": 1},
    "rationale": {"1": 1, "3": 1, "4": 2, "5": 2},
    "citizen_value": {"4": 5, "prefer_not": 1},
    "curiosity_culture": {"1": 2, "2": 2, "3": 1, "5": 1},
    "it_security": {"1": 1, "2": 1, "4": 2, "5": 1, "dont_know": 1},
}
# The reference, worked out by hand from COUNTS (not by the toolkit): the bars' shares are of the answers on the
# scale (1-5; "Ved ikke" and "Ønsker ikke at oplyse" left out), the side panel's of all six answers.
SHARES = {
    "competences": {"1": 0, "2": 1 / 5, "3": 2 / 5, "4": 2 / 5, "5": 0},  # 5 on the scale (one "Ved ikke")
    "rationale": {"1": 1 / 6, "2": 0, "3": 1 / 6, "4": 2 / 6, "5": 2 / 6},
    "citizen_value": {"1": 0, "2": 0, "3": 0, "4": 5 / 5, "5": 0},  # 5 on the scale (one "Ønsker ikke")
    "curiosity_culture": {"1": 2 / 6, "2": 2 / 6, "3": 1 / 6, "4": 0, "5": 1 / 6},
    "it_security": {"1": 1 / 5, "2": 1 / 5, "3": 0, "4": 2 / 5, "5": 1 / 5},  # 5 on the scale (one "Ved ikke")
}
SIDE_SHARES = {
    "competences": {"dont_know": 1 / 6, "prefer_not": 0},
    "rationale": {"dont_know": 0, "prefer_not": 0},
    "citizen_value": {"dont_know": 0, "prefer_not": 1 / 6},
    "curiosity_culture": {"dont_know": 0, "prefer_not": 0},
    "it_security": {"dont_know": 1 / 6, "prefer_not": 0},
}


@pytest.fixture
def description() -> pd.DataFrame:
    responses = tidy({item: expand(c) for item, c in COUNTS.items()})
    return describe_selection(responses, Selection.group(["L1"]))


def bars(ax) -> dict[tuple[str, str], Rectangle]:
    """The drawn segments by (item, category), from the patches' gids."""
    out = {}
    for patch in ax.patches:
        gid = patch.get_gid() or ""
        if gid.startswith(("likert:", "side:")):
            _, item, category = gid.split(":")
            out[(item, category)] = patch
    return out


def input_shares(row: pd.Series) -> dict[str, float]:
    """count_c / n_substantive of a row of the table the chart is given (which segments are wide enough for a
    label; the shares themselves are checked against SHARES)."""
    return {c: row[f"count_{c}"] / row["n_substantive"] for c in "12345"}


def employee_rows(description: pd.DataFrame) -> pd.DataFrame:
    rows = description[(description["role"] == "employee") & (description["item_id"] != "index")]
    return rows.set_index("item_id")


def test_segments_equal_the_shares_of_the_description(description):
    ax = likert_bars(description)
    drawn = bars(ax)
    for item, shares in SHARES.items():
        s1, s2, s3 = shares["1"], shares["2"], shares["3"]
        left = -(s1 + s2 + s3 / 2) * 100
        for c in "12345":
            if shares[c] == 0:
                assert (item, c) not in drawn  # nothing drawn for a category without answers
                continue
            patch = drawn[(item, c)]
            assert patch.get_width() == pytest.approx(shares[c] * 100)
            assert patch.get_x() == pytest.approx(left)
            left += shares[c] * 100
        assert left == pytest.approx(100 - (s1 + s2 + s3 / 2) * 100)


def test_zero_answer_category_keeps_the_centring(description):
    ax = likert_bars(description)
    drawn = bars(ax)
    row = employee_rows(description).loc["competences"]  # no "1"
    shares = SHARES["competences"]
    assert row["count_1"] == 0
    first = min((p for (item, c), p in drawn.items() if item == "competences" and c in "12345"),
                key=lambda p: p.get_x())
    assert first.get_x() == pytest.approx(-(shares["1"] + shares["2"] + shares["3"] / 2) * 100)
    # it_security has no neutral answer: 2 ends and 4 starts at the centre line.
    assert drawn[("it_security", "2")].get_x() + drawn[("it_security", "2")].get_width() == pytest.approx(0)
    assert drawn[("it_security", "4")].get_x() == pytest.approx(0)


def test_item_texts_wrapped_in_theme_order(description, theme):
    ax = likert_bars(description)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert [" ".join(lbl.split()) for lbl in labels] == [theme.item(i).wording.employee("da") for i in ITEM_IDS]
    assert all(len(line) <= WRAP_WIDTH for lbl in labels for line in lbl.splitlines())
    assert all("\n" in lbl for lbl in labels)  # the long Danish texts do wrap
    # First item on top: the y axis runs downwards.
    assert ax.get_ylim()[0] > ax.get_ylim()[1]
    ticks = list(ax.get_yticks())
    assert ticks == sorted(ticks)


def test_sorted_by_agreement(description, theme):
    ax = likert_bars(description, sort_by_agreement=True)
    rows = employee_rows(description)
    agreement = (rows["count_4"] + rows["count_5"]) / rows["n_substantive"]
    # citizen_value 5/5, rationale 4/6, competences 2/5, it_security 3/5, curiosity_culture 1/6
    expected = agreement.sort_values(ascending=False, kind="stable").index.tolist()
    assert expected == ["citizen_value", "rationale", "it_security", "competences", "curiosity_culture"]
    labels = [" ".join(t.get_text().split()) for t in ax.get_yticklabels()]
    assert labels == [theme.item(i).wording.employee("da") for i in expected]
    # The bars moved with their labels: the top row (y=0) holds citizen_value's bar.
    assert bars(ax)[("citizen_value", "4")].get_y() == pytest.approx(0 - 0.31, abs=0.01)


@pytest.mark.parametrize("lang", ["da", "en"])
def test_legend_has_the_five_scale_labels(description, theme, lang):
    ax = likert_bars(description, lang=lang)
    labels = {t.get_text() for t in ax.get_legend().get_texts()}
    assert labels == {p.label(lang) for p in theme.scale.points}
    side_labels = [t.get_text() for t in side_panel(ax).get_legend().get_texts()]
    assert side_labels == [n.label(lang) for n in theme.scale.non_substantive]


def test_side_panel_shows_shares_of_all_answers(description):
    ax = likert_bars(description)
    side = side_panel(ax)
    assert side is not None and side is not ax and side.get_figure(root=True) is ax.get_figure(root=True)
    drawn = bars(side)
    for item, side_shares in SIDE_SHARES.items():
        for c in ("dont_know", "prefer_not"):
            assert drawn[(item, c)].get_width() == pytest.approx(side_shares[c] * 100)
    strings = [t.get_text() for t in side.texts]
    assert "17 %" in strings  # 1 of 6
    assert drawn[("citizen_value", "prefer_not")].get_hatch()  # prefer-not is hatched, not grey alone


def test_n_beside_each_bar(description):
    ax = likert_bars(description)
    labels = [t.get_text() for t in side_panel(ax).get_yticklabels()]
    n = employee_rows(description).loc[ITEM_IDS, "n"].astype(int).tolist()
    assert labels == [f"n = {k}" for k in n]
    assert n == [6, 6, 6, 6, 6]


@pytest.mark.parametrize("medium", MEDIA)
def test_segment_labels_only_from_eight_percent_and_inside_their_segment(sample, group, medium):
    description = describe_selection(sample, Selection.group(group))
    ax = likert_bars(description, medium=medium)
    fig = ax.get_figure(root=True)
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    drawn = bars(ax)
    rows = employee_rows(description[description["wave"] == "2026"])
    numbers = [t for t in ax.texts if re.fullmatch(r"\d+", t.get_text())]
    expected = [(item, c) for item, row in rows.iterrows() for c, s in input_shares(row).items() if s >= 0.08]
    if medium == "phone":  # narrow bars: a percentage wider than its segment is left out, the others are there
        assert len(expected) * 0.6 <= len(numbers) <= len(expected)
    else:
        assert len(numbers) == len(expected)
    for text in numbers:
        x, y = text.get_position()
        patch = next(p for key, p in drawn.items() if key[1] in "12345"
                     and p.get_x() <= x <= p.get_x() + p.get_width() and p.get_y() <= y <= p.get_y() + p.get_height())
        assert patch.get_width() >= 8
        assert int(text.get_text()) == round(patch.get_width())
        # The label fits inside its segment: no label spills over a neighbour or another label.
        box, bar = text.get_window_extent(renderer), patch.get_window_extent(renderer)
        assert bar.x0 - 1 <= box.x0 and box.x1 <= bar.x1 + 1
    boxes = [t.get_window_extent(renderer) for t in numbers]
    for k, a in enumerate(boxes):
        assert not any(a.overlaps(b) for b in boxes[k + 1:])


@pytest.mark.parametrize("medium", MEDIA)
def test_a_percentage_wider_than_its_segment_is_left_out(medium):
    # 10 % and 90 % agreement: the axis spans -100..100, so a 10 % segment is narrower than "10" on both media.
    answers = {item: expand({"4": 1, "5": 9}) for item in ITEM_IDS}
    description = describe_selection(tidy(answers), Selection.group(["L1"]))
    ax = likert_bars(description, medium=medium)
    fig = ax.get_figure(root=True)
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    strings = [t.get_text() for t in ax.texts]
    assert strings.count("90") == len(ITEM_IDS) and "10" not in strings
    drawn = bars(ax)
    for text in [t for t in ax.texts if re.fullmatch(r"\d+", t.get_text())]:  # not a phone's item texts
        y = text.get_position()[1]  # the row whose bar holds it (a phone's rows are not 0, 1, 2, ...)
        item = next(key[0] for key, p in drawn.items()
                    if key[1] == "5" and p.get_y() <= y <= p.get_y() + p.get_height())
        bar = drawn[(item, "5")].get_window_extent(renderer)
        box = text.get_window_extent(renderer)
        assert bar.x0 <= box.x0 and box.x1 <= bar.x1
    # The same chart in a wide given Axes keeps every percentage from 8 %.
    wide = Figure(figsize=(30, 8)).add_axes((0.2, 0.1, 0.6, 0.8))
    likert_bars(description, ax=wide, medium=medium)
    assert [t.get_text() for t in wide.texts].count("10") == len(ITEM_IDS)


def test_single_respondent():
    responses = tidy({item: ["4"] for item in ITEM_IDS})
    description = describe_selection(responses, Selection.group(["L1"]), RESEARCH)
    ax = likert_bars(description)
    drawn = bars(ax)
    for item in ITEM_IDS:
        assert drawn[(item, "4")].get_width() == pytest.approx(100)
        assert drawn[(item, "4")].get_x() == pytest.approx(0)
        assert not [k for k in drawn if k[0] == item and k[1] in "1235"]
    assert "100" in [t.get_text() for t in ax.texts]


def test_self_answers_of_one_leader(sample):
    personal = describe_selection(sample, Selection.leader("Anders Pedersen"))
    ax = likert_bars(personal, role="self", wave="2024")
    drawn = bars(ax)
    own = personal[(personal["role"] == "self") & (personal["wave"] == "2024")].set_index("item_id")
    for item in ITEM_IDS:
        category = next(c for c in "12345" if own.loc[item, f"count_{c}"] == 1)
        assert drawn[(item, category)].get_width() == pytest.approx(100)


def test_all_answers_dont_know():
    answers = {item: expand({"3": 3, "4": 3}) for item in ITEM_IDS}
    answers["rationale"] = ["dont_know"] * 6
    description = describe_selection(tidy(answers), Selection.group(["L1"]))
    ax = likert_bars(description)
    drawn = bars(ax)
    assert not [k for k in drawn if k[0] == "rationale" and k[1] in "12345"]  # the main bar is empty
    assert bars(side_panel(ax))[("rationale", "dont_know")].get_width() == pytest.approx(100)
    assert "100 %" in [t.get_text() for t in side_panel(ax).texts]
    assert "Ingen svar på skalaen" in [t.get_text() for t in ax.texts]
    # The others are drawn as usual and centred.
    assert drawn[("competences", "3")].get_x() == pytest.approx(-25)


def test_item_without_answers_is_left_out_with_a_note():
    answers = {item: expand({"2": 2, "4": 4}) for item in ITEM_IDS if item != "it_security"}
    description = describe_selection(tidy(answers), Selection.group(["L1"]))
    assert description.set_index("item_id").loc["it_security", "suppressed"].any()
    ax = likert_bars(description)
    assert not [k for k in bars(ax) if k[0] == "it_security"]
    assert not [k for k in bars(side_panel(ax)) if k[0] == "it_security"]
    assert "Ikke vist: ingen svar" in [t.get_text() for t in ax.texts]
    assert [t.get_text() for t in side_panel(ax).get_yticklabels()][-1] == ""  # no n for it


@pytest.mark.parametrize(("lang", "message"), [("da", MESSAGE_DA), ("en", MESSAGE_EN)])
def test_suppressed_selection_shows_the_message_and_no_number(lang, message):
    responses = tidy({item: expand({"1": 1, "3": 1, "4": 1, "5": 1}) for item in ITEM_IDS})  # 4 employees
    description = describe_selection(responses, Selection.group(["L1"]))
    assert description["suppressed"].all()
    ax = likert_bars(description, lang=lang)
    assert side_panel(ax) is None
    assert len(ax.get_figure(root=True).axes) == 1
    assert_only_message(ax, message)


def test_suppressed_given_ax_is_not_split():
    responses = tidy({item: ["4"] * 4 for item in ITEM_IDS})
    fig, ax = plt.subplots()
    out = likert_bars(describe_selection(responses, Selection.group(["L1"])), ax=ax)
    assert out is ax and fig.axes == [ax]
    assert_only_message(ax, MESSAGE_DA)


def test_english_formatting(description):
    ax = likert_bars(description, lang="en")
    side = side_panel(ax)
    assert "17%" in [t.get_text() for t in side.texts]
    ax.get_figure(root=True).draw_without_rendering()
    ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert "50%" in ticks and "0%" in ticks
    assert all(" %" not in s for s in shown_strings(ax.get_figure(root=True)))


def test_danish_axis_has_a_space_before_percent(description):
    ax = likert_bars(description)
    ax.get_figure(root=True).draw_without_rendering()
    ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert "50 %" in ticks


def test_given_ax_in_a_grid_is_split_within_its_cell(description):
    fig, (left, right) = plt.subplots(1, 2, figsize=(20, 6), layout="constrained")
    cell = right.get_subplotspec()
    out = likert_bars(description, ax=right)
    side = side_panel(out)
    assert out is right
    assert set(fig.axes) == {left, right, side}
    assert right.get_subplotspec().get_topmost_subplotspec() == cell
    assert side.get_subplotspec().get_topmost_subplotspec() == cell
    fig.draw_without_rendering()
    assert right.get_position().x1 <= side.get_position().x0
    assert left.get_position().x1 < right.get_position().x0


def test_given_ax_placed_by_position_is_split_in_place(description):
    fig = Figure(figsize=(14, 7))
    ax = fig.add_axes((0.3, 0.1, 0.65, 0.75))
    likert_bars(description, ax=ax)
    side = side_panel(ax)
    assert ax.get_position().x0 == pytest.approx(0.3)
    assert side.get_position().x1 <= 0.95 + 1e-9
    assert ax.get_position().x1 < side.get_position().x0


def test_wave_choice(sample, group):
    description = describe_selection(sample, Selection.group(group))
    latest = likert_bars(description)
    first = likert_bars(description, wave="2024")
    n_latest = [t.get_text() for t in side_panel(latest).get_yticklabels()]
    n_first = [t.get_text() for t in side_panel(first).get_yticklabels()]
    rows = description[(description["role"] == "employee") & (description["item_id"] != "index")]
    assert n_latest == [f"n = {int(n)}" for n in rows[rows["wave"] == "2026"]["n"]]
    assert n_first == [f"n = {int(n)}" for n in rows[rows["wave"] == "2024"]["n"]]
    with pytest.raises(PlotError, match="rounds are 2024, 2026"):
        likert_bars(description, wave="2025")


def test_bad_input_says_what_to_pass(description):
    with pytest.raises(PlotError, match="describe_selection"):
        likert_bars(description.drop(columns=["count_3"]))
    with pytest.raises(PlotError, match="roles are employee"):
        likert_bars(description, role="self")
    with pytest.raises(ValueError, match="lang="):
        likert_bars(description, lang="de")


def test_frame_built_by_hand():
    description = pd.DataFrame({
        "item_id": ["rationale", "competences"],
        "count_1": [0, 1], "count_2": [0, 1], "count_3": [2, 0], "count_4": [2, 0], "count_5": [0, 0],
        "count_dont_know": [1, 0], "count_prefer_not": [0, 0],
    })
    ax = likert_bars(description)
    drawn = bars(ax)
    assert drawn[("rationale", "3")].get_x() == pytest.approx(-25)
    assert drawn[("competences", "1")].get_x() == pytest.approx(-100)
    assert [t.get_text() for t in side_panel(ax).get_yticklabels()] == ["n = 2", "n = 5"]  # theme order


def test_centre_line_at_zero(description):
    ax = likert_bars(description)
    assert any(list(line.get_xdata()) == [0, 0] for line in ax.lines)


def test_new_figure_is_not_a_pyplot_figure_and_nothing_is_clipped(description):
    before = plt.get_fignums()
    ax = likert_bars(description)
    assert plt.get_fignums() == before
    fig = ax.get_figure(root=True)
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    box = fig.get_tightbbox(renderer)
    width, height = fig.get_size_inches()
    assert box.x0 >= 0 and box.y0 >= 0 and box.x1 <= width and box.y1 <= height
