"""A copy of the example workshop for tests that need one of their own."""

from __future__ import annotations

import shutil
from pathlib import Path

SAMPLE = "ledelsesevaluering_digital_omstilling.csv"


def copy_example_workshop(repo: Path, folder: Path) -> Path:
    """workshop/eksempel.toml as ``folder``/w.toml, with its own copy of the sample export (``export.csv``) and
    its notes in ``notes.sqlite`` beside it; returns the configuration's path."""
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / "export.csv"
    shutil.copy(repo / "data" / "samples" / SAMPLE, data)
    text = (repo / "workshop" / "eksempel.toml").read_text(encoding="utf-8")
    text = text.replace(f'file = "../data/samples/{SAMPLE}"', f'file = "{data}"')
    text = text.replace('database = "../var/eksempel-notes.sqlite"', 'database = "notes.sqlite"')
    path = folder / "w.toml"
    path.write_text(text, encoding="utf-8")
    return path
