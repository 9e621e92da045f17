"""Room for a large export only where the preparation is served: the preparation's own connections."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from dol_toolkit.server import access
from dol_toolkit.server.access import UploadSocket, listen_options
from dol_toolkit.uploads import (
    DEFAULT_MESSAGE_BYTES,
    MESSAGE_ROOM_BYTES,
    UPLOAD_LIMIT_BYTES,
    size_text,
)


class _Socket(UploadSocket):
    def __init__(self, remote_ip: str) -> None:
        self.request = SimpleNamespace(remote_ip=remote_ip)


@pytest.mark.parametrize(("served", "remote_ip", "room"), [
    (True, "127.0.0.1", MESSAGE_ROOM_BYTES),
    (True, "::1", MESSAGE_ROOM_BYTES),
    (True, "192.168.1.20", DEFAULT_MESSAGE_BYTES),  # a page from the room: tornado's 10 MiB
    (False, "127.0.0.1", DEFAULT_MESSAGE_BYTES),  # --lan or a hub: no preparation, no room for uploads
])
def test_only_the_preparations_own_connections_carry_a_large_export(monkeypatch, served, remote_ip, room):
    monkeypatch.setattr(access, "preparation_open", lambda handler: served)
    assert _Socket(remote_ip).max_message_size == room


def test_the_server_buffers_the_largest_upload_and_bodies_stay_at_tornados_default():
    options = listen_options()
    assert options["max_buffer_size"] > MESSAGE_ROOM_BYTES > UPLOAD_LIMIT_BYTES
    assert options["max_body_size"] == 100 * 1024 * 1024
    assert size_text(UPLOAD_LIMIT_BYTES) == "200 MB" and size_text(UPLOAD_LIMIT_BYTES, "en") == "200 MB"
    assert size_text(UPLOAD_LIMIT_BYTES + 1) == "200,1 MB"  # just over the limit never reads as the limit
    assert size_text(UPLOAD_LIMIT_BYTES + 1, "en") == "200.1 MB"
    assert size_text(5 * 1024 * 1024 // 2, "en") == "2.5 MB"
