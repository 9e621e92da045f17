"""The test harness's own promise: a server a test starts does not outlive a test process that dies without its
teardown (a killed or timed-out run)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import time

import psutil
import pytest

from tests.waiting import wait_until

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_server_started_by_a_killed_test_process_stops_too(tmp_path):
    # A stand-in for a test worker: it starts a "server" in its own session, as start_server does, prints its pid
    # and waits to be killed.
    pid_file = tmp_path / "server.pid"
    worker = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import subprocess, sys, time
        sys.path.insert(0, {REPO_ROOT!r})
        from tests.waiting import stops_with_the_test
        server = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"],
                                  start_new_session=True, preexec_fn=stops_with_the_test())
        open({str(pid_file)!r}, "w").write(str(server.pid))
        time.sleep(600)
    """)])
    try:
        wait_until(lambda: pid_file.exists() and pid_file.read_text().strip() != "", timeout=60,
                   what="the stand-in server's pid")
        server = psutil.Process(int(pid_file.read_text()))
        assert server.is_running()
        worker.send_signal(signal.SIGKILL)  # no teardown runs
        worker.wait(timeout=60)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and server.is_running() and server.status() != psutil.STATUS_ZOMBIE:
            time.sleep(0.1)
        assert not server.is_running() or server.status() == psutil.STATUS_ZOMBIE, \
            "the server outlived the test process that started it"
    finally:
        if worker.poll() is None:
            worker.kill()
        if pid_file.exists():
            with contextlib.suppress(psutil.Error, ValueError):
                psutil.Process(int(pid_file.read_text())).kill()


def test_without_the_guard_the_server_would_outlive_it():
    """The guard is what stops it: a plain child in its own session survives its parent's death (so the test
    above can fail)."""
    parent = subprocess.Popen([sys.executable, "-c", textwrap.dedent("""
        import subprocess, sys
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"], start_new_session=True)
        print(child.pid, flush=True)
    """)], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    pid = int(parent.stdout.readline())
    parent.wait(timeout=60)
    child = psutil.Process(pid)
    try:
        time.sleep(0.5)
        assert child.is_running() and child.status() != psutil.STATUS_ZOMBIE
    finally:
        child.kill()



def test_an_app_timer_in_a_test_runs_also_after_the_browser_started():
    """After Playwright's sync API started (the session's browser), test code sees its event loop as running; an
    app's timer (autosave, the notes' poll) made there would wait for Playwright to pump it. Hidden, it runs on
    its own, as in a plain Python process."""
    import asyncio
    import threading

    from playwright.sync_api import sync_playwright

    from dol_toolkit.apps._timers import call_later
    from tests.waiting import no_borrowed_event_loop

    playwright = sync_playwright().start()
    try:
        borrowed = asyncio.events._get_running_loop()
        assert borrowed is not None, "Playwright's loop is what the test code sees (the case this guards against)"
        fired = threading.Event()
        with no_borrowed_event_loop():
            call_later(0.05, fired.set)
            assert fired.wait(timeout=60), "the timer did not run"
        assert asyncio.events._get_running_loop() is borrowed  # given back for the browser tests
    finally:
        playwright.stop()
