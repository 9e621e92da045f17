"""The researchers' seaborn figures: one panel per item, in the theme's order, bars as shares on its scale."""

from __future__ import annotations

import pandas as pd
import pytest

from dol_toolkit.plots.research import item_distributions
from dol_toolkit.themes import load_theme


def test_one_panel_per_item_with_the_shares_of_each_answer():
    theme = load_theme()
    items = list(reversed(theme.item_ids))  # the table's order is not the theme's
    matrix = pd.DataFrame({item: [1, 2, 2, 5] for item in items}, dtype=float)
    figure = item_distributions(matrix, theme, lang="en")
    panels = [ax for ax in figure.axes if ax.get_title()]
    assert [ax.get_title() for ax in panels] == [theme.item(i).short("en") for i in theme.item_ids]
    heights = [round(bar.get_height()) for bar in panels[0].patches]
    assert heights[:2] == [25, 50] and heights[-1] == 25  # 1: 1 of 4, 2: 2 of 4, 5: 1 of 4 (3 and 4: no bar)
    assert sum(round(bar.get_height()) for bar in panels[0].patches if bar.get_height() == bar.get_height()) == 100


def test_an_unknown_language_is_refused_as_by_the_workshop_charts():
    """The research figures open as every chart does (plots._common.chart_setup): "fr" is an error that names
    the choices, not a figure silently labelled in English."""
    theme = load_theme()
    matrix = pd.DataFrame({item: [1, 2, 2, 5] for item in theme.item_ids}, dtype=float)
    with pytest.raises(ValueError, match="lang='da'"):
        item_distributions(matrix, theme, lang="fr")  # type: ignore[arg-type]
