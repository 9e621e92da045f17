"""Reading survey exports: CSV, Excel and SPSS, wide or long, mapped to the tidy responses table.

>>> from dol_toolkit.survey import read_export
>>> result = read_export("data/samples/ledelsesevaluering_digital_omstilling.csv")
>>> result.responses.columns[:4].tolist()
['respondent_id', 'leader_id', 'role', 'item_id']
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from dol_toolkit.survey.errors import SurveyImportError

if TYPE_CHECKING:
    from dol_toolkit.survey.importer import ImportReport, ImportResult, Problem, read_export
    from dol_toolkit.survey.mapping import Mapping, load_mapping

# The reader needs pandas; a workshop page's kernel that only shows cached content imports this package for its
# error type alone, so the rest is loaded on first use.
_LAZY = {"ImportReport": "importer", "ImportResult": "importer", "Problem": "importer", "read_export": "importer",
         "Mapping": "mapping", "load_mapping": "mapping"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(f"dol_toolkit.survey.{_LAZY[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "ImportReport",
    "ImportResult",
    "Mapping",
    "Problem",
    "SurveyImportError",
    "load_mapping",
    "read_export",
]
