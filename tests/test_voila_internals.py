"""What the server relies on of Voila where Voila offers no public hook (dol_toolkit.server.voila_internals):
a Voila upgrade that changes it fails here, naming what changed, before a room finds out."""

from __future__ import annotations

import pytest

from dol_toolkit.server import voila_internals
from dol_toolkit.server.voila_internals import TemplateStaticFileHandler, VoilaKernelWebsocketHandler


def test_the_voila_internals_the_server_relies_on_are_there():
    problems = voila_internals.missing()
    assert not problems, "Voila changed what dol serve relies on:\n  " + "\n  ".join(problems)


def test_a_method_gone_is_named(monkeypatch):
    monkeypatch.setattr(VoilaKernelWebsocketHandler, "pre_get", None)
    assert any("VoilaKernelWebsocketHandler.pre_get is gone" in p for p in voila_internals.missing())


def test_a_changed_signature_is_named(monkeypatch):
    monkeypatch.setattr(TemplateStaticFileHandler, "parse_url_path", lambda self, url, extra: url)
    problems = voila_internals.missing()
    assert any("TemplateStaticFileHandler.parse_url_path" in p and "'url'" in p for p in problems), problems


def test_the_kernel_managers_private_pools_are_checked(monkeypatch):
    monkeypatch.setattr(voila_internals, "_source", lambda obj: "")
    problems = voila_internals.missing()
    assert any("self._pools" in p for p in problems) and any("'kernel_id', 'task'" in p for p in problems)


def test_the_server_refuses_to_start_on_a_changed_voila(monkeypatch):
    monkeypatch.setattr(VoilaKernelWebsocketHandler, "pre_get", None)
    with pytest.raises(RuntimeError, match="pre_get"):
        voila_internals.require()
