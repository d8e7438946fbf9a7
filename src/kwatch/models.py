"""The records that move between ingestion, the store and extraction.

Frozen dataclasses: a stage or reader returns new records, never mutates the ones it was given.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

#: Document kinds, one per reader.
KINDS = ("text", "html", "pdf", "rss", "telegram")

_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def date_precision(value: str | None) -> str | None:
    """'2024' -> 'year', '2024-03' -> 'month', '2024-03-22' -> 'day', None -> None."""
    if value is None:
        return None
    if not _PARTIAL_DATE.match(value):
        raise ValueError(f"not a YYYY, YYYY-MM or YYYY-MM-DD date: {value!r}")
    return {4: "year", 7: "month", 10: "day"}[len(value)]


def content_id(text: str, locator: str | None = None) -> str:
    """The document id: a hash of its text, plus its locator (channel/message id) when the same
    words can legitimately be two documents (two Telegram posts with one caption)."""
    digest = hashlib.sha256()
    digest.update(text.encode("utf-8"))
    if locator:
        digest.update(b"\x00" + locator.encode("utf-8"))
    return digest.hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One document as a reader produced it, before it has an id or is stored.

    `published` is 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' at the precision the source gives (None when
    unknown). `meta` holds kind-specific facts (Telegram: channel, message_id, forwarded_from,
    media_type, file_name, file_size, date_time; RSS: feed title, guid). `locator` distinguishes
    documents whose text may coincide (a Telegram post: "channel/message_id").
    """

    text: str
    kind: str
    path: str | None = None
    source: str | None = None
    url: str | None = None
    title: str | None = None
    author: str | None = None
    published: str | None = None
    language: str | None = None
    locator: str | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        date_precision(self.published)  # validates the shape

    @property
    def id(self) -> str:
        return content_id(self.text, self.locator)

    @property
    def published_precision(self) -> str | None:
        return date_precision(self.published)


@dataclass(frozen=True, slots=True)
class ReadProblem:
    """A file, URL or part of one (a single Telegram message) that could not be read."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class Document:
    """A stored document."""

    id: str
    text: str
    kind: str
    path: str | None
    source: str | None
    url: str | None
    title: str | None
    author: str | None
    published: str | None
    published_precision: str | None
    language: str | None
    locator: str | None
    meta: Mapping[str, Any]
    ingested_at: datetime
    duplicate_of: str | None = None
    extract_status: str | None = None  # None (not yet), 'ok', 'skipped', 'failed'
    extract_note: str | None = None  # why it was skipped or failed, or what was inferred

    @property
    def chars(self) -> int:
        return len(self.text)

    def record(self) -> dict[str, Any]:
        """The document without its text, as JSON-able data (`kwatch docs --json`, /api/documents)."""
        return {
            "id": self.id,
            "title": self.title,
            "source": self.source,
            "published": self.published,
            "published_precision": self.published_precision,
            "language": self.language,
            "kind": self.kind,
            "chars": self.chars,
            "url": self.url,
            "path": self.path,
            "locator": self.locator,
            "duplicate_of": self.duplicate_of,
            "extract_status": self.extract_status,
            "extract_note": self.extract_note,
            "ingested_at": self.ingested_at.isoformat() if self.ingested_at else None,
        }


@dataclass(frozen=True, slots=True)
class ErrorRecord:
    """A recorded problem (`kwatch errors`): an input that could not be read (kind 'ingest',
    stage 'read'), or a stored document whose extraction failed (kind 'extract', stage the
    pipeline stage that raised, or 'extract', 'to_record', 'store' outside the stages).

    `path` is the input's path or URL, or for an extraction failure the document's name (its
    locator, file name or URL, as exports name it); `document_id` is set for extraction failures.
    """

    path: str
    reason: str
    at: datetime
    kind: str = "ingest"  # 'ingest' | 'extract'
    stage: str = "read"
    document_id: str | None = None

    def record(self) -> dict[str, Any]:
        """As JSON-able data (`kwatch errors --json`)."""
        return {
            "kind": self.kind,
            "stage": self.stage,
            "path": self.path,
            "reason": self.reason,
            "at": self.at.isoformat() if self.at else None,
            "document_id": self.document_id,
        }


#: The former name, from when only ingest errors were recorded.
IngestErrorRecord = ErrorRecord


@dataclass(frozen=True, slots=True)
class SearchHit:
    document_id: str
    title: str | None
    source: str | None
    published: str | None
    snippet: str
    rank: float

    def record(self) -> dict[str, Any]:
        return {"id": self.document_id, "title": self.title, "source": self.source, "published": self.published, "snippet": self.snippet, "rank": self.rank}


def document_name(doc: Document) -> str:
    """How exports name a document: the message/item locator, else the file name, else the URL."""
    if doc.locator:
        return doc.locator
    if doc.path and not doc.path.startswith(("http://", "https://")):
        return doc.path.replace("\\", "/").rsplit("/", 1)[-1]
    return doc.url or doc.path or doc.id
