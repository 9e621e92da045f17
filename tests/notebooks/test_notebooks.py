"""Notebooks are thin apps: committed without outputs, a few lines of code, and they run without errors."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))


def test_the_workshop_is_one_notebook():
    # The start page and the four steps are one page (one kernel per participant), switched inside it; the
    # facilitator's preparation is the only other page (served to this machine only).
    assert [p.name for p in NOTEBOOKS] == ["preparation.ipynb", "workshop.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_thin_and_clean(path: Path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), "strip outputs"
    lines = [ln for c in code for ln in c.source.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    assert len(lines) <= 12, f"{path.name} holds logic ({len(lines)} lines of code); move it into dol_toolkit"
    assert not any(ln.lstrip().startswith(("def ", "class ", "for ", "while ")) for ln in lines)
    # Voila shows markdown cells to visitors: notebooks carry none.
    assert not [c for c in nb.cells if c.cell_type == "markdown"]


@pytest.fixture(scope="module")
def workshop_config(tmp_path_factory) -> Path:
    repo = Path(__file__).resolve().parents[2]
    text = (repo / "workshop" / "eksempel.toml").read_text(encoding="utf-8")
    text = text.replace('file = "../data/samples/', f'file = "{repo}/data/samples/')
    text = text.replace('database = "../var/eksempel-notes.sqlite"', 'database = "notes.sqlite"')
    path = tmp_path_factory.mktemp("nb") / "w.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_and_displays_a_widget(path: Path, workshop_config: Path, monkeypatch):
    # The kernel gets the workshop configuration as `dol serve` gives it: in the environment.
    monkeypatch.setenv("DOL_WORKSHOP_CONFIG", str(workshop_config))
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)
    # The app started: nothing was logged as a failure.
    logged = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "could not start" not in logged and "Traceback" not in logged, logged


def test_a_page_kernel_shows_the_group_without_pandas_or_matplotlib(workshop_config: Path, monkeypatch):
    """The group's results come from the workshop's shared content: a participant's kernel imports neither the
    data stack nor the charts (they cost ~130 MB and seconds of CPU per kernel)."""
    monkeypatch.setenv("DOL_WORKSHOP_CONFIG", str(workshop_config))
    from dol_toolkit.pages.cache import ensure_content
    from dol_toolkit.workshop import load_config

    ensure_content(load_config(workshop_config))  # as `dol serve` does before any kernel starts
    path = Path(__file__).resolve().parents[2] / "notebooks" / "workshop.ipynb"
    nb = nbformat.read(path, as_version=4)
    heavy = ("pandas", "matplotlib", "scipy", "docx", "jupyter_server")
    probe = f"import sys\nprint(sorted(m for m in {heavy!r} if m in sys.modules))"
    nb.cells.append(nbformat.v4.new_code_cell(probe))
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    printed = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.output_type == "stream")
    assert printed.strip() == "[]", printed
    shown = nb.cells[0].outputs
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in shown)
