"""Packaging: environment.yml and pyproject.toml list the same dependencies; the package ships its data."""

from __future__ import annotations

import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[1]


def _pyproject() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def _conda_specs() -> tuple[dict[str, str], list[str]]:
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    conda: dict[str, str] = {}
    pip: list[str] = []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip.extend(dep.get("pip", []))
            continue
        req = Requirement(dep.replace(" ", ""))
        conda[canonicalize_name(req.name)] = str(req.specifier)
    return conda, pip


def _as_specs(requirements: list[str]) -> dict[str, str]:
    out = {}
    for line in requirements:
        req = Requirement(line)
        out[canonicalize_name(req.name)] = str(req.specifier)
    return out


def test_environment_yml_matches_pyproject():
    project = _pyproject()["project"]
    expected = _as_specs(project["dependencies"]) | _as_specs(project["optional-dependencies"]["lab"])
    conda, pip = _conda_specs()
    assert conda.pop("python") == ">=" + project["requires-python"].removeprefix(">=")
    assert conda.pop("pip") == ""
    missing = sorted(set(expected) - set(conda))
    extra = sorted(set(conda) - set(expected))
    assert not missing, f"in pyproject.toml but not environment.yml: {missing}"
    assert not extra, f"in environment.yml but not pyproject.toml: {extra}"
    differ = {name: (expected[name], conda[name]) for name in expected if expected[name] != conda[name]}
    assert not differ, f"version constraints differ (pyproject, environment.yml): {differ}"
    # Its pip part installs the package itself.
    assert any(line.strip() in ("-e .", ".") for line in pip), pip


def test_package_data_ships_themes_and_catalogs():
    data = _pyproject()["tool"]["setuptools"]["package-data"]["dol_toolkit"]
    src = REPO / "src" / "dol_toolkit"
    for pattern in data:
        assert list(src.glob(pattern)), f"package-data pattern {pattern} matches nothing"
    assert (src / "themes" / "digital_omstilling.toml").exists()
