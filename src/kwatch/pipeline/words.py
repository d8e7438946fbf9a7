"""Regex pieces for lexicon words, shared by the stages that read word lists of any language.

`literal_alternation` turns a list of words or phrases (literal text, never regex syntax) into
one alternation, longest first, with a space matching any run of spaces; `WORD_START` and
`WORD_END` are word edges that hold in every script (a letter or digit may not touch the word).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

WORD_START = r"(?<![^\W_])"
WORD_END = r"(?![^\W_])"


def literal_alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


def fold(word: str) -> str:
    """A word as the lexicon tables key it: case-folded, runs of spaces as one."""
    return " ".join(word.casefold().split())
