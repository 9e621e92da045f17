"""Sections as HTML: the one layout of the content model that the results app and the HTML/PDF documents share.

Every text is escaped, so that what a note holds is shown as typed. Sections nest by level, each a
``<section data-section="key">`` with its heading, so a page or a test can find a part by its key.

>>> from dol_toolkit.report.model import Paragraph, Section
>>> out = sections_html([Section("Fokus", 2, (Paragraph("<b>ingen</b>", "muted"),), key="focus")])
>>> out.split("<h2>")[0]
'<section class="dol-section dol-level-2" data-section="focus">'
>>> out.split("</h2>")[1]
'<p class="dol-muted">&lt;b&gt;ingen&lt;/b&gt;</p></section>'
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence

from dol_toolkit.plots.media import NARROW_MEDIA_QUERY
from dol_toolkit.report.model import Block, BulletList, Chart, NoteText, Paragraph, Section, Table, WritingSpace


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def paragraph_html(item: Paragraph) -> str:
    if item.style == "notice":
        return f'<p class="dol-notice" role="note">{esc(item.text)}</p>'
    css = {"intro": ' class="dol-intro"', "read": ' class="dol-read"', "muted": ' class="dol-muted"'}
    return f"<p{css.get(item.style, '')}>{esc(item.text)}</p>"


def note_html(item: NoteText) -> str:
    """A note: its plain lines with their breaks kept, its ``- `` lines as a list."""
    parts = []
    for kind, lines in item.parts():
        if kind == "list":
            parts.append("<ul>" + "".join(f"<li>{esc(x)}</li>" for x in lines) + "</ul>")
        elif kind == "lines":
            parts.append('<p class="dol-note-lines">' + "<br>".join(esc(x) for x in lines) + "</p>")
    kind_css = " dol-private" if item.private else ""
    return f'<div class="dol-note{kind_css}" data-topic="{esc(item.topic)}">{"".join(parts)}</div>'


def _png_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _css_px(width: str) -> str:
    """The number of a CSS width in px ("860px" -> "860"), for a width attribute."""
    if not width.endswith("px") or not width[:-2].isdigit():
        raise ValueError(f"a chart with a narrow drawing needs its widths in CSS px, not {width!r}")
    return width[:-2]


def chart_html(item: Chart) -> str:
    """A chart as a figure with its how-to-read sentence. A chart with a narrow drawing is a ``<picture>``: the
    browser shows the narrow drawing while the window matches :data:`NARROW_MEDIA_QUERY` and the wide one
    otherwise, and switches by itself when the window's width changes (each at its own width: the ``width``
    attributes of the ``<source>`` and the ``<img>``, which a stylesheet may still cap with ``max-width``).

    >>> out = chart_html(Chart(b"wide", "Svarene", "Læs sådan", "likert", "860px", b"narrow", "330px"))
    >>> out.count("<source"), 'media="(max-width: 600px)"' in out, out.index("<source") < out.index("<img")
    (1, True, True)
    """
    caption = f'<figcaption class="dol-read">{esc(item.how_to_read)}</figcaption>'
    if item.narrow_png is None or item.narrow_width is None:
        return (f'<figure class="dol-chart" data-chart="{esc(item.key)}"><img src="{_png_url(item.png)}" '
                f'alt="{esc(item.alt)}" style="width:{esc(item.width)};max-width:100%;height:auto">{caption}</figure>')
    return (f'<figure class="dol-chart" data-chart="{esc(item.key)}"><picture>'
            f'<source media="{esc(NARROW_MEDIA_QUERY)}" srcset="{_png_url(item.narrow_png)}" '
            f'width="{_css_px(item.narrow_width)}">'
            f'<img src="{_png_url(item.png)}" alt="{esc(item.alt)}" width="{_css_px(item.width)}" '
            f'style="max-width:100%;height:auto"></picture>{caption}</figure>')


def table_html(item: Table) -> str:
    """A table; each data cell carries its column's heading (``data-label``), which a narrow screen shows beside
    the value when the rows become cards (pages/css.py). The roles keep the table a table for screen readers
    where the narrow layout changes its CSS ``display``.

    >>> from dol_toolkit.report.model import Table
    >>> out = table_html(Table(("Spørgsmål", "Gruppen"), (("IT-sikkerhed", "3,6"),), key="x", numeric=(False, True)))
    >>> out.split("</th>")[-1]
    '<td role="cell" data-label="Gruppen" class="dol-num">3,6</td></tr></tbody></table>'
    """
    numeric = item.numeric or tuple(False for _ in item.header)

    def css(i: int) -> str:
        return ' class="dol-num"' if i < len(numeric) and numeric[i] else ""

    def label(i: int) -> str:
        return esc(item.header[i]) if i < len(item.header) else ""

    head = "".join(f'<th scope="col" role="columnheader"{css(i)}>{esc(h)}</th>' for i, h in enumerate(item.header))
    rows = []
    for row in item.rows:
        cells = [f'<th scope="row" role="rowheader">{esc(row[0])}</th>'] if row else []
        cells += [f'<td role="cell" data-label="{label(i)}"{css(i)}>{esc(v)}</td>' for i, v in enumerate(row) if i > 0]
        rows.append(f'<tr role="row">{"".join(cells)}</tr>')
    return (f'<table class="dol-table" role="table" data-table="{esc(item.key)}"><thead role="rowgroup">'
            f'<tr role="row">{head}</tr></thead><tbody role="rowgroup">{"".join(rows)}</tbody></table>')


def block_html(item: Block) -> str:
    if isinstance(item, Paragraph):
        return paragraph_html(item)
    if isinstance(item, NoteText):
        return note_html(item)
    if isinstance(item, Chart):
        return chart_html(item)
    if isinstance(item, Table):
        return table_html(item)
    if isinstance(item, BulletList):
        return "<ul>" + "".join(f"<li>{esc(x)}</li>" for x in item.items) + "</ul>"
    if isinstance(item, WritingSpace):
        lines = '<div class="dol-line"></div>' * item.lines
        return f'<div class="dol-write" aria-hidden="true">{lines}</div>'
    raise TypeError(f"no HTML for {type(item).__name__}")


def sections_html(sections: Sequence[Section], heading_offset: int = 0) -> str:
    """The sections nested by level; a section's heading is ``h{level + heading_offset}``."""
    out: list[str] = []
    open_levels: list[int] = []
    for section in sections:
        while open_levels and open_levels[-1] >= section.level:
            out.append("</section>")
            open_levels.pop()
        level = min(section.level + heading_offset, 6)
        css = f"dol-section dol-level-{section.level}" + (" dol-page-break" if section.page_break else "")
        out.append(f'<section class="{css}" data-section="{esc(section.key)}"><h{level}>{esc(section.heading)}'
                   f"</h{level}>")
        out.extend(block_html(b) for b in section.blocks)
        open_levels.append(section.level)
    out.extend("</section>" for _ in open_levels)
    return "".join(out)
