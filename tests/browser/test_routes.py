"""The workshop server shows apps and nothing else: no files, no file lists, no terminals, no JupyterLab.

These tests use plain HTTP (no browser), so they run wherever the server can start.
"""

from __future__ import annotations

import http.client
from pathlib import Path

import pytest

SAMPLE = "data/samples/ledelsesevaluering_digital_omstilling.csv"


def _get(server, path: str) -> tuple[int, dict[str, str], bytes]:
    host, port = server.url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        conn.request("GET", path)  # sent as written: no client-side normalisation of ../ or %2e
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def test_root_is_the_landing_page(workshop_server):
    status, headers, _ = _get(workshop_server, "/")
    assert status == 302
    assert headers["location"] == "/voila/render/start.ipynb"


# Every way a Jupyter or Voila server has of handing out files, listing folders or running code.
REFUSED = [
    # the sample data and other repository files, through every file route
    f"/files/{SAMPLE}",
    f"/voila/files/{SAMPLE}",
    f"/voila/files/../{SAMPLE}",
    f"/voila/files/%2e%2e/{SAMPLE}",
    f"/voila/files/..%2f{SAMPLE}",
    "/voila/files/start.ipynb",
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
    "/notebooks/start.ipynb",
    "/nbconvert/html/start.ipynb",
    # contents APIs and file lists
    "/api/contents",
    "/api/contents/",
    f"/api/contents/{SAMPLE}",
    "/api/contents/data/samples",
    "/voila/api/contents",
    "/voila/api/contents/",
    "/voila/api/contents/start.ipynb",
    "/voila/tree",
    "/voila/tree/",
    "/voila/tree/..",
    "/tree",
    # code execution and JupyterLab
    "/api/terminals",
    "/terminals/1",
    "/terminals/websocket/1",
    "/lab",
    "/lab/tree/start.ipynb",
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
