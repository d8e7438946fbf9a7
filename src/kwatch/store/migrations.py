"""Schema changes as named functions, applied in order and recorded in `schema_migrations`.

The same mechanism runs on SQLite and PostgreSQL; only the full-text part of 0001 is dialect
specific. All pending migrations run in one transaction that first takes a lock (SQLite: BEGIN
IMMEDIATE; PostgreSQL: a transaction-scoped advisory lock), so two processes opening a new store
at once cannot both apply the same migration. DDL is transactional on both dialects, so a failed
migration leaves nothing behind.

Adding a migration: append `(name, function)` to MIGRATIONS and change `schema.py` to the new
shape. Once a later migration alters a table, 0001 must create that table from a frozen copy of
its 0001 shape, not from `schema.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import sqlalchemy as sa

from kwatch.store import fulltext, schema

Migration = Callable[[sa.Connection], None]

# Any constant works; it only has to be the same in every kwatch process.
_PG_MIGRATION_LOCK = 0x6B77_6174  # "kwat"


def _0001_initial(conn: sa.Connection) -> None:
    schema.metadata.create_all(conn, tables=list(schema.INITIAL_TABLES))
    fulltext.create(conn)


def _0002_resolution(conn: sa.Connection) -> None:
    schema.metadata.create_all(conn, tables=list(schema.RESOLUTION_TABLES))


def _0003_review(conn: sa.Connection) -> None:
    schema.metadata.create_all(conn, tables=list(schema.REVIEW_TABLES))


def _0004_runs(conn: sa.Connection) -> None:
    schema.metadata.create_all(conn, tables=list(schema.RUN_TABLES))


def _0005_resolution_index(conn: sa.Connection) -> None:
    schema.metadata.create_all(conn, tables=list(schema.RESOLUTION_INDEX_TABLES))


MIGRATIONS: tuple[tuple[str, Migration], ...] = (
    ("0001_initial", _0001_initial),
    ("0002_resolution", _0002_resolution),
    ("0003_review", _0003_review),
    ("0004_runs", _0004_runs),
    ("0005_resolution_index", _0005_resolution_index),
)


def applied(conn: sa.Connection) -> list[str]:
    """Names of the migrations already applied, oldest first."""
    if not sa.inspect(conn).has_table("schema_migrations"):
        return []
    table = schema.schema_migrations
    return list(conn.execute(sa.select(table.c.name).order_by(table.c.applied_at, table.c.name)).scalars())


def apply_pending(conn: sa.Connection, *, now: datetime) -> list[str]:
    """Apply every migration not yet recorded, inside the caller's transaction; return their names."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
    schema.schema_migrations.create(conn, checkfirst=True)
    done = set(applied(conn))
    names = []
    for name, migrate in MIGRATIONS:
        if name in done:
            continue
        migrate(conn)
        conn.execute(sa.insert(schema.schema_migrations).values(name=name, applied_at=now))
        names.append(name)
    return names
