"""Clusters of members: the one union-find of kwatch, the clusters of resolution built on it
(joins kept to explain them, conflict checks), analysts' splits."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Generic, Protocol, TypeVar

from kwatch.errors import Bug
from kwatch.resolve.decision import conflicts
from kwatch.resolve.members import Member


class _Ordered(Protocol):
    def __lt__(self, other: Any, /) -> bool: ...


K = TypeVar("K", bound=_Ordered)


class UnionFind(Generic[K]):
    """Disjoint sets of hashable, ordered keys: the only union-find in kwatch (resolution's
    `Clusters` and `kwatch.releases.release_groups` are built on it).

    Deterministic whatever the order of the unions: a set's root is its smallest key, and
    `groups()` lists each set sorted, the sets in sorted order. `find` halves paths as it goes.
    Each root keeps the list of its set's members (unsorted), so `members` costs one `find`."""

    def __init__(self, keys: Iterable[K] = ()) -> None:
        self._parent: dict[K, K] = {}
        self._members: dict[K, list[K]] = {}
        for key in keys:
            self.add(key)

    def add(self, key: K) -> None:
        """Make `key` a set of its own (nothing when it is already in a set)."""
        if key not in self._parent:
            self._parent[key] = key
            self._members[key] = [key]

    def __contains__(self, key: object) -> bool:
        return key in self._parent

    def __len__(self) -> int:
        return len(self._parent)

    def find(self, key: K) -> K:
        """The root of `key`'s set: its smallest key (KeyError when `key` was never added)."""
        parent = self._parent
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    def union(self, a: K, b: K) -> bool:
        """Join the sets of `a` and `b` (added first when new); False when they were one already."""
        self.add(a)
        self.add(b)
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        keep, gone = (ra, rb) if ra < rb else (rb, ra)
        self._parent[gone] = keep
        big, small = self._members.pop(keep), self._members.pop(gone)
        if len(big) < len(small):
            big, small = small, big
        big.extend(small)
        self._members[keep] = big
        return True

    def connected(self, a: K, b: K) -> bool:
        return self.find(a) == self.find(b)

    def members(self, key: K) -> list[K]:
        """Every key in `key`'s set, in no particular order (the list the root keeps: do not change it)."""
        return self._members[self.find(key)]

    def groups(self) -> list[list[K]]:
        """Every set, each sorted, the sets ordered by their smallest key."""
        return [sorted(self._members[root]) for root in sorted(self._members)]


def cannot_pairs(ordered: Sequence[Mapping[str, Any]], items: Mapping[str, Member]) -> set[frozenset[str]]:
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


class Clusters:
    """The clusters of resolution: a `UnionFind` over event ids that keeps the joins (edges) it
    made, to explain them, and refuses joins an analyst's split or a conflict rules out."""

    def __init__(self, items: Mapping[str, Member]) -> None:
        self.items = items
        self.sets: UnionFind[str] = UnionFind(items)
        self.edges: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)

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
        ra, rb = self.sets.find(a), self.sets.find(b)
        if ra == rb:
            return False
        left, right = self.sets.members(ra), self.sets.members(rb)
        if any(frozenset((x, y)) in cannot for x in left for y in right):
            return False
        if check:
            if not same_document and {self.items[x].document_id for x in left} & {self.items[y].document_id for y in right}:
                return False
            if any(conflicts(self.items[x], self.items[y]) for x in left for y in right):
                return False
        self.sets.union(ra, rb)
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
        """The clusters, each sorted by id, ordered by their first id."""
        return self.sets.groups()
