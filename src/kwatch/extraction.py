"""Run extraction over stored documents and write the events back, one document per transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from kwatch.extract import build_context, extract, to_record
from kwatch.models import Document
from kwatch.pipeline import Context, Pipeline
from kwatch.pipeline.default import build_pipeline
from kwatch.pipeline.model import PipelineDoc
from kwatch.store import Store


@dataclass(slots=True)
class ExtractReport:
    documents: int = 0
    events: int = 0
    skipped: int = 0


def document_name(doc: Document) -> str:
    """How exports name a document: the message/item locator, else the file name, else the URL."""
    if doc.locator:
        return doc.locator
    if doc.path and not doc.path.startswith(("http://", "https://")):
        return doc.path.replace("\\", "/").rsplit("/", 1)[-1]
    return doc.url or doc.path or doc.id


def _stored(record: dict) -> dict:
    """The store keeps sources by document id; the document's display name is derived on export."""
    sources = [{k: v for k, v in source.items() if k != "doc"} for source in record.get("sources", [])]
    return {**record, "sources": sources}


def run_extraction(
    store: Store,
    *,
    redo: bool = False,
    ids: list[str] | None = None,
    pipeline: Pipeline | None = None,
    ctx: Context | None = None,
    on_document: Callable[[Document, int], None] | None = None,
) -> ExtractReport:
    """Extract events from documents not yet processed (all with `redo`, or the given `ids`)."""
    pipeline = pipeline or build_pipeline()
    ctx = ctx or build_context()
    report = ExtractReport()
    for doc_id in ids if ids is not None else store.documents_to_extract(redo=redo):
        doc = store.get_document(doc_id)
        if doc is None:
            continue
        result = extract(
            PipelineDoc(
                id=doc.id, text=doc.text, published=doc.published, language=doc.language, title=doc.title, kind=doc.kind, meta=doc.meta
            ),
            pipeline=pipeline,
            ctx=ctx,
        )
        name = document_name(doc)
        records = [_stored(to_record(event, doc.id, name)) for event in result.events or ()]
        note = result.skipped or ("; ".join(result.notes) if result.notes else None)
        store.set_extraction(doc.id, status="skipped" if result.skipped else "ok", note=note, events=records)
        report.documents += 1
        report.events += len(records)
        report.skipped += bool(result.skipped)
        if on_document is not None:
            on_document(doc, len(records))
    return report
