"""In a page's kernel, the toolkit's log lines go to the terminal running ``dol serve``, never to the page.

A kernel's ``sys.stderr`` is ipykernel's stream to the page: Python's logging (without a handler of its own,
its last-resort handler writes warnings to ``sys.stderr``) sent the room's warnings ("wrong personal code: 3 in a
row on this page ...") to the participant's browser, and the facilitator never saw them. Here the
``dol_toolkit`` loggers get a handler of their own that writes to the kernel process's real stderr, the one it
inherited from the server: ipykernel keeps a copy of it (``fileno()`` of its stream) when it captures the
process's output, else it is ``sys.__stderr__``. Lines carry the kernel's id, so a facilitator can tell pages
apart. Outside a kernel (the CLI, tests) nothing changes.
"""

from __future__ import annotations

import io
import logging
import os
import sys
from typing import TextIO

LOGGER = "dol_toolkit"
LEVEL = logging.WARNING
FORMAT = "[dol %(asctime)s %(levelname)s page %(kernel)s] %(message)s"


class _KernelId(logging.Filter):
    def __init__(self, kernel: str) -> None:
        super().__init__()
        self.kernel = kernel

    def filter(self, record: logging.LogRecord) -> bool:
        record.kernel = self.kernel
        return True


def _kernel_stream() -> TextIO | None:
    """The kernel process's own stderr (the server's terminal), or None outside a kernel."""
    try:
        from ipykernel.iostream import OutStream
    except ImportError:  # pragma: no cover - ipykernel comes with Voila
        return None
    page = sys.stderr
    if not isinstance(page, OutStream):
        return None
    try:
        fd = int(page.fileno())  # type: ignore[no-untyped-call]  # the copy of the real stderr ipykernel made before it captured fd 2
    except (io.UnsupportedOperation, OSError, ValueError):  # not captured: fd 2 itself is the real stderr
        real = sys.__stderr__
        if real is None or isinstance(real, OutStream):
            return None
        try:
            fd = real.fileno()
        except (io.UnsupportedOperation, OSError, ValueError):
            return None
    try:
        return open(os.dup(fd), "w", encoding="utf-8", errors="replace", buffering=1)
    except OSError:
        return None


def _kernel_id() -> str:
    """The kernel's id (from its connection file's name), shortened; '?' when unknown."""
    try:
        from ipykernel.kernelapp import IPKernelApp

        if IPKernelApp.initialized():
            name = os.path.basename(IPKernelApp.instance().connection_file)
            return name.removeprefix("kernel-").removesuffix(".json")[:8] or "?"
    except Exception:  # a name only: never keep the page from starting
        return "?"
    return "?"


def to_server_console() -> bool:
    """In a kernel, send the toolkit's log lines (warnings and worse) to the server's terminal instead of the
    page; once per kernel. True when the handler is in place."""
    logger = logging.getLogger(LOGGER)
    if any(getattr(handler, "dol_console", False) for handler in logger.handlers):
        return True
    stream = _kernel_stream()
    if stream is None:
        return False
    handler = logging.StreamHandler(stream)
    handler.dol_console = True  # type: ignore[attr-defined]
    handler.setLevel(LEVEL)
    handler.setFormatter(logging.Formatter(FORMAT, datefmt="%H:%M:%S"))
    handler.addFilter(_KernelId(_kernel_id()))
    logger.addHandler(handler)
    if logger.level == logging.NOTSET or logger.level > LEVEL:
        logger.setLevel(LEVEL)
    logger.propagate = False  # not on to the root logger, whose handlers (if any) write to the page
    return True
