"""The room's warnings reach the facilitator: a page's log lines go to the terminal running `dol serve`, and
nothing of them to the participant's page."""

from __future__ import annotations

import pytest

from tests.browser.conftest import RESULTS
from tests.waiting import wait_until

pytestmark = pytest.mark.browser


def test_wrong_codes_are_told_on_the_server_console_and_not_on_the_page(page, workshop_server):
    frames: list[str] = []

    def listen(socket) -> None:
        socket.on("framereceived", lambda payload: frames.append(
            payload if isinstance(payload, str) else bytes(payload).decode("utf-8", "replace")))

    page.on("websocket", listen)
    before = len(workshop_server.log_text())
    workshop_server.open(page, RESULTS, '.dol-step-results .dol-chart[data-chart="likert"] img')
    page.get_by_role("button", name="Mine resultater").click()
    code_box = page.locator(".dol-code input")
    for typed in range(1, 3):
        code_box.fill(f"QQQQ-QQQ{typed}")
        page.get_by_role("button", name="Vis mine resultater").click()
        page.wait_for_selector(".dol-message .dol-error")
        line = f"wrong personal code: {typed} in a row on this page"
        wait_until(lambda line=line: line in workshop_server.log_text()[before:], timeout=60,
                   what=f"{line!r} on the server's console", log=workshop_server.log)
    console = workshop_server.log_text()[before:]
    assert "on the server in the last 60 s" in console and "QQQQ" not in console  # how many, never which
    # The first warning was written before the second code was typed: had it gone to the page, it would be there.
    seen_by_page = "\n".join(frames) + page.content()
    assert frames and "wrong personal code" not in seen_by_page
    assert "Koden passer ikke" in page.locator(".dol-message").inner_text()
