"""Pairs of members labelled by a gold file: what the pair model (`resolve/model.py`) is fitted on.

A corpus (a folder with `manifest.jsonl`) is read by the default pipeline, one document at a
time, exactly as extraction stores it. Each member is labelled with the gold record of its
document it fits best (type, country, date and province compatible, the most agreeing fields,
by the rules of ../shared/eval/FORMAT.md as `kwatch.evaluate` applies them); a member that fits
no gold record, or two equally, is left out. Two labelled members of the same type are a pair
when they could be compared at all (`comparable`): positive when they carry the same gold
record, negative otherwise. Members of the wiki set, where every incident has one document,
give the hard negatives (two bombings in one city a week apart); the real reports, where one
incident is told by two to eight pages in several languages, give the positives.

`scripts/fit_resolution.py` fits the model on these pairs and writes `resolve/resolution_model.json`.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kwatch.resolve.decision import conflicts
from kwatch.resolve.features import features, shared_words
from kwatch.resolve.members import DocumentInfo, Member

#: Dated members further apart than this are never a training pair (nor a candidate).
PAIR_DAYS = 7
#: An undated member of another document and place is compared when this share of words is common.
UNDATED_WORDS = 0.1


@dataclass(frozen=True, slots=True)
class Pair:
    corpus: str
    a: str  # member ids
    b: str
    same: bool
    features: Mapping[str, float]


def corpus_input(corpus: Path, *, split: str | None = None) -> tuple[list[dict[str, Any]], dict[str, DocumentInfo]]:
    """The events of every document of `corpus` (of `split` only, when given) as `resolve()`
    takes them, and their documents."""
    from kwatch.evaluate import read_manifest
    from kwatch.extract import build_context, extract, to_event
    from kwatch.models import content_id
    from kwatch.pipeline.default import build_pipeline
    from kwatch.pipeline.model import PipelineDoc

    pipeline, ctx = build_pipeline(), build_context()
    events: list[dict[str, Any]] = []
    documents: dict[str, DocumentInfo] = {}
    for entry in read_manifest(corpus):
        if split is not None and entry.get("split") != split:
            continue
        text = (corpus / entry["doc"]).read_text(encoding="utf-8")
        doc = PipelineDoc(id=content_id(text), text=text, published=entry.get("published"), language=entry.get("language"))
        documents[doc.id] = DocumentInfo(id=doc.id, name=entry["doc"], published=entry.get("published"), source=entry.get("source"), language=entry.get("language"))
        for event in extract(doc, pipeline=pipeline, ctx=ctx).events or ():
            events.append({**to_event(event, doc.id).as_dict(), "document_id": doc.id})
    return events, documents


def stored_input(corpus: Path) -> tuple[list[dict[str, Any]], dict[str, DocumentInfo]]:
    """The events of `corpus` as `kwatch ingest` stores them (every reader: HTML, PDF, feeds,
    Telegram exports), read back from a temporary store, with their documents named as exports
    name them (a file name, a channel message `channel/id`)."""
    import tempfile

    import kwatch

    with tempfile.TemporaryDirectory(prefix="kwatch-train-") as tmp:
        with kwatch.open(str(Path(tmp) / "train.db")) as kw:
            kw.ingest([str(corpus)], extract=True)
            names = kw.document_names()
            infos = {d.id: d for d in kw.documents()}
            events = [e.as_dict() for e in kw.store.events()]  # per-document events, as resolution reads them
    documents = {
        doc_id: DocumentInfo(id=doc_id, name=names[doc_id], published=doc.published, source=doc.source, language=doc.language)
        for doc_id, doc in infos.items()
    }
    return events, documents


def labels(events: Sequence[Mapping[str, Any]], documents: Mapping[str, DocumentInfo], gold: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """member id -> the id of the gold record it tells (members that fit none, or two equally, are left out)."""
    from kwatch.evaluate import agreement, compatible
    from kwatch.records import Event

    by_doc: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for record in gold:
        for name in record.get("docs") or ():
            by_doc[name].append(record)
    found: dict[str, str] = {}
    for event in events:
        info = documents[event["document_id"]]
        record = Event.of(event).record({info.id: info.name})
        fits = [(agreement(dict(g), record), str(g["id"])) for g in by_doc.get(info.name, ()) if compatible(dict(g), record)]
        if not fits:
            continue
        best = max(score for score, _ in fits)
        chosen = {gid for score, gid in fits if score == best}
        if len(chosen) == 1:
            found[event["id"]] = chosen.pop()
    return found


def comparable(a: Member, b: Member) -> bool:
    """Two members that blocking could put side by side: one type, no two different countries,
    and dates at most `PAIR_DAYS` apart (a month or a year holds its days), unless a date is only
    a publication day."""
    if a.type != b.type or (a.country and b.country and a.country != b.country):
        return False
    if a.day is not None and b.day is not None and abs(a.day - b.day) <= PAIR_DAYS:
        return True
    if a.date and b.date and (a.date.startswith(b.date) or b.date.startswith(a.date)):
        return True
    if a.date and b.date and not (a.date_from_publication or b.date_from_publication):
        return False
    # An undated member, or one dated by a report's day, member is compared with what shares its document, its country or its words.
    return a.document_id == b.document_id or bool(a.country and a.country == b.country) or shared_words(a, b) >= UNDATED_WORDS


def pairs(corpus_name: str, events: Sequence[Mapping[str, Any]], documents: Mapping[str, DocumentInfo], gold: Sequence[Mapping[str, Any]]) -> list[Pair]:
    """The labelled pairs of one corpus, in id order."""
    labelled = labels(events, documents, gold)
    members = sorted((Member.of(e, documents.get(e["document_id"])) for e in events), key=lambda m: m.id)
    by_type: dict[str, list[Member]] = defaultdict(list)
    for m in members:
        by_type[m.type].append(m)
    valid: list[tuple[Member, Member]] = []
    for group in by_type.values():
        for i, a in enumerate(group):
            valid.extend((a, b) for b in group[i + 1:] if comparable(a, b) and not conflicts(a, b))
    # Every member counts for exclusivity, labelled or not, as in resolution.
    options = Counter(m.id for pair in valid for m in pair)
    found = [
        Pair(corpus_name, a.id, b.id, labelled[a.id] == labelled[b.id], features(a, b, exclusive=options[a.id] == options[b.id] == 1))
        for a, b in valid
        if a.id in labelled and b.id in labelled
    ]
    return found


def corpus_hash(folder: Path, gold: Path) -> str:
    """sha256 of a corpus's manifest, documents and gold file (what the fit was made on)."""
    digest = hashlib.sha256()
    for name, path in [(gold.name, gold), *sorted((p.relative_to(folder).as_posix(), p) for p in folder.rglob("*") if p.is_file())]:
        digest.update(name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def summary(found: Iterable[Pair]) -> dict[str, dict[str, int]]:
    """Per corpus: pairs and positive pairs."""
    table: dict[str, dict[str, int]] = defaultdict(lambda: {"pairs": 0, "same": 0})
    for p in found:
        table[p.corpus]["pairs"] += 1
        table[p.corpus]["same"] += p.same
    return dict(sorted(table.items()))
