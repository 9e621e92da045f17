"""Import a survey export into the tidy responses table, with a report of everything that was left out.

:func:`read_export` is the entry point. It reads the file (:mod:`.readers`), finds the header row, recognises
the columns (:mod:`.vocabulary`, plus an optional :mod:`.mapping`), checks every row and answer, and returns
the tidy table with an :class:`ImportReport`.

Tidy responses: one row per answer given (blank cells are counted in the report, not listed as rows)::

    respondent_id, leader_id, role, item_id, value, answer, wave, [leader_name, department, unit, group], row

``role`` is employee | self | manager; ``answer`` is the category, one of the theme's
:attr:`~dol_toolkit.themes.Scale.categories` ("1".."5", "dont_know", "prefer_not" on a 5-point scale);
``value`` is the point (1.0-5.0 on a 5-point scale) for substantive answers and NaN otherwise; ``wave`` is the
round as text (missing when the export has no round column); ``row`` is the row in the export as a
spreadsheet numbers it.

Structural problems raise :class:`SurveyImportError`. Cell problems never stop an import: the answer (an
unknown label, a number outside the scale) or the whole row (unknown role, no leader, a duplicate respondent, a second
self-assessment of the same leader and round) is left out and listed. ``rows_read == rows_kept +
rows_excluded`` always holds; wholly empty rows are skipped and counted apart.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from dol_toolkit.i18n import Lang, t
from dol_toolkit.survey.errors import SurveyImportError
from dol_toolkit.survey.mapping import Mapping, as_mapping
from dol_toolkit.survey.readers import RawTable, clean_text, codebook_from_rows, read_raw
from dol_toolkit.survey.times import read_times
from dol_toolkit.survey.vocabulary import (
    FIELD_LABELS,
    ROLES,
    AnswerParse,
    ItemMatch,
    answer_labels,
    generic_person_key,
    leader_key,
    match_field,
    match_item,
    match_item_header,
    normalise,
    parse_answer,
    parse_role,
    person_key_form,
    squash,
    synonym_labels,
)
from dol_toolkit.survey.waves import order_waves
from dol_toolkit.themes import Theme, load_theme

HEADER_SCAN_ROWS = 50
GROUP_FIELDS = ("department", "unit", "group")
Layout = Literal["wide", "long"]


# ------------------------------------------------------------------------------------------------ report
@dataclass(frozen=True)
class Problem:
    """One cell or row left out: where (row as the spreadsheet shows it, column), what, and why."""

    row: int
    column: str | None
    value: str | None
    code: str
    values: tuple[tuple[str, str], ...] = ()

    def reason(self, lang: Lang = "da") -> str:
        return t(f"problem.{self.code}", lang, **{"value": self.value or "", **dict(self.values)})

    def to_dict(self, lang: Lang = "da") -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "value": self.value, "reason": self.reason(lang),
                "code": self.code}


@dataclass
class ImportReport:
    """What an import read, kept and left out, and why."""

    source: str
    file_type: str
    layout: Layout
    header_row: int
    columns: dict[str, str]
    item_columns: dict[str, str]
    ignored_columns: list[str]
    rows_read: int
    rows_kept: int
    rows_excluded: int
    blank_rows: int
    problems: list[Problem]
    leaders: int
    waves: list[str]
    respondents_by_role: dict[str, int]
    answers_by_category: dict[str, int]
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    wave_order: str | None = None  # how the rounds were ordered: "year" | "mapping"
    status: dict[str, Any] | None = None  # the rule that found the completed rows
    leader_merges: list[dict[str, Any]] = field(default_factory=list)  # spellings read as one leader
    readings: list[dict[str, Any]] = field(default_factory=list)  # answers read as a variant or a blank
    codebook: dict[str, Any] | None = None  # answer codes read through a code book
    extra_header_rows: list[int] = field(default_factory=list)  # rows under the header that are headers too
    notes: list[dict[str, str]] = field(default_factory=list)  # what the report says about the file as a whole
    sheets: list[str] = field(default_factory=list)  # a workbook's sheets
    sheet_reason: str | None = None  # why the sheet read was read: "named" | "only" | "rows"
    sheet_candidates: list[str] = field(default_factory=list)  # the sheets that held leader, role and items
    excluded_by_reason: dict[str, int] = field(default_factory=dict)  # rows left out, by problem code

    @property
    def answers_given(self) -> int:
        """Answers read (on the scale or beside it, such as "Ved ikke"); blank cells are none."""
        return sum(v for k, v in self.answers_by_category.items() if k != "blank")

    @property
    def usable(self) -> bool:
        """Whether the file can be used: rows kept, and answers in them."""
        return self.rows_kept > 0 and self.answers_given > 0

    def verdict(self, lang: Lang = "da") -> str:
        """The report's last word: whether the file can be used, with how many rows and answers, and how many
        rows were left out and why (the problems above list each)."""
        def n(number: int) -> str:
            return _number(number, lang)

        left_out = (" " + self.left_out(lang)) if self.rows_excluded else ""
        if not self.rows_kept:
            return t("report.nothing_kept", lang) + left_out
        if not self.answers_given:
            unread = sum(1 for p in self.problems if p.code in ("unknown_label", "out_of_range", "not_whole"))
            return t("report.verdict_no_answers", lang, kept=n(self.rows_kept), unread=n(unread)) + left_out
        return t("report.verdict_ok", lang, kept=n(self.rows_kept), read=n(self.rows_read),
                 answers=n(self.answers_given), leaders=n(self.leaders)) + left_out

    def left_out(self, lang: Lang = "da") -> str:
        """How many rows were left out, and why ("" when none was)."""
        if not self.rows_excluded:
            return ""
        reasons = ", ".join(f"{_number(count, lang)} {t(f'reason.{code}', lang)}" for code, count in
                            sorted(self.excluded_by_reason.items(), key=lambda kv: (-kv[1], kv[0])))
        return t("report.verdict_left_out", lang, count=self.rows_excluded,
                 excluded=_number(self.rows_excluded, lang), reasons=reasons)

    def require_usable(self) -> None:
        """SurveyImportError (``not_usable``, saying why) unless the file can be used."""
        if not self.usable:
            raise SurveyImportError("not_usable", path=self.source, verdict_da=self.verdict("da"),
                                    verdict_en=self.verdict("en"))

    def to_dict(self, lang: Lang = "da") -> dict[str, Any]:
        return {
            "usable": self.usable,
            "verdict": self.verdict(lang),
            "answers_given": self.answers_given,
            "excluded_by_reason": self.excluded_by_reason,
            "source": self.source,
            "file_type": self.file_type,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "sheet": self.sheet,
            "layout": self.layout,
            "header_row": self.header_row,
            "columns": self.columns,
            "item_columns": self.item_columns,
            "ignored_columns": self.ignored_columns,
            "rows_read": self.rows_read,
            "rows_kept": self.rows_kept,
            "rows_excluded": self.rows_excluded,
            "blank_rows": self.blank_rows,
            "leaders": self.leaders,
            "waves": self.waves,
            "respondents_by_role": self.respondents_by_role,
            "answers_by_category": self.answers_by_category,
            "wave_order": self.wave_order,
            "status": self.status,
            "leader_merges": self.leader_merges,
            "readings": self.readings,
            "codebook": self.codebook,
            "extra_header_rows": self.extra_header_rows,
            "sheets": self.sheets,
            "sheet_reason": self.sheet_reason,
            "sheet_candidates": self.sheet_candidates,
            "notes": [{**n, "text": t(f"report.note_{n['code']}", lang, **n)} for n in self.notes],
            "problems": [p.to_dict(lang) for p in self.problems],
        }

    def format(self, lang: Lang = "da", max_rows_per_problem: int = 8) -> str:
        """A short readable report; problems grouped by reason, column and value, with their rows."""
        fmt = self.file_type.upper()
        if self.encoding:
            fmt += f", {self.encoding}"
        if self.delimiter:
            fmt += ", " + {"\t": "tab", ";": "';'", ",": "','"}.get(self.delimiter, self.delimiter)
        if self.sheet:
            fmt += f", '{self.sheet}'"
        fmt += ", " + t(f"report.layout_{self.layout}", lang)
        lines = [
            t("report.title", lang, path=self.source),
            "  " + t("report.format", lang, format=fmt),
            "  " + t("report.header_row", lang, row=self.header_row),
            "  " + t("report.rows", lang, read=self.rows_read, kept=self.rows_kept, excluded=self.rows_excluded),
        ]
        if self.blank_rows:
            lines.append("  " + t("report.blank_rows", lang, count=self.blank_rows))
        if len(self.sheets) > 1:
            lines.append("  " + t(f"report.sheets_{self.sheet_reason or 'first'}", lang,
                                  sheets=", ".join(f"'{s}'" for s in self.sheets), sheet=self.sheet or "",
                                  candidates=", ".join(f"'{s}'" for s in self.sheet_candidates)))
        lines.append("  " + t("report.leaders", lang, count=self.leaders))
        if self.extra_header_rows:
            lines.append("  " + t("report.extra_header_rows", lang,
                                  rows=", ".join(str(r) for r in self.extra_header_rows)))
        if self.status and self.status["columns"]:
            completed = "; ".join(f"'{c}' = {', '.join(repr(v) for v in values)}"
                                  for c, values in self.status["completed"].items())
            lines.append("  " + t(f"report.status_{self.status['source']}", lang,
                                  columns=", ".join(f"'{c}'" for c in self.status["columns"]),
                                  completed=completed or "-"))
        elif self.status and self.status.get("conditions"):  # no status column, but other conditions
            lines.append("  " + t("report.no_status_conditions", lang))
        else:
            lines.append("  " + t("report.no_status", lang))
        for condition in (self.status or {}).get("conditions", []):
            if condition["kind"] == "test":
                values = ", ".join(repr(v) for v in condition["values"])
                key = "report.condition_test" if values else "report.condition_test_none"
                lines.append("  " + t(key, lang, column=condition["column"], values=values))
                if condition.get("unknown"):
                    lines.append("  " + t("report.condition_test_unknown", lang, column=condition["column"],
                                          values=", ".join(repr(v) for v in condition["unknown"][:8])))
            else:
                lines.append("  " + t("report.condition_progress", lang, column=condition["column"],
                                      min=f"{condition['min']:g}"))
        for note in self.notes:
            lines.append("  " + t(f"report.note_{note['code']}", lang, **note))
        if self.waves:
            lines.append("  " + t(f"report.waves_{self.wave_order or 'year'}", lang, waves=", ".join(self.waves)))
        for merge in self.leader_merges:
            variants = "; ".join(
                f"'{v['spelling']}' ({t('report.rows_word' if v['rows'] == 1 else 'report.rows_word_plural', lang)} "
                f"{', '.join(str(r) for r in v['first_rows'])}{' …' if v['rows'] > len(v['first_rows']) else ''})"
                for v in merge["variants"])
            lines.append("  " + t("report.leader_merge", lang, leader=merge["leader"], variants=variants))
        if self.codebook:
            codes = ", ".join(f"{k} = {v}" for k, v in self.codebook["codes"].items())
            lines.append("  " + t("report.codebook", lang, source=self.codebook["source"], codes=codes))
        for reading in self.readings:
            read_as = reading["read_as"]
            shown = read_as if read_as.isdigit() else t("answers." + read_as, lang)
            lines.append("  " + t(f"report.read_{reading['via']}", lang, value=reading["value"], read_as=shown,
                                  column=_shorten(reading["column"], 40), count=reading["count"],
                                  rows=", ".join(str(r) for r in reading["first_rows"])))
        roles = ", ".join(f"{t('roles.' + k, lang)} {v}" for k, v in self.respondents_by_role.items())
        lines.append("  " + t("report.respondents", lang, counts=roles))
        answers = ", ".join(
            f"{k if k.isdigit() else t('answers.' + k, lang)}: {v}" for k, v in self.answers_by_category.items()
        )
        lines.append("  " + t("report.answers", lang, counts=answers))
        lines.append("  " + t("report.columns", lang))
        for name, column in self.columns.items():
            label = FIELD_LABELS.get(name, (name, name))[0 if lang == "da" else 1]
            lines.append(f"    {label}: {column}")
        for item_id, column in self.item_columns.items():
            lines.append(f"    {item_id}: {_shorten(column, 70)}")
        if self.ignored_columns:
            lines.append("  " + t("report.ignored", lang, columns=", ".join(self.ignored_columns)))
        if not self.problems:
            lines.append("  " + t("report.no_problems", lang))
        else:
            lines.append("  " + t("report.problems", lang, count=len(self.problems)))
            groups: dict[tuple[str, str | None, str | None], list[Problem]] = {}
            for p in self.problems:
                groups.setdefault((p.code, p.column, p.value), []).append(p)
            for (_, where_column, value), items in groups.items():
                rows = [str(p.row) for p in items[:max_rows_per_problem]]
                more = len(items) - len(rows)
                where = ", ".join(rows) + (f" {t('report.more_rows', lang, count=more)}" if more else "")
                word = t("report.rows_word" if len(items) == 1 else "report.rows_word_plural", lang)
                head = f"{word} {where}"
                if where_column:
                    head += f", '{_shorten(where_column, 40)}'"
                if value is not None:
                    head += f" = '{_shorten(value, 40)}'"
                lines.append(f"    - {head}: {items[0].reason(lang)}")
        lines.append(self.verdict(lang))
        return "\n".join(lines)


def _number(number: int, lang: Lang) -> str:
    """A whole number as the language writes it: 1.179 in Danish, 1,179 in English."""
    return f"{number:,}".replace(",", "." if lang == "da" else ",")


def _shorten(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass
class ImportResult:
    responses: pd.DataFrame
    report: ImportReport


# ------------------------------------------------------------------------------------------- recognition
@dataclass
class Recognition:
    """How a raw table was understood: the header row and which column is what."""

    raw: RawTable
    header_index: int | None
    names: list[str] = field(default_factory=list)
    fields: dict[str, int] = field(default_factory=dict)
    items: dict[str, int] = field(default_factory=dict)
    # Exports with one set of item columns per respondent role ("Min leder ...", "Jeg ...", "Lederen ..."):
    # further columns of an item, and the role each item column is worded for.
    extra_items: dict[str, list[int]] = field(default_factory=dict)
    column_roles: dict[int, str | None] = field(default_factory=dict)
    ignored: list[int] = field(default_factory=list)
    # Rows under the header that are headers too (Qualtrics: question texts, then {"ImportId": ...}).
    extra_header_rows: list[int] = field(default_factory=list)
    # Question texts under the ids of the header row (Qualtrics' second row), by column.
    texts_under: dict[int, str] = field(default_factory=dict)
    # The columns that say whether a response is completed (see :func:`status_columns`).
    status: StatusColumns | None = None
    # Whether the respondent id column is a person key (False: a submission's own id stands in for one).
    person_key: bool = True
    # Whether the person key was recognised by a generic name only ("ID", "respondent").
    generic_key: bool = False

    @property
    def header_row(self) -> int | None:
        return None if self.header_index is None else int(self.raw.row_numbers[self.header_index])

    @property
    def layout(self) -> Layout:
        return "long" if not self.items and {"item", "answer"} <= set(self.fields) else "wide"

    def missing(self) -> list[str]:
        """Required fields not found, as field names."""
        missing = []
        if "leader_id" not in self.fields and "leader_name" not in self.fields:
            missing.append("leader")
        if "role" not in self.fields:
            missing.append("role")
        if not self.items and not {"item", "answer"} <= set(self.fields):
            missing.append("items")
        return missing


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:
            return ""
        if value.is_integer():
            return str(int(value))
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return str(value.isoformat())
    return str(value).strip()


def _factorised(column: pd.Series) -> tuple[np.ndarray, list[object], np.ndarray]:
    """Codes per cell, the distinct raw values, and their text (stripped; '' for empty; the extra last entry,
    '', is what code -1, a missing cell, indexes)."""
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    raw = list(uniques.to_numpy(dtype=object))
    if isinstance(uniques.dtype, pd.StringDtype):  # text read from CSV: stripping is all it needs
        converted = np.array([u.strip() for u in raw] + [""], dtype=object)
    else:
        converted = np.array([_cell_text(u) for u in raw] + [""], dtype=object)
    return codes, [*raw, None], converted


def _texts(column: pd.Series) -> np.ndarray:
    """Cells of a column as stripped text ('' for empty); each distinct value is converted once."""
    codes, _, converted = _factorised(column)
    texts: np.ndarray = converted[codes]
    return texts


def recognise(raw: RawTable, mapping: Mapping, theme: Theme, source: str,
              mapping_source: str = "mapping") -> Recognition:
    """Find the header row and the meaning of each column; mapping entries win."""
    cells = raw.cells
    mapped = mapping.columns.fields()
    mapped_items = mapping.columns.item_columns()
    mapped_names = {normalise(v) for v in [*mapped.values(), *(c for cs in mapped_items.values() for c, _ in cs)]}
    item_labels = mapping.item_labels()

    def score(values: list[str]) -> int:
        found = 0
        for v in values:
            if not v:
                continue
            if normalise(v) in mapped_names or match_field(v) or match_item(v, theme, item_labels):
                found += 1
        return found

    header_index: int | None = None
    if mapping.file.header_row is not None:
        hits = np.flatnonzero(raw.row_numbers == mapping.file.header_row)
        if not len(hits):
            raise SurveyImportError("no_header", path=source)
        header_index = int(hits[0])
    elif raw.header_row is not None:
        header_index = int(np.flatnonzero(raw.row_numbers == raw.header_row)[0])
    else:
        best = 0
        for i in range(min(HEADER_SCAN_ROWS, len(cells))):
            s = score([_cell_text(v) for v in cells.iloc[i].tolist()])
            if s > best:
                best, header_index = s, i
        if header_index is None:
            return Recognition(raw=raw, header_index=None)

    # Qualtrics writes three header rows: ids, question texts, and {"ImportId": ...}. The ids head the columns;
    # the texts are read like SPSS's variable labels; no header row is read as data.
    import_row = _import_id_row(cells, header_index)
    extra_rows: list[int] = []
    texts_under: dict[int, str] = {}
    if import_row is not None:
        if import_row - header_index == 1 and header_index >= 1:  # the texts row was taken for the header
            header_index -= 1
        extra_rows = list(range(header_index + 1, import_row + 1))
        if import_row - header_index == 2:
            texts_under = {j: _cell_text(v) for j, v in enumerate(cells.iloc[header_index + 1].tolist())
                           if _cell_text(v)}
    names = [_cell_text(v) for v in cells.iloc[header_index].tolist()]
    rec = Recognition(raw=raw, header_index=header_index, names=names, extra_header_rows=extra_rows,
                      texts_under=texts_under)
    by_name: dict[str, int] = {}
    for j, name in enumerate(names):
        by_name.setdefault(normalise(name), j)

    def column_of(field_name: str, name: str) -> int:
        j = by_name.get(normalise(name))
        if j is None:
            shown = ", ".join(n for n in names if n) or "-"
            raise SurveyImportError("mapping_column_missing", path=source, column=name, field=field_name,
                                    columns=_shorten(shown, 400))
        return j

    taken: set[int] = set()
    for field_name, name in mapped.items():
        rec.fields[field_name] = column_of(field_name, name)
        taken.add(rec.fields[field_name])
    unknown = sorted({*mapped_items, *item_labels.values()} - set(theme.item_ids))
    if unknown:
        raise SurveyImportError("bad_mapping", path=mapping_source, detail=f"unknown item id(s) {', '.join(unknown)}; "
                                f"the theme's items are {', '.join(theme.item_ids)}")
    for item_id, columns in mapped_items.items():
        for k, (name, role) in enumerate(columns):
            j = column_of(f"items.{item_id}", name)
            if k == 0:
                rec.items[item_id] = j
            else:
                rec.extra_items.setdefault(item_id, []).append(j)
            # the role a column is worded for: as the mapping says, else as its header's wording says
            worded = match_item_header(name, theme, item_labels) or match_item_header(
                texts_under.get(j, ""), theme, item_labels)
            rec.column_roles[j] = role or (worded.role if worded and worded.item_id == item_id else None)
            taken.add(j)
    rec.status = status_columns(names, mapping, source)
    if rec.status is not None:
        taken.update(rec.status.taken)

    matches: dict[int, ItemMatch] = {}
    generic_keys: list[int] = []  # respondent id columns by a generic name ("ID", "respondent")
    for j, name in enumerate(names):
        if j in taken:
            continue
        label = raw.column_labels.get(name) or texts_under.get(j, "")
        # SPSS's variable labels (and Qualtrics' question texts) name a column as well as its short name does
        found_field = match_field(name) or (match_field(label) if label else None)
        found = match_item_header(name, theme, item_labels) or (
            match_item_header(label, theme, item_labels) if label else None)
        if found and not found_field:
            matches[j] = found
        elif found_field == "respondent_id" and (
                generic_person_key(name) if match_field(name) else generic_person_key(label)):
            generic_keys.append(j)
        elif found_field and found_field not in rec.fields:
            rec.fields[found_field] = j
            taken.add(j)
    # Items: exact wordings first, so a longer header that merely quotes an item (a comment column) never takes
    # the place of the item's own column; a further column in another role's wording joins the item.
    for exact in (True, False):
        for j, found in matches.items():
            if found.exact != exact:
                continue
            current = _item_columns(rec, found)
            if not exact and any(k not in matches or matches[k].exact for k in current):
                continue  # a header quoting an item never joins the item's own column
            roles_taken = [rec.column_roles.get(k) for k in current]
            if found.item_id not in rec.items:
                rec.items[found.item_id] = j
            elif found.role is not None and found.role not in roles_taken and None not in roles_taken:
                rec.extra_items.setdefault(found.item_id, []).append(j)
            else:
                continue
            rec.column_roles[j] = found.role
            taken.add(j)
    if generic_keys:
        # A generic id ("ID", "respondent") may number rows or submissions: a specific person key wins, and the
        # generic one then tells the submissions apart (a response id); alone, it is read as the person key,
        # and the report says its name does not tell (see _Importer.run).
        j = generic_keys[0]
        if "respondent_id" not in rec.fields:
            rec.fields["respondent_id"] = j
            rec.generic_key = True
            taken.add(j)
        elif "response_id" not in rec.fields:
            rec.fields["response_id"] = j
            taken.add(j)
    if "respondent_id" not in rec.fields and "response_id" in rec.fields:
        # A submission's own id is all there is: it tells the rows apart, but not two submissions of a person.
        rec.fields["respondent_id"] = rec.fields.pop("response_id")
        rec.person_key = False
    for j, name in enumerate(names):
        if j not in taken and (name or _column_has_data(cells, j, header_index)):
            rec.ignored.append(j)
    return rec


def _import_id_row(cells: pd.DataFrame, header_index: int) -> int | None:
    """The row (index) of Qualtrics' ``{"ImportId": ...}`` header cells, one or two rows under the header."""
    for k in (header_index + 1, header_index + 2):
        if k >= len(cells):
            return None
        values = [_cell_text(v) for v in cells.iloc[k].tolist()]
        filled = [v for v in values if v]
        if filled and sum(v.startswith('{"ImportId"') for v in filled) * 2 >= len(filled):
            return k
    return None


# -------------------------------------------------------------------------------------- response status
# Which rows are completed responses. Survey systems export every invited respondent: SurveyXact one 0/1 column
# per status (statoverall_1 .. statoverall_5; 4 is "Gennemført", completed), Qualtrics a Finished column (and a
# Status column whose "Survey Preview", "Survey Test" and "Spam" rows are no responses), other systems a
# completed / status column. Only completed rows count, unless a mapping's [status] says otherwise.
SURVEYXACT_COMPLETED = "statoverall4"
SURVEYXACT_VALUES = frozenset({"4", "gennemført", "gennemfort", "completed", "complete"})
# The values of a column named "Status" that say a response is completed, and those that say it is not.
STATUS_COMPLETED = frozenset({"gennemført", "gennemfort", "fuldført", "fuldfort", "færdig", "afsluttet", "besvaret",
                              "completed", "complete", "finished"})
STATUS_NOT_COMPLETED = frozenset({
    "delvist besvaret", "delvis besvaret", "delvist", "delvis", "delvist gennemført", "partial", "partially completed",
    "in progress", "i gang", "igang", "startet", "started", "påbegyndt", "ikke startet", "not started",
    "ikke besvaret", "not answered", "ubesvaret", "unanswered", "frafaldet", "dropped", "dropped out", "afbrudt",
    "inviteret", "invited", "distribueret", "distributed", "incomplete", "ufuldstændig", "ikke gennemført",
    "not completed", "bortfald", "screened out", "afvist", "declined", "udløbet", "expired",
})
# The values of a yes/no column ("Gennemført", "Finished") that say a response is completed.
COMPLETED_VALUES = STATUS_COMPLETED | {"done", "ja", "yes", "true", "sand", "1", "100"}
# Qualtrics' Status (the kind of response): these are no responses; the codes are its numeric export's.
QUALTRICS_NOT_RESPONSES = {"survey preview": "preview", "survey test": "test", "spam": "spam", "1": "preview",
                           "2": "test", "8": "spam"}
QUALTRICS_WORDS = frozenset({"ip address", "survey preview", "survey test", "spam", "imported", "offline"})
QUALTRICS_TYPES = QUALTRICS_WORDS | {"0", "1", "2", "4", "8", "9", "16", "17"}


@dataclass(frozen=True)
class StatusColumns:
    """How the completed rows are found: ``completed`` (column, values that count) rules that must all hold, and
    Qualtrics-style ``kind`` columns whose preview/test/spam rows are left out. ``source`` names the rule."""

    completed: tuple[tuple[int, frozenset[str]], ...]
    kind: int | None
    source: str  # "mapping" | "surveyxact" | "qualtrics" | "column"
    indices: tuple[int, ...]
    dummies: tuple[int, ...] = ()  # SurveyXact's other status columns (say which status a row has)
    words: bool = False  # a column named "Status": a status column when one of its values says completed
    # A column of its own marking test and preview answers, and the values that mark one (None: recognised by
    # name, read with TEST_VALUES; a value that is neither a test nor a real answer leaves the row out).
    test: int | None = None
    test_values: frozenset[str] | None = None
    # A column with the share of the survey answered (0-100), and the share that counts as completed.
    progress: int | None = None
    min_progress: float = 100.0

    @property
    def taken(self) -> tuple[int, ...]:
        """Every column the completion rule reads."""
        return (*self.indices, *(j for j in (self.test, self.progress) if j is not None))


# A column of its own that marks test and preview answers ("Test" = 1, "Testsvar", "Preview", "Intern test"),
# by its header (compared with squash()), and the values in it that mark a test, and those of a real answer.
TEST_COLUMNS = frozenset({
    "test", "testsvar", "testbesvarelse", "testrespondent", "testresponse", "testanswer", "testflag", "istest",
    "erdetentest", "testdata", "interntest", "internaltest", "preview", "forhåndsvisning", "forhandsvisning",
    "testpreview", "testellerpreview",
})
TEST_VALUES = frozenset({"1", "ja", "j", "yes", "y", "true", "sand", "x", "test", "testsvar", "intern test",
                         "internal test", "preview", "survey preview", "survey test", "forhåndsvisning"})
REAL_VALUES = frozenset({"0", "nej", "n", "no", "false", "falsk", "real", "live", "rigtig", "ægte"})
# A column with the share of the survey a respondent answered.
PROGRESS_COLUMNS = frozenset({"progress", "fremdrift", "fremskridt", "procentgennemført", "gennemførtprocent",
                              "gennemførelsesgrad", "gennemførelsesprocent", "percentcomplete", "completionpercent",
                              "progresspercent", "pctcomplete"})


def _named_column(names: list[str], name: str, field_name: str, source: str) -> int:
    found = next((k for k, n in enumerate(names) if normalise(n) == normalise(name)), None)
    if found is None:
        shown = ", ".join(n for n in names if n) or "-"
        raise SurveyImportError("mapping_column_missing", path=source, column=name, field=field_name,
                                columns=_shorten(shown, 400))
    return found


def status_columns(names: list[str], mapping: Mapping, source: str) -> StatusColumns | None:
    """The completion rule of an export: its status columns, test flag and progress (by their headers; a
    mapping's [status] wins)."""
    rule = mapping.status
    if not rule.use:
        return None
    by_squash: dict[str, int] = {}
    for j, name in enumerate(names):
        by_squash.setdefault(squash(name), j)
    status = _status_part(names, by_squash, mapping, source) or StatusColumns((), None, "none", ())
    if rule.test_column is not None:
        test: int | None = _named_column(names, rule.test_column, "status.test_column", source)
    else:
        test = next((j for k, j in by_squash.items() if k in TEST_COLUMNS and j not in status.indices), None)
    test_values = frozenset(_status_form(v) for v in rule.test_values) or None
    if rule.progress_column is not None:
        progress: int | None = _named_column(names, rule.progress_column, "status.progress_column", source)
    else:
        progress = next((j for k, j in by_squash.items() if k in PROGRESS_COLUMNS
                         and j not in (*status.indices, test)), None)
    if not status.indices and test is None and progress is None:
        return None
    return dataclasses.replace(status, test=test, test_values=test_values, progress=progress,
                               min_progress=float(rule.min_progress))


def _status_part(names: list[str], by_squash: dict[str, int], mapping: Mapping,
                 source: str) -> StatusColumns | None:
    """The status columns of an export (by their headers; a mapping's [status] column wins)."""
    rule = mapping.status
    if rule.column is not None:
        named = _named_column(names, rule.column, "status.column", source)
        values = frozenset(_status_form(v) for v in rule.completed) or COMPLETED_VALUES
        return StatusColumns(((named, values),), None, "mapping", (named,))
    if SURVEYXACT_COMPLETED in by_squash:
        dummies = tuple(j for k, j in sorted(by_squash.items()) if re.fullmatch(r"statoverall\d+", k))
        j = by_squash[SURVEYXACT_COMPLETED]
        return StatusColumns(((j, frozenset({"1"})),), None, "surveyxact", dummies, dummies)
    finished = by_squash.get("finished")
    kind = by_squash.get("status")
    if finished is not None:
        return StatusColumns(((finished, COMPLETED_VALUES),), kind, "qualtrics",
                             tuple(j for j in (finished, kind) if j is not None))
    for name in ("gennemført", "gennemfort", "fuldført", "completed", "complete", "færdig"):  # yes/no columns
        found = by_squash.get(squash(name))
        if found is not None:
            return StatusColumns(((found, COMPLETED_VALUES),), None, "column", (found,))
    found = by_squash.get("statoverall")
    if found is not None:  # SurveyXact's status in one column: 4 is "Gennemført"
        return StatusColumns(((found, SURVEYXACT_VALUES),), None, "surveyxact", (found,))
    for name in ("besvarelsesstatus", "svarstatus", "responsestatus", "completionstatus", "status"):
        found = by_squash.get(squash(name))
        if found is not None:  # a status column: used when its values are statuses (see _Importer.status_check)
            return StatusColumns(((found, STATUS_COMPLETED),), None, "column", (found,), words=True)
    return None


def _proper(name: object) -> bool:
    """Whether a name is written with capitals and small letters, as a name is (not all lower or upper case)."""
    text = str(name)
    return text != text.lower() and text != text.upper()


# A summary row under the data of a report export ("Total", "I alt", "Gennemsnit for alle ledere", "Totalt
# antal", "Total (n=5)"): a summary word, optionally followed by words such as "for alle ledere" or "antal" and a
# note in brackets, in the leader, role
# or respondent cell (in the first filled cell only when those are empty), on a row with no role the importer
# knows or no person. A department ("Total - Facility Management") never makes a summary row.
_SUMMARY_WORDS = (r"total|totalt|totaler|grand total|i alt|ialt|gennemsnit|gns\.?|average|mean|sum|summa|samlet|"
                  r"samlet resultat|hele organisationen|alle ledere|all leaders")
_SUMMARY_TAIL = (r"for|af|of|alle|all|ledere|leaders|antal|svar|besvarelser|respondenter|respondents|responses|"
                 r"answers|count|hele|organisationen|organisation|organization|the|i alt|total|gennemsnit|"
                 r"average|score|scores|resultat|result")
SUMMARY_ROW = re.compile(rf"^({_SUMMARY_WORDS})(\s+({_SUMMARY_TAIL}))*\s*(\(.*\))?\s*:?$", re.IGNORECASE)
SUMMARY_FIELDS = ("leader_name", "leader_id", "role", "respondent_id")


def summary_labels(texts: dict[int, np.ndarray], columns: list[int], role_column: int | None = None,
                   person_column: int | None = None,
                   role_labels: dict[str, str] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the text that makes it a summary row ("" for none), and the column it is in. ``columns`` are the
    leader, role and respondent columns; with ``role_column`` (and ``person_column``), a row is a summary row
    only when its role is none the importer knows (or it has no person)."""
    n = len(next(iter(texts.values()))) if texts else 0
    label = np.full(n, "", dtype=object)
    where = np.full(n, -1, dtype=np.int64)
    if not n:
        return label, where
    empty = np.ones(n, dtype=bool)
    for j in columns:
        empty &= texts[j] == ""
    first = np.full(n, "", dtype=object)
    first_at = np.full(n, -1, dtype=np.int64)
    for j in sorted(texts):
        take = empty & (first == "") & (texts[j] != "")
        first[take], first_at[take] = texts[j][take], j
    for values, at in [*((texts[j], np.full(n, j)) for j in columns), (first, first_at)]:
        codes, uniques = pd.factorize(values)
        is_summary = np.array([bool(SUMMARY_ROW.match(str(u).strip())) for u in uniques] + [False])[codes]
        new = is_summary & (label == "")
        label[new], where[new] = values[new], at[new]
    if role_column is not None:
        codes, uniques = pd.factorize(texts[role_column])
        known = np.array([parse_role(u, role_labels) is not None for u in uniques] + [False])[codes]
        unlike = ~known
        if person_column is not None:
            unlike |= texts[person_column] == ""
        label[~unlike], where[~unlike] = "", -1
    return label, where


# Parts of a column name that say "survey round" (compared with squash()), and a value that is a year or a span
# of years ("2024", "2024-2025", "2024/25").
ROUND_WORDS = ("år", "year", "runde", "round", "wave", "periode", "period", "måling", "maling", "survey", "bølge",
               "undersøgelse", "evaluering")
_YEAR = re.compile(r"^(19|20)\d\d(\s*[-/–]\s*((19|20)?\d\d))?$")


def _number_or_nan(text: str) -> float:
    try:
        return float(text.replace(",", ".").rstrip("%").strip())
    except ValueError:
        return float("nan")


def _status_form(value: object) -> str:
    text = _cell_text(value)
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return normalise(text)
    return str(int(number)) if number.is_integer() else normalise(text)


def _item_columns(rec: Recognition, found: ItemMatch) -> list[int]:
    if found.item_id not in rec.items:
        return []
    return [rec.items[found.item_id], *rec.extra_items.get(found.item_id, [])]


def _column_has_data(cells: pd.DataFrame, j: int, header_index: int) -> bool:
    return bool((_texts(cells.iloc[header_index + 1 :, j]) != "").any())


# ---------------------------------------------------------------------------------------------- import
def read_export(
    path: str | Path,
    mapping: Mapping | str | Path | dict[str, object] | None = None,
    theme: Theme | None = None,
) -> ImportResult:
    """Import an export file. Raises SurveyImportError when the file cannot be used at all."""
    theme = theme or load_theme()
    mapping_source = str(mapping) if isinstance(mapping, str | Path) else "(mapping)"
    mapping = as_mapping(mapping)
    source = str(path)
    raw, rec = read_and_recognise(path, mapping, theme, mapping_source)
    sheets = {"sheets": ", ".join(f"'{s}'" for s in raw.sheets), "sheet": raw.sheet} if len(raw.sheets) > 1 else {}
    if rec.header_index is None:
        raise SurveyImportError("no_header", path=source, **sheets)
    missing = rec.missing()
    if missing:
        labels = {"leader": ("leder", "leader"), "role": ("rolle", "role"), "items": ("spørgsmål", "items")}
        found = ", ".join(_shorten(n, 50) for n in rec.names if n) or "-"
        raise SurveyImportError(
            "missing_columns", path=source,
            missing=", ".join(f"{labels[m][0]} ({labels[m][1]})" for m in missing), columns=found,
            **({"theme_da": theme.title.da, "theme_en": theme.title.en} if "items" in missing else {}), **sheets,
        )
    if rec.layout == "long" and "respondent_id" not in rec.fields:
        raise SurveyImportError("long_needs_respondent", path=source)
    first = rec.header_index + 1 + len(rec.extra_header_rows)
    body = raw.cells.iloc[first:].reset_index(drop=True)
    rows = np.asarray(raw.row_numbers[first:], dtype=np.int64)
    if body.empty:
        raise SurveyImportError("no_rows", path=source, header=rec.header_row)
    importer = _Importer(rec, body, rows, mapping, theme, source)
    if mapping.roster is not None:
        if "leader_id" not in rec.fields:
            raise SurveyImportError("bad_mapping", path=mapping_source,
                                    detail="[roster] needs the answers' leader id column ([columns] leader_id) / "
                                           "[roster] kræver svarenes leder-id-kolonne ([columns] leader_id)")
        importer.roster, importer.roster_source, importer.roster_conflicts = read_roster(path, mapping,
                                                                                         mapping_source)
    return importer.run()


def read_roster(path: str | Path, mapping: Mapping,
                mapping_source: str) -> tuple[dict[str, tuple[str, str]], str, list[str]]:
    """The roster a mapping's [roster] names: leader id -> (name, department), from a sheet of the export's
    workbook or from a file of its own, and the ids it gives more than one name or department (the first row
    of an id is used; the report lists them). Its header is the first of its first 20 rows that holds the id
    column's name."""
    roster = mapping.roster
    assert roster is not None
    where = Path(path)
    if roster.file:
        where = Path(roster.file)
        if not where.is_absolute() and mapping.base_dir:
            where = Path(mapping.base_dir) / where
    raw = read_raw(where, sheet=roster.sheet)
    source = f"{where.name}" + (f": '{raw.sheet}'" if raw.sheet else "")
    cells = raw.cells
    header = next((i for i in range(min(20, len(cells)))
                   if normalise(roster.id) in {normalise(_cell_text(v)) for v in cells.iloc[i].tolist()}), None)
    names = [_cell_text(v) for v in cells.iloc[header if header is not None else 0].tolist()]
    if header is None:
        shown = ", ".join(n for n in names if n) or "-"
        raise SurveyImportError("mapping_column_missing", path=source, column=roster.id, field="roster.id",
                                columns=_shorten(shown, 400))
    columns = [_named_column(names, c, f"roster.{f}", source) if c else None
               for f, c in (("id", roster.id), ("name", roster.name), ("department", roster.department))]
    table: dict[str, tuple[str, str]] = {}
    conflicts: list[str] = []
    for values in cells.iloc[header + 1:].itertuples(index=False, name=None):
        texts = [_cell_text(values[j]) if j is not None and j < len(values) else "" for j in columns]
        if texts[0]:
            kept = table.setdefault(texts[0], (texts[1], texts[2]))
            if kept != (texts[1], texts[2]) and texts[0] not in conflicts:
                conflicts.append(texts[0])
    return table, source, conflicts


def read_and_recognise(path: str | Path, mapping: Mapping, theme: Theme,
                       mapping_source: str = "(mapping)") -> tuple[RawTable, Recognition]:
    """Read the file and recognise its columns. In a workbook of several sheets and no sheet named in the
    mapping, every sheet that has a leader, a role and the items is a candidate (a cover page, a table of
    contents, a roster or a code book is none); of several, the one that looks like respondent rows is read:
    a respondent id, whole-number answers (an overview of averages has fractions), then the most rows. Two
    sheets that look alike stop the import, naming them. The raw table says which sheet was read and why."""
    source = str(path)
    raw = read_raw(path, sheet=mapping.file.sheet)
    if mapping.file.codebook:
        raw.codebook, raw.codebook_source = read_codebook(mapping.file.codebook, mapping.base_dir, source)
    rec = recognise(raw, mapping, theme, source, mapping_source)
    if len(raw.sheets) <= 1:
        return raw, rec
    if mapping.file.sheet is not None:
        raw.sheet_reason = "named"
        return raw, rec
    found: list[tuple[RawTable, Recognition]] = []
    for sheet in raw.sheets:
        if sheet == raw.sheet:
            other, other_rec = raw, rec
        else:
            other = read_raw(path, sheet=sheet)
            if mapping.file.codebook:
                other.codebook, other.codebook_source = raw.codebook, raw.codebook_source
            try:
                other_rec = recognise(other, mapping, theme, source, mapping_source)
            except SurveyImportError:
                continue
        if other_rec.header_index is not None and not other_rec.missing():
            found.append((other, other_rec))
    if not found:
        return raw, rec  # the error names every sheet and the one read
    names = [table.sheet or "" for table, _ in found]
    shapes = [_respondent_shape(r) for _, r in found]
    best = max(shapes[k][:2] for k in range(len(found)))
    top = [k for k in range(len(found)) if shapes[k][:2] == best]
    if len(top) > 1:
        raise SurveyImportError("several_data_sheets", path=source,
                                all_sheets=", ".join(f"'{s}'" for s in raw.sheets),
                                candidates=", ".join(f"'{names[k]}'" for k in top), first=names[top[0]])
    chosen_raw, chosen = found[top[0]]
    chosen_raw.sheet_reason = "only" if len(found) == 1 else "rows"
    chosen_raw.sheet_candidates = names
    return chosen_raw, chosen


def _respondent_shape(rec: Recognition) -> tuple[bool, bool, int]:
    """How much a recognised sheet looks like respondent rows: it has a respondent id; its answers are whole
    numbers or labels (an overview of averages has fractions); and its number of rows (said in the report)."""
    assert rec.header_index is not None
    body = rec.raw.cells.iloc[rec.header_index + 1 + len(rec.extra_header_rows):]
    columns = [*rec.items.values(), *(c for cs in rec.extra_items.values() for c in cs)]
    if not columns and "answer" in rec.fields:
        columns = [rec.fields["answer"]]
    whole = True
    for j in columns:
        numbers = np.array([_number_or_nan(v) for v in pd.unique(_texts(body.iloc[:, j]))], dtype=float)
        numbers = numbers[~np.isnan(numbers)]
        if len(numbers) and not np.all(numbers == np.round(numbers)):
            whole = False
            break
    keyed = "respondent_id" in rec.fields or "response_id" in rec.fields
    return keyed, whole, len(body)


def read_codebook(name: str, base_dir: str | None, source: str) -> tuple[dict[str, dict[str, str]], str]:
    """A code book in a file of its own (CSV or workbook: value and label columns, optionally a variable
    column), as a mapping's ``[file] codebook`` names it (relative to the mapping file)."""
    path = Path(name)
    if not path.is_absolute() and base_dir:
        path = Path(base_dir) / path
    table = read_raw(path)
    book = codebook_from_rows(list(table.cells.itertuples(index=False, name=None)))
    if not book:
        raise SurveyImportError("bad_codebook", path=path)
    return book, path.name


class _Importer:
    def __init__(self, rec: Recognition, body: pd.DataFrame, rows: np.ndarray, mapping: Mapping, theme: Theme,
                 source: str) -> None:
        self.rec, self.mapping, self.theme, self.source = rec, mapping, theme, source
        mapping.check_scale(theme.scale.maximum)
        self.problems: list[Problem] = []
        self.excluded: Counter[str] = Counter()  # rows left out, by problem code
        # Each column is factorised once: its distinct raw values, their text, and each row's code.
        self.codes: dict[int, np.ndarray] = {}
        self.uniques: dict[int, list[object]] = {}
        texts: dict[int, np.ndarray] = {}
        # Coded columns: the text of each distinct raw code, where the cells are shown through labels (SPSS's
        # value labels, a code book's labels of the column); a mapping's code wins over a label.
        self.raw_codes: dict[int, np.ndarray] = {}
        self.codebook_used: dict[str, str] = {}
        for j in range(body.shape[1]):
            codes, uniques, converted = _factorised(body.iloc[:, j])
            labels = self._labels(j)
            if labels:
                self.raw_codes[j] = converted
                uniques = [labels.get(u, u) if u is not None else None for u in uniques]
                converted = np.array([*(_cell_text(u) for u in uniques[:-1]), ""], dtype=object)
            self.codes[j], self.uniques[j], texts[j] = codes, uniques, converted[codes]
        # Wholly empty rows are skipped (counted, not read).
        nonblank = np.zeros(len(body), dtype=bool)
        for values in texts.values():
            nonblank |= values != ""
        self.blank_rows = int((~nonblank).sum())
        self.texts = {j: v[nonblank] for j, v in texts.items()}
        self.codes = {j: c[nonblank] for j, c in self.codes.items()}
        self.rows = rows[nonblank]
        self.n = len(self.rows)
        self.notes: list[dict[str, str]] = []
        if "respondent_id" in rec.fields:
            self._one_spelling_per_person(rec.fields["respondent_id"])
        self.status_rule: dict[str, Any] | None = None
        self.roster: dict[str, tuple[str, str]] | None = None  # leader id -> (name, department), see read_roster
        self.roster_source = ""
        self.roster_conflicts: list[str] = []  # ids the roster gives more than one name or department
        self.leader_merges: list[dict[str, Any]] = []
        self.readings: dict[tuple[int, str], dict[str, Any]] = {}  # answers read as a variant, by column and value
        self.waves: list[str] = []
        self.wave_order = "year"
        # How answers are read, the same for every column: labels (the mapping's win), skipped-answer texts,
        # and the labels that are variants (listed in the report).
        self.mapped_answers = mapping.answer_labels()
        self.answer_labels = {**answer_labels(theme), **self.mapped_answers}
        self.blanks = mapping.blank_texts()
        self.synonyms = synonym_labels(theme, self.mapped_answers)

    def _one_spelling_per_person(self, j: int) -> None:
        """Person keys are compared without surrounding whitespace, Unicode form and letter case ("Anna@X.dk"
        and "anna@x.dk" are one person): each is read as the first spelling of it in the file; the report says
        how many keys were written in more than one way."""
        texts = self.texts[j]
        codes, uniques = pd.factorize(texts)
        if not len(uniques):
            return
        forms = [person_key_form(u) for u in uniques]
        first: dict[str, str] = {}
        for u, f in zip(uniques, forms, strict=True):
            first.setdefault(f, str(u))
        canonical = np.array([first[f] for f in forms], dtype=object)
        merged = len(uniques) - len(first)
        if merged:
            self.texts[j] = canonical[codes]
            self.note("person_key_spellings", column=self._name(j), count=merged)

    def _labels(self, j: int) -> dict[Any, str]:
        """The labels column ``j``'s codes are shown through: SPSS's value labels, else, for a column of
        leaders' names, departments, units, groups, rounds, or of the completion rule (status, test flag,
        progress), the code book's labels of that column (its answer codes and roles are read through the code
        book where they are parsed)."""
        if not self.rec.names:
            return {}
        name = self.rec.names[j]
        labels = self.rec.raw.value_labels.get(name)
        if labels:
            return labels
        coded = {self.rec.fields.get(f) for f in ("leader_name", "wave", *GROUP_FIELDS)} - {None}
        if self.rec.status is not None:  # the completion rule's columns: status, test flag, progress
            coded |= set(self.rec.status.taken)
        book = self.rec.raw.codebook_for(name, shared=False) if j in coded else {}
        out: dict[Any, str] = {}
        for code, label in book.items():  # the cells hold numbers (a workbook) or their text (a CSV)
            self.codebook_used[f"{self._name(j)}: {code}"] = label
            out[code] = label
            out[int(code)] = label
            out[float(code)] = label
        return out

    def _raw_code(self, j: int, k: int) -> str | None:
        """The raw code of column ``j``'s ``k``-th distinct value when the column is shown through labels."""
        raw = self.raw_codes.get(j)
        return None if raw is None else str(raw[k])

    def _name(self, j: int) -> str:
        return self.rec.names[j] or f"#{j + 1}"

    def field(self, name: str) -> np.ndarray | None:
        j = self.rec.fields.get(name)
        return None if j is None else self.texts[j]

    def _scale_values(self, code: str) -> tuple[tuple[str, str], ...]:
        """What a problem with an answer's number says about the theme's scale (its lowest and highest point)."""
        if code in ("out_of_range", "not_whole"):
            return (("low", str(self.theme.scale.minimum)), ("high", str(self.theme.scale.maximum)))
        return ()

    def note(self, code: str, **values: Any) -> None:
        """Something the report says about the file as a whole (``report.note_<code>`` in the catalogs)."""
        self.notes.append({"code": code, **{k: str(v) for k, v in values.items()}})

    def exclude(self, mask: np.ndarray, keep: np.ndarray, code: str, column: int | None,
                first: np.ndarray | None = None, values: tuple[tuple[str, str], ...] = ()) -> None:
        """Leave out rows under ``mask`` still kept, listing each."""
        hit = np.flatnonzero(mask & keep)
        if len(hit):
            self.excluded[code] += len(hit)
        texts = self.texts[column] if column is not None else None
        name = self._name(column) if column is not None else None
        for i in hit:
            extra = (("first", str(int(first[i]))),) if first is not None else self._scale_values(code) or values
            self.problems.append(Problem(int(self.rows[i]), name, None if texts is None else str(texts[i]),
                                         code, extra))
        keep[hit] = False

    # -- shared row checks -------------------------------------------------------------------------
    def row_checks(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        keep = np.ones(self.n, dtype=bool)
        label, column = summary_labels(self.texts, [self.rec.fields[f] for f in SUMMARY_FIELDS
                                                    if f in self.rec.fields],
                                       self.rec.fields["role"], self.rec.fields.get("respondent_id"),
                                       self.mapping.role_labels())
        hit = np.flatnonzero(label != "")
        for i in hit:  # a report's "Total" / "I alt" / "Gennemsnit" row: its numbers are no answers
            self.problems.append(Problem(int(self.rows[i]), self._name(int(column[i])), str(label[i]),
                                         "summary_row"))
        if len(hit):
            self.excluded["summary_row"] += len(hit)
        keep[hit] = False
        self.status_check(keep)
        for name in ("leader_id", "leader_name"):
            if name in self.rec.fields:  # one leader, however the name is spaced, cased or composed
                j = self.rec.fields[name]
                self.texts[j] = self.merge_leaders(self.texts[j], j)
        leader_id, leader_name = self.field("leader_id"), self.field("leader_name")
        if leader_id is not None and leader_name is not None:
            leader = np.where(leader_id != "", leader_id, leader_name)
            leader_col = self.rec.fields["leader_id"]
        elif leader_id is not None:
            leader, leader_col = leader_id, self.rec.fields["leader_id"]
        else:
            assert leader_name is not None  # recognise() guarantees a leader column
            leader, leader_col = leader_name, self.rec.fields["leader_name"]
        self.exclude(leader == "", keep, "missing_leader", leader_col)

        role_col = self.rec.fields["role"]
        role_text = self.texts[role_col]
        extra = self.mapping.role_labels()
        inverse, uniques = pd.factorize(role_text)
        # role codes with labels in the code book (the role column's own codes: "1" = "Medarbejder")
        book = self.rec.raw.codebook_for(self.rec.names[role_col], shared=False) if self.rec.names else {}
        # a role shown through a value label: the mapping's [roles] may name its code ("1" = "employee")
        coded = {_cell_text(u): self._raw_code(role_col, k) for k, u in enumerate(self.uniques[role_col][:-1])}
        parsed = [(extra.get(normalise(coded[u] or "")) if coded.get(u) else None) or parse_role(u, extra)
                  or (parse_role(book[u], extra) if u in book else None) or "" for u in uniques]
        for u in uniques:
            if u in book and normalise(u) not in extra:
                self.codebook_used[f"{self._name(role_col)}: {u}"] = book[u]
        role = np.array(parsed, dtype=object)[inverse]
        self.role_codes = np.array([ROLES.index(r) if r else -1 for r in parsed], dtype=np.int8)[inverse]
        self.exclude(role_text == "", keep, "missing_role", role_col)
        self.exclude(role == "", keep, "unknown_role", role_col)

        wave = self.field("wave")
        if wave is not None:
            self.exclude(wave == "", keep, "missing_wave", self.rec.fields["wave"])
        else:
            wave = np.full(self.n, "", dtype=object)
        return keep, leader, role, wave

    def status_check(self, keep: np.ndarray) -> None:
        """Leave out the rows that are no completed response (see :func:`status_columns`): every condition of
        the rule must hold; each row left out is listed with the condition it fails."""
        st = self.rec.status
        if st is None:
            return
        forms = {j: self._forms(j) for j in st.taken}
        completed, kind, source, indices = st.completed, st.kind, st.source, st.indices
        if st.words:
            j = completed[0][0]
            seen = set(forms[j].tolist()) - {""}
            if seen <= QUALTRICS_TYPES and seen & QUALTRICS_WORDS:  # Qualtrics' Status: the kind of response
                completed, kind, source = (), j, "qualtrics"
            elif seen and not seen & STATUS_COMPLETED and seen & STATUS_NOT_COMPLETED \
                    and not seen <= STATUS_NOT_COMPLETED:
                # Known words of responses not completed ("Delvis") beside words the importer does not know
                # ("Indsendt"): a status column whose completed value is unknown. Counting every row would count
                # the partial ones; guessing which word means completed could count them too: stop and say how.
                found = sorted(set(self.texts[j].tolist()) - {""})
                unknown = [v for v in found if _status_form(v) not in STATUS_NOT_COMPLETED]
                raise SurveyImportError(
                    "status_completed_unknown", path=self.source, column=self._name(j),
                    values=", ".join(f"'{v}'" for v in found[:12]) + (" …" if len(found) > 12 else ""),
                    example=", ".join(f'"{v}"' for v in unknown[:1]), name=self._name(j))
            elif not seen or not (seen & STATUS_COMPLETED or seen <= STATUS_NOT_COMPLETED):
                # No value is a status word at all: a "Status" of something else (employment, ...). It is not
                # used, and the report says so with its values.
                self.note("status_not_used", column=self._name(j),
                          values=", ".join(f"'{v}'" for v in sorted(set(self.texts[j].tolist()) - {""})[:8]))
                self.rec.ignored = sorted({*self.rec.ignored, j})
                completed, indices, source = (), (), "none"
        if kind is not None:
            not_response = np.array([QUALTRICS_NOT_RESPONSES.get(f, "") for f in forms[kind]], dtype=object)
            for what in ("preview", "test", "spam"):
                self.exclude(not_response == what, keep, f"status_{what}", kind)
        for j, values in completed:
            ok = np.isin(forms[j], list(values))
            if source == "mapping" and self.mapping.status.completed and j in self.raw_codes:
                ok |= np.isin(self._raw_forms(j), list(values))  # the mapping may name a code ("4")
            if st.dummies:  # SurveyXact: the status a row has is the one of its 0/1 columns that is 1
                shown = np.full(self.n, "", dtype=object)
                for d in st.dummies:
                    shown = np.where((shown == "") & (forms[d] == "1"), self.rec.names[d], shown)
                self.texts[j] = np.where(ok, self.texts[j], shown)
            self.exclude(~ok, keep, "not_completed", j)
        conditions: list[dict[str, Any]] = []
        if st.test is not None:
            conditions += self._test_check(keep, st.test, st.test_values, forms[st.test])
        if st.progress is not None:
            progress = np.array([_number_or_nan(v) for v in self.texts[st.progress]], dtype=float)
            self.exclude(~(progress >= st.min_progress), keep, "low_progress", st.progress,
                         values=(("min", f"{st.min_progress:g}"),))
            conditions.append({"kind": "progress", "column": self._name(st.progress), "min": st.min_progress})
        self.status_rule = {"source": source,
                            "columns": [self._name(j) for j in indices],
                            "completed": {self._name(j): sorted(v) for j, v in completed},
                            "conditions": conditions}

    def _test_check(self, keep: np.ndarray, j: int, values: frozenset[str] | None,
                    forms: np.ndarray) -> list[dict[str, Any]]:
        """Leave out the rows a test flag column marks as a test or preview. With the recognised values, a
        value that is neither a test nor a real answer leaves its row out too (listed): an unknown mark is
        never counted as a real answer. Only a column recognised by its header whose values are no flag's
        (more than two different values, or numbers like a scale's) is not used, and the report says so."""
        seen = set(forms.tolist()) - {""}
        if values is not None:
            test = np.isin(forms, list(values))
            if j in self.raw_codes:  # the mapping may name a code of a labelled column
                test |= np.isin(self._raw_forms(j), list(values))
            self.exclude(test, keep, "test_response", j)
            return [{"kind": "test", "column": self._name(j), "values": sorted(values)}]
        numbers = [_number_or_nan(v) for v in seen]
        scale_like = len(seen) >= 2 and all(x == x and float(x).is_integer() for x in numbers) \
            and not seen <= {"0", "1"}
        if len(seen) > 2 or scale_like:
            self.note("test_not_used", column=self._name(j),
                      values=", ".join(f"'{v}'" for v in sorted(set(self.texts[j].tolist()) - {""})[:8]))
            self.rec.ignored = sorted({*self.rec.ignored, j})
            return []
        self.exclude(np.isin(forms, list(TEST_VALUES)), keep, "test_response", j)
        self.exclude(~np.isin(forms, [*REAL_VALUES, ""]), keep, "test_unknown", j)
        unknown = seen - TEST_VALUES - REAL_VALUES
        shown = sorted({str(v) for v, f in zip(self.texts[j].tolist(), forms.tolist(), strict=True) if f in unknown})
        condition: dict[str, Any] = {"kind": "test", "column": self._name(j), "values": sorted(TEST_VALUES & seen)}
        return [{**condition, "unknown": shown} if shown else condition]

    def _raw_forms(self, j: int) -> np.ndarray:
        """Per row, the raw code of a column shown through labels, as status values are compared."""
        raw = np.array([_status_form(v) for v in self.raw_codes[j]], dtype=object)
        out: np.ndarray = raw[self.codes[j]]
        return out

    def _forms(self, j: int) -> np.ndarray:
        codes, uniques = pd.factorize(self.texts[j])
        return np.array([_status_form(u) for u in uniques], dtype=object)[codes] if len(uniques) else \
            np.full(self.n, "", dtype=object)

    def merge_leaders(self, names: np.ndarray, j: int) -> np.ndarray:
        """One spelling per leader: names that differ only in whitespace, letter case or Unicode form, or that
        the mapping's [leaders] names as aliases, become the most used spelling (the alias's target); each merge
        is listed in the report."""
        aliases = self.mapping.leader_aliases()
        codes, uniques = pd.factorize(names)
        if not len(uniques):
            return names
        counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
        targets = [clean_text(aliases.get(leader_key(u), u)) for u in uniques]
        groups: dict[str, list[int]] = {}
        for k, target in enumerate(targets):
            groups.setdefault(leader_key(target), []).append(k)
        canonical = list(uniques)
        for members in groups.values():
            named = [targets[k] for k in members if targets[k] != uniques[k]]
            if len(members) == 1 and not named:
                continue
            # the alias's target, else the most used of the spellings written with capitals ("Ane Østergård"
            # before "ane østergård"), else the most used
            name = named[0] if named else str(uniques[max(members, key=lambda k: (_proper(uniques[k]), counts[k], -k))])
            variants = []
            for k in members:
                canonical[k] = name
                if uniques[k] != name:
                    rows = self.rows[codes == k]
                    variants.append({"spelling": str(uniques[k]), "rows": len(rows),
                                     "first_rows": [int(r) for r in rows[:8]],
                                     "how": "alias" if targets[k] != uniques[k] else "spelling"})
            if variants and name:
                self.leader_merges.append({"column": self._name(j), "leader": name, "variants": variants})
        merged: np.ndarray = np.array(canonical, dtype=object)[codes]
        return merged

    def first_rows(self, keys: list[np.ndarray], mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Among rows under ``mask``: which repeat an earlier row's key (the values of ``keys`` together), and
        the row number of the key's first row."""
        key = _group_codes([k[mask] for k in keys])
        _, first_index, inverse = np.unique(key, return_index=True, return_inverse=True)
        first_of_row = first_index[inverse]
        dup = first_of_row != np.arange(len(key))
        first_row = self.rows[mask][first_of_row]
        repeat = np.zeros(self.n, dtype=bool)
        first = np.zeros(self.n, dtype=np.int64)
        idx = np.flatnonzero(mask)
        repeat[idx] = dup
        first[idx] = first_row
        return repeat, first

    def answers(self, j: int) -> tuple[np.ndarray, np.ndarray]:
        """Category codes of column ``j`` (index into the theme's answer categories, -1 for none) and problem
        codes ('' for none); each distinct value is parsed once."""
        mapped, labels, blanks, synonyms = self.mapped_answers, self.answer_labels, self.blanks, self.synonyms
        maximum = self.theme.scale.maximum
        book = self.rec.raw.codebook_for(self.rec.names[j]) if self.rec.names else {}
        if book:  # a code book is used only when its labels are answers (a sheet of other numbers is none)
            known = sum(parse_answer(v, labels, maximum, blanks=blanks).category is not None for v in book.values())
            if known * 2 < len(book):
                book = {}
        parsed = []
        for k, u in enumerate(self.uniques[j]):
            raw = self._raw_code(j, k)
            if raw and normalise(raw) in mapped:  # a mapping's code wins over a value label
                u = raw
            code = _cell_text(u)
            if book and code in book and normalise(code) not in mapped:  # a code book's label (the mapping wins)
                self.codebook_used[code] = book[code]
                u = book[code]
            parsed.append(parse_answer(u, labels, maximum, blanks=blanks, synonyms=synonyms))
        index = {c: k for k, c in enumerate(self.theme.scale.categories)}
        codes = self.codes[j]
        category = np.array([index.get(p.category or "", -1) for p in parsed], dtype=np.int8)[codes]
        problem = np.array([p.problem or "" for p in parsed], dtype=object)[codes]
        for k, p in enumerate(parsed):  # what was read as a variant or a skipped question: said in the report
            if p.via is not None:
                self._note_reading(j, k, p)
        return category, problem

    def _note_reading(self, j: int, k: int, parsed: AnswerParse) -> None:
        hit = np.flatnonzero(self.codes[j] == k)
        if not len(hit):
            return
        value = str(self.texts[j][hit[0]])
        self.readings[(j, value)] = {
            "column": self._name(j), "value": value, "read_as": parsed.category or "blank", "via": parsed.via,
            "count": len(hit), "first_rows": [int(r) for r in self.rows[hit[:8]]]}

    def round_like_columns(self) -> None:
        """Say so when a column that is not read looks like a survey round (its name or label says year, round,
        period, wave or survey, or every value is a year) and holds several values: the rounds are then pooled."""
        if "wave" in self.rec.fields:
            return
        for j in self.rec.ignored:
            name = self._name(j)
            label = self.rec.raw.column_labels.get(name, "")
            values = sorted(set(self.texts[j].tolist()) - {""})
            if not 2 <= len(values) <= 12:
                continue
            worded = any(w in squash(text) for text in (name, label) for w in ROUND_WORDS)
            if worded or all(_YEAR.match(v) for v in values):
                self.note("round_like", column=name, values=", ".join(values))

    def run(self) -> ImportResult:
        self.round_like_columns()
        merged = self.rec.raw.merged_filled
        if merged:  # cells merged down a column: every row of the merge has its value
            self.note("merged_cells", count=len(merged),
                      ranges=", ".join(merged[:12]) + (" …" if len(merged) > 12 else ""))
        cleaned = self.rec.raw.cleaned_rows
        if cleaned:  # terminal escape sequences and control characters were taken out of these rows' cells
            self.note("control_characters", count=len(cleaned),
                      rows=", ".join(str(r) for r in cleaned[:8]) + (" …" if len(cleaned) > 8 else ""))
        if "respondent_id" not in self.rec.fields or not self.rec.person_key:
            shown = self._name(self.rec.fields["respondent_id"]) if "respondent_id" in self.rec.fields else ""
            self.note("no_person_key" if not shown else "no_person_key_response", column=shown)
        elif self.rec.generic_key:
            self.note("person_key_generic", column=self._name(self.rec.fields["respondent_id"]))
        return self.run_long() if self.rec.layout == "long" else self.run_wide()

    # -- wide: one respondent per row ---------------------------------------------------------------
    def run_wide(self) -> ImportResult:
        keep, leader, role, wave = self.row_checks()
        rid = self.field("respondent_id")
        if rid is not None:
            # A response is (respondent, leader, round): an own leader rating two leaders, or an employee with
            # two leaders, answers once per leader.
            repeat, first = self.first_rows([self._whole_rows()], keep & (rid != ""))
            self.exclude(repeat, keep, "duplicate_respondent", self.rec.fields["respondent_id"], first)
            self.resubmissions(keep, rid, leader, wave, np.arange(self.n))
            rid = np.where(rid != "", rid, np.array([f"row-{r}" for r in self.rows], dtype=object))
        else:
            rid = np.array([f"row-{r}" for r in self.rows], dtype=object)
        repeat, first = self.first_rows([leader, wave], keep & (role == "self"))
        self.exclude(repeat, keep, "second_self", self.rec.fields["role"], first)

        kept_idx = np.flatnonzero(keep)
        pieces_pos, pieces_item, pieces_cat = [], [], []
        blank = 0
        item_order = {item_id: k for k, item_id in enumerate(self.theme.item_ids)}
        cell_problems: list[Problem] = []
        for item_id, j in sorted(self.rec.items.items(), key=lambda kv: item_order[kv[0]]):
            columns = [j, *self.rec.extra_items.get(item_id, [])]
            category, problem, chosen = self._item_answers(columns, role[kept_idx], kept_idx, cell_problems)
            bad = np.flatnonzero(problem != "")
            cell_problems.extend(
                Problem(int(self.rows[kept_idx[i]]), self._name(columns[chosen[i]]),
                        str(self.texts[columns[chosen[i]]][kept_idx[i]]), str(problem[i]),
                        self._scale_values(str(problem[i]))) for i in bad
            )
            given = np.flatnonzero(category >= 0)
            blank += int(((category < 0) & (problem == "")).sum())
            pieces_pos.append(kept_idx[given])
            pieces_item.append(np.full(len(given), item_order[item_id], dtype=np.int16))
            pieces_cat.append(category[given])
        self.problems.extend(sorted(cell_problems, key=lambda p: p.row))
        pos = np.concatenate(pieces_pos) if pieces_pos else np.array([], dtype=np.int64)
        item_codes = np.concatenate(pieces_item) if pieces_item else np.array([], dtype=np.int16)
        cats = np.concatenate(pieces_cat) if pieces_cat else np.array([], dtype=np.int8)
        order = np.lexsort((item_codes, pos))
        pos, item_codes, cats = pos[order], item_codes[order], cats[order]
        responses = self._frame(pos, item_codes, cats, rid, leader, role, wave)
        return self._result(keep, leader, responses, self._respondents(keep, rid, role, wave), blank)

    def _whole_rows(self) -> np.ndarray:
        """One code per row, equal for rows that are equal in every cell."""
        return _group_codes([self.texts[j] for j in sorted(self.texts)])

    def resubmissions(self, keep: np.ndarray, rid: np.ndarray, leader: np.ndarray, wave: np.ndarray,
                      submission: np.ndarray) -> None:
        """A person counts once per leader and round: of a person's submissions (``submission`` tells them
        apart: the row, or a long export's response id) about one leader in one round, the latest counts (by
        the submission time when the export has one, else the last in the file); the rows of the earlier ones
        are left out and listed, naming the first row of the submission that counts."""
        mask = keep & (rid != "")
        if not mask.any():
            return
        pos = np.flatnonzero(mask)
        timed = self._submitted_times()
        frame = pd.DataFrame({"key": _group_codes([wave[mask], rid[mask], leader[mask]]),
                              "sub": pd.factorize(submission[mask])[0],
                              "t": timed.seconds[mask] if timed else np.nan,
                              "other": timed.other[mask] if timed and timed.other is not None else np.nan,
                              "pos": pos})
        frame["unread"] = frame["t"].isna()
        per_sub = (frame.groupby(["key", "sub"], sort=False)
                   .agg(t=("t", "max"), other=("other", "max"), unread=("unread", "any"),
                        last=("pos", "max"), first=("pos", "min")).reset_index())
        if len(per_sub) == per_sub["key"].nunique():
            return
        per_sub = per_sub[per_sub["key"].duplicated(keep=False)]  # the people who submitted more than once

        def latest(column: str | None) -> pd.Series:
            order = ["key", column, "last"] if column else ["key", "last"]
            return per_sub.sort_values(order, kind="stable").groupby("key", sort=False)["sub"].last()

        by_order = latest(None)
        winners = by_order
        if timed is not None:
            # The time decides, unless one of a person's submissions has a time that cannot be read, or the
            # column may be day or month first and the two readings disagree: then the row order decides.
            unread = per_sub.groupby("key", sort=False)["unread"].any()
            winners = latest("t").where(~unread, by_order)
            if timed.other is not None:
                disagree = latest("t") != latest("other")
                winners = winners.where(~disagree, by_order)
                self.note("time_ambiguous", column=self._name(self.rec.fields["submitted"]),
                          values=", ".join(timed.ambiguous_examples), count=int((disagree & ~unread).sum()))
            if unread.any():
                self.note("time_row_order", column=self._name(self.rec.fields["submitted"]),
                          count=int(unread.sum()))
        earlier = (frame["sub"].to_numpy() != frame["key"].map(winners).fillna(-1).to_numpy())
        first_of = {(int(k), int(sub)): int(f) for k, sub, f in per_sub[["key", "sub", "first"]].itertuples(
            index=False, name=None)}
        mark = np.zeros(self.n, dtype=bool)
        mark[pos] = earlier & frame["key"].isin(winners.index).to_numpy()
        kept_row = np.zeros(self.n, dtype=np.int64)
        win_first = pd.Series([first_of[(int(k), int(sub))] for k, sub in zip(winners.index.to_numpy(),
                                                                              winners.to_numpy(), strict=True)],
                              index=winners.index, dtype=np.int64)
        kept_row[pos] = self.rows[frame["key"].map(win_first).fillna(0).astype(np.int64).to_numpy()]
        self.exclude(mark, keep, "resubmission", self.rec.fields["respondent_id"], kept_row)

    def _submitted_times(self) -> _RowTimes | None:
        """Per row, when it was submitted (seconds; NaN for a blank or unreadable cell), read with one format
        for the whole column (see :mod:`.times`); None when the export has no such column. Values the format
        cannot read are said in the report."""
        j = self.rec.fields.get("submitted")
        if j is None:
            return None
        codes, uniques = pd.factorize(self.texts[j])
        values = [str(u) for u in uniques]
        filled = [k for k, v in enumerate(values) if v]
        reading = read_times([values[k] for k in filled])
        per_value = np.full(len(values) + 1, np.nan)
        per_value[filled] = reading.seconds
        other = None
        if reading.other is not None:
            other = np.full(len(values) + 1, np.nan)
            other[filled] = reading.other
        if reading.unreadable:
            self.note("time_unreadable", column=self._name(j), count=len(reading.unreadable),
                      values=", ".join(f"'{v}'" for v in reading.unreadable[:5]))
        return _RowTimes(per_value[codes], None if other is None else other[codes],
                         [f"'{values[k]}'" for k in filled[:3]])

    def _respondents(self, keep: np.ndarray, rid: np.ndarray, role: np.ndarray, wave: np.ndarray) -> dict[str, int]:
        """Respondents per role (people, not rows): one per respondent id and round, however many leaders
        they rated."""
        frame = pd.DataFrame({"wave": wave, "rid": rid, "role": role})[keep].drop_duplicates(["wave", "rid", "role"])
        counts = Counter(frame["role"].tolist())
        return {r: counts.get(r, 0) for r in ROLES}

    def _item_answers(self, columns: list[int], role: np.ndarray, kept_idx: np.ndarray,
                      problems: list[Problem]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """An item's answers on the kept rows, from one column, or from several columns worded for different
        roles: each row takes the column worded for its role, else the one it answered; a second answer to the
        same item in another column is left out and listed."""
        parsed = [self.answers(c) for c in columns]
        categories = np.stack([c[kept_idx] for c, _ in parsed])
        issues = np.stack([p[kept_idx] for _, p in parsed])
        if len(columns) == 1:
            return categories[0], issues[0], np.zeros(len(kept_idx), dtype=np.intp)
        filled = (categories >= 0) | (issues != "")
        worded = np.stack([role == self.rec.column_roles.get(c) for c in columns]) & filled
        chosen = np.where(worded.any(axis=0), worded.argmax(axis=0), filled.argmax(axis=0))
        rows = np.arange(len(kept_idx))
        for k, c in enumerate(columns):
            for i in np.flatnonzero(filled[k] & (chosen != k)):
                problems.append(Problem(int(self.rows[kept_idx[i]]), self._name(c),
                                        str(self.texts[c][kept_idx[i]]), "second_answer",
                                        (("column", self._name(columns[chosen[i]])),)))
        return categories[chosen, rows], issues[chosen, rows], chosen

    # -- long: one answer per row -------------------------------------------------------------------
    def run_long(self) -> ImportResult:
        keep, leader, role, wave = self.row_checks()
        rid_col = self.rec.fields["respondent_id"]
        rid = self.texts[rid_col]
        item_col = self.rec.fields["item"]
        extra = self.mapping.item_labels()
        inverse, uniques = pd.factorize(self.texts[item_col])
        item_ids = np.array([match_item(u, self.theme, extra) or "" for u in uniques], dtype=object)[inverse]
        self.exclude(item_ids == "", keep, "unknown_item", item_col)
        # A person's submissions are told apart by their response ids, else by their submission times (the rows
        # of one submission share its time): the latest counts.
        response = self.field("response_id")
        if response is None:
            response = self.field("submitted")
        if response is not None:
            self.resubmissions(keep, rid, leader, wave, response)
        # A response is (respondent, leader, round): one role per respondent id and leader in a round (an own
        # leader may rate two leaders, an employee may have two).
        keys = pd.DataFrame({"wave": wave, "rid": rid, "leader": leader})
        frame = keys.assign(role=role, _row=self.rows)[keep & (rid != "")]
        grouped = frame.groupby(["wave", "rid", "leader"], sort=False)
        first_role = grouped["role"].transform("first").to_numpy()
        first_row = grouped["_row"].transform("first").to_numpy()
        idx = np.flatnonzero(keep & (rid != ""))
        inconsistent = np.zeros(self.n, dtype=bool)
        first = np.zeros(self.n, dtype=np.int64)
        inconsistent[idx] = first_role != frame["role"].to_numpy()
        first[idx] = first_row
        self.exclude(inconsistent, keep, "inconsistent_respondent", rid_col, first)
        self.exclude(rid == "", keep, "missing_respondent", rid_col)
        # The same respondent answering the same item twice.
        repeat, first = self.first_rows([wave, rid, leader, item_ids], keep)
        self.exclude(repeat, keep, "duplicate_answer", item_col, first)
        # A second self-assessment: another respondent id with role self for the same leader and round.
        selfs = keep & (role == "self")
        self_frame = pd.DataFrame({"leader": leader, "wave": wave, "rid": rid, "_row": self.rows})[selfs]
        first_rid = self_frame.groupby(["leader", "wave"], sort=False)["rid"].transform("first").to_numpy()
        first_self_row = self_frame.groupby(["leader", "wave"], sort=False)["_row"].transform("first").to_numpy()
        second = np.zeros(self.n, dtype=bool)
        first = np.zeros(self.n, dtype=np.int64)
        sidx = np.flatnonzero(selfs)
        second[sidx] = first_rid != self_frame["rid"].to_numpy()
        first[sidx] = first_self_row
        self.exclude(second, keep, "second_self", self.rec.fields["role"], first)
        # Answers: an unknown label or number leaves the row (the answer) out.
        answer_col = self.rec.fields["answer"]
        category, problem = self.answers(answer_col)
        for code in ("unknown_label", "out_of_range", "not_whole"):
            self.exclude(problem == code, keep, code, answer_col)
        self.problems.sort(key=lambda p: p.row)
        given = keep & (category >= 0)
        blank = int((keep & (category < 0)).sum())
        pos = np.flatnonzero(given)
        item_order = {item_id: k for k, item_id in enumerate(self.theme.item_ids)}
        item_codes = np.array([item_order[i] for i in item_ids[pos]], dtype=np.int16)
        responses = self._frame(pos, item_codes, category[pos], rid, leader, role, wave)
        return self._result(keep, leader, responses, self._respondents(keep, rid, role, wave), blank)

    # -- output -------------------------------------------------------------------------------------
    def _frame(self, pos: np.ndarray, item_codes: np.ndarray, cats: np.ndarray, rid: np.ndarray,
               leader: np.ndarray, role: np.ndarray, wave: np.ndarray) -> pd.DataFrame:
        has_wave = "wave" in self.rec.fields
        answer = pd.Categorical.from_codes(cats, categories=pd.Index(list(self.theme.scale.categories)))
        codes = cats.astype(np.int16)
        substantive = (codes >= 0) & (codes < len(self.theme.scale.points))
        data: dict[str, Any] = {
            "respondent_id": _categorical(rid, pos),
            "leader_id": _categorical(leader, pos),
            "role": pd.Categorical.from_codes(self.role_codes[pos], categories=pd.Index(list(ROLES))),
            "item_id": pd.Categorical.from_codes(
                item_codes.astype(np.int16), categories=pd.Index(list(self.theme.item_ids))
            ),
            "value": np.where(substantive, codes + 1.0, np.nan),
            "answer": answer,
            "wave": self._waves(wave, pos) if has_wave else pd.Categorical([None] * len(pos)),
        }
        if "leader_id" in self.rec.fields and "leader_name" in self.rec.fields:
            data["leader_name"] = _categorical(self.texts[self.rec.fields["leader_name"]], pos)
        for name in GROUP_FIELDS:
            if name in self.rec.fields:
                data[name] = _categorical(self.texts[self.rec.fields[name]], pos)
        if self.roster is not None:  # names and departments from the roster, where the answers have none
            ids = self.texts[self.rec.fields["leader_id"]]
            found = [self.roster.get(x) for x in ids]
            if "leader_name" not in data and self.roster_has(0):  # a leader the roster lacks: named by the id
                names = [f[0] if f and f[0] else x for f, x in zip(found, ids, strict=True)]
                data["leader_name"] = _categorical(np.array(names, dtype=object), pos)
            if "department" not in data and self.roster_has(1):
                data["department"] = _categorical(np.array([f[1] if f else "" for f in found], dtype=object), pos)
        data["row"] = self.rows[pos].astype(np.int64)
        return pd.DataFrame(data)

    def roster_has(self, k: int) -> bool:
        return self.roster is not None and any(v[k] for v in self.roster.values())

    def roster_notes(self, keep: np.ndarray) -> None:
        """What the roster gave: how many leaders it named, the answers' leader ids it lacks, and its leaders
        with no answers."""
        if self.roster is None:
            return
        ids = set(self.texts[self.rec.fields["leader_id"]][keep].tolist()) - {""}
        missing, unused = sorted(ids - set(self.roster)), sorted(set(self.roster) - ids)
        self.note("roster", source=self.roster_source, count=len(ids & set(self.roster)), rows=len(self.roster))
        if missing:
            self.note("roster_missing", count=len(missing), ids=", ".join(missing[:30]) + (" …" * (len(missing) > 30)))
        if self.roster_conflicts:
            twice = self.roster_conflicts
            self.note("roster_conflict", count=len(twice), ids=", ".join(twice[:30]) + (" …" * (len(twice) > 30)))
        if unused:
            self.note("roster_unused", count=len(unused), ids=", ".join(unused[:30]) + (" …" * (len(unused) > 30)))

    def _waves(self, wave: np.ndarray, pos: np.ndarray) -> pd.Categorical:
        """The rounds of the answers, as an ordered categorical: earliest round first (see :mod:`.waves`)."""
        order, self.wave_order = order_waves(wave[pos].tolist(), self.mapping.rounds.order)
        self.waves = order
        return pd.Categorical(wave[pos], categories=order, ordered=True)

    def _result(self, keep: np.ndarray, leader: np.ndarray, responses: pd.DataFrame,
                respondents: dict[str, int], blank: int) -> ImportResult:
        rec = self.rec
        self.roster_notes(keep)
        raw = rec.raw
        counts = responses["answer"].value_counts().reindex(list(self.theme.scale.categories), fill_value=0)
        offered = {*self.theme.scale.codes, *self.theme.scale.offered_off_scale}
        answers = {str(k): int(v) for k, v in counts.items() if str(k) in offered or int(v)}
        answers["blank"] = blank
        waves = list(self.waves) if "wave" in rec.fields else []
        leaders = len(set(leader[keep].tolist()))
        report = ImportReport(
            source=self.source,
            file_type=raw.file_type,
            layout=rec.layout,
            header_row=int(rec.header_row or 0),
            columns={f: self._name(j) for f, j in rec.fields.items()},
            item_columns={i: self._name(j) for i, j in rec.items.items()},
            ignored_columns=[self._name(j) for j in rec.ignored],
            rows_read=self.n,
            rows_kept=int(keep.sum()),
            rows_excluded=int((~keep).sum()),
            blank_rows=self.blank_rows,
            problems=self.problems,
            leaders=int(leaders),
            waves=waves,
            respondents_by_role=respondents,
            answers_by_category=answers,
            encoding=raw.encoding,
            delimiter=raw.delimiter,
            sheet=raw.sheet,
            wave_order=self.wave_order if waves else None,
            status=self.status_rule,
            leader_merges=self.leader_merges,
            readings=sorted(self.readings.values(), key=lambda r: (r["via"], r["column"], r["value"])),
            codebook={"source": raw.codebook_source, "codes": dict(sorted(self.codebook_used.items()))}
            if self.codebook_used else None,
            extra_header_rows=[int(raw.row_numbers[i]) for i in rec.extra_header_rows],
            notes=self.notes,
            sheets=list(raw.sheets),
            sheet_reason=raw.sheet_reason,
            sheet_candidates=list(raw.sheet_candidates),
            excluded_by_reason=dict(self.excluded),
        )
        return ImportResult(responses=responses, report=report)


@dataclass
class _RowTimes:
    """Submission times per row (seconds), the other reading of an ambiguous column, and a few of its values."""

    seconds: np.ndarray
    other: np.ndarray | None
    ambiguous_examples: list[str]


def _group_codes(columns: list[np.ndarray]) -> np.ndarray:
    """One integer per row that is equal exactly when all ``columns`` are equal."""
    key = np.zeros(len(columns[0]) if columns else 0, dtype=np.int64)
    for column in columns:
        codes, uniques = pd.factorize(column)
        key = key * (len(uniques) + 1) + codes
        if len(key) and key.max() > 2**40:  # keep the combined code small: renumber
            key = pd.factorize(key)[0].astype(np.int64)
    return key


def _categorical(values: np.ndarray, pos: np.ndarray) -> pd.Categorical:
    """``values[pos]`` as a categorical, factorising the (shorter) per-row array once."""
    codes, uniques = pd.factorize(values, sort=False)
    taken = codes[pos]
    used = np.flatnonzero(np.bincount(taken, minlength=len(uniques)))
    if len(used) <= 10_000:  # readable order for leaders, departments, rounds
        used = used[np.argsort(uniques[used].astype(str), kind="stable")]
    remap = np.full(len(uniques), -1, dtype=np.int64)
    remap[used] = np.arange(len(used))
    return pd.Categorical.from_codes(remap[taken], categories=pd.Index(uniques[used], dtype=object))
