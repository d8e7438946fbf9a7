"""Ingestion into a real store: near duplicates linked, idempotence, one bad document never stops
the batch, the clock is injected."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kwatch.ingest import ReadOptions
from kwatch.ingest.batch import ingest
from kwatch.store import open_store

DATA = Path(__file__).resolve().parent / "data"
T0 = datetime(2024, 3, 23, 9, 0, tzinfo=UTC)


def clock() -> datetime:
    return T0


def test_the_same_wire_story_on_two_sites_is_linked_not_stored_as_unrelated(tmp_path):
    with open_store(str(tmp_path / "x.db")) as store:
        first = ingest([str(DATA / "neardup" / "site_a.txt")], store, options=ReadOptions(), now=clock)
        second = ingest([str(DATA / "neardup" / "site_b.txt"), str(DATA / "neardup" / "other.txt")], store, options=ReadOptions(), now=clock)
        assert (first.new, second.new, second.near_duplicates) == (1, 2, 1)
        by_name = {Path(d.path).name: d for d in store.documents()}
        assert by_name["site_b.txt"].duplicate_of == by_name["site_a.txt"].id
        assert by_name["other.txt"].duplicate_of is None
        assert by_name["site_a.txt"].ingested_at == T0


def test_a_document_the_store_refuses_is_reported_and_the_batch_goes_on(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("A report about a blast in Kabul on Tuesday.\n", encoding="utf-8")
    (folder / "b.txt").write_text("A second report about a raid in Nangarhar.\n", encoding="utf-8")
    with open_store(str(tmp_path / "x.db")) as store:
        real_add = store.add_document

        def refusing(raw, **kwargs):
            if raw.path.endswith("a.txt"):
                from kwatch.errors import StoreError

                raise StoreError("disk full")
            return real_add(raw, **kwargs)

        store.add_document = refusing  # type: ignore[method-assign]
        report = ingest([str(folder)], store, options=ReadOptions(), now=clock)
        assert (report.new, report.failed) == (1, 1)
        assert [e.reason for e in store.errors()] == ["could not be stored: disk full"]
        assert [Path(d.path).name for d in store.documents()] == ["b.txt"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.text(min_size=1, max_size=200).filter(lambda t: t.strip() and "\x00" not in t), min_size=1, max_size=5, unique=True))
def test_ingesting_twice_adds_nothing_the_second_time(tmp_path_factory, texts):
    folder = tmp_path_factory.mktemp("docs")
    for number, text in enumerate(texts):
        (folder / f"d{number}.txt").write_text(text, encoding="utf-8")
    with open_store(str(tmp_path_factory.mktemp("store") / "x.db")) as store:
        first = ingest([str(folder)], store, options=ReadOptions(), now=clock)
        count = store.count_documents()
        second = ingest([str(folder)], store, options=ReadOptions(), now=clock)
        assert second.new == 0
        assert store.count_documents() == count == first.new
        assert second.present == first.new
