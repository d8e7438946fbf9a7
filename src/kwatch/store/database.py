"""`Store`: documents, full text, signatures, extracted events and ingest errors in one database."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from kwatch.errors import Bug, StoreError
from kwatch.models import Document, IngestErrorRecord, RawDocument, SearchHit, date_precision
from kwatch.records import EVENT_KEYS, IN_DETAIL, RESOLVED_IN_DETAIL, Event, ResolvedEvent, Source
from kwatch.store import engine as engines
from kwatch.store import fulltext, migrations
from kwatch.store.schema import (  # review (0003)  # resolution (0002)  # runs and browser sessions (0004)
    analyst_decisions,
    api_tokens,
    audit_log,
    document_signatures,
    documents,
    event_overrides,
    event_sources,
    ingest_errors,
    resolution_decisions,  # what the stored resolution was made from (0005)
    resolution_inputs,
    resolution_keys,
    resolved_events,
    resolved_members,
    runs,
    web_sessions,
)
from kwatch.store.schema import events as events_table  # `events` is also a method and a parameter

Clock = Callable[[], datetime]

#: A document's extract_status once extraction has seen it: 'failed' when a stage (or writing its
#: events) raised; the events of an earlier extraction are then kept (`mark_extraction_failed`).
EXTRACT_STATUSES = ("ok", "skipped", "failed")
#: What a recorded run did (table `runs`).
RUN_KINDS = ("extract", "resolve")
#: Longest reason kept in a failed document's extract_note (characters).
MAX_FAILURE_REASON = 400

_SIGNATURE_BATCH = 1000
_IN_BATCH = 500  # ids per IN (...) list when loading event sources
_WRITE_BATCH = 5000  # rows per INSERT of the resolution


@dataclass(frozen=True, slots=True)
class AddResult:
    id: str
    new: bool


@dataclass(frozen=True, slots=True)
class ResolutionIndex:
    """What a resolution was made from, written with it (0005_resolution_index): the blocking
    keys (`kwatch.resolve.blocking.index_keys`) and version (created_at) of each event it
    resolved, and the analyst decisions it applied. For a part (`replace_resolution_part`):
    the events (re)indexed, `dropped` the events whose rows go first (gone or re-indexed), and
    the decisions newly applied."""

    keys: Mapping[str, Iterable[str]]
    versions: Mapping[str, datetime]
    decisions: Iterable[int] = ()
    dropped: Iterable[str] = ()


def _utc_now() -> datetime:
    return datetime.now(UTC)


def open_store(url_or_path: str, *, now: Clock = _utc_now, create: bool = True) -> Store:
    """Open (creating if needed, unless `create` is False) the store at a path or URL and apply
    pending migrations.

    `now` stamps migrations, events' created_at and documents' extracted_at; pass a fixed clock in
    tests. Raises StoreError with a hint when the URL is wrong, the database cannot be reached,
    or (`create=False`) a SQLite file does not exist: reads never create a store.
    """
    url = engines.resolve_url(url_or_path)
    if not create and engines.missing_sqlite_file(url):
        raise StoreError(
            f"The store {url.database} does not exist.",
            hint="create it by ingesting documents (`kwatch --db PATH ingest FILE...`, or `kwatch ingest --sample`), or give the right --db or KWATCH_DB",
        )
    engine = engines.create_engine(url)
    shown = url.render_as_string(hide_password=True)
    try:
        with engine.connect() as conn:
            conn.execution_options(**{engines.SQLITE_BEGIN: "IMMEDIATE"})
            with conn.begin():
                migrations.apply_pending(conn, now=now())
                unknown = sorted(set(migrations.applied(conn)) - {name for name, _ in migrations.MIGRATIONS})
    except sa.exc.DBAPIError as err:
        engine.dispose()
        raise StoreError(f"Cannot open the store {shown}: {_first_line(err)}.", hint=_open_hint(url)) from None
    if unknown:
        engine.dispose()
        raise StoreError(
            f"The store {shown} has migrations this kwatch does not know: {', '.join(unknown)}.",
            hint="upgrade kwatch, or use another database",
        )
    return Store(engine, url=shown, now=now)


class Store:
    """A kwatch database; build it with `open_store`. Every write is one transaction."""

    def __init__(self, engine: sa.Engine, *, url: str, now: Clock) -> None:
        self._engine = engine
        self._now = now
        self.url = url
        self.dialect: str = engine.dialect.name
        # The connection of the read snapshot open in this thread or task, if any (`snapshot()`).
        self._snapshot: ContextVar[sa.Connection | None] = ContextVar(f"kwatch_snapshot_{id(self)}", default=None)

    # -- lifecycle --------------------------------------------------------------------------

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Every store read inside this block (in this thread) sees one state of the database: one
        read-only transaction (SQLite: a deferred transaction in WAL mode, with `query_only`;
        PostgreSQL: REPEATABLE READ, READ ONLY), so a concurrent ingest or extraction cannot show
        half its work. Nested blocks share the outer one. A write inside raises `Bug`."""
        if self._snapshot.get() is not None:
            yield
            return
        with _translated(), self._engine.connect() as conn:
            sqlite_dbapi = None
            if self.dialect == "postgresql":
                conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            elif self.dialect == "sqlite":
                sqlite_dbapi = conn.connection.dbapi_connection
                sqlite_dbapi.execute("PRAGMA query_only = ON")  # type: ignore[union-attr]
            token = self._snapshot.set(conn)
            transaction = conn.begin()
            try:
                yield
            finally:
                transaction.rollback()  # it wrote nothing; rolling back says so
                self._snapshot.reset(token)
                if sqlite_dbapi is not None:
                    sqlite_dbapi.execute("PRAGMA query_only = OFF")

    # -- documents --------------------------------------------------------------------------

    def add_document(
        self,
        raw: RawDocument,
        *,
        ingested_at: datetime,
        signature: bytes | None = None,
        duplicate_of: str | None = None,
    ) -> AddResult:
        """Store a document with its full-text row and signature, all or nothing.

        Idempotent by content id: a document already present is left as it is (new=False).
        """
        _reject_nul("document", raw.text, raw.title, raw.source, raw.url, raw.author, raw.path, raw.locator, raw.meta)
        doc_id = raw.id
        row = {
            "id": doc_id,
            "kind": raw.kind,
            "source": raw.source,
            "url": raw.url,
            "title": raw.title,
            "author": raw.author,
            "published": raw.published,
            "published_precision": raw.published_precision,
            "language": raw.language,
            "text": raw.text,
            "chars": len(raw.text),
            "path": raw.path,
            "locator": raw.locator,
            "meta": dict(raw.meta),
            "ingested_at": ingested_at,
            "duplicate_of": duplicate_of,
        }
        with self._write() as conn:
            # ON CONFLICT DO NOTHING: a second process adding the same document waits, then no-ops.
            insert = self._insert(documents).values(row).on_conflict_do_nothing(index_elements=["id"])
            if conn.execute(insert.returning(documents.c.id)).first() is None:
                return AddResult(doc_id, False)
            fulltext.index_document(conn, document_id=doc_id, title=raw.title, text=raw.text)
            if signature is not None:
                conn.execute(sa.insert(document_signatures).values(document_id=doc_id, signature=bytes(signature)))
        return AddResult(doc_id, True)

    def has_document(self, id: str) -> bool:
        with self._read() as conn:
            return conn.execute(sa.select(documents.c.id).where(documents.c.id == id)).first() is not None

    def get_document(self, id: str) -> Document | None:
        with self._read() as conn:
            row = conn.execute(sa.select(documents).where(documents.c.id == id)).first()
        return None if row is None else _document(row)

    def documents(self, *, limit: int | None = None, offset: int = 0) -> list[Document]:
        """Documents ordered by published (undated last), then ingested_at, then id."""
        query = sa.select(documents).order_by(*_DOCUMENT_ORDER).limit(limit).offset(offset)
        with self._read() as conn:
            return [_document(row) for row in conn.execute(query)]

    def count_documents(self) -> int:
        with self._read() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(documents)).scalar_one())

    def search(self, query: str, *, limit: int = 20, offset: int = 0) -> list[SearchHit]:
        """Full-text search over titles and texts, best first (`fulltext.terms`: words, "phrases",
        or, -word, word* for a prefix); any input is safe to pass."""
        if limit <= 0:
            return []
        with self._read() as conn:
            found = fulltext.search(conn, query, limit=limit, offset=offset)
            ids = [hit.document_id for hit in found]
            meta = {
                row.id: row
                for row in conn.execute(
                    sa.select(documents.c.id, documents.c.title, documents.c.source, documents.c.published).where(
                        documents.c.id.in_(ids)
                    )
                )
            }
        return [
            SearchHit(
                document_id=hit.document_id,
                title=meta[hit.document_id].title,
                source=meta[hit.document_id].source,
                published=meta[hit.document_id].published,
                snippet=hit.snippet,
                rank=hit.rank,
            )
            for hit in found
            if hit.document_id in meta
        ]

    def count_matches(self, query: str) -> int:
        """How many documents `search(query)` finds in all (not a page of them)."""
        with self._read() as conn:
            return fulltext.count(conn, query)

    def signatures(self) -> Iterator[tuple[str, bytes]]:
        """(document id, near-duplicate signature) for every document that has one, by id.

        Read in batches, each in its own short transaction, so a caller may write between items.
        """
        after = ""
        while True:
            query = (
                sa.select(document_signatures.c.document_id, document_signatures.c.signature)
                .where(document_signatures.c.document_id > after)
                .order_by(document_signatures.c.document_id)
                .limit(_SIGNATURE_BATCH)
            )
            with self._read() as conn:
                batch = [(row.document_id, bytes(row.signature)) for row in conn.execute(query)]
            yield from batch
            if len(batch) < _SIGNATURE_BATCH:
                return
            after = batch[-1][0]

    # -- ingest errors ----------------------------------------------------------------------

    def record_error(self, path: str, reason: str, *, at: datetime) -> bool:
        """Record that `path` could not be ingested; the same path and reason again is kept once
        (its time is the first time it was seen). Returns whether a new row was written."""
        _reject_nul("ingest error", path, reason)
        t = ingest_errors
        with self._write() as conn:
            seen = conn.execute(sa.select(t.c.id).where(t.c.path == path, t.c.reason == reason).limit(1)).first()
            if seen is not None:
                return False
            conn.execute(sa.insert(t).values(path=path, reason=reason, at=at))
            return True

    def errors(self) -> list[IngestErrorRecord]:
        """Every recorded ingest error, oldest first."""
        query = sa.select(ingest_errors).order_by(ingest_errors.c.at, ingest_errors.c.id)
        with self._read() as conn:
            return [IngestErrorRecord(path=row.path, reason=row.reason, at=row.at) for row in conn.execute(query)]

    # -- extraction -------------------------------------------------------------------------

    def documents_to_extract(self, *, redo: bool = False, retry: bool = False, before: datetime | None = None) -> list[str]:
        """Ids of documents not yet extracted, in document order: with `retry` also the failed
        ones, with `redo` every document. `before` keeps, of those already extracted, the ones
        extracted before that time (what an interrupted run started then had still to do)."""
        c = documents.c
        query = sa.select(c.id, c.extract_status, c.extracted_at).order_by(*_DOCUMENT_ORDER)
        if not redo:
            query = query.where(c.extract_status.is_(None) | (c.extract_status == "failed" if retry else sa.false()))
        with self._read() as conn:
            rows = list(conn.execute(query))
        # `before` compares datetimes here, not their ISO text under the database's collation.
        return [
            row.id
            for row in rows
            if before is None or row.extract_status is None or row.extracted_at is None or row.extracted_at < before
        ]

    def set_extraction(self, doc_id: str, *, status: str, note: str | None, events: Sequence[Event | Mapping[str, Any]]) -> None:
        """Replace a document's extracted events (`kwatch.records.Event`, or dicts of its
        `EVENT_KEYS`, where `document_id` may be left out) and mark it extracted, in one
        transaction (status 'ok' or 'skipped'; a failure is `mark_extraction_failed`). An event
        of another document is a Bug."""
        if status not in EXTRACT_STATUSES or status == "failed":
            raise Bug(f"extract status {status!r} is not 'ok' or 'skipped' (a failure is mark_extraction_failed)")
        now = self._now()
        event_rows, source_rows = _event_rows(doc_id, events, created_at=now)
        with self._write() as conn:
            updated = conn.execute(
                sa.update(documents)
                .where(documents.c.id == doc_id)
                .values(extract_status=status, extract_note=note, extracted_at=now)
            )
            if updated.rowcount == 0:
                raise StoreError(f"No document {doc_id} in the store.", hint="ingest it before extracting")
            previous = sa.select(events_table.c.id).where(events_table.c.document_id == doc_id)
            conn.execute(sa.delete(event_sources).where(event_sources.c.event_id.in_(previous)))
            conn.execute(sa.delete(events_table).where(events_table.c.document_id == doc_id))
            if event_rows:
                conn.execute(sa.insert(events_table), event_rows)
            if source_rows:
                conn.execute(sa.insert(event_sources), source_rows)

    def mark_extraction_failed(self, doc_id: str, *, stage: str, reason: str) -> int:
        """Mark a document's extraction failed in `stage` (a stage name, or 'extract', 'to_record',
        'store') for `reason`, keeping the events an earlier extraction stored for it: nothing
        stored is lost. The note, one line, says so: `stage casualties.v2: Bug: … (kept the 2 events
        of the previous extraction)`. Returns how many events were kept."""
        reason = " ".join(reason.replace("\x00", " ").split())[:MAX_FAILURE_REASON] or "no message"
        with self._write() as conn:
            count = sa.select(sa.func.count()).select_from(events_table).where(events_table.c.document_id == doc_id)
            kept = int(conn.execute(count).scalar_one())
            note = f"stage {stage}: {reason}"
            if kept:
                note += f" (kept the {kept} event{'s' if kept != 1 else ''} of the previous extraction)"
            updated = conn.execute(
                sa.update(documents)
                .where(documents.c.id == doc_id)
                .values(extract_status="failed", extract_note=note, extracted_at=self._now())
            )
            if updated.rowcount == 0:
                raise StoreError(f"No document {doc_id} in the store.", hint="ingest it before extracting")
        return kept

    def extraction_failures(self) -> list[dict[str, Any]]:
        """Documents whose last extraction failed, oldest failure first: id, path, url, locator,
        extract_note, extracted_at, and stage and reason read back from the note."""
        c = documents.c
        query = (
            sa.select(c.id, c.path, c.url, c.locator, c.extract_note, c.extracted_at)
            .where(c.extract_status == "failed")
            .order_by(c.extracted_at, c.id)
        )
        with self._read() as conn:
            rows = [dict(row._mapping) for row in conn.execute(query)]
        for row in rows:
            stage, sep, reason = (row["extract_note"] or "").removeprefix("stage ").partition(": ")
            row["stage"], row["reason"] = (stage, reason) if sep else ("extract", row["extract_note"] or "")
        return rows

    def events(self, *, limit: int | None = None) -> list[Event]:
        """Stored events with their sources and the document that wrote each, by date (undated
        last) then id. Filters are applied by the caller (`kwatch.query.keep`), one rule for every view."""
        query = _ordered(events_table).limit(limit)
        with self._read() as conn:
            rows = list(conn.execute(query))
            sources = self._sources(conn, [row.id for row in rows])
        return [_event(row, sources.get(row.id, [])) for row in rows]

    def get_event(self, id: str) -> Event | None:
        with self._read() as conn:
            row = conn.execute(sa.select(events_table).where(events_table.c.id == id)).first()
            if row is None:
                return None
            sources = self._sources(conn, [id])
        return _event(row, sources.get(id, []))

    # -- resolution: resolved events, their members, analysts' decisions (0002_resolution) ---

    def event_document_ids(self) -> dict[str, str]:
        """{event id: the document whose extraction wrote it}."""
        with self._read() as conn:
            return {row.id: row.document_id for row in conn.execute(sa.select(events_table.c.id, events_table.c.document_id))}

    def document_infos(self, ids: Collection[str] | None = None) -> list[dict[str, Any]]:
        """Every document's metadata without its text (what resolution and displays need), or
        that of the documents `ids`."""
        columns = [c for c in documents.c if c.name not in ("text", "meta")]
        query = sa.select(*columns).order_by(*_DOCUMENT_ORDER)
        with self._read() as conn:
            if ids is None:
                return [dict(row._mapping) for row in conn.execute(query)]
            return [dict(row._mapping) for chunk in _chunks(ids) for row in conn.execute(query.where(documents.c.id.in_(chunk)))]

    def replace_resolution(
        self,
        resolved: Sequence[Mapping[str, Any]],
        members: Sequence[Mapping[str, Any]],
        *,
        run: int | None = None,
        index: ResolutionIndex | None = None,
        note: str | None = None,
    ) -> None:
        """Replace every resolved event and membership with these rows, in one transaction; with
        `run` (a `start_run('resolve', ...)` id), that run is finished in the same transaction
        (documents: the events resolved; scope 'all'; `note`), so readers see the resolution and
        its run together. `index`: what it was made from (without one, the next resolution is a
        full one)."""
        rows = _resolved_rows(resolved)
        with self._write() as conn:
            self._lock_resolution(conn)
            conn.execute(sa.delete(resolved_members))
            conn.execute(sa.delete(resolved_events))
            for table in (resolution_keys, resolution_inputs, resolution_decisions):
                conn.execute(sa.delete(table))
            _insert_all(conn, resolved_events, rows)
            member_rows = _member_rows(members)
            _insert_all(conn, resolved_members, member_rows)
            if index is not None:
                # Millions of key rows: the index by event is built once after them, not kept up
                # row by row (three times faster), in the same transaction.
                [by_event] = resolution_keys.indexes
                by_event.drop(conn)
                self._write_index(conn, index)
                by_event.create(conn)
            if run is not None:
                self._finish_run(conn, run, documents=len(member_rows), failed=0, note=note, scope="all")

    def replace_resolution_part(
        self,
        removed: Collection[str],
        resolved: Sequence[Mapping[str, Any]],
        members: Sequence[Mapping[str, Any]],
        *,
        index: ResolutionIndex,
        base_run: int,
        run: int | None = None,
        note: str | None = None,
    ) -> bool:
        """Replace the resolved events `removed` (ids) and their memberships with these rows and
        update what the resolution was made from (`index`), in one transaction that finishes
        `run` (documents: the events resolved again; `note`). Every other resolved event stays as
        it is. Only when the stored resolution is still the one of `base_run` (the resolve run
        that finished last, which the part was worked out from): otherwise nothing is written
        and False is returned (another resolution finished meanwhile: resolve again)."""
        rows = _resolved_rows(resolved)
        member_rows = _member_rows(members)
        removed = sorted(set(removed))
        with self._write() as conn:
            self._lock_resolution(conn)
            finished = sa.select(runs.c.id).where(runs.c.kind == "resolve", runs.c.finished_at.is_not(None))
            last = conn.execute(finished.order_by(runs.c.finished_at.desc(), runs.c.id.desc()).limit(1)).scalar()
            if last != base_run:
                return False
            for chunk in _chunks(removed):
                conn.execute(sa.delete(resolved_members).where(resolved_members.c.resolved_id.in_(chunk)))
                conn.execute(sa.delete(resolved_events).where(resolved_events.c.id.in_(chunk)))
            held = sorted({m["event_id"] for m in member_rows})
            for chunk in _chunks(held):
                left = conn.execute(sa.select(resolved_members.c.event_id, resolved_members.c.resolved_id).where(resolved_members.c.event_id.in_(chunk))).first()
                if left is not None:
                    raise Bug(f"event {left.event_id} would be in two resolved events ({left.resolved_id} stays): the part is not closed")
            _insert_all(conn, resolved_events, rows)
            _insert_all(conn, resolved_members, member_rows)
            for chunk in _chunks(sorted(set(index.dropped) | set(index.keys))):
                conn.execute(sa.delete(resolution_keys).where(resolution_keys.c.event_id.in_(chunk)))
                conn.execute(sa.delete(resolution_inputs).where(resolution_inputs.c.event_id.in_(chunk)))
            self._write_index(conn, index)
            if run is not None:
                self._finish_run(conn, run, documents=len(member_rows), failed=0, note=note, scope="part")
        return True

    def _write_index(self, conn: sa.Connection, index: ResolutionIndex) -> None:
        # Millions of plain (text, text) rows: straight to the driver's executemany, in the primary
        # key's order (each row lands beside the one before).
        key_rows = sorted((key, eid) for eid, keys in index.keys.items() for key in keys)
        mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        insert = f'INSERT INTO resolution_keys ("key", event_id) VALUES ({mark}, {mark})'
        for i in range(0, len(key_rows), _WRITE_BATCH * 10):
            conn.exec_driver_sql(insert, key_rows[i : i + _WRITE_BATCH * 10])
        _insert_all(conn, resolution_inputs, [{"event_id": eid, "created_at": at} for eid, at in sorted(index.versions.items())])
        known = set(conn.execute(sa.select(resolution_decisions.c.decision_id)).scalars())
        _insert_all(conn, resolution_decisions, [{"decision_id": d} for d in sorted(set(index.decisions) - known)])

    def _lock_resolution(self, conn: sa.Connection) -> None:
        """Resolution writes one at a time (SQLite: BEGIN IMMEDIATE already; PostgreSQL: an
        advisory lock for the transaction), so a part can check what it is written over."""
        if self.dialect == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_RESOLUTION_LOCK})

    # -- what the stored resolution was made from (0005_resolution_index) ------------------

    def event_versions(self) -> dict[str, datetime]:
        """{event id: created_at} of every event (read them in the snapshot the events come from)."""
        with self._read() as conn:
            return {row.id: row.created_at for row in conn.execute(sa.select(events_table.c.id, events_table.c.created_at))}

    def resolution_changes(self) -> dict[str, Any]:
        """The stored resolution against the store now: `dirty` ({event id: created_at} of the
        events it does not hold as they are: new, or re-extracted since), `gone` (events it holds
        that are not there as they were: vanished or re-extracted), `decisions` (analyst
        decisions it did not apply), `dropped_decisions` (decisions it applied that are no longer
        recorded) and `indexed` (how many events it holds in its index; 0: it kept none)."""
        e, i = events_table, resolution_inputs
        same = (i.c.event_id == e.c.id) & (i.c.created_at == e.c.created_at)
        with self._read() as conn:
            dirty = {row.id: row.created_at for row in conn.execute(sa.select(e.c.id, e.c.created_at).select_from(e.outerjoin(i, same)).where(i.c.event_id.is_(None)))}
            gone = set(conn.execute(sa.select(i.c.event_id).select_from(i.outerjoin(e, same)).where(e.c.id.is_(None))).scalars())
            recorded = set(conn.execute(sa.select(analyst_decisions.c.id)).scalars())
            applied = set(conn.execute(sa.select(resolution_decisions.c.decision_id)).scalars())
            indexed = int(conn.execute(sa.select(sa.func.count()).select_from(i)).scalar_one())
        return {"dirty": dirty, "gone": gone, "decisions": recorded - applied, "dropped_decisions": applied - recorded, "indexed": indexed}

    def resolution_keys(self, event_ids: Collection[str]) -> dict[str, frozenset[str]]:
        """{event id: the keys it is filed under in the stored resolution's index}."""
        found: dict[str, set[str]] = {}
        k = resolution_keys.c
        with self._read() as conn:
            for chunk in _chunks(event_ids):
                for row in conn.execute(sa.select(k.event_id, k.key).where(k.event_id.in_(chunk))):
                    found.setdefault(row.event_id, set()).add(row.key)
        return {eid: frozenset(keys) for eid, keys in found.items()}

    def events_filed_under(self, keys: Collection[str], *, limit: int | None = None) -> dict[str, list[str]]:
        """{key: the events filed under it in the stored resolution's index, by id} (with
        `limit`, at most that many of each)."""
        found: dict[str, list[str]] = {}
        k = resolution_keys.c
        with self._read() as conn:
            for chunk in _chunks(keys):
                for row in conn.execute(sa.select(k.key, k.event_id).where(k.key.in_(chunk)).order_by(k.key, k.event_id)):
                    held = found.setdefault(row.key, [])
                    if limit is None or len(held) < limit:
                        held.append(row.event_id)
        return found

    def resolution_key_counts(self, keys: Collection[str]) -> dict[str, int]:
        """{key: how many events are filed under it in the stored resolution's index} (keys with
        none are left out)."""
        k = resolution_keys.c
        with self._read() as conn:
            return {
                row.key: int(row.n)
                for chunk in _chunks(keys)
                for row in conn.execute(sa.select(k.key, sa.func.count().label("n")).where(k.key.in_(chunk)).group_by(k.key))
            }

    def resolved_ids_of(self, event_ids: Collection[str]) -> dict[str, str]:
        """{event id: the resolved event that holds it} for the events some resolved event holds."""
        m = resolved_members.c
        with self._read() as conn:
            return {
                row.event_id: row.resolved_id
                for chunk in _chunks(event_ids)
                for row in conn.execute(sa.select(m.event_id, m.resolved_id).where(m.event_id.in_(chunk)))
            }

    def resolved_events_between(self, type: str, first: str, last: str) -> list[dict[str, Any]]:
        """Resolved events of `type` dated (day, month or year text) from `first` to `last`
        (ISO text, compared as text), by date then id."""
        t = resolved_events
        query = _ordered(t).where(t.c.type == type, t.c.date >= first, t.c.date <= last)
        with self._read() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]

    def document_event_ids(self, document_ids: Collection[str]) -> dict[str, list[str]]:
        """{document id: the ids of the events its extraction wrote, in id order}."""
        e = events_table.c
        found: dict[str, list[str]] = {}
        with self._read() as conn:
            for chunk in _chunks(document_ids):
                for row in conn.execute(sa.select(e.document_id, e.id).where(e.document_id.in_(chunk)).order_by(e.document_id, e.id)):
                    found.setdefault(row.document_id, []).append(row.id)
        return found

    def resolution_counts(self) -> dict[str, int]:
        """`events` (extracted), `resolved` (resolved events) and `merged` (resolved events of
        more than one member) as stored."""
        m = resolved_members.c
        several = sa.select(m.resolved_id).group_by(m.resolved_id).having(sa.func.count() > 1).subquery()
        with self._read() as conn:
            return {
                "events": int(conn.execute(sa.select(sa.func.count()).select_from(events_table)).scalar_one()),
                "resolved": int(conn.execute(sa.select(sa.func.count()).select_from(resolved_events)).scalar_one()),
                "merged": int(conn.execute(sa.select(sa.func.count()).select_from(several)).scalar_one()),
            }

    def resolved_events(self, *, ids: Sequence[str] | None = None, limit: int | None = None) -> list[ResolvedEvent]:
        """Resolved events (all, or those of `ids`), by date (undated last) then id, without
        sources: those are their members' (`resolved_members`, `events_by_id`)."""
        t = resolved_events
        query = _ordered(t).limit(limit)
        with self._read() as conn:
            if ids is None:
                return [_resolved(row) for row in conn.execute(query)]
            found: list[ResolvedEvent] = []
            for i in range(0, len(ids), _IN_BATCH):
                found.extend(_resolved(row) for row in conn.execute(query.where(t.c.id.in_(list(ids[i : i + _IN_BATCH])))))
        return found

    def resolved_ids_matching(self, ident: str) -> list[str]:
        """Resolved ids for a resolved or member event id, else for a prefix (6+ characters) of one."""
        m = resolved_members.c
        with self._read() as conn:
            exact = conn.execute(sa.select(m.resolved_id).where(m.event_id == ident)).scalars().all()
            if exact or len(ident) < 6:
                return list(exact)
            pattern = ident.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            query = sa.select(m.resolved_id).where(m.event_id.like(pattern, escape="\\")).distinct().order_by(m.resolved_id)
            return list(conn.execute(query).scalars())

    def resolution_is_current(self) -> bool:
        """The stored resolution is of the events as they are now (false after an extraction that
        was not followed by `Kwatch.resolve()`); see `resolution_state()`."""
        state = self.resolution_state()
        return bool(state["unresolved_events"] == 0 and state["vanished_members"] == 0 and state["documents_extracted_since"] == 0)

    def resolution_state(self) -> dict[str, Any]:
        """How the stored resolution stands against the extracted events, read in one snapshot:
        `unresolved_events` (extracted events no resolved event holds), `vanished_members`
        (members whose event was re-extracted away), `documents_extracted_since` (documents
        extracted after the resolve run that finished last started), `last_run` (that run, or None)
        and `unfinished_run` (the newest resolve run when it never finished, or None)."""
        joined = resolved_members.join(events_table, events_table.c.id == resolved_members.c.event_id)
        with self.snapshot(), self._read() as conn:
            events = int(conn.execute(sa.select(sa.func.count()).select_from(events_table)).scalar_one())
            members = int(conn.execute(sa.select(sa.func.count()).select_from(resolved_members)).scalar_one())
            held = int(conn.execute(sa.select(sa.func.count()).select_from(joined)).scalar_one())
            # The resolution stored is the one that finished last (two may overlap; the later
            # write wins), so it is the run that finished last, not the one that started last.
            finished = sa.select(runs).where(runs.c.kind == "resolve", runs.c.finished_at.is_not(None))
            row = conn.execute(finished.order_by(runs.c.finished_at.desc(), runs.c.id.desc()).limit(1)).first()
            last = None if row is None else dict(row._mapping)
            since = 0
            if last is not None:
                query = sa.select(sa.func.count()).select_from(documents).where(documents.c.extracted_at > last["started_at"])
                since = int(conn.execute(query).scalar_one())
            unfinished = self.unfinished_run("resolve")
        return {
            "unresolved_events": events - held,
            "vanished_members": members - held,
            "documents_extracted_since": since,
            "last_run": last,
            "unfinished_run": unfinished,
        }

    def resolved_members(self, resolved_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        """{resolved id: [{event_id, reason}, ...] in event id order}."""
        found: dict[str, list[dict[str, Any]]] = {}
        ids = list(resolved_ids)
        with self._read() as conn:
            for i in range(0, len(ids), _IN_BATCH):
                query = (
                    sa.select(resolved_members)
                    .where(resolved_members.c.resolved_id.in_(ids[i : i + _IN_BATCH]))
                    .order_by(resolved_members.c.resolved_id, resolved_members.c.event_id)
                )
                for row in conn.execute(query):
                    found.setdefault(row.resolved_id, []).append({"event_id": row.event_id, "reason": row.reason})
        return found

    def events_by_id(self, ids: Sequence[str]) -> dict[str, Event]:
        """{id: event as `events()` gives it} for the ids that exist."""
        ids = list(ids)
        found: dict[str, Event] = {}
        with self._read() as conn:
            for i in range(0, len(ids), _IN_BATCH):
                rows = list(conn.execute(sa.select(events_table).where(events_table.c.id.in_(ids[i : i + _IN_BATCH]))))
                sources = self._sources(conn, [row.id for row in rows])
                for row in rows:
                    found[row.id] = _event(row, sources.get(row.id, []))
        return found

    def add_decision(
        self,
        *,
        kind: str,
        event_ids: Sequence[str],
        document_id: str | None,
        who: str,
        at: datetime,
        why: str | None,
        audit: Sequence[Mapping[str, Any]] = (),
    ) -> int:
        """Record an analyst's merge or split and its `audit` entries (action, event_id, field,
        old, new, why; `new` gets the decision's id as "decision"), in one transaction; return
        the decision's id."""
        if kind not in ("merge", "split"):
            raise Bug(f"analyst decision kind {kind!r} is not merge or split")
        _reject_nul("decision", who, why, list(event_ids), [dict(e) for e in audit])
        insert = sa.insert(analyst_decisions).values(
            kind=kind, event_ids=sorted(event_ids), document_id=document_id, who=who, at=at, why=why
        )
        with self._write() as conn:
            decision = int(conn.execute(insert.returning(analyst_decisions.c.id)).scalar_one())
            for entry in audit:
                row = {key: entry.get(key) for key in ("action", "event_id", "field", "old", "why")}
                conn.execute(sa.insert(audit_log).values(at=at, who=who, new={**(entry.get("new") or {}), "decision": decision}, **row))
        return decision

    def decisions(self) -> list[dict[str, Any]]:
        """Every analyst decision, oldest first."""
        query = sa.select(analyst_decisions).order_by(analyst_decisions.c.at, analyst_decisions.c.id)
        with self._read() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]

    # -- runs of extraction and resolution (0004_runs) -------------------------------------

    def start_run(self, kind: str, *, scope: str, pipeline_version: str) -> int:
        """Record that a run of `kind` starts now; return its id (finish it with `finish_run`)."""
        if kind not in RUN_KINDS:
            raise Bug(f"run kind {kind!r} is not one of {RUN_KINDS}")
        insert = sa.insert(runs).values(kind=kind, scope=scope, pipeline_version=pipeline_version, started_at=self._now())
        with self._write() as conn:
            return int(conn.execute(insert.returning(runs.c.id)).scalar_one())

    def update_run(self, run_id: int, *, documents: int, failed: int) -> None:
        """Progress of a run that goes on (so an interrupted run shows how far it got)."""
        with self._write() as conn:
            conn.execute(sa.update(runs).where(runs.c.id == run_id).values(documents=documents, failed=failed))

    def finish_run(self, run_id: int, *, documents: int, failed: int, note: str | None = None) -> None:
        """Mark a run finished now, with what it did."""
        _reject_nul("run note", note)
        with self._write() as conn:
            self._finish_run(conn, run_id, documents=documents, failed=failed, note=note)

    def _finish_run(
        self, conn: sa.Connection, run_id: int, *, documents: int, failed: int, note: str | None, scope: str | None = None
    ) -> None:
        values: dict[str, Any] = {"finished_at": self._now(), "documents": documents, "failed": failed, "note": note}
        if scope is not None:
            values["scope"] = scope
        conn.execute(sa.update(runs).where(runs.c.id == run_id).values(**values))

    def runs(self, *, kind: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Recorded runs, newest first."""
        query = sa.select(runs).order_by(runs.c.id.desc()).limit(limit)
        if kind is not None:
            query = query.where(runs.c.kind == kind)
        with self._read() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]

    def unfinished_run(self, kind: str) -> dict[str, Any] | None:
        """The newest run of `kind` when it never finished (it was interrupted, or goes on in
        another process); None when the newest one finished or there is none."""
        newest = self.runs(kind=kind, limit=1)
        return newest[0] if newest and newest[0]["finished_at"] is None else None

    # -- browser sessions of the dashboard (0004_runs) --------------------------------------

    def add_session(self, *, session_hash: str, token_id: str, created_at: datetime, expires_at: datetime) -> None:
        with self._write() as conn:
            conn.execute(
                sa.insert(web_sessions).values(session_hash=session_hash, token_id=token_id, created_at=created_at, expires_at=expires_at)
            )

    def session_token(self, session_hash: str, *, now: datetime) -> dict[str, Any] | None:
        """The live token (a dict as `token_by_hash` gives, with the session's hash) behind an
        unexpired session whose token is not revoked; None otherwise."""
        s, t = web_sessions, api_tokens
        query = (
            sa.select(t, s.c.session_hash, s.c.expires_at)
            .select_from(s.join(t, t.c.id == s.c.token_id))
            .where(s.c.session_hash == session_hash, t.c.revoked_at.is_(None))
        )
        with self._read() as conn:
            row = conn.execute(query).first()
        if row is None or row.expires_at <= now:
            return None
        return dict(row._mapping)

    def delete_session(self, session_hash: str) -> bool:
        with self._write() as conn:
            done = conn.execute(sa.delete(web_sessions).where(web_sessions.c.session_hash == session_hash))
        return done.rowcount > 0

    def delete_expired_sessions(self, *, now: datetime) -> int:
        with self._write() as conn:
            done = conn.execute(sa.delete(web_sessions).where(web_sessions.c.expires_at <= now))
        return int(done.rowcount)

    # -- review: API tokens, audit log, analysts' overrides (0003_review) --------------------

    def add_token(self, *, id: str, name: str, role: str, token_hash: str, created_at: datetime) -> None:
        with self._write() as conn:
            conn.execute(
                sa.insert(api_tokens).values(id=id, name=name, role=role, token_hash=token_hash, created_at=created_at)
            )

    def token_by_hash(self, token_hash: str) -> dict[str, Any] | None:
        """The live (not revoked) token with this hash, as a dict with its hash; None if none."""
        query = sa.select(api_tokens).where(api_tokens.c.token_hash == token_hash, api_tokens.c.revoked_at.is_(None))
        with self._read() as conn:
            row = conn.execute(query).first()
        return None if row is None else dict(row._mapping)

    def tokens(self) -> list[dict[str, Any]]:
        """Every token without its hash, oldest first."""
        columns = [c for c in api_tokens.c if c.name != "token_hash"]
        query = sa.select(*columns).order_by(api_tokens.c.created_at, api_tokens.c.id)
        with self._read() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]

    def revoke_token(self, id: str, *, at: datetime) -> bool:
        with self._write() as conn:
            done = conn.execute(
                sa.update(api_tokens).where(api_tokens.c.id == id, api_tokens.c.revoked_at.is_(None)).values(revoked_at=at)
            )
        return done.rowcount > 0

    def record_review(
        self,
        entries: Sequence[Mapping[str, Any]],
        *,
        at: datetime,
        who: str,
        overrides: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> list[int]:
        """Write audit entries (action, event_id, field, old, new, why) by `who` at `at`, and set
        field overrides ({event_id: {field: value}}), in one transaction; return the entries' ids."""
        _reject_nul("audit entry", who, [dict(e) for e in entries], dict(overrides or {}))
        ids: list[int] = []
        with self._write() as conn:
            for event_id, fields in (overrides or {}).items():
                for field, value in fields.items():
                    upsert = self._insert(event_overrides).values(event_id=event_id, field=field, value=value, at=at, who=who)
                    conn.execute(
                        upsert.on_conflict_do_update(
                            index_elements=["event_id", "field"], set_={"value": value, "at": at, "who": who}
                        )
                    )
            for entry in entries:
                row = {key: entry.get(key) for key in ("action", "event_id", "field", "old", "new", "why")}
                insert = sa.insert(audit_log).values(at=at, who=who, **row).returning(audit_log.c.id)
                ids.append(int(conn.execute(insert).scalar_one()))
        return ids

    def audit(self, *, event_id: str | None = None, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        """Audit entries, newest first (all, or one event's)."""
        query = sa.select(audit_log).order_by(audit_log.c.id.desc()).limit(limit).offset(offset)
        if event_id is not None:
            query = query.where(audit_log.c.event_id == event_id)
        with self._read() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]

    def overrides(self, event_ids: Sequence[str] | None = None) -> dict[str, dict[str, Any]]:
        """Analysts' field overrides as {event_id: {field: value}} (all, or for these events)."""
        query = sa.select(event_overrides.c.event_id, event_overrides.c.field, event_overrides.c.value)
        found: dict[str, dict[str, Any]] = {}
        with self._read() as conn:
            if event_ids is None:
                rows = list(conn.execute(query))
            else:
                ids = list(event_ids)
                rows = []
                for i in range(0, len(ids), _IN_BATCH):
                    rows.extend(conn.execute(query.where(event_overrides.c.event_id.in_(ids[i : i + _IN_BATCH]))))
        for row in rows:
            found.setdefault(row.event_id, {})[row.field] = row.value
        return found

    def data_version(self) -> tuple[Any, ...]:
        """A value that changes whenever the events, their resolution or its inputs, or their review
        change (extraction, a resolve run starting or finishing, analysts' decisions, audit
        entries), in any process: a cache key for readers. One statement; it only reads."""
        parts = (
            sa.select(sa.func.count()).select_from(events_table),
            sa.select(sa.func.max(events_table.c.created_at)),
            sa.select(sa.func.count()).select_from(documents),
            sa.select(sa.func.max(documents.c.extracted_at)),
            sa.select(sa.func.count()).select_from(resolved_members),
            sa.select(sa.func.max(analyst_decisions.c.id)),
            sa.select(sa.func.max(audit_log.c.id)),
            # A resolution starting or finishing (in any process) changes what readers serve.
            sa.select(sa.func.max(runs.c.id)).where(runs.c.kind == "resolve"),
            sa.select(sa.func.count()).select_from(runs).where(runs.c.kind == "resolve", runs.c.finished_at.is_not(None)),
        )
        with self._read() as conn:
            return tuple(conn.execute(sa.select(*(part.scalar_subquery() for part in parts))).one())

    def review_version(self) -> int:
        """The id of the newest audit entry (0 when none): changes whenever a review is recorded."""
        with self._read() as conn:
            return int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(audit_log.c.id), 0))).scalar_one())

    # -- internals --------------------------------------------------------------------------

    def _sources(self, conn: sa.Connection, event_ids: list[str]) -> dict[str, list[Source]]:
        by_event: dict[str, list[Source]] = {}
        for i in range(0, len(event_ids), _IN_BATCH):
            chunk = event_ids[i : i + _IN_BATCH]
            query = (
                sa.select(event_sources)
                .where(event_sources.c.event_id.in_(chunk))
                .order_by(event_sources.c.event_id, event_sources.c.position)
            )
            for row in conn.execute(query):
                by_event.setdefault(row.event_id, []).append(
                    Source(document_id=row.document_id, quote=row.quote, start=row.start, end=row.end, fields=tuple(row.fields or ()))
                )
        return by_event

    def _insert(self, table: sa.Table) -> Any:
        """INSERT with the dialect's ON CONFLICT support."""
        return (postgresql.insert if self.dialect == "postgresql" else sqlite.insert)(table)

    @contextmanager
    def _read(self) -> Iterator[sa.Connection]:
        held = self._snapshot.get()
        if held is not None:
            yield held
            return
        with _translated(), self._engine.connect() as conn:
            yield conn

    @contextmanager
    def _write(self) -> Iterator[sa.Connection]:
        if self._snapshot.get() is not None:
            raise Bug("a store write inside a read snapshot: reads never write (finish the snapshot first)")
        with _translated(), self._engine.connect() as conn:
            conn.execution_options(**{engines.SQLITE_BEGIN: "IMMEDIATE"})
            with conn.begin():
                yield conn


_DOCUMENT_ORDER = (documents.c.published.asc().nulls_last(), documents.c.ingested_at, documents.c.id)
_PG_RESOLUTION_LOCK = 0x6B77_7273  # "kwrs": resolution writes, one at a time


def _chunks(values: Iterable[str]) -> Iterator[list[str]]:
    """Sorted values in lists of at most _IN_BATCH (for IN (...))."""
    ordered = sorted(values)
    for i in range(0, len(ordered), _IN_BATCH):
        yield ordered[i : i + _IN_BATCH]


def _insert_all(conn: sa.Connection, table: sa.Table, rows: Sequence[Mapping[str, Any]]) -> None:
    for i in range(0, len(rows), _WRITE_BATCH):
        conn.execute(sa.insert(table), rows[i : i + _WRITE_BATCH])


def _resolved_rows(resolved: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    columns = {c.name for c in resolved_events.c}
    rows = [{key: row.get(key) for key in columns} for row in resolved]
    for row, given in zip(rows, resolved, strict=True):
        row["languages"] = list(row["languages"] or [])
        # Typed fields with no column of their own (attribution) ride in the JSON detail.
        kept = {k: given[k] for k in RESOLVED_IN_DETAIL if given.get(k) is not None}
        row["detail"] = {**dict(row["detail"] or {}), **kept}
    _reject_nul("resolved event", rows)
    return rows


def _member_rows(members: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [{"resolved_id": m["resolved_id"], "event_id": m["event_id"], "reason": dict(m["reason"])} for m in members]


@contextmanager
def _translated() -> Iterator[None]:
    """Database failures a user can act on (locked, full disk, lost server, constraint) → StoreError."""
    try:
        yield
    except (sa.exc.OperationalError, sa.exc.IntegrityError, sa.exc.DataError) as err:
        raise StoreError(f"The store could not complete the operation: {_first_line(err)}.") from err


def _first_line(err: sa.exc.DBAPIError) -> str:
    message = str(err.orig) if err.orig is not None else str(err)
    return (message.strip().splitlines() or ["unknown database error"])[0].rstrip(".")


def _open_hint(url: sa.URL) -> str:
    if url.get_backend_name() == "postgresql":
        return "check the server is running and the database exists (createdb NAME); URL form: postgresql://user:password@host:5432/dbname"
    return "check the path is a writable kwatch SQLite file"


def _reject_nul(what: str, *values: Any) -> None:
    """PostgreSQL cannot store U+0000 in text or JSON; refuse it on both dialects so a corpus that
    loads into one loads into the other."""
    for value in values:
        if _has_nul(value):
            raise StoreError(f"The {what} contains a NUL character (U+0000).", hint="strip NUL characters when reading it")


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, Mapping):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(_has_nul(v) for v in value)
    return False


def _document(row: sa.Row[Any]) -> Document:
    return Document(
        id=row.id,
        text=row.text,
        kind=row.kind,
        path=row.path,
        source=row.source,
        url=row.url,
        title=row.title,
        author=row.author,
        published=row.published,
        published_precision=row.published_precision,
        language=row.language,
        locator=row.locator,
        meta=row.meta,
        ingested_at=row.ingested_at,
        duplicate_of=row.duplicate_of,
        extract_status=row.extract_status,
        extract_note=row.extract_note,
    )


#: Keys of a stored event source, in order (`kwatch.records.Source`).
SOURCE_KEYS = tuple(f.name for f in dataclasses.fields(Source))
_EVENT_COLUMNS = tuple(key for key in EVENT_KEYS if key not in ("id", "sources", *IN_DETAIL))


def _event_rows(
    doc_id: str, records: Sequence[Event | Mapping[str, Any]], *, created_at: datetime
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows for `events` and `event_sources` from the extractor's events."""
    event_rows: list[dict[str, Any]] = []
    source_rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for given in records:
        record = given.as_dict() if isinstance(given, Event) else given
        unknown = set(record) - set(EVENT_KEYS)
        if unknown or "id" not in record or "type" not in record:
            raise Bug(f"event dict has unknown keys {sorted(unknown)} or lacks id/type: {sorted(record)}")
        if record.get("document_id", doc_id) != doc_id:
            raise Bug(f"event {record['id']} of document {record['document_id']} handed to set_extraction of document {doc_id}")
        if record["id"] in seen:
            raise Bug(f"document {doc_id}: two events share the id {record['id']!r}; event ids must be unique")
        seen.add(record["id"])
        _reject_nul("event", record)
        try:
            precision = date_precision(record.get("date"))
        except ValueError as err:
            raise Bug(f"event {record['id']}: {err}") from None
        row = {key: record.get(key) for key in _EVENT_COLUMNS}
        row.update(
            id=record["id"],
            document_id=doc_id,
            date_precision=precision,
            languages=list(record.get("languages") or []),
            # Typed fields with no column of their own (date_basis) ride in the JSON detail.
            detail={**(record.get("detail") or {}), **{k: record[k] for k in IN_DETAIL if record.get(k) is not None}},
            created_at=created_at,
        )
        event_rows.append(row)
        for position, source in enumerate(record.get("sources") or []):
            extra = set(source) - set(SOURCE_KEYS)
            if extra or "document_id" not in source or "quote" not in source:
                raise Bug(f"event {record['id']}: source has unknown keys {sorted(extra)} or lacks document_id/quote")
            source_rows.append(
                {
                    "event_id": record["id"],
                    "position": position,
                    "document_id": source["document_id"],
                    "quote": source["quote"],
                    "start": source.get("start"),
                    "end": source.get("end"),
                    "fields": list(source.get("fields") or []),
                }
            )
    return event_rows, source_rows



def _ordered(table: sa.Table) -> sa.Select[Any]:
    """Rows of an events table by date (undated last) then id."""
    return sa.select(table).order_by(table.c.date.asc().nulls_last(), table.c.id)


def _resolved(row: sa.Row[Any]) -> ResolvedEvent:
    """The typed resolved event of a `resolved_events` row: the fields kept in `detail`
    (RESOLVED_IN_DETAIL) taken out of it."""
    mapping = row._mapping
    detail = dict(mapping["detail"] or {})
    kept = {key: detail.pop(key, None) for key in RESOLVED_IN_DETAIL}
    return ResolvedEvent.of({**mapping, "detail": detail, **kept})


def _event(row: sa.Row[Any], sources: list[Source]) -> Event:
    """The typed event of an `events` row: the fields kept in `detail` (IN_DETAIL) taken out of it."""
    mapping = row._mapping
    detail = dict(mapping["detail"] or {})
    kept = {key: detail.pop(key, None) for key in IN_DETAIL}
    return Event.of({**mapping, "detail": detail, "sources": tuple(sources), **kept})
