"""A leader's means: the employees' mean with its 95 % interval, the leader's own answer and the own leader's
answer, per item, on the theme's scale.

The three are told apart by shape (circle with interval, diamond, square) as well as colour, and each has its
own line within the item's band, so equal answers never hide one another. An answer that is missing or off the
scale ("Ved ikke") is said in words on its line.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from dol_toolkit.i18n import Lang, t
from dol_toolkit.plots import _style
from dol_toolkit.plots._common import (
    INDEX,
    ITEM_REASON,
    as_number,
    bottom_legends,
    chart_setup,
    draw_labels_above,
    finish_text,
    fit_row,
    item_label,
    item_rows,
    line_height,
    message_chart,
    own_axes,
    pick_wave,
    require_columns,
    theme_order,
    top_legend,
    wrap_to_width,
)
from dol_toolkit.plots._format import format_decimal
from dol_toolkit.plots.geometry import wrap
from dol_toolkit.plots.media import Medium
from dol_toolkit.themes import Theme

ROLES = ("employee", "self", "manager")
ROLE_STEP = 0.27
"""Distance between the roles' lines within an item's band (the band spans -0.5..0.5 around the item)."""
LEGEND_KEYS = {"employee": "employees_mean", "self": "self_answer", "manager": "manager_answer"}
LABEL_GAP = 0.08
NO_WRAP = 10_000  # the layout's labels unwrapped: a narrow chart wraps them to its measured width
END_LABEL_IN = 1.0  # a narrow chart's scale end labels ("Helt uenig") are wrapped to this width (inches)


@dataclass(frozen=True)
class Mark:
    """One role's mark in one item: a value (with an interval for the employees) or a note saying why not."""

    role: str
    y: float
    value: float | None
    low: float | None = None
    high: float | None = None
    note: str | None = None


@dataclass(frozen=True)
class MeanItem:
    item_id: str
    label: str
    marks: tuple[Mark, ...]


@dataclass(frozen=True)
class MeanLayout:
    items: tuple[MeanItem, ...]
    roles: tuple[str, ...]
    suppressed_reason: str | None



def _why_missing(row: dict[str, object], lang: Lang, theme: Theme) -> str:
    """Why a role has no value: suppressed, an answer off the scale, or no answer."""
    if bool(row.get("suppressed", False)):
        reason = row.get("reason")
        key = {"too_few_respondents": "too_few_short", ITEM_REASON: "too_few_on_scale_short"}.get(str(reason),
                                                                                                 "no_answer")
        return t(f"chart.{key}", lang)
    names = {n.code: n.label(lang) for n in theme.scale.non_substantive}
    given = [names[c] for c in ("dont_know", "prefer_not") if (as_number(row.get(f"count_{c}")) or 0) > 0]
    if row.get("role") == "employee" and given:
        return t("chart.item_off_scale_only", lang).lower()
    return " / ".join(given) if given else t("chart.no_answer", lang)


def role_offsets(roles: tuple[str, ...]) -> dict[str, float]:
    """Each role's line within an item's band, evenly around the item's centre, in the order given (down is
    positive): three roles at -0.27, 0, 0.27; the employees alone on the centre."""
    middle = (len(roles) - 1) / 2
    return {role: (k - middle) * ROLE_STEP for k, role in enumerate(roles)}


def mean_layout(
    description: pd.DataFrame, *, wave: object | None = None, lang: Lang = "da", theme: Theme | None = None,
    wrap_width: int = _style.STYLES["screen"].short_wrap,
) -> MeanLayout:
    """Everything :func:`mean_marks` draws, from a description of one leader (``describe_selection`` with
    ``Selection.leader``) or of a selection (employees only)."""
    lang, theme, _, _ = chart_setup(lang, theme)
    require_columns(description, ["role", "item_id", "mean", "ci_low", "ci_high"], "mean_marks",
                    "dol_toolkit.stats.describe_selection(responses, Selection.leader(...))")
    rows = pick_wave(description, wave, "mean_marks")
    rows = rows[(rows["item_id"].astype(object) != INDEX).to_numpy()]
    records: dict[tuple[str, str], dict[str, object]] = {
        (str(r["item_id"]), str(r["role"])): {str(k): v for k, v in r.items()} for r in rows.to_dict("records")
    }
    roles = tuple(r for r in ROLES if any(role == r for _, role in records))
    employees = [rec for (_, role), rec in records.items() if role == "employee"]
    if not employees or all(bool(rec.get("suppressed", False)) for rec in employees):
        reasons = {rec.get("reason") for rec in employees}
        reason = "too_few_respondents" if not employees or "too_few_respondents" in reasons else "no_answers"
        return MeanLayout((), roles, reason)

    offsets = role_offsets(roles)
    items = []
    for item_id in theme_order(theme, list(dict.fromkeys(i for i, _ in records))):
        marks = []
        for role in roles:
            record = records.get((item_id, role))
            y = offsets[role]
            value = as_number(record.get("mean")) if record and not bool(record.get("suppressed", False)) else None
            if record is None or value is None:
                why = t("chart.no_answer", lang) if record is None else _why_missing(record, lang, theme)
                marks.append(Mark(role, y, None, note=t(f"chart.role_note_{role}", lang, what=why)))
                continue
            low, high = (as_number(record.get("ci_low")), as_number(record.get("ci_high"))) if role == "employee" \
                else (None, None)
            marks.append(Mark(role, y, value, low, high))
        items.append(MeanItem(item_id, wrap(item_label(theme, item_id, lang, full=False), wrap_width),
                              tuple(marks)))
    return MeanLayout(tuple(items), roles, None)


def mean_marks(
    description: pd.DataFrame,
    *,
    wave: object | None = None,
    ax: Axes | None = None,
    lang: Lang = "da",
    theme: Theme | None = None,
    medium: Medium = "screen",
    min_n: int = 5,
) -> Axes:
    """Per item: the employees' mean with its 95 % interval (circle and line), the leader's own answer (diamond)
    and the own leader's answer (square) on the theme's scale, whose end points carry the scale's labels.

    ``description``: :func:`dol_toolkit.stats.describe_selection` of ``Selection.leader(...)`` (roles employee,
    self, manager; a selection's description shows the employees only). ``wave``: the round, the latest when
    None. ``ax``: where to draw; None makes a new figure of the medium's width. ``medium``: "screen", "paper"
    or "phone" (:mod:`dol_toolkit.plots.media`; on a phone each item's text stands above its marks and the
    legend below the chart). When every employee figure is suppressed, the chart's place shows why
    (fewer than ``min_n`` employees) and no number. Returns the Axes.
    """
    lang, theme, medium, st = chart_setup(lang, theme, medium)
    layout = mean_layout(description, wave=wave, lang=lang, theme=theme,
                         wrap_width=NO_WRAP if st.narrow else st.short_wrap)
    if layout.suppressed_reason is not None:
        key = "suppressed_employees" if layout.suppressed_reason == "too_few_respondents" else "no_answers"
        message = t(f"chart.{key}", lang, min_n=min_n)
        return message_chart(ax, message, medium)
    placed = item_rows([i.label for i in layout.items], medium, _row_height(layout, medium),
                     _rows_height(layout, medium))
    labels, positions, separators, narrow = placed.labels, placed.positions, placed.separators, placed.narrow
    ax, own_figure = own_axes(ax, medium, placed.inches)

    cap = 0.08 if len(layout.roles) > 1 else 0.16
    points = theme.scale.points
    lo, hi = points[0].value, points[-1].value
    for y in separators:
        ax.axhline(y, color=_style.GRID, linewidth=0.8, zorder=5 if st.narrow else 0)
    for pos, item in zip(positions, layout.items, strict=True):
        for mark in item.marks:
            y = pos + mark.y
            colour = _style.ROLE_COLOURS[mark.role]
            if mark.value is None:
                # On a phone from the axis' left end, where the whole width is the note's.
                ax.text(lo - 0.3 if st.narrow else 3, y, mark.note or "",
                        ha="left" if st.narrow else "center", va="center", fontsize=st.note_pt, style="italic",
                        color=_style.NOTE_COLOUR)
                continue
            if mark.low is not None and mark.high is not None:
                ax.plot([mark.low, mark.high], [y, y], color=colour, linewidth=st.line, solid_capstyle="butt",
                        zorder=2, gid=f"interval:{item.item_id}:{mark.role}")
                for end in (mark.low, mark.high):
                    ax.plot([end, end], [y - cap, y + cap], color=colour, linewidth=st.line, zorder=2)
            ax.plot([mark.value], [y], linestyle="none", marker=_style.ROLE_MARKERS[mark.role], markersize=st.marker,
                    color=colour, markeredgecolor="white", markeredgewidth=1.0, zorder=3,
                    gid=f"mean:{item.item_id}:{mark.role}")
            if mark.role == "employee":
                right = max(mark.value, mark.high if mark.high is not None else mark.value)
                ax.text(right + LABEL_GAP, y, format_decimal(mark.value, lang), ha="left", va="center",
                        fontsize=st.note_pt, color=colour, fontweight="bold")

    ticks = [p.value for p in points]

    def end_label(text: str) -> str:
        return wrap_to_width(text, END_LABEL_IN, st.tick_pt) if st.narrow else text

    ax.set_xticks(ticks, [f"{p.value}\n{end_label(p.label(lang))}" if p.value in (lo, hi) else str(p.value)
                          for p in points])
    ax.set_xlim(lo - 0.35, hi + 0.55)
    ax.grid(axis="x", color=_style.GRID, linewidth=0.8, zorder=0)
    ax.set_axisbelow(True)
    if narrow is not None:
        draw_labels_above(ax, narrow, labels, medium, own_figure=own_figure)
    else:
        ax.set_yticks(positions, labels)
        ax.set_ylim(len(layout.items) - 0.5, -0.5)
    ax.tick_params(axis="y", length=0)
    for name in ("top", "right", "left"):
        ax.spines[name].set_visible(False)
    ax.set_xlabel(t("chart.means_xlabel", lang), fontsize=st.label_pt)
    handles = [
        Line2D([], [], color=_style.ROLE_COLOURS[r], marker=_style.ROLE_MARKERS[r], markersize=st.marker,
               linestyle="-" if r == "employee" else "none", linewidth=st.line, markeredgecolor="white",
               label=t(f"chart.{LEGEND_KEYS[r]}", lang))
        for r in layout.roles
    ]
    if st.narrow:  # sizes first: the legends go below the tick labels as sized
        finish_text(ax, medium=medium)
        bottom_legends([ax], [(handles, ax, None)], medium, own_figure=own_figure)
    else:
        top_legend(ax, handles, medium, own_figure=own_figure, ncols=1, align="left", above_pt=0.4 * st.legend_pt)
    finish_text(ax, medium=medium)
    if own_figure:
        fit_row([ax], pad=st.pad, height=placed.inches)
    return ax


def _rows_height(layout: MeanLayout, medium: Medium) -> float:
    """Inches for the rows: an item's label, and a line of note text per role with its mark apart."""
    st = _style.style(medium)
    lines = max((i.label.count("\n") + 1 for i in layout.items), default=1)
    label = line_height(st.tick_pt, lines) + 2 * st.gap
    return len(layout.items) * max(label, _row_height(layout, medium))


def _row_height(layout: MeanLayout, medium: Medium) -> float:
    """Inches for an item's marks: a line of note text per role with its mark apart."""
    st = _style.style(medium)
    per_role = max(line_height(st.note_pt, 1, 1.5), st.marker * 1.6 / 72)
    # The roles' lines are ROLE_STEP of a row apart; one role alone gets a row of two lines.
    return per_role / ROLE_STEP if len(layout.roles) > 1 else 2 * per_role
