"""sentences.v1: sentences with exact offsets, abbreviations and citation marks kept inside."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kwatch.pipeline.sentences import split_sentences


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("A bomb exploded. Five were killed.", 2),
        ("Mr. Khan said it. Nobody else did.", 2),
        ("It happened on Dec. 28 in Kabul.", 1),
        ("Five died.[12] Police arrived.", 2),
        ("First paragraph\n\nSecond paragraph", 2),
    ],
)
def test_sentence_count(text, count):
    assert len(split_sentences(text, frozenset({"mr", "dec"}))) == count


def test_paragraph_index_follows_blank_lines():
    sentences = split_sentences("One. Two.\n\nThree.")
    assert [s.paragraph for s in sentences] == [0, 0, 1]


@given(st.text(alphabet=st.sampled_from(list("ab .!?\n\"')[1]")), max_size=200))
def test_every_sentence_is_its_own_text_slice(text):
    for sentence in split_sentences(text):
        assert text[sentence.start : sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip()
