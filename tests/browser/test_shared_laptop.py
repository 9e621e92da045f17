"""A shared laptop: leader A opens what is theirs on one page, closes it, and leader B, on the same page, finds
nothing of it: not on screen (not even at the moment of the click), not in the page, not in a link. (That no live
widget in the kernel or the browser holds it is checked on the widgets themselves, in
tests/apps/test_workshop_page.py.)"""

from __future__ import annotations

import uuid

import pytest

from tests.browser.conftest import CASES, FIRST_LOAD_MS, PLAN, REFLECTION, RESULTS

pytestmark = pytest.mark.browser

LEADER = "Morten Vestergaard"

# Click the close button and, in the same turn of the page's event loop, read what the screen shows.
CLOSE_AND_LOOK = """([selector, secrets]) => {
    const button = Array.from(document.querySelectorAll(selector)).find((b) => b.offsetParent !== null);
    if (!button) { return 'no close button'; }
    button.click();
    const shown = document.body.innerText;
    return secrets.filter((s) => shown.includes(s)).join(', ');
}"""


def _nothing_of_a_left(page, secrets: list[str]) -> None:
    page.wait_for_function("(secrets) => !secrets.some((s) => document.documentElement.outerHTML.includes(s))",
                           arg=secrets, timeout=30_000)
    html = page.content()
    assert not [s for s in secrets if s in html]
    links = page.eval_on_selector_all("a[href]", "(links) => links.map((a) => a.href + ' ' + a.textContent)")
    assert not [x for x in links if x.startswith("data:") or any(s in x for s in secrets)], links


def _open_gate(page, code: str, button: str) -> None:
    page.locator(".dol-code input:visible").first.fill(code)
    page.get_by_role("button", name=button).first.click()


def test_a_then_b_on_the_results_step(page, workshop_server, workshop):
    page.goto(workshop_server.url + RESULTS)
    page.get_by_role("button", name="Mine resultater").click()
    _open_gate(page, workshop.codes[LEADER], "Vis mine resultater")
    page.get_by_text(f"Dine resultater – {LEADER}").wait_for(timeout=FIRST_LOAD_MS)
    page.wait_for_selector('.dol-chart[data-chart="means"] img', timeout=FIRST_LOAD_MS)
    shown = page.evaluate(CLOSE_AND_LOOK, [".dol-close button, button.dol-close", [LEADER, "Dine største forskelle"]])
    assert shown == "", f"still on screen right after the close click: {shown}"
    page.get_by_text("Resultater – Ledergruppe Teknik og Miljø").wait_for()
    _nothing_of_a_left(page, [LEADER, "Dine største forskelle"])
    assert page.locator('.dol-chart[data-chart="means"]').count() == 0


@pytest.mark.parametrize("path", [REFLECTION, CASES])
def test_a_then_b_on_a_step_with_private_notes(page, workshop_server, workshop, path):
    page.goto(workshop_server.url + path)
    page.wait_for_selector(".dol-note-group textarea", timeout=FIRST_LOAD_MS)
    _open_gate(page, workshop.codes[LEADER], "Åbn mine private noter")
    box = page.locator(".dol-note-private textarea").first
    box.wait_for(timeout=FIRST_LOAD_MS)
    marker = f"A-privat-{uuid.uuid4().hex[:8]}"
    box.fill(marker)
    page.wait_for_function(
        """() => { const s = document.querySelector('.dol-note-private .dol-note-status');
                   return !!s && s.innerText.includes('Gemt'); }""", timeout=FIRST_LOAD_MS)
    shown = page.evaluate(CLOSE_AND_LOOK, [".dol-close button, button.dol-close", [LEADER, marker]])
    assert shown == "", f"still on screen right after the close click: {shown}"
    page.wait_for_selector(".dol-note-private textarea", state="detached", timeout=30_000)
    _nothing_of_a_left(page, [LEADER, marker])
    assert all(marker not in v for v in page.eval_on_selector_all("textarea", "(ts) => ts.map((t) => t.value)"))


def test_a_then_b_on_the_plan_with_a_personal_download(page, workshop_server, workshop):
    page.goto(workshop_server.url + PLAN)
    page.wait_for_selector(".dol-step-4", timeout=FIRST_LOAD_MS)
    _open_gate(page, workshop.codes[LEADER], "Hent min egen opsamling")
    page.get_by_text(LEADER).first.wait_for(timeout=FIRST_LOAD_MS)
    page.get_by_role("button", name="Lav opsamlingen: Markdown").click()
    link = page.locator(".dol-personal a.dol-download")
    link.wait_for(timeout=FIRST_LOAD_MS)
    href = link.get_attribute("href")
    assert href and href.startswith("data:")
    shown = page.evaluate(CLOSE_AND_LOOK, [".dol-close button, button.dol-close", [LEADER, "opsamling"]])
    assert LEADER not in shown, f"still on screen right after the close click: {shown}"
    page.wait_for_selector(".dol-personal a.dol-download", state="detached", timeout=30_000)
    _nothing_of_a_left(page, [LEADER, href[:200]])


def _go_to(page, step: str, ready: str) -> None:
    """Move to ``step`` inside the page, as a participant does (its link in the step list: no page load)."""
    page.locator(f"a[data-dol-step='{step}']:visible").first.click()
    page.wait_for_selector(f".dol-step-{step} {ready}", timeout=FIRST_LOAD_MS)


def test_one_code_for_all_steps_then_b_finds_every_step_closed(page, workshop_server, workshop):
    """Leader A types their code once, on the results, and finds what is theirs on every step of the same page
    (private notes, their own summary) without typing it again; a close on the last step closes all of it, and
    leader B, on the same page, finds every step closed and nothing of A's in the page."""
    page.goto(workshop_server.url + RESULTS)
    page.get_by_role("button", name="Mine resultater").click()
    _open_gate(page, workshop.codes[LEADER], "Vis mine resultater")
    page.wait_for_selector('.dol-chart[data-chart="means"] img', timeout=FIRST_LOAD_MS)
    page.evaluate("() => { window.__sameVisit = true; }")

    marker = f"A-privat-{uuid.uuid4().hex[:8]}"
    _go_to(page, "reflection", ".dol-note-private textarea")  # open without the code
    assert page.locator(".dol-code input:visible").count() == 0
    box = page.locator(".dol-note-private textarea").first
    box.fill(marker)
    page.wait_for_function(
        """() => { const s = document.querySelector('.dol-note-private .dol-note-status');
                   return !!s && s.innerText.includes('Gemt'); }""", timeout=FIRST_LOAD_MS)
    _go_to(page, "cases", ".dol-note-private textarea")
    assert page.locator(".dol-code input:visible").count() == 0
    _go_to(page, "action_plan", ".dol-add-action")
    page.get_by_text(LEADER).first.wait_for(timeout=FIRST_LOAD_MS)
    assert page.locator(".dol-code input:visible").count() == 0
    assert page.evaluate("() => window.__sameVisit") is True  # one page all along

    shown = page.evaluate(CLOSE_AND_LOOK, [".dol-close button, button.dol-close", [LEADER, marker]])
    assert LEADER not in shown and marker not in shown, f"still on screen right after the close click: {shown}"
    page.locator(".dol-code input:visible").first.wait_for(timeout=30_000)
    _nothing_of_a_left(page, [LEADER, marker, "Dine største forskelle"])
    for step, ready in (("results", ".dol-chart img"), ("reflection", ".dol-note-group textarea"),
                        ("cases", ".dol-note-group textarea")):
        _go_to(page, step, ready)
        _nothing_of_a_left(page, [LEADER, marker, "Dine største forskelle"])
        assert page.locator(".dol-note-private textarea").count() == 0
        if step != "results":
            assert page.locator(".dol-code input:visible").count() == 1  # B is asked for a code
    assert page.evaluate("() => window.__sameVisit") is True
