"""ruff and mypy (strict) are clean on the package: part of every test run, so CI enforces them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


def _run(tool: str, *args: str, repo: Path) -> subprocess.CompletedProcess[str]:
    exe = BIN / tool
    if not exe.exists():
        pytest.fail(f"{tool} is not installed in {BIN}: run `make test` (it installs the test extras)")
    return subprocess.run([str(exe), *args], cwd=repo, capture_output=True, text=True, timeout=600)


def test_ruff_clean(repo):
    result = _run("ruff", "check", "src", "tests", "benchmarks", repo=repo)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_clean(repo):
    result = _run("mypy", repo=repo)
    assert result.returncode == 0, result.stdout + result.stderr
