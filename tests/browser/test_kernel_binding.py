"""A kernel answers only the page it was handed to (a participant with another page's kernel id in hand, from the
page source on a shared laptop or the server's log, can neither read nor stop it), and a page speaks only the
widget protocol to its own kernel: no code, no shutdown, no interrupt."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import re
import time
import urllib.error
import urllib.request
import uuid
from http.cookies import SimpleCookie

import pytest
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

from tests.browser.conftest import FIRST_LOAD_MS, RESULTS, Server
from tests.browser.notes_support import kernel_id, kernel_process

pytestmark = pytest.mark.browser


def _run(coroutine):
    """Run ``coroutine`` on an event loop of its own (the test's thread has Playwright's)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result(timeout=180)


def _message(msg_type: str, content: dict, channel: str = "shell") -> str:
    header = {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "session": "attacker", "username": "",
              "version": "5.3", "date": ""}
    return json.dumps({"header": header, "parent_header": {}, "metadata": {}, "content": content,
                       "channel": channel, "buffers": []})


def _http(server: Server, method: str, path: str, cookie: str = "") -> int:
    request = urllib.request.Request(server.url + path, method=method, data=b"" if method == "POST" else None,
                                     headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def _open_socket(server: Server, kid: str, cookie: str = ""):
    url = server.url.replace("http://", "ws://") + f"/api/kernels/{kid}/channels?session_id={uuid.uuid4().hex}"
    return websocket_connect(HTTPRequest(url, headers={"Cookie": cookie} if cookie else {}, request_timeout=30))


def _refused(server: Server, kid: str, cookie: str = "") -> int | None:
    """The HTTP status a websocket to ``kid`` is refused with (None: it opened)."""
    async def attempt() -> int | None:
        try:
            ws = await _open_socket(server, kid, cookie)
        except HTTPClientError as exc:
            return int(exc.code)
        ws.close()
        return None
    return _run(attempt())


def _page_cookie(context) -> str:
    return "; ".join(f"{c['name']}={c['value']}" for c in context.cookies())


def test_another_pages_kernel_cannot_be_reached_with_its_id(workshop_server, page):
    page.goto(workshop_server.url + RESULTS)
    page.wait_for_selector(".dol-results .dol-body img", timeout=FIRST_LOAD_MS)
    kid = kernel_id(page)
    process = kernel_process(workshop_server, kid)
    # Someone with the id only (the server log, the page source on a shared laptop):
    assert _refused(workshop_server, kid) == 403
    assert _http(workshop_server, "GET", f"/api/kernels/{kid}") == 403
    assert _http(workshop_server, "DELETE", f"/api/kernels/{kid}") == 403
    assert _http(workshop_server, "POST", f"/voila/api/shutdown/{kid}") == 403
    assert _http(workshop_server, "GET", "/api/kernels") in (403, 404)  # no list of kernel ids
    # Another tab of the same browser (the page's cookies, the id from its source) while the page is open:
    cookie = _page_cookie(page.context)
    assert _refused(workshop_server, kid, cookie) == 403
    assert _http(workshop_server, "DELETE", f"/api/kernels/{kid}", cookie) == 403
    opened = page.evaluate(
        """(kid) => new Promise((resolve) => {
            const ws = new WebSocket(location.origin.replace('http', 'ws') + '/api/kernels/' + kid + '/channels');
            ws.onopen = () => { ws.close(); resolve('opened'); };
            ws.onerror = () => resolve('refused');
            setTimeout(() => resolve('no answer'), 20000);
        })""", kid)
    assert opened == "refused"
    time.sleep(1)
    assert process.is_running()  # nothing of this ended the kernel
    page.locator("a[data-dol-step='reflection']").first.click()  # and the page goes on working
    page.wait_for_selector(".dol-step-reflection textarea", timeout=FIRST_LOAD_MS)


def test_a_page_speaks_only_the_widget_protocol_to_its_kernel(workshop_server: Server):
    """With the page's own cookie and websocket: code, a shutdown request and an interrupt are dropped; the kernel
    still answers; its shutdown-on-close still works."""
    jar = SimpleCookie()
    with urllib.request.urlopen(workshop_server.url + RESULTS, timeout=120) as response:
        html = response.read().decode("utf-8")
        for header in response.headers.get_all("Set-Cookie") or []:
            jar.load(header)
    kid = re.search(r'"kernelId":\s*"([0-9a-f-]+)"', html).group(1)
    cookie = "; ".join(f"{k}={m.value}" for k, m in jar.items())
    process = kernel_process(workshop_server, kid)
    marker = f"/tmp/dol-attack-{uuid.uuid4().hex}"

    async def talk() -> list[str]:
        ws = await _open_socket(workshop_server, kid, cookie)
        await ws.write_message(_message("execute_request", {
            "code": f"open({marker!r}, 'w').write('ran')", "silent": False, "store_history": False,
            "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}))
        await ws.write_message(_message("shutdown_request", {"restart": False}, channel="control"))
        await ws.write_message(_message("interrupt_request", {}, channel="control"))
        await ws.write_message(_message("kernel_info_request", {}))
        seen: list[str] = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and "kernel_info_reply" not in seen:
            frame = await asyncio.wait_for(ws.read_message(), 60)
            if frame is None:
                break
            if isinstance(frame, str):
                seen.append(json.loads(frame)["header"]["msg_type"])
        await asyncio.sleep(6)  # anything the dropped requests would have done has happened by now
        ws.close()
        return seen

    seen = _run(talk())
    assert "kernel_info_reply" in seen  # the kernel answers the page
    assert "execute_reply" not in seen and "shutdown_reply" not in seen and "interrupt_reply" not in seen
    assert process.is_running() and process.status() != "zombie"
    assert f"kernel {kid} restarted" not in workshop_server.log_text()  # never shut down (and restarted)
    from pathlib import Path

    assert not Path(marker).exists()  # the code never ran
    assert _http(workshop_server, "POST", f"/voila/api/shutdown/{kid}", cookie) == 204  # closing the tab works
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.is_running():
        time.sleep(0.3)
    assert not process.is_running() or process.status() == "zombie"
