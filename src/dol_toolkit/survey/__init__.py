"""Reading survey exports: CSV, Excel and SPSS, wide or long, mapped to the tidy responses table.

>>> from dol_toolkit.survey import read_export
>>> result = read_export("data/samples/ledelsesevaluering_digital_omstilling.csv")
>>> result.responses.columns[:4].tolist()
['respondent_id', 'leader_id', 'role', 'item_id']
"""

from dol_toolkit.survey.errors import ImportError, SurveyImportError
from dol_toolkit.survey.importer import ImportReport, ImportResult, Problem, read_export
from dol_toolkit.survey.mapping import Mapping, load_mapping

__all__ = [
    "ImportError",
    "ImportReport",
    "ImportResult",
    "Mapping",
    "Problem",
    "SurveyImportError",
    "load_mapping",
    "read_export",
]
