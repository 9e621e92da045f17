"""A second theme, made up, with a 7-point scale, six items, four reflection questions, three cases and only
"Ved ikke" beside the scale (tests/fixtures/theme_seven_point): the toolkit imports its export, summarises,
draws, runs its apps and exports its documents and research files with no code change, only its configuration
(``[workshop] theme = "samarbejde.toml"``).

The expected figures are computed here from the CSV and the theme file directly (pandas and tomllib), not
through the package.
"""

from __future__ import annotations

import math
import re
import shutil
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from dol_toolkit.workshop import ConfigError, load_config, write_codes

FIXTURE = Path(__file__).parent / "fixtures" / "theme_seven_point"
GROUP = ("Astrid Kjærsgaard", "Bo Lindholm", "Jonas Fyhn", "Malene Søgaard", "Ulla Bækgaard")
UNDER_LIMIT = {("Bo Lindholm", "2026"), ("Karina Holst", "2026")}
ROLE = {"Medarbejder": "employee", "Leder": "self", "Leders leder": "manager"}


@pytest.fixture(scope="module")
def theme_file() -> dict:
    return tomllib.loads((FIXTURE / "samarbejde.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def expected(theme_file) -> pd.DataFrame:
    """The export read by hand: one row per answer on the scale, with its number from the theme's labels."""
    raw = pd.read_csv(FIXTURE / "eksport.csv", sep=";", encoding="utf-8-sig", dtype=str)
    points = {p["label"]["da"]: p["value"] for p in theme_file["scale"]["points"]}
    items = {i["wording"]["employee"]["da"]: i["id"] for i in theme_file["items"]}
    long = raw.melt(id_vars=["Respondent-ID", "År", "Forvaltning", "Leder", "Rolle"], value_vars=list(items),
                    var_name="text", value_name="label").dropna(subset=["label"])
    long["item_id"] = long["text"].map(items)
    long["role"] = long["Rolle"].map(ROLE)
    long["value"] = long["label"].map(points)
    return long


@pytest.fixture(scope="module")
def workshop(tmp_path_factory):
    folder = tmp_path_factory.mktemp("seven")
    for name in ("samarbejde.toml", "eksport.csv", "workshop.toml"):
        shutil.copy(FIXTURE / name, folder / name)
    codes = write_codes(folder / "workshop.toml")
    return load_config(folder / "workshop.toml"), codes


@pytest.fixture(scope="module")
def data(workshop):
    from dol_toolkit.stats.workshop_data import load_workshop_data

    return load_workshop_data(workshop[0])


# -- the theme and its configuration ----------------------------------------------------------------------
def test_the_configuration_names_the_theme_and_the_scale_follows_it(workshop):
    from dol_toolkit.themes import load_theme

    config, _ = workshop
    theme = load_theme(config.theme)
    assert theme.id == "samarbejde" and len(theme.items) == 6
    assert theme.scale.codes == ("1", "2", "3", "4", "5", "6", "7")
    assert theme.scale.categories == ("1", "2", "3", "4", "5", "6", "7", "dont_know", "prefer_not")
    assert theme.scale.agree_codes == ("5", "6", "7") and theme.scale.disagree_codes == ("1", "2", "3")
    assert theme.scale.gap_threshold == pytest.approx(2.0)


def test_a_missing_or_broken_theme_stops_with_the_file_and_field(tmp_path):
    for name in ("eksport.csv", "workshop.toml"):
        shutil.copy(FIXTURE / name, tmp_path / name)
    with pytest.raises(ConfigError, match=r"workshop\.theme .*samarbejde\.toml does not exist"):
        load_config(tmp_path / "workshop.toml")
    broken = (FIXTURE / "samarbejde.toml").read_text(encoding="utf-8").replace("value = 3,", "value = 9,", 1)
    (tmp_path / "samarbejde.toml").write_text(broken, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"workshop\.theme: .*scale.*without gaps"):
        load_config(tmp_path / "workshop.toml")
    text = (tmp_path / "workshop.toml").read_text(encoding="utf-8")
    (tmp_path / "workshop.toml").write_text(text.replace('theme = "samarbejde.toml"', 'theme = "no_such_theme"'),
                                            encoding="utf-8")
    with pytest.raises(ConfigError, match="no theme 'no_such_theme'; available: digital_omstilling"):
        load_config(tmp_path / "workshop.toml")


# -- import -----------------------------------------------------------------------------------------------
def test_import_reads_every_label_of_the_seven_point_scale(data, expected):
    responses = data.responses
    assert tuple(responses["answer"].cat.categories) == data.theme.scale.categories
    shown = expected.dropna(subset=["value"])
    assert len(responses.dropna(subset=["value"])) == len(shown)
    # "Enig" is 6 and "Lidt enig" 5 on this scale (on the 5-point scale's variants "enig" would be 4).
    for label, value in (("Enig", 6), ("Lidt enig", 5), ("Helt enig", 7), ("Helt uenig", 1)):
        assert (shown["label"] == label).sum() == (responses["value"] == value).sum() > 0
    assert responses["value"].max() == 7
    assert (responses["answer"] == "dont_know").sum() == (expected["label"] == "Ved ikke").sum() > 0
    assert (responses["answer"] == "prefer_not").sum() == 0


def test_the_report_lists_the_theme_s_answers_and_no_others(workshop):
    from dol_toolkit.survey import read_export
    from dol_toolkit.themes import load_theme

    config, _ = workshop
    report = read_export(config.data_file, theme=load_theme(config.theme)).report
    assert not report.problems
    assert list(report.answers_by_category) == ["1", "2", "3", "4", "5", "6", "7", "dont_know", "blank"]
    assert "1: 26, 2: 97" in report.format("da") and "ønsker ikke" not in report.format("da")


def test_a_number_above_the_scale_is_left_out_and_says_the_scale(tmp_path):
    from dol_toolkit.survey import read_export
    from dol_toolkit.themes import load_theme

    theme = load_theme(FIXTURE / "samarbejde.toml")
    text = (FIXTURE / "eksport.csv").read_text(encoding="utf-8-sig").splitlines()
    cells = text[1].split(";")
    # "Overvejende enig" is the 5-point scale's 4: on this scale it is no label, and it is not guessed.
    cells[5], cells[6], cells[7] = "8", "7", "Overvejende enig"
    text[1] = ";".join(cells)
    (tmp_path / "e.csv").write_text("\n".join(text), encoding="utf-8")
    result = read_export(tmp_path / "e.csv", theme=theme)
    problem, unknown = result.report.problems
    assert unknown.value == "Overvejende enig" and unknown.code == "unknown_label"
    assert problem.value == "8" and problem.reason("da") == "tallet ligger uden for skalaen 1-7; svaret er udeladt"
    assert problem.reason("en") == "the number is outside the 1-7 scale; the answer is left out"
    first = result.responses[result.responses["row"] == 2]
    assert 7.0 in set(first["value"])  # the 7 in the same row is read


def test_a_mapping_beyond_the_scale_is_refused(tmp_path):
    from dol_toolkit.survey import SurveyImportError, read_export
    from dol_toolkit.themes import load_theme

    mapping = tmp_path / "m.toml"
    mapping.write_text('[answers]\n"Fantastisk" = 8\n', encoding="utf-8")
    with pytest.raises(SurveyImportError) as caught:
        read_export(FIXTURE / "eksport.csv", mapping, theme=load_theme(FIXTURE / "samarbejde.toml"))
    assert "1-7" in caught.value.message("en") and "Fantastisk" in caught.value.message("en")


# -- summary ----------------------------------------------------------------------------------------------
def test_group_figures_equal_the_export_read_by_hand(data, expected):
    from dol_toolkit.stats import Selection, describe_selection

    frame = describe_selection(data.responses, Selection.group(list(GROUP)), data.policy)
    employees = expected[(expected["role"] == "employee") & expected["Leder"].isin(GROUP)]
    shown_rounds = employees[[(a, b) not in UNDER_LIMIT for a, b in zip(employees["Leder"], employees["År"],
                                                                        strict=True)]]
    checked = 0
    for row in frame[(frame["role"] == "employee") & (frame["item_id"] != "index")].itertuples():
        mine = shown_rounds[(shown_rounds["År"] == str(row.wave)) & (shown_rounds["item_id"] == row.item_id)]
        values = mine["value"].dropna()
        assert row.mean == pytest.approx(values.mean(), rel=1e-12)
        assert row.n_substantive == len(values)
        for code in map(str, range(1, 8)):
            assert getattr(row, f"count_{code}") == (values == int(code)).sum()
        assert row.count_dont_know == (mine["label"] == "Ved ikke").sum()
        assert 1.0 <= row.ci_low <= row.mean <= row.ci_high <= 7.0
        checked += 1
    assert checked == 12  # six items, two rounds
    assert frame["leaders_left_out"].max() == 1  # Bo Lindholm in 2026


def test_a_leader_under_the_limit_shows_no_number_in_the_summary(data):
    from dol_toolkit.stats.summary import summary

    records = summary(data.responses, leaders=["Bo Lindholm"], policy=data.policy)
    hidden = [r for r in records if r["role"] == "employee" and r["wave"] == "2026"]
    assert hidden and all(r["suppressed"] and r["mean"] is None and r["counts"] is None for r in hidden)
    shown = [r for r in records if r["role"] == "employee" and r["wave"] == "2024" and r["item"] != "index"]
    assert all(set(r["counts"]) == {"1", "2", "3", "4", "5", "6", "7", "dont_know", "prefer_not"} for r in shown)


def test_gaps_use_the_threshold_of_the_seven_point_scale(data):
    gaps = data.gaps
    known = gaps[gaps["gap_self"].notna()]
    assert len(known) > 20
    for row in known.itertuples():
        expected_class = ("blind_spot" if row.gap_self >= 2 else "hidden_strength" if row.gap_self <= -2
                          else "agreement")
        assert row.class_self == expected_class
    assert gaps[(gaps["leader_id"] == "Bo Lindholm") & (gaps["wave"].astype(str) == "2026")]["gap_self"].isna().all()


# -- charts -----------------------------------------------------------------------------------------------
def test_the_bars_have_seven_segments_with_seven_colours_and_one_side_answer(data):
    from dol_toolkit.plots import likert_bars, side_panel
    from dol_toolkit.stats import Selection, describe_selection

    frame = describe_selection(data.responses, Selection.group(list(GROUP)), data.policy)
    ax = likert_bars(frame, wave="2026", theme=data.theme)
    colours = {}
    for patch in ax.patches:
        gid = patch.get_gid() or ""
        if gid.startswith("likert:"):
            colours.setdefault(gid.split(":")[2], set()).add(patch.get_facecolor())
    assert set(colours) == set("1234567")
    assert len({next(iter(c)) for c in colours.values()}) == 7
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [p.label.da for p in data.theme.scale.points]
    side = side_panel(ax)
    assert {(p.get_gid() or "").split(":")[-1] for p in side.patches if p.get_gid()} == {"dont_know"}
    assert [t.get_text() for t in side.get_legend().get_texts()] == ["Ved ikke"]


def test_the_means_axis_runs_one_to_seven_and_the_gap_band_is_two_points(data):
    from dol_toolkit.plots import gap_dots, mean_marks
    from dol_toolkit.stats import Selection, describe_selection
    from dol_toolkit.stats.gaps import group_gap_distribution

    own = describe_selection(data.responses, Selection.leader("Astrid Kjærsgaard"), data.policy)
    ax = mean_marks(own, wave="2026", theme=data.theme)
    assert [round(x) for x in ax.get_xticks()] == [1, 2, 3, 4, 5, 6, 7]
    assert "Helt enig" in ax.get_xticklabels()[-1].get_text()
    spread = group_gap_distribution(data.gaps, list(GROUP), data.policy)
    gap_ax = gap_dots(spread, wave="2026", theme=data.theme)
    bands = [p for p in gap_ax.patches if p.get_x() == pytest.approx(-2.0)]
    assert bands and bands[0].get_width() == pytest.approx(4.0)


# -- apps -------------------------------------------------------------------------------------------------
def test_the_landing_page_counts_the_theme_s_items_questions_and_cases(workshop):
    from dol_toolkit.apps.landing import render_theme_html
    from dol_toolkit.themes import load_theme

    theme = load_theme(workshop[0].theme)
    page = render_theme_html(theme, "da")
    assert "Ledelse af samarbejde på tværs" in page and "De seks spørgsmål" in page and "Tre cases" in page
    assert "de fire refleksionsspørgsmål" in page and "tre eksempler på ledelse af samarbejde på tværs" in page
    assert page.count("<li data-item=") == 6 and page.count("<li data-question=") == 4
    assert page.count("<li data-case=") == 3
    assert "7 Helt enig" in page and "digital" not in page.lower()
    english = render_theme_html(theme, "en")
    assert "The six questions" in english and "Three cases" in english and "the four reflection questions" in english


def test_the_results_app_shows_the_group_and_a_leader_s_own_results(workshop):
    from dol_toolkit.apps.results import ResultsApp
    from dol_toolkit.pages.cache import load_content

    config, codes = workshop
    app = ResultsApp(config, load_content(config))
    assert "Ledelse af samarbejde på tværs" in app.header.value
    body = app.body.value
    assert body.count('class="dol-chart"') == 3 and "på de seks spørgsmål" in body
    assert "skalaen 1-7" in body and "»Ved ikke« tæller ikke med" in body and "Ønsker" not in body
    assert not any(leader in body for leader in GROUP)
    app.view.value = "personal"
    app.gate.code.value = codes["Bo Lindholm"]
    app.gate.open_button.click()
    assert app.leader == "Bo Lindholm"
    # 3 employee answers in 2026: the leader's own employee figures are not shown; their own answers are, with
    # the 7-point scale's labels.
    own = app.body.value
    assert "Dine medarbejderes svar vises ikke, fordi færre end 5 har svaret" in own
    assert "6 – Enig" in own and "5 – Lidt enig" in own and "skalaen 1-7" in own
    app.gate.close_button.click()
    assert "Bo Lindholm" not in app.header.value + app.body.value


def test_the_reflection_and_case_steps_follow_the_theme(workshop):
    from dol_toolkit.apps.workshop_page import WorkshopApp
    from dol_toolkit.pages.cache import load_content

    config, _ = workshop
    page = WorkshopApp(config, load_content(config), prebuild=())
    page.show("reflection")
    reflection = page.apps["reflection"]
    text = _html(reflection.widget)
    assert sum(q["title"]["da"] in text for q in _theme_file()["reflection_questions"]) == 4
    page.show("cases")
    cases = _html(page.apps["cases"].widget)
    assert all(c["title"]["da"] in cases for c in _theme_file()["cases"])
    assert "Ledelse af samarbejde på tværs" in cases and "digital omstilling" not in cases


def _theme_file() -> dict:
    return tomllib.loads((FIXTURE / "samarbejde.toml").read_text(encoding="utf-8"))


def _html(widget) -> str:
    """The text of every HTML widget under ``widget``."""
    import ipywidgets as widgets

    out = []
    stack = [widget]
    while stack:
        w = stack.pop()
        if isinstance(w, widgets.HTML | widgets.Label):
            out.append(w.value)
        stack.extend(getattr(w, "children", ()))
    return "\n".join(out)


# -- export -----------------------------------------------------------------------------------------------
def test_the_summary_document_describes_the_seven_point_scale(workshop, pdf_ready, tmp_path):
    import pypdfium2 as pdfium

    from dol_toolkit.export.summary import export_summary

    config, _ = workshop
    pdf = pdfium.PdfDocument(export_summary(config, "pdf", tmp_path))
    text = re.sub(r"\s+", " ", " ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf))))
    assert "Ledelse af samarbejde på tværs" in text
    assert "på de seks spørgsmål på en skala fra 1 (»Helt uenig«) til 7 (»Helt enig«)" in text
    assert "mindst 2,0 point over" in text and "skalaen 1-7" in text
    assert "1-5" not in text and "fem spørgsmål" not in text and "Ønsker ikke" not in text
    docx = export_summary(config, "docx", tmp_path)
    from docx import Document

    words = " ".join(p.text for p in Document(str(docx)).paragraphs)
    assert "skala fra 1 (»Helt uenig«) til 7 (»Helt enig«)" in words


def test_the_handouts_hold_the_theme_s_questions_and_cases(workshop, tmp_path):
    from dol_toolkit.export.sheets import write_handouts

    files = write_handouts(workshop[0], tmp_path, formats=("docx",))
    assert sorted(p.name for p in files) == ["case-1.docx", "case-2.docx", "case-3.docx",
                                             "refleksionsspoergsmaal.docx"]


def test_the_research_files_carry_the_seven_labels(data, tmp_path):
    import pyreadstat

    from dol_toolkit.export.tidy import write_tidy

    export = write_tidy(data.responses, tmp_path, theme=data.theme)
    sav = next(p for p in export.files if p.suffix == ".sav")
    frame, meta = pyreadstat.read_sav(str(sav))
    labels = next(v for k, v in meta.variable_value_labels.items() if k == "value")
    # English by default
    assert {int(k): v for k, v in labels.items()} == {p.value: p.label.en for p in data.theme.scale.points}
    assert frame["value"].max() == 7
    # the employee answers about leader-rounds under the limit are left out: Bo Lindholm and Karina Holst, 2026
    assert export.left_out_leader_rounds == 2
    assert not math.isnan(frame["value"].mean())


def test_the_research_functions_work_on_the_seven_point_theme(data, expected):
    from dol_toolkit.plots.research import gap_distributions, item_distributions
    from dol_toolkit.stats.compare import leader_changes
    from dol_toolkit.stats.reliability import employee_alpha, employee_matrix, item_analysis

    matrix = employee_matrix(data.responses, wave="2026", policy=data.policy)
    assert list(matrix.columns) == list(data.theme.item_ids) and matrix.to_numpy().max() == 7
    assert len(item_analysis(matrix)) == 6
    alpha = employee_alpha(data.responses, wave="2026", policy=data.policy)
    assert 0 < alpha.alpha < 1 and alpha.items == 6
    figure = item_distributions(matrix, theme=data.theme)
    assert [[t.get_text() for t in ax.get_xticklabels()] for ax in figure.axes][-1] == list("1234567")
    gap_figure = gap_distributions(data.gaps, theme=data.theme)
    assert any(abs(line.get_xdata()[0]) == pytest.approx(2.0) for ax in gap_figure.axes for line in ax.lines)
    changes = leader_changes(data.responses, data.policy)
    bo = changes[changes["leader_id"] == "Bo Lindholm"]
    assert len(bo) and bo["suppressed"].all()  # under the limit in 2026: no change shown


def test_an_edited_theme_file_makes_the_shared_content_again(tmp_path):
    from dol_toolkit.pages.cache import content_key

    for name in ("samarbejde.toml", "eksport.csv", "workshop.toml"):
        shutil.copy(FIXTURE / name, tmp_path / name)
    before = content_key(load_config(tmp_path / "workshop.toml"))
    theme = tmp_path / "samarbejde.toml"
    theme.write_text(theme.read_text(encoding="utf-8").replace("Ledelse af samarbejde på tværs",
                                                               "Ledelse af samarbejde"), encoding="utf-8")
    config = load_config(tmp_path / "workshop.toml")
    assert content_key(config) != before
    from dol_toolkit.themes import load_theme

    assert load_theme(config.theme).title.da == "Ledelse af samarbejde"  # the edited file is read again


def test_read_with_the_wrong_theme_the_message_names_the_theme_and_how_to_choose(tmp_path):
    from dol_toolkit.survey import SurveyImportError, read_export

    with pytest.raises(SurveyImportError) as caught:
        read_export(FIXTURE / "eksport.csv")  # the default theme: none of its items is in this export
    assert "temaet »Ledelse af digital omstilling«" in caught.value.message("da")
    assert "--theme" in caught.value.message("en") and "Leading digital transformation" in caught.value.message("en")


def test_the_command_line_summary_speaks_the_theme_s_answers(capsys):
    from dol_toolkit.cli import main

    code = main(["summary", str(FIXTURE / "eksport.csv"), "--theme", str(FIXTURE / "samarbejde.toml"),
                 "--leader", "Astrid Kjærsgaard"])
    out = capsys.readouterr().out
    assert code == 0 and "ved ikke=" in out and "ønsker ikke at oplyse" not in out
    assert "Fælles mål" in out
