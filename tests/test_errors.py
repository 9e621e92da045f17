"""One error protocol (issue 26): every typed error of the toolkit is a DolError with a code, its values and a
message in Danish and English; each keeps its built-in base; a page shows an error in the page's language."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest

from dol_toolkit.errors import DolError, EnglishError, error_text
from dol_toolkit.export._pdf import PdfUnavailable
from dol_toolkit.hub import HubError
from dol_toolkit.i18n import UnknownLanguage, check_lang
from dol_toolkit.i18n.dates import DateParseError, parse_date
from dol_toolkit.notes import NoteStoreError, NoteTooLong, SQLiteNoteStore
from dol_toolkit.plots._common import PlotError
from dol_toolkit.prepare import PrepareError
from dol_toolkit.report.documents import DocumentError
from dol_toolkit.stats.anonymity import AnonymityError
from dol_toolkit.survey.errors import SurveyImportError
from dol_toolkit.themes import ThemeError, load_theme
from dol_toolkit.workshop import ConfigError, load_config

# Every typed error, and the built-in base callers catch it by.
ERRORS: list[tuple[type[Exception], type[Exception]]] = [
    (ConfigError, ValueError), (PlotError, ValueError), (AnonymityError, ValueError), (DocumentError, ValueError),
    (NoteStoreError, RuntimeError), (NoteTooLong, ValueError), (PdfUnavailable, DocumentError),
    (ThemeError, ValueError), (SurveyImportError, Exception), (HubError, ValueError), (PrepareError, ValueError),
    (DateParseError, ValueError), (UnknownLanguage, ValueError),
]


@pytest.mark.parametrize(("error", "builtin"), ERRORS, ids=[e.__name__ for e, _ in ERRORS])
def test_every_typed_error_is_a_dol_error_and_keeps_its_builtin_base(error, builtin):
    assert issubclass(error, DolError) and issubclass(error, builtin)


def test_no_other_exception_class_in_the_package_stands_outside_the_protocol(repo: Path):
    """A new typed error joins the protocol (private helpers, named with a leading underscore, excepted)."""
    found = set()
    for path in (repo / "src" / "dol_toolkit").rglob("*.py"):
        for name, bases in re.findall(r"^class ([A-Z]\w*)\(([^)]*)\):", path.read_text(encoding="utf-8"), re.M):
            if re.search(r"\b(Exception|\w+Error|ValueError|RuntimeError)\b", bases):
                found.add(name)
    known = {e.__name__ for e, _ in ERRORS} | {"DolError", "EnglishError"}
    assert found <= known, f"errors outside the protocol: {sorted(found - known)}"


def _broken_config(tmp_path: Path, repo: Path) -> Path:
    text = (repo / "workshop" / "eksempel.toml").read_text(encoding="utf-8")
    path = tmp_path / "w.toml"
    path.write_text(text.replace('file = "../data/samples/', 'file = "missing/'), encoding="utf-8")
    return path


def test_a_configuration_error_is_said_in_both_languages(tmp_path: Path, repo: Path):
    with pytest.raises(ConfigError) as caught:
        load_config(_broken_config(tmp_path, repo))
    error = caught.value
    assert error.code == "data_missing" and "does not exist" in str(error)  # logs and the CLI: English
    assert "does not exist" in error.message("en") and "a relative path is read" in error.message("en")
    danish = error.message("da")
    assert "findes ikke" in danish and "en relativ sti læses" in danish and "does not exist" not in danish
    assert str(tmp_path / "w.toml") in danish and "data.file" in danish  # the file and the key, in both


def test_a_note_store_error_is_said_in_both_languages(tmp_path: Path):
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(NoteStoreError) as caught:
        SQLiteNoteStore(junk)
    assert "as a notes database" in str(caught.value)
    assert "som notedatabase" in caught.value.message("da")
    assert "notes.database" in caught.value.message("da")  # the setting to change, as it is written


def test_a_broken_theme_inside_a_configuration_is_said_in_the_page_language(tmp_path: Path):
    with pytest.raises(ThemeError) as caught:
        load_theme("no_such_theme")
    wrapped = ConfigError("theme", path=tmp_path / "w.toml", error=caught.value)
    assert "no theme 'no_such_theme'" in str(wrapped)
    assert "intet tema 'no_such_theme'" in wrapped.message("da")


def test_the_launch_page_shows_a_configuration_error_in_the_page_language(tmp_path: Path, repo: Path):
    from dol_toolkit.apps._launch import launch

    def build(*_: object) -> object:
        raise AssertionError("not reached: the configuration cannot be read")

    config = _broken_config(tmp_path, repo)
    danish = launch(build, str(config), "da", "results")  # type: ignore[arg-type]
    english = launch(build, str(config), "en", "results")  # type: ignore[arg-type]
    assert "findes ikke" in danish.value and "does not exist" not in danish.value
    assert "does not exist" in english.value


def test_error_text_says_any_error_in_a_language():
    assert error_text(NoteTooLong(120_000), "da") == "noten ville være 120.000 tegn lang; højst 100.000 kan gemmes"
    assert error_text(NoteTooLong(120_000), "en") == ("the note would be 120,000 characters long; at most 100,000 "
                                                      "can be saved")
    assert error_text(KeyError("x"), "da") == "'x'"


def test_errors_for_programmers_are_english_in_every_language():
    error = PlotError("likert_bars: several rows for the same item")
    assert isinstance(error, EnglishError)
    assert error.message("da") == error.message("en") == str(error) == "likert_bars: several rows for the same item"


def test_the_translated_errors_keep_their_messages():
    with pytest.raises(DateParseError) as caught:
        parse_date("31.6.2026", "da")
    assert str(caught.value) == "Der er ingen 31. juni 2026: juni 2026 har 30 dage."
    assert caught.value.key == caught.value.code == "dates.no_such_day"
    prep = PrepareError("no_name")
    assert str(prep) == prep.message("da") and prep.key == prep.code == "no_name" and prep.catalog_key == "prep.no_name"
    survey = SurveyImportError("bad_mapping", path="m.toml", detail="x")
    assert str(survey) == f"{survey.message('da')} / {survey.message('en')}"
    assert survey.catalog_key == "import_error.bad_mapping"


@pytest.mark.parametrize("error", [
    ConfigError("min_n_low", path=Path("w.toml"), min_n=3), NoteTooLong(5, 4), PrepareError("no_name"),
    DateParseError("dates.incomplete", "en"), SurveyImportError("bad_mapping", path="m.toml", detail="x"),
    PlotError("no"), UnknownLanguage("language.unknown", lang="'fr'"),
], ids=lambda e: type(e).__name__)
def test_an_error_survives_pickling(error: DolError):
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is type(error) and str(again) == str(error) and again.message("da") == error.message("da")


def test_one_language_check():
    assert check_lang("da") == "da"
    with pytest.raises(UnknownLanguage) as caught:
        check_lang("de")
    assert "lang='da'" in str(caught.value) and "ukendt sprog 'de'" in caught.value.message("da")


def test_the_survey_package_does_not_shadow_the_builtin_import_error():
    namespace: dict[str, object] = {}
    exec("from dol_toolkit.survey import *", namespace)
    assert "ImportError" not in namespace
    import dol_toolkit.survey

    assert not hasattr(dol_toolkit.survey, "ImportError") or dol_toolkit.survey.ImportError is ImportError


def test_an_error_inside_another_is_said_in_the_outer_message_s_language():
    """The preparation page says why chosen leaders are missing in the page's language, not in English."""
    inner = ConfigError("leaders_not_found", path=Path("w.toml"), data=Path("d.csv"),
                        guesses=(("Klaus Tønesen", "Klaus Tønnesen"),))
    outer = PrepareError("leaders_missing", detail=inner)
    assert "'Klaus Tønesen' (mente du 'Klaus Tønnesen'?)" in outer.message("da")
    assert "findes ikke i d.csv" in outer.message("da") and "not found" not in outer.message("da")
    assert "'Klaus Tønesen' (did you mean 'Klaus Tønnesen'?) not found in d.csv" in outer.message("en")
