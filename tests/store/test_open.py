"""Opening a store: URLs and paths, migrations, and one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from kwatch.errors import StoreError
from kwatch.store import open_store
from kwatch.store.engine import resolve_url
from kwatch.store.migrations import MIGRATIONS


def _migration_rows(store_url: str) -> list[str]:
    url = resolve_url(store_url)
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.exec_driver_sql("SELECT name FROM schema_migrations ORDER BY name").scalars())
    finally:
        engine.dispose()


def test_new_store_records_every_migration(store_url: str) -> None:
    open_store(store_url).close()
    assert _migration_rows(store_url) == [name for name, _ in MIGRATIONS]


def test_opening_twice_applies_nothing_again(store_url: str) -> None:
    open_store(store_url).close()
    with open_store(store_url) as store:
        assert store.count_documents() == 0
    assert _migration_rows(store_url) == [name for name, _ in MIGRATIONS]


def test_dialect_is_named(store_url: str) -> None:
    with open_store(store_url) as store:
        assert store.dialect == ("sqlite" if store_url.endswith(".db") else "postgresql")


def test_store_from_newer_kwatch_is_refused(store_url: str) -> None:
    open_store(store_url).close()
    engine = sa.create_engine(resolve_url(store_url))
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO schema_migrations (name, applied_at) VALUES ('9999_future', '2030-01-01')")
    engine.dispose()
    with pytest.raises(StoreError, match="9999_future"):
        open_store(store_url)


@pytest.mark.parametrize(
    ("given", "database"),
    [
        ("x.db", "x.db"),
        ("sub/dir/x.db", "sub/dir/x.db"),
        ("sqlite:///x.db", "x.db"),
    ],
)
def test_relative_sqlite_paths_resolve_against_the_working_directory(
    given: str, database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    url = resolve_url(given)
    assert (url.drivername, url.database) == ("sqlite", str(tmp_path / database))


def test_absolute_sqlite_url_keeps_its_path(tmp_path: Path) -> None:
    assert resolve_url(f"sqlite:///{tmp_path}/x.db").database == str(tmp_path / "x.db")


@pytest.mark.parametrize(
    "given",
    ["postgresql://u@h/db", "postgres://u@h/db", "postgresql+psycopg://u@h/db"],
)
def test_postgresql_urls_use_psycopg_3(given: str) -> None:
    url = resolve_url(given)
    assert (url.drivername, url.host, url.database) == ("postgresql+psycopg", "h", "db")


def test_opening_a_path_creates_the_file_and_its_folders(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "kwatch.db"
    with open_store(str(path)) as store:
        assert store.url == f"sqlite:///{path}"
    assert path.is_file()


def test_sqlite_store_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "kwatch.db"
    open_store(str(path)).close()
    engine = sa.create_engine(resolve_url(str(path)))
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("mysql://u@h/db", "Unsupported database"),
        ("postgresql://u@h:notaport/db", "Not a database URL"),
        ("", "No database given"),
    ],
)
def test_bad_urls_raise_store_error_with_hint(given: str, expected: str) -> None:
    with pytest.raises(StoreError, match=expected) as caught:
        open_store(given)
    assert caught.value.hint


def test_unreachable_server_is_one_line_with_hint(tmp_path: Path) -> None:
    # A socket folder with no server in it: fails at once, without touching the network.
    with pytest.raises(StoreError) as caught:
        open_store(f"postgresql://nobody@/kwatch?host={tmp_path}")
    assert "\n" not in str(caught.value)
    assert "Traceback" not in str(caught.value)
    assert caught.value.hint is not None and "postgresql://" in caught.value.hint


def test_password_is_hidden_in_errors(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as caught:
        open_store(f"postgresql://nobody:s3cret@/kwatch?host={tmp_path}")
    assert "s3cret" not in str(caught.value)


def test_folder_instead_of_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="folder"):
        open_store(str(tmp_path))


def test_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are not the tables you are looking for\n" * 100)
    with pytest.raises(StoreError, match="Cannot open the store") as caught:
        open_store(str(path))
    assert "\n" not in str(caught.value)


def test_memory_store_keeps_one_database_across_calls() -> None:
    with open_store(":memory:") as store:
        assert store.count_documents() == 0
        assert store.search("anything") == []
