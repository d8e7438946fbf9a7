"""Extraction failures and runs in the store, on SQLite and PostgreSQL: a failed document keeps its
earlier events, `retry` and `before` pick what is left to do, and a run that never finished is
finished by the next one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from kwatch.errors import Bug
from kwatch.extraction import pipeline_version, plan_extraction, run_extraction
from kwatch.models import RawDocument
from kwatch.store import Store

T0 = datetime(2024, 3, 22, 18, 0, tzinfo=UTC)

MakeEvent = Callable[..., dict[str, Any]]
TEXT = "A suicide bomber killed {n} worshippers at a mosque in Kunduz on 8 October 2021, police said."


def _add(store: Store, n: int) -> str:
    return store.add_document(RawDocument(text=TEXT.format(n=n + 2), kind="text", path=f"r{n}.txt", language="en"), ingested_at=T0).id


def test_a_failure_keeps_the_events_stored_before_and_reads_back_its_stage(store: Store, make_event: MakeEvent) -> None:
    doc = _add(store, 0)
    store.set_extraction(doc, status="ok", note=None, events=[make_event("e1", doc)])
    kept = store.mark_extraction_failed(doc, stage="casualties.v2", reason="Bug: quantity '3 - five'\n  does not parse")
    assert kept == 1
    assert [e.id for e in store.events()] == ["e1"]
    stored = store.get_document(doc)
    assert stored is not None and stored.extract_status == "failed"
    assert stored.extract_note == "stage casualties.v2: Bug: quantity '3 - five' does not parse (kept the 1 event of the previous extraction)"
    [row] = store.extraction_failures()
    assert (row["id"], row["path"], row["stage"]) == (doc, "r0.txt", "casualties.v2")
    assert row["reason"].startswith("Bug: quantity '3 - five' does not parse")
    assert row["extracted_at"] is not None


def test_set_extraction_refuses_the_failed_status(store: Store) -> None:
    doc = _add(store, 0)
    with pytest.raises(Bug):
        store.set_extraction(doc, status="failed", note="x", events=[])


def test_documents_to_extract_with_retry_and_before(store: Store, clock: Any) -> None:
    ok, failed, new = _add(store, 0), _add(store, 1), _add(store, 2)
    store.set_extraction(ok, status="ok", note=None, events=[])
    store.mark_extraction_failed(failed, stage="s.v1", reason="boom")
    cut = clock()
    assert store.documents_to_extract() == [new]
    assert set(store.documents_to_extract(retry=True)) == {failed, new}
    assert set(store.documents_to_extract(redo=True)) == {ok, failed, new}
    assert set(store.documents_to_extract(redo=True, before=cut)) == {ok, failed, new}
    store.set_extraction(ok, status="ok", note=None, events=[])  # extracted after the cut
    store.mark_extraction_failed(failed, stage="s.v1", reason="again")
    assert set(store.documents_to_extract(redo=True, before=cut)) == {new}
    assert set(store.documents_to_extract(retry=True, before=cut)) == {new}


def test_an_interrupted_all_run_is_finished_by_the_next_plain_run(store: Store) -> None:
    ids = [_add(store, n) for n in range(4)]
    run_extraction(store)
    # A run of `extract --all` that did two documents, then was killed.
    interrupted = store.start_run("extract", scope="all", pipeline_version=pipeline_version())
    report = run_extraction(store, ids=ids[:2])  # what it did (an 'ids' run neither resumes nor hides it)
    store.update_run(interrupted, documents=2, failed=0)
    newer = _add(store, 9)
    plan = plan_extraction(store)
    assert plan.scope == "new" and plan.resumed is not None and plan.resumed["id"] == interrupted
    assert set(plan.ids) == {ids[2], ids[3], newer}
    report = run_extraction(store)
    assert report.resumed is not None and report.resumed["id"] == interrupted
    assert report.documents == 3
    runs = {r["id"]: r for r in store.runs(kind="extract")}
    assert runs[interrupted]["finished_at"] is not None
    assert (runs[interrupted]["documents"], runs[interrupted]["note"]) == (2, f"finished by run {report.run_id}")
    assert runs[report.run_id]["note"] == f"finished run {interrupted}"
    assert plan_extraction(store).ids == [] and plan_extraction(store).resumed is None


def test_an_interrupted_retry_run_is_finished_too_and_an_all_run_needs_no_resume(store: Store) -> None:
    ids = [_add(store, n) for n in range(3)]
    run_extraction(store)
    store.mark_extraction_failed(ids[0], stage="s.v1", reason="boom")
    store.mark_extraction_failed(ids[1], stage="s.v1", reason="boom")
    interrupted = store.start_run("extract", scope="retry", pipeline_version=pipeline_version())
    assert set(plan_extraction(store).ids) == {ids[0], ids[1]}
    plan = plan_extraction(store, redo=True)
    assert plan.resumed is None and [r["id"] for r in plan.finishes] == [interrupted]
    report = run_extraction(store, redo=True)
    assert report.documents == 3 and report.resumed is None
    assert store.runs(kind="extract")[1]["note"] == f"finished by run {report.run_id}"


def test_pipeline_version_is_stable_and_follows_the_stage_order() -> None:
    from kwatch.pipeline.default import DEFAULT_STAGES

    assert pipeline_version() == pipeline_version(tuple(DEFAULT_STAGES))
    assert pipeline_version(tuple(reversed(DEFAULT_STAGES))) != pipeline_version()
