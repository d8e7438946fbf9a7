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
