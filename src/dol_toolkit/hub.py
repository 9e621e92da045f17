"""The workshop on a JupyterHub: each workshop a hub service behind the hub's login.

The choice: one shared workshop service per workshop, started and proxied by the hub (a *managed service*), not
Voila under each user's own server. The workshop is one room's shared place (the group's notes, the pool of
pages ready for the room, the personal-code gate): a server per user would give every leader an empty copy of
it. As a service, ``dol serve --hub`` runs once per workshop; the hub's proxy sends ``/services/<name>/`` to it;
every route of it (pages, widget code, websockets) needs a user the hub has logged in, through the hub's OAuth
(:class:`jupyterhub.services.auth.HubOAuth`). A leader's own results still need their personal code: the hub
says who may enter the room, the code says whose results are shown.

A day of workshops is several services side by side (:func:`workshop_services`), one landing page each, each
with its own notes (its workshop's name in the notes database, its own SQLite file or one PostgreSQL database
shared by all). JupyterHub, its proxy and its authenticator are the hub's own; nothing here replaces them.

``deploy/jupyterhub_config.py`` uses this module; the README's "JupyterHub" section says how to run it.
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from dol_toolkit.errors import EnglishError

FIRST_PORT = 10101  # the first service's port on the hub's machine; the next workshops take the next ones
# How long the hub waits for a workshop service to answer before it gives up and stops (JupyterHub's own default,
# 30 s, is less than a workshop's first start can take on a busy laptop: it prepares the group's content first).
SERVICE_TIMEOUT = 300
_FORWARDED = "X-Forwarded-For"  # set by the hub's proxy on every request it passes on


class HubError(EnglishError, ValueError):
    """``dol serve --hub`` outside a hub, or a workshop list a hub cannot serve; the message says what to do."""


def service_address() -> tuple[str, int, str]:
    """(ip, port, prefix) of this service, from what the hub gives a managed service in its environment."""
    url = os.environ.get("JUPYTERHUB_SERVICE_URL", "")
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "")
    if not url or not prefix or not os.environ.get("JUPYTERHUB_API_TOKEN"):
        raise HubError("dol serve --hub runs as a JupyterHub service, started by the hub (JUPYTERHUB_SERVICE_URL, "
                       "JUPYTERHUB_SERVICE_PREFIX and JUPYTERHUB_API_TOKEN are not set); list the workshop in "
                       "jupyterhub_config.py with dol_toolkit.hub.workshop_services, or run dol serve without --hub")
    parts = urlparse(url)
    if not parts.port:
        raise HubError(f"JUPYTERHUB_SERVICE_URL {url} names no port; give the service's url a port in "
                       "jupyterhub_config.py")
    # The address to bind: the service URL's host (a managed service on the hub's machine), or DOL_HUB_BIND where
    # the proxy reaches the service through another name (Kubernetes: http://hub:10101, bound on 0.0.0.0).
    ip = os.environ.get("DOL_HUB_BIND") or parts.hostname or "127.0.0.1"
    return ip, parts.port, prefix.rstrip("/") + "/"


def hub_required(cls: type[Any], kernel_only: str) -> type[Any]:
    """``cls`` that answers only a user the hub has logged in and allows into this service; a page request
    without one is sent to the hub's login (and back), anything else gets 403. ``kernel_only``: the route a
    kernel of this server reads its visit from, straight from this machine (not through the proxy).

    The check sits in ``prepare`` beside Jupyter's own (whose identity is the anonymous one of a token-less
    Voila); mixing the hub's handler class in would replace Jupyter's user handling under it."""

    class HubRequired(cls):  # type: ignore[misc]
        async def prepare(self) -> None:
            request = self.request
            local = request.remote_ip in ("127.0.0.1", "::1") and _FORWARDED not in request.headers
            if not (kernel_only in request.path and local) and not hub_user(self):
                if _auth().get_user(self):  # logged in, but not let into this workshop: no login loop
                    raise _forbidden()
                if request.method in ("GET", "HEAD") and request.headers.get("Upgrade", "").lower() != "websocket":
                    self.redirect(login_url(self))
                    return
                raise _forbidden()
            await _prepared(self, cls)

    HubRequired.__name__ = HubRequired.__qualname__ = f"HubRequired{cls.__name__}"
    return HubRequired


async def _prepared(handler: Any, cls: type[Any]) -> None:
    from jupyter_core.utils import ensure_async

    await ensure_async(cls.prepare(handler))


def _forbidden() -> Exception:
    import tornado.web

    return tornado.web.HTTPError(403)


def _auth() -> Any:
    from jupyterhub.services.auth import HubOAuth

    return HubOAuth.instance()


def hub_user(handler: Any) -> dict[str, Any] | None:
    """The hub's user of this request, if the hub logged them in and lets them into this service."""
    auth = _auth()
    user: dict[str, Any] | None = auth.get_user(handler)
    if not user:
        return None
    if auth.access_scopes and not auth.check_scopes(auth.access_scopes, user):
        return None
    return user


def login_url(handler: Any) -> str:
    """The hub's login, with the OAuth state that brings the browser back to this request's page."""
    from tornado.httputil import url_concat

    auth = _auth()
    params: dict[str, str] = {}
    verifier = None
    if getattr(auth, "pkce_enabled", False):
        verifier, challenge, method = auth.generate_pkce_code_challenge()
        params |= {"code_challenge": challenge, "code_challenge_method": method}
    params["state"] = auth.set_state_cookie(handler, next_url=handler.request.uri, code_verifier=verifier)
    return str(url_concat(auth.login_url, params))


def oauth_callback_route(root: str) -> tuple[str, type[Any]]:
    """Where the hub sends the browser back after its login (``<prefix>oauth_callback``)."""
    from jupyterhub.services.auth import HubOAuthCallbackHandler

    return (root + "oauth_callback", HubOAuthCallbackHandler)


def service_name(config_path: Path, name: str) -> str:
    """The service's name (its address, ``/services/<name>/``): the workshop's name in lowercase ASCII."""
    text = unicodedata.normalize("NFKD", name.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
                                 .replace("Æ", "Ae").replace("Ø", "Oe").replace("Å", "Aa"))
    slug = re.sub(r"[^a-z0-9]+", "-", text.encode("ascii", "ignore").decode().lower()).strip("-")
    return slug or re.sub(r"[^a-z0-9]+", "-", config_path.stem.lower()).strip("-") or "workshop"


def workshop_services(configs: Sequence[str | Path], *, first_port: int = FIRST_PORT,
                      participants: int | None = None, dol: Sequence[str] | None = None,
                      environment: dict[str, str] | None = None,
                      host_names: Sequence[str] = ()) -> list[dict[str, Any]]:
    """``c.JupyterHub.services`` for the workshops in ``configs``: one managed service each, on its own port of
    this machine, named after its workshop. Each configuration is checked first (a wrong path or leader stops
    the hub with the configuration's own message, not a service that dies later). ``dol``: the command that
    runs dol (default: this Python's). ``environment``: passed to every service (e.g. ``DOL_CACHE_DIR``).
    ``host_names``: the names participants reach the hub by (``hub.example.org``): a service answers only those,
    the loopback names and the hub's ``public_url`` (DNS rebinding, see
    :func:`dol_toolkit.server.access.allowed_hosts`)."""
    from dol_toolkit.workshop import load_config

    command = list(dol) if dol else [sys.executable, "-m", "dol_toolkit.cli"]
    services: list[dict[str, Any]] = []
    names: dict[str, Path] = {}
    for i, config in enumerate(configs):
        cfg = load_config(Path(config))
        name = service_name(cfg.path, cfg.name)
        if name in names:
            raise HubError(f"{cfg.path} and {names[name]} name the same workshop service {name!r}; give the "
                           "workshops different names ([workshop] name)")
        names[name] = cfg.path
        room = ["--participants", str(participants)] if participants is not None else []
        room += [option for host in host_names for option in ("--host-name", host)]
        services.append({
            "name": name,
            "display": True,
            "info": {"workshop": cfg.name},
            "url": f"http://127.0.0.1:{first_port + i}",
            "command": [*command, "serve", str(cfg.path), "--hub", *room],
            "oauth_no_confirm": True,  # the hub's own workshop: no "authorize this service" page
            "timeout": SERVICE_TIMEOUT,
            "environment": dict(environment or {}),
        })
    return services


def workshop_roles(services: Sequence[dict[str, Any]], users: Sequence[str] | None = None,
                   groups: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """``c.JupyterHub.load_roles``: the hub's users (or only ``users`` / ``groups``) may open the workshop
    services (scope ``access:services!service=<name>``); nothing more."""
    role: dict[str, Any] = {
        "name": "dol-workshop",
        "description": "open the leadership workshops",
        "scopes": [f"access:services!service={s['name']}" for s in services],
    }
    if users is None and groups is None:
        return [{"name": "user", "scopes": ["self", *role["scopes"]]}]
    role["users"] = list(users or [])
    role["groups"] = list(groups or [])
    return [role]
