"""The record types (kwatch.records) and the tables derived from them (issue 11: typed records)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.schema import CreateTable

from kwatch import records
from kwatch.records import Event, ResolvedEvent, Review, Source
from kwatch.store import open_store, schema

#: CREATE TABLE of the event tables as migrations 0001 and 0002 made them before the columns
#: were derived from kwatch.records (frozen: an applied migration's effect never changes); the
#: same text on SQLite and PostgreSQL.
MIGRATED_DDL = {
    "events": (
        'CREATE TABLE events (',
        'id VARCHAR(64) NOT NULL,',
        'document_id VARCHAR(64) NOT NULL,',
        'type VARCHAR(16) NOT NULL,',
        'date VARCHAR(10),',
        'date_precision VARCHAR(5),',
        'country VARCHAR(2),',
        'admin1 TEXT,',
        'admin2 TEXT,',
        'place TEXT,',
        'geo_precision VARCHAR(16),',
        'lat FLOAT,',
        'lon FLOAT,',
        'actor TEXT,',
        'claimed BOOLEAN,',
        'method VARCHAR(32),',
        'target VARCHAR(32),',
        'killed INTEGER,',
        'injured INTEGER,',
        'killed_claimed INTEGER,',
        'injured_claimed INTEGER,',
        'medium VARCHAR(16),',
        'outlet TEXT,',
        'languages JSON NOT NULL,',
        'detail JSON NOT NULL,',
        'created_at VARCHAR(40) NOT NULL,',
        'PRIMARY KEY (id),',
        'FOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE',
        ')',
    ),
    "resolved_events": (
        'CREATE TABLE resolved_events (',
        'id VARCHAR(64) NOT NULL,',
        'type VARCHAR(16) NOT NULL,',
        'date VARCHAR(10),',
        'country VARCHAR(2),',
        'admin1 TEXT,',
        'admin2 TEXT,',
        'place TEXT,',
        'geo_precision VARCHAR(16),',
        'lat FLOAT,',
        'lon FLOAT,',
        'actor TEXT,',
        'claimed BOOLEAN,',
        'method VARCHAR(32),',
        'target VARCHAR(32),',
        'killed INTEGER,',
        'killed_low INTEGER,',
        'killed_high INTEGER,',
        'injured INTEGER,',
        'injured_low INTEGER,',
        'injured_high INTEGER,',
        'killed_claimed INTEGER,',
        'injured_claimed INTEGER,',
        'medium VARCHAR(16),',
        'outlet TEXT,',
        'languages JSON NOT NULL,',
        'detail JSON NOT NULL,',
        'PRIMARY KEY (id)',
        ')',
    ),
}

_DIALECTS = {"sqlite": sqlite.dialect(), "postgresql": postgresql.dialect()}


def _lines(ddl: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in ddl.splitlines() if line.strip())


@pytest.mark.parametrize("dialect", sorted(_DIALECTS))
@pytest.mark.parametrize("table", sorted(MIGRATED_DDL))
def test_derived_tables_are_the_migrated_schema(table: str, dialect: str) -> None:
    assert _lines(str(CreateTable(schema.metadata.tables[table]).compile(dialect=_DIALECTS[dialect]))) == MIGRATED_DDL[table]


def test_a_migrated_store_has_the_derived_tables(tmp_path: Path) -> None:
    open_store(str(tmp_path / "k.db")).close()
    with sa.create_engine(f"sqlite:///{tmp_path / 'k.db'}").connect() as conn:
        found = {name: sql for name, sql in conn.execute(sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'table'"))}
    for table in ("events", "resolved_events"):
        assert _lines(found[table]) == MIGRATED_DDL[table]


def test_field_lists_come_from_the_types() -> None:
    from kwatch import analytics, api
    from kwatch.store import database

    assert api.RECORD_FIELDS == records.FORMAT_FIELDS
    assert api.RESOLVED_FIELDS + ("sources",) == records.RESOLVED_RECORD == analytics.COLUMNS
    assert database.EVENT_KEYS == records.EVENT_KEYS == records.EVENT_RECORD + ("date_basis", "document_id")
    assert records.EVENT_RECORD == records.FORMAT_FIELDS + ("sources", "geo_precision", "lat", "lon", "attribution", "detail")
    assert records.IN_DETAIL == ("attribution", "date_basis")
    assert records.RESOLVED_IN_DETAIL == ("attribution",)
    assert records.stored_fields(ResolvedEvent) == records.RESOLVED_RECORD  # `review` is laid over, never stored
    assert set(records.DATE_BASES) == {"text", "publication_day", "publication_month", "document_year"}


def test_event_record_names_its_documents() -> None:
    event = Event(id="e", document_id="d1", type="attack", languages=("ps",), sources=(Source(document_id="d1", quote="q", start=0, end=1, fields=("date",)),))
    record = event.record({"d1": "a.txt"})
    assert record["sources"] == [{"doc": "a.txt", "document_id": "d1", "quote": "q", "start": 0, "end": 1, "fields": ["date"]}]
    assert record["languages"] == ["ps"]
    assert "date_basis" not in record and "document_id" not in record
    assert Event.of(event.as_dict()) == event


def test_resolved_record_puts_sources_last() -> None:
    resolved = ResolvedEvent(id="r", type="plot", killed_low=1)
    assert list(resolved.record({}))[-1] == "sources"
    assert ResolvedEvent.of(resolved.record({})) == resolved


def test_reviewed_record_ends_with_its_review() -> None:
    reviewed = ResolvedEvent(id="r", type="plot", review=Review(status="confirmed", edited=("killed",)))
    record = reviewed.record({})
    assert list(record)[-2:] == ["sources", "review"] and record["review"] == {"status": "confirmed", "edited": ["killed"]}
    assert ResolvedEvent.of(record) == reviewed


def test_every_resolved_field_has_its_csv_columns() -> None:
    """The CSV writes every field of the resolved record but `detail`, to columns it has."""
    from kwatch.export import csv

    assert set(records.RESOLVED_RECORD) - {"detail"} == set(csv.COPIED) | set(csv.CONVERTED)
    written = set(csv.COPIED.values()) | {c for columns in csv.CONVERTED.values() for c in columns}
    assert written == set(csv.COLUMNS)


@pytest.mark.parametrize(
    ("text", "basis", "date"),
    [
        ("A suicide bomber killed 12 worshippers at a mosque in Kabul on 3 May 2024.", "text", "2024-05-03"),
        ("A suicide bomber killed 12 worshippers at a mosque in Kabul.", "publication_day", "2024-05-04"),
    ],
)
def test_issue_11_date_basis_says_where_the_date_came_from(text: str, basis: str, date: str) -> None:
    """events.v3 sets the typed field where it writes the provenance note; the store keeps it."""
    from kwatch.extract import build_context, extract, to_event
    from kwatch.pipeline.default import build_pipeline
    from kwatch.pipeline.model import PipelineDoc

    doc = PipelineDoc(id="d", text=text, language="en", kind="text", published="2024-05-04")
    (event,) = extract(doc, pipeline=build_pipeline(), ctx=build_context()).events or ()
    assert (event.date, event.date_basis) == (date, basis)
    stored = to_event(event, "d")
    assert stored.date_basis == basis and "date_basis" not in stored.record({})
