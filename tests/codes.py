"""Personal codes for test workshops that are quick to check.

The product hashes codes with scrypt at n = 2**14 (about 60 ms a hash here), and a code check compares the typed
code with every leader's hash. Tests that type hundreds of codes (the lockout's ten minutes of guessing) spent
most of their time in scrypt. Their workshops store hashes at n = 2**8: the same scheme and the same checking
code, which reads the cost from the stored hash, only cheaper to compute. The product's own parameters are
checked in tests/test_workshop.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

QUICK_N = 2**8


def write_quick_codes(path: str | Path, leaders: list[str] | None = None) -> dict[str, str]:
    """``dol_toolkit.workshop.write_codes`` with hashes that are quick to check (see the module docstring)."""
    from dol_toolkit import workshop

    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(workshop._SCRYPT, "n", QUICK_N)
        return workshop.write_codes(path, leaders)
