"""Benchmark: time to draw each chart of :mod:`dol_toolkit.plots` and render it to PNG, against a plain
matplotlib baseline.

Goal (charts layer): the median time per chart is at most 150 ms.

What is timed, per run: the chart function on the sample data (``ax=None``, so it makes its own figure) plus
``fig.savefig`` to an in-memory PNG at dpi 100: the wait of a workshop participant between a click and a new
chart (the goal applies to this). The savefig part alone is reported too (``savefig_only``). The statistics
(describe_selection etc.) are computed once beforehand and not timed. The baseline, in the same run and on the
same machine: a plain ``ax.barh`` of 5 bars on a new ``Figure``, saved the same way. Runs are interleaved
(every chart once per round) so that a noisy neighbour on a shared machine affects all alike; the first
``--warmup`` rounds are not counted. The load average is printed with the figures.

Usage: ``python benchmarks/plots_render.py [--repeat 30] [--warmup 3]``; prints one JSON object.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from dol_toolkit.plots import change_bars, gap_dots, likert_bars, mean_marks
from dol_toolkit.stats import Selection, describe_selection
from dol_toolkit.stats.compare import compare_waves
from dol_toolkit.stats.gaps import group_gap_distribution, leader_gaps
from dol_toolkit.survey import read_export

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "samples" / "ledelsesevaluering_digital_omstilling.csv"
GOAL_MS = 150.0
GROUP_SIZE = 6


def baseline() -> Axes:
    fig = Figure()
    ax = fig.add_subplot()
    ax.barh(range(5), [3.1, 3.8, 3.5, 2.9, 4.2])
    return ax


def charts() -> dict[str, Callable[[], Axes]]:
    responses = read_export(SAMPLE).responses
    leaders = [str(x) for x in responses["leader_id"].cat.categories[:GROUP_SIZE]]
    group = describe_selection(responses, Selection.group(leaders))
    personal = describe_selection(responses, Selection.leader(leaders[0]))
    gaps = group_gap_distribution(leader_gaps(responses), leaders)
    change = compare_waves(responses, Selection.group(leaders))
    return {
        "likert_bars": lambda: likert_bars(group),
        "mean_marks": lambda: mean_marks(personal),
        "gap_dots": lambda: gap_dots(gaps),
        "change_bars": lambda: change_bars(change),
    }


def render(draw: Callable[[], Axes]) -> tuple[float, float, int, tuple[int, int]]:
    """Milliseconds to draw and save as PNG, and to save alone; the PNG's size in bytes and pixels."""
    start = time.perf_counter()
    fig = draw().get_figure(root=True)
    assert isinstance(fig, Figure)
    drawn = time.perf_counter()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    end = time.perf_counter()
    width, height = (fig.get_size_inches() * 100).round().astype(int)
    return (end - start) * 1000, (end - drawn) * 1000, buffer.tell(), (int(width), int(height))


def summary(times: list[float]) -> dict[str, float]:
    return {
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(float(np.percentile(times, 95)), 1),
        "min_ms": round(min(times), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()

    cases: dict[str, Callable[[], Axes]] = {"baseline_plain_barh": baseline, **charts()}
    total: dict[str, list[float]] = {name: [] for name in cases}
    save: dict[str, list[float]] = {name: [] for name in cases}
    sizes: dict[str, tuple[int, tuple[int, int]]] = {}
    for round_ in range(args.warmup + args.repeat):
        for name, draw in cases.items():
            elapsed, saving, png_bytes, pixels = render(draw)
            if round_ >= args.warmup:
                total[name].append(elapsed)
                save[name].append(saving)
            sizes[name] = (png_bytes, pixels)

    def entry(name: str) -> dict[str, object]:
        png_bytes, (width, height) = sizes[name]
        return {**summary(total[name]), "savefig_only": summary(save[name]), "png_bytes": png_bytes,
                "pixels": f"{width}x{height}"}

    result = {
        "benchmark": "plots_render",
        "what": "chart function (ax=None) + savefig to an in-memory PNG at dpi 100, sample data; savefig_only: "
                "the savefig part of the same runs",
        "runs": args.repeat,
        "warmup": args.warmup,
        "goal": f"median <= {GOAL_MS:.0f} ms per chart",
        "baseline": {"name": "plain matplotlib ax.barh of 5 bars on a new Figure, saved the same way",
                     **entry("baseline_plain_barh")},
        "charts": {name: entry(name) for name in cases if name != "baseline_plain_barh"},
        "goal_met": all(statistics.median(total[n]) <= GOAL_MS for n in cases if n != "baseline_plain_barh"),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "matplotlib": matplotlib.__version__,
        "machine": platform.machine(),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
