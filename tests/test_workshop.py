"""The workshop configuration and the personal codes."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from dol_toolkit.workshop import (
    CODE_ALPHABET,
    ConfigError,
    hash_code,
    load_config,
    new_code,
    normalise_code,
    verify_code,
    write_codes,
)


@pytest.fixture
def config(tmp_path: Path, repo: Path) -> Path:
    text = (repo / "workshop" / "eksempel.toml").read_text(encoding="utf-8")
    text = text.replace('file = "../data/samples/', f'file = "{repo}/data/samples/')
    text = re.sub(r"(?ms)^# Personal codes.*", "", text)
    path = tmp_path / "w.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_example_configuration_loads(repo: Path):
    cfg = load_config(repo / "workshop" / "eksempel.toml")
    assert cfg.name == "Ledergruppe Teknik og Miljø" and cfg.language == "da" and cfg.min_n == 5
    assert cfg.data_file.is_file() and len(cfg.leaders) == 6
    assert cfg.notes_database.name == "eksempel-notes.sqlite"
    assert not str(cfg.notes_database).startswith(str(repo / "notebooks"))  # never in the served folder


def test_codes_are_short_hard_to_guess_and_stored_hashed(config: Path):
    codes = write_codes(config)
    assert set(codes) == set(load_config(config).leaders)
    for code in codes.values():
        assert re.fullmatch(rf"[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}", code)
    text = config.read_text(encoding="utf-8")
    assert not any(code in text or normalise_code(code) in text for code in codes.values())
    cfg = load_config(config)
    # scrypt at the product's cost (tests/codes.py writes cheaper hashes for tests that check many codes)
    assert all(stored.startswith("scrypt$16384$8$1$") for stored in cfg.codes.values())
    for leader, code in codes.items():
        assert cfg.check_code(code) == leader
        assert cfg.check_code(code.lower().replace("-", " ")) == leader
    assert cfg.check_code("AAAA-BBBB") is None and cfg.check_code("") is None
    assert len({new_code() for _ in range(200)}) == 200


def test_new_codes_replace_old_ones_and_keep_the_rest(config: Path):
    first = write_codes(config)
    again = write_codes(config, ["Klaus Tønnesen"])
    cfg = load_config(config)
    assert cfg.check_code(first["Klaus Tønnesen"]) is None
    assert cfg.check_code(again["Klaus Tønnesen"]) == "Klaus Tønnesen"
    assert cfg.check_code(first["Nanna Østergaard"]) == "Nanna Østergaard"
    assert config.read_text(encoding="utf-8").count("[codes]") == 1
    assert config.read_text(encoding="utf-8").count("# Personal codes") == 1


def test_hash_verification():
    stored = hash_code("K7QM-4XPA")
    assert verify_code("k7qm4xpa", stored) and not verify_code("K7QM-4XPB", stored)
    assert not verify_code("K7QM-4XPA", "not-a-hash")


@pytest.mark.parametrize(("old", "new", "message"), [
    ("min_n = 5 ", "min_n = 3 ", "never shows fewer than 5"),
    ('file = "', 'file = "missing/', "does not exist"),
    ("leaders = [", "leaders = []\nformer_leaders = [", "group.leaders"),
    ('name = "Ledergruppe', 'name = 7 #', "workshop.name must be a str"),
])
def test_bad_configuration_names_file_and_field(config: Path, old: str, new: str, message: str):
    text = config.read_text(encoding="utf-8")
    assert old in text
    config.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)) as info:
        load_config(config)
    assert str(config) in str(info.value)


def test_dol_codes_prints_each_code_once(config: Path):
    dol = Path(sys.executable).parent / "dol"
    result = subprocess.run([str(dol), "codes", str(config)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    printed = re.findall(r"^\s+(.+?)\s{2,}([A-Z0-9]{4}-[A-Z0-9]{4})$", result.stdout, re.M)
    assert len(printed) == 6
    cfg = load_config(config)
    assert all(cfg.check_code(code) == leader for leader, code in printed)
    bad = subprocess.run([str(dol), "codes", str(config), "--leader", "Nobody"], capture_output=True, text=True)
    assert bad.returncode == 2 and "Nobody" in bad.stderr and "Traceback" not in bad.stderr


def test_demo_codes_in_the_guide_open_the_example_workshop(repo: Path):
    guide = (repo / "workshop" / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (.+?) \| ([A-Z0-9]{4}-[A-Z0-9]{4}) \|$", guide, re.M)
    cfg = load_config(repo / "workshop" / "eksempel.toml")
    assert len(rows) == len(cfg.leaders) == 6
    assert all(cfg.check_code(code) == leader for leader, code in rows)


def test_a_copied_configuration_keeps_no_old_codes(config: Path):
    """A facilitator copies a configuration for a new group: the codes of leaders who are not in the new group
    are removed by `dol codes`, and never open anything even before that."""
    old = write_codes(config)
    text = config.read_text(encoding="utf-8")
    text = text.replace('    "Birgitte Sandbæk",\n    "Helle Kjeldsen",\n', "")  # the new group: four of the six
    config.write_text(text, encoding="utf-8")
    cfg = load_config(config)
    assert cfg.check_code(old["Birgitte Sandbæk"]) is None  # an old code opens nothing in this group
    assert cfg.check_code(old["Klaus Tønnesen"]) == "Klaus Tønnesen"
    dol = Path(sys.executable).parent / "dol"
    result = subprocess.run([str(dol), "codes", str(config)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Birgitte Sandbæk" in result.stdout and "Helle Kjeldsen" in result.stdout  # said as removed
    assert "Fjernet" in result.stdout
    stored = load_config(config).codes
    assert set(stored) == {"Jesper Bertelsen", "Klaus Tønnesen", "Morten Vestergaard", "Nanna Østergaard"}
    assert "Birgitte" not in config.read_text(encoding="utf-8").split("[codes]")[1]


def test_dol_codes_refuses_leaders_not_in_the_data_and_names_them(config: Path):
    text = config.read_text(encoding="utf-8").replace('    "Klaus Tønnesen",\n', '    "Klaus Tønesen",\n')
    config.write_text(text, encoding="utf-8")
    before = config.read_text(encoding="utf-8")
    dol = Path(sys.executable).parent / "dol"
    result = subprocess.run([str(dol), "codes", str(config)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "Klaus Tønesen" in result.stderr and "Traceback" not in result.stderr
    assert not re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}", result.stdout)  # no code made
    assert config.read_text(encoding="utf-8") == before


def test_dol_serve_refuses_a_leader_not_in_the_data_before_it_serves(config: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("DOL_CACHE_DIR", str(tmp_path / "cache"))
    text = config.read_text(encoding="utf-8").replace('    "Klaus Tønnesen",\n', '    "Klaus Tønesen",\n')
    config.write_text(text, encoding="utf-8")
    dol = Path(sys.executable).parent / "dol"
    result = subprocess.run([str(dol), "serve", str(config), "--port", "0", "--participants", "0"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 2 and "Klaus Tønesen" in result.stderr and "Traceback" not in result.stderr


# -- issue 26: the configuration is a pydantic model; an unknown language is refused; errors in both languages --
@pytest.mark.parametrize("language", ["fr", "", "deutsch"])
def test_an_unknown_language_is_refused_with_the_languages_there_are(config: Path, language: str):
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r'(?m)^language = "da"', f'language = "{language}"', text, count=1), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(config)
    english, danish = info.value.message("en"), info.value.message("da")
    assert str(config) in english and "workshop.language" in english and repr(language) in english
    assert '"da"' in english and '"en"' in english and "Danish" in english and "English" in english
    assert str(config) in danish and "workshop.language" in danish and "dansk" in danish and "engelsk" in danish
    assert str(info.value) == english


@pytest.mark.parametrize(("written", "language"), [("da", "da"), ("en", "en"), ("English", "en"), ("dansk", "da")])
def test_the_languages_are_read_as_before(config: Path, written: str, language: str):
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r'(?m)^language = "da"', f'language = "{written}"', text, count=1), encoding="utf-8")
    assert load_config(config).language == language


@pytest.mark.parametrize(("old", "new", "danish"), [
    ("min_n = 5 ", "min_n = 3 ", "viser aldrig færre end 5"),
    ('file = "', 'file = "missing/', "findes ikke"),
    ("leaders = [", "leaders = []\nformer_leaders = [", "group.leaders skal opremse"),
    ('name = "Ledergruppe', 'name = 7 #', "workshop.name skal være en tekst (i anførselstegn), ikke et helt tal"),
    ("participants = 10", "participants = 500", "room.participants skal være et helt tal fra 1 til 60"),
    ("[workshop]", "workshop = 3\n[other]", "[workshop] skal være en tabel"),
])
def test_every_configuration_error_is_said_in_danish_too(config: Path, old: str, new: str, danish: str):
    text = config.read_text(encoding="utf-8")
    assert old in text
    config.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(config)
    assert danish in info.value.message("da") and str(config) in info.value.message("da")
    assert info.value.message("da") != info.value.message("en")
