"""Statistics with anonymity enforced: distributions, means, self-other gaps, comparisons, reliability."""

from dol_toolkit.stats.anonymity import AnonymityError, AnonymityPolicy
from dol_toolkit.stats.describe import Selection, describe_leaders, describe_selection
from dol_toolkit.stats.reliability import (
    Alpha,
    alpha_interval,
    cronbach_alpha,
    employee_alpha,
    employee_matrix,
    item_analysis,
)

__all__ = ["Alpha", "AnonymityError", "AnonymityPolicy", "Selection", "alpha_interval", "cronbach_alpha",
           "describe_leaders", "describe_selection", "employee_alpha", "employee_matrix", "item_analysis"]
