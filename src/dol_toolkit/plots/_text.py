"""The charts' own words in Danish and English.

Chart strings live here rather than in the i18n catalogs: they belong to the drawings and are tested with them.
Theme content (item wordings, scale labels) comes from the theme file, never from here.
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["da", "en"]

TEXTS: dict[str, dict[Lang, str]] = {
    # Whole-chart messages: drawn in the chart's place; they carry no figure from the data.
    "suppressed_employees": {
        "da": "For få svar til at vise resultatet (færre end 5 medarbejdere har svaret).",
        "en": "Too few answers to show the result (fewer than 5 employees answered).",
    },
    "suppressed_leaders": {
        "da": "For få ledere til at vise resultatet (for få ledere har både deres eget svar og svar fra mindst 5 "
              "medarbejdere).",
        "en": "Too few leaders to show the result (too few leaders have both their own answer and answers from "
              "at least 5 employees).",
    },
    "no_answers": {
        "da": "Der er ingen svar at vise.",
        "en": "There are no answers to show.",
    },
    "one_round": {
        "da": "Der er kun én runde, så der er ingen ændring at vise.",
        "en": "There is only one round, so there is no change to show.",
    },
    # Item-level notes, in the row of a left-out item.
    "item_too_few": {"da": "Ikke vist: for få svar", "en": "Not shown: too few answers"},
    "item_no_answers": {"da": "Ikke vist: ingen svar", "en": "Not shown: no answers"},
    "item_off_scale_only": {"da": "Ingen svar på skalaen", "en": "No answers on the scale"},
    "item_too_few_leaders": {"da": "for få ledere", "en": "too few leaders"},
    # Likert bars.
    "likert_xlabel": {"da": "Andel af svarene på skalaen (%)", "en": "Share of the answers on the scale (%)"},
    "side_xlabel": {"da": "Andel af alle svar", "en": "Share of all answers"},
    "n_label": {"da": "n = {n}", "en": "n = {n}"},
    # Mean marks.
    "employees_mean": {"da": "Dine medarbejdere: gennemsnit med 95 %-interval",
                       "en": "Your employees: mean with 95% interval"},
    "self_answer": {"da": "Din egen vurdering", "en": "Your own rating"},
    "manager_answer": {"da": "Din leders vurdering", "en": "Your leader's rating"},
    "role_note_employee": {"da": "Medarbejdere: {what}", "en": "Employees: {what}"},
    "role_note_self": {"da": "Dig selv: {what}", "en": "Yourself: {what}"},
    "role_note_manager": {"da": "Din leder: {what}", "en": "Your leader: {what}"},
    "no_answer": {"da": "intet svar", "en": "no answer"},
    "too_few_short": {"da": "for få svar", "en": "too few answers"},
    "means_xlabel": {"da": "Svar på skalaen", "en": "Answer on the scale"},
    # Gap dots.
    "gap_xlabel_self": {"da": "Lederens egen vurdering minus medarbejdernes gennemsnit",
                        "en": "The leader's own rating minus the employees' mean"},
    "gap_xlabel_manager": {"da": "Egen leders vurdering minus medarbejdernes gennemsnit",
                           "en": "The own leader's rating minus the employees' mean"},
    "gap_dot": {"da": "Én leder (anonymt)", "en": "One leader (anonymous)"},
    "gap_band": {"da": "Ingen tydelig forskel (under ±{threshold})", "en": "No clear gap (within ±{threshold})"},
    "gap_lower": {"da": "\u2190 vurderer lavere end medarbejderne", "en": "\u2190 rates lower than the employees"},
    "gap_higher": {"da": "vurderer højere end medarbejderne \u2192", "en": "rates higher than the employees \u2192"},
    # Change bars.
    "change_xlabel": {"da": "Ændring i gennemsnit fra {earlier} til {later}",
                      "en": "Change in mean from {earlier} to {later}"},
    "change_interval": {"da": "Linjen viser 95 %-intervallet", "en": "The line shows the 95% interval"},
    "index": {"da": "Indeks for temaet", "en": "Theme index"},
}


def text(key: str, lang: Lang, **values: object) -> str:
    """The chart string ``key`` in ``lang`` with ``{name}`` fields filled from ``values``."""
    try:
        message = TEXTS[key][lang]
    except KeyError:
        raise KeyError(f"no chart text {key!r} in {lang!r}") from None
    return message.format(**values) if values else message
