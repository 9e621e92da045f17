"""The apps' HTML, written as Jinja2 templates (``templates/``, shipped with the package) with autoescape on:
every value is escaped unless it is HTML made here already (:class:`markupsafe.Markup`, e.g. another template's
output)."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup


@cache
def _environment() -> Environment:
    return Environment(loader=PackageLoader("dol_toolkit.apps", "templates"),
                       autoescape=select_autoescape(default=True, default_for_string=True),
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)


def render(name: str, **values: Any) -> Markup:
    """The template ``name`` filled with ``values``: HTML, safe to put into another template."""
    return Markup(_environment().get_template(name).render(**values))


__all__ = ["Markup", "render"]
