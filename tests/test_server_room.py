"""The room's pool of pages (without a server): how many are ready, what the console says, and when a taken
kernel is replaced."""

from __future__ import annotations

from concurrent.futures import Future
from typing import Any

from dol_toolkit.server import REFILL_DELAY_SECONDS, REFILL_GAP_SECONDS, RoomStatus, _refill_soon_when_low


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
