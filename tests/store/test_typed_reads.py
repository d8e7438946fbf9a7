"""Issue 11: reads are typed. The store gives back `records.Event` / `records.ResolvedEvent`, on
SQLite and PostgreSQL alike; an Event written and read back is the Event written; `Kwatch`
serves typed reviewed events and their FORMAT.md records from them."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kwatch import review
from kwatch.api import Kwatch
from kwatch.models import RawDocument
from kwatch.records import DATE_BASES, IN_DETAIL, Event, ResolvedEvent, Review, Source
from kwatch.settings import resolve
from kwatch.store import Store

T0 = datetime(2024, 3, 22, 18, 0, tzinfo=UTC)
MakeEvent = Callable[..., dict[str, Any]]

# What both dialects hold: text without NUL or lone surrogates, 32-bit counts, finite floats.
_chars = st.characters(exclude_categories=["Cs"], exclude_characters="\x00")
_text = st.text(_chars, max_size=30)
_maybe_text = st.none() | _text
_count = st.none() | st.integers(0, 2**31 - 1)
_offset = st.none() | st.integers(-(2**31), 2**31 - 1)
_coordinate = st.none() | st.floats(-180, 180)
_date = st.none() | st.dates().flatmap(lambda d: st.sampled_from([d.isoformat(), d.isoformat()[:7], d.isoformat()[:4]]))
_json = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.floats(allow_nan=False, allow_infinity=False) | st.text(_chars),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(_chars, max_size=8), inner, max_size=3),
    max_leaves=8,
)
# A `detail` key named like a typed field kept in `detail` (date_basis) would be read back as that field.
_detail = st.dictionaries(st.text(_chars, max_size=10).filter(lambda k: k not in IN_DETAIL), _json, max_size=4)


def _vocabulary(name: str) -> st.SearchStrategy[str | None]:
    return st.none() | st.sampled_from(review.VOCABULARY[name])


def _events(doc_id: str) -> st.SearchStrategy[list[Event]]:
    sources = st.builds(Source, document_id=st.just(doc_id), quote=_text, start=_offset, end=_offset, fields=st.lists(_text, max_size=3).map(tuple))
    event = st.builds(
        Event,
        id=st.text(_chars, min_size=1, max_size=64),
        document_id=st.just(doc_id),
        type=st.sampled_from(review.VOCABULARY["type"]),
        date=_date,
        country=st.none() | st.text(st.characters(min_codepoint=65, max_codepoint=90), min_size=2, max_size=2),
        admin1=_maybe_text,
        admin2=_maybe_text,
        place=_maybe_text,
        actor=_maybe_text,
        claimed=st.none() | st.booleans(),
        method=_vocabulary("method"),
        target=_vocabulary("target"),
        killed=_count,
        injured=_count,
        killed_claimed=_count,
        injured_claimed=_count,
        medium=_vocabulary("medium"),
        languages=st.none() | st.lists(st.sampled_from(["en", "fa", "ps", "ru", "tg", "uz", "ur"]), max_size=3).map(tuple),
        outlet=_maybe_text,
        sources=st.lists(sources, max_size=3).map(tuple),
        geo_precision=st.none() | st.sampled_from(["site", "town", "district", "province", "country"]),
        lat=_coordinate,
        lon=_coordinate,
        detail=_detail,
        date_basis=st.none() | st.sampled_from(DATE_BASES),
    )
    return st.lists(event, min_size=1, max_size=3, unique_by=lambda e: e.id)


def _add(store: Store, text: str = "Gunmen attacked Crocus City Hall; at least 145 people were killed.", **fields: Any) -> str:
    return store.add_document(RawDocument(text=text, kind="text", **fields), ingested_at=T0).id


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_issue_11_an_event_round_trips_through_the_store(store: Store, data: st.DataObject) -> None:
    """Event → Store.set_extraction → Store.events() / get_event / events_by_id → the same Event.
    The one thing the store does not keep apart is no languages from an empty list (the column
    is a JSON list, never null): both read back as ()."""
    doc_id = store.documents()[0].id if store.count_documents() else _add(store)
    written = data.draw(_events(doc_id))
    store.set_extraction(doc_id, status="ok", note=None, events=written)
    expected = {e.id: dataclasses.replace(e, languages=e.languages or ()) for e in written}
    assert {e.id: e for e in store.events()} == expected
    assert store.events_by_id(list(expected)) == expected
    assert all(store.get_event(id) == event for id, event in expected.items())


def test_issue_11_reads_are_typed(store: Store, make_event: MakeEvent) -> None:
    """Every read of extracted events gives `records.Event`s, with the document that wrote each."""
    doc_id = _add(store)
    store.set_extraction(doc_id, status="ok", note=None, events=[Event.of({**make_event("e1", doc_id), "document_id": doc_id})])
    [event] = store.events()
    assert isinstance(event, Event) and all(isinstance(s, Source) for s in event.sources)
    assert (event.document_id, event.date_basis, event.languages, event.sources[0].fields) == (doc_id, "text", (), ("killed",))
    assert store.events_by_id(["e1", "nope"]) == {"e1": event} and store.get_event("e1") == event


def test_issue_11_resolved_events_read_back_typed(store: Store) -> None:
    """`resolved_events()` gives ResolvedEvents (no sources: they are the members'), all or by id."""
    rows = [
        {"id": "r1", "type": "attack", "date": "2024-03-22", "country": "RU", "killed": 145, "killed_low": 133, "killed_high": 145,
         "lat": 55.8257, "lon": 37.3866, "languages": [], "detail": {"members": ["r1", "e2"], "figures": [{"event_id": "e2", "killed": 133}]}},
        {"id": "r2", "type": "propaganda", "date": None, "medium": "video", "languages": ["ps", "tg"], "detail": {}},
    ]  # fmt: skip
    store.replace_resolution(rows, [{"resolved_id": "r1", "event_id": "e2", "reason": {"kind": "auto"}}])
    found = store.resolved_events()
    assert found == [ResolvedEvent.of(row) for row in rows]
    assert all(isinstance(r, ResolvedEvent) and r.sources == () and r.review is None for r in found)
    assert (found[1].languages, found[0].detail["figures"][0]["killed"]) == (("ps", "tg"), 133)
    assert store.resolved_events(ids=["r2"]) == [found[1]]


def test_issue_11_kwatch_serves_typed_reviewed_events_and_their_records(store: Store, make_event: MakeEvent) -> None:
    first = _add(store, path="reports/a.txt")
    second = _add(store, "Two days later: the toll at Crocus City Hall rose to 145.", locator="chan/7")
    store.set_extraction(first, status="ok", note=None, events=[make_event("a1", first)])
    store.set_extraction(second, status="ok", note=None, events=[make_event("b1", second, killed=140)])
    kw = Kwatch(store, resolve({"db": store.url}), now=lambda: T0)
    kw.resolve()
    [event] = kw.reviewed_events()
    assert isinstance(event, ResolvedEvent) and event.review == Review()
    assert {s.document_id for s in event.sources} == {first, second}
    assert kw.document_names() == {first: "a.txt", second: "chan/7"}
    assert kw.event_records() == [event.record(kw.document_names())]
    assert {s["doc"] for s in kw.event_records()[0]["sources"]} == {"a.txt", "chan/7"}

    kw.edit(event.id, "killed", 139, who="test")
    [edited] = kw.reviewed_events()
    assert (edited.killed, edited.review) == (139, Review(edited=("killed",)))
    assert dataclasses.replace(edited, killed=event.killed, review=event.review) == event
    assert [m["doc"] for m in kw.event(event.id)["members"]] == ["a.txt", "chan/7"]  # type: ignore[index]
