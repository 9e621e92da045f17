"""Write a starting mapping file from what the importer recognised, for a facilitator to edit."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import tomli_w

from dol_toolkit.survey.importer import Recognition, _texts, recognise
from dol_toolkit.survey.mapping import FIELDS, FileSettings, as_mapping
from dol_toolkit.survey.readers import read_raw
from dol_toolkit.survey.vocabulary import answer_labels, normalise, parse_answer, parse_role
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
    raw = read_raw(path, sheet=current.file.sheet)
    rec = recognise(raw, current, theme, str(path))
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
        else:
            out.append(f'# {field} = ""')
    unused = [names[j] for j in rec.ignored if names[j]]
    if unused:
        out.append("# Columns not recognised: " + ", ".join(_line("x", n)[4:] for n in unused))
    out += ["", "[columns.items]   # an item's column, or its columns per role: {employee = ..., self = ...}"]
    for item in theme.items:
        if item.id in rec.items:
            out.append(_item_line(item.id, _item_value(rec, item.id)))
        else:
            out.append(f'# {item.id} = ""   # NOT FOUND: the column of "{item.wording.employee.da}"')
    out += ["", "[status]   # which rows are completed responses (only they count)"]
    out += _status_lines(rec)
    out += ["", "[roles]   # employee | self | manager"]
    out += _role_lines(rec, current.role_labels())
    out += ["", f"[answers]   # 1-{theme.scale.maximum} | \"dont_know\" | \"prefer_not\""]
    out += _answer_lines(rec, theme, current.answer_labels(), current.blank_texts())
    out += ["", "[leaders]   # another spelling of a leader's name = the name to use",
            '# "A. Østergård" = "Ane Østergård"',
            "", "[rounds]   # the order of the rounds, earliest first (default: by the year they begin)",
            '# order = ["2024", "2024-2025", "2026"]']
    out.append("")
    return "\n".join(out)


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


def _status_lines(rec: Recognition) -> list[str]:
    """The status rule: what was recognised, as comments (it applies without them); a line to set it instead."""
    status = rec.status
    if status is None:
        return ['# column = ""   # no status column recognised: name it if the export has one',
                '# completed = ["Gennemført"]', "# use = false   # to count every row"]
    columns = ", ".join(rec.names[j] for j in status.indices)
    lines = [f"# recognised ({status.source}): {columns}; only completed responses count"]
    if status.completed:
        j, values = status.completed[0]
        lines.append(f"# column = {_line('x', rec.names[j])[4:]}")
        lines.append(f"# completed = [{', '.join(_line('x', v)[4:] for v in sorted(values))}]")
    lines.append("# use = false   # to count every row, whatever its status")
    return lines


def _distinct(rec: Recognition, j: int) -> list[str]:
    assert rec.header_index is not None
    values = _texts(rec.raw.cells.iloc[rec.header_index + 1 + len(rec.extra_header_rows) :, j])
    labels = rec.raw.value_labels.get(rec.names[j]) or {}
    seen = dict.fromkeys(str(labels.get(v, v)) for v in np.unique(values[values != ""]))
    return list(seen)[:_MAX_LABELS]


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
            elif parsed.problem == "out_of_range":  # a code such as 6 = "Ved ikke" or 9 = not answered
                unknown.setdefault(value, f"a code outside the 1-{theme.scale.maximum} scale")
    if not unknown:
        return ["# every answer label was recognised"]
    return [f"# {_line(v, 'dont_know')}   # {why}: set 1-{theme.scale.maximum}, \"dont_know\" or \"prefer_not\""
            for v, why in unknown.items()]
