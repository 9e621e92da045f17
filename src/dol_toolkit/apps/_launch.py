"""Starting an app in a notebook: the workshop configuration, a clear page instead of a traceback when it
cannot start, and the visitor's language once the visit comes (apps are built before it when kernels are
preheated)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

import ipywidgets as widgets
import pandas as pd

from dol_toolkit.apps._common import CSS, config_path, visit_language
from dol_toolkit.apps.personal import alert_html
from dol_toolkit.i18n import Lang, as_lang, t
from dol_toolkit.notes import NoteStoreError
from dol_toolkit.stats import describe_selection
from dol_toolkit.survey import SurveyImportError
from dol_toolkit.workshop import ConfigError, WorkshopConfig, load_config

log = logging.getLogger("dol_toolkit.apps")


class App(Protocol):
    widget: Any
    switch: widgets.ToggleButtons

    @property
    def lang(self) -> Lang: ...


def launch(build: Callable[[WorkshopConfig, Lang], App], config: str | None, lang: str | None, what: str,
           after: Callable[[Any], None] | None = None) -> widgets.Widget:
    """Build an app for the workshop configuration (default: the one the server was started with).

    ``after`` runs once the visitor's language is known (reload notes, draw ahead). Problems with the
    configuration, the data or the notes come back as a page that says what to fix.
    """
    try:
        path = config or config_path()
        if path is None:
            raise ConfigError(t("results.no_config", "da") + " / " + t("results.no_config", "en"))
        cfg = load_config(path)
        app = build(cfg, as_lang(lang) if lang else cfg.language)
    except (ConfigError, SurveyImportError, NoteStoreError) as exc:
        log.exception("%s app could not start", what)
        language = as_lang(lang) if lang else visit_language()
        text = exc.message(language) if isinstance(exc, SurveyImportError) else str(exc)
        return widgets.HTML(f'{CSS}<div class="dol-page">'
                            f'{alert_html(t("results.cannot_start", language, reason=text))}</div>')
    if not lang:
        visit = visit_language(cfg.language)
        if visit != app.lang:
            app.switch.value = visit
    if after is not None:
        after(app)
    return app.widget


def group_results(data: Any) -> tuple[pd.DataFrame, str | None]:
    """The group's employee rows for the latest round (anonymity applied by the statistics), and that round."""
    wave = data.waves[-1] if data.waves else None
    described = describe_selection(data.responses, data.group, data.policy, item_ids=data.theme.item_ids,
                                   waves=[wave] if wave else None)
    return described[described["role"] == "employee"], wave
