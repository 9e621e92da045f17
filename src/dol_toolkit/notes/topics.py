"""What the workshop's notes are about, and the action plan's structured notes.

Topics: ``reflection:<question id>`` and ``case:<case id>`` (text notes, for the group and privately per
leader), and the action plan: ``plan:focus`` (the chosen item ids), ``plan:actions`` (the actions) and
``plan:follow_up`` (the follow-up date), each kept as JSON text in a note so that it has revisions like any
note. Two people changing the plan at once lose nothing: focus items and actions are joined
(:func:`merge_plan_part`).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

from dol_toolkit.notes.base import NoteKey, NoteStore

PLAN_FOCUS, PLAN_ACTIONS, PLAN_FOLLOW_UP = "plan:focus", "plan:actions", "plan:follow_up"
MAX_FOCUS = 3


def reflection_topic(question_id: str) -> str:
    return f"reflection:{question_id}"


def case_topic(case_id: str) -> str:
    return f"case:{case_id}"


@dataclass(frozen=True)
class Action:
    """One action: what, who, by when (ISO date or ""), and which item it serves."""

    what: str
    who: str = ""
    by_when: str = ""
    item_id: str = ""
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])


@dataclass(frozen=True)
class ActionPlan:
    focus: tuple[str, ...] = ()
    actions: tuple[Action, ...] = ()
    follow_up: str = ""
    revisions: dict[str, int] = field(default_factory=dict)  # topic -> revision the plan was read at


def _loads(text: str, default: Any) -> Any:
    try:
        return json.loads(text) if text.strip() else default
    except json.JSONDecodeError:
        return default


def load_plan(store: NoteStore, workshop: str) -> ActionPlan:
    notes = {t: store.get(NoteKey(workshop, t)) for t in (PLAN_FOCUS, PLAN_ACTIONS, PLAN_FOLLOW_UP)}
    focus = tuple(str(x) for x in _loads(notes[PLAN_FOCUS].text, []))
    actions = tuple(Action(**{k: str(v) for k, v in a.items() if k in Action.__dataclass_fields__})
                    for a in _loads(notes[PLAN_ACTIONS].text, []) if isinstance(a, dict))
    follow_up = str(_loads(notes[PLAN_FOLLOW_UP].text, ""))
    return ActionPlan(focus, actions, follow_up, {t: n.revision for t, n in notes.items()})


def dump_focus(focus: list[str] | tuple[str, ...]) -> str:
    return json.dumps(list(focus), ensure_ascii=False)


def dump_actions(actions: list[Action] | tuple[Action, ...]) -> str:
    return json.dumps([asdict(a) for a in actions], ensure_ascii=False)


def dump_follow_up(date: str) -> str:
    return json.dumps(date)


def merge_plan_part(current: str, submitted: str) -> str:
    """Join two versions of a plan note written at the same time: focus items and actions from both (an action
    changed in both keeps the later writer's version); for the follow-up date the later writer's."""
    old, new = _loads(current, None), _loads(submitted, None)
    if isinstance(old, list) and isinstance(new, list):
        if all(isinstance(x, dict) for x in old + new):
            by_id: dict[str, Any] = {str(a.get("id")): a for a in old}
            by_id.update({str(a.get("id")): a for a in new})
            return json.dumps(list(by_id.values()), ensure_ascii=False)
        return json.dumps(list(dict.fromkeys([*old, *new])), ensure_ascii=False)
    return submitted
