"""The placing arithmetic, without drawing: centring of the diverging bars, side shares, orders, dot offsets."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dol_toolkit.plots.geometry import (
    LABEL_MIN_SHARE,
    agreement_share,
    centred_limit,
    diverging_segments,
    dot_offsets,
    off_scale_shares,
    order_items,
    symmetric_limit,
    wrap,
)

FIVE = ("1", "2", "3", "4", "5")
COUNTS = {"1": 5, "2": 10, "3": 14, "4": 12, "5": 2, "dont_know": 1, "prefer_not": 2}  # 43 on the scale


def test_segments_are_shares_of_the_substantive_answers():
    segments = diverging_segments(COUNTS, FIVE)
    assert [s.category for s in segments] == ["1", "2", "3", "4", "5"]
    for s in segments:
        assert s.width == pytest.approx(COUNTS[s.category] / 43 * 100)
    assert sum(s.width for s in segments) == pytest.approx(100)


def test_bar_is_centred_on_the_middle_of_the_neutral_answers():
    segments = {s.category: s for s in diverging_segments(COUNTS, FIVE)}
    s1, s2, s3 = 5 / 43 * 100, 10 / 43 * 100, 14 / 43 * 100
    assert segments["1"].left == pytest.approx(-(s1 + s2 + s3 / 2))
    assert segments["3"].left == pytest.approx(-s3 / 2)
    assert segments["3"].centre == pytest.approx(0)
    assert segments["4"].left == pytest.approx(s3 / 2)


def test_a_category_without_answers_does_not_move_the_centre():
    counts = {"1": 0, "2": 3, "3": 0, "4": 5, "5": 2}
    segments = {s.category: s for s in diverging_segments(counts, FIVE)}
    assert segments["1"].width == 0
    assert segments["3"].width == 0
    assert segments["2"].left == pytest.approx(-30)  # -(0 + 30 + 0/2)
    assert segments["4"].left == pytest.approx(0)
    assert segments["5"].left == pytest.approx(50)


def test_single_answer_fills_its_category():
    segments = {s.category: s for s in diverging_segments({"4": 1}, FIVE)}
    assert segments["4"].width == pytest.approx(100)
    assert segments["4"].left == pytest.approx(0)
    assert segments["3"].width == 0


def test_only_off_scale_answers_give_no_segments():
    assert diverging_segments({"dont_know": 7}, FIVE) == ()
    assert off_scale_shares({"dont_know": 7}, FIVE) == {"dont_know": 1.0, "prefer_not": 0.0}


def test_labels_from_eight_percent():
    counts = {"1": 8, "2": 7, "3": 85}  # 8 %, 7 %, 85 %
    labelled = {s.category: s.labelled for s in diverging_segments(counts, FIVE)}
    assert labelled == {"1": True, "2": False, "3": True, "4": False, "5": False}
    assert LABEL_MIN_SHARE == 0.08


def test_off_scale_shares_are_of_all_answers():
    shares = off_scale_shares(COUNTS, FIVE, n=46)
    assert shares["dont_know"] == pytest.approx(1 / 46)
    assert shares["prefer_not"] == pytest.approx(2 / 46)
    assert off_scale_shares(COUNTS, FIVE) == shares  # n defaults to the sum of all counts
    assert off_scale_shares({}, FIVE, n=0) == {"dont_know": 0.0, "prefer_not": 0.0}


def test_agreement_share():
    assert agreement_share(COUNTS, FIVE) == pytest.approx(14 / 43)
    assert agreement_share({"dont_know": 3}, FIVE) is None


def test_order_items():
    theme = ["a", "b", "c", "d"]
    assert order_items(["c", "a", "x", "b"], theme) == ["a", "b", "c", "x"]
    agreement = {"a": 0.2, "b": 0.5, "c": 0.2, "d": None}
    assert order_items(["a", "b", "c", "d"], theme, agreement) == ["b", "a", "c", "d"]


def test_limits():
    assert centred_limit(43) == 50
    assert centred_limit(61) == 70
    assert centred_limit(100) == 100
    assert centred_limit(0) == 50
    assert symmetric_limit([0.4, -1.2], at_least=1.0, pad=0.3) == 1.5
    assert symmetric_limit([], at_least=1.83, pad=0.3) == 2.0
    assert symmetric_limit([float("nan"), 2.9], at_least=1.0, pad=0.3) == 3.5


def test_dot_offsets_keep_distinct_values_on_the_line_and_stack_equal_ones():
    assert dot_offsets([-1.0, 0.0, 1.0], 0.1, 0.2) == [0.0, 0.0, 0.0]
    assert dot_offsets([0.5, 0.5, 0.5], 0.1, 0.2) == [0.0, 0.2, -0.2]


@given(st.lists(st.floats(-4, 4), max_size=12), st.floats(0.01, 0.5))
def test_dot_offsets_separate_dots_on_each_level(values, separation):
    offsets = dot_offsets(values, separation, 0.15)
    assert len(offsets) == len(values)
    levels: dict[float, list[float]] = {}
    for value, offset in zip(values, offsets, strict=True):
        levels.setdefault(offset, []).append(value)
    if len(values) <= 7:  # fewer dots than levels: every level keeps its dots apart
        for members in levels.values():
            members.sort()
            assert all(b - a >= separation for a, b in itertools.pairwise(members))


@given(st.dictionaries(st.sampled_from(["1", "2", "3", "4", "5", "dont_know", "prefer_not"]),
                       st.integers(0, 50)))
def test_segments_always_tile_one_hundred_percent(counts):
    segments = diverging_segments(counts, FIVE)
    if sum(counts.get(c, 0) for c in "12345") == 0:
        assert segments == ()
        return
    for a, b in itertools.pairwise(segments):
        assert b.left == pytest.approx(a.left + a.width)
    assert sum(s.width for s in segments) == pytest.approx(100)
    neutral = segments[2]
    assert neutral.centre == pytest.approx(0, abs=1e-9)


def test_wrap_keeps_words_and_width():
    text = "Min leder skaber en kultur, hvor vi går nysgerrigt og systematisk til nye digitale teknologier."
    wrapped = wrap(text, 40)
    assert " ".join(wrapped.split()) == text
    assert all(len(line) <= 40 for line in wrapped.splitlines())
    assert wrapped.count("\n") == 2


@given(st.integers(2, 11), st.data())
def test_segments_of_any_scale_tile_one_hundred_percent_around_its_centre(points, data):
    """On a scale of any length the bar spans 100 %; the points below the centre lie left of 0 and those above
    right of it; an odd scale's middle point is split evenly across 0."""
    scale = tuple(str(k) for k in range(1, points + 1))
    counts = {c: data.draw(st.integers(0, 30)) for c in scale}
    segments = diverging_segments(counts, scale)
    if sum(counts.values()) == 0:
        assert segments == () and agreement_share(counts, scale) is None
        return
    assert [s.category for s in segments] == list(scale)
    assert sum(s.width for s in segments) == pytest.approx(100)
    half = points // 2
    left_of_zero = sum(s.width for s in segments[:half])
    if points % 2:
        middle = segments[half]
        assert middle.left == pytest.approx(-middle.width / 2)
        left_of_zero += middle.width / 2
    else:
        assert segments[half].left == pytest.approx(0)
    assert segments[0].left == pytest.approx(-left_of_zero)
    upper = sum(counts[c] for c in scale[(points + 1) // 2:])
    assert agreement_share(counts, scale) == pytest.approx(upper / sum(counts.values()))


def test_seven_point_agreement_is_five_six_and_seven():
    scale = tuple("1234567")
    assert agreement_share({"4": 2, "5": 1, "6": 1, "7": 1, "dont_know": 9}, scale) == pytest.approx(3 / 5)
