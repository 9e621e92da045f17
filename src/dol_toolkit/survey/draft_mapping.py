"""Write a starting mapping file from what the importer recognised, for a facilitator to edit."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import tomli_w

from dol_toolkit.survey.errors import SurveyImportError
from dol_toolkit.survey.importer import (
    ImportReport,
    Recognition,
    _cell_text,
    _texts,
    read_and_recognise,
    read_export,
    recognise,
    summary_labels,
)
from dol_toolkit.survey.mapping import FIELDS, FileSettings, Mapping, as_mapping
from dol_toolkit.survey.readers import read_raw
from dol_toolkit.survey.vocabulary import answer_labels, match_field, normalise, parse_answer, parse_role, squash
from dol_toolkit.themes import Theme, load_theme

_MAX_LABELS = 40


def _line(key: str, value: object) -> str:
    return tomli_w.dumps({key: value}).strip()


def draft_mapping(path: str | Path, mapping: object = None, theme: Theme | None = None) -> str:
    """The text of a mapping file for ``path``: recognised columns filled in, the rest as comments to edit.

    Works on files that cannot be imported yet (that is what it is for); raises SurveyImportError only when
    the file cannot be read at all.
    """
    theme = theme or load_theme()
    current = as_mapping(mapping)  # type: ignore[arg-type]
    raw, rec = read_and_recognise(path, current, theme)
    # What the import does with the file as it is: the draft never says a column is used that the import
    # leaves out (a "Status" of something else, a column named Test that is no flag).
    try:
        report: ImportReport | None = read_export(path, current, theme).report
    except SurveyImportError:
        report = None
    notes = {n["code"]: n for n in report.notes} if report else {}
    if rec.header_index is None:  # nothing recognised: offer the first non-empty row's cells as the headers
        filled = [i for i in range(len(raw.cells)) if (_texts(raw.cells.iloc[i]) != "").any()]
        if filled:
            guess = current.model_copy(update={"file": FileSettings(header_row=int(raw.row_numbers[filled[0]]))})
            rec = recognise(raw, guess, theme, str(path))
    out = [
        f"# Import mapping for {Path(path).name}, written by `dol validate --write-mapping` on {date.today()}.",
        "# Check each line, fill in what is commented out, then use it:",
        f"#   dol validate {path} --mapping THIS_FILE",
        "",
        "[file]",
    ]
    if raw.sheet:
        out.append(_line("sheet", raw.sheet))
    if rec.header_row is not None:
        out.append(_line("header_row", rec.header_row) + ("" if rec.fields or rec.items else "   # CHECK: a guess"))
    else:
        out.append("# header_row = 1   # the row with the column headers: not found, set it")
    out += ["", "[columns]"]
    names = rec.names
    for field in FIELDS:
        if field in rec.fields:
            out.append(_line(field, names[rec.fields[field]]))
        elif field in ("role",) or (field == "leader_id" and "leader_name" not in rec.fields):
            out.append(f'# {field} = ""   # NOT FOUND: the header of this column (required)')
        elif field == "wave" and "round_like" in notes:
            note = notes["round_like"]
            out.append(f"# {_line(field, note['column'])}   # CHECK: looks like the round ({note['values']}); "
                       "without it the rounds are pooled")
        else:
            out.append(f'# {field} = ""')
    ignored = set(report.ignored_columns) if report else {names[j] for j in rec.ignored}
    unused = [n for n in names if n and n in ignored]
    if unused:
        out.append("# Columns not recognised: " + ", ".join(_line("x", n)[4:] for n in unused))
    out += ["", "[columns.items]   # an item's column, or its columns per role: {employee = ..., self = ...}"]
    for item in theme.items:
        if item.id in rec.items:
            out.append(_item_line(item.id, _item_value(rec, item.id)))
        else:
            out.append(f'# {item.id} = ""   # NOT FOUND: the column of "{item.wording.employee.da}"')
    out += ["", "[status]   # which rows are completed responses (only they count)"]
    out += _status_lines(rec, report)
    summary_rows = [p.row for p in report.problems if p.code == "summary_row"] if report else []
    if summary_rows:
        out.append(f"# rows {', '.join(str(r) for r in summary_rows)}: summary rows (Total, I alt, Gennemsnit) "
                   "under the data; the import leaves them out")
    out += ["", "[roles]   # employee | self | manager"]
    out += _role_lines(rec, current.role_labels())
    out += ["", f"[answers]   # 1-{theme.scale.maximum} | \"dont_know\" | \"prefer_not\""]
    out += _answer_lines(rec, theme, current.answer_labels(), current.blank_texts())
    out += _roster_lines(path, rec, current)
    out += ["", "[leaders]   # another spelling of a leader's name = the name to use",
            '# "A. Østergård" = "Ane Østergård"',
            "", "[rounds]   # the order of the rounds, earliest first (default: by the year they begin)",
            '# order = ["2024", "2024-2025", "2026"]']
    out.append("")
    return "\n".join(out)


def _roster_lines(path: str | Path, rec: Recognition, current: Mapping) -> list[str]:
    """A [roster] when the answers name leaders by id only and another sheet of the workbook holds those ids
    (with names and departments beside them): proposed, for the facilitator to check."""
    if current.roster is not None or "leader_id" not in rec.fields or "leader_name" in rec.fields:
        return []
    ids = set(_distinct(rec, rec.fields["leader_id"], limit=None))
    for sheet in rec.raw.sheets:
        if sheet == rec.raw.sheet or not ids:
            continue
        try:
            cells = read_raw(path, sheet=sheet).cells
        except SurveyImportError:
            continue
        for i in reversed(range(min(20, len(cells) - 1))):  # the header: the last row above the ids
            header = [_cell_text(v) for v in cells.iloc[i].tolist()]
            if sum(bool(h) for h in header) < 2:
                continue
            for j, name in enumerate(header):
                values = set(_texts(cells.iloc[i + 1:, j]).tolist()) - {""}
                if not name or name in ids or len(values & ids) * 2 < len(ids):
                    continue
                lines = ["", "[roster]   # PROPOSED: this sheet holds the answers' leader ids; check the columns",
                         _line("sheet", sheet), _line("id", name)]
                for field, words in (("name", ("navn", "name", "ledernavn", "leder", "leader", "fuldtnavn")),
                                     ("department", ())):
                    k = next((k for k, h in enumerate(header) if k != j and h and (
                        match_field(h) == field or squash(h) in words)), None)
                    lines.append(_line(field, header[k]) if k is not None else f'# {field} = ""')
                covered = len(values & ids)
                lines.append(f"# {covered} of the answers' {len(ids)} leader ids are on the sheet")
                return lines
    return []


def _item_line(key: str, value: str | list[str] | dict[str, str]) -> str:
    """``key = value`` with a table written inline (the section's other lines stay in [columns.items])."""
    if isinstance(value, dict):
        parts = ", ".join(f"{role} = {_line('x', name)[4:]}" for role, name in value.items())
        return f"{_line(key, '')[:-5].rstrip()} = {{{parts}}}"
    return _line(key, value)


def _item_value(rec: Recognition, item_id: str) -> str | list[str] | dict[str, str]:
    """An item's column(s) as the mapping writes them: every column the importer uses for it, so that filling
    in the draft keeps the self and own-leader columns."""
    columns = [rec.items[item_id], *rec.extra_items.get(item_id, [])]
    names = [rec.names[j] for j in columns]
    if len(columns) == 1:
        return names[0]
    roles = [rec.column_roles.get(j) for j in columns]
    if None not in roles and len(set(roles)) == len(roles):
        return {str(role): name for role, name in zip(roles, names, strict=True)}
    return names


def _status_lines(rec: Recognition, report: ImportReport | None) -> list[str]:
    """The completion rule: what the import uses, as comments (it applies without them); lines to set it."""
    status = rec.status
    rule = report.status if report else None
    used = bool(status and status.indices and (rule is None or rule["columns"]))
    lines: list[str] = []
    if status is None or not used:
        if status is not None and status.words and status.completed:
            j = status.completed[0][0]
            lines.append(f"# {_line('x', rec.names[j])[4:]} is not read as a status: none of its values says "
                         "completed")
        lines += ['# column = ""   # no status column used: name it if the export has one',
                  '# completed = ["Gennemført"]']
    else:
        assert status is not None
        columns = ", ".join(rec.names[j] for j in status.indices)
        lines.append(f"# recognised ({status.source}): {columns}; only completed responses count")
        if status.completed:
            j, values = status.completed[0]
            lines.append(f"# column = {_line('x', rec.names[j])[4:]}")
            lines.append(f"# completed = [{', '.join(_line('x', v)[4:] for v in sorted(values))}]")
    conditions = {c["kind"]: c for c in (rule or {}).get("conditions", [])}
    if "test" in conditions:
        test = conditions["test"]
        lines.append(f"# test_column = {_line('x', test['column'])[4:]}   # recognised: its test answers are left "
                     f"out when it says {', '.join(test['values'])}")
    else:
        lines.append('# test_column = ""   # a column marking test and preview answers, if the export has one')
    if "progress" in conditions:
        lines.append(f"# progress_column = {_line('x', conditions['progress']['column'])[4:]}   # recognised: "
                     f"completed at {conditions['progress']['min']:g}")
    lines.append("# use = false   # to count every row, whatever its status")
    return lines


def _distinct(rec: Recognition, j: int, limit: int | None = _MAX_LABELS) -> list[str]:
    """The distinct values of column ``j`` under the header, as the import reads them (through value labels),
    summary rows ("Total", "I alt") left out."""
    assert rec.header_index is not None
    body = rec.raw.cells.iloc[rec.header_index + 1 + len(rec.extra_header_rows) :]
    texts = {k: _texts(body.iloc[:, k]) for k in range(body.shape[1])}
    fields = [rec.fields[f] for f in ("leader_name", "leader_id", "role", "respondent_id") if f in rec.fields]
    summary, _ = summary_labels(texts, fields, rec.fields.get("role"), rec.fields.get("respondent_id"))
    values = texts[j][summary == ""]
    labels = {_cell_text(k): v for k, v in (rec.raw.value_labels.get(rec.names[j]) or {}).items()}
    seen = dict.fromkeys(str(labels.get(v, v)) for v in np.unique(values[values != ""]))
    return list(seen)[:limit]


def _role_lines(rec: Recognition, extra: dict[str, str]) -> list[str]:
    if "role" not in rec.fields:
        return ["# (no role column recognised yet)"]
    lines = []
    for value in _distinct(rec, rec.fields["role"]):
        role = parse_role(value, extra)
        lines.append(_line(value, role) if role else f"# {_line(value, 'employee | self | manager')}   # UNKNOWN")
    return lines


def _answer_lines(rec: Recognition, theme: Theme, extra: dict[str, str], blanks: frozenset[str]) -> list[str]:
    labels = {**answer_labels(theme), **extra}
    columns = [*rec.items.values(), *(c for extra in rec.extra_items.values() for c in extra)]
    columns = columns or ([rec.fields["answer"]] if "answer" in rec.fields else [])
    if not columns:
        return ["# no item or answer column recognised yet: the answer labels are checked once there is one"]
    unknown: dict[str, str] = {}
    for j in columns:
        book = rec.raw.codebook_for(rec.names[j])
        for value in _distinct(rec, j):
            if normalise(value) in extra:
                continue
            shown = book.get(value, value)
            parsed = parse_answer(shown, labels, theme.scale.maximum, blanks=blanks)
            if parsed.problem == "unknown_label":
                unknown.setdefault(value, "UNKNOWN label" + (f" (code book: {shown})" if shown != value else ""))
            elif parsed.problem == "out_of_range":  # a code such as 6 or 9 whose meaning the file does not say
                unknown.setdefault(value, f"a code outside the 1-{theme.scale.maximum} scale, its meaning not in "
                                          "the file")
    if not unknown:
        return ["# every answer label was recognised"]
    # No meaning is proposed for a code or label the toolkit does not know: the facilitator sets it.
    return [f"# {_line(v, '')}   # {why}: set 1-{theme.scale.maximum}, \"dont_know\" or \"prefer_not\""
            for v, why in unknown.items()]
