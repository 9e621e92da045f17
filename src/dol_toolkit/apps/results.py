"""Step 1, the results app: the group's results for everyone, each leader's own after their personal code.

The app builds and wires widgets only: figures come from :mod:`dol_toolkit.stats`, charts from
:mod:`dol_toolkit.plots`. Anonymity is the statistics layer's: the app never sees a number it may not show.

* Group view (the default): the group's pooled employee answers, the group against the whole organisation, the
  change since the earlier round (when the data has one), and the anonymous spread of the leaders' self-other
  gaps.
* Personal view: after a leader types their personal code (:class:`~dol_toolkit.apps.personal.CodeGate`: a
  wrong code is refused, repeated wrong codes pause the box), their own employees' answers, their self and their
  own leader's answers, and their largest gaps, blind spots and hidden strengths. Leaving the view removes it
  from the screen and from the app.
"""

from __future__ import annotations

import base64
import io
import logging
import threading
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
import pandas as pd
from matplotlib.axes import Axes

from dol_toolkit.apps._common import (
    CSS,
    error_box,
    esc,
    guarded,
    language_switch,
    next_step_html,
    steps_html,
)
from dol_toolkit.apps._launch import launch
from dol_toolkit.apps.personal import CodeGate
from dol_toolkit.i18n import Lang, as_lang, t
from dol_toolkit.plots import change_bars, gap_dots, likert_bars, mean_marks
from dol_toolkit.plots._format import format_decimal, format_signed
from dol_toolkit.stats import Selection, describe_selection
from dol_toolkit.stats.compare import compare_to_organisation, compare_waves
from dol_toolkit.stats.gaps import group_gap_distribution, largest_gaps
from dol_toolkit.stats.workshop_data import WorkshopData, load_workshop_data
from dol_toolkit.workshop import WorkshopConfig

log = logging.getLogger("dol_toolkit.apps.results")

STEP = 1


def chart_html(ax: Axes, alt: str, how_to_read: str, key: str) -> str:
    """A chart as an image with its alternative text and one sentence on how to read it."""
    buffer = io.BytesIO()
    figure = ax.get_figure(root=True)
    if figure is None:
        raise ValueError("the chart has no figure")
    figure.savefig(buffer, format="png", dpi=100)
    data = base64.b64encode(buffer.getvalue()).decode()
    return (
        f'<figure class="dol-chart" data-chart="{esc(key)}">'
        f'<img src="data:image/png;base64,{data}" alt="{esc(alt)}" style="max-width:100%;height:auto">'
        f'<figcaption class="dol-read">{esc(how_to_read)}</figcaption></figure>'
    )


# The app's data: read once per kernel (before the visit when kernels are preheated).
_Data = WorkshopData
load_data = load_workshop_data


class ResultsApp:
    """The results app; ``widget`` is what the notebook displays."""

    def __init__(self, data: _Data, lang: str | None = None) -> None:
        self.data = data
        self.errors = error_box()
        self.switch = language_switch(as_lang(lang) if lang else as_lang(data.config.language))
        waves = data.waves or [""]
        self.wave = widgets.Dropdown(options=waves, value=waves[-1], layout=widgets.Layout(width="auto"),
                                     style={"description_width": "initial"})
        self.wave.add_class("dol-wave")
        self.view = widgets.ToggleButtons(style={"description_width": "initial", "button_width": "12em"})
        self.view.add_class("dol-view")
        self.gate = CodeGate(data.config, lambda: self.lang, open_key="results.open", close_key="results.close",
                             on_open=self._opened, on_close=self._closed)
        self.header = widgets.HTML()
        self.body = widgets.HTML(layout=widgets.Layout(width="100%"))
        self.body.add_class("dol-body")
        self.aside = widgets.HTML(layout=widgets.Layout(width="100%"))
        self.footer = widgets.HTML()
        self.controls = widgets.HBox([self.wave, self.view], layout=widgets.Layout(flex_flow="row wrap",
                                                                                   grid_gap="1.5em"))
        self.grid = widgets.GridBox(
            [self.body, self.aside],
            layout=widgets.Layout(grid_template_columns="minmax(0, 3fr) minmax(16em, 1fr)", grid_gap="1.5em",
                                  width="100%"),
        )
        self.widget = widgets.VBox(
            [self.switch, self.header, self.errors, self.controls, self.gate.widget,
             self.grid, self.footer],
            layout=widgets.Layout(padding="0 1.5em", width="100%"),
        )
        self.widget.add_class("dol-results")
        self._cache: dict[tuple[object, ...], str] = {}
        self._lock = threading.RLock()
        self._threads: list[threading.Thread] = []
        self._relabelling = False
        self.switch.observe(self._guard(self._on_change), names="value")
        self.wave.observe(self._guard(self._on_change), names="value")
        self.view.observe(self._guard(self._on_view), names="value")
        self.gate.open_button.on_click(self._guard(self.gate.try_open))
        self.gate.close_button.on_click(self._guard(self.gate.close))
        self._relabel()
        self.render()

    def _guard(self, callback: Callable[..., None]) -> Callable[..., None]:
        return guarded(callback, self.errors, lambda: self.lang)

    # -- state ------------------------------------------------------------------------------------------
    @property
    def lang(self) -> Lang:
        return as_lang(self.switch.value)

    def _relabel(self) -> None:
        lang = self.lang
        self.switch.description = t("app.language", lang)
        self.wave.description = t("results.wave", lang)
        self.wave.disabled = len(self.data.waves) < 2
        current = self.view.value or "group"
        self._relabelling = True  # new option labels reset the value for a moment: not a change of view
        try:
            self.view.options = [(t("results.view_group", lang), "group"),
                                 (t("results.view_personal", lang), "personal")]
            self.view.value = current
        finally:
            self._relabelling = False
        self.view.description = t("results.view", lang)
        self.gate.relabel()
        self.gate.open_button.tooltip = t("results.open_help", lang)
        self.gate.close_button.tooltip = t("results.close_help", lang)

    def _on_change(self, change: dict[str, Any]) -> None:
        self._relabel()
        self.render()

    @property
    def leader(self) -> str | None:
        """The leader whose results are open (after their code), or None."""
        return self.gate.leader

    def _on_view(self, change: dict[str, Any]) -> None:
        if self._relabelling:
            return
        if change["new"] == "group" and self.leader is not None:
            self.gate.close()  # leaving the personal view closes it
            return
        self.gate.message.value = ""
        self.render()

    def _opened(self, leader: str) -> None:
        self.view.value = "personal"
        self.render()
        self.prerender()

    def _closed(self) -> None:
        with self._lock:  # nothing of the personal view stays, on screen or in the app
            self._cache = {k: v for k, v in self._cache.items() if k[0] != "personal"}
        self.view.value = "group"
        self.render()

    # -- rendering ----------------------------------------------------------------------------------------
    def render(self) -> None:
        lang = self.lang
        personal = self.view.value == "personal"
        self.gate.show(personal)
        name = self.data.config.name
        title = t("results.title_personal", lang, leader=self.leader) if personal and self.leader else \
            t("results.title", lang, group=name)
        self.header.value = (
            f'{CSS}<div class="dol-page"><div class="dol-kicker">{esc(self.data.theme.title(lang))} · '
            f'{esc(t("steps.results", lang))}</div><h1>{esc(title)}</h1></div>'
        )
        self.aside.value = self._questions_html(lang)
        self.footer.value = f'<div class="dol-page">{next_step_html(STEP, lang)}{steps_html(lang, STEP)}</div>'
        # The charts last: everything else on the page is already in the new state while they are drawn.
        if personal and self.leader is None:
            self.body.value = f'<div class="dol-page"><p>{esc(t("results.code_intro", lang))}</p></div>'
        elif personal and self.leader is not None:
            self.body.value = self._personal(self.leader, self.wave.value, lang)
        else:
            self.body.value = self._group(self.wave.value, lang)

    # -- drawing, cached: one drawing at a time (matplotlib), here or in the background ----------------------
    def _group(self, wave: str, lang: Lang) -> str:
        with self._lock:
            key = ("group", wave, lang)
            if key not in self._cache:
                self._cache[key] = self._group_html(wave, lang)
            return self._cache[key]

    def _personal(self, leader: str, wave: str, lang: Lang) -> str:
        with self._lock:
            key = ("personal", leader, wave, lang)
            if key not in self._cache:
                html = self._personal_html(leader, wave, lang)
                if self.leader != leader:  # closed meanwhile: keep nothing of it
                    return ""
                self._cache[key] = html
            return self._cache[key]

    def prerender(self, background: bool = True) -> None:
        """Draw the other rounds and languages of the current view ahead, so that choosing them is instant.

        Runs in a background thread (with preheated kernels, before anyone visits); a choice the user makes
        meanwhile waits at most for the drawing in progress.
        """
        leader = self.leader

        def work() -> None:
            for lang in (self.lang, *[x for x in ("da", "en") if x != self.lang]):
                for wave in reversed(self.data.waves or [""]):
                    if leader is None:
                        self._group(wave, as_lang(lang))
                    elif self.leader == leader:
                        self._personal(leader, wave, as_lang(lang))

        if not background:
            work()
            return
        thread = threading.Thread(target=self._safely, args=(work,), name="dol-prerender", daemon=True)
        thread.start()
        self._threads.append(thread)

    def _safely(self, work: Callable[[], None]) -> None:
        try:
            work()
        except Exception:  # drawing ahead is a convenience: a failure shows when the user asks for it
            log.exception("drawing ahead failed")

    def _questions_html(self, lang: Lang) -> str:
        questions = "".join(f"<li>{esc(t(f'results.question_{k}', lang))}</li>" for k in (1, 2, 3))
        return (f'<div class="dol-page dol-questions" role="complementary"><h2>{esc(t("results.questions", lang))}'
                f"</h2><ol>{questions}</ol></div>")

    @staticmethod
    def _section(heading: str, content: str) -> str:
        return f'<section class="dol-section"><h2>{esc(heading)}</h2>{content}</section>'

    def _group_html(self, wave_value: str, lang: Lang) -> str:
        d, wave = self.data, wave_value or None
        parts = [CSS, '<div class="dol-page">']
        described = describe_selection(d.responses, d.group, d.policy, item_ids=d.theme.item_ids)
        employee = described[(described["role"] == "employee") & (described["wave"].astype(str) == str(wave))]
        left_out = int(employee["leaders_left_out"].max()) if len(employee) else 0
        if employee["suppressed"].all():
            parts.append(self._section(t("results.employees", lang), _notice(t("results.suppressed_group", lang,
                                                                                min_n=d.policy.min_n))))
        else:
            ax = likert_bars(described, wave=wave, lang=lang, theme=d.theme)
            parts.append(self._section(t("results.employees", lang), chart_html(
                ax, t("results.employees_alt", lang), t("results.read_likert", lang), "likert")))
            if left_out:
                parts.append(_notice(t("results.left_out", lang, count=left_out, min_n=d.policy.min_n)))
            parts.append(self._section(t("results.vs_org", lang), self._org_table(wave, lang)))
        if len(d.waves) >= 2 and str(wave) == d.waves[-1]:
            change = compare_waves(d.responses, d.group, d.policy, earlier=d.waves[-2], later=d.waves[-1])
            ax = change_bars(change, lang=lang)
            parts.append(self._section(t("results.change", lang, earlier=d.waves[-2], later=d.waves[-1]),
                                       chart_html(ax, t("results.change_alt", lang), t("results.read_change", lang),
                                                  "change")))
        spread = group_gap_distribution(d.gaps, list(d.config.leaders), d.policy)
        ax = gap_dots(spread, wave=wave, lang=lang)
        parts.append(self._section(t("results.gaps", lang), chart_html(
            ax, t("results.gaps_alt", lang), t("results.read_gaps", lang), "gaps")))
        parts.append("</div>")
        return "".join(parts)

    def _org_table(self, wave: object, lang: Lang) -> str:
        d = self.data
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

    def _personal_html(self, leader: str, wave_value: str, lang: Lang) -> str:
        d, wave = self.data, wave_value or None
        described = describe_selection(d.responses, Selection.leader(leader), d.policy, item_ids=d.theme.item_ids)
        mine = described[described["wave"].astype(str) == str(wave)]
        parts = [CSS, '<div class="dol-page">']
        if mine.empty:
            return "".join([*parts, _notice(t("results.no_data_wave", lang, wave=wave)), "</div>"])
        employees = mine[mine["role"] == "employee"]
        if employees["suppressed"].all():
            parts.append(self._section(t("results.your_employees", lang), _notice(
                t("results.suppressed_personal", lang, min_n=d.policy.min_n))))
        else:
            ax = likert_bars(described, wave=wave, lang=lang, theme=d.theme)
            parts.append(self._section(t("results.your_employees", lang), chart_html(
                ax, t("results.employees_alt", lang), t("results.read_likert", lang), "likert")))
        if employees["suppressed"].all():
            # Without employee figures the chart would be empty: the leader's own and own leader's answers.
            parts.append(self._section(t("results.own_views", lang), self._own_table(mine, lang)))
        else:
            ax = mean_marks(described, wave=wave, lang=lang)
            parts.append(self._section(t("results.three_views", lang), chart_html(
                ax, t("results.means_alt", lang), t("results.read_means", lang), "means")))
        parts.append(self._section(t("results.your_gaps", lang), self._gaps_html(leader, wave, lang)))
        parts.append("</div>")
        return "".join(parts)

    def _own_table(self, mine: pd.DataFrame, lang: Lang) -> str:
        """The leader's own and own leader's answer per item, as scale labels."""
        labels = {float(p.value): p.label(lang) for p in self.data.theme.scale.points}

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
            f"<td>{esc(answer('manager', i.id))}</td></tr>" for i in self.data.theme.items)
        return (f'<table class="dol-table dol-own" data-table="own"><thead><tr>{head}</tr></thead>'
                f"<tbody>{rows}</tbody></table>")

    def _gaps_html(self, leader: str, wave: object, lang: Lang) -> str:
        d = self.data
        mine = d.gaps[(d.gaps["leader_id"] == leader) & (d.gaps["wave"].astype(str) == str(wave))]
        if mine.empty or mine["gap_self"].isna().all():
            return _notice(t("results.no_gaps", lang, min_n=d.policy.min_n))
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


def _notice(text: str) -> str:
    return f'<p class="dol-notice" role="status">{esc(text)}</p>'


def results_app(config: str | None = None, lang: str | None = None) -> widgets.Widget:
    """Build the results app for the workshop configuration (default: the one the server was started with).

    It is built and drawn before the visit (with preheated kernels, before anyone arrives); the visitor's
    language is read once the visit comes, and the other rounds and languages are drawn ahead meanwhile.
    """

    def build(cfg: WorkshopConfig, language: Lang) -> ResultsApp:
        app = ResultsApp(load_data(cfg), lang=language)
        app.prerender()
        return app

    return launch(build, config, lang, "results")
