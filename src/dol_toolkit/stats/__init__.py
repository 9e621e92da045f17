"""Statistics with anonymity enforced: distributions, means, self-other gaps, comparisons, reliability."""

from dol_toolkit.stats.anonymity import AnonymityError, AnonymityPolicy
from dol_toolkit.stats.describe import Selection, describe_leaders, describe_selection

__all__ = ["AnonymityError", "AnonymityPolicy", "Selection", "describe_leaders", "describe_selection"]
