"""Who the server answers: only its own names (DNS rebinding), the --lan token, the hub's login, and the
preparation for this machine only.

A web page at http://evil.example:8866 whose name an attacker resolves to this machine (DNS rebinding) is, to the
browser, its own origin: it could read the workshop's pages and open their kernels. Every request (page, static
file, websocket, upload, any route, before any handler runs) is therefore answered only when its Host is one of
the names this server is meant to answer to (loopback names; with --lan this machine's addresses and host
names; the names given with --host-name; on a hub, the hub's public names), and when the Origin a browser sends
with it (websockets, scripts' requests, form posts) is the same place. Anything else gets 403.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import os
import re
import secrets
import socket
from typing import Any
from urllib.parse import urlparse

import tornado.routing
import tornado.web
from jupyter_core.utils import ensure_async

from dol_toolkit.server.names import KERNEL_ONLY, LOCAL, OPEN_WITH_LAN
from dol_toolkit.server.state import state_of
from dol_toolkit.uploads import DEFAULT_BODY_BYTES, DEFAULT_MESSAGE_BYTES, MESSAGE_ROOM_BYTES

log = logging.getLogger("dol_toolkit.server")

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
_ALL_INTERFACES = ("0.0.0.0", "::", "")
_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
DEFAULT_IP = "127.0.0.1"


# -- only the names the server is meant to answer to (DNS rebinding) ---------------------------------------------
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
    names = set(LOOPBACK_NAMES)
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


class ForeignRequest(tornado.web.RequestHandler):
    """The answer to a request for a name this server is not meant to answer to, or from a foreign page: 403,
    with what to do when the name is the room's own (before any route's handler, so nothing of it runs)."""

    def check_xsrf_cookie(self) -> None:  # nothing is done here, so nothing to protect
        return

    def prepare(self) -> None:
        from dol_toolkit.i18n import as_lang, t

        state = state_of(self)
        allowed = state.allowed_hosts if state is not None else LOOPBACK_NAMES
        host = host_name(self.request.headers.get("Host") or self.request.host or "")
        origin = self.request.headers.get("Origin")
        if host_allowed(host, allowed) and origin is not None:
            key, what = "serve.foreign_origin", origin
        else:
            key, what = "serve.foreign_host", host
        what = re.sub(r"[^\w.:\[\]/-]", "?", what)[:200]
        said = state.refused_said if state is not None else set()
        if what not in said and len(said) < 100:
            said.add(what)
            log.warning(t(key, as_lang(state.lang if state is not None else "da"), name=what))
        self.set_status(403)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(f"{t(key, 'da', name=what)}\n{t(key, 'en', name=what)}\n")


class ForeignMatcher(tornado.routing.Matcher):
    """Matches the requests :func:`request_allowed` refuses (the first rule of the application's router)."""

    def __init__(self, allowed: frozenset[str]) -> None:
        self.allowed = allowed

    def match(self, request: Any) -> dict[str, Any] | None:
        return None if request_allowed(request, self.allowed) else {}


# -- the --lan token ----------------------------------------------------------------------------------------------
async def has_token(handler: Any) -> bool:
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


def token_required(cls: type[Any]) -> type[Any]:
    """``cls`` that answers only a request carrying the server's token (or its login cookie): for ``--lan``, where
    every route (static files, templates, widget code, websockets) must need it, not only the pages."""

    class TokenRequired(cls):  # type: ignore[misc]
        async def prepare(self) -> None:
            if self.request.path.startswith(KERNEL_ONLY) and self.request.remote_ip in LOCAL:
                await ensure_async(super().prepare())  # a kernel of this server reading its visit
                return
            if not await has_token(self):
                raise tornado.web.HTTPError(403)
            await ensure_async(super().prepare())

    TokenRequired.__name__ = TokenRequired.__qualname__ = f"TokenRequired{cls.__name__}"
    return TokenRequired


def with_token(handlers: list[Any], root: str) -> list[Any]:
    """``handlers`` with the token required on every route but the login page's."""
    return [(h[0], token_required(h[1]), *h[2:])
            if not any(h[0].startswith(root.rstrip("/") + p) for p in OPEN_WITH_LAN) else h
            for h in handlers]


# -- the hub's login ----------------------------------------------------------------------------------------------
def with_hub_login(handlers: list[Any], root: str) -> list[Any]:
    """``handlers`` behind the hub's login (:mod:`dol_toolkit.hub`), with the route the hub sends the browser
    back to."""
    from dol_toolkit.hub import hub_required, oauth_callback_route

    wrapped = [(h[0], hub_required(h[1], KERNEL_ONLY), *h[2:]) for h in handlers]
    return [oauth_callback_route(root), *wrapped]


# -- the preparation: this machine only -----------------------------------------------------------------------------
def preparation_open(handler: Any) -> bool:
    """Whether the server ``handler`` belongs to serves the preparation (not with --lan, nor behind a hub)."""
    state = state_of(handler)
    return bool(state is not None and state.preparation_open)


def preparation_allowed(handler: Any) -> bool:
    """The preparation is served, and the request comes from this machine."""
    return preparation_open(handler) and handler.request.remote_ip in LOCAL


def refuse_preparation(handler: Any) -> None:
    from dol_toolkit.i18n import t

    handler.set_status(403)
    handler.set_header("Content-Type", "text/plain; charset=utf-8")
    handler.finish(f"{t('prep.refused', 'da')}\n{t('prep.refused', 'en')}\n")


# -- room for a large export on the preparation's own connections (dol_toolkit.uploads) ----------------------------
class UploadSocket:
    """Mixin for the kernel websocket handler: room for an upload on the preparation's own connections."""

    @property
    def max_message_size(self) -> int:
        try:
            allowed = preparation_allowed(self)
        except AttributeError:  # no request (yet): the default
            allowed = False
        return MESSAGE_ROOM_BYTES if allowed else DEFAULT_MESSAGE_BYTES


def listen_options() -> dict[str, Any]:
    """Options for the HTTP server: a read buffer for the largest upload message; bodies as tornado's default."""
    return {"max_buffer_size": MESSAGE_ROOM_BYTES + 1024 * 1024, "max_body_size": DEFAULT_BODY_BYTES}
