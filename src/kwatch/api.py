"""The Python API: `kwatch.open(db)` gives a `Kwatch` over one store. The CLI is a thin layer on it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, NamedTuple, TextIO

from kwatch import auth, lexicon, records, review
from kwatch import settings as settings_mod
from kwatch.errors import EventNotFound
from kwatch.export import check_export
from kwatch.export import export as export_events
from kwatch.models import Document, ErrorRecord, SearchHit, document_name
from kwatch.records import Event, ResolvedEvent
from kwatch.store import Store, open_store

# Reading, ingesting and extracting need different parts of kwatch: the ingestion side (httpx,
# trafilatura, pypdf, datasketch with scipy) and the pipeline are imported by the methods that
# use them, so `kwatch summary` or `kwatch events` starts in a fraction of the time.
if TYPE_CHECKING:
    import httpx
    import pandas

    from kwatch.evaluate import Report
    from kwatch.extraction import ExtractPlan, ExtractReport
    from kwatch.ingest.batch import IngestEvent, IngestReport
    from kwatch.pipeline import Context
    from kwatch.query import EventQuery, Page
    from kwatch.resolve import ResolutionStatus, ResolveReport

#: The FORMAT.md fields, in the order exports write them (`kwatch.records`).
RECORD_FIELDS = records.FORMAT_FIELDS
#: A resolved event record: the FORMAT.md fields, the range of reported figures, the location's
#: precision and coordinates, and `detail` (per-source figures, claim links); then `sources`.
RESOLVED_FIELDS = tuple(key for key in records.RESOLVED_RECORD if key != "sources")


def utc_now() -> datetime:
    return datetime.now(UTC)


def sample_corpus_path() -> Path:
    """The bundled sample corpus (our own writing) that `make run` ingests."""
    return Path(str(resources.files("kwatch") / "sample_corpus"))


class Kwatch:
    """One store and the settings it was opened with."""

    def __init__(self, store: Store, settings: dict[str, Any], *, now: Callable[[], datetime] = utc_now) -> None:
        self.store = store
        self.settings = settings
        self._now = now

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Kwatch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ingestion -------------------------------------------------------------------------------
    def ingest(
        self,
        inputs: Iterable[str],
        *,
        extract: bool = True,
        on_item: Callable[[IngestEvent], None] | None = None,
        client: httpx.Client | None = None,
    ) -> tuple[IngestReport, ExtractReport | None]:
        import httpx

        from kwatch.ingest import ReadOptions
        from kwatch.ingest.batch import ingest

        inputs = [str(i) for i in inputs]
        options = ReadOptions(max_bytes=self.settings["max_file_size"], http_deadline=self.settings["http_deadline"])
        owns_client = client is None
        if client is None:
            client = httpx.Client(
                timeout=self.settings["http_timeout"],
                follow_redirects=True,
                headers={"User-Agent": self.settings["user_agent"]},
            )
        try:
            report = ingest(inputs, self.store, options=options, now=self._now, client=client, on_item=on_item)
        finally:
            if owns_client:
                client.close()
        extracted = self.extract() if extract else None
        return report, extracted

    def extract(
        self,
        *,
        redo: bool = False,
        retry: bool = False,
        ids: list[str] | None = None,
        on_start: Callable[[ExtractPlan], None] | None = None,
        on_document: Callable[[Document, int], None] | None = None,
    ) -> ExtractReport:
        """Extract events from documents not yet processed (every one with `redo`; the failed ones
        too with `retry`; only `ids`), finishing what an interrupted run left, then resolve.
        Recorded as a run (`runs()`). A document whose extraction fails never raises: it is marked
        failed, keeps its earlier events, and is in `report.failures` and `errors()`."""
        from kwatch.extraction import run_extraction

        report = run_extraction(self.store, redo=redo, retry=retry, ids=ids, ctx=self.extraction_context(), on_start=on_start, on_document=on_document)
        self.resolve()
        return report

    def runs(self, *, kind: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Recorded extraction and resolution runs, newest first: id, kind, scope, pipeline_version,
        started_at, finished_at (None while running or when interrupted), documents, failed, note."""
        return self.store.runs(kind=kind, limit=limit)

    # reading ---------------------------------------------------------------------------------
    def documents(self, *, limit: int | None = None, offset: int = 0) -> list[Document]:
        return self.store.documents(limit=limit, offset=offset)

    def document(self, id: str) -> Document | None:
        """One stored document (with its text) by id, or None."""
        return self.store.get_document(id)

    def snapshot(self) -> AbstractContextManager[None]:
        """Every read inside the `with` sees one state of the store (`Store.snapshot()`)."""
        return self.store.snapshot()

    def data_version(self) -> tuple[Any, ...]:
        """Changes whenever the events, the resolution, a decision or a review change (any process)."""
        return self.store.data_version()

    def search(self, query: str, *, limit: int = 20) -> list[SearchHit]:
        """The documents matching `query`, best first (as `search_page`; nothing for a query
        with nothing to look for)."""
        return self.store.search(query, limit=limit)

    def search_page(self, query: str, *, limit: int = 20, offset: int = 0) -> SearchPage:
        """Full-text search: words (all required), "a phrase", `or` between two terms, `-word`
        to leave out, `word*` for every word that begins so (`Kab*`). A page of hits, best
        first, and the total found, read in one snapshot. QueryError when the query has nothing
        to look for (only `*`, punctuation or exclusions) or limit/offset are out of range."""
        from kwatch.errors import QueryError
        from kwatch.store.fulltext import searchable, terms

        if limit < 1 or offset < 0:
            raise QueryError(f"limit {limit} / offset {offset} is out of range.", hint="give a limit of 1 or more and an offset of 0 or more")
        if not searchable(query):
            if terms(query):
                raise QueryError(f"{query!r} only leaves words out: a search needs one to look for.", hint="e.g. `Kandahar -Kabul`")
            raise QueryError(f"Nothing to search for in {query!r}.", hint="give a word, or the start of one followed by * (Kab*)")
        with self.store.snapshot():
            return SearchPage(total=self.store.count_matches(query), hits=self.store.search(query, limit=limit, offset=offset))

    def errors(self) -> list[ErrorRecord]:
        """Inputs that could not be ingested (kind 'ingest', stage 'read') and documents whose
        extraction failed (kind 'extract', stage the one that raised), oldest first."""
        failures = [
            ErrorRecord(
                path=document_name(SimpleNamespace(**row)),  # type: ignore[arg-type]
                reason=row["reason"],
                at=row["extracted_at"],
                kind="extract",
                stage=row["stage"],
                document_id=row["id"],
            )
            for row in self.store.extraction_failures()
        ]
        return sorted([*self.store.errors(), *failures], key=lambda e: e.at)

    def events(self, **filters: Any) -> pandas.DataFrame:
        """The resolved events (`reviewed_events(**filters)`) as a pandas DataFrame of their
        records (`event_records`), one row each."""
        from kwatch.analytics import frame

        events, names = self._reviewed(**filters)
        return frame(events, names=names)

    def extracted_events(
        self,
        *,
        type: str | None = None,
        since: str | None = None,
        until: str | None = None,
        country: str | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """The per-document events as extraction wrote them, as FORMAT.md records (before
        resolution and review), filtered by the rule of every view (`kwatch.query.keep`)."""
        from kwatch.query import keep

        with self.store.snapshot():
            found = keep(self.store.events(), type=type, since=since, until=until, country=country, limit=limit)
            names = self.document_names() if found else {}
        return [event.record(names) for event in found]

    def document_names(self) -> dict[str, str]:
        """{document id: display name} of every stored document (`document_name`: its locator,
        file name or URL): the `names` that `Event.record(names)` / `ResolvedEvent.record(names)`
        and the exporters name sources by."""
        return {info["id"]: _info_name(info) for info in self.store.document_infos()}

    # resolution (kwatch.resolve) -------------------------------------------------------------
    def resolve(self, *, full: bool = False) -> ResolveReport:
        """Group the extracted events into resolved events (one per real event), applying the
        analysts' decisions, and store them (a recorded run of kind 'resolve'). Runs after every
        extraction and every merge or split; reads never run it (see `resolution_status`).
        Only the part that changed since the last resolution is resolved again, when that one
        was made by the same rules; `full` resolves every event (the result is the same)."""
        from kwatch.resolve import resolve_store

        return resolve_store(self.store, name=_info_name, full=full)

    def resolution_status(self) -> ResolutionStatus:
        """Whether the stored resolution, which every read serves, is of the events as they are
        now: when it finished, how many extracted events it lacks, and a resolve run that started
        and never finished. Reads only."""
        from kwatch.resolve import ResolutionStatus

        return ResolutionStatus.of(self.store.resolution_state())

    def reviewed_events(
        self,
        *,
        type: str | None = None,
        since: str | None = None,
        until: str | None = None,
        country: str | None = None,
        province: str | None = None,
        actor: str | None = None,
        text: str | None = None,
        review: str = "any",
        limit: int | None = None,
        include_rejected: bool = False,
    ) -> list[ResolvedEvent]:
        """The resolved events, typed: one per real event with every member's sources. Analysts'
        edits are applied (`review.apply`: new records whose `review` says what was done), then
        the filters (`kwatch.query.keep`, so they see the edited values): type, since/until
        (YYYY[-MM[-DD]]; anything else is a QueryError), country (ISO2), province (admin1),
        actor, text (words in the place, actor, outlet, method, target or the quotes), and
        review: 'any' (rejected events only with include_rejected), 'unreviewed', 'confirmed' or
        'rejected' (those alone). Reads only: this is the last complete resolution
        (`resolution_status()` says whether it is of the events as they are now), read in one
        snapshot of the store. `event_records()` gives their FORMAT.md records."""
        from kwatch.query import check_date, check_review, in_review_state, keep
        from kwatch.review import apply_all  # (`review` here is the state asked for, not the module)

        check_date("since", since)
        check_date("until", until)
        check_review(review)
        with self.store.snapshot():
            resolved = self._with_sources(self.store.resolved_events())
            overrides = self.store.overrides()
        applied = apply_all(resolved, overrides, include_rejected=include_rejected or review == "rejected")
        reviewed = [e for e in applied if in_review_state(e.review.status if e.review else None, review)]
        return keep(reviewed, type=type, since=since, until=until, country=country, province=province, actor=actor, text=text, limit=limit)

    def event_records(
        self,
        *,
        type: str | None = None,
        since: str | None = None,
        until: str | None = None,
        country: str | None = None,
        province: str | None = None,
        actor: str | None = None,
        text: str | None = None,
        review: str = "any",
        limit: int | None = None,
        include_rejected: bool = False,
    ) -> list[dict[str, Any]]:
        """Resolved events as FORMAT.md records (`reviewed_events()`, each `record(names)`): one
        per real event with every source, plus killed_low/high, injured_low/high, coordinates,
        precision, `detail` (per-source figures) and `review` (the analysts' status and edits).
        Filters and reads as `reviewed_events()`."""
        events, names = self._reviewed(
            type=type, since=since, until=until, country=country, province=province, actor=actor, text=text, review=review, limit=limit, include_rejected=include_rejected
        )
        return [event.record(names) for event in events]

    def _reviewed(self, **filters: Any) -> tuple[list[ResolvedEvent], dict[str, str]]:
        """`reviewed_events(**filters)` and the names of the documents, read in one snapshot."""
        with self.store.snapshot():
            events = self.reviewed_events(**filters)
            return events, (self.document_names() if events else {})

    def event(self, id: str) -> dict[str, Any] | None:
        """One resolved event by its id, a member event's id or a unique prefix of either: the
        record with the analysts' edits applied (`review` says which, as in every other view;
        rejected events too) plus `members` (each member event's document, figures, quote and why
        it was merged). Reads only, in one snapshot; a member event re-extracted away since is left out."""
        found = self._find(id)
        if found is None:
            return None
        record = found.event.record(found.names)
        figures = {f["event_id"]: f for f in found.event.detail.get("figures", [])}
        record["members"] = []
        for member in found.members:
            event = found.events.get(member["event_id"])
            if event is not None:
                doc = event.document_id
                record["members"].append(
                    {"event_id": event.id, "document_id": doc, "doc": found.names.get(doc, doc), "reason": member["reason"], "figures": figures.get(event.id)}
                )
        return record

    def _find(self, ident: str) -> _Found | None:
        """The resolved event `ident` names (as `event()` takes it), reviewed, with its members,
        their events and the documents' names, all of one snapshot; None when there is none."""
        with self.store.snapshot():
            found = self.store.resolved_ids_matching(ident)
            if len(found) != 1:
                return None
            resolved_id = found[0]
            rows = self.store.resolved_events(ids=[resolved_id])
            if not rows:
                return None
            members = self.store.resolved_members([resolved_id]).get(resolved_id, [])
            events = self.store.events_by_id([m["event_id"] for m in members])
            names = self.document_names()
            (resolved,) = self._with_sources(rows, members={resolved_id: members}, events=events)
            reviewed = review.apply(resolved, self.store.overrides([resolved_id]).get(resolved_id))
        return _Found(reviewed, members, events, names)

    def _found(self, ident: str) -> _Found:
        """`_find(ident)`, or EventNotFound."""
        found = self._find(ident)
        if found is None:
            self._resolved_id(ident)  # says whether the id is unknown or the start of several
            raise _not_found(ident)
        return found

    def merge(self, a: str, b: str, *, who: str, why: str | None = None) -> dict[str, Any]:
        """Merge two resolved events (ids, member ids or unique prefixes) by hand: the decision,
        kept and re-applied on every resolution, and its entry in the audit log of both events
        are one transaction; then resolve. Returns the merged event (`event()`)."""
        from kwatch.errors import ResolutionError

        with self.store.snapshot():
            first, second = self._resolved_id(a), self._resolved_id(b)
            if first == second:
                raise ResolutionError(f"{a} and {b} are already one event ({first}).", hint="see it with `kwatch event ID`")
            members = self.store.resolved_members([first, second])
        ids = [m["event_id"] for rid in (first, second) for m in members.get(rid, [])]
        # The merged event's id is its smallest member's, so the entry of `first` or of `second` is its own.
        change = review.structural("merge", [first, second], detail={"merged": [first, second]}, why=why)
        self.store.add_decision(kind="merge", event_ids=ids, document_id=None, who=who, at=self._now(), why=change.entries[0]["why"], audit=change.entries)
        self.resolve()
        return self.event(first) or {}

    def split(self, event_id: str, document_id: str, *, who: str, why: str | None = None) -> list[dict[str, Any]]:
        """Take the sources of one document out of a resolved event: the decision, kept and
        re-applied on every resolution, and its entry in the audit log of the event and of the
        two it becomes are one transaction; then resolve. `document_id` may be the document's
        id, a unique prefix of it, or its name as `kwatch event` shows it. Returns the events
        that result (`event()` of each)."""
        from kwatch.errors import ResolutionError

        with self.store.snapshot():
            resolved_id = self._resolved_id(event_id)
            members = self.store.resolved_members([resolved_id]).get(resolved_id, [])
            events = self.store.events_by_id([m["event_id"] for m in members])
            names = self.document_names()
        docs = sorted({e.document_id for e in events.values()})
        chosen = [d for d in docs if d == document_id or names.get(d) == document_id] or [
            d for d in docs if len(document_id) >= 6 and d.startswith(document_id)
        ]
        if len(chosen) != 1:
            shown = ", ".join(f"{names.get(d, d)} ({d[:12]})" for d in docs)
            raise ResolutionError(f"Document {document_id!r} is not one source of event {resolved_id}.", hint=f"its documents: {shown}")
        moved = sorted(e for e, ev in events.items() if ev.document_id == chosen[0])
        stays = sorted(e for e, ev in events.items() if ev.document_id != chosen[0])
        if not stays:
            raise ResolutionError(f"Event {resolved_id} has no source but {names.get(chosen[0], chosen[0])}; there is nothing to split.")
        # Each part's id is its smallest member's: the entries under them are the parts' own.
        detail = {"from": resolved_id, "document_id": chosen[0], "doc": names.get(chosen[0], chosen[0]), "into": [stays[0], moved[0]]}
        change = review.structural("split", [resolved_id, stays[0], moved[0]], detail=detail, why=why)
        self.store.add_decision(kind="split", event_ids=stays, document_id=chosen[0], who=who, at=self._now(), why=change.entries[0]["why"], audit=change.entries)
        self.resolve()
        return [e for e in (self.event(stays[0]), self.event(moved[0])) if e is not None]

    def decisions(self) -> list[dict[str, Any]]:
        """The analysts' merge and split decisions, oldest first."""
        return self.store.decisions()

    def stats(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        country: str | None = None,
        province: str | None = None,
        actor: str | None = None,
    ) -> dict[str, pandas.DataFrame]:
        """The analyses (kwatch.analytics.ALL) over the resolved events, as DataFrames keyed
        monthly, propaganda_by_language, propaganda_by_medium, casualties, abroad, by_province."""
        from kwatch.analytics import frame, stats
        from kwatch.query import keep
        from kwatch.releases import propaganda_breakdowns

        with self.store.snapshot():
            events, names = self._reviewed()
        # Releases are resolved events (resolution makes the sightings of one release one event,
        # with their themes), counted once each, under the filters of every other table.
        releases = keep(events, type="propaganda", since=since, until=until, country=country, province=province, actor=actor)
        tables = stats(frame(events, names=names), since=since, until=until, country=country, province=province, actor=actor)
        # releases.py reads FORMAT.md records.
        for name, table in propaganda_breakdowns([r.record(names) for r in releases]).items():
            tables.setdefault(name, table)
        return tables

    def _resolved_id(self, ident: str) -> str:
        """The resolved id `ident` names (EventNotFound when none or several)."""
        found = self.store.resolved_ids_matching(ident)
        if len(found) == 1:
            return found[0]
        if not found:
            raise _not_found(ident)
        raise EventNotFound(f"{ident!r} is the start of several event ids.", hint="give more characters of the id")

    def _with_sources(
        self,
        resolved: list[ResolvedEvent],
        *,
        members: Mapping[str, list[dict[str, Any]]] | None = None,
        events: Mapping[str, Event] | None = None,
    ) -> list[ResolvedEvent]:
        """The resolved events (as the store keeps them, without sources) with their members'
        sources, members and their events read in one snapshot; a member whose event was
        re-extracted away since the resolution (another process) is left out."""
        with self.store.snapshot():
            if members is None:
                members = self.store.resolved_members([r.id for r in resolved])
            if events is None:
                events = self.store.events_by_id([m["event_id"] for ms in members.values() for m in ms])
        return [
            replace(r, sources=tuple(s for m in members.get(r.id, []) if m["event_id"] in events for s in events[m["event_id"]].sources))
            for r in resolved
        ]

    def export(self, fmt: str, fp: TextIO, *, options: dict[str, Any] | None = None, **filters: Any) -> int:
        """Write the events matching `filters` (`reviewed_events(**filters)`) to `fp` in format
        `fmt` (see kwatch.export.FORMATS), with that format's `options` (csv: bom; stix:
        timestamp); returns how many were written."""
        options = options or {}
        check_export(fmt, options)
        events, names = self._reviewed(**filters)
        return export_events(fmt, events, fp, names=names, **options)

    def summary(self) -> dict[str, Any]:
        """Counts that describe the store at a glance, and `resolution` (`resolution_status()`,
        JSON-ready), all of one snapshot."""
        with self.store.snapshot():
            docs = self.store.documents()
            events = self.reviewed_events()
            errors = self.store.errors()
            status = self.resolution_status()
            unfinished = self.store.unfinished_run("extract")
        published = sorted(d.published for d in docs if d.published)
        return {
            "store": self.store.url,
            "documents": len(docs),
            "by_kind": dict(Counter(d.kind for d in docs).most_common()),
            "by_language": dict(Counter(d.language or "unknown" for d in docs).most_common()),
            "published_range": [published[0], published[-1]] if published else None,
            "near_duplicates": sum(1 for d in docs if d.duplicate_of),
            "skipped": sum(1 for d in docs if d.extract_status == "skipped"),
            "extraction_failed": sum(1 for d in docs if d.extract_status == "failed"),
            "ingest_errors": len(errors),
            "events": len(events),
            "merged_events": sum(1 for e in events if len(e.detail.get("documents") or []) > 1),
            "events_by_type": dict(Counter(e.type for e in events).most_common()),
            "resolution": status.as_dict(),
            # An extraction run that started and never finished: interrupted (the next
            # `kwatch extract` finishes its job) or still going on in another process.
            "unfinished_extraction": None if unfinished is None else {"run": unfinished["id"], "scope": unfinished["scope"], "started_at": unfinished["started_at"].isoformat()},
        }

    # review: analysts' overrides and the audit log (kwatch.review, kwatch.auth) ---------------
    def reviewed_records(self, *, include_rejected: bool = False) -> list[dict[str, Any]]:
        """Every event record with analysts' overrides applied (rejected ones only on request)."""
        return self.event_records(include_rejected=include_rejected)

    def browse(self, query: EventQuery) -> Page:
        """One page of reviewed event records matching `query` (the web API's events list)."""
        from kwatch.query import select

        return select(self.reviewed_records(include_rejected=query.review == "rejected"), query.check())

    def reviewed_event(self, event_id: str) -> dict[str, Any]:
        """One event (`event()`: id, member id or unique prefix) with its overrides applied;
        EventNotFound when no event has this id. Reads only, in one snapshot."""
        resolved = self.event(event_id)
        if resolved is None:
            self._resolved_id(event_id)  # says whether the id is unknown or the start of several
            raise _not_found(event_id)
        return resolved

    def event_view(self, event_id: str) -> dict[str, Any]:
        """What the event endpoint and page show: the reviewed record, its merge explanation and
        audit log (EventNotFound when no event has this id)."""
        record = self.reviewed_event(event_id)
        explanation = [{**m, "why": records.merge_reason(m["reason"])} for m in record.get("members") or []]
        return {"event": record, "explanation": explanation, "audit": self.audit(event_id=record["id"])}

    def confirm(self, event_id: str, *, who: str, why: str | None = None) -> dict[str, Any]:
        return self._record_review(review.confirm(self._found(event_id).event, why=why), who=who)

    def edit(self, event_id: str, field: str, value: Any, *, who: str, why: str | None = None) -> dict[str, Any]:
        return self._record_review(review.edit(self._found(event_id).event, field, value, why=why), who=who)

    def reject(self, event_id: str, *, who: str, why: str | None) -> dict[str, Any]:
        return self._record_review(review.reject(self._found(event_id).event, why=why), who=who)

    def audit(self, *, event_id: str | None = None, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        """Audit entries (who, at, action, event_id, field, old, new, why), newest first."""
        return self.store.audit(event_id=event_id, limit=limit, offset=offset)

    def _record_review(self, change: review.Change, *, who: str) -> dict[str, Any]:
        self.store.record_review(change.entries, at=self._now(), who=who, overrides={change.event_id: change.overrides} if change.overrides else None)
        return self.reviewed_event(change.event_id)

    def create_token(self, *, role: str, name: str | None = None) -> auth.NewToken:
        return auth.create_token(self.store, role=role, name=name, now=self._now())

    def authenticate(self, token: str | None) -> auth.Principal:
        return auth.authenticate(self.store, token)

    def tokens(self) -> list[dict[str, Any]]:
        """The API tokens (id, name, role, created_at, revoked_at); never their secrets."""
        return self.store.tokens()

    def revoke_token(self, token_id: str) -> bool:
        return self.store.revoke_token(token_id, at=self._now())

    # browser sessions (the dashboard's login) ----------------------------------------------
    def login(self, token: str | None) -> auth.NewSession:
        """A session for the holder of `token`, lasting the `web_session_hours` setting."""
        return auth.start_session(self.store, token, now=self._now(), hours=float(self.settings["web_session_hours"]))

    def session_principal(self, secret: str | None) -> auth.Principal | None:
        """Who holds this session cookie; None when unknown, expired or its token revoked."""
        return auth.session_principal(self.store, secret, now=self._now())

    def logout(self, secret: str | None) -> bool:
        return auth.end_session(self.store, secret)

    # user lexicons ---------------------------------------------------------------------------
    def lexicon_path(self) -> lexicon.SearchPath:
        """The user lexicon folders of the `lexicon_dirs` setting, checked: ConfigError naming the
        first problem (`lexicon_problems()` lists them all)."""
        return lexicon.search_path(self.settings.get("lexicon_dirs") or "")

    def extraction_context(self) -> Context:
        """The extraction context: the gazetteer, and the lexicons with the user's folders merged."""
        from kwatch.extract import build_context

        return build_context(**{lexicon.LEXICONS_OPTION: self.lexicon_path()})

    def lexicon_problems(self, dirs: Iterable[str] | None = None) -> list[str]:
        """What is wrong with user lexicon folders (default: the configured ones), one
        `FILE: key: what is wrong` line each (as `kwatch lexicons check`); empty when all is well."""
        from kwatch.pipeline.places import place_name_problems

        folders = self.settings.get("lexicon_dirs") or "" if dirs is None else list(dirs)
        return lexicon.check(folders) or place_name_problems(lexicon.search_path(folders))

    def lexicon_files(self) -> list[dict[str, Any]]:
        """Every lexicon file in use: its path under lexicons/ and the user files merged over it."""
        return lexicon.files_in_use(self.lexicon_path())


class SearchPage(NamedTuple):
    """One page of full-text hits (`Kwatch.search_page`) and how many documents match in all."""

    total: int
    hits: list[SearchHit]


class _Found(NamedTuple):
    """One resolved event as `Kwatch._find` reads it: reviewed, with its members ({event_id,
    reason}), their events by id and the documents' names."""

    event: ResolvedEvent
    members: list[dict[str, Any]]
    events: dict[str, Event]
    names: dict[str, str]


def _not_found(ident: str) -> EventNotFound:
    if len(ident) < 6:  # Store.resolved_ids_matching takes prefixes of 6 characters or more
        return EventNotFound(f"No event {ident!r}.", hint="give at least 6 characters of an id (`kwatch events` lists them)")
    return EventNotFound(f"No event {ident!r}.", hint="list events and their ids with `kwatch events`")


def _info_name(info: Mapping[str, Any]) -> str:
    """A document's display name (`document_name`) from its `Store.document_infos()` row."""
    from types import SimpleNamespace

    return document_name(SimpleNamespace(**info))  # type: ignore[arg-type]


def open(db: str | None = None, *, create: bool = True, **settings: Any) -> Kwatch:  # noqa: A001 - mirrors sqlite3.connect / kwatch.open
    """Open the store at `db` (a path or URL; default: KWATCH_DB, then the user's data folder)
    and return the API over it. A SQLite file that does not exist is created, unless `create`
    is False: then StoreError says it does not exist (what every read-only command asks)."""
    values = settings_mod.resolve({"db": db, **settings})
    return Kwatch(open_store(values["db"], create=create), values)


def evaluate_corpus(
    gold: Path,
    corpus: Path,
    *,
    split: str | None = None,
    predictions: Path | None = None,
    save_predictions: Path | None = None,
) -> Report:
    """`kwatch eval`: ingest `corpus` into a temporary SQLite store, extract, export the records
    and score them against the `gold` file with the rules of FORMAT.md.

    `split` scores only the documents the corpus manifest puts in that split (`dev`, `test`), as
    `score.py --split` does. `predictions` scores that export (JSON lines) instead of extracting;
    `save_predictions` writes the records extracted (every split) to that file, which
    `../shared/eval/score.py` reads too.
    """
    import json
    import tempfile

    from kwatch.errors import EvalError
    from kwatch.evaluate import language_documents, load_jsonl, only_split, score, split_documents

    if not corpus.is_dir():
        raise EvalError(f"Corpus folder {corpus} does not exist.", hint="give the folder that holds the documents and manifest.jsonl")
    gold_records = load_jsonl(gold)
    docs = split_documents(corpus, split) if split is not None else None  # before minutes of extraction
    texts: dict[str, str] | None = None
    if predictions is not None:
        records = load_jsonl(predictions)
    else:
        with tempfile.TemporaryDirectory(prefix="kwatch-eval-") as tmp:
            values = settings_mod.resolve({"db": str(Path(tmp) / "eval.db")})
            with Kwatch(open_store(values["db"]), values) as kw:
                kw.ingest([str(corpus)], extract=True)
                records = kw.event_records()
                texts = {document_name(doc): doc.text for doc in kw.documents()}
    if save_predictions is not None:
        with save_predictions.open("w", encoding="utf-8") as fp:
            fp.writelines(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
    if docs is not None:
        gold_records, records = only_split(gold_records, records, docs)
    report = score(gold_records, records, corpus=corpus, texts=texts)
    by_language = language_documents(corpus, docs) if (corpus / "manifest.jsonl").is_file() else {}
    if len(by_language) > 1:
        for language, names in sorted(by_language.items()):
            report.languages[language] = score(*only_split(gold_records, records, names), corpus=corpus, texts=texts)
    return report


def report_dict(report: Report) -> dict[str, Any]:
    """A scoring report as one JSON-able object (what `kwatch eval --json` prints)."""
    return {
        "events": report.events.as_dict(),
        "fields": {name: counts.as_dict() for name, counts in report.fields.items()},
        "fields_micro": report.fields_micro.as_dict(),
        "score": report.score,
        "missed": report.missed,
        "spurious": [{"id": p.get("id"), "type": p.get("type"), "date": p.get("date"), "docs": sorted({s["doc"] for s in p.get("sources", [])})} for p in report.spurious],
        "quotes_found": report.quotes_found,
        "quotes": report.quotes,
        "languages": {
            language: {"events": part.events.as_dict(), "fields_micro": part.fields_micro.as_dict(), "score": part.score}
            for language, part in report.languages.items()
        },
    }
