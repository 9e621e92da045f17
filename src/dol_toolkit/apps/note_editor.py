"""A text note that saves itself: autosave shortly after typing stops, a visible "Gemt kl. hh:mm:ss", every save
a revision, and nothing lost when two people write in the same note.

The editor is a Textarea bound to one note of the store. While someone types, each change re-arms a short
timer (``AUTOSAVE_SECONDS``); when it fires the text is saved with the revision it was based on. If someone
else saved in between, the store keeps both texts; the editor then shows the joined text and says so. A
:class:`~dol_toolkit.apps._timers.NotePoller` brings other people's saves into editors that have no unsaved
typing.

Nothing typed is lost when someone else's save (or the joined text after a conflict) has to be shown in a box.
The kernel cannot replace the text under the writer's fingers without a race: keystrokes on their way from the
browser still carry the old text, and ipywidgets' browser side keeps only the newest unsent value of a box, so
a replacement that arrives between two keystrokes drops what was typed before it. So, in the workshop page,
the kernel never writes a new text into a box: it *offers* it (``offer``, a hidden HTML widget beside the box:
the text the box is expected to have now, and the text to show), and the page's script applies the offer only
if the box still has the expected text, at once and in the browser's own thread, where no keystroke can cross
it. A box typed in since is left as it is; its next value reaches the kernel with the writer's words, and is
saved on the revision the box showed (the store joins both texts when someone else saved meanwhile). The kernel
takes an offer as applied when the box's value says so (:meth:`NoteEditor._on_type`).

Where no page script applies offers (JupyterLab, plain Python), the kernel writes the text itself, and guards
it: for a while after every replacement (``GUARD_SECONDS``), an incoming value that removes text from an
unsaved value is saved first, as a revision. In both cases the kernel avoids bringing in text while someone
types: never into a box that has the keyboard focus (the page's script says which, see :func:`set_focus`),
nor into one typed in during the last ``QUIET_SECONDS``. After a conflict the box keeps its writer's text
(later edits go into the joined note) until the writer leaves it, then shows the joined note.

What the kernel cannot do, the page's script does (the ``dol`` template): before a personal view is closed (its
close button, a step change) it sends every box's last value over the box's comm, so that the close never reaches
the kernel before the words typed ahead of it; when the kernel is gone it says so, shows no "Gemt" for what is
typed since and keeps it (for a reload, or to copy); and it refuses a paste longer than a note may be
(``MAX_NOTE_CHARS``) before it is sent. Its messages come from :func:`page_texts_html`.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
import weakref
from collections.abc import Callable
from datetime import datetime
from typing import Any

import ipywidgets as widgets

from dol_toolkit.apps import _timers
from dol_toolkit.apps._common import esc, sent_on_leaving
from dol_toolkit.apps._html import render
from dol_toolkit.apps._page import PageModel, kernel_page, unheard
from dol_toolkit.apps._timers import mark_done, mark_pending
from dol_toolkit.i18n import Lang, format_integer, t
from dol_toolkit.notes import MAX_NOTE_CHARS, NoteKey, NoteStore, NoteTooLong, SaveResult
from dol_toolkit.notes.merge import merge_texts

log = logging.getLogger("dol_toolkit.apps.notes")

AUTOSAVE_SECONDS = 0.7
# After the kernel replaces a box's text, values from the browser that drop unsaved text are saved first.
GUARD_SECONDS = 30.0
# The kernel does not replace the text of a box typed in this recently (a poll, the joined text of a conflict).
QUIET_SECONDS = 3.0
# Offers kept for the box to answer (it may apply an older one while a newer is on its way).
MAX_OFFERS = 8
# A save that failed (the database busy for too long) is tried again after this long.
RETRY_SECONDS = 2.0

# What the page's script says on its own, when the kernel cannot: the kernel is gone (its page keeps what is
# typed and saves it after a reload), or a paste would make a box longer than a note may be (refused in the browser,
# before it is sent: a message over the websocket's size limit would close the page's connection).
PAGE_TEXT_KEYS = ("kernel_gone", "unsaved_offline", "copy_unsaved", "copied", "reload", "paste_too_long",
                  "typed_too_long", "restored", "restored_offer")


def page_texts_html(lang: Lang) -> str:
    """The page script's messages in ``lang`` and the longest text a box may hold, for a hidden HTML widget
    (``dol-page-texts``). ``{length}`` and ``{limit}`` are left for the script to fill."""
    values = {"length": "{length}", "limit": "{limit}"}
    texts = [(key.replace("_", "-"), t("notes." + key, lang, **values)) for key in PAGE_TEXT_KEYS]
    return str(render("page_texts.html", lang=lang, limit=MAX_NOTE_CHARS, texts=texts))


def page_texts_widget(lang: Lang) -> widgets.HTML:
    """A hidden widget that carries :func:`page_texts_html` to the page's script."""
    box = widgets.HTML(page_texts_html(lang), layout=widgets.Layout(display="none"))
    box.add_class("dol-page-texts")
    return box


def _normal(text: str) -> str:
    """A text as a browser's text box holds it (line ends as LF)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def set_focus(ids: set[str], page: PageModel | None = None) -> None:
    """The page says which note boxes have the focus now (their ``dom_id``); boxes left catch up."""
    (page or kernel_page()).focused = set(ids)


def page_script_runs(page: PageModel | None = None) -> None:
    """The page's script has spoken (see :func:`set_focus`): from now on texts are offered to the boxes."""
    (page or kernel_page()).script_runs = True


class NoteEditor:
    """One note: ``widget`` holds the text box and its status line."""

    def __init__(self, store: NoteStore, key: NoteKey, label: str, lang: Callable[[], Lang],
                 author: str | None = None, rows: int = 4, placeholder: str = "",
                 on_activity: Callable[[], None] | None = None, page: PageModel | None = None) -> None:
        self.store, self.key, self.lang = store, key, lang
        self.page = page or kernel_page()  # which boxes have the focus; whether the page's script runs
        self.on_activity = on_activity  # told of every change typed (a personal view's idle close)
        self.author = author or uuid.uuid4().hex[:8]
        self.text = widgets.Textarea(rows=rows, continuous_update=True,
                                     layout=widgets.Layout(width="100%", min_height="6em"))
        self.text.add_class("dol-note")
        self.dom_id = "dol-id-" + uuid.uuid4().hex[:12]  # how the page's script names this box's focus
        self.text.add_class(self.dom_id)
        sent_on_leaving(self.text)
        self.status = widgets.HTML()
        self.status.add_class("dol-note-status")
        # A text offered to the box (see the module's docstring); the page's script applies it.
        self.offer = widgets.HTML(layout=widgets.Layout(display="none"))
        self.offer.add_class("dol-note-offer")
        # The offers not yet answered by the box, oldest first: (text, revision). The box may apply an older one
        # before the kernel's newer one reaches it: whichever it shows says which revision it is on.
        self._offered: list[tuple[str, int]] = []
        self._offers = 0
        self.widget = widgets.VBox([self.text, self.status, self.offer], layout=widgets.Layout(width="100%"))
        self.widget.add_class("dol-note-editor")
        self.widget.add_class(f"dol-note-{key.scope}")
        # The text box and its status name their note too (for the page's script and for protocol clients).
        topic = "dol-topic-" + "".join(c if c.isalnum() else "-" for c in key.topic)
        for part in (self.text, self.status):
            part.add_class(f"dol-note-{key.scope}")
            part.add_class(topic)
        self._cancel: Callable[[], None] | None = None
        self._lock = threading.RLock()
        self.base = 0
        self.saved_text = ""
        self._replaced_at = float("-inf")  # when the kernel last replaced the text in the box
        # After a conflict: (the box's text when it was saved, the joined note), until the box shows the note.
        self._behind: tuple[str, str] | None = None
        self._catch_up_cancel: Callable[[], None] | None = None
        self._typed_at = float("-inf")  # when the browser last sent a change
        self._too_long = False  # the last save was refused as too long (not tried again until typing changes it)
        self.set_label(label, placeholder)
        self.text.observe(self._on_type, names="value")
        _observe_weakly(self.page, "focused", self._on_focus_change)
        self.reload()

    @property
    def focused(self) -> bool:
        """Whether the page says this box has the keyboard focus."""
        return self.dom_id in self.page.focused

    def _on_focus_change(self, change: dict[str, Any]) -> None:
        """A box its writer has left catches up with the joined note."""
        if not self.focused and self._behind is not None:
            self._schedule_catch_up(0.3)

    @property
    def dirty(self) -> bool:
        return bool(self.text.value != self.saved_text)

    def set_label(self, label: str, placeholder: str = "") -> None:
        """The text box's label: read by screen readers (it is visually hidden; the page's heading says it)."""
        self.text.description = label
        self.text.placeholder = placeholder

    def reload(self) -> None:
        """Show the stored note (on opening, and when someone else has saved and nothing is being typed)."""
        note = self.store.get(self.key)
        with self._lock:
            if self.focused or self._cancel is not None:  # being typed in: the poll brings it in afterwards
                return
            self._show(note.text, note.revision)
        if note.saved_at is not None:
            self._status("notes.saved_at", saved=note.text, time=note.saved_at.astimezone().strftime("%H:%M:%S"))
        else:
            self.status.value = ""

    def _show(self, text: str, revision: int) -> None:
        """Show the stored note ``text`` (at ``revision``) in the box: offered to the box where the page's script
        applies offers, else written into it. Until an offer is applied, the box's revision stays the one it
        shows."""
        if not self.page.script_runs:
            self.base, self.saved_text = revision, text
            self._offered = []
            self._set_text(text)
            return
        if _normal(text) == _normal(self.text.value):
            self.base, self.saved_text = revision, text
            self._withdraw()
            return
        self._offers += 1  # (not a template: the page's script and its tests read html.escape's entities)
        self._offered = [*self._offered[-(MAX_OFFERS - 1):], (text, revision)]
        self.offer.value = (f'<span data-dol-offer="{self._offers}" data-id="{self.dom_id}" '
                            f'data-expect="{esc(self.text.value)}" data-text="{esc(text)}"></span>')

    def _withdraw(self) -> None:
        self._offered = []
        if self.offer.value:
            self.offer.value = ""

    def _set_text(self, text: str) -> None:
        if text != self.text.value:
            self._replaced_at = time.monotonic()
        with unheard(self.text, self._on_type):
            self.text.value = text

    def _offer_taken(self, new: str) -> bool:
        """Whether the box's value ``new`` says what happened to the open offers: one applied (the box shows an
        offered text, or an offered text with typing added to it) or none (the box was typed in first). True
        when ``new`` is an offered text itself (nothing to save)."""
        if not self._offered:
            return False
        offered, latest = self._offered, self._offered[-1]
        self._withdraw()
        taken = next((o for o in reversed(offered) if _normal(o[0]) == _normal(new)), None)
        if taken is not None:
            self.base, self.saved_text = taken[1], taken[0]
            self._behind = None
            if taken is not latest:  # the newer offer expected the box's old text: offered again on this one
                self._show(*latest)
            return True
        typed_on = next((o for o in reversed(offered) if not _drops_text(_normal(o[0]), _normal(new))), None)
        if typed_on is not None:  # typed on an applied offer: saved on its revision
            self.base, self.saved_text = typed_on[1], typed_on[0]
            self._behind = None
        # else: typed before any offer came; the box's revision is still the one it showed
        return False

    def _status(self, key: str, kind: str = "ok", saved: str | None = None, **values: Any) -> None:
        """Show the status ``key``; a "saved" status also names the length of the text it vouches for (``saved``,
        in the browser's UTF-16 units), so a page can tell whether what its box shows is what was saved."""
        role = "alert" if kind == "warning" else "status"
        units = None if saved is None else len(saved.encode("utf-16-le")) // 2
        self.status.value = str(render("save_status.html", kind=kind, role=role, live=True, saved_units=units,
                                       text=t(key, self.lang(), **values)))

    def _on_type(self, change: dict[str, Any]) -> None:
        old, new = str(change.get("old") or ""), str(change.get("new") or "")
        with self._lock:
            if self._offer_taken(new):
                return
        now = time.monotonic()
        self._typed_at = now
        if self.on_activity is not None:
            self.on_activity()
        if now - self._replaced_at < GUARD_SECONDS and old != self.saved_text and _drops_text(old, new):
            # Typed on the text the kernel replaced, arriving after the replacement: keep it before it goes.
            self._save_value(old)
        if self._cancel is not None:
            self._cancel()
        self._status("notes.typing", kind="pending")
        mark_pending(self)
        self._cancel = _timers.call_later(AUTOSAVE_SECONDS, self.flush)

    def _save_value(self, text: str) -> None:
        """Save a value that is about to be replaced in the box (a revision; joined on conflict)."""
        with self._lock:
            result = self._save(*self._to_save(text))
            if result is None:
                return
            self.base, self.saved_text = result.note.revision, result.note.text
            if self._behind is not None:
                self._behind = (text, result.note.text)

    def _save(self, text: str, base: int) -> SaveResult | None:
        """Save to the store; None (and the status says so) when the store could not take it."""
        self._too_long = False
        try:
            label = t("notes.conflict_label", self.lang(), time=datetime.now().strftime("%H:%M:%S"))
            return self.store.save(self.key, text, base, author=self.author, conflict_label=label)
        except NoteTooLong as exc:  # the text stays in the box; the writer is told what to do
            self._too_long = True
            lang = self.lang()
            self._status("notes.too_long", kind="warning", length=format_integer(exc.length, lang),
                         limit=format_integer(exc.limit, lang))
            return None
        except Exception:
            log.exception("note %s could not be saved", self.key)
            self._status("notes.not_saved", kind="warning")
            return None

    def _to_save(self, text: str) -> tuple[str, int]:
        """What to save for the box's ``text``, and on which revision: the text itself, or, while the box still
        shows its writer's text after a conflict, the joined note with the box's edits."""
        if self._behind is None:
            return text, self.base
        own, joined = self._behind
        # the box's edits since the save (own -> text), merged into the joined note (which holds own's changes)
        return merge_texts(own, joined, text)[0], self.base

    def flush(self) -> None:
        """Save now if there is unsaved text (the autosave timer calls this)."""
        with self._lock:
            self._cancel = None
            mark_done(self)
            text = self.text.value
            to_save, base = self._to_save(text)
            if to_save == self.saved_text:
                self._status("notes.saved_at", saved=text, time=datetime.now().strftime("%H:%M:%S"))
                return
            result = self._save(to_save, base)
            if result is None:
                if not self._too_long:  # try again (the database was busy); the text stays in the box
                    self._cancel = _timers.call_later(RETRY_SECONDS, self.flush)
                    mark_pending(self)
                return
            self.base = result.note.revision
            self.saved_text = result.note.text
            if result.conflict or self._behind is not None:
                # Someone else saved meanwhile: the note now holds both texts. The box is not replaced under the
                # writer's fingers (keystrokes may still be on their way): it catches up once typing has paused.
                self._behind = (text, result.note.text)
                if result.conflict:
                    self._status("notes.conflict", kind="warning")
                self._schedule_catch_up()
            else:
                self._status("notes.saved_at", saved=text, time=datetime.now().strftime("%H:%M:%S"))

    def _schedule_catch_up(self, delay: float = QUIET_SECONDS) -> None:
        if self._catch_up_cancel is not None:
            self._catch_up_cancel()
        self._catch_up_cancel = _timers.call_later(delay, self._catch_up)

    def _catch_up(self) -> None:
        """Show the joined note in the box, once nothing has been typed for QUIET_SECONDS."""
        with self._lock:
            self._catch_up_cancel = None
            if self._behind is None:
                return
            quiet = time.monotonic() - self._typed_at
            if self.focused:  # the writer is in the box: it catches up when they leave it (set_focus)
                return
            if quiet < QUIET_SECONDS or self._cancel is not None:
                self._schedule_catch_up(max(0.2, QUIET_SECONDS - quiet))
                return
            if self.text.value != self._behind[0]:
                self.flush()  # typing since the save: joined into the note first
                if self._behind is None or self._cancel is not None:
                    return
            if self.page.script_runs:  # the box keeps the writer's text (edits go into the joined note) until applied
                self._show(self.saved_text, self.base)
                return
            self._behind = None
            self._set_text(self.saved_text)

    def refresh(self) -> None:
        """Bring in someone else's save, unless this editor has typing of its own not yet saved."""
        with self._lock:
            if (self.dirty or self._cancel is not None or self.focused
                    or time.monotonic() - self._typed_at < QUIET_SECONDS):
                return
            note = self.store.get(self.key)
            offered = self._offered[-1][1] if self._offered else None
            if note.revision != self.base and note.revision != offered:
                self._show(note.text, note.revision)
                self._status("notes.updated", time=datetime.now().strftime("%H:%M:%S"))


def _drops_text(old: str, new: str) -> bool:
    """Whether ``new`` lacks some of ``old``'s text (not only added to it): compared around the one place where
    they differ, as a keystroke, a paste or a deletion changes a text."""
    start = 0
    limit = min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    end = 0
    while end < limit - start and old[len(old) - 1 - end] == new[len(new) - 1 - end]:
        end += 1
    return len(old) - start - end > 0


def _observe_weakly(model: PageModel, name: str, handler: Callable[[dict[str, Any]], None]) -> None:
    """Observe the page model without keeping ``handler``'s editor alive (a page's editors come and go; the model
    stays)."""
    method = weakref.WeakMethod(handler)

    def heard(change: dict[str, Any]) -> None:
        bound = method()
        if bound is None:
            model.unobserve(heard, names=name)
        else:
            bound(change)

    model.observe(heard, names=name)

