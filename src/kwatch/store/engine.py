"""From what a user typed (`x.db`, `sqlite:///x.db`, `postgresql://u@h/db`) to a configured Engine."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.pool import StaticPool

from kwatch.errors import StoreError

#: Execution option a write transaction sets so SQLite takes the write lock at BEGIN, not at the
#: first write: a deferred transaction that reads and then writes can fail with SQLITE_BUSY
#: instead of waiting for another writer.
SQLITE_BEGIN = "kwatch_sqlite_begin"

_SQLITE_BUSY_TIMEOUT_MS = 30_000
_PG_CONNECT_TIMEOUT_S = 10
_PG_DRIVERS = {"postgres", "postgresql", "postgresql+psycopg"}
_URL_FORMS = "a file path (kwatch.db), sqlite:///path/kwatch.db or postgresql://user:password@host:5432/dbname"


def resolve_url(url_or_path: str) -> sa.URL:
    """The SQLAlchemy URL a store argument means; a plain path is a SQLite file (made absolute)."""
    text = str(url_or_path).strip()
    if not text:
        raise StoreError("No database given.", hint=f"give {_URL_FORMS}")
    if text == ":memory:":
        return sa.URL.create("sqlite", database=":memory:")
    if "://" not in text:
        return sa.URL.create("sqlite", database=str(Path(text).expanduser().resolve()))
    try:
        url = sa.make_url(text)
    except (sa.exc.ArgumentError, ValueError) as err:
        raise StoreError(f"Not a database URL: {_safe(text)} ({err}).", hint=f"give {_URL_FORMS}") from None
    if url.drivername in _PG_DRIVERS:
        return url.set(drivername="postgresql+psycopg")
    if url.drivername in ("sqlite", "sqlite+pysqlite"):
        if not url.database or url.database == ":memory:":
            return url.set(drivername="sqlite", database=":memory:")
        return url.set(drivername="sqlite", database=str(Path(url.database).expanduser().resolve()))
    raise StoreError(
        f"Unsupported database {url.drivername!r} in {url.render_as_string(hide_password=True)}.",
        hint=f"kwatch stores data in SQLite or PostgreSQL: give {_URL_FORMS}",
    )


def missing_sqlite_file(url: sa.URL) -> bool:
    """`url` is a SQLite file that does not exist (opening it would create it)."""
    return url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:") and not Path(str(url.database)).exists()


def create_engine(url: sa.URL) -> sa.Engine:
    """An Engine with the store's connection settings (SQLite: WAL, foreign keys, busy timeout)."""
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    try:
        return sa.create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": _PG_CONNECT_TIMEOUT_S})
    except ImportError as err:
        raise StoreError(f"The PostgreSQL driver is not installed ({err}).", hint="pip install 'psycopg[binary]'") from None


def _sqlite_engine(url: sa.URL) -> sa.Engine:
    memory = url.database == ":memory:"
    if not memory:
        path = Path(str(url.database))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise StoreError(f"Cannot create the folder for {path}: {err.strerror}.", hint="choose a writable path") from None
        if path.is_dir():
            raise StoreError(f"{path} is a folder, not a database file.", hint="give a file path such as kwatch.db")
    # One shared connection for :memory:, or every connection would see its own empty database.
    options: dict[str, Any] = {"poolclass": StaticPool} if memory else {}
    engine = sa.create_engine(url, connect_args={"check_same_thread": False}, **options)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's BEGIN (below) open every transaction: the sqlite3 module would otherwise
        # run DDL outside any transaction and so make migrations non-atomic.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {_SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        _enable_wal(cursor)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        mode = conn.get_execution_options().get(SQLITE_BEGIN, "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def _enable_wal(cursor: Any) -> None:
    """Switch to WAL. Two processes creating the same new store at once can both try; SQLite then
    answers "database is locked" at once, without waiting on busy_timeout, so retry briefly."""
    for attempt in range(100):
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or attempt == 99:
                raise
            time.sleep(0.05)


def _safe(text: str) -> str:
    """A URL with any password hidden, for messages."""
    try:
        return sa.make_url(text).render_as_string(hide_password=True)
    except (sa.exc.ArgumentError, ValueError):
        return text.split("@")[-1] if "@" in text else text
