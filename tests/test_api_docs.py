"""The API page is generated from the docstrings (pdoc), as `make api` does, and shows what the package offers."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import pdoc
    import pdoc.render

    out = tmp_path_factory.mktemp("api")
    pdoc.render.configure(docformat="restructuredtext")
    pdoc.pdoc("dol_toolkit", output_directory=out)
    return out


def test_every_layer_has_its_page(api: Path):
    for page in ("dol_toolkit.html", "dol_toolkit/survey.html", "dol_toolkit/stats.html", "dol_toolkit/plots.html",
                 "dol_toolkit/notes.html", "dol_toolkit/hub.html", "dol_toolkit/themes.html"):
        assert (api / page).is_file(), page


def test_the_stats_page_shows_the_reliability_functions_with_docstrings_and_examples(api: Path):
    html = (api / "dol_toolkit" / "stats.html").read_text(encoding="utf-8")
    for name in ("cronbach_alpha", "alpha_interval", "item_analysis", "employee_matrix", "employee_alpha"):
        assert f'id="{name}"' in html, name
    assert "Feldt" in html and "item_total_r" in html  # the docstring and its example
