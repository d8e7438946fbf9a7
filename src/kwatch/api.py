"""The Python API: `kwatch.open(db)` gives a `Kwatch` over one store. The CLI is a thin layer on it."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, TextIO

import httpx

from kwatch import settings as settings_mod
from kwatch.errors import ExportError
from kwatch.export import EXPORTERS
from kwatch.extraction import ExtractReport, document_name, run_extraction
from kwatch.ingest import ReadOptions
from kwatch.ingestion import IngestEvent, IngestReport, ingest
from kwatch.models import Document, IngestErrorRecord, SearchHit
from kwatch.store import Store, open_store

if TYPE_CHECKING:
    from kwatch.evaluate import Report

#: The FORMAT.md fields, in the order exports write them.
RECORD_FIELDS = (
    "id", "type", "date", "country", "admin1", "admin2", "place", "actor", "claimed", "method", "target",
    "killed", "injured", "killed_claimed", "injured_claimed", "medium", "languages", "outlet",
)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def sample_corpus_path() -> Path:
    """The bundled sample corpus (our own writing) that `make run` ingests."""
    return Path(str(resources.files("kwatch") / "sample_corpus"))


class Kwatch:
    """One store and the settings it was opened with."""

    def __init__(self, store: Store, settings: dict[str, Any], *, now: Callable[[], datetime] = utc_now) -> None:
        self.store = store
        self.settings = settings
        self._now = now

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> "Kwatch":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ingestion -------------------------------------------------------------------------------
    def ingest(
        self,
        inputs: Iterable[str],
        *,
        extract: bool = True,
        on_item: Callable[[IngestEvent], None] | None = None,
        client: httpx.Client | None = None,
    ) -> tuple[IngestReport, ExtractReport | None]:
        inputs = [str(i) for i in inputs]
        options = ReadOptions(max_bytes=self.settings["max_file_size"])
        owns_client = client is None
        if client is None:
            client = httpx.Client(
                timeout=self.settings["http_timeout"],
                follow_redirects=True,
                headers={"User-Agent": self.settings["user_agent"]},
            )
        try:
            report = ingest(inputs, self.store, options=options, now=self._now, client=client, on_item=on_item)
        finally:
            if owns_client:
                client.close()
        extracted = self.extract() if extract else None
        return report, extracted

    def extract(self, *, redo: bool = False, on_document: Callable[[Document, int], None] | None = None) -> ExtractReport:
        return run_extraction(self.store, redo=redo, on_document=on_document)

    # reading ---------------------------------------------------------------------------------
    def documents(self, *, limit: int | None = None) -> list[Document]:
        return self.store.documents(limit=limit)

    def search(self, query: str, *, limit: int = 20) -> list[SearchHit]:
        return self.store.search(query, limit=limit)

    def errors(self) -> list[IngestErrorRecord]:
        return self.store.errors()

    def events(
        self,
        *,
        type: str | None = None,
        since: str | None = None,
        until: str | None = None,
        country: str | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Stored events as FORMAT.md records (plus coordinates, precision and detail)."""
        names: dict[str, str] = {}
        records = []
        for event in self.store.events(type=type, since=since, until=until, country=country, limit=limit):
            records.append(self._record(event, names))
        return records

    def _record(self, event: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
        record = {key: event.get(key) for key in RECORD_FIELDS}
        sources = []
        for source in event.get("sources", []):
            doc_id = source["document_id"]
            if doc_id not in names:
                doc = self.store.get_document(doc_id)
                names[doc_id] = document_name(doc) if doc else doc_id
            sources.append(
                {
                    "doc": names[doc_id],
                    "document_id": doc_id,
                    "quote": source["quote"],
                    "start": source["start"],
                    "end": source["end"],
                    "fields": source.get("fields") or [],
                }
            )
        record["sources"] = sources
        for extra in ("geo_precision", "lat", "lon", "detail"):
            record[extra] = event.get(extra)
        return record

    def export(self, fmt: str, fp: TextIO, **filters: Any) -> int:
        if fmt not in EXPORTERS:
            raise ExportError(f"Unknown export format {fmt!r}.", hint=f"use one of: {', '.join(EXPORTERS)}")
        return EXPORTERS[fmt](self.events(**filters), fp)

    def summary(self) -> dict[str, Any]:
        """Counts that describe the store at a glance."""
        docs = self.store.documents()
        events = self.store.events()
        published = sorted(d.published for d in docs if d.published)
        return {
            "store": self.store.url,
            "documents": len(docs),
            "by_kind": dict(Counter(d.kind for d in docs).most_common()),
            "by_language": dict(Counter(d.language or "unknown" for d in docs).most_common()),
            "published_range": [published[0], published[-1]] if published else None,
            "near_duplicates": sum(1 for d in docs if d.duplicate_of),
            "skipped": sum(1 for d in docs if d.extract_status == "skipped"),
            "ingest_errors": len(self.store.errors()),
            "events": len(events),
            "events_by_type": dict(Counter(e["type"] for e in events).most_common()),
        }


def open(db: str | None = None, **settings: Any) -> Kwatch:  # noqa: A001 - mirrors sqlite3.connect / kwatch.open
    """Open (creating if needed) the store at `db` (a path or URL; default: KWATCH_DB, then the
    user's data folder) and return the API over it."""
    values = settings_mod.resolve({"db": db, **settings})
    return Kwatch(open_store(values["db"]), values)


def evaluate_corpus(gold: Path, corpus: Path) -> "Report":
    """`kwatch eval`: ingest `corpus` into a temporary SQLite store, extract, export the records
    and score them against the `gold` file with the rules of FORMAT.md."""
    import tempfile

    from kwatch.errors import EvalError
    from kwatch.evaluate import load_jsonl, score

    if not corpus.is_dir():
        raise EvalError(f"Corpus folder {corpus} does not exist.", hint="give the folder that holds the documents and manifest.jsonl")
    gold_records = load_jsonl(gold)
    with tempfile.TemporaryDirectory(prefix="kwatch-eval-") as tmp:
        values = settings_mod.resolve({"db": str(Path(tmp) / "eval.db")})
        with Kwatch(open_store(values["db"]), values) as kw:
            kw.ingest([str(corpus)], extract=True)
            predictions = kw.events()
    return score(gold_records, predictions, corpus=corpus)


def report_dict(report: "Report") -> dict[str, Any]:
    """A scoring report as one JSON-able object (what `kwatch eval --json` prints)."""
    return {
        "events": report.events.as_dict(),
        "fields": {name: counts.as_dict() for name, counts in report.fields.items()},
        "fields_micro": report.fields_micro.as_dict(),
        "score": report.score,
        "missed": report.missed,
        "spurious": [{"id": p.get("id"), "type": p.get("type"), "date": p.get("date"), "docs": sorted({s["doc"] for s in p.get("sources", [])})} for p in report.spurious],
        "quotes_found": report.quotes_found,
        "quotes": report.quotes,
    }
