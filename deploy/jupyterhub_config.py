"""JupyterHub configuration for the leadership workshops: each workshop a hub service behind the hub's login.

Run it from the project folder, with the project's environment (``make hub`` does this):

    DOL_WORKSHOPS=workshop/teknik.toml:workshop/social.toml .venv/bin/jupyterhub -f deploy/jupyterhub_config.py

* ``DOL_WORKSHOPS``: the workshop configurations, separated by ``:`` (default: the example workshop). Each one
  becomes ``/services/<its name>/`` with its own landing page and its own notes (its ``notes.database``: a
  SQLite file each, or one PostgreSQL URL for all, see the README).
* ``DOL_FIRST_PORT``: the first service's port on this machine (default 10101; the next workshops the next).
* ``DOL_PARTICIPANTS``: pages each workshop keeps ready (default: each configuration's ``[room] participants``).
* ``DOL_HOST_NAMES``: the names participants reach the hub by (e.g. ``hub.example.org``, several separated by
  commas). A workshop answers only these, 127.0.0.1/localhost and the hub's ``c.JupyterHub.public_url``; a
  request for any other name gets 403 (a page whose name an attacker points at the hub gets nothing).

Who may log in is the hub's business: its default authenticator (the machine's users, PAM) or the
organisation's (``c.JupyterHub.authenticator_class``, e.g. an OAuthenticator for Azure AD), set below this file
or in a file that loads it (``load_subconfig``). Every user the hub lets in may open the workshop services; to
limit a room to its leaders, give ``workshop_roles`` the users or groups.
"""

import os
from pathlib import Path

from dol_toolkit.hub import FIRST_PORT, workshop_roles, workshop_services

c = get_config()  # noqa: F821 (JupyterHub's configuration loader provides it)

here = Path(__file__).resolve().parent
listed = os.environ.get("DOL_WORKSHOPS", str(here.parent / "workshop" / "eksempel.toml"))
participants = os.environ.get("DOL_PARTICIPANTS")
services = workshop_services(
    [p for p in listed.split(os.pathsep) if p.strip()],
    first_port=int(os.environ.get("DOL_FIRST_PORT", FIRST_PORT)),
    participants=int(participants) if participants else None,
    environment={k: os.environ[k] for k in ("DOL_CACHE_DIR", "PGPASSWORD") if k in os.environ},
    host_names=os.environ.get("DOL_HOST_NAMES", "").replace(",", " ").split(),
)
c.JupyterHub.services = services
c.JupyterHub.load_roles = workshop_roles(services)
# One workshop: straight to it after the login. Several: the hub's home page lists them (Services).
if len(services) == 1:
    c.JupyterHub.default_url = f"/services/{services[0]['name']}/"
