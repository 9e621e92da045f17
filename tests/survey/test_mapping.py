"""Mapping files (TOML) describe what is not recognised: columns, items, roles, answers, sheet and header row."""

from __future__ import annotations

import pytest

from dol_toolkit.survey import Mapping, SurveyImportError, load_mapping, read_export
from tests.survey.builders import (
    EMPLOYEE_DA,
    HEADER,
    ITEM_IDS,
    WIDE_ROWS,
    answer_of,
    assert_counts_add_up,
    wide_table,
    write_csv,
    write_xlsx,
)

CUSTOM_HEADER = ["Løbenr", "Periode", "Område", "Chef-nr", "Chef", "Type", "Q1", "Q2", "Q3", "Q4", "Q5", "Note"]
CUSTOM_ROWS = [
    ["1", "Forår 2024", "Teknik", "C-1", "Søren Ærø", "Ansat", "Meget enig", "Lidt uenig", "3", "Ikke relevant", ""],
    ["2", "Forår 2024", "Teknik", "C-1", "Søren Ærø", "Chefen selv", "4", "4", "4", "4", "4"],
    ["3", "Forår 2024", "Teknik", "C-1", "Søren Ærø", "Direktør", "5", "5", "Vil ikke svare", "2", "1"],
    ["4", "Forår 2024", "Teknik", "C-2", "Åse Ødegård", "Ansat", "Meget uenig", "1", "1", "1", "Helt enig"],
    ["5", "Forår 2024", "Teknik", "C-2", "Åse Ødegård", "Praktikant", "1", "1", "1", "1", "1"],
]
CUSTOM_TOML = """
[file]
header_row = 1

[columns]
leader_id = "Chef-nr"
leader_name = "Chef"
role = "Type"
department = "Område"
wave = "Periode"
respondent_id = "Løbenr"

[columns.items]
competences = "Q1"
rationale = "Q2"
citizen_value = "Q3"
curiosity_culture = "Q4"
it_security = "Q5"

[roles]
"Ansat" = "employee"
"Chefen selv" = "self"
"Direktør" = "manager"

[answers]
"Meget enig" = 5
"Meget uenig" = 1
"Lidt uenig" = 2
"Ikke relevant" = "dont_know"
"Vil ikke svare" = "prefer_not"
"""


def custom_file(tmp_path):
    rows = [[*r, "fri tekst"] for r in CUSTOM_ROWS]
    return write_csv(tmp_path / "custom.csv", [CUSTOM_HEADER, *rows], delimiter=";")


def check_custom(result) -> None:
    rep = result.report
    assert_counts_add_up(rep)
    assert rep.rows_read == 5
    assert rep.rows_kept == 4
    assert [(p.row, p.column, p.value, p.code) for p in rep.problems] == [(6, "Type", "Praktikant", "unknown_role")]
    assert rep.respondents_by_role == {"employee": 2, "self": 1, "manager": 1}
    assert rep.leaders == 2
    assert rep.waves == ["Forår 2024"]
    assert rep.item_columns == {f: f"Q{k + 1}" for k, f in enumerate(ITEM_IDS)}
    assert "Note" in rep.ignored_columns
    df = result.responses
    assert answer_of(result, "C-1", "self", "it_security")["value"] == 4.0
    assert answer_of(result, "C-1", "self", "it_security")["leader_name"] == "Søren Ærø"
    r1 = df[df["respondent_id"].astype(str) == "1"].set_index("item_id")["answer"].astype(str).to_dict()
    assert {str(k): v for k, v in r1.items()} == {
        "competences": "5", "rationale": "2", "citizen_value": "3", "curiosity_culture": "dont_know",
    }
    assert answer_of(result, "C-1", "manager", "citizen_value")["answer"] == "prefer_not"
    assert answer_of(result, "C-2", "employee", "competences")["value"] == 1.0
    assert set(df["department"].astype(str)) == {"Teknik"}
    assert rep.answers_by_category["blank"] == 1


def test_without_mapping_the_custom_file_is_not_importable(tmp_path):
    with pytest.raises(SurveyImportError) as info:
        read_export(custom_file(tmp_path))
    assert "--write-mapping" in info.value.message("en")


def test_mapping_as_toml_file(tmp_path):
    (tmp_path / "m.toml").write_text(CUSTOM_TOML, encoding="utf-8")
    check_custom(read_export(custom_file(tmp_path), mapping=tmp_path / "m.toml"))
    check_custom(read_export(custom_file(tmp_path), mapping=str(tmp_path / "m.toml")))


def test_mapping_toml_with_bom(tmp_path):
    (tmp_path / "m.toml").write_bytes(b"\xef\xbb\xbf" + CUSTOM_TOML.encode("utf-8"))
    check_custom(read_export(custom_file(tmp_path), mapping=tmp_path / "m.toml"))


def test_mapping_as_object_and_dict(tmp_path):
    (tmp_path / "m.toml").write_text(CUSTOM_TOML, encoding="utf-8")
    mapping = load_mapping(tmp_path / "m.toml")
    assert isinstance(mapping, Mapping)
    check_custom(read_export(custom_file(tmp_path), mapping=mapping))
    import tomllib

    check_custom(read_export(custom_file(tmp_path), mapping=tomllib.loads(CUSTOM_TOML)))


def test_mapping_labels_in_any_case(tmp_path):
    rows = [[r[0], r[1], r[2], r[3], r[4], r[5].upper(), *[v.lower() for v in r[6:]]] for r in CUSTOM_ROWS]
    path = write_csv(tmp_path / "c.csv", [CUSTOM_HEADER[:-1], *rows])
    result = read_export(path, mapping={**_toml(), "file": {}})
    assert result.report.respondents_by_role == {"employee": 2, "self": 1, "manager": 1}
    assert answer_of(result, "C-1", "manager", "citizen_value")["answer"] == "prefer_not"


def _toml():
    import tomllib

    return tomllib.loads(CUSTOM_TOML)


def test_partial_mapping_adds_to_recognition(tmp_path):
    """Only a custom role label mapped; everything else recognised."""
    rows = [list(r) for r in WIDE_ROWS]
    rows[0][4] = "Vikar"
    path = write_csv(tmp_path / "x.csv", wide_table(rows=rows))
    without = read_export(path).report
    assert [(p.row, p.code) for p in without.problems] == [(2, "unknown_role")]
    with_mapping = read_export(path, mapping={"roles": {"VIKAR": "employee"}}).report
    assert with_mapping.problems == []
    assert with_mapping.respondents_by_role == {"employee": 4, "self": 3, "manager": 1}


def test_mapping_answer_label_overrides_builtin(tmp_path):
    rows = [list(r) for r in WIDE_ROWS]
    path = write_csv(tmp_path / "x.csv", wide_table(rows=rows))
    # an organisation where "Ved ikke" is coded as prefer_not (odd, but the mapping wins)
    result = read_export(path, mapping={"answers": {"Ved ikke": "prefer_not"}})
    assert result.report.answers_by_category["dont_know"] == 0
    assert result.report.answers_by_category["prefer_not"] == 2


def test_mapping_column_wins_over_recognised_column(tmp_path):
    header = [*HEADER[:5], "competences", *EMPLOYEE_DA[1:], "Kompetencer (ny)"]
    rows = [[*r, "1"] for r in WIDE_ROWS]
    result = read_export(write_csv(tmp_path / "x.csv", [header, *rows]),
                         mapping={"columns": {"items": {"competences": "Kompetencer (ny)"}}})
    assert result.report.item_columns["competences"] == "Kompetencer (ny)"
    assert set(result.responses[result.responses["item_id"].astype(str) == "competences"]["value"]) == {1.0}


def test_mapping_header_row(tmp_path):
    table = [["Leder", "Rolle", "Note"], ["x", "y", "z"], [], ["Chef", "Type", *[f"Q{k}" for k in range(1, 6)]],
             ["Søren Ærø", "Leder", "1", "2", "3", "4", "5"]]
    path = write_csv(tmp_path / "x.csv", table)
    mapping = {"file": {"header_row": 4},
               "columns": {"leader_name": "Chef", "role": "Type", "items": {i: f"Q{k + 1}" for k, i in
                                                                            enumerate(ITEM_IDS)}}}
    result = read_export(path, mapping=mapping)
    rep = result.report
    assert rep.header_row == 4
    assert rep.rows_read == 1
    assert answer_of(result, "Søren Ærø", "self", "curiosity_culture")["value"] == 4.0
    assert answer_of(result, "Søren Ærø", "self", "it_security")["row"] == 5


def test_mapping_header_row_excel_with_sheet(tmp_path):
    table = [["Rapport"], [], [], ["Chef", "Type", *[f"Q{k}" for k in range(1, 6)]],
             ["Søren Ærø", "Leder", 1, 2, 3, 4, 5], ["Søren Ærø", "Lærling", 1, 2, 3, 4, 5]]
    path = write_xlsx(tmp_path / "x.xlsx", table, title="Svar", before=[("Forside", [["Velkommen"]])])
    toml = tmp_path / "m.toml"
    toml.write_text(
        '[file]\nsheet = "Svar"\nheader_row = 4\n[columns]\nleader_name = "Chef"\nrole = "Type"\n[columns.items]\n'
        + "\n".join(f'{i} = "Q{k + 1}"' for k, i in enumerate(ITEM_IDS)),
        encoding="utf-8",
    )
    result = read_export(path, mapping=toml)
    rep = result.report
    assert rep.sheet == "Svar"
    assert rep.header_row == 4
    assert [(p.row, p.value) for p in rep.problems] == [(6, "Lærling")]
    assert answer_of(result, "Søren Ærø", "self", "it_security")["row"] == 5


def test_long_layout_mapping(tmp_path):
    header = ["Besvarelse", "Chef", "Type", "Spm", "Værdi"]
    rows = [
        ["B1", "Søren Ærø", "Ansat", "Spm. 1", "Meget enig"],
        ["B1", "Søren Ærø", "Ansat", "Spm. 5", "2"],
        ["B2", "Søren Ærø", "Selv", "Spm. 5", "4"],
        ["B2", "Søren Ærø", "Selv", "Spm. 9", "4"],  # row 5: unknown item
    ]
    toml = """
[columns]
respondent_id = "Besvarelse"
leader_name = "Chef"
role = "Type"
item = "Spm"
answer = "Værdi"

[roles]
"Ansat" = "employee"
"Selv" = "self"

[answers]
"Meget enig" = 5

[items]
"Spm. 1" = "competences"
"Spm. 5" = "it_security"
"""
    (tmp_path / "m.toml").write_text(toml, encoding="utf-8")
    result = read_export(write_csv(tmp_path / "l.csv", [header, *rows]), mapping=tmp_path / "m.toml")
    rep = result.report
    assert rep.layout == "long"
    assert_counts_add_up(rep)
    assert [(p.row, p.column, p.value, p.code) for p in rep.problems] == [(5, "Spm", "Spm. 9", "unknown_item")]
    assert answer_of(result, "Søren Ærø", "self", "it_security")["value"] == 4.0
    assert answer_of(result, "Søren Ærø", "employee", "competences")["value"] == 5.0
    assert rep.respondents_by_role == {"employee": 1, "self": 1, "manager": 0}


# ------------------------------------------------------------------------------------------------ bad mappings
def bad(tmp_path, mapping, path=None) -> SurveyImportError:
    path = path or write_csv(tmp_path / "x.csv", wide_table())
    try:
        read_export(path, mapping=mapping)
    except SurveyImportError as exc:
        assert exc.message("da") and exc.message("en")
        return exc
    except Exception as exc:  # pragma: no cover
        pytest.fail(f"raised {type(exc).__name__} instead of SurveyImportError: {exc!r}")
    pytest.fail("no error")


def test_mapping_file_missing(tmp_path):
    exc = bad(tmp_path, tmp_path / "nope.toml")
    assert "nope.toml" in exc.message("en")


def test_mapping_not_toml(tmp_path):
    (tmp_path / "m.toml").write_text("[columns\nleader = ", encoding="utf-8")
    exc = bad(tmp_path, tmp_path / "m.toml")
    assert "m.toml" in exc.message("en")


def test_mapping_not_utf8(tmp_path):
    (tmp_path / "m.toml").write_bytes('[roles]\n"Ansat" = "employee"\n"Direktør" = "manager"\n'.encode("cp1252"))
    bad(tmp_path, tmp_path / "m.toml")


@pytest.mark.parametrize(
    "mapping",
    [
        {"roles": {"Ansat": "boss"}},
        {"answers": {"Meget enig": 7}},
        {"answers": {"Meget enig": 0}},
        {"answers": {"Meget enig": "maybe"}},
        {"columns": {"leader": "Chef"}},  # not a field name
        {"colums": {}},
        {"file": {"header_row": -1}},
        {"file": {"sheet": 3}},
    ],
)
def test_invalid_mapping_content(tmp_path, mapping):
    bad(tmp_path, mapping)


def test_mapping_names_a_missing_column(tmp_path):
    exc = bad(tmp_path, {"columns": {"role": "Type"}})
    assert "Type" in exc.message("en")
    assert "Rolle" in exc.message("en")  # lists the columns there are


def test_mapping_unknown_item_id_in_columns_items(tmp_path):
    header = [*HEADER[:5], "Q1", *EMPLOYEE_DA[1:]]
    path = write_csv(tmp_path / "x.csv", wide_table(header=header))
    (tmp_path / "m.toml").write_text('[columns.items]\nkompetencer = "Q1"\n', encoding="utf-8")
    exc = bad(tmp_path, tmp_path / "m.toml", path=path)
    assert "kompetencer" in exc.message("en")
    assert "competences" in exc.message("en")  # says which ids exist


def test_mapping_error_names_the_mapping_file(tmp_path):
    """A bad mapping FILE is named in the message (not a placeholder such as 'mapping')."""
    header = [*HEADER[:5], "Q1", *EMPLOYEE_DA[1:]]
    path = write_csv(tmp_path / "x.csv", wide_table(header=header))
    (tmp_path / "my_mapping.toml").write_text('[columns.items]\nkompetencer = "Q1"\n', encoding="utf-8")
    exc = bad(tmp_path, tmp_path / "my_mapping.toml", path=path)
    assert "my_mapping.toml" in exc.message("en"), exc.message("en")


def test_mapping_unknown_item_id_in_items(tmp_path):
    table = [["Respondent-ID", "Leder", "Rolle", "Spørgsmål", "Svar"], ["R1", "A", "Medarbejder", "Spm 1", "4"]]
    path = write_csv(tmp_path / "l.csv", table)
    exc = bad(tmp_path, {"items": {"Spm 1": "kompetencer"}}, path=path)
    assert "kompetencer" in exc.message("en")


def test_mapping_header_row_beyond_the_file(tmp_path):
    bad(tmp_path, {"file": {"header_row": 500}})


def test_mapping_sheet_on_csv_is_harmless_or_clear(tmp_path):
    """A sheet name for a CSV file: either ignored or a clear SurveyImportError."""
    try:
        result = read_export(write_csv(tmp_path / "x.csv", wide_table()), mapping={"file": {"sheet": "Data"}})
    except SurveyImportError:
        return
    assert result.report.rows_read == 8
