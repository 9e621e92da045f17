"""The workshop's documents as files: the summary (DOCX, PDF, HTML, Markdown), the personal result sheets and the
handouts. The content comes from :mod:`dol_toolkit.report`; see :mod:`dol_toolkit.export.summary`."""

from dol_toolkit.export.summary import (
    FORMATS,
    ExportError,
    Summary,
    build_summary,
    document_bytes,
    export_summary,
    summary_bytes,
    write_document,
    write_docx,
    write_html,
    write_markdown,
    write_pdf,
)

__all__ = ["FORMATS", "ExportError", "Summary", "build_summary", "document_bytes", "export_summary",
           "summary_bytes", "write_document", "write_docx", "write_html", "write_markdown", "write_pdf"]
