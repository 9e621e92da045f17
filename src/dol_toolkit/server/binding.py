"""A kernel answers only the page it was handed to.

When a page gets its kernel, the page's response sets a secret cookie bound to that kernel, scoped to the
kernel's own addresses (its websocket and REST path, and its shutdown-on-close). The kernel's websocket opens
only with that cookie and only once at a time; its REST path answers only GET, with the cookie; the shutdown
request needs it too (the handlers, :mod:`dol_toolkit.server.handlers`). Knowing a kernel id (page source, server
log) is not enough. The messages a page may send to its kernel are the widget protocol's (see
:data:`ALLOWED_MESSAGES`); execute, shutdown and interrupt requests are dropped by jupyter_server.
"""

from __future__ import annotations

import contextvars
import secrets
from typing import Any

from jupyter_core.utils import ensure_async

from dol_toolkit.server import voila_internals

# The page handler being served in this task: a kernel handed out or started meanwhile is bound to its page.
VISIT: contextvars.ContextVar[Any] = contextvars.ContextVar("dol_visit_handler", default=None)
COOKIES = ("dol-page-", "dol-close-")  # the kernel's own path, its shutdown-on-close
ALLOWED_MESSAGES = ("comm_open", "comm_msg", "comm_close", "comm_info_request", "kernel_info_request")


class Binding:
    """The secrets of one server's kernels (kernel id -> the secret of the page it was handed to) and their open
    websockets (at most one each)."""

    def __init__(self) -> None:
        self.secrets: dict[str, str] = {}
        self.open_sockets: dict[str, int] = {}

    def bind(self, handler: Any, kernel_id: str) -> None:
        """Give the page that ``handler`` is serving the secret of ``kernel_id``."""
        secret = secrets.token_urlsafe(24)
        self.secrets[kernel_id] = secret
        root = handler.settings.get("server_url", "/").rstrip("/")
        # (two names: a response keeps one cookie per name)
        for name, path in ((COOKIES[0], f"{root}/api/kernels/{kernel_id}"),
                           (COOKIES[1], f"{root}/voila/api/shutdown/{kernel_id}")):
            handler.set_cookie(name + kernel_id, secret, path=path, httponly=True, samesite="Strict")

    def bind_visit(self, kernel_id: str) -> None:
        """Bind ``kernel_id`` to the page being served in this task, if any."""
        handler = VISIT.get()
        if handler is not None:
            self.bind(handler, kernel_id)

    def holds_secret(self, handler: Any, kernel_id: str) -> bool:
        secret = self.secrets.get(kernel_id)
        for name in COOKIES:
            given = handler.get_cookie(name + kernel_id)
            if secret and given and secrets.compare_digest(secret, given):
                return True
        return False

    def forget(self, kernel_id: str) -> None:
        self.secrets.pop(kernel_id, None)
        self.open_sockets.pop(kernel_id, None)

    def open_socket(self, kernel_id: str) -> bool:
        """Count a websocket to ``kernel_id``; False (nothing counted) when one is already open."""
        if self.open_sockets.get(kernel_id, 0) > 0:
            return False
        self.open_sockets[kernel_id] = self.open_sockets.get(kernel_id, 0) + 1
        return True

    def close_socket(self, kernel_id: str) -> None:
        count = self.open_sockets.get(kernel_id, 1) - 1
        if count > 0:
            self.open_sockets[kernel_id] = count
        else:
            self.open_sockets.pop(kernel_id, None)


def bind_started_kernels(km: Any, binding: Binding) -> None:
    """A page that finds no pool kernel starts its own (Voila's page handler, ``VOILA_PREHEAT=False``): bound to
    that page too. Pool kernels (started for no page yet) are bound when handed out
    (:func:`dol_toolkit.server.pool.hand_out_rendered_pages`). A kernel shut down is forgotten."""

    def make_start(start: Any) -> Any:
        async def start_kernel(*args: Any, **kwargs: Any) -> str:
            kernel_id: str = await ensure_async(start(*args, **kwargs))
            if (kwargs.get("env") or {}).get("VOILA_PREHEAT") == "False":
                binding.bind_visit(kernel_id)
            return kernel_id

        return start_kernel

    def make_shutdown(shutdown: Any) -> Any:
        async def shutdown_kernel(kernel_id: str, *args: Any, **kwargs: Any) -> Any:
            try:
                return await ensure_async(shutdown(kernel_id, *args, **kwargs))
            finally:
                binding.forget(kernel_id)

        return shutdown_kernel

    voila_internals.wrap(km, "start_kernel", make_start)
    voila_internals.wrap(km, "shutdown_kernel", make_shutdown)
