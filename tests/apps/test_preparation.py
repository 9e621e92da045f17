"""The preparation (step 0) without a browser: the package functions of dol_toolkit.prepare, and the app's
widgets driven as a facilitator would (upload, map, pick, save)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dol_toolkit.apps._common import esc
from dol_toolkit.i18n import t
from dol_toolkit.prepare import (
    Choices,
    PrepareError,
    WorkshopPlan,
    code_sheet,
    code_sheet_html,
    code_sheet_pdf,
    inspect_export,
    request_start,
    safe_file_name,
    save_upload,
    save_workshop,
    slug,
    workshops_dir,
)
from dol_toolkit.stats.leaders import departments, leader_counts
from dol_toolkit.survey import load_mapping, read_export
from dol_toolkit.workshop import load_config, verify_code

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "samples" / "ledelsesevaluering_digital_omstilling.csv"
RENAMED = "Spm 2 forklaring"  # the second item's column, renamed so that the importer does not know it
TEKNIK = ["Birgitte Sandbæk", "Helle Kjeldsen", "Jesper Bertelsen", "Klaus Tønnesen", "Morten Vestergaard",
          "Nanna Østergaard", "Signe Åkjær"]


def renamed_export() -> bytes:
    """The sample export with the second item's column header renamed."""
    head, rest = SAMPLE.read_text(encoding="utf-8-sig").split("\n", 1)
    columns = head.split(";")
    assert columns[6].startswith("Min leder kan forklare")
    columns[6] = RENAMED
    return (";".join(columns) + "\n" + rest).encode("utf-8")


@pytest.fixture
def workshops(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "workshops"
    monkeypatch.setenv("DOL_WORKSHOPS_DIR", str(folder))
    return folder


@pytest.fixture
def upload(workshops: Path) -> Path:
    return save_upload(renamed_export(), "Eksport fra HR (2024-2025).csv")


def test_uploads_are_kept_under_a_safe_name_in_the_workshops_folder(workshops: Path):
    path = save_upload(b"a;b\n1;2\n", "../../etc/Eksport 2024.CSV")
    assert path == workshops / "_uploads" / "eksport-2024.csv"
    assert path.read_bytes() == b"a;b\n1;2\n"
    assert workshops_dir() == workshops.resolve()
    assert safe_file_name("C:\\Users\\mh\\Data.xlsx") == "data.xlsx"
    assert slug("  Ledergruppe: Børn & Unge ") == "ledergruppe-børn-unge"
    with pytest.raises(PrepareError) as bad:
        save_upload(b"MZ", "program.exe")
    assert ".csv" in bad.value.message("da") and "export file" in bad.value.message("en")
    with pytest.raises(PrepareError, match="tom"):
        save_upload(b"", "x.csv")


def test_an_upload_over_the_stated_limit_is_refused_with_the_limit(workshops: Path,
                                                                   monkeypatch: pytest.MonkeyPatch):
    """The page refuses a file over the limit before sending it; one that comes anyway is refused here too."""
    import dol_toolkit.prepare as prepare_module

    monkeypatch.setattr(prepare_module, "UPLOAD_LIMIT_BYTES", 30 * 1024 * 1024)
    with pytest.raises(PrepareError) as big:
        save_upload(b"x" * (30 * 1024 * 1024 + 1), "stor.csv")
    assert big.value.message("da").startswith("stor.csv fylder 30,1 MB; den største fil, der kan læses her, er 30 MB.")
    assert "the largest file that can be read here is 30 MB" in big.value.message("en")
    assert not (workshops / "_uploads" / "stor.csv").exists()
    assert save_upload(b"x" * (30 * 1024 * 1024), "lige-under.csv").stat().st_size == 30 * 1024 * 1024


def test_the_preparation_states_the_upload_limit_for_the_page(workshops: Path):
    """The limit under the file button, and what the page's script needs to refuse a larger file (the limit in
    bytes, the message in the page's language)."""
    from dol_toolkit.apps.preparation import PreparationApp
    from dol_toolkit.uploads import UPLOAD_LIMIT_BYTES

    app = PreparationApp(lang="da")
    shown = app.upload_limit.value
    assert "Eksportfiler op til 200 MB kan læses her." in shown
    assert f'data-limit-bytes="{UPLOAD_LIMIT_BYTES}"' in shown and 'class="dol-upload-refused" role="alert"' in shown
    assert "{name} fylder {size}; den største fil, der kan læses her, er {limit}." in shown
    app.switch.value = "en"
    assert "Export files up to 200 MB can be read here." in app.upload_limit.value


def test_the_workshops_folder_is_never_the_notebooks_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("DOL_WORKSHOPS_DIR", raising=False)
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    monkeypatch.chdir(notebooks)  # a page's kernel runs in the notebooks folder
    assert workshops_dir() == (tmp_path / "workshops").resolve()


def test_a_renamed_item_column_is_reported_then_mapped(upload: Path):
    found = inspect_export(upload)
    assert found.ok and found.error is None
    assert "rationale" not in found.items and RENAMED in found.result.report.ignored_columns
    assert RENAMED in found.headers
    choices = Choices(items={"rationale": RENAMED})
    mapped = inspect_export(upload, choices)
    assert mapped.items["rationale"] == RENAMED and RENAMED not in mapped.result.report.ignored_columns
    # the same import as the original export
    original = read_export(SAMPLE).responses
    assert len(mapped.result.responses) == len(original)
    assert (mapped.result.responses["answer"].value_counts() == original["answer"].value_counts()).all()


def test_the_choices_are_a_mapping_file_that_load_mapping_reads(upload: Path, tmp_path: Path):
    choices = Choices(columns={"department": "Forvaltning"}, items={"rationale": RENAMED},
                      answers={"Delvist enig": 4, "Ved ikke rigtig": "dont_know"}, roles={"Ansat": "employee"},
                      status_column="Status", status_completed=["Gennemført"], leaders={"A. Kofoed": "Anne Kofoed"})
    path = tmp_path / "mapping.toml"
    path.write_text(choices.toml("x.csv"), encoding="utf-8")
    mapping = load_mapping(path)
    assert mapping.columns.items == {"rationale": RENAMED}
    assert mapping.columns.department == "Forvaltning"
    assert mapping.answers == {"Delvist enig": 4, "Ved ikke rigtig": "dont_know"}
    assert mapping.roles == {"Ansat": "employee"} and mapping.leaders == {"A. Kofoed": "Anne Kofoed"}
    assert (mapping.status.column, mapping.status.completed) == ("Status", ["Gennemført"])
    assert Choices(status_use=False).as_dict() == {"status": {"use": False}}
    assert Choices().is_empty()


def test_unknown_answers_and_roles_are_listed_to_map(workshops: Path):
    text = SAMPLE.read_text(encoding="utf-8-sig").replace(";Medarbejder;Hverken enig eller uenig;", ";Gruppe 1;Tja;", 1)
    path = save_upload(text.encode(), "odd.csv")
    found = inspect_export(path)
    assert found.unknown_roles == ["Gruppe 1"] and found.unknown_answers == []
    fixed = inspect_export(path, Choices(roles={"Gruppe 1": "employee"}))
    assert fixed.unknown_roles == [] and fixed.unknown_answers == ["Tja"]
    both = inspect_export(path, Choices(roles={"Gruppe 1": "employee"}, answers={"Tja": 3}))
    assert both.unknown_answers == [] and not both.result.report.problems


def test_a_file_that_cannot_be_imported_comes_back_with_its_reason(workshops: Path):
    path = save_upload(b"Navn;Alder\nA;3\n", "andet.csv")
    found = inspect_export(path)
    assert found.result is None and found.error is not None and not found.ok
    assert found.error.message("en")


def test_save_writes_a_configuration_that_serves_the_group(upload: Path, workshops: Path):
    choices = Choices(items={"rationale": RENAMED})
    counts = leader_counts(inspect_export(upload, choices).result.responses)
    group = departments(counts)["Teknik og Miljø"]
    assert group == TEKNIK
    plan = WorkshopPlan(name="Ledergruppe Teknik og Miljø", leaders=group, data_file=upload, choices=choices,
                        organisation="Eksempel Kommune", facilitator="Mette Holm", day=dt.date(2026, 11, 27),
                        participants=4)
    saved = save_workshop(plan)
    assert saved.folder == workshops.resolve() / "ledergruppe-teknik-og-miljø"
    config = load_config(saved.config_path)
    assert config.name == "Ledergruppe Teknik og Miljø" and config.leaders == tuple(TEKNIK)
    assert config.data_file == saved.data_file and saved.data_file.read_bytes() == upload.read_bytes()
    assert config.mapping_file == saved.folder / "mapping.toml"
    assert config.notes_database == saved.folder / "notes.sqlite"
    assert (config.organisation, config.facilitator, config.day, config.participants) == (
        "Eksempel Kommune", "Mette Holm", dt.date(2026, 11, 27), 4)
    assert set(saved.codes) == set(TEKNIK)
    for leader, code in saved.codes.items():
        assert verify_code(code, config.codes[leader]) and config.check_code(code) == leader
        assert code not in saved.config_path.read_text(encoding="utf-8")  # only the hash is stored
    # the workshop reads its data with the mapping: all five items
    from dol_toolkit.stats.workshop_data import load_workshop_data

    data = load_workshop_data(config)
    assert set(data.responses["item_id"].astype(str)) == set(data.theme.item_ids)
    # saved again without a mapping: the old mapping file goes, the codes are new
    again = save_workshop(WorkshopPlan(name=plan.name, leaders=group[:2], data_file=upload))
    assert again.mapping_file is None and not (saved.folder / "mapping.toml").exists()
    assert load_config(again.config_path).mapping_file is None
    assert again.codes[group[0]] != saved.codes[group[0]]


@pytest.mark.parametrize(("plan", "key"), [
    ({"name": " "}, "no_name"), ({"leaders": []}, "no_leaders"), ({"min_n": 3}, "min_n_low"),
    ({"participants": 0}, "participants_range"), ({"leaders": ["Ingen Sådan"]}, "leaders_missing"),
])
def test_what_cannot_be_saved_is_said(upload: Path, plan: dict, key: str):
    values = {"name": "X", "leaders": ["Anne Kofoed"], "data_file": upload, **plan}
    with pytest.raises(PrepareError) as error:
        save_workshop(WorkshopPlan(**values))
    assert error.value.key == key
    assert error.value.message("da") != error.value.message("en")


def test_the_code_sheet_has_one_slip_per_leader(upload: Path, pdf_ready: None):
    saved = save_workshop(WorkshopPlan(name="Gruppe", leaders=TEKNIK[:3], data_file=upload,
                                       choices=Choices(items={"rationale": RENAMED})))
    document = code_sheet(saved.config, saved.codes, "http://10.0.0.5:8866/", "da")
    assert [s.heading for s in document.sections] == TEKNIK[:3] and document.confidential
    for section in document.sections:
        texts = [b.text for b in section.blocks]  # type: ignore[union-attr]
        assert saved.codes[section.heading] in texts
        assert any("http://10.0.0.5:8866/" in x for x in texts)
    html = code_sheet_html(document)
    assert html.count('data-section="slip:') == 3 and "dashed" in html
    pdf = code_sheet_pdf(document)
    assert pdf.startswith(b"%PDF")
    english = code_sheet(saved.config, saved.codes, "http://x/", "en")
    assert english.title == t("prep.sheet_title", "en") != document.title


def test_starting_outside_the_server_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("DOL_RESTART_SECRET", raising=False)
    with pytest.raises(PrepareError) as error:
        request_start(tmp_path / "x.toml")
    assert error.value.key == "no_restart"


# -- the app --------------------------------------------------------------------------------------------------------
def _upload(app, data: bytes, name: str) -> None:
    app.upload.value = ({"name": name, "type": "text/csv", "size": len(data), "content": memoryview(data),
                         "last_modified": dt.datetime.now(dt.UTC)},)


def test_the_app_maps_picks_and_saves(workshops: Path, monkeypatch: pytest.MonkeyPatch):
    from dol_toolkit.apps.preparation import PreparationApp

    monkeypatch.delenv("DOL_RESTART_SECRET", raising=False)
    app = PreparationApp()
    assert "Forberedelse" in app.head.value and app.tabs.get_title(0) == "1 Fil"
    _upload(app, renamed_export(), "eksport.csv")
    assert app.errors.value == ""
    assert "eksport.csv" in app.file_status.value and RENAMED in app.report.value
    assert app.item_boxes["rationale"].value == ""  # not recognised
    assert app.item_boxes["competences"].value.startswith("Min leder sikrer")
    app.item_boxes["rationale"].value = RENAMED
    app.apply.click()
    assert app.choices.items == {"rationale": RENAMED}
    assert app.inspection is not None and app.inspection.items["rationale"] == RENAMED
    assert "⚠" in app.leader_boxes["Signe Åkjær"].description
    assert 'data-leader="Signe Åkjær"' in app.counts.value
    app.department.value = "Teknik og Miljø"
    app.pick_department.click()
    assert app.chosen_leaders() == TEKNIK
    assert app.name.value == "Ledergruppe Teknik og Miljø"
    assert "7 ledere valgt" in app.picked.value
    app.leader_boxes["Signe Åkjær"].value = False
    app.day.value = "27.11.2026"
    app.facilitator.value = "Mette Holm"
    app.participants.value = 2
    app.save.click()
    assert app.errors.value == "" and app.saved is not None, app.saved_box.value
    config = load_config(app.saved.config_path)
    assert config.leaders == tuple(TEKNIK[:-1]) and config.day == dt.date(2026, 11, 27)
    assert config.mapping_file is not None and "rationale" in config.mapping_file.read_text(encoding="utf-8")
    assert not app.start.disabled
    # outside `dol serve` the start is refused with a sentence, not a traceback
    app.start.click()
    assert "dol serve KONFIGURATION" in app.start_box.value
    assert app.errors.value == ""
    # the language switch relabels everything
    app.switch.value = "en"
    assert app.tabs.get_title(0) == "1 File" and "Preparation" in app.head.value
    assert "6 leaders picked" in app.picked.value


def test_the_app_says_what_is_missing(workshops: Path):
    from dol_toolkit.apps.preparation import PreparationApp

    app = PreparationApp(lang="en")
    app.save.click()
    assert esc(t("prep.no_upload", "en")) in app.saved_box.value
    _upload(app, b"MZ\x00", "tool.exe")
    assert "export file" in app.errors.value and "Traceback" not in app.errors.value
    _upload(app, renamed_export(), "eksport.csv")
    app.save.click()
    assert esc(t("prep.no_name", "en")) in app.saved_box.value
    app.name.value = "Group"
    app.save.click()
    assert esc(t("prep.no_leaders", "en")) in app.saved_box.value
    app.leader_boxes["Anne Kofoed"].value = True
    app.day.value = "32.13.2026"
    app.save.click()
    assert "date" in app.saved_box.value.lower() and app.saved is None


def test_the_leader_list_of_a_one_round_export(workshops: Path):
    """An export without a round column (issue 24): the leaders are listed under their departments, and only
    the one under the limit is marked."""
    from dol_toolkit.apps.preparation import PreparationApp

    header = ["Leder", "Afdeling", "Rolle", "Min leder sikrer, at vi har styr på IT-sikkerheden i vores enhed."]
    rows = [*(["Ane", "HR", "Medarbejder", "4"] for _ in range(6)),
            *(["Bo", "IT", "Medarbejder", "2"] for _ in range(3))]
    data = "\n".join(";".join(r) for r in [header, *rows]).encode("utf-8")
    app = PreparationApp()
    _upload(app, data, "en_runde.csv")
    assert app.errors.value == ""
    assert app.leader_boxes["Ane"].description == "Ane (6)"
    assert app.leader_boxes["Bo"].description == "Bo (3) ⚠"
    assert {value for _, value in app.department.options} >= {"HR", "IT"}
    app.department.value = "HR"
    app.pick_department.click()
    assert app.chosen_leaders() == ["Ane"]
