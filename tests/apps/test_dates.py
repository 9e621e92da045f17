"""Dates as participants write and read them (Danish and English), and the action plan's date fields.

The browser's own date field shows mm/dd/yyyy in an en-US browser; the plan's dates are typed as text, read by
``dol_toolkit.i18n.dates`` and stored as ISO dates (``YYYY-MM-DD``) as before.
"""

from __future__ import annotations

import doctest
from datetime import date, timedelta
from pathlib import Path

import ipywidgets as widgets
import pytest

from dol_toolkit.apps.action_plan import ActionPlanApp
from dol_toolkit.i18n import LANGUAGES, catalog
from dol_toolkit.i18n import dates as dates_module
from dol_toolkit.i18n.dates import (
    DateParseError,
    iso_or_text,
    long_date,
    parse_date,
    short_date,
    weekday_date,
)
from dol_toolkit.notes import NoteKey, SQLiteNoteStore
from dol_toolkit.notes.topics import PLAN_FOLLOW_UP, Action, dump_actions, dump_follow_up, load_plan
from dol_toolkit.workshop import load_config

JUNE_10 = date(2026, 6, 10)


def test_the_modules_examples_hold():
    result = doctest.testmod(dates_module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 10 and result.failed == 0


# -- writing dates ------------------------------------------------------------------------------------------
def test_dates_written_in_danish():
    assert short_date(JUNE_10, "da") == "10.06.2026"
    assert long_date(JUNE_10, "da") == "10. juni 2026"
    assert weekday_date(JUNE_10, "da") == "onsdag den 10. juni 2026"
    assert short_date(date(2027, 3, 1), "da") == "01.03.2027"


def test_dates_written_in_english_never_month_first():
    assert short_date(JUNE_10, "en") == "10 Jun 2026"
    assert long_date(JUNE_10, "en") == "10 June 2026"
    assert weekday_date(JUNE_10, "en") == "Wednesday 10 June 2026"
    assert "/" not in short_date(date(2026, 12, 31), "en")


def test_every_month_and_weekday_has_its_name():
    names = {lang: {long_date(date(2026, m, 1), lang).split()[1] for m in range(1, 13)} for lang in LANGUAGES}
    assert names["da"] == {"januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
                           "oktober", "november", "december"}
    assert names["en"] == {"January", "February", "March", "April", "May", "June", "July", "August", "September",
                           "October", "November", "December"}
    week = [date(2026, 6, 8) + timedelta(days=i) for i in range(7)]  # Monday to Sunday
    assert [weekday_date(d, "da").split()[0] for d in week] == ["mandag", "tirsdag", "onsdag", "torsdag", "fredag",
                                                                 "lørdag", "søndag"]
    assert [weekday_date(d, "en").split()[0] for d in week] == ["Monday", "Tuesday", "Wednesday", "Thursday",
                                                                 "Friday", "Saturday", "Sunday"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_shown_date_is_read_back_as_the_same_day(lang):
    """What the app shows (in the field and written out) can be typed back, every day of a leap year."""
    day = date(2028, 1, 1)
    while day.year == 2028:
        for shown in (short_date(day, lang), long_date(day, lang), weekday_date(day, lang), day.isoformat()):
            assert parse_date(shown, lang) == day, shown
        day += timedelta(days=1)


def test_iso_or_text_writes_out_iso_dates_only():
    assert iso_or_text("2026-06-10", "da") == "10. juni 2026"
    assert iso_or_text("2026-06-10", "en") == "10 June 2026"
    assert iso_or_text("efter sommerferien", "da") == "efter sommerferien"
    assert iso_or_text("10.06.2026", "da") == "10.06.2026"
    assert iso_or_text("2026-02-30", "en") == "2026-02-30"
    assert iso_or_text("", "da") == ""


# -- reading dates ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["10.06.2026", "10.6.2026", "10/6/2026", "10-6-2026", "10. juni 2026",
                                  "10. Juni 2026", "10 jun 2026", "2026-06-10", " 10.06.2026 ", "10.6.2026.",
                                  "onsdag den 10. juni 2026", "d. 10. juni 2026", "10 6 2026", "10–6–2026"])
def test_danish_ways_of_writing_a_date(text):
    assert parse_date(text, "da") == JUNE_10


@pytest.mark.parametrize("text", ["10 June 2026", "10 Jun 2026", "June 10, 2026", "10th of June 2026",
                                  "Wednesday 10 June 2026", "Wednesday, 10 June 2026", "2026-06-10", "10.06.2026"])
def test_english_ways_of_writing_a_date(text):
    assert parse_date(text, "en") == JUNE_10


def test_numbers_are_read_day_first_in_both_languages():
    assert parse_date("10/6/2026", "en") == JUNE_10
    assert parse_date("1.3.2027", "da") == date(2027, 3, 1)
    assert parse_date("29.2.2028", "da") == date(2028, 2, 29)


@pytest.mark.parametrize(("text", "key", "da", "en"), [
    ("", "dates.empty", "Skriv en dato", "Write a date"),
    ("10.6", "dates.incomplete", "Skriv hele datoen med dag, måned og år",
     "Write the whole date with day, month and year"),
    ("juni 2026", "dates.incomplete", "dag, måned og år", "day, month and year"),
    ("10.6.26", "dates.year_digits", "Skriv året med fire cifre", "Write the year with four digits"),
    ("10.13.2026", "dates.no_such_month", "Der er ingen måned 13", "There is no month 13"),
    ("6/30/2026", "dates.no_such_month", "Skriv dagen først", "Write the day first"),
    ("31.6.2026", "dates.no_such_day", "Der er ingen 31. juni 2026: juni 2026 har 30 dage",
     "There is no 31 June 2026: June 2026 has 30 days"),
    ("29.2.2027", "dates.no_such_day", "februar 2027 har 28 dage", "February 2027 has 28 days"),
    ("tirsdag den 10. juni 2026", "dates.wrong_weekday", "10. juni 2026 er en onsdag, ikke en tirsdag",
     "10 June 2026 is a Wednesday, not a Tuesday"),
    ("næste fredag", "dates.unknown_word", "»næste« kan ikke læses", "Cannot read “næste”"),
    ("10:6:2026", "dates.unreadable", "»10:6:2026« kan ikke læses som en dato", "Cannot read “10:6:2026” as a date"),
    ("20260610", "dates.unreadable", "kan ikke læses som en dato", "as a date"),
    ("1.2.3.2026", "dates.too_many", "for mange tal", "too many numbers"),
])
def test_what_cannot_be_read_is_said_in_the_users_language(text, key, da, en):
    with pytest.raises(DateParseError) as danish:
        parse_date(text, "da")
    with pytest.raises(DateParseError) as english:
        parse_date(text, "en")
    assert isinstance(danish.value, ValueError)
    assert danish.value.key == english.value.key == key
    assert da in str(danish.value) and en in str(english.value)
    assert danish.value.message("en") == str(english.value)  # the same error, told in either language
    for message in (str(danish.value), str(english.value)):
        assert "{" not in message and "Traceback" not in message


def test_every_date_message_is_in_both_catalogs():
    keys = {lang: {k for k in catalog(lang) if k.startswith("dates.")} for lang in LANGUAGES}
    assert keys["da"] == keys["en"]
    assert {"dates.placeholder", "dates.not_saved", "dates.no_such_day"} <= keys["da"]
    assert catalog("da")["dates.placeholder"] == "dd.mm.åååå"


# -- the action plan's date fields --------------------------------------------------------------------------
@pytest.fixture
def setup(repo: Path, tmp_path: Path):
    text = (repo / "workshop" / "eksempel.toml").read_text(encoding="utf-8")
    text = text.replace('file = "../data/samples/', f'file = "{repo}/data/samples/')
    text = text.replace('database = "../var/eksempel-notes.sqlite"', 'database = "notes.sqlite"')
    path = tmp_path / "w.toml"
    path.write_text(text, encoding="utf-8")
    config = load_config(path)
    store = SQLiteNoteStore(config.notes_database)
    apps: list[ActionPlanApp] = []

    def make(**options) -> ActionPlanApp:
        app = ActionPlanApp(config, store, **options)
        apps.append(app)
        return app

    yield config, store, make
    for app in apps:
        app.poller.stop()
        if app._cancel is not None:
            app._cancel()
    store.close()


def _save(app: ActionPlanApp) -> None:
    """The autosave, now (instead of after the pause in typing)."""
    if app._cancel is not None:
        app._cancel()
    app.flush()


def _all_widgets(widget: widgets.Widget) -> list[widgets.Widget]:
    found = [widget]
    for child in getattr(widget, "children", ()):
        found += _all_widgets(child)
    return found


def test_the_plan_has_no_browser_date_picker(setup):
    _, _, make = setup
    app = make()
    app._add_row()
    assert not any(isinstance(w, widgets.DatePicker) for w in _all_widgets(app.widget))
    assert app.rows[0].by_when.text.placeholder == "dd.mm.åååå"
    assert app.follow_up.text.description == "Opfølgning den"


def test_a_typed_danish_date_is_shown_written_out_and_stored_as_iso(setup):
    config, store, make = setup
    app = make()
    app._add_row()
    field = app.rows[0].by_when
    field.text.value = "10.6.2026"
    assert "onsdag den 10. juni 2026" in field.shown.value
    app.follow_up.text.value = "1. marts 2027"
    assert "mandag den 1. marts 2027" in app.follow_up.shown.value
    _save(app)
    plan = load_plan(store, config.name)
    assert [a.by_when for a in plan.actions] == ["2026-06-10"] and plan.follow_up == "2027-03-01"
    assert "Gemt kl." in app.status.value and "undtagen" not in app.status.value
    assert field.text.value == "10.6.2026"  # what was typed stays as typed
    other = make()  # the next visitor sees the stored dates the Danish way
    assert other.rows[0].by_when.text.value == "10.06.2026"
    assert other.follow_up.text.value == "01.03.2027"


def test_switching_language_shows_the_dates_in_english(setup):
    config, store, make = setup
    store.save(NoteKey(config.name, "plan:actions"), dump_actions([Action("Kursus", by_when="2026-06-10")]), 0)
    store.save(NoteKey(config.name, PLAN_FOLLOW_UP), dump_follow_up("2027-03-01"), 0)
    app = make()
    field = app.rows[0].by_when
    assert field.text.value == "10.06.2026" and "onsdag den 10. juni 2026" in field.shown.value
    app.switch.value = "en"
    assert field.text.value == "10 Jun 2026" and "Wednesday 10 June 2026" in field.shown.value
    assert field.text.description == "By"  # labelled in English
    assert app.follow_up.text.value == "1 Mar 2027" and "Monday 1 March 2027" in app.follow_up.shown.value
    assert app.follow_up.text.placeholder == "e.g. 10 June 2026"
    field.text.value = "24 December 2026"
    _save(app)
    assert load_plan(store, config.name).actions[0].by_when == "2026-12-24"
    app.switch.value = "da"
    assert field.text.value == "24.12.2026" and "torsdag den 24. december 2026" in field.shown.value


def test_an_unreadable_date_is_kept_as_typed_and_not_saved(setup):
    config, store, make = setup
    app = make()
    app._add_row()
    field = app.rows[0].by_when
    field.text.value = "10.6.2026"
    _save(app)
    field.text.value = "31.6.2026"
    assert "Der er ingen 31. juni 2026" in field.shown.value
    assert "onsdag" not in field.shown.value  # the old date is not shown as if it were the one typed
    _save(app)
    assert load_plan(store, config.name).actions[0].by_when == "2026-06-10"  # no wrong date saved
    assert field.text.value == "31.6.2026"
    assert "ikke kan læses" in app.status.value and 'role="alert"' in app.status.value
    app.switch.value = "en"
    assert field.text.value == "31.6.2026" and "There is no 31 June 2026" in field.shown.value
    app.switch.value = "da"

    # Someone else changes the plan meanwhile: bringing their change in keeps the text being corrected.
    other = make()
    other.rows[0].what.value = "Studiebesøg"
    _save(other)
    app.refresh()
    assert app.rows[0].what.value == "Studiebesøg"
    field = app.rows[0].by_when
    assert field.text.value == "31.6.2026" and "Der er ingen 31. juni 2026" in field.shown.value

    field.text.value = "30.6.2026"
    _save(app)
    assert load_plan(store, config.name).actions[0].by_when == "2026-06-30"
    assert "Gemt kl." in app.status.value and "ikke kan læses" not in app.status.value


def test_a_cleared_date_is_no_date(setup):
    config, store, make = setup
    app = make()
    app.follow_up.text.value = "2026-06-10"
    _save(app)
    assert load_plan(store, config.name).follow_up == "2026-06-10"
    app.follow_up.text.value = "  "
    assert app.follow_up.shown.value == ""
    _save(app)
    assert load_plan(store, config.name).follow_up == ""


def test_saved_text_that_is_not_a_date_stays_as_it_was(setup):
    """A plan saved with words for a date (older plans could hold any text) shows them and keeps them saved."""
    config, store, make = setup
    store.save(NoteKey(config.name, PLAN_FOLLOW_UP), dump_follow_up("efter sommerferien"), 0)
    app = make()
    assert app.follow_up.text.value == "efter sommerferien"
    assert "kan ikke læses" in app.follow_up.shown.value
    app._add_row()
    app.rows[0].what.value = "Kursus"
    _save(app)
    assert load_plan(store, config.name).follow_up == "efter sommerferien"
