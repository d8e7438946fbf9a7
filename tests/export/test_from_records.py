"""Issue 11: exporters take typed events, and what they write is the FORMAT.md records' and nothing
else: every format exported from the store's reviewed events equals, byte for byte, that format
exported from the FORMAT.md records (`Kwatch.event_records()`) read back as events, and jsonl is
those records. Run on the sample store as it is and after analysts' edits (the `review` key)."""

from __future__ import annotations

import io
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import kwatch
from kwatch.export import FORMATS, export
from kwatch.records import ResolvedEvent

AT = datetime(2025, 1, 1, tzinfo=UTC)


def _from_records(fmt: str, records: list[dict[str, Any]], **options: Any) -> str:
    """`fmt` written from FORMAT.md records: typed again, documents named as their sources say."""
    names = {s["document_id"]: s["doc"] for r in records for s in r["sources"]}
    buffer = io.StringIO(newline="")
    export(fmt, [ResolvedEvent.of(r) for r in records], buffer, names=names, **options)
    return buffer.getvalue()


def _exported(kw: kwatch.Kwatch, fmt: str, **options: Any) -> str:
    buffer = io.StringIO(newline="")
    kw.export(fmt, buffer, options=options)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def reviewed_db(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the sample store where analysts edited, confirmed and rejected an event."""
    db = tmp_path_factory.mktemp("reviewed") / "x.db"
    shutil.copy(sample_db, db)
    with kwatch.open(str(db)) as kw:
        kw._now = lambda: AT
        first, second, third = (r["id"] for r in kw.event_records()[:3])
        kw.edit(first, "killed", 99, who="test", why="recount")
        kw.edit(first, "languages", ["ps", "fa"], who="test")
        kw.confirm(second, who="test")
        kw.reject(third, who="test", why="not an event")
    return db


@pytest.fixture(params=["sample", "reviewed"])
def store_kw(request: pytest.FixtureRequest, sample_db: Path, reviewed_db: Path) -> Any:
    with kwatch.open(str(sample_db if request.param == "sample" else reviewed_db)) as kw:
        yield kw


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_issue_11_export_is_a_function_of_the_records(store_kw: kwatch.Kwatch, fmt: str) -> None:
    records = store_kw.event_records()
    assert records
    assert _exported(store_kw, fmt) == _from_records(fmt, records)


def test_issue_11_csv_with_bom_is_a_function_of_the_records(store_kw: kwatch.Kwatch) -> None:
    assert _exported(store_kw, "csv", bom=True) == _from_records("csv", store_kw.event_records(), bom=True)


def test_issue_11_jsonl_is_the_records(store_kw: kwatch.Kwatch) -> None:
    records = store_kw.event_records()
    assert _exported(store_kw, "jsonl") == "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def test_issue_11_geojson_properties_are_the_records(store_kw: kwatch.Kwatch) -> None:
    records = {r["id"]: r for r in store_kw.event_records()}
    features = json.loads(_exported(store_kw, "geojson"))["features"]
    assert features and all(f["properties"] == json.loads(json.dumps(records[f["id"]])) for f in features)


def test_issue_11_a_record_reads_back_as_the_event_it_came_from(store_kw: kwatch.Kwatch) -> None:
    events = store_kw.reviewed_events()
    names = store_kw.document_names()
    assert [ResolvedEvent.of(e.record(names)) for e in events] == events
    assert [e.record(names) for e in events] == store_kw.event_records()


def test_the_reviewed_store_exports_its_review(reviewed_db: Path) -> None:
    with kwatch.open(str(reviewed_db)) as kw:
        reviews = [json.loads(line)["review"] for line in _exported(kw, "jsonl").splitlines()]
        rejected = kw.event_records(include_rejected=True)
    assert {"status": None, "edited": ["killed", "languages"]} in reviews and {"status": "confirmed", "edited": []} in reviews
    assert len(rejected) == len(reviews) + 1 and not any(r["status"] == "rejected" for r in reviews)
