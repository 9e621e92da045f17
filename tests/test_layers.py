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


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _top_level_imports(path: Path, modules: set[str]) -> set[str]:
    """The toolkit's modules ``path`` imports when it is imported (not inside a function, not for type checking
    only): an ``import a.b.c`` or ``from a.b import c`` counts as each package on the way and the module."""
    found: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        for name in names:
            parts = name.split(".")
            found |= {".".join(parts[:i]) for i in range(2, len(parts) + 1)} & modules
    return found


def test_the_modules_import_each_other_without_a_circle():
    """No module of the toolkit needs, to be imported, a module that needs it back (directly or through others);
    a package needs its own modules, so a package's ``__init__`` is left out as a target of its own modules."""
    files = {_module_name(path): path for path in PACKAGE.rglob("*.py") if "__pycache__" not in path.parts}
    modules = set(files)
    graph = {name: {m for m in _top_level_imports(path, modules)
                    if m != name and not name.startswith(m + ".")} for name, path in files.items()}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*trail[trail.index(nxt):], nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert not cycles, cycles
