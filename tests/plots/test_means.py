"""mean_marks: the employees' mean and interval, the own and own leader's answers, as distinct marks."""

from __future__ import annotations

import pandas as pd
import pytest

from dol_toolkit.plots import mean_marks
from dol_toolkit.stats import Selection, describe_selection

from .builders import ITEM_IDS, MESSAGE_DA, MESSAGE_EN, assert_only_message, combine, expand, tidy

EMPLOYEES = {
    "competences": expand({"2": 2, "3": 2, "4": 2}),
    "rationale": expand({"4": 3, "5": 3}),
    "citizen_value": expand({"1": 1, "3": 4, "dont_know": 1}),
    "curiosity_culture": expand({"3": 6}),
    "it_security": expand({"2": 3, "5": 3}),
}
SELF = {"competences": ["4"], "rationale": ["5"], "citizen_value": ["3"], "curiosity_culture": ["3"],
        "it_security": ["4"]}
MANAGER = {"competences": ["3"], "rationale": ["dont_know"], "citizen_value": ["2"], "curiosity_culture": ["3"],
           "it_security": ["2"]}


@pytest.fixture
def personal() -> pd.DataFrame:
    responses = combine(tidy(EMPLOYEES), tidy(SELF, role="self"), tidy(MANAGER, role="manager"))
    return describe_selection(responses, Selection.leader("L1"))


def marks(ax) -> dict[tuple[str, str], object]:
    out = {}
    for line in ax.lines:
        gid = line.get_gid() or ""
        if gid.startswith(("mean:", "interval:")):
            kind, item, role = gid.split(":")
            out[(kind, item, role)] = line
    return out


def rows(personal: pd.DataFrame, role: str) -> pd.DataFrame:
    part = personal[(personal["role"] == role) & (personal["item_id"] != "index")]
    return part.set_index("item_id")


def test_marks_are_at_the_described_values(personal):
    ax = mean_marks(personal)
    drawn = marks(ax)
    employees = rows(personal, "employee")
    for position, item in enumerate(ITEM_IDS):
        mean = drawn[("mean", item, "employee")]
        assert mean.get_xdata()[0] == pytest.approx(employees.loc[item, "mean"])
        interval = drawn[("interval", item, "employee")]
        assert list(interval.get_xdata()) == pytest.approx([employees.loc[item, "ci_low"],
                                                            employees.loc[item, "ci_high"]])
        # Every mark of an item lies within the item's band.
        for (_, it, _), line in drawn.items():
            if it == item:
                assert position - 0.5 < line.get_ydata()[0] < position + 0.5
    own = rows(personal, "self")
    boss = rows(personal, "manager")
    for item in ITEM_IDS:
        assert drawn[("mean", item, "self")].get_xdata()[0] == own.loc[item, "mean"]
    assert ("mean", "rationale", "manager") not in drawn  # "Ved ikke" has no place on the scale
    assert drawn[("mean", "citizen_value", "manager")].get_xdata()[0] == boss.loc["citizen_value", "mean"]


def test_roles_differ_by_shape_and_line(personal):
    ax = mean_marks(personal)
    drawn = marks(ax)
    shapes = {role: drawn[("mean", "competences", role)].get_marker() for role in ("employee", "self", "manager")}
    assert len(set(shapes.values())) == 3
    heights = {role: drawn[("mean", "competences", role)].get_ydata()[0] for role in shapes}
    assert len(set(heights.values())) == 3  # equal answers never hide one another
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["Dine medarbejdere: gennemsnit med 95 %-interval", "Din egen vurdering", "Din leders vurdering"]


def test_dont_know_is_said_in_words(personal):
    ax = mean_marks(personal)
    assert "Din leder: Ved ikke" in [t.get_text() for t in ax.texts]
    ax_en = mean_marks(personal, lang="en")
    assert "Your leader: Don't know" in [t.get_text() for t in ax_en.texts]


def test_scale_axis_with_end_labels(personal, theme):
    ax = mean_marks(personal)
    assert list(ax.get_xticks()) == [1, 2, 3, 4, 5]
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels[0] == f"1\n{theme.scale.points[0].label('da')}"
    assert labels[-1] == f"5\n{theme.scale.points[-1].label('da')}"
    assert labels[1:4] == ["2", "3", "4"]
    assert [t.get_text() for t in ax.get_yticklabels()] == [theme.item(i).short("da") for i in ITEM_IDS]


def test_mean_labels_in_the_language(personal):
    da = [t.get_text() for t in mean_marks(personal).texts]
    en = [t.get_text() for t in mean_marks(personal, lang="en").texts]
    # competences: (2+2+3+3+4+4)/6 = 3.0; rationale 4.5; citizen_value (1+3*4)/5 = 2.6
    assert {"3,0", "4,5", "2,6"} <= set(da)
    assert {"3.0", "4.5", "2.6"} <= set(en)


@pytest.mark.parametrize(("lang", "message"), [("da", MESSAGE_DA), ("en", MESSAGE_EN)])
def test_suppressed_employees_show_only_the_message(lang, message):
    few = {item: expand({"2": 2, "4": 2}) for item in ITEM_IDS}  # four employees
    responses = combine(tidy(few), tidy(SELF, role="self"), tidy(MANAGER, role="manager"))
    personal = describe_selection(responses, Selection.leader("L1"))
    ax = mean_marks(personal, lang=lang)
    assert_only_message(ax, message)


def test_sample_leader(sample):
    personal = describe_selection(sample, Selection.leader("Anders Pedersen"))
    ax = mean_marks(personal, wave="2024")
    drawn = marks(ax)
    employees = rows(personal[personal["wave"] == "2024"], "employee")
    assert drawn[("mean", "rationale", "employee")].get_xdata()[0] == pytest.approx(employees.loc["rationale", "mean"])
    assert "Din leder: Ved ikke" in [t.get_text() for t in ax.texts]  # the sample's own leader said "Ved ikke"


def test_role_offsets():
    from dol_toolkit.plots.means import role_offsets

    assert role_offsets(("employee", "self", "manager")) == pytest.approx(
        {"employee": -0.27, "self": 0.0, "manager": 0.27})
    assert role_offsets(("employee",)) == {"employee": 0.0}


def test_selection_without_own_answers_shows_the_employees(sample, group):
    description = describe_selection(sample, Selection.group(group))
    ax = mean_marks(description)
    drawn = marks(ax)
    assert {role for _, _, role in drawn} == {"employee"}
    assert drawn[("mean", "competences", "employee")].get_ydata()[0] == 0
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Dine medarbejdere: gennemsnit med 95 %-interval"]
