"""The theme file: Danish text verbatim from the seed, English complete, and clear errors for bad files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dol_toolkit.themes import THEME_DIR, ThemeError, available_themes, load_theme, load_theme_file

SEED = (Path(__file__).parent / "data" / "seed_digital_omstilling.md").read_text(encoding="utf-8")
THEME_FILE = THEME_DIR / "digital_omstilling.toml"


def _section(heading: str) -> str:
    """Text under a markdown heading of the seed, up to the next heading."""
    match = re.search(rf"^#+ {re.escape(heading)}\n(.*?)(?=^#|\Z)", SEED, re.S | re.M)
    assert match, heading
    return match.group(1)


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def _bullets(text: str) -> list[str]:
    return [line[2:].strip().strip("*") for line in text.splitlines() if line.startswith("- ")]


@pytest.fixture(scope="module")
def theme():
    return load_theme()


def test_items_are_the_seed_items_in_seed_order(theme):
    seed_items = _bullets(_section("Hvordan spørger vi medarbejderne om det?"))
    assert len(seed_items) == 5
    assert [i.wording.employee.da for i in theme.items] == seed_items
    assert theme.item_ids == ("competences", "rationale", "citizen_value", "curiosity_culture", "it_security")


def test_self_and_manager_wordings_are_adapted(theme):
    for item in theme.items:
        assert item.wording.self.da.startswith("Jeg ")
        assert item.wording.manager.da.startswith("Lederen ")
        # Same statement, other subject: the verb phrase after "Min leder" is kept.
        verb = item.wording.employee.da.split()[2]
        assert item.wording.self.da.split()[1] == verb
        assert item.wording.manager.da.split()[1] == verb


def test_reflection_questions_are_the_seed_bullets(theme):
    seed_questions = _bullets(_section("Hvis du vil arbejde med ledelse af digital omstilling, kan du overveje:"))
    assert len(seed_questions) == 7
    assert [q.text("da") for q in theme.reflection_questions] == seed_questions
    # Every sub-question is one question of the seed, ending in a question mark.
    for q in theme.reflection_questions:
        assert all(s.text.da.endswith("?") and s.text.en.endswith("?") for s in q.sub_questions)
    assert [len(q.sub_questions) for q in theme.reflection_questions] == [2, 3, 3, 3, 3, 2, 4]


def test_texts_are_verbatim_from_the_seed(theme):
    assert theme.title.da == "Ledelse af digital omstilling"
    assert theme.what_is_it.da == _paragraphs(_section("Hvad er det?"))[0]
    assert theme.why_it_matters.da == _paragraphs(_section("Hvorfor er det vigtigt?"))[0]
    ask = _paragraphs(_section("Hvordan spørger vi medarbejderne om det?"))
    assert theme.how_we_ask.da == ask[0]
    assert theme.respondent_intro.da == ask[1].strip("*")
    assert theme.question_stem.da == ask[2].strip("*")
    assert theme.guidance.text.da == _paragraphs(_section("I dit eget lederskab"))[0]


def test_cases_are_verbatim_with_tagged_prompts(theme):
    titles = ["Bedre udnyttelse af eksisterende teknologi", "Meningen med algoritmer"]
    assert [c.title.da for c in theme.cases] == titles
    for case in theme.cases:
        assert case.text.da == _paragraphs(_section(case.title.da))[0]
        assert 3 <= len(case.prompts) <= 4
        for prompt in case.prompts:
            assert set(prompt.items) <= set(theme.item_ids) and prompt.items
    # Between them the cases touch every item, so every result has a case to discuss.
    assert set().union(*(c.items for c in theme.cases)) == set(theme.item_ids)


def test_scale(theme):
    assert [(p.value, p.label.da) for p in theme.scale.points] == [
        (1, "Helt uenig"), (2, "Overvejende uenig"), (3, "Hverken enig eller uenig"),
        (4, "Overvejende enig"), (5, "Helt enig"),
    ]
    assert [(n.code, n.label.da) for n in theme.scale.non_substantive] == [
        ("dont_know", "Ved ikke"), ("prefer_not", "Ønsker ikke at oplyse"),
    ]
    assert theme.scale.neutral == 3


def test_english_differs_from_danish_everywhere(theme):
    texts = [theme.title, theme.what_is_it, theme.why_it_matters, theme.how_we_ask, theme.respondent_intro]
    texts += [w for i in theme.items for w in (i.short, i.wording.employee, i.wording.self, i.wording.manager)]
    texts += [s.text for q in theme.reflection_questions for s in q.sub_questions]
    texts += [c.text for c in theme.cases] + [p.text for c in theme.cases for p in c.prompts]
    for t in texts:
        assert t.en and t.en != t.da, t.da
    assert theme.items[0].wording.employee("en").startswith("My leader")


def test_available_themes_and_unknown_theme():
    assert "digital_omstilling" in available_themes()
    with pytest.raises(ThemeError, match="no theme 'nope'"):
        load_theme("nope")


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = THEME_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "broken.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ('self = { da = "Jeg sikrer, at vores kompetencer', 'self = { dk = "Jeg sikrer, at vores kompetencer',
         r"items\[0\] \(id=competences\)\.wording\.self\.da"),
        ('id = "rationale"', 'id = "Rationale!"', r"items\[1\] \(id=Rationale!\)\.id"),
        ('{ value = 3,', '{ value = 7,', r"scale\.points"),
        ('items = ["it_security"]\ntext = { da = "Når', 'items = ["it_sec"]\ntext = { da = "Når',
         r"cases\.existing_technology\.prompts\.home_security\.items: unknown item id\(s\) it_sec"),
        ('[question_stem]', '[question_stem_typo]', r"question_stem"),
    ],
)
def test_malformed_theme_names_file_and_field(tmp_path, old, new, field):
    path = _broken(tmp_path, old, new)
    with pytest.raises(ThemeError) as info:
        load_theme_file(path)
    message = str(info.value)
    assert message.startswith(str(path))
    assert re.search(field, message), message


def test_not_toml_and_missing_file(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("title = [unclosed", encoding="utf-8")
    with pytest.raises(ThemeError, match=r"bad\.toml: not valid TOML"):
        load_theme_file(bad)
    with pytest.raises(ThemeError, match="theme file not found"):
        load_theme_file(tmp_path / "missing.toml")
