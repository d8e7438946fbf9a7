"""The resolved record of one cluster (kwatch.resolve.fields): which figure, date and place it
takes from its members, and why. Issue 12 ("One real event, one record").

Hand-built events with invented text. Each test joins its events with an analyst's merge, so
it tests the record of a cluster whatever the blocking and scoring decide.
"""

from __future__ import annotations

import random
from itertools import permutations
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kwatch.resolve import DocumentInfo, resolve
from kwatch.resolve.rules import FIGURE_RULE

BASE: dict[str, Any] = {
    "type": "attack", "date": None, "date_basis": None, "country": None, "admin1": None, "admin2": None, "place": None,
    "geo_precision": None, "lat": None, "lon": None, "actor": None, "claimed": None, "method": None, "target": None,
    "killed": None, "injured": None, "killed_claimed": None, "injured_claimed": None, "medium": None, "languages": [],
    "outlet": None, "detail": {},
}  # fmt: skip
KUNDUZ = {"country": "AF", "admin1": "Kunduz", "place": "Kunduz", "geo_precision": "town", "lat": 36.73, "lon": 68.86}


def event(id: str, doc: str, *, quotes: list[tuple[str, list[str]]] | None = None, casualties: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
    """One per-document event; `quotes` are (invented sentence, the fields it supports)."""
    if fields.get("date") and "date_basis" not in fields:
        fields["date_basis"] = "text"
    sources = [{"document_id": doc, "quote": q, "start": 0, "end": len(q), "fields": f} for q, f in quotes or [(f"Invented report {id}.", [])]]
    detail = {"casualties": casualties or {}}
    return {**BASE, **fields, "id": id, "document_id": doc, "sources": sources, "detail": detail}


def docs(*published: str, sources: tuple[str, ...] | None = None) -> dict[str, DocumentInfo]:
    """Documents d1, d2 … published on these days, each by its own desk unless `sources` says."""
    names = sources or tuple(f"desk {n}" for n in range(1, len(published) + 1))
    return {f"d{n}": DocumentInfo(f"d{n}", f"report{n}.txt", published=p, source=s) for n, (p, s) in enumerate(zip(published, names, strict=True), 1)}


def one(events: list[dict[str, Any]], documents: dict[str, DocumentInfo]) -> dict[str, Any]:
    """The record of these events joined by an analyst's merge."""
    merge = {"id": 1, "kind": "merge", "event_ids": [e["id"] for e in events], "document_id": None, "at": "2025-04-01T00:00:00", "who": "test", "why": None}
    [resolved] = resolve(events, documents=documents, decisions=[merge])
    return resolved.record


# -- figures ------------------------------------------------------------------------------------


@pytest.mark.parametrize("published", list(permutations(["2025-03-07", "2025-03-08", "2025-03-09"])))
def test_tie_break_never_depends_on_publication(published: tuple[str, ...]) -> None:
    # Three figures, one source each, equally backed: the median of the three, whichever came last.
    events = [event(f"e{n}", f"d{n}", date="2025-03-07", **KUNDUZ, killed=k, injured=i) for n, k, i in ((1, 12, 30), (2, 18, 41), (3, 15, 40))]
    r = one(events, docs(*published))
    assert (r["killed"], r["killed_low"], r["killed_high"]) == (15, 12, 18)
    assert (r["injured"], r["injured_low"], r["injured_high"]) == (40, 30, 41)
    assert r["detail"]["figure_rule"] == FIGURE_RULE


@pytest.mark.parametrize("published", [("2025-03-07", "2025-03-08"), ("2025-03-08", "2025-03-07")])
def test_two_tied_figures_give_the_lower(published: tuple[str, ...]) -> None:
    events = [event("e1", "d1", date="2025-03-07", **KUNDUZ, killed=12), event("e2", "d2", date="2025-03-07", **KUNDUZ, killed=18)]
    assert one(events, docs(*published))["killed"] == 12


def test_the_figure_most_independent_sources_give_wins() -> None:
    # 25 is in two reports of one outlet (one source); 20 in reports of two outlets.
    documents = docs("2025-03-07", "2025-03-08", "2025-03-07", "2025-03-08", sources=("desk A", "desk A", "desk B", "desk C"))
    killed = {"d1": 25, "d2": 25, "d3": 20, "d4": 20}
    events = [event(f"e{n}", f"d{n}", date="2025-03-07", **KUNDUZ, killed=killed[f"d{n}"]) for n in range(1, 5)]
    r = one(events, documents)
    assert (r["killed"], r["killed_low"], r["killed_high"]) == (20, 20, 25)
    assert {f["event_id"]: f["source"] for f in r["detail"]["figures"]}["e2"] == "source:desk A"


@pytest.mark.parametrize(
    ("strong", "weak", "why"),
    [
        ({"date": "2025-03-07"}, {"date": "2025-03-08", "date_basis": "publication_day"}, "dated in its text, not by its publication"),
        ({"casualties": {"civilians": {"killed": 30}}}, {"casualties": {"unspecified": {"killed": 12}}}, "a victim breakdown"),
    ],
)
def test_a_tie_goes_to_the_figure_the_text_backs_best(strong: dict[str, Any], weak: dict[str, Any], why: str) -> None:
    a = event("e1", "d1", **{"date": "2025-03-07", **KUNDUZ, "killed": 30, **strong})
    b = event("e2", "d2", **{"date": "2025-03-07", **KUNDUZ, "killed": 12, **weak})
    r = one([a, b], docs("2025-03-07", "2025-03-08"))
    assert r["killed"] == 30, why
    assert r["detail"]["casualties"] == (strong.get("casualties") or {}), "the parts come from the report whose toll was chosen"


def test_an_unplaced_member_with_a_smaller_toll_does_not_replace_the_larger_one() -> None:
    # The unplaced report came out later and states a date; the placed one gives the toll.
    placed = event("e2", "d1", date="2025-03-07", date_basis="publication_day", **KUNDUZ, killed=40, injured=60)
    unplaced = event("e1", "d2", date="2025-03-07", killed=3, injured=5, casualties={"civilians": {"killed": 3}})
    r = one([placed, unplaced], docs("2025-03-07", "2025-03-09"))
    assert (r["killed"], r["killed_low"], r["killed_high"]) == (40, 3, 40)
    assert (r["injured"], r["injured_low"], r["injured_high"]) == (60, 5, 60)
    assert {f["event_id"]: f["placed"] for f in r["detail"]["figures"]} == {"e1": False, "e2": True}


def test_claimed_figures_are_kept_apart() -> None:
    report = event("e1", "d1", date="2025-03-07", **KUNDUZ, killed=9, claimed=False)
    claim = event("e2", "d2", date="2025-03-07", **KUNDUZ, claimed=True, killed_claimed=50, injured_claimed=80)
    r = one([report, claim], docs("2025-03-07", "2025-03-08"))
    assert (r["killed"], r["killed_low"], r["killed_high"], r["killed_claimed"], r["injured_claimed"]) == (9, 9, 9, 50, 80)
    assert r["claimed"] is True


# -- date ---------------------------------------------------------------------------------------


def test_a_date_in_the_text_beats_publication_days() -> None:
    stated = event("e1", "d1", date="2025-03-05", **KUNDUZ)
    guessed = [event(f"e{n}", f"d{n}", date="2025-03-06", date_basis="publication_day", **KUNDUZ) for n in (2, 3)]
    r = one([stated, *guessed], docs("2025-03-06", "2025-03-06", "2025-03-06"))
    assert (r["date"], r["detail"]["date_basis"], r["detail"]["date_from"]) == ("2025-03-05", "text", ["e1"])


def test_a_publication_day_refines_a_month_the_text_gives() -> None:
    month = event("e1", "d1", date="2025-03", **KUNDUZ)
    day = event("e2", "d2", date="2025-03-07", date_basis="publication_day", **KUNDUZ)
    r = one([month, day], docs("2025-03-20", "2025-03-07"))
    assert (r["date"], r["detail"]["date_basis"], r["detail"]["date_refines"]) == ("2025-03-07", "publication_day", "2025-03")
    assert r["detail"]["inherited"]["e1"] == ["date"]


def test_no_text_date_the_earliest_publication_day() -> None:
    events = [event(f"e{n}", f"d{n}", date=d, date_basis="publication_day", **KUNDUZ) for n, d in ((1, "2025-03-08"), (2, "2025-03-07"))]
    r = one(events, docs("2025-03-08", "2025-03-07"))
    assert (r["date"], r["detail"]["date_basis"], r["detail"]["date_from"]) == ("2025-03-07", "publication_day", ["e2"])


@pytest.mark.parametrize(
    ("dates", "sources", "expected"),
    [
        (("2025-03-07", "2025-03-08"), ("desk A", "desk B"), "2025-03-07"),  # a tie: the earliest
        (("2025-03-07", "2025-03-08", "2025-03-08"), ("desk A", "desk B", "desk C"), "2025-03-08"),  # most sources
        (("2025-03-07", "2025-03-08", "2025-03-08"), ("desk A", "desk B", "desk B"), "2025-03-07"),  # one outlet twice
    ],
)
def test_text_dates_a_day_apart_most_sources_then_the_earliest(dates: tuple[str, ...], sources: tuple[str, ...], expected: str) -> None:
    events = [event(f"e{n}", f"d{n}", date=d, **KUNDUZ) for n, d in enumerate(dates, 1)]
    r = one(events, docs(*(["2025-03-09"] * len(dates)), sources=sources))
    assert (r["date"], r["detail"]["date_basis"]) == (expected, "text")


CLAIM_SENTENCE = ("Invented: on Sunday the group claimed the bombing in Kunduz.", ["actor", "claimed", "date"])


@pytest.mark.parametrize("claim_day", ["2025-03-06", "2025-03-09"])
def test_the_claims_date_loses_to_the_attacks_date(claim_day: str) -> None:
    # Earlier or later, a date that the claim sentence gives never becomes the attack's.
    claim = event("e1", "d1", date=claim_day, **KUNDUZ, claimed=True, actor="ISKP", quotes=[CLAIM_SENTENCE])
    attack = event("e2", "d2", date="2025-03-07", **KUNDUZ, quotes=[("Invented: a bomb went off in Kunduz on Friday.", ["date", "place"])])
    r = one([claim, attack], docs("2025-03-09", "2025-03-08"))
    assert (r["date"], r["detail"]["date_basis"], r["detail"]["date_from"]) == ("2025-03-07", "text", ["e2"])
    assert {f["event_id"]: f["date_basis"] for f in r["detail"]["figures"]} == {"e1": "claim", "e2": "text"}


def test_a_claim_told_apart_from_the_date_sentence_is_dated_by_the_attack() -> None:
    quotes = [("Invented: a bomb went off in Kunduz on 6 March.", ["date", "place"]), ("Invented: the group claimed it.", ["claimed"])]
    claimed = event("e1", "d1", date="2025-03-06", **KUNDUZ, claimed=True, quotes=quotes)
    other = event("e2", "d2", date="2025-03-07", **KUNDUZ)
    r = one([claimed, other], docs("2025-03-09", "2025-03-08"))
    assert (r["date"], r["detail"]["date_basis"]) == ("2025-03-06", "text")


def test_with_no_attack_date_the_earliest_bound_claim_or_publication() -> None:
    claim = event("e1", "d1", date="2025-03-08", **KUNDUZ, claimed=True, quotes=[CLAIM_SENTENCE])
    report = event("e2", "d2", date="2025-03-09", date_basis="publication_day", **KUNDUZ)
    r = one([claim, report], docs("2025-03-09", "2025-03-09"))
    assert (r["date"], r["detail"]["date_basis"]) == ("2025-03-08", "claim")


def test_an_undated_unplaced_member_inherits_the_clusters_date_and_place_with_its_basis() -> None:
    dated = event("e1", "d1", date="2025-03-07", admin2="Kunduz", **KUNDUZ, killed=4)
    bare = event("e2", "d2", killed=4)
    r = one([dated, bare], docs("2025-03-07", "2025-03-08"))
    assert (r["date"], r["admin1"], r["place"]) == ("2025-03-07", "Kunduz", "Kunduz")
    assert r["detail"]["date_basis"] == "text"
    assert r["detail"]["inherited"] == {"e2": ["date", "country", "admin1", "admin2", "place"]}
    assert r["detail"]["place_basis"] == {"member": "e1", "precision": "town", "filled": [], "set_aside": []}


# -- place --------------------------------------------------------------------------------------


def test_a_precise_place_in_another_province_does_not_win_by_precision() -> None:
    site = event("e1", "d1", date="2025-03-07", country="AF", admin1="Takhar", place="Invented bazaar", geo_precision="site", lat=36.7, lon=69.5)
    towns = [event(f"e{n}", f"d{n}", date="2025-03-07", **KUNDUZ) for n in (2, 3)]
    r = one([site, *towns], docs("2025-03-07", "2025-03-07", "2025-03-08"))
    assert (r["admin1"], r["place"], r["geo_precision"]) == ("Kunduz", "Kunduz", "town")
    assert r["detail"]["place_basis"]["set_aside"] == ["e1"]
    assert r["detail"]["inherited"].get("e1") is None  # it states its own province: it is set aside, not filled


def test_the_finest_consistent_place_wins_and_its_gaps_are_filled() -> None:
    site = event("e1", "d1", date="2025-03-07", country="AF", place="Invented mosque", geo_precision="site", lat=36.72, lon=68.85)
    town = event("e2", "d2", date="2025-03-07", admin2="Kunduz", **KUNDUZ)
    r = one([site, town], docs("2025-03-07", "2025-03-08"))
    assert (r["country"], r["admin1"], r["admin2"], r["place"], r["geo_precision"]) == ("AF", "Kunduz", "Kunduz", "Invented mosque", "site")
    assert r["detail"]["place_basis"] == {"member": "e1", "precision": "site", "filled": ["admin1", "admin2"], "set_aside": []}
    assert r["detail"]["inherited"] == {"e1": ["admin1", "admin2"]}  # e2 names its own (coarser) place


# -- properties ---------------------------------------------------------------------------------

DAYS = ["2025-03-06", "2025-03-07", "2025-03-08"]


@st.composite
def clusters(draw: st.DrawFn) -> tuple[list[dict[str, Any]], dict[str, DocumentInfo]]:
    n = draw(st.integers(min_value=1, max_value=7))
    events, documents = [], {}
    for i in range(n):
        doc = f"d{draw(st.integers(0, 4))}"
        documents[doc] = DocumentInfo(doc, f"{doc}.txt", published=draw(st.sampled_from(DAYS)), source=draw(st.sampled_from(["A", "B", "C", None])))
        basis = draw(st.sampled_from(["text", "text", "publication_day", "claim", "none"]))
        date = None if basis == "none" else draw(st.sampled_from([*DAYS, "2025-03"]))
        claimed = basis == "claim" or draw(st.booleans())
        quotes = [CLAIM_SENTENCE] if basis == "claim" else [("Invented report.", ["date"])]
        where = draw(st.sampled_from([KUNDUZ, {"country": "AF", "admin1": "Takhar"}, {"country": "AF"}, {}]))
        casualties = draw(st.sampled_from([None, {"civilians": {"killed": 2}}]))
        events.append(
            event(
                f"e{i}", doc, date=date, date_basis=None if date is None else ("text" if basis == "claim" else basis), **where,
                claimed=claimed, quotes=quotes, casualties=casualties,
                killed=draw(st.sampled_from([None, 2, 5, 9])), injured=draw(st.sampled_from([None, 1, 7])),
                killed_claimed=draw(st.sampled_from([None, 20])),
            )
        )  # fmt: skip
    return events, documents


@given(clusters(), st.randoms(use_true_random=False))
@settings(max_examples=150, deadline=None)
def test_the_record_depends_neither_on_member_order_nor_on_publication(case: tuple[list[dict[str, Any]], dict[str, DocumentInfo]], rnd: random.Random) -> None:
    events, documents = case
    shuffled = list(events)
    rnd.shuffle(shuffled)
    days = [d.published for d in documents.values()]
    rnd.shuffle(days)
    republished = {k: DocumentInfo(d.id, d.name, published=day, source=d.source) for (k, d), day in zip(documents.items(), days, strict=True)}

    def without_publication(record: dict[str, Any]) -> dict[str, Any]:
        figures = [{k: v for k, v in f.items() if k != "published"} for f in record["detail"]["figures"]]
        return {**record, "detail": {**record["detail"], "figures": figures}}

    assert without_publication(one(events, documents)) == without_publication(one(shuffled, republished))
