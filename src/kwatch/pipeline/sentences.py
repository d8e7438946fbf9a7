"""sentences.v1: split a document into paragraphs and sentences with exact character offsets."""

from __future__ import annotations

import re
from functools import cache

from kwatch import lexicon
from kwatch.pipeline import Context, stage
from kwatch.pipeline.model import PipelineDoc, Sentence

_NEWLINE = re.compile(r"\n\s*\n|\n")
_LIST_ITEM = re.compile(r"\s*(?:[-•*\u2022]|\d+\.\s)")
_LINE_END = re.compile(r"""[.!?:;؟۔"'”’)\]]\s*$""")
#: A line at least this long that stops mid-sentence is hard-wrapped text, not a heading.
_WRAPPED_LINE = 55
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


def _paragraph_breaks(text: str) -> list[re.Match[str]]:
    """Blank lines break paragraphs; so does a single newline after a heading-like short line, a
    finished sentence or before a list item. A single newline inside running text (hard-wrapped
    reports and PDFs) is only a space, so a sentence may span lines."""
    breaks = []
    for match in _NEWLINE.finditer(text):
        if match.group(0).count("\n") > 1:
            breaks.append(match)
            continue
        line = text[text.rfind("\n", 0, match.start()) + 1 : match.start()]
        if len(line.strip()) < _WRAPPED_LINE or _LINE_END.search(line) or _LIST_ITEM.match(text, match.end()):
            breaks.append(match)
    return breaks


def split_sentences(text: str, abbreviations: frozenset[str] = frozenset()) -> tuple[Sentence, ...]:
    sentences: list[Sentence] = []
    paragraph_start = 0
    paragraph = 0
    for para_match in list(_paragraph_breaks(text)) + [None]:
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


@cache
def abbreviations(lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> frozenset[str]:
    """Words whose period ends no sentence ("gen" for "Gen."), cached per search path."""
    return frozenset(lexicon.load("abbreviations", "en", path=lexicons)["abbreviations"])


@stage("sentences.v1", assigns=("sentences",))
def sentences(doc: PipelineDoc, ctx: Context) -> PipelineDoc:
    """Split the text into sentences with character offsets (abbreviations: en/abbreviations.yaml,
    with the user's lexicon folders merged over it)."""
    return doc.but(sentences=split_sentences(doc.text, abbreviations(lexicon.in_options(ctx.options))))
