"""Ports for the servers the tests start: each server its own, and never one the system may hand to someone else.

A port found by binding port 0 and closing the socket again is free only for a moment: the system hands the
same ephemeral ports to every other ``bind(0)`` and outgoing connection, and a Jupyter server starting beside the
tests takes five ephemeral ports per kernel. So the tests take their ports *below* the system's ephemeral range
(``/proc/sys/net/ipv4/ip_local_port_range``), where nothing gets a port without asking for it by number:

* each pytest-xdist worker has a slice of that range of its own, so two workers never pick the same port;
* within the process a port is handed out once;
* across processes (two test runs on one machine) a port is reserved with a lock file held for the life of the
  process (``fcntl.flock`` is released by the system when the process ends, also when it is killed);
* a port is handed out only when it can be bound right now, on loopback and on every address.
"""

from __future__ import annotations

import os
import random
import socket
import tempfile
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no lock files; the worker slices and the bind check remain
    fcntl = None  # type: ignore[assignment]

_LOCKS = Path(tempfile.gettempdir()) / "dol-test-ports"
_HANDED: set[int] = set()
_HELD: list[int] = []  # the lock files' descriptors, open until the process ends


def _ephemeral_low() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768  # Linux's default; macOS and Windows start theirs at 49152


def _slice() -> range:
    """This worker's ports: its share of [15000, start of the ephemeral range)."""
    low, high = 15000, max(_ephemeral_low(), 16000)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    count = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1") or 1)
    index = int(worker) if worker.isdigit() else 0
    size = (high - low) // max(count, index + 1)
    return range(low + index * size, low + (index + 1) * size)


def _bindable(port: int) -> bool:
    for host in ("127.0.0.1", ""):
        with socket.socket() as s:
            try:
                s.bind((host, port))
            except OSError:
                return False
    return True


def _reserve(port: int) -> bool:
    """Hold ``port`` for this process against other test processes on this machine."""
    if fcntl is None:
        return True
    _LOCKS.mkdir(parents=True, exist_ok=True)
    fd = os.open(_LOCKS / f"{port}.lock", os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return False
    _HELD.append(fd)
    return True


def free_ports(count: int) -> int:
    """The first of ``count`` consecutive free ports, reserved for this process (a server that takes the ports
    after its own, such as the hub's workshop services, gets them all)."""
    ports = _slice()
    start = random.randrange(len(ports))
    for step in range(len(ports)):
        first = ports.start + (start + step) % len(ports)
        wanted = range(first, first + count)
        if wanted.stop > ports.stop or any(p in _HANDED for p in wanted):
            continue
        if not all(_bindable(p) for p in wanted):
            continue
        if not all(_reserve(p) for p in wanted):
            continue
        _HANDED.update(wanted)
        return first
    raise RuntimeError(f"no {count} free consecutive ports in {ports.start}-{ports.stop - 1}")


def free_port() -> int:
    """A free port for one server, reserved for this process."""
    return free_ports(1)
