"""Preparing a workshop from the organisation's export: what ``dol validate``, ``dol codes`` and a hand-written
configuration do, as functions the preparation app (``0 Forberedelse``) calls. No widgets here.

The steps, each a function:

1. :func:`save_upload` keeps an uploaded file (its bytes and name) in the workshops folder;
2. :func:`inspect_export` imports it with the facilitator's :class:`Choices` (the mapping, built as
   :mod:`dol_toolkit.survey.mapping` reads it) and says what was recognised and what is left to map;
3. :func:`dol_toolkit.stats.leaders.leader_counts` gives the departments, leaders and their respondents, with
   who falls under the anonymity rule;
4. :func:`save_workshop` writes the workshop's folder: the export (copied), ``mapping.toml`` (when there is
   anything to map), the configuration TOML (as ``workshop/eksempel.toml`` is written) and the leaders'
   personal codes (:func:`dol_toolkit.workshop.write_codes`; only their hashes are stored);
5. :func:`code_sheet` / :func:`code_sheet_pdf`: one slip per leader to cut out, with name, code and address;
6. :func:`request_start`: asks the server the app runs on to serve the saved configuration.

The workshops folder is ``$DOL_WORKSHOPS_DIR``, else ``./workshops`` of the folder ``dol serve`` was started in
(never the notebooks folder, which the server serves). Each workshop is a folder of its own, named after it.
"""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

import tomli_w

from dol_toolkit.errors import DolError
from dol_toolkit.i18n import Lang, t
from dol_toolkit.i18n.dates import long_date
from dol_toolkit.report.model import Document, Paragraph, Section
from dol_toolkit.runtime import from_server
from dol_toolkit.survey.errors import SurveyImportError
from dol_toolkit.survey.importer import ImportResult, read_export, recognise
from dol_toolkit.survey.mapping import FIELDS, Mapping, as_mapping
from dol_toolkit.survey.readers import read_raw
from dol_toolkit.themes import Theme, load_theme
from dol_toolkit.uploads import UPLOAD_LIMIT_BYTES, size_text
from dol_toolkit.workshop import MAX_PARTICIPANTS, ConfigError, WorkshopConfig, load_config, write_codes

UPLOADS = "_uploads"
MAPPING_FILE = "mapping.toml"
NOTES_FILE = "notes.sqlite"
EXPORT_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".sav")
ROLE_CHOICES = ("employee", "self", "manager")
# Problems of an import that say an answer label or code was not understood, and a role that was not.
ANSWER_PROBLEMS = ("unknown_label", "out_of_range", "not_whole")
ROLE_PROBLEMS = ("unknown_role",)


class PrepareError(DolError, ValueError):
    """What keeps a workshop from being prepared, said in the user's language: ``code`` names the message in
    the catalogs' ``[prep]`` table; ``str()`` is the Danish text."""

    prefix: ClassVar[str] = "prep."
    log_lang: ClassVar[Lang] = "da"

    @property
    def key(self) -> str:
        """The message's name in the ``[prep]`` table (its ``code``), as callers have read it."""
        return self.code


# -- the workshops folder and uploaded files --------------------------------------------------------------------
def workshops_dir() -> Path:
    """Where workshops are saved: ``$DOL_WORKSHOPS_DIR``, else ``workshops`` beside the notebooks folder when
    running in it (a page's kernel), else ``./workshops``."""
    value = from_server().workshops_dir
    if value is not None:
        return value.resolve()
    here = Path.cwd()
    base = here.parent if here.name == "notebooks" else here
    return (base / "workshops").resolve()


def slug(text: str) -> str:
    """A folder or file name from ``text``: letters (æøå kept), digits and dashes.

    >>> slug("Ledergruppe Teknik & Miljø 2026")
    'ledergruppe-teknik-miljø-2026'
    """
    text = unicodedata.normalize("NFC", str(text)).strip().lower()
    text = re.sub(r"[^\w]+", "-", text, flags=re.UNICODE).strip("-_")
    return text[:60] or "workshop"


def safe_file_name(name: str) -> str:
    """An uploaded file's name without folders or odd characters, its suffix kept.

    >>> safe_file_name("../../C:\\\\Data/Eksport 2024 (endelig).xlsx")
    'eksport-2024-endelig.xlsx'
    """
    base = re.split(r"[\\/]", str(name))[-1]
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    suffix = re.sub(r"[^a-z0-9]", "", suffix.lower())
    return slug(stem) + (f".{suffix}" if suffix else "")


def answer_choices(theme: Theme) -> tuple[int | str, ...]:
    """What an answer label the importer did not know can be read as: a point of the theme's scale, or one of
    the answers beside it that the theme offers."""
    return (*(p.value for p in theme.scale.points), *theme.scale.offered_off_scale)


def save_upload(data: bytes, name: str, folder: Path | None = None) -> Path:
    """Keep an uploaded export (``data``, its file name ``name``) in ``folder`` (default: the workshops folder's
    ``_uploads``); returns its path. Only export formats up to :data:`~dol_toolkit.uploads.UPLOAD_LIMIT_BYTES`
    are accepted (PrepareError otherwise)."""
    file_name = safe_file_name(name)
    if not file_name.endswith(EXPORT_SUFFIXES):
        raise PrepareError("bad_file_type", name=name, types=", ".join(EXPORT_SUFFIXES))
    if not data:
        raise PrepareError("empty_file", name=name)
    if len(data) > UPLOAD_LIMIT_BYTES:  # the page refuses it before sending; this is for one that came anyway
        raise PrepareError("upload_size.too_big", name=name, size=size_text(len(data)),
                           limit=size_text(UPLOAD_LIMIT_BYTES))  # Danish numbers, as PrepareError's str()
    folder = folder or workshops_dir() / UPLOADS
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / file_name
    path.write_bytes(bytes(data))
    return path


# -- the facilitator's mapping ----------------------------------------------------------------------------------
@dataclass
class Choices:
    """What the facilitator mapped, in the terms of a mapping file (see :mod:`dol_toolkit.survey.mapping`):
    ``columns`` field -> header, ``items`` item id -> header, ``answers`` label -> 1-5 | "dont_know" |
    "prefer_not", ``roles`` label -> employee | self | manager, the completion status (``status_column`` and
    its ``status_completed`` values, or ``status_use = False`` to count every row), ``leaders`` alias -> name."""

    columns: dict[str, str] = field(default_factory=dict)
    items: dict[str, str] = field(default_factory=dict)
    answers: dict[str, int | str] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    status_column: str | None = None
    status_completed: list[str] = field(default_factory=list)
    status_use: bool = True
    leaders: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The mapping as a mapping file's tables; only what was chosen."""
        out: dict[str, Any] = {}
        columns: dict[str, Any] = {k: v for k, v in self.columns.items() if k in FIELDS and v}
        items = {k: v for k, v in self.items.items() if v}
        if items:
            columns["items"] = items
        if columns:
            out["columns"] = columns
        for name in ("roles", "answers", "leaders"):
            table = {k: v for k, v in getattr(self, name).items() if k and v not in ("", None)}
            if table:
                out[name] = table
        if not self.status_use:
            out["status"] = {"use": False}
        elif self.status_column:
            out["status"] = {"column": self.status_column, "completed": list(self.status_completed)}
        return out

    def is_empty(self) -> bool:
        return not self.as_dict()

    def mapping(self) -> Mapping:
        """The choices as the importer's Mapping (SurveyImportError if they contradict each other)."""
        return as_mapping(self.as_dict())

    def toml(self, source: str = "") -> str:
        """The choices as a mapping file that :func:`dol_toolkit.survey.load_mapping` reads."""
        head = f"# Import mapping{f' for {source}' if source else ''}, made in the preparation app on " \
               f"{date.today().isoformat()}.\n# Use it with: dol validate FILE --mapping THIS_FILE\n\n"
        return head + tomli_w.dumps(self.as_dict())


@dataclass
class Inspection:
    """An export as the importer read it with the facilitator's choices.

    ``result`` is the import (None when the file cannot be imported yet: ``error`` says why); ``headers`` the
    export's column headers; ``fields`` and ``items`` the columns used (recognised or mapped);
    ``unknown_answers`` and ``unknown_roles`` the labels left out as not understood (to map); ``leaders`` the
    leaders found."""

    path: Path
    headers: list[str]
    fields: dict[str, str]
    items: dict[str, str]
    result: ImportResult | None = None
    error: SurveyImportError | None = None
    unknown_answers: list[str] = field(default_factory=list)
    unknown_roles: list[str] = field(default_factory=list)
    leaders: list[str] = field(default_factory=list)
    status_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.result is not None and self.result.report.usable


def inspect_export(path: str | Path, choices: Choices | None = None, theme: Theme | None = None) -> Inspection:
    """Import ``path`` with ``choices`` and say what is recognised and what is left to map. A file that cannot
    be imported at all comes back with ``error`` set (and whatever headers could be read), never raised;
    choices that contradict each other raise SurveyImportError ("bad_mapping")."""
    theme = theme or load_theme()
    path = Path(path)
    mapping = (choices or Choices()).mapping()
    headers: list[str] = []
    fields: dict[str, str] = {}
    items: dict[str, str] = {}
    try:
        raw = read_raw(path, sheet=mapping.file.sheet)
        rec = recognise(raw, mapping, theme, str(path))
        headers = [n for n in rec.names if n]
        fields = {f: rec.names[j] for f, j in rec.fields.items()}
        items = {i: rec.names[j] for i, j in rec.items.items()}
    except SurveyImportError as exc:
        return Inspection(path=path, headers=headers, fields=fields, items=items, error=exc)
    try:
        result = read_export(path, mapping, theme=theme)
    except SurveyImportError as exc:
        return Inspection(path=path, headers=headers, fields=fields, items=items, error=exc)
    report = result.report
    unknown_answers = list(dict.fromkeys(p.value for p in report.problems
                                         if p.code in ANSWER_PROBLEMS and p.value))
    unknown_roles = list(dict.fromkeys(p.value for p in report.problems if p.code in ROLE_PROBLEMS and p.value))
    leaders = sorted(str(x) for x in result.responses["leader_id"].astype(object).unique())
    status = list(report.status["columns"]) if report.status else []
    return Inspection(path=path, headers=headers, fields=dict(report.columns), items=dict(report.item_columns),
                      result=result, unknown_answers=unknown_answers, unknown_roles=unknown_roles,
                      leaders=leaders, status_columns=status)


# -- the workshop -----------------------------------------------------------------------------------------------
@dataclass
class WorkshopPlan:
    """What the facilitator chose: the workshop's name, its group of leaders, the export (an uploaded file) and
    its mapping, and the workshop's facts."""

    name: str
    leaders: list[str]
    data_file: Path
    choices: Choices = field(default_factory=Choices)
    language: Lang = "da"
    min_n: int = 5
    organisation: str = ""
    facilitator: str = ""
    day: date | None = None
    participants: int | None = None

    def check(self) -> None:
        """PrepareError for what cannot be saved."""
        if not self.name.strip():
            raise PrepareError("no_name")
        if not self.leaders:
            raise PrepareError("no_leaders")
        if self.min_n < 5:
            raise PrepareError("min_n_low", min_n=self.min_n)
        if self.participants is not None and not 1 <= self.participants <= MAX_PARTICIPANTS:
            raise PrepareError("participants_range", most=MAX_PARTICIPANTS)
        if not Path(self.data_file).is_file():
            raise PrepareError("no_data")


@dataclass(frozen=True)
class SavedWorkshop:
    """A saved workshop: its folder, configuration, copied export, mapping file (or None), and the leaders'
    personal codes in clear (shown once, on the code sheet; only their hashes are in the configuration)."""

    folder: Path
    config_path: Path
    data_file: Path
    mapping_file: Path | None
    codes: dict[str, str]

    @property
    def config(self) -> WorkshopConfig:
        return load_config(self.config_path)


def config_toml(plan: WorkshopPlan, data_name: str, mapping_name: str) -> str:
    """The configuration file's text (paths relative to it), as ``workshop/eksempel.toml`` is written."""
    workshop: dict[str, Any] = {"name": plan.name.strip(), "language": plan.language, "min_n": plan.min_n}
    if plan.organisation.strip():
        workshop["organisation"] = plan.organisation.strip()
    if plan.facilitator.strip():
        workshop["facilitator"] = plan.facilitator.strip()
    if plan.day is not None:
        workshop["date"] = plan.day
    tables: dict[str, Any] = {
        "workshop": workshop,
        "data": {"file": data_name, "mapping": mapping_name},
        "group": {"leaders": list(plan.leaders)},
        "notes": {"database": NOTES_FILE},
    }
    if plan.participants is not None:
        tables["room"] = {"participants": plan.participants}
    head = (f"# Workshop configuration made in the preparation app (0 Forberedelse) on {date.today().isoformat()}.\n"
            "# Serve it with: dol serve THIS_FILE   (paths are relative to this file)\n\n")
    return head + tomli_w.dumps(tables)


def save_workshop(plan: WorkshopPlan, folder: Path | None = None) -> SavedWorkshop:
    """Write the workshop's folder (default: the workshops folder's ``<slug of the name>``): the export, the
    mapping, the configuration ``<slug>.toml`` and new personal codes for every leader of the group. Checks
    what ``dol codes`` checks: the configuration loads and every leader of the group is in the data.

    Saving again (the same name) writes the files again with new codes: earlier code sheets stop working; the
    notes database of the folder is kept."""
    from dol_toolkit.stats.workshop_data import load_workshop_data

    plan.check()
    name = slug(plan.name)
    folder = Path(folder) if folder is not None else workshops_dir() / name
    folder.mkdir(parents=True, exist_ok=True)
    source = Path(plan.data_file)
    data_file = folder / source.name
    if source.resolve() != data_file.resolve():
        shutil.copyfile(source, data_file)
    mapping_file: Path | None = None
    if not plan.choices.is_empty():
        plan.choices.mapping()  # contradicting choices are said before anything is written
        mapping_file = folder / MAPPING_FILE
        mapping_file.write_text(plan.choices.toml(source.name), encoding="utf-8")
    elif (folder / MAPPING_FILE).exists():
        (folder / MAPPING_FILE).unlink()  # an earlier save's mapping must not apply to this one
    config_path = folder / f"{name}.toml"
    config_path.write_text(config_toml(plan, data_file.name, mapping_file.name if mapping_file else ""),
                           encoding="utf-8")
    config = load_config(config_path)
    try:
        load_workshop_data(config)
    except ConfigError as exc:
        raise PrepareError("leaders_missing", detail=exc) from None  # the detail in the page's language
    codes = write_codes(config_path)
    return SavedWorkshop(folder=folder, config_path=config_path, data_file=data_file, mapping_file=mapping_file,
                         codes=codes)


# -- the code sheet ---------------------------------------------------------------------------------------------
# The slips: a dashed frame to cut along, the code large and in a typewriter face (0/O and 1/I are not used).
SLIP_CSS = """
section[data-section^="slip:"] { border: 1.5pt dashed #555; padding: 4mm 6mm 3mm; margin: 0 0 7mm;
  break-inside: avoid; page-break-inside: avoid; }
section[data-section^="slip:"] h2 { border: none; margin: 0 0 1mm; font-size: 15pt; }
section[data-section^="slip:"] p { margin: 1mm 0; }
section[data-section^="slip:"] p.dol-code-text { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace;
  font-size: 20pt; font-weight: bold; letter-spacing: 0.12em; color: #0b3d62; }
"""


def code_sheet(config: WorkshopConfig, codes: dict[str, str], address: str, lang: Lang = "da",
               theme: Theme | None = None) -> Document:
    """The code sheet: one slip per leader (in the group's order) with the leader's name, their code, the
    address to open and where to type the code; marked confidential."""
    theme = theme or load_theme(config.theme)
    day = config.day or date.today()
    sections = []
    for k, leader in enumerate(x for x in config.leaders if x in codes):
        blocks = (
            Paragraph(t("prep.slip_code_label", lang)),
            Paragraph(codes[leader], "read"),
            Paragraph(t("prep.slip_open", lang, address=address)),
            Paragraph(t("prep.slip_how", lang), "muted"),
            Paragraph(f"{theme.title(lang)} · {config.name} · {long_date(day, lang)}", "muted"),
        )
        sections.append(Section(leader, 1, blocks, key=f"slip:{k + 1}"))
    facts = [(t("prep.fact_workshop", lang), config.name), (t("prep.fact_date", lang), long_date(day, lang))]
    if config.facilitator:
        facts.append((t("prep.fact_facilitator", lang), config.facilitator))
    return Document(
        title=t("prep.sheet_title", lang), kicker=theme.title(lang), group=config.name, day=day,
        date_text=long_date(day, lang), lang=lang, leader=None, intro=t("prep.sheet_intro", lang),
        footer=f"{config.name} · {long_date(day, lang)}", sections=tuple(sections), facts=tuple(facts),
        confidential=True, kind="handout",
    )


def code_sheet_html(document: Document) -> str:
    """The code sheet as a standalone page (the documents' HTML, with the slips' frames and large codes)."""
    from dol_toolkit.export._html import render_html

    page = render_html(document).replace("</style>", SLIP_CSS + "</style>", 1)
    # the code's paragraph: shown large (it is the slip's only "read" paragraph)
    return page.replace('<p class="dol-read">', '<p class="dol-read dol-code-text">')


def code_sheet_pdf(document: Document) -> bytes:
    """The code sheet as PDF (A4) through WeasyPrint, as the other documents (PdfUnavailable if it cannot)."""
    import logging

    from dol_toolkit.export._pdf import weasyprint_module

    weasyprint = weasyprint_module()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    data = weasyprint.HTML(string=code_sheet_html(document), base_url=None).write_pdf(  # type: ignore[attr-defined]
        pdf_identifier=None)
    if not isinstance(data, bytes):  # pragma: no cover - write_pdf without a target returns bytes
        raise PrepareError("no_pdf", detail="WeasyPrint returned no PDF")
    return data


# -- starting the workshop --------------------------------------------------------------------------------------
def restart_url() -> str:
    """The address of the server's restart request, seen from a page's kernel (Voila gives its port)."""
    return from_server().local_url("dol/restart")


def request_start(config_path: Path, timeout: float = 30) -> None:
    """Ask the workshop server this kernel runs under to serve ``config_path`` (it restarts on it, at the same
    address). Needs the server's restart secret, which only its kernels have (PrepareError otherwise)."""
    secret = from_server().restart_secret
    if not secret:
        raise PrepareError("no_restart")
    body = json.dumps({"config": str(Path(config_path).resolve())}).encode()
    request = urllib.request.Request(restart_url(), data=body, method="POST",
                                     headers={"Content-Type": "application/json", "X-Dol-Restart": secret})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace")[:300]
        raise PrepareError("restart_refused", detail=detail or str(exc.code)) from None
    except OSError as exc:
        raise PrepareError("restart_refused", detail=str(exc)) from None
