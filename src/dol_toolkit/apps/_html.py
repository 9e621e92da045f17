"""The apps' HTML, written as Jinja2 templates (``templates/``, shipped with the package) with autoescape on:
every value is escaped unless it is HTML made here already (:class:`markupsafe.Markup`, e.g. another template's
output).

Each page's kernel compiles the templates it renders; the compiled code is kept in the toolkit's cache folder
(Jinja2's ``FileSystemBytecodeCache``, checked against each template's source), so that a room of kernels does not
compile the same templates thirty times."""

from __future__ import annotations

import logging
from functools import cache
from typing import Any

from jinja2 import BytecodeCache, Environment, FileSystemBytecodeCache, PackageLoader, select_autoescape
from markupsafe import Markup

from dol_toolkit.pages.cache import cache_dir

log = logging.getLogger("dol_toolkit.apps")


class _KeptTemplates(FileSystemBytecodeCache):
    """Compiled templates kept on disk; a copy that cannot be written (a full disk, a folder made read-only) is
    not kept, and the page renders all the same."""

    def dump_bytecode(self, bucket: Any) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError as exc:
            log.warning("a compiled template could not be kept in %s: %s", self.directory, exc)


def _compiled_cache() -> BytecodeCache | None:
    """The folder of compiled templates; None (compile in memory) where the cache folder cannot be written."""
    folder = cache_dir() / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return _KeptTemplates(str(folder))


@cache
def _environment() -> Environment:
    return Environment(loader=PackageLoader("dol_toolkit.apps", "templates"),
                       autoescape=select_autoescape(default=True, default_for_string=True),
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False,
                       bytecode_cache=_compiled_cache())


def render(name: str, **values: Any) -> Markup:
    """The template ``name`` filled with ``values``: HTML, safe to put into another template."""
    return Markup(_environment().get_template(name).render(**values))


__all__ = ["Markup", "render"]
