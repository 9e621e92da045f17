"""The shared content's cache key follows what shapes the content, and only that: a workshop whose personal codes
were made again, whose notes go elsewhere or that is served to more people keeps its content (a server started
again after `dol codes` shows the room its results at once); every other setting makes a new key."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from dol_toolkit.pages.cache import NOT_CONTENT, content_key
from dol_toolkit.workshop import load_config, write_codes

SAMPLE = "ledelsesevaluering_digital_omstilling.csv"


def _workshop(repo: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(repo / "data" / "samples" / SAMPLE, folder / SAMPLE)
    shutil.copy(repo / "src" / "dol_toolkit" / "themes" / "digital_omstilling.toml", folder / "eget-tema.toml")
    text = (repo / "workshop" / "eksempel.toml").read_text(encoding="utf-8")
    text = text.replace(f'file = "../data/samples/{SAMPLE}"', f'file = "{SAMPLE}"')
    path = folder / "w.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _edit(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    changed = re.sub(pattern, replacement, text, count=1, flags=re.MULTILINE)
    assert changed != text, pattern
    path.write_text(changed, encoding="utf-8")


# Each setting that shapes the content, and an edit of the example workshop's file that changes it.
SHAPING = {
    "name": (r'^name = "[^"]*"', 'name = "Ledergruppe Social og Sundhed"'),
    "language": (r'^language = "da"', 'language = "en"'),
    "min_n": (r"^min_n = 5", "min_n = 6"),
    "theme": (r'^theme = "[^"]*"', 'theme = "eget-tema.toml"'),  # a theme file of its own (copied in _workshop)
    "organisation": (r'^organisation = "[^"]*"', 'organisation = "Anden Kommune"'),
    "facilitator": (r'^facilitator = "[^"]*"', 'facilitator = "Ole Hansen"'),
    "day": (r"^date = \S+", "date = 2026-12-01"),
    "min_answers_per_item": (r"^# \[anonymity\]\n# min_answers_per_item = 4", "[anonymity]\nmin_answers_per_item = 4"),
    "leaders": (r'^    "Nanna Østergaard",\n', ""),
}


@pytest.mark.parametrize("setting", sorted(SHAPING))
def test_a_setting_that_shapes_the_content_makes_a_new_key(repo, tmp_path, setting):
    path = _workshop(repo, tmp_path / "w")
    before = content_key(load_config(path))
    _edit(path, *SHAPING[setting])
    assert content_key(load_config(path)) != before


def test_new_codes_another_notes_database_and_a_larger_room_keep_the_key(repo, tmp_path):
    path = _workshop(repo, tmp_path / "w")
    before = content_key(load_config(path))
    write_codes(path)
    _edit(path, r'^database = "[^"]*"', 'database = "andre-noter.sqlite"')
    _edit(path, r"^participants = 10", "participants = 25")
    _edit(path, r"^close_personal_after_minutes = 10", "close_personal_after_minutes = 3")
    moved = tmp_path / "elsewhere"
    shutil.copytree(path.parent, moved)  # the same workshop in another folder
    assert content_key(load_config(path)) == before
    assert content_key(load_config(moved / "w.toml")) == before


def test_every_setting_is_either_content_or_named_as_not(repo, tmp_path):
    """A setting added to the configuration later counts in the key unless it is named as not shaping the
    content; this test makes whoever adds one decide (and test it above)."""
    config = load_config(_workshop(repo, tmp_path / "w"))
    settings = {name for name in vars(config) if not name.startswith("_")}
    assert settings == set(SHAPING) | NOT_CONTENT | {"data_file", "mapping_file"}
