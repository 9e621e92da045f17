"""The summary as one standalone HTML page: charts as data URIs, no outside requests, a print style.

Every text goes through :func:`html.escape`; notes keep their line breaks through CSS (``white-space:
pre-wrap``), not through markup made from their text. A Content-Security-Policy allows images from data URIs
and the page's own style only, so even a mistake here could not run a script.
"""

from __future__ import annotations

import base64
import html

from dol_toolkit.export._text import text
from dol_toolkit.export.summary import BulletList, Chart, NoteText, Paragraph, Section, Summary, Table

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

STYLE = """
:root { color-scheme: light; }
body { margin: 0; background: #fff; color: #1a1a1a; font-family: "Segoe UI", Calibri, Arial, sans-serif;
  font-size: 17px; line-height: 1.5; }
main { max-width: 54em; margin: 0 auto; padding: 2em 1.5em 3em; }
header.dol-top { border-bottom: 3px solid #0b3d62; padding-bottom: 1em; margin-bottom: 1.5em; }
.dol-kicker { text-transform: uppercase; letter-spacing: 0.08em; color: #4a4a4a; font-size: 0.85em; margin: 0; }
h1 { font-size: 2.1em; color: #0b3d62; margin: 0.15em 0 0.3em; line-height: 1.2; }
h2 { font-size: 1.55em; color: #0b3d62; margin: 1.8em 0 0.4em; border-bottom: 1px solid #c9d6e2;
  padding-bottom: 0.15em; }
h3 { font-size: 1.2em; color: #0b3d62; margin: 1.3em 0 0.3em; }
h4 { font-size: 1em; margin: 1em 0 0.2em; color: #333; }
.dol-meta { font-size: 1.1em; margin: 0.2em 0; }
.dol-for { font-weight: bold; margin: 0.2em 0; }
.dol-intro { font-style: italic; color: #333; }
.dol-read { font-size: 0.95em; color: #333; margin: 0.3em 0 1em; }
.dol-muted { color: #555; font-style: italic; }
.dol-notice { background: #fff7e0; border-left: 6px solid #8a6d00; padding: 0.6em 1em; }
.dol-note { white-space: pre-wrap; overflow-wrap: anywhere; background: #f4f7fa; border-left: 5px solid #0b3d62;
  padding: 0.6em 1em; margin: 0.3em 0 1em; }
.dol-note.dol-private { background: #f7f2fb; border-left-color: #5b2a86; }
figure.dol-chart { margin: 0.8em 0 1.2em; }
figure.dol-chart img { display: block; max-width: 100%; height: auto; }
figure.dol-chart figcaption { font-size: 0.95em; color: #333; margin-top: 0.3em; }
table.dol-table { border-collapse: collapse; margin: 0.5em 0 0.8em; min-width: 60%; }
table.dol-table th, table.dol-table td { border-bottom: 1px solid #bbb; padding: 0.35em 0.8em; text-align: left;
  vertical-align: top; white-space: pre-wrap; }
table.dol-table thead th { border-bottom: 2px solid #0b3d62; }
table.dol-table .dol-num { text-align: right; }
table.dol-table[data-table="actions"] tbody th { font-weight: normal; }
table.dol-table[data-table="actions"] td:nth-child(3) { white-space: nowrap; }
footer.dol-footer { margin-top: 3em; border-top: 1px solid #bbb; padding-top: 0.5em; color: #4a4a4a;
  font-size: 0.9em; }
@page { size: A4; margin: 18mm 16mm; }
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  figure.dol-chart, table.dol-table tr, .dol-note, .dol-notice, .dol-block
    { break-inside: avoid; page-break-inside: avoid; }
  section > p:last-of-type { break-after: avoid; page-break-after: avoid; }
  .dol-note, .dol-notice { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def esc(value: str) -> str:
    return html.escape(value, quote=True)


def _paragraph(item: Paragraph) -> str:
    if item.style == "notice":
        return f'<p class="dol-notice" role="note">{esc(item.text)}</p>'
    css = {"intro": ' class="dol-intro"', "read": ' class="dol-read"', "muted": ' class="dol-muted"'}
    return f"<p{css.get(item.style, '')}>{esc(item.text)}</p>"


def _note(item: NoteText, lang: str) -> str:
    kind = " dol-private" if item.private else ""
    return f'<div class="dol-note{kind}" data-topic="{esc(item.topic)}">{esc(item.text)}</div>'


def _chart(item: Chart) -> str:
    data = base64.b64encode(item.png).decode("ascii")
    return (f'<figure class="dol-chart" data-chart="{esc(item.key)}"><img src="data:image/png;base64,{data}" '
            f'alt="{esc(item.alt)}"><figcaption>{esc(item.how_to_read)}</figcaption></figure>')


def _table(item: Table) -> str:
    numeric = item.numeric or tuple(False for _ in item.header)

    def css(i: int) -> str:
        return ' class="dol-num"' if i < len(numeric) and numeric[i] else ""

    head = "".join(f'<th scope="col"{css(i)}>{esc(h)}</th>' for i, h in enumerate(item.header))
    rows = []
    for row in item.rows:
        cells = [f'<th scope="row">{esc(row[0])}</th>'] if row else []
        cells += [f"<td{css(i)}>{esc(v)}</td>" for i, v in enumerate(row) if i > 0]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (f'<table class="dol-table" data-table="{esc(item.key)}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")


def _section(section: Section, lang: str) -> str:
    level = min(section.level + 1, 6)
    parts = [f"<h{level}>{esc(section.heading)}</h{level}>"]
    for item in section.blocks:
        if isinstance(item, Paragraph):
            parts.append(_paragraph(item))
        elif isinstance(item, NoteText):
            parts.append(_note(item, lang))
        elif isinstance(item, Chart):
            parts.append(_chart(item))
        elif isinstance(item, Table):
            parts.append(_table(item))
        elif isinstance(item, BulletList):
            parts.append("<ul>" + "".join(f"<li>{esc(x)}</li>" for x in item.items) + "</ul>")
    return "\n".join(parts)


def render_html(summary: Summary) -> str:
    title = f"{summary.title} – {summary.group} – {summary.date_text}"
    if summary.leader:
        title = f"{summary.title} – {summary.leader} – {summary.date_text}"
    top = [
        f'<p class="dol-kicker">{esc(summary.kicker)}</p>',
        f"<h1>{esc(summary.title)}</h1>",
        f'<p class="dol-meta"><strong>{esc(summary.group)}</strong> · '
        f'<time datetime="{summary.day.isoformat()}">{esc(summary.date_text)}</time></p>',
    ]
    if summary.leader:
        top.append(f'<p class="dol-for">{esc(text("for_leader", summary.lang, leader=summary.leader))}</p>')
    top.append(f'<p class="dol-intro">{esc(summary.intro)}</p>')
    # Level-1 sections as <section>; each level-2 section with its level-3 parts in one block, which print
    # keeps on one page where it fits (a question with its notes, a chart with its caption).
    body: list[str] = []
    open_section = open_block = False
    for section in summary.sections:
        if section.level <= 2 and open_block:
            body.append("</div>")
            open_block = False
        if section.level == 1:
            if open_section:
                body.append("</section>")
            body.append(f'<section data-section="{esc(section.key)}">')
            open_section = True
        elif section.level == 2:
            body.append(f'<div class="dol-block" data-section="{esc(section.key)}">')
            open_block = True
        body.append(_section(section, summary.lang))
    body += ["</div>"] * open_block + ["</section>"] * open_section
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{esc(summary.lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{esc(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
        f'<header class="dol-top">{"".join(top)}</header>\n'
        + "\n".join(body)
        + f'\n<footer class="dol-footer">{esc(summary.footer)}</footer>\n</main>\n</body>\n</html>\n'
    )
