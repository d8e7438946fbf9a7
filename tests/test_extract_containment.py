"""No document stops an extraction batch: a stage that raises on one document (a `Bug`, a
RecursionError, a TypeError) marks that document failed with the stage's name, the others are
extracted, `errors()` lists it, a plain run does not try it again and `retry` does — on a real
SQLite store, through `run_extraction` and through the `kwatch` command."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from kwatch.api import Kwatch
from kwatch.errors import Bug
from kwatch.extraction import pipeline_version, run_extraction
from kwatch.models import RawDocument
from kwatch.pipeline import REGISTRY, Pipeline, Stage
from kwatch.pipeline.default import DEFAULT_STAGES, build_pipeline
from kwatch.records import Event
from kwatch.settings import resolve
from kwatch.store import Store, open_store

T0 = datetime(2024, 3, 22, 18, 0, tzinfo=UTC)

GOOD = (
    "A suicide bomber killed 12 worshippers at a mosque in Kunduz on Friday, 8 October 2021, police said.",
    "Gunmen killed 7 people at a market in Jalalabad on 2 March 2024. Islamic State Khorasan Province claimed the attack.",
)
BOOM = "BOOM: a bomb in Kabul on 3 March 2024 killed 4 people, police said."


def _raise(error: BaseException) -> Callable[..., Any]:
    def fn(doc: Any, ctx: Any) -> Any:
        if "BOOM" in doc.text:
            raise error
        return doc

    return fn


@pytest.fixture
def failing(monkeypatch: pytest.MonkeyPatch) -> Callable[[BaseException], Pipeline]:
    """failing(error): the default pipeline with a stage 'boom.v1' after casualties.v2 that raises
    `error` on documents containing BOOM (registered for this test only)."""

    def build(error: BaseException) -> Pipeline:
        monkeypatch.setitem(REGISTRY, "boom.v1", Stage("boom.v1", _raise(error), ("casualties",), (), "raises on BOOM"))
        names = list(DEFAULT_STAGES)
        names.insert(names.index("casualties.v2") + 1, "boom.v1")
        return build_pipeline(names)

    return build


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    ticks = itertools.count()
    with open_store(str(tmp_path / "k.db"), now=lambda: T0 + timedelta(seconds=next(ticks))) as opened:
        yield opened


def _add(store: Store, text: str, name: str) -> str:
    return store.add_document(RawDocument(text=text, kind="text", path=f"/reports/{name}", language="en"), ingested_at=T0).id


@pytest.fixture
def docs(store: Store) -> dict[str, str]:
    """{name: id} of two good documents and one with BOOM."""
    return {"good1.txt": _add(store, GOOD[0], "good1.txt"), "boom.txt": _add(store, BOOM, "boom.txt"), "good2.txt": _add(store, GOOD[1], "good2.txt")}


def _events_of(store: Store, doc_id: str) -> list[Event]:
    return [e for e in store.events() if e.document_id == doc_id]


@pytest.mark.parametrize(
    "error, shown",
    [
        (Bug("quantity '3 - five' matched the quantity regex but does not parse"), "Bug: quantity '3 - five'"),
        (RecursionError("maximum recursion depth exceeded"), "RecursionError: maximum recursion depth exceeded"),
        (TypeError("expected string or bytes-like object, got 'dict'"), "TypeError: expected string"),
    ],
)
def test_a_stage_that_raises_fails_only_its_document(store: Store, docs: dict[str, str], failing, error, shown) -> None:
    report = run_extraction(store, pipeline=failing(error))
    assert (report.documents, report.failed) == (3, 1)
    [failure] = report.failures
    assert (failure.document_id, failure.name, failure.stage) == (docs["boom.txt"], "boom.txt", "boom.v1")
    assert failure.reason.startswith(shown)
    failed = store.get_document(docs["boom.txt"])
    assert failed is not None and failed.extract_status == "failed"
    assert failed.extract_note.startswith(f"stage boom.v1: {shown}") and "\n" not in failed.extract_note
    for name in ("good1.txt", "good2.txt"):
        doc = store.get_document(docs[name])
        assert doc is not None and doc.extract_status == "ok"
        assert _events_of(store, docs[name]), name
    assert _events_of(store, docs["boom.txt"]) == []


def test_errors_lists_the_failure_with_its_stage_beside_ingest_errors(store: Store, docs: dict[str, str], failing) -> None:
    store.record_error("/reports/broken.pdf", "encrypted PDF", at=T0)
    run_extraction(store, pipeline=failing(Bug("broken invariant")))
    records = Kwatch(store, resolve({"db": store.url})).errors()
    assert [(e.kind, e.stage, e.path, e.document_id) for e in records] == [
        ("ingest", "read", "/reports/broken.pdf", None),
        ("extract", "boom.v1", "boom.txt", docs["boom.txt"]),
    ]
    assert records[1].reason == "Bug: broken invariant"
    assert records[1].record()["stage"] == "boom.v1"


def test_a_failed_document_is_not_retried_by_a_plain_run_but_by_retry(store: Store, docs: dict[str, str], failing) -> None:
    run_extraction(store, pipeline=failing(Bug("once")))
    again = run_extraction(store, pipeline=failing(Bug("twice")))
    assert (again.documents, again.failed) == (0, 0)
    assert store.get_document(docs["boom.txt"]).extract_note == "stage boom.v1: Bug: once"
    fixed = run_extraction(store, retry=True)  # the default pipeline: the stage is fixed
    assert (fixed.documents, fixed.failed) == (1, 0)
    doc = store.get_document(docs["boom.txt"])
    assert doc is not None and doc.extract_status == "ok"
    assert _events_of(store, docs["boom.txt"])
    assert [r["scope"] for r in store.runs(kind="extract")] == ["retry", "new", "new"]


def test_a_failed_re_extraction_keeps_the_events_stored_before(store: Store, docs: dict[str, str], failing) -> None:
    run_extraction(store)
    before = _events_of(store, docs["boom.txt"])
    assert len(before) == 1
    report = run_extraction(store, redo=True, pipeline=failing(Bug("regression")))
    assert report.failures[0].kept_events == 1
    assert _events_of(store, docs["boom.txt"]) == before
    note = store.get_document(docs["boom.txt"]).extract_note
    assert note == "stage boom.v1: Bug: regression (kept the 1 event of the previous extraction)"


def test_a_failure_outside_the_stages_names_where_it_happened(store: Store, docs: dict[str, str], monkeypatch) -> None:
    real = store.set_extraction

    def refuse(doc_id: str, **kwargs: Any) -> None:
        if doc_id == docs["good2.txt"]:
            raise Bug("event dict has unknown keys")
        real(doc_id, **kwargs)

    monkeypatch.setattr(store, "set_extraction", refuse)
    report = run_extraction(store)
    assert [(f.name, f.stage) for f in report.failures] == [("good2.txt", "store")]
    monkeypatch.undo()
    import kwatch.extraction

    def bad_record(event: Any, doc_id: str, name: str | None = None) -> Any:
        raise KeyError("evidence")

    monkeypatch.setattr(kwatch.extraction, "to_event", bad_record)
    report = run_extraction(store, retry=True)
    assert [(f.name, f.stage, f.reason) for f in report.failures] == [("good2.txt", "to_record", "KeyError: 'evidence'")]


def test_odd_telegram_meta_does_not_fail_extraction(store: Store) -> None:
    caption = "Al-Azaim Foundation presents a new video in Uzbek: the caravan of martyrs. #release"
    ids = [
        store.add_document(
            RawDocument(text=caption, kind="telegram", locator=f"chan/{n}", language="en",
                        meta={"channel": "chan", "message_id": n, "forwarded_from": forwarded, "media_type": "video_file"}),
            ingested_at=T0,
        ).id
        for n, forwarded in enumerate([{"name": "Al-Azaim", "id": 7}, ["Al-Azaim"], 12, None])
    ]  # fmt: skip
    report = run_extraction(store)
    assert report.failures == []
    assert {store.get_document(i).extract_status for i in ids} <= {"ok", "skipped"}


def test_every_run_is_recorded_with_its_scope_counts_and_pipeline_version(store: Store, docs: dict[str, str], failing) -> None:
    run_extraction(store, pipeline=failing(Bug("x")))
    run_extraction(store, redo=True)
    run_extraction(store, ids=[docs["good1.txt"]])
    runs = store.runs(kind="extract")
    assert [(r["scope"], r["documents"], r["failed"], r["finished_at"] is not None) for r in runs] == [
        ("ids", 1, 0, True), ("all", 3, 0, True), ("new", 3, 1, True),
    ]  # fmt: skip
    assert runs[0]["pipeline_version"] == pipeline_version() == pipeline_version(DEFAULT_STAGES)
    assert runs[2]["pipeline_version"] != runs[1]["pipeline_version"]  # boom.v1 makes another pipeline
    assert len(pipeline_version()) == 12


def test_the_cli_reports_each_failure_on_one_line_and_exits_1(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "three_dash_five.txt").write_text("ISKP attack in Kabul on 3 March 2024 killed 3 - five people.\n", encoding="utf-8")
    for n, text in enumerate(GOOD):
        (folder / f"good{n}.txt").write_text(text + "\n", encoding="utf-8")
    db = tmp_path / "k.db"

    def kwatch(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "kwatch", "--db", str(db), *args], capture_output=True, text=True, timeout=300)

    ingested = kwatch("ingest", str(folder))
    # The root cause is fixed: the sentence reads, every document has its event, exit 0.
    assert ingested.returncode == 0, ingested.stderr
    assert "extracted 3 events from 3 documents" in ingested.stdout
    docs = json.loads(kwatch("docs", "--json").stdout)
    assert {d["extract_status"] for d in docs} == {"ok"}
    events = json.loads(kwatch("events", "--json").stdout)
    assert {s["doc"] for e in events for s in e["sources"]} == {"three_dash_five.txt", "good0.txt", "good1.txt"}


FAILING_CLI = """
import sys
from kwatch.cli import main
from kwatch.errors import Bug
from kwatch.pipeline import casualties

real = casualties.find_casualties
def find(sentences, language="en", **options):
    sentences = tuple(sentences)
    if any("BOOM" in s.text for s in sentences):
        raise Bug("quantity '3 - five' matched the quantity regex but does not parse")
    return real(sentences, language, **options)
casualties.find_casualties = find
sys.argv = ["kwatch", *sys.argv[1:]]
main()
"""


def test_the_cli_with_a_failing_stage_goes_on_prints_the_failure_and_exits_1(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "boom.txt").write_text(BOOM + "\n", encoding="utf-8")
    for n, text in enumerate(GOOD):
        (folder / f"good{n}.txt").write_text(text + "\n", encoding="utf-8")
    db = tmp_path / "k.db"

    def kwatch(*args: str, failing: bool = True) -> subprocess.CompletedProcess[str]:
        program = ["-c", FAILING_CLI] if failing else ["-m", "kwatch"]
        return subprocess.run([sys.executable, *program, "--db", str(db), *args], capture_output=True, text=True, timeout=300)

    ingested = kwatch("ingest", str(folder))
    assert ingested.returncode == 1, ingested.stderr
    assert "boom.txt: extraction failed in stage casualties.v2: Bug: quantity '3 - five' matched" in ingested.stderr
    assert "(1 failed)" in ingested.stdout
    events = json.loads(kwatch("events", "--json").stdout)
    assert {s["doc"] for e in events for s in e["sources"]} == {"good0.txt", "good1.txt"}
    errors = json.loads(kwatch("errors", "--json").stdout)
    assert [(e["kind"], e["stage"], e["path"]) for e in errors] == [("extract", "casualties.v2", "boom.txt")]
    plain = kwatch("extract")
    assert plain.returncode == 0 and "from 0 documents" in plain.stdout
    retried = kwatch("extract", "--retry", failing=False)
    assert retried.returncode == 0, retried.stderr
    assert "from 1 documents (0 skipped, 0 failed)" in retried.stdout
    assert json.loads(kwatch("errors", "--json").stdout) == []
    runs = json.loads(kwatch("runs", "--json").stdout)
    assert [(r["kind"], r["scope"], r["failed"]) for r in runs if r["kind"] == "extract"] == [("extract", "retry", 0), ("extract", "new", 0), ("extract", "new", 1)]
