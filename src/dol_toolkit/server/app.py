"""The workshop server: Voila's standalone app narrowed to the workshop (:class:`WorkshopVoila`), its command
line (:func:`voila_argv`) and :func:`serve`, which prepares the workshop's shared content and runs it.

What is the same for everyone (the imported export, the group's figures and charts) is computed once, before the
kernels start, and kept on disk (:mod:`dol_toolkit.pages.cache`); its key is handed to the kernels
(:mod:`dol_toolkit.runtime`), whose pages only read it.

Kernels are shut down when a tab closes, when the server stops, and when no page has been connected to them for
``RELEASE_SECONDS`` (a page closed before its app appeared, a plain GET): the preheated ones waiting for a visit
are kept. The server's state is the app's traits and, while it runs, one :class:`~dol_toolkit.server.state.ServerState`
in its tornado settings.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import secrets
import signal
import socket
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tornado.ioloop
import tornado.routing
from jupyter_server.log import log_request
from traitlets import Bool, Integer, List, Unicode

from dol_toolkit import runtime
from dol_toolkit.server import voila_internals
from dol_toolkit.server.access import (
    DEFAULT_IP,
    ForeignMatcher,
    ForeignRequest,
    allowed_hosts,
    listen_options,
)
from dol_toolkit.server.binding import ALLOWED_MESSAGES, bind_started_kernels
from dol_toolkit.server.handlers import workshop_handlers
from dol_toolkit.server.logs import calm_logs, scrub_logs
from dol_toolkit.server.names import LANDING, TEMPLATE
from dol_toolkit.server.pool import (
    DEFAULT_PARTICIPANTS,
    RoomStatus,
    hand_out_rendered_pages,
    refill_soon_when_low,
)
from dol_toolkit.server.state import STATE, ServerState
from dol_toolkit.server.voila_internals import Voila

if TYPE_CHECKING:
    from dol_toolkit.i18n import Lang
    from dol_toolkit.workshop import WorkshopConfig

DEFAULT_PORT = runtime.DEFAULT_PORT
# A kernel that no page has been connected to for this long is given back (a page closed before its app appeared,
# a GET that never opened the websocket). Preheated kernels waiting for a visit are not.
RELEASE_SECONDS = 60
# How long the page's rendering waits for a cell's output once the kernel has said the cell ran (Voila's
# executor; nbclient's default is 4 s). On a busy laptop, a room's kernels starting at once, the widgets' output can
# come later than that: the page was then served without its app, and never showed anything ("Timeout waiting
# for IOPub output" in the console). Normally the output is there at once, so a long wait costs nothing.
OUTPUT_WAIT_SECONDS = 120
_PACKAGE = Path(__file__).resolve().parents[1]  # src/dol_toolkit


class WorkshopVoila(Voila):  # type: ignore[misc]
    """Voila's standalone app, with the landing page at ``/`` and no file browsing."""

    name = "dol-serve"
    room_target = Integer(0, help="Pages kept ready for the room (0: no pool).")
    room_lang = Unicode("da", help="The workshop's language: the console's lines.")
    hub = Bool(False, help="A JupyterHub service: every route behind the hub's login (dol_toolkit.hub).")
    host_names = List(Unicode(), help="Further Host names served (--host-name); the rest see access.allowed_hosts.")
    lan = Bool(False, help="Bound to every interface for a room (--lan).")
    has_config = Bool(False, help="A workshop configuration is served ('/' is the workshop, else the preparation).")
    restart_secret = Unicode("", help="The secret a kernel of this server restarts it with (empty: no restart).")
    restart_options = List(Unicode(), help="`dol serve` options for a restart on another configuration.")

    def initialize(self, argv: Any = None) -> None:
        super().initialize(argv)
        self.state: ServerState | None = None
        scrub_logs(self.token, self.restart_secret)
        calm_logs(self.log, lambda: self.state is not None and self.state.stopping)

    def _new_state(self) -> ServerState:
        return ServerState(
            allowed_hosts=allowed_hosts(self.ip, lan=self.lan, host_names=tuple(self.host_names), hub=self.hub),
            lang=self.room_lang, target=self.room_target, hub=self.hub, restart_secret=self.restart_secret,
            restart_options=tuple(self.restart_options), has_config=self.has_config,
            # the preparation is served on the facilitator's own machine: not with --lan, nor behind a hub
            preparation_open=not self.token and not self.hub)

    def listen(self) -> None:
        """Listen, with the access rule (:func:`~dol_toolkit.server.access.request_allowed`) before every route
        (also tornado's own static routes and the hub's login callback): a request it refuses reaches no handler
        but :class:`~dol_toolkit.server.access.ForeignRequest`."""
        assert self.state is not None
        self.app.default_router.rules.insert(
            0, tornado.routing.Rule(ForeignMatcher(self.state.allowed_hosts), ForeignRequest))
        self.app.listen = functools.partial(self.app.listen, **listen_options())  # room for a large upload
        super().listen()

    def init_handlers(self) -> list[Any]:
        assert self.state is not None
        return workshop_handlers(super().init_handlers(), self.server_url, self.state, token=bool(self.token),
                                 hub=self.hub)

    def init_settings(self) -> dict[str, Any]:
        settings: dict[str, Any] = super().init_settings()
        voila_internals.require()
        state = self.state = self._new_state()
        settings[STATE] = state
        km = self.kernel_manager
        bind_started_kernels(km, state.binding)
        # A page speaks the widget protocol to its kernel, nothing else: Voila's own list (given to the kernel
        # manager when it is made, so no configuration reaches it) also lets a page send shutdown_request.
        km.allowed_message_types = list(ALLOWED_MESSAGES)
        # Request lines in the log without the token (tornado's own log writes the whole address).
        settings["log_function"] = functools.partial(log_request, record_prometheus_metrics=False)
        # Jupyter's error pages link a favicon through static_url, which needs a static_path.
        settings.setdefault("static_path", str(voila_internals.static_folder()))
        if state.target > 0:
            def stopping() -> bool:
                return state.stopping

            refill_soon_when_low(km)
            hand_out_rendered_pages(km, on_handed_out=state.binding.bind_visit, stopping=stopping)
            state.status = RoomStatus(km, LANDING, state.target, lambda line: print(line, flush=True), state.lang,
                                      stopping=stopping)
            tornado.ioloop.PeriodicCallback(state.status.tick, 1000).start()
        return settings

    def stop(self) -> None:
        """Shut every kernel down before the connection files go away: Ctrl-C leaves no kernel behind."""
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the shutdown short
        if self.state is not None:
            self.state.stopping = True
        try:
            km = self.kernel_manager
            if km is not None:
                # No new page for the room from here on: a refill would start kernels (each one the heaviest
                # thing this server does) only for the shutdown to kill them, and on a busy machine hold it up.
                voila_internals.stop_refills(km)
            if km is not None and list(km.list_kernel_ids()):
                self.ioloop.run_sync(lambda: km.shutdown_all(now=True), timeout=20)
        except BaseException:  # also the Ctrl-C that cut a kernel start short, raised again in the shutdown
            # the server is stopping anyway: every kernel left is killed below
            self.log.warning("could not shut all kernels down cleanly", exc_info=True)
        connections = str(getattr(self, "connection_dir", "") or "")
        kill_remaining_kernels(connections)
        try:
            super().stop()
        finally:
            kill_remaining_kernels(connections)  # one that a request still in flight started meanwhile


def kill_remaining_kernels(connection_dir: str, seconds: float = 10) -> None:
    """Kill every kernel of this server still there after the shutdown (one whose shutdown was cut short, or
    started while the server was stopping), and wait for them: none outlives the server. A kernel is this
    server's when it is its child or when its connection file lies in the server's connection folder (a kernel
    whose parent is gone)."""
    import psutil

    mine = {p.pid for p in psutil.Process().children(recursive=True)}
    kernels = []
    for process in psutil.process_iter(["pid", "cmdline"]):
        line = " ".join(process.info.get("cmdline") or [])
        if "ipykernel" in line and (process.pid in mine or (connection_dir and connection_dir in line)):
            kernels.append(process)
    for process in kernels:
        with contextlib.suppress(psutil.Error):
            process.kill()
    psutil.wait_procs(kernels, timeout=seconds)


def voila_argv(
    notebooks: Path,
    *,
    port: int = DEFAULT_PORT,
    ip: str = DEFAULT_IP,
    cull_idle_seconds: int = RELEASE_SECONDS,
    preheat: int = 0,
    token: str | None = None,
    template: str | None = TEMPLATE,
    language: str = "da",
    quiet: bool = False,
    base_url: str = "/",
) -> list[str]:
    """Command-line settings for the workshop server (also used by plain ``voila`` in benchmarks). ``quiet``:
    the server's own log says only what goes wrong (warnings and errors); the facilitator reads our lines."""
    argv = [
        str(notebooks),
        "--no-browser",
        f"--port={port}",
        f"--Voila.ip={ip}",
        "--Voila.port_retries=0",
        # A closed tab sends a shutdown request for its kernel; accept it so kernels do not pile up.
        "--Voila.tornado_settings=disable_check_xsrf=True",
        # Kernels talk to the server over local sockets, not TCP ports: a room's kernels starting at once can
        # pick the same free port over TCP (a kernel then dies with "Address already in use").
        *(["--KernelManager.transport=ipc"] if os.name == "posix" else []),
        # A kernel no page is connected to is given back after this long (connected ones are kept however idle;
        # preheated ones waiting for a visit are kept by Voila's kernel manager).
        f"--MappingKernelManager.cull_idle_timeout={cull_idle_seconds}",
        f"--MappingKernelManager.cull_interval={max(5, min(60, cull_idle_seconds // 4))}",
        "--MappingKernelManager.cull_connected=False",
        f"--VoilaExecutor.iopub_timeout={OUTPUT_WAIT_SECONDS}",
        # /voila/files/ serves images from the notebooks folder, nothing else.
        "--VoilaConfiguration.file_allowlist",
        r".*\.(png|jpg|jpeg|gif|svg)",
        "--VoilaConfiguration.file_denylist",
        r".*\.(ipynb|py|toml|csv|tsv|txt|xlsx|xls|sav|sqlite|db|json|yml|yaml|md)",
    ]
    if template:
        argv.append(f"--VoilaConfiguration.template={template}")
        # Only this template and the default theme: no ?template= or ?theme= of a visitor's choosing.
        argv += ["--VoilaConfiguration.allow_template_override=NO", "--VoilaConfiguration.allow_theme_override=NO"]
        # The page's lang attribute before its script sets the visit's (the page is rendered before the visit).
        argv.append(f"--VoilaExporter.language_code={language}")
    if preheat > 0:
        # Kernels that have run the app before anyone visits: the first chart is there at once.
        argv += ["--VoilaConfiguration.preheat_kernel=True", f"--VoilaConfiguration.default_pool_size={preheat}",
                 # Only the workshop page has pages ready (the preparation is one page for one facilitator); Voila
                 # would otherwise run every notebook under the folder in kernels kept for the room.
                 f"--VoilaKernelManager.preheat_denylist=^(?!{re.escape(str(notebooks.resolve()))}/{re.escape(LANDING)}$)"]
    if token:
        argv.append(f"--Voila.token={token}")
    if base_url != "/":  # behind a JupyterHub proxy: every route under the service's prefix
        argv.append(f"--Voila.base_url={base_url}")
    if quiet:
        argv.append("--Voila.log_level=WARN")
    return argv


def find_notebooks(path: str | Path | None = None) -> Path:
    """The folder of workshop notebooks: the given one, or ./notebooks, or the repository's."""
    candidates = [Path(path)] if path else [Path.cwd() / "notebooks", _PACKAGE.parents[1] / "notebooks"]
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


def prepare_content(config: WorkshopConfig, say: Callable[[str], None]) -> str:
    """Compute the workshop's shared content before any kernel starts (or find it in the cache); its key."""
    from dol_toolkit.i18n import t
    from dol_toolkit.pages.cache import ensure_content

    lang = config.language
    say(t("serve.preparing", lang))
    started = time.monotonic()
    content, reused = ensure_content(config)
    key = "serve.content_reused" if reused else "serve.content_made"
    say(t(key, lang, seconds=f"{time.monotonic() - started:.1f}"))
    return content.key


def serve(
    config: str | Path | None = None,
    *,
    notebooks: str | Path | None = None,
    port: int = DEFAULT_PORT,
    ip: str = DEFAULT_IP,
    lan: bool = False,
    participants: int | None = None,
    release_seconds: int = RELEASE_SECONDS,
    hub: bool = False,
    host_names: tuple[str, ...] = (),
) -> None:
    """Run the workshop server until Ctrl-C.

    ``config``: the workshop configuration the apps use (checked, and its shared content computed, before the
    server starts; kernels get its path and the content's key, :mod:`dol_toolkit.runtime`). ``lan``: bind every
    network interface for a room and require a token, printed in the address to share. ``participants``: pages
    kept ready for the room (default: the configuration's ``[room] participants``, else 10; 0 turns preheating
    off). ``release_seconds``: a kernel no page is connected to is shut down after this long. ``hub``: run as a
    JupyterHub service (:mod:`dol_toolkit.hub`): the address and prefix come from the hub, every route needs
    the hub's login, and the preparation is not served. ``host_names``: names the room reaches this machine by
    (``--host-name``), served beside the loopback names and the bound address (see
    :func:`~dol_toolkit.server.access.allowed_hosts`).
    """
    from dol_toolkit.i18n import t

    folder = find_notebooks(notebooks)
    base_url = "/"
    if hub:
        from dol_toolkit.hub import service_address

        ip, port, base_url = service_address()
    lang: Lang = "da"
    target = DEFAULT_PARTICIPANTS if participants is None else participants
    config_path: Path | None = None
    content_key: str | None = None
    if config is not None:
        from dol_toolkit.workshop import load_config

        cfg = load_config(config)
        config_path = cfg.path
        lang = cfg.language
        if participants is None and cfg.participants is not None:
            target = cfg.participants
        content_key = prepare_content(cfg, lambda line: print(line, flush=True))
    # Ctrl-C at any moment, also before Voila's own handler is in place (the banner is already on the screen):
    # nothing to clean up yet that Voila's stop() does not, and no traceback.
    with contextlib.suppress(KeyboardInterrupt):
        _start(folder, port, ip, lan, target, participants, release_seconds, lang, base_url, host_names,
               hub=hub, config_path=config_path, content_key=content_key)
    kill_remaining_kernels("")  # a Ctrl-C before Voila's stop() could run: no kernel outlives the server
    print(t("serve.stopped", lang), flush=True)


def _start(folder: Path, port: int, ip: str, lan: bool, target: int, participants: int | None,
           release_seconds: int, lang: Lang, base_url: str = "/", host_names: tuple[str, ...] = (), *,
           hub: bool = False, config_path: Path | None = None, content_key: str | None = None) -> None:
    """The banner, what the kernels are handed, then Voila until it stops."""
    from dol_toolkit.i18n import t

    # Voila finds the workshop's page template ("dol") in the package's share folder.
    share = str(_PACKAGE / "share" / "jupyter")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (share, os.environ.get("JUPYTER_PATH")) if p)
    token = None
    rule = "-" * 72
    print(rule, flush=True)
    if lan:
        ip = "0.0.0.0"
        token = secrets.token_urlsafe(18)
        print(t("serve.banner_lan", lang, url=f"http://{lan_address()}:{port}/?token={token}"), flush=True)
        print(t("serve.banner_lan_here", lang, url=f"http://127.0.0.1:{port}/?token={token}"), flush=True)
    elif hub:
        print(t("serve.banner_hub", lang, prefix=base_url), flush=True)
    else:
        print(t("serve.banner_local", lang, url=f"http://{ip}:{port}/"), flush=True)
    print(t("serve.banner_stop", lang), flush=True)
    print(rule, flush=True)
    if target > 0:
        print(t("serve.starting", lang, target=target), flush=True)
    # What the kernels are handed (they inherit this environment): the preparation's (whether it is served, where
    # workshops are saved, the secret of a restart) and the workshop's (its configuration, its content's key).
    local_only = not (lan or hub)
    handed = runtime.hand_to_kernels(config=config_path, content_key=content_key, preparation=local_only,
                                     restart_secret=secrets.token_urlsafe(24) if local_only else "")
    restart_options = (
        "--port", str(port), "--ip", ip, "--release-after", str(release_seconds), "--notebooks", str(folder),
        *(["--participants", str(participants)] if participants is not None else []),
        *(option for name in host_names for option in ("--host-name", name)))
    WorkshopVoila.launch_instance(
        argv=voila_argv(folder, port=port, ip=ip, preheat=target, token=token, cull_idle_seconds=release_seconds,
                        language=lang, quiet=True, base_url=base_url),
        room_target=target, room_lang=lang, hub=hub, lan=lan, host_names=list(host_names),
        has_config=handed.config is not None, restart_secret=handed.restart_secret,
        restart_options=list(restart_options))
