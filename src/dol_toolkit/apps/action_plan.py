"""Step 4, the action plan: one to three focus items (with the group's results for them), actions (what, who,
by when, which item), a follow-up date, and the workshop summary to download.

The plan is kept in the note store like every note (each change a revision; two people changing it at once
lose nothing: focus items and actions are joined). Changes save themselves shortly after the last edit.

Dates are typed as text and read the way the page's language writes them (:class:`DateField`; the browser's own
date field would show the browser's locale, mm/dd/yyyy in an en-US browser); the plan stores ISO dates.
"""

from __future__ import annotations

import base64
import contextlib
import logging
import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import ipywidgets as widgets

from dol_toolkit.apps import _timers
from dol_toolkit.apps._common import (
    CSS,
    alert_html,
    error_box,
    esc,
    footer_html,
    guarded,
    language_switch,
    page_frame,
    sent_on_leaving,
    step_label,
)
from dol_toolkit.apps._html import Markup, render
from dol_toolkit.apps._page import PageModel, unheard
from dol_toolkit.apps._timers import NotePoller, mark_done, mark_pending
from dol_toolkit.apps.discussion import item_results_html
from dol_toolkit.apps.note_editor import AUTOSAVE_SECONDS
from dol_toolkit.apps.personal import CodeGate
from dol_toolkit.i18n import Lang, as_lang, format_integer, t
from dol_toolkit.i18n.dates import DateParseError, parse_date, short_date, weekday_date
from dol_toolkit.notes import NoteKey, NoteStore, NoteTooLong
from dol_toolkit.notes.topics import (
    MAX_FOCUS,
    PLAN_ACTIONS,
    PLAN_FOCUS,
    PLAN_FOLLOW_UP,
    Action,
    dump_actions,
    dump_focus,
    dump_follow_up,
    load_plan,
    merge_plan_part,
)
from dol_toolkit.pages.cache import WorkshopContent
from dol_toolkit.steps import REGISTRY
from dol_toolkit.themes import Theme, load_theme
from dol_toolkit.workshop import WorkshopConfig, workshop_id

log = logging.getLogger("dol_toolkit.apps.action_plan")
STEP = "action_plan"
FORMATS = (("pdf", "PDF"), ("docx", "Word (.docx)"), ("html", "HTML"), ("md", "Markdown"))
_DATE_READ = '<div class="dol-date-read" style="font-size: 15px; color: #1a1a1a; padding: 0 0 0.2em 0.3em">{}</div>'
_DATE_ERROR = ('<div class="dol-date-error" style="font-size: 15px; color: #8a1c1c; font-weight: bold; '
               'padding: 0 0 0.2em 0.3em">{}</div>')
# What a date being typed says on its way ("10.6" lacks the year): said plainly, not as an error.
_DATE_HINT = '<div class="dol-date-hint" style="font-size: 15px; color: #333; padding: 0 0 0.2em 0.3em">{}</div>'
_UNFINISHED = frozenset({"dates.incomplete", "dates.year_digits"})


def _iso_day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


class DateField:
    """A date typed as the page's language writes it ("10.06.2026", "10. juni 2026"; "10 June 2026").

    Not ``<input type=date>`` (ipywidgets' DatePicker): Chromium shows that in the browser's locale (mm/dd/yyyy
    in an en-US browser) whatever the page's language. The text box keeps what was typed; under it the date as
    it was read, written out with its weekday, or in words why it cannot be read. ``iso`` is the value to save:
    the date last read (YYYY-MM-DD), "" when the box is empty, and the value it had while the text cannot be
    read (a wrong date is never saved, and the typed text stays in the box).
    """

    def __init__(self, stored: str, lang: Lang, on_change: Callable[[], None],
                 guard: Callable[[Callable[..., None]], Callable[..., None]] = lambda f: f,
                 layout: widgets.Layout | None = None) -> None:
        self.lang: Lang = lang
        self.iso = stored
        self.error: DateParseError | None = None
        self._on_change = on_change
        # The full width without side margins: a margin beside 100% would push the box's border out of sight.
        self.text = widgets.Text(continuous_update=True, layout=widgets.Layout(width="100%", margin="2px 0px"),
                                 style={"description_width": "initial", "font_size": "16px"})
        self.text.add_class("dol-date")
        sent_on_leaving(self.text)
        self.shown = widgets.HTML(layout=widgets.Layout(width="100%", margin="0px"))
        self.shown.add_class("dol-date-shown")
        self.widget = widgets.VBox([self.text, self.shown], layout=layout or widgets.Layout(flex="0 1 19em"))
        self.widget.add_class("dol-date-field")
        self._observer = guard(self._typed)
        self.text.observe(self._observer, names="value")
        self.set_stored(stored)

    @property
    def readable(self) -> bool:
        """Whether the box holds a date (or nothing): false while it holds text that is not yet a date."""
        return self.error is None

    def set_stored(self, stored: str) -> None:
        """Show a saved value: an ISO date in this language's short form; other saved text as it is (it stays
        saved as it was until someone types a date)."""
        self.iso = stored
        day = _iso_day(stored)
        self._set_text(short_date(day, self.lang) if day else stored)

    def set_text(self, text: str) -> None:
        """Put ``text`` in the box as if it had been typed, without telling the page (a reload keeps a date that
        is being corrected)."""
        self._set_text(text)

    def relabel(self, lang: Lang, description: str) -> None:
        """Labels, placeholder and the shown date in ``lang``; a date read is rewritten in its short form."""
        self.text.description = description
        self.text.placeholder = t("dates.placeholder", lang)
        if lang != self.lang:
            self.lang = lang
            day = _iso_day(self.iso)
            if self.readable and day is not None:
                self._set_text(short_date(day, lang))
        self._show()

    def _set_text(self, text: str) -> None:
        with unheard(self.text, self._observer):
            self.text.value = text
        self._read()
        self._show()

    def _typed(self, change: dict[str, Any]) -> None:
        before = self.iso
        self._read()
        self._show()
        if self.iso != before or not self.readable:  # unreadable: the status line says the date is not saved
            self._on_change()

    def _read(self) -> None:
        text = self.text.value
        if not text.strip():
            self.iso, self.error = "", None
            return
        try:
            day = parse_date(text, self.lang)
        except DateParseError as exc:
            self.error = exc  # self.iso keeps the value it had
            return
        self.iso, self.error = day.isoformat(), None

    def _show(self) -> None:
        day = _iso_day(self.iso)
        if self.error is not None:
            html = _DATE_HINT if self.error.key in _UNFINISHED else _DATE_ERROR
            self.shown.value = html.format(esc(self.error.message(self.lang)))
        elif day is not None:
            self.shown.value = _DATE_READ.format(esc(weekday_date(day, self.lang)))
        else:
            self.shown.value = ""


class _ActionRow:
    def __init__(self, action: Action, items: list[tuple[str, str]], on_change: Callable[[], None],
                 on_remove: Callable[[_ActionRow], None], lang: Lang,
                 guard: Callable[[Callable[..., None]], Callable[..., None]] = lambda f: f) -> None:
        self.id = action.id
        self.what = widgets.Text(value=action.what, layout=widgets.Layout(flex="3 1 16em"))
        self.who = widgets.Text(value=action.who, layout=widgets.Layout(flex="1 1 9em"))
        for box in (self.what, self.who):
            sent_on_leaving(box)
        self.by_when = DateField(action.by_when, lang, on_change, guard)
        known = {value for _, value in items}
        self.item = widgets.Dropdown(options=items, value=action.item_id if action.item_id in known else "",
                                     layout=widgets.Layout(flex="1 1 12em"))
        self.remove = widgets.Button(icon="", layout=widgets.Layout(width="auto"))
        self.remove.add_class("dol-remove")
        for w in (self.what, self.who, self.item):
            w.observe(lambda change: on_change(), names="value")
        self.remove.on_click(lambda _: on_remove(self))
        self.widget = widgets.HBox([self.what, self.who, self.by_when.widget, self.item, self.remove],
                                   layout=widgets.Layout(flex_flow="row wrap", width="100%",
                                                         align_items="flex-start"))
        self.widget.add_class("dol-action")

    def relabel(self, lang: Lang) -> None:
        """Labels in ``lang`` (the remove button is named by the plan, which knows the row's place)."""
        self.what.description, self.what.placeholder = t("plan.what", lang), t("plan.what_placeholder", lang)
        self.who.description = t("plan.who", lang)
        self.by_when.relabel(lang, t("plan.by_when", lang))
        self.item.description = t("plan.item", lang)
        for w in (self.what, self.who, self.item):
            w.style = {"description_width": "initial"}

    def action(self) -> Action:
        return Action(what=self.what.value.strip(), who=self.who.value.strip(), by_when=self.by_when.iso,
                      item_id=self.item.value or "", id=self.id)


class ActionPlanApp:
    """The action plan page; ``widget`` is what the notebook displays."""

    def __init__(self, config: WorkshopConfig, store: NoteStore, lang: str | None = None, theme: Theme | None = None,
                 content: WorkshopContent | None = None,
                 summary: Callable[..., tuple[bytes, str, str]] | None = None,
                 page: PageModel | None = None) -> None:
        self.config, self.store, self.content = config, store, content
        self.theme = theme or load_theme(config.theme)
        self.workshop = workshop_id(config)
        self.author = uuid.uuid4().hex[:8]
        self.summary = summary
        self.errors = error_box()
        self.switch = language_switch(as_lang(lang) if lang else config.language)
        self.header = widgets.HTML()
        self.focus_intro = widgets.HTML()
        self.focus = {i.id: widgets.Checkbox(indent=False, layout=widgets.Layout(width="auto"))
                      for i in self.theme.items}
        for box in self.focus.values():
            box.add_class("dol-focus")
        self.focus_table = widgets.HTML()
        self.actions_intro = widgets.HTML()
        self.rows: list[_ActionRow] = []
        self.actions_box = widgets.VBox(layout=widgets.Layout(width="100%"))
        self.add_button = widgets.Button(button_style="primary", layout=widgets.Layout(width="auto"))
        self.add_button.add_class("dol-add-action")
        self.follow_up = DateField("", self.lang, self._changed, self._guard,
                                   layout=widgets.Layout(width="40em", max_width="100%"))
        self.follow_up.widget.add_class("dol-follow-up")
        self.status = widgets.HTML()
        self.status.add_class("dol-note-status")
        self.gate = CodeGate(config, lambda: self.lang, open_key="plan.own_summary_open",
                             close_key="notes.private_close", on_open=self._open_personal,
                             on_close=self._close_personal, page=page)
        self.download_intro = widgets.HTML()
        self.download_buttons = {fmt: widgets.Button(layout=widgets.Layout(width="auto")) for fmt, _ in FORMATS}
        self.download_links = widgets.HTML()
        self.download_links.add_class("dol-downloads")
        # A leader's own summary gets a link of its own, closed (not hidden) when their view closes.
        self.personal_links = widgets.VBox()
        self.footer = widgets.HTML()
        self.widget = page_frame(self.switch, [
            self.header, self.errors, self.focus_intro,
            widgets.VBox(list(self.focus.values())),
            self.focus_table, self.actions_intro, self.actions_box, self.add_button, self.follow_up.widget,
            self.status,
            self.download_intro, widgets.HBox(list(self.download_buttons.values()),
                                              layout=widgets.Layout(flex_flow="row wrap")),
            self.gate.widget, self.download_links, self.personal_links, self.footer,
        ], layout=widgets.Layout(padding="0 1.5em", width="100%", max_width="75em"))
        self.widget.add_class(f"dol-step-{REGISTRY.number(STEP)}")
        self._cancel: Callable[[], None] | None = None
        self.base: dict[str, int] = {}
        self._focus_observer = self._guard(self._on_focus)
        for box in self.focus.values():
            box.observe(self._focus_observer, names="value")
        self.add_button.on_click(self._guard(lambda _: self._add_row()))
        self.switch.observe(self._guard(lambda change: self.render()), names="value")
        self.gate.open_button.on_click(self._guard(self.gate.try_open))
        self.gate.close_button.on_click(self._guard(self.gate.close))
        for fmt, button in self.download_buttons.items():
            button.on_click(self._guard(lambda _, fmt=fmt: self.download(fmt)))
        self.reload()
        self.poller = NotePoller(self.refresh)
        self.poller.start()

    @property
    def lang(self) -> Lang:
        return as_lang(self.switch.value)

    def _guard(self, callback: Callable[..., None]) -> Callable[..., None]:
        return guarded(callback, self.errors, lambda: self.lang)

    # -- state from and to the store -------------------------------------------------------------------------
    def reload(self) -> None:
        plan = load_plan(self.store, self.workshop)
        # A date being corrected (text that is not a date yet) is not in the store: it stays in its box.
        typed = {r.id: r.by_when.text.value for r in self.rows if not r.by_when.readable}
        typed_follow_up = None if self.follow_up.readable else self.follow_up.text.value
        with contextlib.ExitStack() as stored:  # the stored plan shown: not a change to save
            for item_id, box in self.focus.items():
                stored.enter_context(unheard(box, self._focus_observer))
                box.value = item_id in plan.focus
            self.rows = [self._row(a) for a in plan.actions]
            self._show_rows()
            for row in self.rows:
                if row.id in typed:
                    row.by_when.set_text(typed[row.id])
            self.follow_up.set_stored(plan.follow_up)
            if typed_follow_up is not None:
                self.follow_up.set_text(typed_follow_up)
        self.base = dict(plan.revisions)
        self.render()

    def refresh(self) -> None:
        """Bring in someone else's changes when nothing is waiting to be saved here."""
        if self._cancel is None:
            current = {topic: self.store.get(NoteKey(self.workshop, topic)).revision
                       for topic in (PLAN_FOCUS, PLAN_ACTIONS, PLAN_FOLLOW_UP)}
            if current != self.base:
                self.reload()

    def _items(self) -> list[tuple[str, str]]:
        return [(t("plan.no_item", self.lang), ""), *[(i.short(self.lang), i.id) for i in self.theme.items]]

    def _row(self, action: Action) -> _ActionRow:
        row = _ActionRow(action, self._items(), self._changed, self._remove_row, self.lang, self._guard)
        row.relabel(self.lang)
        return row

    def _show_rows(self) -> None:
        """Show ``rows`` in order, each remove button named by its row's place."""
        self.actions_box.children = [r.widget for r in self.rows]
        self._name_remove_buttons()

    def _name_remove_buttons(self) -> None:
        """Each remove button names its row's place ("Fjern handling 2"), so that a screen reader's list of buttons
        tells the rows' buttons apart."""
        for number, row in enumerate(self.rows, 1):
            row.remove.description = t("plan.remove", self.lang, n=number)

    def _add_row(self) -> None:
        focus = [i for i, box in self.focus.items() if box.value]
        row = self._row(Action(what="", item_id=focus[0] if len(focus) == 1 else ""))
        self.rows.append(row)
        self._show_rows()

    def _remove_row(self, row: _ActionRow) -> None:
        self.rows = [r for r in self.rows if r is not row]
        self._show_rows()
        self._changed()

    def _on_focus(self, change: dict[str, Any]) -> None:
        chosen = [i for i, box in self.focus.items() if box.value]
        if len(chosen) > MAX_FOCUS:
            owner = change["owner"]
            with unheard(owner, self._focus_observer):  # one too many: unticked again, nothing to save
                owner.value = False
            self.status.value = alert_html(t("plan.max_focus", self.lang, n=MAX_FOCUS))
            return
        self.focus_table.value = self._focus_table(self.lang)
        self._changed()

    def _changed(self) -> None:
        if self._cancel is not None:
            self._cancel()
        self.status.value = str(render("save_status.html", kind="pending", text=t("notes.typing", self.lang)))
        mark_pending(self)
        self._cancel = _timers.call_later(AUTOSAVE_SECONDS, self._guard(self.flush))

    def flush(self) -> None:
        """Save the plan's three parts (each only when it changed)."""
        self._cancel = None
        mark_done(self)
        parts = {
            PLAN_FOCUS: dump_focus([i for i, box in self.focus.items() if box.value]),
            PLAN_ACTIONS: dump_actions([r.action() for r in self.rows]),
            PLAN_FOLLOW_UP: dump_follow_up(self.follow_up.iso),
        }
        conflict = False
        try:
            for topic, text in parts.items():
                key = NoteKey(self.workshop, topic)
                result = self.store.save(key, text, self.base.get(topic, 0), author=self.author,
                                         merge=merge_plan_part)
                self.base[topic] = result.note.revision
                conflict = conflict or result.conflict
        except NoteTooLong as exc:  # what was typed stays on the page; never shown as saved
            self.status.value = alert_html(t("notes.too_long", self.lang, length=format_integer(exc.length, self.lang),
                                                      limit=format_integer(exc.limit, self.lang)))
            return
        except Exception:
            log.exception("the action plan could not be saved")
            self.status.value = alert_html(t("notes.not_saved", self.lang))
            return
        now = datetime.now().strftime("%H:%M:%S")
        if conflict:
            self.reload()
            self.status.value = alert_html(t("plan.conflict", self.lang))
        elif not all(field.readable for field in self.date_fields()):  # that date keeps its saved value
            self.status.value = alert_html(t("dates.not_saved", self.lang, time=now))
        else:
            self.status.value = str(render("save_status.html", kind="ok", role="status",
                                           text=t("notes.saved_at", self.lang, time=now)))

    def date_fields(self) -> list[DateField]:
        return [*(r.by_when for r in self.rows), self.follow_up]

    # -- download -------------------------------------------------------------------------------------------
    def download(self, fmt: str) -> None:
        if self.summary is None:
            raise RuntimeError(t("plan.no_export", self.lang))
        if self._cancel is not None:
            self._cancel()
            self.flush()
        leader = self.gate.leader
        self.gate.touch()
        from dol_toolkit.export._pdf import PdfUnavailable

        try:
            data, filename, mime = self.summary(self.config, fmt, leader=leader, lang=self.lang)
        except PdfUnavailable:
            log.exception("no PDF on this machine")
            raise RuntimeError(t("plan.no_pdf", self.lang)) from None
        href = f"data:{mime};base64,{base64.b64encode(data).decode()}"
        label = t("plan.download_ready", self.lang, name=filename)
        link = str(render("download_link.html", filename=filename, href=href, label=label))
        if leader is None:
            self.download_links.value = link
            return
        if self.gate.leader != leader:  # closed while the file was made: nothing of it stays
            return
        self._drop_personal_links()
        self.download_links.value = ""
        self.personal_links.add_class("dol-personal")  # the page hides it the moment "close" is clicked
        self.personal_links.children = [widgets.HTML(link)]

    def _drop_personal_links(self) -> None:
        old = self.personal_links.children
        self.personal_links.children = []
        self.personal_links.remove_class("dol-personal")
        for part in old:
            part.close()

    def _open_personal(self, leader: str) -> None:
        """A leader's view opens: the buttons now make their own summary, so the group's link made before goes
        (one download link on screen, the one the buttons made last)."""
        self.download_links.value = ""
        self.render()

    def _close_personal(self) -> None:
        """The leader's view closes: their own summary's link is closed in the kernel and the browser."""
        self._drop_personal_links()
        self.download_links.value = ""
        self.render()

    # -- page ---------------------------------------------------------------------------------------------------
    def render(self) -> None:
        lang = self.lang
        self.switch.description = t("app.language", lang)
        self.header.value = str(render("step_header.html", css=Markup(CSS), kicker=self.theme.title(lang),
                                       heading=step_label(STEP, lang), help=t("steps_page.plan_help", lang)))
        self.focus_intro.value = str(render("page_part.html", h2=t("plan.focus", lang, n=MAX_FOCUS)))
        for item in self.theme.items:
            self.focus[item.id].description = item.short(lang)
        self.focus_table.value = self._focus_table(lang)
        self.actions_intro.value = str(render("page_part.html", h2=t("plan.actions", lang)))
        items = self._items()
        for row in self.rows:
            value = row.item.value
            row.item.options = items
            row.item.value = value
            row.relabel(lang)
        self._name_remove_buttons()
        self.add_button.description = t("plan.add", lang)
        self.follow_up.relabel(lang, t("plan.follow_up", lang))
        leader = self.gate.leader
        own = f" {t('plan.own_summary_for', lang, leader=leader)}" if leader else ""
        if leader:  # names the leader: hidden the moment "close" is clicked
            self.download_intro.add_class("dol-personal")
        self.download_intro.value = str(render("page_part.html", h2=t("plan.summary", lang),
                                               p=t("plan.summary_help", lang) + own))
        if not leader:
            self.download_intro.remove_class("dol-personal")
        for fmt, label in FORMATS:
            self.download_buttons[fmt].description = t("plan.download", lang, format=label)
        self.gate.relabel()
        self.footer.value = footer_html(self.theme, STEP, lang)

    def _focus_table(self, lang: Lang) -> str:
        chosen = [i for i, box in self.focus.items() if box.value]
        if not chosen or self.content is None:
            return ""
        heading = t("plan.focus_results", lang, wave=self.content.figures_wave or "")
        return str(render("page_part.html", html=Markup(item_results_html(self.content, chosen, self.theme, lang,
                                                                          heading))))


def summary(config: WorkshopConfig, fmt: str, **options: Any) -> tuple[bytes, str, str]:
    """The workshop summary as a file (the export, with its heavy imports, is loaded on the first download)."""
    from dol_toolkit.export import summary_bytes

    return summary_bytes(config, fmt, **options)

