"""A document as PDF, laid out by WeasyPrint from the document's own HTML (:mod:`dol_toolkit.export._html`).

Why WeasyPrint: it installs from PyPI, works offline (no browser, no server, no network: the page's images are
data URIs and fonts come from the machine), and implements CSS paged media, so the HTML document and the PDF are
one layout: A4, the running head and "side x af y" in the page margins, a page break before each main part,
headings kept with what follows, table headers repeated on every page. It needs the Pango text library, which
Linux desktops have; :class:`PdfUnavailable` says how to install it where it is missing.
"""

from __future__ import annotations

import logging
import sys

from dol_toolkit.export._html import render_html
from dol_toolkit.report.documents import DocumentError
from dol_toolkit.report.model import Document


class PdfUnavailable(DocumentError):
    """WeasyPrint or the Pango library it needs is missing; the message says how to install it."""


def _install_hint() -> str:
    if sys.platform == "darwin":
        return "brew install pango"
    if sys.platform.startswith("win"):
        return "install the GTK runtime (see WeasyPrint's documentation, 'Installation' → Windows)"
    return "sudo apt install libpango-1.0-0 libpangoft2-1.0-0 (Debian/Ubuntu) or your system's Pango package"


def weasyprint_module() -> object:
    """The weasyprint module, or :class:`PdfUnavailable` saying what to install."""
    try:
        import weasyprint
    except ImportError as exc:
        raise PdfUnavailable(f"PDF needs WeasyPrint: pip install weasyprint ({exc})") from None
    except OSError as exc:  # the Pango library is missing
        raise PdfUnavailable(f"PDF needs the Pango library, which is not installed: {_install_hint()} "
                             f"({exc})") from None
    return weasyprint


def pdf_bytes(document: Document) -> bytes:
    """The document as PDF bytes (A4), with its title, language and no author in the PDF's metadata."""
    weasyprint = weasyprint_module()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # its notes on unsupported CSS mean nothing here
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    html = weasyprint.HTML(string=render_html(document), base_url=None)  # type: ignore[attr-defined]
    data = html.write_pdf(pdf_identifier=None)
    if not isinstance(data, bytes):  # pragma: no cover - write_pdf without a target returns bytes
        raise DocumentError("WeasyPrint returned no PDF")
    return data
