"""The results app as widgets (no browser): views, codes, lockout, language, anonymity on screen."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from tests.codes import write_quick_codes as write_codes

from dol_toolkit.apps import personal as gate_module
from dol_toolkit.apps.personal import CodeGate
from dol_toolkit.apps.results import ResultsApp, results_app
from dol_toolkit.pages.cache import load_content
from dol_toolkit.workshop import load_config


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


def test_enter_in_the_code_box_opens_the_view_as_the_button_does(setup):
    """The browser sends the code box's value, then {"event": "submit"} when Enter is pressed in it."""
    data, codes, _ = setup
    app = ResultsApp(data, load_content(data))
    app.view.value = "personal"
    assert "dol-code-row" in app.gate.code_row._dom_classes  # the row that wraps on a phone
    app.gate.code.value = "ZZZZ-ZZZZ"
    app.gate.code._handle_custom_msg({"event": "submit"}, [])
    assert app.leader is None and "Koden passer ikke" in app.gate.message.value
    app.gate.code.value = codes["Morten Vestergaard"]
    app.gate.code._handle_custom_msg({"event": "other"}, [])  # any other message of the box opens nothing
    assert app.leader is None
    app.gate.code._handle_custom_msg({"event": "submit"}, [])
    assert app.leader == "Morten Vestergaard" and "Dine resultater – Morten Vestergaard" in app.header.value
    app.gate.close_button.click()
    assert app.leader is None


def test_no_widget_of_an_app_has_a_null_tooltip(setup):
    """A tooltip left None is drawn as title="null" by ipywidgets 8."""
    import ipywidgets as widgets

    app = ResultsApp(setup[0], load_content(setup[0]))
    app.view.value = "personal"
    seen, todo = [], [app.widget]
    while todo:
        widget = todo.pop()
        seen.append(widget)
        todo.extend(getattr(widget, "children", ()))
    labelled = [w for w in seen if isinstance(w, widgets.DOMWidget) and getattr(w, "description", "")]
    assert len(labelled) >= 3  # the round, the view and the code box at least
    assert [w for w in seen if isinstance(w, widgets.DOMWidget) and w.tooltip is None] == []


class Clock:
    """The gate's clock, moved by the test (no test waits on the real one)."""

    def __init__(self) -> None:
        self.now = 1_900_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(gate_module, "time", SimpleNamespace(time=fake, monotonic=fake))
    return fake


@pytest.fixture(autouse=True)
def _fresh_kernel(monkeypatch):
    """Every test starts as a new kernel: no wrong codes on its page yet."""
    if hasattr(gate_module, "PageAttempts"):
        monkeypatch.setattr(gate_module.kernel_page(), "attempts", gate_module.PageAttempts())


@pytest.fixture
def own_room(repo: Path, tmp_path):
    """A workshop of its own (its own server-wide count of wrong codes)."""
    text = (repo / "workshop" / "eksempel.toml").read_text(encoding="utf-8")
    text = text.replace('file = "../data/samples/', f'file = "{repo}/data/samples/')
    path = tmp_path / "w.toml"
    path.write_text(text, encoding="utf-8")
    codes = write_codes(path)
    data = load_config(path)
    return data, codes, load_content(data)


def _page(data, content) -> ResultsApp:
    """A participant's page in a kernel of its own: its own count of wrong codes in a row, the server's shared
    count in the shared file (as in production, where every kernel is a process)."""
    app = ResultsApp(data, content)
    if hasattr(gate_module, "PageAttempts"):
        app.gate.page = gate_module.PageAttempts()
    return app


def _waits(message: str) -> int | None:
    found = re.search(r"Vent (\d+) sekunder", message)
    return int(found.group(1)) if found else None


def test_a_page_pauses_after_wrong_codes_in_a_row_and_the_pauses_grow(own_room, clock):
    data, codes, content = own_room
    app = _page(data, content)
    for _ in range(gate_module.PAGE_FREE_WRONG - 1):  # a typo or two: no pause
        _open(app, "AAAA-AAAA")
        assert "Koden passer ikke" in app.gate.message.value
    pauses = []
    for _ in range(4):
        _open(app, "AAAA-AAAA")
        wait = _waits(app.gate.message.value)
        assert wait is not None and "For mange forkerte koder" in app.gate.message.value
        _open(app, codes["Klaus Tønnesen"])  # in the pause even the right code waits: it is not checked
        assert app.leader is None and _waits(app.gate.message.value) == wait
        pauses.append(wait)
        clock.now += wait
    assert pauses == [gate_module.PAGE_PAUSE_SECONDS * 2**i for i in range(4)]  # 15, 30, 60, 120 s
    _open(app, codes["Klaus Tønnesen"])
    assert app.leader == "Klaus Tønnesen"
    app.gate.close_button.click()
    _open(app, "AAAA-AAAA")  # the right code ended the row: a new typo is only a typo
    assert "Koden passer ikke" in app.gate.message.value


def _box(data, page=None) -> CodeGate:
    """A code box as the apps have it; ``page``: the page (kernel) it is on, else a page of its own."""
    box = CodeGate(data, lambda: "da", open_key="results.open", close_key="results.close",
                   on_open=lambda leader: None, on_close=lambda: None)
    if hasattr(gate_module, "PageAttempts"):
        box.page = page or gate_module.PageAttempts()
    return box


def _type(box: CodeGate, code: str) -> None:
    box.code.value = code
    box.try_open()  # what the apps' open button and the code box's Enter call


def test_the_code_boxes_of_one_page_count_together(own_room, clock):
    """Results and private notes have a code box each: moving to the other one does not start the row again."""
    data, _, _ = own_room
    boxes = [CodeGate(data, lambda: "da", open_key="results.open", close_key="results.close",
                      on_open=lambda leader: None, on_close=lambda: None) for _ in range(2)]
    free = gate_module.PAGE_FREE_WRONG
    for i in range(free):
        _type(boxes[i % 2], "AAAA-AAAA")
    assert _waits(boxes[(free - 1) % 2].message.value) == gate_module.PAGE_PAUSE_SECONDS
    _type(boxes[free % 2], "AAAA-AAAA")
    assert _waits(boxes[free % 2].message.value) is not None


def test_guessing_pages_are_held_and_a_leader_who_typed_no_wrong_code_always_gets_in(own_room, clock, caplog):
    """Five pages (five kernels sharing the server's count, as in production) guess a code every second for ten
    minutes; a leader types the right code every 15 s from a page that has typed no wrong code. The leader gets
    in every time; the guessers wait, each page longer after each of its wrong codes, and the room never checks
    more than its cap of wrong codes a minute."""
    data, codes, _ = own_room
    right = codes["Klaus Tønnesen"]
    checked: list[float] = []
    check = type(data).check_code

    def counting_check(self, code):
        found = check(self, code)
        if found is None:
            checked.append(clock.now)
        return found

    guessers = [_box(data) for _ in range(5)]
    honest = _box(data)
    checks_of: list[list[float]] = [[] for _ in guessers]
    refused, opened = [], 0
    start = clock.now
    with pytest.MonkeyPatch.context() as patch, caplog.at_level("WARNING", logger="dol_toolkit.apps.personal"):
        patch.setattr(type(data), "check_code", counting_check)
        for second in range(600):
            clock.now = start + second
            for i, box in enumerate(guessers):
                if (second + i) % 2:
                    continue  # each guesser every other second
                before = len(checked)
                _type(box, f"ZZZZ-{second % 10}{i}ZZ")
                if len(checked) > before:
                    checks_of[i].append(clock.now)
            if second % 15 == 7:
                reader = honest if second % 30 == 7 else _box(data)  # the same page, or a new one
                _type(reader, right)
                if reader.leader == "Klaus Tønnesen":
                    opened += 1
                    reader.close()
                else:
                    refused.append((second, reader.message.value))
    assert refused == [] and opened == 40
    per_minute = max(sum(1 for x in checked if t <= x < t + 60) for t in checked)
    assert per_minute <= gate_module.ROOM_MAX_WRONG, per_minute
    for times in checks_of:  # each guessing page is held after its wrong codes, longer after each one
        gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
        free = gate_module.PAGE_FREE_WRONG
        assert len(gaps) >= free + 3, times
        for k, gap in enumerate(gaps, start=1):
            if k >= free:
                assert gap >= gate_module.PAGE_PAUSE_SECONDS * 2 ** (k - free), (k, times)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "on the server in the last" in logged and "ZZZZ" not in logged and right not in logged


def test_wrong_codes_count_for_the_whole_server_and_a_new_page_does_not_reset_them(own_room, clock, caplog):
    """The room's cap holds every page that typed a wrong code, however the codes were spread over pages and
    reloads; a new page's right code still gets in, and a new page's wrong code makes it one of the held."""
    data, codes, content = own_room
    cap = gate_module.ROOM_MAX_WRONG
    pages = []
    with caplog.at_level("WARNING", logger="dol_toolkit.apps.personal"):
        for _ in range(cap):  # each wrong code from a reloaded page
            page = _page(data, content)
            _open(page, "ZZZZ-ZZZZ")
            pages.append(page)
            clock.now += 1
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert f"{cap} on the server" in logged and "ZZZZ" not in logged
    for page in pages:  # they typed wrong codes: held by the room, even with the right code
        _open(page, codes["Klaus Tønnesen"])
        assert page.leader is None and "For mange forkerte koder" in page.gate.message.value
    assert _waits(pages[0].gate.message.value) == 60 - cap
    fresh = _page(data, content)
    _open(fresh, codes["Klaus Tønnesen"])
    assert fresh.leader == "Klaus Tønnesen"
    other = _page(data, content)
    _open(other, "ZZZZ-ZZZZ")
    assert "For mange forkerte koder" in other.gate.message.value
    _open(other, codes["Klaus Tønnesen"])
    assert other.leader is None
    clock.now += 60  # the window has passed: the held pages are let through again
    _open(pages[0], codes["Klaus Tønnesen"])
    assert pages[0].leader == "Klaus Tønnesen"


def test_an_idle_personal_view_closes_itself(setup, monkeypatch):
    """The idle close is a timer of the configured length, started again by every use; when it fires the view
    closes as with the close button. (The timer is captured here: no test waits on the clock.)"""
    import dataclasses

    import dol_toolkit.apps._timers as editor_module

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
