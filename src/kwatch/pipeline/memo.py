"""Work several stages repeat on one sentence, done once per document.

Stages are pure functions of the document, but some ask the same question of one sentence: the
actors it names (actors.v2, then casualties.v2 and cues.v2 for the group's dead, attribution),
the figures of its verb phrases (casualties.v2, then cues.v2). A memo registered here (`Memo`, or
any cache with a `per_document` clear) answers the repeats; `Pipeline.run` empties every memo when a document starts, so a memo holds one document's
sentences at most and what one document costs does not depend on the documents before it (a
benchmark that repeats its documents measures them, not the memo).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")

_CLEARS: list[Callable[[], None]] = []


def per_document(clear: Callable[[], None]) -> None:
    """Register `clear`, which empties one memo, to run when a document starts."""
    _CLEARS.append(clear)


def new_document() -> None:
    """Empty every registered memo."""
    for clear in _CLEARS:
        clear()


class Memo(dict[K, V], Generic[K, V]):
    """A memo emptied when a document starts, and when it holds `limit` answers (stages called
    outside a pipeline run, document after document)."""

    def __init__(self, limit: int = 4096) -> None:
        super().__init__()
        self.limit = limit
        per_document(self.clear)

    def of(self, key: K, compute: Callable[[K], V]) -> V:
        """The answer kept for `key`, else `compute(key)`, kept (`remember` without a closure: for
        the hottest memos, asked of every sentence by every scanner)."""
        found = self.get(key)
        if found is None:
            if len(self) >= self.limit:
                self.clear()
            found = self[key] = compute(key)
        return found

    def remember(self, key: K, compute: Callable[[], V]) -> V:
        """The answer kept for `key`, else `compute()`, kept."""
        if key in self:
            return self[key]
        if len(self) >= self.limit:
            self.clear()
        value = self[key] = compute()
        return value
