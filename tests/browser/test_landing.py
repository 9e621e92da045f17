"""The landing page in a real browser: Danish by default, English by the switch, kernels not leaked."""

from __future__ import annotations

import pytest

from dol_toolkit.themes import load_theme
from tests.browser.conftest import FIRST_LOAD_MS, open_close_cycles

pytestmark = pytest.mark.browser

THEME = load_theme()


def _open_landing(page, server):
    page.goto(server.url + "/")
    page.wait_for_selector(".dol-landing .dol-page h1", timeout=FIRST_LOAD_MS)
    return page


def test_landing_danish_then_english(page, workshop_server, artifacts):
    _open_landing(page, workshop_server)
    page.wait_for_function("location.search === '?step=start&lang=da'")
    assert page.url.endswith("/voila/render/workshop.ipynb?step=start&lang=da"), page.url
    assert page.evaluate("document.documentElement.lang") == "da"
    assert page.title() == THEME.title.da
    item_da = THEME.items[0].wording.employee.da
    item_en = THEME.items[0].wording.employee.en
    body = page.locator(".dol-landing")
    # Danish by default: title, the five items, seven questions and both case titles.
    assert body.locator("h1").inner_text() == THEME.title.da
    assert body.locator("li[data-item]").all_inner_texts() == [i.wording.employee.da for i in THEME.items]
    assert body.locator("li[data-question]").count() == 7
    assert body.locator("li[data-case]").all_inner_texts() == [c.title.da for c in THEME.cases]
    assert page.get_by_text(item_da, exact=True).is_visible()
    page.screenshot(path=str(artifacts / "landing-da.png"), full_page=True)

    page.get_by_role("button", name="English").click()
    page.get_by_text(item_en, exact=True).wait_for()
    page.wait_for_function("document.documentElement.lang === 'en' && location.search === '?step=start&lang=en'")
    assert body.locator("h1").inner_text() == THEME.title.en
    assert page.get_by_text(item_da, exact=True).count() == 0
    assert body.locator("li[data-case]").all_inner_texts() == [c.title.en for c in THEME.cases]
    assert "Language" in body.inner_text()
    page.screenshot(path=str(artifacts / "landing-en.png"), full_page=True)

    page.get_by_role("button", name="Dansk").click()
    page.get_by_text(item_da, exact=True).wait_for()


def test_no_traceback_or_source_on_the_page(page, workshop_server):
    _open_landing(page, workshop_server)
    text = page.locator("body").inner_text()
    assert "Traceback" not in text and "Error" not in text
    # strip_sources: the notebook's code is not shown to visitors.
    assert "workshop_app" not in page.content()


def test_closing_the_tab_shuts_its_kernel_down(browser, workshop_server):
    """With preheated kernels the server keeps a ready kernel per app; a closed tab's kernel is shut down, so
    after visits the count comes back to that level instead of growing."""

    baseline, left = open_close_cycles(browser, workshop_server, _open_landing, 3)
    assert left <= baseline, f"the kernel of a closed tab is still running: {left} kernels, {baseline} before"
