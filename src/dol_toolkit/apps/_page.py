"""The state of one page (one participant's kernel) as a traitlets model: the one source of truth the widgets are
joined to (``traitlets.link``/``dlink``, or observers on the model) instead of values read back from widgets and
guard flags.

* ``lang`` and ``step``: what the page shows; the route widget and the hidden state widget follow them.
* ``leader``: whose personal view is open on the page (one at a time; open on every step once its code is typed
  on one, closed on all of them by a close on any step or by the idle time).
* ``script_runs`` and ``focused``: what the page's script has said (it applies the kernel's offers of text; which
  note boxes have the keyboard focus, never replaced under the writer's fingers).
* ``attempts``: the wrong personal codes typed on the page (every code box on it counts together).

The workshop page makes one model and hands it to every step it builds. An app or note editor built on its own
(a notebook cell, a test) uses :func:`kernel_page`, the model of the kernel it runs in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

import traitlets

from dol_toolkit.i18n import DEFAULT_LANG, LANGUAGES


class PageModel(traitlets.HasTraits):
    """What one page is in; see the module's docstring."""

    lang = traitlets.Enum(LANGUAGES, default_value=DEFAULT_LANG)
    step = traitlets.Unicode("")
    leader = traitlets.Unicode(None, allow_none=True)
    script_runs = traitlets.Bool(False)
    focused = traitlets.Set(traitlets.Unicode())
    # the page's count of wrong codes (:class:`dol_toolkit.apps.personal.PageAttempts`)
    attempts = traitlets.Instance("dol_toolkit.apps.personal.PageAttempts", args=())


@cache
def kernel_page() -> PageModel:
    """The page model of this kernel, for what is built outside a workshop page (one kernel serves one page)."""
    return PageModel()


@contextmanager
def unheard(owner: traitlets.HasTraits, handler: Callable[[dict[str, Any]], None],
            name: str = "value") -> Iterator[None]:
    """Change ``owner``'s trait ``name`` without ``handler`` hearing it: the kernel's own change (a stored text
    shown, options relabelled) is not the user's."""
    owner.unobserve(handler, names=name)
    try:
        yield
    finally:
        owner.observe(handler, names=name)
