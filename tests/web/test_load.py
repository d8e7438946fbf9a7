"""Under load the server degrades, it does not drop: a real uvicorn server on a free loopback port,
run with `kwatch serve`'s options and `web_max_requests` = 4, an events endpoint made slow, and 60
concurrent clients. Every request gets an HTTP answer — 200, or 503 with Retry-After in the error
shape — and none a connection error. Bounded in count (120 requests) and time; no timing asserts."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from kwatch.api import Kwatch
from kwatch.web import create_app
from kwatch.web.app import reader
from kwatch.web.guard import uvicorn_options

MAX_REQUESTS = 4
CLIENTS = 60
EACH = 2


@pytest.fixture
def slow_server(kw: Kwatch, serve: Any) -> Iterator[str]:
    app = create_app(kw, max_requests=MAX_REQUESTS)

    def slow_reader() -> None:
        time.sleep(0.2)  # a slow read, in the worker thread as a real one would be

    app.dependency_overrides[reader] = slow_reader
    with serve(app, **uvicorn_options(MAX_REQUESTS)) as url:
        yield url


def test_a_flood_gets_answers_not_dropped_connections(slow_server: str) -> None:
    async def client(results: list[Any]) -> None:
        async with httpx.AsyncClient(base_url=slow_server, timeout=60) as http:
            for _ in range(EACH):
                try:
                    results.append(await http.get("/api/events?limit=5"))
                except httpx.HTTPError as err:
                    results.append(err)

    async def flood() -> list[Any]:
        results: list[Any] = []
        await asyncio.wait_for(asyncio.gather(*(client(results) for _ in range(CLIENTS))), timeout=120)
        return results

    results = asyncio.run(flood())
    failures = [r for r in results if not isinstance(r, httpx.Response)]
    assert failures == []
    statuses = {r.status_code for r in results}
    assert statuses <= {200, 503} and 200 in statuses and 503 in statuses
    for refused in (r for r in results if r.status_code == 503):
        assert refused.headers["retry-after"] == "1"
        body = refused.json()
        assert body["ok"] is False and body["status"] == 503 and "busy" in body["error"]
        assert refused.headers["x-content-type-options"] == "nosniff"
    # Every slot was given back: once the flood is over, a request gets in.
    assert httpx.get(slow_server + "/api/events?limit=5", timeout=30).status_code == 200
