"""The summary as a Word document (python-docx).

A4 with 2.5 cm margins, so that a chart 16 cm wide fills the text width. The top of the first page carries the
kind of summary, the theme's title (style Title), the group and the date; sections use Heading 1-3; charts are
pictures with their alternative text (for screen readers) and a caption saying how to read them; tables have a
header row that repeats on every page. A note is one paragraph of runs, its line breaks kept as breaks, so it
reads back (``paragraph.text``) exactly as typed. Word shows text literally: a note holding HTML is text here.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from dol_toolkit.export._text import text
from dol_toolkit.export.summary import BulletList, Chart, NoteText, Paragraph, Section, Summary, Table

BLUE = RGBColor(0x0B, 0x3D, 0x62)
GREY = RGBColor(0x4A, 0x4A, 0x4A)
PURPLE = RGBColor(0x5B, 0x2A, 0x86)
CHART_WIDTH = Cm(16)
TABLE_PT = Pt(10)
LANG_TAGS = {"da": "da-DK", "en": "en-GB"}
# Column widths (cm, summing to the 16 cm text width) of the summary's tables; others share it equally.
TABLE_WIDTHS = {"vs_org": (5.6, 3.0, 4.4, 3.0), "focus": (8.0, 4.0, 4.0), "actions": (6.4, 3.0, 3.4, 3.2),
                "own_answers": (8.0, 4.0, 4.0)}


def _shade(paragraph: DocxParagraph, fill: str, border: str) -> None:
    """A background and a left border on a paragraph (notices, notes)."""
    ppr = paragraph._p.get_or_add_pPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    borders = OxmlElement("w:pBdr")
    left = OxmlElement("w:left")
    for key, value in (("w:val", "single"), ("w:sz", "24"), ("w:space", "8"), ("w:color", border)):
        left.set(qn(key), value)
    borders.append(left)
    ppr.append(borders)
    ppr.append(shd)


def _set_language(document: DocxDocument, lang: str) -> None:
    tag = LANG_TAGS.get(lang, "da-DK")
    rpr = document.styles["Normal"].element.get_or_add_rPr()
    element = OxmlElement("w:lang")
    element.set(qn("w:val"), tag)
    element.set(qn("w:eastAsia"), tag)
    rpr.append(element)
    document.core_properties.language = tag


def _page_number(paragraph: DocxParagraph) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    value = OxmlElement("w:t")
    value.text = "1"
    run.append(value)
    field.append(run)
    paragraph._p.append(field)


def _setup(document: DocxDocument, summary: Summary) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.2)
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    for level, size in ((1, 18), (2, 14), (3, 12)):
        style = document.styles[f"Heading {level}"]
        style.font.color.rgb = BLUE
        style.font.size = Pt(size)
    _set_language(document, summary.lang)
    props = document.core_properties
    props.title = f"{summary.title} – {summary.leader or summary.group}"
    props.subject = summary.kicker
    props.author = ""
    props.last_modified_by = ""
    props.comments = ""
    props.keywords = ""
    now = datetime.now(UTC).replace(microsecond=0)
    props.created = props.modified = now
    props.revision = 1
    footer = section.footer.paragraphs[0]
    footer.text = summary.footer + " · "
    _page_number(footer)
    for run in footer.runs:
        run.font.size = Pt(9)
        run.font.color.rgb = GREY


def _top(document: DocxDocument, summary: Summary) -> None:
    kicker = document.add_paragraph()
    run = kicker.add_run(summary.kicker.upper())
    run.font.size = Pt(10)
    run.font.color.rgb = GREY
    document.add_heading(summary.title, level=0)
    meta = document.add_paragraph()
    meta.add_run(summary.group).bold = True
    meta.add_run(f" · {summary.date_text}")
    if summary.leader:
        who = document.add_paragraph()
        who.add_run(text("for_leader", summary.lang, leader=summary.leader)).bold = True
    intro = document.add_paragraph()
    intro.add_run(summary.intro).italic = True


def _paragraph(document: DocxDocument, item: Paragraph, keep_with_next: bool = False) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.keep_with_next = keep_with_next
    run = paragraph.add_run(item.text)
    if item.style == "notice":
        _shade(paragraph, "FFF7E0", "8A6D00")
    elif item.style in ("intro", "muted"):
        run.italic = True
        if item.style == "muted":
            run.font.color.rgb = GREY
    elif item.style == "read":
        run.font.size = Pt(10)
        run.font.color.rgb = GREY


def _note(document: DocxDocument, item: NoteText) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(item.text)  # python-docx writes "\n" as a line break and "\t" as a tab
    _shade(paragraph, "F7F2FB" if item.private else "F4F7FA", "5B2A86" if item.private else "0B3D62")


def _chart(document: DocxDocument, item: Chart) -> None:
    document.add_picture(io.BytesIO(item.png), width=CHART_WIDTH)
    picture = document.paragraphs[-1]
    picture.paragraph_format.keep_with_next = True
    shape = document.inline_shapes[-1]
    shape._inline.docPr.set("descr", item.alt)
    shape._inline.docPr.set("title", item.key)
    caption = document.add_paragraph(style="Caption")
    run = caption.add_run(item.how_to_read)
    run.font.size = Pt(10)
    run.font.color.rgb = GREY
    run.bold = False
    run.italic = False


def _table(document: DocxDocument, item: Table) -> None:
    numeric = item.numeric or tuple(False for _ in item.header)
    table = document.add_table(rows=1, cols=len(item.header))
    table.style = document.styles["Table Grid"]
    widths = TABLE_WIDTHS.get(item.key, ())
    if len(widths) != len(item.header):
        widths = tuple(16 / len(item.header) for _ in item.header)
    table.autofit = False
    header = table.rows[0]
    trpr = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    trpr.append(repeat)
    for i, (cell, value) in enumerate(zip(header.cells, item.header, strict=True)):
        run = cell.paragraphs[0].add_run(value)
        run.bold = True
        run.font.size = TABLE_PT
        if i < len(numeric) and numeric[i]:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in item.rows:
        added = table.add_row()
        added._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a row stays on one page
        cells = added.cells
        for i, (cell, value) in enumerate(zip(cells, row, strict=True)):
            cell.paragraphs[0].add_run(value).font.size = TABLE_PT
            if i < len(numeric) and numeric[i]:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)
    document.add_paragraph()


def _section(document: DocxDocument, section: Section) -> None:
    document.add_heading(section.heading, level=min(max(section.level, 1), 9))
    # A section of a few lines that leads into its subsections stays on the page of what follows.
    lead_in = all(isinstance(item, Paragraph) for item in section.blocks) and section.level < 3
    for item in section.blocks:
        if isinstance(item, Paragraph):
            _paragraph(document, item, keep_with_next=lead_in)
        elif isinstance(item, NoteText):
            _note(document, item)
        elif isinstance(item, Chart):
            _chart(document, item)
        elif isinstance(item, Table):
            _table(document, item)
        elif isinstance(item, BulletList):
            for entry in item.items:
                bullet = document.add_paragraph(entry, style="List Bullet")
                # a question's or a case's list stays with the notes under it
                bullet.paragraph_format.keep_with_next = section.key.startswith(("reflection:", "case:"))


def docx_bytes(summary: Summary) -> bytes:
    document = Document()
    _setup(document, summary)
    _top(document, summary)
    for section in summary.sections:
        _section(document, section)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
