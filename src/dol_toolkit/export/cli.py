"""``dol export CONFIG --format docx|html|md --out PATH [--leader NAME] [--lang da|en]``: the workshop summary.

:func:`cli_export` returns the exit code: 0 when the file was written (its path on stdout), 2 with one line on
stderr saying what to fix (a configuration that cannot be used, a leader not in the group, an unknown format or
language, data or notes that cannot be read).
"""

from __future__ import annotations

import sys

from dol_toolkit.export.summary import ExportError, check_format, check_lang, check_leader, export_summary
from dol_toolkit.i18n import Lang
from dol_toolkit.notes import NoteStoreError
from dol_toolkit.survey import SurveyImportError
from dol_toolkit.workshop import ConfigError, load_config


def _fail(message: str) -> int:
    print(f"dol export: {message}", file=sys.stderr)
    return 2


def cli_export(config_path: str, fmt: str, out: str, leader: str | None, lang: str | None) -> int:
    """Write the summary of the workshop ``config_path`` as ``fmt`` to ``out`` (a file, or a folder to put it
    in); ``leader``: that leader's own summary; ``lang``: da or en, None for the workshop's language."""
    language: Lang = "da"
    try:
        chosen = check_format(fmt)
        if lang is not None:
            language = check_lang(lang)
        config = load_config(config_path)
        if lang is None:
            language = config.language
        name = check_leader(config, leader)
        path = export_summary(config, chosen, out, leader=name, lang=language)
    except SurveyImportError as exc:
        return _fail(exc.message(language))
    except (ConfigError, ExportError, NoteStoreError) as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"cannot write {out}: {exc.strerror or exc}")
    print(path)
    return 0
