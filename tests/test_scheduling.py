"""How `make test` spreads the tests over its two workers (tests/conftest.py): a module's tests in one worker, the
modules sharing the session's workshop server together, the modules with servers and Chromium first."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.conftest import _make_scheduler as pytest_xdist_make_scheduler

SHARED = ("tests/browser/test_results.py", "tests/browser/test_landing.py", "tests/browser/test_routes.py")


def _scheduler():
    config = SimpleNamespace(getvalue=lambda name: {"dist": "loadscope", "tx": ["2*popen"]}.get(name),
                             option=SimpleNamespace(loadscopereorder=True), pluginmanager=None)
    scheduler = pytest_xdist_make_scheduler(config, None)  # type: ignore[arg-type]
    assert scheduler is not None
    return scheduler


def test_only_loadscope_gets_the_scheduler():
    config = SimpleNamespace(getvalue=lambda name: "load")
    assert pytest_xdist_make_scheduler(config, None) is None  # type: ignore[arg-type]


@pytest.mark.parametrize("module", SHARED)
def test_the_modules_of_the_session_workshop_server_are_one_unit(module):
    assert _scheduler()._split_scope(f"{module}::test_something[x::y]") == "workshop_server"


def test_other_modules_are_a_unit_each_whatever_their_classes_and_parameters():
    split = _scheduler()._split_scope
    assert split("tests/browser/test_notes.py::test_a") == split("tests/browser/test_notes.py::test_b[p::q]")
    assert split("tests/survey/test_x.py::TestA::test_a") == "tests/survey/test_x.py"
    assert split("tests/browser/test_notes.py::test_a") != split("tests/browser/test_hub.py::test_a")


def test_servers_and_chromium_first_then_the_most_tests():
    queue = _scheduler().workqueue
    queue["tests/stats/test_many.py"] = dict.fromkeys(range(50), False)
    queue["tests/browser/test_hub.py"] = dict.fromkeys(range(2), False)
    queue["workshop_server"] = dict.fromkeys(range(70), False)
    queue["tests/survey/test_few.py"] = dict.fromkeys(range(3), False)
    order = [queue.popitem(last=False)[0] for _ in range(4)]
    assert order == ["workshop_server", "tests/browser/test_hub.py", "tests/stats/test_many.py",
                     "tests/survey/test_few.py"]
