"""Event resolution: per-document events grouped into one record per real-world event.

A pure function over plain dicts (`resolve(events, documents=, decisions=)`); `Kwatch.resolve()`
reads the store, calls it and writes the result back. docs/resolution.md tells the same story.

1. Blocking. Events are compared only inside a block: the same type and country, and dates that
   can be the same day: day dates at most `WINDOW_DAYS` apart, or a month/year date with the days
   inside it. Undated events are never paired automatically. A coarse date (month or year) is
   compared with the whole period only when it holds at most `COARSE_LIMIT` events, else only with
   events of the same province. So the work grows with the number of events times the density of
   one block, not with the square of the number of events.
2. Decision. A pair scores points for each agreeing key (date, province, district, place by name
   or by coordinates, method, target, actor, figures; for releases medium, languages and outlet)
   and is ruled out by a hard conflict (other province, other perpetrator, other medium, dates
   outside the window, the same document: the extractor already keeps one document's events
   apart). A pair merges when it scores `STRONG` or more, or `WEAK` or more when each is the other's
   only candidate at all.
3. Clusters grow best pair first; two clusters join only when no pair across them conflicts and
   they share no document. Propaganda records sharing any release key (`release_groups`, the
   one definition of a release, which `releases.merge_sightings` uses too) are one release
   (several sightings). Analysts' decisions (merge, split) are applied on every run; the
   later decision wins where two disagree.
4. A claim of responsibility published as a release is linked to the attack it claims when the
   release came out on the attack's day or up to `CLAIM_DAYS` after it and its text names the
   attack's place.

Everything is sorted by id before it is used, so the result does not depend on input order, and
resolving a resolution's own input again gives the same result.
"""

from __future__ import annotations

import bisect
import gc
import hashlib
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from kwatch import lexicon
from kwatch.errors import Bug
from kwatch.pipeline.actors import is_islamic_state

if TYPE_CHECKING:
    from kwatch.store import Store

#: Day dates further apart than this are never the same event (reports give "Friday", "last
#: night", the publication day).
WINDOW_DAYS = 3
#: A month or year date is compared with every event of its period only up to this many.
COARSE_LIMIT = 200
#: A pair with this score merges without further question ...
STRONG = 4.0
#: ... and with this score when each event is the other's only candidate.
WEAK = 1.5
#: A claim may be released on the attack's day or up to this many days later.
CLAIM_DAYS = 7

_PRECISION_RANK = {"site": 0, "town": 1, "district": 2, "province": 3, "country": 4}
#: Coordinates this close (km) are one place, by the coarser precision of the two.
_NEAR_KM = {"site": 1.0, "town": 25.0, "district": 25.0}
#: Sites this far apart (km) with different names are different places.
_FAR_KM = 5.0
#: Methods a report may name for the same attack.
_METHOD_FAMILY = {"suicide_bombing": "bombing", "bombing": "bombing"}
#: The parent organisation: a branch named by another source (ISKP) is the more specific actor.
_GENERIC_ACTORS = frozenset({"IS"})
_TYPE_ORDER = ("attack", "plot", "raid", "arrest", "propaganda")
FIGURE_RULE = (
    "best: the figure most reports give; on a tie, the most recently published report's; "
    "low/high: the smallest/largest reported; claimed figures are kept apart"
)
#: The resolution rules' version, written into each resolve run (`runs.pipeline_version`): bump
#: the name when the rules change; the hash follows the tuning constants by itself.
RESOLVE_RULES = "resolve.v2"  # v2: one release = sightings sharing any release key; date_basis
_TUNING = (WINDOW_DAYS, COARSE_LIMIT, STRONG, WEAK, CLAIM_DAYS, sorted(_NEAR_KM.items()), _FAR_KM, sorted(_METHOD_FAMILY.items()), sorted(_GENERIC_ACTORS), FIGURE_RULE)
RESOLVE_VERSION = f"{RESOLVE_RULES}+{hashlib.sha256(repr(_TUNING).encode()).hexdigest()[:12]}"


@dataclass(frozen=True, slots=True)
class ResolveReport:
    events: int  # per-document events read
    resolved: int  # resolved events written
    merged: int  # resolved events with more than one member
    decisions: int  # analyst decisions applied


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


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """What resolution needs to know about a document."""

    id: str
    name: str
    published: str | None = None
    source: str | None = None
    language: str | None = None


@dataclass(slots=True)
class Resolved:
    """One resolved event: its record fields and its members with the reason each joined."""

    id: str
    record: dict[str, Any]
    members: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


# -- public -------------------------------------------------------------------------------------


def resolve(
    events: Iterable[Mapping[str, Any]],
    *,
    documents: Mapping[str, DocumentInfo] | None = None,
    decisions: Sequence[Mapping[str, Any]] = (),
) -> list[Resolved]:
    """Group per-document events (dicts as `Store.events()` gives them, plus `document_id`) into
    resolved events, ordered by id. `decisions` are analyst decisions (`kind` merge/split,
    `event_ids`, `document_id`, `id`, `at`, `who`, `why`)."""
    # Scoring allocates millions of short-lived tuples beside a large live graph; the cyclic
    # collector's repeated full passes made 10⁵ events cost 16× the time of 10⁴. Nothing here
    # makes reference cycles, so reference counting alone frees it all.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _resolve(events, documents=documents, decisions=decisions)
    finally:
        if collecting:
            gc.enable()


def _resolve(
    events: Iterable[Mapping[str, Any]],
    *,
    documents: Mapping[str, DocumentInfo] | None,
    decisions: Sequence[Mapping[str, Any]],
) -> list[Resolved]:
    by_id: dict[str, Mapping[str, Any]] = {}
    for event in events:
        if "document_id" not in event or "id" not in event:
            raise Bug(f"event handed to resolve() lacks id/document_id: {sorted(event)}")
        by_id[event["id"]] = event
    documents = documents or {}
    items = {eid: _Item.of(by_id[eid]) for eid in sorted(by_id)}
    clusters = _Clusters(items)
    ordered = sorted(decisions, key=lambda d: (str(d.get("at")), d.get("id") or 0))
    cannot = _cannot_pairs(ordered, items)

    # Release sightings first: a repost is the same release whatever the scores say.
    releases = [eid for eid, item in items.items() if item.type == "propaganda" and item.release_keys]
    for group in release_groups([items[eid].release_keys for eid in releases]):
        first, *rest = (releases[i] for i in group)
        for other in rest:
            shared = sorted(set(items[other].release_keys) & set(items[first].release_keys)) or sorted(items[other].release_keys)
            clusters.join(first, other, {"kind": "release_key", "with": first, "release_key": shared[0]}, cannot=cannot, check=False)

    for score, a, b, matched in _accepted_pairs(items):
        clusters.join(a, b, {"kind": "auto", "with": a, "score": round(score, 2), "matched": matched}, cannot=cannot, check=True)
    # After the pairs across documents, so a fragment that conflicts with another report of its
    # event stays apart rather than keeping the reports apart.
    for dated, fragment, matched in _fragment_folds(items):
        clusters.join(dated, fragment, {"kind": "fragment", "matched": matched}, cannot=cannot, check=True, same_document=True)

    for decision in ordered:
        if decision["kind"] != "merge":
            continue
        present = sorted(i for i in decision["event_ids"] if i in items)
        for other in present[1:]:
            reason = {"kind": "analyst", "decision": decision.get("id"), "with": present[0], "who": decision.get("who"), "why": decision.get("why")}
            clusters.join(present[0], other, reason, cannot=cannot, check=False)

    resolved = [_merge(ids, items, clusters, documents) for ids in clusters.groups()]
    _link_claims(resolved, items, documents)
    return sorted(resolved, key=lambda r: r.id)


def resolve_store(store: Store, *, name: Callable[[Mapping[str, Any]], str] = lambda info: str(info["id"])) -> ResolveReport:
    """Resolve every event in `store` with its analyst decisions and replace the stored
    resolution, recorded as a run of kind 'resolve' (`RESOLVE_VERSION`). The input (events, their
    documents, decisions) is read in one snapshot, so a concurrent extraction is seen whole or not
    at all; the result is written in one transaction that also finishes the run. An interrupted
    run stays unfinished (`Kwatch.resolution_status()` says so). `name` gives a document's
    display name from its `Store.document_infos()` row."""
    run = store.start_run("resolve", scope="all", pipeline_version=RESOLVE_VERSION)
    with store.snapshot():
        owner = store.event_document_ids()
        stored = [e.as_dict() for e in store.events()]  # resolve.py takes typed events after issue 12
        infos = store.document_infos()
        decisions = store.decisions()
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
    store.replace_resolution([r.record for r in resolved], members, run=run)
    return ResolveReport(
        events=len(events), resolved=len(resolved), merged=sum(1 for r in resolved if len(r.members) > 1), decisions=len(decisions)
    )


def release_keys(detail: Mapping[str, Any]) -> tuple[str, ...]:
    """The keys that identify a propaganda release (file hash, caption, forwarded message …;
    `kwatch.releases`): its `detail.release_keys`, else its one `release_key`."""
    keys = detail.get("release_keys") or ([detail["release_key"]] if detail.get("release_key") else [])
    return tuple(str(k) for k in keys)


def release_groups(keys: Sequence[Iterable[str]]) -> list[list[int]]:
    """What one release is, defined once: sightings sharing any one release key are one release
    (transitively). `keys[i]` are the keys of sighting i; returns the groups of indices, each in
    index order, ordered by their first index. Resolution joins each group into one event;
    `kwatch.releases.merge_sightings` merges per-post records the same way."""
    parent = list(range(len(keys)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, held in enumerate(keys):
        for key in held:
            if key in owner:
                a, b = root(i), root(owner[key])
                parent[max(a, b)] = min(a, b)
            else:
                owner[key] = i
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(keys)):
        groups[root(i)].append(i)
    return [groups[r] for r in sorted(groups)]


def record_dates_compatible(a: str | None, b: str | None) -> bool:
    """One date is a prefix of the other (or either is unknown)."""
    return a is None or b is None or a.startswith(b) or b.startswith(a)


# -- items --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Item:
    id: str
    document_id: str
    type: str
    date: str | None
    day: int | None  # ordinal of a day date
    country: str | None
    admin1: str | None
    admin2: str | None
    place: str | None
    place_key: str
    precision: str | None
    lat: float | None
    lon: float | None
    actor: str | None
    method: str | None
    target: str | None
    killed: int | None
    injured: int | None
    medium: str | None
    languages: frozenset[str]
    outlet: str | None
    release_keys: tuple[str, ...]
    raw: Mapping[str, Any]
    date_from_publication: bool = False  # the text gave no date; the report's day stands in

    @staticmethod
    def of(e: Mapping[str, Any]) -> _Item:
        day = None
        if e.get("date") and len(e["date"]) == 10:
            day = Date.fromisoformat(e["date"]).toordinal()
        detail = e.get("detail") or {}
        return _Item(
            id=e["id"],
            document_id=e["document_id"],
            type=e["type"],
            date=e.get("date"),
            day=day,
            country=e.get("country"),
            admin1=e.get("admin1"),
            admin2=e.get("admin2"),
            place=e.get("place"),
            place_key=_norm(e.get("place")),
            precision=e.get("geo_precision"),
            lat=e.get("lat"),
            lon=e.get("lon"),
            actor=e.get("actor"),
            method=e.get("method"),
            target=e.get("target"),
            killed=e.get("killed"),
            injured=e.get("injured"),
            medium=e.get("medium"),
            languages=frozenset(e.get("languages") or ()),
            outlet=e.get("outlet"),
            release_keys=release_keys(detail),
            raw=e,
            date_from_publication=e.get("date_basis") == "publication_day",
        )


def _norm(text: str | None) -> str:
    """Case-, accent- and punctuation-blind form of a name."""
    if not text:
        return ""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[\W_]+", " ", folded).split())


def _km(a: _Item, b: _Item) -> float | None:
    if None in (a.lat, a.lon, b.lat, b.lon):
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))  # type: ignore[arg-type]
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


# -- blocking -----------------------------------------------------------------------------------


def _candidate_pairs(items: Mapping[str, _Item]) -> Iterable[tuple[str, str]]:
    """Pairs (a < b) that share a block, each once. A block is a type and a country; an event
    with no country is compared with every country's events of its type and dates."""
    by_type: dict[str, list[_Item]] = defaultdict(list)
    for item in items.values():
        if item.date is not None:
            by_type[item.type].append(item)
    seen: set[tuple[str, str]] = set()
    for kind in sorted(by_type):
        for a, b in _block_pairs(sorted(by_type[kind], key=lambda i: i.id)):
            key = (a, b) if a < b else (b, a)
            if a != b and key not in seen:
                seen.add(key)
                yield key


def _block_pairs(group: list[_Item]) -> Iterable[tuple[str, str]]:
    """Candidate pairs among the dated events of one type."""
    days = sorted((i for i in group if i.day is not None), key=lambda i: (i.day, i.id))
    ordinals = [i.day for i in days if i.day is not None]
    by_country: dict[str | None, list[_Item]] = defaultdict(list)
    for item in days:
        by_country[item.country].append(item)
    for country in sorted(by_country, key=lambda c: c or ""):
        block = by_country[country]
        for n, item in enumerate(block):
            if country is None and item.day is not None:  # `days` holds day-dated events only
                # No country: every event of the type inside the window.
                lo = bisect.bisect_left(ordinals, item.day - WINDOW_DAYS)
                hi = bisect.bisect_right(ordinals, item.day + WINDOW_DAYS)
                yield from ((item.id, other.id) for other in days[lo:hi])
                continue
            for k in range(n + 1, len(block)):  # indices, not a slice: a slice copies the rest
                if block[k].day - item.day > WINDOW_DAYS:  # type: ignore[operator]
                    break
                yield (item.id, block[k].id)
    # Coarse dates (month, year) against every event in their period and country, or, when the
    # period is crowded, the events of the same province.
    by_period: dict[tuple[str | None, str], list[_Item]] = defaultdict(list)
    for item in group:
        for period in {item.date[:4], item.date[:7]}:  # type: ignore[index]
            by_period[(item.country, period)].append(item)
            by_period[("*", period)].append(item)
    for item in group:
        if item.day is not None:
            continue
        if item.country is None:
            pool = by_period[("*", item.date)]  # type: ignore[index]
        else:
            pool = by_period[(item.country, item.date)] + by_period[(None, item.date)]  # type: ignore[index]
        if len(pool) > COARSE_LIMIT:
            pool = [p for p in pool if item.admin1 is not None and p.admin1 == item.admin1]
        yield from ((item.id, other.id) for other in pool)


# -- decision -----------------------------------------------------------------------------------


def _conflicts(a: _Item, b: _Item) -> bool:
    """Two events that cannot be the same real event, whatever else they share."""
    if a.type != b.type:
        return True
    if a.country and b.country and a.country != b.country:
        return True
    if a.admin1 and b.admin1 and a.admin1 != b.admin1:
        return True
    if a.day is not None and b.day is not None:
        if abs(a.day - b.day) > WINDOW_DAYS:
            return True
    elif not record_dates_compatible(a.date, b.date):
        return True
    if a.actor and b.actor and a.actor != b.actor and not (is_islamic_state(a.actor) and is_islamic_state(b.actor)):
        return True
    km = _km(a, b)
    if km is not None and a.precision == b.precision == "site" and km > _FAR_KM and a.place_key != b.place_key:
        return True
    if a.type == "propaganda":
        if any(getattr(a, n) and getattr(b, n) and getattr(a, n) != getattr(b, n) for n in ("medium", "outlet")):
            return True
        if a.languages and b.languages and not a.languages & b.languages:
            return True
        # One release is the sightings sharing a release key (`release_groups`): two sightings
        # that each have keys and share none are two releases, however alike.
        if a.release_keys and b.release_keys and not set(a.release_keys) & set(b.release_keys):
            return True
    return False


def _score(a: _Item, b: _Item) -> tuple[float, list[str]] | None:
    """Points for the keys two dated events of different documents agree on, or None when they
    cannot be the same event."""
    if a.document_id == b.document_id or a.date is None or b.date is None or _conflicts(a, b):
        return None
    matched = ["type"] + (["country"] if a.country and a.country == b.country else [])
    score = 0.0
    if a.day is not None and b.day is not None and (a.date_from_publication or b.date_from_publication):
        # Two reports of one day that name no date: a weak hint, not a shared date.
        score += 0.5
        matched.append("publication day")
    elif a.day is not None and b.day is not None:
        gap = abs(a.day - b.day)
        score += {0: 2.0, 1: 1.0}.get(gap, 0.5)
        matched.append("date" if gap == 0 else f"date±{gap}")
    else:
        score += 0.5 if min(len(a.date), len(b.date)) >= 7 else 0.25
        matched.append("date⊂")
    if a.admin1 and b.admin1:
        score += 1.0
        matched.append("admin1")
    if a.admin2 and b.admin2:
        if a.admin2 == b.admin2:
            score += 1.0
            matched.append("admin2")
        else:
            score -= 1.0
    points, name = _place_score(a, b)
    score += points
    matched += [name] if name else []
    if a.actor and b.actor:
        score += 0.5 if a.actor == b.actor else 0.25
        matched.append("actor" if a.actor == b.actor else "actor~")
    if a.type == "propaganda":
        return _release_score(a, b, score, matched)
    if a.method and b.method:
        if a.method == b.method:
            score += 1.0
            matched.append("method")
        elif _METHOD_FAMILY.get(a.method, a.method) == _METHOD_FAMILY.get(b.method, b.method):
            score += 0.5
            matched.append("method~")
        else:
            score -= 1.0
    if a.target and b.target and a.target == b.target:
        score += 0.5
        matched.append("target")
    for name, full in (("killed", 1.5), ("injured", 1.0)):
        x, y = getattr(a, name), getattr(b, name)
        if x is None or y is None:
            continue
        if x == y:
            score += full
            matched.append(name)
        elif abs(x - y) <= max(2, 0.25 * max(x, y)):
            score += full / 2
            matched.append(f"{name}~")
    return score, matched


def _same_place(a: _Item, b: _Item) -> bool:
    return bool(a.place_key and b.place_key and (a.place_key in b.place_key or b.place_key in a.place_key))


def _place_score(a: _Item, b: _Item) -> tuple[float, str | None]:
    if _same_place(a, b):
        return 1.5, "place"
    if a.place_key and b.place_key and a.precision == b.precision:
        # Two named places of the same kind that are not the same one (two sites, two towns).
        return (-1.5 if a.precision == "site" else -1.0), None
    km = _km(a, b)
    coarser = max((a.precision, b.precision), key=lambda p: _PRECISION_RANK.get(p or "", 9))
    if km is not None and coarser in _NEAR_KM and km <= _NEAR_KM[coarser]:
        return 1.0, "place~coordinates"  # a site inside the town another report names
    return 0.0, None


def _release_score(a: _Item, b: _Item, score: float, matched: list[str]) -> tuple[float, list[str]]:
    for name in ("medium", "outlet"):
        if getattr(a, name) and getattr(b, name):
            score += 1.0
            matched.append(name)
    if a.languages and b.languages:
        score += 1.5 if a.languages == b.languages else 0.5
        matched.append("languages" if a.languages == b.languages else "languages~")
    return score, matched


def _fragment_folds(items: Mapping[str, _Item]) -> list[tuple[str, str, list[str]]]:
    """(dated event, undated event, keys) of one document: an undated event (often the headline
    of a report told again, dated, in its body) folds into the only dated event of its document
    with the same type and an agreeing place, province or district."""
    by_document: dict[str, list[_Item]] = defaultdict(list)
    for item in items.values():
        by_document[item.document_id].append(item)
    folds = []
    for document in sorted(by_document):
        events = by_document[document]
        dated = [e for e in events if e.date is not None]
        for fragment in sorted((e for e in events if e.date is None), key=lambda e: e.id):
            found = []
            for event in dated:
                if _conflicts(fragment, event):
                    continue
                agreements = (
                    ("place", _same_place(fragment, event)),
                    ("admin2", bool(fragment.admin2) and fragment.admin2 == event.admin2),
                    ("admin1", bool(fragment.admin1) and fragment.admin1 == event.admin1),
                )
                keys = [k for k, same in agreements if same]
                if keys:
                    found.append((event.id, keys))
            if len(found) == 1:
                folds.append((found[0][0], fragment.id, ["type", *found[0][1], "same document", "only dated event"]))
    return folds


def _accepted_pairs(items: Mapping[str, _Item]) -> list[tuple[float, str, str, list[str]]]:
    """Scored pairs that may merge, best first (ties by ids)."""
    scored: list[tuple[float, str, str, list[str]]] = []
    options: Counter[str] = Counter()  # per event: its candidates at WEAK or more
    for a, b in _candidate_pairs(items):
        result = _score(items[a], items[b])
        if result is None or result[0] < WEAK:
            continue
        scored.append((result[0], a, b, result[1]))
        options[a] += 1
        options[b] += 1
    accepted = []
    for score, a, b, matched in scored:
        # Reports dated only by their publication day need the strong evidence of place and figures.
        publication_dated = "publication day" in matched
        if publication_dated and not ("place" in matched and "killed" in matched):
            continue
        unique = options[a] == 1 and options[b] == 1 and not publication_dated
        if score >= STRONG or unique:
            accepted.append((score, a, b, matched + ([] if score >= STRONG else ["only candidate"])))
    return sorted(accepted, key=lambda t: (-t[0], t[1], t[2]))


def _cannot_pairs(ordered: Sequence[Mapping[str, Any]], items: Mapping[str, _Item]) -> set[frozenset[str]]:
    """Pairs an analyst split apart: the split document's events × the events that stayed. A
    later merge naming both sides lifts the split; a merge older than the split gives way to it."""
    by_document: dict[str, list[str]] = defaultdict(list)
    for item in items.values():
        by_document[item.document_id].append(item.id)
    cannot: set[frozenset[str]] = set()
    for decision in ordered:
        if decision["kind"] == "split":
            for moved in by_document.get(decision.get("document_id") or "", []):
                cannot.update(frozenset((moved, stays)) for stays in decision["event_ids"] if stays != moved)
        elif decision["kind"] == "merge":
            named = set(decision["event_ids"])
            cannot = {pair for pair in cannot if not pair <= named}
        else:
            raise Bug(f"analyst decision kind {decision['kind']!r} is not merge or split")
    return cannot


class _Clusters:
    """Union-find over event ids that keeps the joins (edges) it made, to explain them."""

    def __init__(self, items: Mapping[str, _Item]) -> None:
        self.items = items
        self.parent = {eid: eid for eid in items}
        self.members = {eid: [eid] for eid in items}
        self.edges: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)

    def find(self, eid: str) -> str:
        while self.parent[eid] != eid:
            self.parent[eid] = self.parent[self.parent[eid]]
            eid = self.parent[eid]
        return eid

    def join(
        self,
        a: str,
        b: str,
        reason: dict[str, Any],
        *,
        cannot: set[frozenset[str]],
        check: bool,
        same_document: bool = False,
    ) -> bool:
        """Join the clusters of a and b unless an analyst split them apart, or (with `check`) a
        pair across them conflicts or they share a document (unless `same_document`)."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        left, right = self.members[ra], self.members[rb]
        if any(frozenset((x, y)) in cannot for x in left for y in right):
            return False
        if check:
            if not same_document and {self.items[x].document_id for x in left} & {self.items[y].document_id for y in right}:
                return False
            if any(_conflicts(self.items[x], self.items[y]) for x in left for y in right):
                return False
        keep, gone = (ra, rb) if ra < rb else (rb, ra)
        self.parent[gone] = keep
        self.members[keep] = sorted(self.members[keep] + self.members.pop(gone))
        self.edges[a].append((b, reason))
        self.edges[b].append((a, reason))
        return True

    def reasons(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        """Why each member is in the cluster: the join that reached it from the first member
        (breadth first, neighbours in id order), with `with` naming the member it was paired with."""
        found = {ids[0]: {"kind": "first"}}
        queue = [ids[0]]
        while queue:
            current = queue.pop(0)
            for other, reason in sorted(self.edges.get(current, []), key=lambda e: e[0]):
                if other not in found:
                    found[other] = {**reason, "with": current}
                    queue.append(other)
        return found

    def groups(self) -> list[list[str]]:
        return sorted(self.members[root] for root in {self.find(e) for e in self.parent})


# -- the merged record --------------------------------------------------------------------------


def _merge(ids: list[str], items: Mapping[str, _Item], clusters: _Clusters, documents: Mapping[str, DocumentInfo]) -> Resolved:
    members = [items[i] for i in ids]
    rid = ids[0]
    record: dict[str, Any] = {"id": rid}
    record["type"] = _most_common([m.type for m in members], prefer=_TYPE_ORDER)
    record["date"] = _pick_date([m.date for m in members])
    where = min(members, key=lambda m: (_PRECISION_RANK.get(m.precision or "", 9), m.place is None, m.id))
    for name in ("country", "admin1", "admin2", "place"):
        record[name] = getattr(where, name) or _most_common([getattr(m, name) for m in members if _fits(m, where)])
    record.update(geo_precision=where.precision, lat=where.lat, lon=where.lon)
    record["actor"] = _pick_actor([m.actor for m in members])
    claims = [m.raw.get("claimed") for m in members]
    record["claimed"] = True if True in claims else (False if False in claims else None)
    record["method"] = _most_common([m.method for m in members], prefer=_priority("methods"))
    record["target"] = _most_common([m.target for m in members], prefer=_priority("targets"))
    record["medium"] = _most_common([m.medium for m in members])
    record["outlet"] = _most_common([m.outlet for m in members])
    record["languages"] = sorted({lang for m in members for lang in m.languages})

    figures = [_figures(m, documents) for m in members]
    killed_from = None
    for name in ("killed", "injured"):
        best, low, high, chosen = _best_figure(figures, name)
        record.update({name: best, f"{name}_low": low, f"{name}_high": high})
        killed_from = chosen if name == "killed" else killed_from
    for name in ("killed_claimed", "injured_claimed"):
        record[name] = _best_figure(figures, name)[0]
    # Victims by category from the report whose toll was chosen, so the parts fit the whole.
    casualties = (killed_from or {}).get("casualties") or _most_detailed(figures)
    record["detail"] = {
        "members": ids,
        "documents": sorted({m.document_id for m in members}),
        "figures": figures,
        "figure_rule": FIGURE_RULE,
        "casualties": casualties,
    }
    reasons = clusters.reasons(ids)
    return Resolved(rid, record, [(eid, reasons[eid]) for eid in ids])


def _fits(m: _Item, where: _Item) -> bool:
    """A member's location can fill a gap in the chosen one when it is in the same country."""
    return where.country is None or m.country in (None, where.country)


def _figures(m: _Item, documents: Mapping[str, DocumentInfo]) -> dict[str, Any]:
    doc = documents.get(m.document_id)
    sources = m.raw.get("sources") or []
    quote = next((s["quote"] for s in sources if {"killed", "injured"} & set(s.get("fields") or ())), None)
    if quote is None and sources:
        quote = sources[0]["quote"]
    return {
        "event_id": m.id,
        "document_id": m.document_id,
        "doc": doc.name if doc else m.document_id,
        "stated_by": doc.source if doc else None,
        "published": doc.published if doc else None,
        "date": m.date,
        "claimed": m.raw.get("claimed"),
        "killed": m.killed,
        "injured": m.injured,
        "killed_claimed": m.raw.get("killed_claimed"),
        "injured_claimed": m.raw.get("injured_claimed"),
        "casualties": dict((m.raw.get("detail") or {}).get("casualties") or {}),
        "quote": quote,
    }


def _best_figure(figures: Sequence[Mapping[str, Any]], name: str) -> tuple[int | None, int | None, int | None, Mapping[str, Any] | None]:
    """(best, low, high, the report the best came from) by FIGURE_RULE."""
    stated = [f for f in figures if f.get(name) is not None]
    if not stated:
        return None, None, None, None
    counts = Counter(f[name] for f in stated)
    chosen = max(stated, key=lambda f: (counts[f[name]], f.get("published") or "", f[name], f["event_id"]))
    values = [f[name] for f in stated]
    return chosen[name], min(values), max(values), chosen


def _most_detailed(figures: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    tables: list[dict[str, Any]] = [f["casualties"] for f in figures if f.get("casualties")]
    if not tables:
        return {}
    best = max(tables, key=lambda t: (len(t), sorted(t)))
    return dict(best)


def _most_common(values: Iterable[Any], *, prefer: Sequence[str] = ()) -> Any:
    counts = Counter(v for v in values if v is not None)
    if not counts:
        return None
    rank = {v: n for n, v in enumerate(prefer)}
    return min(counts, key=lambda v: (-counts[v], rank.get(v, len(rank)), str(v)))


def _pick_date(dates: Iterable[str | None]) -> str | None:
    """The most precise date; among those the most frequent, then the earliest."""
    known = [d for d in dates if d]
    if not known:
        return None
    finest = max(len(d) for d in known)
    counts = Counter(d for d in known if len(d) == finest)
    return min(counts, key=lambda d: (-counts[d], d))


def _pick_actor(actors: Iterable[str | None]) -> str | None:
    counts = Counter(a for a in actors if a)
    if not counts:
        return None
    return min(counts, key=lambda a: (-counts[a], a in _GENERIC_ACTORS, a))


@cache
def _priority(name: str) -> tuple[str, ...]:
    # Canonical values are language-independent; the English lexicon holds the shared order.
    return tuple(lexicon.load(name, "en")["priority"])


# -- claims -------------------------------------------------------------------------------------


@cache
def _claim_pattern(language: str) -> re.Pattern[str] | None:
    if language not in lexicon.available("claims"):
        return None
    phrases = lexicon.load("claims", language)["claim"]
    return re.compile(r"\b(?:" + "|".join(phrases) + r")\b", re.IGNORECASE)


def _link_claims(resolved: list[Resolved], items: Mapping[str, _Item], documents: Mapping[str, DocumentInfo]) -> None:
    """Link each claim release to the one attack it claims (date and place agree)."""
    attacks_by_day: dict[int, list[Resolved]] = defaultdict(list)
    for r in resolved:
        date = r.record["date"]
        if r.record["type"] == "attack" and date and len(date) == 10:
            attacks_by_day[Date.fromisoformat(date).toordinal()].append(r)
    for release in resolved:
        date = release.record["date"]
        if release.record["type"] != "propaganda" or not date or len(date) != 10:
            continue
        quotes = _claim_quotes(release, items, documents)
        if not quotes:
            continue
        text = _norm(" ".join(quotes))
        day = Date.fromisoformat(date).toordinal()
        found = [
            attack
            for back in range(CLAIM_DAYS + 1)
            for attack in attacks_by_day.get(day - back, [])
            if _names_place(text, attack.record)
        ]
        if len({a.id for a in found}) != 1:
            continue  # none, or ambiguous: an analyst can merge by hand
        attack = found[0]
        attack.record["claimed"] = True
        attack.record["detail"].setdefault("claimed_by", []).append(release.id)
        release.record["detail"]["claims"] = attack.id


def _claim_quotes(release: Resolved, items: Mapping[str, _Item], documents: Mapping[str, DocumentInfo]) -> list[str]:
    quotes = []
    for eid, _ in release.members:
        item = items[eid]
        doc = documents.get(item.document_id)
        pattern = _claim_pattern((doc.language if doc else None) or "en")
        for source in item.raw.get("sources") or []:
            if pattern is not None and pattern.search(source["quote"]):
                quotes.append(source["quote"])
    return quotes


def _names_place(text: str, record: Mapping[str, Any]) -> bool:
    names = [_norm(record.get(k)) for k in ("place", "admin2", "admin1")]
    return any(n and re.search(rf"\b{re.escape(n)}\b", text) for n in names)
