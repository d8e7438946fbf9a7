"""The resolved record's attribution (issue 13): the strongest of its members', naming the
document it came from, the conflicting bases kept in `others`. Hand-built events with invented
text, joined by an analyst's merge so the test is about the record whatever the pair model says."""

from __future__ import annotations

from itertools import permutations
from typing import Any

import pytest

from kwatch.records import Attribution, ResolvedEvent
from kwatch.resolve import DocumentInfo, resolve

DOCS = {f"d{n}": DocumentInfo(f"d{n}", f"report{n}.txt", published="2025-03-07", source=f"desk {n}") for n in range(1, 5)}


def attribution(basis: str, confidence: str | None, doc: str, quote: str | None) -> dict[str, Any]:
    return {"basis": basis, "confidence": confidence, "group": "ISKP" if basis != "unknown" else None, "by": None, "outlet": None,
            "reason": f"{basis} ({doc})", "quote": quote, "start": 0 if quote else None, "end": len(quote) if quote else None,
            "document_id": doc if quote else None, "others": []}  # fmt: skip


def event(id: str, doc: str, found: dict[str, Any] | None) -> dict[str, Any]:
    quote = (found or {}).get("quote") or f"Invented report {id}."
    return {"id": id, "document_id": doc, "type": "attack", "date": "2025-03-07", "country": "AF", "admin1": "Kunduz", "languages": [],
            "attribution": found, "detail": {}, "sources": [{"document_id": doc, "quote": quote, "start": 0, "end": len(quote), "fields": []}]}  # fmt: skip


def record(events: list[dict[str, Any]]) -> dict[str, Any]:
    merge = {"id": 1, "kind": "merge", "event_ids": [e["id"] for e in events], "document_id": None, "at": "2025-04-01T00:00:00", "who": "test", "why": None}
    [resolved] = resolve(events, documents=DOCS, decisions=[merge])
    return resolved.record


MEMBERS = [
    event("e1", "d1", attribution("unknown", None, "d1", "No group has claimed the bombing yet.")),
    event("e2", "d2", attribution("claimed", "medium", "d2", "The group reportedly claimed the bombing.")),
    event("e3", "d3", attribution("claimed", "high", "d3", "The group claimed the bombing through its outlet.")),
    event("e4", "d4", attribution("blamed", "medium", "d4", "Officials blamed the group for the bombing.")),
]


@pytest.mark.parametrize("order", list(permutations(range(4))))
def test_issue_13_the_strongest_wins_and_the_conflicts_stay(order: tuple[int, ...]) -> None:
    found = record([MEMBERS[i] for i in order])["attribution"]
    assert (found["basis"], found["confidence"], found["document_id"]) == ("claimed", "high", "d3")
    assert [(o["basis"], o["document_id"]) for o in found["others"]] == [("blamed", "d4"), ("unknown", "d1")]
    assert found["quote"] == "The group claimed the bombing through its outlet."


def test_a_member_that_states_nothing_adds_no_conflict() -> None:
    unstated = attribution("unknown", None, "d1", None)
    found = record([event("e1", "d1", unstated), MEMBERS[3]])["attribution"]
    assert (found["basis"], found["others"]) == ("blamed", [])


def test_members_extracted_before_attribution_give_none() -> None:
    assert record([event("e1", "d1", None), event("e2", "d2", None)])["attribution"] is None


def test_the_record_types_the_attribution_and_names_its_documents() -> None:
    rec = record(MEMBERS)
    typed = ResolvedEvent.of(rec)
    assert isinstance(typed.attribution, Attribution) and typed.attribution.others[0].basis == "blamed"
    out = typed.record({"d3": "third.html", "d4": "fourth.html"})["attribution"]
    assert (out["doc"], [o["doc"] for o in out["others"]]) == ("third.html", ["fourth.html", "d1"])
