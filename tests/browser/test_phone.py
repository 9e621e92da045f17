"""Every step of the workshop on a phone (360 x 740, 390 x 844) and a tablet (768 x 1024): nothing wider than the
screen, no text cut, touch targets of 44 px, zoom allowed; and at 1280 px the laptop layout still fits.

Each check reports its offenders (tag, classes, text start, place and size), so that a failure says what to fix.
Screenshots of every step at 390 px and at 1280 px are left in the artifacts folder (``phone-390-<step>.png``,
``laptop-1280-<step>.png``) to look at. The steps are walked once, in one page (one kernel), and each is measured
at every size by resizing the window.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import FIRST_LOAD_MS, Server
from tests.browser.notes_support import GROUP_NOTE, NotesWorkshop, add_action_row, make_workshop, serve, shutdown

pytestmark = pytest.mark.browser

LEADER = "Klaus Tønnesen"
TOUCH_PX = 44

# What the page measures: the page's own width, every visible element outside the viewport's left or right edge,
# every visible element whose text is cut by its own overflow (hidden, clip or an ellipsis), and every visible
# control (button, link, select, toggle, a checkbox with its label) smaller than 44 x 44 px to touch.
AUDIT = """(touch) => {
  const width = window.innerWidth, slack = 1;
  const describe = (el) => {
    const r = el.getBoundingClientRect();
    const cls = (typeof el.className === 'string' ? el.className : '').trim().split(/\\s+/).slice(0, 4).join('.');
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').replace(/\\s+/g, ' ').trim();
    return `<${el.tagName.toLowerCase()}${cls ? '.' + cls : ''}> "${text.slice(0, 40)}" `
      + `x=${Math.round(r.left)} width=${Math.round(r.width)} height=${Math.round(r.height)}`;
  };
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) { return false; }  /* nothing to see, or text only for screen readers */
    const style = getComputedStyle(el);
    return style.visibility !== 'hidden' && style.display !== 'none' && Number(style.opacity) > 0;
  };
  const shown = Array.from(document.body.querySelectorAll('*')).filter(visible);
  const outside = [], clipped = [], small = [];
  for (const el of shown) {
    const r = el.getBoundingClientRect();
    if (r.right > width + slack || r.left < -slack) { outside.push(describe(el)); }
    const style = getComputedStyle(el);
    const cuts = ['hidden', 'clip'].includes(style.overflowX) || style.textOverflow === 'ellipsis';
    if (cuts && el.scrollWidth > el.clientWidth + slack && (el.innerText || '').trim()) {
      clipped.push(`${describe(el)} scrollWidth=${el.scrollWidth} clientWidth=${el.clientWidth}`);
    }
  }
  const controls = 'button, a[href], select, [role="button"], input[type="checkbox"], input[type="radio"]';
  for (const el of shown.filter((x) => x.matches(controls))) {
    /* a checkbox is touched through its label, which holds it */
    const target = el.matches('input') ? (el.closest('label') || el) : el;
    const r = target.getBoundingClientRect();
    if (r.width < touch - 0.5 || r.height < touch - 0.5) { small.push(describe(target)); }
  }
  const meta = document.querySelector('meta[name="viewport"]');
  return {scrollWidth: document.scrollingElement.scrollWidth, innerWidth: width, viewport: meta ? meta.content : '',
          outside: [...new Set(outside)], clipped: [...new Set(clipped)], small: [...new Set(small)]};
}"""


def zoom_allowed(viewport: str) -> bool:
    """Whether a viewport meta's content fits the page to the phone's width and lets people zoom (to 200 % at
    least: no ``user-scalable=no``, no ``maximum-scale`` below 2)."""
    parts = dict(p.split("=", 1) for p in viewport.replace(" ", "").lower().split(",") if "=" in p)
    try:
        largest = float(parts.get("maximum-scale", "10"))
    except ValueError:
        largest = 10
    scalable = parts.get("user-scalable", "yes") not in ("no", "0")
    return parts.get("width") == "device-width" and scalable and largest >= 2


@pytest.mark.parametrize("content, allowed", [
    ("width=device-width, initial-scale=1.0", True),
    ("width=device-width, initial-scale=1, maximum-scale=5", True),
    ("width=device-width, initial-scale=1, maximum-scale=1", False),
    ("width=device-width, user-scalable=no", False),
    ("width=device-width, user-scalable=0", False),
    ("initial-scale=1", False),
])
def test_the_zoom_check_reads_the_viewport_meta(content, allowed):
    assert zoom_allowed(content) is allowed


def audit(page: Any, name: str) -> list[str]:
    """What is wrong with the step on screen, one line each (none: the step works at this width)."""
    page.wait_for_timeout(500)  # the widgets' layout settles after the last message
    found = page.evaluate(AUDIT, TOUCH_PX)
    width = found["innerWidth"]
    problems = []
    if found["scrollWidth"] > width:
        problems.append(f"{name}: the page scrolls sideways: {found['scrollWidth']} px wide in {width} px")
    if not zoom_allowed(found["viewport"]):
        problems.append(f"{name}: the viewport meta must allow zoom and say width=device-width: {found['viewport']!r}")
    for key, what in (("outside", "beyond the screen's edge"), ("clipped", "text cut"),
                      ("small", f"smaller than {TOUCH_PX} x {TOUCH_PX} px to touch")):
        problems += [f"{name}: {what}: {x}" for x in found[key]]
    return problems


@pytest.fixture(scope="module")
def phone_workshop(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> NotesWorkshop:
    return make_workshop(repo, tmp_path_factory.mktemp("phone"))


@pytest.fixture(scope="module")
def phone_server(repo: Path, artifacts: Path, phone_workshop: NotesWorkshop) -> Iterator[Server]:
    server = serve(repo, phone_workshop, artifacts / "phone-server.log")
    yield server
    shutdown(server)


def walk(page: Any, server: Server, code: str, each: Any) -> None:
    """Every step in one page as a participant goes through them (the step links, no page load: one kernel);
    ``each(name)`` once each step is on screen."""
    server.open(page, "/", STEP_READY["landing"])
    each("landing")
    page.get_by_role("link", name="1 Resultater").first.click()
    page.wait_for_selector(STEP_READY["results"], timeout=FIRST_LOAD_MS)
    each("results")
    page.get_by_role("button", name="Mine resultater").click()
    page.locator(".dol-code input").fill(code)
    page.get_by_role("button", name="Vis mine resultater").click()
    page.wait_for_selector('.dol-chart[data-chart="means"] img', timeout=FIRST_LOAD_MS)
    each("personal")
    page.get_by_role("button", name="Luk mine resultater").click()
    page.wait_for_selector('.dol-chart[data-chart="means"]', state="detached")
    for step, link in (("reflection", "Næste trin: 2 Refleksion"), ("cases", "Næste trin: 3 Cases"),
                       ("action_plan", "Næste trin: 4 Handlingsplan")):
        page.get_by_role("link", name=link).first.click()
        page.wait_for_selector(STEP_READY[step], timeout=FIRST_LOAD_MS)
        if step == "action_plan":
            focus = page.locator(".dol-focus input[type=checkbox]").first
            if not focus.is_checked():  # the focus table shows the chosen questions' results
                focus.check()
            page.wait_for_selector(".dol-step-action_plan table.dol-table", timeout=60_000)
            add_action_row(page)
        each(step)


STEP_READY = {
    "landing": ".dol-landing li[data-item]",
    "results": '.dol-step-results .dol-chart[data-chart="likert"] img',
    "reflection": ".dol-step-reflection " + GROUP_NOTE,
    "cases": ".dol-step-cases h2[data-case]",
    "action_plan": ".dol-step-action_plan .dol-add-action",
}
PHONES = [(360, 740), (390, 844), (768, 1024)]  # phones and a tablet: touched
LAPTOP = (1280, 900)


# The page scrolls inside Voila's own container, not the document: a full-page screenshot would show one screen.
_CONTENT_HEIGHT = "() => Math.max(...Array.from(document.querySelectorAll('body, body *'), (e) => e.scrollHeight))"


def screenshot(page: Any, path: Path, width: int, height: int) -> None:
    """The whole step at ``width``: the window made as tall as its content for the picture, then set back."""
    tall = min(int(page.evaluate(_CONTENT_HEIGHT)), 12_000)
    page.set_viewport_size({"width": width, "height": max(tall, height)})
    page.wait_for_timeout(300)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": width, "height": height})


@pytest.fixture(scope="module")
def measured(browser, phone_server, phone_workshop, artifacts) -> dict[int, list[str]]:
    """Each step measured at each size: the problems found, by screen width. One walk through the steps in one
    page, the window resized at each step (a phone's, then the laptop's), so that one kernel serves it all."""
    problems: dict[int, list[str]] = {width: [] for width, _ in [*PHONES, LAPTOP]}
    context = browser.new_context(viewport={"width": LAPTOP[0], "height": LAPTOP[1]}, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(30_000)

    def each(name: str) -> None:
        for width, height in [*PHONES, LAPTOP]:
            page.set_viewport_size({"width": width, "height": height})
            found = audit(page, f"{name} at {width} px")
            if (width, height) == LAPTOP:  # a laptop is not touched: its controls may be smaller
                found = [x for x in found if "to touch" not in x]
            problems[width] += found
            if width in (390, LAPTOP[0]):
                kind = "phone" if width < 1000 else "laptop"
                screenshot(page, artifacts / f"{kind}-{width}-{name}.png", width, height)

    try:
        walk(page, phone_server, phone_workshop.codes[LEADER], each)
    finally:
        context.close()
    return problems


@pytest.mark.parametrize("width", [w for w, _ in PHONES])
def test_every_step_fits_a_phone(measured, width):
    """At 360 and 390 px (phones) and 768 px (a tablet): no sideways scrolling, nothing beyond the screen's
    edges, no text cut, controls of 44 x 44 px, zoom allowed; on every step (landing, results for the group and
    for a leader, reflection, cases, the action plan with its focus table and an action row)."""
    problems = measured[width]
    assert not problems, f"{len(problems)} problems on a {width} px phone:\n" + "\n".join(problems)


def test_every_step_fits_a_laptop(measured):
    """At 1280 px nothing is wider than the screen or cut either: the phone's layout did not spoil the laptop's."""
    problems = measured[LAPTOP[0]]
    assert not problems, f"{len(problems)} problems at {LAPTOP[0]} px:\n" + "\n".join(problems)
