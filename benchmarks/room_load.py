"""Benchmark: a room of participants arriving at once at the workshop page, `dol serve` against plain `voila`.

For each room size N (default 10, 20 and 30) the participants arrive within 5 s (arrival times spread uniformly).
Each one opens the results step of the workshop page (``workshop.ipynb?step=results&lang=da``) and waits for the
first chart, moves to the reflection step, types a unique phrase (``room-N-p07-<random>``) into the group note of
the first question and waits for "Gemt" (saved), then closes the page. Measured per N:

* time to first chart (from arrival: a chart on screen, the page's static first view or the app's; for protocol
  clients, the page's HTML with the first view's chart received, else the app's chart in the widget states), the
  time until the app's chart is there (the page's widgets connected: ``app_ready_s``), and time to the note
  saved, both from arrival and from starting to type: p50, p95, max, for all participants and per kind of client;
* failures, each with its reason (every participant has a timeout, ``--timeout``, default 180 s), counted;
* peak memory of the server and its kernels: sums of RSS and of USS over the process tree, sampled every 0.5 s;
* kernels 60 s after the last participant closed its page: the server's ``ipykernel_launcher`` processes, and
  how many of them are kernels the participants had (``dol serve`` keeps its pool of N ready kernels);
* notes found in the workshop's SQLite notes database (current text or any kept revision) / expected;
* CPU-seconds of the clients (this process and the browsers) apart from the server and its kernels.

Clients (``--clients``): ``browser`` is one Chromium with one context per participant; ``protocol`` clients speak
what the page speaks (the page over HTTP, the kernel's websocket with Jupyter messages, the widget control comm
for the widgets' states, widget state updates for the route and the typing, sent as ipywidgets 8's manager sends
them) without drawing anything, so that 30 participants do not need 30 browsers on a 2-core machine; ``mixed``
(default) has 3 browsers and the rest protocol clients. Protocol clients do not fetch the page's static files
(about 5 MB, which a browser loads on its first visit), so their first chart is the server's part of it.

The baseline, in the same run: plain ``voila notebooks/workshop.ipynb`` with stock settings (a kernel started per
visit, no preheating, the stock template: a step link there loads a new page; protocol clients switch the step
through the route widget as the workshop template's script does). The ratio dol/baseline of the p95 first chart
is reported per N.

Also, for ``dol serve`` alone, a warm single participant in a real browser: the first chart after navigation
(median of 5 visits in a new browser, and of 3 in a browser that has loaded the page before; the server keeps 3
pages ready and its pool is full again before each visit) and the step change (a click on a step link until that
step's content is visible; median and p95 of 10 changes, a step's first showing builds it).

Goals (the room issue): N=30: p95 first chart at most 8 s, no failures, 30/30 notes, peak memory at most 6 GB,
no participant kernel left 60 s after the pages closed; a warm single participant: first chart at most 1.0 s,
step change at most 0.5 s; ahead of plain voila at every N.

Needs Debian's Chromium (/usr/bin/chromium) for the browser clients and the single-participant figures.
Usage: ``.venv/bin/python benchmarks/room_load.py [--n 10 20 30] [--clients mixed|browser|protocol]
[--timeout 180] [--skip-baseline] [--skip-single] [--config FILE] [--out FILE] [--logs DIR] [--details]``;
prints one JSON object (progress on stderr). A full run (dol and baseline, three room sizes, the single
participant) takes about 20 minutes. The machine should be otherwise idle: ``cpu_s.other_processes`` says how
busy it was meanwhile.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import contextlib
import html
import itertools
import json
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import psutil
import tomli_w
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import WebSocketClientConnection, websocket_connect

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NOTEBOOK = "workshop.ipynb"
QUERY = "step=results&lang=da"
ROUTE_TO_NOTE = "step=reflection&lang=da"
STEPS = ("start", "results", "reflection", "cases", "action_plan")
# The page contract (selectors for browsers, widget classes for protocol clients).
CHART = ".dol-step-results figure.dol-chart img"  # the app's chart: the page is interactive
SEEN_CHART = "figure.dol-chart img"  # any chart on screen: the page's static first view or the app's
# A text the kernel offers to a note box (see dol_toolkit.apps.note_editor), as the page's script reads it.
OFFER = re.compile(r'data-dol-offer="(\d+)" data-id="([^"]+)" data-expect="([^"]*)" data-text="([^"]*)"', re.S)
FIRST_VIEW = re.compile(r'class="dol-preview-view" data-step="results" data-lang="da"[^>]*>.*?data-chart="likert"',
                        re.S)
STEP_LINK = 'a[data-dol-step="{step}"]:visible'
EDITOR = ".dol-step-reflection .dol-note-editor.dol-note-group"
# Status texts of a note (src/dol_toolkit/i18n/da.toml, notes.saved_at / notes.conflict / notes.not_saved).
SAVED = "Gemt"
CONFLICT = "samtidig"
NOT_SAVED = "kunne ikke gemmes"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
CHROMIUM = "/usr/bin/chromium"
ARRIVAL_SECONDS = 5.0
SAMPLE_SECONDS = 0.5
BROWSERS_IN_MIXED = 3
CHUNKS, CHUNK_PAUSE = 4, 0.15  # the phrase is typed in a few bursts, as a person types
CONTROL_TIMEOUT = 4.0  # the widget manager's wait for the control comm's reply (ipywidgets 8)
SINGLE_VISITS, CACHED_VISITS, STEP_CHANGES = 5, 3, 10
# The single participant's server keeps 3 pages ready: as in a room, a taken kernel is replaced after a while (not
# at once, as when the pool runs low), so the visit is measured without a kernel starting beside it.
SINGLE_POOL = 3
KERNEL_ID_JS = "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
# Waits for the note's status line to say "Gemt kl. hh:mm:ss" at or after the given time (the last keystrokes
# began then: an earlier save does not count), or a warning (a conflict: both texts kept; or not saved).
WATCH_STATUS_JS = """([el, since]) => {
  const state = window.__dolNote = {done: false, text: '', warning: false};
  const check = () => {
    const text = el.textContent || '';
    const warning = el.querySelector('.dol-save-warning') !== null;
    const saved = text.match(/Gemt kl\\. (\\d\\d:\\d\\d:\\d\\d)/);
    if (warning || (saved && saved[1] >= since)) {
      Object.assign(state, {done: true, text: text, warning: warning});
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(el, {subtree: true, childList: true, characterData: true});
  check();
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def now() -> float:
    return time.perf_counter()


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def spread(values: list[float]) -> dict[str, Any]:
    if not values:
        return {"n": 0}
    return {"n": len(values), "p50": round(pct(values, 0.5), 3), "p95": round(pct(values, 0.95), 3),
            "max": round(max(values), 3)}


def short(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}".splitlines()[0] if str(exc) else type(exc).__name__
    return text[:200]


# -- the workshop configuration and the servers ------------------------------------------------------------------
def make_config(source: Path, folder: Path) -> Path:
    """A copy of the workshop configuration in ``folder``: data and mapping paths absolute, a fresh notes
    database beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    raw = tomllib.loads(source.read_text(encoding="utf-8"))
    data = raw.setdefault("data", {})
    data["file"] = str((source.parent / data["file"]).resolve())
    if data.get("mapping"):
        data["mapping"] = str((source.parent / data["mapping"]).resolve())
    raw.setdefault("notes", {})["database"] = str(folder / "notes.sqlite")
    config = folder / "workshop.toml"
    config.write_text(tomli_w.dumps(raw), encoding="utf-8")
    return config


def notes_database(config: Path) -> Path:
    raw = tomllib.loads(config.read_text(encoding="utf-8"))
    return config.parent / str(raw["notes"]["database"])


def is_kernel(process: psutil.Process) -> bool:
    try:
        return "ipykernel_launcher" in " ".join(process.cmdline())
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return False


class Server:
    """`dol serve CONFIG --participants N` or plain `voila notebooks/workshop.ipynb`, in its own process group."""

    def __init__(self, kind: str, config: Path, participants: int, log: Path) -> None:
        self.kind, self.config, self.participants = kind, config, participants
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "DOL_WORKSHOP_CONFIG": str(config)}
        if kind == "dol":
            cmd = [str(BIN / "dol"), "serve", str(config), "--port", str(self.port),
                   "--participants", str(participants)]
            self.page = f"{self.url}/voila/render/{NOTEBOOK}?{QUERY}"
        else:
            cmd = [str(BIN / "voila"), str(REPO / "notebooks" / NOTEBOOK), "--no-browser", f"--port={self.port}",
                   "--Voila.ip=127.0.0.1"]
            # Voila runs as root without --allow-root (it has no such option; checked with voila 0.5).
            self.page = f"{self.url}/?{QUERY}"  # a single notebook is served at the root
        self.log = log
        self.started = now()
        self.output = log.open("wb")
        self.process = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=self.output, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        self.ps = psutil.Process(self.process.pid)
        self.seen: dict[int, float] = {}  # pid -> create time of every process of the tree seen

    def tree(self) -> list[psutil.Process]:
        try:
            found = [self.ps, *self.ps.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []
        for p in found:
            with contextlib.suppress(psutil.NoSuchProcess):
                self.seen.setdefault(p.pid, p.create_time())
        return found

    def kernels(self) -> list[psutil.Process]:
        return [p for p in self.tree()[1:] if is_kernel(p)]

    def status(self) -> dict[str, Any] | None:
        """``/dol/status`` (None where the server has none)."""
        try:
            with urllib.request.urlopen(self.url + "/dol/status", timeout=5) as response:
                result: dict[str, Any] = json.loads(response.read())
                return result
        except (OSError, ValueError):
            return None

    def wait_ready(self, timeout: float) -> dict[str, Any]:
        """Wait until the server answers, and for `dol serve` until its pool of kernels is full."""
        deadline = now() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.kind} server exited with {self.process.returncode}: {self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url + "/voila/templates/lab/static/index.css", timeout=2):
                    break
            except OSError:
                if now() > deadline:
                    raise RuntimeError(f"{self.kind} server not answering in {timeout:.0f} s") from None
                time.sleep(0.3)
        result: dict[str, Any] = {"http_after_s": round(now() - self.started, 1)}
        if self.kind != "dol":
            return result
        status = None
        while now() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dol serve exited with {self.process.returncode}: {self.log_tail()}")
            status = self.status()
            if status is not None and status.get("ready", 0) >= status.get("target", self.participants) > 0:
                break
            time.sleep(0.5)
        else:
            raise RuntimeError(f"pool not full in {timeout:.0f} s (last /dol/status: {status})")
        result.update(pool_full_after_s=round(now() - self.started, 1), status=status)
        return result

    def wait_pool(self, timeout: float) -> float:
        """Wait until `dol serve` has its pool full again; the seconds waited."""
        t0 = now()
        while now() - t0 < timeout:
            status = self.status()
            if status is None or status.get("ready", 0) >= status.get("target", 0):
                break
            time.sleep(0.3)
        return now() - t0

    def log_tail(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-1500:]

    def stop(self) -> None:
        """Ctrl-C, then the process group killed; kernels (in sessions of their own) that outlive it too."""
        self.tree()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=30)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.output.close()
        for pid, created in self.seen.items():
            with contextlib.suppress(psutil.NoSuchProcess, ProcessLookupError):
                if psutil.Process(pid).create_time() == created:
                    os.kill(pid, signal.SIGKILL)



# -- resources: memory sampled, CPU before and after -------------------------------------------------------------
def cpu_seconds(processes: list[psutil.Process]) -> float:
    """CPU of live processes and of the children they have reaped (a kernel that ended counts in the server)."""
    total = 0.0
    for p in processes:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            t = p.cpu_times()
            total += t.user + t.system + t.children_user + t.children_system
    return total


def cpu_snapshot(server: Server) -> dict[str, float]:
    me = psutil.Process()
    servers = {p.pid for p in server.tree()}
    own = me.cpu_times()
    try:
        browsers = [p for p in me.children(recursive=True) if p.pid not in servers]
    except psutil.NoSuchProcess:
        browsers = []
    machine = psutil.cpu_times()
    busy = sum(machine) - machine.idle - getattr(machine, "iowait", 0.0)
    return {"python": own.user + own.system, "browsers": cpu_seconds(browsers), "server": cpu_seconds(server.tree()),
            "machine": busy}


class Sampler(threading.Thread):
    """RSS and USS sums of the server's process tree every 0.5 s; the peaks (while ``recording``)."""

    def __init__(self, server: Server) -> None:
        super().__init__(daemon=True)
        self.server = server
        self.stopping = threading.Event()
        self.recording = True
        self.peak = {"rss_sum_mib": 0.0, "uss_sum_mib": 0.0, "processes": 0, "kernels": 0}
        self.samples = 0

    def run(self) -> None:
        while not self.stopping.is_set():
            started = time.monotonic()
            rss = uss = 0.0
            count = kernels = 0
            for p in self.server.tree():
                with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                    info = p.memory_full_info()
                    rss += info.rss / 2**20
                    uss += info.uss / 2**20
                    count += 1
                    kernels += int(p.pid != self.server.ps.pid and is_kernel(p))
            if self.recording:
                self.samples += 1
                if rss > self.peak["rss_sum_mib"]:
                    self.peak.update(rss_sum_mib=round(rss, 1), processes=count)
                self.peak["uss_sum_mib"] = max(self.peak["uss_sum_mib"], round(uss, 1))
                self.peak["kernels"] = max(self.peak["kernels"], kernels)
            self.stopping.wait(max(0.0, SAMPLE_SECONDS - (time.monotonic() - started)))

    def stop(self) -> None:
        self.stopping.set()
        if self.is_alive():
            self.join(10)


# -- participants --------------------------------------------------------------------------------------------------
@dataclass
class Visit:
    index: int
    kind: str  # "browser" | "protocol"
    phrase: str
    pieces: list[str]  # the phrase as typed, burst by burst
    arrival: float  # seconds after the room's start
    stage: str = "waiting"
    first_chart: float | None = None  # a chart on screen (the static first view, or the app's)
    app_ready: float | None = None  # the app's chart (widgets connected: the page can be used)
    typing_started: float | None = None
    note_from_arrival: float | None = None
    note_from_typing: float | None = None
    note_status: str = ""  # "saved" | "conflict" (saved; both texts kept)
    failure: str | None = None
    detail: str = ""
    kernel_ids: list[str] = field(default_factory=list)
    closed_at: float | None = None
    shutdown_status: int | None = None
    control_retries: int = 0
    note_lookup: str = ""
    page_loaded: float | None = None  # browsers: the page's load event (its static files loaded), from navigation


class Problem(Exception):
    """What went wrong for a participant, in words that are the failure's reason."""


def fail(visit: Visit, reason: str, detail: str = "") -> None:
    if visit.failure is None:
        visit.failure = f"{visit.stage}: {reason}"
        visit.detail = detail


def classify_status(text: str, warning: bool) -> tuple[str, str | None]:
    """A note's status line -> (outcome, failure reason or None)."""
    if SAVED in text:
        return "saved", None
    if CONFLICT in text:
        return "conflict", None
    if NOT_SAVED in text or warning:
        return "", f"note not saved ({text.strip()[:80]})"
    return "", f"unexpected status ({text.strip()[:80]})"


# -- protocol clients: what the page speaks, without drawing -------------------------------------------------------
def jupyter_message(msg_type: str, content: dict[str, Any], session: str, metadata: dict[str, Any] | None = None,
                    channel: str = "shell") -> dict[str, Any]:
    header = {"msg_id": uuid.uuid4().hex, "username": "", "session": session, "msg_type": msg_type,
              "version": "5.3", "date": datetime.now(UTC).isoformat()}
    return {"header": header, "parent_header": {}, "metadata": metadata or {}, "content": content,
            "channel": channel, "buffers": []}


def decode_frame(frame: str | bytes) -> dict[str, Any]:
    """A websocket frame of the kernel channels: JSON text, or (with binary buffers) Jupyter's binary framing:
    the number of parts, their offsets, then the JSON message and the buffers."""
    if isinstance(frame, str):
        result: dict[str, Any] = json.loads(frame)
        return result
    (parts,) = struct.unpack("!I", frame[:4])
    offsets = struct.unpack(f"!{parts}I", frame[4 : 4 + 4 * parts])
    end = offsets[1] if parts > 1 else len(frame)
    result = json.loads(frame[offsets[0] : end].decode("utf-8"))
    return result


def normal_text(text: str) -> str:
    """A text as a browser's text box holds it (line ends as LF)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def classes(model: dict[str, Any]) -> set[str]:
    return set(model["state"].get("_dom_classes") or ())


class Cookies:
    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def take(self, headers: Any) -> None:
        for line in headers.get_list("Set-Cookie"):
            name, _, rest = line.partition("=")
            self.values[name.strip()] = rest.split(";", 1)[0]

    def header(self) -> dict[str, str]:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.values.items())} if self.values else {}


class KernelSession:
    """One page's kernel connection: a table of widget models kept up to date from the kernel's messages.

    State changes are sent as the widget manager of ipywidgets 8 sends them: applied locally at once; while an
    update of a model is being processed (until the kernel is idle for it) later changes of that model are
    buffered and sent together; an echo of an older update is ignored for the attributes waiting for their own
    echo. Updates the kernel makes on its own are applied (they replace what was typed, as in a browser)."""

    def __init__(self, ws: WebSocketClientConnection, session: str) -> None:
        self.ws, self.session = ws, session
        self.models: dict[str, dict[str, Any]] = {}
        self.order = itertools.count()
        self.changed = asyncio.Condition()
        self.kernel_info = False
        self.control_id = uuid.uuid4().hex
        self.states = False
        self.closed: str | None = None
        self.history: dict[str, list[tuple[int, str]]] = {}  # model id -> (message number, value) seen (watched)
        self.received = 0  # messages handled so far
        self.focused = ""  # the note box being typed in (its dol-id- class)
        self.last_update: dict[str, str] = {}  # model id -> the id of the last update message sent for it
        self.idle_at: dict[str, int] = {}  # update message id -> the number of the message saying it was handled
        self.in_flight: dict[str, str] = {}  # message id of an update -> its model
        self.buffered: dict[str, dict[str, Any]] = {}  # model -> changes waiting for the model's idle
        self.expected_echo: dict[tuple[str, str], str] = {}  # (model, attribute) -> message id
        self.offers_seen: dict[str, int] = {}  # note box -> number of the last offer applied or left
        self.reader = asyncio.create_task(self._read())

    async def send(self, msg_type: str, content: dict[str, Any], metadata: dict[str, Any] | None = None) -> str:
        message = jupyter_message(msg_type, content, self.session, metadata)
        await self.ws.write_message(json.dumps(message))
        msg_id: str = message["header"]["msg_id"]
        return msg_id

    async def update(self, model_id: str, state: dict[str, Any]) -> None:
        """A state change from the page, as a widget view makes it."""
        self.models[model_id]["state"].update(state)
        if model_id in self.in_flight.values():
            self.buffered[model_id] = {**self.buffered.get(model_id, {}), **state}
        else:
            await self._queue_update(model_id, state)

    def update_now(self, model_id: str, state: dict[str, Any]) -> None:
        """``update`` from a message handler (not awaited): the model changes and its message is queued at once,
        so that nothing typed later can come before it, as in a browser's single thread."""
        self.models[model_id]["state"].update(state)
        if model_id in self.in_flight.values():
            self.buffered[model_id] = {**self.buffered.get(model_id, {}), **state}
            return
        self._queue_update(model_id, state)  # queued in order on the connection

    def apply_offers(self) -> None:
        """What the workshop page's script does with the texts the kernel offers to note boxes: applied to a box
        only if it still has the text the kernel expects (a box typed in since keeps its text)."""
        for model in list(self.models.values()):
            value = str(model["state"].get("value") or "")
            if "dol-note-offer" not in classes(model) or "data-dol-offer" not in value:
                continue
            found = OFFER.search(value)
            if not found:
                continue
            number, box_id = int(found.group(1)), found.group(2)
            expect, text = html.unescape(found.group(3)), html.unescape(found.group(4))
            if self.offers_seen.get(box_id, 0) >= number:
                continue
            boxes = self.with_classes({box_id}, "TextareaModel")
            if not boxes or box_id == self.focused:  # as the page's script: never into the box being typed in
                continue
            self.offers_seen[box_id] = number
            current = str(self.models[boxes[0]]["state"].get("value") or "")
            if normal_text(current) == normal_text(expect):
                self.update_now(boxes[0], {"value": text})

    def _queue_update(self, model_id: str, state: dict[str, Any]) -> Any:
        """Queue a state update on the connection (its echo and its idle awaited); the write's future."""
        message = jupyter_message("comm_msg", {"comm_id": model_id, "data": {"method": "update", "state": state,
                                                                            "buffer_paths": []}}, self.session)
        msg_id = message["header"]["msg_id"]
        self.in_flight[msg_id] = model_id
        self.last_update[model_id] = msg_id
        for name in state:
            self.expected_echo[(model_id, name)] = msg_id
        return self.ws.write_message(json.dumps(message))

    def _add(self, model_id: str, state: dict[str, Any]) -> None:
        if model_id in self.models:
            self.models[model_id]["state"].update(state)
        else:
            self.models[model_id] = {"state": dict(state), "order": next(self.order)}

    def _idle(self, parent: str) -> None:
        model_id = self.in_flight.pop(parent, None)
        if model_id is not None:
            self.idle_at[parent] = self.received
        if model_id is not None and model_id not in self.in_flight.values() and model_id in self.buffered:
            # sent at once (as the widget manager does on the kernel's reply), so it is in flight from now on
            self._queue_update(model_id, self.buffered.pop(model_id))

    def _apply(self, model_id: str, method: str, state: dict[str, Any], parent: str) -> None:
        if method == "echo_update":
            for name in list(state):
                expected = self.expected_echo.get((model_id, name))
                if expected is None:
                    continue
                if expected != parent:
                    del state[name]  # an echo of an older change: ours is still on its way
                else:
                    del self.expected_echo[(model_id, name)]
                    if name in self.buffered.get(model_id, {}):
                        del state[name]
        self.models[model_id]["state"].update(state)
        if model_id in self.history and "value" in state:
            self.history[model_id].append((self.received, str(state["value"])))

    def handled(self, model_id: str) -> int | None:
        """The number of the message after which the kernel had handled every change sent for ``model_id``
        (None while one is on its way or held back)."""
        if model_id in self.in_flight.values() or model_id in self.buffered or model_id not in self.last_update:
            return None
        return self.idle_at.get(self.last_update[model_id])

    def _handle(self, msg: dict[str, Any]) -> None:
        self.received += 1
        kind, content = msg["header"]["msg_type"], msg.get("content", {})
        parent = (msg.get("parent_header") or {}).get("msg_id", "")
        if kind == "status" and content.get("execution_state") == "idle":
            self._idle(parent)
        elif kind == "kernel_info_reply":
            self.kernel_info = True
        elif kind == "comm_open" and content.get("target_name") == "jupyter.widget":
            self._add(content["comm_id"], content.get("data", {}).get("state", {}))
        elif kind == "comm_msg":
            data = content.get("data", {})
            method = data.get("method")
            if method == "update_states" and content.get("comm_id") == self.control_id:
                for model_id, model in data.get("states", {}).items():
                    self._add(model_id, model.get("state", {}))
                self.states = True
            elif method in ("update", "echo_update") and content.get("comm_id") in self.models:
                self._apply(content["comm_id"], method, dict(data.get("state", {})), parent)
        elif kind == "comm_close":
            self.models.pop(content.get("comm_id"), None)

    async def _read(self) -> None:
        try:
            while True:
                frame = await self.ws.read_message()
                if frame is None:
                    self.closed = f"websocket closed ({self.ws.close_code})"
                else:
                    self._handle(decode_frame(frame))
                    self.apply_offers()
                async with self.changed:
                    self.changed.notify_all()
                if frame is None:
                    return
        except Exception as exc:
            self.closed = f"reading the websocket: {short(exc)}"
            async with self.changed:
                self.changed.notify_all()

    async def wait(self, found: Callable[[], Any], timeout: float) -> Any:
        """Wait until ``found()`` is true (its value returned); a closed websocket raises ConnectionError."""
        async with self.changed:
            await asyncio.wait_for(self.changed.wait_for(lambda: found() or self.closed), max(0.01, timeout))
        result = found()
        if not result:
            raise ConnectionError(self.closed)
        return result

    async def load_states(self, deadline: float, visit: Visit) -> None:
        """Ask the kernel for every widget's state through the widget control comm (ipywidgets 8), as the page's
        widget manager does; asked again when no reply comes in time."""
        await self.send("kernel_info_request", {})
        await self.wait(lambda: self.kernel_info, deadline - now())
        await self.send("comm_open", {"comm_id": self.control_id, "target_name": "jupyter.widget.control",
                                      "data": {}}, metadata={"version": "1.0.0"})
        while True:
            await self.send("comm_msg", {"comm_id": self.control_id, "data": {"method": "request_states"}})
            try:
                await self.wait(lambda: self.states, min(CONTROL_TIMEOUT, deadline - now()))
                break
            except TimeoutError:
                if now() >= deadline:
                    raise
                visit.control_retries += 1
        await self.send("comm_close", {"comm_id": self.control_id, "data": {}})

    def close(self) -> None:
        self.reader.cancel()
        self.ws.close()

    # -- what the page shows ---------------------------------------------------------------------------------
    def with_classes(self, wanted: set[str], model: str | None = None) -> list[str]:
        found = [(m["order"], mid) for mid, m in self.models.items()
                 if wanted <= classes(m) and (model is None or m["state"].get("_model_name") == model)]
        return [mid for _, mid in sorted(found)]

    def chart(self) -> bool:
        return any("<img" in str(self.models[mid]["state"].get("value", ""))
                   for mid in self.with_classes({"dol-body"}, "HTMLModel"))

    def children(self, model_id: str) -> list[str]:
        refs = self.models.get(model_id, {}).get("state", {}).get("children") or []
        return [r.removeprefix("IPY_MODEL_") for r in refs if str(r).removeprefix("IPY_MODEL_") in self.models]

    def walk(self, model_id: str) -> list[str]:
        """The model and its descendants, in the order the page shows them."""
        found, todo = [], [model_id]
        while todo:
            current = todo.pop(0)
            found.append(current)
            todo[:0] = self.children(current)
        return found

    def group_note(self) -> tuple[str, str, str] | None:
        """(text box, status line, how it was found) of the reflection step's first group note."""
        steps = self.with_classes({"dol-step-reflection"})
        if steps or self.with_classes({"dol-route"}):
            # The workshop page: wait until the step's box is in the page, as a browser shows it (widgets get
            # their classes and the notes their text after they are made; the box is put in the page last).
            refs = {f"IPY_MODEL_{step}" for step in steps}
            shown = [r for m in self.models.values() for r in (m["state"].get("children") or ()) if r in refs]
            if not shown:
                return None
            inside = self.walk(shown[0].removeprefix("IPY_MODEL_"))
        else:  # a page of one step
            inside = sorted(self.models, key=lambda m: self.models[m]["order"])
        for mid in inside:  # the editor box: the text box and its status line
            if {"dol-note-editor", "dol-note-group"} <= classes(self.models[mid]):
                parts = self.children(mid)
                text = [p for p in parts if self.models[p]["state"].get("_model_name") == "TextareaModel"]
                status = [p for p in parts if "dol-note-status" in classes(self.models[p])]
                if text and status:
                    return text[0], status[0], "editor box"
        for mid in inside:  # the text box's own classes, its status by the same topic class
            found = classes(self.models[mid])
            textarea = self.models[mid]["state"].get("_model_name") == "TextareaModel"
            if textarea and {"dol-note", "dol-note-group"} <= found:
                topic = {c for c in found if c.startswith("dol-topic-")}
                status = self.with_classes({"dol-note-status", "dol-note-group", *topic}, "HTMLModel")
                if status:
                    return mid, status[0], "classes"
        return None


async def fetch(client: AsyncHTTPClient, url: str, cookies: Cookies, timeout: float, **kwargs: Any) -> Any:
    request = HTTPRequest(url, headers=cookies.header(), connect_timeout=max(1.0, timeout),
                          request_timeout=max(1.0, timeout), follow_redirects=True, **kwargs)
    response = await client.fetch(request, raise_error=False)
    cookies.take(response.headers)
    return response


async def protocol_visit(server: Server, visit: Visit, start: float, timeout: float) -> None:
    client = AsyncHTTPClient()
    cookies = Cookies()
    session: KernelSession | None = None
    await asyncio.sleep(max(0.0, start + visit.arrival - now()))
    t0 = now()
    deadline = t0 + timeout
    try:
        try:
            visit.stage = "page"
            response = await fetch(client, server.page, cookies, timeout)
            if response.code != 200:
                raise Problem(f"HTTP {response.code}" + (f" ({response.error})" if response.code == 599 else ""))
            html = response.body.decode("utf-8", errors="replace")
            if FIRST_VIEW.search(html):  # a browser shows the page's first view (with the chart) as it parses it
                visit.first_chart = now() - t0
            match = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', html, re.S)
            if not match or not json.loads(match.group(1)).get("kernelId"):
                raise Problem("no kernelId in the page")
            kernel_id = json.loads(match.group(1))["kernelId"]
            visit.kernel_ids.append(kernel_id)
            visit.stage = "kernel websocket"
            await fetch(client, f"{server.url}/api/kernels/{kernel_id}", cookies, deadline - now())
            ws_url = f"ws://127.0.0.1:{server.port}/api/kernels/{kernel_id}/channels?session_id={uuid.uuid4()}"
            request = HTTPRequest(ws_url, headers=cookies.header(), connect_timeout=max(1.0, deadline - now()),
                                  request_timeout=max(1.0, deadline - now()))
            ws = await websocket_connect(request, max_message_size=512 * 2**20)
            session = KernelSession(ws, uuid.uuid4().hex)
            visit.stage = "widget states"
            await session.load_states(deadline, visit)
            visit.stage = "first chart"
            await session.wait(session.chart, deadline - now())
            visit.app_ready = now() - t0
            if visit.first_chart is None:
                visit.first_chart = visit.app_ready
            visit.stage = "route widget"
            route = session.with_classes({"dol-route"}, "TextModel")
            if not route:
                raise Problem("no Text model with the class dol-route")
            focus = session.with_classes({"dol-focus-state"}, "TextModel")
            if focus:  # the page's script says it runs, as soon as the app is on screen
                await session.update(focus[0], {"value": "dol-ready"})
            await session.update(route[0], {"value": ROUTE_TO_NOTE})
            visit.stage = "reflection note"
            text_id, status_id, visit.note_lookup = await session.wait(session.group_note, deadline - now())
            visit.stage = "typing"
            session.history[status_id] = []
            box_id = next((c for c in classes(session.models[text_id]) if c.startswith("dol-id-")), "")
            session.focused = box_id
            if focus and box_id:  # a click into the box: the page's script tells the kernel at once
                await session.update(focus[0], {"value": box_id})
            visit.typing_started = now()
            for i, piece in enumerate(visit.pieces):
                if i:
                    await asyncio.sleep(CHUNK_PAUSE)
                current = str(session.models[text_id]["state"].get("value") or "")
                if i == 0 and current and not current.endswith("\n"):
                    piece = "\n" + piece  # a new line after what the group has written
                await session.update(text_id, {"value": current + piece})  # the whole text, as a browser sends it
            visit.stage = "note saved"
            # "Saved" means a save after the kernel has had the last keystroke: a status that came after it
            last = await session.wait(lambda: session.handled(text_id), deadline - now())

            def settled() -> str | None:
                return next((v for n, v in session.history[status_id]
                             if n > last and (SAVED in v or "dol-save-warning" in v)), None)

            status = await session.wait(settled, deadline - now())
            session.focused = ""
            if focus:  # done typing: the writer leaves the box (it may catch up with the joined note)
                await session.update(focus[0], {"value": ""})
            session.apply_offers()
            outcome, problem = classify_status(re.sub(r"<[^>]+>", "", status), "dol-save-warning" in status)
            if problem:
                fail(visit, problem)
            else:
                elapsed = now()
                visit.note_status = outcome
                visit.note_from_arrival = elapsed - t0
                visit.note_from_typing = elapsed - visit.typing_started
                visit.stage = "done"
        except TimeoutError:
            fail(visit, f"timeout ({timeout:.0f} s)")
        except Problem as exc:
            fail(visit, str(exc))
        except Exception as exc:
            fail(visit, type(exc).__name__, short(exc))
    finally:
        # Closing the tab: the websocket goes, and the page's unload handler asks for the kernel's shutdown.
        if session is not None:
            session.close()
        visit.closed_at = now()
        for kernel_id in visit.kernel_ids:
            body = urlencode({"_xsrf": cookies.values.get("_xsrf", "")})
            with contextlib.suppress(Exception):
                response = await fetch(client, f"{server.url}/voila/api/shutdown/{kernel_id}", cookies, 10,
                                       method="POST", body=body)
                visit.shutdown_status = response.code


# -- browser clients: Playwright's async API on a thread of its own ------------------------------------------------
class Browsers:
    """One Chromium, driven from an event loop on its own thread (the protocol clients keep the main one)."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.pw: Any = None
        self.browser: Any = None
        self.call(self._launch())

    async def _launch(self) -> None:
        from playwright.async_api import async_playwright

        self.pw = await async_playwright().start()
        self.browser = await self.pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)

    def submit(self, coro: Coroutine[Any, Any, Any]) -> concurrent.futures.Future[Any]:
        return asyncio.run_coroutine_threadsafe(coro, self.loop)

    def call(self, coro: Coroutine[Any, Any, Any], timeout: float | None = None) -> Any:
        return self.submit(coro).result(timeout)

    async def _close(self) -> None:
        with contextlib.suppress(Exception):
            await self.browser.close()
        with contextlib.suppress(Exception):
            await self.pw.stop()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.call(self._close(), timeout=60)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)

    async def new_page(self, context: Any = None) -> tuple[Any, Any]:
        """A page in a new browser context (a participant's own browser), or in ``context``."""
        if context is None:
            context = await self.browser.new_context(viewport={"width": 1400, "height": 900}, locale="da-DK")
        page = await context.new_page()
        page.on("dialog", lambda dialog: asyncio.ensure_future(dialog.accept()))  # leave, if the page asks
        return context, page


async def close_page(page: Any) -> None:
    """Close the tab as a person does: the page's unload handler runs (and asks for its kernel's shutdown)."""
    closed = asyncio.Event()
    page.once("close", lambda _: closed.set())
    with contextlib.suppress(Exception):
        await page.close(run_before_unload=True)
        await asyncio.wait_for(closed.wait(), 15)


async def page_text(page: Any) -> str:
    """The start of what the page shows (for a failure's detail)."""
    try:
        text: str = await asyncio.wait_for(page.evaluate(
            "() => document.body ? document.body.innerText.replace(/\\s+/g, ' ').slice(0, 160) : ''"), 5)
        return text
    except Exception as exc:
        return f"({short(exc)})"


async def load_event_s(page: Any) -> float | None:
    try:
        ms: float = await page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
        return ms / 1000 if ms else None
    except Exception:
        return None


async def kernel_id_of(page: Any) -> str | None:
    try:
        result: str | None = await page.evaluate(KERNEL_ID_JS)
        return result
    except Exception:
        return None


async def browser_visit(browsers: Browsers, server: Server, visit: Visit, start: float, timeout: float,
                        pages: tuple[Any, Any]) -> None:
    context, page = pages
    await asyncio.sleep(max(0.0, start + visit.arrival - now()))
    t0 = now()
    deadline = t0 + timeout

    def left() -> float:
        return max(1.0, (deadline - now()) * 1000)

    try:
        try:
            visit.stage = "page"
            await page.goto(server.page, wait_until="commit", timeout=left())
            visit.stage = "first chart"
            await page.wait_for_selector(SEEN_CHART, state="visible", timeout=left())
            visit.first_chart = now() - t0
            visit.stage = "app"
            await page.wait_for_selector(CHART, state="visible", timeout=left())
            visit.app_ready = now() - t0
            visit.page_loaded = await load_event_s(page)
            kernel = await kernel_id_of(page)
            visit.kernel_ids += [kernel] if kernel else []
            visit.stage = "step link"
            await page.locator(STEP_LINK.format(step="reflection")).first.click(timeout=left())
            visit.stage = "reflection note"
            editor = page.locator(EDITOR).first
            box = editor.locator("textarea").first
            await box.wait_for(state="visible", timeout=left())
            kernel = await kernel_id_of(page)  # plain voila loads a new page (and kernel) for the step
            if kernel and kernel not in visit.kernel_ids:
                visit.kernel_ids.append(kernel)
            visit.note_lookup = "selector"
            visit.stage = "typing"
            await box.click(timeout=left())
            await page.keyboard.press("Control+End")
            newline = "\n" if (await box.input_value()).strip() else ""  # after what the group has written
            visit.typing_started = now()
            for i, piece in enumerate(visit.pieces):
                if i:
                    await asyncio.sleep(CHUNK_PAUSE)
                if i == len(visit.pieces) - 1:  # "saved" means saved after the last keystrokes, not an earlier save
                    since = time.strftime("%H:%M:%S")
                await page.keyboard.type((newline if i == 0 else "") + piece)
            status_line = editor.locator(".dol-note-status").first
            await status_line.evaluate(f"(el) => ({WATCH_STATUS_JS})([el, {json.dumps(since)}])")
            visit.stage = "note saved"
            await page.wait_for_function("() => window.__dolNote && window.__dolNote.done", timeout=left(),
                                         polling=50)
            elapsed = now()
            state = await page.evaluate("window.__dolNote")
            outcome, problem = classify_status(state["text"], state["warning"])
            if problem:
                fail(visit, problem)
            else:
                visit.note_status = outcome
                visit.note_from_arrival = elapsed - t0
                visit.note_from_typing = elapsed - visit.typing_started
                visit.stage = "done"
        except Exception as exc:
            timeout_error = "Timeout" in type(exc).__name__
            shown = await page_text(page)
            fail(visit, f"timeout ({timeout:.0f} s)" if timeout_error else type(exc).__name__,
                 ("" if timeout_error else short(exc) + "; ") + f"the page showed: {shown!r}")
    finally:
        await close_page(page)
        visit.closed_at = now()
        await asyncio.sleep(1.0)  # the unload beacon leaves before the context goes
        with contextlib.suppress(Exception):
            await context.close()


# -- one room ------------------------------------------------------------------------------------------------------
def plan(n: int, clients: str, rng: random.Random) -> list[Visit]:
    arrivals = sorted(rng.uniform(0, ARRIVAL_SECONDS) for _ in range(n))
    if clients == "browser":
        browser_slots = set(range(n))
    elif clients == "protocol":
        browser_slots = set()
    else:  # spread over the arrivals: early, middle, late
        count = min(n, BROWSERS_IN_MIXED)
        browser_slots = {round(i * (n - 1) / max(1, count - 1)) for i in range(count)} if count > 1 else {0}
    visits = []
    for i in range(n):
        # Typed in bursts: "room-30-p07-", then three random parts; each part is found on its own in the notes.
        pieces = [f"room-{n}-p{i + 1:02d}-", *(secrets.token_hex(3) for _ in range(CHUNKS - 1))]
        visits.append(Visit(index=i + 1, kind="browser" if i in browser_slots else "protocol",
                            phrase="".join(pieces), pieces=pieces, arrival=arrivals[i]))
    return visits


def count_notes(database: Path, visits: list[Visit]) -> dict[str, Any]:
    """Phrases found in the notes' current text or in any kept revision (text or what the writer sent)."""
    if not database.exists():
        return {"found": 0, "expected": len(visits), "error": f"no database at {database}"}
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30)
    try:
        current = [r[0] for r in db.execute("SELECT text FROM notes")]
        texts = current + [r[0] for r in db.execute("SELECT text FROM revisions UNION ALL SELECT submitted "
                                                    "FROM revisions")]
    finally:
        db.close()
    found = {v.index for v in visits if any(v.phrase in t for t in texts)}
    # A phrase typed while the kernel replaced the text in the box ends up in pieces (the first bursts in one
    # revision, the rest in another): nothing typed is lost, but the phrase is not whole anywhere.
    lost = {v.index: [p for p in v.pieces if not any(p in t for t in texts)] for v in visits}
    kept = {i for i, pieces in lost.items() if not pieces}
    return {"found": len(found), "expected": len(visits),
            "every_piece_kept": len(kept),
            "split": sorted(kept - found),
            "pieces_lost": {f"p{i:02d}": pieces for i, pieces in lost.items() if pieces},
            "saved_but_missing": [v.index for v in visits if v.note_status and v.index not in found],
            "found_after_failure": sorted(v.index for v in visits if v.failure and v.index in found),
            "current_text_has": sum(1 for v in visits if any(v.phrase in t for t in current))}


async def run_participants(server: Server, visits: list[Visit], browsers: Browsers | None,
                           timeout: float) -> None:
    prepared: dict[int, tuple[Any, Any]] = {}
    for visit in visits:
        if visit.kind == "browser" and browsers is not None:
            prepared[visit.index] = await asyncio.wrap_future(browsers.submit(browsers.new_page()))
    start = now() + 0.5
    tasks = []
    for visit in visits:
        if visit.kind == "browser" and browsers is not None:
            coro = browser_visit(browsers, server, visit, start, timeout, prepared[visit.index])
            tasks.append(asyncio.wrap_future(browsers.submit(asyncio.wait_for(coro, timeout + 60))))
        else:
            tasks.append(asyncio.create_task(asyncio.wait_for(protocol_visit(server, visit, start, timeout),
                                                              timeout + 60)))
    for visit, result in zip(visits, await asyncio.gather(*tasks, return_exceptions=True), strict=True):
        if isinstance(result, BaseException):
            fail(visit, "did not finish", short(result))
            visit.closed_at = visit.closed_at or now()


def start_server(kind: str, config: Path, participants: int, timeout: float) -> tuple[Server, dict[str, Any]]:
    """A server, ready; started once more if something outside stopped it with a signal before it was ready
    (a shared machine: other people's test runs clean up servers)."""
    for attempt in range(2):
        server = Server(kind, config, participants, config.parent / f"server-{attempt}.log")
        try:
            ready = server.wait_ready(timeout)
        except Exception:
            server.stop()
            if attempt or (server.process.returncode or 0) >= 0:
                raise
            continue
        ready["restarts"] = attempt
        return server, ready
    raise AssertionError("unreachable")


def room(kind: str, n: int, args: argparse.Namespace, browsers: Browsers | None, tmp: Path) -> dict[str, Any]:
    config = make_config(args.config, tmp / f"{kind}-{n}")
    try:
        server, ready = start_server(kind, config, n, args.pool_timeout)
    except Exception:
        if args.logs:  # what the server said before it was not ready
            args.logs.mkdir(parents=True, exist_ok=True)
            for log in config.parent.glob("server-*.log"):
                shutil.copy(log, args.logs / f"{kind}-{n}-{log.name}")
        raise
    sampler = Sampler(server)
    try:
        ready["load_average"] = os.getloadavg()
        rng = random.Random(args.seed * 1000 + n)  # the same arrivals for dol and the baseline
        visits = plan(n, args.clients if browsers is not None else "protocol", rng)
        before = cpu_snapshot(server)
        t_room = now()
        sampler.start()
        AsyncHTTPClient.configure(None, max_clients=max(64, 2 * n))
        asyncio.run(run_participants(server, visits, browsers, args.timeout))
        sampler.recording = False
        after = cpu_snapshot(server)
        last_close = max(v.closed_at or now() for v in visits)
        time.sleep(max(0.0, last_close + args.settle - now()))
        kernels = server.kernels()
        ids = {k for v in visits for k in v.kernel_ids}
        left = sum(1 for p in kernels if any(k in " ".join(p.cmdline()) for k in ids))
        settled = cpu_snapshot(server)
        status = server.status() if kind == "dol" else None
        notes = count_notes(notes_database(config), visits)
    finally:
        sampler.stop()
        server.stop()
        if args.logs:  # the server's log and the notes, to read what happened to a failed visit or a phrase
            args.logs.mkdir(parents=True, exist_ok=True)
            shutil.copy(server.log, args.logs / f"{kind}-{n}-server.log")
            if notes_database(config).exists():  # a consistent copy (the database writes ahead to a log)
                copy_database(notes_database(config), args.logs / f"{kind}-{n}-notes.sqlite")
    return summarise(n, visits, ready, sampler, before, after, settled, t_room, last_close, args,
                     len(kernels), left, status, notes)


def copy_database(source: Path, target: Path) -> None:
    """Copy an SQLite database with what its write-ahead log holds (a file copy would miss that)."""
    target.unlink(missing_ok=True)
    with contextlib.closing(sqlite3.connect(source)) as src, contextlib.closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def summarise(n: int, visits: list[Visit], ready: dict[str, Any], sampler: Sampler, before: dict[str, float],
              after: dict[str, float], settled: dict[str, float], t_room: float, last_close: float,
              args: argparse.Namespace, kernels: int, left: int, status: dict[str, Any] | None,
              notes: dict[str, Any]) -> dict[str, Any]:
    def by_kind(attribute: str) -> dict[str, Any]:
        result = {"all": spread([getattr(v, attribute) for v in visits if getattr(v, attribute) is not None])}
        for kind in ("protocol", "browser"):
            values = [getattr(v, attribute) for v in visits if v.kind == kind and getattr(v, attribute) is not None]
            if any(v.kind == kind for v in visits):
                result[kind] = spread(values)
        return result

    failures = [v for v in visits if v.failure]
    clients = (after["python"] - before["python"]) + (after["browsers"] - before["browsers"])
    return {
        "participants": n,
        "clients": dict(Counter(v.kind for v in visits)),
        "ready": ready,
        "first_chart_s": {**by_kind("first_chart"), "all_failures_as_timeout": spread(
            [v.first_chart if v.first_chart is not None else args.timeout for v in visits])},
        "app_ready_s": by_kind("app_ready"),
        "note_saved_from_arrival_s": by_kind("note_from_arrival"),
        "note_saved_from_typing_s": by_kind("note_from_typing"),
        "browser_page_load_s": spread([v.page_loaded for v in visits if v.page_loaded is not None]),
        "note_outcomes": dict(Counter(v.note_status for v in visits if v.note_status)),
        "failures": {"count": len(failures), "reasons": dict(Counter(v.failure for v in failures)),
                     "details": [f"p{v.index:02d} {v.kind}: {v.failure} {v.detail}".strip() for v in failures][:12]},
        "memory_peak": {**sampler.peak, "samples": sampler.samples},
        "kernels_after_close": {"wait_s": args.settle, "kernels": kernels, "participant_kernels_left": left,
                                "dol_status": status},
        "notes": notes,
        "cpu_s": {"clients": round(clients, 1), "clients_python": round(after["python"] - before["python"], 1),
                  "clients_browsers": round(after["browsers"] - before["browsers"], 1),
                  "server_and_kernels": round(after["server"] - before["server"], 1),
                  "server_and_kernels_after_close": round(settled["server"] - after["server"], 1),
                  # Everything else the machine ran meanwhile (a shared machine: other people's tests).
                  "other_processes": round((after["machine"] - before["machine"]) - clients
                                           - (after["server"] - before["server"]), 1),
                  "room_wall_s": round(last_close - t_room, 1)},
        "shutdown_http_status": dict(Counter(str(v.shutdown_status) for v in visits if v.kind == "protocol")),
        "widget_control_retries": sum(v.control_retries for v in visits),
        "note_lookup": dict(Counter(v.note_lookup for v in visits if v.note_lookup)),
        "load_average_before": [round(x, 2) for x in ready.pop("load_average", ())],
        **({"visits": [visit_record(v) for v in visits]} if args.details else {}),
    }


def visit_record(v: Visit) -> dict[str, Any]:
    def r(x: float | None) -> float | None:
        return None if x is None else round(x, 3)

    return {"p": v.index, "kind": v.kind, "arrival_s": r(v.arrival), "first_chart_s": r(v.first_chart),
            "note_from_arrival_s": r(v.note_from_arrival), "note_from_typing_s": r(v.note_from_typing),
            "page_load_s": r(v.page_loaded), "note": v.note_status, "failure": v.failure, "detail": v.detail,
            "kernels": len(v.kernel_ids), "shutdown_status": v.shutdown_status, "control_retries": v.control_retries}


# -- one participant alone, warm -----------------------------------------------------------------------------------
async def single_visits(browsers: Browsers, server: Server, timeout: float) -> dict[str, Any]:
    """First chart after navigation, in a new browser (nothing cached) and in one that has loaded the page before
    (its static files cached); the pool is full again before each visit. Then step changes in the last page."""
    loop = asyncio.get_running_loop()
    first: dict[str, list[float]] = {"new_browser": [], "cached": []}
    ready: dict[str, list[float]] = {"new_browser": [], "cached": []}
    waits: list[float] = []
    returning, blank = await browsers.new_page()  # a participant's browser that comes back: one context, kept
    await blank.close()
    context: Any = None
    page: Any = None
    visits = ["cached"] + ["new_browser"] * SINGLE_VISITS + ["cached"] * CACHED_VISITS
    for i, kind in enumerate(visits):
        waits.append(await loop.run_in_executor(None, server.wait_pool, 120.0))
        await asyncio.sleep(1.0)
        context, page = await browsers.new_page(returning if kind == "cached" else None)
        t0 = now()
        await page.goto(server.page, wait_until="commit", timeout=timeout * 1000)
        await page.wait_for_selector(SEEN_CHART, state="visible", timeout=timeout * 1000)
        seen = now() - t0
        await page.wait_for_selector(CHART, state="visible", timeout=timeout * 1000)
        if i:  # the first visit only fills the returning browser's cache
            first[kind].append(seen)
            ready[kind].append(now() - t0)
        if i < len(visits) - 1:
            await close_page(page)
            if context is not returning:
                await context.close()
    changes: dict[str, list[float]] = {"first_time": [], "again": []}
    built = {"start", "results"}
    sequence = [s for _ in range(STEP_CHANGES) for s in ("reflection", "cases", "action_plan", "start", "results")]
    for step in sequence[:STEP_CHANGES]:
        await asyncio.sleep(0.5)
        t0 = now()
        await page.locator(STEP_LINK.format(step=step)).first.click(timeout=timeout * 1000)
        await page.wait_for_selector(f".dol-step-{step}", state="visible", timeout=timeout * 1000)
        changes["again" if step in built else "first_time"].append(now() - t0)
        built.add(step)
    await close_page(page)
    await returning.close()
    every = changes["first_time"] + changes["again"]
    return {
        "first_chart_s": {"median": round(statistics.median(first["new_browser"]), 3),
                          "all": [round(x, 3) for x in first["new_browser"]],
                          "cached_median": round(statistics.median(first["cached"]), 3),
                          "cached_all": [round(x, 3) for x in first["cached"]],
                          "pool_waits_s": [round(x, 1) for x in waits]},
        "app_ready_s": {"median": round(statistics.median(ready["new_browser"]), 3),
                        "all": [round(x, 3) for x in ready["new_browser"]],
                        "cached_median": round(statistics.median(ready["cached"]), 3)},
        "step_change_s": {"median": round(statistics.median(every), 3), "p95": round(pct(every, 0.95), 3),
                          "n": len(every), "first_time": [round(x, 3) for x in changes["first_time"]],
                          "again": [round(x, 3) for x in changes["again"]]},
    }


def single(args: argparse.Namespace, browsers: Browsers, tmp: Path) -> dict[str, Any]:
    server, ready = start_server("dol", make_config(args.config, tmp / "dol-single"), SINGLE_POOL, args.pool_timeout)
    try:
        result: dict[str, Any] = browsers.call(single_visits(browsers, server, args.timeout), args.timeout * 10)
    finally:
        server.stop()
    return {"pool": SINGLE_POOL, "ready": ready, **result}


# -- the run -------------------------------------------------------------------------------------------------------
GOALS: dict[str, Any] = {
    "n": 30, "first_chart_p95_s_max": 8.0, "failures_max": 0, "notes": "all", "memory_max_gb": 6.0,
    "memory_checked": "rss_sum (shared pages counted in every process)", "participant_kernels_left_max": 0,
    "single_first_chart_s_max": 1.0, "single_step_change_s_max": 0.5, "ratio_max": 1.0,
}


def ratios(dol: dict[str, Any], baseline: dict[str, Any]) -> dict[str, Any]:
    """dol / baseline of the p95 first chart per N: of the participants who saw one, and with everyone who did
    not counted at the timeout (they waited at least that long)."""
    result = {}
    for n, ours in dol.items():
        theirs = baseline.get(n)
        if not isinstance(theirs, dict) or "first_chart_s" not in theirs or "first_chart_s" not in ours:
            continue
        entry: dict[str, Any] = {"dol_failures": ours["failures"]["count"],
                                 "baseline_failures": theirs["failures"]["count"]}
        for name in ("all", "all_failures_as_timeout"):
            a, b = ours["first_chart_s"][name], theirs["first_chart_s"][name]
            if a.get("n") and b.get("n"):
                entry["p95_first_chart" if name == "all" else "p95_first_chart_failures_as_timeout"] = round(
                    a["p95"] / b["p95"], 3)
        result[n] = entry
    return result


def goals(result: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    room = result["dol"].get(str(GOALS["n"]))
    if isinstance(room, dict) and "first_chart_s" in room:
        n = room["participants"]
        chart = room["first_chart_s"]["all_failures_as_timeout"]
        out["n30_first_chart_p95"] = chart.get("n") == n and chart["p95"] <= GOALS["first_chart_p95_s_max"]
        out["n30_no_failures"] = room["failures"]["count"] <= GOALS["failures_max"]
        out["n30_all_notes"] = room["notes"]["found"] == n
        out["n30_memory"] = room["memory_peak"]["rss_sum_mib"] * 2**20 <= GOALS["memory_max_gb"] * 1e9
        out["n30_no_participant_kernels_left"] = (room["kernels_after_close"]["participant_kernels_left"]
                                                  <= GOALS["participant_kernels_left_max"])
    single_ = result.get("single")
    if isinstance(single_, dict) and "first_chart_s" in single_:
        out["single_first_chart"] = single_["first_chart_s"]["median"] <= GOALS["single_first_chart_s_max"]
        out["single_step_change_median"] = single_["step_change_s"]["median"] <= GOALS["single_step_change_s_max"]
        out["single_step_change_p95"] = single_["step_change_s"]["p95"] <= GOALS["single_step_change_s_max"]
    compared = [r.get("p95_first_chart_failures_as_timeout") for r in result["ratio"].values()]
    if compared:
        out["ahead_of_plain_voila_every_n"] = all(x is not None and x < GOALS["ratio_max"] for x in compared)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[10, 20, 30], help="room sizes (default 10 20 30)")
    parser.add_argument("--clients", choices=["browser", "protocol", "mixed"], default="mixed")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds per participant (default 180)")
    parser.add_argument("--settle", type=float, default=60.0,
                        help="seconds after the last page closed before the kernels are counted (default 60)")
    parser.add_argument("--pool-timeout", type=float, default=300.0,
                        help="seconds a server may take to start and fill its pool (default 300)")
    parser.add_argument("--skip-baseline", action="store_true", help="no plain voila")
    parser.add_argument("--skip-single", action="store_true", help="no single-participant measurement")
    parser.add_argument("--config", type=Path, default=REPO / "workshop" / "eksempel.toml",
                        help="workshop configuration, copied to a temporary folder (default workshop/eksempel.toml)")
    parser.add_argument("--seed", type=int, default=2026, help="seed of the arrival times")
    parser.add_argument("--out", type=Path, default=None, help="also write the JSON to this file")
    parser.add_argument("--logs", type=Path, default=None, help="keep each server's log in this folder")
    parser.add_argument("--details", action="store_true", help="every participant's figures in the JSON too")
    args = parser.parse_args()
    args.config = args.config.resolve()
    memory = psutil.virtual_memory().total
    result: dict[str, Any] = {
        "benchmark": "room_load",
        "machine": {"cpus": psutil.cpu_count(), "memory_gib": round(memory / 2**30, 1),
                    "platform": platform.platform(), "python": platform.python_version()},
        "settings": {"n": args.n, "clients": args.clients, "timeout_s": args.timeout, "settle_s": args.settle,
                     "arrival_window_s": ARRIVAL_SECONDS, "seed": args.seed},
        "baseline": "plain voila notebooks/workshop.ipynb (stock settings: a kernel started per visit)",
        "dol": {}, "baseline_results": {}, "ratio": {}, "single": None, "goals": GOALS,
    }
    needs_browser = args.clients != "protocol" or not args.skip_single
    browsers = Browsers() if needs_browser else None
    started = now()
    try:
        with tempfile.TemporaryDirectory(prefix="room-load-") as tmp:
            kinds = ["dol"] if args.skip_baseline else ["dol", "voila"]
            for n in args.n:
                for kind in kinds:
                    key = "dol" if kind == "dol" else "baseline_results"
                    try:
                        result[key][str(n)] = room(kind, n, args, browsers if args.clients != "protocol" else None,
                                                   Path(tmp))
                    except Exception as exc:  # a server that did not start: say so, go on with the others
                        result[key][str(n)] = {"error": short(exc)}
                    print(f"room_load: {kind} N={n} done after {now() - started:.0f} s", file=sys.stderr, flush=True)
            if not args.skip_single and browsers is not None:
                try:
                    result["single"] = single(args, browsers, Path(tmp))
                except Exception as exc:
                    result["single"] = {"error": short(exc)}
    finally:
        if browsers is not None:
            browsers.close()
    result["baseline"] = {"server": result.pop("baseline"), **result.pop("baseline_results")}
    result["ratio"] = ratios(result["dol"], result["baseline"])
    result["meets_goals"] = goals(result)
    result["duration_s"] = round(now() - started)
    text = json.dumps(result, indent=2, ensure_ascii=False)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
