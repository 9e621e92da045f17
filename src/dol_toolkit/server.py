"""Serve the workshop notebooks as apps with Voila, and nothing else.

The workshop runs Voila's standalone server with a narrowed set of routes:

* ``/`` redirects to the landing notebook instead of Voila's file browser;
* the directory tree (``/voila/tree``) and the contents API (``/voila/api/contents``) are removed;
* ``/voila/files/`` serves only images from the notebooks folder (data, configuration and notes live outside it);
* there is no Jupyter server behind it: no ``/api/contents``, ``/api/terminals``, ``/lab`` or ``/files``.

Kernels are culled when idle, shut down when a tab closes (the page's shutdown request is accepted on
localhost) and shut down when the server stops.
"""

from __future__ import annotations

import logging
import os
import secrets
import signal
import socket
from pathlib import Path
from typing import Any

import tornado.ioloop
import tornado.web
import voila
from jupyter_core.utils import ensure_async
from voila.app import Voila
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.static_file_handler import TemplateStaticFileHandler

log = logging.getLogger("dol_toolkit.server")

LANDING = "start.ipynb"
TEMPLATE = "dol"
CONFIG_ENV = "DOL_WORKSHOP_CONFIG"
DEFAULT_PORT = 8866
DEFAULT_IP = "127.0.0.1"
# Routes of stock standalone Voila that show files or folders rather than apps.
_REMOVED_ROUTES = ("/voila/tree", "/voila/api/contents")


class _NotFound(tornado.web.RequestHandler):
    def prepare(self) -> None:
        raise tornado.web.HTTPError(404)


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


class _ShutdownAfterGrace(VoilaShutdownKernelHandler):  # type: ignore[misc]
    """Voila's shutdown-on-close, after a grace period instead of at once."""

    @tornado.web.authenticated
    async def post(self, kernel_id: str) -> None:
        manager = self.kernel_manager

        async def shutdown() -> None:
            if kernel_id in manager:
                await ensure_async(manager.shutdown_kernel(kernel_id))

        tornado.ioloop.IOLoop.current().call_later(SHUTDOWN_GRACE_SECONDS, shutdown)
        self.set_status(204)
        self.finish()


class WorkshopVoila(Voila):  # type: ignore[misc]
    """Voila's standalone app, with the landing page at ``/`` and no file browsing."""

    name = "dol-serve"

    def init_handlers(self) -> list[Any]:
        handlers: list[Any] = []
        root = self.server_url.rstrip("/") + "/"
        for handler in super().init_handlers():
            pattern = handler[0]
            if pattern == root or pattern == self.server_url:
                continue  # Voila's tree handler at the root
            if any(pattern.startswith(root.rstrip("/") + removed) for removed in _REMOVED_ROUTES):
                continue
            if handler[1] is TemplateStaticFileHandler:
                handler = (handler[0], _TemplateStaticFiles, *handler[2:])
            elif handler[1] is VoilaShutdownKernelHandler:
                handler = (handler[0], _ShutdownAfterGrace, *handler[2:])
            handlers.append(handler)
        landing = f"{root}voila/render/{LANDING}"
        handlers.insert(0, (root, tornado.web.RedirectHandler, {"url": landing, "permanent": False}))
        handlers.append((root + r".*", _NotFound))
        return handlers

    def init_settings(self) -> dict[str, Any]:
        settings: dict[str, Any] = super().init_settings()
        # Jupyter's error pages link a favicon through static_url, which needs a static_path.
        settings.setdefault("static_path", str(Path(voila.__file__).parent / "static"))
        return settings

    def stop(self) -> None:
        """Shut every kernel down before the connection files go away: Ctrl-C leaves no kernel behind."""
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the shutdown short
        try:
            km = self.kernel_manager
            if km is not None and list(km.list_kernel_ids()):
                self.ioloop.run_sync(lambda: km.shutdown_all(now=True), timeout=20)
        except Exception:  # the server is stopping anyway; say what happened
            self.log.warning("could not shut all kernels down cleanly", exc_info=True)
        super().stop()


def voila_argv(
    notebooks: Path,
    *,
    port: int = DEFAULT_PORT,
    ip: str = DEFAULT_IP,
    cull_idle_seconds: int = 600,
    preheat: int = 0,
    token: str | None = None,
    template: str | None = TEMPLATE,
) -> list[str]:
    """Command-line settings for the workshop server (also used by plain ``voila`` in benchmarks)."""
    argv = [
        str(notebooks),
        "--no-browser",
        f"--port={port}",
        f"--Voila.ip={ip}",
        "--Voila.port_retries=0",
        # A closed tab sends a shutdown request for its kernel; accept it so kernels do not pile up.
        "--Voila.tornado_settings=disable_check_xsrf=True",
        f"--MappingKernelManager.cull_idle_timeout={cull_idle_seconds}",
        "--MappingKernelManager.cull_interval=60",
        "--MappingKernelManager.cull_connected=False",
        # /voila/files/ serves images from the notebooks folder, nothing else.
        "--VoilaConfiguration.file_allowlist",
        r".*\.(png|jpg|jpeg|gif|svg)",
        "--VoilaConfiguration.file_denylist",
        r".*\.(ipynb|py|toml|csv|tsv|txt|xlsx|xls|sav|sqlite|db|json|yml|yaml|md)",
    ]
    if template:
        argv.append(f"--VoilaConfiguration.template={template}")
    if preheat > 0:
        # Kernels that have run the app before anyone visits: the first chart is there at once.
        argv += ["--VoilaConfiguration.preheat_kernel=True", f"--VoilaConfiguration.default_pool_size={preheat}"]
    if token:
        argv.append(f"--Voila.token={token}")
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


def serve(
    config: str | Path | None = None,
    *,
    notebooks: str | Path | None = None,
    port: int = DEFAULT_PORT,
    ip: str = DEFAULT_IP,
    lan: bool = False,
    preheat: int = 1,
) -> None:
    """Run the workshop server until Ctrl-C.

    ``config``: the workshop configuration the apps use (checked before the server starts; kernels get its
    path in DOL_WORKSHOP_CONFIG). ``lan``: bind every network interface for a room and require a token,
    printed in the address to share. ``preheat``: kernels kept ready per app (0 turns preheating off).
    """
    folder = find_notebooks(notebooks)
    if config is not None:
        from dol_toolkit.workshop import load_config

        os.environ[CONFIG_ENV] = str(load_config(config).path)
    # Voila finds the workshop's page template ("dol") beside this module.
    share = str(Path(__file__).parent / "share" / "jupyter")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (share, os.environ.get("JUPYTER_PATH")) if p)
    token = None
    if lan:
        ip = "0.0.0.0"
        token = secrets.token_urlsafe(18)
        print(f"Workshop for the room: http://{lan_address()}:{port}/?token={token}", flush=True)
        print("Share that address (with its token); without the token every page is refused.", flush=True)
    else:
        print(f"Workshop: http://{ip}:{port}/  (Ctrl-C stops the server)", flush=True)
    WorkshopVoila.launch_instance(argv=voila_argv(folder, port=port, ip=ip, preheat=preheat, token=token))
