"""What the apps show that is computed from the survey: built from the statistics and the charts.

This module is the heavy half of the apps (pandas, matplotlib, the importer). It is imported only where figures
are computed:

* :func:`build_content` makes what is the same for everyone in a workshop, once per workshop (the server does it
  before anyone arrives and :mod:`dol_toolkit.apps._cache` keeps it on disk): the group's results view for every
  round and language, and the group's figures per item that the cases and the action plan show. Anonymity stays
  where it is: everything here comes from :mod:`dol_toolkit.stats`, which decides what exists, so the content
  holds nothing that may not be shown to the whole group.
* :func:`personal_html` makes one leader's own results, in that leader's kernel only, after their code.
"""

from __future__ import annotations

import base64
import io
from typing import Any

import pandas as pd
from matplotlib.axes import Axes

from dol_toolkit.apps._common import CSS, esc
from dol_toolkit.i18n import LANGUAGES, Lang, t
from dol_toolkit.plots import change_bars, gap_dots, likert_bars, mean_marks
from dol_toolkit.plots._format import format_decimal, format_percent, format_signed
from dol_toolkit.stats import Selection, describe_selection
from dol_toolkit.stats.compare import compare_to_organisation, compare_waves
from dol_toolkit.stats.gaps import group_gap_distribution, largest_gaps
from dol_toolkit.stats.workshop_data import WorkshopData, load_workshop_data
from dol_toolkit.workshop import WorkshopConfig

# The shape of what build_content returns; a change here must change CONTENT_FORMAT in _cache.
ContentDict = dict[str, Any]


def chart_html(ax: Axes, alt: str, how_to_read: str, key: str) -> str:
    """A chart as an image with its alternative text and one sentence on how to read it."""
    buffer = io.BytesIO()
    figure = ax.get_figure(root=True)
    if figure is None:
        raise ValueError("the chart has no figure")
    figure.savefig(buffer, format="png", dpi=100)
    import matplotlib.pyplot as plt

    plt.close(figure)
    data = base64.b64encode(buffer.getvalue()).decode()
    return (
        f'<figure class="dol-chart" data-chart="{esc(key)}">'
        f'<img src="data:image/png;base64,{data}" alt="{esc(alt)}" style="max-width:100%;height:auto">'
        f'<figcaption class="dol-read">{esc(how_to_read)}</figcaption></figure>'
    )


def notice(text: str) -> str:
    return f'<p class="dol-notice" role="status">{esc(text)}</p>'


def section(heading: str, content: str) -> str:
    return f'<section class="dol-section"><h2>{esc(heading)}</h2>{content}</section>'


# -- the group: the same for everyone ------------------------------------------------------------------------
def group_html(d: WorkshopData, wave_value: str, lang: Lang) -> str:
    """The group view of the results for one round: the employees' answers, the group against the organisation,
    the change since the earlier round and the anonymous spread of the leaders' gaps."""
    wave = wave_value or None
    parts = [CSS, '<div class="dol-page">']
    described = describe_selection(d.responses, d.group, d.policy, item_ids=d.theme.item_ids)
    employee = described[(described["role"] == "employee") & (described["wave"].astype(str) == str(wave))]
    left_out = int(employee["leaders_left_out"].max()) if len(employee) else 0
    if employee["suppressed"].all():
        parts.append(section(t("results.employees", lang), notice(t("results.suppressed_group", lang,
                                                                    min_n=d.policy.min_n))))
    else:
        ax = likert_bars(described, wave=wave, lang=lang, theme=d.theme)
        parts.append(section(t("results.employees", lang), chart_html(
            ax, t("results.employees_alt", lang), t("results.read_likert", lang), "likert")))
        if left_out:
            parts.append(notice(t("results.left_out", lang, count=left_out, min_n=d.policy.min_n)))
        parts.append(section(t("results.vs_org", lang), org_table(d, wave, lang)))
    if len(d.waves) >= 2 and str(wave) == d.waves[-1]:
        change = compare_waves(d.responses, d.group, d.policy, earlier=d.waves[-2], later=d.waves[-1])
        ax = change_bars(change, lang=lang)
        parts.append(section(t("results.change", lang, earlier=d.waves[-2], later=d.waves[-1]),
                             chart_html(ax, t("results.change_alt", lang), t("results.read_change", lang), "change")))
    spread = group_gap_distribution(d.gaps, list(d.config.leaders), d.policy)
    ax = gap_dots(spread, wave=wave, lang=lang)
    parts.append(section(t("results.gaps", lang), chart_html(
        ax, t("results.gaps_alt", lang), t("results.read_gaps", lang), "gaps")))
    parts.append("</div>")
    return "".join(parts)


def org_table(d: WorkshopData, wave: object, lang: Lang) -> str:
    cmp = compare_to_organisation(d.responses, d.group, d.policy, waves=[str(wave)])
    rows = []
    for row in cmp.to_dict("records"):
        item = row["item_id"]
        label = t("results.index", lang) if item == "index" else d.theme.item(str(item)).short(lang)
        if row["suppressed"]:
            cells = f'<td colspan="3">{esc(t("results.hidden", lang))}</td>'
        else:
            cells = (f"<td>{format_decimal(row['selection_mean'], lang)}</td>"
                     f"<td>{format_decimal(row['organisation_mean'], lang)}</td>"
                     f"<td>{format_signed(row['difference'], lang)}</td>")
        rows.append(f"<tr><th scope=\"row\">{esc(label)}</th>{cells}</tr>")
    head = "".join(f"<th scope=\"col\">{esc(t(k, lang))}</th>" for k in
                   ("results.item", "results.group_mean", "results.org_mean", "results.difference"))
    return (f'<table class="dol-table"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
            f'<p class="dol-read">{esc(t("results.read_org", lang))}</p>')


def item_figures(d: WorkshopData, lang: Lang) -> tuple[str | None, dict[str, dict[str, str] | None]]:
    """The group's employee mean and share agreeing per item in the latest round, formatted for ``lang``
    (None for an item the statistics hide)."""
    wave = d.waves[-1] if d.waves else None
    described = describe_selection(d.responses, d.group, d.policy, item_ids=d.theme.item_ids,
                                   waves=[wave] if wave else None)
    employees = described[described["role"] == "employee"]
    figures: dict[str, dict[str, str] | None] = {}
    for item in d.theme.item_ids:
        row = employees[employees["item_id"] == item]
        if row.empty or bool(row["suppressed"].iloc[0]):
            figures[item] = None
            continue
        r = row.iloc[0]
        agree = (r["count_4"] + r["count_5"]) / r["n_substantive"] if r["n_substantive"] else float("nan")
        figures[item] = {"mean": format_decimal(float(r["mean"]), lang), "agree": format_percent(float(agree), lang)}
    return wave, figures


def build_content(config: WorkshopConfig, data: WorkshopData | None = None) -> ContentDict:
    """Everything the apps show that is the same for every participant, as plain strings."""
    d = data or load_workshop_data(config)
    waves = list(d.waves) or [""]
    content: ContentDict = {"waves": list(d.waves), "group_html": {}, "item_figures": {}, "figures_wave": None}
    for lang in LANGUAGES:
        content["group_html"][lang] = {wave: group_html(d, wave, lang) for wave in waves}
        wave, figures = item_figures(d, lang)
        content["item_figures"][lang] = figures
        content["figures_wave"] = wave
    return content


# -- one leader: only in that leader's kernel ------------------------------------------------------------------
_DATA: dict[str, WorkshopData] = {}


def workshop_data(config: WorkshopConfig) -> WorkshopData:
    """The workshop's data in this kernel, read on first need (a personal view) and kept."""
    key = str(config.path)
    if key not in _DATA:
        _DATA[key] = load_workshop_data(config)
    return _DATA[key]


def personal_html(d: WorkshopData, leader: str, wave_value: str, lang: Lang) -> str:
    """One leader's own results for a round: their employees' answers, the three views and their gaps."""
    wave = wave_value or None
    described = describe_selection(d.responses, Selection.leader(leader), d.policy, item_ids=d.theme.item_ids)
    mine = described[described["wave"].astype(str) == str(wave)]
    parts = [CSS, '<div class="dol-page">']
    if mine.empty:
        return "".join([*parts, notice(t("results.no_data_wave", lang, wave=wave)), "</div>"])
    employees = mine[mine["role"] == "employee"]
    if employees["suppressed"].all():
        parts.append(section(t("results.your_employees", lang), notice(
            t("results.suppressed_personal", lang, min_n=d.policy.min_n))))
        # Without employee figures the chart would be empty: the leader's own and own leader's answers.
        parts.append(section(t("results.own_views", lang), own_table(d, mine, lang)))
    else:
        ax = likert_bars(described, wave=wave, lang=lang, theme=d.theme)
        parts.append(section(t("results.your_employees", lang), chart_html(
            ax, t("results.employees_alt", lang), t("results.read_likert", lang), "likert")))
        ax = mean_marks(described, wave=wave, lang=lang)
        parts.append(section(t("results.three_views", lang), chart_html(
            ax, t("results.means_alt", lang), t("results.read_means", lang), "means")))
    parts.append(section(t("results.your_gaps", lang), gaps_html(d, leader, wave, lang)))
    parts.append("</div>")
    return "".join(parts)


def own_table(d: WorkshopData, mine: pd.DataFrame, lang: Lang) -> str:
    """The leader's own and own leader's answer per item, as scale labels."""
    labels = {float(p.value): p.label(lang) for p in d.theme.scale.points}

    def answer(role: str, item: str) -> str:
        row = mine[(mine["role"] == role) & (mine["item_id"] == item)]
        if row.empty or row["suppressed"].iloc[0] or pd.isna(row["mean"].iloc[0]):
            return t("results.no_answer", lang)
        value = float(row["mean"].iloc[0])
        return labels.get(value, format_decimal(value, lang))

    head = "".join(f'<th scope="col">{esc(t(k, lang))}</th>' for k in
                   ("results.item", "results.own_answer", "results.manager_answer"))
    rows = "".join(
        f'<tr><th scope="row">{esc(i.short(lang))}</th><td>{esc(answer("self", i.id))}</td>'
        f"<td>{esc(answer('manager', i.id))}</td></tr>" for i in d.theme.items)
    return (f'<table class="dol-table dol-own" data-table="own"><thead><tr>{head}</tr></thead>'
            f"<tbody>{rows}</tbody></table>")


def gaps_html(d: WorkshopData, leader: str, wave: object, lang: Lang) -> str:
    mine = d.gaps[(d.gaps["leader_id"] == leader) & (d.gaps["wave"].astype(str) == str(wave))]
    if mine.empty or mine["gap_self"].isna().all():
        return notice(t("results.no_gaps", lang, min_n=d.policy.min_n))
    top = largest_gaps(d.gaps, leader, wave, k=2)

    def items(frame: pd.DataFrame) -> str:
        if frame.empty:
            return f"<li>{esc(t('results.none', lang))}</li>"
        return "".join(
            f"<li>{esc(d.theme.item(str(r['item_id'])).short(lang))}: "
            f"{esc(format_signed(float(r['gap_self']), lang))}</li>" for r in frame.to_dict("records"))

    blind = mine[mine["class_self"] == "blind_spot"].sort_values("gap_self", ascending=False)
    hidden = mine[mine["class_self"] == "hidden_strength"].sort_values("gap_self")
    return (
        f'<p class="dol-read">{esc(t("results.read_gaps_personal", lang))}</p>'
        f'<div class="dol-columns"><div><h3>{esc(t("results.largest_positive", lang))}</h3>'
        f'<ul>{items(top["positive"])}</ul></div>'
        f'<div><h3>{esc(t("results.largest_negative", lang))}</h3><ul>{items(top["negative"])}</ul></div>'
        f'<div><h3>{esc(t("results.blind_spots", lang))}</h3><ul>{items(blind)}</ul></div>'
        f'<div><h3>{esc(t("results.hidden_strengths", lang))}</h3><ul>{items(hidden)}</ul></div></div>'
    )
