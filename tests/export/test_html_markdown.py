"""HTML and Markdown: notes shown literally (no script, no event attribute gets through), standalone files."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser
from pathlib import Path

import mistune
import pytest

from dol_toolkit.export import export_summary, summary_bytes
from dol_toolkit.export._markdown import block, escape
from dol_toolkit.i18n import t
from dol_toolkit.themes import load_theme

from .conftest import DAY, IMG, NOTES, PRIVATE, SCRIPT, note_as_shown, shown_lines


class _Page(HTMLParser):
    """Tags, attributes and the text of an HTML page, as a browser's parser would see them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.stack: list[str] = []
        self.notes: list[str] = []
        self._note_depth: int | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "br" and self._note_depth is not None:
            self.notes[-1] += "\n"
        if tag in ("img", "meta", "br", "link", "input"):
            return
        self.stack.append(tag)
        if "dol-note" in (attributes.get("class") or "").split():
            self._note_depth = len(self.stack)
            self.notes.append("")

    def handle_endtag(self, tag):
        if tag in ("p", "li") and self._note_depth is not None:
            self.notes[-1] += "\n"
        if self._note_depth is not None and len(self.stack) == self._note_depth:
            self._note_depth = None
        if self.stack:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)
        if self._note_depth is not None:
            self.notes[-1] += data


def _parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    return parser


def _assert_inert(parsed: _Page) -> None:
    for tag, attrs in parsed.tags:
        assert tag not in ("script", "iframe", "object", "embed", "a", "form"), tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name in ("src", "href"):
                assert (value or "").startswith("data:image/png;base64,"), (tag, name, value)


@pytest.fixture(scope="module")
def group_html(workshop) -> str:
    data, name, mime = summary_bytes(workshop, "html", when=DAY)
    assert name.endswith(".html") and mime.startswith("text/html")
    return data.decode("utf-8")


@pytest.fixture(scope="module")
def group_md(workshop) -> str:
    data, name, mime = summary_bytes(workshop, "md", when=DAY)
    assert name.endswith(".md") and mime.startswith("text/markdown")
    return data.decode("utf-8")


# -- HTML -----------------------------------------------------------------------------------------------------
def test_html_shows_notes_literally_and_runs_nothing(group_html):
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in group_html
    assert "&lt;img src=x onerror=alert(1)&gt;" in group_html
    assert "<script" not in group_html.lower() and "<img src=x" not in group_html
    parsed = _parse(group_html)
    _assert_inert(parsed)
    shown = [shown_lines(n) for n in parsed.notes]
    for note in NOTES.values():  # line breaks and markup exactly as typed; "- " lines a list
        assert note_as_shown(note) in shown
    assert "<li>heller ikke</li>" in group_html
    page_text = "".join(parsed.text)
    assert SCRIPT in page_text and IMG in page_text  # as text, in the notes and in the actions table


def test_html_is_standalone_with_language_and_print_style(group_html):
    assert group_html.startswith("<!DOCTYPE html>") and '<html lang="da">' in group_html
    assert "Content-Security-Policy" in group_html and "@media print" in group_html
    assert not re.search(r"https?://", group_html)
    images = [a for tag, a in _parse(group_html).tags if tag == "img"]
    assert len(images) == 3 and all(a.get("alt") for a in images)
    for attrs in images:
        png = base64.b64decode((attrs["src"] or "").split(",", 1)[1])
        assert png.startswith(b"\x89PNG")


def test_html_headings_and_top(group_html):
    parsed = _parse(group_html)
    headings = {tag: [] for tag in ("h1", "h2", "h3", "h4")}
    # headings' text: re-read with a regex on the escaped page (our own markup only)
    for level in headings:
        headings[level] = [m for m in re.findall(rf"<{level}>(.*?)</{level}>", group_html)]
    theme = load_theme()
    assert headings["h1"] == ["Ledelse af digital omstilling"]
    assert "Handlingsplan" in headings["h2"] and "Refleksionsspørgsmål" in headings["h2"]
    assert all(q.title("da") in headings["h3"] for q in theme.reflection_questions)
    assert "Ledergruppe Teknik og Miljø" in "".join(parsed.text[:12]) and "27. november 2026" in group_html
    assert not any(p in group_html for p in PRIVATE.values())


def test_html_personal_and_english(workshop):
    page = summary_bytes(workshop, "html", leader="Klaus Tønnesen", lang="en", when=DAY)[0].decode()
    assert '<html lang="en">' in page and "27 November 2026" in page
    assert PRIVATE["Klaus Tønnesen"] in page and PRIVATE["Morten Vestergaard"] not in page
    assert "dol-note dol-private" in page and "Your results – Klaus Tønnesen" in page
    _assert_inert(_parse(page))


def test_html_suppressed_group(small_workshop):
    page = summary_bytes(small_workshop, "html", when=DAY)[0].decode()
    assert t("results.suppressed_group", "da", min_n=5) in page
    assert 'data-chart="likert"' not in page and "<img" not in page


# -- Markdown -------------------------------------------------------------------------------------------------
def test_markdown_escapes_every_note(group_md):
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in group_md
    assert "<script" not in group_md.lower() and "<img" not in group_md
    assert "\\*fed\\*" in group_md and "\\_kursiv\\_" in group_md and "\\[klik\\](javascript:alert(1))" in group_md
    assert "\n\\# ikke en overskrift" in group_md and "\n1\\. ikke en liste" in group_md


def test_markdown_renders_to_the_literal_note(group_md):
    # escape=False: raw HTML would pass straight through, so anything unescaped would show up here
    render = mistune.create_markdown(escape=False, plugins=["table"])
    page = render(group_md)
    parsed = _parse(page)
    _assert_inert(parsed)
    text = "".join(parsed.text)
    assert SCRIPT in text and IMG in text
    for line in note_as_shown(NOTES["case_algorithms"]):
        assert line.strip() in text.replace("\xa0", " ")
    assert "<li>heller ikke</li>" in page  # the note's "- " line is a list item
    # the note alone: paragraphs and line breaks, nothing else made from its text
    note = _parse(render(block(NOTES["case_algorithms"])))
    assert {tag for tag, _ in note.tags} == {"p", "br"}
    assert "".join(note.text).replace("\xa0", " ").rstrip("\n") == NOTES["case_algorithms"]
    # the note's "# ikke en overskrift" is no heading; its "1." no list
    assert "ikke en overskrift" not in re.findall(r"<h\d[^>]*>(.*?)</h\d>", page)
    assert "<ol" not in page and "<pre" not in page
    # line breaks kept
    assert "Teams og sagssystemet<br />" in page or "Teams og sagssystemet<br>" in page


def test_markdown_headings_and_tables(group_md):
    theme = load_theme()
    assert "\n# Ledelse af digital omstilling\n" in group_md
    assert "\n## Handlingsplan\n" in group_md and "\n## Refleksionsspørgsmål\n" in group_md
    for q in theme.reflection_questions:
        assert f"\n### {escape(q.title('da'), start=False)}\n" in group_md
    assert "| Hvad | Hvem | Senest | Spørgsmål |" in group_md
    assert "| Fælles læring hver måned | Birgitte | 15. januar 2027 | Opdaterede kompetencer |" in group_md
    assert "\\|" in group_md  # the pipe typed in an action does not split its cell
    assert group_md.count("](data:image/png;base64,") == 3


def test_markdown_file_links_its_charts_in_a_folder(workshop, tmp_path: Path):
    path = export_summary(workshop, "md", tmp_path / "opsamling.md", when=DAY)
    body = path.read_text(encoding="utf-8")
    links = re.findall(r"\]\((opsamling_files/[^)]+\.png)\)", body)
    assert len(links) == 3 and "data:image" not in body
    for link in links:
        assert (tmp_path / link).read_bytes().startswith(b"\x89PNG")


def test_markdown_personal_and_suppressed(workshop, small_workshop):
    mine = summary_bytes(workshop, "md", leader="Klaus Tønnesen", when=DAY)[0].decode()
    assert escape(PRIVATE["Klaus Tønnesen"]) in mine and "Morten" not in mine
    small = summary_bytes(small_workshop, "md", when=DAY)[0].decode()
    assert escape(t("results.suppressed_group", "da", min_n=5)) in small and "data:image" not in small


@pytest.mark.parametrize("raw", [
    "<b>x</b>", "**x**", "`x`", "[x](y)", "![x](y)", "# x", "- x", "+ x", "1. x", "2) x", "> x", "    x", "a\\b",
    "~~x~~", "x | y", "&amp;", "===", "---", "***", "<!-- x -->", "<http://x>",
])
def test_markdown_escape_shows_text_as_typed(raw):
    page = mistune.create_markdown(escape=False, plugins=["table", "strikethrough"])(escape(raw))
    parsed = _parse(page)
    assert [tag for tag, _ in parsed.tags] == ["p"], page
    assert "".join(parsed.text).replace("\xa0", " ").strip() == raw.strip()
