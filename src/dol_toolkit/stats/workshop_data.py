"""A workshop's data, read once: the export, the group, the anonymity policy and the rounds.

The apps and the export both start from :func:`load_workshop_data`; nothing here is shown before the statistics
apply anonymity to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from dol_toolkit.stats.anonymity import AnonymityPolicy
from dol_toolkit.stats.compare import compare_to_organisation
from dol_toolkit.stats.describe import Selection
from dol_toolkit.stats.gaps import leader_gaps
from dol_toolkit.survey import read_export
from dol_toolkit.survey.waves import waves_of
from dol_toolkit.themes import Theme, load_theme
from dol_toolkit.workshop import ConfigError, WorkshopConfig


@dataclass
class WorkshopData:
    config: WorkshopConfig
    theme: Theme
    responses: pd.DataFrame
    policy: AnonymityPolicy
    group: Selection
    waves: list[str]

    @property
    def latest_wave(self) -> str | None:
        return self.waves[-1] if self.waves else None

    def group_vs_organisation(self, wave: object) -> pd.DataFrame:
        """:func:`~dol_toolkit.stats.compare.compare_to_organisation` of the group in ``wave``, computed once
        (every leader's own view shows it beside their figures)."""
        key = str(wave)
        if key not in self._compared:
            # wave None: an export without a round column, whose rows are all of its one round
            waves = None if wave is None else [key]
            self._compared[key] = compare_to_organisation(self.responses, self.group, self.policy, waves=waves)
        return self._compared[key]

    @cached_property
    def _compared(self) -> dict[str, pd.DataFrame]:
        return {}

    @cached_property
    def gaps(self) -> pd.DataFrame:
        """The group's leaders' self-other gaps (computed on first use)."""
        return leader_gaps(self.responses, self.policy, leaders=list(self.config.leaders))


def load_workshop_data(config: WorkshopConfig, theme: Theme | None = None) -> WorkshopData:
    """Read the workshop's export; a group leader missing from the data is a configuration error."""
    theme = theme or load_theme(config.theme)
    read = read_export(config.data_file, config.mapping_file, theme=theme)
    read.report.require_usable()  # a file with no usable answer gives no workshop
    responses = read.responses
    known = {str(x) for x in responses["leader_id"].cat.categories}
    missing = [x for x in config.leaders if x not in known]
    if missing:
        import difflib

        guesses = tuple((name, next(iter(difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.75)), None))
                        for name in missing)
        raise ConfigError("leaders_not_found", path=config.path, data=config.data_file, guesses=guesses)
    return WorkshopData(
        config=config, theme=theme, responses=responses, policy=AnonymityPolicy(
            min_n=config.min_n, min_answers_per_item=config.min_answers_per_item),
        group=Selection.group(list(config.leaders), name=config.name), waves=waves_of(responses),
    )
