"""The workshop's documents as files: the summary ("opsamling") as DOCX, HTML, Markdown or PDF, the personal
result sheets and the handouts.

The content is built once, by :mod:`dol_toolkit.report.documents` (the summary, the sheets, the handouts) from
:mod:`dol_toolkit.report.results` (the same sections the results app shows); this module only chooses the
format, the file name and the writer (:func:`write_markdown`, :func:`write_html`, :func:`write_docx`,
:func:`write_pdf`), so the formats say the same thing.

:func:`export_summary` writes a file; :func:`summary_bytes` gives the bytes, a file name and the MIME type for a
download button.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Literal

from dol_toolkit.report.documents import (
    DocumentError,
    build_summary,
    check_lang,
    check_leader,
    clean,
)
from dol_toolkit.report.model import (
    Block,
    BulletList,
    Chart,
    Document,
    NoteText,
    Paragraph,
    Section,
    Table,
    WritingSpace,
)
from dol_toolkit.workshop import WorkshopConfig, workshop_id

FORMATS = ("docx", "html", "md", "pdf")
FORMAT_ALIASES = {"docx": "docx", "word": "docx", "html": "html", "htm": "html", "md": "md", "markdown": "md",
                  "pdf": "pdf"}
MIME = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "pdf": "application/pdf",
}

# The names the export has always had for the content model's pieces.
Summary = Document
ExportError = DocumentError


def check_format(fmt: object) -> str:
    chosen = FORMAT_ALIASES.get(str(fmt).strip().lower().lstrip("."))
    if chosen is None:
        raise ExportError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    return chosen


# -- writing it --------------------------------------------------------------------------------------------------
def write_markdown(summary: Summary, path: str | Path, *, images: Literal["inline", "files"] = "files") -> Path:
    """Markdown, one file. ``images="files"``: the charts as PNG files in ``<stem>_files/`` beside it, linked
    relatively; ``"inline"``: embedded as data URIs so that the one file stands alone."""
    from dol_toolkit.export._markdown import render_markdown

    target = Path(path)
    folder = target.with_name(f"{target.stem}_files")
    if images == "files":
        folder.mkdir(parents=True, exist_ok=True)
        names = []
        for number, chart in enumerate(summary.charts, start=1):
            name = f"{number:02d}-{chart.key}.png"
            (folder / name).write_bytes(chart.png)
            names.append(f"{folder.name}/{name}")
        body = render_markdown(summary, image_links=names)
    else:
        body = render_markdown(summary)
    target.write_text(body, encoding="utf-8")
    return target


def write_html(summary: Summary, path: str | Path) -> Path:
    """One standalone HTML file (images as data URIs, no outside requests), ready to print."""
    from dol_toolkit.export._html import render_html

    target = Path(path)
    target.write_text(render_html(summary), encoding="utf-8")
    return target


def write_docx(summary: Summary, path: str | Path) -> Path:
    """A Word document (DOCX)."""
    from dol_toolkit.export._docx import docx_bytes

    target = Path(path)
    target.write_bytes(docx_bytes(summary))
    return target


def write_pdf(summary: Summary, path: str | Path) -> Path:
    """A PDF, laid out from the HTML with CSS paged media (WeasyPrint): A4, "side x af y", running heads."""
    from dol_toolkit.export._pdf import pdf_bytes

    target = Path(path)
    target.write_bytes(pdf_bytes(summary))
    return target


WRITERS = {"docx": write_docx, "html": write_html, "pdf": write_pdf}


def write_document(document: Document, fmt: str, path: str | Path) -> Path:
    """Write ``document`` as ``fmt`` to the file ``path`` (Markdown with its charts in ``<stem>_files/``)."""
    chosen = check_format(fmt)
    if chosen == "md":
        return write_markdown(document, path, images="files")
    return WRITERS[chosen](document, path)


def document_bytes(document: Document, fmt: str) -> bytes:
    """``document`` as one file's bytes (Markdown with its charts embedded)."""
    chosen = check_format(fmt)
    if chosen == "docx":
        from dol_toolkit.export._docx import docx_bytes

        return docx_bytes(document)
    if chosen == "html":
        from dol_toolkit.export._html import render_html

        return render_html(document).encode("utf-8")
    if chosen == "pdf":
        from dol_toolkit.export._pdf import pdf_bytes

        return pdf_bytes(document)
    from dol_toolkit.export._markdown import render_markdown

    return render_markdown(document).encode("utf-8")


def slug(value: str) -> str:
    value = value.lower()
    for a, b in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("ß", "ss")):
        value = value.replace(a, b)
    value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", value).strip("-") or "workshop"


def leader_slug(leader: str, leaders: Sequence[str] = ()) -> str:
    """A leader's name in a file name ("nanna-oestergaard"). Where another of ``leaders`` has the same (Nanna
    Østergaard and Nanna Oestergaard), a short fingerprint of the exact name follows, so that no leader's file
    is written over by another's."""
    base = slug(leader)
    if any(other != leader and slug(other) == base for other in leaders):
        return f"{base}-{hashlib.sha256(leader.encode()).hexdigest()[:6]}"
    return base


def file_name(summary: Summary, fmt: str, leaders: Sequence[str] = ()) -> str:
    """``opsamling-ledergruppe-teknik-og-miljoe-2026-11-27.docx``; a leader's own adds their name (made unique
    among ``leaders``, the group's, by :func:`leader_slug`)."""
    from dol_toolkit.i18n import t

    stem = t("doc.summary_file", summary.lang)
    parts = [stem, slug(summary.group)]
    if summary.leader:
        parts.append(leader_slug(summary.leader, leaders))
    parts.append(summary.day.isoformat())
    return "-".join(parts) + f".{check_format(fmt)}"


def export_summary(config: WorkshopConfig, fmt: str, out: str | Path, *, leader: str | None = None,
                   lang: str = "da", when: date | None = None) -> Path:
    """Write the summary as ``fmt`` (docx, html, md, pdf) to ``out``: a file, or a folder (an existing one, or a path
    without a suffix) to put it in under its own name. Markdown's charts go into ``<stem>_files/`` beside it.
    Returns the file written."""
    chosen = check_format(fmt)
    summary = build_summary(config, leader=leader, lang=lang, when=when)
    target = Path(out)
    if target.is_dir() or not target.suffix:  # a folder ("out/", "out"): the file goes in under its own name
        target.mkdir(parents=True, exist_ok=True)
        target = target / file_name(summary, chosen, config.leaders)
    target.parent.mkdir(parents=True, exist_ok=True)
    return write_document(summary, chosen, target)


def summary_bytes(config: WorkshopConfig, fmt: str, *, leader: str | None = None, lang: str = "da",
                  when: date | None = None) -> tuple[bytes, str, str]:
    """The summary as one file's bytes, its file name and its MIME type (for a download button). Markdown
    embeds its charts as data URIs, so the one file stands alone."""
    chosen = check_format(fmt)
    summary = build_summary(config, leader=leader, lang=lang, when=when)
    return document_bytes(summary, chosen), file_name(summary, chosen, config.leaders), MIME[chosen]


__all__ = [
    "FORMATS", "MIME", "Block", "BulletList", "Chart", "ExportError", "NoteText", "Paragraph", "Section",
    "Summary", "Table", "WritingSpace", "build_summary", "check_lang", "check_leader", "clean", "document_bytes",
    "export_summary", "file_name", "summary_bytes", "workshop_id", "write_document", "write_docx", "write_html",
    "write_markdown", "write_pdf",
]
