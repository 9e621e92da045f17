"""A document as Word (python-docx).

A4 with 2.5 cm margins, so that a chart drawn 16 cm wide for paper fills the text width at its true size. The
top of the first page carries "Fortroligt" (on a personal document), the kind of document, the title (style
Title), the facts (organisation, group, date, facilitator, participants, responses) and the intro; sections use
Heading 1-3, kept with what follows, and a main part starts on a new page. Every page has the document's kind in
its header and the footer text with "Side x af y" (PAGE and NUMPAGES fields) in one size. Tables have a shaded
header row that repeats on every page. A note's plain lines are one paragraph with its line breaks kept, so it
reads back as typed; its lines typed as "- " are a bulleted list. Word shows text literally: a note holding HTML
is text here.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

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

BLUE = RGBColor(0x0B, 0x3D, 0x62)
GREY = RGBColor(0x4A, 0x4A, 0x4A)
RED = RGBColor(0x8B, 0x1A, 0x1A)
CHART_WIDTH = Cm(16)
TEXT_WIDTH_CM = 16.0
TABLE_PT = Pt(10)
FOOTER_PT = Pt(9)
HEADER_FILL = "DBE7F3"
LANG_TAGS = {"da": "da-DK", "en": "en-GB"}
# Column widths (cm, summing to the 16 cm text width) of the documents' tables; others share it equally.
TABLE_WIDTHS = {"vs_org": (5.6, 3.0, 4.4, 3.0), "focus": (8.0, 4.0, 4.0), "actions": (6.4, 3.0, 3.4, 3.2),
                "own_answers": (6.0, 5.0, 5.0), "comparison": (4.2, 3.3, 2.3, 3.3, 2.9)}


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


def _rule_below(paragraph: DocxParagraph, colour: str = "9AA9B8") -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", colour)):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)


def _cell_fill(cell: _Cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def _set_language(document: DocxDocument, lang: str) -> None:
    tag = LANG_TAGS.get(lang, "da-DK")
    rpr = document.styles["Normal"].element.get_or_add_rPr()
    element = OxmlElement("w:lang")
    element.set(qn("w:val"), tag)
    element.set(qn("w:eastAsia"), tag)
    rpr.append(element)
    document.core_properties.language = tag


def _field(paragraph: DocxParagraph, instruction: str, placeholder: str) -> None:
    """A field (PAGE, NUMPAGES) as runs of the paragraph, so it takes the paragraph's size like the text."""
    def run_with(element: BaseOxmlElement) -> None:
        run = paragraph.add_run()
        run.font.size = FOOTER_PT
        run.font.color.rgb = GREY
        run._r.append(element)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    shown = paragraph.add_run(placeholder)
    shown.font.size = FOOTER_PT
    shown.font.color.rgb = GREY
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _small(paragraph: DocxParagraph, value: str, bold: bool = False, colour: RGBColor = GREY) -> None:
    run = paragraph.add_run(value)
    run.font.size = FOOTER_PT
    run.font.color.rgb = colour
    run.bold = bold


def _setup(document: DocxDocument, doc: Document) -> None:
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
        style.paragraph_format.keep_with_next = True
    _set_language(document, doc.lang)
    props = document.core_properties
    props.title = f"{doc.title} – {doc.leader or doc.group}"
    props.subject = doc.kicker
    props.author = ""
    props.last_modified_by = ""
    props.comments = ""
    props.keywords = ""
    now = datetime.now(UTC).replace(microsecond=0)
    props.created = props.modified = now
    props.revision = 1
    right = Cm(TEXT_WIDTH_CM)
    for name in ("Header", "Footer"):  # the template's centre and right tabs lie off this page's text width
        tabs = document.styles[name].paragraph_format.tab_stops
        tabs.clear_all()
        tabs.add_tab_stop(right, WD_TAB_ALIGNMENT.RIGHT)
    header = section.header.paragraphs[0]
    if doc.confidential:
        _small(header, t("doc.confidential", doc.lang).upper() + " · ", bold=True, colour=RED)
    _small(header, f"{doc.kicker}\t{doc.leader or doc.group}")
    footer = section.footer.paragraphs[0]
    _small(footer, doc.footer + "\t" + t("doc.page_word", doc.lang) + " ")
    _field(footer, "PAGE", "1")
    _small(footer, " " + t("doc.of_word", doc.lang) + " ")
    _field(footer, "NUMPAGES", "1")


def _top(document: DocxDocument, doc: Document) -> None:
    if doc.confidential:
        mark = document.add_paragraph()
        run = mark.add_run(t("doc.confidential", doc.lang).upper())
        run.bold = True
        run.font.size = Pt(12)
        run.font.color.rgb = RED
    kicker = document.add_paragraph()
    run = kicker.add_run(doc.kicker.upper())
    run.font.size = Pt(10)
    run.font.color.rgb = GREY
    document.add_heading(doc.title, level=0)
    if doc.facts:
        table = document.add_table(rows=0, cols=2)
        table.autofit = False
        for label, value in doc.facts:
            cells = table.add_row().cells
            cells[0].paragraphs[0].add_run(label).bold = True
            cells[1].paragraphs[0].add_run(value)
        for column, width in zip(table.columns, (4.0, 12.0), strict=True):
            for cell in column.cells:
                cell.width = Cm(width)
    if doc.intro:
        intro = document.add_paragraph()
        intro.paragraph_format.space_before = Pt(8)
        intro.add_run(doc.intro).italic = True


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
    fill, border = ("F7F2FB", "5B2A86") if item.private else ("F4F7FA", "0B3D62")
    for kind, lines in item.parts():
        if kind == "lines":
            paragraph = document.add_paragraph()
            paragraph.add_run("\n".join(lines))  # python-docx writes "\n" as a line break and "\t" as a tab
            _shade(paragraph, fill, border)
        elif kind == "list":
            for line in lines:
                bullet = document.add_paragraph(style="List Bullet")
                bullet.add_run(line)
                _shade(bullet, fill, border)


def _chart(document: DocxDocument, item: Chart) -> None:
    width = Cm(float(item.width[:-2])) if item.width.endswith("cm") else CHART_WIDTH
    document.add_picture(io.BytesIO(item.png), width=min(width, CHART_WIDTH))
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
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    widths = TABLE_WIDTHS.get(item.key, ())
    if len(widths) != len(item.header):
        widths = tuple(TEXT_WIDTH_CM / len(item.header) for _ in item.header)
    table.autofit = False
    header = table.rows[0]
    trpr = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    trpr.append(repeat)
    for i, (cell, value) in enumerate(zip(header.cells, item.header, strict=True)):
        _cell_fill(cell, HEADER_FILL)
        paragraph = cell.paragraphs[0]
        paragraph.paragraph_format.keep_with_next = True
        run = paragraph.add_run(value)
        run.bold = True
        run.font.size = TABLE_PT
        run.font.color.rgb = BLUE
        if i < len(numeric) and numeric[i]:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    short = len(item.rows) <= 12  # a short table stays on one page
    for number, row in enumerate(item.rows):
        added = table.add_row()
        added._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a row stays on one page
        for i, (cell, value) in enumerate(zip(added.cells, row, strict=True)):
            paragraph = cell.paragraphs[0]
            paragraph.add_run(value).font.size = TABLE_PT
            paragraph.paragraph_format.keep_with_next = short and number < len(item.rows) - 1
            if i < len(numeric) and numeric[i]:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)
    document.add_paragraph()


def _writing_space(document: DocxDocument, item: WritingSpace) -> None:
    for _ in range(item.lines):
        line = document.add_paragraph()
        line.paragraph_format.space_before = Pt(14)
        _rule_below(line)


def _section(document: DocxDocument, section: Section) -> None:
    heading = document.add_heading(section.heading, level=min(max(section.level, 1), 9))
    heading.paragraph_format.keep_with_next = True
    if section.page_break:
        heading.paragraph_format.page_break_before = True
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
        elif isinstance(item, WritingSpace):
            _writing_space(document, item)
        elif isinstance(item, BulletList):
            for entry in item.items:
                bullet = document.add_paragraph(entry, style="List Bullet")
                # a question's or a case's list stays with the notes under it
                bullet.paragraph_format.keep_with_next = section.key.startswith(("reflection:", "case:"))


def docx_bytes(doc: Document) -> bytes:
    document = new_docx()
    _setup(document, doc)
    _top(document, doc)
    for section in doc.sections:
        _section(document, section)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
