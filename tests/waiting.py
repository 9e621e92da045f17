"""Waiting on a server the tests started: on a condition, never a fixed time, and when the wait gives up, a
message that says what was seen (the last answer, the process, the port, the machine's load, the log's end)."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psutil


def log_tail(log: Path | None, chars: int = 3000) -> str:
    if log is None or not log.exists():
        return "(no log)"
    return log.read_text(encoding="utf-8", errors="replace")[-chars:]


def machine_state() -> str:
    memory = psutil.virtual_memory()
    return f"load average {tuple(round(x, 2) for x in os.getloadavg())}, memory available " \
           f"{memory.available // 2**20} MiB of {memory.total // 2**20} MiB"


def port_state(port: int) -> str:
    """Who listens on ``port`` now, as far as this user may see."""
    try:
        holders = [c for c in psutil.net_connections("tcp") if c.laddr and c.laddr.port == port]
    except psutil.AccessDenied:
        return f"port {port}: (connections not readable)"
    if not holders:
        return f"port {port}: nobody listens"
    return f"port {port}: " + ", ".join(f"{c.status} pid {c.pid}" for c in holders)


def wait_until(check: Callable[[], Any], *, timeout: float, what: str, process: subprocess.Popen[Any] | None = None,
               log: Path | None = None, port: int | None = None, interval: float = 0.3) -> Any:
    """Call ``check`` until it returns something true (returned) or ``timeout`` seconds have passed. An exception
    from ``check`` counts as "not yet". A ``process`` that exits ends the wait at once. Gives up with an
    AssertionError naming ``what``, the last thing ``check`` said, and the process, port, load and log."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while True:
        try:
            result = check()
            if result:
                return result
            last = result
        except Exception as exc:
            last = exc
        ended = process is not None and process.poll() is not None
        if ended or time.monotonic() >= deadline:
            state = [f"last seen: {last!r}", machine_state()]
            if process is not None:
                state.append(f"process {process.pid}: " + (f"exited with {process.returncode}" if ended else "running"))
            if port is not None:
                state.append(port_state(port))
            reason = "the process ended" if ended else f"not within {timeout:.0f} s"
            raise AssertionError(f"{what}: {reason}\n" + "\n".join(state) + f"\nlog (end):\n{log_tail(log)}")
        time.sleep(interval)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def no_redirect_opener() -> urllib.request.OpenerDirector:
    """An opener that returns a redirect as it is (its status and Location) instead of following it."""
    return urllib.request.build_opener(_NoRedirect)


def http_status(url: str, timeout: float = 5) -> int:
    """The HTTP status ``url`` answers with, redirects not followed."""
    try:
        with no_redirect_opener().open(url, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def stops_with_the_test(sig: int = signal.SIGINT) -> Callable[[], None]:
    """A ``preexec_fn`` for a server a test starts in its own session: the kernel sends it ``sig`` (Ctrl-C, so it
    shuts its kernels down) when the test process dies without its teardown, e.g. a killed or timed-out run, so no
    server outlives the run that started it (Linux; elsewhere the teardown alone stops it)."""

    def arm() -> None:
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, sig, 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass

    return arm


@contextlib.contextmanager
def no_borrowed_event_loop() -> Iterator[None]:
    """Code run in here sees no running asyncio loop, as in a plain Python process.

    Playwright's sync API runs its event loop in a greenlet of the main thread, so after the session's browser
    has started, ``asyncio.get_running_loop()`` in test code returns Playwright's loop. An app made in the test
    process then schedules its timers (autosave, the notes' poll) on that loop, where they run only while
    Playwright is pumping it: a test waiting for a poll waits in vain, and an app left running blocks the loop of
    a later browser test. Tests that do not drive the browser run with the loop hidden."""
    loop = asyncio.events._get_running_loop()
    if loop is None:
        yield
        return
    asyncio.events._set_running_loop(None)
    try:
        yield
    finally:
        asyncio.events._set_running_loop(loop)
