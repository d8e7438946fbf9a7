"""The persistence layer: one SQLAlchemy Core schema on SQLite (default) and PostgreSQL.

    from kwatch.store import open_store
    with open_store("kwatch.db") as store:
        store.add_document(raw, ingested_at=now)
        store.search("Kabul airport")

See docs/data-model.md for the tables.
"""

from __future__ import annotations

from kwatch.store.database import AddResult, Store, open_store

__all__ = ["AddResult", "Store", "open_store"]
