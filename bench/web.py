"""The `web` benchmark: API latency and throughput over a SQLite store of synthetic events.

Synthetic events go straight into the store (documents + `set_extraction`, then resolution), so
the numbers measure the API, not extraction. A real uvicorn server runs on loopback in a thread.
    latency     p50/p99 of GET /api/events?limit=50 and GET /api/stats, sequential requests
    throughput  `clients` concurrent clients on GET /api/events?limit=50, bounded by a request
                count and a time limit; every non-200 answer counts as an error
"""

from __future__ import annotations

import random
import socket
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

WEB_EVENTS = 100_000
EVENTS_PER_DOCUMENT = 100
PROVINCES = ("Kabul", "Nangarhar", "Kunduz", "Balkh", "Herat", "Kandahar", "Baghlan", "Kunar")
TYPES = ("attack", "raid", "arrest", "plot", "propaganda")


def fill_store(db: Path, events: int, *, seed: int = 5) -> int:
    """Write `events` synthetic events (100 per synthetic document) into the store at `db`."""
    import kwatch
    from kwatch.models import RawDocument

    rng = random.Random(seed)
    now = datetime(2025, 1, 1, tzinfo=timezone.utc)
    written = 0
    with kwatch.open(str(db)) as kw:
        for d in range(-(-events // EVENTS_PER_DOCUMENT)):
            text = f"Synthetic benchmark document {d}."
            doc = kw.store.add_document(RawDocument(text=text, kind="text", path=f"bench/{d}.txt", title=f"bench {d}"), ingested_at=now)
            records = []
            for n in range(min(EVENTS_PER_DOCUMENT, events - written)):
                kind = rng.choice(TYPES)
                day = f"20{rng.randint(17, 25):02d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                records.append(
                    {
                        "id": f"bench{d:05d}{n:03d}",
                        "type": kind,
                        "date": day,
                        "country": "AF",
                        "admin1": rng.choice(PROVINCES),
                        "actor": "ISKP" if kind in ("attack", "propaganda") else "Taliban",
                        "killed": rng.randint(0, 30) if kind == "attack" else None,
                        "languages": ["ps"] if kind == "propaganda" else [],
                        # Each event its own day and place keeps the resolution clusters small.
                        "place": f"site {d}-{n}",
                        "detail": {},
                        "sources": [{"document_id": doc.id, "quote": text, "start": 0, "end": len(text), "fields": []}],
                    }
                )
            kw.store.set_extraction(doc.id, status="ok", note=None, events=records)
            written += len(records)
        kw.resolve()
    return written


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def bench_web(events: int, *, samples: int = 20, clients: int = 50, max_requests: int = 500, max_seconds: float = 120.0) -> dict[str, Any]:
    import httpx
    import uvicorn

    import kwatch
    from kwatch.web import create_app

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "web.db"
        start = time.perf_counter()
        written = fill_store(db, events)
        fill_seconds = time.perf_counter() - start
        kw = kwatch.open(str(db))
        port = _free_port()
        server = uvicorn.Server(uvicorn.Config(create_app(kw), host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        result: dict[str, Any] = {"benchmark": "web", "events": written, "fill_seconds": round(fill_seconds, 1)}
        try:
            with httpx.Client(base_url=base, timeout=600) as client:
                for name, path in (("events", "/api/events?limit=50"), ("stats", "/api/stats")):
                    client.get(path).raise_for_status()  # warm: first resolution check, caches
                    times = []
                    for _ in range(samples):
                        t0 = time.perf_counter()
                        client.get(path).raise_for_status()
                        times.append((time.perf_counter() - t0) * 1000)
                    result[f"{name}_p50_ms"] = round(statistics.median(times), 1)
                    result[f"{name}_p99_ms"] = round(_percentile(times, 0.99), 1)
            result.update(_throughput(base, clients=clients, max_requests=max_requests, max_seconds=max_seconds))
        finally:
            server.should_exit = True
            thread.join(timeout=30)
            kw.close()
    return result


def _throughput(base: str, *, clients: int, max_requests: int, max_seconds: float) -> dict[str, Any]:
    import httpx

    lock = threading.Lock()
    counts = {"issued": 0, "ok": 0, "errors": 0}
    deadline = time.perf_counter() + max_seconds

    def client_loop(_: int) -> None:
        with httpx.Client(base_url=base, timeout=max_seconds) as client:
            while True:
                with lock:
                    if counts["issued"] >= max_requests or time.perf_counter() > deadline:
                        return
                    counts["issued"] += 1
                try:
                    ok = client.get("/api/events?limit=50").status_code == 200
                except httpx.HTTPError:
                    ok = False
                with lock:
                    counts["ok" if ok else "errors"] += 1

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(client_loop, range(clients)))
    seconds = time.perf_counter() - start
    return {
        "clients": clients,
        "requests": counts["ok"] + counts["errors"],
        "errors": counts["errors"],
        "seconds": round(seconds, 1),
        "requests_per_second": round((counts["ok"] + counts["errors"]) / seconds, 1),
    }
