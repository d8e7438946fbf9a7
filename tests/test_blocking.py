"""Blocking (kwatch.resolve.blocking, issue 12): which members are compared at all. Hand-built
members, one rule each, and properties: the pairs are exactly the members sharing a key that
`may_pair`, whatever the order."""

from __future__ import annotations

import itertools
import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kwatch.resolve import DocumentInfo
from kwatch.resolve.blocking import (
    candidate_pairs,
    content_similarity,
    content_words,
    crowded_keys,
    expand,
    index_keys,
    may_pair,
    probe_keys,
)
from kwatch.resolve.members import Member
from kwatch.resolve.rules import COARSE_LIMIT, CONTENT_LIMIT, WINDOW_DAYS


def member(id: str, doc: str | None = None, **fields: Any) -> Member:
    quote = fields.pop("quote", "")
    event = {"id": id, "document_id": doc or f"doc-{id}", "type": "attack", "country": "AF", "detail": {},
             "sources": [{"document_id": doc or f"doc-{id}", "quote": quote}] if quote else [], **fields}  # fmt: skip
    return Member.of(event)


def pairs(*members: Member, documents: dict[str, DocumentInfo] | None = None) -> set[tuple[str, str]]:
    return set(candidate_pairs({m.id: m for m in members}, documents))


@pytest.mark.parametrize(
    ("a", "b", "paired"),
    [
        ({"type": "attack"}, {"type": "attack"}, True),
        ({"type": "plot"}, {"type": "plot"}, True),
        ({"type": "plot"}, {"type": "arrest"}, False),  # the arrests that foiled a plot are linked, not merged
        ({"type": "attack"}, {"type": "propaganda"}, False),  # a claim is linked by claims.py
        ({"country": "AF"}, {"country": "PK"}, False),
        ({"country": "AF"}, {"country": None}, True),
        ({"date": "2025-03-07"}, {"date": f"2025-03-{7 + WINDOW_DAYS:02d}"}, True),
        ({"date": "2025-03-07"}, {"date": f"2025-03-{8 + WINDOW_DAYS:02d}"}, False),
        ({"date": "2025-03"}, {"date": "2025-03-30"}, True),  # a month holds the day
        ({"date": "2025"}, {"date": "2025-11-02"}, True),
        ({"date": "2025-03"}, {"date": "2025-04-01"}, False),
    ],
)
def test_type_country_and_dates(a: dict[str, Any], b: dict[str, Any], paired: bool) -> None:
    base = {"date": "2025-03-07"}
    x, y = member("a", **{**base, **a}), member("b", **{**base, **b})
    assert (pairs(x, y) == {("a", "b")}) is paired
    assert may_pair(x, y) is may_pair(y, x)


def test_an_undated_member_is_compared_around_its_reports_publication_day() -> None:
    documents = {"d1": DocumentInfo("d1", "d1.txt", published="2025-03-09T06:00:00"), "d2": DocumentInfo("d2", "d2.txt", published=None)}
    near = member("a", date="2025-03-07")
    far = member("b", date="2025-03-20")
    published = member("u", "d1")  # no date; its report is of 9 March
    unknown = member("v", "d2")  # no date, no publication day, no words: only its document
    assert pairs(near, far, published, unknown, documents=documents) == {("a", "u")}


def test_an_undated_member_meets_its_event_through_a_rare_shared_word() -> None:
    dated = member("a", date="2024-06-01", quote="A bomb hit the Sayed ul-Shuhada school in Dasht-e-Barchi")
    headline = member("h", quote="Blast at Sayed ul-Shuhada school")
    other = member("o", quote="Gunmen attacked a checkpoint")
    assert pairs(dated, headline, other) == {("a", "h")}
    # Two dated members sharing words a year apart are not compared: their dates rule it out.
    assert pairs(dated, member("b", date="2025-06-01", quote="Sayed ul-Shuhada school again")) == set()


def test_an_undated_member_meets_a_report_in_another_script_through_a_rare_name() -> None:
    """Issue 12: the Pashto post shares no word with the English report, but the name it gives."""
    dated = member("a", date="2024-06-01", quote="Gunmen killed Mawlawi Haqyar in Khost")
    pashto = member("p", quote="مولوي حقيار ووژل شو")
    other = member("o", quote="په کندهار کې یو پولیس مړ شو")
    assert pairs(dated, pashto, other) == {("a", "p")}
    assert "n|attack|hkr" in index_keys(dated) and "o|attack|hkr" in index_keys(pashto)


def partners(one: Member, *others: Member) -> set[str]:
    return {a if b == one.id else b for a, b in pairs(one, *others) if one.id in (a, b)}


def test_a_common_word_brings_nothing() -> None:
    undated = member("u", quote="killed")
    others = [member(f"e{n:03d}", date=f"2020-{1 + n % 12:02d}-01", quote="killed") for n in range(CONTENT_LIMIT + 1)]
    assert partners(undated, *others) == set()
    assert partners(undated, *others[:CONTENT_LIMIT - 1]) == {o.id for o in others[:CONTENT_LIMIT - 1]}


def test_members_of_one_document_are_compared() -> None:
    assert pairs(member("a", "d", date="2025-03-07"), member("b", "d")) == {("a", "b")}


def test_a_crowded_period_is_compared_within_its_province() -> None:
    days = [member(f"e{n:03d}", date=f"2025-03-{1 + n % 28:02d}", admin1="Kabul" if n % 2 else "Herat") for n in range(COARSE_LIMIT + 1)]
    month = member("m", date="2025-03", admin1="Kabul")
    assert partners(month, *days) == {d.id for d in days if d.admin1 == "Kabul"}
    assert partners(month, *days[:10]) == {d.id for d in days[:10]}


def test_keys_are_filed_and_looked_up_symmetrically() -> None:
    day, month, undated = member("a", date="2025-03-07", quote="Jalalabad"), member("m", date="2025-03"), member("u", quote="Jalalabad")
    for x, y in itertools.permutations([day, month, undated], 2):
        meet = bool(probe_keys(x) & index_keys(y))
        assert meet is bool(probe_keys(y) & index_keys(x)), (x.id, y.id)
    assert expand(index_keys(day)) == probe_keys(day)


def test_content_similarity() -> None:
    a = member("a", quote="Twelve killed at the Pul-e-Khumri mosque, 12 wounded")
    b = member("b", quote="The Pul-e-Khumri mosque bombing: ١٢ killed")  # Arabic-Indic digits read as 12
    assert content_words(b) >= {"khumri", "mosque", "12"}
    assert 0 < content_similarity(a, b) == content_similarity(b, a) < 1
    assert content_similarity(a, a) == 1.0 and content_similarity(a, member("c")) == 0.0


def test_crowded_keys() -> None:
    assert crowded_keys({"p|attack|2025": COARSE_LIMIT + 1, "p|attack|2024": COARSE_LIMIT, "w|attack|x": CONTENT_LIMIT + 1,
                         "n|attack|kbl": CONTENT_LIMIT + 1, "n|attack|hkn": CONTENT_LIMIT, "d|attack|1": 10**6}) == {
        "p|attack|2025", "w|attack|x", "n|attack|kbl"}  # fmt: skip


# -- properties ---------------------------------------------------------------------------------


@st.composite
def member_sets(draw: st.DrawFn) -> tuple[list[Member], dict[str, DocumentInfo]]:
    documents = {f"d{n}": DocumentInfo(f"d{n}", f"d{n}", published=draw(st.sampled_from([None, "2025-03-04", "2025-03-10", "2025-03"]))) for n in range(5)}
    found = []
    for i in range(draw(st.integers(1, 25))):
        found.append(
            member(
                f"e{i:02d}", f"d{draw(st.integers(0, 4))}",
                type=draw(st.sampled_from(["attack", "raid", "propaganda"])),
                date=draw(st.sampled_from([None, "2025-03-01", "2025-03-05", "2025-03-09", "2025-03", "2025", "2024-12-30"])),
                country=draw(st.sampled_from(["AF", None, "PK"])),
                admin1=draw(st.sampled_from([None, "Kabul", "Herat"])),
                # names in three scripts ("in Kabul" is a name, an opening "Kabul" is not): name keys
                quote=" ".join(draw(st.lists(st.sampled_from(["Kabul", "in Kabul", "کابل", "в Кабуле", "mosque", "12", "school", "convoy"]), max_size=3))),
                detail={"release_key": "k"} if draw(st.booleans()) else {},
            )
        )  # fmt: skip
    return found, documents


@given(member_sets(), st.randoms(use_true_random=False))
@settings(max_examples=200, deadline=None)
def test_candidate_pairs_are_the_members_sharing_a_key_in_any_order(case: Any, rnd: random.Random) -> None:
    members, documents = case
    found = list(candidate_pairs({m.id: m for m in members}, documents))
    shuffled = list(members)
    rnd.shuffle(shuffled)
    assert found == list(candidate_pairs({m.id: m for m in shuffled}, documents)) == sorted(set(found))
    filed = {m.id: index_keys(m, documents.get(m.document_id)) for m in members}
    everyone: dict[str, int] = {}
    for keys in filed.values():
        for key in keys:
            everyone[key] = everyone.get(key, 0) + 1
    crowded = crowded_keys(everyone)
    expected = {
        (a.id, b.id)
        for a, b in itertools.combinations(sorted(members, key=lambda m: m.id), 2)
        if may_pair(a, b) and expand(filed[a.id], crowded=crowded) & filed[b.id]
    }
    assert set(found) == expected
