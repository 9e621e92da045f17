"""Steps 2-4 as widgets (no browser): notes that save, revisions, conflicts, private notes, the plan."""

from __future__ import annotations

import base64
import time
from pathlib import Path

import docx
import pytest

from dol_toolkit.apps.action_plan import ActionPlanApp
from dol_toolkit.apps.discussion import CasesApp, ReflectionApp
from dol_toolkit.export import summary_bytes
from dol_toolkit.notes import NoteKey, open_store
from dol_toolkit.notes.topics import load_plan
from dol_toolkit.pages.cache import load_content
from dol_toolkit.themes import load_theme
from dol_toolkit.workshop import load_config, write_codes

THEME = load_theme()
XSS = '<script>window.x=1</script><img src=x onerror="alert(1)">'


@pytest.fixture
def setup(repo: Path, tmp_path: Path, notes_location: str):
    """The example workshop with its notes in each store: a SQLite file, a PostgreSQL database."""
    text = (repo / "workshop" / "eksempel.toml").read_text(encoding="utf-8")
    text = text.replace('file = "../data/samples/', f'file = "{repo}/data/samples/')
    text = text.replace('database = "../var/eksempel-notes.sqlite"', f'database = "{notes_location}"')
    path = tmp_path / "w.toml"
    path.write_text(text, encoding="utf-8")
    codes = write_codes(path)
    config = load_config(path)
    store = open_store(config.notes_database)
    yield config, store, codes
    store.close()


def _stop(app):
    app.poller.stop()


def test_reflection_notes_save_and_reach_another_page(setup):
    config, store, _ = setup
    a, b = ReflectionApp(config, store), ReflectionApp(config, store)
    assert [x.topic for x in a.topics] == [q.id for q in THEME.reflection_questions]
    first = a.topics[0].group
    first.text.value = "Teams og sagssystemet " + XSS
    first.flush()
    assert "Gemt kl." in first.status.value
    # The status vouches for the text it saved, in the browser's units (a page tells a stale "saved" by it).
    assert f'data-saved-units="{len("Teams og sagssystemet " + XSS)}"' in first.status.value
    first.text.value = "Teams og sagssystemet 😀"  # one character outside the BMP: two units in a browser
    first.flush()
    assert f'data-saved-units="{len("Teams og sagssystemet ") + 2}"' in first.status.value
    first.text.value = "Teams og sagssystemet " + XSS
    first.flush()
    assert store.get(NoteKey(config.name, "reflection:technologies")).text == "Teams og sagssystemet " + XSS
    b.refresh()
    assert b.topics[0].group.text.value == "Teams og sagssystemet " + XSS
    # The note is only ever the value of a text box: no HTML of the page holds it unescaped.
    assert all(XSS not in w.value for w in (a.header, a.intro, *[x.html for x in a.topics]))
    _stop(a), _stop(b)


def test_two_writers_both_kept_and_the_later_is_told(setup):
    config, store, _ = setup
    a, b = ReflectionApp(config, store), ReflectionApp(config, store)
    a.topics[1].group.text.value = "Annes tekst"
    b.topics[1].group.text.value = "Bos tekst"
    a.topics[1].group.flush()
    b.topics[1].group.flush()
    assert "En anden har ændret noten samtidig" in b.topics[1].group.status.value
    # The box is not replaced under the writer's fingers: it shows both texts once typing has paused.
    assert b.topics[1].group.text.value == "Bos tekst"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and "Annes tekst" not in b.topics[1].group.text.value:
        time.sleep(0.1)
    shown = b.topics[1].group.text.value
    assert "Annes tekst" in shown and "Bos tekst" in shown
    revisions = store.revisions(NoteKey(config.name, "reflection:knowledge"))
    assert [r.revision for r in revisions] == [1, 2] and revisions[1].conflict
    _stop(a), _stop(b)


def test_private_notes_only_for_the_code_holder(setup):
    config, store, codes = setup
    app = ReflectionApp(config, store)
    app.gate.code.value = "ZZZZ-ZZZZ"
    app.gate.try_open()
    assert app.gate.leader is None and all(x.private is None for x in app.topics)
    app.gate.code.value = codes["Nanna Østergaard"]
    app.gate.try_open()
    private = app.topics[0].private
    assert private is not None and "Nanna Østergaard" in app.header.value
    private.text.value = "Kun til mig"
    private.flush()
    app.gate.close()
    assert all(x.private is None for x in app.topics) and "Nanna" not in app.header.value
    key = NoteKey(config.name, "reflection:technologies", "private", "Nanna Østergaard")
    assert store.get(key).text == "Kun til mig"
    assert store.get(NoteKey(config.name, "reflection:technologies")).text == ""
    _stop(app)


def test_cases_show_results_for_the_items_they_touch(setup):
    config, store, _ = setup
    app = CasesApp(config, store, content=load_content(config))
    html = app.topics[1].html.value
    case = THEME.cases[1]
    assert case.title.da in html and case.prompts[0].text.da in html
    for item in case.items:
        assert THEME.item(item).short.da in html
    assert "Andel enige" in html and "%" in html
    _stop(app)


def test_plan_focus_actions_follow_up_and_merge(setup):
    config, store, _ = setup
    a = ActionPlanApp(config, store, summary=summary_bytes, content=load_content(config))
    b = ActionPlanApp(config, store, summary=summary_bytes, content=load_content(config))
    for item in ("competences", "rationale", "it_security", "citizen_value"):
        a.focus[item].value = True
    assert [k for k, v in a.focus.items() if v.value] == ["competences", "rationale", "it_security"]
    assert "højst 3" in a.status.value
    a._add_row()
    a.rows[0].what.value = "Teams-kursus " + XSS
    a.rows[0].who.value = "Klaus"
    a.flush()
    b._add_row()
    b.rows[0].what.value = "Studiebesøg"
    b.flush()  # written on an older base: the actions are joined, nothing lost
    plan = load_plan(store, config.name)
    assert plan.focus == ("competences", "rationale", "it_security")
    assert {x.what for x in plan.actions} == {"Teams-kursus " + XSS, "Studiebesøg"}
    assert "En anden har ændret planen samtidig" in b.status.value
    assert "Andel enige" in a.focus_table.value and XSS not in a.focus_table.value
    _stop(a), _stop(b)


def test_each_remove_button_names_its_action(setup):
    """A screen reader lists the buttons by name: each row's remove button says which action it removes, also
    after a row is removed, in either language."""
    config, store, _ = setup
    app = ActionPlanApp(config, store, summary=summary_bytes, content=load_content(config))
    for _ in range(3):
        app._add_row()
    assert [r.remove.description for r in app.rows] == ["Fjern handling 1", "Fjern handling 2", "Fjern handling 3"]
    second, third = app.rows[1], app.rows[2]
    second.remove.click()
    assert app.rows == [app.rows[0], third] and third.remove.description == "Fjern handling 2"
    app.switch.value = "en"
    assert [r.remove.description for r in app.rows] == ["Remove action 1", "Remove action 2"]
    _stop(app)


def test_download_gives_a_document_with_the_notes(setup):
    config, store, _ = setup
    store.save(NoteKey(config.name, "reflection:technologies"), "Noten der skal med", 0)
    app = ActionPlanApp(config, store, summary=summary_bytes)
    app.download("docx")
    link = app.download_links.value
    assert 'download="' in link and ".docx" in link
    data = base64.b64decode(link.split("base64,")[1].split('"')[0])
    path = Path(config.path).parent / "summary.docx"
    path.write_bytes(data)
    document = docx.Document(str(path))
    text = "\n".join(p.text for p in document.paragraphs)
    assert THEME.title.da in text and "Noten der skal med" in text
    _stop(app)


def test_one_download_link_on_screen_the_one_the_buttons_made_last(setup):
    """The group's summary link made before a leader opens their view goes when it opens (the buttons now make
    the leader's own); their own link goes when it closes, and so does every link."""
    config, store, codes = setup
    app = ActionPlanApp(config, store, summary=summary_bytes)
    app.download("md")
    assert "dol-download" in app.download_links.value
    app.gate.code.value = codes["Nanna Østergaard"]
    app.gate.open_button.click()
    assert app.gate.leader == "Nanna Østergaard" and app.download_links.value == ""
    app.download("md")
    assert len(app.personal_links.children) == 1 and app.download_links.value == ""
    app.gate.close_button.click()
    assert app.personal_links.children == () and app.download_links.value == ""
    _stop(app)


def test_download_as_pdf_gives_the_summary_with_page_numbers(setup, pdf_ready):
    import pypdfium2 as pdfium

    config, store, _ = setup
    store.save(NoteKey(config.name, "reflection:purpose"), "PDF-noten", 0)
    app = ActionPlanApp(config, store, summary=summary_bytes)
    assert app.download_buttons["pdf"].description == "Lav opsamlingen: PDF"
    app.download("pdf")
    link = app.download_links.value
    assert 'download="' in link and ".pdf" in link and "data:application/pdf;base64," in link
    pdf = pdfium.PdfDocument(base64.b64decode(link.split("base64,")[1].split('"')[0]))
    pages = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    assert "PDF-noten" in " ".join(pages) and f"Side 1 af {len(pages)}" in pages[0]
    _stop(app)


def test_two_workshops_in_one_notes_database_keep_their_notes_apart(setup, tmp_path):
    """A day of rooms on one hub may share one notes database (one PostgreSQL for all): each workshop's apps see
    only its own notes, and its summary holds only them."""
    config, store, _ = setup
    text = config.path.read_text(encoding="utf-8").replace('name = "Ledergruppe Teknik og Miljø"',
                                                          'name = "Ledergruppe Social og Sundhed"', 1)
    other_path = tmp_path / "other.toml"
    other_path.write_text(text, encoding="utf-8")
    other = load_config(other_path)
    assert str(other.notes_database) == str(config.notes_database) and other.name != config.name
    a, b = ReflectionApp(config, store), ReflectionApp(other, store)
    a.topics[0].group.text.value = "kun i teknik"
    a.topics[0].group.flush()
    b.refresh()
    assert b.topics[0].group.text.value == ""
    b.topics[0].group.text.value = "kun i social"
    b.topics[0].group.flush()
    a.refresh()
    assert a.topics[0].group.text.value == "kun i teknik"
    summary = summary_bytes(config, "md")[0].decode("utf-8")
    assert "kun i teknik" in summary and "kun i social" not in summary
    _stop(a), _stop(b)
