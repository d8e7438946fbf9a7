"""The web API and dashboard: `create_app(kw_or_db)` builds a FastAPI app over one `Kwatch`.

Thin by design: routes parse the request, call `Kwatch`, and format what comes back. Every error —
ours, FastAPI's validation errors, unknown routes and methods, crashes — leaves in one JSON shape:

    {"ok": false, "status": 404, "error": "No event 'x'.", "errors": [...]}

Reads are open to clients on the loopback interface (or to everyone with `open_reads=True`);
anyone else needs a bearer token or a login session (`web/sessions.py`). Every write needs an
analyst token or an analyst's session (admin to manage tokens). Around the app, `web/guard.py`
checks the Host header, bounds the requests in flight and adds the security headers.
"""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

import kwatch
from kwatch.api import Kwatch
from kwatch.auth import Principal, require
from kwatch.errors import (
    AuthError,
    ConfigError,
    EventNotFound,
    ExportError,
    Forbidden,
    KwatchError,
    QueryError,
    ReviewError,
    StoreError,
    Unauthenticated,
)
from kwatch.query import EventQuery, order, select
from kwatch.resolve import ResolutionStatus
from kwatch.web.guard import allowed_host_names, error_body, guard, security_headers
from kwatch.web.pages import add_pages
from kwatch.web.sessions import add_login, credentials, reader

#: HTTP status of each error class; the most specific class listed wins. Anything else a user
#: can fix is a 400.
ERROR_STATUS: tuple[tuple[type[Exception], int], ...] = (
    (Unauthenticated, 401),
    (Forbidden, 403),
    (EventNotFound, 404),
    (ReviewError, 422),
    (QueryError, 422),
    (ExportError, 400),
    (ConfigError, 400),
    (StoreError, 503),
    (KwatchError, 400),
)

#: Media types of the export formats we know; other formats registered later are served as text.
EXPORT_MEDIA = {
    "jsonl": "application/x-ndjson",
    "csv": "text/csv",
    "geojson": "application/geo+json",
    "stix": "application/stix+json",
}


def _error_response(status: int, error: str, errors: list[Any] | None = None, headers: Mapping[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(status, error, errors), status_code=status, headers=dict(headers or {}))


def status_of(error: Exception) -> int:
    for cls, status in ERROR_STATUS:
        if isinstance(error, cls):
            return status
    return 500


def plain(value: Any) -> Any:
    """JSON-ready: dates as ISO text, NaN as null, numpy/pandas scalars as Python ones."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and callable(value.item) and not isinstance(value, (str, bytes)):
        return plain(value.item())  # numpy scalar
    if hasattr(value, "isoformat"):
        return value.isoformat()  # pandas Timestamp / Period-like
    return value


class ReasonBody(BaseModel):
    why: str | None = Field(default=None, max_length=2000, description="Why; goes into the audit log.")


class EditBody(BaseModel):
    field: str = Field(description="A FORMAT.md field, e.g. killed, admin1, date.")
    value: Any = Field(description="The new value (JSON), or null.")
    why: str | None = Field(default=None, max_length=2000)


class MergeBody(BaseModel):
    ids: list[str] = Field(min_length=2, max_length=2, description="The two event ids to merge.")
    why: str | None = Field(default=None, max_length=2000)


class SplitBody(BaseModel):
    document_id: str = Field(description="The source document to split off the event.")
    why: str | None = Field(default=None, max_length=2000)


class TokenBody(BaseModel):
    role: str = Field(description="viewer, analyst or admin")
    name: str | None = Field(default=None, max_length=200)


class Snapshot:
    """The reviewed records, the stats and the resolution status of one data version of the
    store, rebuilt when `Store.data_version()` changes (an extraction, a resolution finishing, a
    decision or a review by anyone, in any process). Building them reads every event, so requests
    share one build; the version and what is built for it are read in one store snapshot, and
    nothing here writes (reads serve the last complete resolution; they never resolve)."""

    def __init__(self, kw: Kwatch) -> None:
        self._kw = kw
        self._lock = threading.Lock()
        self._version: tuple[Any, ...] | None = None
        self._status: ResolutionStatus | None = None
        self._records: dict[bool, list[Any]] = {}
        self._stats: dict[tuple[Any, ...], dict[str, list[dict[str, Any]]]] = {}

    def _current(self) -> ResolutionStatus:
        version = self._kw.data_version()
        if version != self._version or self._status is None:
            self._version, self._records, self._stats = version, {}, {}
            self._status = self._kw.resolution_status()
        return self._status

    def read(self, *, include_rejected: bool = False) -> tuple[list[Any], ResolutionStatus]:
        """Reviewed records in `query.order()`, and the status of the resolution they come from."""
        with self._lock, self._kw.snapshot():
            status = self._current()
            if include_rejected not in self._records:
                self._records[include_rejected] = order(self._kw.reviewed_records(include_rejected=include_rejected))
            return self._records[include_rejected], status

    def records(self, *, include_rejected: bool = False) -> list[Any]:
        """Reviewed records in `query.order()`."""
        return self.read(include_rejected=include_rejected)[0]

    def status(self) -> ResolutionStatus:
        """The status of the resolution reads serve now (computed once per data version)."""
        with self._lock, self._kw.snapshot():
            return self._current()

    def stats(self, **filters: Any) -> tuple[dict[str, list[dict[str, Any]]], ResolutionStatus]:
        """The stats tables for these filters, and the status of the resolution they come from."""
        key = tuple(sorted(filters.items()))
        with self._lock, self._kw.snapshot():
            status = self._current()
            if key not in self._stats:
                self._stats[key] = stats_tables(self._kw, **filters)
            return self._stats[key], status


#: Response header of the reads that serve resolved events: `current` or `stale`.
RESOLUTION_HEADER = "X-Kwatch-Resolution"


def resolution_body(status: ResolutionStatus, response: Response) -> dict[str, Any]:
    """The `resolution` member of a read's body (current, resolved_at, …), and its header."""
    response.headers[RESOLUTION_HEADER] = "current" if status.current else "stale"
    return status.as_dict()


def _writer(request: Request, role: str) -> Principal:
    principal = credentials(request, write=True)
    return require(principal or request.app.state.kw.authenticate(None), role)


def analyst(request: Request) -> Principal:
    return _writer(request, "analyst")


def admin(request: Request) -> Principal:
    return _writer(request, "admin")


Reader = Annotated[Principal | None, Depends(reader)]
Analyst = Annotated[Principal, Depends(analyst)]
Admin = Annotated[Principal, Depends(admin)]


def create_app(
    kw_or_db: Kwatch | str,
    *,
    open_reads: bool | None = None,
    allowed_hosts: str | Iterable[str] | None = None,
    max_requests: int | None = None,
    title: str = "Khorasan Watch",
) -> FastAPI:
    """The FastAPI app over a `Kwatch` (or a store path/URL, opened here and closed on shutdown).

    open_reads: True lets anyone read without a token; False asks every reader for one; None
    (default) lets clients on the loopback interface read without one.
    allowed_hosts: Host names answered besides the loopback ones (comma-separated text or a
    list; default: the `allowed_hosts` setting); any other Host gets 421.
    max_requests: requests worked on or waiting at once (default: the `web_max_requests`
    setting); one more gets 503 with Retry-After.
    """
    owns = not isinstance(kw_or_db, Kwatch)
    kw: Kwatch = kw_or_db if isinstance(kw_or_db, Kwatch) else kwatch.open(kw_or_db)
    app = FastAPI(
        title=title,
        summary="Read and review the Khorasan Watch events dataset.",
        version=kwatch.__version__,
        openapi_url="/api/openapi.json",
        docs_url=None,  # our own /api/docs page (pages.py), without inline script
        redoc_url=None,
    )
    app.state.kw = kw
    app.state.open_reads = open_reads
    snapshot = Snapshot(kw)
    app.state.snapshot = snapshot
    if owns:
        app.router.on_shutdown.append(kw.close)
    hosts = allowed_host_names(kw.settings.get("allowed_hosts", "") if allowed_hosts is None else allowed_hosts)
    app.state.allowed_hosts = hosts
    guard(app, allowed_hosts=hosts, max_requests=int(kw.settings.get("web_max_requests", 64) if max_requests is None else max_requests))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error_response(exc.status_code, str(exc.detail), headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": [str(part) for part in e.get("loc", ())], "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
        where = ".".join(first["loc"][1:] or first["loc"])
        return _error_response(422, f"Invalid request: {where}: {first['msg']}" if where else f"Invalid request: {first['msg']}", errors)

    @app.exception_handler(KwatchError)
    async def kwatch_error(request: Request, exc: KwatchError) -> JSONResponse:
        status = status_of(exc)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        detail = {"message": exc.message, "hint": exc.hint} if exc.hint else {"message": exc.message}
        return _error_response(status, str(exc), [detail], headers=headers)

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> JSONResponse:
        # No traceback or message leaves the server: it may hold paths or data. Starlette answers
        # crashes outside the middleware, so this response gets the security headers here.
        headers = security_headers(request.url.path)
        return _error_response(500, "Internal error: this is a bug in kwatch; the server log has the details.", headers=headers)

    # -- reads -----------------------------------------------------------------------------

    @app.get("/api/events", tags=["events"])
    def list_events(
        response: Response,
        _: Reader,
        type: str | None = None,
        since: str | None = Query(None, description="YYYY[-MM[-DD]]"),
        until: str | None = Query(None, description="YYYY[-MM[-DD]]"),
        country: str | None = Query(None, description="ISO 3166-1 alpha-2"),
        province: str | None = Query(None, description="admin1, e.g. Kabul"),
        actor: str | None = None,
        text: str | None = Query(None, description="words in place, actor or the quotes"),
        review: str = Query("any", description="any, unreviewed, confirmed or rejected"),
        limit: int = Query(50, ge=1, le=500),
        offset: int = Query(0, ge=0),
    ) -> dict[str, Any]:
        """Events (with analysts' edits applied), newest first, from the last complete resolution
        (`resolution.current` false, header X-Kwatch-Resolution: stale, when documents were
        extracted since)."""
        query = EventQuery(type=type, since=since, until=until, country=country, province=province, actor=actor, text=text, review=review, limit=limit, offset=offset)
        records, status = snapshot.read(include_rejected=review == "rejected")
        page = select(records, query.check(), ordered=True)
        body = {"ok": True, "total": page.total, "limit": page.limit, "offset": page.offset, "items": plain(page.items)}
        return {**body, "resolution": resolution_body(status, response)}

    @app.get("/api/events/{event_id}", tags=["events"])
    def get_event(_: Reader, event_id: str, response: Response) -> dict[str, Any]:
        """One event with its sources and quotes, why its sources were merged, and its audit log."""
        # The status first, not inside the event's snapshot: waiting for the cache's lock while
        # holding a connection could exhaust the pool.
        status = snapshot.status()
        view = kw.event_view(event_id)
        return {"ok": True, **plain(view), "resolution": resolution_body(status, response)}

    @app.get("/api/events/{event_id}/audit", tags=["review"])
    def event_audit(_: Reader, event_id: str) -> dict[str, Any]:
        return {"ok": True, "items": plain(kw.audit(event_id=event_id))}

    @app.get("/api/audit", tags=["review"])
    def audit_log(_: Reader, limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0)) -> dict[str, Any]:
        """The audit log, newest first: who, when, which event and field, old and new value, why."""
        return {"ok": True, "items": plain(kw.audit(limit=limit, offset=offset))}

    @app.get("/api/documents", tags=["documents"])
    def list_documents(
        _: Reader,
        q: str | None = Query(None, description="full-text search"),
        limit: int = Query(50, ge=1, le=500),
        offset: int = Query(0, ge=0),
    ) -> dict[str, Any]:
        """Stored documents (metadata), or full-text search hits with snippets when `q` is given."""
        if q:
            hits = kw.search(q, limit=limit)
            return {"ok": True, "items": [plain(h.record()) for h in hits]}
        return {"ok": True, "items": [plain(d.record()) for d in kw.documents(limit=limit, offset=offset)]}

    @app.get("/api/documents/{document_id}", tags=["documents"])
    def get_document(_: Reader, document_id: str) -> dict[str, Any]:
        doc = kw.document(document_id)
        if doc is None:
            raise StarletteHTTPException(404, f"No document {document_id!r}.")
        return {"ok": True, "document": plain({**doc.record(), "text": doc.text})}

    @app.get("/api/stats", tags=["analytics"])
    def stats(
        response: Response,
        _: Reader,
        since: str | None = None,
        until: str | None = None,
        country: str | None = None,
        province: str | None = None,
        actor: str | None = None,
    ) -> dict[str, Any]:
        """The analytics tables (monthly, propaganda_by_language, casualties, abroad, by_province, …) as row lists."""
        tables, status = snapshot.stats(since=since, until=until, country=country, province=province, actor=actor)
        return {"ok": True, "stats": tables, "resolution": resolution_body(status, response)}

    @app.get("/api/export", tags=["export"], response_class=Response)
    def export(_: Reader, format: str = "jsonl") -> Response:
        """The events in an export format (jsonl, csv, geojson, stix — whatever is registered)."""
        buffer = io.StringIO()
        kw.export(format, buffer)
        media = EXPORT_MEDIA.get(format, "text/plain")
        headers = {"Content-Disposition": f'attachment; filename="kwatch-events.{format}"'}
        return Response(buffer.getvalue(), media_type=f"{media}; charset=utf-8", headers=headers)

    @app.get("/api/whoami", tags=["auth"])
    def whoami(request: Request) -> dict[str, Any]:
        principal = credentials(request) or kw.authenticate(None)
        return {"ok": True, "token_id": principal.token_id, "name": principal.name, "role": principal.role}

    # -- writes ----------------------------------------------------------------------------

    @app.post("/api/events/{event_id}/confirm", tags=["review"])
    def confirm(event_id: str, body: ReasonBody, who: Analyst) -> dict[str, Any]:
        return {"ok": True, "event": plain(kw.confirm(event_id, who=who.label, why=body.why))}

    @app.post("/api/events/{event_id}/edit", tags=["review"])
    def edit(event_id: str, body: EditBody, who: Analyst) -> dict[str, Any]:
        return {"ok": True, "event": plain(kw.edit(event_id, body.field, body.value, who=who.label, why=body.why))}

    @app.post("/api/events/{event_id}/reject", tags=["review"])
    def reject(event_id: str, body: ReasonBody, who: Analyst) -> dict[str, Any]:
        return {"ok": True, "event": plain(kw.reject(event_id, who=who.label, why=body.why))}

    @app.post("/api/events/merge", tags=["review"])
    def merge(body: MergeBody, who: Analyst) -> dict[str, Any]:
        return {"ok": True, "event": plain(kw.merge(body.ids[0], body.ids[1], who=who.label, why=body.why))}

    @app.post("/api/events/{event_id}/split", tags=["review"])
    def split(event_id: str, body: SplitBody, who: Analyst) -> dict[str, Any]:
        return {"ok": True, "events": plain(kw.split(event_id, body.document_id, who=who.label, why=body.why))}

    @app.post("/api/tokens", tags=["auth"], status_code=201)
    def create_token(body: TokenBody, _: Admin) -> dict[str, Any]:
        """A new token (admin only); the secret is in this response and nowhere else."""
        new = kw.create_token(role=body.role, name=body.name)
        return {"ok": True, "token": new.token, "token_id": new.principal.token_id, "name": new.principal.name, "role": new.principal.role}

    add_pages(app, kw)
    add_login(app)
    return app


def stats_tables(kw: Kwatch, **filters: Any) -> dict[str, list[dict[str, Any]]]:
    """`Kwatch.stats()` DataFrames as lists of row dicts (the index becomes columns)."""
    tables = kw.stats(**filters)
    return {name: plain(frame.reset_index().to_dict(orient="records") if _named_index(frame) else frame.to_dict(orient="records")) for name, frame in tables.items()}


def _named_index(frame: Any) -> bool:
    return any(name is not None for name in frame.index.names)


__all__ = ["AuthError", "create_app", "error_body"]
