"""The visit a page's kernel serves: the address the participant opened (``?step=…&lang=…``).

Without preheated kernels Voila starts a kernel per visit and puts the address's query in its environment
(``QUERY_STRING``). A preheated kernel runs the notebook before anyone visits; Voila then sends the visit's
request over a websocket (``/voila/query/<kernel id>``) once a page takes the kernel. Voila's own helper for this
(``voila.utils.wait_for_request``) blocks the notebook until the visit and imports the Jupyter server into every
kernel (about 4 s of CPU each here); this module reads the same message with tornado, which the kernel has
loaded anyway, on the kernel's event loop, so that the app is built before the visit and the visit is applied
when it comes.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from collections.abc import Callable
from urllib.parse import parse_qs

from dol_toolkit.apps import _timers
from dol_toolkit.runtime import from_server

log = logging.getLogger("dol_toolkit.apps.visit")

Query = dict[str, str]


def parse_query(query: str) -> Query:
    """``step=results&lang=en`` -> {"step": "results", "lang": "en"} (the last value of a repeated key)."""
    return {key: values[-1] for key, values in parse_qs(query.lstrip("?")).items() if values}


def preheated() -> bool:
    return os.environ.get("VOILA_PREHEAT", "False") == "True" and bool(os.environ.get("VOILA_KERNEL_ID"))


def current_query() -> Query:
    """The visit's query when it is already known (a kernel started for the visit), else {}."""
    return parse_query(os.environ.get("QUERY_STRING", ""))


def _query_url() -> str:
    return from_server().local_url(f"voila/query/{os.environ['VOILA_KERNEL_ID']}", scheme="ws")


async def _receive_visit() -> Query | None:
    from tornado.websocket import websocket_connect

    connection = await websocket_connect(_query_url(), connect_timeout=30)
    try:
        message = await connection.read_message()
    finally:
        connection.close()
    if message is None:
        return None
    info = json.loads(message)
    for name, value in info.items():  # as Voila's helper does: the visit's request, for code that reads it
        os.environ[str(name)] = str(value)
    return parse_query(str(info.get("QUERY_STRING", "")))


def on_visit(callback: Callable[[Query], None]) -> None:
    """Call ``callback`` with the visit's query: at once when it is known, else when the visit comes (on the
    kernel's event loop, where widget callbacks run). Outside Voila it is called with {} at once."""
    if not preheated():
        callback(current_query())
        return
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # no event loop (plain Python): there is no visit to wait for
        callback(current_query())
        return

    async def wait() -> None:
        try:
            query = await _receive_visit()
        except Exception:
            log.exception("the visit's address could not be read; the page keeps its defaults")
            query = None
        callback(query or {})

    _timers.spawn(loop, wait())
