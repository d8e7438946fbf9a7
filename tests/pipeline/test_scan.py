"""kwatch.pipeline.scan: the Scanner gives exactly the matches of `re`, only faster."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kwatch.pipeline import casualties, cues, dates, places
from kwatch.pipeline.actors import matcher
from kwatch.pipeline.scan import DIGIT, Scanner, first_words, fold, opens_after_no_digit


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        (r"(?<![\w])(?:(?:suicide\s+)?bomb(?:er)?s?)(?![\w])", {"suicide", "bomb"}),
        (r"\b(?:on|last)\s+Monday\b", {"on", "last"}),
        (r"(?i:the\s+)X", {"the"}),
        (r"[sS]tab", {"s"}),
        (r"[A-Z]\w+\s+Mosque", None),  # a capital letter of any kind: no word to look for
        (r"(?:attack)?", None),  # may match empty
        (r"\d+ killed", {DIGIT}),  # every digit of the text is a candidate start
        (r"(?<![\d.])(?:\d{1,2}|three)\s+days", {DIGIT, "three"}),
        (r"[^\W\d]+ killed", None),
    ],
)
def test_first_words(pattern, words):
    found = first_words(re.compile(pattern, re.I))
    assert (set(found) if found is not None else None) == words


@pytest.mark.parametrize(
    ("pattern", "after_no_digit"),
    [
        (r"(?<![^\W_])\d+", True),  # WORD_START: no letter or digit before
        (r"(?<![\d./:-])\d", True),
        (r"(?<![\w])\d", True),
        (r"(?<![^\W\d_])\d", False),  # no letter before: a digit may be
        (r"(?<![^0-8])\d", False),  # the complement of 0-8 holds only 9 of the digits
        (r"(?<!:)\d", False),
        (r"(?<=x)\d", False),
        (r"\d", False),
    ],
)
def test_opens_after_no_digit(pattern, after_no_digit):
    assert opens_after_no_digit(re.compile(pattern, re.I)) is after_no_digit


def test_a_pattern_that_cannot_follow_a_digit_is_tried_at_the_first_digit_of_each_run():
    pattern = re.compile(r"(?<![^\W_])\d{4}\b")
    text = "12345 in 2024, ٢٠٢٤ and x2024"
    assert [m.span() for m in Scanner([pattern]).scan(text).finditer(pattern)] == [m.span() for m in pattern.finditer(text)]


def test_fold_agrees_with_case_blind_re_on_every_cased_letter_below_u2d00():
    cased = "".join(chr(c) for c in range(0x2D00) if chr(c).lower() != chr(c).upper())
    for ch in cased:
        matched = set(re.compile(re.escape(ch), re.IGNORECASE).findall(cased))
        same_fold = {other for other in cased if fold(other) == fold(ch)}
        assert matched == same_fold, ch


def test_fold_keeps_offsets():
    text = "İstanbul ſtreet ΣΊΣΥΦΟΣ Дᲁ attack"
    assert len(fold(text)) == len(text)


def _lexicon_patterns() -> list[re.Pattern[str]]:
    return [
        *cues.tables("en").scanner.patterns,
        *matcher().scanner.patterns,
        *casualties._patterns("en").scanner.patterns,
        *dates._patterns("en").scanner.patterns,
        *places.cues("en").scanner.patterns,
        # Templates that open with a day or a year (a digit, in any script), and "three days ago".
        *dates._date_rules("ru").scanner.patterns,
        *dates._date_rules("fa").scanner.patterns,
    ]


PATTERNS = _lexicon_patterns()
SCANNER = Scanner(PATTERNS)
# Texts made of lexicon words, case changes, look-alike letters and punctuation: where the
# scanner could go wrong (word edges, overlaps, case folding).
_PIECES = [
    "attack", "Attacks", "ATTACK", "suicide bomber", "killed", "were killed", "at least 11", "IS", "is",
    "ISKP", "IS-K", "Islamic State", "the group", "claimed responsibility", "Amaq", "Al-Azaim", "in Pashto",
    "on Tuesday", "March 4", "in May this year", "2024", "Kabul", "Jalalabad", "mosque", "the city of",
    "Afghan", "video", "25-minute", "ſ", "ı", "İ", "σ", "ς", "Σ", "K", "-", " ", " ", "\n", ".", ",", "'s",
    "x", "1", "(", ")", "ИГИЛ", "داعش", "Taliban", "no group has claimed", "police said",
    "5 мая 2024", "в 12:30", "три дня назад", "вчера", "۱۲ حمل ۱۴۰۳", "٣", "۵", "روز", "پیش",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=60))
def test_scanner_finds_exactly_what_re_finds(pieces):
    text = "".join(pieces)
    scan = SCANNER.scan(text)
    for pattern in PATTERNS:
        assert [m.span() for m in scan.finditer(pattern)] == [m.span() for m in pattern.finditer(text)], pattern.pattern
        expected = pattern.search(text)
        found = scan.search(pattern)
        assert (found.span() if found else None) == (expected.span() if expected else None), pattern.pattern


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=60))
def test_found_and_finditer_all_are_finditer_of_every_pattern(pieces):
    text = "".join(pieces)
    expected = [[m.span() for m in pattern.finditer(text)] for pattern in PATTERNS]
    assert [[m.span() for m in found] for found in SCANNER.finditer_all(text)] == expected
    assert [(i, [m.span() for m in found]) for i, found in SCANNER.found(text)] == [(i, spans) for i, spans in enumerate(expected) if spans]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=60), st.integers(0, 400), st.integers(0, 400))
def test_search_in_and_finditer_in_are_search_and_finditer_between_pos_and_endpos(pieces, pos, endpos):
    text = "".join(pieces)
    scan = SCANNER.scan(text)
    for pattern in PATTERNS:
        expected = pattern.search(text, pos, endpos)
        found = scan.search_in(pattern, pos, endpos)
        assert (found.span() if found else None) == (expected.span() if expected else None), pattern.pattern
        assert [m.span() for m in scan.finditer_in(pattern, pos, endpos)] == [m.span() for m in pattern.finditer(text, pos, endpos)]


def test_pattern_not_given_to_the_scanner_is_run_plainly():
    other = re.compile(r"\bKabul\b")
    assert [m.span() for m in SCANNER.scan("in Kabul, Kabul").finditer(other)] == [(3, 8), (10, 15)]
