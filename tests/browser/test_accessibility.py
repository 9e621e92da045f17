"""Accessibility as a participant using a keyboard or a screen reader meets it (WCAG 2.1 AA): every view of the
workshop page audited by axe-core (the engine behind Lighthouse's accessibility score) in both languages at a
phone's, a larger phone's, a tablet's and a laptop's size; and the keyboard's focus never lost to the page's body
when a step changes or a personal view opens or closes."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import FIRST_LOAD_MS, WORKSHOP

pytestmark = pytest.mark.browser

LEADER = "Morten Vestergaard"
SIZES = ((360, 740), (390, 844), (768, 1024), (1280, 800))
# WCAG 2.0/2.1 A and AA, and axe's best practices (landmarks: "region").
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
OPEN = {"da": "Vis mine resultater", "en": "Show my results"}
MINE = {"da": "Mine resultater", "en": "My results"}


def _audit(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]})
    found = []
    for violation in results.response["violations"]:
        for node in violation["nodes"][:3]:
            found.append(f"{violation['id']} ({violation['impact']}): {node['target']} {node['html'][:120]}")
    return found


def _focus_becomes(page, condition: str, arg: object = None, timeout: int = 60_000) -> None:
    """Wait until ``condition`` (a function of the focused element and ``arg``) holds; fail with where the focus
    is instead."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    try:
        page.wait_for_function(f"(arg) => {{ const el = document.activeElement; return !!el && ({condition}); }}",
                               arg=arg, timeout=timeout)
    except PlaywrightTimeoutError:
        where = page.evaluate("() => document.activeElement ? document.activeElement.outerHTML.slice(0, 200) : null")
        raise AssertionError(f"the focus did not come to where {condition!r} holds; it is on {where}") from None


def _go_to(page, step: str, ready: str) -> None:
    page.locator(f"a[data-dol-step='{step}']:visible").first.click()
    page.wait_for_selector(f".dol-step-{step} {ready}", timeout=FIRST_LOAD_MS)


@pytest.mark.parametrize("lang", ["da", "en"])
def test_every_view_passes_axe_at_four_sizes(browser, workshop_server, workshop, lang):
    problems: dict[str, list[str]] = {}
    context = browser.new_context(viewport={"width": SIZES[0][0], "height": SIZES[0][1]}, locale=f"{lang}-DK")
    try:
        page = context.new_page()
        page.set_default_timeout(30_000)
        workshop_server.open(page, f"{WORKSHOP}?step=start&lang={lang}", ".dol-app a[data-dol-step='results']")
        views = [("start", None, None), ("results", ".dol-chart img", None),
                 ("reflection", ".dol-note-group textarea", None), ("cases", ".dol-note-group textarea", None),
                 ("action_plan", ".dol-add-action", "download"), ("results", ".dol-chart img", "personal")]
        for step, ready, extra in views:
            if step != "start":
                _go_to(page, step, ready)
            if extra == "download":  # the plan with the summary's link on it
                page.locator(".dol-step-action_plan .widget-button").filter(has_text="Markdown").first.click()
                page.wait_for_selector(".dol-step-action_plan a.dol-download", timeout=FIRST_LOAD_MS)
            if extra == "personal":
                page.get_by_role("button", name=MINE[lang]).click()
                page.locator(".dol-code input:visible").first.fill(workshop.codes[LEADER])
                page.get_by_role("button", name=OPEN[lang]).first.click()
                page.wait_for_selector('.dol-personal .dol-chart[data-chart="means"] img', timeout=FIRST_LOAD_MS)
            for width, height in SIZES:
                page.set_viewport_size({"width": width, "height": height})
                page.wait_for_timeout(300)  # the layout settles (media queries, wrapped rows)
                found = _audit(page)
                if found:
                    problems[f"{step}{'/' + extra if extra else ''} at {width} px"] = found
    finally:
        context.close()
    assert not problems, "\n".join(f"{view}:\n  " + "\n  ".join(found) for view, found in problems.items())


def _landmarks_are_banner_nav_main(page, step: str) -> None:
    """The page's landmarks: one banner, the step's header with the language switch; one main, the step with its
    heading; the steps' list a navigation inside it. Nothing of the step outside them (axe's "region" checks that
    too, but not which landmarks there are)."""
    banner, main = page.get_by_role("banner"), page.get_by_role("main")
    expect(banner).to_have_count(1)
    expect(main).to_have_count(1)
    expect(banner.get_by_role("button", name="English")).to_have_count(1)
    expect(main.locator("h1")).to_have_count(1)
    expect(main.get_by_role("navigation")).to_have_count(1)
    assert page.evaluate("() => !document.querySelector('[role=banner]').closest('[role=main], main')")
    assert page.locator(f".dol-step-{step} [role=main]").count() == 1


def test_the_keyboard_focus_follows_the_steps_and_the_personal_view(browser, workshop_server, workshop):
    """Keyboard only: a step link followed with Enter puts the focus on the new step's heading; the code typed
    and Enter, typed fast, opens the view (the code reaches the kernel before the Enter) with the focus on the
    leader's own heading; closing it with the keyboard puts the focus back on "Mine resultater"; then a note on
    the reflection step (its "Gemt" said by a live region) and the plan's download, by the keyboard alone. Never
    on the page's body, where a screen reader user has lost their place."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
    try:
        page = context.new_page()
        page.set_default_timeout(30_000)
        workshop_server.open(page, f"{WORKSHOP}?step=start&lang=da", ".dol-app a[data-dol-step='results']")
        _landmarks_are_banner_nav_main(page, "start")

        page.locator(".dol-app a[data-dol-step='results']:visible").first.focus()
        page.keyboard.press("Enter")
        _focus_becomes(page, "el.tagName === 'H1' && !!el.closest('.dol-step-results')")
        assert "Resultater" in page.evaluate("() => document.activeElement.innerText")
        _landmarks_are_banner_nav_main(page, "results")

        page.get_by_role("button", name="Mine resultater").focus()
        page.keyboard.press("Enter")
        code = page.locator(".dol-code input:visible").first
        code.wait_for()
        code.focus()
        page.keyboard.type(workshop.codes[LEADER])
        page.keyboard.press("Enter")
        _focus_becomes(page, "el.tagName === 'H1' && el.innerText.includes(arg)", LEADER)

        close = ".dol-step-results button.dol-close:visible, .dol-step-results .dol-close button:visible"
        page.locator(close).first.focus()
        page.keyboard.press("Enter")
        _focus_becomes(page, "el.matches('.dol-view button') && el.innerText.includes('Mine resultater')")
        assert LEADER not in page.locator("body").inner_text()

        page.locator(".dol-step-results a[data-dol-step='reflection']:visible").first.focus()
        page.keyboard.press("Enter")
        _focus_becomes(page, "el.tagName === 'H1' && !!el.closest('.dol-step-reflection')")
        note = page.locator(".dol-step-reflection .dol-note-group textarea").first
        note.focus()
        page.keyboard.type("Vi starter med Teams.")
        page.wait_for_function("() => Array.from(document.querySelectorAll('.dol-step-reflection .dol-note-status'))"
                               ".some(s => s.getAttribute('aria-live') === 'polite' && s.innerText.includes('Gemt'))",
                               timeout=FIRST_LOAD_MS)  # said by a live region

        page.locator(".dol-step-reflection a[data-dol-step='action_plan']:visible").first.focus()
        page.keyboard.press("Enter")
        _focus_becomes(page, "el.tagName === 'H1' && !!el.closest('.dol-step-action_plan')")
        page.locator(".dol-step-action_plan .widget-button").filter(has_text="Markdown").first.focus()
        page.keyboard.press("Enter")
        link = page.locator(".dol-step-action_plan a.dol-download")
        link.wait_for(timeout=FIRST_LOAD_MS)
        link.focus()
        _focus_becomes(page, "el.matches('a.dol-download')")  # reachable by the keyboard
    finally:
        context.close()
