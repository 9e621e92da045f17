"""Benchmark: the results app in a real browser, `dol serve` against plain `voila` serving the same notebook.

Measures, in one run on this machine:

* first chart: time from the start of navigation to the first chart's image on screen, for ``dol serve`` (with
  its preheated kernel; the server is given time to refill its pool between visits, as between participants
  arriving) and for plain ``voila notebooks/`` (the baseline: stock settings, a kernel started per visit);
* redraw after a selection: time from choosing another round (or language) to the new chart on screen, p50 and
  p95, both the first time a selection is drawn ("cold") and when it is chosen again ("warm");
* kernel memory: resident and unique memory of the kernel that serves the results app.

Goals (issue 5): first chart at most 0.4x plain voila and at most 1.0 s; redraw p95 at most 250 ms; kernel
memory at most 120 MB. Needs Debian's Chromium. Usage: ``python benchmarks/serve_results.py [--visits N]``;
prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil
from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NOTEBOOK = "workshop.ipynb?step=results"  # the workshop page, on its results step
CHART = '.dol-chart[data-chart="likert"] img'
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_ready(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/voila/templates/lab/static/index.css", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("server not ready in 90 s")


def start(kind: str, config: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DOL_WORKSHOP_CONFIG": str(config)}
    if kind == "dol":
        cmd = [str(BIN / "dol"), "serve", str(config), "--port", str(port)]
    else:
        cmd = [str(BIN / "voila"), str(REPO / "notebooks"), "--no-browser", f"--port={port}",
               "--Voila.ip=127.0.0.1"]
    return subprocess.Popen(cmd, cwd=REPO, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def first_chart_ms(browser, url: str) -> float:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    t0 = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_selector(CHART, state="visible", timeout=120_000)
    elapsed = (time.perf_counter() - t0) * 1000
    page.close(run_before_unload=True)
    context.close()
    return elapsed


def redraws(browser, url: str) -> dict[str, list[float]]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector(CHART, timeout=120_000)
    times: dict[str, list[float]] = {"cold": [], "warm": []}

    def changed(action) -> float:  # type: ignore[no-untyped-def]
        before = page.locator(CHART).first.get_attribute("src")
        t0 = time.perf_counter()
        action()
        page.wait_for_function(f"s => document.querySelector('{CHART}')?.src !== s", arg=before, timeout=60_000)
        return (time.perf_counter() - t0) * 1000

    # Start: Danish, latest round. Each step changes one control; the first pass draws new states ("cold"),
    # the next passes come back to states drawn before ("warm").
    steps = [("lang", "English"), ("wave", "2024"), ("lang", "Dansk"), ("wave", "2026")]
    for round_ in range(4):
        for control, value in steps:
            kind = "cold" if round_ == 0 else "warm"
            if control == "lang":
                times[kind].append(changed(lambda v=value: page.get_by_role("button", name=v).click()))
            else:
                times[kind].append(changed(lambda v=value: page.select_option(".dol-wave select", v)))
    context.close()
    return times


def kernel_memory(server: subprocess.Popen[bytes]) -> dict[str, float]:
    kernels = [p for p in psutil.Process(server.pid).children(recursive=True) if "ipykernel" in " ".join(p.cmdline())]
    rss = [p.memory_info().rss / 2**20 for p in kernels]
    uss = [p.memory_full_info().uss / 2**20 for p in kernels]
    return {"kernels": len(kernels), "max_rss_mib": round(max(rss), 1), "max_uss_mib": round(max(uss), 1)}


def baseline_kernel_memory() -> dict[str, float]:
    """A kernel that only imports the stack every app needs (pandas, matplotlib, ipywidgets): the floor."""
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3")
    try:
        kc.execute_interactive("import pandas, numpy, ipywidgets, matplotlib.figure, matplotlib.backends.backend_agg",
                               timeout=120)
        process = psutil.Process(km.provisioner.process.pid)  # type: ignore[union-attr]
        return {"rss_mib": round(process.memory_info().rss / 2**20, 1),
                "uss_mib": round(process.memory_full_info().uss / 2**20, 1)}
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--visits", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "w.toml"
        text = (REPO / "workshop" / "eksempel.toml").read_text(encoding="utf-8")
        config.write_text(text.replace('file = "../data/samples/', f'file = "{REPO}/data/samples/'),
                          encoding="utf-8")
        ports = {"dol": free_port(), "voila": free_port()}
        servers = {k: start(k, config, p, Path(tmp) / f"{k}.log") for k, p in ports.items()}
        try:
            for kind, server in servers.items():
                wait_ready(f"http://127.0.0.1:{ports[kind]}", server)
            time.sleep(8)  # let dol serve fill its pool of preheated kernels
            urls = {k: f"http://127.0.0.1:{p}/voila/render/{NOTEBOOK}" for k, p in ports.items()}
            first: dict[str, list[float]] = {"dol": [], "voila": []}
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                for _ in range(args.visits):
                    for kind in ("voila", "dol"):
                        first[kind].append(first_chart_ms(browser, urls[kind]))
                        time.sleep(6 if kind == "dol" else 2)  # the pool refills between participants
                redraw = redraws(browser, urls["dol"])
                memory = kernel_memory(servers["dol"])
                browser.close()
        finally:
            for server in servers.values():
                stop(server)
    dol_ms, voila_ms = statistics.median(first["dol"]), statistics.median(first["voila"])
    everything = redraw["cold"] + redraw["warm"]
    result = {
        "benchmark": "serve_results",
        "visits": args.visits,
        "baseline": "plain voila notebooks/ (stock settings, kernel per visit)",
        "first_chart_ms": {"dol_serve_median": round(dol_ms), "voila_median": round(voila_ms),
                           "dol_serve_all": [round(x) for x in first["dol"]],
                           "voila_all": [round(x) for x in first["voila"]]},
        "first_chart_ratio": round(dol_ms / voila_ms, 2),
        "redraw_ms": {
            "cold_p50": round(pct(redraw["cold"], 0.5)), "cold_p95": round(pct(redraw["cold"], 0.95)),
            "warm_p50": round(pct(redraw["warm"], 0.5)), "warm_p95": round(pct(redraw["warm"], 0.95)),
            "all_p50": round(pct(everything, 0.5)), "all_p95": round(pct(everything, 0.95)),
            "n": len(everything),
        },
        "kernel_memory": memory,
        "baseline_kernel_memory": baseline_kernel_memory(),
        "goals": {"first_chart_ratio_max": 0.4, "first_chart_ms_max": 1000, "redraw_p95_ms_max": 250,
                  "kernel_memory_mib_max": 120},
    }
    result["meets_goals"] = {
        "first_chart": dol_ms <= 1000 and dol_ms / voila_ms <= 0.4,
        "redraw": pct(everything, 0.95) <= 250,
        "kernel_memory": memory["max_uss_mib"] <= 120,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
