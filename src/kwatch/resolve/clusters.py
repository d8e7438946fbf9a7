"""Clusters of members: the union-find that keeps its joins, analysts' splits."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from kwatch.errors import Bug
from kwatch.resolve.decision import conflicts
from kwatch.resolve.members import Member

if TYPE_CHECKING:
    pass

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
    """Union-find over event ids that keeps the joins (edges) it made, to explain them."""

    def __init__(self, items: Mapping[str, Member]) -> None:
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
            if any(conflicts(self.items[x], self.items[y]) for x in left for y in right):
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


