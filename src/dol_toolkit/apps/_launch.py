"""Starting an app in a notebook: the workshop configuration, a clear page instead of a traceback when it
cannot start, and the visitor's language once the visit comes (apps are built before it when kernels are
preheated)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

import ipywidgets as widgets

from dol_toolkit.apps._common import CSS, config_path
from dol_toolkit.apps._visit import Query, on_visit
from dol_toolkit.apps.personal import alert_html
from dol_toolkit.errors import error_text
from dol_toolkit.i18n import Lang, as_lang, t
from dol_toolkit.notes import NoteStoreError
from dol_toolkit.survey.errors import SurveyImportError
from dol_toolkit.workshop import ConfigError, WorkshopConfig, load_config

log = logging.getLogger("dol_toolkit.apps")


class App(Protocol):
    widget: Any
    switch: widgets.ToggleButtons

    @property
    def lang(self) -> Lang: ...


# What can keep an app from starting; it comes back as a page that says what to fix (error_page).
START_ERRORS = (ConfigError, SurveyImportError, NoteStoreError)


def workshop_config(config: str | None) -> WorkshopConfig:
    """The workshop configuration named, else the one the server was started with (ConfigError if neither)."""
    path = config or config_path()
    if path is None:
        raise ConfigError("no_server_config")
    return load_config(path)


def launch(build: Callable[[WorkshopConfig, Lang], App], config: str | None, lang: str | None, what: str,
           after: Callable[[Any], None] | None = None) -> widgets.Widget:
    """Build an app for the workshop configuration (default: the one the server was started with).

    ``after`` runs once the visit has come (reload notes). Problems with the configuration, the data or the notes
    come back as a page that says what to fix.
    """
    try:
        cfg = workshop_config(config)
        app = build(cfg, as_lang(lang) if lang else cfg.language)
    except START_ERRORS as exc:
        log.exception("%s app could not start", what)
        return error_page(exc, lang)

    def visited(query: Query) -> None:
        if not lang and "lang" in query:
            app.switch.value = as_lang(query["lang"])
        if after is not None:
            after(app)

    on_visit(visited)
    return app.widget


def error_page(exc: Exception, lang: str | None) -> widgets.Widget:
    """A page that says why the app cannot start and what to fix, in the visit's language (every error of
    :data:`START_ERRORS` is a :class:`~dol_toolkit.errors.DolError`, said in that language)."""
    page = widgets.HTML()
    page.add_class("dol-app")

    def show(query: Query) -> None:
        language = as_lang(lang or query.get("lang"))
        text = error_text(exc, language)
        page.value = f'{CSS}<div class="dol-page">{alert_html(t("results.cannot_start", language, reason=text))}</div>'

    on_visit(show)
    return page
