"""One contract between the server and its kernels (dol_toolkit.runtime): written once by the server, read once
by a kernel; the content key is handed over, not computed again in every kernel."""

from __future__ import annotations

from pathlib import Path

import pytest

from dol_toolkit import runtime
from dol_toolkit.pages import cache
from dol_toolkit.workshop import load_config
from tests.workshops import copy_example_workshop


def test_what_the_server_hands_over_is_what_a_kernel_reads(tmp_path: Path):
    env: dict[str, str] = {"VOILA_APP_PORT": "9123", "VOILA_SERVER_URL": "/services/w/"}
    config = tmp_path / "w.toml"
    handed = runtime.hand_to_kernels(config=config, content_key="abc123", restart_secret="s3cret-s3cret",
                                     preparation=True, environ=env)
    read = runtime.from_server(env)
    assert read == handed
    assert (read.config, read.content_key, read.restart_secret, read.preparation) == (
        config, "abc123", "s3cret-s3cret", True)
    assert read.workshops_dir == Path.cwd() / "workshops"
    assert read.local_url("dol/restart") == "http://127.0.0.1:9123/services/w/dol/restart"
    assert read.content_key_for(config) == "abc123"
    assert read.content_key_for(tmp_path / "other.toml") is None  # another configuration: its own key


def test_outside_a_server_a_kernel_gets_the_defaults():
    read = runtime.from_server({})
    assert (read.config, read.content_key, read.restart_secret, read.preparation, read.port) == (
        None, None, "", False, 8866)


def test_a_server_without_a_configuration_hands_over_no_key_of_another(tmp_path: Path):
    env = {runtime.CONTENT_KEY_ENV: "from-the-server-before-a-restart", runtime.WORKSHOPS_ENV: str(tmp_path)}
    read = runtime.hand_to_kernels(config=None, content_key=None, restart_secret="", preparation=False, environ=env)
    assert read.content_key is None and read.workshops_dir == tmp_path and not read.preparation


@pytest.fixture
def workshop(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = copy_example_workshop(repo, tmp_path / "w")
    monkeypatch.setenv("DOL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "_LOADED", {})
    return path


def test_a_kernel_uses_the_key_the_server_computed_and_hashes_nothing(workshop: Path, monkeypatch):
    config = load_config(workshop)
    made, _ = cache.ensure_content(config)  # the server, before any kernel starts
    monkeypatch.setenv(runtime.CONFIG_ENV, str(config.path))
    monkeypatch.setenv(runtime.CONTENT_KEY_ENV, made.key)

    def no_hashing(*args: object) -> str:
        raise AssertionError("a kernel hashed the package or the export again")

    monkeypatch.setattr(cache, "_package_digest", no_hashing)
    monkeypatch.setattr(cache, "_file_digest", no_hashing)
    loaded = cache.load_content(config)
    assert loaded.key == made.key and loaded.waves == made.waves


def test_a_kernel_no_server_started_computes_the_key(workshop: Path, monkeypatch):
    monkeypatch.delenv(runtime.CONFIG_ENV, raising=False)
    monkeypatch.delenv(runtime.CONTENT_KEY_ENV, raising=False)
    config = load_config(workshop)
    assert cache.load_content(config).key == cache.content_key(config)
