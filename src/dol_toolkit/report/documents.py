"""The documents a facilitator hands out, as content: the workshop summary (the group's, or one leader's own),
the personal result sheets and the handouts.

Each builder returns a :class:`~dol_toolkit.report.model.Document`; :mod:`dol_toolkit.export` lays it out as
DOCX, HTML, Markdown or PDF. What may be shown is decided here, once:

* anonymity is the statistics layer's (see :mod:`dol_toolkit.report.results`);
* the group's summary holds the group's notes only. A leader's own summary (``leader=...``) and result sheet
  add that leader's own results (first), and the summary that leader's private notes: nothing of any other
  leader;
* notes are text: whatever a note holds (HTML, a script, Markdown) is shown literally in every format; lines
  typed as ``- `` are a list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dol_toolkit.errors import EnglishError
from dol_toolkit.i18n import Lang, UnknownLanguage, t
from dol_toolkit.i18n import check_lang as i18n_check_lang
from dol_toolkit.i18n.dates import iso_or_text, long_date
from dol_toolkit.notes import is_database_url, open_store
from dol_toolkit.notes.topics import (
    PLAN_ACTIONS,
    PLAN_FOCUS,
    PLAN_FOLLOW_UP,
    ActionPlan,
    case_topic,
    load_plan,
    reflection_topic,
)
from dol_toolkit.report.model import (
    Block,
    BulletList,
    Document,
    Medium,
    NoteText,
    Paragraph,
    Section,
    Table,
    WritingSpace,
)
from dol_toolkit.report.results import (
    agree_text,
    employee_respondents,
    group_sections,
    item_figures,
    item_label,
    left_out_count,
    own_answer_counts,
    personal_sections,
    round_phrase,
    threshold_text,
)
from dol_toolkit.stats.workshop_data import WorkshopData, load_workshop_data
from dol_toolkit.survey.readers import clean_text, strip_escapes
from dol_toolkit.themes import Theme, load_theme, theme_words
from dol_toolkit.workshop import WorkshopConfig, workshop_id

PAPER: Medium = "paper"
# Characters XML (DOCX) and HTML cannot hold; a note keeps its place for them with U+FFFD.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


class DocumentError(EnglishError, ValueError):
    """A document that cannot be made as asked (unknown leader or language); the message says why."""


def check_lang(lang: object) -> Lang:
    """:func:`dol_toolkit.i18n.check_lang`, its error a DocumentError (what the export's callers catch)."""
    try:
        return i18n_check_lang(lang)
    except UnknownLanguage as exc:
        raise DocumentError(str(exc)) from None


def check_leader(config: WorkshopConfig, leader: str | None) -> str | None:
    if leader is None:
        return None
    name = leader.strip()
    if name not in config.leaders:
        raise DocumentError(f"{leader!r} is not a leader of the group in {config.path}; the group's leaders are "
                            "in group.leaders")
    return name


def clean(value: str) -> str:
    """Text that every format can hold: Windows line ends as ``\\n``; terminal escape sequences taken out
    whole, other control characters as U+FFFD, then the invisible ones that reorder text or are C1 controls
    taken out (:func:`dol_toolkit.survey.readers.clean_text`)."""
    text = strip_escapes(str(value).replace("\r\n", "\n").replace("\r", "\n"))
    return clean_text(_CONTROL.sub("\ufffd", text))


@dataclass(frozen=True)
class Notes:
    group: dict[str, str]
    private: dict[str, str]
    plan: ActionPlan


def read_notes(config: WorkshopConfig, leader: str | None) -> Notes:
    """The group's notes, the leader's private notes (only theirs) and the plan. A notes database that does not
    exist yet means no notes: the export does not create one."""
    if not is_database_url(config.notes_database) and not Path(config.notes_database).exists():
        return Notes({}, {}, ActionPlan())
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
    return Notes(group, private, plan)


# -- pieces ---------------------------------------------------------------------------------------------------------
def _day(config: WorkshopConfig, when: date | None) -> tuple[date, bool]:
    """The document's date and whether it is the workshop's (else the day it is printed)."""
    if config.day is not None:
        return config.day, True
    return when or date.today(), False


def _facts(d: WorkshopData, lang: Lang, day: date, is_workshop_day: bool, leader: str | None = None,
           responses: bool = True) -> tuple[tuple[str, str], ...]:
    config = d.config
    not_given = t("doc.not_given", lang)
    facts: list[tuple[str, str]] = []
    if leader:
        facts.append((t("doc.for_leader", lang, leader="").strip(), leader))
    facts += [
        (t("doc.meta_organisation", lang), config.organisation or not_given),
        (t("doc.meta_group", lang), config.name),
        (t("doc.meta_date" if is_workshop_day else "doc.meta_printed", lang), long_date(day, lang)),
        (t("doc.meta_facilitator", lang), config.facilitator or not_given),
    ]
    if leader is None:
        facts.append((t("doc.meta_participants", lang), ", ".join(config.leaders)))
    if responses:
        facts.append((t("doc.meta_responses", lang), responses_text(d, lang)))
    return tuple(facts)


def responses_text(d: WorkshopData, lang: Lang) -> str:
    """ "52 medarbejdere har svaret i runde 2025 · 6 af 6 ledere har vurderet sig selv · …" for the latest
    round; the employee count is the one behind the group's figures (none when they are hidden)."""
    wave = d.latest_wave
    n = employee_respondents(d, wave)
    leaders = len(d.config.leaders)
    selfs, managers = own_answer_counts(d, wave)
    employees = t("doc.employee_answers", lang, count=n) if n is not None else \
        t("results.suppressed_group", lang, min_n=d.policy.min_n)
    return t("doc.responses", lang, employees=employees, round=round_phrase(wave, lang), selfs=selfs, managers=managers,
             leaders=t("doc.leaders", lang, count=leaders))


def _about(theme: Theme, lang: Lang) -> list[Section]:
    items = tuple(f"{i.short(lang)}: {i.wording.employee(lang)}" for i in theme.items)
    return [
        Section(t("doc.about", lang), 1, (Paragraph(theme.what_is_it(lang), "intro"),), key="about"),
        Section(t("doc.items_heading", lang, **theme_words(theme, lang)), 2, (BulletList(items),), key="items"),
    ]


def _method(d: WorkshopData, lang: Lang, group: bool = True) -> list[Section]:
    scale = d.theme.scale
    low, high = scale.points[0], scale.points[-1]
    wave = d.latest_wave
    blocks: list[Block] = [
        Paragraph(t("doc.method_survey", lang, **theme_words(d.theme, lang), low_label=low.label(lang),
                    high_label=high.label(lang))),
        Paragraph(t("doc.method_anonymity", lang, min_n=d.policy.min_n)),
        Paragraph(t("doc.method_left_out", lang, count=left_out_count(d, wave), round=round_phrase(wave, lang),
                    min_n=d.policy.min_n)),
        Paragraph(t("doc.method_gaps", lang, threshold=threshold_text(d.theme, lang))),
    ]
    if group:
        blocks.append(Paragraph(t("doc.method_private", lang)))
    blocks.append(Paragraph(t("doc.method_rounding", lang)))
    return [Section(t("doc.method", lang), 1, tuple(blocks), key="method", page_break=group)]


def _group_results(d: WorkshopData, lang: Lang) -> list[Section]:
    wave = d.latest_wave
    head = Section(t("doc.group_results", lang), 1, (
        Paragraph(t("doc.round", lang, round=round_phrase(wave, lang), min_n=d.policy.min_n), "read"),),
        key="group_results", page_break=True)
    return [head, *group_sections(d, wave, lang, PAPER)]


def _personal(d: WorkshopData, leader: str, lang: Lang, level: int = 1) -> list[Section]:
    wave = d.latest_wave
    blocks: tuple[Block, ...] = ()
    if wave:
        blocks = (Paragraph(t("doc.round", lang, round=round_phrase(wave, lang), min_n=d.policy.min_n), "read"),)
    # On a page of its own after the heading block: the leader's results are read first, and whole.
    top = Section(t("results.title_personal", lang, leader=leader), level, blocks, key="personal",
                  page_break=True)
    return [top, *personal_sections(d, leader, wave, lang, PAPER, level=level + 1)]


def _note_sections(topic: str, notes: Notes, leader: str | None, lang: Lang) -> list[Section]:
    group_text = clean(notes.group.get(topic, ""))
    group_block: Block = NoteText(group_text, topic=topic) if group_text.strip() else \
        Paragraph(t("doc.no_notes", lang), "muted")
    out = [Section(t("doc.group_notes", lang), 3, (group_block,), key=f"notes:{topic}")]
    private_text = clean(notes.private.get(topic, "")) if leader is not None else ""
    if private_text.strip():  # only where there is one: no row of "no notes" for every question
        out.append(Section(t("doc.private_notes", lang), 3, (NoteText(private_text, private=True, topic=topic),),
                           key=f"private:{topic}"))
    return out


def _reflection(theme: Theme, notes: Notes, leader: str | None, lang: Lang) -> list[Section]:
    sections = [Section(t("doc.reflection", lang), 1, key="reflection", page_break=True)]
    for q in theme.reflection_questions:
        topic = reflection_topic(q.id)
        sections.append(Section(q.title(lang), 2, (BulletList(tuple(s.text(lang) for s in q.sub_questions)),),
                                key=topic))
        sections.extend(_note_sections(topic, notes, leader, lang))
    return sections


def _cases(theme: Theme, notes: Notes, leader: str | None, lang: Lang) -> list[Section]:
    sections = [Section(t("doc.cases", lang), 1, key="cases", page_break=True)]
    for case in theme.cases:
        topic = case_topic(case.id)
        sections.append(Section(case.title(lang), 2, (
            Paragraph(case.text(lang), "intro"),
            Paragraph(t("doc.case_prompts", lang) + ":", "body"),
            BulletList(tuple(p.text(lang) for p in case.prompts)),
        ), key=topic))
        sections.extend(_note_sections(topic, notes, leader, lang))
    return sections


def _known_topics(theme: Theme) -> set[str]:
    return {reflection_topic(q.id) for q in theme.reflection_questions} | \
        {case_topic(x.id) for x in theme.cases} | {PLAN_FOCUS, PLAN_ACTIONS, PLAN_FOLLOW_UP}


def _other_notes(theme: Theme, notes: Notes, leader: str | None, lang: Lang) -> list[Section]:
    """Notes on topics the theme no longer has (a renamed question): kept, under their topic, not lost."""
    known = _known_topics(theme)
    topics = sorted({tp for tp, v in notes.group.items() if v.strip() and tp not in known and
                     not tp.startswith("plan:")} |
                    {tp for tp, v in notes.private.items() if v.strip() and tp not in known and
                     not tp.startswith("plan:")})
    if not topics:
        return []
    sections = [Section(t("doc.other_notes", lang), 1, key="other_notes")]
    for topic in topics:
        sections.append(Section(topic, 2, key=f"other:{topic}"))
        sections.extend(_note_sections(topic, notes, leader, lang))
    return sections


def _plan(d: WorkshopData, plan: ActionPlan, lang: Lang) -> list[Section]:
    theme = d.theme
    sections = [Section(t("doc.plan", lang), 1, key="plan", page_break=True)]
    if plan.focus:
        figures = item_figures(d, lang)
        rows: list[tuple[str, ...]] = []
        for item_id in plan.focus:
            shown = figures.get(item_id)
            label = item_label(theme, item_id, lang)
            rows.append((label, shown["mean"], shown["agree"]) if shown else (label, t("results.hidden", lang), ""))
        header = (t("doc.col_item", lang), t("doc.col_mean", lang), t("doc.col_agree", lang))
        focus_blocks: tuple[Block, ...] = (
            Table(header, tuple(rows), key="focus", numeric=(False, True, True)),
            Paragraph(t("doc.focus_read", lang, low=theme.scale.minimum, high=theme.scale.maximum,
                        agree=agree_text(theme, lang)), "read"))
    else:
        focus_blocks = (Paragraph(t("doc.focus_none", lang), "muted"),)
    sections.append(Section(t("doc.focus", lang), 2, focus_blocks, key="focus"))
    if plan.actions:
        action_header = (t("doc.col_what", lang), t("doc.col_who", lang), t("doc.col_when", lang),
                         t("doc.col_for", lang))
        action_rows = tuple((clean(a.what), clean(a.who), iso_or_text(clean(a.by_when), lang),
                             item_label(theme, a.item_id, lang) if a.item_id else "") for a in plan.actions)
        action_block: Block = Table(action_header, action_rows, key="actions")
    else:
        action_block = Paragraph(t("doc.actions_none", lang), "muted")
    sections.append(Section(t("doc.actions", lang), 2, (action_block,), key="actions"))
    follow = clean(plan.follow_up).strip()
    if follow:
        written = iso_or_text(follow, lang)
        key = "doc.follow_up_on" if written != follow or _is_date(follow) else "doc.follow_up_text"
        follow_block = Paragraph(t(key, lang, date=written))
    else:
        follow_block = Paragraph(t("doc.follow_up_none", lang), "muted")
    sections.append(Section(t("doc.follow_up", lang), 2, (follow_block,), key="follow_up"))
    return sections


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


# -- the documents ----------------------------------------------------------------------------------------------
def build_summary(config: WorkshopConfig, *, leader: str | None = None, lang: str = "da",
                  when: date | None = None, theme: Theme | None = None,
                  data: WorkshopData | None = None) -> Document:
    """The workshop's summary ("opsamling"): for the group (``leader=None``) or one leader's own, which starts
    with that leader's results and adds their private notes. Dated by the workshop's date (``workshop.date``);
    without one, by ``when`` (default today), and the heading says it is the day it was printed."""
    language = check_lang(lang)
    leader = check_leader(config, leader)
    d = data or load_workshop_data(config, theme)
    notes = read_notes(config, leader)
    day, is_workshop_day = _day(config, when)
    date_text = long_date(day, language)
    sections: list[Section] = []
    if leader is not None:
        sections += _personal(d, leader, language)
    about = _about(d.theme, language)
    if leader is not None:  # after the leader's own results, the shared part starts on a new page
        about[0] = _with_break(about[0])
    sections += [*about, *_method(d, language)]
    sections += [*_group_results(d, language), *_reflection(d.theme, notes, leader, language),
                 *_cases(d.theme, notes, leader, language), *_other_notes(d.theme, notes, leader, language),
                 *_plan(d, notes.plan, language)]
    if leader is not None and not any(v.strip() for v in notes.private.values()):
        sections.append(Section(t("doc.private_notes", language), 1,
                                (Paragraph(t("doc.private_none", language), "muted"),), key="private_none"))
    return Document(
        title=d.theme.title(language),
        kicker=t("doc.kicker_personal" if leader else "doc.kicker", language),
        group=config.name, day=day, date_text=date_text, lang=language, leader=leader,
        intro=t("doc.personal_intro" if leader else "doc.group_intro", language),
        footer=t("doc.footer_personal", language, leader=leader, date=date_text) if leader else
        t("doc.footer", language, group=config.name, date=date_text),
        sections=tuple(sections), facts=_facts(d, language, day, is_workshop_day, leader),
        confidential=leader is not None, kind="summary",
    )


def _with_break(section: Section) -> Section:
    return Section(section.heading, section.level, section.blocks, section.key, page_break=True)


def build_sheet(d: WorkshopData, leader: str, *, lang: str = "da", when: date | None = None) -> Document:
    """One leader's personal result sheet: "Fortroligt" and their name, their own results (employees, self, own
    leader, gaps, blind spots and hidden strengths) beside the group's and the organisation's, and how to read
    them. Where the leader's employee results are hidden, the sentence saying why stands in their place."""
    language = check_lang(lang)
    name = check_leader(d.config, leader)
    assert name is not None
    day, is_workshop_day = _day(d.config, when)
    date_text = long_date(day, language)
    sections = [*personal_sections(d, name, d.latest_wave, language, PAPER, level=1),
                *_method(d, language, group=False)]
    return Document(
        title=t("results.title_personal", language, leader=name),
        kicker=t("doc.kicker_sheet", language), group=d.config.name, day=day, date_text=date_text,
        lang=language, leader=name, intro=t("doc.sheet_intro", language),
        footer=t("doc.footer_personal", language, leader=name, date=date_text), sections=tuple(sections),
        facts=_facts(d, language, day, is_workshop_day, name, responses=False), confidential=True, kind="sheet",
    )


def build_handouts(config: WorkshopConfig, *, lang: str = "da", theme: Theme | None = None,
                   when: date | None = None) -> list[tuple[str, Document]]:
    """The handouts from the theme: the reflection questions, and one sheet per case, each with room to write.
    Returns (name, document) pairs; the name is the file name's stem ("refleksionsspoergsmaal", "case-1")."""
    language = check_lang(lang)
    th = theme or load_theme(config.theme)
    day, is_workshop_day = _day(config, when)
    date_text = long_date(day, language)
    facts = ((t("doc.meta_group", language), config.name),
             (t("doc.meta_date" if is_workshop_day else "doc.meta_printed", language), date_text))
    footer = t("doc.footer", language, group=config.name, date=date_text)

    def doc(title: str, intro: str, sections: list[Section]) -> Document:
        return Document(title=title, kicker=f"{th.title(language)} · {t('doc.kicker_handout', language)}",
                        group=config.name, day=day, date_text=date_text, lang=language, leader=None, intro=intro,
                        footer=footer, sections=tuple(sections), facts=facts, kind="handout")

    questions = [Section(q.title(language), 1, (BulletList(tuple(s.text(language) for s in q.sub_questions)),
                                                WritingSpace(6)), key=reflection_topic(q.id))
                 for q in th.reflection_questions]
    out = [(t("doc.handout_file_reflection", language),
            doc(t("doc.handout_reflection", language), t("doc.handout_reflection_intro", language), questions))]
    for number, case in enumerate(th.cases, start=1):
        sections = [Section(t("doc.handout_the_case", language), 1, (Paragraph(case.text(language), "intro"),),
                            key=case_topic(case.id))]
        sections += [Section(p.text(language), 1, (WritingSpace(7),), key=f"{case_topic(case.id)}:{k}")
                     for k, p in enumerate(case.prompts, start=1)]
        out.append((f"{t('doc.handout_file_case', language)}-{number}",
                    doc(t("doc.handout_case", language, title=case.title(language)),
                        t("doc.handout_case_intro", language), sections)))
    return out
