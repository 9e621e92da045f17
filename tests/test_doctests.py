"""The examples in the package's docstrings run and print what they say (doctest), in every module."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import dol_toolkit

MODULES = sorted(m.name for m in pkgutil.walk_packages(dol_toolkit.__path__, "dol_toolkit.")
                 if not m.name.endswith("__main__"))


def _with_examples() -> list[str]:
    found = []
    for name in MODULES:
        module = importlib.import_module(name)
        if doctest.DocTestFinder().find(module) and any(t.examples for t in doctest.DocTestFinder().find(module)):
            found.append(name)
    return found


def test_the_reliability_examples_are_among_them():
    assert "dol_toolkit.stats.reliability" in _with_examples()


@pytest.mark.parametrize("name", _with_examples())
def test_docstring_examples_run(name: str):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed"
