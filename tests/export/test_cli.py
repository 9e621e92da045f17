"""``dol export``'s function: exit codes and messages."""

from __future__ import annotations

from pathlib import Path

from docx import Document

from dol_toolkit.export.cli import cli_export


def test_writes_the_file_and_prints_its_path(workshop, tmp_path: Path, capsys):
    out = tmp_path / "opsamling.docx"
    assert cli_export(str(workshop.path), "docx", str(out), None, "da") == 0
    assert capsys.readouterr().out.strip() == str(out)
    assert Document(str(out)).paragraphs


def test_leaders_own_html(workshop, tmp_path: Path, capsys):
    code = cli_export(str(workshop.path), "html", str(tmp_path), "Klaus Tønnesen", "en")
    written = Path(capsys.readouterr().out.strip())
    assert code == 0 and written.parent == tmp_path and written.suffix == ".html"
    assert "klaus-toennesen" in written.name and "Klaus privat" in written.read_text(encoding="utf-8")


def test_bad_config(tmp_path: Path, capsys):
    assert cli_export(str(tmp_path / "nope.toml"), "docx", str(tmp_path / "x.docx"), None, "da") == 2
    err = capsys.readouterr().err
    assert err.startswith("dol export:") and "configuration file not found" in err
    assert not (tmp_path / "x.docx").exists()


def test_unknown_leader(workshop, tmp_path: Path, capsys):
    assert cli_export(str(workshop.path), "docx", str(tmp_path / "x.docx"), "Ukendt Leder", "da") == 2
    assert "'Ukendt Leder' is not a leader of the group" in capsys.readouterr().err
    assert not (tmp_path / "x.docx").exists()


def test_unknown_format_and_language(workshop, tmp_path: Path, capsys):
    assert cli_export(str(workshop.path), "odt", str(tmp_path / "x.odt"), None, "da") == 2
    assert "unknown format 'odt': use one of docx, html, md, pdf" in capsys.readouterr().err
    assert cli_export(str(workshop.path), "md", str(tmp_path / "x.md"), None, "de") == 2
    assert "unknown language 'de'" in capsys.readouterr().err


def test_unwritable_target(workshop, tmp_path: Path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert cli_export(str(workshop.path), "html", str(blocker / "sub" / "x.html"), None, "da") == 2
    assert "cannot write" in capsys.readouterr().err


def test_language_defaults_to_the_workshops(workshop, tmp_path: Path, capsys):
    assert cli_export(str(workshop.path), "md", str(tmp_path / "x.md"), None, None) == 0
    assert "# Ledelse af digital omstilling" in (tmp_path / "x.md").read_text(encoding="utf-8")


def test_out_without_suffix_is_a_folder(workshop, tmp_path: Path, capsys):
    assert cli_export(str(workshop.path), "html", str(tmp_path / "new" / "folder"), None, "da") == 0
    written = Path(capsys.readouterr().out.strip())
    assert written.parent == tmp_path / "new" / "folder" and written.suffix == ".html"
