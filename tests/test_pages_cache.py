"""The content cache's folder and lock (dol_toolkit.pages.cache): DOL_CACHE_DIR first, else the user's cache
folder as platformdirs names it for the platform; builders take turns through filelock, which needs no POSIX
fcntl (Windows)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import platformdirs
import pytest

from dol_toolkit.pages import cache


def test_the_cache_folder_is_dol_cache_dir_else_the_platforms_user_cache(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("DOL_CACHE_DIR", str(tmp_path / "mine"))
    assert cache.cache_dir() == tmp_path / "mine"
    monkeypatch.delenv("DOL_CACHE_DIR")
    assert cache.cache_dir() == platformdirs.user_cache_path("dol_toolkit", appauthor=False)


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="XDG_CACHE_HOME is the Linux convention")
def test_on_linux_xdg_cache_home_is_honoured_as_before(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("DOL_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "dol_toolkit"


def test_the_cache_works_where_there_is_no_fcntl(tmp_path: Path):
    """As on Windows: the module imports and its lock holds without the POSIX-only fcntl."""
    code = ("import sys; sys.modules['fcntl'] = None\n"
            "from dol_toolkit.pages import cache\n"
            "with cache._locked('k'):\n    print('locked')\n")
    env = {**os.environ, "DOL_CACHE_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "locked" in result.stdout, result.stderr


def test_one_builder_at_a_time(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("DOL_CACHE_DIR", str(tmp_path))
    inside: list[int] = []
    most = 0

    def build() -> None:
        nonlocal most
        with cache._locked("same"):
            inside.append(1)
            most = max(most, len(inside))
            time.sleep(0.05)
            inside.pop()

    threads = [threading.Thread(target=build) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert most == 1
