"""A writer killed with SIGKILL mid-loop leaves the SQLite store consistent (SQLite only: the
claim is about SQLite's journal; PostgreSQL's crash safety is the server's)."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kwatch.store import open_store

# Adds documents forever, printing each id once its transaction has committed.
WRITER = """
import sys
from datetime import datetime, timezone
from kwatch.models import RawDocument
from kwatch.store import open_store

store = open_store(sys.argv[1])
n = 0
while True:
    text = f"Report {n}: " + "Взрыв в Кабуле, حمله در هرات. " * 200
    result = store.add_document(RawDocument(text=text, kind="text", title=f"report {n}"),
                                ingested_at=datetime.now(timezone.utc), signature=n.to_bytes(4, "big"))
    print(result.id, flush=True)
    n += 1
"""
COMMITTED_BEFORE_KILL = 40


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_while_adding_leaves_every_document_with_its_fulltext_row(tmp_path: Path) -> None:
    path = tmp_path / "kwatch.db"
    open_store(str(path)).close()
    with subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True) as writer:
        assert writer.stdout is not None
        committed = [writer.stdout.readline().strip() for _ in range(COMMITTED_BEFORE_KILL)]
        writer.send_signal(signal.SIGKILL)
        writer.wait()
    assert writer.returncode == -signal.SIGKILL

    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        documents = {row[0] for row in conn.execute("SELECT id FROM documents")}
        fulltext = [row[0] for row in conn.execute("SELECT document_id FROM documents_fts")]
        signatures = {row[0] for row in conn.execute("SELECT document_id FROM document_signatures")}
    finally:
        conn.close()
    assert set(committed) <= documents
    assert sorted(fulltext) == sorted(documents)
    assert signatures == documents
    with open_store(str(path)) as store:
        assert store.count_documents() == len(documents)
        assert len(store.search("Кабуле", limit=1000)) == len(documents)
