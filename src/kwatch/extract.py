"""Extraction as a library call: a document in, its events out, and events as FORMAT.md records.

`extract()` decides first whether a document can be read at all: a language without lexicons,
no letters, letters mostly in another script than the language's lexicons (mixed scripts), no
sentence, or nothing but over-long lines gives `skipped` with the reason and no event, never an
exception or an invented event.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections import Counter
from collections.abc import Iterator
from functools import cache, lru_cache
from typing import Any

from kwatch import lexicon
from kwatch.pipeline import Context, Pipeline, Stage
from kwatch.pipeline.events import MAX_SENTENCE, event_key
from kwatch.pipeline.model import ExtractedEvent, PipelineDoc
from kwatch.records import Event, Source
from kwatch.releases import RELEASE_KINDS

#: Lexicons a language needs before extraction runs on it.
REQUIRED_LEXICONS = ("events", "casualties", "dates")
#: Least share of a document's letters in the script(s) its language's lexicons are written in;
#: below it the text is mixed or in another script, and the rules would read noise.
MIN_SCRIPT_SHARE = 0.5
#: The stage that reads releases; it alone runs on release documents in other languages.
RELEASE_STAGE = "releases.v2"


def build_context(**options: Any) -> Context:
    """A context with the package gazetteer loaded."""
    from kwatch.gazetteer import load_gazetteer

    return Context(gazetteer=load_gazetteer(), options=dict(options))


@lru_cache(maxsize=1)
def _supported_languages() -> tuple[str, ...]:
    found = [set(lexicon.available(name)) for name in REQUIRED_LEXICONS]
    return tuple(sorted(set.intersection(*found))) if found else ()


def supported_languages() -> list[str]:
    """The languages that have every lexicon extraction needs (package data: read once)."""
    return list(_supported_languages())


@lru_cache(maxsize=8192)  # every letter of every document is asked about: a few hundred distinct ones
def script(ch: str) -> str:
    """The Unicode script a letter belongs to, as the first word of its name: 'LATIN', 'ARABIC', 'CJK' …"""
    return unicodedata.name(ch, "").partition(" ")[0]


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@cache
def lexicon_scripts(language: str) -> frozenset[str]:
    """The scripts the lexicons of `language` are written in ({'LATIN'} for English)."""
    declared = lexicon.load("dates", language).get("scripts")
    if declared:
        # A language whose lexicon keys are English words names its scripts ('uz': Latin and Cyrillic).
        return frozenset(declared)
    return frozenset(script(ch) for name in REQUIRED_LEXICONS for text in _strings(lexicon.load(name, language))
                     for ch in text if ch.isalpha())


def _skip_reason(doc: PipelineDoc) -> str | None:
    language = doc.language or "en"
    if language not in _supported_languages():
        return f"no lexicons for language {language!r} (supported: {', '.join(_supported_languages())})"
    letters = {ch: n for ch, n in Counter(doc.text).items() if ch.isalpha()}
    if not letters:
        return "no words: the text has no letters"
    scripts = lexicon_scripts(language)
    share = sum(n for ch, n in letters.items() if script(ch) in scripts) / sum(letters.values())
    if share < MIN_SCRIPT_SHARE:
        return (f"mixed scripts: {share:.0%} of the letters are in the script of the {language!r} lexicons "
                f"({', '.join(sorted(scripts)).title()}), {MIN_SCRIPT_SHARE:.0%} needed")
    return None


def _sentence_reason(doc: PipelineDoc) -> str | None:
    if doc.sentences is None or any(len(s.text) <= MAX_SENTENCE for s in doc.sentences):
        return None
    return "no readable sentence" if not doc.sentences else f"every sentence is over {MAX_SENTENCE} characters"


def _stop_unreadable(st: Stage, doc: PipelineDoc) -> str | None:
    """`Pipeline.run`'s hook: stop right after the sentences are split when none is readable, so
    that 1 MB of one line costs no later stage a pass over it."""
    return _sentence_reason(doc) if "sentences" in st.assigns else None


def extract(doc: PipelineDoc, *, pipeline: Pipeline, ctx: Context) -> PipelineDoc:
    """Run the pipeline on one document; return it with `events` (or `skipped` and no events).

    A stage that raises gives `kwatch.pipeline.StageFailure` naming it (the original as its
    `__cause__`); `run_extraction` turns that into one failed document of a batch."""
    reason = _skip_reason(doc)
    if reason is not None:
        # A channel post, feed item or PDF may be a release in any language, or a captionless video.
        if doc.kind in RELEASE_KINDS and RELEASE_STAGE in pipeline.names:
            only = Pipeline((RELEASE_STAGE,))
            result = only.run(doc, dataclasses.replace(ctx, options={**ctx.options, "stages": only.names}))
            if result.events:
                return result.but(notes=(*result.notes, f"only {RELEASE_STAGE}: {reason}"))
        return doc.but(events=(), skipped=reason)
    ctx = dataclasses.replace(ctx, options={**ctx.options, "stages": pipeline.names})
    result = pipeline.run(doc, ctx, after=_stop_unreadable)
    if result.skipped:
        return result.but(events=())
    return result


def to_event(event: ExtractedEvent, doc_id: str) -> Event:
    """The stored event (`kwatch.records.Event`) of one extracted event of document `doc_id`."""
    return Event(
        id=event_key(event, doc_id),
        document_id=doc_id,
        type=event.type,
        date=event.date,
        date_basis=event.date_basis,
        country=event.country,
        admin1=event.admin1,
        admin2=event.admin2,
        place=event.place,
        actor=event.actor,
        claimed=event.claimed,
        method=event.method,
        target=event.target,
        killed=event.killed,
        injured=event.injured,
        killed_claimed=event.killed_claimed,
        injured_claimed=event.injured_claimed,
        medium=event.medium,
        languages=tuple(sorted(event.languages)) if event.languages else None,
        outlet=event.outlet,
        sources=tuple(Source(document_id=doc_id, quote=e.quote, start=e.start, end=e.end, fields=tuple(e.fields)) for e in event.evidence),
        geo_precision=event.geo_precision,
        lat=event.lat,
        lon=event.lon,
        attribution=event.attribution.in_document(doc_id) if event.attribution is not None else None,
        detail={
            "casualties": _casualties_by_category(event),
            "length": dict(event.length),
            "provenance": _plain(event.provenance),
            **_plain(dict(event.detail)),
        },
    )


def to_record(event: ExtractedEvent, doc_id: str, doc_name: str | None = None) -> dict[str, Any]:
    """The FORMAT.md record of one event, with extra keys (geo_precision, lat, lon, detail);
    its sources name the document `doc_name` (default: its id)."""
    return to_event(event, doc_id).record({doc_id: doc_name or doc_id})


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
