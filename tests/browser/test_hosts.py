"""Nothing gets in (issue 25): the server answers only the names it is meant to answer to (DNS rebinding), writes
no token into its log, and serves only the workshop's own page template.

A page at ``http://evil.example:PORT`` whose name an attacker resolves to this machine is its own origin to the
browser: if the server answered it, that page could run the workshop and read what it shows. Every route kind is
tried with a forged Host (a page, static files, the status, the preparation, a kernel's websocket, the visit's
websocket, posts), through plain HTTP and through Chromium resolving evil.example to 127.0.0.1.
"""

from __future__ import annotations

import http.client
import re
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest

from dol_toolkit.i18n import t
from dol_toolkit.server import lan_address
from tests.browser.conftest import (
    CHROMIUM_ARGS,
    FIRST_LOAD_MS,
    WORKSHOP,
    require_chromium,
    start_server,
    stop_server,
)

pytestmark = pytest.mark.browser

PREPARATION = "/voila/render/preparation.ipynb"
STATIC = ("/voila/templates/lab/static/index.css", "/voila/static/voila.js", "/voila/templates/dol/static/index.css",
          "/dol/status")
MARKER = b"shutdownOwed"  # the workshop page template's own script (saving on leaving, closing the kernel)


def _request(server, path: str, host: str | None = None, *, method: str = "GET", origin: str | None = None,
             cookie: str = "", websocket: bool = False, body: bytes | None = None,
             timeout: float = FIRST_LOAD_MS / 1000) -> tuple[int, dict[str, str], bytes]:
    """``method path`` to ``server`` with the Host header ``host`` (default: the server's own address), sent as
    written. ``websocket``: an upgrade request (the status 101 when it opens)."""
    address, port = server.url.removeprefix("http://").rsplit(":", 1)
    conn = http.client.HTTPConnection(address, int(port), timeout=timeout)
    headers = {"Host": host or f"{address}:{port}"}
    if origin:
        headers["Origin"] = origin
    if cookie:
        headers["Cookie"] = cookie
    if websocket:
        headers |= {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
                    "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        found = {k.lower(): v for k, v in response.getheaders()}
        cookies = response.msg.get_all("Set-Cookie") or []
        found["set-cookie"] = "; ".join(c.split(";")[0] for c in cookies)
        return response.status, found, b"" if response.status == 101 else response.read()
    finally:
        conn.close()


def _visit(server, path: str = WORKSHOP, host: str | None = None) -> tuple[int, str, str, bytes]:
    """A page's (status, kernel id, cookies, body)."""
    status, headers, body = _request(server, path, host)
    match = re.search(rb'"kernelId":\s*"([0-9a-f-]+)"', body)
    return status, match.group(1).decode() if match else "", headers["set-cookie"], body


def _release(server, kernel: str, cookie: str) -> None:
    """Close a page's kernel as its tab would on closing."""
    if kernel:
        _request(server, f"/voila/api/shutdown/{kernel}", method="POST", cookie=cookie, body=b"")


def _refused(status: int, body: bytes) -> bool:
    return status == 403 and MARKER not in body and b"Ledelse af digital omstilling" not in body


@pytest.fixture(scope="module")
def server(repo: Path, artifacts: Path, workshop):
    served = start_server(repo, artifacts / "hosts-server.log", [str(workshop.config), "--participants", "1"],
                          ready_pool=True)
    yield served
    assert stop_server(served) is not None


@pytest.fixture(scope="module")
def page_kernel(server):
    """A page opened the ordinary way (http://127.0.0.1:PORT): its kernel id and the cookies its tab holds."""
    status, kernel, cookie, _ = _visit(server)
    assert status == 200 and kernel, status
    yield kernel, cookie
    _release(server, kernel, cookie)


@pytest.mark.parametrize("name", ["evil.example", "127.0.0.1.evil.example"])
def test_a_forged_host_gets_nothing_of_any_route(server, page_kernel, name: str):
    port = server.url.rsplit(":", 1)[1]
    kernel, cookie = page_kernel
    for host in (f"{name}:{port}", name):
        for path in ("/", WORKSHOP, WORKSHOP + "?step=results", PREPARATION, "/voila/render/1_resultater.ipynb",
                     *STATIC, "/voila/api/themes/light.css", "/voila/files/logo.png", "/login", "/api/kernels"):
            status, _, body = _request(server, path, host)
            assert _refused(status, body), (host, path, status)
        assert t("serve.foreign_host", "en", name=name).encode() in body  # says what is wrong and what to do
        # The kernel's websocket and the visit's, with the page's own cookie: refused before they open.
        for path in (f"/api/kernels/{kernel}/channels?session_id={uuid.uuid4().hex}", f"/voila/query/{kernel}"):
            status, _, _ = _request(server, path, host, cookie=cookie, websocket=True,
                                    origin=f"http://{host}")
            assert status == 403, (host, path, status)
        # Posts: the kernel's model, its shutdown, the preparation's restart; none is done.
        for path in (f"/voila/api/shutdown/{kernel}", "/dol/restart", f"/api/kernels/{kernel}"):
            status, _, _ = _request(server, path, host, method="POST", cookie=cookie, body=b"{}",
                                    origin=f"http://{host}")
            assert status == 403, (host, path, status)
    # The page's kernel is still there for its own page: the refused shutdown did nothing.
    status, _, _ = _request(server, f"/api/kernels/{kernel}", cookie=cookie)
    assert status == 200


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost", "[::1]"])
def test_the_loopback_names_still_work_with_and_without_the_port(server, name: str):
    port = server.url.rsplit(":", 1)[1]
    for host in (f"{name}:{port}", name):
        for path in STATIC:
            assert _request(server, path, host)[0] == 200, (host, path)
    # The page, and its kernel's websocket with the page's own origin.
    host = f"{name}:{port}"
    status, kernel, cookie, body = _visit(server, WORKSHOP, host)
    try:
        assert status == 200 and MARKER in body and kernel
        path = f"/api/kernels/{kernel}/channels?session_id={uuid.uuid4().hex}"
        assert _request(server, path, host, cookie=cookie, websocket=True, origin=f"http://{host}")[0] == 101
    finally:
        _release(server, kernel, cookie)


def test_a_foreign_origin_is_refused(server, page_kernel):
    kernel, cookie = page_kernel
    port = server.url.rsplit(":", 1)[1]
    path = f"/api/kernels/{kernel}/channels?session_id={uuid.uuid4().hex}"
    for origin in (f"http://evil.example:{port}", "http://evil.example", "http://127.0.0.1:1", "null"):
        status, _, body = _request(server, path, cookie=cookie, websocket=True, origin=origin)
        assert status == 403, (origin, status)
        status, _, body = _request(server, f"/voila/api/shutdown/{kernel}", method="POST", cookie=cookie,
                                   body=b"", origin=origin)
        assert status == 403, (origin, status)
        assert t("serve.foreign_origin", "en", name=origin).encode() in body
    # The page's own origin still opens it (once at a time: the kernel has no other socket open now).
    assert _request(server, path, cookie=cookie, websocket=True, origin=f"http://127.0.0.1:{port}")[0] == 101


def test_chromium_does_not_run_the_workshop_for_a_rebound_name(server, artifacts: Path):
    """A page at http://evil.example:PORT, with evil.example resolved to this machine (DNS rebinding), gets
    neither the workshop nor the preparation's upload; the same browser at localhost gets both."""
    path = require_chromium()
    from playwright.sync_api import sync_playwright

    port = server.url.rsplit(":", 1)[1]
    sockets: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, headless=True,
                                     args=[*CHROMIUM_ARGS, "--host-resolver-rules=MAP evil.example 127.0.0.1"])
        try:
            context = browser.new_context(viewport={"width": 1200, "height": 800})
            context.on("websocket", lambda ws: sockets.append(ws.url))
            page = context.new_page()
            page.set_default_timeout(FIRST_LOAD_MS)
            for route in (f"{WORKSHOP}?step=results", PREPARATION, "/"):
                response = page.goto(f"http://evil.example:{port}{route}", timeout=FIRST_LOAD_MS)
                assert response is not None and response.status == 403, route
                text = page.locator("body").inner_text()
                assert t("serve.foreign_host", "da", name="evil.example") in text, text
                assert not page.locator(".dol-step-results, .dol-upload, .dol-landing").count()
            page.screenshot(path=str(artifacts / "hosts-rebound-name-refused.png"))
            assert not sockets, sockets  # no kernel was reached
            # The same browser on the machine's own name: the preparation (with its upload) and the workshop run.
            page.goto(f"http://localhost:{port}{PREPARATION}", timeout=FIRST_LOAD_MS)
            page.wait_for_selector(".dol-upload", timeout=FIRST_LOAD_MS)
            page.goto(f"http://localhost:{port}{WORKSHOP}?step=results", timeout=FIRST_LOAD_MS)
            page.wait_for_selector('.dol-step-results .dol-chart[data-chart="likert"] img', timeout=FIRST_LOAD_MS)
            context.close()
        finally:
            browser.close()


@pytest.fixture(scope="module")
def lan(repo: Path, artifacts: Path, workshop):
    """``dol serve --lan`` with two host names for the room: the server, its port, its token, and the address a
    device in the room reaches it at."""
    server = start_server(repo, artifacts / "hosts-lan-server.log",
                          [str(workshop.config), "--lan", "--participants", "0",
                           "--host-name", "workshop.test", "--host-name", "Rum-12.example.org"])
    try:
        match = re.search(r"http://([^/\s:]+):(\d+)/\?token=([\w-]+)", server.log_text())
        assert match, server.log_text()
        room = SimpleNamespace(url=f"http://{lan_address()}:{match.group(2)}")
        yield SimpleNamespace(server=server, port=match.group(2), token=match.group(3), room=room)
    finally:
        assert stop_server(server) is not None


def test_lan_mode_serves_its_address_and_host_names_only(lan):
    port, token, room = lan.port, lan.token, lan.room
    css = f"/voila/templates/lab/static/index.css?token={token}"
    for host in (f"{lan_address()}:{port}", f"workshop.test:{port}", "rum-12.example.org", f"localhost:{port}"):
        assert _request(room, css, host)[0] == 200, host
    for host in (f"evil.example:{port}", "evil.example", f"workshop.test.evil.example:{port}"):
        for path in (css, f"{WORKSHOP}?token={token}", f"/dol/status?token={token}"):
            status, _, body = _request(room, path, host)
            assert _refused(status, body), (host, path, status)


def test_no_log_line_holds_the_token_whatever_the_route_or_status(lan):
    """Requests the server refuses or answers with an error, the token in their address: none writes it into the
    log (a 403 for a file outside the allowlist wrote the whole address, token and all)."""
    port, token, room = lan.port, lan.token, lan.room
    status, _, _ = _request(room, f"/voila/files/../../workshop/eksempel.toml?token={token}")
    assert status in (403, 404)
    for path in (f"/voila/files/../../workshop/eksempel.toml?token={token}",
                 f"/voila/files/eksempel.toml?token={token}", f"/voila/files/notes.sqlite?token={token}",
                 f"/no/such/page?token={token}", f"/voila/render/other.ipynb?token={token}",
                 f"/voila/api/shutdown/0000?token={token}", f"/api/kernels/0000/channels?token={token}",
                 f"/login?next=%2Fvoila%2Frender%2Fworkshop.ipynb%3Ftoken%3D{token}"):
        for host in (f"{lan_address()}:{port}", f"evil.example:{port}"):
            _request(room, path, host)
            _request(room, path, host, method="POST", body=b"")
            _request(room, path, host, websocket=True)
    lines = [line for line in lan.server.log_text().splitlines() if token in line]
    banners = (t("serve.banner_lan", "da", url=""), t("serve.banner_lan_here", "da", url=""))
    assert lines and all(line.startswith(banners) for line in lines), lines


def test_a_host_name_that_is_not_one_is_refused_with_how_to_give_it(repo: Path):
    import subprocess

    from tests.browser.conftest import dol_command

    result = subprocess.run([*dol_command(), "serve", "--host-name", "http://workshop.local:8866/"], cwd=repo,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert t("serve.bad_host_name", "da", name="http://workshop.local:8866/") in result.stderr


@pytest.mark.parametrize("query", ["?template=lab", "?step=results&template=classic", "?template=reveal",
                                   "?template=nonexistent", "?template=../../../etc", "?template=lab&theme=dark"])
def test_only_the_workshops_template_is_served(server, query: str):
    """Whatever ``?template=`` (or ``?theme=``) says, the request ends with the workshop's own page (a kernel of
    the room's pool, with the page's script that saves on leaving and closes the kernel)."""
    status, kernel, cookie, body = _visit(server, WORKSHOP + query)
    try:
        assert status == 200, (query, status)
        assert MARKER in body, query
    finally:
        _release(server, kernel, cookie)
