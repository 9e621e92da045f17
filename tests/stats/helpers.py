"""Small tidy response tables built by hand for the statistics tests."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from dol_toolkit.themes import load_theme

ITEMS = list(load_theme().item_ids)
CATEGORIES = ["1", "2", "3", "4", "5", "dont_know", "prefer_not"]
_counter = itertools.count()


def tidy(rows: list[dict]) -> pd.DataFrame:
    """rows: respondent_id, leader_id, role, item_id, answer (category text), wave, [department]."""
    frame = pd.DataFrame(rows)
    frame["value"] = pd.to_numeric(frame["answer"].where(frame["answer"].isin(CATEGORIES[:5])), errors="coerce")
    frame["answer"] = pd.Categorical(frame["answer"], categories=CATEGORIES)
    frame["item_id"] = pd.Categorical(frame["item_id"], categories=ITEMS)
    frame["role"] = pd.Categorical(frame["role"], categories=["employee", "self", "manager"])
    for column in ("respondent_id", "leader_id", "wave", *(["department"] if "department" in frame else [])):
        frame[column] = pd.Categorical(frame[column].astype(str))
    frame["row"] = np.arange(2, len(frame) + 2)
    return frame


def respondent(leader: str, answers: dict[str, str] | str, role: str = "employee", wave: str = "2024",
               department: str = "A") -> list[dict]:
    """All answers of one respondent; ``answers`` is {item: category} or one category for every item."""
    rid = f"r{next(_counter)}"
    if isinstance(answers, str):
        answers = dict.fromkeys(ITEMS, answers)
    return [{"respondent_id": rid, "leader_id": leader, "role": role, "item_id": item, "answer": answer,
             "wave": wave, "department": department} for item, answer in answers.items()]


def unit(leader: str, answers: list[str], wave: str = "2024", department: str = "A",
         self_answer: str | None = "4", manager_answer: str | None = "3") -> list[dict]:
    """A leader with one employee per entry of ``answers`` (the same answer to every item), plus self/manager."""
    rows: list[dict] = []
    for a in answers:
        rows += respondent(leader, a, wave=wave, department=department)
    if self_answer:
        rows += respondent(leader, self_answer, role="self", wave=wave, department=department)
    if manager_answer:
        rows += respondent(leader, manager_answer, role="manager", wave=wave, department=department)
    return rows
