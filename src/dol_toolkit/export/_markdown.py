"""The summary as Markdown (CommonMark with GitHub's tables).

Every text is escaped, so that what a note holds is shown as typed: ``& < >`` become entities (no HTML reaches
a renderer), the characters Markdown reads inline (``\\ ` * _ [ ] # | ~ !``) get a backslash, and so do the
marks that start a block at the beginning of a line (``- + =``, ``1.``); leading spaces are kept as no-break
spaces rather than turning a line into code. A note's line breaks are kept as hard breaks, its blank lines as
paragraph breaks, and its lines typed as ``- `` are a list (:meth:`NoteText.parts`).
"""

from __future__ import annotations

import base64
import re
from urllib.parse import quote

from dol_toolkit.i18n import t
from dol_toolkit.report.model import (
    BulletList,
    Chart,
    Document,
    NoteText,
    Paragraph,
    Section,
    Table,
    WritingSpace,
)

_INLINE = re.compile(r"([\\`*_\[\]#|~!])")
_ORDERED = re.compile(r"^(\d{1,9})([.)])")


def escape(value: str, start: bool = True) -> str:
    """One line of text, escaped to show literally in Markdown. ``start``: the text begins a line, where
    ``-``, ``+``, ``=`` and ``1.`` would start a block (not so in a heading, a table cell or after other text)."""
    out = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    out = _INLINE.sub(r"\\\1", out)
    if not start:
        return out
    stripped = out.lstrip(" \t")
    indent = out[: len(out) - len(stripped)]
    if stripped[:1] in ("-", "+", "="):
        stripped = "\\" + stripped
    stripped = _ORDERED.sub(r"\1\\\2", stripped)
    return indent.replace("\t", "    ").replace(" ", "&nbsp;") + stripped


def _paragraphs(value: str) -> list[list[str]]:
    """Paragraphs (split at blank lines), each a list of its lines."""
    out: list[list[str]] = []
    current: list[str] = []
    for line in value.split("\n"):
        if line.strip():
            current.append(line.rstrip())
        elif current:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def block(value: str, mark: str = "", prefix: str = "") -> str:
    """Text of one or more lines as Markdown paragraphs: line breaks as hard breaks (a backslash at the end of
    the line), blank lines as paragraph breaks. ``mark`` wraps each paragraph (``*`` for italics); ``prefix``
    starts every line (``> `` for a quote)."""
    chunks = []
    for lines in _paragraphs(value):
        body = ("\\\n" + prefix).join(escape(line) for line in lines)
        chunks.append(f"{prefix}{mark}{body}{mark}")
    return f"\n{prefix.rstrip()}\n".join(chunks) if prefix else "\n\n".join(chunks)


def _cell(value: str) -> str:
    return "<br>".join(escape(line, start=False) for line in value.split("\n")) or " "


def _table(table: Table) -> str:
    numeric = table.numeric or tuple(False for _ in table.header)
    lines = ["| " + " | ".join(_cell(h) for h in table.header) + " |",
             "| " + " | ".join("---:" if n else "---" for n in numeric) + " |"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in table.rows]
    return "\n".join(lines)


def _chart(chart: Chart, link: str | None) -> str:
    src = quote(link) if link is not None else "data:image/png;base64," + base64.b64encode(chart.png).decode()
    alt = escape(chart.alt.replace("\n", " "))
    return f"![{alt}]({src})\n\n" + block(chart.how_to_read, "*")


def _note(note: NoteText) -> str:
    chunks = []
    for kind, lines in note.parts():
        if kind == "list":
            chunks.append("\n".join("- " + escape(x) for x in lines))
        elif kind == "lines":
            chunks.append(block("\n".join(lines)))
    return "\n\n".join(chunks)


def _section(section: Section, links: list[str] | None, charts_done: list[int]) -> str:
    parts = ["#" * (section.level + 1) + " " + escape(section.heading, start=False)]
    for item in section.blocks:
        if isinstance(item, Paragraph):
            if item.style == "notice":
                parts.append(block(item.text, "**", "> "))
            elif item.style in ("intro", "read", "muted"):
                parts.append(block(item.text, "*"))
            else:
                parts.append(block(item.text))
        elif isinstance(item, NoteText):
            parts.append(_note(item))
        elif isinstance(item, WritingSpace):
            parts.append("\n\n".join("&nbsp;" for _ in range(item.lines)))
        elif isinstance(item, Chart):
            link = links[len(charts_done)] if links is not None else None
            charts_done.append(1)
            parts.append(_chart(item, link))
        elif isinstance(item, Table):
            parts.append(_table(item))
        elif isinstance(item, BulletList):
            parts.append("\n".join("- " + escape(x.replace("\n", " ")) for x in item.items))
    return "\n\n".join(p for p in parts if p)


def render_markdown(summary: Document, image_links: list[str] | None = None) -> str:
    """The document as Markdown. ``image_links``: relative paths of the charts' PNG files, in order; without
    them the charts are embedded as data URIs."""
    if image_links is not None and len(image_links) != len(summary.charts):
        raise ValueError("one link per chart is needed")
    head = []
    if summary.confidential:
        head.append(f"**{escape(t('doc.confidential', summary.lang).upper())}**")
    head += [f"*{escape(summary.kicker)}*", "# " + escape(summary.title, start=False)]
    if summary.facts:
        head.append("\\\n".join(f"**{escape(k)}:** {escape(v, start=False)}" for k, v in summary.facts))
    if summary.intro:
        head.append(block(summary.intro, "*"))
    done: list[int] = []
    body = [_section(s, image_links, done) for s in summary.sections]
    return "\n\n".join([*head, "---", *body, "---", block(summary.footer, "*")]) + "\n"
