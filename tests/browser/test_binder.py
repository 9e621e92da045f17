"""Binder: the files are where repo2docker reads them, and the Jupyter server they configure opens Voila on the
workshop's landing page at the README badge's address (started here as Binder starts it: ``start`` wrapping
``jupyter server``; the image build itself is Binder's)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import yaml

from tests.browser.conftest import FIRST_LOAD_MS, SERVER_START_S
from tests.ports import free_port
from tests.waiting import stops_with_the_test, wait_until

REPO = Path(__file__).resolve().parents[2]


def _badge_urlpath() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    found = re.search(r"\(https://mybinder\.org/v2/gh/[^)\s]*\?urlpath=([^)\s]+)\)", readme)
    assert found, "the README has a Binder badge with ?urlpath="
    return urllib.parse.unquote(found.group(1))


def test_binder_reads_the_environment_and_the_start_script_at_the_root():
    assert not (REPO / "binder").exists() and not (REPO / ".binder").exists()  # else Binder ignores the root
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip  # the toolkit itself, from the repository Binder checked out
    assert any(str(d).startswith("voila") for d in env["dependencies"])
    start = REPO / "start"
    assert os.access(start, os.X_OK) and start.read_text().startswith("#!/bin/bash")
    assert subprocess.run(["bash", "-n", str(start)]).returncode == 0
    urlpath = _badge_urlpath()
    assert urlpath == "voila/render/notebooks/workshop.ipynb"
    assert (REPO / urlpath.removeprefix("voila/render/")).is_file()



def test_the_binder_server_opens_voila_on_the_landing_page(browser, tmp_path, artifacts):
    port = free_port()
    jupyter = str(Path(sys.executable).with_name("jupyter"))
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
               JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    env.pop("DOL_WORKSHOP_CONFIG", None)
    log = (tmp_path / "server.log").open("wb")
    # Binder runs: start jupyter server (its own options); the token is off here as Binder's is its own.
    process = subprocess.Popen([str(REPO / "start"), jupyter, "server", "--no-browser", "--allow-root",
                                f"--port={port}", "--IdentityProvider.token=", f"--ServerApp.root_dir={REPO}"],
                               cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                               preexec_fn=stops_with_the_test(signal.SIGTERM))
    context = browser.new_context(viewport={"width": 1300, "height": 900}, locale="da-DK")
    try:
        wait_until(lambda: urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status", timeout=5).status == 200,
                   timeout=SERVER_START_S, what="the Binder server", process=process, log=tmp_path / "server.log",
                   port=port)
        page = context.new_page()
        page.set_default_timeout(FIRST_LOAD_MS)
        page.set_default_navigation_timeout(FIRST_LOAD_MS)
        page.goto(f"http://127.0.0.1:{port}/{_badge_urlpath()}")
        page.wait_for_selector(".dol-landing .dol-steps a")
        steps = page.locator(".dol-landing .dol-steps a").all_inner_texts()
        assert steps == ["1 Resultater", "2 Refleksion", "3 Cases", "4 Handlingsplan"]  # no preparation here
        page.screenshot(path=str(artifacts / "binder-landing.png"))
        page.locator(".dol-landing .dol-steps a").first.click()
        page.wait_for_selector('.dol-chart[data-chart="likert"] img')
        assert page.get_by_text("Resultater – Ledergruppe Teknik og Miljø").is_visible()
    finally:
        context.close()
        os.killpg(process.pid, 2)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait()
        log.close()
