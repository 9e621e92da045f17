"""The room's pool of pages (without a server): how many are ready, what the console says, and when a taken
kernel is replaced."""

from __future__ import annotations

import asyncio
import concurrent.futures
from concurrent.futures import Future
from types import SimpleNamespace
from typing import Any

from dol_toolkit.server.pool import (
    REFILL_DELAY_SECONDS,
    REFILL_GAP_SECONDS,
    RoomStatus,
)
from dol_toolkit.server.pool import hand_out_rendered_pages as _hand_out_rendered_pages
from dol_toolkit.server.pool import refill_soon_when_low as _refill_soon_when_low


def _ready(kernel_id: str, rendered: bool = True) -> Future[Any]:
    render: Future[Any] = Future()
    if rendered:
        render.set_result(None)
    item: Future[Any] = Future()
    item.set_result({"kernel_id": kernel_id, "task": render})
    return item


class FakeKernelManager:
    """What the room code uses of Voila's kernel manager: its pools and its refill."""

    def __init__(self, ready: int) -> None:
        self._pools: dict[str, list[Future[Any]]] = {"workshop.ipynb": [_ready(f"k{i}") for i in range(ready)]}
        self.delays: list[float] = []

    def fill_if_needed(self, delay: float | None = None, notebook_name: str | None = None, **kwargs: Any) -> None:
        assert delay is not None and notebook_name is not None
        self.delays.append(delay)
        pending: Future[Any] = Future()
        pending.delay = delay  # type: ignore[attr-defined]
        self._pools[notebook_name].append(pending)

    def list_kernel_ids(self) -> list[str]:
        return ["a", "b", "c", "d"]


def _take(km: FakeKernelManager) -> None:
    """A page takes the first kernel of the pool, as Voila does, and asks for a refill."""
    km._pools["workshop.ipynb"].pop(0)
    km.fill_if_needed(delay=None, notebook_name="workshop.ipynb")


def test_a_burst_is_served_first_and_its_refills_are_spread():
    km = FakeKernelManager(ready=5)
    _refill_soon_when_low(km)
    for _ in range(3):
        _take(km)
    assert km.delays == [REFILL_DELAY_SECONDS + REFILL_GAP_SECONDS * i for i in range(3)]


def test_when_the_pool_runs_low_the_refill_starts_at_once_and_comes_first():
    km = FakeKernelManager(ready=3)
    _refill_soon_when_low(km)
    _take(km)  # 2 ready left: delayed
    _take(km)  # 1 ready left: at once
    assert km.delays == [REFILL_DELAY_SECONDS, 0]
    pool = km._pools["workshop.ipynb"]
    assert pool[0].done()  # the ready kernel first
    assert [getattr(t, "delay", None) for t in pool[1:]] == [0, REFILL_DELAY_SECONDS]  # then the soonest refill


def test_the_console_says_how_many_pages_are_ready_in_the_workshops_language():
    km = FakeKernelManager(ready=2)
    km._pools["workshop.ipynb"].append(_ready("k9", rendered=False))  # started, its page not run yet
    said: list[str] = []
    status = RoomStatus(km, "workshop.ipynb", 3, said.append, "da")
    assert status.counts() == {"ready": 2, "target": 3, "kernels": 4}
    status.tick()
    assert said == ["Klar: 2 af 3 sider."]
    km._pools["workshop.ipynb"][-1] = _ready("k9")
    status.tick()
    assert said[-1] == "Klar: alle 3 sider er klar. Deltagerne kan åbne workshoppen."
    english = RoomStatus(km, "workshop.ipynb", 3, said.append, "en")
    english.tick()
    assert said[-1].startswith("Ready: all 3 pages are ready")


def _run(coroutine) -> None:
    """On an event loop of its own thread (a browser test's Playwright may hold this thread's)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, coroutine).result(timeout=60)


class FakeVoilaPool:
    """Voila's hand-out as it is: the first item of the pool, awaited, then a refill."""

    def __init__(self, items: list[asyncio.Future[Any]]) -> None:
        self._pools: dict[str, list[asyncio.Future[Any]]] = {"workshop.ipynb": items}
        self._kernels: dict[str, Any] = {}
        self.refills: list[float | None] = []
        self.shut: list[str] = []

    def __contains__(self, kernel_id: str) -> bool:
        return True

    async def get_rendered_notebook(self, notebook_name: str, **kwargs: Any) -> Any:
        item = self._pools[notebook_name].pop(0)
        content = await item
        self._kernels.setdefault(content["kernel_id"], SimpleNamespace(last_activity=None))
        self.fill_if_needed(delay=None, notebook_name=notebook_name)
        return content["task"], [], content["kernel_id"]

    def fill_if_needed(self, delay: float | None = None, notebook_name: str | None = None, **kwargs: Any) -> None:
        self.refills.append(delay)

    async def shutdown_kernel(self, kernel_id: str, now: bool = False) -> None:
        self.shut.append(kernel_id)


def _item(loop: asyncio.AbstractEventLoop, kernel_id: str, render: str = "done") -> asyncio.Future[Any]:
    """A pool item: its kernel started, and its page rendered ("done"), still running ("running") or failed."""
    task: asyncio.Future[Any] = loop.create_future()
    if render == "done":
        task.set_result(([], None))
    elif render == "failed":
        task.set_exception(RuntimeError("the cell could not run"))
    item: asyncio.Future[Any] = loop.create_future()
    item.set_result({"kernel_id": kernel_id, "task": task})
    return item


def test_a_visit_gets_a_kernel_whose_page_has_run_not_the_first_in_the_pool():
    async def main() -> None:
        loop = asyncio.get_running_loop()
        km = FakeVoilaPool([_item(loop, "running", "running"), _item(loop, "ready")])
        _hand_out_rendered_pages(km, wait_seconds=5)
        _, _, kernel_id = await km.get_rendered_notebook("workshop.ipynb")
        assert kernel_id == "ready"
        assert km._kernels["ready"].last_activity is not None  # not culled before the browser connects
        assert [i.result()["kernel_id"] for i in km._pools["workshop.ipynb"]] == ["running"]

    _run(main())


def test_a_failed_page_is_taken_out_of_the_pool_and_replaced():
    async def main() -> None:
        loop = asyncio.get_running_loop()
        km = FakeVoilaPool([_item(loop, "broken", "failed"), _item(loop, "ok")])
        _hand_out_rendered_pages(km, wait_seconds=5)
        _, _, kernel_id = await km.get_rendered_notebook("workshop.ipynb")
        await asyncio.sleep(0.05)  # the shutdown is scheduled on the loop
        assert kernel_id == "ok"
        assert km.shut == ["broken"]
        assert km.refills[0] == 0  # the failed kernel's replacement starts at once

    _run(main())


def test_when_no_page_has_run_the_visit_takes_whichever_runs_first():
    async def main() -> None:
        loop = asyncio.get_running_loop()
        slow, quick = _item(loop, "slow", "running"), _item(loop, "quick", "running")
        km = FakeVoilaPool([slow, quick])
        _hand_out_rendered_pages(km, wait_seconds=30)
        visit = asyncio.ensure_future(km.get_rendered_notebook("workshop.ipynb"))
        await asyncio.sleep(0.1)
        assert not visit.done()  # waits for a page
        quick.result()["task"].set_result(([], None))
        _, _, kernel_id = await asyncio.wait_for(visit, 10)
        assert kernel_id == "quick"

    _run(main())


def test_a_page_waits_for_its_apps_output_on_a_busy_machine(tmp_path):
    """The executor Voila renders a page with waits OUTPUT_WAIT_SECONDS (not nbclient's 4 s) for a cell's output
    after the kernel said the cell ran: on a loaded CI machine a page was served without its app after that
    warning ("Timeout waiting for IOPub output") and never showed its note boxes."""
    import nbformat
    from traitlets.config import Config
    from traitlets.config.loader import KVArgParseConfigLoader
    from voila.execute import VoilaExecutor

    from dol_toolkit.server import OUTPUT_WAIT_SECONDS, voila_argv

    assert OUTPUT_WAIT_SECONDS >= 60
    argv = [a for a in voila_argv(tmp_path, preheat=3) if a.startswith("--VoilaExecutor.")]
    config: Config = KVArgParseConfigLoader(argv).load_config()
    executor = VoilaExecutor(nbformat.v4.new_notebook(), config=config)
    assert executor.iopub_timeout == OUTPUT_WAIT_SECONDS
