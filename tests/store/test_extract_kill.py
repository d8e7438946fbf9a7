"""`kwatch extract --all` killed with SIGKILL mid-run is visible as an unfinished run, and the next
`kwatch extract` finishes its job: every document ends extracted after the killed run started,
and the runs table tells the story (SQLite: the claim is about what the process leaves behind)."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kwatch.models import RawDocument
from kwatch.store import open_store

DOCUMENTS = 300
KILL_AFTER = 60  # documents the killed run has extracted (more than one progress update)
TEXT = (
    "Report {n}: a suicide bomber killed {k} worshippers at a mosque in Kunduz on 8 October 2021, police said. "
    "Islamic State Khorasan Province claimed responsibility for the attack in a statement. "
)


def _kwatch(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "kwatch", "--db", str(db), *args]


def _extracted_since_run(path: Path) -> int:
    """Documents extracted since the newest run started (0 before it has started)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    try:
        started = conn.execute("SELECT started_at FROM runs WHERE kind = 'extract' ORDER BY id DESC LIMIT 1").fetchone()
        if started is None:
            return 0
        return int(conn.execute("SELECT count(*) FROM documents WHERE extracted_at >= ?", started).fetchone()[0])
    except sqlite3.OperationalError:  # locked for a moment by the writer
        return 0
    finally:
        conn.close()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_an_extract_all_killed_mid_run_is_resumed_by_the_next_extract(tmp_path: Path) -> None:
    path = tmp_path / "kwatch.db"
    at = datetime(2024, 3, 5, tzinfo=UTC)
    with open_store(str(path)) as store:
        for n in range(DOCUMENTS):
            doc = store.add_document(RawDocument(text=TEXT.format(n=n, k=n % 40 + 2) * 3, kind="text", path=f"r{n}.txt"), ingested_at=at)
            store.set_extraction(doc.id, status="ok", note="extracted before", events=[])  # an earlier extraction

    with subprocess.Popen(_kwatch(path, "extract", "--all"), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) as killed:
        deadline = time.monotonic() + 240
        while _extracted_since_run(path) < KILL_AFTER:
            assert killed.poll() is None, f"extract --all ended before it was killed: {killed.stderr.read() if killed.stderr else ''}"
            assert time.monotonic() < deadline, "extract --all made no progress"
            time.sleep(0.05)
        killed.send_signal(signal.SIGKILL)
        killed.wait()
    assert killed.returncode == -signal.SIGKILL

    listed = subprocess.run(_kwatch(path, "runs", "--json"), capture_output=True, text=True, timeout=120)
    [interrupted] = json.loads(listed.stdout)
    assert (interrupted["kind"], interrupted["scope"], interrupted["finished_at"]) == ("extract", "all", None)
    assert interrupted["documents"] >= 50  # progress recorded every 50 documents
    done = _extracted_since_run(path)
    assert KILL_AFTER <= done < DOCUMENTS
    shown = subprocess.run(_kwatch(path, "runs"), capture_output=True, text=True, timeout=120)
    assert "interrupted/running" in shown.stdout
    summary = json.loads(subprocess.run(_kwatch(path, "summary", "--json"), capture_output=True, text=True, timeout=120).stdout)
    assert summary["unfinished_extraction"]["run"] == interrupted["id"]

    resumed = subprocess.run(_kwatch(path, "extract"), capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    left = DOCUMENTS - done
    assert f"Resuming extraction run {interrupted['id']} (started " in resumed.stderr
    assert f"): {left} documents left." in resumed.stderr
    assert f"from {left} documents (0 skipped, 0 failed)" in resumed.stdout

    with open_store(str(path)) as store:
        started = datetime.fromisoformat(interrupted["started_at"])
        runs = {r["id"]: r for r in store.runs(kind="extract")}
        finisher = max(runs)
        assert runs[interrupted["id"]]["finished_at"] is not None
        assert runs[interrupted["id"]]["note"] == f"finished by run {finisher}"
        assert (runs[finisher]["scope"], runs[finisher]["documents"], runs[finisher]["note"]) == ("new", left, f"finished run {interrupted['id']}")
        assert store.documents_to_extract(redo=True, before=started) == []
        assert {d.extract_status for d in store.documents()} == {"ok"}
        assert {d.extract_note for d in store.documents()} != {"extracted before"}
        assert store.unfinished_run("extract") is None
