"""Benchmark: the summary of every leader (employees, self, own leader; anonymity applied) for a 200,000-respondent
dataset, against a plain pandas groupby-mean of the same table in the same run.

Goal (issue 4): at most 1 s for the whole summary (``describe_leaders``). The baseline is the least any summary
must do: ``responses.groupby([leader_id, wave, role, item_id]).value.mean()``.

Usage: ``python benchmarks/summary_all_leaders.py [--respondents N] [--repeat R]``; prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_wide_csv import make_file

from dol_toolkit.stats import describe_leaders
from dol_toolkit.stats.summary import records
from dol_toolkit.survey import read_export


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--respondents", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "wide.csv"
        make_file(path, args.respondents)
        responses = read_export(path).responses
    timings: dict[str, list[float]] = {"describe_leaders": [], "describe_leaders+records": [], "groupby_mean": []}
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        frame = describe_leaders(responses)
        t1 = time.perf_counter()
        recs = records(frame, name_column="leader_id")
        t2 = time.perf_counter()
        responses.groupby(["leader_id", "wave", "role", "item_id"], observed=True)["value"].mean()
        t3 = time.perf_counter()
        timings["describe_leaders"].append(t1 - t0)
        timings["describe_leaders+records"].append(t2 - t0)
        timings["groupby_mean"].append(t3 - t2)
    print(json.dumps({
        "benchmark": "summary_all_leaders",
        "respondents": args.respondents,
        "answers": len(responses),
        "leaders": int(responses["leader_id"].nunique()),
        "rows_out": len(frame),
        "records": len(recs),
        "suppressed_rows": int(frame["suppressed"].sum()),
        "repeat": args.repeat,
        "median_s": {k: round(statistics.median(v), 3) for k, v in timings.items()},
        "baseline": "groupby_mean",
        "goal_s": 1.0,
        "meets_goal": statistics.median(timings["describe_leaders"]) <= 1.0,
    }, indent=2))


if __name__ == "__main__":
    main()
