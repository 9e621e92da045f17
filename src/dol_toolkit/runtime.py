"""What the workshop server hands the kernels it starts: one contract, written once, read once.

A page's kernel is a child process of ``dol serve``; it learns everything it needs from the server through its
environment. This module is the only place that names those variables:

* :func:`hand_to_kernels` is called once by the server (:mod:`dol_toolkit.server.app`) before Voila starts any
  kernel; the kernels inherit the server's environment;
* :func:`from_server` is what a kernel calls (the apps, :mod:`dol_toolkit.prepare`) to read it, as a
  :class:`KernelRuntime`.

What is handed over: the workshop configuration's path; the key of the workshop's shared content, which the server
computed before any kernel started (a kernel does not hash the export and the package again,
:func:`dol_toolkit.pages.cache.load_content`); where the preparation saves workshops; the secret a kernel asks the
server to restart with; whether the preparation is served; and, from Voila, the port and path of the server.

No widgets, no tornado: the server and the apps both import this module, which imports nothing of the toolkit.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path

CONFIG_ENV = "DOL_WORKSHOP_CONFIG"  # the workshop configuration's path
CONTENT_KEY_ENV = "DOL_CONTENT_KEY"  # the key of the shared content the server computed for that configuration
WORKSHOPS_ENV = "DOL_WORKSHOPS_DIR"  # where the preparation saves workshops
RESTART_SECRET_ENV = "DOL_RESTART_SECRET"  # the secret of a restart request (empty: none is taken)
PREPARATION_ENV = "DOL_PREPARATION"  # "1" where the preparation is served (the landing page offers it)
# Set by Voila for each kernel it starts: the server's port and path (a kernel talks to its server on 127.0.0.1).
PORT_ENV = "VOILA_APP_PORT"
SERVER_URL_ENV = "VOILA_SERVER_URL"
DEFAULT_PORT = 8866


@dataclass(frozen=True)
class KernelRuntime:
    """What a kernel knows of the server that started it (all defaults outside a server: JupyterLab, a script)."""

    config: Path | None = None
    content_key: str | None = None
    workshops_dir: Path | None = None
    restart_secret: str = ""
    preparation: bool = False
    port: int = DEFAULT_PORT
    server_url: str = "/"

    def local_url(self, path: str, scheme: str = "http") -> str:
        """The address of ``path`` on the server, from this machine (``path`` without a leading slash)."""
        return f"{scheme}://127.0.0.1:{self.port}{self.server_url}{path}"

    def content_key_for(self, config_path: Path | str | None) -> str | None:
        """The content key the server computed, when ``config_path`` is the configuration it serves; else None
        (the caller computes the key itself)."""
        if not self.content_key or self.config is None or config_path is None:
            return None
        try:
            same = Path(config_path).resolve() == self.config.resolve()
        except OSError:
            return None
        return self.content_key if same else None


def hand_to_kernels(*, config: Path | None, content_key: str | None, restart_secret: str, preparation: bool,
                    environ: MutableMapping[str, str] | None = None) -> KernelRuntime:
    """The server's half: put what its kernels need in its environment (they inherit it) and return it.

    ``config``: the configuration served, with ``content_key`` its shared content's key (None: no configuration
    given; a configuration named by the environment the server was started in is kept, without a key). The
    workshops folder is the one already named in the environment, else ``./workshops``."""
    env = os.environ if environ is None else environ
    if config is not None:
        env[CONFIG_ENV] = str(config)
    if config is not None and content_key:
        env[CONTENT_KEY_ENV] = content_key
    else:
        env.pop(CONTENT_KEY_ENV, None)  # a key from another server (a restart) is not this configuration's
    env.setdefault(WORKSHOPS_ENV, str(Path.cwd() / "workshops"))
    env[PREPARATION_ENV] = "1" if preparation else "0"
    env[RESTART_SECRET_ENV] = restart_secret
    return from_server(env)


def from_server(environ: Mapping[str, str] | None = None) -> KernelRuntime:
    """The kernel's half: what the server handed over (defaults where no server started this process)."""
    env = os.environ if environ is None else environ
    port = env.get(PORT_ENV, "")
    return KernelRuntime(
        config=Path(env[CONFIG_ENV]) if env.get(CONFIG_ENV) else None,
        content_key=env.get(CONTENT_KEY_ENV) or None,
        workshops_dir=Path(env[WORKSHOPS_ENV]) if env.get(WORKSHOPS_ENV) else None,
        restart_secret=env.get(RESTART_SECRET_ENV, ""),
        preparation=env.get(PREPARATION_ENV) == "1",
        port=int(port) if port.isdigit() else DEFAULT_PORT,
        server_url=env.get(SERVER_URL_ENV, "/") or "/",
    )
