"""Seeded synthetic sample export for the theme "Ledelse af digital omstilling".

Everything this module makes is SYNTHETIC. The municipality ("Eksempel Kommune"), its departments, the
leaders' names and every answer are invented; no real survey data went into it. The sample lets the workshop
run, and the tests exercise the importers, on data that looks like a real export from a Danish organisation's
own survey system.

Public API
----------
:func:`generate_sample` returns the export table exactly as written to the CSV; :func:`write_samples` writes
``ledelsesevaluering_digital_omstilling.csv`` (Danish Excel style: ``;`` separator, UTF-8 with BOM, CRLF line
endings) and ``ledelsesevaluering_digital_omstilling.xlsx`` (sheet "Besvarelser", header in row 1). The same
seed gives the same table and a byte-identical CSV (the XLSX carries timestamps; its content is the same).
Regenerate the committed files with ``dol sample --out data/samples`` (or
``python -m dol_toolkit.survey.sample --out data/samples``).

Export layout
-------------
One row per respondent; columns in this order: "Respondent-ID" (``R<year>-<nnnnn>``, numbered within the
round), "År" (2024 or 2026), "Forvaltning", "Leder" (the rated leader's name), "Rolle" ("Medarbejder",
"Leder" for the leader's self rating, "Leders leder" for the leader's own leader), then one column per item
of the theme, headed by the item's full Danish employee wording. A cell holds a Danish label of the theme's
scale ("Helt uenig" ... "Helt enig"), "Ved ikke", "Ønsker ikke at oplyse", or nothing (a skipped question).
Item texts and labels come from the theme (:func:`dol_toolkit.themes.load_theme`), never from this module.
Within a round the rows are in random order, as a survey system lists answers in the order they came in.

Organisation (names in capitals are module constants)
-----------------------------------------------------
- ``N_LEADERS`` = 43 leaders, spread over the six ``DEPARTMENTS`` (sizes 10, 10, 7, 5, 5, 6); first and
  last names are drawn without replacement from ``FIRST_NAMES`` and ``LAST_NAMES``, so names are unique.
- Two ``ROUNDS``, 2024 and 2026. ``N_LEFT`` = 3 leaders answer only in 2024 (they left), ``N_NEW`` = 3 only
  in 2026 (new), the other 37 in both; each round has 40 leaders.
- Unit size: ``N_SMALL_BOTH`` = 6 of the leaders in both rounds, plus one of the leavers and one of the new
  leaders, run small units with 0-4 employee respondents (``SMALL_RANGE``, under the programme's anonymity
  limit of 5); ``N_LARGE`` = 10 others run large units with 20-30 (``LARGE_RANGE``); the rest have 5-19
  (``MEDIUM_RANGE``). Each leader gets a base count in the range of the unit size but at least
  ``MIN_BASE_COUNT`` = 2, and each round moves it by a random step of -``ROUND_JITTER`` .. +``ROUND_JITTER``
  (2), kept inside the range. If no leader in a round has 0 employee respondents, one small unit, chosen at
  random, gets 0 (nobody answered), so every round has that edge case.
- Every leader in a round has exactly one self answer ("Leder") and one answer from the own leader
  ("Leders leder").

Answer model
------------
An ordinal model on a latent 1-5 scale. For leader ``l``, item ``i`` and round ``t`` the latent level is::

    level = MEAN_LEVEL + DEPARTMENT_EFFECTS[department] + ITEM_EFFECTS[item]
            + leader_l + leader_item_li + [t == 2026] * (change_l + change_item_li)

- ``MEAN_LEVEL`` = 3.55: the organisation's average latent level.
- ``DEPARTMENT_EFFECTS``: fixed shifts per department, -0.15 .. +0.25.
- ``ITEM_EFFECTS``: fixed shifts per item id: competences -0.20, rationale +0.20, citizen_value +0.10,
  curiosity_culture -0.15, it_security +0.05 (0 for an item id not listed).
- ``leader_l`` ~ Normal(0, ``LEADER_SD`` = 0.45): the leader's overall level; the clear differences between
  leaders come from here.
- ``leader_item_li`` ~ Normal(0, ``LEADER_ITEM_SD`` = 0.25): the leader's profile over the items.
- ``change_l`` ~ Normal(``CHANGE_MEAN`` = 0.15, ``CHANGE_SD`` = 0.30): the real change from 2024 to 2026, on
  average a small improvement; some leaders improve, some decline.
- ``change_item_li`` ~ Normal(0, ``CHANGE_ITEM_SD`` = 0.10): item-specific part of the change.

A respondent ``j`` of role ``r`` answers item ``i`` with the latent value::

    y = level + ROLE_SHIFT[r] + rater_j + noise_ji

where ``rater_j`` ~ Normal(0, ``RATER_SD[r]``) is the respondent's leniency (shared over the items) and
``noise_ji`` ~ Normal(0, ``NOISE_SD[r]``). ``y`` is cut at ``CUTS`` = 1.5, 2.5, 3.5, 4.5 into the values 1-5.

- ``ROLE_SHIFT``: employees 0, self +0.50 (leaders rate themselves higher; after cutting at the scale's ends
  the observed gap is about +0.4), own leader 0.
- ``RATER_SD``: employees 0.45, self 0.40, own leader 0.35. The self leniency varies from leader to leader,
  so some leaders have large positive self-other gaps ("blind spots") and some negative ones ("hidden
  strengths").
- ``NOISE_SD``: employees 0.65, self 0.50, own leader 0.55.

Then each cell, independently, is replaced by a non-substantive answer or left blank:

- ``DONT_KNOW_RATES`` ("Ved ikke") for employees, per item id: competences 4 %, rationale 3 %,
  citizen_value 6 %, curiosity_culture 4 %, it_security 10 % (``DONT_KNOW_DEFAULT`` = 5 % for an item id not
  listed); about 5-6 % overall. Self: ``DONT_KNOW_SELF`` = 1 %, own leader: ``DONT_KNOW_MANAGER`` = 2 %.
- ``PREFER_NOT_RATES`` ("Ønsker ikke at oplyse"): employees 1.5 %, self 0.2 %, own leader 0.3 %.
- ``BLANK_RATES``: employees 1 %, self 0.5 %, own leader 0.5 % (skipped questions, empty cells).

Random numbers come from ``numpy.random.default_rng(seed)``, split into one stream for the organisation
(names, departments, unit sizes) and one for the answers, so the organisation does not shift when only the
answer model is changed.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from dol_toolkit.csvsafe import write_csv
from dol_toolkit.themes import Theme, load_theme

DEFAULT_SEED = 2026
MUNICIPALITY = "Eksempel Kommune"

CSV_NAME = "ledelsesevaluering_digital_omstilling.csv"
XLSX_NAME = "ledelsesevaluering_digital_omstilling.xlsx"
SHEET_NAME = "Besvarelser"
CSV_SEPARATOR = ";"
CSV_ENCODING = "utf-8-sig"
CSV_LINE_END = "\r\n"

COL_ID = "Respondent-ID"
COL_YEAR = "År"
COL_DEPARTMENT = "Forvaltning"
COL_LEADER = "Leder"
COL_ROLE = "Rolle"
META_COLUMNS: tuple[str, ...] = (COL_ID, COL_YEAR, COL_DEPARTMENT, COL_LEADER, COL_ROLE)

Role = Literal["employee", "self", "manager"]
ROLE_LABELS: dict[Role, str] = {"employee": "Medarbejder", "self": "Leder", "manager": "Leders leder"}

ROUNDS: tuple[int, int] = (2024, 2026)
Unit = Literal["small", "medium", "large"]

# Department -> number of leaders (sums to N_LEADERS).
DEPARTMENTS: dict[str, int] = {
    "Børn og Unge": 10,
    "Social og Sundhed": 10,
    "Teknik og Miljø": 7,
    "Kultur og Fritid": 5,
    "Økonomi og Personale": 5,
    "Borgerservice og Digitalisering": 6,
}
N_LEADERS = sum(DEPARTMENTS.values())
N_LEFT = 3
N_NEW = 3
N_SMALL_BOTH = 6
N_LARGE = 10
SMALL_RANGE = (0, 4)
MEDIUM_RANGE = (5, 19)
LARGE_RANGE = (20, 30)
ROUND_JITTER = 2
MIN_BASE_COUNT = 2

FIRST_NAMES: tuple[str, ...] = (
    "Anne", "Mette", "Søren", "Jørgen", "Bjørn", "Lærke", "Mads", "Kirsten", "Henrik", "Birgitte",
    "Jens", "Karen", "Lars", "Hanne", "Rasmus", "Trine", "Niels", "Solveig", "Morten", "Ida",
    "Peter", "Åse", "Kasper", "Signe", "Thomas", "Ditte", "Frederik", "Bodil", "Anders", "Maja",
    "Michael", "Tove", "Christian", "Louise", "Ole", "Gitte", "Martin", "Line", "Jesper", "Pernille",
    "Torben", "Camilla", "Klaus", "Helle", "Steen", "Nanna", "Mikkel", "Rikke", "Jakob", "Dorthe",
    "Asger", "Vibeke", "Bent", "Sørine", "Jørn", "Bjørg",
)  # fmt: skip
LAST_NAMES: tuple[str, ...] = (
    "Møller", "Sørensen", "Jørgensen", "Nørgaard", "Østergaard", "Kjærgaard", "Bøgh", "Frølund",
    "Højgaard", "Lykkegaard", "Dalsgaard", "Bæk", "Skovbjerg", "Grønbæk", "Vestergaard", "Mølgaard",
    "Søndergaard", "Holm", "Brandt", "Winther", "Krogh", "Lund", "Juhl", "Damgaard", "Thygesen",
    "Mortensen", "Kristensen", "Hansen", "Pedersen", "Nielsen", "Andersen", "Poulsen", "Rasmussen",
    "Olesen", "Bertelsen", "Kjeldsen", "Ærenlund", "Åkjær", "Ravnsbæk", "Bruun", "Overgaard",
    "Abildgaard", "Kofoed", "Riis", "Friis", "Thorsø", "Sandbæk", "Tønnesen", "Løvgreen", "Hørlyck",
)  # fmt: skip

MEAN_LEVEL = 3.55
DEPARTMENT_EFFECTS: dict[str, float] = {
    "Børn og Unge": 0.0,
    "Social og Sundhed": -0.15,
    "Teknik og Miljø": -0.05,
    "Kultur og Fritid": 0.05,
    "Økonomi og Personale": 0.10,
    "Borgerservice og Digitalisering": 0.25,
}
ITEM_EFFECTS: dict[str, float] = {
    "competences": -0.20,
    "rationale": 0.20,
    "citizen_value": 0.10,
    "curiosity_culture": -0.15,
    "it_security": 0.05,
}
LEADER_SD = 0.45
LEADER_ITEM_SD = 0.25
CHANGE_MEAN = 0.15
CHANGE_SD = 0.30
CHANGE_ITEM_SD = 0.10

ROLE_SHIFT: dict[Role, float] = {"employee": 0.0, "self": 0.50, "manager": 0.0}
RATER_SD: dict[Role, float] = {"employee": 0.45, "self": 0.40, "manager": 0.35}
NOISE_SD: dict[Role, float] = {"employee": 0.65, "self": 0.50, "manager": 0.55}
CUTS: tuple[float, ...] = (1.5, 2.5, 3.5, 4.5)

DONT_KNOW_RATES: dict[str, float] = {
    "competences": 0.04,
    "rationale": 0.03,
    "citizen_value": 0.06,
    "curiosity_culture": 0.04,
    "it_security": 0.10,
}
DONT_KNOW_DEFAULT = 0.05
DONT_KNOW_SELF = 0.01
DONT_KNOW_MANAGER = 0.02
PREFER_NOT_RATES: dict[Role, float] = {"employee": 0.015, "self": 0.002, "manager": 0.003}
BLANK_RATES: dict[Role, float] = {"employee": 0.01, "self": 0.005, "manager": 0.005}

_UNIT_RANGES: dict[Unit, tuple[int, int]] = {
    "small": SMALL_RANGE,
    "medium": MEDIUM_RANGE,
    "large": LARGE_RANGE,
}


@dataclass(frozen=True)
class _Leader:
    name: str
    department: str
    rounds: tuple[int, ...]
    unit: Unit
    base_count: int


def _check_parameters() -> None:
    if len(set(FIRST_NAMES)) < N_LEADERS or len(set(LAST_NAMES)) < N_LEADERS:
        raise ValueError(f"need at least {N_LEADERS} distinct first and last names")
    if set(DEPARTMENT_EFFECTS) != set(DEPARTMENTS):
        raise ValueError("DEPARTMENT_EFFECTS must name exactly the DEPARTMENTS")
    if N_LEFT + N_NEW + N_SMALL_BOTH + N_LARGE > N_LEADERS:
        raise ValueError("more leavers, new leaders, small and large units than leaders")


def _organisation(rng: np.random.Generator) -> list[_Leader]:
    """The fictional municipality's leaders: name, department, rounds and unit size."""
    _check_parameters()
    first = rng.permutation(np.array(FIRST_NAMES))[:N_LEADERS]
    last = rng.permutation(np.array(LAST_NAMES))[:N_LEADERS]
    names = [f"{f} {s}" for f, s in zip(first, last, strict=True)]
    departments = rng.permutation(np.array([d for d, n in DEPARTMENTS.items() for _ in range(n)]))

    order = rng.permutation(N_LEADERS)
    left = [int(k) for k in order[:N_LEFT]]
    new = [int(k) for k in order[N_LEFT : N_LEFT + N_NEW]]
    both = [int(k) for k in order[N_LEFT + N_NEW :]]
    rounds: dict[int, tuple[int, ...]] = {k: (ROUNDS[0],) for k in left}
    rounds |= {k: (ROUNDS[1],) for k in new}
    rounds |= {k: ROUNDS for k in both}

    # Small units: some leaders in both rounds, one leaver and one new leader; large units: any of the rest.
    small = set(both[:N_SMALL_BOTH]) | {left[0], new[0]}
    rest = [k for k in range(N_LEADERS) if k not in small]
    large = {int(k) for k in rng.choice(rest, size=N_LARGE, replace=False)}

    leaders = []
    for k in range(N_LEADERS):
        unit: Unit = "small" if k in small else "large" if k in large else "medium"
        lo, hi = _UNIT_RANGES[unit]
        leaders.append(
            _Leader(
                name=names[k],
                department=str(departments[k]),
                rounds=rounds[k],
                unit=unit,
                base_count=int(rng.integers(max(lo, MIN_BASE_COUNT), hi + 1)),
            )
        )
    return leaders


def _employee_counts(leaders: Sequence[_Leader], year: int, rng: np.random.Generator) -> dict[int, int]:
    """Employee respondents per leader (by index) in one round."""
    counts: dict[int, int] = {}
    for k, leader in enumerate(leaders):
        if year not in leader.rounds:
            continue
        lo, hi = _UNIT_RANGES[leader.unit]
        jitter = int(rng.integers(-ROUND_JITTER, ROUND_JITTER + 1))
        counts[k] = min(hi, max(lo, leader.base_count + jitter))
    if 0 not in counts.values():
        small = [k for k in counts if leaders[k].unit == "small"]
        counts[int(rng.choice(small))] = 0
    return counts


def _cut(latent: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    """Latent values to scale values 1..len(CUTS)+1."""
    values: npt.NDArray[np.int64] = np.digitize(latent, np.array(CUTS)).astype(np.int64) + 1
    return values


def generate_sample(seed: int = DEFAULT_SEED, *, theme: Theme | None = None) -> pd.DataFrame:
    """The synthetic export table, exactly as :func:`write_samples` writes it to the CSV.

    Columns: "Respondent-ID", "År", "Forvaltning", "Leder", "Rolle", then one column per item headed by its
    full Danish employee wording; cells hold Danish answer labels, or are missing (NaN) for skipped questions.
    The model and its parameters are described in the module docstring.
    """
    theme = theme if theme is not None else load_theme()
    items = theme.items
    item_ids = [item.id for item in items]
    headers = [item.wording.employee.da for item in items]
    if len(set(headers)) != len(headers):
        raise ValueError("the theme's employee wordings are not unique; they cannot serve as column headers")
    point_labels = {p.value: p.label.da for p in theme.scale.points}
    if sorted(point_labels) != list(range(1, len(CUTS) + 2)):
        raise ValueError(
            f"the sample model needs a {len(CUTS) + 1}-point scale; the theme has {len(point_labels)} points"
        )
    non_substantive = {n.code: n.label.da for n in theme.scale.non_substantive}
    dont_know, prefer_not = non_substantive["dont_know"], non_substantive["prefer_not"]

    structure_rng, answer_rng = np.random.default_rng(seed).spawn(2)
    leaders = _organisation(structure_rng)
    n_items = len(items)

    item_effect = np.array([ITEM_EFFECTS.get(i, 0.0) for i in item_ids])
    leader_level = answer_rng.normal(0.0, LEADER_SD, N_LEADERS)
    leader_item = answer_rng.normal(0.0, LEADER_ITEM_SD, (N_LEADERS, n_items))
    change = answer_rng.normal(CHANGE_MEAN, CHANGE_SD, N_LEADERS)
    change_item = answer_rng.normal(0.0, CHANGE_ITEM_SD, (N_LEADERS, n_items))
    dont_know_rates: dict[Role, npt.NDArray[np.float64]] = {
        "employee": np.array([DONT_KNOW_RATES.get(i, DONT_KNOW_DEFAULT) for i in item_ids]),
        "self": np.full(n_items, DONT_KNOW_SELF),
        "manager": np.full(n_items, DONT_KNOW_MANAGER),
    }

    frames = []
    for year in ROUNDS:
        counts = _employee_counts(leaders, year, structure_rng)
        rows: list[list[object]] = []
        for k, n_employees in counts.items():
            leader = leaders[k]
            level = MEAN_LEVEL + DEPARTMENT_EFFECTS[leader.department] + item_effect
            level = level + leader_level[k] + leader_item[k]
            if year != ROUNDS[0]:
                level = level + change[k] + change_item[k]
            employee: Role = "employee"
            roles: list[Role] = [*([employee] * n_employees), "self", "manager"]
            for role in roles:
                rater = answer_rng.normal(0.0, RATER_SD[role])
                latent = level + ROLE_SHIFT[role] + rater + answer_rng.normal(0.0, NOISE_SD[role], n_items)
                values = _cut(latent)
                draw = answer_rng.random(n_items)
                blank = BLANK_RATES[role]
                dk = blank + dont_know_rates[role]
                pn = dk + PREFER_NOT_RATES[role]
                answers: list[object] = []
                for j in range(n_items):
                    if draw[j] < blank:
                        answers.append(None)
                    elif draw[j] < dk[j]:
                        answers.append(dont_know)
                    elif draw[j] < pn[j]:
                        answers.append(prefer_not)
                    else:
                        answers.append(point_labels[int(values[j])])
                rows.append([year, leader.department, leader.name, ROLE_LABELS[role], *answers])
        order = answer_rng.permutation(len(rows))
        ids = [f"R{year}-{n:05d}" for n in range(1, len(rows) + 1)]
        shuffled = [[ids[n], *rows[int(r)]] for n, r in enumerate(order)]
        frames.append(pd.DataFrame(shuffled, columns=[*META_COLUMNS, *headers]))

    table = pd.concat(frames, ignore_index=True)
    table[COL_YEAR] = table[COL_YEAR].astype("int64")
    return table


def write_samples(out_dir: str | Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write the sample export as CSV (Danish Excel style) and XLSX into ``out_dir``; return the two paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    table = generate_sample(seed)
    csv_path = out / CSV_NAME
    write_csv(table, csv_path, sep=CSV_SEPARATOR, encoding=CSV_ENCODING, lineterminator=CSV_LINE_END)
    xlsx_path = out / XLSX_NAME
    with pd.ExcelWriter(xlsx_path, engine="openpyxl") as writer:
        table.to_excel(writer, sheet_name=SHEET_NAME, index=False, freeze_panes=(1, 0))
    return [csv_path, xlsx_path]


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m dol_toolkit.survey.sample --out DIR [--seed N]``."""
    parser = argparse.ArgumentParser(description=f"Write the synthetic sample export ({MUNICIPALITY}).")
    parser.add_argument("--out", default="data/samples", help="output folder (default: data/samples)")
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default: {DEFAULT_SEED})"
    )
    args = parser.parse_args(argv)
    for path in write_samples(args.out, args.seed):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
