"""The workshop in a real browser: landing links, the results app (selection, personal codes, language),
the other steps, pages that never leave the machine, and kernels that do not pile up."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from dol_toolkit.themes import load_theme
from tests.browser.conftest import CASES, FIRST_LOAD_MS, RESULTS, WORKSHOP, open_close_cycles

pytestmark = pytest.mark.browser
THEME = load_theme()


def _chart_src(page, key: str) -> str:
    return page.locator(f'.dol-chart[data-chart="{key}"] img').first.get_attribute("src") or ""


def _open_results(page, server, query: str = ""):
    return server.open(page, RESULTS + query, '.dol-step-results .dol-chart[data-chart="likert"] img')


def test_landing_lists_the_steps_and_links_work(page, workshop_server, artifacts):
    workshop_server.open(page, "/", ".dol-landing .dol-steps a")
    # On the facilitator's own machine the preparation comes first, in a list of its own.
    preparation = page.locator(".dol-landing .dol-preparation-step a")
    assert preparation.all_inner_texts() == ["0 Forberedelse"]
    assert preparation.get_attribute("href") == "preparation.ipynb?lang=da"
    steps = ".dol-landing .dol-steps:not(.dol-preparation-step) a"
    links = page.locator(steps)
    assert links.all_inner_texts() == ["1 Resultater", "2 Refleksion", "3 Cases", "4 Handlingsplan"]
    hrefs = [links.nth(i).get_attribute("href") for i in range(4)]
    assert hrefs == ["?step=results&lang=da", "?step=reflection&lang=da", "?step=cases&lang=da",
                     "?step=action_plan&lang=da"]
    page.get_by_role("button", name="English").click()
    page.wait_for_selector("text=The workshop's four steps")
    assert page.locator(".dol-landing .dol-preparation-step a").get_attribute("href") == "preparation.ipynb?lang=en"
    assert page.locator(steps).first.get_attribute("href") == "?step=results&lang=en"
    page.locator(steps).first.click()
    page.wait_for_selector('.dol-chart[data-chart="likert"] img', timeout=FIRST_LOAD_MS)
    page.wait_for_function("location.search === '?step=results&lang=en'")
    assert page.evaluate("document.documentElement.lang") == "en"
    # The language chosen on the landing page carries over.
    assert page.get_by_text("Results – Ledergruppe Teknik og Miljø").is_visible()


def test_group_view_and_a_changed_round_changes_the_chart(page, workshop_server, artifacts):
    _open_results(page, workshop_server)
    assert page.get_by_text("Resultater – Ledergruppe Teknik og Miljø").is_visible()
    for key in ("likert", "change", "gaps"):
        assert page.locator(f'.dol-chart[data-chart="{key}"] img').count() == 1
        caption = page.locator(f'.dol-chart[data-chart="{key}"] figcaption').inner_text()
        assert len(caption) > 40  # one plain sentence on how to read the chart
    questions = page.locator(".dol-questions li").all_inner_texts()
    assert questions == ["Hvad overraskede dig positivt?", "Hvad er vigtigst for dig og jer?",
                         "Hvad har du brug for at forstå bedre?"]
    # The group holds two leaders below the limit: the page says so, and names nobody.
    assert page.get_by_text("1 leder i gruppen har færre end 5 medarbejdersvar; lederens").is_visible()
    assert "Helle Kjeldsen" not in page.locator(".dol-body").inner_text()
    page.set_viewport_size({"width": 1400, "height": 3200})
    page.screenshot(path=str(artifacts / "results-group-da.png"))
    before = _chart_src(page, "likert")
    page.select_option(".dol-wave select", "2024")
    page.wait_for_function(
        "src => document.querySelector('.dol-chart[data-chart=\"likert\"] img')?.src !== src", arg=before)
    assert _chart_src(page, "likert") != before
    assert page.locator('.dol-chart[data-chart="change"]').count() == 0  # change is shown for the latest round


def test_wrong_code_is_refused_and_the_right_one_opens_the_personal_view(page, workshop_server, workshop,
                                                                         artifacts):
    _open_results(page, workshop_server)
    page.get_by_role("button", name="Mine resultater").click()
    code_box = page.locator(".dol-code input")
    code_box.fill("AAAA-BBBB")
    page.get_by_role("button", name="Vis mine resultater").click()
    page.wait_for_selector(".dol-message .dol-error")
    assert "Koden passer ikke" in page.locator(".dol-message").inner_text()
    assert page.locator(".dol-body .dol-chart").count() == 0
    leader = "Klaus Tønnesen"
    code_box.fill(workshop.codes[leader].lower().replace("-", " "))  # as people type it
    page.get_by_role("button", name="Vis mine resultater").click()
    page.get_by_text(f"Dine resultater – {leader}").wait_for()
    page.wait_for_selector('.dol-chart[data-chart="means"] img')
    body = page.locator(".dol-body").inner_text()
    assert "Dine største forskelle" in body and "Blinde vinkler" in body and "Skjulte styrker" in body
    others = [x for x in workshop.codes if x != leader]
    assert not any(name in page.locator("body").inner_text() for name in others)
    page.set_viewport_size({"width": 1400, "height": 2600})
    page.screenshot(path=str(artifacts / "results-personal-da.png"))
    page.get_by_role("button", name="Luk mine resultater").click()
    page.get_by_text("Resultater – Ledergruppe Teknik og Miljø").wait_for()
    assert leader not in page.locator("body").inner_text()
    assert page.locator('.dol-chart[data-chart="means"]').count() == 0


def test_on_a_phone_the_code_button_is_on_screen_and_enter_opens_the_view(page, workshop_server, workshop,
                                                                          artifacts):
    """At 390 px the code box and its button fit the screen (the button under the box, 44 px to touch, nothing
    covering it), and Enter in the code box opens the leader's view as the button does."""
    page.set_viewport_size({"width": 390, "height": 844})
    _open_results(page, workshop_server)
    page.get_by_role("button", name="Mine resultater").click()
    button = page.get_by_role("button", name="Vis mine resultater")
    button.wait_for()
    box = button.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, f"the button is off screen: {box}"
    assert box["height"] >= 44 and box["width"] >= 44, f"the button is too small to touch: {box}"
    hit = page.evaluate("([x, y]) => { const el = document.elementFromPoint(x, y); "
                        "return !!el && !!el.closest('.dol-open'); }",
                        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])
    assert hit, "something covers the code button"
    code = page.locator(".dol-code input")
    code_box = code.bounding_box()
    assert code_box is not None and code_box["x"] + code_box["width"] <= 390, f"the code box is cut: {code_box}"
    page.screenshot(path=str(artifacts / "results-code-390.png"))
    assert page.locator('[title="null"]').count() == 0  # no "null" tooltip on any label
    # Reached by keyboard, the code box shows a focus ring of 3 px in the page's dark blue.
    page.get_by_role("button", name="Mine resultater", exact=True).focus()
    page.keyboard.press("Tab")
    ring = page.evaluate("() => { const s = getComputedStyle(document.activeElement); "
                         "return [document.activeElement.tagName, s.outlineStyle, s.outlineWidth, s.outlineColor]; }")
    assert ring == ["INPUT", "solid", "3px", "rgb(11, 61, 98)"], f"focus ring of the code box: {ring}"
    leader = "Klaus Tønnesen"
    code.fill(workshop.codes[leader])
    code.press("Enter")
    page.get_by_text(f"Dine resultater – {leader}").wait_for()
    page.get_by_role("button", name="Luk mine resultater").click()
    page.get_by_text("Resultater – Ledergruppe Teknik og Miljø").wait_for()
    assert leader not in page.locator("body").inner_text()
    # The reflection step's code row, with its longer label, fits too.
    page.get_by_role("link", name="Næste trin: 2 Refleksion").first.click()
    button = page.locator(".dol-step-reflection").get_by_role("button", name="Åbn mine private noter")
    button.wait_for()
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["height"] >= 44, \
        f"the private notes' button is off screen or too small: {box}"
    page.screenshot(path=str(artifacts / "reflection-code-390.png"))


def test_leader_below_the_limit_sees_why(page, workshop_server, workshop):
    _open_results(page, workshop_server)
    page.get_by_role("button", name="Mine resultater").click()
    page.locator(".dol-code input").fill(workshop.codes["Helle Kjeldsen"])
    page.get_by_role("button", name="Vis mine resultater").click()
    page.get_by_text("Dine resultater – Helle Kjeldsen").wait_for()
    notice = page.locator(".dol-notice").first.inner_text()
    assert "færre end 5" in notice
    assert page.locator('.dol-chart[data-chart="likert"]').count() == 0
    # Her own and her own leader's answers are hers to see.
    assert page.locator('table[data-table="own_answers"] tbody tr').count() == 5


def test_language_switch_relabels_page_and_charts(page, workshop_server, artifacts):
    _open_results(page, workshop_server)
    before = _chart_src(page, "likert")
    page.get_by_role("button", name="English").click()
    expect(page.locator(".dol-wave label")).to_have_text("Round")
    expect(page.get_by_role("button", name="My results")).to_be_visible()
    expect(page.locator(".dol-questions li").first).to_have_text("What surprised you positively?")
    expect(page.get_by_text("Results – Ledergruppe Teknik og Miljø")).to_be_visible()
    page.wait_for_function(  # the chart is drawn again in English
        "src => document.querySelector('.dol-chart[data-chart=\"likert\"] img')?.src !== src", arg=before)
    alt = page.locator('.dol-chart[data-chart="likert"] img').get_attribute("alt")
    assert alt.startswith("Stacked bars")
    page.screenshot(path=str(artifacts / "results-group-en.png"))


@pytest.mark.parametrize(("step", "text"), [
    ("reflection", THEME.reflection_questions[0].sub_questions[0].text.da),
    ("cases", THEME.cases[1].title.da),
    ("action_plan", "Vælg jeres fokus (højst 3 spørgsmål)"),
])
def test_other_steps_render(page, workshop_server, artifacts, step, text):
    page.goto(f"{workshop_server.url}{WORKSHOP}?step={step}")
    page.get_by_text(text).first.wait_for(timeout=FIRST_LOAD_MS)
    assert page.locator(".dol-next a").count() == 1
    page.screenshot(path=str(artifacts / f"step-{step}-da.png"))


def test_pages_make_no_request_beyond_this_machine(page, workshop_server, requests_seen):
    for path in ("/", RESULTS, CASES):
        page.goto(workshop_server.url + path)
        page.wait_for_selector(".dol-page", timeout=FIRST_LOAD_MS)
        page.wait_for_timeout(500)
    hosts = {urlparse(u).hostname for u in requests_seen if urlparse(u).scheme in ("http", "https", "ws", "wss")}
    assert hosts == {"127.0.0.1"}, sorted(hosts)
    assert len(requests_seen) > 10


def test_ten_open_and_close_cycles_leave_no_extra_kernel(browser, workshop_server):
    baseline, left = open_close_cycles(browser, workshop_server, _open_results, 10)
    assert left <= baseline, f"{left} kernels, {baseline} before"
