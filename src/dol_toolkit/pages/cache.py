"""The workshop's shared content, computed once and kept on disk.

What every participant sees alike (the group's results view for every round and language, the group's figures
per item for the cases and the action plan) is built once per workshop by :func:`ensure_content` (``dol serve``
calls it before anyone arrives) and written as JSON to a cache folder. Every page's kernel then only reads that
file: it needs neither pandas nor matplotlib nor the export. A restarted server reuses the file; a change of the
data file, the mapping, a setting of the configuration that shapes the content, the theme, the interface text or the
package makes a new key, so the content is computed again (new personal codes, the notes database or the room's size
do not).

The content is made by :func:`dol_toolkit.pages.content.build_content` from the statistics layer, which decides
what may be shown: the cache holds nothing the whole group may not see.

The content key is computed once, by the server (:func:`ensure_content`), and handed to its kernels
(:mod:`dol_toolkit.runtime`): :func:`load_content` uses it and hashes nothing. Only a kernel no workshop server
started (JupyterLab, a researcher's notebook) computes the key itself.

Cache folder: ``DOL_CACHE_DIR`` if set, else the user's cache folder for ``dol_toolkit`` as ``platformdirs``
names it (``$XDG_CACHE_HOME/dol_toolkit``, ``~/.cache/dol_toolkit`` on Linux; the platform's own on macOS and
Windows). Builders of the same content in several processes take turns through a ``filelock`` lock file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from dol_toolkit import __version__
from dol_toolkit.i18n import Lang
from dol_toolkit.runtime import from_server
from dol_toolkit.themes import is_theme_path
from dol_toolkit.workshop import WorkshopConfig

log = logging.getLogger("dol_toolkit.pages.cache")

CACHE_ENV = "DOL_CACHE_DIR"
# Bump when the shape of the content changes.
CONTENT_FORMAT = 3  # 3: every screen chart also carries its drawing for a phone (a <picture>)
_PACKAGE = Path(__file__).resolve().parents[1]
# The package's files that decide what the content looks like: a change in any of them is a new key.
_SOURCES = ("pages", "report", "plots", "stats", "survey", "themes", "i18n")


def cache_dir() -> Path:
    """``DOL_CACHE_DIR``, else the user's cache folder for the toolkit (platformdirs)."""
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit)
    return platformdirs.user_cache_path("dol_toolkit", appauthor=False)


def _package_digest() -> str:
    digest = hashlib.sha256(__version__.encode())
    for name in _SOURCES:
        path = _PACKAGE / name
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            if file.is_file() and file.suffix in (".py", ".toml"):
                digest.update(str(file.relative_to(_PACKAGE)).encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()


def _file_digest(path: Path | None) -> str:
    if path is None:
        return "-"
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# The settings of a workshop that do not shape its shared content: where the file is, the personal codes (new codes
# are written into the file before every workshop), where the notes go and how the room is served. Every other
# setting, including any added later, is part of the key. The data file and the mapping count by their content.
NOT_CONTENT = frozenset({"path", "codes", "notes_database", "participants", "close_personal_after_minutes"})
_BY_CONTENT = frozenset({"data_file", "mapping_file"})


def _settings(config: WorkshopConfig) -> str:
    """The configuration's settings that shape the content, as one canonical text."""
    values = {name: value for name, value in vars(config).items()
              if not name.startswith("_") and name not in NOT_CONTENT | _BY_CONTENT}
    return json.dumps(values, sort_keys=True, ensure_ascii=False, default=str)


def content_key(config: WorkshopConfig) -> str:
    """The cache key: the package, the data file, the mapping and a theme file of its own by content, and the
    configuration's settings that shape the content (not its codes, notes database or room: a workshop whose
    codes were made again, or that is served to more people, keeps its content)."""
    theme = Path(config.theme) if is_theme_path(config.theme) else None
    parts = [f"format={CONTENT_FORMAT}", f"package={_package_digest()}",
             f"settings={hashlib.sha256(_settings(config).encode()).hexdigest()}",
             f"data={_file_digest(config.data_file)}", f"mapping={_file_digest(config.mapping_file)}",
             f"theme={_file_digest(theme)}"]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class WorkshopContent:
    """The shared content of one workshop, as the apps show it."""

    key: str
    waves: list[str]
    group_html: dict[str, dict[str, str]]  # lang -> wave -> the group view
    item_figures: dict[str, dict[str, dict[str, str] | None]]  # lang -> item -> {"mean", "agree"} or None (hidden)
    figures_wave: str | None

    @property
    def latest_wave(self) -> str | None:
        return self.waves[-1] if self.waves else None

    def group(self, wave: str, lang: Lang) -> str:
        return self.group_html[lang][wave]

    @classmethod
    def from_dict(cls, key: str, raw: dict[str, Any]) -> WorkshopContent:
        return cls(key=key, waves=list(raw["waves"]), group_html=raw["group_html"], item_figures=raw["item_figures"],
                   figures_wave=raw["figures_wave"])


def _path(key: str) -> Path:
    return cache_dir() / f"content-{key}.json"


@contextlib.contextmanager
def _locked(key: str) -> Iterator[None]:
    """One builder at a time per key, across processes: the others wait and then read its file."""
    from filelock import FileLock  # only where content is made, not in every page's kernel

    folder = cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    with FileLock(folder / f"content-{key}.lock"):
        yield


def _read(key: str) -> WorkshopContent | None:
    try:
        raw = json.loads(_path(key).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        log.warning("the cached content %s could not be read; computing it again", _path(key), exc_info=True)
        return None
    try:
        return WorkshopContent.from_dict(key, raw)
    except (KeyError, TypeError):
        log.warning("the cached content %s has another shape; computing it again", _path(key))
        return None


def ensure_content(config: WorkshopConfig, key: str | None = None) -> tuple[WorkshopContent, bool]:
    """The workshop's shared content and whether it came from the cache (False: it was computed now).
    ``key``: the content key when it is known (the server's, handed to its kernels), else computed here.

    Raises what reading the data raises (:class:`~dol_toolkit.survey.SurveyImportError`,
    :class:`~dol_toolkit.workshop.ConfigError`) when the content cannot be made.
    """
    key = key or content_key(config)
    found = _read(key)
    if found is not None:
        return found, True
    with _locked(key):
        found = _read(key)  # another process may have made it while this one waited
        if found is not None:
            return found, True
        from dol_toolkit.pages.content import build_content  # the heavy half: only where content is made

        raw = build_content(config)
        folder = cache_dir()
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, suffix=".tmp", delete=False) as out:
            json.dump(raw, out, ensure_ascii=False)
            temporary = Path(out.name)
        os.replace(temporary, _path(key))
        log.info("workshop content computed and cached in %s", _path(key))
        return WorkshopContent.from_dict(key, raw), False


_LOADED: dict[str, WorkshopContent] = {}


def load_content(config: WorkshopConfig) -> WorkshopContent:
    """The shared content for a page's kernel: from the cache (computed on first need when missing). Under a
    workshop server its key is the one the server handed over (nothing is hashed); elsewhere it is computed."""
    key = from_server().content_key_for(config.path) or content_key(config)
    if key not in _LOADED:
        _LOADED[key] = ensure_content(config, key)[0]
    return _LOADED[key]
