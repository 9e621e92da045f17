"""Mapping files (TOML): what the importer cannot recognise on its own.

```toml
[file]
sheet = "Data"          # Excel: the sheet to read (default: the first)
header_row = 3          # the row of the column headers, as the spreadsheet numbers it (default: found)

[columns]               # which column is what (by its header text)
leader_id = "Chef-nr"
leader_name = "Chef"
role = "Type"
department = "Område"
wave = "Periode"
respondent_id = "Løbenr"  # a person key (respondent key, employee number, e-mail hash): a person counts once
response_id = "Svar-ID"  # a submission's own id
submitted = "Sluttid"    # when each submission was sent: the latest of a person's submissions counts
item = "Spørgsmål"      # long layout: the column naming the item
answer = "Svar"         # long layout: the answer

[columns.items]         # wide layout: the column of each item
competences = "Q1"

[roles]                 # role labels -> employee | self | manager
"Ansat" = "employee"

[answers]               # answer labels -> a point of the theme's scale (1-5) | "dont_know" | "prefer_not"
"Meget enig" = 5

[items]                 # long layout: item labels -> item id
"Spm. 1" = "competences"

[status]                # which rows are completed responses (default: recognised status columns)
column = "Status"       # the column saying whether a response is completed
completed = ["Gennemført", "4"]   # its values that count; every other row is left out and listed
test_column = "Testsvar"          # a column marking test and preview answers (default: recognised by name)
test_values = ["1", "Ja"]         # its values that mark a test (default: 1, ja, yes, true, x, test, preview)
progress_column = "Progress"      # a column with the share of the survey answered (default: recognised)
min_progress = 100                # the progress that counts as completed
# use = false           # count every row, whatever its status

[leaders]               # aliases: a spelling of a leader -> the leader it is
"A. Østergård" = "Ane Østergård"

[rounds]
order = ["2023", "2024-2025", "2026"]   # the order of the rounds (default: by the year they begin)

[blanks]
values = ["NULL", "NA", "N/A", "#N/A", "-", "."]   # answers written like this are skipped questions

[roster]                # leaders by id: their names and departments on another sheet or in another file
sheet = "Organisation"  # a sheet of the export's workbook, or: file = "org.xlsx" (relative to the mapping file)
id = "Leder-ID"         # the column holding the ids the answers' leader_id column holds
name = "Navn"
department = "Afdeling"
```
Item columns may be given per role when the export words each item for each respondent:
``competences = {employee = "Q1", self = "Q1_selv", manager = "Q1_leder"}`` (or a list of columns).
A code book (answer codes and their labels) is read from a sheet of the workbook that holds one, or from
``[file] codebook = "labels.xlsx"`` (a path relative to the mapping file).

Every section is optional; what a mapping names wins over what is recognised.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from dol_toolkit.survey.errors import SurveyImportError
from dol_toolkit.survey.vocabulary import blank_form, leader_key, normalise

FIELDS = (
    "leader_id", "leader_name", "role", "department", "unit", "group", "wave", "respondent_id", "response_id",
    "submitted", "item", "answer",
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# Answers written as text that mean a skipped question (compared by vocabulary.blank_form: case and spacing do not
# matter).
DEFAULT_BLANKS = ("NULL", "NA", "N/A", "#N/A", "-", ".", "n.a.", "none", "#NULL!", "(blank)", "(tom)", "(mangler)")


class FileSettings(_Model):
    sheet: str | None = None
    header_row: int | None = Field(default=None, ge=0)
    codebook: str | None = None  # a file with answer codes and their labels


class StatusRule(_Model):
    """The conditions a completed response meets, each recognised where common: a status column and its
    completed values, a test flag column and its values that mark a test or preview, a progress column and the
    progress that counts as completed."""

    column: str | None = None
    completed: list[str] = Field(default_factory=list)
    test_column: str | None = None
    test_values: list[str] = Field(default_factory=list)
    progress_column: str | None = None
    min_progress: float = Field(default=100, gt=0, le=100)
    use: bool = True


class Roster(_Model):
    """Where the leaders' names and departments are when the answers carry only a leader id: a sheet of the
    export's workbook or a file of its own (relative to the mapping file), and its columns."""

    sheet: str | None = None
    file: str | None = None
    id: str
    name: str | None = None
    department: str | None = None


class RoundOrder(_Model):
    order: list[str] = Field(default_factory=list)


class Blanks(_Model):
    values: list[str] = Field(default_factory=lambda: list(DEFAULT_BLANKS))


class Columns(_Model):
    leader_id: str | None = None
    leader_name: str | None = None
    role: str | None = None
    department: str | None = None
    unit: str | None = None
    group: str | None = None
    wave: str | None = None
    respondent_id: str | None = None  # a person key: the same on every submission of one person
    response_id: str | None = None  # a submission's own id
    submitted: str | None = None  # when a submission was sent (the latest of a person's submissions counts)
    item: str | None = None
    answer: str | None = None
    # item id -> its column, or its columns (a list, or by role: {employee = ..., self = ..., manager = ...})
    items: dict[str, str | list[str] | dict[Literal["employee", "self", "manager"], str]] = Field(
        default_factory=dict)

    def fields(self) -> dict[str, str]:
        return {f: v for f in FIELDS if (v := getattr(self, f)) is not None}

    def item_columns(self) -> dict[str, list[tuple[str, str | None]]]:
        """Item id -> its columns, each with the role it is worded for (None: any role)."""
        out: dict[str, list[tuple[str, str | None]]] = {}
        for item_id, value in self.items.items():
            if isinstance(value, str):
                out[item_id] = [(value, None)]
            elif isinstance(value, list):
                out[item_id] = [(v, None) for v in value]
            else:
                out[item_id] = [(v, role) for role, v in value.items()]
        return out


class Mapping(_Model):
    """A mapping file, read and checked: which columns, roles, answer labels, items, rounds, statuses and blank
    texts an export uses that the importer does not recognise by itself (see the module's documentation)."""

    file: FileSettings = Field(default_factory=FileSettings)
    columns: Columns = Field(default_factory=Columns)
    roles: dict[str, Literal["employee", "self", "manager"]] = Field(default_factory=dict)
    answers: dict[str, int | Literal["dont_know", "prefer_not"]] = Field(default_factory=dict)
    items: dict[str, str] = Field(default_factory=dict)
    status: StatusRule = Field(default_factory=StatusRule)
    leaders: dict[str, str] = Field(default_factory=dict)
    rounds: RoundOrder = Field(default_factory=RoundOrder)
    blanks: Blanks = Field(default_factory=Blanks)
    roster: Roster | None = None
    # where the mapping file is (a code book's path is relative to it)
    base_dir: str | None = None

    @field_validator("answers")
    @classmethod
    def _scale(cls, value: dict[str, int | str]) -> dict[str, int | str]:
        # The top of the scale is the theme's; the importer checks it (:func:`check_scale`).
        bad = [k for k, v in value.items() if isinstance(v, int) and v < 1]
        if bad:
            raise ValueError("answers must map to a point of the scale (1, 2, ...), 'dont_know' or 'prefer_not'; "
                             f"check {', '.join(bad)}")
        return value

    def check_scale(self, maximum: int) -> None:
        """Refuse an answer mapped beyond the theme's scale (1-``maximum``)."""
        from dol_toolkit.survey.errors import SurveyImportError

        bad = [k for k, v in self.answers.items() if isinstance(v, int) and v > maximum]
        if bad:
            raise SurveyImportError(
                "bad_mapping", path=self.base_dir or "(mapping)",
                detail=f"[answers] maps {', '.join(repr(k) for k in bad)} beyond the theme's scale 1-{maximum} / "
                       f"[answers] sætter {', '.join(repr(k) for k in bad)} uden for temaets skala 1-{maximum}")

    # Normalised look-up tables for the importer.
    def role_labels(self) -> dict[str, str]:
        return {normalise(k): v for k, v in self.roles.items()}

    def answer_labels(self) -> dict[str, str]:
        return {normalise(k): str(v) for k, v in self.answers.items()}

    def item_labels(self) -> dict[str, str]:
        return {normalise(k): v for k, v in self.items.items()}

    def blank_texts(self) -> frozenset[str]:
        return frozenset(blank_form(v) for v in self.blanks.values)

    def leader_aliases(self) -> dict[str, str]:
        return {leader_key(k): v for k, v in self.leaders.items()}


def load_mapping(path: str | Path) -> Mapping:
    """Read a mapping file; a bad file raises SurveyImportError naming the file and what is wrong."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise SurveyImportError("bad_mapping", path=path, detail="file not found / filen findes ikke") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SurveyImportError("bad_mapping", path=path, detail=f"not valid TOML: {exc}") from None
    try:
        return Mapping.model_validate({**raw, "base_dir": str(path.parent)})
    except ValidationError as exc:
        details = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise SurveyImportError("bad_mapping", path=path, detail=details) from None


def as_mapping(mapping: Mapping | str | Path | dict[str, object] | None) -> Mapping:
    if mapping is None:
        return Mapping()
    if isinstance(mapping, Mapping):
        return mapping
    if isinstance(mapping, dict):
        try:
            return Mapping.model_validate(mapping)
        except ValidationError as exc:
            raise SurveyImportError("bad_mapping", path="(dict)", detail=str(exc)) from None
    return load_mapping(mapping)
