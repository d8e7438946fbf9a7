"""Extracted events: set_extraction replaces atomically; events() reads typed Events back; the
one filter (`query.keep`) over them; ingest errors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from kwatch.errors import Bug, StoreError
from kwatch.models import IngestErrorRecord, RawDocument
from kwatch.records import Event, Source
from kwatch.store import Store

T0 = datetime(2024, 3, 22, 18, 0, tzinfo=UTC)
MakeEvent = Callable[..., dict[str, Any]]


def _add(store: Store, text: str, **fields: Any) -> str:
    return store.add_document(RawDocument(text=text, kind="text", **fields), ingested_at=T0).id


@pytest.fixture
def doc_id(store: Store) -> str:
    return _add(store, "Gunmen attacked Crocus City Hall; at least 145 people were killed.")


def test_event_round_trips_with_its_sources(store: Store, doc_id: str, make_event: MakeEvent) -> None:
    event = make_event("e1", doc_id, languages=["ru", "en"], lat=55.82571234567, detail={"length": 3, "ratio": 0.1})
    store.set_extraction(doc_id, status="ok", note=None, events=[event])
    typed = Event.of({**event, "document_id": doc_id})
    assert store.get_event("e1") == typed
    assert store.events() == [typed]
    assert typed.as_dict() == {**event, "document_id": doc_id}


def test_an_event_of_another_document_is_a_bug(store: Store, doc_id: str, make_event: MakeEvent) -> None:
    other = _add(store, "Another report.")
    with pytest.raises(Bug, match="of document"):
        store.set_extraction(doc_id, status="ok", note=None, events=[Event.of({**make_event("e1", other), "document_id": other})])


def test_event_with_only_id_and_type_reads_back_with_every_key(store: Store, doc_id: str) -> None:
    store.set_extraction(doc_id, status="ok", note=None, events=[{"id": "e1", "type": "propaganda"}])
    stored = store.get_event("e1")
    assert stored is not None
    assert (stored.type, stored.languages, stored.detail, stored.sources, stored.killed, stored.document_id) == (
        "propaganda", (), {}, (), None, doc_id,
    )  # fmt: skip


def test_set_extraction_marks_the_document(store: Store, doc_id: str, clock: Any) -> None:
    store.set_extraction(doc_id, status="skipped", note="no event words", events=[])
    doc = store.get_document(doc_id)
    assert doc is not None and (doc.extract_status, doc.extract_note) == ("skipped", "no event words")


def test_set_extraction_replaces_previous_events(store: Store, doc_id: str, make_event: MakeEvent) -> None:
    store.set_extraction(doc_id, status="ok", note=None, events=[make_event("e1", doc_id), make_event("e2", doc_id)])
    store.set_extraction(doc_id, status="ok", note="second run", events=[make_event("e3", doc_id, killed=150)])
    assert [(e.id, e.killed) for e in store.events()] == [("e3", 150)]
    assert store.get_event("e1") is None


def test_set_extraction_with_same_ids_rewrites_them(store: Store, doc_id: str, make_event: MakeEvent) -> None:
    store.set_extraction(doc_id, status="ok", note=None, events=[make_event("e1", doc_id)])
    store.set_extraction(doc_id, status="ok", note=None, events=[make_event("e1", doc_id, killed=139)])
    assert [(e.id, e.killed, len(e.sources)) for e in store.events()] == [("e1", 139, 1)]


def test_set_extraction_leaves_other_documents_events(store: Store, doc_id: str, make_event: MakeEvent) -> None:
    other = _add(store, "Another report.")
    store.set_extraction(other, status="ok", note=None, events=[make_event("other-1", other)])
    store.set_extraction(doc_id, status="ok", note=None, events=[make_event("e1", doc_id)])
    store.set_extraction(doc_id, status="ok", note=None, events=[])
    assert [e.id for e in store.events()] == ["other-1"]


def test_failed_set_extraction_keeps_previous_events_and_status(store: Store, doc_id: str, make_event: MakeEvent) -> None:
    store.set_extraction(doc_id, status="ok", note="first", events=[make_event("e1", doc_id)])
    # The second event cites a document that is not stored: the foreign key fails after the
    # delete and the first insert have run, so everything must roll back.
    broken = [make_event("e2", doc_id), make_event("e3", doc_id, sources=[{"document_id": "f" * 32, "quote": "x"}])]
    with pytest.raises(StoreError):
        store.set_extraction(doc_id, status="skipped", note="second", events=broken)
    assert [e.id for e in store.events()] == ["e1"]
    doc = store.get_document(doc_id)
    assert doc is not None and (doc.extract_status, doc.extract_note) == ("ok", "first")


def test_event_id_owned_by_another_document_is_refused(store: Store, doc_id: str, make_event: MakeEvent) -> None:
    other = _add(store, "Another report.")
    store.set_extraction(other, status="ok", note=None, events=[make_event("shared", other)])
    with pytest.raises(StoreError):
        store.set_extraction(doc_id, status="ok", note=None, events=[make_event("shared", doc_id)])


def test_event_may_cite_several_documents(store: Store, doc_id: str, make_event: MakeEvent) -> None:
    other = _add(store, "A second outlet's report.")
    sources = [
        {"document_id": doc_id, "quote": "Crocus City Hall", "start": 15, "end": 31, "fields": ["place"]},
        {"document_id": other, "quote": "second outlet", "start": 2, "end": 15, "fields": []},
    ]
    store.set_extraction(doc_id, status="ok", note=None, events=[make_event("e1", doc_id, sources=sources)])
    stored = store.get_event("e1")
    assert stored is not None and stored.sources == tuple(Source.of(s) for s in sources)


def test_set_extraction_on_unknown_document_is_a_store_error(store: Store) -> None:
    with pytest.raises(StoreError, match="No document"):
        store.set_extraction("0" * 32, status="ok", note=None, events=[])


@pytest.mark.parametrize(
    ("status", "events"),
    [
        ("done", []),
        ("ok", [{"id": "e1", "type": "attack", "casualties": 3}]),
        ("ok", [{"type": "attack"}]),
        ("ok", [{"id": "e1", "type": "attack", "date": "22 March 2024"}]),
        ("ok", [{"id": "e1", "type": "attack", "sources": [{"doc": "x", "quote": "q"}]}]),
        ("ok", [{"id": "e1", "type": "attack"}, {"id": "e1", "type": "plot"}]),
    ],
    ids=["bad-status", "unknown-key", "no-id", "bad-date", "bad-source", "same-id-twice"],
)
def test_malformed_extraction_is_a_bug(store: Store, doc_id: str, status: str, events: list[dict[str, Any]]) -> None:
    with pytest.raises(Bug):
        store.set_extraction(doc_id, status=status, note=None, events=events)


def test_documents_to_extract_lists_only_pending_unless_redo(store: Store, doc_id: str) -> None:
    later = _add(store, "Later report.", published="2025-01-01")
    store.set_extraction(doc_id, status="ok", note=None, events=[])
    assert store.documents_to_extract() == [later]
    assert set(store.documents_to_extract(redo=True)) == {doc_id, later}


@pytest.fixture
def dated_events(store: Store, doc_id: str, make_event: MakeEvent) -> None:
    records = [
        make_event("a", doc_id, date="2023-11-02", country="AF", type="attack"),
        make_event("b", doc_id, date="2024-03", country="RU", type="attack"),
        make_event("c", doc_id, date="2024-03-22", country="RU", type="arrest"),
        make_event("d", doc_id, date="2024", country="TJ", type="arrest"),
        make_event("e", doc_id, date=None, country=None, type="propaganda"),
    ]
    store.set_extraction(doc_id, status="ok", note=None, events=records)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["a", "d", "b", "c", "e"]),
        ({"type": "arrest"}, ["d", "c"]),
        ({"country": "RU"}, ["b", "c"]),
        ({"since": "2024"}, ["d", "b", "c"]),
        ({"since": "2024-03-22"}, ["c"]),
        ({"until": "2023"}, ["a"]),
        ({"until": "2024-03"}, ["a", "d", "b", "c"]),
        ({"since": "2024-03", "until": "2024-03"}, ["b", "c"]),
        ({"type": "attack", "country": "RU", "since": "2024"}, ["b"]),
        ({"limit": 2}, ["a", "d"]),
        ({"type": "plot"}, []),
    ],
)
def test_events_filters(store: Store, dated_events: None, filters: dict[str, Any], expected: list[str]) -> None:
    """The store gives events in date order; the one filtering step of every view keeps that order."""
    from kwatch.query import keep

    assert [e.id for e in keep(store.events(), **filters)] == expected


def test_get_unknown_event_is_none(store: Store) -> None:
    assert store.get_event("nope") is None


def test_errors_are_listed_oldest_first(store: Store) -> None:
    store.record_error("b.pdf", "encrypted PDF", at=T0 + timedelta(minutes=5))
    store.record_error("a.html", "no text found", at=T0)
    store.record_error("чат/export.json", "message 12: bad date", at=T0 + timedelta(minutes=5))
    assert store.errors() == [
        IngestErrorRecord("a.html", "no text found", T0),
        IngestErrorRecord("b.pdf", "encrypted PDF", T0 + timedelta(minutes=5)),
        IngestErrorRecord("чат/export.json", "message 12: bad date", T0 + timedelta(minutes=5)),
    ]


def test_no_errors_on_a_new_store(store: Store) -> None:
    assert store.errors() == []
