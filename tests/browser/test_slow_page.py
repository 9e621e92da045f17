"""A page that is slow to load keeps its kernel (issue 26: "a page never shows its first view").

The server gives back a kernel no page has been connected to for its release time (``--release-after``): a page
closed before its app appeared. A page that is only slow to load its app's code (a busy laptop serving a room, a
phone on a weak network) had its kernel given back meanwhile and never showed its app: it stayed on "Workshoppen
starter …" or said "Error displaying widget: model not found" (the CI run of 3ab3859 with four workers). Here the
app's code (``voila.js``) is held back in the browser for several release times.
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

import pytest

from tests.browser.conftest import FIRST_LOAD_MS, REFLECTION
from tests.browser.notes_support import GROUP_NOTE, kernel_id, make_workshop, serve, shutdown

RELEASE_S = 5  # the server's release time here; the culler looks every 5 s
HELD_S = 4 * RELEASE_S + 6  # how long the app's code is held back: several release times and culler rounds
APP_CODE = "**/voila/static/voila.js*"


@pytest.fixture(scope="module")
def slow_server(repo: Path, artifacts: Path, tmp_path_factory: pytest.TempPathFactory):
    ws = make_workshop(repo, tmp_path_factory.mktemp("slow-page"))
    server = serve(repo, ws, artifacts / "slow-page-server.log", "--participants", "2",
                   "--release-after", str(RELEASE_S))
    server.wait_for_pool()
    yield server
    shutdown(server)


class HeldBack:
    """The first request for the app's code, held in the browser until ``release()``."""

    def __init__(self) -> None:
        self.route = None

    def __call__(self, route) -> None:
        if self.route is None:
            self.route = route
        else:
            route.continue_()

    def release(self) -> None:
        if self.route is not None:
            # the page may have left (loaded anew): then nothing is waiting for it any more
            with contextlib.suppress(Exception):
                self.route.continue_()


def _kernel_ids_asked(requests: list[str]) -> list[str]:
    return [url.split("/api/kernels/", 1)[1].split("?", 1)[0] for url in requests if "/api/kernels/" in url]


def _wait(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError(f"{what} within {timeout} s")


def test_a_page_slow_to_load_its_app_keeps_its_kernel(browser, slow_server):
    held = HeldBack()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        asked: list[str] = []
        page.on("request", lambda request: asked.append(request.url))
        page.route(APP_CODE, held)
        page.goto(slow_server.url + REFLECTION, wait_until="commit", timeout=FIRST_LOAD_MS)
        page.wait_for_selector("#jupyter-config-data", state="attached", timeout=FIRST_LOAD_MS)  # kernel handed out
        first = kernel_id(page)
        _wait(lambda: held.route is not None, 60, "the page did not ask for the app's code")
        time.sleep(HELD_S)
        assert f"({first})" not in slow_server.log_text(), "the loading page's kernel was given back"
        held.release()
        page.wait_for_selector(GROUP_NOTE, timeout=FIRST_LOAD_MS)
        assert kernel_id(page) == first, "the page was loaded anew instead of keeping its kernel"
        # It kept it by asking for its kernel while it loaded, every few seconds, and only for its own kernel.
        ids = _kernel_ids_asked(asked)
        assert set(ids) == {first} and len(ids) >= HELD_S // 5, ids
        page.locator(GROUP_NOTE).first.fill("skrevet efter en langsom start")
        page.wait_for_selector(".dol-note-group .dol-save-ok", timeout=FIRST_LOAD_MS)
    finally:
        held.release()
        context.close()


def test_a_page_whose_kernel_went_while_it_loaded_loads_anew(browser, slow_server):
    """The kernel goes while the page loads (here: the page's requests for it are cut off, so it is given back):
    the page notices that its kernel is gone, loads itself anew and shows its app with a new kernel."""
    held = HeldBack()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    cut_off = {"on": True}

    def kernel_requests(route) -> None:
        if cut_off["on"]:
            route.abort()
        else:
            route.continue_()

    try:
        page = context.new_page()
        page.route(APP_CODE, held)
        page.route("**/api/kernels/*", kernel_requests)
        page.goto(slow_server.url + REFLECTION, wait_until="commit", timeout=FIRST_LOAD_MS)
        page.wait_for_selector("#jupyter-config-data", state="attached", timeout=FIRST_LOAD_MS)
        first = kernel_id(page)
        _wait(lambda: f"({first})" in slow_server.log_text(), 120,
              "the kernel of a page that did not ask for it was not given back")
        cut_off["on"] = False
        page.wait_for_selector(GROUP_NOTE, timeout=FIRST_LOAD_MS)  # loaded anew, by itself
        second = kernel_id(page)
        assert second != first
        page.locator(GROUP_NOTE).first.fill("skrevet efter en ny start")
        page.wait_for_selector(".dol-note-group .dol-save-ok", timeout=FIRST_LOAD_MS)
    finally:
        held.release()
        context.close()
