"""Tidy data for R, Stata and SPSS: one row per answer with a codebook, anonymity applied, read back the same."""

from __future__ import annotations

import pandas as pd
import pyreadstat
import pytest

from dol_toolkit.export.tidy import codebook, write_tidy
from dol_toolkit.stats import AnonymityPolicy
from dol_toolkit.survey import read_export
from dol_toolkit.themes import load_theme


@pytest.fixture(scope="module")
def responses(repo):
    return read_export(repo / "data/samples/ledelsesevaluering_digital_omstilling.csv").responses


def test_the_files_hold_every_answer_but_the_employees_of_small_leader_rounds(responses, tmp_path):
    result = write_tidy(responses, tmp_path)
    assert [p.name for p in result.files] == ["answers.csv", "answers_codebook.csv", "answers.dta", "answers.sav"]
    employees = responses[responses["role"] == "employee"]
    sizes = employees.groupby(["leader_id", "wave"], observed=True)["respondent_id"].nunique()
    small = sizes[sizes < 5]
    assert result.left_out_leader_rounds == len(small) > 0
    left = employees.set_index(["leader_id", "wave"]).index.isin(small.index)
    assert result.left_out_answers == int(left.sum())
    assert result.rows == len(responses) - result.left_out_answers
    csv = pd.read_csv(result.files[0], dtype=str, keep_default_na=False)
    assert len(csv) == result.rows
    helle = csv[(csv["leader_id"] == "Helle Kjeldsen") & (csv["wave"] == "2026")]
    assert set(helle["role"]) == {"self", "manager"}  # her employees' answers are not in the file
    for path in result.files[2:]:
        read = pyreadstat.read_dta if path.suffix == ".dta" else pyreadstat.read_sav
        frame, meta = read(str(path))
        assert len(frame) == result.rows and list(frame.columns) == list(csv.columns)
        assert (frame["leader_id"] == csv["leader_id"]).all()
        assert frame["value"].sum() == pytest.approx(pd.to_numeric(csv["value"], errors="coerce").sum())
        assert meta.variable_value_labels["value"][1] == "Strongly disagree"
        assert "Who answers" in meta.column_labels


def test_a_stricter_limit_leaves_out_more_and_the_codebook_speaks_danish(responses, tmp_path):
    loose = write_tidy(responses, tmp_path / "a")
    strict = write_tidy(responses, tmp_path / "b", policy=AnonymityPolicy(min_n=10))
    assert strict.left_out_answers > loose.left_out_answers
    book = codebook(load_theme(), "da")
    assert list(book["variable"]) == ["respondent_id", "leader_id", "role", "item_id", "value", "answer", "wave",
                                      "department"]
    assert "1 = Helt uenig" in book.set_index("variable").loc["value", "values"]
    assert "dont_know = Ved ikke" in book.set_index("variable").loc["answer", "values"]
