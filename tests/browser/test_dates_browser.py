"""The action plan's dates in a real browser whose locale is en-US: typed and shown the Danish way on a Danish
page (never the browser's mm/dd/yyyy), stored as ISO dates, and shown the English way after the switch.

The test runs its own server on its own copy of the example workshop (a fresh notes database), so that the plan
it writes does not meet other tests' plans.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dol_toolkit.notes import SQLiteNoteStore
from dol_toolkit.notes.topics import load_plan
from tests.browser.conftest import FIRST_LOAD_MS, Server
from tests.browser.notes_support import (
    PLAN,
    SAVE_MS,
    NotesWorkshop,
    add_action_row,
    make_workshop,
    now_hms,
    open_page,
    screenshot_whole,
    serve,
    shutdown,
)

pytestmark = pytest.mark.browser

BY_WHEN = ".dol-action .dol-date input"
FOLLOW_UP = ".dol-follow-up .dol-date input"
# Month-first dates as an en-US browser writes them, and its date field's own placeholder.
MONTH_FIRST = re.compile(r"\b0?6/10/2026\b|mm/dd/yyyy", re.IGNORECASE)


@pytest.fixture(scope="module")
def dws(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> NotesWorkshop:
    return make_workshop(repo, tmp_path_factory.mktemp("dates-workshop"))


@pytest.fixture(scope="module")
def dates_server(repo: Path, artifacts: Path, dws: NotesWorkshop, browser) -> Iterator[Server]:
    server = serve(repo, dws, artifacts / "dates-server.log")
    yield server
    shutdown(server)


@pytest.fixture
def us_context(browser):
    """A visitor whose browser is set to American English (its own date fields would show mm/dd/yyyy)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="en-US",
                                  timezone_id="America/New_York")
    yield context
    context.close()


def _stored_by_when(ws: NotesWorkshop) -> list[str]:
    store = SQLiteNoteStore(ws.notes)
    try:
        return [a.by_when for a in load_plan(store, ws.name).actions]
    finally:
        store.close()


def _wait_clean_save(page, since: str) -> None:
    """Wait until the plan's status says it was saved (every date read) at ``since`` or later."""
    page.wait_for_function(
        """since => {
            const el = document.querySelector('.dol-step-4 .dol-note-status .dol-save-ok');
            const m = el && el.innerText.match(/(\\d\\d:\\d\\d:\\d\\d)/);
            return !!m && m[1] >= since;
        }""",
        arg=since,
        timeout=SAVE_MS,
    )


def _month_first_anywhere(page) -> list[str]:
    """Every text, field value and placeholder on the page that shows a date month first."""
    texts = page.evaluate(
        """() => [document.body.innerText,
                  ...Array.from(document.querySelectorAll('input')).flatMap(i => [i.value, i.placeholder || ''])]"""
    )
    return [text for text in texts if MONTH_FIRST.search(text)]


def test_a_date_typed_the_danish_way_in_an_american_browser(dates_server, dws, us_context, artifacts):
    page = open_page(us_context, dates_server, PLAN, ready=".dol-add-action")
    assert page.evaluate("navigator.language") == "en-US"
    row = add_action_row(page)
    row.locator("input[type=text]").first.fill("Kursus i digitale værktøjer")
    date_box = row.locator(".dol-date input")
    assert date_box.get_attribute("type") == "text"
    assert date_box.get_attribute("placeholder") == "dd.mm.åååå"
    assert page.locator("input[type=date]").count() == 0  # no browser date field anywhere on the page

    since = now_hms()
    date_box.click()
    date_box.press_sequentially("10.6.2026", delay=20)
    expect(row.locator(".dol-date-shown")).to_have_text("onsdag den 10. juni 2026", timeout=SAVE_MS)
    _wait_clean_save(page, since)
    assert _stored_by_when(dws) == ["2026-06-10"]
    assert date_box.input_value() == "10.6.2026"  # what was typed stays as typed

    # A follow-up date that does not exist: said in Danish beside the field, the typed text kept.
    follow_up = page.locator(FOLLOW_UP)
    follow_up.click()
    follow_up.press_sequentially("31.6.2026", delay=20)
    expect(page.locator(".dol-follow-up .dol-date-shown")).to_have_text(
        "Der er ingen 31. juni 2026: juni 2026 har 30 dage.", timeout=SAVE_MS)
    expect(page.locator(".dol-step-4 .dol-note-status")).to_contain_text("ikke kan læses", timeout=SAVE_MS)
    assert follow_up.input_value() == "31.6.2026"
    assert _month_first_anywhere(page) == []
    screenshot_whole(page, artifacts / "dates-plan-da-en-US-browser.png")

    # Opened again: the stored date is shown the Danish way.
    page.reload()
    page.wait_for_selector(BY_WHEN, timeout=FIRST_LOAD_MS)
    expect(page.locator(BY_WHEN).first).to_have_value("10.06.2026")
    expect(page.locator(".dol-action .dol-date-shown").first).to_have_text("onsdag den 10. juni 2026")
    assert _month_first_anywhere(page) == []

    # English: the same date the English way (day first), written out in English.
    page.get_by_role("button", name="English").first.click()
    expect(page.locator(BY_WHEN).first).to_have_value("10 Jun 2026", timeout=SAVE_MS)
    expect(page.locator(".dol-action .dol-date-shown").first).to_have_text("Wednesday 10 June 2026")
    assert _month_first_anywhere(page) == []
    screenshot_whole(page, artifacts / "dates-plan-en-en-US-browser.png")
    assert _stored_by_when(dws) == ["2026-06-10"]
