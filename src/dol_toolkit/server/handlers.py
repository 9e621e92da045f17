"""The server's routes: Voila's, narrowed (the workshop's pages only, kernels bound to their pages), and the
workshop's own (``/`` and the old pages' redirects, ``/dol/status``, ``/dol/restart``).

* ``/`` redirects to the landing notebook instead of Voila's file browser (to the preparation where no workshop
  is configured yet);
* the directory tree (``/voila/tree``) and the contents API (``/voila/api/contents``) are removed;
* ``/voila/files/`` serves only images from the notebooks folder (data, configuration and notes live outside it);
* there is no Jupyter server behind it: no ``/api/contents``, ``/api/terminals``, ``/lab`` or ``/files``.

Kernels are shut down when a tab closes (the page's shutdown request, after :data:`SHUTDOWN_GRACE_SECONDS`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import secrets
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import tornado.ioloop
import tornado.web
from jupyter_core.utils import ensure_async

from dol_toolkit.server import voila_internals
from dol_toolkit.server.access import (
    UploadSocket,
    preparation_allowed,
    refuse_preparation,
    with_hub_login,
    with_token,
)
from dol_toolkit.server.binding import VISIT, Binding
from dol_toolkit.server.names import APPS, LANDING, OLD_PAGES, PREPARATION, REMOVED_ROUTES
from dol_toolkit.server.state import ServerState, state_of
from dol_toolkit.server.voila_internals import (
    JupyterHandler,
    KernelHandler,
    TemplateStaticFileHandler,
    TornadoVoilaHandler,
    VoilaKernelWebsocketHandler,
    VoilaShutdownKernelHandler,
)

log = logging.getLogger("dol_toolkit.server")

# A closed tab's kernel gets this long before it is shut down, so that the last keystrokes already on their way
# reach it and are saved (the notes' autosave waits 0.7 s; a stopping kernel saves what is pending).
SHUTDOWN_GRACE_SECONDS = 2.0
# Voila's page arguments that choose another page template or theme than the workshop's: a page made with
# another template has none of the workshop page's script (no saving on leaving, no closing of its kernel), runs
# in a kernel outside the room's pool, and a template that does not exist never finishes. They are ignored: the
# workshop's own page is served whatever they say (VoilaConfiguration.allow_*_override=NO says the same to Voila).
_IGNORED_ARGUMENTS = ("template", "theme")


def _binding(handler: Any) -> Binding:
    state = state_of(handler)
    return state.binding if state is not None else Binding()


class NotFound(tornado.web.RequestHandler):
    def prepare(self) -> None:
        raise tornado.web.HTTPError(404)


class TemplateStaticFiles(TemplateStaticFileHandler):  # type: ignore[misc]
    """Voila's template static files, answering 404 (not 500) to paths outside ``<template>/static/``."""

    def parse_url_path(self, path: str) -> str:
        parts = path.split("/", 2)
        if len(parts) < 3 or parts[1] != "static" or ".." in path.split("/"):
            raise tornado.web.HTTPError(404)
        result: str = super().parse_url_path(path)
        return result


class PageHandler(TornadoVoilaHandler):  # type: ignore[misc]
    """Voila's page handler; the kernel handed to the page is bound to it (:mod:`dol_toolkit.server.binding`).
    Only the workshop's template and theme are served (see ``_IGNORED_ARGUMENTS``)."""

    async def get(self, path: str | None = None) -> None:
        if (path or "") not in APPS:
            raise tornado.web.HTTPError(404)
        for name in _IGNORED_ARGUMENTS:
            self.request.arguments.pop(name, None)
            self.request.query_arguments.pop(name, None)
        if path == PREPARATION and not preparation_allowed(self):
            refuse_preparation(self)
            return
        token = VISIT.set(self)
        try:
            await super().get(path=path)
        finally:
            VISIT.reset(token)


class KernelSocket(UploadSocket, VoilaKernelWebsocketHandler):  # type: ignore[misc]
    """The kernel's websocket: only for the page holding its secret, one connection at a time (room for a large
    export on the preparation's own connections, :mod:`dol_toolkit.uploads`)."""

    async def pre_get(self) -> None:
        kernel_id = self.kernel_id
        binding = _binding(self)
        if not binding.holds_secret(self, kernel_id):
            log.warning("refused a websocket to kernel %s without its page's secret", kernel_id)
            raise tornado.web.HTTPError(403)
        if not binding.open_socket(kernel_id):
            log.warning("refused a second websocket to kernel %s", kernel_id)
            raise tornado.web.HTTPError(403)
        self._dol_counted = True
        try:
            await super().pre_get()
        except BaseException:
            self._release()
            raise

    def _release(self) -> None:
        if getattr(self, "_dol_counted", False):
            self._dol_counted = False
            _binding(self).close_socket(self.kernel_id)

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


class KernelModel(KernelHandler):
    """``/api/kernels/<id>``: the kernel's model for its own page; never deleted through it (a page's kernel
    ends with the page, through the shutdown-on-close request).

    A page still loading (its app's code on its way, its websocket not open yet) asks for its kernel's model
    every few seconds (the page template's keep-alive): each request counts as the kernel's activity, so that the
    release of kernels no page is connected to (``--release-after``) never takes the kernel of a page that is
    only slow to load (a busy laptop, a phone on a weak network). A page closed before its app appeared stops
    asking, and its kernel is given back as before. A 403 tells the page its kernel is gone: it loads anew."""

    @tornado.web.authenticated
    async def get(self, kernel_id: str) -> None:
        if not _binding(self).holds_secret(self, kernel_id):
            raise tornado.web.HTTPError(403)
        kernel = voila_internals.kernel_record(self.kernel_manager, kernel_id)
        if kernel is not None:
            kernel.last_activity = datetime.now(UTC)  # as jupyter_server stamps it
        self.set_header("Cache-Control", "no-store")
        await ensure_async(super().get(kernel_id))

    @tornado.web.authenticated
    async def delete(self, kernel_id: str) -> None:
        raise tornado.web.HTTPError(403)


class ShutdownAfterGrace(VoilaShutdownKernelHandler):  # type: ignore[misc]
    """Voila's shutdown-on-close, after a grace period instead of at once; only from the kernel's own page."""

    @tornado.web.authenticated
    async def post(self, kernel_id: str) -> None:
        binding = _binding(self)
        if not binding.holds_secret(self, kernel_id):
            raise tornado.web.HTTPError(403)
        manager = self.kernel_manager

        async def shutdown() -> None:
            if kernel_id in manager:
                await ensure_async(manager.shutdown_kernel(kernel_id))
            binding.forget(kernel_id)

        tornado.ioloop.IOLoop.current().call_later(SHUTDOWN_GRACE_SECONDS, shutdown)
        self.set_status(204)
        self.finish()


class OldPage(JupyterHandler):
    """A step's former address, redirected to the step in the workshop page (the language kept)."""

    def initialize(self, url: str, step: str) -> None:
        self.url, self.step = url, step

    @tornado.web.authenticated
    def get(self) -> None:
        lang = self.get_argument("lang", "")
        query = f"?step={self.step}" + (f"&lang={lang}" if lang in ("da", "en") else "")
        self.redirect(self.url + query, permanent=False)


class Status(JupyterHandler):
    """``/dol/status``: how many pages are ready (for the facilitator's checks and the room benchmark)."""

    @tornado.web.authenticated
    def get(self) -> None:
        state = state_of(self)
        status = state.status if state is not None else None
        counts = status.counts() if status else {"ready": 0, "target": 0, "kernels": 0}
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(counts))


# -- the restart protocol (its client half: dol_toolkit.prepare.request_start) -------------------------------------
class Restart(tornado.web.RequestHandler):
    """``POST /dol/restart`` from a kernel of this server (the preparation's "start the workshop"): serve the
    configuration named in the body. Needs the restart secret in ``X-Dol-Restart``; from this machine only."""

    def check_xsrf_cookie(self) -> None:  # the secret is the check (a browser page cannot send the header)
        return

    async def post(self) -> None:
        state = state_of(self)
        secret = state.restart_secret if state is not None else ""
        given = self.request.headers.get("X-Dol-Restart", "")
        if not (state is not None and preparation_allowed(self) and secret and given
                and secrets.compare_digest(given, secret)):
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
        km = self.settings.get("kernel_manager")
        tornado.ioloop.IOLoop.current().call_later(
            1.0, lambda: asyncio.ensure_future(restart_on(config, state, km)))


async def restart_on(config: Path, state: ServerState, km: Any) -> None:
    """Shut every kernel down (none is left starting), then become `dol serve CONFIG` with the same options."""
    from dol_toolkit.i18n import as_lang, t

    state.stopping = True
    if km is not None:
        voila_internals.stop_refills(km)  # no new pool kernel from here on
        starting = [item for pool in voila_internals.pools(km).values() for item in pool if not item.done()]
        if starting:
            await asyncio.wait(starting, timeout=120)
        try:
            await ensure_async(km.shutdown_all(now=True))
        except Exception:  # the process is replaced anyway; say what happened
            log.warning("could not shut all kernels down cleanly before the restart", exc_info=True)
    print(t("prep.restarting", as_lang(state.lang), path=str(config)), flush=True)
    sys.stderr.flush()
    argv = [sys.executable, "-m", "dol_toolkit.cli", "serve", str(config), *state.restart_options]
    os.execv(sys.executable, argv)


# -- the route list -----------------------------------------------------------------------------------------------
_REPLACED = {TemplateStaticFileHandler: TemplateStaticFiles, VoilaShutdownKernelHandler: ShutdownAfterGrace,
             TornadoVoilaHandler: PageHandler, VoilaKernelWebsocketHandler: KernelSocket, KernelHandler: KernelModel}


def workshop_handlers(voila_handlers: list[Any], server_url: str, state: ServerState, *, token: bool,
                      hub: bool) -> list[Any]:
    """Voila's route list narrowed and with the workshop's own routes; behind the --lan token (``token``) or the
    hub's login (``hub``)."""
    handlers: list[Any] = []
    root = server_url.rstrip("/") + "/"
    for handler in voila_handlers:
        pattern = handler[0]
        if pattern in (root, server_url):
            continue  # Voila's tree handler at the root
        if any(pattern.startswith(root.rstrip("/") + removed) for removed in REMOVED_ROUTES):
            continue
        if handler[1] in _REPLACED:
            handler = (handler[0], _REPLACED[handler[1]], *handler[2:])
        handlers.append(handler)
    landing = f"{root}voila/render/{LANDING}"
    # without a configuration there is no workshop yet: "/" is the preparation (for this machine)
    first = landing if state.has_config or token or hub else f"{root}voila/render/{PREPARATION}"
    handlers.insert(0, (root, tornado.web.RedirectHandler, {"url": first, "permanent": False}))
    for old, step in OLD_PAGES.items():
        handlers.insert(1, (f"{root}voila/render/{old}", OldPage, {"url": landing, "step": step}))
    handlers.insert(1, (f"{root}dol/status", Status))
    handlers.insert(1, (f"{root}dol/restart", Restart))
    handlers.append((root + r".*", NotFound))
    if hub:  # the hub's login for every route; the hub sends the browser back to oauth_callback
        handlers = with_hub_login(handlers, root)
    if token:  # --lan: the token for every route, not only the pages
        handlers = with_token(handlers, root)
    return handlers
