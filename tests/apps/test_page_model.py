"""The page's state on a traitlets model (issue 26, point 4): the widgets follow the model; what one page's
script says (the focus, that it applies offers) belongs to that page, not to every page of the process; the
kernel's own changes are not heard as the user's, also when something fails on the way; every app timer is made
in one module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from tests.workshops import copy_example_workshop

from dol_toolkit.apps.action_plan import ActionPlanApp
from dol_toolkit.apps.workshop_page import WorkshopApp
from dol_toolkit.notes import NoteKey, open_store
from dol_toolkit.notes.topics import MAX_FOCUS
from dol_toolkit.pages.cache import load_content
from dol_toolkit.workshop import load_config, write_codes

APPS = Path(__file__).resolve().parents[2] / "src" / "dol_toolkit" / "apps"


@pytest.fixture(scope="module")
def workshop(repo: Path, tmp_path_factory: pytest.TempPathFactory):
    tmp_path = tmp_path_factory.mktemp("workshop")
    path = copy_example_workshop(repo, tmp_path)
    codes = write_codes(path)
    config = load_config(path)
    return config, load_content(config), codes


def _stop(*pages: WorkshopApp) -> None:
    for page in pages:
        for app in page.apps.values():
            poller = getattr(app, "poller", None)
            if poller is not None:
                poller.stop()


def test_the_widgets_follow_the_page_model(workshop):
    config, content, codes = workshop
    page = WorkshopApp(config, content)
    try:
        assert page.page.step == "start" and page.page.lang == "da"
        page.route.value = "step=results&lang=en"
        assert page.page.step == "results" and page.page.lang == "en"
        assert 'data-step="results" data-lang="en"' in page.route_state.value
        page.apps["results"].switch.value = "da"  # the step's own switch: the model, then the page's state
        assert page.page.lang == "da" and 'data-lang="da"' in page.route_state.value
        results = page.apps["results"]
        leader, code = next(iter(codes.items()))
        results.gate.code.value = code
        results.gate.try_open()
        assert page.page.leader == leader  # whose personal view is open on the page
        page._box("cases")  # a step built ahead meanwhile changes nothing
        assert page.page.leader == leader
        page.route.value = "step=reflection"  # one code per visit: open on the next step too
        assert page.page.leader == leader and page.apps["reflection"].gate.leader == leader
        page.apps["reflection"].gate.close()  # closed on one step: closed on all
        assert page.page.leader is None and results.gate.leader is None
    finally:
        _stop(page)


def test_what_a_page_script_says_belongs_to_that_page(workshop):
    """Two pages in one process (as in a test run): the focus and the script of one do not reach the other."""
    config, content, _ = workshop
    mine, other = WorkshopApp(config, content), WorkshopApp(config, content)
    store = open_store(config.notes_database)
    try:
        for page in (mine, other):
            page.route.value = "step=reflection&lang=da"
        mine.focus.value = "none"  # my page's script has spoken: it applies offers of text
        assert mine.page.script_runs and not other.page.script_runs
        editor = other.apps["reflection"].topics[0].group
        key = editor.key
        store.save(key, "Someone else's words", store.get(key).revision, author="them")
        editor.refresh()
        # the other page has no script that applies offers: its kernel writes the text into the box itself
        assert editor.text.value == "Someone else's words" and not editor.offer.value
        mine_editor = mine.apps["reflection"].topics[0].group
        mine.focus.value = mine_editor.dom_id
        assert mine_editor.focused and not editor.focused
    finally:
        store.close()
        _stop(mine, other)


def test_a_failure_while_a_focus_item_is_unticked_leaves_the_plan_saving(workshop):
    """One focus item too many is unticked again by the app; when something fails on the way, later changes are
    still saved (the old guard flag stayed set)."""
    config, content, _ = workshop
    store = open_store(config.notes_database)
    app = ActionPlanApp(config, store, content=content)
    try:
        boxes = list(app.focus.values())
        failing = boxes[MAX_FOCUS]

        def fails_once(change):
            if change["new"] is False and not getattr(fails_once, "done", False):
                fails_once.done = True
                raise RuntimeError("a widget failed")

        failing.observe(fails_once, names="value")
        for box in boxes[:MAX_FOCUS + 1]:
            box.value = True
        assert failing.value is False and "Noget gik galt" in app.errors.value
        app._add_row()
        app.rows[0].what.value = "Mål opfølgning"
        app.flush()
        assert "Mål opfølgning" in store.get(NoteKey(app.workshop, "plan:actions")).text
        boxes[0].value = False
        assert app._cancel is not None  # the change is heard: a save is on its way
    finally:
        app.poller.stop()
        store.close()


# What the apps share with the server (their own package, issue 26 point 3) and the start-error page are not the
# page's modules.
NOT_PAGE_MODULES = {"_timers.py", "_cache.py", "content.py", "_launch.py"}
MUTABLE = {"set", "dict", "list", "WeakSet", "PageAttempts"}


def test_every_app_timer_is_made_in_one_module_and_no_page_state_is_global():
    """``call_later``, ``threading.Timer`` and ``create_task`` only in apps/_timers.py; no app keeps page state in
    module globals (a module-level set, list, dict or counter, or a ``global`` statement)."""
    found = {}
    for path in sorted(APPS.glob("*.py")):
        if path.name in NOT_PAGE_MODULES:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name in ("call_later", "Timer"):
                found.setdefault(path.name, []).append(f"defines {node.name} (line {node.lineno})")
            if (isinstance(node, ast.Attribute) and node.attr in ("call_later", "Timer", "create_task")
                    and not (isinstance(node.value, ast.Name) and node.value.id == "_timers")):
                found.setdefault(path.name, []).append(f"{node.attr} (line {node.lineno})")
            if isinstance(node, ast.ImportFrom) and any(a.name == "call_later" for a in node.names):
                found.setdefault(path.name, []).append(f"imports call_later (line {node.lineno})")
            if isinstance(node, ast.Global):
                found.setdefault(path.name, []).append(f"global (line {node.lineno})")
        for node in tree.body:
            value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
            if isinstance(value, ast.Call):
                func = value.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in MUTABLE:
                    found.setdefault(path.name, []).append(f"module-level {name}() (line {node.lineno})")
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if value is not None else []
            registry = all(isinstance(t, ast.Name) and (t.id.isupper() or t.id == "__all__") for t in targets)
            if isinstance(value, ast.Set | ast.List | ast.Dict) and not registry:
                found.setdefault(path.name, []).append(f"module-level container (line {node.lineno})")
    assert not found, found
