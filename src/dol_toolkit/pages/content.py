"""What the apps show that is computed from the survey: built from the statistics and the charts.

This module is the heavy half of the pages (pandas, matplotlib, the importer). It is imported only where figures
are computed:

* :func:`build_content` makes what is the same for everyone in a workshop, once per workshop (the server does it
  before anyone arrives and :mod:`dol_toolkit.pages.cache` keeps it on disk): the group's results view for every
  round and language, and the group's figures per item that the cases and the action plan show. Anonymity stays
  where it is: everything here comes from :mod:`dol_toolkit.stats`, which decides what exists, so the content
  holds nothing that may not be shown to the whole group.
* :func:`personal_html` makes one leader's own results, in that leader's kernel only, after their code.

Both are the sections of :mod:`dol_toolkit.report.results`, the same the documents print, laid out by
:func:`dol_toolkit.report.html.sections_html`.
"""

from __future__ import annotations

from typing import Any

from dol_toolkit.i18n import LANGUAGES, Lang
from dol_toolkit.pages.css import CSS
from dol_toolkit.report.html import sections_html
from dol_toolkit.report.results import group_sections, item_figures, personal_sections
from dol_toolkit.stats.workshop_data import WorkshopData, load_workshop_data
from dol_toolkit.workshop import WorkshopConfig

# The shape of what build_content returns; a change here must change CONTENT_FORMAT in pages.cache.
ContentDict = dict[str, Any]


def _page(body: str) -> str:
    return f'{CSS}<div class="dol-page dol-results-body">{body}</div>'


# -- the group: the same for everyone ------------------------------------------------------------------------
def group_html(d: WorkshopData, wave_value: str, lang: Lang) -> str:
    """The group view of the results for one round, as the documents print it (one content model), drawn for
    the screen."""
    return _page(sections_html(group_sections(d, wave_value or None, lang, "screen")))


def build_content(config: WorkshopConfig, data: WorkshopData | None = None) -> ContentDict:
    """Everything the apps show that is the same for every participant, as plain strings."""
    d = data or load_workshop_data(config)
    waves = list(d.waves) or [""]
    content: ContentDict = {"waves": list(d.waves), "group_html": {}, "item_figures": {},
                            "figures_wave": d.latest_wave}
    for lang in LANGUAGES:
        content["group_html"][lang] = {wave: group_html(d, wave, lang) for wave in waves}
        content["item_figures"][lang] = item_figures(d, lang)
    return content


# -- one leader: only in that leader's kernel ------------------------------------------------------------------
_DATA: dict[str, WorkshopData] = {}


def workshop_data(config: WorkshopConfig) -> WorkshopData:
    """The workshop's data in this kernel, read on first need (a personal view) and kept."""
    key = str(config.path)
    if key not in _DATA:
        _DATA[key] = load_workshop_data(config)
    return _DATA[key]


def personal_html(d: WorkshopData, leader: str, wave_value: str, lang: Lang) -> str:
    """One leader's own results for a round, the same sections as their result sheet, drawn for the screen."""
    return _page(sections_html(personal_sections(d, leader, wave_value or None, lang, "screen")))
