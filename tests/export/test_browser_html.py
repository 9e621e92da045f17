"""The HTML summary in Chromium: nothing runs (no alert, no request), notes read as typed, one look for people."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from dol_toolkit.export import export_summary

from .conftest import DAY, NOTES, PRIVATE

pytestmark = pytest.mark.browser


def _chromium() -> str:
    found = os.environ.get("DOL_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(found).is_file():
        message = "Chromium is missing: apt-get install -y chromium"
        if os.environ.get("DOL_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return found


def test_html_summary_in_chromium(workshop, tmp_path: Path, artifacts: Path):
    sync_api = pytest.importorskip("playwright.sync_api")
    path = export_summary(workshop, "html", tmp_path / "summary.html", leader="Klaus Tønnesen", when=DAY)
    dialogs: list[str] = []
    requests: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_chromium(), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(path.as_uri())
            page.wait_for_load_state("load")
            notes = page.locator(".dol-note").all_inner_texts()
            broken = page.evaluate("[...document.images].filter(i => !i.complete || i.naturalWidth === 0).length")
            scripts = page.evaluate("document.scripts.length")
            page.screenshot(path=str(artifacts / "export_summary_html.png"), full_page=True)
        finally:
            browser.close()
    assert dialogs == [] and scripts == 0
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
    assert broken == 0
    for note in (*NOTES.values(), PRIVATE["Klaus Tønnesen"]):
        assert note in notes  # line breaks and markup exactly as typed
    assert PRIVATE["Morten Vestergaard"] not in notes
