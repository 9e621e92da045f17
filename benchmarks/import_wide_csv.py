"""Benchmark: import and validate a wide CSV export against plain ``pandas.read_csv`` of the same file.

Goal (issue 3): ``read_export`` takes at most 2x the time of ``pandas.read_csv``; its peak memory is at most
3x the size of the loaded DataFrame (``read_csv``'s result, deep memory usage).

The file: 200,000 respondents (1,000,000 answers) in the layout of the sample export (Danish Excel CSV: ``;``,
UTF-8 with BOM, Danish labels, full item texts as headers). Each measurement runs in a fresh Python process so
that caches and allocator state of one do not help the other; the runs alternate, and medians are reported.
Peak memory is the process's peak resident size above its size just before the read (``ru_maxrss``).

Usage: ``python benchmarks/import_wide_csv.py [--respondents N] [--repeat R]``; prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from dol_toolkit.themes import load_theme

CHILD = r"""
import json, resource, sys, time
import pandas as pd
from dol_toolkit.survey import read_export

def rss_kib():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() // 1024

kind, path = sys.argv[1], sys.argv[2]
before = rss_kib()
t0 = time.perf_counter()
if kind == "read_csv":
    df = pd.read_csv(path, sep=";", encoding="utf-8-sig")
    rows, size = len(df), int(df.memory_usage(deep=True).sum())
else:
    result = read_export(path)
    df = result.responses
    rows, size = result.report.rows_read, int(df.memory_usage(deep=True).sum())
    assert result.report.rows_read == result.report.rows_kept + result.report.rows_excluded
seconds = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_mib": max(peak - before, 0) / 1024, "rows": rows,
                  "result_bytes": size}))
"""


def make_file(path: Path, respondents: int, seed: int = 1) -> None:
    theme = load_theme()
    rng = np.random.default_rng(seed)
    labels = [p.label.da for p in theme.scale.points] + [n.label.da for n in theme.scale.non_substantive] + [""]
    weights = np.array([0.04, 0.12, 0.3, 0.33, 0.15, 0.045, 0.01, 0.005])
    leaders = np.array([f"Leder {i:04d}" for i in range(4000)])
    roles = np.array(["Medarbejder", "Leder", "Leders leder"])
    frame = pd.DataFrame({
        "Respondent-ID": [f"R{i:07d}" for i in range(respondents)],
        "År": rng.choice(["2024", "2026"], respondents),
        "Forvaltning": rng.choice([f"Forvaltning {i}" for i in range(6)], respondents),
        "Leder": leaders[rng.integers(0, len(leaders), respondents)],
        "Rolle": roles[rng.choice(3, respondents, p=[0.9, 0.05, 0.05])],
    })
    for item in theme.items:
        frame[item.wording.employee.da] = np.array(labels, dtype=object)[rng.choice(len(labels), respondents,
                                                                                      p=weights / weights.sum())]
    frame.to_csv(path, sep=";", index=False, encoding="utf-8-sig", lineterminator="\r\n")


def run(kind: str, path: Path) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", CHILD, kind, str(path)], capture_output=True, text=True,
                         check=True)
    result: dict[str, float] = json.loads(out.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--respondents", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "wide.csv"
        make_file(path, args.respondents)
        runs: dict[str, list[dict[str, float]]] = {"read_csv": [], "read_export": []}
        for _ in range(args.repeat):
            for kind in runs:
                runs[kind].append(run(kind, path))
        size_mib = path.stat().st_size / 2**20
    med = {k: {m: statistics.median(r[m] for r in v) for m in ("seconds", "peak_mib")} for k, v in runs.items()}
    loaded_mib = runs["read_csv"][0]["result_bytes"] / 2**20
    time_ratio = med["read_export"]["seconds"] / med["read_csv"]["seconds"]
    memory_ratio = med["read_export"]["peak_mib"] / loaded_mib
    print(json.dumps({
        "benchmark": "import_wide_csv",
        "respondents": args.respondents,
        "answers": args.respondents * 5,
        "file_mib": round(size_mib, 1),
        "repeat": args.repeat,
        "python": platform.python_version(),
        "pandas": pd.__version__,
        "baseline": "pandas.read_csv(sep=';', encoding='utf-8-sig')",
        "read_csv": {"median_s": round(med["read_csv"]["seconds"], 3),
                     "peak_mib": round(med["read_csv"]["peak_mib"], 1),
                     "loaded_dataframe_mib": round(loaded_mib, 1)},
        "read_export": {"median_s": round(med["read_export"]["seconds"], 3),
                        "peak_mib": round(med["read_export"]["peak_mib"], 1),
                        "tidy_dataframe_mib": round(runs["read_export"][0]["result_bytes"] / 2**20, 1)},
        "time_ratio": round(time_ratio, 2),
        "memory_ratio_to_loaded_dataframe": round(memory_ratio, 2),
        "goals": {"time_ratio_max": 2.0, "memory_ratio_max": 3.0},
        "meets_goals": time_ratio <= 2.0 and memory_ratio <= 3.0,
    }, indent=2))


if __name__ == "__main__":
    main()
