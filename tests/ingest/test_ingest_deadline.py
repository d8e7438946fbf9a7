"""The overall deadline of a URL fetch (setting http_deadline), against a real HTTP server on
127.0.0.1 that drips its answer or stalls: the ingest ends with one ReadProblem in seconds."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from kwatch.api import Kwatch
from kwatch.ingest import ReadOptions, read_url
from kwatch.ingest.batch import ingest
from kwatch.models import RawDocument, ReadProblem
from kwatch.settings import resolve
from kwatch.store import open_store

T0 = datetime(2024, 3, 23, 9, 0, tzinfo=UTC)
#: Seconds between two bytes of a dripped answer: well under the client's per-read timeout.
DRIP_SECONDS = 0.1


def reason(deadline: str) -> str:
    return f"could not fetch: no complete answer within the {deadline} s deadline (setting http_deadline)"


@pytest.fixture
def slow_server() -> Iterator[str]:
    """/drip sends a 10,000-byte text one byte every DRIP_SECONDS; /stall sends its headers and
    then nothing; /fast answers at once."""
    stop = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            body = b"A blast in Kabul. " * 600
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                if self.path == "/fast":
                    self.wfile.write(body)
                elif self.path == "/stall":
                    stop.wait(30)
                else:
                    for byte in body:
                        if stop.wait(DRIP_SECONDS):
                            return
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
            except OSError:  # the client gave up: what the deadline is for
                return

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10.0) as http:  # each wait for a byte: far longer than the deadline
        yield http


def test_a_dripping_server_ends_the_ingest_at_the_deadline(tmp_path: Path, slow_server: str, client: httpx.Client) -> None:
    url = f"{slow_server}/drip"
    with open_store(str(tmp_path / "x.db")) as store:
        started = time.monotonic()
        report = ingest([url], store, options=ReadOptions(http_deadline=1.0), now=lambda: T0, client=client)
        elapsed = time.monotonic() - started
        assert report.problems == [ReadProblem(url, reason("1"))]
        assert [(e.path, e.reason) for e in store.errors()] == [(url, reason("1"))]
    assert elapsed < 5


def test_a_stalled_server_ends_at_the_deadline_not_at_the_read_timeout(slow_server: str, client: httpx.Client) -> None:
    url = f"{slow_server}/stall"
    started = time.monotonic()
    assert list(read_url(url, client=client, options=ReadOptions(http_deadline=1.0))) == [ReadProblem(url, reason("1"))]
    assert time.monotonic() - started < 5


def test_the_deadline_is_measured_on_the_injected_clock(slow_server: str, client: httpx.Client) -> None:
    readings = iter([0.0] + [500.0] * 10)
    options = ReadOptions(clock=lambda: next(readings))
    assert list(read_url(f"{slow_server}/fast", client=client, options=options)) == [ReadProblem(f"{slow_server}/fast", reason("120"))]


def test_an_answer_within_the_deadline_is_read(slow_server: str, client: httpx.Client) -> None:
    (doc,) = read_url(f"{slow_server}/fast", client=client, options=ReadOptions(http_deadline=5.0))
    assert isinstance(doc, RawDocument) and doc.text.startswith("A blast in Kabul.")


def test_kwatch_ingest_passes_the_http_deadline_setting(tmp_path: Path, slow_server: str, client: httpx.Client) -> None:
    url = f"{slow_server}/drip"
    with open_store(str(tmp_path / "x.db")) as store:
        api = Kwatch(store, resolve({"db": store.url, "http_deadline": 0.5}), now=lambda: T0)
        started = time.monotonic()
        report, _ = api.ingest([url], extract=False, client=client)
        assert report.problems == [ReadProblem(url, reason("0.5"))]
    assert time.monotonic() - started < 5
