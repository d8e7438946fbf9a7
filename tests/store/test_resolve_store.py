"""Incremental resolution through the store (issue 12), on SQLite and PostgreSQL: a corpus stored
in two batches, resolving after each (the second run resolves only the part that changed),
then re-extracted in part, is resolved exactly as one full resolution of the same store."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import kwatch
from kwatch.api import Kwatch
from kwatch.models import RawDocument
from kwatch.records import ResolvedEvent
from kwatch.resolve import RESOLVE_VERSION

ROOT = Path(__file__).resolve().parents[2]
Corpus = tuple[list[RawDocument], dict[str, list[dict[str, Any]]]]


def _extracted(folders: list[Path], db: Path) -> Corpus:
    """The documents of `folders` and the events extraction gives each (read into a scratch
    store once, then replayed into the stores under test)."""
    with kwatch.open(str(db)) as kw:
        report, _ = kw.ingest([str(f) for f in folders])
        assert report.new > 0  # (gold.jsonl files beside the texts are not documents)
        docs = [
            RawDocument(text=d.text, kind=d.kind, path=d.path, source=d.source, url=d.url, title=d.title, author=d.author,
                        published=d.published, language=d.language, locator=d.locator, meta=d.meta)
            for d in kw.store.documents()
        ]  # fmt: skip
        owner = kw.store.event_document_ids()
        events: dict[str, list[dict[str, Any]]] = {d.id: [] for d in docs}
        for event in kw.store.events():
            events[owner[event.id]].append(event.as_dict())
    return docs, events


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Corpus]:
    made: dict[str, Corpus] = {}

    def get(name: str) -> Corpus:
        if name not in made:
            if name == "resolution":
                folders = [ROOT / "tests" / "data" / "resolution"]
            elif name == "multilingual":
                folders = sorted(p for p in (ROOT / "tests" / "data" / "multilingual").iterdir() if p.is_dir())
            else:  # the real reports and the seeds in ../shared
                shared = ROOT.parent / "shared"
                if not (shared / "eval" / "FORMAT.md").is_file():
                    pytest.skip(f"../shared is absent ({shared}): development data not available on this machine")
                folders = [shared / "corpus" / "seeds", *sorted((shared / "eval" / "real").glob("*/corpus"))]
            made[name] = _extracted(folders, tmp_path_factory.mktemp(name) / "scratch.db")
        return made[name]

    return get


def _stored(kw: Kwatch) -> tuple[list[ResolvedEvent], dict[str, Any]]:
    rows = kw.store.resolved_events()
    return rows, kw.store.resolved_members([r.id for r in rows])


def _store_batch(kw: Kwatch, docs: list[RawDocument], events: dict[str, list[dict[str, Any]]], clock: Any) -> None:
    for doc in docs:
        kw.store.add_document(doc, ingested_at=clock())
        kw.store.set_extraction(doc.id, status="ok", note=None, events=events[doc.id])


@pytest.fixture
def always_part(monkeypatch: pytest.MonkeyPatch) -> None:
    """A part however large (a full run is done past half the events: these corpora are small)."""
    monkeypatch.setattr(kwatch.resolve, "PART_SHARE", 1.0)


@pytest.mark.usefixtures("always_part")
@pytest.mark.parametrize("corpus", ["resolution", "multilingual", "shared"])
def test_two_batches_resolved_incrementally_equal_one_full_resolution(
    corpus: str, corpora: Callable[[str], Corpus], store_url: str, clock: Any
) -> None:
    docs, events = corpora(corpus)
    first, second = docs[::3] + docs[1::3], docs[2::3]
    with kwatch.open(store_url) as kw:
        _store_batch(kw, first, events, clock)
        assert kw.resolve().full  # nothing resolved before: every event
        _store_batch(kw, second, events, clock)
        report = kw.resolve()
        assert not report.full and (report.redone < report.events or corpus == "resolution")  # six reports: one part
        # Re-extraction in part: one document finds nothing now, another a changed toll.
        emptied, changed = second[0], first[-1]
        kw.store.set_extraction(emptied.id, status="ok", note=None, events=[])
        kw.store.set_extraction(changed.id, status="ok", note=None, events=[{**e, "killed": (e["killed"] or 0) + 1} for e in events[changed.id]])
        assert not kw.resolve().full
        assert kw.resolution_status().current
        runs = kw.store.runs(kind="resolve")
        assert [r["scope"] for r in runs] == ["part", "part", "all"] and {r["pipeline_version"] for r in runs} == {RESOLVE_VERSION}
        incremental = _stored(kw)
        assert kw.resolve(full=True).full
        assert _stored(kw) == incremental
        assert kw.resolve().redone == 0  # nothing changed since


def test_a_large_part_is_a_full_resolution_and_says_why(corpora: Callable[[str], Corpus], store_url: str, clock: Any) -> None:
    docs, events = corpora("resolution")
    with kwatch.open(store_url) as kw:
        _store_batch(kw, docs[:1], events, clock)
        kw.resolve()
        _store_batch(kw, docs[1:], events, clock)
        assert kw.resolve().full
        run = kw.store.runs(kind="resolve")[0]
        assert run["scope"] == "all" and "full resolution" in run["note"]


@pytest.mark.usefixtures("always_part")
def test_an_analyst_merge_and_split_resolve_incrementally(corpora: Callable[[str], Corpus], store_url: str, clock: Any) -> None:
    docs, events = corpora("resolution")
    with kwatch.open(store_url) as kw:
        _store_batch(kw, docs, events, clock)
        kw.resolve()
        [mosque] = [r for r in kw.event_records() if len(r["detail"]["documents"]) == 3]
        kw.split(mosque["id"], mosque["detail"]["documents"][0], who="test", why=None)
        split = _stored(kw)
        records = kw.event_records()
        kw.merge(records[0]["id"], records[-1]["id"], who="test", why=None)
        merged = _stored(kw)
        assert [r["scope"] for r in kw.store.runs(kind="resolve")][:2] == ["part", "part"]
        kw.resolve(full=True)
        assert _stored(kw) == merged != split


@pytest.mark.usefixtures("always_part")
def test_cli_resolve_full_flag(store_url: str, corpora: Callable[[str], Corpus], clock: Any) -> None:
    from click.testing import CliRunner

    from kwatch.cli import cli

    docs, events = corpora("resolution")
    with kwatch.open(store_url) as kw:
        _store_batch(kw, docs, events, clock)
    first = CliRunner().invoke(cli, ["--db", store_url, "resolve"], catch_exceptions=False)
    again = CliRunner().invoke(cli, ["--db", store_url, "resolve"], catch_exceptions=False)
    full = CliRunner().invoke(cli, ["--db", store_url, "resolve", "--full"], catch_exceptions=False)
    assert "incremental" not in first.output and "(incremental: 0 resolved again)" in again.output
    assert "incremental" not in full.output and first.output.split("(")[0] == full.output.split("(")[0]


def test_a_part_is_not_written_over_another_resolution(store_url: str, corpora: Callable[[str], Corpus], clock: Any) -> None:
    from kwatch.store.database import ResolutionIndex

    docs, events = corpora("resolution")
    with kwatch.open(store_url) as kw:
        _store_batch(kw, docs, events, clock)
        kw.resolve()
        base = kw.store.resolution_state()["last_run"]["id"]
        kw.resolve(full=True)  # finishes after the part below was worked out from `base`
        before = _stored(kw)
        run = kw.store.start_run("resolve", scope="part", pipeline_version=RESOLVE_VERSION)
        empty = ResolutionIndex(keys={}, versions={})
        assert not kw.store.replace_resolution_part(["x"], [], [], index=empty, base_run=base, run=run)
        assert _stored(kw) == before and kw.store.unfinished_run("resolve")["id"] == run  # type: ignore[index]
        last = kw.store.resolution_state()["last_run"]["id"]
        assert kw.store.replace_resolution_part([], [], [], index=empty, base_run=last, run=run)
        assert _stored(kw) == before and kw.store.unfinished_run("resolve") is None
