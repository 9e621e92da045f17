"""The server's log: no secret in it, and nothing that means nothing to a facilitator.

Every log record the server process makes has the server's secrets (the --lan token, the restart secret) and
any token in an address taken out before it is written, whatever its logger, route or status (Jupyter's access
log scrubs only its own line; tornado's warning for a refused request writes the whole address).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

SCRUBBED = "[secret]"
_TOKEN_IN_TEXT = (
    re.compile(r"(?i)((?:access_)?token=)[^&\s\"'#<>]+"),
    re.compile(r"(?i)((?:access_)?token%3D)[^&%\s\"'#<>]+"),
    re.compile(r"(?i)\b(authorization:?\s*(?:token|bearer)\s+)[^\s\"',}]+"),
)
# The secrets taken out of every record. The log record factory is the process's own (logging has one), so the
# secrets it knows are the process's too.
_SECRETS: set[str] = set()


def scrub(text: str) -> str:
    """``text`` without the server's secrets and without any token in an address (``?token=...``)."""
    for secret in _SECRETS:
        text = text.replace(secret, SCRUBBED)
    for pattern in _TOKEN_IN_TEXT:
        text = pattern.sub(lambda match: match.group(1) + SCRUBBED, text)
    return text


def _scrubbed(record: logging.LogRecord) -> logging.LogRecord:
    try:
        message = record.getMessage()
    except Exception:  # a record whose arguments do not fit its message: logging reports it as it would
        return record
    clean = scrub(message)
    if clean != message:
        record.msg, record.args = clean, None
    if record.exc_info and not record.exc_text:
        record.exc_text = scrub(logging.Formatter().formatException(record.exc_info))
    return record


def scrub_logs(*secrets_: str | None) -> None:
    """From now on, every log record of this process is scrubbed (:func:`scrub`); ``secrets_`` are added to the
    secrets taken out."""
    _SECRETS.update(s for s in secrets_ if s and len(s) >= 8)
    factory = logging.getLogRecordFactory()
    if getattr(factory, "dol_scrubs", False):
        return

    def make(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return _scrubbed(factory(*args, **kwargs))

    make.dol_scrubs = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(make)


# What Jupyter says that means nothing to a facilitator (our notebooks hold no output to trust; the ping
# settings are Voila's own), and what a stopping server's kernels say as they go.
NOISE = ("is not trusted", "websocket_ping_timeout")
CALM_LOGGERS = ("tornado.general", "tornado.application", "asyncio", "traitlets")


class Calm(logging.Filter):
    """Drops Jupyter's messages in :data:`NOISE`, and once the server is stopping (``stopping()``) every error of
    a kernel that is being shut down (a page still being made for the room when Ctrl-C comes ends in
    DeadKernelError)."""

    def __init__(self, stopping: Callable[[], bool] = lambda: False) -> None:
        super().__init__()
        self.stopping = stopping

    def filter(self, record: logging.LogRecord) -> bool:
        if self.stopping() and record.levelno >= logging.WARNING:
            return False
        message = record.getMessage() if isinstance(record.msg, str) else str(record.msg)
        return not any(part in message for part in NOISE)


def calm_logs(app_log: logging.Logger, stopping: Callable[[], bool]) -> Calm:
    """Put a :class:`Calm` filter on the app's log and Jupyter's and tornado's loggers; return it."""
    calm = Calm(stopping)
    app_log.addFilter(calm)
    for name in CALM_LOGGERS:
        logging.getLogger(name).addFilter(calm)
    return calm
