"""The toolkit's one error protocol.

Every error the toolkit raises on purpose is a :class:`DolError`: ``code`` names its message in the i18n
catalogs (Danish and English), ``values`` fill the message, ``message(lang)`` gives it in a language for a page,
and ``str()`` gives it for logs and the command line (English unless the class says otherwise). Each error keeps
its built-in base (``ValueError``, ``RuntimeError``) so that code catching those still catches it.

The errors themselves live beside the code that raises them (``ConfigError`` in :mod:`dol_toolkit.workshop`,
``NoteStoreError`` in :mod:`dol_toolkit.notes`, ...); a page shows any of them with :func:`error_text`.

The base is defined in :mod:`dol_toolkit.i18n` (the bottom layer, whose date reader raises one) and is
re-exported here; this module imports nothing but :mod:`dol_toolkit.i18n`.
"""

from __future__ import annotations

from typing import ClassVar

from dol_toolkit.i18n import DolError, Lang, UnknownLanguage

__all__ = ["DolError", "EnglishError", "UnknownLanguage", "error_text"]


class EnglishError(DolError):
    """An error for the people who program with the toolkit (a wrong argument in a notebook, a server set up
    wrongly), never shown on a workshop page: its text is English in every language."""

    prefix: ClassVar[str] = "errors."

    def __init__(self, text: str) -> None:
        super().__init__("english", text=text)


def error_text(error: BaseException, lang: Lang) -> str:
    """What a page says about ``error``: a :class:`DolError`'s message in ``lang``, else the error's text."""
    return error.message(lang) if isinstance(error, DolError) else str(error)
