"""The tables, as SQLAlchemy Core objects shared by both dialects.

Full-text search is the one dialect-specific part and lives in `fulltext.py`. Times are ISO 8601
text on both dialects so a datetime (with or without a zone) reads back exactly as written.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import BYTEA
from sqlalchemy.engine import Dialect

from kwatch import records
from kwatch.errors import Bug

metadata = sa.MetaData()

#: JSON text on both dialects. Not JSONB: it rewrites numbers (1e16 reads back as an int), so
#: floats in `meta` or `detail` would not round-trip exactly.
Json = sa.JSON()
Blob = sa.LargeBinary().with_variant(BYTEA(), "postgresql")


class IsoDateTime(sa.types.TypeDecorator[datetime]):
    """A datetime stored as `datetime.isoformat()` text: exact round-trip, same on both dialects."""

    impl = sa.String(40)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        return None if value is None else value.isoformat()

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        return None if value is None else datetime.fromisoformat(value)


documents = sa.Table(
    "documents",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),  # content hash (models.content_id)
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("source", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("author", sa.Text),
    sa.Column("published", sa.String(10)),  # 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'
    sa.Column("published_precision", sa.String(5)),
    sa.Column("language", sa.String(16)),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("chars", sa.Integer, nullable=False),
    sa.Column("path", sa.Text),
    sa.Column("locator", sa.Text),
    sa.Column("meta", Json, nullable=False),
    sa.Column("ingested_at", IsoDateTime, nullable=False),
    sa.Column("duplicate_of", sa.String(64), sa.ForeignKey("documents.id", ondelete="SET NULL")),
    sa.Column("extract_status", sa.String(16)),
    sa.Column("extract_note", sa.Text),
    sa.Column("extracted_at", IsoDateTime),
    sa.Index("ix_documents_order", "published", "ingested_at", "id"),
    sa.Index("ix_documents_extract_status", "extract_status"),
)

document_signatures = sa.Table(
    "document_signatures",
    metadata,
    sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("signature", Blob, nullable=False),
)

#: Column types of the event tables, in their column order (frozen by migrations 0001 and 0002):
#: the record fields of `kwatch.records.Event` / `ResolvedEvent` and the store's own columns. A
#: table is the columns named here that its record type has, plus its STORE_COLUMNS.
EVENT_COLUMN_TYPES: dict[str, Callable[[], sa.Column[Any]]] = {
    "id": lambda: sa.Column("id", sa.String(64), primary_key=True),
    # The document whose extraction wrote this event: re-extracting it replaces exactly these rows.
    "document_id": lambda: sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    "type": lambda: sa.Column("type", sa.String(16), nullable=False),
    "date": lambda: sa.Column("date", sa.String(10)),
    "date_precision": lambda: sa.Column("date_precision", sa.String(5)),
    "country": lambda: sa.Column("country", sa.String(2)),
    "admin1": lambda: sa.Column("admin1", sa.Text),
    "admin2": lambda: sa.Column("admin2", sa.Text),
    "place": lambda: sa.Column("place", sa.Text),
    "geo_precision": lambda: sa.Column("geo_precision", sa.String(16)),
    "lat": lambda: sa.Column("lat", sa.Float),
    "lon": lambda: sa.Column("lon", sa.Float),
    "actor": lambda: sa.Column("actor", sa.Text),
    "claimed": lambda: sa.Column("claimed", sa.Boolean),
    "method": lambda: sa.Column("method", sa.String(32)),
    "target": lambda: sa.Column("target", sa.String(32)),
    "killed": lambda: sa.Column("killed", sa.Integer),
    "killed_low": lambda: sa.Column("killed_low", sa.Integer),
    "killed_high": lambda: sa.Column("killed_high", sa.Integer),
    "injured": lambda: sa.Column("injured", sa.Integer),
    "injured_low": lambda: sa.Column("injured_low", sa.Integer),
    "injured_high": lambda: sa.Column("injured_high", sa.Integer),
    "killed_claimed": lambda: sa.Column("killed_claimed", sa.Integer),
    "injured_claimed": lambda: sa.Column("injured_claimed", sa.Integer),
    "medium": lambda: sa.Column("medium", sa.String(16)),
    "outlet": lambda: sa.Column("outlet", sa.Text),
    "languages": lambda: sa.Column("languages", Json, nullable=False),
    # events: casualties by category, length, provenance, date_basis, attribution; resolved_events:
    # per-source figures, merge explanation, claim links, attribution.
    "detail": lambda: sa.Column("detail", Json, nullable=False),
    "created_at": lambda: sa.Column("created_at", IsoDateTime, nullable=False),
}
#: Columns a table has beyond its record type's stored fields (`sources` is the table
#: event_sources; resolved sources are the members' sources).
STORE_COLUMNS = {"events": ("date_precision", "created_at"), "resolved_events": ()}


def record_columns(table: str, record_type: type) -> list[sa.Column[Any]]:
    """The columns of `table` for `record_type`'s stored fields (`records.stored_fields`), in
    EVENT_COLUMN_TYPES order."""
    names = set(records.stored_fields(record_type)) | set(STORE_COLUMNS[table])
    unknown = names - set(EVENT_COLUMN_TYPES) - {"sources", *records.in_detail(record_type)}
    if unknown:
        raise Bug(f"{record_type.__name__} fields {sorted(unknown)} have no column type in EVENT_COLUMN_TYPES")
    return [make() for name, make in EVENT_COLUMN_TYPES.items() if name in names]


events = sa.Table(
    "events",
    metadata,
    *record_columns("events", records.Event),
    sa.Index("ix_events_document", "document_id"),
    sa.Index("ix_events_date", "date"),
    sa.Index("ix_events_type_date", "type", "date"),
)

event_sources = sa.Table(
    "event_sources",
    metadata,
    sa.Column("event_id", sa.String(64), sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),  # keeps the order the extractor gave
    sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    sa.Column("quote", sa.Text, nullable=False),
    sa.Column("start", sa.Integer),
    sa.Column("end", sa.Integer),
    sa.Column("fields", Json, nullable=False),
    sa.Index("ix_event_sources_document", "document_id"),
)

actors = sa.Table(
    "actors",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("kind", sa.String(32)),
    sa.Column("aliases", Json, nullable=False),
)

places = sa.Table(
    "places",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("country", sa.String(2)),
    sa.Column("admin1", sa.Text),
    sa.Column("admin2", sa.Text),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("precision", sa.String(16)),
)

ingest_errors = sa.Table(
    "ingest_errors",
    metadata,
    sa.Column("id", sa.Integer, sa.Identity(), primary_key=True),
    sa.Column("path", sa.Text, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("at", IsoDateTime, nullable=False),
)

schema_migrations = sa.Table(
    "schema_migrations",
    metadata,
    sa.Column("name", sa.String(128), primary_key=True),
    sa.Column("applied_at", IsoDateTime, nullable=False),
)

# -- 0002_resolution: per-document events grouped into real-world events (kwatch.resolve) ---------

resolved_events = sa.Table(
    "resolved_events",
    metadata,
    # id: the smallest member event id, stable while the membership is unchanged.
    *record_columns("resolved_events", records.ResolvedEvent),
    sa.Index("ix_resolved_events_date", "date"),
    sa.Index("ix_resolved_events_type_date", "type", "date"),
)

resolved_members = sa.Table(
    "resolved_members",
    metadata,
    # No foreign keys: the whole resolution is rewritten after every extraction.
    sa.Column("resolved_id", sa.String(64), nullable=False),
    sa.Column("event_id", sa.String(64), primary_key=True),
    sa.Column("reason", Json, nullable=False),
    sa.Index("ix_resolved_members_resolved", "resolved_id"),
)

analyst_decisions = sa.Table(
    "analyst_decisions",
    metadata,
    sa.Column("id", sa.Integer, sa.Identity(), primary_key=True),
    sa.Column("kind", sa.String(8), nullable=False),  # merge | split
    # Event ids, not foreign keys: ids are stable hashes, so a decision outlives `extract --all`.
    sa.Column("event_ids", Json, nullable=False),
    sa.Column("document_id", sa.String(64)),  # split: the document taken out
    sa.Column("who", sa.Text, nullable=False),
    sa.Column("at", IsoDateTime, nullable=False),
    sa.Column("why", sa.Text),
)

#: Tables created by 0002_resolution.
RESOLUTION_TABLES = (resolved_events, resolved_members, analyst_decisions)

# -- 0003_review: API tokens, the analysts' audit log and their field overrides -----------------

api_tokens = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("id", sa.String(16), primary_key=True),  # public handle, shown in `token list` and the audit log
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),  # sha256 hex; the token itself is never stored
    sa.Column("created_at", IsoDateTime, nullable=False),
    sa.Column("revoked_at", IsoDateTime),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, sa.Identity(), primary_key=True),
    sa.Column("at", IsoDateTime, nullable=False),
    sa.Column("who", sa.Text, nullable=False),
    sa.Column("action", sa.String(16), nullable=False),  # confirm | edit | reject | merge | split
    sa.Column("event_id", sa.String(64), nullable=False),  # no foreign key: the log outlives re-extraction
    sa.Column("field", sa.String(32)),
    sa.Column("old", Json),
    sa.Column("new", Json),
    sa.Column("why", sa.Text),
    sa.Index("ix_audit_log_event", "event_id", "id"),
)

event_overrides = sa.Table(
    "event_overrides",
    metadata,
    # Keyed by event id with no foreign key, so an override outlives `extract --all` and is laid
    # over the re-extracted event of the same (stable) id.
    sa.Column("event_id", sa.String(64), primary_key=True),
    sa.Column("field", sa.String(32), primary_key=True),  # a FORMAT field, or `status` (confirmed | rejected)
    sa.Column("value", Json),
    sa.Column("at", IsoDateTime, nullable=False),
    sa.Column("who", sa.Text, nullable=False),
)

#: Tables created by 0003_review.
REVIEW_TABLES = (api_tokens, audit_log, event_overrides)

# -- 0004_runs: extraction and resolution runs; browser sessions of the web dashboard -----------

runs = sa.Table(
    "runs",
    metadata,
    sa.Column("id", sa.Integer, sa.Identity(), primary_key=True),
    sa.Column("kind", sa.String(16), nullable=False),  # extract | resolve
    # extract: new | all | retry | ids; resolve: all | part (incremental: the part a batch touched)
    sa.Column("scope", sa.String(16), nullable=False),
    sa.Column("pipeline_version", sa.String(64), nullable=False),
    sa.Column("started_at", IsoDateTime, nullable=False),
    # NULL while the run goes on, or forever when it was interrupted (the next run finishes its job).
    sa.Column("finished_at", IsoDateTime),
    sa.Column("documents", sa.Integer, nullable=False, server_default="0"),
    sa.Column("failed", sa.Integer, nullable=False, server_default="0"),
    sa.Column("note", sa.Text),
    sa.Index("ix_runs_kind", "kind", "id"),
)

web_sessions = sa.Table(
    "web_sessions",
    metadata,
    # sha256 of the cookie's secret; the secret itself is never stored.
    sa.Column("session_hash", sa.String(64), primary_key=True),
    sa.Column("token_id", sa.String(16), sa.ForeignKey("api_tokens.id", ondelete="CASCADE"), nullable=False),
    sa.Column("created_at", IsoDateTime, nullable=False),
    sa.Column("expires_at", IsoDateTime, nullable=False),
)

#: Tables created by 0004_runs.
RUN_TABLES = (runs, web_sessions)

# -- 0005_resolution_index: what the stored resolution was made from (incremental resolution) ----

resolution_keys = sa.Table(
    "resolution_keys",
    metadata,
    # The blocking keys each resolved event is filed under (`kwatch.resolve.blocking.index_keys`):
    # an incremental resolution finds a new event's candidates, and a gone event's neighbours, here.
    sa.Column("key", sa.String(255), primary_key=True),
    sa.Column("event_id", sa.String(64), primary_key=True),
    sa.Index("ix_resolution_keys_event", "event_id"),
    sqlite_with_rowid=False,  # the primary key is the table: one b-tree less to write
)

resolution_inputs = sa.Table(
    "resolution_inputs",
    metadata,
    # Each event the stored resolution holds, as it was then (its created_at): an event whose
    # row is newer (re-extracted) or missing here is resolved again.
    sa.Column("event_id", sa.String(64), primary_key=True),
    sa.Column("created_at", IsoDateTime, nullable=False),
)

resolution_decisions = sa.Table(
    "resolution_decisions",
    metadata,
    # The analyst decisions the stored resolution applied (ids of analyst_decisions).
    sa.Column("decision_id", sa.Integer, primary_key=True, autoincrement=False),
)

#: Tables created by 0005_resolution_index.
RESOLUTION_INDEX_TABLES = (resolution_keys, resolution_inputs, resolution_decisions)

#: Tables created by 0001_initial, in dependency order.
INITIAL_TABLES = (documents, document_signatures, events, event_sources, actors, places, ingest_errors)
