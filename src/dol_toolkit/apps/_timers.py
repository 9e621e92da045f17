"""Everything the apps run later, in one place: one-off timers (autosave, a retry, a personal view's idle close,
building steps ahead), pollers (other people's saves), tasks on the kernel's event loop (the visit), and the
saves waiting for a timer that must not be lost when the kernel stops.

Code calls these through the module (``_timers.call_later(...)``), so that a test can watch or cancel every timer
an app starts by patching this module alone.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import threading
import weakref
from collections.abc import Callable, Coroutine
from typing import Any, Protocol

log = logging.getLogger("dol_toolkit.apps.timers")

POLL_SECONDS = 3.0


def call_later(delay: float, callback: Callable[[], None]) -> Callable[[], None]:
    """Run ``callback`` after ``delay`` seconds on the kernel's event loop (the thread widgets live on), or on
    a timer thread where no loop runs (plain Python). Returns a function that cancels it."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        timer = threading.Timer(delay, callback)
        timer.daemon = True
        timer.start()
        return timer.cancel
    handle = loop.call_later(delay, callback)
    return handle.cancel


class NotePoller:
    """Calls ``tick`` (which brings in other people's saves) every ``POLL_SECONDS`` while the app runs."""

    def __init__(self, tick: Callable[[], None]) -> None:
        self.tick = tick
        self._cancel: Callable[[], None] | None = None
        self.running = False

    def start(self) -> None:
        self.running = True
        self._schedule()

    def stop(self) -> None:
        self.running = False
        if self._cancel is not None:
            self._cancel()

    def _schedule(self) -> None:
        if self.running:
            self._cancel = call_later(POLL_SECONDS, self._tick)

    def _tick(self) -> None:
        try:
            self.tick()
        except Exception:
            log.exception("refreshing notes failed")
        finally:
            self._schedule()


class Saver(Protocol):
    def flush(self) -> None: ...


class PendingSaves:
    """Editors (and the action plan) with a save waiting for its timer. When the kernel stops (the tab was
    closed, the server shut down), they save at once instead of losing the last words."""

    def __init__(self) -> None:
        self._savers: weakref.WeakSet[Any] = weakref.WeakSet()

    def add(self, saver: Saver) -> None:
        self._savers.add(saver)

    def discard(self, saver: Saver) -> None:
        self._savers.discard(saver)

    def flush(self) -> None:
        for saver in list(self._savers):
            try:
                saver.flush()
            except Exception:  # the process is ending; say what was not saved
                log.exception("a pending note could not be saved on shutdown")


PENDING = PendingSaves()
atexit.register(PENDING.flush)


def mark_pending(saver: Saver) -> None:
    PENDING.add(saver)


def mark_done(saver: Saver) -> None:
    PENDING.discard(saver)


_TASKS: set[asyncio.Task[None]] = set()


def spawn(loop: asyncio.AbstractEventLoop, work: Coroutine[Any, Any, None]) -> None:
    """Run ``work`` as a task on ``loop``, kept until it is done (the loop holds only a weak reference)."""
    task = loop.create_task(work)
    _TASKS.add(task)
    task.add_done_callback(_TASKS.discard)
