"""The landing app as a widget (no browser): content, language switch, escaping, errors shown not swallowed."""

from __future__ import annotations

import logging

import ipywidgets as widgets

from dol_toolkit.apps import LandingApp, landing_app
from dol_toolkit.apps._common import error_box, guarded
from dol_toolkit.themes import load_theme

THEME = load_theme()


def test_builder_returns_a_widget_in_danish():
    widget = landing_app()
    assert isinstance(widget, widgets.VBox)
    switch, main = widget.children  # the header (the language switch) and the main part, the page's landmarks
    assert "dol-lang" in switch._dom_classes and "dol-main" in main._dom_classes
    html = main.children[-1].value
    for item in THEME.items:
        assert item.wording.employee.da in html
    for question in THEME.reflection_questions:
        assert question.sub_questions[0].text.da in html
    for case in THEME.cases:
        assert case.title.da in html
    assert "Hvad er det?" in html and "Helt uenig" in html and "Ved ikke" in html


def test_switch_relabels_everything():
    app = LandingApp()
    assert app.switch.description == "Sprog"
    app.switch.value = "en"
    html = app.content.value
    assert app.switch.description == "Language"
    assert THEME.title.en in html and "What is it?" in html and "Strongly disagree" in html
    assert THEME.items[0].wording.employee.da not in html
    assert app.errors.value == ""


def test_english_start_and_unknown_language_falls_back_to_danish():
    assert "What is it?" in LandingApp(lang="en").content.value
    assert "Hvad er det?" in LandingApp(lang="xx").content.value


def test_text_is_escaped():
    theme = THEME.model_copy(update={"title": THEME.title.model_copy(update={"da": "<script>alert(1)</script>"})})
    html = LandingApp(theme=theme).content.value
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_callback_errors_are_shown_and_logged(caplog):
    box = error_box()

    def broken(change):
        raise RuntimeError("the data file is gone")

    with caplog.at_level(logging.ERROR, logger="dol_toolkit.apps"):
        guarded(broken, box, lambda: "da")({"new": 1})
    assert "Noget gik galt: the data file is gone" in box.value
    assert 'role="alert"' in box.value
    assert any("broken" in r.getMessage() and r.exc_info for r in caplog.records)
    guarded(lambda change: None, box, lambda: "da")({"new": 2})
    assert box.value == ""


def test_the_four_steps_are_four_and_the_preparation_is_the_facilitators(monkeypatch):
    """The heading says four steps and the list under it holds the participants' four; the preparation, where
    the server offers it, comes after them under a heading that says it is the facilitator's."""
    import html
    import re

    from dol_toolkit import runtime
    from dol_toolkit.apps.landing import render_theme_html
    from dol_toolkit.themes import load_theme

    monkeypatch.setenv(runtime.PREPARATION_ENV, "1")
    for lang, heading, prep in (("da", "Workshoppens fire trin", "Til facilitatoren"),
                                ("en", "The workshop's four steps", "For the facilitator")):
        page = html.unescape(render_theme_html(load_theme(), lang))
        after_heading = page.split(heading, 1)[1]
        first_list = re.search(r"<ol class=\"dol-steps\"[^>]*>(.*?)</ol>", after_heading, re.S)
        assert first_list is not None
        assert len(re.findall(r"<li", first_list.group(1))) == 4
        assert "preparation.ipynb" not in first_list.group(1)
        assert after_heading.index(prep) > after_heading.index(first_list.group(1))
        assert after_heading.index("preparation.ipynb") > after_heading.index(prep)
    monkeypatch.setenv(runtime.PREPARATION_ENV, "0")
    assert "Til facilitatoren" not in render_theme_html(load_theme(), "da")
