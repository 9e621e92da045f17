"""Serve the workshop notebooks as apps with Voila, and nothing else.

The workshop runs Voila's standalone server with a narrowed set of routes:

* ``/`` redirects to the landing notebook instead of Voila's file browser;
* the directory tree (``/voila/tree``) and the contents API (``/voila/api/contents``) are removed;
* ``/voila/files/`` serves only images from the notebooks folder (data, configuration and notes live outside it);
* there is no Jupyter server behind it: no ``/api/contents``, ``/api/terminals``, ``/lab`` or ``/files``.

The room: the whole workshop is one page (``workshop.ipynb``, its steps switched inside it), so a participant
is one kernel. The server keeps as many kernels ready as the room has participants (``[room] participants`` or
``--participants``), started in the background before people arrive; a kernel taken by a page is replaced, and
the console says in Danish (or the workshop's language) how many pages are ready. What is the same for everyone
(the imported export, the group's figures and charts) is computed once, before the kernels start, and kept on
disk (:mod:`dol_toolkit.apps._cache`); a page's kernel only reads it.

Kernels are shut down when a tab closes (the page's shutdown request is accepted on localhost), when the server
stops, and when no page has been connected to them for ``RELEASE_SECONDS`` (a page closed before its app
appeared, a plain GET): the preheated ones waiting for a visit are kept.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import json
import logging
import os
import re
import secrets
import signal
import socket
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tornado.ioloop
import tornado.routing
import tornado.web
import voila
from jupyter_core.utils import ensure_async
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.log import log_request
from jupyter_server.services.kernels.handlers import KernelHandler
from voila.app import Voila
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.static_file_handler import TemplateStaticFileHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from dol_toolkit.uploads import UploadSocket, listen_options

if TYPE_CHECKING:
    from dol_toolkit.i18n import Lang

log = logging.getLogger("dol_toolkit.server")

LANDING = "workshop.ipynb"
TEMPLATE = "dol"
CONFIG_ENV = "DOL_WORKSHOP_CONFIG"
DEFAULT_PORT = 8866
DEFAULT_IP = "127.0.0.1"
# Pages ready when the configuration does not say how many participants to expect.
DEFAULT_PARTICIPANTS = 10
# A kernel that no page has been connected to for this long is given back (a page closed before its app appeared,
# a GET that never opened the websocket). Preheated kernels waiting for a visit are not.
RELEASE_SECONDS = 60
# A taken kernel is replaced after this long while the pool still has ready pages, so that a burst of arrivals
# is served before the refills start; once fewer than REFILL_NOW_BELOW are ready, at once.
REFILL_DELAY_SECONDS = 15
REFILL_NOW_BELOW = 2
REFILL_GAP_SECONDS = 1.5
# A visit that finds no page ready in the pool waits this long for the first that is, then takes Voila's choice.
HANDOUT_WAIT_SECONDS = 60
# How long the page's rendering waits for a cell's output once the kernel has said the cell ran (Voila's
# executor; nbclient's default is 4 s). On a busy laptop, a room's kernels starting at once, the widgets' output can
# come later than that: the page was then served without its app, and never showed anything ("Timeout waiting
# for IOPub output" in the console). Normally the output is there at once, so a long wait costs nothing.
OUTPUT_WAIT_SECONDS = 120
# The pages each step had before the workshop became one page: old links land on the step.
OLD_PAGES = {"start.ipynb": "start", "1_resultater.ipynb": "results", "2_refleksion.ipynb": "reflection",
             "3_cases.ipynb": "cases", "4_handlingsplan.ipynb": "action_plan"}
# Routes of stock standalone Voila that show files or folders rather than apps.
_REMOVED_ROUTES = ("/voila/tree", "/voila/api/contents")
# The preparation (step 0, dol_toolkit.apps.preparation): only for requests from this machine, never with --lan.
# Its kernels have the restart secret (they inherit the server's environment); with it, a kernel of this server
# asks the server to serve the configuration it saved (POST /dol/restart): the server shuts its kernels down and
# runs `dol serve` again on it, in the same process, at the same address.
PREPARATION = "preparation.ipynb"
# The notebooks dol serve serves, and nothing else: a notebook a researcher saves beside them (or in a folder
# under them) is neither rendered (404) nor run in a kernel ready for the room.
APPS = (LANDING, PREPARATION)
PREPARATION_ENV = "DOL_PREPARATION"  # "1" where the preparation is served (the landing page offers it)
RESTART_SECRET_ENV = "DOL_RESTART_SECRET"
WORKSHOPS_ENV = "DOL_WORKSHOPS_DIR"
_LOCAL = ("127.0.0.1", "::1")


class _NotFound(tornado.web.RequestHandler):
    def prepare(self) -> None:
        raise tornado.web.HTTPError(404)


# -- only the names the server is meant to answer to (DNS rebinding) ---------------------------------------------
# A web page at http://evil.example:8866 whose name an attacker resolves to this machine (DNS rebinding) is, to the
# browser, its own origin: it could read the workshop's pages and open their kernels. Every request (page, static
# file, websocket, upload, any route, before any handler runs) is therefore answered only when its Host is one of
# the names this server is meant to answer to (loopback names; with --lan this machine's addresses and host
# names; the names given with --host-name; on a hub, the hub's public names), and when the Origin a browser sends
# with it (websockets, scripts' requests, form posts) is the same place. Anything else gets 403.
_LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
_ALL_INTERFACES = ("0.0.0.0", "::", "")
_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


def host_name(value: str) -> str:
    """The name in a Host header or a host name given by the facilitator: lowercase, without port, brackets or
    the trailing dot ("[::1]:8866" -> "::1", "Workshop.Local." -> "workshop.local")."""
    name = value.strip().lower()
    if name.startswith("["):
        name = name[1:].split("]", 1)[0]
    elif name.count(":") == 1:
        name = name.split(":", 1)[0]
    return name.rstrip(".")


def valid_host_name(name: str) -> bool:
    """Whether ``name`` can be a Host name given with ``--host-name``: a DNS name or an IP address, no scheme,
    port, path or space ("workshop.local", "10.0.0.5", "::1"; not "http://workshop.local:8866/")."""
    import ipaddress

    with contextlib.suppress(ValueError):
        ipaddress.ip_address(name)
        return True
    labels = name.rstrip(".").split(".")
    return 0 < len(name) <= 253 and all(re.fullmatch(r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?", label)
                                        for label in labels)


def _split_host(value: str) -> tuple[str, int | None]:
    """(name, port or None) of a Host header's value."""
    name = host_name(value)
    rest = value.strip().rsplit("]", 1)[-1] if value.strip().startswith("[") else value.strip()
    port = rest.rsplit(":", 1)[1] if rest.count(":") == 1 else ""
    return name, int(port) if port.isdigit() else None


def _is_loopback(name: str) -> bool:
    import ipaddress

    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return name == "localhost"


def allowed_hosts(ip: str = DEFAULT_IP, *, lan: bool = False, host_names: tuple[str, ...] = (),
                  hub: bool = False) -> frozenset[str]:
    """The Host names this server answers to: loopback names always; the address it is bound to; bound to every
    interface (``--lan``) this machine's addresses and host name; ``host_names`` (``--host-name``); behind a hub
    the hub's and the service's public names (JUPYTERHUB_PUBLIC_URL, JUPYTERHUB_PUBLIC_HUB_URL, JUPYTERHUB_HOST,
    JUPYTERHUB_SERVICE_URL)."""
    from urllib.parse import urlparse

    names = set(_LOOPBACK_NAMES)
    if ip not in _ALL_INTERFACES:
        names.add(host_name(ip if ":" not in ip else f"[{ip}]"))
    if lan or ip in _ALL_INTERFACES:
        import psutil

        for addresses in psutil.net_if_addrs().values():
            for address in addresses:
                if address.family in (socket.AF_INET, socket.AF_INET6):
                    names.add(address.address.split("%", 1)[0].lower())  # fe80::1%eth0 -> fe80::1
        machine = socket.gethostname().lower()
        names |= {machine, machine.split(".", 1)[0] + ".local"}
    if hub:
        for key in ("JUPYTERHUB_PUBLIC_URL", "JUPYTERHUB_PUBLIC_HUB_URL", "JUPYTERHUB_HOST",
                    "JUPYTERHUB_SERVICE_URL"):
            value = os.environ.get(key, "").strip()
            if value:
                hostname = urlparse(value if "//" in value else f"//{value}").hostname
                if hostname:
                    names.add(host_name(hostname))
    names |= {host_name(name) for name in host_names if host_name(name)}
    names.discard("")
    return frozenset(names)


def host_allowed(host: str, allowed: frozenset[str]) -> bool:
    """Whether a request's Host header names this server (any loopback address does)."""
    name = host_name(host)
    return name in allowed or _is_loopback(name)


def origin_allowed(origin: str, host: str) -> bool:
    """Whether the Origin a browser sent is the page's own place: the same name and port as the request's Host
    (a page of this server talking to it). ``null`` (a sandboxed or opaque origin) is not."""
    from urllib.parse import urlparse

    try:
        parts = urlparse(origin.strip())
        origin_port = parts.port or _DEFAULT_PORTS.get(parts.scheme)
    except ValueError:
        return False
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        return False
    name, port = _split_host(host)
    return host_name(parts.hostname) == name and origin_port == (port or _DEFAULT_PORTS[parts.scheme])


def request_allowed(request: Any, allowed: frozenset[str]) -> bool:
    """The one check every request of the server passes first: its Host is one of ``allowed`` and its Origin,
    when a browser sends one, is that same place."""
    host = request.headers.get("Host") or request.host or ""
    if not host_allowed(host, allowed):
        return False
    origin = request.headers.get("Origin")
    return origin is None or origin_allowed(origin, host)


_REFUSED_SAID: set[str] = set()  # refused names the console has shown (each once)


class _ForeignRequest(tornado.web.RequestHandler):
    """The answer to a request for a name this server is not meant to answer to, or from a foreign page: 403,
    with what to do when the name is the room's own (before any route's handler, so nothing of it runs)."""

    def check_xsrf_cookie(self) -> None:  # nothing is done here, so nothing to protect
        return

    def prepare(self) -> None:
        from dol_toolkit.i18n import as_lang, t

        host = host_name(self.request.headers.get("Host") or self.request.host or "")
        origin = self.request.headers.get("Origin")
        if host_allowed(host, WorkshopVoila.allowed_hosts) and origin is not None:
            key, what = "serve.foreign_origin", origin
        else:
            key, what = "serve.foreign_host", host
        what = re.sub(r"[^\w.:\[\]/-]", "?", what)[:200]
        if what not in _REFUSED_SAID and len(_REFUSED_SAID) < 100:
            _REFUSED_SAID.add(what)
            log.warning(t(key, as_lang(WorkshopVoila.room_lang), name=what))
        self.set_status(403)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(f"{t(key, 'da', name=what)}\n{t(key, 'en', name=what)}\n")


class _ForeignMatcher(tornado.routing.Matcher):
    """Matches the requests :func:`request_allowed` refuses (the first rule of the application's router)."""

    def match(self, request: Any) -> dict[str, Any] | None:
        return None if request_allowed(request, WorkshopVoila.allowed_hosts) else {}


class _TemplateStaticFiles(TemplateStaticFileHandler):  # type: ignore[misc]
    """Voila's template static files, answering 404 (not 500) to paths outside ``<template>/static/``."""

    def parse_url_path(self, path: str) -> str:
        parts = path.split("/", 2)
        if len(parts) < 3 or parts[1] != "static" or ".." in path.split("/"):
            raise tornado.web.HTTPError(404)
        result: str = super().parse_url_path(path)
        return result


# A closed tab's kernel gets this long before it is shut down, so that the last keystrokes already on their way
# reach it and are saved (the notes' autosave waits 0.7 s; a stopping kernel saves what is pending).
SHUTDOWN_GRACE_SECONDS = 2.0


# -- a kernel answers only the page it was handed to -------------------------------------------------------------
# When a page gets its kernel, the page's response sets a secret cookie bound to that kernel, scoped to the
# kernel's own addresses (its websocket and REST path, and its shutdown-on-close). The kernel's websocket opens
# only with that cookie and only once at a time; its REST path answers only GET, with the cookie; the shutdown
# request needs it too. Knowing a kernel id (page source, server log) is not enough. The messages a page may send
# to its kernel are the widget protocol's (see ALLOWED_MESSAGES); execute, shutdown and interrupt requests are
# dropped by jupyter_server.
_PAGE_SECRETS: dict[str, str] = {}  # kernel id -> the secret of the page it was handed to
_OPEN_SOCKETS: dict[str, int] = {}  # kernel id -> open websockets (at most one)
_VISIT: contextvars.ContextVar[Any] = contextvars.ContextVar("dol_visit_handler", default=None)
_COOKIES = ("dol-page-", "dol-close-")  # the kernel's own path, its shutdown-on-close
ALLOWED_MESSAGES = ("comm_open", "comm_msg", "comm_close", "comm_info_request", "kernel_info_request")


def _bind(handler: Any, kernel_id: str) -> None:
    """Give the page that ``handler`` is serving the secret of ``kernel_id``."""
    secret = secrets.token_urlsafe(24)
    _PAGE_SECRETS[kernel_id] = secret
    root = handler.settings.get("server_url", "/").rstrip("/")
    # (two names: a response keeps one cookie per name)
    for name, path in ((_COOKIES[0], f"{root}/api/kernels/{kernel_id}"),
                       (_COOKIES[1], f"{root}/voila/api/shutdown/{kernel_id}")):
        handler.set_cookie(name + kernel_id, secret, path=path, httponly=True, samesite="Strict")


def _holds_secret(handler: Any, kernel_id: str) -> bool:
    secret = _PAGE_SECRETS.get(kernel_id)
    for name in _COOKIES:
        given = handler.get_cookie(name + kernel_id)
        if secret and given and secrets.compare_digest(secret, given):
            return True
    return False


def _forget(kernel_id: str) -> None:
    _PAGE_SECRETS.pop(kernel_id, None)
    _OPEN_SOCKETS.pop(kernel_id, None)


# Voila's page arguments that choose another page template or theme than the workshop's: a page made with
# another template has none of the workshop page's script (no saving on leaving, no closing of its kernel), runs
# in a kernel outside the room's pool, and a template that does not exist never finishes. They are ignored: the
# workshop's own page is served whatever they say (VoilaConfiguration.allow_*_override=NO says the same to Voila).
_IGNORED_ARGUMENTS = ("template", "theme")


class _PageHandler(TornadoVoilaHandler):  # type: ignore[misc]
    """Voila's page handler; the kernel handed to the page is bound to it (see ``_bind``). Only the workshop's
    template and theme are served (see ``_IGNORED_ARGUMENTS``)."""

    async def get(self, path: str | None = None) -> None:
        if (path or "") not in APPS:
            raise tornado.web.HTTPError(404)
        for name in _IGNORED_ARGUMENTS:
            self.request.arguments.pop(name, None)
            self.request.query_arguments.pop(name, None)
        if path == PREPARATION and not _preparation_allowed(self):
            _refuse_preparation(self)
            return
        token = _VISIT.set(self)
        try:
            await super().get(path=path)
        finally:
            _VISIT.reset(token)


class _KernelSocket(UploadSocket, VoilaKernelWebsocketHandler):  # type: ignore[misc]
    """The kernel's websocket: only for the page holding its secret, one connection at a time (room for a large
    export on the preparation's own connections, :mod:`dol_toolkit.uploads`)."""

    async def pre_get(self) -> None:
        kernel_id = self.kernel_id
        if not _holds_secret(self, kernel_id):
            log.warning("refused a websocket to kernel %s without its page's secret", kernel_id)
            raise tornado.web.HTTPError(403)
        if _OPEN_SOCKETS.get(kernel_id, 0) > 0:
            log.warning("refused a second websocket to kernel %s", kernel_id)
            raise tornado.web.HTTPError(403)
        _OPEN_SOCKETS[kernel_id] = _OPEN_SOCKETS.get(kernel_id, 0) + 1
        self._dol_counted = True
        try:
            await super().pre_get()
        except BaseException:
            self._release()
            raise

    def _release(self) -> None:
        if getattr(self, "_dol_counted", False):
            self._dol_counted = False
            count = _OPEN_SOCKETS.get(self.kernel_id, 1) - 1
            if count > 0:
                _OPEN_SOCKETS[self.kernel_id] = count
            else:
                _OPEN_SOCKETS.pop(self.kernel_id, None)

    async def get(self, *args: Any, **kwargs: Any) -> None:
        try:
            await super().get(*args, **kwargs)
        except BaseException:
            self._release()
            raise
        if self.ws_connection is None:  # refused, or a plain request: never became a websocket
            self._release()

    def on_close(self) -> None:
        self._release()
        super().on_close()


class _KernelModel(KernelHandler):
    """``/api/kernels/<id>``: the kernel's model for its own page; never deleted through it (a page's kernel
    ends with the page, through the shutdown-on-close request)."""

    @tornado.web.authenticated
    async def get(self, kernel_id: str) -> None:
        if not _holds_secret(self, kernel_id):
            raise tornado.web.HTTPError(403)
        await ensure_async(super().get(kernel_id))

    @tornado.web.authenticated
    async def delete(self, kernel_id: str) -> None:
        raise tornado.web.HTTPError(403)


class _ShutdownAfterGrace(VoilaShutdownKernelHandler):  # type: ignore[misc]
    """Voila's shutdown-on-close, after a grace period instead of at once; only from the kernel's own page."""

    @tornado.web.authenticated
    async def post(self, kernel_id: str) -> None:
        if not _holds_secret(self, kernel_id):
            raise tornado.web.HTTPError(403)
        manager = self.kernel_manager

        async def shutdown() -> None:
            if kernel_id in manager:
                await ensure_async(manager.shutdown_kernel(kernel_id))
            _forget(kernel_id)

        tornado.ioloop.IOLoop.current().call_later(SHUTDOWN_GRACE_SECONDS, shutdown)
        self.set_status(204)
        self.finish()


class _OldPage(JupyterHandler):
    """A step's former address, redirected to the step in the workshop page (the language kept)."""

    def initialize(self, url: str, step: str) -> None:
        self.url, self.step = url, step

    @tornado.web.authenticated
    def get(self) -> None:
        lang = self.get_argument("lang", "")
        query = f"?step={self.step}" + (f"&lang={lang}" if lang in ("da", "en") else "")
        self.redirect(self.url + query, permanent=False)


class RoomStatus:
    """How many pages are ready for the room, and the console lines that say so."""

    def __init__(self, kernel_manager: Any, notebook: str, target: int, say: Callable[[str], None],
                 lang: str = "da") -> None:
        self.km, self.notebook, self.target, self.say, self.lang = kernel_manager, notebook, target, say, lang
        self.last_said: tuple[int, int] | None = None
        self.last_time = 0.0

    def counts(self) -> dict[str, int]:
        pool = getattr(self.km, "_pools", {}).get(self.notebook, [])
        return {"ready": _ready_in(pool), "target": self.target, "kernels": len(list(self.km.list_kernel_ids()))}

    def tick(self) -> None:
        from dol_toolkit.i18n import as_lang, t

        _replace_failed(self.km, self.notebook)
        counts = self.counts()
        now = time.monotonic()
        key = (counts["ready"], counts["target"])
        full = counts["ready"] >= counts["target"]
        if key == self.last_said or (not full and now - self.last_time < 5):
            return
        self.last_said, self.last_time = key, now
        name = "serve.ready_all" if full else "serve.ready_some"
        self.say(t(name, as_lang(self.lang), ready=counts["ready"], target=counts["target"]))


class _Status(JupyterHandler):
    """``/dol/status``: how many pages are ready (for the facilitator's checks and the room benchmark)."""

    def initialize(self, status: RoomStatus | None) -> None:
        self.status = status

    @tornado.web.authenticated
    def get(self) -> None:
        counts = self.status.counts() if self.status else {"ready": 0, "target": 0, "kernels": 0}
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(counts))


def _started(item: Any) -> bool:
    """A pool item whose kernel has started (its page may still be running)."""
    return bool(item.done() and not item.cancelled() and item.exception() is None)


def _render_of(item: Any) -> Any:
    return item.result().get("task") if _started(item) else None


def _rendered(item: Any) -> bool:
    """A pool item whose page has run without an error in the server: a visit is served at once."""
    render = _render_of(item)
    return bool(render is not None and render.done() and not render.cancelled() and render.exception() is None)


def _failed(item: Any) -> bool:
    """A pool item that can never serve a page: its kernel did not start, or its page's rendering raised."""
    if item.done() and (item.cancelled() or item.exception() is not None):
        return True
    render = _render_of(item)
    return bool(render is not None and render.done() and (render.cancelled() or render.exception() is not None))


def _ready_in(pool: list[Any]) -> int:
    """Pool pages ready to be handed out (the same count RoomStatus prints)."""
    return sum(1 for item in pool if _rendered(item))


def _replace_failed(km: Any, notebook_name: str) -> None:
    """Take the pool's failed pages out (their kernels shut down) and start their replacements at once."""
    if _Calm.stopping:  # the server is stopping: its pages fail because their kernels are being shut down
        return
    pool = getattr(km, "_pools", {}).get(notebook_name, [])
    failed = [item for item in pool if _failed(item)]
    for item in failed:
        pool.remove(item)
        kernel_id = item.result().get("kernel_id") if _started(item) else None
        failed_part = _render_of(item) if _started(item) else item
        reason = "cancelled" if failed_part.cancelled() else failed_part.exception()
        log.warning("a page in the pool failed (%s: %s); it is replaced", kernel_id or "no kernel", reason)
        if kernel_id is not None and kernel_id in km:
            tornado.ioloop.IOLoop.current().add_callback(
                lambda kid=kernel_id: ensure_async(km.shutdown_kernel(kid, now=True)))
    if failed:
        km.fill_if_needed(delay=0, notebook_name=notebook_name)


def _hand_out_rendered_pages(km: Any, wait_seconds: float = HANDOUT_WAIT_SECONDS) -> None:
    """Voila hands a visit the first kernel of the pool, whether its page has run or not, and a kernel whose page
    failed stays in the pool. Here a visit gets a kernel whose page has run (the oldest such); when none has, it
    waits for whichever runs first (up to ``wait_seconds``, then Voila's own choice, which streams the page as it
    runs). A kernel that failed is taken out of the pool and shut down (its replacement starts at once).

    The kernel handed out is marked active: a kernel that waited in the pool for longer than RELEASE_SECONDS would
    otherwise be culled by the next idle check before the visitor's browser had opened its websocket."""
    get = km.get_rendered_notebook
    drop_failed = functools.partial(_replace_failed, km)

    async def get_rendered_notebook(notebook_name: str, *args: Any, **kwargs: Any) -> Any:
        deadline = time.monotonic() + wait_seconds
        while True:
            drop_failed(notebook_name)
            pool = km._pools.get(notebook_name, [])
            if any(_rendered(item) for item in pool) or not pool or time.monotonic() >= deadline:
                break
            pending = [_render_of(item) if _started(item) else item for item in pool]
            await asyncio.wait([asyncio.ensure_future(p) for p in pending if p is not None],
                               timeout=min(1.0, max(0.0, deadline - time.monotonic())),
                               return_when=asyncio.FIRST_COMPLETED)
        pool = km._pools.get(notebook_name, [])
        order = {id(item): i for i, item in enumerate(pool)}
        pool.sort(key=lambda item: (not _rendered(item), not _started(item), order[id(item)]))
        render_task, rendered_cache, kernel_id = await get(notebook_name, *args, **kwargs)
        handler = _VISIT.get()
        if handler is not None:
            _bind(handler, kernel_id)
        kernel = km._kernels.get(kernel_id) if hasattr(km, "_kernels") else None
        if kernel is not None:
            kernel.last_activity = datetime.now(UTC)  # as jupyter_server stamps it
        return render_task, rendered_cache, kernel_id

    km.get_rendered_notebook = get_rendered_notebook


def _bind_started_kernels(km: Any) -> None:
    """A page that finds no pool kernel starts its own (Voila's page handler, ``VOILA_PREHEAT=False``): bound to
    that page too. Pool kernels (started for no page yet) are bound when handed out."""
    start = km.start_kernel

    async def start_kernel(*args: Any, **kwargs: Any) -> str:
        kernel_id: str = await ensure_async(start(*args, **kwargs))
        handler = _VISIT.get()
        if handler is not None and (kwargs.get("env") or {}).get("VOILA_PREHEAT") == "False":
            _bind(handler, kernel_id)
        return kernel_id

    km.start_kernel = start_kernel
    shutdown = km.shutdown_kernel

    async def shutdown_kernel(kernel_id: str, *args: Any, **kwargs: Any) -> Any:
        try:
            return await ensure_async(shutdown(kernel_id, *args, **kwargs))
        finally:
            _forget(kernel_id)

    km.shutdown_kernel = shutdown_kernel


def _refill_soon_when_low(km: Any) -> None:
    """Voila refills its pool a fixed delay after each page takes a kernel, and a page that finds no ready kernel
    waits for the first refill in the pool. Here a refill waits (REFILL_DELAY_SECONDS) only while ready pages
    remain, so that a room arriving at once is served first, and the refills of a burst start one every
    REFILL_GAP_SECONDS rather than all at once while the room works; when fewer than REFILL_NOW_BELOW pages are
    ready the refill starts at once and goes to the front of the pool, so the next arrival gets it."""
    fill = km.fill_if_needed
    due: dict[int, float] = {}  # refill task -> when it starts its kernel

    def fill_if_needed(delay: float | None = None, notebook_name: str | None = None, **kwargs: Any) -> None:
        pool = km._pools.get(notebook_name, [])
        known = {id(task) for task in pool}
        if delay is None:
            ready = _ready_in(pool)
            if ready >= REFILL_NOW_BELOW:
                waiting = len(pool) - ready  # refills already on their way
                delay = REFILL_DELAY_SECONDS + REFILL_GAP_SECONDS * waiting
            else:
                delay = 0
        fill(delay=delay, notebook_name=notebook_name, **kwargs)
        pool = km._pools.get(notebook_name, [])
        for task in pool:
            if id(task) not in known:
                due[id(task)] = time.monotonic() + delay
        live = {id(task) for task in pool}
        for key in [k for k in due if k not in live]:
            del due[key]
        pool.sort(key=lambda task: (not _rendered(task), not task.done(), due.get(id(task), 0.0)))

    km.fill_if_needed = fill_if_needed


async def _has_token(handler: Any) -> bool:
    """Whether a request carries the server's token (``?token=``, an Authorization header) or the login cookie a
    page visited with the token set; read through jupyter_server's identity provider, for any handler."""
    provider = handler.settings.get("identity_provider")
    if provider is None or not getattr(provider, "token", ""):
        return False
    given = provider.get_token(handler) or ""
    if given and secrets.compare_digest(given.encode(), str(provider.token).encode()):
        return True
    try:
        return await ensure_async(provider.get_user_cookie(handler)) is not None
    except Exception:  # an unreadable cookie is no cookie
        return False


def _token_required(cls: type[Any]) -> type[Any]:
    """``cls`` that answers only a request carrying the server's token (or its login cookie): for ``--lan``, where
    every route (static files, templates, widget code, websockets) must need it, not only the pages."""

    class TokenRequired(cls):  # type: ignore[misc]
        async def prepare(self) -> None:
            if self.request.path.startswith(_KERNEL_ONLY) and self.request.remote_ip in ("127.0.0.1", "::1"):
                await ensure_async(super().prepare())  # a kernel of this server reading its visit
                return
            if not await _has_token(self):
                raise tornado.web.HTTPError(403)
            await ensure_async(super().prepare())

    TokenRequired.__name__ = TokenRequired.__qualname__ = f"TokenRequired{cls.__name__}"
    return TokenRequired


# Routes open without the token even with --lan: the login page (where the token is typed); and, from this
# machine only, the visit's query that a kernel reads (dol_toolkit.apps._visit), which holds nothing personal.
_OPEN_WITH_LAN = ("/login", "/logout")
_KERNEL_ONLY = "/voila/query/"


# -- no secret in the log ---------------------------------------------------------------------------------------
# Every log record the server process makes has the server's secrets (the --lan token, the restart secret) and
# any token in an address taken out before it is written, whatever its logger, route or status (Jupyter's access
# log scrubs only its own line; tornado's warning for a refused request writes the whole address).
SCRUBBED = "[secret]"
_TOKEN_IN_TEXT = (
    re.compile(r"(?i)((?:access_)?token=)[^&\s\"'#<>]+"),
    re.compile(r"(?i)((?:access_)?token%3D)[^&%\s\"'#<>]+"),
    re.compile(r"(?i)\b(authorization:?\s*(?:token|bearer)\s+)[^\s\"',}]+"),
)
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


class _Calm(logging.Filter):
    """Drops Jupyter's messages in :data:`NOISE`, and once the server is stopping every error of a kernel that is
    being shut down (a page still being made for the room when Ctrl-C comes ends in DeadKernelError)."""

    stopping = False

    def filter(self, record: logging.LogRecord) -> bool:
        if _Calm.stopping and record.levelno >= logging.WARNING:
            return False
        message = record.getMessage() if isinstance(record.msg, str) else str(record.msg)
        return not any(part in message for part in NOISE)


CALM = _Calm()
CALM_LOGGERS = ("tornado.general", "tornado.application", "asyncio", "traitlets")


def _preparation_allowed(handler: Any) -> bool:
    return WorkshopVoila.preparation_open and handler.request.remote_ip in _LOCAL


def _refuse_preparation(handler: Any) -> None:
    from dol_toolkit.i18n import t

    handler.set_status(403)
    handler.set_header("Content-Type", "text/plain; charset=utf-8")
    handler.finish(f"{t('prep.refused', 'da')}\n{t('prep.refused', 'en')}\n")


class _Restart(tornado.web.RequestHandler):
    """``POST /dol/restart`` from a kernel of this server (the preparation's "start the workshop"): serve the
    configuration named in the body. Needs the restart secret in ``X-Dol-Restart``; from this machine only."""

    def check_xsrf_cookie(self) -> None:  # the secret is the check (a browser page cannot send the header)
        return

    async def post(self) -> None:
        secret, given = os.environ.get(RESTART_SECRET_ENV, ""), self.request.headers.get("X-Dol-Restart", "")
        if not (_preparation_allowed(self) and secret and given and secrets.compare_digest(given, secret)):
            raise tornado.web.HTTPError(403)
        from dol_toolkit.workshop import ConfigError, load_config

        try:
            config = load_config(str(json.loads(self.request.body or b"{}")["config"])).path
        except (ConfigError, ValueError, KeyError, TypeError) as exc:
            self.set_status(400)
            self.finish(str(exc))
            return
        self.set_status(202)
        self.finish("restarting")
        tornado.ioloop.IOLoop.current().call_later(1.0, lambda: asyncio.ensure_future(_restart_on(config)))


async def _restart_on(config: Path) -> None:
    """Shut every kernel down (none is left starting), then become `dol serve CONFIG` with the same options."""
    import sys

    from dol_toolkit.i18n import as_lang, t

    _Calm.stopping = True
    app = WorkshopVoila.instance() if WorkshopVoila.initialized() else None
    km = getattr(app, "kernel_manager", None)
    if km is not None:
        km.fill_if_needed = lambda *args, **kwargs: None  # no new pool kernel from here on
        starting = [item for pool in getattr(km, "_pools", {}).values() for item in pool if not item.done()]
        if starting:
            await asyncio.wait(starting, timeout=120)
        try:
            await ensure_async(km.shutdown_all(now=True))
        except Exception:  # the process is replaced anyway; say what happened
            log.warning("could not shut all kernels down cleanly before the restart", exc_info=True)
    print(t("prep.restarting", as_lang(WorkshopVoila.room_lang), path=str(config)), flush=True)
    sys.stderr.flush()
    argv = [sys.executable, "-m", "dol_toolkit.cli", "serve", str(config), *WorkshopVoila.restart_options]
    os.execv(sys.executable, argv)


class WorkshopVoila(Voila):  # type: ignore[misc]
    """Voila's standalone app, with the landing page at ``/`` and no file browsing."""

    name = "dol-serve"
    room_target = 0
    room_lang = "da"
    room_status: RoomStatus | None = None
    preparation_open = False  # the preparation is served (not with --lan, nor behind a hub)
    hub = False  # a JupyterHub service: every route behind the hub's login (dol_toolkit.hub)
    restart_options: tuple[str, ...] = ()  # `dol serve` options for a restart on another configuration
    allowed_hosts: frozenset[str] = _LOOPBACK_NAMES  # the Host names served (see allowed_hosts)

    def initialize(self, argv: Any = None) -> None:
        super().initialize(argv)
        scrub_logs(self.token, os.environ.get(RESTART_SECRET_ENV))
        self.log.addFilter(CALM)
        for name in CALM_LOGGERS:
            logging.getLogger(name).addFilter(CALM)

    def listen(self) -> None:
        """Listen, with the check of :func:`request_allowed` before every route (also tornado's own static
        routes and the hub's login callback): a request it refuses reaches no handler but :class:`_ForeignRequest`."""
        if WorkshopVoila.allowed_hosts == _LOOPBACK_NAMES:  # not set by dol serve: the address it is bound to
            WorkshopVoila.allowed_hosts = allowed_hosts(self.ip)
        self.app.default_router.rules.insert(0, tornado.routing.Rule(_ForeignMatcher(), _ForeignRequest))
        self.app.listen = functools.partial(self.app.listen, **listen_options())  # room for a large upload
        super().listen()

    def init_handlers(self) -> list[Any]:
        handlers: list[Any] = []
        root = self.server_url.rstrip("/") + "/"
        for handler in super().init_handlers():
            pattern = handler[0]
            if pattern == root or pattern == self.server_url:
                continue  # Voila's tree handler at the root
            if any(pattern.startswith(root.rstrip("/") + removed) for removed in _REMOVED_ROUTES):
                continue
            replaced = {TemplateStaticFileHandler: _TemplateStaticFiles,
                        VoilaShutdownKernelHandler: _ShutdownAfterGrace, TornadoVoilaHandler: _PageHandler,
                        VoilaKernelWebsocketHandler: _KernelSocket, KernelHandler: _KernelModel}
            if handler[1] in replaced:
                handler = (handler[0], replaced[handler[1]], *handler[2:])
            handlers.append(handler)
        landing = f"{root}voila/render/{LANDING}"
        WorkshopVoila.preparation_open = not self.token and not self.hub
        # without a configuration there is no workshop yet: "/" is the preparation (for this machine)
        first = (landing if os.environ.get(CONFIG_ENV) or self.token or self.hub
                 else f"{root}voila/render/{PREPARATION}")
        handlers.insert(0, (root, tornado.web.RedirectHandler, {"url": first, "permanent": False}))
        for old, step in OLD_PAGES.items():
            handlers.insert(1, (f"{root}voila/render/{old}", _OldPage, {"url": landing, "step": step}))
        handlers.insert(1, (f"{root}dol/status", _Status, {"status": self.room_status}))
        handlers.insert(1, (f"{root}dol/restart", _Restart))
        handlers.append((root + r".*", _NotFound))
        if self.hub:  # the hub's login for every route; the hub sends the browser back to oauth_callback
            from dol_toolkit.hub import hub_required, oauth_callback_route

            handlers = [(h[0], hub_required(h[1], _KERNEL_ONLY), *h[2:]) for h in handlers]
            handlers.insert(0, oauth_callback_route(root))
        if self.token:  # --lan: the token for every route, not only the pages
            handlers = [(h[0], _token_required(h[1]), *h[2:])
                        if not any(h[0].startswith(root.rstrip("/") + p) for p in _OPEN_WITH_LAN) else h
                        for h in handlers]
        return handlers

    def init_settings(self) -> dict[str, Any]:
        settings: dict[str, Any] = super().init_settings()
        _bind_started_kernels(self.kernel_manager)
        # A page speaks the widget protocol to its kernel, nothing else: Voila's own list (given to the kernel
        # manager when it is made, so no configuration reaches it) also lets a page send shutdown_request.
        self.kernel_manager.allowed_message_types = list(ALLOWED_MESSAGES)
        # Request lines in the log without the token (tornado's own log writes the whole address).
        settings["log_function"] = functools.partial(log_request, record_prometheus_metrics=False)
        # Jupyter's error pages link a favicon through static_url, which needs a static_path.
        settings.setdefault("static_path", str(Path(voila.__file__).parent / "static"))
        if self.room_target > 0:
            _refill_soon_when_low(self.kernel_manager)
            _hand_out_rendered_pages(self.kernel_manager)
            status = RoomStatus(self.kernel_manager, LANDING, self.room_target, lambda line: print(line, flush=True),
                                self.room_lang)
            WorkshopVoila.room_status = status
            tornado.ioloop.PeriodicCallback(status.tick, 1000).start()
        return settings

    def stop(self) -> None:
        """Shut every kernel down before the connection files go away: Ctrl-C leaves no kernel behind."""
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the shutdown short
        _Calm.stopping = True
        try:
            km = self.kernel_manager
            if km is not None:
                # No new page for the room from here on: a refill would start kernels (each one the heaviest
                # thing this server does) only for the shutdown to kill them, and on a busy machine hold it up.
                km.fill_if_needed = lambda *args, **kwargs: None
            if km is not None and list(km.list_kernel_ids()):
                self.ioloop.run_sync(lambda: km.shutdown_all(now=True), timeout=20)
        except BaseException:  # also the Ctrl-C that cut a kernel start short, raised again in the shutdown
            # the server is stopping anyway: every kernel left is killed below
            self.log.warning("could not shut all kernels down cleanly", exc_info=True)
        connections = str(getattr(self, "connection_dir", "") or "")
        _kill_remaining_kernels(connections)
        try:
            super().stop()
        finally:
            _kill_remaining_kernels(connections)  # one that a request still in flight started meanwhile


def _kill_remaining_kernels(connection_dir: str, seconds: float = 10) -> None:
    """Kill every kernel of this server still there after the shutdown (one whose shutdown was cut short, or
    started while the server was stopping), and wait for them: none outlives the server. A kernel is this
    server's when it is its child or when its connection file lies in the server's connection folder (a kernel
    whose parent is gone)."""
    import psutil

    mine = {p.pid for p in psutil.Process().children(recursive=True)}
    kernels = []
    for process in psutil.process_iter(["pid", "cmdline"]):
        line = " ".join(process.info.get("cmdline") or [])
        if "ipykernel" in line and (process.pid in mine or (connection_dir and connection_dir in line)):
            kernels.append(process)
    for process in kernels:
        with contextlib.suppress(psutil.Error):
            process.kill()
    psutil.wait_procs(kernels, timeout=seconds)


def voila_argv(
    notebooks: Path,
    *,
    port: int = DEFAULT_PORT,
    ip: str = DEFAULT_IP,
    cull_idle_seconds: int = RELEASE_SECONDS,
    preheat: int = 0,
    token: str | None = None,
    template: str | None = TEMPLATE,
    language: str = "da",
    quiet: bool = False,
    base_url: str = "/",
) -> list[str]:
    """Command-line settings for the workshop server (also used by plain ``voila`` in benchmarks). ``quiet``:
    the server's own log says only what goes wrong (warnings and errors); the facilitator reads our lines."""
    argv = [
        str(notebooks),
        "--no-browser",
        f"--port={port}",
        f"--Voila.ip={ip}",
        "--Voila.port_retries=0",
        # A closed tab sends a shutdown request for its kernel; accept it so kernels do not pile up.
        "--Voila.tornado_settings=disable_check_xsrf=True",
        # Kernels talk to the server over local sockets, not TCP ports: a room's kernels starting at once can
        # pick the same free port over TCP (a kernel then dies with "Address already in use").
        *(["--KernelManager.transport=ipc"] if os.name == "posix" else []),
        # A kernel no page is connected to is given back after this long (connected ones are kept however idle;
        # preheated ones waiting for a visit are kept by Voila's kernel manager).
        f"--MappingKernelManager.cull_idle_timeout={cull_idle_seconds}",
        f"--MappingKernelManager.cull_interval={max(5, min(60, cull_idle_seconds // 4))}",
        "--MappingKernelManager.cull_connected=False",
        f"--VoilaExecutor.iopub_timeout={OUTPUT_WAIT_SECONDS}",
        # /voila/files/ serves images from the notebooks folder, nothing else.
        "--VoilaConfiguration.file_allowlist",
        r".*\.(png|jpg|jpeg|gif|svg)",
        "--VoilaConfiguration.file_denylist",
        r".*\.(ipynb|py|toml|csv|tsv|txt|xlsx|xls|sav|sqlite|db|json|yml|yaml|md)",
    ]
    if template:
        argv.append(f"--VoilaConfiguration.template={template}")
        # Only this template and the default theme: no ?template= or ?theme= of a visitor's choosing.
        argv += ["--VoilaConfiguration.allow_template_override=NO", "--VoilaConfiguration.allow_theme_override=NO"]
        # The page's lang attribute before its script sets the visit's (the page is rendered before the visit).
        argv.append(f"--VoilaExporter.language_code={language}")
    if preheat > 0:
        # Kernels that have run the app before anyone visits: the first chart is there at once.
        argv += ["--VoilaConfiguration.preheat_kernel=True", f"--VoilaConfiguration.default_pool_size={preheat}",
                 # Only the workshop page has pages ready (the preparation is one page for one facilitator); Voila
                 # would otherwise run every notebook under the folder in kernels kept for the room.
                 f"--VoilaKernelManager.preheat_denylist=^(?!{re.escape(str(notebooks.resolve()))}/{re.escape(LANDING)}$)"]
    if token:
        argv.append(f"--Voila.token={token}")
    if base_url != "/":  # behind a JupyterHub proxy: every route under the service's prefix
        argv.append(f"--Voila.base_url={base_url}")
    if quiet:
        argv.append("--Voila.log_level=WARN")
    return argv


def find_notebooks(path: str | Path | None = None) -> Path:
    """The folder of workshop notebooks: the given one, or ./notebooks, or the repository's."""
    candidates = [Path(path)] if path else [Path.cwd() / "notebooks", Path(__file__).parents[2] / "notebooks"]
    for candidate in candidates:
        if (candidate / LANDING).is_file():
            return candidate.resolve()
    where = ", ".join(str(c) for c in candidates)
    raise FileNotFoundError(
        f"no workshop notebooks found (looked for {LANDING} in {where}); "
        "run from the repository folder or pass --notebooks DIR"
    )


def lan_address() -> str:
    """This machine's IPv4 address on the room's network, read from its interfaces (nothing is sent)."""
    import psutil

    stats = psutil.net_if_stats()
    for name, addresses in psutil.net_if_addrs().items():
        if name in stats and not stats[name].isup:
            continue
        for address in addresses:
            if address.family == socket.AF_INET and not address.address.startswith("127."):
                return str(address.address)
    return socket.gethostname()


def prepare_content(config: Any, say: Callable[[str], None]) -> None:
    """Compute the workshop's shared content before any kernel starts (or find it in the cache)."""
    from dol_toolkit.apps._cache import ensure_content
    from dol_toolkit.i18n import t

    lang = config.language
    say(t("serve.preparing", lang))
    started = time.monotonic()
    _, reused = ensure_content(config)
    key = "serve.content_reused" if reused else "serve.content_made"
    say(t(key, lang, seconds=f"{time.monotonic() - started:.1f}"))


def serve(
    config: str | Path | None = None,
    *,
    notebooks: str | Path | None = None,
    port: int = DEFAULT_PORT,
    ip: str = DEFAULT_IP,
    lan: bool = False,
    participants: int | None = None,
    release_seconds: int = RELEASE_SECONDS,
    hub: bool = False,
    host_names: tuple[str, ...] = (),
) -> None:
    """Run the workshop server until Ctrl-C.

    ``config``: the workshop configuration the apps use (checked, and its shared content computed, before the
    server starts; kernels get its path in DOL_WORKSHOP_CONFIG). ``lan``: bind every network interface for a room
    and require a token, printed in the address to share. ``participants``: pages kept ready for the room
    (default: the configuration's ``[room] participants``, else 10; 0 turns preheating off).
    ``release_seconds``: a kernel no page is connected to is shut down after this long. ``hub``: run as a
    JupyterHub service (:mod:`dol_toolkit.hub`): the address and prefix come from the hub, every route needs
    the hub's login, and the preparation is not served. ``host_names``: names the room reaches this machine by
    (``--host-name``), served beside the loopback names and the bound address (see :func:`allowed_hosts`).
    """
    from dol_toolkit.i18n import t

    folder = find_notebooks(notebooks)
    base_url = "/"
    if hub:
        from dol_toolkit.hub import service_address

        ip, port, base_url = service_address()
        WorkshopVoila.hub = True
    lang: Lang = "da"
    target = DEFAULT_PARTICIPANTS if participants is None else participants
    if config is not None:
        from dol_toolkit.workshop import load_config

        cfg = load_config(config)
        os.environ[CONFIG_ENV] = str(cfg.path)
        lang = cfg.language
        if participants is None and cfg.participants is not None:
            target = cfg.participants
        prepare_content(cfg, lambda line: print(line, flush=True))
    # Ctrl-C at any moment, also before Voila's own handler is in place (the banner is already on the screen):
    # nothing to clean up yet that Voila's stop() does not, and no traceback.
    with contextlib.suppress(KeyboardInterrupt):
        _start(folder, port, ip, lan, target, participants, release_seconds, lang, base_url, host_names)
    _kill_remaining_kernels("")  # a Ctrl-C before Voila's stop() could run: no kernel outlives the server
    print(t("serve.stopped", lang), flush=True)


def _start(folder: Path, port: int, ip: str, lan: bool, target: int, participants: int | None,
           release_seconds: int, lang: Lang, base_url: str = "/", host_names: tuple[str, ...] = ()) -> None:
    """The banner, then Voila until it stops."""
    from dol_toolkit.i18n import t

    # Voila finds the workshop's page template ("dol") beside this module.
    share = str(Path(__file__).parent / "share" / "jupyter")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (share, os.environ.get("JUPYTER_PATH")) if p)
    token = None
    rule = "-" * 72
    print(rule, flush=True)
    if lan:
        ip = "0.0.0.0"
        token = secrets.token_urlsafe(18)
        print(t("serve.banner_lan", lang, url=f"http://{lan_address()}:{port}/?token={token}"), flush=True)
        print(t("serve.banner_lan_here", lang, url=f"http://127.0.0.1:{port}/?token={token}"), flush=True)
    elif WorkshopVoila.hub:
        print(t("serve.banner_hub", lang, prefix=base_url), flush=True)
    else:
        print(t("serve.banner_local", lang, url=f"http://{ip}:{port}/"), flush=True)
    print(t("serve.banner_stop", lang), flush=True)
    print(rule, flush=True)
    if target > 0:
        print(t("serve.starting", lang, target=target), flush=True)
    WorkshopVoila.room_target, WorkshopVoila.room_lang = target, lang
    WorkshopVoila.allowed_hosts = allowed_hosts(ip, lan=lan, host_names=host_names, hub=WorkshopVoila.hub)
    # The preparation's kernels: whether it is served, where workshops are saved, the secret of a restart.
    os.environ[PREPARATION_ENV] = "0" if lan or WorkshopVoila.hub else "1"
    os.environ.setdefault(WORKSHOPS_ENV, str(Path.cwd() / "workshops"))
    os.environ[RESTART_SECRET_ENV] = "" if lan or WorkshopVoila.hub else secrets.token_urlsafe(24)
    WorkshopVoila.restart_options = (
        "--port", str(port), "--ip", ip, "--release-after", str(release_seconds), "--notebooks", str(folder),
        *(["--participants", str(participants)] if participants is not None else []),
        *(option for name in host_names for option in ("--host-name", name)))
    WorkshopVoila.launch_instance(argv=voila_argv(folder, port=port, ip=ip, preheat=target, token=token,
                                                  cull_idle_seconds=release_seconds, language=lang, quiet=True,
                                                  base_url=base_url))
