"""What a facilitator sees in the terminal: one banner in the workshop's language, no Jupyter notes that mean
nothing to them, and Ctrl-C stopping the server cleanly at any moment of its start."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from dol_toolkit.i18n import t
from tests.ports import free_port
from tests.waiting import machine_state, port_state, stops_with_the_test

REPO = Path(__file__).resolve().parents[1]
DOL = str(Path(sys.executable).with_name("dol"))
NOISE = ("Traceback", "DeadKernelError", "is not trusted", "without encryption", "websocket_ping_timeout",
         "WARNING", "Kernel started", "a page in the pool failed")



class Console:
    """A `dol serve` in its own process group, as a terminal runs it, with its output read line by line."""

    def __init__(self, cache: Path, participants: int = 2) -> None:
        env = dict(os.environ, DOL_CACHE_DIR=str(cache), PYTHONUNBUFFERED="1")
        self.port = free_port()
        self.process = subprocess.Popen(
            [DOL, "serve", str(REPO / "workshop" / "eksempel.toml"), "--port", str(self.port), "--participants",
             str(participants)], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True, preexec_fn=stops_with_the_test())
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_for(self, text: str, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while not any(text in line for line in self.lines):
            try:
                line = self._queue.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                line = ""
            if line is None:
                raise AssertionError(f"the server ended before {text!r}: {self.lines}\n{machine_state()}")
            if line:
                self.lines.append(line)
            if time.monotonic() > deadline:
                raise AssertionError(f"no {text!r} within {timeout} s: {self.lines}\n{machine_state()}, "
                                     f"{port_state(self.port)}")

    def ctrl_c(self) -> int:
        self.process.send_signal(signal.SIGINT)
        try:
            code = self.process.wait(timeout=120)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            raise
        while True:
            try:
                line = self._queue.get(timeout=10)
            except queue.Empty:
                break
            if line is None:
                break
            self.lines.append(line)
        return code


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("serve-cache")


@pytest.mark.parametrize("moment", ["address", "banner", "ready"])
def test_one_banner_no_jupyter_noise_and_ctrl_c_stops_cleanly(cache: Path, moment: str) -> None:
    console = Console(cache, participants=2)
    try:
        # "address": the moment the first line of the banner is out, before Voila has set up anything
        console.wait_for(t("serve.banner_local", "da", url=f"http://127.0.0.1:{console.port}/"))
        if moment != "address":
            console.wait_for(t("serve.banner_stop", "da"))
        if moment == "ready":
            console.wait_for(t("serve.ready_all", "da", target=2))
        else:  # while the pages for the room are still being made
            console.wait_for(t("serve.starting", "da", target=2))
    finally:
        code = console.ctrl_c() if console.process.poll() is None else console.process.returncode
    text = "\n".join(console.lines)
    assert code == 0, text
    assert t("serve.banner_local", "da", url=f"http://127.0.0.1:{console.port}/") in console.lines
    assert console.lines[-1] == t("serve.stopped", "da"), text
    for noise in NOISE:
        assert noise not in text, f"{noise!r} in the console:\n{text}"
    assert not re.search(r"\[\w*Voila\w*\]", text), text  # no line of Voila's own log


def test_a_misspelled_leader_is_refused_with_the_name_the_data_has(tmp_path: Path) -> None:
    text = (REPO / "workshop" / "eksempel.toml").read_text(encoding="utf-8")
    text = text.replace('file = "../data/samples/', f'file = "{(REPO / "data" / "samples").as_posix()}/')
    text = text.replace('"Klaus Tønnesen"', '"Klaus Tønesen"')
    config = tmp_path / "workshop.toml"
    config.write_text(text, encoding="utf-8")
    done = subprocess.run([DOL, "serve", str(config), "--port", str(free_port())], cwd=REPO, capture_output=True,
                          text=True, timeout=300, env=dict(os.environ, DOL_CACHE_DIR=str(tmp_path / "c")))
    assert done.returncode == 2
    assert "'Klaus Tønesen' (did you mean 'Klaus Tønnesen'?)" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_a_copied_configuration_says_where_relative_paths_are_read_from(tmp_path: Path) -> None:
    from dol_toolkit.workshop import ConfigError, load_config

    copy = tmp_path / "elsewhere" / "workshop.toml"
    copy.parent.mkdir()
    copy.write_text((REPO / "workshop" / "eksempel.toml").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"read from the configuration file's folder, .*elsewhere; write the path"):
        load_config(copy)
