"""The one error a facilitator sees when a file cannot be imported, in Danish and English."""

from __future__ import annotations

from typing import Any, ClassVar

from dol_toolkit.errors import DolError
from dol_toolkit.i18n import Lang, format_integer, t


class SurveyImportError(DolError):
    """A file that cannot be imported: says what is wrong and how to fix it.

    ``code`` names the problem (a message in the catalogs' ``[import_error]`` table); :meth:`message` gives the
    text in Danish or English (``str()`` is Danish followed by English, so logs and tracebacks carry both).
    """

    prefix: ClassVar[str] = "import_error."

    def __init__(self, code: str, **values: Any) -> None:
        super().__init__(code, **{k: str(v) for k, v in values.items()})
        # whole numbers are written as the language writes them (1.000.000 in Danish, 1,000,000 in English)
        self.numbers = {k: v for k, v in values.items() if isinstance(v, int) and not isinstance(v, bool)}

    def __str__(self) -> str:
        return f"{self.message('da')} / {self.message('en')}"

    def message(self, lang: Lang = "da") -> str:
        values = {"detail": "", "path": "", "theme_hint": "", "sheet_hint": "", "where": "", **self.values}
        for k, number in self.numbers.items():
            values[k] = format_integer(number, lang)
        if values.get("sheets"):  # a workbook: its sheets, and the one that was read
            values["sheet_hint"] = t("import_error.sheet_hint", lang, sheets=values["sheets"], sheet=values["sheet"])
        if values.get(f"verdict_{lang}"):  # a report's verdict, written in both languages
            values["verdict"] = values[f"verdict_{lang}"]
        if values.get(f"theme_{lang}"):  # the theme the items were looked for with, by its title
            values["theme_hint"] = t("import_error.other_theme", lang, theme=values[f"theme_{lang}"])
        text = t(self.catalog_key, lang, **values)
        return text.replace(" ()", "")
