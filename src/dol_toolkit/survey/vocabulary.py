"""What the importer recognises without configuration: column names, item texts, roles and answer labels.

Everything is compared after :func:`normalise`: letter case, surrounding and repeated whitespace (line breaks
in quoted headers included), surrounding quotes and trailing punctuation are ignored.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from dol_toolkit.themes import OFF_SCALE, Theme

ROLES = ("employee", "self", "manager")
NON_SUBSTANTIVE = OFF_SCALE

_SPACE = re.compile(r"\s+")
_TRAILING = re.compile(r"[\s.:;,!?*…]+$")
_QUOTES = "\"'\u201c\u201d\u201e\u00ab\u00bb\u2018\u2019`"


def normalise(text: object) -> str:
    """Comparable form of a header or a label."""
    s = unicodedata.normalize("NFC", str(text)).replace("\u00a0", " ")
    s = _SPACE.sub(" ", s).strip().strip(_QUOTES).strip()
    s = _TRAILING.sub("", s)
    return s.casefold()


def leader_key(text: object) -> str:
    """What two spellings of one leader's name have in common: Unicode form (NFKC), whitespace and letter case
    do not matter ("Ane Østergård", "Ane  Østergård " and "ane østergård" are one leader)."""
    s = unicodedata.normalize("NFKC", str(text)).replace("\u00a0", " ")
    return _SPACE.sub(" ", s).strip().casefold()


def squash(text: object) -> str:
    """Letters and digits only (for column names such as "Leder-ID", "leader_id", "Leder ID")."""
    return re.sub(r"[\W_]+", "", normalise(text))


# Column roles recognised by name (compared with squash()).
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "role": ("rolle", "respondenttype", "respondentgruppe", "role", "respondentrole", "respondenttype"),
    "leader_id": ("lederid", "lederident", "lederidnr", "leaderid", "ledernr", "ledernummer"),
    "leader_name": ("leder", "leader", "ledernavn", "leadername", "navnpaleder", "lederensnavn"),
    "department": ("afdeling", "forvaltning", "department", "omrade", "område", "division"),
    "unit": ("enhed", "unit", "team", "arbejdssted"),
    "group": ("gruppe", "group", "ledergruppe", "leadergroup"),
    "wave": ("år", "ar", "runde", "wave", "year", "round", "måling", "maling", "periode", "surveyround",
             "surveywave", "surveyyear", "målingsrunde", "målingsår", "undersøgelsesår", "undersøgelsesrunde",
             "evalueringsrunde", "evalueringsår", "rundenr", "roundno", "period"),
    # A person key: the same value on every submission of one person (a respondent key, an e-mail hash, an
    # employee number). A resubmission is told apart from another person by it. The generic names of
    # GENERIC_PERSON_KEYS are read as one only when the export has no specific one.
    "respondent_id": (
        "respondentid", "respondentkey", "respondentnøgle",
        "respondentnogle", "personid", "person", "personnr", "personnummer", "personkey", "personnøgle",
        "personnogle", "medarbejdernr", "medarbejdernummer", "medarbejderid", "medarbnr", "employeeid",
        "employeenumber", "employeeno", "employeenr", "email", "emailhash", "hashedemail", "mail", "mailhash",
        "emailadresse", "emailaddress", "brugerid", "userid", "recipientemail", "externalreference",
        "externaldatareference", "respondentemail",
        "respondent", "respondentnr", "respondentnummer", "id",
    ),
    # A submission's own id (one per submitted form): it tells identical export rows apart, never two
    # submissions of one person; it stands in for the respondent id only when the export has no person key.
    "response_id": ("responseid", "besvarelsesid", "besvarelseid", "submissionid", "indsendelsesid", "svarid"),
    # When a submission was sent: the latest submission of a person counts.
    "submitted": (
        "submitted", "submittedat", "submitdate", "submissiondate", "submissiontime", "enddate", "endtime",
        "ended", "recordeddate", "completedat", "completiondate", "completiontime", "datecompleted",
        "indsendt", "indsendtdato", "indsendttidspunkt", "besvarelsestidspunkt", "besvarelsesdato",
        "besvaretdato", "besvarettidspunkt", "svartidspunkt", "svardato", "sluttid", "sluttidspunkt", "slutdato",
        "afsluttettidspunkt", "afsluttetdato", "gennemførtdato", "gennemførttidspunkt",
    ),
    # Long layout: which item an answer is about, and the answer.
    "item": ("spørgsmål", "sporgsmal", "item", "itemid", "question", "udsagn", "spørgsmålstekst"),
    "answer": ("svar", "answer", "value", "værdi", "vaerdi", "svarværdi", "score", "response", "besvarelse"),
}
FIELD_LABELS: dict[str, tuple[str, str]] = {
    "role": ("rolle", "role"),
    "leader_id": ("leder-id", "leader id"),
    "leader_name": ("leder", "leader"),
    "department": ("afdeling/forvaltning", "department"),
    "unit": ("enhed", "unit"),
    "group": ("gruppe", "group"),
    "wave": ("år/runde", "round/year"),
    "respondent_id": ("respondent-id (person)", "respondent id (person)"),
    "response_id": ("besvarelses-id", "response id"),
    "submitted": ("indsendt", "submitted"),
    "item": ("spørgsmål", "item"),
    "answer": ("svar", "answer"),
}

ROLE_LABELS: dict[str, str] = {
    # employees
    "medarbejder": "employee", "medarbejdere": "employee", "employee": "employee", "employees": "employee",
    "ansat": "employee", "medarbejdervurdering": "employee",
    # the leader about themself
    "leder": "self", "selvevaluering": "self", "selvvurdering": "self", "self": "self", "selv": "self",
    "leader": "self", "self-assessment": "self", "self assessment": "self", "lederen selv": "self",
    # the leader's own leader
    "leders leder": "manager", "lederens leder": "manager", "egen leder": "manager",
    "overordnet leder": "manager", "overordnet": "manager", "manager": "manager", "own leader": "manager",
    "leader's leader": "manager", "leader's manager": "manager", "nærmeste leder": "manager",
    "line manager": "manager", "superior": "manager",
}

# Labels of a 5-point agreement scale in Danish and English variants seen in exports. They are read only for a
# theme whose scale has five points: on a 7-point scale "Enig" is 6, not 4. The theme's own labels (and its
# points' ``also`` variants) come first.
FIVE_POINT_SYNONYMS: dict[str, str] = {
    "delvist uenig": "2", "delvis uenig": "2", "overvejende uenig": "2", "uenig": "2",
    "hverken enig eller uenig": "3", "hverken/eller": "3", "neutral": "3",
    "delvist enig": "4", "delvis enig": "4", "overvejende enig": "4", "enig": "4",
    "helt uenig": "1", "meget uenig": "1", "helt enig": "5", "meget enig": "5",
    "strongly disagree": "1", "completely disagree": "1",
    "disagree": "2", "mostly disagree": "2", "somewhat disagree": "2", "partly disagree": "2",
    "neither agree nor disagree": "3", "neither agree or disagree": "3",
    "agree": "4", "mostly agree": "4", "somewhat agree": "4", "partly agree": "4",
    "strongly agree": "5", "completely agree": "5",
}
# Variants of the answers beside the scale, read on any scale.
OFF_SCALE_SYNONYMS: dict[str, str] = {
    "ved ikke": "dont_know", "don't know": "dont_know", "dont know": "dont_know", "do not know": "dont_know",
    "don\u2019t know": "dont_know", "ved ikke/ikke relevant": "dont_know",
    "ønsker ikke at oplyse": "prefer_not", "ønsker ikke at svare": "prefer_not", "vil ikke oplyse": "prefer_not",
    "prefer not to say": "prefer_not", "prefer not to answer": "prefer_not", "rather not say": "prefer_not",
}


def synonyms_for(theme: Theme) -> dict[str, str]:
    """The common variants of answer labels that apply to the theme's scale (normalised label -> category)."""
    five_point = FIVE_POINT_SYNONYMS if len(theme.scale.points) == 5 else {}
    return {**five_point, **OFF_SCALE_SYNONYMS}


_NUMBERED_LABEL = re.compile(r"^(\d+)\s*[-\u2013.:)=]\s*(.+)$")
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


@dataclass(frozen=True)
class AnswerParse:
    """The reading of one cell: a category (a point of the theme's scale, "dont_know", "prefer_not"), blank, or
    a problem.

    ``via`` says when the reading is not the plain one (a number on the scale, the theme's or the mapping's
    label): "synonym" (a common variant of a label, e.g. "Meget enig"), "numbered" ("4 - Overvejende enig"),
    "blank_text" (a skipped question written as text, e.g. "NULL"). The import report lists these."""

    category: str | None
    problem: str | None = None  # "unknown_label" | "out_of_range" | "not_whole"
    via: str | None = None


# Look-up tables per theme object (hashing a whole theme on every call would cost more than the look-up).
_PER_THEME: dict[tuple[str, int], tuple[Theme, dict[str, str]]] = {}


def _per_theme(kind: str, theme: Theme, build: Callable[[Theme], dict[str, str]]) -> dict[str, str]:
    key = (kind, id(theme))
    hit = _PER_THEME.get(key)
    if hit is None or hit[0] is not theme:
        hit = _PER_THEME[key] = (theme, build(theme))
    return hit[1]


def answer_labels(theme: Theme) -> dict[str, str]:
    """Normalised answer labels (the theme's, in both languages, and common variants) -> category."""
    return _per_theme("answers", theme, _build_answer_labels)


def _build_answer_labels(theme: Theme) -> dict[str, str]:
    labels = synonyms_for(theme)
    for point in theme.scale.points:
        for text in (point.label.da, point.label.en, *point.also):
            labels[normalise(text)] = str(point.value)
    for ns in theme.scale.non_substantive:
        for text in (ns.label.da, ns.label.en):
            labels[normalise(text)] = ns.code
    return labels


def blank_form(text: object) -> str:
    """How a skipped question written as text is compared ("NULL", " n/a " and "N/A" alike; "." stays ".")."""
    return " ".join(unicodedata.normalize("NFC", str(text)).split()).casefold()


def synonym_labels(theme: Theme, mapping_labels: dict[str, str] | None = None) -> frozenset[str]:
    """The normalised labels that are read as a variant (not the theme's own labels nor the mapping's)."""
    own = {normalise(text) for point in theme.scale.points for text in (point.label.da, point.label.en, *point.also)}
    own |= {normalise(text) for ns in theme.scale.non_substantive for text in (ns.label.da, ns.label.en)}
    return frozenset(set(synonyms_for(theme)) - own - set(mapping_labels or {}))


def parse_answer(raw: object, labels: dict[str, str], maximum: int, *,
                 blanks: frozenset[str] | set[str] = frozenset(),
                 synonyms: frozenset[str] | set[str] = frozenset()) -> AnswerParse:
    """Read one answer cell: a label (a mapping's code such as ``"6" = "dont_know"`` applies to number cells
    and text cells alike), a number 1-``maximum`` (``4``, ``4.0``, ``4,0``), or a skipped question (empty, or
    one of ``blanks`` such as "NULL")."""
    if raw is None:
        return AnswerParse(None)
    if isinstance(raw, bool):
        return AnswerParse(None, "unknown_label")
    if isinstance(raw, int | float):
        if raw != raw:  # NaN
            return AnswerParse(None)
        return _coded(float(raw), labels, maximum)
    if blanks and (written := blank_form(raw)) and written in blanks:
        return AnswerParse(None, via="blank_text")
    text = normalise(raw)
    if not text:
        # Empty, or punctuation only ("?"): the latter is something written, not a skipped question.
        return AnswerParse(None, "unknown_label" if str(raw).strip() else None)
    if text in labels:
        return AnswerParse(labels[text], via="synonym" if text in synonyms else None)
    if _NUMBER.match(text):
        return _coded(float(text.replace(",", ".")), labels, maximum)
    numbered = _NUMBERED_LABEL.match(text)
    if numbered and normalise(numbered.group(2)) in labels:
        category = labels[normalise(numbered.group(2))]
        if category in NON_SUBSTANTIVE or category == numbered.group(1):
            return AnswerParse(category, via="numbered")
    return AnswerParse(None, "unknown_label")


def _coded(value: float, labels: dict[str, str], maximum: int) -> AnswerParse:
    """A number: a code the labels name (a mapping's ``"6" = "dont_know"``), else a point on the scale."""
    if value.is_integer() and str(int(value)) in labels:
        return AnswerParse(labels[str(int(value))])
    return _number(value, maximum)


def _number(value: float, maximum: int) -> AnswerParse:
    if value != int(value):
        return AnswerParse(None, "not_whole")
    if not 1 <= value <= maximum:
        return AnswerParse(None, "out_of_range")
    return AnswerParse(str(int(value)))


def parse_role(raw: object, extra: dict[str, str] | None = None) -> str | None:
    text = normalise(raw)
    if not text:
        return None
    if extra and text in extra:
        return extra[text]
    return ROLE_LABELS.get(text)


def item_texts(theme: Theme) -> dict[str, str]:
    """Normalised item wordings (all roles, both languages) and ids -> item id."""
    return _per_theme("items", theme, _build_item_texts)


def item_roles(theme: Theme) -> dict[str, str]:
    """Normalised item wording -> the role it is written for ("" for item ids)."""
    return _per_theme("item_roles", theme, _build_item_roles)


def _build_item_roles(theme: Theme) -> dict[str, str]:
    roles: dict[str, str] = {}
    for item in theme.items:
        roles.setdefault(normalise(item.id), "")
        for role in ROLES:
            wording = item.wording.for_role(role)
            for text in (wording.da, wording.en):
                roles.setdefault(normalise(text), role)
    return roles


def _build_item_texts(theme: Theme) -> dict[str, str]:
    texts: dict[str, str] = {}
    for item in theme.items:
        texts[normalise(item.id)] = item.id
        for role in ROLES:
            wording = item.wording.for_role(role)
            for text in (wording.da, wording.en):
                texts[normalise(text)] = item.id
    return texts


@dataclass(frozen=True)
class ItemMatch:
    item_id: str
    role: str | None  # the respondent role whose wording the header is (None for an id or a mapping label)
    exact: bool  # the header is the wording itself, not a longer text holding it


def match_item_header(header: object, theme: Theme, extra: dict[str, str] | None = None) -> ItemMatch | None:
    """The item a header (or a long-layout item cell) names: its exact text (any role's wording, Danish or
    English) or id, or a header holding exactly one item's full text (such as "Hvor enig er du i følgende
    udsagn? - Min leder sikrer ...")."""
    text = normalise(header)
    if not text:
        return None
    if extra and text in extra:
        return ItemMatch(extra[text], None, True)
    roles = item_roles(theme)
    texts = item_texts(theme)
    if text in texts:
        return ItemMatch(texts[text], roles.get(text) or None, True)
    contained = {(item_id, roles.get(w) or None) for w, item_id in texts.items() if len(w) > 20 and w in text}
    if len({item for item, _ in contained}) == 1:
        item_id, role = sorted(contained, key=lambda m: str(m[1]))[0]
        return ItemMatch(item_id, role, False)
    return None


def match_item(header: object, theme: Theme, extra: dict[str, str] | None = None) -> str | None:
    """The item id a header or cell names (see :func:`match_item_header`), or None."""
    found = match_item_header(header, theme, extra)
    return found.item_id if found else None


_FIELD_BY_NAME = {squash(name): field for field, names in FIELD_NAMES.items() for name in names}
# Names of a respondent id column that may as well number the rows or the submissions as the people ("ID",
# SurveyXact's "respondent"): a specific person key (employee number, person id, e-mail) wins over them.
GENERIC_PERSON_KEYS = frozenset({"respondent", "respondentnr", "respondentnummer", "id"})


def generic_person_key(header: object) -> bool:
    """Whether a respondent id column's name is generic (see :data:`GENERIC_PERSON_KEYS`)."""
    return squash(header) in GENERIC_PERSON_KEYS


def person_key_form(text: object) -> str:
    """How two person keys are compared: surrounding whitespace, Unicode form and letter case do not matter
    ("Anna@X.dk " and "anna@x.dk" are one person)."""
    return unicodedata.normalize("NFKC", str(text)).strip().casefold()


def match_field(header: object) -> str | None:
    """The field a column name stands for (role, leader_id, ...), or None."""
    return _FIELD_BY_NAME.get(squash(header))
