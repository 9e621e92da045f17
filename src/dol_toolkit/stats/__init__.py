"""Statistics with anonymity enforced: distributions, means, self-other gaps, comparisons, reliability.

Every function takes the tidy responses table of :func:`dol_toolkit.survey.read_export`; the scale (its
points, categories and the default gap threshold) is read from that table's answer categories, which the
importer takes from the theme.
"""

from dol_toolkit.stats.anonymity import AnonymityError, AnonymityPolicy
from dol_toolkit.stats.compare import compare_waves, leader_changes
from dol_toolkit.stats.describe import (
    Selection,
    answer_categories,
    count_columns,
    describe_leaders,
    describe_selection,
    scale_codes,
)
from dol_toolkit.stats.gaps import (
    classify,
    default_threshold,
    gap_shares_by_department,
    group_gap_distribution,
    largest_gaps,
    leader_gaps,
)
from dol_toolkit.stats.reliability import (
    Alpha,
    alpha_interval,
    cronbach_alpha,
    employee_alpha,
    employee_matrix,
    item_analysis,
)
from dol_toolkit.stats.summary import summary

__all__ = ["Alpha", "AnonymityError", "AnonymityPolicy", "Selection", "alpha_interval", "answer_categories",
           "classify", "compare_waves", "count_columns", "cronbach_alpha", "default_threshold", "describe_leaders",
           "describe_selection", "employee_alpha", "employee_matrix", "gap_shares_by_department",
           "group_gap_distribution", "item_analysis", "largest_gaps", "leader_changes", "leader_gaps",
           "scale_codes", "summary"]
