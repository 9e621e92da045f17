"""Step 0, the preparation app: the facilitator makes the workshop ready on their own machine.

Upload the organisation's export; read the import report; map what was not recognised (columns, answer labels,
roles, the completion status, other spellings of leaders' names) with dropdowns; see the departments and leaders
with their respondents and who falls under the anonymity rule; pick the group; name, date and facilitator; save
(configuration, mapping, personal codes) and print the code sheet; start the workshop on the saved
configuration. The work is :mod:`dol_toolkit.prepare`'s; this module builds and wires widgets only.

The server serves this page only to the facilitator's own machine and never with ``--lan``
(:mod:`dol_toolkit.server`).
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from dol_toolkit.apps._common import CSS, error_box, esc, language_switch
from dol_toolkit.apps._visit import on_visit
from dol_toolkit.errors import error_text
from dol_toolkit.i18n import Lang, as_lang, format_integer, t
from dol_toolkit.i18n.dates import DateParseError, parse_date, short_date
from dol_toolkit.prepare import (
    ROLE_CHOICES,
    Choices,
    Inspection,
    PrepareError,
    SavedWorkshop,
    WorkshopPlan,
    answer_choices,
    code_sheet,
    code_sheet_pdf,
    inspect_export,
    request_start,
    save_upload,
)
from dol_toolkit.stats.anonymity import AnonymityPolicy
from dol_toolkit.survey.errors import SurveyImportError
from dol_toolkit.survey.vocabulary import FIELD_LABELS
from dol_toolkit.themes import Theme, load_theme
from dol_toolkit.uploads import UPLOAD_LIMIT_BYTES, limit_html, size_text

log = logging.getLogger("dol_toolkit.apps.preparation")

# The columns a facilitator may have to name (the layouts' other fields are rare; a mapping file takes them).
NO_DEPARTMENT = "(none)"  # the dropdown's value for leaders without a department
MAPPED_FIELDS = ("leader_name", "leader_id", "role", "department", "wave", "respondent_id")
WIDE = widgets.Layout(width="auto", min_width="24em")
STYLE = {"description_width": "16em"}
PREP_CSS = """
<style>
.dol-prep .dol-report { font-size: 16px; white-space: pre-wrap; background: #f8fafc; border-left: 5px solid #0b3d62;
  padding: 0.6em 1em; max-height: 28em; overflow: auto; font-family: inherit; }
.dol-prep .lm-TabBar-tab, .dol-prep .p-TabBar-tab { font-size: 17px !important; flex: 0 0 auto !important;
  max-width: none !important; min-width: 10em; min-height: 34px !important; line-height: 32px !important;
  padding: 0 1em !important; }
.dol-prep .lm-TabBar, .dol-prep .p-TabBar { min-height: 36px !important; }
.dol-prep .widget-text input, .dol-prep .widget-dropdown select, .dol-prep .widget-inline-hbox .widget-label,
.dol-prep .widget-checkbox label, .dol-prep .widget-upload { font-size: 16px !important; }
.dol-prep .widget-checkbox { width: 100%; }
.dol-prep .dol-upload-limit-text { font-size: 16px; margin: 0.3em 0; }
.dol-prep .dol-ok { font-size: 18px; color: #1d5c2e; background: #e8f4ec; border-left: 5px solid #1d5c2e;
  padding: 0.6em 1em; }
.dol-prep a.dol-sheet, .dol-prep a.dol-open-workshop { color: #0b3d62; font-weight: bold; text-decoration: underline; }
.dol-prep table.dol-table td.dol-left-out { color: #8a1c1c; font-weight: bold; text-align: left; }
.dol-prep table.dol-table td.dol-shown { color: #1d5c2e; text-align: left; }
</style>
"""


def _choice_label(value: int | str, theme: Theme, lang: Lang) -> str:
    if isinstance(value, int):
        return f"{value} – {theme.scale.points[value - 1].label(lang)}"
    return theme.scale.label(value, lang)


class PreparationApp:
    """The preparation app; ``widget`` is what the notebook displays."""

    def __init__(self, lang: str | None = None, theme: Theme | None = None, address: str | None = None) -> None:
        self.theme = theme or load_theme()
        self.choices = Choices()
        self.inspection: Inspection | None = None
        self.upload_path: Path | None = None
        self.saved: SavedWorkshop | None = None
        self.errors = error_box()
        self.switch = language_switch(as_lang(lang))
        self.head = widgets.HTML()
        # 1 the file
        self.upload = widgets.FileUpload(accept=",".join((".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls",
                                                          ".sav")), multiple=False)
        self.upload.add_class("dol-upload")
        # The largest file, said under the button; the page's script reads it and refuses a larger file before
        # sending it (a larger message would be dropped on the way, without a word), saying why in the slot here.
        self.upload_limit = widgets.HTML()
        self.upload_limit.add_class("dol-upload-size")
        self.file_status = widgets.HTML()
        self.file_status.add_class("dol-file-status")
        self.report = widgets.HTML()
        self.report.add_class("dol-import-report")
        # 2 the mapping
        self.map_intro = widgets.HTML()
        self.field_boxes = {f: self._dropdown(f"dol-map-{f}") for f in MAPPED_FIELDS}
        self.item_boxes = {i: self._dropdown(f"dol-map-item-{i}") for i in self.theme.item_ids}
        self.status_column = self._dropdown("dol-map-status")
        self.status_values = widgets.Text(layout=WIDE, style=STYLE)
        self.status_all = widgets.Checkbox(indent=False)
        self.answer_boxes: dict[str, widgets.Dropdown] = {}
        self.role_boxes: dict[str, widgets.Dropdown] = {}
        self.answers_box = widgets.VBox()
        self.roles_box = widgets.VBox()
        self.alias_from = self._dropdown("dol-alias-from")
        self.alias_to = self._dropdown("dol-alias-to")
        self.alias_add = widgets.Button(layout=widgets.Layout(width="auto"))
        self.alias_clear = widgets.Button(layout=widgets.Layout(width="auto"))
        self.aliases = widgets.HTML()
        self.apply = widgets.Button(button_style="primary", layout=widgets.Layout(width="auto"))
        self.apply.add_class("dol-apply")
        self.map_status = widgets.HTML()
        self.map_headings = {k: widgets.HTML() for k in ("columns", "items", "status", "answers", "roles", "aliases")}
        # 3 leaders and the group
        self.leaders_intro = widgets.HTML()
        self.counts = widgets.HTML()
        self.counts.add_class("dol-leader-counts")
        self.department = self._dropdown("dol-department")
        self.pick_department = widgets.Button(layout=widgets.Layout(width="auto"))
        self.pick_department.add_class("dol-pick-department")
        self.pick_none = widgets.Button(layout=widgets.Layout(width="auto"))
        self.leader_boxes: dict[str, widgets.Checkbox] = {}
        self.leader_grid = widgets.GridBox(layout=widgets.Layout(grid_template_columns="repeat(3, minmax(0, 1fr))",
                                                                 width="100%"))
        self.leader_grid.add_class("dol-leader-pick")
        self.picked = widgets.HTML()
        self.picked.add_class("dol-picked")
        # 4 the workshop
        self.name = widgets.Text(layout=WIDE, style=STYLE)
        self.name.add_class("dol-name")
        self.day = widgets.Text(layout=WIDE, style=STYLE)
        self.day.add_class("dol-day")
        self.organisation = widgets.Text(layout=WIDE, style=STYLE)
        self.facilitator = widgets.Text(layout=WIDE, style=STYLE)
        self.facilitator.add_class("dol-facilitator")
        self.language = widgets.Dropdown(options=[("Dansk", "da"), ("English", "en")], value=self.switch.value,
                                         layout=WIDE, style=STYLE)
        self.min_n = widgets.BoundedIntText(value=5, min=5, max=100, layout=WIDE, style=STYLE)
        self.participants = widgets.BoundedIntText(value=10, min=1, max=60, layout=WIDE, style=STYLE)
        self.participants.add_class("dol-participants")
        self.address = widgets.Text(value=address or "http://127.0.0.1:8866/", layout=WIDE, style=STYLE)
        self.address.add_class("dol-address")
        self.save = widgets.Button(button_style="primary", layout=widgets.Layout(width="auto"))
        self.save.add_class("dol-save")
        self.saved_box = widgets.HTML()
        self.saved_box.add_class("dol-saved")
        self.start = widgets.Button(button_style="success", disabled=True, layout=widgets.Layout(width="auto"))
        self.start.add_class("dol-start")
        self.start_box = widgets.HTML()
        self.start_box.add_class("dol-started")

        self.tabs = widgets.Tab(children=[self._file_tab(), self._map_tab(), self._leaders_tab(),
                                          self._workshop_tab()])
        self.widget = widgets.VBox([widgets.HTML(CSS + PREP_CSS), self.switch, self.head, self.errors, self.tabs],
                                   layout=widgets.Layout(padding="0 1.5em", width="100%"))
        self.widget.add_class("dol-app")
        self.widget.add_class("dol-prep")
        self.switch.observe(self._guard(lambda _: self.relabel()), names="value")
        self.upload.observe(self._guard(self._on_upload), names="value")
        self.apply.on_click(self._guard(lambda _: self.reinspect()))
        self.alias_add.on_click(self._guard(self._on_alias_add))
        self.alias_clear.on_click(self._guard(self._on_alias_clear))
        self.pick_department.on_click(self._guard(self._on_pick_department))
        self.pick_none.on_click(self._guard(lambda _: self._pick(set())))
        self.save.on_click(self._guard(self._on_save))
        self.start.on_click(self._guard(self._on_start))
        self.relabel()

    def _guard(self, callback: Callable[..., None]) -> Callable[..., None]:
        """A widget callback whose errors are shown, never raised (as the apps' ``guarded``): the preparation's
        and the import's own errors in the page's language, anything else logged and said in a sentence."""

        def wrapper(*args: Any, **kwargs: Any) -> None:
            try:
                callback(*args, **kwargs)
            except (PrepareError, SurveyImportError) as exc:
                log.info("preparation: %s", exc)
                self.errors.value = self._alert(exc.message(self.lang))
            except Exception as exc:
                log.exception("error in the preparation app's %s", getattr(callback, "__name__", callback))
                self.errors.value = self._alert(t("app.error", self.lang, message=error_text(exc, self.lang)))
            else:
                self.errors.value = ""

        return wrapper

    @staticmethod
    def _alert(text: str) -> str:
        return f'<div class="dol-error" role="alert">{esc(text)}</div>'

    # -- layout ---------------------------------------------------------------------------------------------------
    @staticmethod
    def _dropdown(css: str) -> widgets.Dropdown:
        box = widgets.Dropdown(options=[("—", "")], value="", layout=WIDE, style=STYLE)
        box.add_class(css)
        return box

    def _file_tab(self) -> widgets.Widget:
        return widgets.VBox([self.upload, self.upload_limit, self.file_status, self.report])

    def _map_tab(self) -> widgets.Widget:
        h = self.map_headings
        alias_row = widgets.HBox([self.alias_from, self.alias_to, self.alias_add, self.alias_clear])
        return widgets.VBox([
            self.map_intro, h["columns"], *self.field_boxes.values(), h["items"], *self.item_boxes.values(),
            h["status"], self.status_column, self.status_values, self.status_all, h["answers"], self.answers_box,
            h["roles"], self.roles_box, h["aliases"], alias_row, self.aliases, self.apply, self.map_status,
        ])

    def _leaders_tab(self) -> widgets.Widget:
        row = widgets.HBox([self.department, self.pick_department, self.pick_none])
        return widgets.VBox([self.leaders_intro, row, self.leader_grid, self.picked, self.counts])

    def _workshop_tab(self) -> widgets.Widget:
        return widgets.VBox([self.name, self.day, self.organisation, self.facilitator, self.language, self.min_n,
                             self.participants, self.address, self.save, self.saved_box, self.start,
                             self.start_box])

    @property
    def lang(self) -> Lang:
        return as_lang(self.switch.value)

    def relabel(self) -> None:
        """Every text in the page's language."""
        lang = self.lang
        self.switch.description = t("app.language", lang)
        self.head.value = (f'<div class="dol-page"><div class="dol-kicker">{esc(t("prep.kicker", lang))}</div>'
                           f'<h1>{esc(t("prep.title", lang))}</h1><p>{esc(t("prep.intro", lang))}</p></div>')
        for k, key in enumerate(("tab_file", "tab_map", "tab_leaders", "tab_workshop")):
            self.tabs.set_title(k, t(f"prep.{key}", lang))
        self.upload.description = t("prep.upload", lang)
        self.upload_limit.value = self._upload_limit_html(lang)
        for f, box in self.field_boxes.items():
            box.description = FIELD_LABELS[f][0 if lang == "da" else 1].capitalize()
        for i, box in self.item_boxes.items():
            box.description = self.theme.item(i).short(lang)
        self.status_column.description = t("prep.status_column", lang)
        self.status_values.description = t("prep.status_completed", lang)
        self.status_values.placeholder = t("prep.status_completed_hint", lang)
        self.status_all.description = t("prep.status_all", lang)
        self.alias_from.description = t("prep.alias_from", lang)
        self.alias_to.description = t("prep.alias_to", lang)
        self.alias_add.description = t("prep.alias_add", lang)
        self.alias_clear.description = t("prep.alias_clear", lang)
        self.apply.description = t("prep.apply", lang)
        for key, box in self.map_headings.items():
            box.value = f'<div class="dol-page"><h3>{esc(t(f"prep.map_{key}", lang))}</h3></div>'
        self.map_intro.value = f'<div class="dol-page"><p>{esc(t("prep.map_intro", lang))}</p></div>'
        self.department.description = t("prep.department", lang)
        self.pick_department.description = t("prep.pick_department", lang)
        self.pick_none.description = t("prep.pick_none", lang)
        self.name.description = t("prep.name", lang)
        self.name.placeholder = t("prep.name_hint", lang)
        self.day.description = t("prep.date", lang)
        self.day.placeholder = t("prep.date_hint", lang)
        self.organisation.description = t("prep.organisation", lang)
        self.facilitator.description = t("prep.facilitator", lang)
        self.language.description = t("prep.language", lang)
        self.min_n.description = t("prep.min_n", lang)
        self.participants.description = t("prep.participants", lang)
        self.address.description = t("prep.address", lang)
        self.save.description = t("prep.save", lang)
        self.start.description = t("prep.start", lang)
        self._render()

    # -- state to screen ------------------------------------------------------------------------------------------
    def _render(self) -> None:
        lang = self.lang
        found = self.inspection
        if found is None:
            self.file_status.value = f'<div class="dol-page"><p>{esc(t("prep.no_file", lang))}</p></div>'
            self.report.value = ""
        else:
            # the report first: the file's status says "ready" only once the report under it is on screen
            status, report = self._file_status_html(found, lang), self._report_html(found, lang)
            self.report.value = report
            self.file_status.value = status
        self._render_mapping(lang)
        self._render_leaders(lang)
        self._render_picked(lang)
        self.aliases.value = self._aliases_html(lang)

    @staticmethod
    def _upload_limit_html(lang: Lang) -> str:
        limit = size_text(UPLOAD_LIMIT_BYTES, lang)
        too_big = t("prep.upload_size.too_big", lang, name="{name}", size="{size}", limit="{limit}")
        return (f'<p class="dol-upload-limit-text">{esc(t("prep.upload_size.limit", lang, limit=limit))}</p>'
                f'{limit_html(too_big, lang)}<div class="dol-upload-refused" role="alert"></div>')

    def _file_status_html(self, found: Inspection, lang: Lang) -> str:
        name = esc(found.path.name)
        if found.error is not None:
            reason = found.error.message(lang)
            return (f'<div class="dol-page"><p class="dol-error" role="alert">'
                    f'{esc(t("prep.cannot_import", lang, name=found.path.name, reason=reason))}</p>'
                    f'<p>{esc(t("prep.cannot_import_next", lang))}</p></div>')
        assert found.result is not None
        report = found.result.report
        if found.ok:  # how many rows can be used, and how many were left out and why
            text = t("prep.file_read", lang, name=found.path.name, kept=format_integer(report.rows_kept, lang),
                     leaders=format_integer(report.leaders, lang))
            text = f"{text} {report.left_out(lang)}".strip()
            return f'<div class="dol-page"><p class="dol-ok" data-file="{name}">{esc(text)}</p></div>'
        text = t("prep.file_unusable", lang, name=found.path.name, verdict=report.verdict(lang))
        return (f'<div class="dol-page"><p class="dol-error" role="alert" data-file="{name}">{esc(text)}</p>'
                f'</div>')

    def _report_html(self, found: Inspection, lang: Lang) -> str:
        if found.result is None:
            return ""
        text = found.result.report.format(lang, max_rows_per_problem=10**6)
        return (f'<div class="dol-page"><h2>{esc(t("prep.report_heading", lang))}</h2>'
                f'<pre class="dol-report">{esc(text)}</pre></div>')

    def _header_options(self, lang: Lang) -> list[tuple[str, str]]:
        headers = self.inspection.headers if self.inspection else []
        shown = [(h if len(h) <= 70 else h[:69] + "…", h) for h in headers]
        return [(t("prep.not_in_file", lang), ""), *shown]

    def _set_options(self, box: widgets.Dropdown, options: list[tuple[str, str]], value: str) -> None:
        values = [v for _, v in options]
        box.options = options
        box.value = value if value in values else ""

    def _render_mapping(self, lang: Lang) -> None:
        found = self.inspection
        options = self._header_options(lang)
        for f, box in self.field_boxes.items():
            current = self.choices.columns.get(f) or (found.fields.get(f, "") if found else "")
            self._set_options(box, options, current)
        for i, box in self.item_boxes.items():
            current = self.choices.items.get(i) or (found.items.get(i, "") if found else "")
            self._set_options(box, options, current)
        status = [(t("prep.status_recognised", lang), ""), *options[1:]]
        self._set_options(self.status_column, status, self.choices.status_column or "")
        self.status_values.value = ", ".join(self.choices.status_completed)
        self.status_all.value = not self.choices.status_use
        # answer labels and roles not understood: one dropdown each, with what was chosen before
        labels = [*dict.fromkeys([*(found.unknown_answers if found else []), *self.choices.answers])]
        answer_options = [(t("prep.leave_out", lang), ""),
                          *((_choice_label(v, self.theme, lang), str(v)) for v in answer_choices(self.theme))]
        self.answer_boxes = {}
        for label in labels:
            box = widgets.Dropdown(options=answer_options, description=label, layout=WIDE, style=STYLE)
            box.value = str(self.choices.answers.get(label, ""))
            box.add_class("dol-map-answer")
            self.answer_boxes[label] = box
        none = widgets.HTML(f'<p class="dol-muted">{esc(t("prep.answers_none", lang))}</p>')
        self.answers_box.children = list(self.answer_boxes.values()) or [none]
        roles = [*dict.fromkeys([*(found.unknown_roles if found else []), *self.choices.roles])]
        role_options = [(t("prep.leave_out", lang), ""), *((t(f"roles.{r}", lang), r) for r in ROLE_CHOICES)]
        self.role_boxes = {}
        for label in roles:
            box = widgets.Dropdown(options=role_options, description=label, layout=WIDE, style=STYLE)
            box.value = self.choices.roles.get(label, "")
            box.add_class("dol-map-role")
            self.role_boxes[label] = box
        none = widgets.HTML(f'<p class="dol-muted">{esc(t("prep.roles_none", lang))}</p>')
        self.roles_box.children = list(self.role_boxes.values()) or [none]
        leaders = [(x, x) for x in (found.leaders if found else [])]
        self._set_options(self.alias_from, [("—", ""), *leaders], self.alias_from.value)
        self._set_options(self.alias_to, [("—", ""), *leaders], self.alias_to.value)

    def _aliases_html(self, lang: Lang) -> str:
        if not self.choices.leaders:
            return f'<p class="dol-muted">{esc(t("prep.aliases_none", lang))}</p>'
        rows = "".join(f"<li>{esc(a)} → {esc(b)}</li>" for a, b in self.choices.leaders.items())
        return f'<div class="dol-page"><ul class="dol-aliases">{rows}</ul></div>'

    def _counts(self) -> Any:
        from dol_toolkit.stats.leaders import leader_counts

        found = self.inspection
        if found is None or found.result is None:
            return None
        return leader_counts(found.result.responses, AnonymityPolicy(min_n=max(5, int(self.min_n.value))))

    def _render_leaders(self, lang: Lang) -> None:
        from dol_toolkit.stats.leaders import departments, latest_counts

        min_n = max(5, int(self.min_n.value))
        self.leaders_intro.value = (f'<div class="dol-page"><p>{esc(t("prep.leaders_intro", lang, min_n=min_n))}'
                                    "</p></div>")
        counts = self._counts()
        if counts is None or counts.empty:
            self.counts.value = f'<div class="dol-page"><p>{esc(t("prep.no_leaders_yet", lang))}</p></div>'
            self._set_options(self.department, [("—", "")], "")
            self.leader_grid.children = []
            self.leader_boxes = {}
            return
        by_department = departments(counts)
        options = [("—", ""), *((d or t("prep.no_department", lang), d or NO_DEPARTMENT) for d in by_department)]
        self._set_options(self.department, options, self.department.value)
        latest = latest_counts(counts)
        picked = {x for x, box in self.leader_boxes.items() if box.value}
        self.leader_boxes = {}
        for row in latest.itertuples(index=False):
            mark = "" if row.shown else " ⚠"
            box = widgets.Checkbox(value=str(row.leader) in picked, indent=False,
                                   description=f"{row.leader} ({row.employees}){mark}",
                                   layout=widgets.Layout(width="auto"))
            box.add_class("dol-leader")
            box.observe(self._guard(lambda _: self._render_picked(self.lang)),
                        names="value")
            self.leader_boxes[str(row.leader)] = box
        self.leader_grid.children = list(self.leader_boxes.values())
        self.counts.value = self._counts_html(counts, lang, min_n)

    def _counts_html(self, counts: Any, lang: Lang, min_n: int) -> str:
        head = "".join(f"<th>{esc(t(f'prep.col_{c}', lang))}</th>"
                       for c in ("department", "leader", "wave", "employees", "self", "manager", "status"))
        rows = []
        for row in counts.itertuples(index=False):
            status = (f'<td class="dol-shown">{esc(t("prep.shown", lang))}</td>' if row.shown else
                      f'<td class="dol-left-out">{esc(t("prep.left_out", lang, min_n=min_n))}</td>')
            rows.append(f'<tr data-leader="{esc(row.leader)}"><td style="text-align:left">{esc(row.department)}'
                        f'</td><th scope="row">{esc(row.leader)}</th><td>{esc(row.wave or "")}</td>'
                        f"<td>{row.employees}</td><td>{row.self}</td><td>{row.manager}</td>{status}</tr>")
        return (f'<div class="dol-page"><h2>{esc(t("prep.counts_heading", lang))}</h2>'
                f'<table class="dol-table"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
                "</div>")

    def chosen_leaders(self) -> list[str]:
        return [x for x, box in self.leader_boxes.items() if box.value]

    def _render_picked(self, lang: Lang) -> None:
        chosen = self.chosen_leaders()
        text = t("prep.picked", lang, count=len(chosen)) + (": " + ", ".join(chosen) if chosen else "")
        self.picked.value = f'<div class="dol-page"><p><strong>{esc(text)}</strong></p></div>'

    # -- events ---------------------------------------------------------------------------------------------------
    def _on_upload(self, change: dict[str, Any]) -> None:
        files = change["new"]
        if not files:
            return
        item = files[0]
        try:
            self.upload_path = save_upload(bytes(item["content"]), str(item["name"]))
        finally:
            self.upload.value = ()  # the file is kept on disk; the widget lets go of its bytes
        self.choices = Choices()
        self.saved = None
        self.start.disabled = True
        self.saved_box.value = self.start_box.value = ""
        self.inspect()

    def inspect(self) -> None:
        """Import the uploaded file with the choices made, and show what came of it."""
        if self.upload_path is None:
            raise PrepareError("no_upload")
        try:
            self.inspection = inspect_export(self.upload_path, self.choices, self.theme)
        except SurveyImportError as exc:  # choices that contradict each other: said, and the last good view kept
            self.map_status.value = f'<p class="dol-error" role="alert">{esc(exc.message(self.lang))}</p>'
            return
        self.map_status.value = ""
        self._render()

    def _read_choices(self) -> Choices:
        """The choices as the dropdowns show them: what differs from what the importer found, and what was
        chosen before and is still chosen."""
        found, before = self.inspection, self.choices

        def chosen(value: str, recognised: str | None, previous: str | None) -> bool:
            return bool(value) and (value == previous or value != recognised)

        columns = {f: box.value for f, box in self.field_boxes.items()
                   if chosen(box.value, found.fields.get(f) if found else None, before.columns.get(f))}
        items = {i: box.value for i, box in self.item_boxes.items()
                 if chosen(box.value, found.items.get(i) if found else None, before.items.get(i))}
        answers: dict[str, int | str] = {}
        for label, box in self.answer_boxes.items():
            if box.value:
                answers[label] = int(box.value) if box.value.isdigit() else box.value
        roles = {label: box.value for label, box in self.role_boxes.items() if box.value}
        completed = [v.strip() for v in self.status_values.value.split(",") if v.strip()]
        return Choices(columns=columns, items=items, answers=answers, roles=roles,
                       status_column=self.status_column.value or None, status_completed=completed,
                       status_use=not self.status_all.value, leaders=dict(before.leaders))

    def reinspect(self) -> None:
        """Read the file again with the mapping as the dropdowns show it."""
        self.choices = self._read_choices()
        self.inspect()
        if self.inspection is not None and self.inspection.error is None:
            self.map_status.value = f'<p class="dol-ok">{esc(t("prep.applied", self.lang))}</p>'

    def _on_alias_add(self, _: object) -> None:
        spelling, leader = self.alias_from.value, self.alias_to.value
        if spelling and leader and spelling != leader:
            self.choices.leaders[spelling] = leader
        self.aliases.value = self._aliases_html(self.lang)

    def _on_alias_clear(self, _: object) -> None:
        self.choices.leaders = {}
        self.aliases.value = self._aliases_html(self.lang)

    def _on_pick_department(self, _: object) -> None:
        from dol_toolkit.stats.leaders import departments

        counts = self._counts()
        if counts is None or not self.department.value:
            return
        department = "" if self.department.value == NO_DEPARTMENT else self.department.value
        self._pick(set(departments(counts).get(department, [])))
        if not self.name.value.strip() and department:
            self.name.value = t("prep.default_name", self.lang, department=department)

    def _pick(self, leaders: set[str]) -> None:
        for leader, box in self.leader_boxes.items():
            box.value = leader in leaders
        self._render_picked(self.lang)

    def plan(self) -> WorkshopPlan:
        """The workshop as the page shows it (PrepareError for what is missing)."""
        lang = self.lang
        if self.upload_path is None or self.inspection is None:
            raise PrepareError("no_upload")
        if not self.inspection.ok:
            raise PrepareError("not_importable")
        day = None
        if self.day.value.strip():
            try:
                day = parse_date(self.day.value, lang)
            except DateParseError as exc:
                raise PrepareError("bad_date", reason=exc.message(lang)) from None
        return WorkshopPlan(name=self.name.value, leaders=self.chosen_leaders(), data_file=self.upload_path,
                            choices=self.choices, language=as_lang(self.language.value),
                            min_n=int(self.min_n.value), organisation=self.organisation.value,
                            facilitator=self.facilitator.value, day=day,
                            participants=int(self.participants.value))

    def _on_save(self, _: object) -> None:
        from dol_toolkit.prepare import save_workshop

        lang = self.lang
        self.start.disabled = True
        self.start_box.value = ""
        try:
            plan = self.plan()
            saved = save_workshop(plan)
            config = saved.config
            document = code_sheet(config, saved.codes, self.address.value.strip(), config.language)
            sheet_error = ""
            try:
                pdf = code_sheet_pdf(document)
            except Exception as exc:  # PDF needs Pango: the workshop is saved all the same
                log.exception("the code sheet could not be made")
                pdf, sheet_error = b"", str(exc)
        except PrepareError as exc:
            self.saved_box.value = f'<p class="dol-error" role="alert">{esc(exc.message(lang))}</p>'
            return
        self.saved = saved
        if plan.day is not None:
            self.day.value = short_date(plan.day, lang)
        parts = [t("prep.saved", lang, path=str(saved.config_path)),
                 t("prep.codes_made", lang, count=len(saved.codes))]
        html = "".join(f"<p>{esc(p)}</p>" for p in parts)
        if pdf:
            sheet = saved.folder / ("koder.pdf" if config.language == "da" else "codes.pdf")
            sheet.write_bytes(pdf)
            data = base64.b64encode(pdf).decode()
            html += (f'<p><a class="dol-sheet" download="{esc(sheet.name)}" '
                     f'href="data:application/pdf;base64,{data}">{esc(t("prep.sheet_link", lang))}</a> '
                     f'{esc(t("prep.sheet_saved", lang, path=str(sheet)))}</p>')
        else:
            html += f'<p class="dol-error">{esc(t("prep.no_pdf", lang, detail=sheet_error))}</p>'
        self.saved_box.value = f'<div class="dol-page"><div class="dol-ok">{html}</div></div>'
        self.start.disabled = False

    def _on_start(self, _: object) -> None:
        from dol_toolkit.pages.cache import ensure_content

        lang = self.lang
        if self.saved is None:
            raise PrepareError("not_saved")
        config = self.saved.config
        self.start.disabled = True
        self.start_box.value = f'<p class="dol-loading">{esc(t("prep.starting", lang))}</p>'
        ensure_content(config)  # the shared content, made here so that the restarted server has it at once
        try:
            request_start(self.saved.config_path)
        except PrepareError as exc:
            self.start.disabled = False
            self.start_box.value = f'<p class="dol-error" role="alert">{esc(exc.message(lang))}</p>'
            return
        href = f"workshop.ipynb?step=results&lang={config.language}"
        self.start_box.value = (f'<div class="dol-page"><p class="dol-ok">{esc(t("prep.started", lang))} '
                                f'<a class="dol-open-workshop" href="{esc(href)}">'
                                f'{esc(t("prep.open_results", lang))}</a></p></div>')


def preparation_app(lang: str | None = None) -> widgets.Widget:
    """Build the preparation app (language ``lang``, else the visit's ``?lang=``)."""
    from dol_toolkit.runtime import from_server

    app = PreparationApp(lang=lang, address=f"http://127.0.0.1:{from_server().port}/")
    if lang is None:
        on_visit(lambda query: setattr(app.switch, "value", as_lang(query.get("lang"))))
    return app.widget
