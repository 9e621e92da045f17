"""The apps' templates: rendered the same from the compiled copies other kernels kept, and rendered when no copy
can be kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from dol_toolkit.apps import _html

NOTE = "<b>Teams & sagssystemet</b>"


@pytest.fixture
def fresh_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("DOL_CACHE_DIR", str(tmp_path))
    _html._environment.cache_clear()
    yield tmp_path / "templates"
    _html._environment.cache_clear()


def _saved_status() -> str:
    return str(_html.render("save_status.html", kind="ok", role="status", live=True, saved_units=3, text=NOTE))


def test_a_second_kernel_renders_from_the_kept_compiled_templates(fresh_environment: Path, monkeypatch):
    first = _saved_status()
    assert "&lt;b&gt;Teams &amp; sagssystemet&lt;/b&gt;" in first and 'data-saved-units="3"' in first
    kept = sorted(fresh_environment.glob("__jinja2_*.cache"))
    assert len(kept) == 1
    # A new environment (another kernel) takes the kept code: it never compiles the template again.
    _html._environment.cache_clear()
    compiled: list[str] = []
    original = _html.Environment.compile
    monkeypatch.setattr(_html.Environment, "compile",
                        lambda self, *a, **k: compiled.append(str(a[1] if len(a) > 1 else k.get("name")))
                        or original(self, *a, **k))
    assert _saved_status() == first
    assert compiled == []


def test_a_template_renders_when_its_compiled_copy_cannot_be_kept(fresh_environment: Path, monkeypatch, caplog):
    import jinja2.bccache

    def refuse(*_a, **_k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(jinja2.bccache.tempfile, "NamedTemporaryFile", refuse)
    assert "&lt;b&gt;Teams &amp; sagssystemet&lt;/b&gt;" in _saved_status()
    assert list(fresh_environment.glob("__jinja2_*.cache")) == []
    assert "could not be kept" in caplog.text
