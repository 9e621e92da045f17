"""A workshop's data, read once: the export, the group, the anonymity policy and the rounds.

The apps and the export both start from :func:`load_workshop_data`; nothing here is shown before the statistics
apply anonymity to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from dol_toolkit.stats.anonymity import AnonymityPolicy
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

    @cached_property
    def gaps(self) -> pd.DataFrame:
        """The group's leaders' self-other gaps (computed on first use)."""
        return leader_gaps(self.responses, self.policy, leaders=list(self.config.leaders))


def load_workshop_data(config: WorkshopConfig, theme: Theme | None = None) -> WorkshopData:
    """Read the workshop's export; a group leader missing from the data is a configuration error."""
    theme = theme or load_theme()
    responses = read_export(config.data_file, config.mapping_file, theme=theme).responses
    known = {str(x) for x in responses["leader_id"].cat.categories}
    missing = [x for x in config.leaders if x not in known]
    if missing:
        raise ConfigError(f"{config.path}: group.leaders {', '.join(missing)} not found in {config.data_file}")
    return WorkshopData(
        config=config, theme=theme, responses=responses, policy=AnonymityPolicy(min_n=config.min_n),
        group=Selection.group(list(config.leaders), name=config.name), waves=waves_of(responses),
    )
