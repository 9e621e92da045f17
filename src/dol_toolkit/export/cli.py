"""``dol export``, ``dol sheets`` and ``dol handouts``: the workshop's documents from the command line.

* ``dol export CONFIG --format docx|html|md|pdf --out PATH [--leader NAME] [--lang da|en]``: the summary;
* ``dol sheets CONFIG --out DIR``: one personal result sheet per leader of the group, DOCX and PDF;
* ``dol handouts CONFIG --out DIR``: the reflection questions and one sheet per case, DOCX and PDF.

Each returns the exit code: 0 when the files were written (their paths on stdout), 2 with one line on stderr
saying what to fix (a configuration that cannot be used, a leader not in the group, an unknown format or
language, data or notes that cannot be read, PDF without the library it needs).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from dol_toolkit.export.summary import ExportError, check_format, check_lang, check_leader, export_summary
from dol_toolkit.i18n import Lang, t
from dol_toolkit.notes import NoteStoreError
from dol_toolkit.survey import SurveyImportError
from dol_toolkit.workshop import ConfigError, WorkshopConfig, load_config


def _fail(command: str, message: str) -> int:
    print(f"dol {command}: {message}", file=sys.stderr)
    return 2


def _run(command: str, config_path: str, lang: str | None, out: str,
         work: Callable[[WorkshopConfig, Lang], list[Path]]) -> int:
    language: Lang = "da"
    try:
        if lang is not None:
            language = check_lang(lang)
        config = load_config(config_path)
        if lang is None:
            language = config.language
        paths = work(config, language)
    except SurveyImportError as exc:
        return _fail(command, exc.message(language))
    except (ConfigError, ExportError, NoteStoreError) as exc:
        return _fail(command, str(exc))
    except OSError as exc:
        return _fail(command, f"cannot write {out}: {exc.strerror or exc}")
    for path in paths:
        print(path)
    return 0


def cli_export(config_path: str, fmt: str, out: str, leader: str | None, lang: str | None) -> int:
    """Write the summary of the workshop ``config_path`` as ``fmt`` to ``out`` (a file, or a folder to put it
    in); ``leader``: that leader's own summary; ``lang``: da or en, None for the workshop's language."""
    try:
        chosen = check_format(fmt)
    except ExportError as exc:
        return _fail("export", str(exc))

    def work(config: WorkshopConfig, language: Lang) -> list[Path]:
        name = check_leader(config, leader)
        return [export_summary(config, chosen, out, leader=name, lang=language)]

    return _run("export", config_path, lang, out, work)


def cli_documents(kind: str, config_path: str, out: str, lang: str | None, progress: bool = True) -> int:
    """``kind`` "sheets": one personal result sheet per leader of the group; "handouts": the reflection
    questions and one sheet per case; each DOCX and PDF, into the folder ``out``."""
    from dol_toolkit.export.sheets import write_handouts, write_sheets

    writer = {"sheets": write_sheets, "handouts": write_handouts}[kind]

    def work(config: WorkshopConfig, language: Lang) -> list[Path]:
        paths = writer(config, out, lang=language, progress=progress)
        print(t("cli.written", language, count=len(paths), folder=out), file=sys.stderr)
        return paths

    return _run(kind, config_path, lang, out, work)
