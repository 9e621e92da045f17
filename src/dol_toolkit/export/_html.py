"""A document as one standalone HTML page: charts as data URIs, no outside requests, a print style with CSS
paged media (A4, "side x af y", a running head, headings kept with what follows), which is also what the PDF
is laid out from (:mod:`dol_toolkit.export._pdf`).

The sections are laid out by :func:`dol_toolkit.report.html.sections_html`, the same function the results app
uses. Every text is escaped; a note's lines are kept as lines. A Content-Security-Policy allows images from
data URIs and the page's own style only, so even a mistake here could not run a script.
"""

from __future__ import annotations

from dol_toolkit.i18n import t
from dol_toolkit.report.html import esc, sections_html
from dol_toolkit.report.model import Document

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

FONTS = 'Calibri, Carlito, "Segoe UI", "Liberation Sans", Arial, sans-serif'
STYLE = """
:root { color-scheme: light; }
body { margin: 0; background: #fff; color: #1a1a1a; font-family: FONTS; font-size: 17px; line-height: 1.45; }
main { max-width: 54em; margin: 0 auto; padding: 2em 1.5em 3em; }
header.dol-top { border-bottom: 3px solid #0b3d62; padding-bottom: 0.8em; margin-bottom: 1.2em; }
.dol-kicker { text-transform: uppercase; letter-spacing: 0.08em; color: #4a4a4a; font-size: 0.85em; margin: 0; }
.dol-confidential { display: inline-block; border: 2px solid #8b1a1a; color: #8b1a1a; font-weight: bold;
  text-transform: uppercase; letter-spacing: 0.1em; padding: 0.1em 0.6em; margin: 0 0 0.4em; }
h1 { font-size: 2em; color: #0b3d62; margin: 0.15em 0 0.4em; line-height: 1.2; }
h2 { font-size: 1.5em; color: #0b3d62; margin: 1.6em 0 0.4em; border-bottom: 1px solid #c9d6e2;
  padding-bottom: 0.15em; }
h3 { font-size: 1.2em; color: #0b3d62; margin: 1.2em 0 0.3em; }
h4 { font-size: 1em; margin: 1em 0 0.2em; color: #333; }
table.dol-facts { border-collapse: collapse; margin: 0.4em 0 0.8em; }
table.dol-facts th { text-align: left; font-weight: bold; padding: 0.15em 1.2em 0.15em 0; vertical-align: top;
  white-space: nowrap; }
table.dol-facts td { padding: 0.15em 0; }
.dol-intro { font-style: italic; color: #333; }
.dol-read { font-size: 0.95em; color: #333; margin: 0.3em 0 1em; }
.dol-muted { color: #555; font-style: italic; }
.dol-notice { background: #fff7e0; border-left: 6px solid #8a6d00; padding: 0.6em 1em; }
.dol-note { overflow-wrap: anywhere; background: #f4f7fa; border-left: 5px solid #0b3d62;
  padding: 0.4em 1em; margin: 0.3em 0 1em; }
.dol-note p { margin: 0.3em 0; white-space: pre-wrap; }
.dol-note ul { margin: 0.3em 0; padding-left: 1.4em; }
.dol-note.dol-private { background: #f7f2fb; border-left-color: #5b2a86; }
figure.dol-chart { margin: 0.8em 0 1.2em; }
figure.dol-chart img { display: block; max-width: 100%; height: auto; }
figure.dol-chart figcaption { font-size: 0.95em; color: #333; margin-top: 0.3em; }
table.dol-table { border-collapse: collapse; margin: 0.5em 0 0.8em; min-width: 60%; }
table.dol-table th, table.dol-table td { border: 1px solid #b7c6d4; padding: 0.3em 0.7em; text-align: left;
  vertical-align: top; white-space: pre-wrap; }
table.dol-table thead th { background: #dbe7f3; color: #0b3d62; border-bottom: 2px solid #0b3d62; }
table.dol-table tbody th { font-weight: normal; }
table.dol-table .dol-num { text-align: right; }
table.dol-table[data-table="actions"] td:nth-child(3) { white-space: nowrap; }
.dol-write { margin: 0.2em 0 1em; }
.dol-write .dol-line { height: 2.1em; border-bottom: 1px solid #9aa9b8; }
footer.dol-footer { margin-top: 3em; border-top: 1px solid #bbb; padding-top: 0.5em; color: #4a4a4a;
  font-size: 0.9em; }
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  h1 { font-size: 20pt; } h2 { font-size: 15pt; } h3 { font-size: 12.5pt; } h4 { font-size: 11pt; }
  h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  h2 { margin-top: 1.1em; }
  header.dol-top { margin-bottom: 0.6em; padding-bottom: 0.5em; }
  main.dol-kind-handout section.dol-level-1 { break-inside: avoid; page-break-inside: avoid; }
  table.dol-table + p.dol-read, figure.dol-chart + p.dol-notice { break-before: avoid; page-break-before: avoid; }
  section.dol-page-break { break-before: page; page-break-before: always; }
  figure.dol-chart, table.dol-table, table.dol-table tr, .dol-notice, table.dol-facts, .dol-write {
    break-inside: avoid;
    page-break-inside: avoid; }
  .dol-note p, .dol-note li { orphans: 3; widows: 3; }
  table.dol-table thead { display: table-header-group; }
  .dol-note, .dol-notice, table.dol-table thead th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  footer.dol-footer { display: none; }
}
""".replace("FONTS", FONTS)


def css_string(value: str) -> str:
    r"""``value`` as a CSS string that nothing in it can end: every character but letters, digits and spaces as a
    CSS hex escape (so a name holding ``"``, ``\`` or ``</style>`` stays text in the running head).

    >>> css_string('Ann "A" </style>')
    '"Ann \\22 A\\22  \\3c \\2f style\\3e "'
    """
    return '"' + "".join(ch if ch.isalnum() or ch == " " else f"\\{ord(ch):x} " for ch in value) + '"'


def _page_css(document: Document) -> str:
    """The page: A4, the running head (the document's kind, and "Fortroligt" on a personal one) and the page's
    number "side x af y" at the foot, through CSS paged media."""
    lang = document.lang
    page = t("doc.page_word", lang)
    of = t("doc.of_word", lang)
    head = document.kicker + (f" · {t('doc.confidential', lang).upper()}" if document.confidential else "")
    box = f"font-family: {FONTS}; font-size: 8.5pt; color: #4a4a4a;"
    return (
        "@page { size: A4; margin: 17mm 18mm 17mm 18mm;"
        f" @top-left {{ content: {css_string(head)}; {box} }}"
        f" @top-right {{ content: {css_string(document.leader or document.group)}; {box} }}"
        f" @bottom-left {{ content: {css_string(document.footer)}; {box} }}"
        f" @bottom-right {{ content: {css_string(page + ' ')} counter(page) {css_string(' ' + of + ' ')}"
        f" counter(pages); {box} }} }}\n"
        "@page :first { @top-left { content: none; } @top-right { content: none; } }\n"
    )


def top_html(document: Document) -> str:
    """The heading block: the kind of document, "Fortroligt", the title, the facts and the intro."""
    top = []
    if document.confidential:
        top.append(f'<p class="dol-confidential">{esc(t("doc.confidential", document.lang))}</p>')
    top += [f'<p class="dol-kicker">{esc(document.kicker)}</p>', f"<h1>{esc(document.title)}</h1>"]
    if document.facts:
        rows = "".join(f'<tr><th scope="row">{esc(k)}</th><td>{esc(v)}</td></tr>' for k, v in document.facts)
        top.append(f'<table class="dol-facts">{rows}</table>')
    if document.intro:
        top.append(f'<p class="dol-intro">{esc(document.intro)}</p>')
    return "".join(top)


def render_html(document: Document) -> str:
    title = f"{document.title} – {document.leader or document.group} – {document.date_text}"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{esc(document.lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{esc(title)}</title>\n<style>{STYLE}{_page_css(document)}</style>\n</head>\n<body>\n"
        f'<main class="dol-kind-{esc(document.kind)}">\n'
        f'<header class="dol-top" data-kind="{esc(document.kind)}">{top_html(document)}</header>\n'
        + sections_html(document.sections, heading_offset=1)
        + f'\n<footer class="dol-footer">{esc(document.footer)}</footer>\n</main>\n</body>\n</html>\n'
    )
