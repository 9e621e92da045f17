"""Three-way merge of note texts: what two writers changed, each on the same earlier text, put together.

When two people save a note on the same revision, the store joins their texts. Putting the later writer's whole
text after the note's would repeat everything both started from; with many writers in one note (a room typing
into the group's note) the note doubles with every conflict. So the store merges: the changes each writer made to
the text they started from (``base``) are found line by line (:class:`difflib.SequenceMatcher`) and applied
together. Where they changed different places, both changes go in. Where both added lines at the same place,
both additions go in, the earlier writer's first (but words typed on at the end of a line stay on that line,
before lines someone else added under it). Where both only added words to the same line(s), the words are
merged the same way (both additions at one place: the earlier writer's first). Where both rewrote the same part
differently, both versions of that part go in, one after the other, under a marked line naming the later
writer's version (merging two rewrites word by word would make a sentence neither wrote). Nothing either writer
typed is dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from difflib import SequenceMatcher
from typing import TypeVar

T = TypeVar("T")
Added = TypeVar("Added", str, list[str])  # an addition: a text, or its word and space tokens
Edit = tuple[int, int, list[T]]
CONFLICT_MARK = "\n\n——— {label} ———\n\n"
# Conflicting parts longer than this (characters) are not merged word by word (quadratic work).
CHAR_MERGE_LIMIT = 4000


def _tokens(text: str) -> list[str]:
    """Words and the spaces between them (joined again, the same text)."""
    return re.findall(r"\s+|\S+", text)


def _edits(base: Sequence[T], other: Sequence[T]) -> list[tuple[int, int, list[T]]]:
    """The changes that make ``other`` from ``base``. The common start and end are set aside first: two versions
    of a note share most of it, and SequenceMatcher's work grows with the square of repeated lines (blank lines,
    conflict marks) in what it compares."""
    start, limit = 0, min(len(base), len(other))
    while start < limit and base[start] == other[start]:
        start += 1
    end = 0
    while end < limit - start and base[len(base) - 1 - end] == other[len(other) - 1 - end]:
        end += 1
    middle_base, middle_other = base[start:len(base) - end], other[start:len(other) - end]
    matcher = SequenceMatcher(None, middle_base, middle_other, autojunk=False)
    return [(start + i1, start + i2, list(middle_other[j1:j2]))
            for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def _common_start(a: str, b: str) -> int:
    """How many characters ``a`` and ``b`` begin with alike (slices compared, halving: no loop per character)."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _common_end(a: str, b: str, limit: int) -> int:
    """How many characters (at most ``limit``) ``a`` and ``b`` end with alike."""
    lo, hi = 0, min(limit, len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[len(a) - mid:len(a) - lo] == b[len(b) - mid:len(b) - lo]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _touches(edit: tuple[int, int, list[T]], lo: int, hi: int) -> bool:
    """Whether an edit of the base range [a1, a2) overlaps the group [lo, hi) (insertions at one point count)."""
    a1, a2 = edit[0], edit[1]
    return ((a1 < hi and lo < a2) or (a1 == a2 == lo == hi) or (a1 == a2 and lo < a1 < hi)
            or (lo == hi and a1 < lo < a2))


def _apply(base: Sequence[T], lo: int, hi: int, edits: list[tuple[int, int, list[T]]]) -> list[T]:
    part: list[T] = []
    at = lo
    for a1, a2, replacement in edits:
        part += base[at:a1]
        part += replacement
        at = a2
    part += base[at:hi]
    return part


def _merge(base: Sequence[T], current: Sequence[T], submitted: Sequence[T],
           both: Callable[[list[T], list[T], list[T]], list[T] | None]) -> tuple[list[T], bool] | None:
    """Merge the two sides' edits of ``base``. ``both(base part, current's, submitted's)`` decides a part both
    changed differently (None: it cannot, and neither can this merge). Returns (merged, whether both sides
    changed some part)."""
    ec, es = _edits(base, current), _edits(base, submitted)
    out: list[T] = []
    at = i = j = 0
    overlapped = False
    while i < len(ec) or j < len(es):
        group_c: list[tuple[int, int, list[T]]] = []
        group_s: list[tuple[int, int, list[T]]] = []
        if j >= len(es) or (i < len(ec) and ec[i][0] <= es[j][0]):  # the group starts with the earliest edit
            group_c.append(ec[i])
            i += 1
        else:
            group_s.append(es[j])
            j += 1
        lo, hi = (group_c or group_s)[0][0], (group_c or group_s)[0][1]
        grew = True
        while grew:
            grew = False
            for edits, group, index in ((ec, group_c, i), (es, group_s, j)):
                if index < len(edits) and _touches(edits[index], lo, hi):
                    edit = edits[index]
                    group.append(edit)
                    lo, hi = min(lo, edit[0]), max(hi, edit[1])
                    if edits is ec:
                        i += 1
                    else:
                        j += 1
                    grew = True
                    break
        out += base[at:lo]
        part_c, part_s = _apply(base, lo, hi, group_c), _apply(base, lo, hi, group_s)
        if not group_c:
            out += part_s
        elif not group_s:
            out += part_c
        else:
            overlapped = True
            if part_c == part_s:
                out += part_c
            else:
                decided = both(list(base[lo:hi]), part_c, part_s)
                if decided is None:
                    return None
                out += decided
        at = hi
    out += base[at:]
    return out, overlapped


def _one_insertion(base: str, other: str) -> tuple[int, str] | None:
    """(where, what) when ``other`` is ``base`` with one piece of text typed into it, else None.

    The place is not always one: "room\nr" is "r" with "room\n" typed before it, or "oom\nr" typed after it.
    Of the places that fit, the one where the piece is whole lines is taken (lines added above or below a line
    are not words typed into it), else the latest."""
    if len(other) < len(base):
        return None
    at = _common_start(base, other)  # the text both begin with
    rest = len(base) - at
    if not (other.endswith(base[at:]) and len(other) - rest >= at):
        return None
    end = _common_end(base, other, len(base))  # the text both end with
    size = len(other) - len(base)

    def whole_lines(k: int) -> bool:
        piece = other[k:k + size]
        line_start, line_end = k == 0 or base[k - 1] == "\n", k == len(base) or base[k] == "\n"
        return (line_start and piece.endswith("\n")) or (piece.startswith("\n") and line_end)

    place = next((k for k in range(at, max(0, len(base) - end) - 1, -1) if whole_lines(k)), at)
    return place, other[place:place + size]


def _at_one_place(current: Added, submitted: Added) -> tuple[Added, Added]:
    """Two additions at one place, in order: the earlier writer's first, except that words typed on at the end
    of a line stay on that line, before the lines someone else added there (a writer who continues their own
    line while others add lines under it keeps their sentence whole)."""
    if _starts_line(current) and not _starts_line(submitted):
        return submitted, current
    return current, submitted


def _starts_line(added: str | Sequence[str]) -> bool:
    """Whether an addition (a text, or a list of word and space tokens) begins with a line break."""
    first = added if isinstance(added, str) else (added[0] if added else "")
    return first.lstrip(" \t").startswith(("\n", "\r"))


def _both_typed_into(base: str, current: str, submitted: str) -> str | None:
    """The usual case, done exactly: each writer typed one piece of text into ``base`` (no diff alignment that
    could put a piece somewhere else)."""
    theirs = _one_insertion(base, submitted)  # often a whole text in place of the note: None, at once
    mine = None if theirs is None else _one_insertion(base, current)
    if mine is None or theirs is None:
        return None
    (at_c, text_c), (at_s, text_s) = mine, theirs
    if at_c == at_s and text_c == text_s:  # both typed the same at the same place
        return current
    if at_c == at_s:  # both at one place: the earlier writer's first, on a line of its own if nothing parts them
        first, second = _at_one_place(text_c, text_s)
        apart = first and second and not first[-1].isspace() and not second[0].isspace()
        return base[:at_c] + first + ("\n" if apart else "") + second + base[at_c:]
    (one, one_text), (two, two_text) = sorted([(at_c, text_c), (at_s, text_s)])
    return base[:one] + one_text + base[one:two] + two_text + base[two:]


def merge_texts(base: str, current: str, submitted: str, label: str = "another version") -> tuple[str, bool]:
    """The note with both writers' changes: ``current`` (the note now) and ``submitted`` (the later writer's
    text), both written on ``base``. Returns (text, whether both changed some part of ``base``)."""
    typed = _both_typed_into(base, current, submitted)
    if typed is not None:
        return typed, current != base and submitted != base

    def words(part_base: str, part_c: str, part_s: str) -> str:
        """A part both changed, merged word by word; both versions under the label when that cannot be done
        without losing a word either wrote."""

        def added_at_one_place(b: list[str], c: list[str], s: list[str]) -> list[str] | None:
            if b:
                return None
            first, second = _at_one_place(c, s)
            return first + second

        typed = _both_typed_into(part_base, part_c, part_s)
        if typed is not None:
            return typed
        # Only where both writers only added words (typed into the same line): a merge of two rewrites of a line
        # would make a sentence neither of them wrote. (A side with fewer tokens than the base removed some.)
        if max(len(part_base), len(part_c), len(part_s)) <= CHAR_MERGE_LIMIT:
            tb, tc, ts = _tokens(part_base), _tokens(part_c), _tokens(part_s)
            only_added = all(len(side) >= len(tb) and all(a1 == a2 for a1, a2, _ in _edits(tb, side))
                             for side in (tc, ts))
            merged = _merge(tb, tc, ts, added_at_one_place) if only_added else None
            if merged is not None and keeps_additions(part_base, part_c, part_s, "".join(merged[0])):
                return "".join(merged[0])
        return part_c.rstrip("\n") + CONFLICT_MARK.format(label=label) + part_s.lstrip("\n")

    def lines(part_base: list[str], part_c: list[str], part_s: list[str]) -> list[str]:
        if not part_base:  # both added lines at the same place: both, the earlier writer's first
            joined_c = "".join(part_c)
            return [joined_c + ("" if joined_c.endswith("\n") or not joined_c else "\n") + "".join(part_s)]
        return [words("".join(part_base), "".join(part_c), "".join(part_s))]

    merged = _merge(base.splitlines(keepends=True), current.splitlines(keepends=True),
                    submitted.splitlines(keepends=True), lines)
    assert merged is not None  # ``lines`` decides every part
    text = "".join(merged[0])
    if not keeps_additions(base, current, submitted, text):  # never expected; if so, nothing may be lost
        return current + CONFLICT_MARK.format(label=label) + submitted, True
    return text, merged[1]


def keeps_additions(base: str, current: str, submitted: str, merged: str) -> bool:
    """Whether every word either writer added to ``base`` is in ``merged`` (as often as they added it). The words
    are :func:`_tokens`' words (str.split's whitespace is the regular expression's ``\\s``)."""
    have, had = Counter(merged.split()), Counter(base.split())
    for side in (current, submitted):
        added = Counter(side.split()) - had
        if any(have[word] < count for word, count in added.items()):
            return False
    return True
