"""The workshop summary: the theme, the group's charts, the notes per reflection question and case, the action
plan, the date and the group, as Markdown, HTML or DOCX.

:func:`build_summary` gathers everything into a :class:`Summary`, a plain structure of sections (heading and
level 1-3) holding blocks: paragraphs, charts (PNG bytes with alternative text and one sentence on how to read
them), notes, tables and lists. The writers (:func:`write_markdown`, :func:`write_html`, :func:`write_docx`)
only lay that structure out, so the three formats say the same thing.

What may be shown is decided here, once:

* anonymity is the statistics layer's: a suppressed figure carries no number, and where every employee figure of
  a chart is suppressed the summary has the plain sentence saying why instead of the chart;
* the group's summary holds the group's notes only. A leader's own summary (``leader=...``) adds that leader's
  private notes and a section with their own results, and nothing of any other leader;
* notes are text: whatever a note holds (HTML, a script, Markdown) is shown literally in every format.

:func:`export_summary` writes a file; :func:`summary_bytes` gives the bytes, a file name and the MIME type for a
download button.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

import pandas as pd
from matplotlib.axes import Axes

from dol_toolkit.export._text import iso_or_text, long_date, text
from dol_toolkit.i18n import Lang, t
from dol_toolkit.notes import open_store
from dol_toolkit.notes.topics import (
    PLAN_ACTIONS,
    PLAN_FOCUS,
    PLAN_FOLLOW_UP,
    ActionPlan,
    case_topic,
    load_plan,
    reflection_topic,
)
from dol_toolkit.plots import change_bars, gap_dots, likert_bars, mean_marks
from dol_toolkit.plots._format import format_decimal, format_percent, format_signed
from dol_toolkit.plots.geometry import agreement_share
from dol_toolkit.stats import AnonymityPolicy, Selection, describe_selection
from dol_toolkit.stats.compare import compare_to_organisation, compare_waves
from dol_toolkit.stats.gaps import group_gap_distribution, largest_gaps, leader_gaps
from dol_toolkit.stats.workshop_data import load_workshop_data
from dol_toolkit.themes import Theme
from dol_toolkit.workshop import WorkshopConfig

FORMATS = ("docx", "html", "md")
FORMAT_ALIASES = {"docx": "docx", "word": "docx", "html": "html", "htm": "html", "md": "md", "markdown": "md"}
MIME = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
}
DPI = 100
# Characters XML (DOCX) and HTML cannot hold; a note keeps its place for them with U+FFFD.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


class ExportError(ValueError):
    """An export that cannot be made as asked (unknown leader, format or language); the message says why."""


# -- the summary as data ---------------------------------------------------------------------------------------
ParagraphStyle = Literal["body", "intro", "notice", "read", "muted"]


@dataclass(frozen=True)
class Paragraph:
    """Plain text. ``notice``: a sentence that stands in for a result (suppression); ``read``: how to read what
    is above; ``intro``: the theme's own words; ``muted``: "no notes"."""

    text: str
    style: ParagraphStyle = "body"


@dataclass(frozen=True)
class Chart:
    png: bytes
    alt: str
    how_to_read: str
    key: str  # likert, org, change, gaps, my_likert, means


@dataclass(frozen=True)
class NoteText:
    """A note as its writer typed it: shown literally, line breaks kept."""

    text: str
    private: bool = False
    topic: str = ""


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    key: str = ""
    numeric: tuple[bool, ...] = ()  # per column: right-aligned numbers


@dataclass(frozen=True)
class BulletList:
    items: tuple[str, ...]


Block = Paragraph | Chart | NoteText | Table | BulletList


@dataclass(frozen=True)
class Section:
    heading: str
    level: int  # 1-3
    blocks: tuple[Block, ...] = ()
    key: str = ""  # what it is: about, group_results, personal, reflection:<id>, case:<id>, plan, ...


@dataclass(frozen=True)
class Summary:
    title: str  # the theme's title
    kicker: str  # "Opsamling fra workshoppen"
    group: str
    day: date
    date_text: str
    lang: Lang
    leader: str | None
    intro: str
    footer: str
    sections: tuple[Section, ...] = field(default_factory=tuple)

    @property
    def charts(self) -> list[Chart]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Chart)]

    @property
    def notes(self) -> list[NoteText]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, NoteText)]

    def section(self, key: str) -> Section:
        for s in self.sections:
            if s.key == key:
                return s
        raise KeyError(f"no section {key!r}")


# -- building it -------------------------------------------------------------------------------------------------
def check_lang(lang: object) -> Lang:
    if lang == "da":
        return "da"
    if lang == "en":
        return "en"
    raise ExportError(f"unknown language {lang!r}: use da (Danish) or en (English)")


def check_format(fmt: object) -> str:
    chosen = FORMAT_ALIASES.get(str(fmt).strip().lower().lstrip("."))
    if chosen is None:
        raise ExportError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    return chosen


def check_leader(config: WorkshopConfig, leader: str | None) -> str | None:
    if leader is None:
        return None
    name = leader.strip()
    if name not in config.leaders:
        raise ExportError(f"{leader!r} is not a leader of the group in {config.path}; the group's leaders are in "
                          "group.leaders")
    return name


def workshop_id(config: WorkshopConfig) -> str:
    """The workshop's id in the note store (``dol_toolkit.workshop.workshop_id`` when that exists)."""
    from dol_toolkit import workshop

    found = getattr(workshop, "workshop_id", None)
    if callable(found):
        return str(found(config))
    return config.name


def clean(value: str) -> str:
    """Text that every format can hold: Windows line ends as ``\\n``; control characters as U+FFFD."""
    return _CONTROL.sub("\ufffd", str(value).replace("\r\n", "\n").replace("\r", "\n"))


@dataclass(frozen=True)
class _Notes:
    group: dict[str, str]
    private: dict[str, str]
    plan: ActionPlan


def _read_notes(config: WorkshopConfig, leader: str | None) -> _Notes:
    """The group's notes, the leader's private notes (only theirs) and the plan. A notes database that does not
    exist yet means no notes: the export does not create one."""
    if not config.notes_database.exists():
        return _Notes({}, {}, ActionPlan())
    store = open_store(config.notes_database)
    try:
        wid = workshop_id(config)
        group = {n.key.topic: n.text for n in store.notes(wid, scope="group") if n.key.scope == "group"}
        private: dict[str, str] = {}
        if leader is not None:
            private = {n.key.topic: n.text for n in store.notes(wid, scope="private", owner=leader)
                       if n.key.scope == "private" and n.key.owner == leader}
        plan = load_plan(store, wid)
    finally:
        store.close()
    return _Notes(group, private, plan)


def _chart(ax: Axes, alt: str, how_to_read: str, key: str) -> Chart:
    figure = ax.get_figure(root=True)
    if figure is None:
        raise ValueError("the chart has no figure")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return Chart(buffer.getvalue(), alt, how_to_read, key)


def _item_label(theme: Theme, item_id: str, lang: Lang) -> str:
    if item_id == "index":
        return t("results.index", lang)
    try:
        return theme.item(item_id).short(lang)
    except KeyError:
        return text("unknown_item", lang, item=item_id)


@dataclass(frozen=True)
class _Context:
    config: WorkshopConfig
    theme: Theme
    responses: pd.DataFrame
    policy: AnonymityPolicy
    group: Selection
    waves: list[str]
    wave: str | None
    lang: Lang


def _about(c: _Context) -> list[Section]:
    lang, theme = c.lang, c.theme
    items = tuple(f"{i.short(lang)}: {i.wording.employee(lang)}" for i in theme.items)
    return [
        Section(text("about", lang), 1, (Paragraph(theme.what_is_it(lang), "intro"),), key="about"),
        Section(text("items_heading", lang), 2, (BulletList(items),), key="items"),
    ]


def _group_results(c: _Context) -> list[Section]:
    lang, policy, wave = c.lang, c.policy, c.wave
    sections = [Section(text("group_results", lang), 1, (
        Paragraph(text("round", lang, wave=wave or "-", min_n=policy.min_n), "read"),), key="group_results")]
    described = describe_selection(c.responses, c.group, policy, item_ids=c.theme.item_ids)
    employee = described[(described["role"] == "employee") & (described["wave"].astype(str) == str(wave))]
    suppressed = bool(employee["suppressed"].all())
    if suppressed:
        sections.append(Section(t("results.employees", lang), 2, (
            Paragraph(t("results.suppressed_group", lang, min_n=policy.min_n), "notice"),), key="employees"))
    else:
        blocks: list[Block] = [_chart(likert_bars(described, wave=wave, lang=lang, theme=c.theme),
                                      t("results.employees_alt", lang), t("results.read_likert", lang), "likert")]
        left_out = int(employee["leaders_left_out"].max()) if len(employee) else 0
        if left_out:
            blocks.append(Paragraph(t("results.left_out", lang, count=left_out, min_n=policy.min_n), "notice"))
        sections.append(Section(t("results.employees", lang), 2, tuple(blocks), key="employees"))
        sections.append(Section(t("results.vs_org", lang), 2, (
            _org_table(c), Paragraph(t("results.read_org", lang), "read")), key="vs_org"))
    if len(c.waves) >= 2 and str(wave) == c.waves[-1]:
        earlier, later = c.waves[-2], c.waves[-1]
        change = compare_waves(c.responses, c.group, policy, earlier=earlier, later=later)
        heading = t("results.change", lang, earlier=earlier, later=later)
        if change.empty or change["suppressed"].all():
            block: Block = Paragraph(text("change_suppressed", lang, min_n=policy.min_n), "notice")
        else:
            block = _chart(change_bars(change, lang=lang), t("results.change_alt", lang),
                           t("results.read_change", lang), "change")
        sections.append(Section(heading, 2, (block,), key="change"))
    gaps = leader_gaps(c.responses, policy, leaders=list(c.config.leaders))
    spread = group_gap_distribution(gaps, list(c.config.leaders), policy)
    mine = spread[spread["wave"].astype(str) == str(wave)] if len(spread) else spread
    if mine.empty or mine["suppressed"].all():
        block = Paragraph(text("gaps_suppressed", lang, min_n=policy.min_n), "notice")
    else:
        block = _chart(gap_dots(spread, wave=wave, lang=lang), t("results.gaps_alt", lang),
                       t("results.read_gaps", lang), "gaps")
    sections.append(Section(t("results.gaps", lang), 2, (block,), key="gaps"))
    return sections


def _org_table(c: _Context) -> Table:
    lang = c.lang
    cmp = compare_to_organisation(c.responses, c.group, c.policy, waves=[str(c.wave)])
    rows = []
    for row in cmp.to_dict("records"):
        label = _item_label(c.theme, str(row["item_id"]), lang)
        if row["suppressed"]:
            hidden = t("results.hidden", lang)
            rows.append((label, hidden, "", ""))
        else:
            rows.append((label, format_decimal(float(row["selection_mean"]), lang),
                         format_decimal(float(row["organisation_mean"]), lang),
                         format_signed(float(row["difference"]), lang)))
    header = tuple(t(k, lang) for k in ("results.item", "results.group_mean", "results.org_mean",
                                         "results.difference"))
    return Table(header, tuple(rows), key="vs_org", numeric=(False, True, True, True))


def _personal(c: _Context, leader: str) -> list[Section]:
    """The leader's own results: their employees (or why not), the three views, their gaps. Only theirs."""
    lang, policy, wave = c.lang, c.policy, c.wave
    top = Section(t("results.title_personal", lang, leader=leader), 1, key="personal")
    described = describe_selection(c.responses, Selection.leader(leader), policy, item_ids=c.theme.item_ids)
    mine = described[described["wave"].astype(str) == str(wave)]
    answers = c.responses[(c.responses["leader_id"].astype(str) == leader).to_numpy()
                          & (c.responses["wave"].astype(str) == str(wave)).to_numpy()]
    if mine.empty or answers.empty:
        return [Section(top.heading, 1, (Paragraph(t("results.no_data_wave", lang, wave=wave), "notice"),),
                        key="personal")]
    sections = [top]
    employees = mine[mine["role"] == "employee"]
    if employees["suppressed"].all():
        block: Block = Paragraph(t("results.suppressed_personal", lang, min_n=policy.min_n), "notice")
    else:
        block = _chart(likert_bars(described, wave=wave, lang=lang, theme=c.theme),
                       t("results.employees_alt", lang), t("results.read_likert", lang), "my_likert")
    sections.append(Section(t("results.your_employees", lang), 2, (block,), key="my_employees"))
    if employees["suppressed"].all():
        # The chart of the three views has nothing to draw without the employees: their own and their
        # leader's answers as a table, as the sentence above promises.
        sections.append(Section(text("self_and_manager", lang), 2, (_own_answers(c, mine),), key="three_views"))
    else:
        sections.append(Section(t("results.three_views", lang), 2, (
            _chart(mean_marks(described, wave=wave, lang=lang, theme=c.theme), t("results.means_alt", lang),
                   t("results.read_means", lang), "means"),), key="three_views"))
    sections.extend(_my_gaps(c, leader))
    return sections


def _own_answer(rows: pd.DataFrame, lang: Lang) -> str:
    """One answer of the leader or their own leader: the scale value, or what they answered off the scale."""
    if rows.empty:
        return text("no_answer", lang)
    row = rows.iloc[0]
    if pd.notna(row["mean"]):
        return format_decimal(float(row["mean"]), lang, 0 if float(row["mean"]).is_integer() else 1)
    for category in ("dont_know", "prefer_not"):
        if pd.notna(row[f"count_{category}"]) and float(row[f"count_{category}"]) > 0:
            return t(f"answers.{category}", lang)
    return text("no_answer", lang)


def _own_answers(c: _Context, mine: pd.DataFrame) -> Table:
    lang = c.lang
    rows = []
    for item in c.theme.items:
        of_item = mine[mine["item_id"].astype(str) == item.id]
        rows.append((item.short(lang), _own_answer(of_item[of_item["role"] == "self"], lang),
                     _own_answer(of_item[of_item["role"] == "manager"], lang)))
    header = (text("col_item", lang), text("col_self", lang), text("col_manager", lang))
    return Table(header, tuple(rows), key="own_answers", numeric=(False, True, True))


def _my_gaps(c: _Context, leader: str) -> list[Section]:
    lang, wave = c.lang, c.wave
    gaps = leader_gaps(c.responses, c.policy, leaders=[leader])
    mine = gaps[(gaps["leader_id"].astype(str) == leader) & (gaps["wave"].astype(str) == str(wave))]
    heading = t("results.your_gaps", lang)
    if mine.empty or mine["gap_self"].isna().all():
        return [Section(heading, 2, (Paragraph(t("results.no_gaps", lang, min_n=c.policy.min_n), "notice"),),
                        key="my_gaps")]
    top = largest_gaps(gaps, leader, wave, k=2)

    def items(frame: pd.DataFrame) -> BulletList:
        if frame.empty:
            return BulletList((t("results.none", lang),))
        return BulletList(tuple(f"{_item_label(c.theme, str(r['item_id']), lang)}: "
                                f"{format_signed(float(r['gap_self']), lang)}" for r in frame.to_dict("records")))

    blind = mine[mine["class_self"] == "blind_spot"].sort_values("gap_self", ascending=False)
    hidden = mine[mine["class_self"] == "hidden_strength"].sort_values("gap_self")
    return [
        Section(heading, 2, (Paragraph(t("results.read_gaps_personal", lang), "read"),), key="my_gaps"),
        Section(t("results.largest_positive", lang), 3, (items(top["positive"]),), key="my_gaps_positive"),
        Section(t("results.largest_negative", lang), 3, (items(top["negative"]),), key="my_gaps_negative"),
        Section(t("results.blind_spots", lang), 3, (items(blind),), key="my_blind_spots"),
        Section(t("results.hidden_strengths", lang), 3, (items(hidden),), key="my_hidden_strengths"),
    ]


def _note_sections(topic: str, notes: _Notes, leader: str | None, lang: Lang) -> list[Section]:
    group_text = clean(notes.group.get(topic, ""))
    group_block: Block = NoteText(group_text, topic=topic) if group_text.strip() else \
        Paragraph(text("no_notes", lang), "muted")
    out = [Section(text("group_notes", lang), 3, (group_block,), key=f"notes:{topic}")]
    if leader is not None:
        private_text = clean(notes.private.get(topic, ""))
        private_block: Block = NoteText(private_text, private=True, topic=topic) if private_text.strip() else \
            Paragraph(text("no_notes", lang), "muted")
        out.append(Section(text("private_notes", lang), 3, (private_block,), key=f"private:{topic}"))
    return out


def _reflection(c: _Context, notes: _Notes, leader: str | None) -> list[Section]:
    lang = c.lang
    sections = [Section(text("reflection", lang), 1, key="reflection")]
    for q in c.theme.reflection_questions:
        topic = reflection_topic(q.id)
        sections.append(Section(q.title(lang), 2, (BulletList(tuple(s.text(lang) for s in q.sub_questions)),),
                                key=topic))
        sections.extend(_note_sections(topic, notes, leader, lang))
    return sections


def _cases(c: _Context, notes: _Notes, leader: str | None) -> list[Section]:
    lang = c.lang
    sections = [Section(text("cases", lang), 1, key="cases")]
    for case in c.theme.cases:
        topic = case_topic(case.id)
        sections.append(Section(case.title(lang), 2, (
            Paragraph(case.text(lang), "intro"),
            Paragraph(text("case_prompts", lang) + ":", "body"),
            BulletList(tuple(p.text(lang) for p in case.prompts)),
        ), key=topic))
        sections.extend(_note_sections(topic, notes, leader, lang))
    return sections


def _other_notes(c: _Context, notes: _Notes, leader: str | None) -> list[Section]:
    """Notes on topics the theme no longer has (a renamed question): kept, under their topic, not lost."""
    known = {reflection_topic(q.id) for q in c.theme.reflection_questions} | \
        {case_topic(x.id) for x in c.theme.cases} | {PLAN_FOCUS, PLAN_ACTIONS, PLAN_FOLLOW_UP}
    topics = sorted({tp for tp, v in notes.group.items() if v.strip() and tp not in known and
                     not tp.startswith("plan:")} |
                    {tp for tp, v in notes.private.items() if v.strip() and tp not in known and
                     not tp.startswith("plan:")})
    if not topics:
        return []
    sections = [Section(text("other_notes", c.lang), 1, key="other_notes")]
    for topic in topics:
        sections.append(Section(topic, 2, key=f"other:{topic}"))
        sections.extend(_note_sections(topic, notes, leader, c.lang))
    return sections


def _plan(c: _Context, plan: ActionPlan) -> list[Section]:
    lang = c.lang
    sections = [Section(text("plan", lang), 1, key="plan")]
    if plan.focus:
        described = describe_selection(c.responses, c.group, c.policy, item_ids=c.theme.item_ids)
        employee = described[(described["role"] == "employee") & (described["wave"].astype(str) == str(c.wave))]
        by_item = {str(r["item_id"]): r for r in employee.to_dict("records")}
        rows = []
        for item_id in plan.focus:
            label = _item_label(c.theme, item_id, lang)
            row = by_item.get(item_id)
            if row is None or row["suppressed"] or pd.isna(row["mean"]):
                rows.append((label, t("results.hidden", lang), ""))
                continue
            counts = {k: float(row[f"count_{k}"]) for k in ("1", "2", "3", "4", "5")}
            share = agreement_share(counts)
            rows.append((label, format_decimal(float(row["mean"]), lang),
                         format_percent(share, lang) if share is not None else ""))
        header = (text("col_item", lang), text("col_mean", lang), text("col_agree", lang))
        focus_blocks: tuple[Block, ...] = (Table(header, tuple(rows), key="focus", numeric=(False, True, True)),
                                           Paragraph(text("focus_read", lang), "read"))
    else:
        focus_blocks = (Paragraph(text("focus_none", lang), "muted"),)
    sections.append(Section(text("focus", lang), 2, focus_blocks, key="focus"))
    if plan.actions:
        action_header = (text("col_what", lang), text("col_who", lang), text("col_when", lang),
                         text("col_for", lang))
        action_rows = tuple((clean(a.what), clean(a.who), iso_or_text(clean(a.by_when), lang),
                             _item_label(c.theme, a.item_id, lang) if a.item_id else "") for a in plan.actions)
        action_block: Block = Table(action_header, action_rows, key="actions")
    else:
        action_block = Paragraph(text("actions_none", lang), "muted")
    sections.append(Section(text("actions", lang), 2, (action_block,), key="actions"))
    follow = clean(plan.follow_up).strip()
    follow_block = Paragraph(text("follow_up_on", lang, date=iso_or_text(follow, lang))) if follow else \
        Paragraph(text("follow_up_none", lang), "muted")
    sections.append(Section(text("follow_up", lang), 2, (follow_block,), key="follow_up"))
    return sections


def build_summary(config: WorkshopConfig, *, leader: str | None = None, lang: str = "da",
                  when: date | None = None, theme: Theme | None = None) -> Summary:
    """The workshop's summary: for the group (``leader=None``) or for one leader of the group, who also gets
    their private notes and their own results. Raises :class:`ExportError` for a leader not in the group or an
    unknown language, ``ConfigError`` when the group's leaders are not in the data."""
    language = check_lang(lang)
    leader = check_leader(config, leader)
    data = load_workshop_data(config, theme)
    context = _Context(config=config, theme=data.theme, responses=data.responses, policy=data.policy,
                       group=data.group, waves=data.waves, wave=data.latest_wave, lang=language)
    notes = _read_notes(config, leader)
    day = when or date.today()
    date_text = long_date(day, language)
    sections = [*_about(context), *_group_results(context)]
    if leader is not None:
        sections += _personal(context, leader)
    sections += [*_reflection(context, notes, leader), *_cases(context, notes, leader),
                 *_other_notes(context, notes, leader), *_plan(context, notes.plan)]
    return Summary(
        title=data.theme.title(language),
        kicker=text("kicker_personal" if leader else "kicker", language),
        group=config.name, day=day, date_text=date_text, lang=language, leader=leader,
        intro=text("personal_intro" if leader else "group_intro", language),
        footer=text("footer_personal", language, leader=leader, date=date_text) if leader else
        text("footer", language, group=config.name, date=date_text),
        sections=tuple(sections),
    )


# -- writing it --------------------------------------------------------------------------------------------------
def write_markdown(summary: Summary, path: str | Path, *, images: Literal["inline", "files"] = "files") -> Path:
    """Markdown, one file. ``images="files"``: the charts as PNG files in ``<stem>_files/`` beside it, linked
    relatively; ``"inline"``: embedded as data URIs so that the one file stands alone."""
    from dol_toolkit.export._markdown import render_markdown

    target = Path(path)
    folder = target.with_name(f"{target.stem}_files")
    if images == "files":
        folder.mkdir(parents=True, exist_ok=True)
        names = []
        for number, chart in enumerate(summary.charts, start=1):
            name = f"{number:02d}-{chart.key}.png"
            (folder / name).write_bytes(chart.png)
            names.append(f"{folder.name}/{name}")
        body = render_markdown(summary, image_links=names)
    else:
        body = render_markdown(summary)
    target.write_text(body, encoding="utf-8")
    return target


def write_html(summary: Summary, path: str | Path) -> Path:
    """One standalone HTML file (images as data URIs, no outside requests), ready to print."""
    from dol_toolkit.export._html import render_html

    target = Path(path)
    target.write_text(render_html(summary), encoding="utf-8")
    return target


def write_docx(summary: Summary, path: str | Path) -> Path:
    """A Word document (DOCX)."""
    from dol_toolkit.export._docx import docx_bytes

    target = Path(path)
    target.write_bytes(docx_bytes(summary))
    return target


def _slug(value: str) -> str:
    value = value.lower()
    for a, b in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("ß", "ss")):
        value = value.replace(a, b)
    value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", value).strip("-") or "workshop"


def file_name(summary: Summary, fmt: str) -> str:
    """``opsamling-ledergruppe-teknik-og-miljoe-2026-11-27.docx``; a leader's own adds their name."""
    stem = "opsamling" if summary.lang == "da" else "summary"
    parts = [stem, _slug(summary.group)]
    if summary.leader:
        parts.append(_slug(summary.leader))
    parts.append(summary.day.isoformat())
    return "-".join(parts) + f".{check_format(fmt)}"


def export_summary(config: WorkshopConfig, fmt: str, out: str | Path, *, leader: str | None = None,
                   lang: str = "da", when: date | None = None) -> Path:
    """Write the summary as ``fmt`` (docx, html, md) to ``out``: a file, or a folder (an existing one, or a path
    without a suffix) to put it in under its own name. Markdown's charts go into ``<stem>_files/`` beside it.
    Returns the file written."""
    chosen = check_format(fmt)
    summary = build_summary(config, leader=leader, lang=lang, when=when)
    target = Path(out)
    if target.is_dir() or not target.suffix:  # a folder ("out/", "out"): the file goes in under its own name
        target.mkdir(parents=True, exist_ok=True)
        target = target / file_name(summary, chosen)
    target.parent.mkdir(parents=True, exist_ok=True)
    if chosen == "docx":
        return write_docx(summary, target)
    if chosen == "html":
        return write_html(summary, target)
    return write_markdown(summary, target, images="files")


def summary_bytes(config: WorkshopConfig, fmt: str, *, leader: str | None = None, lang: str = "da",
                  when: date | None = None) -> tuple[bytes, str, str]:
    """The summary as one file's bytes, its file name and its MIME type (for a download button). Markdown
    embeds its charts as data URIs, so the one file stands alone."""
    chosen = check_format(fmt)
    summary = build_summary(config, leader=leader, lang=lang, when=when)
    if chosen == "docx":
        from dol_toolkit.export._docx import docx_bytes

        data = docx_bytes(summary)
    elif chosen == "html":
        from dol_toolkit.export._html import render_html

        data = render_html(summary).encode("utf-8")
    else:
        from dol_toolkit.export._markdown import render_markdown

        data = render_markdown(summary).encode("utf-8")
    return data, file_name(summary, chosen), MIME[chosen]


__all__ = [
    "FORMATS", "MIME", "Block", "BulletList", "Chart", "ExportError", "NoteText", "Paragraph", "Section",
    "Summary", "Table", "build_summary", "export_summary", "file_name", "summary_bytes", "workshop_id",
    "write_docx", "write_html", "write_markdown",
]
