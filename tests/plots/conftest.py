"""Fixtures for the chart tests: the theme and the sample export. (tests/conftest.py sets the Agg backend and
closes pyplot figures after each test; charts made with ax=None are not pyplot figures at all.)"""

from __future__ import annotations

import pandas as pd
import pytest

from dol_toolkit.survey import read_export
from dol_toolkit.themes import Theme, load_theme


@pytest.fixture(scope="session")
def theme() -> Theme:
    return load_theme()


@pytest.fixture(scope="session")
def sample(repo) -> pd.DataFrame:
    return read_export(repo / "data" / "samples" / "ledelsesevaluering_digital_omstilling.csv").responses


@pytest.fixture(scope="session")
def group(sample) -> list[str]:
    return [str(x) for x in sample["leader_id"].cat.categories[:6]]

