"""Browser-test harness: the workshop server started as `make workshop` starts it, and Debian's Chromium.

* The server runs `dol serve` from the project's environment in its own process group; readiness is a static
  file (a GET of a notebook would start a kernel). At the end it gets Ctrl-C (SIGINT) like a facilitator
  would give it, and the tests check that it stopped and left no kernel process behind.
* Chromium is Debian's (`apt-get install chromium`), driven by Playwright; Playwright never downloads a browser.
  Where it is missing the browser tests skip with a message, unless DOL_REQUIRE_BROWSER=1 (set by .ci/run),
  which turns the skip into a failure.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.conftest import CHROMIUM_ARGS, chromium_path, require_chromium  # noqa: F401 (shared)
from tests.ports import free_port
from tests.waiting import log_tail, machine_state, stops_with_the_test, wait_until

READY_PATH = "/voila/templates/lab/static/index.css"
# The workshop is one page; its steps are switched inside it and named in the address.
WORKSHOP = "/voila/render/workshop.ipynb"
RESULTS = WORKSHOP + "?step=results"
REFLECTION = WORKSHOP + "?step=reflection"
CASES = WORKSHOP + "?step=cases"
PLAN = WORKSHOP + "?step=action_plan"
# Pages the test server keeps ready (the example workshop asks for 10; the tests need fewer).
TEST_PARTICIPANTS = 3
# How long a test waits for a page to load and show its content. A first visit may wait for a kernel to start and
# its page to run; on a loaded CI machine (two test workers, several servers, Chromium) that took over 90 s. The
# waits are on conditions: a page that loads sooner ends the wait sooner.
FIRST_LOAD_MS = 240_000
# How long a test waits for a server it started to answer at all (its content prepared, Voila listening).
SERVER_START_S = 240



@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    seen_kernels: set[int] = field(default_factory=set)

    def kernels(self) -> list[psutil.Process]:
        """Kernel processes the server runs now."""
        try:
            children = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []
        found = []
        for child in children:
            try:
                if "ipykernel" in " ".join(child.cmdline()):
                    found.append(child)
            except psutil.NoSuchProcess:
                continue
        self.seen_kernels.update(k.pid for k in found)
        return found

    def wait_for_kernels(self, at_most: int, timeout: float = 30) -> int:
        """Wait until the server runs at most ``at_most`` kernels (or the time is up); the count then."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.kernels()) > at_most:
            time.sleep(0.3)
        return len(self.kernels())

    def status(self) -> dict[str, int]:
        """The server's own count of ready pages (``/dol/status``)."""
        with urllib.request.urlopen(self.url + "/dol/status", timeout=10) as response:
            counts: dict[str, int] = json.loads(response.read())
            return counts

    def wait_for_pool(self, timeout: float = 300) -> int:
        """Wait until the server's pages for the room are ready (preheated kernels that have run the workshop
        page), so that a visit does not wait for kernels to start on a busy machine; the kernel count then."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                counts = self.status()
            except OSError:  # a busy server may not answer within the status request's time: ask again
                counts = {"ready": 0, "target": 1}
            if counts["ready"] >= counts["target"]:
                break
            time.sleep(0.5)
        return len(self.kernels())

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def open(self, page: Any, path: str, ready: str) -> Any:
        """Go to ``path`` in ``page`` and wait until ``ready`` is on it (up to FIRST_LOAD_MS). A page that does not
        load fails with what the server was doing: its ready pages, its kernels, the machine's load, its log."""
        problems: list[str] = []  # what the page's own console said went wrong, for the report

        def heard(message: Any) -> None:
            if message.type in ("error", "assert"):
                problems.append(f"console {message.type}: {message.text[:300]}")

        def failed(error: Any) -> None:
            problems.append(f"page error: {str(error)[:300]}")

        page.on("console", heard)
        page.on("pageerror", failed)
        try:
            page.goto(self.url + path, timeout=FIRST_LOAD_MS)
            page.wait_for_selector(ready, timeout=FIRST_LOAD_MS)
        except PlaywrightTimeoutError as error:
            try:
                counts: Any = self.status()
            except OSError as status_error:
                counts = f"no answer ({status_error})"
            raise AssertionError(
                f"{path} did not show {ready!r} within {FIRST_LOAD_MS // 1000} s: {error.message.splitlines()[0]}\n"
                f"the page shows: {shown_text(page)!r}\n"
                f"its console: {problems[-10:] or 'no errors'}\n"
                f"server status {counts}, {len(self.kernels())} kernels, {machine_state()}\n"
                f"server log (end):\n{log_tail(self.log)}") from error
        finally:
            page.remove_listener("console", heard)
            page.remove_listener("pageerror", failed)
        return page


def shown_text(page: Any) -> str:
    """The start of what a page shows (for a failure's report), or why it could not be read."""
    try:
        text = page.evaluate("() => document.body ? document.body.innerText.replace(/\\s+/g, ' ') : ''")
    except Exception as exc:  # a closed or crashed page: say so, the report goes on
        return f"(not readable: {type(exc).__name__})"
    return str(text)[:400]


def dol_command() -> list[str]:
    """`dol` from the environment running the tests: the same entry point `make workshop` runs."""
    script = Path(sys.executable).parent / "dol"
    return [str(script)] if script.exists() else [sys.executable, "-m", "dol_toolkit.cli"]


def start_server(repo: Path, log: Path, extra: list[str] | None = None, port: int | None = None,
                 ready_pool: bool = False) -> Server:
    """`dol serve [extra] --port PORT`, as `make workshop` runs it, from the repository folder; with
    ``ready_pool``, also wait until its pages for the room are ready. A server that fails to start is stopped."""
    port = port or free_port()
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:  # each test worker its own log: two workers may each start the session's server
        log = log.with_name(f"{log.stem}-{worker}{log.suffix}")
    handle = log.open("wb")
    process = subprocess.Popen(
        [*dol_command(), "serve", *(extra or []), "--port", str(port)],
        cwd=repo,
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=stops_with_the_test(),
    )
    server = Server(url=f"http://127.0.0.1:{port}", process=process, log=log)

    def answers() -> bool:  # with --lan, a 403 without the token is an answer too
        try:
            with urllib.request.urlopen(server.url + READY_PATH, timeout=5) as response:
                return response.status == 200
        except urllib.error.HTTPError:
            return True

    try:
        wait_until(answers, timeout=SERVER_START_S, what=f"dol serve {' '.join(extra or [])} answering on {server.url}",
                   process=process, log=log, port=port)
        if ready_pool:
            server.wait_for_pool()
    except BaseException:
        stop_server(server)
        left_behind(server)
        raise
    return server


def left_behind(server: Server, seconds: float = 30) -> list[tuple[int, int, str]]:
    """The server's kernels still running ``seconds`` after it stopped (pid, parent, command), killed then. A
    kernel whose server has gone notices within about a second (ipykernel polls its parent) and exits; one still
    there after the wait is left behind."""
    deadline = time.monotonic() + seconds

    def alive() -> list[int]:
        found = []
        for pid in server.seen_kernels:
            try:
                if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                    found.append(pid)
            except psutil.NoSuchProcess:
                continue
        return found

    while alive() and time.monotonic() < deadline:
        time.sleep(0.2)
    leaked = []
    for pid in alive():
        try:
            process = psutil.Process(pid)
            leaked.append((pid, process.ppid(), " ".join(process.cmdline())[:200]))
            process.kill()
        except psutil.NoSuchProcess:
            continue
    return leaked


# How long Ctrl-C may take to stop a server: it shuts its kernels down (20 s at most), then kills what is left and
# waits up to 10 s for each round of that, twice.
STOP_S = 60


def stop_server(server: Server) -> int | None:
    """Ctrl-C, as a facilitator stops it; returns the exit code (None if it had to be killed: then what the server
    and the machine were doing is in the test's output)."""
    server.kernels()
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGINT)
        try:
            return server.process.wait(timeout=STOP_S)
        except subprocess.TimeoutExpired:
            print(f"dol serve on {server.url} did not stop within {STOP_S} s of Ctrl-C; {len(server.kernels())} "
                  f"kernels, {machine_state()}\nserver log (end):\n{log_tail(server.log)}")
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait()
            return None
    return server.process.returncode


@dataclass
class Workshop:
    """A copy of the example workshop in a temporary folder, with fresh personal codes the tests know."""

    config: Path
    codes: dict[str, str]
    data_file: Path
    notes: Path


@pytest.fixture(scope="session")
def workshop(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Workshop:
    from dol_toolkit.workshop import load_config, write_codes

    folder = tmp_path_factory.mktemp("workshop")
    text = (repo / "workshop" / "eksempel.toml").read_text(encoding="utf-8")
    text = text.replace('file = "../data/samples/', f'file = "{repo}/data/samples/')
    text = text.replace('database = "../var/eksempel-notes.sqlite"', 'database = "notes.sqlite"')
    text = text.replace("participants = 10", f"participants = {TEST_PARTICIPANTS}")
    config = folder / "eksempel.toml"
    config.write_text(text, encoding="utf-8")
    codes = write_codes(config)
    loaded = load_config(config)
    from dol_toolkit.notes import NoteKey, SQLiteNoteStore

    store = SQLiteNoteStore(loaded.notes_database)  # a real notes database, which routes must never serve
    store.save(NoteKey(loaded.name, "reflection:technologies"), "Gruppens note fra testen", 0)
    store.close()
    return Workshop(config=config, codes=codes, data_file=loaded.data_file, notes=loaded.notes_database)


def open_close_cycles(browser, server: Server, open_page, cycles: int) -> tuple[int, int]:
    """Open an app in a new tab and close it ``cycles`` times (after one warm-up visit, so the pool of preheated
    kernels is at its normal size). Returns the kernel count before the cycles and after they settled."""
    context = browser.new_context()
    try:
        warm = context.new_page()
        open_page(warm, server)
        warm.close(run_before_unload=True)
        server.wait_for_pool()  # the pool refills after its kernel was taken
        server.wait_for_kernels(server.status()["target"], timeout=60)
        baseline = len(server.kernels())
        for _ in range(cycles):
            page = context.new_page()
            open_page(page, server)
            assert len(server.kernels()) >= 1
            page.close(run_before_unload=True)
        return baseline, server.wait_for_kernels(baseline, timeout=300)
    finally:
        context.close()


@pytest.fixture(scope="session")
def workshop_server(repo: Path, artifacts: Path, workshop: Workshop) -> Iterator[Server]:
    server = start_server(repo, artifacts / "workshop-server.log", [str(workshop.config)], ready_pool=True)
    yield server
    code = stop_server(server)
    leaked = left_behind(server)
    assert code is not None, f"dol serve did not stop on Ctrl-C within {STOP_S} s"
    assert not leaked, f"kernels left running after the server stopped: {leaked}"


@pytest.fixture
def requests_seen() -> list[str]:
    """Every URL the test's page requested (http, https and websockets), in order."""
    return []


@pytest.fixture
def page(browser, requests_seen):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="da-DK")
    context.on("request", lambda request: requests_seen.append(request.url))
    context.on("websocket", lambda ws: requests_seen.append(ws.url))
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    pg.set_default_navigation_timeout(FIRST_LOAD_MS)  # a first visit may wait for a kernel on a busy machine
    yield pg
    context.close()


@pytest.fixture
def contexts(browser):
    """New browser contexts (separate visitors, Danish, downloads allowed); all closed at the end of the test."""
    made = []

    def make():
        context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="da-DK",
                                      accept_downloads=True)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()
