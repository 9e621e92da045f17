"""The three-way merge of two writers' texts: nothing either typed is lost, nothing both had is repeated."""

from __future__ import annotations

import random

import pytest

from dol_toolkit.notes.merge import merge_texts


@pytest.mark.parametrize(("base", "current", "submitted", "expected"), [
    ("", "Annes tekst", "Bos tekst", "Annes tekst\nBos tekst"),
    ("a\nb\nc", "a\nb\nc x", "a\nb\nc y", "a\nb\nc x y"),  # both typed at the end of the last line
    ("a\nb\nc\n", "A\nb\nc\n", "a\nb\nC\n", "A\nb\nC\n"),  # different lines: both changes
    ("hello world", "hello brave world", "hello world again", "hello brave world again"),
    ("x\n", "x\n", "x\ny\n", "x\ny\n"),  # only one changed
    ("x\n", "x\nz\n", "x\nz\n", "x\nz\n"),  # both the same
    # a writer typing on at the end of their line while others added lines under it: their line stays whole
    ("room-p02-", "room-p02-\nroom-p05-\nroom-p04-", "room-p02-2e15", "room-p02-2e15\nroom-p05-\nroom-p04-"),
    ("a\nmin linje", "a\nmin linje\nderes", "a\nmin linje fortsat", "a\nmin linje fortsat\nderes"),
    ("a", "a b", "a\nc", "a b\nc"),  # the same, the other way round
    # a first keystroke saved alone ("r"), joined under others' lines; the writer's next keystrokes complete it
    ("r", "room-p06-\nroom-p05-\nr", "room-p01-", "room-p06-\nroom-p05-\nroom-p01-"),
    ("a", "a\nx", "a\ny", "a\nx\ny"),  # both added lines: the earlier writer's first
])
def test_changes_are_put_together(base, current, submitted, expected):
    assert merge_texts(base, current, submitted)[0] == expected


def test_the_same_part_changed_two_ways_keeps_both_versions_under_the_label():
    text, both = merge_texts("a\nb\n", "a\nX\n", "a\nY\n", "Bos version")
    assert both and "X" in text and "Y" in text and "Bos version" in text and text.startswith("a\n")


def test_random_edits_never_lose_a_word():
    """Words added anywhere by either writer are in the merge (checked on many random pairs of edits)."""
    rng = random.Random(7)
    for case in range(300):
        words = [f"w{case}_{i}" for i in range(rng.randint(0, 12))]
        base = " ".join(words)
        if rng.random() < 0.5:
            base = "\n".join(words)

        def edit(tag: str, base: str = base, case: int = case) -> tuple[str, list[str]]:
            parts = base.split("\n") if "\n" in base else [base]
            added = [f"{tag}{case}_{k}" for k in range(rng.randint(1, 3))]
            for word in added:
                where = rng.randrange(len(parts) + 1)
                if rng.random() < 0.5 and parts:
                    line = rng.randrange(len(parts))
                    parts[line] = parts[line] + " " + word
                else:
                    parts.insert(where, word)
            return "\n".join(parts), added

        current, added_c = edit("C")
        submitted, added_s = edit("S")
        merged, _ = merge_texts(base, current, submitted)
        for word in added_c + added_s + words:
            assert word in merged, (case, base, current, submitted, merged)
