"""The content of every output, built once: the results' sections and the documents, as plain structures.

Layer: after :mod:`dol_toolkit.plots`, before :mod:`dol_toolkit.apps` and :mod:`dol_toolkit.export`. The apps
show these sections on screen, the export lays the documents out as DOCX, HTML, Markdown and PDF.

* :mod:`dol_toolkit.report.model`: the blocks, sections and documents;
* :mod:`dol_toolkit.report.results`: the group's results and one leader's own, for a medium (screen, paper);
* :mod:`dol_toolkit.report.documents`: the workshop summary, the personal result sheets and the handouts;
* :mod:`dol_toolkit.report.html`: the sections as HTML, for the app and the HTML/PDF documents alike.
"""

from dol_toolkit.report.model import (
    Block,
    BulletList,
    Chart,
    Document,
    Medium,
    NoteText,
    Paragraph,
    Section,
    Table,
    WritingSpace,
)

__all__ = ["Block", "BulletList", "Chart", "Document", "Medium", "NoteText", "Paragraph", "Section", "Table",
           "WritingSpace"]
