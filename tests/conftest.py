"""Shared test fixtures."""

from __future__ import annotations

import os
import re
import shutil
import signal
from collections import OrderedDict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import matplotlib
import pytest

matplotlib.use("Agg")

# The tests stop the servers they start with Ctrl-C (SIGINT), as a facilitator does. A test run started where
# SIGINT is ignored (a background job of a shell without job control, e.g. `(make test &)`) passes that on to
# every server it starts, which then cannot be stopped that way: give SIGINT back its default before any starts.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session", autouse=True)
def _content_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The workshop content cache of this test run (servers and kernels the tests start inherit it)."""
    path = tmp_path_factory.mktemp("dol-cache")
    os.environ["DOL_CACHE_DIR"] = str(path)
    return path


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where tests leave files for people to look at (screenshots): $DOL_ARTIFACTS or ./artifacts."""
    path = Path(os.environ.get("DOL_ARTIFACTS", REPO / "artifacts"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(autouse=True)
def _own_event_loop(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test that does not drive the browser does not see Playwright's event loop (tests/waiting.py)."""
    if "browser" in request.fixturenames:
        yield
        return
    from tests.waiting import no_borrowed_event_loop

    with no_borrowed_event_loop():
        yield


@pytest.fixture(autouse=True)
def _no_app_timer_outlives_its_test(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every timer an app made in the test process started (autosave, the notes' poll, the personal view's idle
    close) is cancelled when its test ends: an app a test left running went on polling its notes database, in
    the tests that followed, after the database was gone."""
    from dol_toolkit.apps import _timers

    cancels: list[Callable[[], None]] = []
    pollers: list[_timers.NotePoller] = []
    call_later, start = _timers.call_later, _timers.NotePoller.start

    def tracked_call_later(delay: float, callback: Callable[[], None]) -> Callable[[], None]:
        cancel = call_later(delay, callback)
        cancels.append(cancel)
        return cancel

    def tracked_start(self: _timers.NotePoller) -> None:
        pollers.append(self)
        start(self)

    monkeypatch.setattr(_timers, "call_later", tracked_call_later)
    monkeypatch.setattr(_timers.NotePoller, "start", tracked_start)
    yield
    for poller in pollers:
        poller.stop()
    for cancel in cancels:
        cancel()


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


# -- Two test workers (make test: pytest -n 2 --dist loadscope) -----------------------------------------------------
# A module's tests run in one worker, so a module-scoped server or document set is made once, not once per worker;
# the modules that use the session's workshop server (tests/browser/conftest.py) run in one worker together, so it
# is started once. The modules that start servers and Chromium go first, the longest work at the start.
#
# Not pytest-xdist's --dist loadgroup with xdist_group marks: with pytest 9 its groups are silently ignored (it
# writes the group into a node id field pytest no longer reads; pytest-xdist issue 1386), which spread the browser
# tests over both workers and started their servers twice.
_SHARED_SERVER = "workshop_server"


def _modules_using(fixture: str) -> frozenset[str]:
    """The test modules (node id of the module) with a test or fixture that asks for ``fixture`` by name."""
    pattern = re.compile(rf"^def \w+\([^)]*\b{fixture}\b", re.MULTILINE)  # a test, or a fixture of the module
    return frozenset(path.relative_to(REPO).as_posix() for path in (REPO / "tests").rglob("test_*.py")
                     if pattern.search(path.read_text(encoding="utf-8")))


def _make_scheduler(config: pytest.Config, log: Any) -> Any:
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    shared = _modules_using(_SHARED_SERVER)

    class _ServersFirst(OrderedDict):  # type: ignore[type-arg]
        """The work queue: the next unit is the first of the heaviest (servers and Chromium, then most tests)."""

        def popitem(self, last: bool = True) -> tuple[str, dict[str, bool]]:
            if last:
                return super().popitem(last=True)
            key = max(self, key=lambda scope: (scope == _SHARED_SERVER or scope.startswith("tests/browser/"),
                                               len(self[scope])))
            return key, self.pop(key)

    class SharedServerScheduling(LoadScopeScheduling):
        def __init__(self, config: pytest.Config, log: Any = None) -> None:
            super().__init__(config, log)
            self.workqueue = _ServersFirst()

        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return _SHARED_SERVER if module in shared else module

    return SharedServerScheduling(config, log)


class _Scheduler:
    """pytest-xdist's scheduler hook, registered only where pytest-xdist is loaded (a plain ``pytest -p no:xdist``
    does not know the hook)."""

    @staticmethod
    def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
        return _make_scheduler(config, log)


def pytest_configure(config: pytest.Config) -> None:
    if config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(_Scheduler(), "dol-scheduler")


# -- PDF: WeasyPrint needs the Pango library ------------------------------------------------------------------
@pytest.fixture(scope="session")
def pdf_ready() -> None:
    """Skip with how to install Pango where WeasyPrint cannot load it; fail instead under DOL_REQUIRE_PDF=1 (CI,
    whose .ci/run installs it)."""
    from dol_toolkit.export._pdf import PdfUnavailable, weasyprint_module

    try:
        weasyprint_module()
    except PdfUnavailable as exc:
        if os.environ.get("DOL_REQUIRE_PDF") == "1":
            pytest.fail(f"PDF is required here (DOL_REQUIRE_PDF=1): {exc}")
        pytest.skip(f"PDF tests skipped: {exc}")


# -- PostgreSQL: a throwaway server the tests start themselves ------------------------------------------------
@pytest.fixture(scope="session")
def postgres_server():
    """One PostgreSQL cluster per test worker (tests/postgres_server.py). Skipped with how to install it where
    the server programs are missing; fails instead under DOL_REQUIRE_POSTGRES=1 (CI, whose .ci/run installs
    Debian's postgresql)."""
    from tests.postgres_server import INSTALL_HINT, PostgresServer, find_bindir

    bindir = find_bindir()
    if bindir is None:
        if os.environ.get("DOL_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required here (DOL_REQUIRE_POSTGRES=1): {INSTALL_HINT}")
        pytest.skip(f"PostgreSQL tests skipped: {INSTALL_HINT}")
    server = PostgresServer(bindir)
    yield server
    server.remove()


@pytest.fixture(params=["sqlite", "postgresql"])
def notes_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a test's notes live, once per store: a SQLite file, and a fresh database on the test PostgreSQL."""
    if request.param == "sqlite":
        return str(tmp_path / "notes.sqlite")
    server = request.getfixturevalue("postgres_server")
    return str(server.new_database())


# -- Debian's Chromium through Playwright, one instance for every browser test ---------------------------------
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
def chromium_path() -> str | None:
    if "DOL_CHROMIUM" in os.environ:  # an explicit choice, also used to test the missing-browser path
        value = os.environ["DOL_CHROMIUM"]
        return value if Path(value).is_file() else None
    candidates = [shutil.which("chromium"), "/usr/bin/chromium"]
    return next((c for c in candidates if c and Path(c).is_file()), None)


MISSING_CHROMIUM = (
    "Chromium not found, browser tests skipped. Install Debian's Chromium to run them: "
    "`sudo apt-get install chromium` (or set DOL_CHROMIUM to its path)."
)


def require_chromium() -> str:
    """Chromium's path; skip with how to install it, or fail under DOL_REQUIRE_BROWSER=1 (CI)."""
    path = chromium_path()
    if path is None:
        if os.environ.get("DOL_REQUIRE_BROWSER") == "1":
            pytest.fail("DOL_REQUIRE_BROWSER=1 but " + MISSING_CHROMIUM)
        pytest.skip(MISSING_CHROMIUM)
    return path


@pytest.fixture(scope="session")
def browser():
    path = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


