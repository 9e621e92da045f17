"""change_bars: the difference between rounds with its interval, the rounds named, suppression."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dol_toolkit.plots import change_bars
from dol_toolkit.stats import Selection
from dol_toolkit.stats.compare import compare_waves

from .builders import ITEM_IDS, MESSAGE_DA, MESSAGE_EN, assert_only_message, combine, expand, tidy


def comparison(differences: dict[str, float | None]) -> pd.DataFrame:
    rows = []
    for item, d in differences.items():
        hidden = d is None
        rows.append({"item_id": item, "earlier": "2024", "later": "2026",
                     "earlier_mean": np.nan if hidden else 3.0, "later_mean": np.nan if hidden else 3.0 + d,
                     "difference": np.nan if hidden else d, "ci_low": np.nan if hidden else d - 0.3,
                     "ci_high": np.nan if hidden else d + 0.3, "suppressed": hidden})
    return pd.DataFrame(rows)


def bars(ax) -> dict[str, object]:
    return {p.get_gid().split(":")[1]: p for p in ax.patches if (p.get_gid() or "").startswith("change:")}


def test_bars_equal_the_differences(sample, group):
    change = compare_waves(sample, Selection.group(group))
    ax = change_bars(change)
    drawn = bars(ax)
    table = change.set_index("item_id")
    for item in ITEM_IDS:
        assert drawn[item].get_x() == 0
        assert drawn[item].get_width() == pytest.approx(table.loc[item, "difference"])
        interval = next(line for line in ax.lines if line.get_gid() == f"interval:{item}")
        assert list(interval.get_xdata()) == pytest.approx([table.loc[item, "ci_low"], table.loc[item, "ci_high"]])
    assert "index" not in drawn
    assert "index" in bars(change_bars(change, include_index=True))


def test_rounds_and_numbers_in_the_language():
    data = comparison({"competences": 0.36, "rationale": -0.42, "citizen_value": 0.0, "curiosity_culture": 0.1,
                       "it_security": 0.2})
    ax = change_bars(data)
    assert ax.get_xlabel() == "Ændring i gennemsnit fra 2024 til 2026"
    strings = [t.get_text() for t in ax.texts]
    assert "+0,4" in strings and "\u22120,4" in strings and "0,0" in strings
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == "Opdaterede kompetencer\n3,0 \u2192 3,4"
    en = change_bars(data, lang="en")
    assert en.get_xlabel() == "Change in mean from 2024 to 2026"
    assert "+0.4" in [t.get_text() for t in en.texts]
    # Up and down differ in colour and in the sign of the label, not in colour alone.
    drawn = bars(ax)
    assert drawn["competences"].get_facecolor() != drawn["rationale"].get_facecolor()


def test_zero_line():
    ax = change_bars(comparison(dict.fromkeys(ITEM_IDS, 0.2)))
    assert any(list(line.get_xdata()) == [0, 0] for line in ax.lines)


def test_suppressed_item_is_left_out_with_a_note():
    values = dict.fromkeys(ITEM_IDS, 0.2)
    values["it_security"] = None
    ax = change_bars(comparison(values))
    assert "it_security" not in bars(ax)
    assert "Ikke vist: for få svar" in [t.get_text() for t in ax.texts]
    assert [t.get_text() for t in ax.get_yticklabels()][-1] == "IT-sikkerhed"  # no means for it


@pytest.mark.parametrize(("lang", "message"), [("da", MESSAGE_DA), ("en", MESSAGE_EN)])
def test_all_suppressed_shows_only_the_message(lang, message):
    ax = change_bars(comparison(dict.fromkeys(ITEM_IDS)), lang=lang)
    assert_only_message(ax, message)


def test_suppressed_by_the_statistics():
    later = {item: expand({"3": 2, "4": 3}) for item in ITEM_IDS}  # five employees
    earlier = {item: expand({"2": 2, "4": 2}) for item in ITEM_IDS}  # four: hidden
    responses = combine(tidy(earlier, wave="2024"), tidy(later, wave="2026"))
    change = compare_waves(responses, Selection.group(["L1"]))
    assert change["suppressed"].all()
    assert_only_message(change_bars(change), MESSAGE_DA)


def test_one_round_only(sample):
    one = compare_waves(sample[sample["wave"] == "2024"], Selection.group(["Anders Pedersen"]))
    assert one.empty
    ax = change_bars(one)
    assert_only_message(ax, "Der er kun én runde, så der er ingen ændring at vise.")
