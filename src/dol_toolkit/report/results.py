"""The results, built once for every output: the group's view and one leader's own, as sections.

The results app shows these sections on screen (:mod:`dol_toolkit.pages.content`), the summary and the personal
result sheets print them (:mod:`dol_toolkit.report.documents`). Everything comes from :mod:`dol_toolkit.stats`,
which decides what exists: a hidden figure reaches this module without a number, and a chart whose every
employee figure is hidden is replaced by the sentence saying why.

Numbers are shown with one decimal, and every difference shown is the difference of the numbers shown
(:func:`shown_difference`), so that a reader who checks "3,0 against 3,4" finds "−0,4".
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from dol_toolkit.i18n import Lang, t
from dol_toolkit.plots import change_bars, gap_dots, likert_bars, mean_marks
from dol_toolkit.plots._format import format_decimal, format_integer, format_percent, format_signed
from dol_toolkit.plots.media import Medium as PlotMedium
from dol_toolkit.report.model import Block, BulletList, Chart, Medium, Paragraph, Section, Table
from dol_toolkit.stats import Selection, describe_selection
from dol_toolkit.stats.anonymity import ITEM_REASON
from dol_toolkit.stats.compare import compare_waves
from dol_toolkit.stats.gaps import group_gap_distribution
from dol_toolkit.stats.workshop_data import WorkshopData
from dol_toolkit.themes import Theme, theme_words

DIGITS = 1


def shown(value: float, digits: int = DIGITS) -> float:
    """The value as it is shown, rounded the way :func:`format_decimal` rounds it.

    >>> shown(3.04), shown(3.36)
    (3.0, 3.4)
    """
    return float(f"{value:.{digits}f}")


def shown_difference(a: float, b: float, digits: int = DIGITS) -> float:
    """``a - b`` of the numbers as shown: 3,04 against 3,36 is shown as 3,0 and 3,4, so the difference is −0,4
    (not −0,3, the difference of the unrounded values).

    >>> round(shown_difference(3.04, 3.36), 6), round(3.04 - 3.36, 1)
    (-0.4, -0.3)
    """
    return shown(a, digits) - shown(b, digits)


def threshold_text(theme: Theme, lang: Lang) -> str:
    """The gap threshold of the theme's scale as shown ("1,3" on 1-5, "2,0" on 1-7)."""
    return format_decimal(theme.scale.gap_threshold, lang)


# -- charts -------------------------------------------------------------------------------------------------
def chart(draw: Callable[[PlotMedium], Axes], medium: Medium, alt: str, how_to_read: str, key: str) -> Chart:
    """A chart as a block: ``draw(medium)`` draws it for a medium (the same data every time); PNG bytes for
    ``medium`` and the width it is placed at. On screen the chart is drawn a second time for a phone, narrow
    (:mod:`dol_toolkit.plots.media`), from the same data, so it shows the same figures; a page shows that
    drawing in a narrow window. Documents ("paper") get one drawing."""
    from dol_toolkit.plots import media

    png = media.png_bytes(draw(medium), medium)
    if medium == "paper":
        return Chart(png, alt, how_to_read, key, f"{media.placed_width_in(medium) * 2.54:.1f}cm")
    narrow = media.png_bytes(draw("phone"), "phone")
    return Chart(png, alt, how_to_read, key, f"{media.css_width_px(medium)}px", narrow,
                 f"{media.css_width_px('phone')}px")


def item_label(theme: Theme, item_id: str, lang: Lang) -> str:
    if item_id == "index":
        return t("results.index", lang)
    try:
        return theme.item(item_id).short(lang)
    except KeyError:
        return t("doc.unknown_item", lang, item=item_id)


def _in_wave(column: pd.Series, wave: object) -> np.ndarray:
    """Which rows are of round ``wave``; every row when the export has no round column (``wave`` None: one
    round, its rows without a round)."""
    if wave is None:
        return np.ones(len(column), dtype=bool)
    return (column.astype(str) == str(wave)).to_numpy()


def round_phrase(wave: object, lang: Lang) -> str:
    """How a text names round ``wave`` ("runde 2026"; "undersøgelsen" when the export names no round)."""
    return t("doc.round_named", lang, wave=wave) if wave is not None else t("doc.round_none", lang)


def _of_wave(frame: pd.DataFrame, wave: object) -> pd.DataFrame:
    return frame[_in_wave(frame["wave"], wave)]


# -- the group ------------------------------------------------------------------------------------------------
def group_sections(d: WorkshopData, wave: str | None, lang: Lang, medium: Medium, level: int = 2) -> list[Section]:
    """The group's results for one round: the employees' answers, the group against the organisation, the change
    since the earlier round (in the latest round, when there is one) and the anonymous spread of the gaps."""
    min_n = d.policy.min_n
    described = describe_selection(d.responses, d.group, d.policy, item_ids=d.theme.item_ids)
    employee = _of_wave(described[described["role"] == "employee"], wave)
    sections: list[Section] = []
    if employee.empty or employee["suppressed"].all():
        sections.append(Section(t("results.employees", lang), level, (
            Paragraph(t("results.suppressed_group", lang, min_n=min_n), "notice"),), key="employees"))
    else:
        words = theme_words(d.theme, lang)
        blocks: list[Block] = [chart(lambda m: likert_bars(described, wave=wave, lang=lang, theme=d.theme,
                                                           min_n=min_n, medium=m), medium,
                                     t("results.employees_alt", lang, **words),
                                     t("results.read_likert", lang, **words), "likert")]
        blocks += answers_blocks(d, employee, lang)
        left_out = int(employee["leaders_left_out"].max()) if len(employee) else 0
        if left_out:
            blocks.append(Paragraph(t("results.left_out", lang, count=left_out, min_n=min_n), "notice"))
        sections.append(Section(t("results.employees", lang), level, tuple(blocks), key="employees"))
        sections.append(Section(t("results.vs_org", lang), level, (
            org_table(d, wave, lang), Paragraph(t("results.read_org", lang, **words), "read")),
            key="vs_org"))
    if len(d.waves) >= 2 and str(wave) == d.waves[-1]:
        earlier, later = d.waves[-2], d.waves[-1]
        change = compare_waves(d.responses, d.group, d.policy, earlier=earlier, later=later)
        if change.empty or change["suppressed"].all():
            block: Block = Paragraph(t("doc.change_suppressed", lang, min_n=min_n), "notice")
        else:
            block = chart(lambda m: change_bars(change, lang=lang, theme=d.theme, min_n=min_n, medium=m), medium,
                          t("results.change_alt", lang), t("results.read_change", lang), "change")
        sections.append(Section(t("results.change", lang, earlier=earlier, later=later), level, (block,),
                                key="change"))
    spread = group_gap_distribution(d.gaps, list(d.config.leaders), d.policy)
    mine = _of_wave(spread, wave) if len(spread) else spread
    if mine.empty or mine["suppressed"].all():
        block = Paragraph(t("doc.gaps_suppressed", lang, min_n=min_n), "notice")
    else:
        block = chart(lambda m: gap_dots(spread, wave=wave, lang=lang, theme=d.theme, min_n=min_n, medium=m), medium,
                      t("results.gaps_alt", lang),
                      t("results.read_gaps", lang, threshold=threshold_text(d.theme, lang)),
                      "gaps")
    sections.append(Section(t("results.gaps", lang), level, (block,), key="gaps"))
    return sections


def answers_blocks(d: WorkshopData, employee: pd.DataFrame, lang: Lang) -> list[Block]:
    """Beside the chart of an item's answers: per item, the answers in all and the answers on the scale (the
    ones the bars and the mean are made of), from the statistics' ``n`` and ``n_substantive``; an item withheld
    for too few answers on the scale says so with the limit; a figure over several leaders names, per item, how
    many leaders' answers are left out of it for that reason (never who)."""
    limit = d.policy.min_answers_per_item
    by_item = {str(r["item_id"]): r for r in employee.to_dict("records")}
    rows = []
    for item in d.theme.item_ids:
        row = by_item.get(item)
        label = item_label(d.theme, item, lang)
        if row is None or row["suppressed"]:
            why = t("results.hidden_on_scale", lang, min_answers=limit) if row is not None and \
                row["reason"] == ITEM_REASON else t("results.hidden", lang)
            rows.append((label, why, ""))
            continue
        rows.append((label, format_integer(float(row["n"]), lang), format_integer(float(row["n_substantive"]), lang)))
    header = (t("results.item", lang), t("results.col_answers", lang), t("results.col_on_scale", lang))
    blocks: list[Block] = [Table(header, tuple(rows), key="answers", numeric=(False, True, True)),
                           Paragraph(t("results.read_answers", lang), "read")]
    left: dict[str, set[str]] = {}
    for item in d.theme.item_ids:
        row = by_item.get(item)
        if row is not None and not row["suppressed"]:
            for leader in row.get("item_left_out") or ():
                left.setdefault(item, set()).add(str(leader))
    counts = sorted({len(v) for v in left.values()})
    for count in counts:
        items = ", ".join(item_label(d.theme, i, lang) for i in d.theme.item_ids if len(left.get(i, ())) == count)
        blocks.append(Paragraph(t("results.item_left_out", lang, count=count, items=items, min_answers=limit),
                                "notice"))
    return blocks


def org_table(d: WorkshopData, wave: object, lang: Lang) -> Table:
    """The group's mean per item beside the organisation's, and the difference of the two numbers shown."""
    cmp = d.group_vs_organisation(wave)
    rows = []
    for row in cmp.to_dict("records"):
        label = item_label(d.theme, str(row["item_id"]), lang)
        if row["suppressed"]:
            rows.append((label, t("results.hidden", lang), "", ""))
            continue
        group, org = float(row["selection_mean"]), float(row["organisation_mean"])
        rows.append((label, format_decimal(group, lang), format_decimal(org, lang),
                     format_signed(shown_difference(group, org), lang)))
    header = tuple(t(k, lang) for k in ("results.item", "results.group_mean", "results.org_mean",
                                         "results.difference"))
    return Table(header, tuple(rows), key="vs_org", numeric=(False, True, True, True))


def item_figures(d: WorkshopData, lang: Lang, wave: str | None = None) -> dict[str, dict[str, str] | None]:
    """The group's employee mean and share agreeing per item in ``wave`` (default: the latest round),
    formatted for ``lang``; None for an item the statistics hide."""
    wave = wave if wave is not None else d.latest_wave
    described = describe_selection(d.responses, d.group, d.policy, item_ids=d.theme.item_ids,
                                   waves=[wave] if wave else None)
    employees = described[described["role"] == "employee"]
    agree_points = d.theme.scale.agree_codes
    figures: dict[str, dict[str, str] | None] = {}
    for item in d.theme.item_ids:
        row = employees[employees["item_id"] == item]
        if row.empty or bool(row["suppressed"].iloc[0]) or pd.isna(row["mean"].iloc[0]):
            figures[item] = None
            continue
        r = row.iloc[0]
        agree = sum(float(r[f"count_{p}"]) for p in agree_points) / float(r["n_substantive"])
        figures[item] = {"mean": format_decimal(float(r["mean"]), lang), "agree": format_percent(agree, lang)}
    return figures


def agree_text(theme: Theme, lang: Lang) -> str:
    """ "4 eller 5" / "4 or 5": the points that count as agreeing, written out."""
    points = theme.scale.agree_codes
    if len(points) == 1:
        return points[0]
    return t("doc.either_or", lang, first=", ".join(points[:-1]), last=points[-1])


# -- one leader -------------------------------------------------------------------------------------------------
def personal_sections(d: WorkshopData, leader: str, wave: str | None, lang: Lang, medium: Medium,
                      level: int = 2) -> list[Section]:
    """One leader's own results for a round: their employees' answers (or why not), their figures beside the
    group's and the organisation's, the three views (employees, self, own leader) and their gaps. Nothing of any
    other leader."""
    min_n = d.policy.min_n
    described = describe_selection(d.responses, Selection.leader(leader), d.policy, item_ids=d.theme.item_ids)
    mine = _of_wave(described, wave)
    answers = d.responses[(d.responses["leader_id"].astype(str) == leader).to_numpy()
                          & _in_wave(d.responses["wave"], wave)]
    if mine.empty or answers.empty:
        return [Section(t("results.your_employees", lang), level, (
            Paragraph(t("results.no_data_wave", lang, round=round_phrase(wave, lang)), "notice"),), key="my_employees")]
    employees = mine[mine["role"] == "employee"]
    hidden = bool(employees.empty or employees["suppressed"].all())
    sections: list[Section] = []
    if hidden:
        sections.append(Section(t("results.your_employees", lang), level, (
            Paragraph(t("results.suppressed_personal", lang, min_n=min_n), "notice"),), key="my_employees"))
    else:
        words = theme_words(d.theme, lang)
        sections.append(Section(t("results.your_employees", lang), level, (
            chart(lambda m: likert_bars(described, wave=wave, lang=lang, theme=d.theme, min_n=min_n, medium=m),
                  medium,
                  t("results.employees_alt", lang, **words), t("results.read_likert", lang, **words), "my_likert"),
            *answers_blocks(d, employees, lang)), key="my_employees"))
    read = "doc.comparison_read_hidden" if hidden else "doc.comparison_read"
    sections.append(Section(t("doc.comparison", lang), level, (
        comparison_table(d, mine, wave, lang),
        Paragraph(t(read, lang, low=d.theme.scale.minimum, high=d.theme.scale.maximum, min_n=min_n), "read"),
    ), key="comparison"))
    if hidden:  # the chart of the three views has nothing to draw without the employees: a table
        sections.append(Section(t("results.own_views", lang), level, (own_answers_table(d, mine, lang),),
                                key="three_views"))
    else:
        sections.append(Section(t("results.three_views", lang), level, (
            chart(lambda m: mean_marks(described, wave=wave, lang=lang, theme=d.theme, min_n=min_n, medium=m),
                  medium,
                  t("results.means_alt", lang), t("results.read_means", lang), "means"),), key="three_views"))
    sections.extend(gap_sections(d, leader, wave, lang, level))
    return sections


def comparison_table(d: WorkshopData, mine: pd.DataFrame, wave: object, lang: Lang) -> Table:
    """Per item: the leader's employees' mean, the group's, the organisation's, and the difference from the
    group of the numbers shown. A hidden figure is said to be hidden, with no number."""
    cmp = d.group_vs_organisation(wave)
    group = {str(r["item_id"]): r for r in cmp.to_dict("records")}
    own = {str(r["item_id"]): r for r in mine[mine["role"] == "employee"].to_dict("records")}
    hidden = t("results.hidden", lang)
    rows = []
    for item in (*d.theme.item_ids, "index"):
        label = item_label(d.theme, item, lang)
        o, g = own.get(item), group.get(item)
        own_mean = None if o is None or o["suppressed"] or pd.isna(o["mean"]) else float(o["mean"])
        group_mean = None if g is None or g["suppressed"] else float(g["selection_mean"])
        org_mean = None if g is None or g["suppressed"] else float(g["organisation_mean"])
        diff = "" if own_mean is None or group_mean is None else \
            format_signed(shown_difference(own_mean, group_mean), lang)
        rows.append((label, hidden if own_mean is None else format_decimal(own_mean, lang),
                     hidden if group_mean is None else format_decimal(group_mean, lang),
                     hidden if org_mean is None else format_decimal(org_mean, lang), diff))
    header = (t("doc.col_item", lang), t("doc.col_yours", lang), t("doc.col_group", lang), t("doc.col_org", lang),
              t("doc.col_vs_group", lang))
    return Table(header, tuple(rows), key="comparison", numeric=(False, True, True, True, True))


def own_answer(rows: pd.DataFrame, theme: Theme, lang: Lang) -> str:
    """One answer of the leader or their own leader: the scale point with its label ("4 – Enig"), or what
    they answered off the scale ("Ved ikke"), or "intet svar"."""
    if rows.empty:
        return t("results.no_answer", lang)
    row = rows.iloc[0]
    if pd.notna(row["mean"]):
        value = float(row["mean"])
        labels = {float(p.value): p.label(lang) for p in theme.scale.points}
        number = format_decimal(value, lang, 0 if value.is_integer() else 1)
        return f"{number} – {labels[value]}" if value in labels else number
    for category in ("dont_know", "prefer_not"):
        count = row.get(f"count_{category}")
        if count is not None and pd.notna(count) and float(count) > 0:
            return t(f"answers.{category}", lang).capitalize()
    return t("results.no_answer", lang)


def own_answers_table(d: WorkshopData, mine: pd.DataFrame, lang: Lang) -> Table:
    """The leader's own and own leader's answer per item."""
    rows = []
    for item in d.theme.items:
        of_item = mine[mine["item_id"].astype(str) == item.id]
        rows.append((item.short(lang), own_answer(of_item[of_item["role"] == "self"], d.theme, lang),
                     own_answer(of_item[of_item["role"] == "manager"], d.theme, lang)))
    header = (t("doc.col_item", lang), t("doc.col_self", lang), t("doc.col_manager", lang))
    return Table(header, tuple(rows), key="own_answers", numeric=(False, False, False))


def gap_sections(d: WorkshopData, leader: str, wave: object, lang: Lang, level: int = 2) -> list[Section]:
    """The leader's largest gaps, blind spots and hidden strengths, read off the numbers shown: each gap is the
    leader's answer minus the employees' mean as shown, and a blind spot (hidden strength) is a gap shown of at
    least the threshold shown (1,3 on a 5-point scale) above (below) zero, as the sentence above the lists says.
    A gap shown as 0,0 is neither high nor low."""
    gaps = d.gaps
    mine = gaps[(gaps["leader_id"].astype(str) == leader).to_numpy() & _in_wave(gaps["wave"], wave)]
    heading = t("results.your_gaps", lang)
    if mine.empty or mine["gap_self"].isna().all():
        return [Section(heading, level, (Paragraph(t("results.no_gaps", lang, min_n=d.policy.min_n), "notice"),),
                        key="my_gaps")]
    known = mine[mine["self"].notna() & mine["employee_mean"].notna()]
    shown_gaps = [(str(r["item_id"]), round(shown_difference(float(r["self"]), float(r["employee_mean"])), DIGITS))
                  for r in known.to_dict("records")]
    limit = shown(d.theme.scale.gap_threshold)

    def items(entries: list[tuple[str, float]]) -> BulletList:
        if not entries:
            return BulletList((t("results.none", lang).capitalize(),))
        return BulletList(tuple(f"{item_label(d.theme, item, lang)}: {format_signed(gap, lang)}"
                                for item, gap in entries))

    highest = sorted((g for g in shown_gaps if g[1] > 0), key=lambda g: -g[1])[:2]
    lowest = sorted((g for g in shown_gaps if g[1] < 0), key=lambda g: g[1])[:2]
    blind = sorted((g for g in shown_gaps if g[1] >= limit), key=lambda g: -g[1])
    hidden = sorted((g for g in shown_gaps if g[1] <= -limit), key=lambda g: g[1])
    sub = level + 1
    return [
        Section(heading, level, (Paragraph(t("results.read_gaps_personal", lang,
                                             threshold=threshold_text(d.theme, lang)), "read"),), key="my_gaps"),
        Section(t("results.largest_positive", lang), sub, (items(highest),), key="my_gaps_positive"),
        Section(t("results.largest_negative", lang), sub, (items(lowest),), key="my_gaps_negative"),
        Section(t("results.blind_spots", lang), sub, (items(blind),), key="my_blind_spots"),
        Section(t("results.hidden_strengths", lang), sub, (items(hidden),), key="my_hidden_strengths"),
    ]


def employee_respondents(d: WorkshopData, wave: object) -> int | None:
    """How many employees answered in the group's figures of ``wave`` (the pooled count the statistics
    release), or None when the group's employee figures are hidden."""
    described = describe_selection(d.responses, d.group, d.policy, item_ids=d.theme.item_ids)
    employee = _of_wave(described[described["role"] == "employee"], wave)
    shown_rows = employee[~employee["suppressed"].astype(bool)]
    if shown_rows.empty:
        return None
    return int(shown_rows["respondents"].max())


def left_out_count(d: WorkshopData, wave: object) -> int:
    described = describe_selection(d.responses, d.group, d.policy, item_ids=d.theme.item_ids)
    employee = _of_wave(described[described["role"] == "employee"], wave)
    return int(employee["leaders_left_out"].max()) if len(employee) else 0


def own_answer_counts(d: WorkshopData, wave: object) -> tuple[int, int]:
    """How many of the group's leaders rated themselves, and how many have a rating from their own leader."""
    answers = d.responses[_in_wave(d.responses["wave"], wave)
                          & d.responses["leader_id"].astype(str).isin(d.config.leaders).to_numpy()]
    selfs = answers[answers["role"] == "self"]["leader_id"].astype(str).nunique()
    managers = answers[answers["role"] == "manager"]["leader_id"].astype(str).nunique()
    return int(selfs), int(managers)

