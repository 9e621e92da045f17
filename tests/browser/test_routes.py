"""The workshop server shows apps and nothing else: no files, no file lists, no terminals, no JupyterLab.

These tests use plain HTTP (no browser), so they run wherever the server can start.
"""

from __future__ import annotations

import http.client
import os
import re
from pathlib import Path
from types import SimpleNamespace

import psutil
import pytest

from dol_toolkit.i18n import t
from tests.browser.conftest import FIRST_LOAD_MS

SAMPLE = "data/samples/ledelsesevaluering_digital_omstilling.csv"


def _get(server, path: str, cookie: str = "") -> tuple[int, dict[str, str], bytes]:
    host, port = server.url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        # sent as written: no client-side normalisation of ../ or %2e
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        headers = {k.lower(): v for k, v in response.getheaders()}
        cookies = response.msg.get_all("Set-Cookie") or []
        headers["set-cookie"] = "; ".join(c.split(";")[0] for c in cookies)  # as a browser sends them back
        return response.status, headers, response.read()
    finally:
        conn.close()


def test_root_is_the_landing_page(workshop_server):
    status, headers, _ = _get(workshop_server, "/")
    assert status == 302
    assert headers["location"] == "/voila/render/workshop.ipynb"


# Every way a Jupyter or Voila server has of handing out files, listing folders or running code.
REFUSED = [
    # the sample data and other repository files, through every file route
    f"/files/{SAMPLE}",
    f"/voila/files/{SAMPLE}",
    f"/voila/files/../{SAMPLE}",
    f"/voila/files/%2e%2e/{SAMPLE}",
    f"/voila/files/..%2f{SAMPLE}",
    "/voila/files/workshop.ipynb",
    f"/voila/render/../{SAMPLE}",
    f"/voila/render/%2e%2e/{SAMPLE}",
    "/voila/render//etc/passwd",
    "/voila/render/%2fetc%2fpasswd",
    "/voila/static/../../../pyproject.toml",
    "/voila/templates/../../pyproject.toml",
    "/voila/templates/lab/static/../../../../../pyproject.toml",
    "/voila/templates/lab/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/pyproject.toml",
    "/voila/labextensions/../../../pyproject.toml",
    "/voila/api/themes/../../pyproject.toml",
    f"/{SAMPLE}",
    "/pyproject.toml",
    "/notebooks/workshop.ipynb",
    "/nbconvert/html/workshop.ipynb",
    # contents APIs and file lists
    "/api/contents",
    "/api/contents/",
    f"/api/contents/{SAMPLE}",
    "/api/contents/data/samples",
    "/voila/api/contents",
    "/voila/api/contents/",
    "/voila/api/contents/workshop.ipynb",
    "/voila/tree",
    "/voila/tree/",
    "/voila/tree/..",
    "/tree",
    # code execution and JupyterLab
    "/api/terminals",
    "/terminals/1",
    "/terminals/websocket/1",
    "/lab",
    "/lab/tree/workshop.ipynb",
    "/api/sessions",
    "/api/kernels",
    "/api/kernelspecs",
    "/api/config/common",
    "/api/nbconvert",
    "/api/status",
]


@pytest.mark.parametrize("path", REFUSED)
def test_route_is_refused(workshop_server, repo: Path, path: str):
    status, headers, body = _get(workshop_server, path)
    if status in (301, 302, 307, 308):  # a redirect is fine only to somewhere that is refused too
        status, headers, body = _get(workshop_server, headers["location"])
    assert status in (403, 404), f"{path} answered {status}"
    sample = (repo / SAMPLE).read_bytes()
    header_line = sample.splitlines()[0].decode("utf-8-sig")
    text = body.decode("utf-8", errors="replace")
    assert header_line not in text and "Respondent" not in text
    assert "ipynb\"" not in text and "dol_toolkit" not in text and "root:" not in text


def _secret_paths(repo: Path, workshop) -> list[tuple[Path, str]]:
    """The files a visitor must never get: the data, the workshop configuration (with code hashes), the notes."""
    return [(workshop.data_file, "data"), (workshop.config, "config"), (workshop.notes, "notes"),
            (repo / "workshop" / "eksempel.toml", "example config")]


def _routes_to(path: Path, notebooks: Path) -> list[str]:
    absolute = str(path).lstrip("/")
    relative = os.path.relpath(path, notebooks)
    encoded = relative.replace("/", "%2f").replace(".", "%2e")
    return [
        f"/files/{absolute}", f"/voila/files/{absolute}", f"/voila/files/{relative}", f"/voila/files/{encoded}",
        f"/voila/render/{absolute}", f"/voila/render/{relative}", f"/voila/render/{encoded}",
        f"/api/contents/{absolute}", f"/voila/api/contents/{relative}", f"/voila/tree/{relative}",
        f"/voila/static/{relative}", f"/voila/templates/lab/static/{relative}", f"/{relative}",
    ]


def test_data_config_and_notes_are_never_served(workshop_server, workshop, repo: Path):
    notebooks = repo / "notebooks"
    for path, what in _secret_paths(repo, workshop):
        content = path.read_bytes()
        marker = content[:200]
        for route in _routes_to(path, notebooks):
            status, headers, body = _get(workshop_server, route)
            if status in (301, 302, 307, 308):
                status, headers, body = _get(workshop_server, headers["location"])
            assert status in (403, 404), f"{what}: {route} answered {status}"
            assert marker not in body and b"scrypt$" not in body and b"SQLite format" not in body, route


def test_lan_mode_requires_the_token(repo: Path, artifacts: Path, workshop, browser):
    from tests.browser.conftest import start_server, stop_server

    server = start_server(repo, artifacts / "lan-server.log", [str(workshop.config), "--lan", "--preheat", "0"])
    try:
        log = server.log_text()
        match = re.search(r"http://([^/\s:]+):(\d+)/\?token=([\w-]+)", log)
        assert match, log
        host, token = match.group(1), match.group(3)
        assert not host.startswith("127."), "the printed address must be reachable from the room"
        for path in ("/voila/render/workshop.ipynb", "/voila/render/workshop.ipynb?step=results",
                     "/voila/render/1_resultater.ipynb", "/dol/status",
                     "/voila/render/workshop.ipynb?token=wrong"):
            status, headers, body = _get(server, path)
            assert status in (302, 403), (path, status)
            assert status == 403 or headers["location"].startswith("/login"), headers
            assert b"dol-page" not in body and b"Ledelse af digital omstilling" not in body
        for path in ("/api/kernels", "/voila/files/workshop.ipynb"):
            assert _get(server, path)[0] in (403, 404)
        # Not only the pages: static files, templates, widget code, the kernel's and the visit's websockets.
        static = ("/voila/templates/lab/static/index.css", "/voila/static/voila.js",
                  "/voila/labextensions/@voila-dashboards/widgets-manager8/package.json",
                  "/voila/templates/dol/static/index.css", "/voila/api/themes/light.css",
                  "/api/kernels/0000/channels", "/voila/query/0000", "/dol/status")
        room = SimpleNamespace(url=f"http://{host}:{match.group(2)}")  # as a device in the room reaches it
        for path in static:
            assert _get(room, path)[0] == 403, path
        status, headers, body = _get(room, f"/voila/render/workshop.ipynb?token={token}")
        assert status == 200 and b"voila" in body
        cookie = headers["set-cookie"]
        assert _get(room, "/voila/templates/lab/static/index.css", cookie)[0] == 200  # the page's own files
        assert _get(room, f"/voila/templates/lab/static/index.css?token={token}")[0] == 200
        # A browser in the room with the shared address gets the whole workshop (widget code, websockets).
        context = browser.new_context(viewport={"width": 1200, "height": 800})
        try:
            pg = context.new_page()
            pg.goto(f"{room.url}/?token={token}", timeout=FIRST_LOAD_MS)
            pg.goto(f"{room.url}/voila/render/workshop.ipynb?step=results", timeout=FIRST_LOAD_MS)
            pg.wait_for_selector(".dol-results .dol-body img", timeout=FIRST_LOAD_MS)
        finally:
            context.close()
        # The token is in no line of the log (the address it was printed in is the facilitator's console line).
        lines = [line for line in server.log_text().splitlines() if token in line]
        banners = (t("serve.banner_lan", "da", url=""), t("serve.banner_lan_here", "da", url=""))
        assert lines and all(line.startswith(banners) for line in lines), lines
        # It listens on every interface, not only this machine's loopback.
        assert any(c.laddr.ip in ("0.0.0.0", "::") for c in psutil.Process(server.process.pid).net_connections()
                   if c.status == psutil.CONN_LISTEN)
    finally:
        assert stop_server(server) is not None
