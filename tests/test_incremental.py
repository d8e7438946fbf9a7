"""Incremental resolution (kwatch.resolve.incremental, issue 12): resolving a second batch into
a stored resolution gives what one full resolution of everything gives. Pure-function level
here (`MemoryResolution`); the store, on both dialects, in tests/store/test_resolve_store.py."""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kwatch.resolve import DocumentInfo, Resolved, blocking, resolve
from kwatch.resolve.incremental import Changes, MemoryResolution, index_of, resolve_part

Event = dict[str, Any]


def incremental(
    before: Sequence[Event],
    now: Sequence[Event],
    *,
    documents: Mapping[str, DocumentInfo],
    decisions_before: Sequence[Mapping[str, Any]] = (),
    decisions_now: Sequence[Mapping[str, Any]] = (),
) -> list[Resolved]:
    """Resolve `before` in full, then `now` incrementally over it: the stored resolution after."""
    first = resolve(before, documents=documents, decisions=decisions_before)
    previous = MemoryResolution(now, resolved=first, keys=index_of(before, documents), documents=documents, decisions=decisions_now)
    applied = {d["id"] for d in decisions_before}
    changes = Changes.between({e["id"]: e for e in before}, {e["id"]: e for e in now}, decisions=[d["id"] for d in decisions_now if d["id"] not in applied])
    part = resolve_part(previous, changes)
    assert part is not None
    removed = set(part.removed)
    return sorted([r for r in first if r.id not in removed] + part.resolved, key=lambda r: r.id)


def shown(resolved: Sequence[Resolved]) -> list[tuple[str, dict[str, Any], list[tuple[str, dict[str, Any]]]]]:
    return [(r.id, r.record, r.members) for r in resolved]


@contextmanager
def limits(coarse: int, content: int) -> Iterator[None]:
    """Small crowding limits, so a handful of events crowds a period or a word."""
    saved = blocking.COARSE_LIMIT, blocking.CONTENT_LIMIT
    blocking.COARSE_LIMIT, blocking.CONTENT_LIMIT = coarse, content
    try:
        yield
    finally:
        blocking.COARSE_LIMIT, blocking.CONTENT_LIMIT = saved


# -- hand-built cases ---------------------------------------------------------------------------


def _event(id: str, doc: str, **fields: Any) -> Event:
    base: Event = {"type": "attack", "date": None, "country": "AF", "admin1": None, "admin2": None, "place": None,
                   "geo_precision": None, "lat": None, "lon": None, "actor": None, "claimed": None, "method": None,
                   "target": None, "killed": None, "injured": None, "killed_claimed": None, "injured_claimed": None,
                   "medium": None, "languages": [], "outlet": None, "detail": {}}  # fmt: skip
    quote = fields.pop("quote", f"report {id}")
    return {**base, **fields, "id": id, "document_id": doc, "sources": [{"document_id": doc, "quote": quote, "start": 0, "end": 1, "fields": []}]}


DOCS = {f"d{n}": DocumentInfo(f"d{n}", f"d{n}.txt", published=f"2025-03-{n + 1:02d}") for n in range(9)}


def test_a_new_report_joins_its_event_and_the_rest_stays() -> None:
    before = [
        _event("a1", "d1", date="2025-03-07", admin1="Kabul", place="Kabul", killed=5),
        _event("b1", "d2", date="2025-03-20", admin1="Herat", place="Herat", killed=2),
    ]
    new = _event("c1", "d3", date="2025-03-07", admin1="Kabul", place="Kabul", killed=5)
    after = incremental(before, [*before, new], documents=DOCS)
    assert shown(after) == shown(resolve([*before, new], documents=DOCS))
    assert [sorted(e for e, _ in r.members) for r in after] == [["a1", "c1"], ["b1"]]


def test_only_the_touched_part_is_resolved_again() -> None:
    before = [_event(f"e{n:02d}", f"x{n}", date=f"2025-0{1 + n % 9}-1{n % 7}", admin1="Kabul", place=f"site {n}") for n in range(40)]
    new = _event("zz", "x99", date="2025-01-10", admin1="Kabul", place="site 0")
    first = resolve(before)
    previous = MemoryResolution([*before, new], resolved=first, keys=index_of(before))
    part = resolve_part(previous, Changes(dirty=frozenset({"zz"})))
    assert part is not None and part.events < 10 and len(part.removed) < 10


def test_a_re_extracted_event_and_a_gone_one_are_resolved_again() -> None:
    before = [
        _event("a1", "d1", date="2025-03-07", admin1="Kabul", place="Kabul", killed=5),
        _event("b1", "d2", date="2025-03-07", admin1="Kabul", place="Kabul", killed=5),
        _event("c1", "d3", date="2025-03-07", admin1="Kabul", place="Kabul", killed=5),
    ]
    now = [{**before[0], "killed": 9, "admin1": "Herat", "place": "Herat"}, before[1]]  # a1 changed, c1 gone
    assert shown(incremental(before, now, documents=DOCS)) == shown(resolve(now, documents=DOCS))


def test_an_analyst_decision_after_the_resolution_is_applied() -> None:
    events = [
        _event("a1", "d1", date="2025-03-07", admin1="Kabul", place="Kabul", killed=5),
        _event("b1", "d2", date="2025-03-07", admin1="Kabul", place="Kabul", killed=5),
        _event("c1", "d3", date="2025-03-20", admin1="Kabul", place="Kabul"),
    ]
    split = {"id": 1, "kind": "split", "event_ids": ["a1"], "document_id": "d2", "at": "2025-04-01T00:00:00", "who": "x", "why": None}
    merge = {"id": 2, "kind": "merge", "event_ids": ["a1", "c1"], "document_id": None, "at": "2025-04-02T00:00:00", "who": "x", "why": None}
    for decisions in ([split], [split, merge], [merge]):
        got = incremental(events, events, documents=DOCS, decisions_now=decisions)
        assert shown(got) == shown(resolve(events, documents=DOCS, decisions=decisions))


def test_a_claim_released_later_is_linked_incrementally() -> None:
    attack = _event("a1", "d1", date="2025-03-07", admin1="Baghlan", place="Pul-e-Khumri")
    other = _event("a2", "d2", date="2025-03-05", admin1="Baghlan", place="Pul-e-Khumri")
    release = _event("p1", "d3", type="propaganda", country=None, date="2025-03-08", medium="statement",
                     quote="In a statement, the group claimed responsibility for the attack in Pul-e-Khumri.")  # fmt: skip
    for before, now in (([attack], [attack, release]), ([attack, release], [attack, release, other])):
        got = incremental(before, now, documents=DOCS)
        assert shown(got) == shown(resolve(now, documents=DOCS))


def test_a_join_refused_before_succeeds_once_the_conflict_is_gone() -> None:
    # a1 could be a2 or b0, which cannot be one event (four days apart): a1 is ambiguous and joins
    # neither. a2 goes: b0 is no candidate of a2, yet b0 and a1 now join (the accepted pair across
    # the part pulls b0 in).
    same = {"admin1": "Kabul", "place": "Kabul", "killed": 5}
    before = [_event("a1", "d1", date="2025-03-10", **same), _event("a2", "d2", date="2025-03-12", **same),
              _event("b0", "d3", date="2025-03-08", **same)]  # fmt: skip
    assert sorted(sorted(e for e, _ in r.members) for r in resolve(before)) == [["a1"], ["a2"], ["b0"]]
    now = [before[0], before[2]]
    assert sorted(sorted(e for e, _ in r.members) for r in resolve(now)) == [["a1", "b0"]]
    assert shown(incremental(before, now, documents={})) == shown(resolve(now))


def test_a_headline_folds_once_the_conflicting_report_is_gone() -> None:
    # f (undated, d1) folds into m (its document's one dated event) only when m's cluster holds
    # no report f conflicts with: r (another perpetrator) goes, f was no candidate of r.
    m = _event("m1", "d1", date="2025-03-10", admin1="Kabul", place="Kabul", killed=5)
    r = _event("r1", "d2", date="2025-03-10", admin1="Kabul", place="Kabul", killed=5, actor="ISKP")
    f = _event("f1", "d1", admin1="Kabul", actor="Taliban", quote="headline")
    assert sorted(sorted(e for e, _ in x.members) for x in resolve([m, r, f])) == [["f1"], ["m1", "r1"]]
    assert shown(incremental([m, r, f], [m, f], documents={})) == shown(resolve([m, f]))


def test_an_analyst_merge_holds_once_the_split_event_is_gone() -> None:
    # A merge of a1 and b1 older than a split keeping b1 apart from c1; c1 (in a1's event) goes.
    a = _event("a1", "d1", date="2025-03-10", admin1="Kabul", place="Kabul", killed=5)
    c = _event("c1", "d2", date="2025-03-10", admin1="Kabul", place="Kabul", killed=5)
    b = _event("b1", "d3", date="2025-06-20", admin1="Herat", place="Herat")
    merge = {"id": 1, "kind": "merge", "event_ids": ["a1", "b1"], "document_id": None, "at": "2025-07-01T00:00:00", "who": "x", "why": None}
    split = {"id": 2, "kind": "split", "event_ids": ["c1"], "document_id": "d3", "at": "2025-07-02T00:00:00", "who": "x", "why": None}
    decisions = [merge, split]
    assert sorted(sorted(e for e, _ in x.members) for x in resolve([a, b, c], decisions=decisions)) == [["a1", "c1"], ["b1"]]
    got = incremental([a, b, c], [a, b], documents={}, decisions_before=decisions, decisions_now=decisions)
    assert shown(got) == shown(resolve([a, b], decisions=decisions))


# -- properties ---------------------------------------------------------------------------------

START = date(2025, 3, 1)
PLACES = [("Kabul", "Kabul"), ("Baghlan", "Pul-e-Khumri"), ("Nangarhar", "Jalalabad"), ("Herat", "Herat"), ("Kunduz", "Kunduz")]
WORDS = ["mosque", "market", "convoy", "checkpoint", "Kabul", "Jalalabad", "twelve", "12", "5", "bombing", "attack"]


@st.composite
def batches(draw: st.DrawFn) -> tuple[list[Event], list[Event], dict[str, DocumentInfo], list[dict[str, Any]], list[dict[str, Any]]]:
    """Events before and now (new ones, some re-extracted, some gone), their documents (some
    with a publication day) and the analyst decisions before and now."""
    count = draw(st.integers(min_value=1, max_value=30))
    documents = {}
    for n in range(count):
        day = draw(st.sampled_from([None, "2025-03-03", "2025-03-06", "2025-03-09T08:30:00", "2025-03", "2025-04-02"]))
        documents[f"d{n}"] = DocumentInfo(f"d{n}", f"d{n}.txt", published=day, language="en")
    events = []
    span = draw(st.sampled_from([4, 12, 40]))  # days the events fall in: dense to sparse
    for i in range(count):
        province, place = draw(st.sampled_from(PLACES))
        kind = draw(st.sampled_from(["attack", "attack", "raid", "propaganda"]))
        precision = draw(st.sampled_from(["day", "day", "day", "month", "none", "none"]))
        day = START + timedelta(days=draw(st.integers(min_value=0, max_value=span)))
        when = {"day": day.isoformat(), "month": day.isoformat()[:7], "none": None}[precision]
        words = draw(st.lists(st.sampled_from(WORDS), min_size=0, max_size=4))
        if kind == "propaganda" and draw(st.booleans()):
            words += ["claimed", "responsibility", "for", "the", "attack", "in", place]
        detail = {"release_key": draw(st.sampled_from(["k1", "k2"]))} if kind == "propaganda" and draw(st.booleans()) else {}
        doc = f"d{draw(st.sampled_from([i, i, max(0, i - 1), draw(st.integers(0, count - 1))]))}"
        events.append(
            {
                "id": f"e{i:03d}", "document_id": doc, "type": kind, "date": when,
                "country": draw(st.sampled_from(["AF", "AF", None])) if kind != "propaganda" else None,
                "admin1": draw(st.sampled_from([province, province, None])) if kind != "propaganda" else None,
                "admin2": None, "place": place if kind != "propaganda" else None, "geo_precision": "town", "lat": None, "lon": None,
                "actor": draw(st.sampled_from([None, "ISKP", "IS", "Taliban"])), "claimed": draw(st.sampled_from([None, True, False])),
                "method": draw(st.sampled_from([None, "bombing", "shooting"])) if kind == "attack" else None, "target": None,
                "killed": draw(st.sampled_from([None, 3, 5, 12])), "injured": None, "killed_claimed": None, "injured_claimed": None,
                "medium": "statement" if kind == "propaganda" else None, "languages": [], "outlet": None, "detail": detail,
                "sources": [{"document_id": doc, "quote": " ".join(words), "start": 0, "end": 1, "fields": []}],
            }
        )  # fmt: skip
    rnd = random.Random(draw(st.integers(0, 2**16)))
    share = rnd.choice([0.5, 0.8, 0.95])  # of the events, those of the first batch
    before = [e for e in events if rnd.random() < share]
    now = [e for e in events if e not in before or rnd.random() < 0.95]  # new ones, and some of before gone
    for n, event in enumerate(now):
        if event in before and rnd.random() < 0.05:  # re-extracted with another toll or place
            now[n] = {**event, "killed": rnd.choice([None, 3, 5, 12]), "admin1": rnd.choice([None, "Kabul"])}
    present = [e["id"] for e in events]
    decisions = []
    for n in range(draw(st.integers(0, 3))):
        ids = sorted(set(draw(st.lists(st.sampled_from(present), min_size=1, max_size=3))))
        kind = draw(st.sampled_from(["merge", "split"]))
        decisions.append({"id": n + 1, "kind": kind, "event_ids": ids, "document_id": f"d{draw(st.integers(0, count - 1))}" if kind == "split" else None,
                          "at": f"2025-04-{n + 1:02d}T00:00:00", "who": "x", "why": None})  # fmt: skip
    applied = draw(st.integers(0, len(decisions)))
    return before, now, documents, decisions[:applied], decisions


@st.composite
def reports(draw: st.DrawFn) -> tuple[list[Event], list[Event], dict[str, DocumentInfo], list[dict[str, Any]], list[dict[str, Any]]]:
    """Like `batches`, but shaped like a store: real events each told by one to three reports
    (a day off, only the month or no date, no place, another toll), each report its document
    (published on the day or the next, or undated), spread over months; the second batch is a
    small share, so the part resolved again is small and every rule that widens it matters."""
    rnd = random.Random(draw(st.integers(0, 2**32 - 1)))
    events: list[Event] = []
    documents: dict[str, DocumentInfo] = {}
    for real in range(draw(st.integers(min_value=1, max_value=45))):
        province, place = rnd.choice(PLACES)
        kind = rnd.choice(["attack", "attack", "attack", "raid", "propaganda"])
        day = START + timedelta(days=rnd.randrange(draw(st.sampled_from([10, 60, 200]))))
        killed, method = rnd.choice([None, 2, 5, 12]), rnd.choice(["bombing", "shooting"])
        for report in range(rnd.choice([1, 1, 2, 3])):
            doc = f"d{real}-{report}" if rnd.random() < 0.85 else f"d{max(0, real - 1)}-0"
            when = day + timedelta(days=rnd.choice([0, 0, 1]))
            published = rnd.choice([when.isoformat(), (when + timedelta(days=1)).isoformat(), None, when.isoformat()[:7]])
            documents.setdefault(doc, DocumentInfo(doc, f"{doc}.txt", published=published, language="en"))
            text = rnd.choice([when.isoformat(), when.isoformat(), when.isoformat()[:7], None])
            words = [place, str(killed or ""), method, rnd.choice(WORDS)] if rnd.random() < 0.7 else [rnd.choice(WORDS)]
            detail: dict[str, Any] = {}
            if kind == "propaganda":
                if rnd.random() < 0.5:
                    words += ["claimed", "responsibility", "for", "the", "attack", "in", place]
                if rnd.random() < 0.5:
                    detail = {"release_key": f"k{real % 3}"}
            events.append(
                {
                    "id": f"e{real:03d}{report}", "document_id": doc, "type": kind, "date": text,
                    "country": None if kind == "propaganda" or rnd.random() < 0.1 else "AF",
                    "admin1": None if kind == "propaganda" or rnd.random() < 0.2 else province,
                    "admin2": None, "place": None if kind == "propaganda" or rnd.random() < 0.3 else place,
                    "geo_precision": "town", "lat": None, "lon": None,
                    "actor": rnd.choice([None, "ISKP", "IS"]), "claimed": rnd.choice([None, True]),
                    "method": method if kind == "attack" else None, "target": None,
                    "killed": None if killed is None or rnd.random() < 0.2 else killed + rnd.choice([0, 0, 2]),
                    "injured": None, "killed_claimed": None, "injured_claimed": None,
                    "medium": "statement" if kind == "propaganda" else None, "languages": [], "outlet": None, "detail": detail,
                    "sources": [{"document_id": doc, "quote": " ".join(w for w in words if w), "start": 0, "end": 1, "fields": []}],
                }
            )  # fmt: skip
    share = rnd.choice([0.8, 0.95, 0.98])
    before = [e for e in events if rnd.random() < share]
    now = [e for e in events if e not in before or rnd.random() < 0.97]
    for n, event in enumerate(now):
        if event in before and rnd.random() < 0.03:
            now[n] = {**event, "killed": rnd.choice([None, 3, 5, 12]), "date": rnd.choice([event["date"], None])}
    ids = [e["id"] for e in events]
    decisions = [
        {"id": n + 1, "kind": kind, "event_ids": sorted(set(rnd.sample(ids, min(len(ids), rnd.choice([1, 2]))))),
         "document_id": events[rnd.randrange(len(events))]["document_id"] if kind == "split" else None,
         "at": f"2025-09-{n + 1:02d}T00:00:00", "who": "x", "why": None}
        for n, kind in enumerate(rnd.choice([[], [], ["merge"], ["split"], ["merge", "split"]]))
    ]  # fmt: skip
    applied = rnd.randrange(len(decisions) + 1)
    return before, now, documents, decisions[:applied], decisions


@given(st.one_of(batches(), reports()), st.sampled_from([(200, 50), (3, 2), (1, 1)]))
@settings(max_examples=250, deadline=None)
def test_incremental_resolution_equals_a_full_one(case: Any, crowding: tuple[int, int]) -> None:
    before, now, documents, decisions_before, decisions_now = case
    with limits(*crowding):
        got = incremental(before, now, documents=documents, decisions_before=decisions_before, decisions_now=decisions_now)
        assert shown(got) == shown(resolve(now, documents=documents, decisions=decisions_now))


@given(batches())
@settings(max_examples=60, deadline=None)
def test_a_batch_with_nothing_new_changes_nothing(case: Any) -> None:
    _, now, documents, _, decisions = case
    first = resolve(now, documents=documents, decisions=decisions)
    previous = MemoryResolution(now, resolved=first, keys=index_of(now, documents), documents=documents, decisions=decisions)
    part = resolve_part(previous, Changes(dirty=frozenset()))
    assert part is not None and part.removed == [] and part.resolved == []


@pytest.mark.parametrize("most", [0, 1])
def test_a_part_larger_than_asked_is_refused(most: int) -> None:
    before = [_event("a1", "d1", date="2025-03-07", admin1="Kabul", place="Kabul")]
    new = _event("b1", "d2", date="2025-03-07", admin1="Kabul", place="Kabul")
    previous = MemoryResolution([*before, new], resolved=resolve(before), keys=index_of(before))
    assert resolve_part(previous, Changes(dirty=frozenset({"b1"})), most=most) is None
