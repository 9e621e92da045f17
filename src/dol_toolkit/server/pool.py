"""The room's pool of ready pages: kernels that have run the workshop page before anyone visits.

The whole workshop is one page (``workshop.ipynb``, its steps switched inside it), so a participant is one kernel.
The server keeps as many kernels ready as the room has participants, started in the background before people
arrive; a kernel taken by a page is replaced, and the console says in the workshop's language how many pages are
ready. Voila keeps the pool; what is done differently here (which kernel a visit gets, when a refill starts, a
failed page replaced) is done by wrapping its kernel manager, through :mod:`dol_toolkit.server.voila_internals`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import tornado.ioloop
from jupyter_core.utils import ensure_async

from dol_toolkit.server import voila_internals

log = logging.getLogger("dol_toolkit.server")

# Pages ready when the configuration does not say how many participants to expect.
DEFAULT_PARTICIPANTS = 10
# A taken kernel is replaced after this long while the pool still has ready pages, so that a burst of arrivals
# is served before the refills start; once fewer than REFILL_NOW_BELOW are ready, at once.
REFILL_DELAY_SECONDS = 15
REFILL_NOW_BELOW = 2
REFILL_GAP_SECONDS = 1.5
# A visit that finds no page ready in the pool waits this long for the first that is, then takes Voila's choice.
HANDOUT_WAIT_SECONDS = 60


def _never() -> bool:
    return False


def _started(item: Any) -> bool:
    """A pool item whose kernel has started (its page may still be running)."""
    return bool(item.done() and not item.cancelled() and item.exception() is None)


def _render_of(item: Any) -> Any:
    return item.result().get("task") if _started(item) else None


def _rendered(item: Any) -> bool:
    """A pool item whose page has run without an error in the server: a visit is served at once."""
    render = _render_of(item)
    return bool(render is not None and render.done() and not render.cancelled() and render.exception() is None)


def _failed(item: Any) -> bool:
    """A pool item that can never serve a page: its kernel did not start, or its page's rendering raised."""
    if item.done() and (item.cancelled() or item.exception() is not None):
        return True
    render = _render_of(item)
    return bool(render is not None and render.done() and (render.cancelled() or render.exception() is not None))


def ready_in(pool: list[Any]) -> int:
    """Pool pages ready to be handed out (the same count RoomStatus prints)."""
    return sum(1 for item in pool if _rendered(item))


def replace_failed(km: Any, notebook_name: str, stopping: Callable[[], bool] = _never) -> None:
    """Take the pool's failed pages out (their kernels shut down) and start their replacements at once."""
    if stopping():  # the server is stopping: its pages fail because their kernels are being shut down
        return
    pool = voila_internals.pool_of(km, notebook_name)
    failed = [item for item in pool if _failed(item)]
    for item in failed:
        pool.remove(item)
        kernel_id = item.result().get("kernel_id") if _started(item) else None
        failed_part = _render_of(item) if _started(item) else item
        reason = "cancelled" if failed_part.cancelled() else failed_part.exception()
        log.warning("a page in the pool failed (%s: %s); it is replaced", kernel_id or "no kernel", reason)
        if kernel_id is not None and kernel_id in km:
            tornado.ioloop.IOLoop.current().add_callback(
                lambda kid=kernel_id: ensure_async(km.shutdown_kernel(kid, now=True)))
    if failed:
        km.fill_if_needed(delay=0, notebook_name=notebook_name)


def hand_out_rendered_pages(km: Any, wait_seconds: float = HANDOUT_WAIT_SECONDS, *,
                            on_handed_out: Callable[[str], None] | None = None,
                            stopping: Callable[[], bool] = _never) -> None:
    """Voila hands a visit the first kernel of the pool, whether its page has run or not, and a kernel whose page
    failed stays in the pool. Here a visit gets a kernel whose page has run (the oldest such); when none has, it
    waits for whichever runs first (up to ``wait_seconds``, then Voila's own choice, which streams the page as it
    runs). A kernel that failed is taken out of the pool and shut down (its replacement starts at once).
    ``on_handed_out``: called with the kernel handed out (the server binds it to the visit's page).

    The kernel handed out is marked active: a kernel that waited in the pool for longer than RELEASE_SECONDS would
    otherwise be culled by the next idle check before the visitor's browser had opened its websocket."""

    def make(get: Any) -> Any:
        async def get_rendered_notebook(notebook_name: str, *args: Any, **kwargs: Any) -> Any:
            deadline = time.monotonic() + wait_seconds
            while True:
                replace_failed(km, notebook_name, stopping)
                pool = voila_internals.pool_of(km, notebook_name)
                if any(_rendered(item) for item in pool) or not pool or time.monotonic() >= deadline:
                    break
                pending = [_render_of(item) if _started(item) else item for item in pool]
                await asyncio.wait([asyncio.ensure_future(p) for p in pending if p is not None],
                                   timeout=min(1.0, max(0.0, deadline - time.monotonic())),
                                   return_when=asyncio.FIRST_COMPLETED)
            pool = voila_internals.pool_of(km, notebook_name)
            order = {id(item): i for i, item in enumerate(pool)}
            pool.sort(key=lambda item: (not _rendered(item), not _started(item), order[id(item)]))
            render_task, rendered_cache, kernel_id = await get(notebook_name, *args, **kwargs)
            if on_handed_out is not None:
                on_handed_out(kernel_id)
            kernel = voila_internals.kernel_record(km, kernel_id)
            if kernel is not None:
                kernel.last_activity = datetime.now(UTC)  # as jupyter_server stamps it
            return render_task, rendered_cache, kernel_id

        return get_rendered_notebook

    voila_internals.wrap(km, "get_rendered_notebook", make)


def refill_soon_when_low(km: Any) -> None:
    """Voila refills its pool a fixed delay after each page takes a kernel, and a page that finds no ready kernel
    waits for the first refill in the pool. Here a refill waits (REFILL_DELAY_SECONDS) only while ready pages
    remain, so that a room arriving at once is served first, and the refills of a burst start one every
    REFILL_GAP_SECONDS rather than all at once while the room works; when fewer than REFILL_NOW_BELOW pages are
    ready the refill starts at once and goes to the front of the pool, so the next arrival gets it."""
    due: dict[int, float] = {}  # refill task -> when it starts its kernel

    def make(fill: Any) -> Any:
        def fill_if_needed(delay: float | None = None, notebook_name: str | None = None, **kwargs: Any) -> None:
            pool = voila_internals.pool_of(km, notebook_name or "")
            known = {id(task) for task in pool}
            if delay is None:
                ready = ready_in(pool)
                if ready >= REFILL_NOW_BELOW:
                    waiting = len(pool) - ready  # refills already on their way
                    delay = REFILL_DELAY_SECONDS + REFILL_GAP_SECONDS * waiting
                else:
                    delay = 0
            fill(delay=delay, notebook_name=notebook_name, **kwargs)
            pool = voila_internals.pool_of(km, notebook_name or "")
            for task in pool:
                if id(task) not in known:
                    due[id(task)] = time.monotonic() + delay
            live = {id(task) for task in pool}
            for key in [k for k in due if k not in live]:
                del due[key]
            pool.sort(key=lambda task: (not _rendered(task), not task.done(), due.get(id(task), 0.0)))

        return fill_if_needed

    voila_internals.wrap(km, "fill_if_needed", make)


class RoomStatus:
    """How many pages are ready for the room, and the console lines that say so."""

    def __init__(self, kernel_manager: Any, notebook: str, target: int, say: Callable[[str], None],
                 lang: str = "da", stopping: Callable[[], bool] = _never) -> None:
        self.km, self.notebook, self.target, self.say, self.lang = kernel_manager, notebook, target, say, lang
        self.stopping = stopping
        self.last_said: tuple[int, int] | None = None
        self.last_time = 0.0

    def counts(self) -> dict[str, int]:
        pool = voila_internals.pool_of(self.km, self.notebook)
        return {"ready": ready_in(pool), "target": self.target, "kernels": len(list(self.km.list_kernel_ids()))}

    def tick(self) -> None:
        from dol_toolkit.i18n import as_lang, t

        replace_failed(self.km, self.notebook, self.stopping)
        counts = self.counts()
        now = time.monotonic()
        key = (counts["ready"], counts["target"])
        full = counts["ready"] >= counts["target"]
        if key == self.last_said or (not full and now - self.last_time < 5):
            return
        self.last_said, self.last_time = key, now
        name = "serve.ready_all" if full else "serve.ready_some"
        self.say(t(name, as_lang(self.lang), ready=counts["ready"], target=counts["target"]))
