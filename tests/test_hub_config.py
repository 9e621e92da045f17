"""The hub's configuration from the workshop configurations (dol_toolkit.hub), and dol serve --hub outside a
hub. The hub itself is tested in tests/browser/test_hub.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dol_toolkit.hub import SERVICE_TIMEOUT, HubError, service_name, workshop_roles, workshop_services

REPO = Path(__file__).resolve().parents[1]


def _config(folder: Path, name: str) -> Path:
    text = (REPO / "workshop" / "eksempel.toml").read_text(encoding="utf-8")
    text = text.replace('file = "../data/samples/', f'file = "{REPO.as_posix()}/data/samples/')
    text = text.replace('name = "Ledergruppe Teknik og Miljø"', f'name = "{name}"', 1)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{len(list(folder.iterdir()))}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_one_service_per_workshop_on_its_own_port_with_its_name(tmp_path):
    a, b = _config(tmp_path, "Ledergruppe Teknik og Miljø"), _config(tmp_path, "Ældreplejens ledere")
    services = workshop_services([a, b], first_port=12000, participants=8, dol=["dol"])
    assert [s["name"] for s in services] == ["ledergruppe-teknik-og-miljoe", "aeldreplejens-ledere"]
    assert [s["url"] for s in services] == ["http://127.0.0.1:12000", "http://127.0.0.1:12001"]
    assert services[0]["command"] == ["dol", "serve", str(a), "--hub", "--participants", "8"]
    assert all(s["oauth_no_confirm"] for s in services)
    # the hub waits for a workshop's first start (its content prepared) instead of stopping after its own 30 s
    assert all(s["timeout"] == SERVICE_TIMEOUT >= 120 for s in services)
    roles = workshop_roles(services)
    assert roles == [{"name": "user", "scopes": ["self", "access:services!service=ledergruppe-teknik-og-miljoe",
                                                 "access:services!service=aeldreplejens-ledere"]}]
    only = workshop_roles(services, groups=["teknik"])
    assert only[0]["groups"] == ["teknik"] and only[0]["users"] == []


def test_two_workshops_with_one_name_and_a_broken_configuration_are_refused(tmp_path):
    a, b = _config(tmp_path, "Ledergruppe"), _config(tmp_path, "Ledergruppe")
    with pytest.raises(HubError, match="name the same workshop service 'ledergruppe'"):
        workshop_services([a, b])
    from dol_toolkit.workshop import ConfigError

    with pytest.raises(ConfigError):
        workshop_services([tmp_path / "findes-ikke.toml"])
    assert service_name(Path("x.toml"), "!!!") == "x"


def test_serve_hub_outside_a_hub_says_how_to_run_it(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTERHUB_")}
    dol = str(Path(sys.executable).with_name("dol"))
    done = subprocess.run([dol, "serve", str(REPO / "workshop" / "eksempel.toml"), "--hub"], capture_output=True,
                          text=True, timeout=300, env=env, cwd=REPO)
    assert done.returncode == 2
    assert "dol serve --hub runs as a JupyterHub service" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_a_hub_service_answers_the_hubs_public_names_and_no_other(tmp_path, monkeypatch):
    from dol_toolkit.server import allowed_hosts, host_allowed

    a = _config(tmp_path, "Ledergruppe Teknik og Miljø")
    services = workshop_services([a], dol=["dol"], host_names=["hub.example.org"])
    assert services[0]["command"] == ["dol", "serve", str(a), "--hub", "--host-name", "hub.example.org"]
    monkeypatch.setenv("JUPYTERHUB_PUBLIC_URL", "https://workshops.example.org/services/teknik/")
    monkeypatch.setenv("JUPYTERHUB_SERVICE_URL", "http://127.0.0.1:10101")
    names = allowed_hosts("127.0.0.1", hub=True, host_names=("hub.example.org",))
    for host in ("workshops.example.org", "hub.example.org:443", "127.0.0.1:8000", "localhost", "[::1]:8000"):
        assert host_allowed(host, names), host
    for host in ("evil.example", "hub.example.org.evil.example", "example.org"):
        assert not host_allowed(host, names), host
