"""actors.v2: aliases normalise to canonical actors; 'is' the verb is never the Islamic State."""

from __future__ import annotations

import pytest

from kwatch.pipeline.actors import find_actors, is_islamic_state, matcher
from kwatch.pipeline.model import Sentence


def _actors(text: str) -> list[tuple[str, str]]:
    return [(text[s:e], a) for s, e, a in matcher().find(text)]


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        ("IS-KP fighters", "ISKP"),
        ("ISIS-K said", "ISKP"),
        ("the Islamic State Khorasan Province", "ISKP"),
        ("Islamic State-Khorasan Province", "ISKP"),
        ("Wilayat Khorasan", "ISKP"),
        ("the Khawarij attacked", "ISKP"),
        ("داعش خراسان", "ISKP"),
        ("ИГИЛ-Хорасан", "ISKP"),
        ("Daesh claimed", "IS"),
        ("Islamic State – Sinai Province", "IS"),
        ("ISIL fighters", "IS"),
        ("Pakistani Taliban", "TTP"),
        ("Tehrik-i-Taliban Pakistan", "TTP"),
        ("the Islamic Emirate", "Taliban"),
        ("the Taleban", "Taliban"),
        ("al-Qaeda", "al-Qaeda"),
        ("Haqqani network", "Haqqani network"),
    ],
)
def test_alias_normalises_to_canonical_actor(text, actor):
    assert [a for _, a in _actors(text)] == [actor]


@pytest.mark.parametrize("text", ["It is what it is.", "This island is far", "Isis the goddess", "the crisis is over"])
def test_verb_is_and_words_containing_is_match_nothing(text):
    assert _actors(text) == []


def test_longest_alias_wins_at_one_position():
    assert _actors("Islamic State Khorasan Province fighters") == [("Islamic State Khorasan Province", "ISKP")]


def test_possessive_does_not_block_a_match():
    assert _actors("IS-KP's statement") == [("IS-KP", "ISKP")]


@pytest.mark.parametrize(("actor", "expected"), [("ISKP", True), ("IS", True), ("Taliban", False), (None, False)])
def test_islamic_state_family(actor, expected):
    assert is_islamic_state(actor) is expected


def test_mentions_carry_their_sentence_index():
    text = "A blast hit Kabul. IS claimed it."
    sentences = (Sentence(0, 0, 18, text[0:18], 0), Sentence(1, 19, 33, text[19:33], 0))
    (mention,) = find_actors(text, sentences)
    assert (mention.text, mention.actor, mention.sentence) == ("IS", "IS", 1)


def _one_alternation_find(text: str) -> list[tuple[int, int, str]]:
    """What the matcher found when all aliases were one alternation (longest alias first): the
    reference for the matcher's one alternation per first word."""
    import re

    from kwatch import lexicon
    from kwatch.pipeline.actors import _AFTER, _BEFORE, _key, is_case_sensitive, phrase_regex

    aliases = [a for entry in lexicon.load_file("actors.yaml").data["actors"].values() for names in entry["aliases"].values() for a in names]
    found = []
    for exact in (True, False):
        chosen = sorted({a for a in aliases if is_case_sensitive(a) is exact}, key=len, reverse=True)
        pattern = re.compile(f"{_BEFORE}(?:{'|'.join(phrase_regex(a) for a in chosen)}){_AFTER}", 0 if exact else re.IGNORECASE)
        found += [(m.start(), m.end(), matcher().canonical[_key(m.group(0))]) for m in pattern.finditer(text)]
    found.sort(key=lambda m: (m[0], -(m[1] - m[0])))
    kept: list[tuple[int, int, str]] = []
    for item in found:
        if not kept or item[0] >= kept[-1][1]:
            kept.append(item)
    return kept


_ALIAS_PIECES = [
    "IS", "is", "ISIS", "ISIS-K", "IS-K", "Islamic State", "Islamic State Khorasan", "Khorasan Province", "Taliban",
    "Pakistani Taliban", "TTP", "al-Qaeda", "Daesh", "داعش", "داعش خراسان", "ИГИЛ", "ИГИЛ-Хорасан", "Wilayat", "Khorasan",
    "the", " ", "-", "'s", ",", "\n", "x", "Haqqani network", "police", "the Islamic Emirate",
]


def test_one_alternation_per_first_word_finds_what_one_alternation_found():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.sampled_from(_ALIAS_PIECES), max_size=40))
    def check(pieces):
        text = "".join(pieces)
        assert matcher()._find(text) == _one_alternation_find(text)

    check()
