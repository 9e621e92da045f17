"""The HTML summary in Chromium: nothing runs (no alert, no request), notes read as typed, one look for people."""

from __future__ import annotations

from pathlib import Path

import pytest

from dol_toolkit.export import export_summary

from .conftest import DAY, NOTES, PRIVATE, note_as_shown, shown_lines

pytestmark = pytest.mark.browser


def test_html_summary_in_chromium(browser, workshop, tmp_path: Path, artifacts: Path):
    path = export_summary(workshop, "html", tmp_path / "summary.html", leader="Klaus Tønnesen", when=DAY)
    dialogs: list[str] = []
    requests: list[str] = []
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_viewport_size({"width": 1200, "height": 900})
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        notes = page.locator(".dol-note").all_inner_texts()
        broken = page.evaluate("[...document.images].filter(i => !i.complete || i.naturalWidth === 0).length")
        scripts = page.evaluate("document.scripts.length")
        page.screenshot(path=str(artifacts / "export_summary_html.png"), full_page=True)
    finally:
        context.close()
    assert dialogs == [] and scripts == 0
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
    assert broken == 0
    shown = [shown_lines(n) for n in notes]
    for note in (*NOTES.values(), PRIVATE["Klaus Tønnesen"]):
        assert note_as_shown(note) in shown  # line breaks and markup exactly as typed; "- " lines a list
    assert PRIVATE["Morten Vestergaard"] not in notes
