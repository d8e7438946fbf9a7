"""Event resolution: per-document events grouped into one record per real-world event.

A pure function over plain dicts (`resolve(events, documents=, decisions=)`); `Kwatch.resolve()`
reads the store, calls it and writes the result back. docs/resolution.md tells the same story.

1. Blocking (`blocking.py`). Events are compared only with their candidates: events of the
   same type that share a key (their day, or their report's publication day, within
   `WINDOW_DAYS`; the period of a month or year date, crowded past `COARSE_LIMIT`; a rare word
   of their sentences, for an event with no day date; their document; a release key) and whose
   countries and dates can be one event's. So the work grows with the number of events times
   the density of a day, not with the square of the number of events.
2. Decision. A pair is ruled out by a hard conflict (other type, country, province or
   perpetrator, text dates outside the window, two text-dated events of one report, two
   releases by their keys) and otherwise weighed by the pair model (`features.py`, `model.py`):
   a logistic regression over named features, fitted by `scripts/fit_resolution.py` on labelled
   pairs of the gold sets and shipped in `data/resolution_model.json`. A pair merges when its
   probability is at least the model's threshold, unless a member is ambiguous (it would join
   two members that conflict) or a pair across the two clusters has evidence against (`VETO`).
3. Clusters grow best pair first; two clusters join only when no pair across them conflicts and
   they share no document. Propaganda records sharing any release key are one release (several
   sightings): `kwatch.releases.release_groups`, the one definition of a release, which
   `releases.merge_sightings` uses too. Analysts' decisions (merge, split) are applied on every run; the
   later decision wins where two disagree.
4. A claim of responsibility published as a release is linked to the attack it claims when the
   release came out on the attack's day or up to `CLAIM_DAYS` after it and its text names the
   attack's place.

Everything is sorted by id before it is used, so the result does not depend on input order, and
resolving a resolution's own input again gives the same result. `resolve_store` resolves only
the part of the stored resolution a batch changes (`incremental.py`), with the same result.
"""


from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kwatch.errors import Bug
from kwatch.releases import release_groups
from kwatch.resolve.claims import link_claims
from kwatch.resolve.clusters import Clusters, cannot_pairs
from kwatch.resolve.decision import accepted_pairs, fragment_folds
from kwatch.resolve.fields import merge
from kwatch.resolve.members import DocumentInfo, Member, Resolved, record_dates_compatible
from kwatch.resolve.rules import RESOLVE_VERSION, VETO

if TYPE_CHECKING:
    from kwatch.store import Store
__all__ = [
    "DocumentInfo",
    "RESOLVE_VERSION",
    "Resolved",
    "ResolutionStatus",
    "ResolveReport",
    "record_dates_compatible",
    "release_groups",
    "resolve",
    "resolve_store",
]


@dataclass(frozen=True, slots=True)
class ResolveReport:
    events: int  # per-document events in the store
    resolved: int  # resolved events in the store
    merged: int  # resolved events with more than one member
    decisions: int  # analyst decisions applied
    full: bool = True  # every event was resolved (else: only the part that changed)
    redone: int = 0  # events resolved by this run (all of them when full)


@dataclass(frozen=True, slots=True)
class ResolutionStatus:
    """Whether the stored resolution (what every read serves) is of the events as they are now.

    Reads never resolve: after an extraction that was not followed by a resolution (it was
    interrupted, or goes on in another process) they serve the last complete one and say so."""

    current: bool
    resolved_at: datetime | None  # when the last finished resolve run finished (None: never)
    unresolved_events: int  # extracted events no resolved event holds (new since, or never resolved)
    vanished_events: int  # resolved events' members that were re-extracted away since
    documents_extracted_since: int  # documents (re-)extracted after the last resolution started
    unfinished_since: datetime | None = None  # a resolve run started then and never finished (running or interrupted)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (times as ISO 8601 text)."""
        return {
            "current": self.current,
            "resolved_at": self.resolved_at.isoformat() if self.resolved_at else None,
            "unresolved_events": self.unresolved_events,
            "vanished_events": self.vanished_events,
            "documents_extracted_since": self.documents_extracted_since,
            "unfinished_since": self.unfinished_since.isoformat() if self.unfinished_since else None,
        }

    @staticmethod
    def of(state: Mapping[str, Any]) -> ResolutionStatus:
        """From `Store.resolution_state()`."""
        last, unfinished = state["last_run"], state["unfinished_run"]
        return ResolutionStatus(
            current=state["unresolved_events"] == 0 and state["vanished_members"] == 0 and state["documents_extracted_since"] == 0,
            resolved_at=last["finished_at"] if last else None,
            unresolved_events=state["unresolved_events"],
            vanished_events=state["vanished_members"],
            documents_extracted_since=state["documents_extracted_since"],
            unfinished_since=unfinished["started_at"] if unfinished else None,
        )


# -- public -------------------------------------------------------------------------------------


def resolve(
    events: Iterable[Mapping[str, Any]],
    *,
    documents: Mapping[str, DocumentInfo] | None = None,
    decisions: Sequence[Mapping[str, Any]] = (),
    context: Iterable[Mapping[str, Any]] = (),
    crowded: Collection[str] | None = None,
) -> list[Resolved]:
    """Group per-document events (dicts as `Store.events()` gives them, plus `document_id`) into
    resolved events, ordered by id. `decisions` are analyst decisions (`kind` merge/split,
    `event_ids`, `document_id`, `id`, `at`, `who`, `why`).

    `context`: events that are compared with `events` (blocking and the pair decisions see
    them, so each event's candidates are all there) but neither resolved nor joined: the
    neighbours of the part an incremental resolution redoes (`kwatch.resolve.incremental`);
    `crowded` then gives blocking the keys crowded in the whole store (`blocking.crowded_keys`)."""
    with _no_cycle_collection():
        return _resolve(events, documents=documents, decisions=decisions, context=context, crowded=crowded)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Scoring allocates millions of short-lived tuples beside a large live graph; the cyclic
    collector's repeated full passes made 10⁵ events cost 16× the time of 10⁴. Nothing here
    makes reference cycles, so reference counting alone frees it all (what does is collected
    after)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _resolve(
    events: Iterable[Mapping[str, Any]],
    *,
    documents: Mapping[str, DocumentInfo] | None,
    decisions: Sequence[Mapping[str, Any]],
    context: Iterable[Mapping[str, Any]],
    crowded: Collection[str] | None,
) -> list[Resolved]:
    by_id: dict[str, Mapping[str, Any]] = {}
    for event in events:
        if "document_id" not in event or "id" not in event:
            raise Bug(f"event handed to resolve() lacks id/document_id: {sorted(event)}")
        by_id[event["id"]] = event
    documents = documents or {}
    items = {eid: Member.of(by_id[eid], documents.get(by_id[eid]["document_id"])) for eid in sorted(by_id)}
    around = {e["id"]: e for e in context if e["id"] not in by_id}
    compared = {eid: items.get(eid) or Member.of(around[eid], documents.get(around[eid]["document_id"])) for eid in sorted(by_id.keys() | around.keys())}
    clusters = Clusters(items)
    ordered = sorted(decisions, key=lambda d: (str(d.get("at")), d.get("id") or 0))
    cannot = cannot_pairs(ordered, items)

    # Release sightings first: a repost is the same release whatever the scores say.
    releases = [eid for eid, item in items.items() if item.type == "propaganda" and item.release_keys]
    for group in release_groups([items[eid].release_keys for eid in releases]):
        first, *rest = (releases[i] for i in group)
        for other in rest:
            shared = sorted(set(items[other].release_keys) & set(items[first].release_keys)) or sorted(items[other].release_keys)
            clusters.join(first, other, {"kind": "release_key", "with": first, "release_key": shared[0]}, cannot=cannot, check=False)

    accepted, evidence = accepted_pairs(compared, documents, crowded=crowded)
    # A join that would put together two members with evidence against being one event (two
    # attacks told by one report, far-apart days) is not made: no chaining.
    against: dict[str, set[str]] = defaultdict(set)
    for pair_ids, value in evidence.items():
        if value < VETO:
            x, y = sorted(pair_ids)
            against[x].add(y)
            against[y].add(x)
    for pair in accepted:
        if pair.a not in items or pair.b not in items:
            continue  # a pair with a context event: that event is resolved elsewhere
        if against:
            left, right = clusters.sets.members(pair.a), set(clusters.sets.members(pair.b))
            if any(not against[x].isdisjoint(right) for x in left if x in against):
                continue
        reason = {"kind": "auto", "with": pair.a, "probability": round(pair.probability, 3), "evidence": pair.evidence, "matched": [p["feature"] for p in pair.evidence if p["weight"] > 0]}
        clusters.join(pair.a, pair.b, reason, cannot=cannot, check=True, same_document=True)
    # After the pairs across documents, so a fragment that conflicts with another report of its
    # event stays apart rather than keeping the reports apart.
    for dated, fragment, matched in fragment_folds(items):
        clusters.join(dated, fragment, {"kind": "fragment", "matched": matched}, cannot=cannot, check=True, same_document=True)

    for decision in ordered:
        if decision["kind"] != "merge":
            continue
        present = sorted(i for i in decision["event_ids"] if i in items)
        for other in present[1:]:
            reason = {"kind": "analyst", "decision": decision.get("id"), "with": present[0], "who": decision.get("who"), "why": decision.get("why")}
            clusters.join(present[0], other, reason, cannot=cannot, check=False)

    resolved = [merge(ids, items, clusters, documents) for ids in clusters.groups()]
    link_claims(resolved, items, documents)
    return sorted(resolved, key=lambda r: r.id)


def resolve_store(
    store: Store, *, name: Callable[[Mapping[str, Any]], str] = lambda info: str(info["id"]), full: bool = False
) -> ResolveReport:
    """Resolve the events in `store` with their analyst decisions and store the result, recorded
    as a run of kind 'resolve' (`RESOLVE_VERSION`): incrementally when the stored resolution was
    made by these rules and kept its index (only the part the events new or changed since, the
    events gone and the new decisions touch is resolved again and replaced: scope 'part'; see
    `kwatch.resolve.incremental`), else, or with `full`, every event (scope 'all'). The result
    is the same. The input is read in one snapshot, so a concurrent extraction is seen whole or
    not at all; the result is written in one transaction that also finishes the run (a part
    only over the resolution it was worked out from: when another resolution finished
    meanwhile, it is worked out again, then a full run is done). An interrupted run stays
    unfinished (`Kwatch.resolution_status()` says so). `name` gives a document's display name
    from its `Store.document_infos()` row."""
    run = store.start_run("resolve", scope="all" if full else "part", pipeline_version=RESOLVE_VERSION)
    note = None
    with _no_cycle_collection():  # 10⁵ events and their rows, read and written (see resolve())
        if not full:
            for _ in range(2):
                outcome = _resolve_part(store, run=run, name=name)
                if isinstance(outcome, ResolveReport):
                    return outcome
                note = outcome
                if outcome != _RACED:
                    break
        return _resolve_all(store, run=run, name=name, note=note)


#: Above this share of the store's events, a part is not worth it: a full resolution is done.
PART_SHARE = 0.5
_RACED = "a full resolution: another resolution finished while the part was worked out"


def _resolve_part(store: Store, *, run: int, name: Callable[[Mapping[str, Any]], str]) -> ResolveReport | str:
    """Resolve and write the part of the stored resolution that changed; or why a full
    resolution is done instead."""
    from kwatch.resolve.incremental import Changes, StoredResolution, resolve_part
    from kwatch.store.database import ResolutionIndex

    with store.snapshot():
        last = store.resolution_state()["last_run"]
        if last is None or last["pipeline_version"] != RESOLVE_VERSION:
            return "a full resolution: no earlier one by these rules (" + RESOLVE_VERSION + ")"
        found = store.resolution_changes()
        counts = store.resolution_counts()
        if found["indexed"] == 0 and counts["resolved"] > 0:
            return "a full resolution: the stored one kept no index"
        if found["dropped_decisions"]:
            return "a full resolution: analyst decisions it applied are no longer recorded"
        changes = Changes(dirty=frozenset(found["dirty"]), gone=frozenset(found["gone"]), decisions=frozenset(found["decisions"]))
        most = int(PART_SHARE * counts["events"])
        part = None
        if len(changes.dirty) + len(changes.gone) <= most:
            part = resolve_part(StoredResolution(store, name=name), changes, most=most) if changes else None
        elif changes:
            return f"a full resolution: {len(changes.dirty)} events new or changed and {len(changes.gone)} gone"
        decisions = len(store.decisions())
    if changes and part is None:
        return "a full resolution: the part to resolve again was more than half the events"
    resolved = part.resolved if part is not None else []
    members = [{"resolved_id": r.id, "event_id": eid, "reason": reason} for r in resolved for eid, reason in r.members]
    index = ResolutionIndex(
        keys=part.keys if part is not None else {},
        versions={eid: found["dirty"][eid] for eid in changes.dirty},
        decisions=changes.decisions,
        dropped=changes.gone,
    )
    note = (
        f"{part.events} events resolved again ({len(changes.dirty)} new or changed, {len(changes.gone)} gone, "
        f"{len(changes.decisions)} new decisions; {part.context} compared around them)"
        if part is not None
        else "nothing changed"
    )
    written = store.replace_resolution_part(
        part.removed if part is not None else [], [r.record for r in resolved], members, index=index, base_run=last["id"], run=run, note=note
    )
    if not written:
        return _RACED
    after = store.resolution_counts()
    return ResolveReport(
        events=after["events"], resolved=after["resolved"], merged=after["merged"], decisions=decisions,
        full=False, redone=part.events if part is not None else 0,
    )


def _resolve_all(store: Store, *, run: int, name: Callable[[Mapping[str, Any]], str], note: str | None) -> ResolveReport:
    """Resolve every event and replace the stored resolution (and its index)."""
    from kwatch.resolve.incremental import index_of
    from kwatch.store.database import ResolutionIndex

    with store.snapshot():
        owner = store.event_document_ids()
        stored = [e.as_dict() for e in store.events()]  # resolution takes typed events after issue 12
        infos = store.document_infos()
        decisions = store.decisions()
        versions = store.event_versions()
    missing = [e["id"] for e in stored if e["id"] not in owner]
    if missing:
        raise Bug(f"events {missing[:5]} have no document in the same snapshot of the store")
    events = [{**e, "document_id": owner[e["id"]]} for e in stored]
    documents = {
        d["id"]: DocumentInfo(id=d["id"], name=name(d), published=d["published"], source=d["source"], language=d["language"])
        for d in infos
    }
    resolved = resolve(events, documents=documents, decisions=decisions)
    members = [{"resolved_id": r.id, "event_id": eid, "reason": reason} for r in resolved for eid, reason in r.members]
    index = ResolutionIndex(
        keys=index_of(events, documents), versions={e["id"]: versions[e["id"]] for e in events}, decisions=[d["id"] for d in decisions]
    )
    store.replace_resolution([r.record for r in resolved], members, run=run, index=index, note=note)
    return ResolveReport(
        events=len(events), resolved=len(resolved), merged=sum(1 for r in resolved if len(r.members) > 1), decisions=len(decisions),
        full=True, redone=len(events),
    )
