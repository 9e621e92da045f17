"""Answers on the scale per item in the CLI, the report content and the documents (issue 24, point 5), on an
export written here: Ane has 5 employees, 2 of whom answered "Ved ikke" to the first item; Bo has 6 and Cai 7
employees, all on the scale. With ``[anonymity] min_answers_per_item = 4`` Ane's first item is hidden with its
reason, her other items show, and the group's figures leave her answers to that item out."""

from __future__ import annotations

from pathlib import Path

import pytest

from dol_toolkit.cli import main
from dol_toolkit.export import document_bytes
from dol_toolkit.report.documents import build_sheet, build_summary
from dol_toolkit.report.model import Document, Table
from dol_toolkit.stats.workshop_data import load_workshop_data
from dol_toolkit.themes import load_theme
from dol_toolkit.workshop import ConfigError, load_config
from tests.survey.builders import EMPLOYEE_DA, write_csv

THEME = load_theme()
FIRST, SECOND = (item.short("da") for item in THEME.items[:2])
HEADER = ["År", "Leder", "Afdeling", "Rolle", *EMPLOYEE_DA]


def _employees(leader: str, firsts: list[str], other: str) -> list[list[str]]:
    return [["2025", leader, "Drift", "Medarbejder", first, *[other] * 4] for first in firsts]


@pytest.fixture
def export(tmp_path: Path) -> Path:
    rows = [*_employees("Ane", ["4", "5", "2", "Ved ikke", "Ved ikke"], "4"),
            *_employees("Bo", ["1", "2", "3", "3", "4", "2"], "3"),
            *_employees("Cai", ["5", "5", "4", "4", "3", "2", "1"], "2")]
    rows += [["2025", x, "Drift", "Leder", *["4"] * 5] for x in ("Ane", "Bo", "Cai")]
    return write_csv(tmp_path / "svar.csv", [HEADER, *rows])


def _config(folder: Path, data: Path, extra: str = "") -> Path:
    path = folder / "workshop.toml"
    path.write_text(f'[workshop]\nname = "Drift"\n{extra}\n[data]\nfile = "{data.as_posix()}"\n\n'
                    '[group]\nleaders = ["Ane", "Bo", "Cai"]\n\n[notes]\ndatabase = "notes.sqlite"\n',
                    encoding="utf-8")
    return path


def _line(text: str, *parts: str) -> str:
    return next(x for x in text.splitlines() if all(p in x for p in parts))


def _table(document: Document, key: str) -> Table:
    found = [t for s in document.sections for t in s.blocks if isinstance(t, Table) and t.key == key]
    assert len(found) == 1
    return found[0]


def _rows(table: Table) -> dict[str, tuple[str, ...]]:
    return {row[0]: row[1:] for row in table.rows}


def test_the_cli_prints_the_answers_on_the_scale_beside_n(export: Path, capsys) -> None:
    assert main(["summary", str(export), "--leader", "Ane"]) == 0
    out = capsys.readouterr().out
    line = _line(out, "Ane", "medarbejdere", FIRST)
    assert "n=5  på skalaen=3  gns.=" in line and "ved ikke=2" in line
    assert main(["summary", str(export), "--leader", "Ane", "--min-answers-per-item", "4"]) == 0
    out = capsys.readouterr().out
    assert "skjult: færre end 4 svar på skalaen" in _line(out, "Ane", "medarbejdere", FIRST)
    assert "n=5  på skalaen=5" in _line(out, "Ane", "medarbejdere", SECOND)
    assert main(["summary", str(export), "--leader", "Ane", "Bo", "--min-answers-per-item", "4", "--lang",
                 "en"]) == 0
    out = capsys.readouterr().out
    first = _line(out, "The group", "employees", THEME.items[0].short("en"))
    assert "n=6  on the scale=6" in first and "without Ane: fewer than 4 answers on the scale" in first
    assert main(["summary", str(export), "--min-answers-per-item", "0"]) == 2
    assert "min_answers_per_item" in capsys.readouterr().err


def test_the_report_and_the_documents_print_n_on_the_scale(export: Path, tmp_path: Path) -> None:
    d = load_workshop_data(load_config(_config(tmp_path, export)))
    assert d.policy.min_answers_per_item is None
    sheet = build_sheet(d, "Ane")
    rows = _rows(_table(sheet, "answers"))
    assert rows[FIRST] == ("5", "3") and rows[SECOND] == ("5", "5")
    assert _table(sheet, "answers").header == ("Spørgsmål", "Svar i alt", "Svar på skalaen")
    markdown = document_bytes(sheet, "md").decode("utf-8")
    assert f"| {FIRST} | 5 | 3 |" in markdown
    html = document_bytes(sheet, "html").decode("utf-8")
    assert "Svar på skalaen" in html and ">3</td>" in html
    group = _rows(_table(build_summary(d.config, data=d), "answers"))
    assert group[FIRST] == ("18", "16")  # 5 + 6 + 7 answers, 2 of them "Ved ikke"


def test_min_answers_per_item_hides_the_item_and_the_group_does_not_give_it_back(export: Path,
                                                                                  tmp_path: Path) -> None:
    config = load_config(_config(tmp_path, export, "[anonymity]\nmin_answers_per_item = 4\n"))
    assert config.min_answers_per_item == 4
    d = load_workshop_data(config)
    sheet = build_sheet(d, "Ane")
    rows = _rows(_table(sheet, "answers"))
    assert rows[FIRST] == ("vises ikke: færre end 4 svar på skalaen", "")
    assert rows[SECOND] == ("5", "5")
    markdown = document_bytes(sheet, "md").decode("utf-8")
    assert "vises ikke: færre end 4 svar på skalaen" in markdown and f"| {SECOND} | 5 | 5 |" in markdown
    summary = build_summary(config, data=d)
    group = _rows(_table(summary, "answers"))
    # The group's first item is Bo's and Cai's answers only: the group minus the leaders shown is nothing of Ane.
    assert group[FIRST] == ("13", "13") and group[SECOND] == ("18", "18")
    bo, cai = (_rows(_table(build_sheet(d, x), "answers"))[FIRST] for x in ("Bo", "Cai"))
    assert int(group[FIRST][0]) - int(bo[0]) - int(cai[0]) == 0
    text = document_bytes(summary, "md").decode("utf-8")
    assert f"{FIRST}: 1 leders medarbejdersvar indgår ikke, fordi der er færre end 4 svar på skalaen." in text
    assert "Ane" not in text.split("svar på skalaen.")[0].rsplit("\n", 1)[-1]


@pytest.mark.parametrize("value", ["0", "-1", "true", '"4"', "2.5"])
def test_a_bad_min_answers_per_item_is_a_configuration_error(export: Path, tmp_path: Path, value: str) -> None:
    with pytest.raises(ConfigError, match="min_answers_per_item"):
        load_config(_config(tmp_path, export, f"[anonymity]\nmin_answers_per_item = {value}\n"))


def test_a_one_round_export_without_a_round_column_gives_each_leader_their_results(tmp_path: Path) -> None:
    """An export with no round column is one round: a leader's sheet and own summary show their results (not "no
    answers about you in round None"), and nothing says "None"."""
    rows = [[row[1], *row[2:]] for row in (*_employees("Ane", ["4", "5", "2", "4", "5"], "4"),
                                             *_employees("Bo", ["1", "2", "3", "3", "4", "2"], "3"),
                                             *_employees("Cai", ["5", "5", "4", "4", "3", "2", "1"], "2"))]
    rows += [[x, "Drift", "Leder", *["4"] * 5] for x in ("Ane", "Bo", "Cai")]
    data = write_csv(tmp_path / "en-runde.csv", [HEADER[1:], *rows])
    config = load_config(_config(tmp_path, data))
    d = load_workshop_data(config)
    assert d.latest_wave is None
    sheet = document_bytes(build_sheet(d, "Ane"), "md").decode("utf-8")
    summary = document_bytes(build_summary(config, leader="Ane", data=d), "md").decode("utf-8")
    for text in (sheet, summary):
        assert "None" not in text and "runde -" not in text
        assert f"| {FIRST} | 5 | 5 |" in text  # her five answers to the first item, all on the scale
