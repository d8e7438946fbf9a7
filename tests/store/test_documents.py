"""Documents: round-trip, idempotence, one transaction per add, order, signatures."""

from __future__ import annotations

import dataclasses
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kwatch.errors import StoreError
from kwatch.models import KINDS, RawDocument
from kwatch.store import Store, open_store
from kwatch.store.engine import resolve_url

T0 = datetime(2024, 3, 22, 18, 0, tzinfo=UTC)

# Any Unicode text PostgreSQL can hold (no NUL, no lone surrogates), with Cyrillic and Persian
# runs mixed in so every example exercises them.
_chars = st.characters(exclude_categories=["Cs"], exclude_characters="\x00")
_text = st.lists(
    st.one_of(
        st.text(_chars, min_size=1),
        st.sampled_from(["Крокус Сити Холл", "حمله انتحاری در کابل", "می‌خواهم", "Ўзбекистон", "ډله"]),
    ),
    min_size=1,
    max_size=4,
).map(" ".join)
_maybe_text = st.none() | st.text(_chars, max_size=40)
_published = st.none() | st.dates().flatmap(
    lambda d: st.sampled_from([d.isoformat(), d.isoformat()[:7], d.isoformat()[:4]])
).filter(lambda s: s is None or len(s.split("-")[0]) == 4)
_json = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.floats(allow_nan=False, allow_infinity=False) | st.text(_chars),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(_chars, max_size=8), inner, max_size=3),
    max_leaves=8,
)
raw_documents = st.builds(
    RawDocument,
    text=_text,
    kind=st.sampled_from(KINDS),
    path=_maybe_text,
    source=_maybe_text,
    url=_maybe_text,
    title=_maybe_text,
    author=_maybe_text,
    published=_published,
    language=st.none() | st.sampled_from(["en", "ru", "fa", "ps", "uz"]),
    locator=_maybe_text,
    meta=st.dictionaries(st.text(_chars, max_size=10), _json, max_size=4),
)
ingest_times = st.datetimes(timezones=st.none() | st.just(UTC) | st.just(timezone(timedelta(hours=4, minutes=30))))


def _raw(text: str, **fields: object) -> RawDocument:
    return RawDocument(text=text, kind="text", **fields)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=raw_documents, ingested_at=ingest_times)
def test_any_document_round_trips_exactly(store: Store, raw: RawDocument, ingested_at: datetime) -> None:
    # One store serves every example (and hypothesis replays examples): a unique last line keeps
    # each example a new document, since adding an existing one rightly changes nothing.
    raw = dataclasses.replace(raw, text=f"{raw.text}\n{uuid.uuid4()}")
    store.add_document(raw, ingested_at=ingested_at)
    doc = store.get_document(raw.id)
    assert doc is not None
    assert (doc.text, doc.kind, doc.path, doc.source, doc.url, doc.title, doc.author) == (
        raw.text, raw.kind, raw.path, raw.source, raw.url, raw.title, raw.author,
    )  # fmt: skip
    assert (doc.published, doc.published_precision, doc.language, doc.locator) == (
        raw.published, raw.published_precision, raw.language, raw.locator,
    )  # fmt: skip
    assert dict(doc.meta) == dict(raw.meta)
    assert (doc.ingested_at, doc.ingested_at.tzinfo) == (ingested_at, ingested_at.tzinfo)


def test_add_reports_new_then_present(store: Store) -> None:
    raw = _raw("Blast near Kabul airport.")
    first = store.add_document(raw, ingested_at=T0)
    second = store.add_document(raw, ingested_at=T0 + timedelta(hours=1))
    assert (first.new, second.new, first.id, second.id) == (True, False, raw.id, raw.id)


def test_adding_twice_keeps_one_row_and_first_values(store: Store) -> None:
    store.add_document(_raw("Blast near Kabul airport.", title="first"), ingested_at=T0, signature=b"s1")
    store.add_document(_raw("Blast near Kabul airport.", title="second"), ingested_at=T0, signature=b"s2")
    assert store.count_documents() == 1
    assert [d.title for d in store.documents()] == ["first"]
    assert list(store.signatures()) == [(_raw("Blast near Kabul airport.").id, b"s1")]
    assert len(store.search("Kabul")) == 1


def test_same_text_with_two_locators_is_two_documents(store: Store) -> None:
    a = store.add_document(_raw("Same caption", locator="chan/1"), ingested_at=T0)
    b = store.add_document(_raw("Same caption", locator="chan/2"), ingested_at=T0)
    assert a.id != b.id and store.count_documents() == 2


def test_missing_document_is_none(store: Store) -> None:
    assert (store.get_document("0" * 32), store.has_document("0" * 32)) == (None, False)


def _fts_rows(store_url: str, doc_id: str) -> int:
    """Full-text rows for a document: the FTS5 table on SQLite, a non-empty tsv on PostgreSQL."""
    engine = sa.create_engine(resolve_url(store_url))
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                sql = "SELECT count(*) FROM documents_fts WHERE document_id = :id"
            else:
                sql = "SELECT count(*) FROM documents WHERE id = :id AND tsv IS NOT NULL"
            return int(conn.execute(sa.text(sql), {"id": doc_id}).scalar_one())
    finally:
        engine.dispose()


def _make_signature_inserts_fail(store_url: str) -> None:
    """A real database failure in the middle of add_document: a trigger that rejects signatures."""
    engine = sa.create_engine(resolve_url(store_url))
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql(
                "CREATE TRIGGER reject_signature BEFORE INSERT ON document_signatures "
                "BEGIN SELECT RAISE(ABORT, 'signature rejected by test trigger'); END"
            )
        else:
            conn.exec_driver_sql(
                "CREATE FUNCTION reject_signature() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'signature rejected by test trigger' USING ERRCODE = 'check_violation'; END $$"
            )
            conn.exec_driver_sql(
                "CREATE TRIGGER reject_signature BEFORE INSERT ON document_signatures "
                "FOR EACH ROW EXECUTE FUNCTION reject_signature()"
            )
    engine.dispose()


def test_failed_signature_write_leaves_no_document_and_no_fulltext_row(store: Store, store_url: str) -> None:
    _make_signature_inserts_fail(store_url)
    raw = _raw("Attack on a checkpoint in Jalalabad.", title="Checkpoint attack")
    with pytest.raises(StoreError, match="signature rejected"):
        store.add_document(raw, ingested_at=T0, signature=b"sig")
    assert store.has_document(raw.id) is False
    assert _fts_rows(store_url, raw.id) == 0
    assert store.search("Jalalabad") == []


def test_document_without_signature_is_stored_despite_failing_signature_table(store: Store, store_url: str) -> None:
    _make_signature_inserts_fail(store_url)
    raw = _raw("Attack on a checkpoint in Jalalabad.")
    assert store.add_document(raw, ingested_at=T0).new
    assert _fts_rows(store_url, raw.id) == 1


def test_unknown_duplicate_of_is_refused_atomically(store: Store) -> None:
    raw = _raw("A near copy.")
    with pytest.raises(StoreError):
        store.add_document(raw, ingested_at=T0, duplicate_of="f" * 32)
    assert store.count_documents() == 0


def test_duplicate_of_is_kept(store: Store) -> None:
    original = store.add_document(_raw("The original report."), ingested_at=T0)
    copy = store.add_document(_raw("The original report!"), ingested_at=T0, duplicate_of=original.id)
    doc = store.get_document(copy.id)
    assert doc is not None and doc.duplicate_of == original.id


@pytest.mark.parametrize(
    "raw",
    [
        _raw("text with \x00 inside"),
        _raw("clean text", title="title \x00"),
        _raw("clean text", meta={"channel": "a\x00b"}),
    ],
    ids=["text", "title", "meta"],
)
def test_nul_characters_are_refused_on_both_dialects(store: Store, raw: RawDocument) -> None:
    with pytest.raises(StoreError, match="NUL"):
        store.add_document(raw, ingested_at=T0)


def test_documents_are_ordered_by_published_then_ingested_then_id(store: Store) -> None:
    store.add_document(_raw("undated"), ingested_at=T0)
    store.add_document(_raw("march", published="2024-03"), ingested_at=T0)
    store.add_document(_raw("march 5 later", published="2024-03-05"), ingested_at=T0 + timedelta(1))
    store.add_document(_raw("march 5 earlier", published="2024-03-05"), ingested_at=T0)
    store.add_document(_raw("year", published="2023"), ingested_at=T0)
    assert [d.text for d in store.documents()] == ["year", "march", "march 5 earlier", "march 5 later", "undated"]


@pytest.mark.parametrize(("limit", "offset", "expected"), [(2, 0, ["a", "b"]), (2, 2, ["c", "d"]), (None, 3, ["d"])])
def test_documents_pages(store: Store, limit: int | None, offset: int, expected: list[str]) -> None:
    for day, text in enumerate("abcd", start=1):
        store.add_document(_raw(text, published=f"2024-01-0{day}"), ingested_at=T0)
    assert [d.text for d in store.documents(limit=limit, offset=offset)] == expected


def test_count_documents(store: Store) -> None:
    for text in ("one", "two", "three"):
        store.add_document(_raw(text), ingested_at=T0)
    assert store.count_documents() == 3


def test_signatures_list_only_documents_that_have_one(store: Store) -> None:
    a = store.add_document(_raw("a"), ingested_at=T0, signature=b"\x00\x01\xff")
    store.add_document(_raw("b"), ingested_at=T0)
    assert list(store.signatures()) == [(a.id, b"\x00\x01\xff")]


def test_signatures_read_past_one_batch(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("kwatch.store.database._SIGNATURE_BATCH", 2)
    ids = sorted(store.add_document(_raw(f"doc {i}"), ingested_at=T0, signature=bytes([i])).id for i in range(5))
    assert [doc_id for doc_id, _ in store.signatures()] == ids


def test_new_document_is_not_yet_extracted(store: Store) -> None:
    raw = _raw("fresh")
    store.add_document(raw, ingested_at=T0)
    doc = store.get_document(raw.id)
    assert doc is not None
    assert (doc.extract_status, doc.extract_note, doc.duplicate_of, doc.chars) == (None, None, None, 5)


def test_two_writers_adding_the_same_documents_store_each_once(store_url: str) -> None:
    raws = [_raw(f"Concurrent report {i}.") for i in range(20)]
    start = threading.Barrier(2, timeout=60)

    def add_all() -> list[bool]:
        with open_store(store_url) as own:  # its own engine, as a second process would have
            start.wait()
            return [own.add_document(raw, ingested_at=T0, signature=b"s").new for raw in raws]

    with ThreadPoolExecutor(max_workers=2) as pool:
        first, second = pool.map(lambda _: add_all(), range(2))
    assert [a + b for a, b in zip(first, second)] == [1] * len(raws)
    with open_store(store_url) as check:
        assert check.count_documents() == len(raws)
        assert len(list(check.signatures())) == len(raws)
