"""Reads under writes: while another process ingests, extracts, re-extracts and resolves, web and
library reads in this process answer without a server error or an exception, and write nothing.

The documents are short reports of our own writing, made up here. Bounded: the writer stops after
a few seconds of load; runs on SQLite and on PostgreSQL (see conftest.py).
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
import threading
import warnings
from collections import Counter
from pathlib import Path

import sqlalchemy as sa

import kwatch
import kwatch.web

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

WRITE_SECONDS = 4.0
_PLACES = (("Kabul", "Kabul"), ("Jalalabad", "Nangarhar"), ("Kandahar", "Kandahar"), ("Herat", "Herat"), ("Kunduz", "Kunduz"), ("Ghazni", "Ghazni"))
_MONTHS = ("January", "February", "March", "April", "May", "June")
_WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|TRUNCATE|BEGIN\s+(IMMEDIATE|EXCLUSIVE))\b", re.IGNORECASE)

#: The writer: rounds of ingest (extract, resolve) of new reports, and every other round a
#: re-extraction of everything (events deleted and written again, then resolved).
WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    import kwatch
    sys.path.insert(0, sys.argv[4])
    from test_reads_under_writes import write_reports

    db, folder, seconds = sys.argv[1], Path(sys.argv[2]), float(sys.argv[3])
    resolves = 0
    with kwatch.open(db) as kw:
        print("ready", flush=True)
        deadline = time.monotonic() + seconds
        n = 1
        while time.monotonic() < deadline:
            kw.ingest([str(write_reports(folder / f"round{n}", n, 4))])
            resolves += 1
            if n % 2 == 0:
                kw.extract(redo=True)
                resolves += 1
            n += 1
    print(f"rounds={n - 1} resolves={resolves}", flush=True)
    """
)


def write_reports(folder: Path, round: int, count: int) -> Path:
    """`count` short bombing reports, different in every round."""
    folder.mkdir(parents=True)
    for i in range(count):
        k = round * count + i
        city, province = _PLACES[k % len(_PLACES)]
        day, month = 1 + k % 27, _MONTHS[(k // 27) % len(_MONTHS)]
        (folder / f"r{round:03d}_{i}.txt").write_text(
            f"Bombing in {city}\n\n{city}, {day} {month} 2025. A roadside bomb killed {2 + k % 9} people and wounded "
            f"{5 + k % 13} near a market in {city}, {province} province, police said. The Islamic State Khorasan "
            "Province claimed responsibility.\n",
            encoding="utf-8",
        )
    return folder


def test_reads_never_fail_or_write_while_another_process_writes(store_url: str, tmp_path: Path) -> None:
    with kwatch.open(store_url) as setup:
        setup.ingest([str(write_reports(tmp_path / "docs" / "round0", 0, 6))])
        setup_resolves = len(setup.store.runs(kind="resolve"))

    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    writer = subprocess.Popen(
        [sys.executable, str(script), store_url, str(tmp_path / "docs"), str(WRITE_SECONDS), str(Path(__file__).parent)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    reads = Counter[str]()
    statements: list[str] = []
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready", writer.stderr.read() if writer.stderr else ""
        with kwatch.open(store_url) as kw, TestClient(kwatch.web.create_app(kw), base_url="http://127.0.0.1", client=("127.0.0.1", 50000)) as client:
            sa.event.listen(kw.store._engine, "before_cursor_execute", lambda conn, cursor, statement, *rest: statements.append(statement))
            ids: list[str] = []

            def web() -> None:
                while writer.poll() is None:
                    paths = ["/api/events?limit=20", "/api/stats", "/"] + ([f"/api/events/{ids[-1]}"] if ids else [])
                    for path in paths:
                        try:
                            response = client.get(path)
                        except Exception as err:  # noqa: BLE001 - every failure is counted and shown
                            failures.append(f"GET {path}: {type(err).__name__}: {err}")
                            continue
                        statuses[response.status_code] += 1
                        if response.status_code >= 500:
                            failures.append(f"GET {path}: {response.status_code} {response.text[:200]}")
                        elif path.startswith("/api/events?"):
                            ids.extend(item["id"] for item in response.json()["items"][:1])

            def library() -> None:
                while writer.poll() is None:
                    for name, read in (
                        ("event_records", kw.event_records),
                        ("summary", kw.summary),
                        ("resolution_status", kw.resolution_status),
                        ("event", lambda: kw.event(ids[-1]) if ids else None),
                    ):
                        try:
                            read()
                            reads[name] += 1
                        except Exception as err:  # noqa: BLE001
                            failures.append(f"{name}: {type(err).__name__}: {err}")

            threads = [threading.Thread(target=web) for _ in range(2)] + [threading.Thread(target=library)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
            done = writer.communicate(timeout=60)

            assert writer.returncode == 0, done[1][-2000:]
            summary = dict(re.findall(r"(\w+)=(\d+)", done[0]))
            print(f"\n{kw.store.dialect}: writer {summary}; web {dict(statuses)}; library {dict(reads)}")
            assert failures == [], failures[:5]
            assert sum(statuses.values()) >= 8 and sum(reads.values()) >= 4, (statuses, reads)
            assert int(summary["rounds"]) >= 1
            writes = [s for s in statements if _WRITES.match(s)]
            assert writes == [], writes[:5]
            # Every resolve run is the writer's: the readers resolved nothing.
            assert len(kw.store.runs(kind="resolve")) == setup_resolves + int(summary["resolves"])
            # The writer's last resolution followed its last extraction: reads now serve it.
            final = client.get("/api/events?limit=500")
            assert final.headers["X-Kwatch-Resolution"] == "current"
            assert final.json()["total"] == len(kw.event_records()) > 0
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.communicate()
