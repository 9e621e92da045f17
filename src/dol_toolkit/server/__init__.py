"""Serve the workshop notebooks as apps with Voila, and nothing else (``dol serve``).

One concern a module:

* :mod:`~dol_toolkit.server.app`: the app (:class:`WorkshopVoila`), its Voila command line and :func:`serve`;
* :mod:`~dol_toolkit.server.handlers`: the routes (pages, kernels, status, restart, the old pages' redirects);
* :mod:`~dol_toolkit.server.pool`: the room's pool of ready pages;
* :mod:`~dol_toolkit.server.binding`: a kernel bound to its page with a secret, the messages a page may send;
* :mod:`~dol_toolkit.server.access`: the Host/Origin rule, the --lan token, the hub's login, the preparation
  for this machine only (and room for its uploads);
* :mod:`~dol_toolkit.server.logs`: no secret in the log, no noise in the console;
* :mod:`~dol_toolkit.server.state`: the running server's state (in its tornado settings);
* :mod:`~dol_toolkit.server.names`: the notebooks served and the addresses kept;
* :mod:`~dol_toolkit.server.voila_internals`: every use of Voila's internals, checked.

What the server hands its kernels is :mod:`dol_toolkit.runtime`; the content it prepares is
:mod:`dol_toolkit.pages`. The server imports nothing of :mod:`dol_toolkit.apps`.
"""

from __future__ import annotations

from dol_toolkit.server.access import (
    DEFAULT_IP,
    allowed_hosts,
    host_allowed,
    host_name,
    origin_allowed,
    request_allowed,
    valid_host_name,
)
from dol_toolkit.server.app import (
    DEFAULT_PORT,
    OUTPUT_WAIT_SECONDS,
    RELEASE_SECONDS,
    WorkshopVoila,
    find_notebooks,
    lan_address,
    prepare_content,
    serve,
    voila_argv,
)
from dol_toolkit.server.binding import ALLOWED_MESSAGES
from dol_toolkit.server.handlers import SHUTDOWN_GRACE_SECONDS
from dol_toolkit.server.logs import NOISE, SCRUBBED, scrub, scrub_logs
from dol_toolkit.server.names import APPS, LANDING, OLD_PAGES, PREPARATION, TEMPLATE
from dol_toolkit.server.pool import (
    DEFAULT_PARTICIPANTS,
    HANDOUT_WAIT_SECONDS,
    REFILL_DELAY_SECONDS,
    REFILL_GAP_SECONDS,
    REFILL_NOW_BELOW,
    RoomStatus,
)

__all__ = [
    "ALLOWED_MESSAGES",
    "APPS",
    "DEFAULT_IP",
    "DEFAULT_PARTICIPANTS",
    "DEFAULT_PORT",
    "HANDOUT_WAIT_SECONDS",
    "LANDING",
    "NOISE",
    "OLD_PAGES",
    "OUTPUT_WAIT_SECONDS",
    "PREPARATION",
    "REFILL_DELAY_SECONDS",
    "REFILL_GAP_SECONDS",
    "REFILL_NOW_BELOW",
    "RELEASE_SECONDS",
    "SCRUBBED",
    "SHUTDOWN_GRACE_SECONDS",
    "TEMPLATE",
    "RoomStatus",
    "WorkshopVoila",
    "allowed_hosts",
    "find_notebooks",
    "host_allowed",
    "host_name",
    "lan_address",
    "origin_allowed",
    "prepare_content",
    "request_allowed",
    "scrub",
    "scrub_logs",
    "serve",
    "valid_host_name",
    "voila_argv",
]
