"""The survey's answers as tidy data for researchers who work in R, Stata or SPSS: one row per answer, with a
codebook, as CSV (UTF-8), Stata ``.dta`` and SPSS ``.sav`` (variable and value labels from the theme).

Anonymity applies as everywhere: the employee answers about a leader with fewer than ``min_n`` employee
answers in a round are left out (the leader's own and their own leader's answers stay), and the result says
how many were left out and for how many leader-rounds. Nothing else is changed: the answers are the export's
as read, with ``value`` empty for "Ved ikke" and "Ønsker ikke at oplyse" (their code is in ``answer``).

>>> from dol_toolkit.themes import load_theme
>>> book = codebook(load_theme(), "en")
>>> book.loc[book["variable"] == "value", "values"].iloc[0].split("; ")[0]
'1 = Strongly disagree'
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dol_toolkit.csvsafe import write_csv
from dol_toolkit.i18n import Lang, t
from dol_toolkit.stats.anonymity import AnonymityPolicy, released_employee_answers
from dol_toolkit.survey.vocabulary import ROLES
from dol_toolkit.themes import Theme, load_theme

COLUMNS = ("respondent_id", "leader_id", "role", "item_id", "value", "answer", "wave", "department")
@dataclass(frozen=True)
class TidyExport:
    files: tuple[Path, ...]
    rows: int
    left_out_answers: int  # employee answers about leader-rounds under the limit
    left_out_leader_rounds: int


def tidy_answers(responses: pd.DataFrame, policy: AnonymityPolicy | None = None) -> tuple[pd.DataFrame, int, int]:
    """(table, employee answers left out, leader-rounds left out): one row per answer, plain strings and
    numbers, anonymity applied."""
    policy = policy or AnonymityPolicy()
    employees = responses[responses["role"] == "employee"]
    released = released_employee_answers(responses, policy)
    others = responses[responses["role"] != "employee"]
    kept = pd.concat([released, others]).sort_index()
    dropped = employees.drop(index=released.index)
    rounds = dropped[["leader_id", "wave"]].drop_duplicates()
    table = pd.DataFrame({c: kept[c].astype(object).where(kept[c].notna(), None).astype(str)
                          if c != "value" else kept[c].astype(float)
                          for c in COLUMNS if c in kept.columns})
    table = table.replace({"None": "", "nan": ""})
    return table.reset_index(drop=True), len(dropped), len(rounds)


def codebook(theme: Theme | None = None, lang: Lang = "da") -> pd.DataFrame:
    """variable, label, values: what each column of the tidy table holds, with the value labels."""
    theme = theme or load_theme()
    scale = "; ".join(f"{p.value} = {p.label(lang)}" for p in theme.scale.points)
    answers = "; ".join([*(str(p.value) for p in theme.scale.points),
                         *(f"{n.code} = {n.label(lang)}" for n in theme.scale.non_substantive)])
    values = {
        "role": "; ".join(f"{role} = {t(f'tidy.roles.{role}', lang)}" for role in ROLES),
        "item_id": "; ".join(f"{item.id} = {item.wording.employee(lang)}" for item in theme.items),
        "value": scale,
        "answer": answers,
    }
    return pd.DataFrame([{"variable": name, "label": t(f"tidy.{name}", lang), "values": values.get(name, "")}
                         for name in COLUMNS])


def write_tidy(responses: pd.DataFrame, folder: str | Path, *, theme: Theme | None = None,
               policy: AnonymityPolicy | None = None, lang: Lang = "en", stem: str = "answers") -> TidyExport:
    """Write ``<stem>.csv``, ``<stem>_codebook.csv``, ``<stem>.dta`` and ``<stem>.sav`` into ``folder``."""
    import pyreadstat

    theme = theme or load_theme()
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    table, left_out, rounds = tidy_answers(responses, policy)
    book = codebook(theme, lang)
    labels = dict(zip(book["variable"], book["label"], strict=True))
    scale = {float(p.value): p.label(lang) for p in theme.scale.points}
    csv, book_csv, dta, sav = (out / f"{stem}.csv", out / f"{stem}_codebook.csv", out / f"{stem}.dta",
                               out / f"{stem}.sav")
    write_csv(table, csv, encoding="utf-8")  # a cell that would run as a formula is written as text
    write_csv(book, book_csv, encoding="utf-8")
    columns = list(table.columns)
    pyreadstat.write_dta(table, str(dta), column_labels=[labels[c][:80] for c in columns],
                         variable_value_labels={"value": scale}, version=15)
    pyreadstat.write_sav(table, str(sav), column_labels=[labels[c] for c in columns],
                         variable_value_labels={"value": scale})
    return TidyExport((csv, book_csv, dta, sav), len(table), left_out, rounds)
