"""Run extraction over stored documents and write the events back, one document per transaction.

No document stops a batch: whatever extracting one document raises (a stage's `Bug`, a
RecursionError, a TypeError on odd reader metadata, an event the store refuses) marks that
document failed, with the stage that raised in its note, and the batch goes on. A failed
document keeps the events an earlier extraction stored for it. A plain run does not try it again
(so it is not retried forever); `retry=True` does, `redo=True` redoes every document.

Every run is recorded in the store's `runs` table (scope 'new', 'all', 'retry' or 'ids', the
pipeline version of the stages, lexicons and user lexicon files, progress every
RUN_PROGRESS_EVERY documents, the counts when it finishes). A run that never finished (the
process was killed) is finished by the next run that is not scoped to given ids: that run also
does what the interrupted one had left (for 'all': every document not extracted since it
started; for 'retry': the failed documents not retried since), and when it finishes it marks
the interrupted run finished with the note 'finished by run M'.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from kwatch import lexicon
from kwatch.extract import build_context, extract, to_event
from kwatch.ingest.telegram import is_post_title
from kwatch.models import Document, document_name
from kwatch.pipeline import Context, Pipeline, StageFailure
from kwatch.pipeline.default import DEFAULT_STAGES, build_pipeline
from kwatch.pipeline.model import PipelineDoc
from kwatch.store import Store

#: A running extraction records its progress in `runs` after every this many documents.
RUN_PROGRESS_EVERY = 50
#: How many recent runs are read to find interrupted ones.
_RUNS_LOOKED_AT = 100


@dataclass(frozen=True, slots=True)
class ExtractFailure:
    """One document whose extraction failed: where, and why."""

    document_id: str
    name: str  # as exports name the document (locator, file name or URL)
    path: str | None
    stage: str  # the stage that raised, or 'extract', 'to_record', 'store' outside the stages
    reason: str  # 'Bug: quantity …', one line
    kept_events: int  # events of an earlier extraction, kept


@dataclass(slots=True)
class ExtractPlan:
    """What a run will do, known before it starts (`on_start` receives it)."""

    scope: str  # 'new' | 'all' | 'retry' | 'ids'
    ids: list[str]
    #: Interrupted runs (newest first) this run finishes.
    finishes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def resumed(self) -> dict[str, Any] | None:
        """The interrupted run whose job this run finishes (the oldest of them), unless this run
        redoes everything anyway."""
        return self.finishes[-1] if self.finishes and self.scope != "all" else None


@dataclass(slots=True)
class ExtractReport:
    documents: int = 0  # documents attempted, failed ones included
    events: int = 0
    skipped: int = 0
    failed: int = 0
    failures: list[ExtractFailure] = field(default_factory=list)
    run_id: int | None = None
    resumed: dict[str, Any] | None = None  # the interrupted run this one finished (ExtractPlan.resumed)


@cache
def _lexicon_digest() -> str:
    digest = hashlib.sha256()
    root = resources.files("kwatch") / "lexicons"

    def walk(folder: Any, prefix: str) -> None:
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            name = f"{prefix}{entry.name}"
            if entry.is_dir():
                walk(entry, name + "/")
            elif entry.name.endswith((".yaml", ".yml")):
                digest.update(name.encode("utf-8") + b"\x00" + entry.read_bytes() + b"\x00")

    walk(root, "")
    return digest.hexdigest()


def _user_lexicon_digest(path: lexicon.SearchPath) -> bytes:
    """A hash of the user lexicon files in use, in the order they apply: each one's path (it is
    named in provenance) and contents. Empty for the built-in lexicons alone."""
    if not path.files:
        return b""
    digest = hashlib.sha256()
    for user in path.files:
        digest.update(f"{user.relpath}\x00{user.path}\x00".encode("utf-8", "surrogatepass") + Path(user.path).read_bytes() + b"\x00")
    return b"\x00user\x00" + digest.hexdigest().encode("ascii")


@cache
def pipeline_version(names: tuple[str, ...] = DEFAULT_STAGES, lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> str:
    """A short, stable hash of the stage names in order, of every lexicon file the stages read
    (`kwatch/lexicons/**.yaml`) and of the user lexicon files of `lexicons` (paths and contents):
    it changes exactly when what extraction does may change, a user file edited included. With
    no user file it is the version of the built-in lexicons."""
    digest = hashlib.sha256("\n".join(names).encode("utf-8") + b"\x00" + _lexicon_digest().encode("ascii") + _user_lexicon_digest(lexicons))
    return digest.hexdigest()[:12]


def _interrupted_runs(store: Store) -> list[dict[str, Any]]:
    """The extraction runs, newest first, that never finished since the last one that did
    (runs scoped to given ids are passed over: they neither resume nor hide one)."""
    found = []
    for run in store.runs(kind="extract", limit=_RUNS_LOOKED_AT):
        if run["scope"] == "ids":
            continue
        if run["finished_at"] is not None:
            break
        found.append(run)
    return found


def plan_extraction(store: Store, *, redo: bool = False, retry: bool = False, ids: Iterable[str] | None = None) -> ExtractPlan:
    """The documents a run will extract: the given `ids`; else every document (`redo`), or the
    new ones (and the failed ones with `retry`), plus what interrupted runs had left to do."""
    if ids is not None:
        return ExtractPlan("ids", list(ids))
    scope = "all" if redo else "retry" if retry else "new"
    todo = store.documents_to_extract(redo=redo, retry=retry)
    interrupted = _interrupted_runs(store)
    if interrupted and not redo:
        wanted = set(todo)
        for run in interrupted:
            if run["scope"] in ("all", "retry"):
                wanted.update(store.documents_to_extract(redo=run["scope"] == "all", retry=True, before=run["started_at"]))
        if len(wanted) > len(todo):
            todo = [doc_id for doc_id in store.documents_to_extract(redo=True) if doc_id in wanted]
    return ExtractPlan(scope, todo, interrupted)


def _one_line(error: BaseException) -> str:
    return " ".join(f"{type(error).__name__}: {error}".split())


def run_extraction(
    store: Store,
    *,
    redo: bool = False,
    retry: bool = False,
    ids: list[str] | None = None,
    pipeline: Pipeline | None = None,
    ctx: Context | None = None,
    on_start: Callable[[ExtractPlan], None] | None = None,
    on_document: Callable[[Document, int], None] | None = None,
) -> ExtractReport:
    """Extract events from the documents `plan_extraction` gives (new ones; every one with `redo`;
    new and failed ones with `retry`; the given `ids`), recorded as one run in the store.

    Never raises for one document: a failure marks it failed and is in `report.failures`. What
    does raise (the store itself cannot be written) leaves the run unfinished, for the next run
    to finish. `on_start(plan)` is called once the run is recorded, `on_document(doc, events)`
    after each document."""
    pipeline = pipeline or build_pipeline()
    ctx = ctx or build_context()
    plan = plan_extraction(store, redo=redo, retry=retry, ids=ids)
    version = pipeline_version(pipeline.names, lexicon.in_options(ctx.options))
    run_id = store.start_run("extract", scope=plan.scope, pipeline_version=version)
    report = ExtractReport(run_id=run_id, resumed=plan.resumed)
    if on_start is not None:
        on_start(plan)
    for position, doc_id in enumerate(plan.ids, 1):
        doc = store.get_document(doc_id)
        if doc is not None:
            events = _extract_document(store, doc, pipeline, ctx, report)
            if on_document is not None:
                on_document(doc, events)
        if position % RUN_PROGRESS_EVERY == 0:
            store.update_run(run_id, documents=report.documents, failed=report.failed)
    note = ("finished run " + ", ".join(str(run["id"]) for run in reversed(plan.finishes))) if plan.finishes else None
    store.finish_run(run_id, documents=report.documents, failed=report.failed, note=note)
    for run in plan.finishes:
        store.finish_run(run["id"], documents=run["documents"], failed=run["failed"], note=f"finished by run {run_id}")
    return report


def _extract_document(store: Store, doc: Document, pipeline: Pipeline, ctx: Context, report: ExtractReport) -> int:
    """Extract one document and store its events, or mark it failed; returns how many events."""
    stage = "extract"  # outside any stage: the checks before the pipeline runs
    report.documents += 1
    try:
        # A Telegram post's title is its channel and first words, made at ingest for lists: it is
        # no headline, so the pipeline reads none (as before posts had titles).
        title = None if doc.kind == "telegram" and is_post_title(doc.title, doc.source, doc.text, doc.meta) else doc.title
        result = extract(
            PipelineDoc(
                id=doc.id, text=doc.text, published=doc.published, language=doc.language, title=title, kind=doc.kind, meta=doc.meta
            ),
            pipeline=pipeline,
            ctx=ctx,
        )
        stage = "to_record"
        records = [to_event(event, doc.id) for event in result.events or ()]
        note = result.skipped or ("; ".join(result.notes) if result.notes else None)
        stage = "store"
        store.set_extraction(doc.id, status="skipped" if result.skipped else "ok", note=note, events=records)
    except StageFailure as failure:
        _failed(store, doc, failure.stage, _one_line(failure.error), report)
        return 0
    except Exception as error:  # noqa: BLE001 - one document's failure, whatever it is, never stops the batch
        _failed(store, doc, stage, _one_line(error), report)
        return 0
    report.events += len(records)
    report.skipped += bool(result.skipped)
    return len(records)


def _failed(store: Store, doc: Document, stage: str, reason: str, report: ExtractReport) -> None:
    # When the store cannot record even this, it is the store that fails: that error stops the run.
    kept = store.mark_extraction_failed(doc.id, stage=stage, reason=reason)
    report.failed += 1
    report.failures.append(ExtractFailure(doc.id, document_name(doc), doc.path, stage, reason, kept))
