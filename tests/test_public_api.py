"""Each layer says what it offers: an ``__all__`` whose every name exists, is documented and is typed."""

from __future__ import annotations

import importlib
import inspect

import pytest

LAYERS = ("dol_toolkit.themes", "dol_toolkit.i18n", "dol_toolkit.survey", "dol_toolkit.stats", "dol_toolkit.plots",
          "dol_toolkit.notes", "dol_toolkit.report", "dol_toolkit.export", "dol_toolkit.apps")


def _public(layer: str) -> list[tuple[str, object]]:
    module = importlib.import_module(layer)
    assert isinstance(getattr(module, "__all__", None), list), f"{layer} has no __all__"
    return [(name, getattr(module, name)) for name in module.__all__]


@pytest.mark.parametrize("layer", LAYERS)
def test_every_public_name_is_documented_and_typed(layer: str):
    undocumented, untyped = [], []
    for name, value in _public(layer):
        if not (inspect.isfunction(value) or inspect.isclass(value)):
            continue  # constants and type aliases
        if not (value.__doc__ or "").strip():
            undocumented.append(name)
        if inspect.isfunction(value):
            signature = inspect.signature(value)
            missing = [p for p, param in signature.parameters.items() if param.annotation is inspect.Parameter.empty]
            if missing or signature.return_annotation is inspect.Signature.empty:
                untyped.append(f"{name}({', '.join(missing)})")
    assert not undocumented, f"{layer}: no docstring: {', '.join(undocumented)}"
    assert not untyped, f"{layer}: not fully annotated: {', '.join(untyped)}"


def test_the_scale_vocabulary_is_offered_by_the_layers_that_use_it():
    import dol_toolkit.stats as stats
    import dol_toolkit.themes as themes

    assert {"OFF_SCALE", "Scale", "gap_threshold", "load_theme"} <= set(themes.__all__)
    assert {"answer_categories", "scale_codes", "default_threshold", "leader_gaps"} <= set(stats.__all__)
