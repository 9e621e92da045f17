"""Every use of Voila's internals, in one place: what the server relies on where Voila offers no public hook.

The workshop server narrows Voila's standalone app, and for the room's pool of ready pages it changes how Voila's
kernel manager hands kernels out. Voila has no public interface for either: the server subclasses Voila's route
handlers, reads the kernel manager's private ``_pools`` (notebook -> pool items, each a future of
``{"kernel_id", "task", ...}``) and jupyter_server's ``_kernels``, and wraps the kernel manager's methods on the
instance. The rest of :mod:`dol_toolkit.server` goes through the functions here and never names a private
attribute of Voila.

``dol_toolkit`` pins Voila's minor version (pyproject.toml). :func:`missing` says what of the above a Voila
version lacks; ``tests/test_voila_internals.py`` fails with that list when an upgrade changes them, and
:func:`require` refuses to start the server on such a version.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import voila
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.services.kernels.handlers import KernelHandler
from voila.app import Voila
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.static_file_handler import TemplateStaticFileHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

__all__ = [
    "JupyterHandler",
    "KernelHandler",
    "TemplateStaticFileHandler",
    "TornadoVoilaHandler",
    "Voila",
    "VoilaKernelWebsocketHandler",
    "VoilaShutdownKernelHandler",
    "kernel_record",
    "missing",
    "pool_of",
    "pools",
    "require",
    "static_folder",
    "stop_refills",
    "wrap",
]


# -- the kernel manager's pools and kernels -----------------------------------------------------------------------
def pools(km: Any) -> dict[str, list[Any]]:
    """Voila's pools of ready pages: notebook name -> pool items (futures of ``{"kernel_id", "task", ...}``);
    {} where the kernel manager keeps none (no preheating)."""
    found: dict[str, list[Any]] = getattr(km, "_pools", {})
    return found


def pool_of(km: Any, notebook: str) -> list[Any]:
    """The pool of ``notebook`` (the list Voila itself uses: changing it changes Voila's pool)."""
    return pools(km).get(notebook, [])


def kernel_record(km: Any, kernel_id: str) -> Any:
    """jupyter_server's record of a kernel (it carries ``last_activity``, which the idle cull reads), or None."""
    kernels = getattr(km, "_kernels", None)
    return kernels.get(kernel_id) if kernels is not None else None


def wrap(km: Any, name: str, make: Callable[[Callable[..., Any]], Callable[..., Any]]) -> None:
    """Replace the kernel manager's method ``name`` on this instance by ``make(original)``."""
    setattr(km, name, make(getattr(km, name)))


def stop_refills(km: Any) -> None:
    """No new pool kernel from here on (the server is stopping or restarting)."""
    km.fill_if_needed = lambda *args, **kwargs: None


def static_folder() -> Path:
    """Voila's own static files (Jupyter's error pages link a favicon through them)."""
    return Path(voila.__file__).parent / "static"


# -- what the server relies on -----------------------------------------------------------------------------------
# (class, method, the parameters it must take): the server's handlers override these.
_METHODS: tuple[tuple[type[Any], str, tuple[str, ...]], ...] = (
    (Voila, "init_handlers", ("self",)),
    (Voila, "init_settings", ("self",)),
    (Voila, "listen", ("self",)),
    (Voila, "stop", ("self",)),
    (TornadoVoilaHandler, "get", ("self", "path")),
    (VoilaKernelWebsocketHandler, "pre_get", ("self",)),
    (VoilaKernelWebsocketHandler, "get", ("self", "kernel_id")),
    (VoilaKernelWebsocketHandler, "on_close", ("self",)),
    (VoilaShutdownKernelHandler, "post", ("self", "kernel_id")),
    (TemplateStaticFileHandler, "parse_url_path", ("self", "path")),
    (KernelHandler, "get", ("self", "kernel_id")),
    (KernelHandler, "delete", ("self", "kernel_id")),
)
# The pooled kernel manager's methods the pool wraps, with the parameters it passes by name.
_KERNEL_MANAGER_METHODS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("get_rendered_notebook", ("notebook_name",)),
    ("fill_if_needed", ("delay", "notebook_name")),
    ("start_kernel", ()),
    ("shutdown_kernel", ("kernel_id",)),
    ("shutdown_all", ()),
    ("list_kernel_ids", ()),
)
# Voila's app attributes the server reads.
_APP_ATTRIBUTES = ("server_url", "connection_dir", "kernel_manager", "token", "ip", "ioloop", "app")


def _pooled_kernel_manager() -> type[Any]:
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
    from voila.voila_kernel_manager import voila_kernel_manager_factory

    made: type[Any] = voila_kernel_manager_factory(AsyncMappingKernelManager, True, 1)
    return made


def _source(obj: Any) -> str:
    try:
        return inspect.getsource(obj)
    except (OSError, TypeError):
        return ""


def missing() -> list[str]:
    """What the server relies on that this Voila (and jupyter_server) lacks, each said in words; [] when all is
    there."""
    problems: list[str] = []
    for cls, name, params in _METHODS:
        method = getattr(cls, name, None)
        if method is None:
            problems.append(f"{cls.__module__}.{cls.__qualname__}.{name} is gone")
            continue
        given = tuple(inspect.signature(method).parameters)
        if given[:len(params)] != params:
            problems.append(f"{cls.__qualname__}.{name} takes {given}, the server expects {params}")
    app_source = _source(Voila)
    for name in _APP_ATTRIBUTES:
        if name not in Voila.class_traits() and f"self.{name} =" not in app_source:
            problems.append(f"voila.app.Voila no longer has {name!r}")
    try:
        km = _pooled_kernel_manager()
    except Exception as exc:  # the factory itself changed
        return [*problems, f"voila.voila_kernel_manager.voila_kernel_manager_factory failed: {exc!r}"]
    for name, params in _KERNEL_MANAGER_METHODS:
        method = getattr(km, name, None)
        if method is None:
            problems.append(f"Voila's pooled kernel manager has no method {name}")
            continue
        given = tuple(inspect.signature(method).parameters)
        if not all(param in given for param in params):
            problems.append(f"Voila's kernel manager {name} takes {given}, the server passes {params}")
    if "allowed_message_types" not in km.class_traits():
        problems.append("the kernel manager has no allowed_message_types trait")
    if "self._pools" not in _source(km.__init__):
        problems.append("Voila's pooled kernel manager no longer keeps its pools in self._pools")
    initialize = _source(getattr(km, "_initialize", None))
    if not all(f'"{key}"' in initialize for key in ("kernel_id", "task")):
        problems.append("Voila's pool items no longer hold {'kernel_id', 'task'} (VoilaKernelManager._initialize)")
    if not static_folder().is_dir():
        problems.append(f"Voila has no static folder at {static_folder()}")
    from jupyter_client.multikernelmanager import MultiKernelManager

    if "_kernels" not in MultiKernelManager.class_traits():
        problems.append("jupyter_client's MultiKernelManager no longer keeps its kernels in self._kernels")
    return problems


def require() -> None:
    """Refuse to run on a Voila whose internals the server cannot adapt (say what changed)."""
    problems = missing()
    if problems:
        raise RuntimeError("dol serve cannot run on this version of Voila; what changed: " + "; ".join(problems))
