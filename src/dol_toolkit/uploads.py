"""How large an export the preparation takes, and what lets the server carry it.

The preparation's file button (an ipywidgets ``FileUpload``) sends the chosen file to the page's kernel as one
message over the kernel's websocket. Tornado drops a websocket message over 10 MiB by closing the socket, and its
HTTP server reads at most 100 MiB into a buffer at a time, so an export of a large organisation did nothing: no
file, no message. Here:

* :data:`UPLOAD_LIMIT_BYTES` is the largest export the preparation takes (200 MiB, said on the page as "200 MB");
* the server (:mod:`dol_toolkit.server.access`, ``UploadSocket`` and ``listen_options``) lets a kernel websocket
  carry a message of that size, but only where the preparation is served: its connection comes from this
  machine and the server serves the preparation (not with ``--lan``, nor behind a hub). Every other websocket
  keeps tornado's 10 MiB; the HTTP server gets a read buffer that holds such a message, while request bodies
  stay at tornado's 100 MiB;
* the page refuses a larger file before sending it, with a message that says the limit (the workshop page
  template's script; the text and the limit come from the app, :func:`limit_html`), and the kernel refuses one
  that arrives anyway (:func:`dol_toolkit.prepare.save_upload`).
"""

from __future__ import annotations

import html
import math

UPLOAD_LIMIT_MB = 200
UPLOAD_LIMIT_BYTES = UPLOAD_LIMIT_MB * 1024 * 1024
# The message carrying a file also holds its name, type and date, and the protocol's headers.
MESSAGE_ROOM_BYTES = UPLOAD_LIMIT_BYTES + 1024 * 1024
DEFAULT_MESSAGE_BYTES = 10 * 1024 * 1024  # tornado's default for a websocket message
DEFAULT_BODY_BYTES = 100 * 1024 * 1024  # tornado's default for an HTTP request body


def size_text(size: int, lang: str = "da") -> str:
    """A file size in MB (of 1024 * 1024 bytes): whole MB as they are, else rounded up to a tenth, so that a file
    over the limit never reads as the limit ("200 MB" is the limit, "200,1 MB" a file just over it)."""
    tenths = math.ceil(size * 10 / (1024 * 1024))
    text = str(tenths // 10) if tenths % 10 == 0 else f"{tenths // 10}{',' if lang == 'da' else '.'}{tenths % 10}"
    return f"{text} MB"


def limit_html(too_big: str, lang: str = "da", css: str = "dol-upload-limit") -> str:
    """The element the page's script reads before a file is sent: the limit in bytes, and the message (with
    ``{name}``, ``{size}`` and ``{limit}`` left for the script, which writes sizes as :func:`size_text` does)
    shown instead of sending a larger file."""
    return (f'<div class="{css}" data-limit-bytes="{UPLOAD_LIMIT_BYTES}" '
            f'data-limit-text="{html.escape(size_text(UPLOAD_LIMIT_BYTES, lang))}" '
            f'data-decimal="{"," if lang == "da" else "."}" '
            f'data-message="{html.escape(too_big, quote=True)}" hidden></div>')
