"""The export's own words in Danish and English, and dates written out the way each language writes them.

The results' sentences (headings, how-to-read lines, suppression notices) come from the i18n catalogs through
:func:`dol_toolkit.i18n.t`, so that the app and the export say the same thing; theme content comes from the
theme file. What only the export says lives here.
"""

from __future__ import annotations

from datetime import date

from dol_toolkit.i18n import Lang

TEXTS: dict[str, dict[Lang, str]] = {
    "kicker": {"da": "Opsamling fra workshoppen", "en": "Workshop summary"},
    "kicker_personal": {"da": "Personlig opsamling fra workshoppen", "en": "Personal workshop summary"},
    "group_line": {"da": "{group} · {date}", "en": "{group} · {date}"},
    "for_leader": {"da": "For {leader}", "en": "For {leader}"},
    "group_intro": {
        "da": "Gruppens fælles opsamling: resultater for gruppen samlet, noter til refleksionsspørgsmål og cases "
              "og gruppens handlingsplan. Ingen enkelt leders resultater og ingen private noter er med.",
        "en": "The group's shared summary: the group's results together, notes on the reflection questions and "
              "the cases, and the group's action plan. No single leader's results and no private notes are in it.",
    },
    "personal_intro": {
        "da": "Din personlige opsamling: gruppens fælles indhold, dine egne resultater og dine private noter. "
              "Den er kun til dig; del den, hvis du selv vil.",
        "en": "Your personal summary: the group's shared content, your own results and your private notes. It is "
              "for you only; share it if you choose to.",
    },
    "footer": {"da": "{group} · {date}", "en": "{group} · {date}"},
    "footer_personal": {"da": "Personlig: {leader} · {date}", "en": "Personal: {leader} · {date}"},
    "about": {"da": "Om temaet", "en": "About the theme"},
    "items_heading": {"da": "De fem spørgsmål", "en": "The five items"},
    "group_results": {"da": "Gruppens resultater", "en": "The group's results"},
    "round": {"da": "Tallene er fra runde {wave}. Kun svar fra mindst {min_n} medarbejdere pr. leder vises.",
              "en": "The figures are from round {wave}. Only answers from at least {min_n} employees per leader "
                    "are shown."},
    "gaps_suppressed": {
        "da": "For få ledere til at vise forskellene: de kræver ledere med både deres eget svar og svar fra "
              "mindst {min_n} medarbejdere.",
        "en": "Too few leaders to show the gaps: they need leaders with both their own answer and answers from "
              "at least {min_n} employees.",
    },
    "change_suppressed": {
        "da": "For få svar til at vise udviklingen: færre end {min_n} medarbejdere har svaret i en af runderne.",
        "en": "Too few answers to show the change: fewer than {min_n} employees answered in one of the rounds.",
    },
    "self_and_manager": {"da": "Din egen og din leders vurdering", "en": "Your own and your leader's rating"},
    "col_self": {"da": "Din egen vurdering", "en": "Your own rating"},
    "col_manager": {"da": "Din leders vurdering", "en": "Your leader's rating"},
    "no_answer": {"da": "intet svar", "en": "no answer"},
    "reflection": {"da": "Refleksionsspørgsmål", "en": "Reflection questions"},
    "cases": {"da": "Cases", "en": "Cases"},
    "case_prompts": {"da": "Spørgsmål til casen", "en": "Questions on the case"},
    "group_notes": {"da": "Gruppens noter", "en": "The group's notes"},
    "private_notes": {"da": "Dine private noter", "en": "Your private notes"},
    "no_notes": {"da": "Ingen noter.", "en": "No notes."},
    "other_notes": {"da": "Andre noter", "en": "Other notes"},
    "plan": {"da": "Handlingsplan", "en": "Action plan"},
    "focus": {"da": "Fokus", "en": "Focus"},
    "focus_none": {"da": "Gruppen har ikke valgt fokus.", "en": "The group has not chosen a focus."},
    "focus_read": {
        "da": "Gennemsnit: medarbejdernes gennemsnit i gruppen på skalaen 1-5. Enige: andelen af svarene på "
              "skalaen, der er 4 eller 5.",
        "en": "Mean: the group's employees' mean on the 1-5 scale. Agree: the share of the answers on the scale "
              "that are 4 or 5.",
    },
    "col_item": {"da": "Spørgsmål", "en": "Item"},
    "col_mean": {"da": "Gennemsnit", "en": "Mean"},
    "col_agree": {"da": "Enige", "en": "Agree"},
    "actions": {"da": "Handlinger", "en": "Actions"},
    "actions_none": {"da": "Der er ingen handlinger endnu.", "en": "There are no actions yet."},
    "col_what": {"da": "Hvad", "en": "What"},
    "col_who": {"da": "Hvem", "en": "Who"},
    "col_when": {"da": "Hvornår", "en": "By when"},
    "col_for": {"da": "Spørgsmål", "en": "Item"},
    "follow_up": {"da": "Opfølgning", "en": "Follow-up"},
    "follow_up_on": {"da": "Gruppen følger op {date}.", "en": "The group follows up on {date}."},
    "follow_up_none": {"da": "Der er ikke sat en dato for opfølgning.", "en": "No follow-up date is set."},
    "unknown_item": {"da": "(ukendt spørgsmål: {item})", "en": "(unknown item: {item})"},
    "figure": {"da": "Figur", "en": "Figure"},
}

MONTHS: dict[Lang, tuple[str, ...]] = {
    "da": ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
           "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}


def text(key: str, lang: Lang, **values: object) -> str:
    """The export's message ``key`` in ``lang``, with ``{name}`` fields filled from ``values``."""
    try:
        message = TEXTS[key][lang]
    except KeyError:
        raise KeyError(f"no export text {key!r} in {lang!r}") from None
    return message.format(**values) if values else message


def long_date(day: date, lang: Lang) -> str:
    """"27. november 2026" (Danish) / "27 November 2026" (English)."""
    month = MONTHS[lang][day.month - 1]
    return f"{day.day}. {month} {day.year}" if lang == "da" else f"{day.day} {month} {day.year}"


def iso_or_text(value: str, lang: Lang) -> str:
    """An ISO date written out (``long_date``); anything else as it was typed."""
    try:
        return long_date(date.fromisoformat(value.strip()), lang)
    except ValueError:
        return value
