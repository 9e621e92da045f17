"""The running server's state, one object per app, kept in the tornado settings (``settings[STATE]``): what the
handlers, the access rule and the pool read. Nothing of it lives in a class or a module."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dol_toolkit.server.binding import Binding

if TYPE_CHECKING:
    from dol_toolkit.server.pool import RoomStatus

STATE = "dol_server"  # the key of the tornado setting


@dataclass
class ServerState:
    """What one workshop server knows while it runs."""

    allowed_hosts: frozenset[str]  # the Host names served (dol_toolkit.server.access.allowed_hosts)
    lang: str = "da"  # the workshop's language: the console's lines
    target: int = 0  # pages kept ready for the room (0: no pool)
    preparation_open: bool = False  # the preparation is served (not with --lan, nor behind a hub)
    hub: bool = False  # a JupyterHub service: every route behind the hub's login (dol_toolkit.hub)
    restart_secret: str = ""  # the secret of a restart request from a kernel (empty: none taken)
    restart_options: tuple[str, ...] = ()  # `dol serve` options for a restart on another configuration
    has_config: bool = False  # a workshop configuration is served ("/" is the workshop, else the preparation)
    status: RoomStatus | None = None  # the pool's count (with a pool)
    binding: Binding = field(default_factory=Binding)  # kernels bound to their pages
    stopping: bool = False  # the server is stopping or restarting
    refused_said: set[str] = field(default_factory=set)  # refused names the console has shown (each once)


def state_of(handler: Any) -> ServerState | None:
    """The state of the server ``handler`` belongs to (None outside one, e.g. a handler made in a test)."""
    settings = getattr(handler, "settings", None) or {}
    found: ServerState | None = settings.get(STATE)
    return found
