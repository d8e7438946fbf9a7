"""Ingest inputs into a store: read, detect language, find near duplicates, write.

The readers (`kwatch.ingest`) turn files and URLs into RawDocuments or ReadProblems; this module
decides what happens to each: a problem is recorded in `ingest_errors` and the batch goes on, a
document gets a language and a near-duplicate signature and is written in one transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterable, Iterator

import httpx

from kwatch import langid, neardup
from kwatch.errors import StoreError
from kwatch.ingest import ReadOptions, count_inputs, read_paths, read_url
from kwatch.models import RawDocument, ReadProblem
from kwatch.store import Store

_URL = re.compile(r"^https?://", re.IGNORECASE)


@dataclass(slots=True)
class IngestReport:
    new: int = 0
    present: int = 0
    failed: int = 0
    near_duplicates: int = 0
    new_ids: list[str] = field(default_factory=list)
    problems: list[ReadProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.failed == 0


@dataclass(frozen=True, slots=True)
class IngestEvent:
    """What happened to one item, for a progress display."""

    path: str
    outcome: str  # 'new' | 'present' | 'failed'
    detail: str


def is_url(value: str) -> bool:
    return bool(_URL.match(value))


def count_files(inputs: Iterable[str]) -> int:
    """How many inputs the batch visits (a URL counts as one)."""
    inputs = list(inputs)
    return sum(1 for i in inputs if is_url(i)) + count_inputs([Path(i) for i in inputs if not is_url(i)])


def _items(inputs: list[str], options: ReadOptions, client: httpx.Client | None) -> Iterator[RawDocument | ReadProblem]:
    paths = [Path(i) for i in inputs if not is_url(i)]
    if paths:
        yield from read_paths(paths, options=options)
    for url in (i for i in inputs if is_url(i)):
        if client is None:
            yield ReadProblem(url, "URL given but no HTTP client configured")
            continue
        yield from read_url(url, client=client, options=options)


def ingest(
    inputs: Iterable[str],
    store: Store,
    *,
    options: ReadOptions,
    now: Callable[[], datetime],
    client: httpx.Client | None = None,
    on_item: Callable[[IngestEvent], None] | None = None,
) -> IngestReport:
    """Read every input and write what can be read; return the counts.

    `now` is the clock for ingested_at and error times (injected so tests are repeatable).
    """
    report = IngestReport()
    index = neardup.NearDuplicateIndex()
    for doc_id, sig in store.signatures():
        index.add(doc_id, sig)

    def fail(problem: ReadProblem) -> None:
        store.record_error(problem.path, problem.reason, at=now())
        report.failed += 1
        report.problems.append(problem)
        _notify(on_item, IngestEvent(problem.path, "failed", problem.reason))

    for item in _items(list(inputs), options, client):
        if isinstance(item, ReadProblem):
            fail(item)
            continue
        item = _prepared(item)
        where = item.path or item.url or item.id
        if store.has_document(item.id):
            report.present += 1
            _notify(on_item, IngestEvent(where, "present", item.title or ""))
            continue
        sig = neardup.signature(item.text)
        similar = [(other, score) for other, score in index.query(sig) if other != item.id]
        duplicate_of = max(similar, key=lambda pair: (pair[1], pair[0]))[0] if similar else None
        try:
            result = store.add_document(item, ingested_at=now(), signature=sig, duplicate_of=duplicate_of)
        except StoreError as exc:  # nothing of this document was written; the batch goes on
            fail(ReadProblem(where, f"could not be stored: {exc.message}"))
            continue
        if result.new:
            index.add(result.id, sig)
            report.new += 1
            report.new_ids.append(result.id)
            report.near_duplicates += duplicate_of is not None
        else:  # another process stored it meanwhile
            report.present += 1
        _notify(on_item, IngestEvent(where, "new" if result.new else "present", item.title or ""))
    return report


def _prepared(doc: RawDocument) -> RawDocument:
    """NUL characters removed (no store can keep them; a PDF may carry them) before the id is
    taken from the text, and the language detected when the source did not state it."""
    if "\x00" in doc.text or (doc.title and "\x00" in doc.title):
        doc = replace(doc, text=doc.text.replace("\x00", ""), title=doc.title.replace("\x00", "") if doc.title else None)
    if doc.language is None:
        doc = replace(doc, language=langid.detect(doc.text))
    return doc


def _notify(callback: Callable[[IngestEvent], None] | None, event: IngestEvent) -> None:
    if callback is not None:
        callback(event)
