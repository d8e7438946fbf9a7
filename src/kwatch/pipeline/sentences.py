"""sentences.v1: split a document into paragraphs and sentences with exact character offsets."""

from __future__ import annotations

import dataclasses
import re

from kwatch import lexicon
from kwatch.pipeline import Context, stage
from kwatch.pipeline.model import PipelineDoc, Sentence

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n(?=\s*[-•*\u2022]|\s*\d+\.\s)|\n")
# A sentence ends at . ! ? (optionally followed by closing quotes/brackets and citation marks such
# as [12]) when whitespace and an opening character of a new sentence follow.
_END = re.compile(r"""[.!?؟۔]["'”’)\]]*(?:\[[^\]\n]{1,30}\])*(?=\s+["'“‘(\[]?[A-Z0-9\u0400-\u04FF\u0600-\u06FF])""")
_WORD_BEFORE = re.compile(r"([\w.]+)$")


def _is_abbreviation(text: str, dot: int, abbreviations: frozenset[str]) -> bool:
    match = _WORD_BEFORE.search(text, max(0, dot - 40), dot)
    if not match:
        return False
    word = match.group(1).lower().rstrip(".")
    return word in abbreviations or (len(word) == 1 and word.isalpha())


def split_sentences(text: str, abbreviations: frozenset[str] = frozenset()) -> tuple[Sentence, ...]:
    sentences: list[Sentence] = []
    paragraph_start = 0
    paragraph = 0
    for para_match in list(_PARAGRAPH_BREAK.finditer(text)) + [None]:
        para_end = para_match.start() if para_match else len(text)
        start = paragraph_start
        for end_match in _END.finditer(text, paragraph_start, para_end):
            if text[end_match.start()] == "." and _is_abbreviation(text, end_match.start(), abbreviations):
                continue
            _append(sentences, text, start, end_match.end(), paragraph)
            start = end_match.end()
        _append(sentences, text, start, para_end, paragraph)
        if para_match:
            paragraph += 1
            paragraph_start = para_match.end()
    return tuple(sentences)


def _append(sentences: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        sentences.append(Sentence(len(sentences), start, end, text[start:end], paragraph))


@stage("sentences.v1", assigns=("sentences",))
def sentences(doc: PipelineDoc, ctx: Context) -> PipelineDoc:
    """Split the text into sentences with character offsets."""
    abbreviations = frozenset(lexicon.load("abbreviations", "en")["abbreviations"])
    return dataclasses.replace(doc, sentences=split_sentences(doc.text, abbreviations))
