"""`Store.snapshot()`: several reads see one state of the store, and nothing inside it writes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from kwatch.errors import Bug
from kwatch.models import RawDocument
from kwatch.store import Store, open_store

T0 = datetime(2024, 3, 22, 18, 0, tzinfo=UTC)


def _document(store: Store, text: str) -> str:
    return store.add_document(RawDocument(text=text, kind="text"), ingested_at=T0).id


def test_reads_in_a_snapshot_do_not_see_a_write_committed_meanwhile(store: Store, store_url: str, clock: Any, make_event: Callable[..., dict[str, Any]]) -> None:
    first = _document(store, "Kabul, 3 March 2024. A bomb killed 4 people.")
    store.set_extraction(first, status="ok", note=None, events=[make_event("e1", first)])
    with open_store(store_url, now=clock) as other:
        with store.snapshot():
            before = store.events()
            second = _document(other, "Herat, 4 March 2024. A bomb killed 2 people.")
            other.set_extraction(second, status="ok", note=None, events=[make_event("e2", second)])
            # The event, its document and the document list are all of the state before the write.
            assert [e.id for e in store.events()] == [e.id for e in before] == ["e1"]
            assert store.event_document_ids() == {"e1": first}
            assert [d["id"] for d in store.document_infos()] == [first]
        assert sorted(store.event_document_ids()) == ["e1", "e2"]


def test_a_write_inside_a_snapshot_is_a_bug(store: Store) -> None:
    with store.snapshot():
        with pytest.raises(Bug, match="reads never write"):
            store.start_run("resolve", scope="all", pipeline_version="test")
    assert store.runs() == []  # and the store is usable afterwards
    store.start_run("resolve", scope="all", pipeline_version="test")
    assert len(store.runs()) == 1


def test_snapshots_nest_and_the_connection_is_writable_after(store: Store) -> None:
    with store.snapshot():
        with store.snapshot():
            store.count_documents()
        store.count_documents()
    for _ in range(3):  # pooled connections come back without query_only / read-only
        _document(store, f"text {_}")
    assert store.count_documents() == 3


def test_replace_resolution_finishes_its_run_in_the_same_transaction(store: Store, make_event: Callable[..., dict[str, Any]]) -> None:
    doc = _document(store, "Kabul, 3 March 2024. A bomb killed 4 people.")
    store.set_extraction(doc, status="ok", note=None, events=[make_event("e1", doc)])
    assert not store.resolution_is_current()
    run = store.start_run("resolve", scope="all", pipeline_version="test")
    assert store.unfinished_run("resolve")["id"] == run  # type: ignore[index]
    resolved = {"id": "e1", "type": "attack", "languages": [], "detail": {}}
    store.replace_resolution([resolved], [{"resolved_id": "e1", "event_id": "e1", "reason": {"kind": "first"}}], run=run)
    [row] = store.runs(kind="resolve")
    assert row["finished_at"] is not None and row["documents"] == 1 and row["failed"] == 0
    assert store.unfinished_run("resolve") is None
    assert store.resolution_is_current()


def test_the_resolution_kept_is_the_run_that_finished_last(store: Store, make_event: Callable[..., dict[str, Any]]) -> None:
    doc = _document(store, "Kabul, 3 March 2024. A bomb killed 4 people.")
    store.set_extraction(doc, status="ok", note=None, events=[make_event("e1", doc)])
    first = store.start_run("resolve", scope="all", pipeline_version="test")
    second = store.start_run("resolve", scope="all", pipeline_version="test")
    member = [{"resolved_id": "e1", "event_id": "e1", "reason": {"kind": "first"}}]
    resolved = [{"id": "e1", "type": "attack", "languages": [], "detail": {}}]
    store.replace_resolution(resolved, member, run=second)
    store.replace_resolution(resolved, member, run=first)  # the run that started first writes last
    assert store.resolution_state()["last_run"]["id"] == first
