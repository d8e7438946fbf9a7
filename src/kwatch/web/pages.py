"""The dashboard and the event and document pages: Jinja2 templates with autoescape on, so text
from documents is always shown as text. Scripts fill in data with `textContent`, never markup.
Everything a page loads is served from here (plotly.js from the plotly package); nothing comes
from the internet.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from importlib import resources
from typing import Any, Callable

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException

from kwatch.api import Kwatch
from kwatch.review import EDITABLE_FIELDS, VOCABULARY
from kwatch.web.provinces import province_map

ABROAD_TYPES = ("attack", "plot", "arrest")

_templates = Environment(
    loader=PackageLoader("kwatch.web", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


@lru_cache(maxsize=1)
def plotly_js() -> str:
    """plotly.min.js as bundled in the plotly package (read once)."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def render(name: str, **context: Any) -> HTMLResponse:
    return HTMLResponse(_templates.get_template(name).render(**context))


def dashboard_context(records: list[dict[str, Any]]) -> dict[str, Any]:
    """The server-rendered parts of the dashboard: the province map and the incidents abroad."""
    in_afghanistan = Counter(r["admin1"] for r in records if r.get("country") == "AF" and r.get("admin1"))
    abroad = [
        {k: r.get(k) for k in ("id", "type", "date", "country", "admin1", "place", "lat", "lon", "killed")}
        for r in records
        if r.get("type") in ABROAD_TYPES and r.get("country") and r.get("country") != "AF"
    ]
    abroad.sort(key=lambda r: r.get("date") or "", reverse=True)
    types = Counter(r["type"] for r in records)
    return {
        "map": province_map(in_afghanistan),
        "abroad": abroad,
        "total": len(records),
        "types": dict(types.most_common()),
        "unlocated_af": sum(1 for r in records if r.get("country") == "AF" and not r.get("admin1")),
    }


def add_pages(app: FastAPI, kw: Kwatch, reader: Callable[..., Any]) -> None:
    static = resources.files("kwatch.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    def plotly() -> Response:
        return Response(plotly_js(), media_type="text/javascript; charset=utf-8", headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def dashboard(request: Request, _: Any = Depends(reader)) -> HTMLResponse:
        context = dashboard_context(request.app.state.snapshot.records())
        return render("dashboard.html", vocabulary=VOCABULARY, **context)

    @app.get("/events/{event_id}", response_class=HTMLResponse, include_in_schema=False)
    def event_page(event_id: str, _: Any = Depends(reader)) -> HTMLResponse:
        from kwatch.web.app import event_view

        view = event_view(kw, event_id)
        return render("event.html", editable=EDITABLE_FIELDS, **view)

    @app.get("/documents/{document_id}", response_class=HTMLResponse, include_in_schema=False)
    def document_page(document_id: str, _: Any = Depends(reader)) -> HTMLResponse:
        doc = kw.store.get_document(document_id)
        if doc is None:
            raise StarletteHTTPException(404, f"No document {document_id!r}.")
        return render("document.html", doc=doc)
