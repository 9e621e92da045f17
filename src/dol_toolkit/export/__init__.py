"""The workshop summary as Markdown, HTML and DOCX: see :mod:`dol_toolkit.export.summary`."""

from dol_toolkit.export.summary import (
    FORMATS,
    ExportError,
    Summary,
    build_summary,
    export_summary,
    summary_bytes,
    write_docx,
    write_html,
    write_markdown,
)

__all__ = ["FORMATS", "ExportError", "Summary", "build_summary", "export_summary", "summary_bytes", "write_docx",
           "write_html", "write_markdown"]
