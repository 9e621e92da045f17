"""The layers of the upper half: the server and the shared content import nothing of the apps; the contract with
the kernels (dol_toolkit.runtime) imports neither widgets nor tornado; the server keeps its state on the app, not
in class attributes."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "dol_toolkit"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def _files(*parts: str) -> list[Path]:
    found: list[Path] = []
    for part in parts:
        path = PACKAGE / part
        found += sorted(path.rglob("*.py")) if path.is_dir() else [path.with_suffix(".py")]
    return found


@pytest.mark.parametrize("part", ["server", "pages", "runtime", "uploads", "hub", "prepare"])
def test_nothing_below_the_apps_imports_them(part: str):
    for path in _files(part):
        upward = sorted(name for name in _imports(path) if name.startswith("dol_toolkit.apps"))
        assert not upward, f"{path.relative_to(PACKAGE)} imports {upward}"


def test_the_kernel_contract_imports_no_widgets_no_tornado_nothing_of_the_toolkit():
    names = _imports(PACKAGE / "runtime.py")
    assert not [n for n in names if n.split(".")[0] in ("ipywidgets", "tornado", "voila", "dol_toolkit")], names


def test_the_shared_content_and_the_kernel_side_import_nothing_of_the_server():
    for path in [*_files("pages", "runtime", "uploads", "prepare"), *_files("apps")]:
        server = sorted(name for name in _imports(path) if name.startswith("dol_toolkit.server"))
        assert not server, f"{path.relative_to(PACKAGE)} imports {server}"


def test_the_server_keeps_no_state_in_class_attributes():
    from traitlets import TraitType

    from dol_toolkit.server import WorkshopVoila

    plain = {name for name, value in vars(WorkshopVoila).items()
             if not name.startswith("_") and not callable(value)
             and not isinstance(value, TraitType | property | classmethod | staticmethod)}
    assert plain <= {"name"}, plain
