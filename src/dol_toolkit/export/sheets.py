"""The personal result sheets and the handouts as files: one DOCX and one PDF each.

* :func:`write_sheets`: one sheet per leader of the group (``resultatark-<leader>.docx`` / ``.pdf``), each built
  by :func:`dol_toolkit.report.documents.build_sheet` from that leader's results only;
* :func:`write_handouts`: the reflection questions and one sheet per case (``refleksionsspoergsmaal.docx``,
  ``case-1.docx`` ...), built from the theme by :func:`dol_toolkit.report.documents.build_handouts`.

A progress bar (tqdm, on stderr) shows how far the writing is.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from tqdm import tqdm

from dol_toolkit.export.summary import check_format, leader_slug, write_document
from dol_toolkit.i18n import Lang, t
from dol_toolkit.report.documents import build_handouts, build_sheet, check_lang
from dol_toolkit.stats.workshop_data import load_workshop_data
from dol_toolkit.workshop import WorkshopConfig

SHEET_FORMATS = ("docx", "pdf")


def _formats(formats: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(check_format(f) for f in formats))


def write_sheets(config: WorkshopConfig, out: str | Path, *, lang: str = "da", formats: Sequence[str] = SHEET_FORMATS,
                 when: date | None = None, progress: bool = True) -> list[Path]:
    """One personal result sheet per leader of the group, in each of ``formats``, into the folder ``out``.
    Returns the files written, in the group's order."""
    language: Lang = check_lang(lang)
    chosen = _formats(formats)
    data = load_workshop_data(config)  # a configuration that cannot be used fails before anything is written
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    stem = t("doc.sheet_file", language)
    for leader in tqdm(config.leaders, desc=t("cli.sheets_progress", language), unit=t("cli.sheets_unit", language),
                       disable=not progress):
        sheet = build_sheet(data, leader, lang=language, when=when)
        for fmt in chosen:
            name = f"{stem}-{leader_slug(leader, config.leaders)}.{fmt}"
            written.append(write_document(sheet, fmt, folder / name))
    return written


def write_handouts(config: WorkshopConfig, out: str | Path, *, lang: str = "da",
                   formats: Sequence[str] = SHEET_FORMATS, when: date | None = None,
                   progress: bool = True) -> list[Path]:
    """The reflection questions and one sheet per case, in each of ``formats``, into the folder ``out``."""
    language: Lang = check_lang(lang)
    chosen = _formats(formats)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    handouts = build_handouts(config, lang=language, when=when)
    for name, document in tqdm(handouts, desc=t("cli.handouts_progress", language),
                               unit=t("cli.handouts_unit", language), disable=not progress):
        for fmt in chosen:
            written.append(write_document(document, fmt, folder / f"{name}.{fmt}"))
    return written
