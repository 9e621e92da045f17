"""The research notebooks (notebooks/research/) run headless on the sample data, with nothing failing, and
show what they say: text, tables and a seaborn figure. They are never served (tests/browser/test_served_apps.py)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

RESEARCH = sorted((Path(__file__).resolve().parents[2] / "notebooks" / "research").glob("*.ipynb"))


def test_there_are_research_notebooks():
    assert [p.name for p in RESEARCH] == ["change_between_rounds.ipynb", "export_for_r_stata_spss.ipynb",
                                          "item_analysis.ipynb", "self_other_agreement.ipynb"]


@pytest.mark.parametrize("path", RESEARCH, ids=lambda p: p.name)
def test_research_notebook_runs_and_shows_its_results(path: Path):
    nb = nbformat.read(path, as_version=4)
    assert any(c.cell_type == "markdown" for c in nb.cells), "a research notebook explains itself"
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), "committed without outputs"
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    errors = [o for o in outputs if o.output_type == "error"]
    assert not errors, errors[0].get("evalue") if errors else ""
    text = "\n".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    if path.name == "export_for_r_stata_spss.ipynb":
        assert "employee answers about" in text and "answers.sav" in text and "Strongly disagree" in text
        return
    assert any("image/png" in o.get("data", {}) for o in outputs), "the seaborn figure"
    if path.name == "item_analysis.ipynb":
        assert "2026: alpha 0." in text and "95 % CI" in text
        tables = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
        assert any("item_total_r" in t and "alpha_if_deleted" in t for t in tables)
    if path.name == "change_between_rounds.ipynb":
        assert "leaders have a change (2024 to 2026)" in text
        tables = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
        assert any("better" in t and "worse" in t for t in tables)
    if path.name == "self_other_agreement.ipynb":
        assert "leaders with gaps" in text
        tables = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
        assert any("blind_spot" in t and "hidden_strength" in t and "Social og Sundhed" in t for t in tables)
