"""The one error a facilitator sees when a file cannot be imported, in Danish and English."""

from __future__ import annotations

from typing import Any

from dol_toolkit.i18n import Lang, t


class SurveyImportError(Exception):
    """A file that cannot be imported: says what is wrong and how to fix it.

    ``code`` names the problem; :meth:`message` gives the text in Danish or English (``str()`` is Danish
    followed by English, so logs and tracebacks carry both).
    """

    def __init__(self, code: str, **values: Any) -> None:
        self.code = code
        self.values = {k: str(v) for k, v in values.items()}
        # whole numbers are written as the language writes them (1.000.000 in Danish, 1,000,000 in English)
        self.numbers = {k: v for k, v in values.items() if isinstance(v, int) and not isinstance(v, bool)}
        super().__init__(f"{self.message('da')} / {self.message('en')}")

    def message(self, lang: Lang = "da") -> str:
        values = {"detail": "", "path": "", "theme_hint": "", "sheet_hint": "", "where": "", **self.values}
        for k, number in self.numbers.items():
            values[k] = f"{number:,}".replace(",", "." if lang == "da" else ",")
        if values.get("sheets"):  # a workbook: its sheets, and the one that was read
            values["sheet_hint"] = t("import_error.sheet_hint", lang, sheets=values["sheets"], sheet=values["sheet"])
        if values.get(f"verdict_{lang}"):  # a report's verdict, written in both languages
            values["verdict"] = values[f"verdict_{lang}"]
        if values.get(f"theme_{lang}"):  # the theme the items were looked for with, by its title
            values["theme_hint"] = t("import_error.other_theme", lang, theme=values[f"theme_{lang}"])
        text = t(f"import_error.{self.code}", lang, **values)
        return text.replace(" ()", "")


# The issue text and users say "ImportError"; this name does not shadow Python's built-in in other modules.
ImportError = SurveyImportError
