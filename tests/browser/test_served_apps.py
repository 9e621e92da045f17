"""dol serve serves its app notebooks and nothing else: a notebook a researcher saves beside them, or in a folder
under them, answers 404 and is never run in a kernel kept ready for the room. Plain HTTP, no browser."""

from __future__ import annotations

import http.client
import shutil
import time

import nbformat
import psutil

from tests.browser.conftest import start_server, stop_server

MARK = "RESEARCH-NOTEBOOK-RAN"


def _status(server, path: str) -> int:
    host, port = server.url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=120)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def test_a_notebook_saved_beside_the_apps_is_not_served(repo, tmp_path, workshop, artifacts):
    folder = tmp_path / "notebooks"
    shutil.copytree(repo / "notebooks", folder)
    marker = tmp_path / "ran.txt"
    research = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        f"open({str(marker)!r}, 'w').write({MARK!r})\nprint({MARK!r})")])
    (folder / "sub").mkdir()
    for path in (folder / "analyse.ipynb", folder / "sub" / "analyse.ipynb", folder / "sub" / "workshop.ipynb"):
        nbformat.write(research, path)
    server = start_server(repo, artifacts / "served-apps-server.log",
                          [str(workshop.config), "--notebooks", str(folder), "--participants", "2"])
    try:
        server.wait_for_pool()
        for path in ("/voila/render/analyse.ipynb", "/voila/render/sub/analyse.ipynb",
                     "/voila/render/sub/workshop.ipynb", "/voila/render/./analyse.ipynb"):
            assert _status(server, path) == 404, path
        assert _status(server, "/voila/render/workshop.ipynb") == 200
        time.sleep(2)  # any kernel Voila would have preheated for the other notebooks has run by now
        assert not marker.exists(), "a kernel ran the researcher's notebook"
        kernels = [p for p in psutil.Process(server.process.pid).children(recursive=True)
                   if "ipykernel" in " ".join(p.cmdline())]
        assert len(kernels) <= 3, kernels  # the room's 2 pages (+1 being replaced), none for other notebooks
    finally:
        assert stop_server(server) is not None
