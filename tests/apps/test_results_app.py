"""The results app as widgets (no browser): views, codes, lockout, language, anonymity on screen."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dol_toolkit.apps import personal as gate_module
from dol_toolkit.apps._cache import load_content
from dol_toolkit.apps.results import ResultsApp, results_app
from dol_toolkit.workshop import load_config, write_codes


@pytest.fixture(scope="module")
def setup(repo: Path, tmp_path_factory):
    folder = tmp_path_factory.mktemp("cfg")
    text = (repo / "workshop" / "eksempel.toml").read_text(encoding="utf-8")
    text = text.replace('file = "../data/samples/', f'file = "{repo}/data/samples/')
    path = folder / "w.toml"
    path.write_text(text, encoding="utf-8")
    codes = write_codes(path)
    return load_config(path), codes, path


def _open(app: ResultsApp, code: str) -> None:
    app.view.value = "personal"
    app.gate.code.value = code
    app.gate.open_button.click()


def test_group_view_by_default_names_no_leader(setup):
    data, codes, _ = setup
    app = ResultsApp(data, load_content(data))
    assert app.view.value == "group" and "Ledergruppe Teknik og Miljø" in app.header.value
    assert app.body.value.count('class="dol-chart"') == 3  # employees, change since 2024, gaps
    assert not any(leader in app.body.value for leader in codes)
    assert "1 leder i gruppen har færre end 5 medarbejdersvar; lederens medarbejderes svar" in app.body.value
    assert app.errors.value == ""


def test_wave_change_redraws(setup):
    app = ResultsApp(setup[0], load_content(setup[0]))
    before = app.body.value
    app.wave.value = "2024"
    assert app.body.value != before and 'data-chart="change"' not in app.body.value


def test_codes_open_only_ones_own_results_and_closing_clears(setup):
    data, codes, _ = setup
    app = ResultsApp(data, load_content(data))
    _open(app, "ZZZZ-ZZZZ")
    assert "Koden passer ikke" in app.gate.message.value and app.leader is None
    assert "dol-chart" not in app.body.value and app.gate.code.value == ""
    _open(app, codes["Morten Vestergaard"])
    assert app.leader == "Morten Vestergaard" and "Dine resultater – Morten Vestergaard" in app.header.value
    assert 'data-chart="means"' in app.body.value
    assert not any(other in app.body.value + app.header.value for other in codes if other != "Morten Vestergaard")
    app.gate.close_button.click()
    assert app.leader is None and app.view.value == "group"
    assert "Morten" not in app.header.value + app.body.value
    assert not any(key[0] == "personal" for key in app._cache)


def test_lockout_after_five_wrong_codes(setup, monkeypatch):
    data, codes, _ = setup
    app = ResultsApp(data, load_content(data))
    for _ in range(gate_module.MAX_ATTEMPTS):
        _open(app, "AAAA-AAAA")
    assert "For mange forkerte koder" in app.gate.message.value
    _open(app, codes["Klaus Tønnesen"])  # even the right code waits
    assert app.leader is None and "Vent" in app.gate.message.value
    clock = gate_module.time.monotonic() + gate_module.LOCKOUT_SECONDS + 1
    monkeypatch.setattr(gate_module.time, "monotonic", lambda: clock)
    _open(app, codes["Klaus Tønnesen"])
    assert app.leader == "Klaus Tønnesen"


def test_wrong_codes_count_for_the_whole_server_and_a_new_page_does_not_reset_them(repo, tmp_path, monkeypatch,
                                                                                  caplog):
    text = (repo / "workshop" / "eksempel.toml").read_text(encoding="utf-8")
    text = text.replace('file = "../data/samples/', f'file = "{repo}/data/samples/')
    path = tmp_path / "w.toml"
    path.write_text(text, encoding="utf-8")
    codes = write_codes(path)
    data = load_config(path)
    monkeypatch.setattr(gate_module, "SERVER_MAX_ATTEMPTS", 7)
    content = load_content(data)
    wrong = "ZZZZ-ZZZZ"
    with caplog.at_level("WARNING", logger="dol_toolkit.apps.personal"):
        for _ in range(3):  # a reload (a new page, a new kernel) after every few wrong codes
            page = ResultsApp(data, content)
            for _ in range(2):
                _open(page, wrong)
            assert "For mange" not in page.gate.message.value
        last = ResultsApp(data, content)
        _open(last, wrong)  # the 7th on the server: every gate waits
    assert "For mange forkerte koder" in last.gate.message.value
    fresh = ResultsApp(data, content)
    _open(fresh, codes["Klaus Tønnesen"])  # another page, the right code: it waits too
    assert fresh.leader is None and "Vent" in fresh.gate.message.value
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "7 on the server" in logged and wrong not in logged and "ZZZZ" not in logged
    clock = gate_module.time.time() + gate_module.LOCKOUT_SECONDS + 1
    monkeypatch.setattr(gate_module.time, "time", lambda: clock)
    _open(fresh, codes["Klaus Tønnesen"])
    assert fresh.leader == "Klaus Tønnesen"


def test_an_idle_personal_view_closes_itself(setup, monkeypatch):
    """The idle close is a timer of the configured length, started again by every use; when it fires the view
    closes as with the close button. (The timer is captured here: no test waits on the clock.)"""
    import dataclasses

    import dol_toolkit.apps.note_editor as editor_module

    timers: list[dict] = []

    def call_later(delay, callback):
        timer = {"delay": delay, "callback": callback, "cancelled": False}
        timers.append(timer)
        return lambda: timer.update(cancelled=True)

    monkeypatch.setattr(editor_module, "call_later", call_later)
    data, codes, _ = setup
    config = dataclasses.replace(data, close_personal_after_minutes=7)
    app = ResultsApp(config, load_content(config))
    _open(app, codes["Klaus Tønnesen"])
    assert app.leader == "Klaus Tønnesen"
    live = [x for x in timers if not x["cancelled"]]
    assert [x["delay"] for x in live] == [7 * 60]
    app.wave.value = app.wave.options[0]  # used: the count starts again
    live = [x for x in timers if not x["cancelled"]]
    assert len(live) == 1 and live[0] is timers[-1] and len(timers) >= 2
    live[0]["callback"]()  # 7 minutes without use
    assert app.leader is None and app.view.value == "group"
    assert "Klaus" not in app.header.value + app.body.value
    assert not any(key[0] == "personal" for key in app._cache)
    assert "ikke var brugt i 7 minutter" in app.gate.message.value
    never = ResultsApp(dataclasses.replace(data, close_personal_after_minutes=0), load_content(config))
    before = len(timers)
    _open(never, codes["Klaus Tønnesen"])
    assert never.leader == "Klaus Tønnesen" and len(timers) == before  # 0: never closes by itself


def test_leader_below_limit_gets_the_reason_not_the_numbers(setup):
    data, codes, _ = setup
    app = ResultsApp(data, load_content(data))
    _open(app, codes["Helle Kjeldsen"])
    body = app.body.value
    assert "Dine medarbejderes svar vises ikke, fordi færre end 5 har svaret" in body
    assert 'data-chart="likert"' not in body and 'data-chart="means"' not in body
    # Her own and her own leader's answers are hers to see, as words of the scale.
    assert 'data-table="own_answers"' in body and "Din egen vurdering" in body and "Din leders vurdering" in body


def test_english_relabels_everything(setup):
    app = ResultsApp(setup[0], load_content(setup[0]))
    app.switch.value = "en"
    assert app.wave.description == "Round" and app.view.options[1][0] == "My results"
    assert "How the group&#x27;s employees answer" in app.body.value or "How the group's" in app.body.value
    assert "What surprised you positively?" in app.aside.value
    assert not re.search(r"Sådan svarer|Runde", app.body.value + app.aside.value)


def test_bad_configuration_is_a_message_not_a_traceback(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[workshop]\nname = 'x'\n[data]\nfile = 'missing.csv'\n", encoding="utf-8")
    widget = results_app(str(bad), lang="da")
    assert "Resultaterne kan ikke vises" in widget.value and "missing.csv" in widget.value
    assert "Traceback" not in widget.value


def test_a_language_switch_in_the_group_view_never_shows_the_code_box(setup):
    """The code box belongs to the personal view: switching the language of the group view must not show it,
    not even between two messages to the page (the browser showed it for a moment)."""
    data, codes, _ = setup
    app = ResultsApp(data, load_content(data))
    shown: list[str] = []
    app.gate.code_row.layout.observe(lambda change: shown.append(change["new"]), names="display")
    app.switch.value = "en"
    app.switch.value = "da"
    assert app.view.value == "group" and "flex" not in shown, shown
    assert app.gate.code_row.layout.display == "none"
    _open(app, codes["Klaus Tønnesen"])
    app.switch.value = "en"
    assert app.gate.close_row.layout.display == "flex" and app.gate.code_row.layout.display == "none"
