"""Tests for the synthetic sample export (dol_toolkit.survey.sample) and the files in data/samples."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dol_toolkit.survey import sample
from dol_toolkit.survey.sample import generate_sample, main, write_samples
from dol_toolkit.themes import Theme, load_theme

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
COMMITTED_CSV = SAMPLES / sample.CSV_NAME
COMMITTED_XLSX = SAMPLES / sample.XLSX_NAME
BOM = b"\xef\xbb\xbf"
REGENERATE = "regenerate with `dol sample --out data/samples`"

EMPLOYEE = "Medarbejder"
SELF = "Leder"
MANAGER = "Leders leder"


@pytest.fixture(scope="module")
def theme() -> Theme:
    return load_theme()


@pytest.fixture(scope="module")
def item_columns(theme: Theme) -> list[str]:
    return [item.wording.employee.da for item in theme.items]


@pytest.fixture(scope="module")
def dont_know(theme: Theme) -> str:
    return next(n.label.da for n in theme.scale.non_substantive if n.code == "dont_know")


@pytest.fixture(scope="module")
def prefer_not(theme: Theme) -> str:
    return next(n.label.da for n in theme.scale.non_substantive if n.code == "prefer_not")


def read_csv(path: Path) -> pd.DataFrame:
    """The export as text, blanks as ""; how a careful importer reads a Danish Excel CSV."""
    return pd.read_csv(path, sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def committed() -> pd.DataFrame:
    if not COMMITTED_CSV.exists():
        pytest.fail(f"{COMMITTED_CSV} is missing; {REGENERATE}")
    return read_csv(COMMITTED_CSV)


def employee_counts(table: pd.DataFrame) -> pd.Series:
    """Employee respondents per (year, leader), including leaders with none."""
    leaders = table[[sample.COL_YEAR, sample.COL_LEADER]].drop_duplicates()
    index = pd.MultiIndex.from_frame(leaders)
    employees = table[table[sample.COL_ROLE] == EMPLOYEE]
    counts = employees.groupby([sample.COL_YEAR, sample.COL_LEADER]).size()
    return counts.reindex(index, fill_value=0)


def scores(table: pd.DataFrame, theme: Theme, item_columns: list[str]) -> pd.DataFrame:
    """Long frame of substantive answers: year, leader, role, item, value 1-5."""
    values = {p.label.da: p.value for p in theme.scale.points}
    long = table.melt(
        id_vars=[sample.COL_YEAR, sample.COL_LEADER, sample.COL_ROLE],
        value_vars=item_columns,
        var_name="item",
        value_name="answer",
    )
    long["value"] = long["answer"].map(values)
    return long.dropna(subset=["value"])


# --- committed files -----------------------------------------------------------------------------------


def test_committed_csv_is_what_the_generator_writes(tmp_path: Path) -> None:
    paths = write_samples(tmp_path)
    assert paths == [tmp_path / sample.CSV_NAME, tmp_path / sample.XLSX_NAME]
    assert all(p.exists() for p in paths)
    assert COMMITTED_CSV.read_bytes() == paths[0].read_bytes(), f"committed CSV is stale; {REGENERATE}"


def test_generate_sample_is_the_table_written_to_the_csv(tmp_path: Path, committed: pd.DataFrame) -> None:
    table = generate_sample()
    as_text = table.astype(str).where(table.notna(), "")
    pd.testing.assert_frame_equal(as_text.astype(committed.dtypes.to_dict()), committed)


def test_committed_xlsx_has_the_csv_content(committed: pd.DataFrame) -> None:
    xlsx = pd.read_excel(COMMITTED_XLSX, sheet_name=sample.SHEET_NAME, dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(xlsx, committed)


def test_written_xlsx_has_the_csv_content(tmp_path: Path) -> None:
    csv_path, xlsx_path = write_samples(tmp_path, seed=11)
    xlsx = pd.read_excel(xlsx_path, sheet_name=sample.SHEET_NAME, dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(xlsx, read_csv(csv_path))


def test_samples_stay_small() -> None:
    assert COMMITTED_CSV.stat().st_size < 400_000
    assert COMMITTED_XLSX.stat().st_size < 400_000


def test_readme_says_synthetic_and_how_to_regenerate() -> None:
    text = (SAMPLES / "README.md").read_text(encoding="utf-8")
    assert "SYNTHETIC" in text
    assert "dol sample --out data/samples" in text


# --- file format ---------------------------------------------------------------------------------------


def test_csv_is_danish_excel_style(item_columns: list[str]) -> None:
    raw = COMMITTED_CSV.read_bytes()
    assert raw.startswith(BOM)
    assert not raw.startswith(BOM + BOM)
    text = raw[len(BOM) :].decode("utf-8")
    assert text.endswith("\r\n")
    assert text.count("\n") == text.count("\r\n"), "every line must end with CRLF"
    lines = text.split("\r\n")[:-1]
    assert lines[0].split(";") == [*sample.META_COLUMNS, *item_columns]
    assert all(line.count(";") == len(sample.META_COLUMNS) + len(item_columns) - 1 for line in lines)
    assert '"' not in text, "nothing in the sample needs quoting"


def test_headers_are_the_full_item_texts_from_the_theme(committed: pd.DataFrame, theme: Theme) -> None:
    assert list(committed.columns[5:]) == [item.wording.employee.da for item in theme.items]
    assert len(theme.items) == 5
    assert committed.columns[5].startswith("Min leder sikrer")


def test_cells_hold_only_theme_labels_or_blanks(committed: pd.DataFrame, item_columns: list[str], theme: Theme) -> None:
    allowed = {p.label.da for p in theme.scale.points} | {n.label.da for n in theme.scale.non_substantive} | {""}
    seen = set(np.unique(committed[item_columns].to_numpy()))
    assert seen <= allowed, f"unexpected cell values: {seen - allowed}"
    # Every category occurs, blanks included.
    assert seen == allowed


def test_meta_columns(committed: pd.DataFrame) -> None:
    assert set(committed[sample.COL_ROLE]) == {EMPLOYEE, SELF, MANAGER}
    assert set(committed[sample.COL_YEAR]) == {"2024", "2026"}
    ids = committed[sample.COL_ID]
    assert ids.is_unique
    assert ids.str.fullmatch(r"R(2024|2026)-\d{5}").all()
    assert (ids.str[1:5] == committed[sample.COL_YEAR]).all()
    assert (committed[[sample.COL_DEPARTMENT, sample.COL_LEADER]] != "").all().all()


def test_generated_columns_and_types(theme: Theme) -> None:
    table = generate_sample()
    assert list(table.columns) == [*sample.META_COLUMNS, *(i.wording.employee.da for i in theme.items)]
    assert table[sample.COL_YEAR].dtype == np.int64
    assert table[sample.COL_YEAR].tolist() == sorted(table[sample.COL_YEAR].tolist())


# --- organisation --------------------------------------------------------------------------------------


def test_leaders_and_departments(committed: pd.DataFrame) -> None:
    leaders = committed[sample.COL_LEADER].unique()
    assert 35 <= len(leaders) <= 45
    assert 5 <= committed[sample.COL_DEPARTMENT].nunique() <= 6
    # Each leader belongs to one department, in both rounds.
    assert (committed.groupby(sample.COL_LEADER)[sample.COL_DEPARTMENT].nunique() == 1).all()
    # Plausible names: first and last name, several with Danish letters.
    assert all(re.fullmatch(r"[A-ZÆØÅ][a-zæøå]+ [A-ZÆØÅ][a-zæøå]+", name) for name in leaders)
    assert sum(bool(re.search("[æøåÆØÅ]", name)) for name in leaders) >= 5


def test_rounds_with_leavers_and_newcomers(committed: pd.DataFrame) -> None:
    rounds = committed.groupby(sample.COL_LEADER)[sample.COL_YEAR].agg(frozenset)
    both = (rounds == frozenset({"2024", "2026"})).sum()
    only_2024 = (rounds == frozenset({"2024"})).sum()
    only_2026 = (rounds == frozenset({"2026"})).sum()
    assert both > 0.8 * len(rounds)
    assert only_2024 >= 1
    assert only_2026 >= 1


@pytest.mark.parametrize("seed", [sample.DEFAULT_SEED, 0, 1, 99])
def test_unit_sizes_cover_the_anonymity_edge_cases(seed: int) -> None:
    table = generate_sample(seed)
    counts = employee_counts(table)
    for year in sample.ROUNDS:
        per_leader = counts.loc[year]
        assert (per_leader < 5).sum() >= 5, f"{year}: too few leaders under the anonymity limit"
        assert (per_leader == 0).sum() >= 1, f"{year}: no leader without employee respondents"
        assert (per_leader >= 20).sum() >= 3, f"{year}: too few large units"
        assert per_leader.max() <= 30


@pytest.mark.parametrize("seed", [sample.DEFAULT_SEED, 5])
def test_one_self_and_one_manager_answer_per_leader_and_round(seed: int) -> None:
    table = generate_sample(seed)
    pairs = table[[sample.COL_YEAR, sample.COL_LEADER]].drop_duplicates()
    for role in (SELF, MANAGER):
        per_pair = table[table[sample.COL_ROLE] == role].groupby([sample.COL_YEAR, sample.COL_LEADER]).size()
        assert len(per_pair) == len(pairs), f"a leader lacks a {role!r} answer"
        assert (per_pair == 1).all(), f"a leader has more than one {role!r} answer"


# --- answers -------------------------------------------------------------------------------------------


def test_non_substantive_rates(
    committed: pd.DataFrame, item_columns: list[str], theme: Theme, dont_know: str, prefer_not: str
) -> None:
    employees = committed.loc[committed[sample.COL_ROLE] == EMPLOYEE, item_columns]
    cells = employees.to_numpy()
    assert 0.02 <= (cells == dont_know).mean() <= 0.12
    assert 0.003 <= (cells == prefer_not).mean() <= 0.04
    assert 0.002 <= (cells == "").mean() <= 0.03
    # IT security is the item employees most often cannot judge.
    by_item = (employees == dont_know).mean()
    it_security = theme.item("it_security").wording.employee.da
    assert by_item.idxmax() == it_security
    assert 0.05 <= by_item[it_security] <= 0.18
    # Leaders rarely answer "Ved ikke" about themselves or their own leaders.
    leaders = committed.loc[committed[sample.COL_ROLE] != EMPLOYEE, item_columns].to_numpy()
    assert (np.isin(leaders, [dont_know, prefer_not])).mean() < 0.05


def test_self_ratings_are_higher_than_employee_ratings(
    committed: pd.DataFrame, theme: Theme, item_columns: list[str]
) -> None:
    means = scores(committed, theme, item_columns).groupby(sample.COL_ROLE)["value"].mean()
    assert means[SELF] - means[EMPLOYEE] >= 0.2
    assert abs(means[MANAGER] - means[EMPLOYEE]) < 0.25


def test_leaders_differ(committed: pd.DataFrame, theme: Theme, item_columns: list[str]) -> None:
    long = scores(committed, theme, item_columns)
    employees = long[long[sample.COL_ROLE] == EMPLOYEE]
    means = employees.groupby([sample.COL_YEAR, sample.COL_LEADER])["value"].mean()
    counts = employee_counts(committed)
    shown = means[means.index.isin(counts[counts >= 5].index)]
    assert len(shown) >= 50
    assert shown.std() > 0.2


def test_leader_differences_exceed_sampling_noise(
    committed: pd.DataFrame, theme: Theme, item_columns: list[str]
) -> None:
    """Between-leader spread of employee means, less the part that sampling noise explains."""
    values = {p.label.da: p.value for p in theme.scale.points}
    employees = committed[committed[sample.COL_ROLE] == EMPLOYEE]
    per_respondent = employees[item_columns].apply(lambda col: col.map(values)).astype(float).mean(axis=1)
    groups = per_respondent.dropna().groupby([employees[sample.COL_YEAR], employees[sample.COL_LEADER]], sort=True)
    stats = pd.DataFrame({"mean": groups.mean(), "var": groups.var(), "n": groups.size()})
    stats = stats[stats["n"] >= 5]
    true_variance = stats["mean"].var() - (stats["var"] / stats["n"]).mean()
    # The generator's leader effects give about 0.5; without them department and change effects give < 0.3.
    assert true_variance > 0.35**2


def test_real_change_between_rounds(committed: pd.DataFrame, theme: Theme, item_columns: list[str]) -> None:
    long = scores(committed, theme, item_columns)
    employees = long[long[sample.COL_ROLE] == EMPLOYEE]
    means = employees.groupby([sample.COL_LEADER, sample.COL_YEAR])["value"].mean().unstack()
    counts = employee_counts(committed).unstack(level=0)
    both = counts[(counts["2024"] >= 5) & (counts["2026"] >= 5)].index
    change = (means.loc[both, "2026"] - means.loc[both, "2024"]).dropna()
    assert len(change) >= 20
    assert abs(change.mean()) > 0.02
    assert change.mean() > 0, "on average the leaders improve"
    assert (change > 0.1).sum() >= 3
    assert (change < -0.1).sum() >= 3


# --- seeds and theme -----------------------------------------------------------------------------------


def test_same_seed_same_data() -> None:
    pd.testing.assert_frame_equal(generate_sample(7), generate_sample(7))


def test_same_seed_byte_identical_csv(tmp_path: Path) -> None:
    first = write_samples(tmp_path / "a", seed=3)[0].read_bytes()
    second = write_samples(tmp_path / "b", seed=3)[0].read_bytes()
    assert first == second


def test_different_seeds_different_data(item_columns: list[str]) -> None:
    one, two = generate_sample(1), generate_sample(2)
    assert set(one[sample.COL_LEADER]) != set(two[sample.COL_LEADER])
    n = min(len(one), len(two))
    assert (one[item_columns].iloc[:n].to_numpy() != two[item_columns].iloc[:n].to_numpy()).any()


def test_texts_come_from_the_theme(theme: Theme) -> None:
    points = tuple(
        p.model_copy(update={"label": p.label.model_copy(update={"da": f"Svar {p.value}"})}) for p in theme.scale.points
    )
    items = tuple(
        i.model_copy(
            update={
                "wording": i.wording.model_copy(
                    update={"employee": i.wording.employee.model_copy(update={"da": f"Udsagn {i.id}"})}
                )
            }
        )
        for i in theme.items
    )
    changed = theme.model_copy(update={"items": items, "scale": theme.scale.model_copy(update={"points": points})})
    table = generate_sample(theme=changed)
    headers = [f"Udsagn {i.id}" for i in theme.items]
    assert list(table.columns[5:]) == headers
    labels = set(table[headers].stack().dropna())
    assert {f"Svar {v}" for v in range(1, 6)} <= labels
    assert not labels & {p.label.da for p in theme.scale.points}


def test_command_line_writes_the_committed_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--out", str(tmp_path)]) == 0
    assert (tmp_path / sample.CSV_NAME).read_bytes() == COMMITTED_CSV.read_bytes()
    assert sample.CSV_NAME in capsys.readouterr().out
