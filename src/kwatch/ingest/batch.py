"""Ingest a batch of inputs into a store: read, detect language, find near duplicates, write.

The readers (the rest of `kwatch.ingest`) turn files and URLs into RawDocuments or ReadProblems
and never touch the store; this module, the one that does, decides what happens to each: a problem is recorded in `ingest_errors` and the batch goes on, a
document gets a language and a near-duplicate signature and is written in one transaction.

The steps after reading are guarded per document like the readers are (`kwatch.ingest.guard`):
a StoreError, or any other Exception (a bug), fails that document with a one-line reason and
the batch goes on; what was stored before stays stored.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from kwatch import langid, neardup
from kwatch.errors import StoreError
from kwatch.ingest import ReadOptions, count_inputs, read_paths, read_url
from kwatch.ingest.guard import one_line
from kwatch.ingest.values import storable
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
        problem = ReadProblem(storable(problem.path), storable(one_line(problem.reason)))
        store.record_error(problem.path, problem.reason, at=now())
        report.failed += 1
        report.problems.append(problem)
        _notify(on_item, IngestEvent(problem.path, "failed", problem.reason))

    for item in _items(list(inputs), options, client):
        if isinstance(item, ReadProblem):
            fail(item)
            continue
        where = item.path or item.url or item.locator or "document"
        try:
            stored = _store(item, store, index=index, now=now)
        except StoreError as exc:  # nothing of this document was written; the batch goes on
            fail(ReadProblem(where, f"could not be stored: {exc.message}"))
            continue
        except Exception as exc:  # containment, as for the readers: a bug costs this document only
            fail(ReadProblem(where, f"could not be ingested: {type(exc).__name__}: {exc} (a bug in kwatch's ingestion)"))
            continue
        if stored.new:
            report.new += 1
            report.new_ids.append(stored.id)
            report.near_duplicates += stored.near_duplicate
        else:
            report.present += 1
        _notify(on_item, IngestEvent(where, "new" if stored.new else "present", stored.title))
    return report


@dataclass(frozen=True, slots=True)
class _Stored:
    id: str
    new: bool  # False: the store had it already
    title: str
    near_duplicate: bool


def _store(raw: RawDocument, store: Store, *, index: neardup.NearDuplicateIndex, now: Callable[[], datetime]) -> _Stored:
    """Prepare one document, link it to its nearest duplicate and write it unless present."""
    doc = _prepared(raw)
    if store.has_document(doc.id):
        return _Stored(doc.id, False, doc.title or "", False)
    sig = neardup.signature(doc.text)
    similar = [(other, score) for other, score in index.query(sig) if other != doc.id]
    duplicate_of = max(similar, key=lambda pair: (pair[1], pair[0]))[0] if similar else None
    result = store.add_document(doc, ingested_at=now(), signature=sig, duplicate_of=duplicate_of)
    if not result.new:  # another process stored it meanwhile
        return _Stored(result.id, False, doc.title or "", False)
    index.add(result.id, sig)
    return _Stored(result.id, True, doc.title or "", duplicate_of is not None)


#: The string fields of a RawDocument, made `storable` like the strings in its `meta`.
_STRING_FIELDS = ("text", "path", "source", "url", "title", "author", "locator")


def _prepared(doc: RawDocument) -> RawDocument:
    """Every string made storable (NUL removed: no store can keep it, a PDF may carry it; a file
    name's undecodable bytes shown as U+FFFD) before the id is taken from the text, and the
    language detected when the source did not state it."""
    changed: dict[str, Any] = {
        name: storable(value) for name in _STRING_FIELDS if isinstance(value := getattr(doc, name), str) and storable(value) != value
    }
    meta = {key: storable(value) if isinstance(value, str) else value for key, value in doc.meta.items()}
    if meta != dict(doc.meta):
        changed["meta"] = meta
    if changed:
        doc = replace(doc, **changed)
    if doc.language is None:
        doc = replace(doc, language=langid.detect(doc.text))
    return doc


def _notify(callback: Callable[[IngestEvent], None] | None, event: IngestEvent) -> None:
    if callback is not None:
        callback(event)
