"""The notebooks the server serves and the addresses it keeps: no logic; the steps' old pages come from the step
registry (dol_toolkit.steps), where a step is registered once."""

from __future__ import annotations

from dol_toolkit.steps import OLD_PAGES as OLD_PAGES

LANDING = "workshop.ipynb"
TEMPLATE = "dol"
# The preparation (step 0, dol_toolkit.apps.preparation): only for requests from this machine, never with --lan.
# Its kernels have the restart secret (dol_toolkit.runtime); with it, a kernel of this server asks the server to
# serve the configuration it saved (POST /dol/restart): the server shuts its kernels down and runs `dol serve`
# again on it, in the same process, at the same address.
PREPARATION = "preparation.ipynb"
# The notebooks dol serve serves, and nothing else: a notebook a researcher saves beside them (or in a folder
# under them) is neither rendered (404) nor run in a kernel ready for the room.
APPS = (LANDING, PREPARATION)
# Routes of stock standalone Voila that show files or folders rather than apps.
REMOVED_ROUTES = ("/voila/tree", "/voila/api/contents")
# Routes open without the token even with --lan: the login page (where the token is typed); and, from this
# machine only, the visit's query that a kernel reads (dol_toolkit.apps._visit), which holds nothing personal.
OPEN_WITH_LAN = ("/login", "/logout")
KERNEL_ONLY = "/voila/query/"
LOCAL = ("127.0.0.1", "::1")
