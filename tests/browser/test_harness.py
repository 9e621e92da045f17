"""The harness itself: a missing Chromium skips with instructions, or fails under CI."""

from __future__ import annotations

import pytest

from tests.browser.conftest import require_chromium


def test_missing_chromium_skips_with_how_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("DOL_CHROMIUM", str(tmp_path / "no-chromium"))
    monkeypatch.delenv("DOL_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium"):
        require_chromium()


def test_missing_chromium_fails_when_required(monkeypatch, tmp_path):
    monkeypatch.setenv("DOL_CHROMIUM", str(tmp_path / "no-chromium"))
    monkeypatch.setenv("DOL_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="DOL_REQUIRE_BROWSER=1"):
        require_chromium()
