"""The workshop through a real JupyterHub (PyPI) with its proxy (configurable-http-proxy, npm registry): two
workshops as hub services (deploy/jupyterhub_config.py), a dummy authenticator with two users, Chromium.

Where the proxy is missing the test skips with how to install it, unless DOL_REQUIRE_HUB=1 (CI, whose .ci/run
installs it from the npm registry).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest

from dol_toolkit.hub import service_name
from dol_toolkit.workshop import load_config, write_codes
from tests.browser.conftest import FIRST_LOAD_MS
from tests.ports import free_port, free_ports
from tests.waiting import http_status, no_redirect_opener, stops_with_the_test, wait_until

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "workshop-test-kode"
USERS = ("anne", "bo")
MISSING_PROXY = ("configurable-http-proxy not found, the JupyterHub test skipped. Install it from the npm "
                 "registry: `npm install -g configurable-http-proxy` (or set DOL_CHP to its path).")



def _proxy() -> str:
    path = os.environ.get("DOL_CHP") or shutil.which("configurable-http-proxy")
    if not path or not Path(path).exists():
        if os.environ.get("DOL_REQUIRE_HUB") == "1":
            pytest.fail("DOL_REQUIRE_HUB=1 but " + MISSING_PROXY)
        pytest.skip(MISSING_PROXY)
    return path


def _workshop(folder: Path, name: str) -> tuple[Path, dict[str, str]]:
    text = (REPO / "workshop" / "eksempel.toml").read_text(encoding="utf-8")
    text = text.replace('file = "../data/samples/', f'file = "{REPO.as_posix()}/data/samples/')
    text = text.replace('database = "../var/eksempel-notes.sqlite"', 'database = "notes.sqlite"')
    text = text.replace('name = "Ledergruppe Teknik og Miljø"', f'name = "{name}"', 1)
    text = text.replace("participants = 10", "participants = 1")
    folder.mkdir()
    config = folder / "workshop.toml"
    config.write_text(text, encoding="utf-8")
    return config, write_codes(config)


def _wait(url: str, seconds: float, what: str, process: subprocess.Popen[bytes], log: Path,
          ok: tuple[int, ...] = (200,)) -> None:
    port = int(url.split(":")[2].split("/")[0])
    wait_until(lambda: http_status(url) in ok, timeout=seconds, what=f"{what} ({url} answering {ok})",
               process=process, log=log, port=port)


def _stop(process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    """Ctrl-C, then (after ``seconds``) kill the process group, which holds what the process started."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=seconds)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory, _content_cache: Path):
    proxy = _proxy()
    folder = tmp_path_factory.mktemp("hub")
    teknik, codes = _workshop(folder / "teknik", "Ledergruppe Teknik og Miljø")
    social, _ = _workshop(folder / "social", "Ledergruppe Social og Sundhed")
    # Every port the hub needs is reserved for this test (tests/ports.py), the two services' side by side.
    port, hub_port, api_port, first = free_port(), free_port(), free_port(), free_ports(2)
    token = secrets.token_hex(32)
    # The proxy is started here, not by the hub: the hub gives a proxy it starts 10 s to answer and then stops,
    # which a busy machine does not always make. This waits on the proxy's API instead (a hub with an external
    # proxy, as JupyterHub documents it).
    proxy_log = folder / "proxy.log"
    proxy_handle = proxy_log.open("wb")
    proxy_process = subprocess.Popen(
        [proxy, "--ip", "127.0.0.1", "--port", str(port), "--api-ip", "127.0.0.1", "--api-port", str(api_port),
         "--default-target", f"http://127.0.0.1:{hub_port}", "--error-target", f"http://127.0.0.1:{hub_port}/hub/error"],
        env=dict(os.environ, CONFIGPROXY_AUTH_TOKEN=token), stdout=proxy_handle, stderr=subprocess.STDOUT,
        start_new_session=True, preexec_fn=stops_with_the_test(signal.SIGTERM))
    config = folder / "jupyterhub_config.py"
    config.write_text(
        "c = get_config()  # noqa\n"
        f"load_subconfig({str(REPO / 'deploy' / 'jupyterhub_config.py')!r})\n"
        f"c.JupyterHub.bind_url = 'http://127.0.0.1:{port}'\n"
        "c.JupyterHub.hub_ip = '127.0.0.1'\n"
        f"c.JupyterHub.hub_port = {hub_port}\n"
        "c.ConfigurableHTTPProxy.should_start = False\n"
        f"c.ConfigurableHTTPProxy.auth_token = {token!r}\n"
        f"c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:{api_port}'\n"
        "c.JupyterHub.authenticator_class = 'dummy'\n"
        f"c.DummyAuthenticator.password = {PASSWORD!r}\n"
        f"c.Authenticator.allowed_users = {set(USERS)!r}\n"
        f"c.JupyterHub.db_url = 'sqlite:///{folder}/jupyterhub.sqlite'\n"
        f"c.JupyterHub.cookie_secret_file = '{folder}/cookie_secret'\n"
        f"c.JupyterHub.pid_file = '{folder}/jupyterhub.pid'\n",
        encoding="utf-8",
    )
    env = dict(os.environ, DOL_WORKSHOPS=os.pathsep.join([str(teknik), str(social)]), DOL_FIRST_PORT=str(first),
               DOL_CACHE_DIR=str(_content_cache))
    log = folder / "hub.log"
    handle = log.open("wb")
    process: subprocess.Popen[bytes] | None = None
    names = [service_name(teknik, "Ledergruppe Teknik og Miljø"), service_name(social, "Ledergruppe Social og Sundhed")]
    try:
        # The proxy's API answers 200 to its token once it is up.
        request = urllib.request.Request(f"http://127.0.0.1:{api_port}/api/routes",
                                         headers={"Authorization": f"token {token}"})
        wait_until(lambda: urllib.request.urlopen(request, timeout=5).status == 200, timeout=240,
                   what="the hub's proxy", process=proxy_process, log=proxy_log, port=api_port)
        process = subprocess.Popen([str(Path(sys.executable).with_name("jupyterhub")), "-f", str(config)],
                                   cwd=folder, env=env, stdout=handle, stderr=subprocess.STDOUT,
                                   start_new_session=True, preexec_fn=stops_with_the_test(signal.SIGTERM))
        # The hub answers once its services are up (it starts them one after the other before it serves).
        _wait(f"http://127.0.0.1:{port}/hub/health", 600, "the hub", process, log)
        for i, name in enumerate(names):  # each service answers (with the hub's login) on its own port
            _wait(f"http://127.0.0.1:{first + i}/services/{name}/dol/status", 240, f"workshop service {name}",
                  process, log, ok=(200, 302))

        def routed() -> list[str]:  # the hub tells the proxy its services' routes after it answers itself
            with urllib.request.urlopen(request, timeout=5) as response:
                routes = json.loads(response.read())
            return [name for name in names if f"/services/{name}" not in routes]

        wait_until(lambda: not routed(), timeout=240, what="the services' routes in the hub's proxy",
                   process=process, log=log, port=api_port)
        yield {"url": f"http://127.0.0.1:{port}", "codes": codes, "names": names, "log": log,
               "teknik": load_config(teknik), "social": load_config(social)}
    finally:
        if process is not None:
            _stop(process)  # the hub stops its services on Ctrl-C once it has started
        _stop(proxy_process, 10)
        handle.close()
        proxy_handle.close()
        # A hub stopped before it had started (a failed set-up) leaves its services (their own sessions) running.
        left = [p for p in psutil.process_iter(["cmdline"]) if str(folder) in " ".join(p.info["cmdline"] or [])]
        for service in left:
            with contextlib.suppress(psutil.NoSuchProcess):
                for child in [*service.children(recursive=True), service]:
                    child.kill()


def _login(browser, hub, user: str):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(FIRST_LOAD_MS)
    page.set_default_navigation_timeout(FIRST_LOAD_MS)
    page.goto(hub["url"] + "/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", PASSWORD)
    page.click("#login_submit")
    page.wait_for_url("**/hub/**")
    return context, page


def test_without_the_hub_login_nothing_of_the_workshop_answers(hub):
    name = hub["names"][0]
    opener = no_redirect_opener()
    for path in ("", "voila/render/workshop.ipynb", "dol/status", "voila/static/voila.js", "api/kernels"):
        try:
            response = opener.open(f"{hub['url']}/services/{name}/{path}", timeout=30)
            status, location = response.status, response.headers.get("Location", "")
        except urllib.error.HTTPError as exc:
            status, location = exc.code, exc.headers.get("Location", "")
        assert status in (302, 403), (path, status)
        if status == 302:  # to the hub's login, never into the workshop
            assert "/hub/api/oauth2/authorize" in location or "/hub/login" in location, (path, location)


def test_two_users_through_the_hub_see_the_group_and_each_only_their_own_view(browser, hub, artifacts):
    name = hub["names"][0]
    leaders = {"anne": "Klaus Tønnesen", "bo": sorted(x for x in hub["codes"] if x != "Klaus Tønnesen")[0]}
    contexts = []
    try:
        pages = {}
        for user in USERS:
            context, page = _login(browser, hub, user)
            contexts.append(context)
            page.goto(f"{hub['url']}/services/{name}/")
            page.wait_for_selector(".dol-landing .dol-steps a")
            assert not page.locator(".dol-preparation-step").count()  # the preparation is not served on a hub
            page.goto(f"{hub['url']}/services/{name}/voila/render/workshop.ipynb?step=results&lang=da")
            page.wait_for_selector('.dol-step-results .dol-chart[data-chart="likert"] img', timeout=FIRST_LOAD_MS)
            assert page.get_by_text("Resultater – Ledergruppe Teknik og Miljø").is_visible()
            pages[user] = page
        for user, page in pages.items():
            leader = leaders[user]
            page.get_by_role("button", name="Mine resultater").click()
            page.locator(".dol-code input").fill(hub["codes"][leader])
            page.get_by_role("button", name="Vis mine resultater").click()
            page.get_by_text(f"Dine resultater – {leader}").wait_for()
            other = leaders["bo" if user == "anne" else "anne"]
            assert other not in page.locator("body").inner_text()
            page.screenshot(path=str(artifacts / f"hub-personal-{user}.png"))
        # The second workshop is a room of its own, with its own landing page and its own name on the results.
        page = pages["anne"]
        page.goto(f"{hub['url']}/services/{hub['names'][1]}/")
        page.wait_for_selector(".dol-landing .dol-steps a")
        page.locator(".dol-landing .dol-steps a").first.click()
        page.get_by_text("Resultater – Ledergruppe Social og Sundhed").wait_for(timeout=FIRST_LOAD_MS)
        assert "Klaus Tønnesen" not in page.locator("body").inner_text()  # anne's own view stayed in its room
        page.screenshot(path=str(artifacts / "hub-second-workshop.png"))
    finally:
        for context in contexts:
            context.close()
    assert hub["teknik"].notes_database != hub["social"].notes_database
