"""A workshop in a temporary folder, with notes of every kind written through the note store."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from dol_toolkit.export.summary import workshop_id
from dol_toolkit.notes import NoteKey, open_store
from dol_toolkit.notes.topics import (
    PLAN_ACTIONS,
    PLAN_FOCUS,
    PLAN_FOLLOW_UP,
    Action,
    case_topic,
    dump_actions,
    dump_focus,
    dump_follow_up,
    reflection_topic,
)
from dol_toolkit.workshop import WorkshopConfig, load_config

DAY = date(2026, 11, 27)
LEADERS = ("Birgitte Sandbæk", "Helle Kjeldsen", "Jesper Bertelsen", "Klaus Tønnesen", "Morten Vestergaard",
           "Nanna Østergaard")
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"

NOTES = {
    "technologies": "Teams og sagssystemet\nRobotter i lønbogholderiet\n\nOm fem år: AI-assistenter & chatbots",
    "purpose": f"Borgerne forventer digitale løsninger {SCRIPT}",
    "case_algorithms": f"Bekymring: {IMG} *fed* _kursiv_ [klik](javascript:alert(1))\n# ikke en overskrift\n"
                       "1. ikke en liste\n- heller ikke\n    ikke kode\n> intet citat",
}
PRIVATE = {
    "Klaus Tønnesen": "Klaus privat: jeg skal selv lære mere om data",
    "Morten Vestergaard": "Morten privat: tal med HR om kurser",
}
ACTIONS = (
    Action("Fælles læring hver måned", "Birgitte", "2027-01-15", "competences"),
    Action(f"{SCRIPT} gennemgå IT-sikkerheden | med {IMG}", "Alle & IT", "2027-02-01", "it_security"),
)


def note_as_shown(note: str) -> list[str]:
    """The lines a reader sees of a note, blank lines left out: as typed, except that a line typed as "- " is a
    list item, shown with a bullet instead of the dash."""
    from dol_toolkit.report.model import NoteText

    return [line for _kind, lines in NoteText(note).parts() for line in lines if line.strip()]


def shown_lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


def make_config(repo: Path, folder: Path, leaders: tuple[str, ...] = LEADERS) -> WorkshopConfig:
    folder.mkdir(parents=True, exist_ok=True)
    text = (repo / "workshop" / "eksempel.toml").read_text(encoding="utf-8")
    text = text.replace('file = "../data/samples/', f'file = "{repo.as_posix()}/data/samples/')
    text = text.replace('database = "../var/eksempel-notes.sqlite"', 'database = "notes.sqlite"')
    listed = ",\n".join(f'    "{x}"' for x in leaders)
    text = re.sub(r"(?ms)^leaders = \[.*?\]", f"leaders = [\n{listed},\n]", text)
    path = folder / "workshop.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def write_notes(config: WorkshopConfig) -> None:
    store = open_store(config.notes_database)
    wid = workshop_id(config)
    try:
        store.save(NoteKey(wid, reflection_topic("technologies")), NOTES["technologies"], 0, author="facilitator")
        store.save(NoteKey(wid, reflection_topic("purpose")), NOTES["purpose"], 0)
        store.save(NoteKey(wid, case_topic("algorithms")), NOTES["case_algorithms"], 0)
        for leader, note in PRIVATE.items():
            store.save(NoteKey(wid, reflection_topic("knowledge"), "private", leader), note, 0, author=leader)
        store.save(NoteKey(wid, PLAN_FOCUS), dump_focus(["competences", "it_security"]), 0)
        store.save(NoteKey(wid, PLAN_ACTIONS), dump_actions(ACTIONS), 0)
        store.save(NoteKey(wid, PLAN_FOLLOW_UP), dump_follow_up("2027-03-01"), 0)
    finally:
        store.close()


@pytest.fixture(scope="session")
def workshop(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> WorkshopConfig:
    config = make_config(repo, tmp_path_factory.mktemp("workshop"))
    write_notes(config)
    return config


@pytest.fixture(scope="session")
def small_workshop(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> WorkshopConfig:
    """A group of only the two leaders with fewer than 5 employee answers: every employee figure is hidden."""
    config = make_config(repo, tmp_path_factory.mktemp("small"), ("Helle Kjeldsen", "Jesper Bertelsen"))
    write_notes(config)
    return config


# -- PDF where it can be made, every other format everywhere ---------------------------------------------------
FORMATS = ("docx", "pdf", "html", "md")


def pdf_unavailable() -> str | None:
    """Why WeasyPrint cannot make a PDF here (its Pango library missing), or None where it can."""
    from dol_toolkit.export._pdf import PdfUnavailable, weasyprint_module

    try:
        weasyprint_module()
    except PdfUnavailable as exc:
        return str(exc)
    return None


class PdfPart:
    """The PDF share of a test that checks every format of a document.

    Where PDF can be made, ``ready`` is True and the test checks the PDF with the rest. Where it cannot, the test
    still checks DOCX, HTML and Markdown, and :meth:`report` says so as a subtest of its own: skipped with what to
    install, or failed under ``DOL_REQUIRE_PDF=1`` (CI), through the ``pdf_ready`` fixture.
    """

    def __init__(self, subtests: pytest.Subtests, request: pytest.FixtureRequest) -> None:
        self.why_not = pdf_unavailable()
        self.ready = self.why_not is None
        self._subtests = subtests
        self._request = request

    @property
    def formats(self) -> tuple[str, ...]:
        """The formats this machine can write: all of FORMATS, or all but PDF."""
        return FORMATS if self.ready else tuple(f for f in FORMATS if f != "pdf")

    def report(self) -> None:
        """Where PDF cannot be made: a subtest "pdf" that skips (or fails under DOL_REQUIRE_PDF=1)."""
        if not self.ready:
            with self._subtests.test("pdf"):
                self._request.getfixturevalue("pdf_ready")


@pytest.fixture
def pdf_part(subtests: pytest.Subtests, request: pytest.FixtureRequest) -> PdfPart:
    """Call ``pdf_part.report()`` first; check the PDF only ``if pdf_part.ready`` (see :class:`PdfPart`)."""
    return PdfPart(subtests, request)


def dol_sheets(config: WorkshopConfig, out: Path) -> None:
    """``dol sheets`` into ``out`` (DOCX and PDF); where PDF cannot be made, the same writer for DOCX alone."""
    from dol_toolkit.cli import main
    from dol_toolkit.export.sheets import write_sheets

    if pdf_unavailable() is None:
        assert main(["sheets", str(config.path), "--out", str(out)]) == 0
    else:
        write_sheets(config, out, formats=("docx",), progress=False)


def dol_handouts(config: WorkshopConfig, out: Path, *lang: str) -> None:
    """``dol handouts`` into ``out`` (``lang``: "--lang", "en"); where PDF cannot be made, DOCX alone."""
    from dol_toolkit.cli import main
    from dol_toolkit.export.sheets import write_handouts

    if pdf_unavailable() is None:
        assert main(["handouts", str(config.path), "--out", str(out), *lang]) == 0
    else:
        write_handouts(config, out, lang=lang[-1] if lang else config.language, formats=("docx",), progress=False)
