"""The order of survey rounds: years and numbers in numeric order ("2024" before "2026"), other names after."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd


def wave_key(wave: object) -> tuple[int, float, str]:
    """Sort key for one round."""
    text = str(wave)
    try:
        return (0, float(text), text)
    except ValueError:
        return (1, 0.0, text)


def sorted_waves(waves: Iterable[object]) -> list[str]:
    """Distinct rounds as text, earliest first (missing values left out)."""
    return sorted({str(w) for w in waves if w is not None and not (isinstance(w, float) and w != w)}, key=wave_key)


def waves_of(responses: pd.DataFrame) -> list[str]:
    """The rounds in a tidy responses table, earliest first."""
    return sorted_waves(responses["wave"].dropna().astype(object))
