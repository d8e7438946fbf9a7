"""The dashboard and the event and document pages: Jinja2 templates with autoescape on, so text
from documents is always shown as text. Scripts fill in data with `textContent`, never markup.
Everything a page loads is served from here (plotly.js from the plotly package); nothing comes
from the internet.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from importlib import resources
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from kwatch.api import Kwatch
from kwatch.records import BASIS_WORDS, DATE_BASIS_WORDS
from kwatch.review import EDITABLE_FIELDS, VOCABULARY
from kwatch.web.provinces import province_map, world_map
from kwatch.web.sessions import page_principal, session_of
from kwatch.web.templates import render

ABROAD_TYPES = ("attack", "plot", "arrest")
#: The stats tables the dashboard's charts draw, put in the page so the charts need no request.
CHART_TABLES = ("monthly", "propaganda_by_language", "casualties")
#: `/api/stats` without filters: the same cache entry of the snapshot.
NO_FILTERS = {"since": None, "until": None, "country": None, "province": None, "actor": None}

@lru_cache(maxsize=1)
def plotly_js() -> str:
    """plotly.min.js as bundled in the plotly package (read once)."""
    from plotly.offline import get_plotlyjs

    return str(get_plotlyjs())


#: A JS string literal, '…' or "…" (minified plotly.js writes both).
_JS_STRING = r"""("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')"""


@lru_cache(maxsize=1)
def plotly_css() -> str:
    """The CSS plotly.js would insert into a <style> element of its own, as a stylesheet.

    Our CSP has no 'unsafe-inline' for styles, so the dashboard pre-empts plotly's style element
    with `<link id="plotly.js-style-global" class="no-inline-styles">` (which plotly honours) and
    serves the rules here: they are read out of the bundle's `{"X,X div": "…", …}` table, with X
    and Y expanded as plotly expands them."""
    source = plotly_js()
    start = source.find('{"X,X div":')
    end = source.find("};for(", start)
    if start < 0 or end < 0:
        return ""
    # A key is quoted, or a bare identifier where the minifier dropped the quotes (Y:'…').
    rules = re.findall(r"(" + _JS_STRING[1:-1] + r"|[A-Za-z_$][\w$]*)\s*:\s*" + _JS_STRING, source[start:end])
    lines = []
    for key, value in rules:
        key = key[1:-1] if key[0] in "'\"" else key
        selector = re.sub("^,", " ,", key).replace("X", ".js-plotly-plot .plotly").replace("Y", ".plotly-notifier")
        lines.append(f"{selector} {{{value[1:-1]}}}")
    return "\n".join(lines) + "\n"


@lru_cache(maxsize=1)
def plotly_style_ids() -> tuple[str, ...]:
    """Ids of the <style> elements plotly.js adds when loaded unless an element with that id
    exists (maplibre's CSS, for map traces the dashboard does not draw): the page holds an empty
    <template> with each id, so no inline style is refused by the CSP."""
    found = re.findall(r'document\.getElementById\("([0-9a-f]{32,64})"\)\)\{var \w+=document\.createElement\("style"\)', plotly_js())
    return tuple(dict.fromkeys(found))


def api_operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The operations of an OpenAPI spec, in its order: method, path, tag, summary, the first
    paragraph of the description, parameters (name, where, required, description) and whether
    it takes a JSON body (and the schema's name)."""
    out = []
    for path, operations in spec.get("paths", {}).items():
        for method, op in operations.items():
            body = (op.get("requestBody") or {}).get("content", {}).get("application/json", {}).get("schema", {})
            out.append({
                "method": method.upper(), "path": path, "tag": (op.get("tags") or ["other"])[0], "summary": op.get("summary", ""),
                "description": (op.get("description") or "").split("\n\n")[0].replace("\n", " "),
                "parameters": [
                    {"name": p["name"], "in": p["in"], "required": bool(p.get("required")), "description": p.get("description") or p.get("schema", {}).get("description", "")}
                    for p in op.get("parameters", [])
                ],
                "body": str(body.get("$ref", "")).rsplit("/", 1)[-1] or ("JSON" if body else ""),
            })  # fmt: skip
    return out


def dashboard_context(records: list[dict[str, Any]], stats: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The server-rendered parts of the dashboard: the two maps, the incidents abroad, the chart
    data and the casualty totals (numbers, not a bar beside the categories)."""
    in_afghanistan = Counter(r["admin1"] for r in records if r.get("country") == "AF" and r.get("admin1"))
    abroad = [
        {k: r.get(k) for k in ("id", "type", "date", "country", "admin1", "place", "lat", "lon", "killed")}
        for r in records
        if r.get("type") in ABROAD_TYPES and r.get("country") and r.get("country") != "AF"
    ]
    abroad.sort(key=lambda r: r.get("date") or "", reverse=True)
    types = Counter(r["type"] for r in records)
    casualties = stats.get("casualties") or []
    total = next((row for row in casualties if row.get("category") == "total"), None)
    return {
        "map": province_map(in_afghanistan),
        "world": world_map(abroad),
        "abroad": abroad,
        "total": len(records),
        "types": dict(types.most_common()),
        "unlocated_af": sum(1 for r in records if r.get("country") == "AF" and not r.get("admin1")),
        "charts": {name: stats.get(name) or [] for name in CHART_TABLES},
        "casualty_total": total,
    }


def add_pages(app: FastAPI, kw: Kwatch) -> None:
    """The pages. Each reads as the API does (`app.reader`), except that a browser without
    credentials is sent to /login; `session` (the logged-in principal or None) feeds the header."""
    static = resources.files("kwatch.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    reader = page_principal

    @app.get("/api/docs", response_class=HTMLResponse, include_in_schema=False)
    def api_docs(request: Request) -> HTMLResponse:
        """The endpoints as the OpenAPI spec lists them, drawn here (offline); Swagger UI, from
        FastAPI's CDN, only when the reader asks for it (a static script starts it)."""
        return render("api_docs.html", operations=api_operations(request.app.openapi()), session=session_of(request))

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    def plotly() -> Response:
        return Response(plotly_js(), media_type="text/javascript; charset=utf-8", headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/vendor/plotly.css", include_in_schema=False)
    def plotly_stylesheet() -> Response:
        return Response(plotly_css(), media_type="text/css; charset=utf-8", headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def dashboard(request: Request, _: Any = Depends(reader)) -> HTMLResponse:
        snapshot = request.app.state.snapshot
        context = dashboard_context(snapshot.records(), snapshot.stats(**NO_FILTERS)[0])
        return render(
            "dashboard.html", vocabulary=VOCABULARY, session=session_of(request), plotly_style_ids=plotly_style_ids(),
            resolution=request.app.state.snapshot.status(), **context,
        )

    @app.get("/events/{event_id}", response_class=HTMLResponse, include_in_schema=False)
    def event_page(request: Request, event_id: str, _: Any = Depends(reader)) -> HTMLResponse:
        view = kw.event_view(event_id)
        return render("event.html", editable=EDITABLE_FIELDS, basis_words=BASIS_WORDS, date_words=DATE_BASIS_WORDS, session=session_of(request), resolution=request.app.state.snapshot.status(), **view)

    @app.get("/documents/{document_id}", response_class=HTMLResponse, include_in_schema=False)
    def document_page(request: Request, document_id: str, _: Any = Depends(reader)) -> HTMLResponse:
        doc = kw.document(document_id)
        if doc is None:
            raise StarletteHTTPException(404, f"No document {document_id!r}.")
        return render("document.html", doc=doc, session=session_of(request))
