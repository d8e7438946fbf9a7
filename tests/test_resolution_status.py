"""Reads never resolve: they serve the last complete resolution and say when it is stale
(`Kwatch.resolution_status()`, the CLI's note on stderr, the web API's `resolution` and header)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import kwatch
from kwatch.api import Kwatch
from kwatch.cli import cli
from kwatch.resolve import RESOLVE_VERSION

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def extracted_template(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Path:
    """Our resolution corpus ingested and extracted, never resolved (`ingest --no-extract`, then
    extraction alone, as an extraction that was interrupted before its resolution leaves it)."""
    from kwatch.extraction import run_extraction

    db = tmp_path_factory.mktemp("status") / "extracted.db"
    with kwatch.open(str(db)) as kw:
        kw.ingest([str(data_dir / "resolution")], extract=False)
        run_extraction(kw.store)
    return db


@pytest.fixture
def db(extracted_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "k.db"
    shutil.copyfile(extracted_template, target)
    return target


@pytest.fixture
def kw(db: Path) -> Iterator[Kwatch]:
    with kwatch.open(str(db)) as opened:
        yield opened


def test_a_store_never_resolved_serves_no_events_and_says_so(kw: Kwatch) -> None:
    status = kw.resolution_status()
    assert not status.current
    assert status.resolved_at is None and status.unresolved_events > 0
    assert kw.event_records() == []
    assert kw.summary()["events"] == 0 and kw.summary()["resolution"]["current"] is False


def test_reads_write_nothing(kw: Kwatch, db: Path) -> None:
    version, runs = kw.store.data_version(), kw.store.runs()
    with sqlite3.connect(db) as observer:
        seen = observer.execute("PRAGMA data_version").fetchone()[0]
        kw.event_records()
        kw.events()
        kw.summary()
        kw.stats()
        kw.event("0" * 12)
        kw.resolution_status()
        # PRAGMA data_version changes when another connection committed a change to the file.
        assert observer.execute("PRAGMA data_version").fetchone()[0] == seen
    assert kw.store.data_version() == version and kw.store.runs() == runs
    assert not kw.resolution_status().current


def test_resolve_is_a_recorded_run_and_makes_the_resolution_current(kw: Kwatch) -> None:
    report = kw.resolve()
    [run] = kw.store.runs(kind="resolve")
    assert run["pipeline_version"] == RESOLVE_VERSION and run["scope"] == "all"
    assert run["finished_at"] is not None and run["documents"] == report.events and run["failed"] == 0
    status = kw.resolution_status()
    assert status.current and status.resolved_at == run["finished_at"] and status.unfinished_since is None
    assert len(kw.event_records()) == report.resolved


def test_an_unfinished_resolve_run_is_reported(kw: Kwatch) -> None:
    kw.resolve()
    kw.store.start_run("resolve", scope="all", pipeline_version=RESOLVE_VERSION)  # interrupted: never finished
    status = kw.resolution_status()
    assert status.unfinished_since is not None and status.resolved_at is not None


def test_re_extraction_makes_it_stale_and_reads_tolerate_vanished_members(kw: Kwatch) -> None:
    kw.resolve()
    record = next(r for r in kw.event_records() if len(r["detail"].get("documents") or []) > 1)
    member = kw.event(record["id"])["members"][0]  # type: ignore[index]
    # Another process re-extracts the member's document and finds nothing this time.
    kw.store.set_extraction(member["document_id"], status="ok", note=None, events=[])
    status = kw.resolution_status()
    assert not status.current and status.vanished_events >= 1 and status.documents_extracted_since == 1
    again = kw.event(record["id"])
    assert again is not None and member["event_id"] not in {m["event_id"] for m in again["members"]}
    assert any(r["id"] == record["id"] for r in kw.event_records())
    kw.resolve()
    assert kw.resolution_status().current


def _cli(db: Path, *args: str) -> Any:
    return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)


@pytest.mark.parametrize("args", [("events", "--json"), ("summary", "--json"), ("stats", "--json"), ("export",)])
def test_cli_notes_a_stale_resolution_on_stderr_only(db: Path, args: tuple[str, ...]) -> None:
    result = _cli(db, *args)
    assert result.exit_code == 0, result.output
    assert result.stderr.count("Note:") == 1 and "Run `kwatch resolve`." in result.stderr
    assert "Note:" not in result.stdout
    if "--json" in args:
        json.loads(result.stdout)


def test_cli_summary_json_has_the_status_and_no_note_once_resolved(db: Path) -> None:
    assert _cli(db, "resolve").exit_code == 0
    result = _cli(db, "summary", "--json")
    assert result.stderr == ""
    resolution = json.loads(result.stdout)["resolution"]
    assert resolution["current"] is True and resolution["resolved_at"] is not None
    # Documents extracted since: the note names the resolution's time.
    with kwatch.open(str(db)) as kw:
        doc = kw.store.documents()[0]
        kw.store.set_extraction(doc.id, status="ok", note=None, events=[])
    result = _cli(db, "events")
    assert "Note: events are from the resolution of " in result.stderr and "documents were extracted since" in result.stderr


def test_web_reads_say_stale_then_pick_up_a_resolution_made_by_another_process(kw: Kwatch, db: Path) -> None:
    from kwatch.web import create_app

    with TestClient(create_app(kw), base_url="http://127.0.0.1", client=("127.0.0.1", 50000)) as client:
        stale = client.get("/api/events")
        assert stale.status_code == 200 and stale.headers["X-Kwatch-Resolution"] == "stale"
        assert stale.json()["total"] == 0 and stale.json()["resolution"]["current"] is False
        assert client.get("/api/stats").json()["resolution"] == stale.json()["resolution"]
        page = client.get("/")
        assert page.status_code == 200 and 'id="stale-banner"' in page.text and "no resolution yet" in page.text

        done = subprocess.run([sys.executable, "-m", "kwatch", "--db", str(db), "resolve"], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr

        fresh = client.get("/api/events")
        assert fresh.headers["X-Kwatch-Resolution"] == "current" and fresh.json()["total"] > 0
        assert fresh.json()["resolution"]["current"] is True and fresh.json()["resolution"]["resolved_at"]
        one = client.get(f"/api/events/{fresh.json()['items'][0]['id']}")
        assert one.status_code == 200 and one.headers["X-Kwatch-Resolution"] == "current"
        assert one.json()["resolution"]["current"] is True
        assert 'id="stale-banner"' not in client.get("/").text
        assert 'id="stale-banner"' not in client.get(f"/events/{fresh.json()['items'][0]['id']}").text
