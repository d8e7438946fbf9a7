"""Fixtures of the export tests: a real SQLite store holding the bundled sample corpus."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import kwatch


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file with the sample corpus ingested and extracted (built once per session)."""
    db = tmp_path_factory.mktemp("export") / "x.db"
    with kwatch.open(str(db)) as kw:
        kw.ingest([str(kwatch.sample_corpus_path())])
    return db


@pytest.fixture(scope="session")
def sample_records(sample_db: Path) -> list[dict[str, Any]]:
    """The event records of the sample store, as `Kwatch.export` gives them to the exporters."""
    with kwatch.open(str(sample_db)) as kw:
        records = kw.event_records()
    assert records, "the sample corpus yields no events: the export tests would prove nothing"
    return records


@pytest.fixture
def kw(sample_db: Path):
    with kwatch.open(str(sample_db)) as api:
        yield api
