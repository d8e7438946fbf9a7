"""Extraction as a library call: a document in, its events out, and events as FORMAT.md records.

`extract()` decides first whether a document can be read at all: a language without lexicons,
no sentence, no letters, or nothing but over-long lines gives `skipped` with the reason and no
event, never an exception or an invented event.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from kwatch import lexicon
from kwatch.pipeline import Context, Pipeline
from kwatch.pipeline.events import MAX_SENTENCE, event_key
from kwatch.pipeline.model import ExtractedEvent, PipelineDoc

#: Lexicons a language needs before extraction runs on it.
REQUIRED_LEXICONS = ("events", "casualties", "dates")


def build_context(**options: Any) -> Context:
    """A context with the package gazetteer loaded."""
    from kwatch.gazetteer import load_gazetteer

    return Context(gazetteer=load_gazetteer(), options=dict(options))


def supported_languages() -> list[str]:
    found = [set(lexicon.available(name)) for name in REQUIRED_LEXICONS]
    return sorted(set.intersection(*found)) if found else []


def _skip_reason(doc: PipelineDoc) -> str | None:
    language = doc.language or "en"
    if language not in supported_languages():
        return f"no lexicons for language {language!r} (supported: {', '.join(supported_languages())})"
    if not any(ch.isalpha() for ch in doc.text):
        return "no words: the text has no letters"
    return None


def extract(doc: PipelineDoc, *, pipeline: Pipeline, ctx: Context) -> PipelineDoc:
    """Run the pipeline on one document; return it with `events` (or `skipped` and no events)."""
    reason = _skip_reason(doc)
    if reason is not None:
        return dataclasses.replace(doc, events=(), skipped=reason)
    ctx = dataclasses.replace(ctx, options={**ctx.options, "stages": pipeline.names})
    result = pipeline.run(doc, ctx)
    if result.skipped:
        return dataclasses.replace(result, events=())
    if result.sentences is not None and not any(len(s.text) <= MAX_SENTENCE for s in result.sentences):
        reason = "no readable sentence" if not result.sentences else f"every sentence is over {MAX_SENTENCE} characters"
        return dataclasses.replace(result, events=(), skipped=reason)
    return result


def to_record(event: ExtractedEvent, doc_id: str, doc_name: str | None = None) -> dict[str, Any]:
    """The FORMAT.md record of one event, with extra keys (geo_precision, lat, lon, detail)."""
    record: dict[str, Any] = {
        "id": event_key(event, doc_id),
        "type": event.type,
        "date": event.date,
        "country": event.country,
        "admin1": event.admin1,
        "admin2": event.admin2,
        "place": event.place,
        "actor": event.actor,
        "claimed": event.claimed,
        "method": event.method,
        "target": event.target,
        "killed": event.killed,
        "injured": event.injured,
        "killed_claimed": event.killed_claimed,
        "injured_claimed": event.injured_claimed,
        "medium": event.medium,
        "languages": sorted(event.languages) if event.languages else None,
        "outlet": event.outlet,
        "sources": [
            {
                "doc": doc_name or doc_id,
                "quote": e.quote,
                "document_id": doc_id,
                "start": e.start,
                "end": e.end,
                "fields": list(e.fields),
            }
            for e in event.evidence
        ],
        "geo_precision": event.geo_precision,
        "lat": event.lat,
        "lon": event.lon,
        "detail": {
            "casualties": _casualties_by_category(event),
            "length": dict(event.length),
            "provenance": _plain(event.provenance),
        },
    }
    return record


def _casualties_by_category(event: ExtractedEvent) -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = {}
    for c in event.casualties:
        if c.value is None:
            continue
        key = ("claimed_" if c.claimed else "") + c.kind
        row = table.setdefault(c.category or "unspecified", {})
        row[key] = row.get(key, 0) + c.value
    return table


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
