"""Web fixtures: the sample corpus ingested once per session into a SQLite file, copied for each
test; an in-process client that connects from loopback; tokens of each role."""

from __future__ import annotations

import shutil
import socket
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

import kwatch
from kwatch.api import Kwatch, sample_corpus_path

# starlette's TestClient warns once, on import, that it will move from httpx to httpx2: nothing
# for us to act on, so import it here with that warning silenced.
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import fastapi.testclient  # noqa: F401

XSS_TEXT = (
    "Kabul, 3 March 2024. A suicide bomber killed 4 people at a checkpoint in Kabul; "
    "the Islamic State Khorasan Province claimed responsibility <script>window.__xss=1</script> "
    'in a statement <img src=x onerror="window.__xss=1">.\n'
)


@pytest.fixture(scope="session")
def sample_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the sample corpus and a document whose text is HTML markup (XSS probe)."""
    folder = tmp_path_factory.mktemp("web-template")
    probe = folder / "inputs" / "xss_probe.txt"
    probe.parent.mkdir()
    probe.write_text(XSS_TEXT, encoding="utf-8")
    db = folder / "sample.db"
    with kwatch.open(str(db)) as kw:
        kw.ingest([str(sample_corpus_path()), str(probe)])
    return db


@pytest.fixture
def db_path(sample_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "web.db"
    shutil.copyfile(sample_template, target)
    return target


@pytest.fixture
def kw(db_path: Path) -> Iterator[Kwatch]:
    with kwatch.open(str(db_path)) as opened:
        yield opened


@pytest.fixture
def client(kw: Kwatch) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    from kwatch.web import create_app

    with TestClient(create_app(kw), base_url="http://127.0.0.1", client=("127.0.0.1", 50000)) as test_client:
        yield test_client


@pytest.fixture
def tokens(kw: Kwatch) -> dict[str, str]:
    """A bearer token of each role: {'viewer': ..., 'analyst': ..., 'admin': ...}."""
    return {role: kw.create_token(role=role, name=f"test {role}").token for role in ("viewer", "analyst", "admin")}


@pytest.fixture
def bearer(tokens: dict[str, str]) -> Any:
    """bearer('analyst') -> the Authorization header of that role's token."""

    def header(role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {tokens[role]}"}

    return header


@contextmanager
def serving(app: Any, **options: Any) -> Iterator[str]:
    """`app` served by a real uvicorn on a free loopback port, in a thread (uvicorn `options`
    added to its Config); yields its base URL and stops the server after."""
    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", **options))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def serve() -> Callable[..., Any]:
    """`serve(app, **uvicorn_options)`: the `serving` context manager, for tests that need a real server."""
    return serving
