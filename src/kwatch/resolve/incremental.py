"""Incremental resolution: resolve again only the part of the stored resolution a batch touches.

A batch is what changed since the stored resolution was made (`Changes`): events new or
re-extracted since (*dirty*), events it holds that are gone or were re-extracted (*gone*), and
analyst decisions it did not apply. `resolve_part` works out the part to redo, resolves it with
the pure `resolve()` and says which stored resolved events it replaces (`Part`); every other
resolved event stays exactly as it is (a resolved id is its smallest member's id).

The part is what the batch can change in a full resolution, so the result is the full one:

1. *Touched*: the changed events (dirty, gone, and the members whose candidates change because a
   key became crowded or stopped being: `blocking.crowded_keys`) and their candidates, new and
   old. A pair decision may depend on the two members' candidates ("only candidate"), so these
   are the events whose pairs can be decided otherwise; nothing else is.
2. *The part*: every stored resolved event holding a touched event, with all its members, and
   the dirty events; then, until nothing is added, the resolved events of whatever joins
   clusters to it: the other events of its documents (a headline fragment folds into its
   document's event), events sharing a release key, events an analyst merged with one of it,
   and the other end of any pair the decision accepts across its edge (a join refused before
   may succeed now); and claims: the releases that may name one of its attacks and the
   attacks its releases may name, within CLAIM_DAYS, and both ends of the claim links it had.
3. It is resolved with its candidates outside it as `context` (compared, not resolved, so every
   member's candidates are all there) and the store's crowded keys.

This holds for a decision that looks at the two members and, at most, their candidates, and
that accepts no fewer pairs when it sees fewer of them (the "only candidate" rule); a decision
that looked further would need a wider part. The tests resolve the same stores both ways
(tests/test_incremental.py). `resolve_part` returns None when the part would be larger than
`most` events: a full resolution is cheaper then.

`Previous` is what the part is worked out from: `StoredResolution` reads a `Store` (inside one
snapshot), `MemoryResolution` holds it in memory (tests and the benchmark).
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date as Date
from typing import TYPE_CHECKING, Any, Protocol

from kwatch.resolve.blocking import crowded_keys, expand, index_keys, limit, may_pair, prober_key
from kwatch.resolve.claims import claim_text, names_place
from kwatch.resolve.decision import accepted_pairs
from kwatch.resolve.members import DocumentInfo, Member, Resolved
from kwatch.resolve.rules import CLAIM_DAYS

if TYPE_CHECKING:
    from kwatch.store import Store

__all__ = ["Changes", "MemoryResolution", "Part", "Previous", "StoredResolution", "index_of", "resolve_part"]


class Previous(Protocol):
    """What `resolve_part` reads: the store as it is now (events, documents, decisions) and the
    stored resolution it redoes part of (its index, resolved events and their members)."""

    def events(self, ids: Collection[str]) -> dict[str, Mapping[str, Any]]:
        """The events now (dicts with `document_id`, as `resolve()` takes them) of these ids."""
        ...

    def documents(self, ids: Collection[str]) -> dict[str, DocumentInfo]: ...

    def document_events(self, document_ids: Collection[str]) -> dict[str, list[str]]:
        """The ids of each document's events now."""
        ...

    def decisions(self) -> Sequence[Mapping[str, Any]]:
        """Every analyst decision now."""
        ...

    def keys_of(self, ids: Collection[str]) -> dict[str, frozenset[str]]:
        """The keys these events are filed under in the stored resolution's index."""
        ...

    def filed_under(self, keys: Collection[str]) -> dict[str, list[str]]:
        """The events filed under each key in the stored resolution's index."""
        ...

    def key_counts(self, keys: Collection[str]) -> dict[str, int]:
        """How many events are filed under each key in the stored resolution's index."""
        ...

    def groups_of(self, ids: Collection[str]) -> dict[str, str]:
        """The stored resolved event holding each of these events."""
        ...

    def members_of(self, resolved_ids: Collection[str]) -> dict[str, list[str]]: ...

    def records(self, resolved_ids: Collection[str]) -> dict[str, Mapping[str, Any]]:
        """The stored resolved records (with `detail`) of these ids."""
        ...

    def records_between(self, type: str, first: str, last: str) -> list[Mapping[str, Any]]:
        """Stored resolved records of `type` dated from `first` to `last` (ISO text)."""
        ...


@dataclass(frozen=True, slots=True)
class Changes:
    """What changed since the stored resolution was made."""

    dirty: frozenset[str]  # events now that it does not hold as they are (new, or re-extracted)
    gone: frozenset[str] = frozenset()  # events it holds that are not there as they were
    decisions: frozenset[int] = frozenset()  # analyst decisions it did not apply

    @staticmethod
    def between(before: Mapping[str, Mapping[str, Any]], now: Mapping[str, Mapping[str, Any]], *, decisions: Collection[int] = ()) -> Changes:
        """The changes from the events `before` ({id: event}) to the events `now`."""
        dirty = frozenset(eid for eid, event in now.items() if before.get(eid) != event)
        gone = frozenset(eid for eid, event in before.items() if now.get(eid) != event)
        return Changes(dirty=dirty, gone=gone, decisions=frozenset(decisions))

    def __bool__(self) -> bool:
        return bool(self.dirty or self.gone or self.decisions)


@dataclass(slots=True)
class Part:
    """A part of a resolution redone: it replaces the stored resolved events `removed`."""

    removed: list[str]  # stored resolved ids it replaces
    resolved: list[Resolved]  # their replacement, by id
    keys: dict[str, frozenset[str]]  # the index keys of the dirty events
    events: int = 0  # events resolved again
    context: int = 0  # events compared around them
    rounds: int = 0  # resolutions it took (claims can widen the part)
    touched: int = 0  # events whose pairs the batch can change (step 1)


def index_of(events: Iterable[Mapping[str, Any]], documents: Mapping[str, DocumentInfo] | None = None) -> dict[str, frozenset[str]]:
    """{event id: the blocking keys it is filed under}: the index a resolution is stored with."""
    documents = documents or {}
    found = {}
    for event in events:
        member = Member.of(event)
        found[member.id] = index_keys(member, documents.get(member.document_id))
    return found


def resolve_part(previous: Previous, changes: Changes, *, most: int | None = None) -> Part | None:
    """Resolve again the part of the stored resolution `changes` touch (module docstring);
    None when it would hold more than `most` events (with its context)."""
    from kwatch.resolve import resolve  # the package imports this module

    work = _Work(previous, changes)
    touched = work.touched()
    redo: set[str] = set(work.present(changes.dirty))
    redo |= work.grow(touched | changes.gone)
    decisions = list(previous.decisions())
    for decision in decisions:
        if decision.get("id") in changes.decisions:
            named = set(decision["event_ids"])
            if decision["kind"] == "split" and decision.get("document_id"):
                named |= set(previous.document_events([decision["document_id"]]).get(decision["document_id"], []))
            redo |= work.grow(named)
    merges = [d for d in decisions if d["kind"] == "merge"]
    rounds = 0
    while True:
        rounds += 1
        context = work.close(redo, merges, most=most)
        if context is None:
            return None
        compared = redo | context
        crowded = work.crowded(work.keys[eid] for eid in compared)
        involved = {work.members[eid].document_id for eid in compared}
        fresh = resolve(
            [work.events[eid] for eid in sorted(redo)],
            documents={doc: work.documents[doc] for doc in sorted(involved) if doc in work.documents},
            decisions=[d for d in decisions if _touches(d, redo, work)],
            context=[work.events[eid] for eid in sorted(context)],
            crowded=crowded,
        )
        more = work.claim_closure(fresh)
        if not more:
            break
        redo |= work.grow_resolved(more)
    return Part(
        removed=sorted(work.resolved_ids),
        resolved=fresh,
        keys={eid: work.keys[eid] for eid in sorted(changes.dirty) if eid in work.keys},
        events=len(redo),
        context=len(context),
        rounds=rounds,
        touched=len(touched),
    )


def _touches(decision: Mapping[str, Any], redo: set[str], work: _Work) -> bool:
    if redo.intersection(decision["event_ids"]):
        return True
    return decision["kind"] == "split" and decision.get("document_id") in work.redo_documents


@dataclass
class _Work:
    """The events loaded so far, their members and keys, and the part as it grows."""

    previous: Previous
    changes: Changes
    events: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    members: dict[str, Member] = field(default_factory=dict)
    documents: dict[str, DocumentInfo] = field(default_factory=dict)
    keys: dict[str, frozenset[str]] = field(default_factory=dict)  # of the events loaded, now
    resolved_ids: set[str] = field(default_factory=set)  # stored resolved events in the part
    redo_documents: set[str] = field(default_factory=set)
    _grouped: set[str] = field(default_factory=set)
    _neighbours: dict[str, set[str]] = field(default_factory=dict)
    _release_keys: set[str] = field(default_factory=set)
    _checked: set[str] = field(default_factory=set)  # members of the part whose pairs across it were checked
    _counts: dict[str, int] = field(default_factory=dict)  # stored counts of keys

    def __post_init__(self) -> None:
        self.load(self.changes.dirty)
        self.old_keys = self.previous.keys_of(self.changes.gone)
        self.gone_filed = Counter(key for eid in self.changes.gone for key in self.old_keys.get(eid, ()))
        self.dirty_filed: dict[str, set[str]] = defaultdict(set)
        for eid in self.changes.dirty:
            for key in self.keys.get(eid, ()):
                self.dirty_filed[key].add(eid)

    # -- loading ---------------------------------------------------------------------------

    def load(self, ids: Iterable[str]) -> None:
        missing = sorted(set(ids) - self.events.keys())
        if not missing:
            return
        found = self.previous.events(missing)
        documents = {e["document_id"] for e in found.values()} - self.documents.keys()
        self.documents.update(self.previous.documents(documents))
        for eid in sorted(found):
            member = Member.of(found[eid])
            self.events[eid], self.members[eid] = found[eid], member
            self.keys[eid] = index_keys(member, self.documents.get(member.document_id))

    def present(self, ids: Iterable[str]) -> set[str]:
        """Of these ids, the events in the store now (loaded)."""
        ids = set(ids)
        self.load(ids)
        return ids & self.events.keys()

    # -- the index now and before ----------------------------------------------------------

    def counts(self, keys: Collection[str], *, before: bool = False) -> dict[str, int]:
        missing = [k for k in keys if k not in self._counts]
        if missing:
            stored = self.previous.key_counts(missing)
            self._counts.update({k: stored.get(k, 0) for k in missing})
        if before:
            return {k: self._counts[k] for k in keys}
        return {k: self._counts[k] - self.gone_filed[k] + len(self.dirty_filed.get(k, ())) for k in keys}

    def crowded(self, keysets: Iterable[Iterable[str]], *, before: bool = False) -> frozenset[str]:
        """The crowded keys among the limited keys of these key sets (now, or `before`)."""
        limited = {k for keys in keysets for k in keys if limit(k) is not None}
        return crowded_keys(self.counts(limited, before=before))

    def filed(self, keys: Collection[str], *, before: bool = False) -> dict[str, set[str]]:
        """The events in the store now filed under each key (`before`: in the stored index)."""
        gone = self.changes.gone
        found = {k: set(ids) - gone for k, ids in self.previous.filed_under(keys).items()}
        if not before:
            for k in keys:
                if k in self.dirty_filed:
                    found.setdefault(k, set()).update(self.dirty_filed[k])
        return found

    def neighbours(self, ids: Collection[str]) -> dict[str, set[str]]:
        """The candidates now of these events (loaded), cached."""
        todo = sorted(set(ids) - self._neighbours.keys())
        if todo:
            crowded = self.crowded(self.keys[eid] for eid in todo)
            probes = {eid: expand(self.keys[eid], crowded=crowded) for eid in todo}
            filed = self.filed(set().union(*probes.values()))
            found = {eid: set().union(*(filed.get(k, ()) for k in probes[eid])) for eid in todo}
            self.load(set().union(*found.values()))
            for eid in todo:
                member = self.members[eid]
                self._neighbours[eid] = {o for o in found[eid] if o in self.members and may_pair(member, self.members[o])}
        return {eid: self._neighbours[eid] for eid in ids}

    def touched(self) -> set[str]:
        """Step 1: the changed events and their candidates, now and before."""
        changes = self.changes
        dirty = self.present(changes.dirty)
        limited = {k for eid in dirty for k in self.keys[eid] if limit(k) is not None}
        limited |= {k for eid in changes.gone for k in self.old_keys.get(eid, ()) if limit(k) is not None}
        was, now = self.crowded([limited], before=True), self.crowded([limited])
        flipped = sorted(k for k in limited if (k in was) != (k in now))
        probers: set[str] = set()
        for held in self.filed({p for k in flipped if (p := prober_key(k)) is not None}).values():
            probers |= held
        probers = self.present(probers)
        changed_now = dirty | probers
        touched = set(changed_now)
        for found in self.neighbours(changed_now).values():
            touched |= found
        # Before: the neighbours of the gone events (from their stored keys) and of the members
        # whose keys' crowding changed, as the stored index had them.
        before = {eid: keys for eid, keys in self.old_keys.items()} | {eid: self.keys[eid] for eid in probers - changes.dirty}
        crowded = self.crowded(before.values(), before=True)
        probes = {eid: expand(keys, crowded=crowded) for eid, keys in before.items()}
        for held in self.filed(set().union(*probes.values()), before=True).values():
            touched |= held
        return self.present(touched)

    # -- the part --------------------------------------------------------------------------

    def grow(self, ids: Iterable[str]) -> set[str]:
        """The events to add to the part for these events: every member (in the store now) of
        the stored resolved events holding them, and those of them that are in the store now."""
        ids = set(ids) - self._grouped
        self._grouped |= ids
        groups = self.previous.groups_of(ids)
        return self.present(ids) | self.grow_resolved(set(groups.values()))

    def grow_resolved(self, resolved_ids: Iterable[str]) -> set[str]:
        """The members (in the store now) of these stored resolved events, which join the part."""
        new = set(resolved_ids) - self.resolved_ids
        self.resolved_ids |= new
        members = {m for held in self.previous.members_of(new).values() for m in held}
        self._grouped |= members
        return self.present(members)

    def close(self, redo: set[str], merges: Sequence[Mapping[str, Any]], *, most: int | None) -> set[str] | None:
        """Step 2 (all but claims), growing `redo` in place; returns its context (step 3), or None
        when the part grows past `most` events.

        Pairs across the part are checked for the members added since the last check (the
        frontier) with their candidates: a member of the part has all its candidates there, and
        one outside it fewer than it has, which can only make the decision accept more (no
        "only candidate" is lost), so what is found is all the full resolution accepts, or more;
        and a pair checked once need not be again, since more candidates accept no more."""
        frontier = set(redo) - self._checked
        while True:
            size = len(redo)
            documents = {self.members[eid].document_id for eid in redo} - self.redo_documents
            self.redo_documents |= documents
            redo |= self.grow(eid for ids in self.previous.document_events(documents).values() for eid in ids)
            release_keys = {k for eid in redo for k in self.keys[eid] if k.startswith("r|")} - self._release_keys
            self._release_keys |= release_keys
            redo |= self.grow(eid for ids in self.filed(release_keys).values() for eid in ids)
            for decision in merges:
                if redo.intersection(decision["event_ids"]):
                    redo |= self.grow(decision["event_ids"])
            if len(redo) != size:
                continue
            frontier |= redo - self._checked
            context = {o for found in self.neighbours(redo).values() for o in found} - redo
            if most is not None and len(redo) + len(context) > most:
                return None
            if not frontier:
                return context
            compared = frontier | {o for found in self.neighbours(frontier).values() for o in found}
            crowded = self.crowded(self.keys[eid] for eid in compared)
            members = {eid: self.members[eid] for eid in sorted(compared)}
            across = set()
            for pair in accepted_pairs(members, self.documents, crowded=crowded)[0]:
                a, b = pair.a, pair.b
                if (a in frontier) != (b in frontier) and (a in redo) != (b in redo):
                    across.add(b if a in redo else a)
            self._checked |= frontier
            frontier = set()
            redo |= self.grow(across)

    def claim_closure(self, fresh: Sequence[Resolved]) -> set[str]:
        """Stored resolved events the claims of the part can reach that are not in it."""
        previous = self.previous
        old = previous.records(self.resolved_ids)
        found: set[str] = set()
        for record in old.values():
            detail = record.get("detail") or {}
            if detail.get("claims"):
                found.add(detail["claims"])
            found.update(detail.get("claimed_by") or ())
        now = {r.id: r.record for r in fresh}
        changed = [
            record
            for rid in sorted(now.keys() | old.keys())
            if _claim_view(now.get(rid)) != _claim_view(old.get(rid))
            for record in (now.get(rid), old.get(rid))
            if record is not None and record["type"] == "attack" and _day(record) is not None
        ]
        if changed:
            days = [_day(a) or 0 for a in changed]
            releases = [r for r in previous.records_between("propaganda", _iso(min(days)), _iso(max(days) + CLAIM_DAYS)) if r["id"] not in self.resolved_ids]
            texts = self.release_texts([r for r in releases if _day(r) is not None])
            for release in releases:
                day, text = _day(release), texts.get(release["id"], "")
                if text and day is not None and any(0 <= day - (_day(a) or 0) <= CLAIM_DAYS and names_place(text, a) for a in changed):
                    found.add(release["id"])
        for made in fresh:
            day = _day(made.record)
            if made.record["type"] != "propaganda" or day is None:
                continue
            text = claim_text([eid for eid, _ in made.members], self.members, self.documents)
            if not text:
                continue
            for attack in previous.records_between("attack", _iso(day - CLAIM_DAYS), _iso(day)):
                if attack["id"] not in self.resolved_ids and _day(attack) is not None and names_place(text, attack):
                    found.add(attack["id"])
        return found - self.resolved_ids

    def release_texts(self, releases: Sequence[Mapping[str, Any]]) -> dict[str, str]:
        members = self.previous.members_of([r["id"] for r in releases])
        self.load(m for held in members.values() for m in held)
        return {rid: claim_text([m for m in held if m in self.members], self.members, self.documents) for rid, held in members.items()}


def _day(record: Mapping[str, Any] | None) -> int | None:
    date = (record or {}).get("date")
    return Date.fromisoformat(date).toordinal() if date and len(date) == 10 else None


def _iso(day: int) -> str:
    return Date.fromordinal(day).isoformat()


def _claim_view(record: Mapping[str, Any] | None) -> tuple[Any, ...] | None:
    """What claim linking reads of a resolved record."""
    if record is None:
        return None
    return tuple(record.get(k) for k in ("type", "date", "place", "admin2", "admin1"))


# -- what the part is worked out from -----------------------------------------------------------


class StoredResolution:
    """`Previous` over a `Store`: call it inside `store.snapshot()`. `name` gives a document's
    display name from its `Store.document_infos()` row."""

    def __init__(self, store: Store, *, name: Callable[[Mapping[str, Any]], str]) -> None:
        self.store = store
        self.name = name
        self._decisions: list[dict[str, Any]] | None = None

    def events(self, ids: Collection[str]) -> dict[str, Mapping[str, Any]]:
        return {eid: event.as_dict() for eid, event in self.store.events_by_id(sorted(ids)).items()}

    def documents(self, ids: Collection[str]) -> dict[str, DocumentInfo]:
        return {
            d["id"]: DocumentInfo(id=d["id"], name=self.name(d), published=d["published"], source=d["source"], language=d["language"])
            for d in self.store.document_infos(ids)
        }

    def document_events(self, document_ids: Collection[str]) -> dict[str, list[str]]:
        return self.store.document_event_ids(document_ids)

    def decisions(self) -> Sequence[Mapping[str, Any]]:
        if self._decisions is None:
            self._decisions = self.store.decisions()
        return self._decisions

    def keys_of(self, ids: Collection[str]) -> dict[str, frozenset[str]]:
        return self.store.resolution_keys(ids)

    def filed_under(self, keys: Collection[str]) -> dict[str, list[str]]:
        return self.store.events_filed_under(keys)

    def key_counts(self, keys: Collection[str]) -> dict[str, int]:
        return self.store.resolution_key_counts(keys)

    def groups_of(self, ids: Collection[str]) -> dict[str, str]:
        return self.store.resolved_ids_of(ids)

    def members_of(self, resolved_ids: Collection[str]) -> dict[str, list[str]]:
        return {rid: [m["event_id"] for m in held] for rid, held in self.store.resolved_members(sorted(resolved_ids)).items()}

    def records(self, resolved_ids: Collection[str]) -> dict[str, Mapping[str, Any]]:
        # the stored fields as a mapping (claims read `date`, `detail`, the place names)
        return {r.id: {f.name: getattr(r, f.name) for f in dataclasses.fields(r)} for r in self.store.resolved_events(ids=sorted(resolved_ids))}

    def records_between(self, type: str, first: str, last: str) -> list[Mapping[str, Any]]:
        return list(self.store.resolved_events_between(type, first, last))


class MemoryResolution:
    """`Previous` held in memory: the events and decisions now, and the resolution `resolved`
    made before with its index `keys` (`index_of` the events it resolved)."""

    def __init__(
        self,
        events: Iterable[Mapping[str, Any]],
        *,
        resolved: Iterable[Resolved],
        keys: Mapping[str, frozenset[str]],
        documents: Mapping[str, DocumentInfo] | None = None,
        decisions: Sequence[Mapping[str, Any]] = (),
    ) -> None:
        self._events = {e["id"]: e for e in events}
        self._by_document: dict[str, list[str]] = defaultdict(list)
        for eid in sorted(self._events):
            self._by_document[self._events[eid]["document_id"]].append(eid)
        self._documents = dict(documents or {})
        self._decisions = list(decisions)
        self._keys = dict(keys)
        self._filed: dict[str, list[str]] = defaultdict(list)
        for eid in sorted(self._keys):
            for key in self._keys[eid]:
                self._filed[key].append(eid)
        self._records: dict[str, Mapping[str, Any]] = {}
        self._members: dict[str, list[str]] = {}
        self._group: dict[str, str] = {}
        by_type: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for one in resolved:
            self._records[one.id] = one.record
            self._members[one.id] = [eid for eid, _ in one.members]
            self._group.update((eid, one.id) for eid, _ in one.members)
            if one.record.get("date"):
                by_type[one.record["type"]].append((one.record["date"], one.id))
        self._dated = {kind: sorted(held) for kind, held in by_type.items()}

    def events(self, ids: Collection[str]) -> dict[str, Mapping[str, Any]]:
        return {eid: self._events[eid] for eid in ids if eid in self._events}

    def documents(self, ids: Collection[str]) -> dict[str, DocumentInfo]:
        return {doc: self._documents[doc] for doc in ids if doc in self._documents}

    def document_events(self, document_ids: Collection[str]) -> dict[str, list[str]]:
        return {doc: list(self._by_document[doc]) for doc in document_ids if doc in self._by_document}

    def decisions(self) -> Sequence[Mapping[str, Any]]:
        return self._decisions

    def keys_of(self, ids: Collection[str]) -> dict[str, frozenset[str]]:
        return {eid: self._keys[eid] for eid in ids if eid in self._keys}

    def filed_under(self, keys: Collection[str]) -> dict[str, list[str]]:
        return {key: list(self._filed[key]) for key in keys if key in self._filed}

    def key_counts(self, keys: Collection[str]) -> dict[str, int]:
        return {key: len(self._filed[key]) for key in keys if key in self._filed}

    def groups_of(self, ids: Collection[str]) -> dict[str, str]:
        return {eid: self._group[eid] for eid in ids if eid in self._group}

    def members_of(self, resolved_ids: Collection[str]) -> dict[str, list[str]]:
        return {rid: list(self._members[rid]) for rid in resolved_ids if rid in self._members}

    def records(self, resolved_ids: Collection[str]) -> dict[str, Mapping[str, Any]]:
        return {rid: self._records[rid] for rid in resolved_ids if rid in self._records}

    def records_between(self, type: str, first: str, last: str) -> list[Mapping[str, Any]]:
        import bisect

        dated = self._dated.get(type, [])
        lo, hi = bisect.bisect_left(dated, (first, "")), bisect.bisect_right(dated, (last, "\uffff"))
        return [self._records[rid] for _, rid in dated[lo:hi]]
