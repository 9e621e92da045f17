"""Where things go: the pure arithmetic behind the charts, kept out of the drawing code and tested on its own.

Units: bar positions are in percentage points (a bar of all answers spans 100), as drawn.

The diverging bar of one item: shares of the answers on the theme's scale, ``s1 .. s5`` on a 5-point scale
(``count_c / n_substantive``, so they add up to 100 %). The neutral share is split across the centre line, so
the bar starts at ``-(s1 + s2 + s3 / 2)`` (on 1-7: ``-(s1 + s2 + s3 + s4 / 2)``; a scale with an even number of
points has no middle point) and each segment starts where the one before ends. A category with no answers is a
segment of width 0 at its place; it moves nothing.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from dol_toolkit.themes import OFF_SCALE, lower_points, upper_points

LABEL_MIN_SHARE = 0.08
"""Segments of at least this share of the bar carry their percentage; smaller ones carry none."""


@dataclass(frozen=True)
class Segment:
    """One category's piece of a diverging bar (percentage points)."""

    category: str
    share: float
    left: float
    width: float
    labelled: bool

    @property
    def centre(self) -> float:
        return self.left + self.width / 2


def _count(counts: Mapping[str, float], category: str) -> float:
    value = float(counts.get(category, 0.0) or 0.0)
    if math.isnan(value):
        return 0.0
    if value < 0:
        raise ValueError(f"negative count for category {category!r}: {value}")
    return value


def substantive_total(counts: Mapping[str, float], scale: Sequence[str]) -> float:
    """Answers on the scale (``scale``: its codes in order, ``theme.scale.codes``)."""
    return sum(_count(counts, c) for c in scale)


def substantive_shares(counts: Mapping[str, float], scale: Sequence[str]) -> dict[str, float]:
    """Share of each scale point among the answers on the scale (0-1); all 0 when there are none."""
    total = substantive_total(counts, scale)
    return {c: (_count(counts, c) / total if total else 0.0) for c in scale}


def diverging_segments(counts: Mapping[str, float], scale: Sequence[str],
                       label_min_share: float = LABEL_MIN_SHARE) -> tuple[Segment, ...]:
    """The segments of an item's bar, one per point of ``scale`` from the lowest (leftmost); empty when no
    answer is on the scale. The points below the centre lie left of 0; on a scale with an odd number of points
    the middle one is split across 0.

    >>> [round(s.left, 1) for s in diverging_segments({"1": 1, "2": 1, "3": 1, "4": 1}, ("1", "2", "3", "4"))]
    [-50.0, -25.0, 0.0, 25.0]
    """
    shares = substantive_shares(counts, scale)
    if substantive_total(counts, scale) == 0:
        return ()
    below = sum(shares[c] for c in lower_points(scale))
    middle = shares[scale[len(scale) // 2]] / 2 if len(scale) % 2 else 0.0
    left = -(below + middle) * 100
    out = []
    for c in scale:
        width = shares[c] * 100
        out.append(Segment(c, shares[c], left, width, shares[c] >= label_min_share))
        left += width
    return tuple(out)


def off_scale_shares(counts: Mapping[str, float], scale: Sequence[str], n: float | None = None) -> dict[str, float]:
    """Share of "don't know" and "prefer not to say" among ALL answers (``count / n``); 0 when n is 0."""
    total = float(n) if n is not None and not math.isnan(float(n)) else (
        substantive_total(counts, scale) + sum(_count(counts, c) for c in OFF_SCALE))
    return {c: (_count(counts, c) / total if total else 0.0) for c in OFF_SCALE}


def agreement_share(counts: Mapping[str, float], scale: Sequence[str]) -> float | None:
    """Share of the points above the centre (4 and 5 on 1-5; 5, 6 and 7 on 1-7) among the answers on the scale;
    None when there are none."""
    total = substantive_total(counts, scale)
    if not total:
        return None
    return sum(_count(counts, c) for c in upper_points(scale)) / total


def order_items(
    item_ids: Sequence[str], theme_order: Sequence[str], agreement: Mapping[str, float | None] | None = None
) -> list[str]:
    """Items top to bottom: the theme's order (unknown items after it, as given); with ``agreement``, by
    agreement share, highest first, ties in theme order, items without a share last."""
    rank = {item: k for k, item in enumerate(theme_order)}
    ordered = sorted(item_ids, key=lambda i: rank.get(i, len(rank) + list(item_ids).index(i)))
    if agreement is None:
        return ordered
    known = [i for i in ordered if agreement.get(i) is not None]
    unknown = [i for i in ordered if agreement.get(i) is None]
    return sorted(known, key=lambda i: -float(agreement[i] or 0.0)) + unknown


def centred_limit(extent: float, step: float = 10.0, minimum: float = 50.0, maximum: float = 100.0) -> float:
    """Half-width of a diverging axis: the largest bar end rounded up to ``step``, within [minimum, maximum]."""
    if extent <= 0:
        return minimum
    return min(max(math.ceil(round(extent, 9) / step) * step, minimum), maximum)


def symmetric_limit(values: Sequence[float], *, at_least: float, pad: float, step: float = 0.5) -> float:
    """Half-width of an axis centred on zero that holds every value plus ``pad``, rounded up to ``step``."""
    finite = [abs(v) for v in values if not math.isnan(v)]
    largest = max([at_least - pad, *finite]) + pad
    return math.ceil(round(largest / step, 9)) * step


def dot_offsets(values: Sequence[float], min_separation: float, step: float, max_level: int = 3) -> list[float]:
    """Vertical offsets that keep dots at least ``min_separation`` apart along x: each dot (in order) takes the
    first free level of 0, +1, -1, +2, -2, ... (times ``step``); when none within ``max_level`` is free it takes
    the level whose nearest dot is farthest away. Returns offsets in the order of ``values``."""
    levels = [0]
    for k in range(1, max_level + 1):
        levels += [k, -k]
    placed: dict[int, list[float]] = {level: [] for level in levels}
    out = []
    for value in values:
        def nearest(level: int, v: float = value) -> float:
            return min((abs(v - x) for x in placed[level]), default=math.inf)

        free = [level for level in levels if nearest(level) >= min_separation]
        level = free[0] if free else max(levels, key=nearest)
        placed[level].append(value)
        out.append(level * step)
    return out


def wrap(text: str, width: int) -> str:
    """Wrap a label at word boundaries to lines of at most ``width`` characters (longer words stay whole)."""
    return textwrap.fill(" ".join(text.split()), width=width, break_long_words=False, break_on_hyphens=False)
