"""Structural problems raise one SurveyImportError that says what is wrong and how to fix it, in Danish and English."""

from __future__ import annotations

import gzip
import io
import zipfile

import pytest

from dol_toolkit.survey import SurveyImportError, read_export
from tests.survey.builders import EMPLOYEE_DA, HEADER, WIDE_ROWS, csv_bytes, wide_table, write_csv, write_xlsx


def raises(path, mapping=None) -> SurveyImportError:
    """read_export raises SurveyImportError (nothing else) with a non-empty, distinct da/en message."""
    try:
        read_export(path, mapping=mapping)
    except SurveyImportError as exc:
        da, en = exc.message("da"), exc.message("en")
        assert da and en and da != en
        assert "{" not in da and "{" not in en, "unfilled placeholder in the message"
        assert "Traceback" not in str(exc)
        assert exc.code
        return exc
    except Exception as exc:  # pragma: no cover - the failure we are looking for
        pytest.fail(f"raised {type(exc).__name__} instead of SurveyImportError: {exc!r}")
    pytest.fail("no error raised")


def test_missing_file(tmp_path):
    exc = raises(tmp_path / "nope.csv")
    assert "nope.csv" in exc.message("en")


def test_directory(tmp_path):
    raises(tmp_path)


@pytest.mark.parametrize("content", [b"", b"\n", b"\r\n\r\n", b"   \n \t\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n"])
def test_empty_file(tmp_path, content):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    exc = raises(path)
    assert exc.code in {"empty_file", "not_a_table"}


def test_empty_delimited_file(tmp_path):
    path = tmp_path / "semis.csv"
    path.write_bytes(b";;;;\n;;;;\n")
    raises(path)


def test_prose_is_not_a_table(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("Kære facilitator\nHer er ikke nogen tabel\nMed venlig hilsen\n", encoding="utf-8")
    exc = raises(path)
    assert exc.code in {"not_a_table", "no_header"}


def test_table_without_any_recognised_column(tmp_path):
    path = write_csv(tmp_path / "other.csv", [["a", "b", "c"], ["1", "2", "3"], ["4", "5", "6"]])
    exc = raises(path)
    assert "--write-mapping" in exc.message("da")
    assert "--write-mapping" in exc.message("en")


def test_unreadable_bytes(tmp_path):
    # invalid UTF-8 and bytes Windows-1252 leaves undefined (0x81, 0x8d, 0x8f, 0x90, 0x9d)
    path = tmp_path / "garbled.csv"
    path.write_bytes(csv_bytes(wide_table()) + b"R09;2024;\x81\x8d\x8f;\x90\x9d;Medarbejder;1;2;3;4;5\n")
    raises(path)


def test_binary_junk(tmp_path):
    path = tmp_path / "junk.csv"
    path.write_bytes(bytes(range(256)) * 20)
    raises(path)


@pytest.mark.parametrize(
    "head",
    [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"\xff\xd8\xff\xe0\x00\x10JFIF",
        b"GIF89a",
    ],
)
def test_wrong_file_type_by_content(tmp_path, head):
    path = tmp_path / "export.csv"  # the name lies
    path.write_bytes(head + bytes(200))
    exc = raises(path)
    assert exc.code in {"wrong_type", "binary"}


def test_gzip_file(tmp_path):
    path = tmp_path / "export.csv.gz"
    path.write_bytes(gzip.compress(csv_bytes(wide_table())))
    raises(path)


def test_old_excel_xls(tmp_path):
    path = tmp_path / "export.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    exc = raises(path)
    assert ".xlsx" in exc.message("en")


def test_zip_that_is_not_a_workbook(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "hello")
    path = tmp_path / "export.xlsx"
    path.write_bytes(buf.getvalue())
    raises(path)


def test_word_document_renamed_xlsx(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>',
        )
        z.writestr("word/document.xml", "<w:document/>")
    path = tmp_path / "export.xlsx"
    path.write_bytes(buf.getvalue())
    raises(path)


def test_truncated_xlsx(tmp_path):
    full = write_xlsx(tmp_path / "full.xlsx", [HEADER, *WIDE_ROWS]).read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(full[: len(full) // 2])
    raises(path)


def test_xlsx_empty_sheet(tmp_path):
    raises(write_xlsx(tmp_path / "empty.xlsx", []))


@pytest.mark.parametrize("missing", ["Leder", "Rolle"])
def test_missing_leader_or_role_column(tmp_path, missing):
    k = HEADER.index(missing)
    table = [[v for j, v in enumerate(row) if j != k] for row in wide_table()]
    exc = raises(write_csv(tmp_path / "x.csv", table))
    word_da, word_en = {"Leder": ("leder", "leader"), "Rolle": ("rolle", "role")}[missing]
    assert word_da in exc.message("da").lower()
    assert word_en in exc.message("en").lower()
    assert "--write-mapping" in exc.message("da")
    assert "--write-mapping" in exc.message("en")


def test_missing_item_columns(tmp_path):
    table = [row[:5] for row in wide_table()]
    exc = raises(write_csv(tmp_path / "x.csv", table))
    assert "--write-mapping" in exc.message("en")


def test_error_message_lists_columns_found(tmp_path):
    table = [["Chef", "Type", *EMPLOYEE_DA], ["A", "Medarbejder", "1", "2", "3", "4", "5"]]
    exc = raises(write_csv(tmp_path / "x.csv", table))
    assert "Chef" in exc.message("en") and "Type" in exc.message("en")


def test_header_without_rows(tmp_path):
    exc = raises(write_csv(tmp_path / "x.csv", [HEADER]))
    assert exc.code == "no_rows"


def test_header_followed_by_blank_rows_only(tmp_path):
    """Not importable (no answers), or imported with zero rows; never any other exception."""
    path = write_csv(tmp_path / "x.csv", [HEADER, [""] * len(HEADER), [], [""] * len(HEADER)])
    try:
        result = read_export(path)
    except SurveyImportError:
        return
    rep = result.report
    assert rep.rows_read == 0 == rep.rows_kept == rep.rows_excluded
    assert rep.blank_rows >= 2
    assert len(result.responses) == 0


def test_only_unknown_roles_is_not_a_crash(tmp_path):
    rows = [[*r[:4], "Praktikant", *r[5:]] for r in WIDE_ROWS]
    result = read_export(write_csv(tmp_path / "x.csv", wide_table(rows=rows)))
    rep = result.report
    assert rep.rows_read == 8 and rep.rows_kept == 0 and rep.rows_excluded == 8
    assert len(result.responses) == 0
    assert rep.leaders == 0


def test_long_layout_without_respondent_id(tmp_path):
    table = [["Leder", "Rolle", "Spørgsmål", "Svar"], ["A", "Medarbejder", EMPLOYEE_DA[0], "4"]]
    exc = raises(write_csv(tmp_path / "x.csv", table))
    assert "respondent" in exc.message("en").lower()


def test_str_of_error_has_both_languages(tmp_path):
    exc = raises(tmp_path / "nope.csv")
    text = str(exc)
    assert exc.message("da") in text and exc.message("en") in text


@pytest.mark.parametrize("name", ["export", "export.csv", "export.txt", "export.xlsx.download"])
def test_workbook_with_another_file_name(tmp_path, name):
    """A real .xlsx saved under another name (browser downloads, renamed files): read it, or a SurveyImportError.

    Never openpyxl's own exception (which reaches the user as a traceback through the Python API)."""
    real = write_xlsx(tmp_path / "real.xlsx", [HEADER, *WIDE_ROWS])
    path = tmp_path / name
    path.write_bytes(real.read_bytes())
    try:
        result = read_export(path)
    except SurveyImportError:
        return
    except Exception as exc:
        pytest.fail(f"raised {type(exc).__name__} instead of SurveyImportError: {exc!r}")
    assert result.report.rows_read == 8


def test_zip_bytes_in_csv_named_file(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(b"PK\x03\x04" + bytes(60))
    raises(path)


def _rezip(src, dst, replace: dict[str, bytes]):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info.filename)))
    return dst


def test_workbook_with_broken_content_types(tmp_path):
    real = write_xlsx(tmp_path / "real.xlsx", [HEADER, *WIDE_ROWS])
    raises(_rezip(real, tmp_path / "broken.xlsx", {"[Content_Types].xml": b""}))


def test_workbook_with_broken_sheet_xml(tmp_path):
    """A workbook cut off inside its sheet data (an interrupted download or sync)."""
    real = write_xlsx(tmp_path / "real.xlsx", [HEADER, *WIDE_ROWS])
    with zipfile.ZipFile(real) as z:
        sheet = next(n for n in z.namelist() if n.startswith("xl/worksheets/sheet"))
        xml = z.read(sheet)
    raises(_rezip(real, tmp_path / "broken.xlsx", {sheet: xml[: len(xml) // 2]}))
