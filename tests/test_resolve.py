"""Event resolution (kwatch.resolve): hand-built events, properties, our own test corpus
(tests/data/resolution/) and the seeds."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kwatch
from kwatch.resolve import DocumentInfo, resolve

Make = Callable[..., dict[str, Any]]


@pytest.fixture
def make() -> Make:
    def build(id: str, doc: str, **fields: Any) -> dict[str, Any]:
        base: dict[str, Any] = {"type": "attack", "date": None, "country": None, "admin1": None, "admin2": None, "place": None,
                                "geo_precision": None, "lat": None, "lon": None, "actor": None, "claimed": None, "method": None,
                                "target": None, "killed": None, "injured": None, "killed_claimed": None, "injured_claimed": None,
                                "medium": None, "languages": [], "outlet": None, "detail": {}}  # fmt: skip
        sources = [{"document_id": doc, "quote": fields.pop("quote", f"report {id}"), "start": 0, "end": 1, "fields": []}]
        return {**base, **fields, "id": id, "document_id": doc, "sources": sources}

    return build


def groups(resolved: list[Any]) -> list[list[str]]:
    return sorted(sorted(eid for eid, _ in r.members) for r in resolved)


DOCS = {
    "d1": DocumentInfo("d1", "first.txt", published="2025-03-07", source="desk A"),
    "d2": DocumentInfo("d2", "second.txt", published="2025-03-08", source="desk B"),
    "d3": DocumentInfo("d3", "third.txt", published="2025-03-09", source="desk C"),
}


def test_reports_of_one_attack_merge(make: Make) -> None:
    a = make("a1", "d1", date="2025-03-07", country="AF", admin1="Baghlan", place="Imam Hussain mosque", method="suicide_bombing", killed=12)
    b = make("b1", "d2", date="2025-03-07", country="AF", admin1="Baghlan", place="Imam Hussain mosque", method="bombing", killed=18)
    [event] = resolve([a, b], documents=DOCS)
    assert event.id == "a1"  # the smallest member id
    reason = dict(event.members)["b1"]
    assert reason["kind"] == "auto" and {"same_day", "same_place"} <= set(reason["matched"])  # (weights are refitted: same_method may weigh 0)
    assert reason["probability"] >= 0.5 and all(part["means"] and part["weight"] for part in reason["evidence"])


def test_one_report_of_a_suicide_bomber_refines_two_of_an_explosion(make: Make) -> None:
    reports = [make(f"{d}x", d, date="2025-03-07", country="AF", admin1="Baghlan", place="Imam Hussain mosque", method=method, killed=12)
               for d, method in (("d1", "bombing"), ("d2", "bombing"), ("d3", "suicide_bombing"))]
    [event] = resolve(reports, documents=DOCS)
    assert event.record["method"] == "suicide_bombing"


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"admin1": "Kunduz"}, "another province"),
        ({"date": "2025-03-12"}, "five days later"),
        ({"country": "PK", "admin1": None}, "another country"),
        ({"actor": "Taliban"}, "another perpetrator"),
        ({"type": "raid"}, "another type"),
    ],
)
def test_conflicting_reports_stay_apart(make: Make, change: dict[str, Any], why: str) -> None:
    a = make("a1", "d1", date="2025-03-07", country="AF", admin1="Baghlan", place="Imam Hussain mosque", actor="ISKP")
    b = make("b1", "d2", **{**dict(date="2025-03-07", country="AF", admin1="Baghlan", place="Imam Hussain mosque", actor="ISKP"), **change})
    assert len(resolve([a, b], documents=DOCS)) == 2, why


def test_events_of_one_document_stay_apart(make: Make) -> None:
    a = make("a1", "d1", date="2025-03-07", country="AF", admin1="Kabul", place="Kabul")
    b = make("b1", "d1", date="2025-03-07", country="AF", admin1="Kabul", place="Kabul")
    assert len(resolve([a, b], documents=DOCS)) == 2


def test_month_date_merges_with_the_only_candidate(make: Make) -> None:
    # The seeds' Crocus case: "March of this year" with the figures, "March 22" with the city.
    a = make("a1", "d1", date="2024-03", country="RU", place="Crocus City Hall", geo_precision="site", lat=55.752, lon=37.6178, actor="ISKP", killed=145)
    b = make("b1", "d2", date="2024-03-22", country="RU", place="Moscow", geo_precision="town", lat=55.752, lon=37.6178, actor="ISKP")
    [event] = resolve([a, b], documents=DOCS)
    assert (event.record["date"], event.record["place"], event.record["killed"]) == ("2024-03-22", "Crocus City Hall", 145)


def test_month_date_with_two_candidates_stays_apart(make: Make) -> None:
    a = make("a1", "d1", date="2024-03", country="RU", actor="ISKP")
    b = make("b1", "d2", date="2024-03-22", country="RU", actor="ISKP")
    c = make("c1", "d2", date="2024-03-05", country="RU", actor="ISKP")
    assert len(resolve([a, b, c], documents=DOCS)) == 3


def test_figures_are_kept_per_source_and_merged_by_the_rule(make: Make) -> None:
    first = make("a1", "d1", date="2025-03-07", country="AF", admin1="Baghlan", place="mosque", killed=12, injured=30, claimed=False)
    toll = make("b1", "d2", date="2025-03-07", country="AF", admin1="Baghlan", place="mosque", killed=18, injured=41)
    claim = make("c1", "d3", date="2025-03-07", country="AF", admin1="Baghlan", place="mosque", claimed=True, killed_claimed=60, actor="ISKP")
    [event] = resolve([claim, toll, first], documents=DOCS)
    r = event.record
    # 12 and 18 are each reported once by one source, equally backed: the lower middle of the
    # two (FIGURE_RULE), whichever report came out last (tests/resolve/test_fields.py).
    assert (r["killed"], r["killed_low"], r["killed_high"]) == (12, 12, 18)
    assert (r["injured"], r["injured_low"], r["injured_high"]) == (30, 30, 41)
    assert (r["killed_claimed"], r["claimed"], r["actor"]) == (60, True, "ISKP")
    per_source = {f["doc"]: (f["killed"], f["killed_claimed"], f["claimed"], f["stated_by"]) for f in r["detail"]["figures"]}
    assert per_source == {"first.txt": (12, None, False, "desk A"), "second.txt": (18, None, None, "desk B"), "third.txt": (None, 60, True, "desk C")}


def test_the_most_frequent_figure_is_best(make: Make) -> None:
    events = [make(f"e{n}", f"d{n}", date="2025-03-07", country="AF", admin1="Kabul", place="Kabul", killed=k) for n, k in ((1, 20), (2, 20), (3, 25))]
    [event] = resolve(events, documents=DOCS)
    assert (event.record["killed"], event.record["killed_low"], event.record["killed_high"]) == (20, 20, 25)


def test_undated_headline_fragment_folds_into_its_documents_event(make: Make) -> None:
    dated = make("a1", "d1", date="2025-03-07", country="AF", admin1="Baghlan", place="Imam Hussain mosque")
    headline = make("a0", "d1", country="AF", admin1="Baghlan", place="Pul-e-Khumri")
    [event] = resolve([dated, headline], documents=DOCS)
    assert dict(event.members)["a1"]["kind"] in ("fragment", "auto")  # the pair model may take it first


def test_propaganda_sightings_with_one_release_key_are_one_release(make: Make) -> None:
    a = make("p1", "d1", type="propaganda", date="2023-09-12", medium="magazine", languages=["ps"], detail={"release_key": "k1"})
    b = make("p2", "d2", type="propaganda", date="2023-09-14", medium="magazine", languages=["ps"], detail={"release_key": "k1"})
    c = make("p3", "d3", type="propaganda", date="2023-09-12", medium="video", languages=["uz"], detail={"release_key": "k2"})
    assert groups(resolve([a, b, c], documents=DOCS)) == [["p1", "p2"], ["p3"]]


def test_claim_release_is_linked_to_the_attack_it_claims(make: Make) -> None:
    attack = make("a1", "d1", date="2025-03-07", country="AF", admin1="Baghlan", place="Pul-e-Khumri")
    release = make("p1", "d2", type="propaganda", date="2025-03-08", medium="statement",
                   quote="In a statement, the group claimed responsibility for the attack in Pul-e-Khumri.")  # fmt: skip
    other = make("a2", "d3", date="2025-03-08", country="AF", admin1="Kabul", place="Kabul")
    by_id = {r.id: r for r in resolve([attack, release, other], documents=DOCS)}
    assert by_id["a1"].record["claimed"] is True
    assert by_id["a1"].record["detail"]["claimed_by"] == ["p1"]
    assert by_id["p1"].record["detail"]["claims"] == "a1"
    assert "claimed_by" not in by_id["a2"].record["detail"]


@pytest.mark.parametrize(
    ("language", "quote"),
    [
        ("ps", "داعش ډلې د بغلان په ولایت کې د برید پړه په غاړه واخیسته."),
        ("ru", "Группировка взяла на себя ответственность за нападение в провинции Баглан."),
    ],
)
def test_a_claim_in_another_language_and_script_is_linked_to_its_attack(make: Make, language: str, quote: str) -> None:
    attack = make("a1", "d1", date="2025-03-07", country="AF", admin1="Baghlan", place="Pul-e-Khumri")
    release = make("p1", "d4", type="propaganda", date="2025-03-08", medium="statement", quote=quote)
    other = make("a2", "d3", date="2025-03-08", country="AF", admin1="Kabul", place="Kabul")
    docs = {**DOCS, "d4": DocumentInfo("d4", "claim.txt", published="2025-03-08", source="desk D", language=language)}
    by_id = {r.id: r for r in resolve([attack, release, other], documents=docs)}
    assert by_id["a1"].record["detail"].get("claimed_by") == ["p1"] and by_id["p1"].record["detail"]["claims"] == "a1"
    assert "claimed_by" not in by_id["a2"].record["detail"]


def test_analyst_split_and_merge_are_applied_and_the_later_one_wins(make: Make) -> None:
    a = make("a1", "d1", date="2025-03-07", country="AF", admin1="Kabul", place="Kabul", killed=5)
    b = make("b1", "d2", date="2025-03-07", country="AF", admin1="Kabul", place="Kabul", killed=5)
    c = make("c1", "d3", date="2025-03-20", country="AF", admin1="Kabul", place="Kabul")
    split = {"id": 1, "kind": "split", "event_ids": ["a1"], "document_id": "d2", "at": "2025-04-01T00:00:00", "who": "x", "why": None}
    merge = {"id": 2, "kind": "merge", "event_ids": ["a1", "b1", "c1"], "document_id": None, "at": "2025-04-02T00:00:00", "who": "x", "why": "same"}
    assert groups(resolve([a, b, c], documents=DOCS)) == [["a1", "b1"], ["c1"]]
    assert groups(resolve([a, b, c], documents=DOCS, decisions=[split])) == [["a1"], ["b1"], ["c1"]]
    assert groups(resolve([a, b, c], documents=DOCS, decisions=[split, merge])) == [["a1", "b1", "c1"]]
    older_merge = {**merge, "at": "2025-03-31T00:00:00"}
    assert groups(resolve([a, b, c], documents=DOCS, decisions=[older_merge, split])) == [["a1", "c1"], ["b1"]]


# -- properties ---------------------------------------------------------------------------------

PLACES = [("Kabul", "Kabul", 34.53, 69.17), ("Baghlan", "Pul-e-Khumri", 35.94, 68.71), ("Nangarhar", "Jalalabad", 34.43, 70.45)]


@st.composite
def event_sets(draw: st.DrawFn) -> list[dict[str, Any]]:
    n = draw(st.integers(min_value=1, max_value=25))
    events = []
    for i in range(n):
        province, place, lat, lon = draw(st.sampled_from(PLACES))
        day = draw(st.integers(min_value=1, max_value=12))
        precision = draw(st.sampled_from(["day", "day", "month", "none"]))
        date = {"day": f"2025-03-{day:02d}", "month": "2025-03", "none": None}[precision]
        events.append(
            {
                "id": f"e{i:03d}", "document_id": f"d{draw(st.integers(0, 6))}", "type": draw(st.sampled_from(["attack", "attack", "raid"])),
                "date": date, "country": "AF", "admin1": province, "admin2": None, "place": place, "geo_precision": "town",
                "lat": lat, "lon": lon, "actor": draw(st.sampled_from([None, "ISKP", "IS", "Taliban"])), "claimed": draw(st.sampled_from([None, True, False])),
                "method": draw(st.sampled_from([None, "bombing", "shooting"])), "target": None,
                "killed": draw(st.sampled_from([None, 3, 5, 12])), "injured": None, "killed_claimed": None, "injured_claimed": None,
                "medium": None, "languages": [], "outlet": None, "detail": {}, "sources": [],
            }
        )  # fmt: skip
    return events


@given(event_sets(), st.randoms(use_true_random=False))
@settings(max_examples=150, deadline=None)
def test_resolution_does_not_depend_on_input_order(events: list[dict[str, Any]], rnd: random.Random) -> None:
    shuffled = list(events)
    rnd.shuffle(shuffled)
    first = resolve(events)
    second = resolve(shuffled)
    assert [(r.id, r.record, r.members) for r in first] == [(r.id, r.record, r.members) for r in second]


@given(event_sets())
@settings(max_examples=100, deadline=None)
def test_resolving_twice_gives_the_same_result_and_every_event_once(events: list[dict[str, Any]]) -> None:
    first = resolve(events)
    assert [(r.id, r.record) for r in first] == [(r.id, r.record) for r in resolve(events)]
    members = [eid for r in first for eid, _ in r.members]
    assert sorted(members) == sorted(e["id"] for e in events)
    for r in first:  # never two day dates of one document (an undated headline, or "the March attack" recalled at its place, may join)
        days = [e for e in events if e["id"] in dict(r.members) and e["date"] is not None and len(e["date"]) == 10]
        assert len({e["document_id"] for e in days}) == len(days)


# -- our own corpus and the seeds, end to end ---------------------------------------------------


@pytest.fixture(scope="module")
def resolution_store(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> kwatch.api.Kwatch:
    kw = kwatch.open(str(tmp_path_factory.mktemp("resolution") / "r.db"))
    report, _ = kw.ingest([str(data_dir / "resolution")])
    assert report.failed == 0
    return kw


def _by_docs(records: list[dict[str, Any]]) -> dict[frozenset[str], dict[str, Any]]:
    return {frozenset(s["doc"] for s in r["sources"]): r for r in records}


def test_own_corpus_resolves_to_one_event_per_attack(resolution_store: kwatch.api.Kwatch) -> None:
    records = resolution_store.event_records()
    assert len(records) == 3  # Pul-e-Khumri mosque (3 reports), Jalalabad minibus (2), Kandahar (1)
    events = _by_docs(records)
    mosque = events[frozenset({"2025-03-07_baghlan_mosque_first.txt", "2025-03-08_baghlan_mosque_toll.txt", "2025-03-08_baghlan_mosque_claim.txt"})]
    assert (mosque["date"], mosque["admin1"], mosque["actor"]) == ("2025-03-07", "Baghlan", "ISKP")
    # "no group has claimed responsibility yet" on the day; the claim came the next day
    assert mosque["claimed"] is True
    # One desk each for 12 and 18: the 12 "worshippers" are broken down by victims (civilians),
    # so that toll is the better backed; 30 and 41 injured tie, the lower middle. The update's
    # higher figures stay as the range (FIGURE_RULE: never the publication time).
    assert (mosque["killed"], mosque["killed_low"], mosque["killed_high"], mosque["killed_claimed"]) == (12, 12, 18, 60)
    assert (mosque["injured"], mosque["injured_low"], mosque["injured_high"]) == (30, 30, 41)
    assert (mosque["detail"]["casualties"]["civilians"], mosque["detail"]["date_basis"]) == ({"killed": 12}, "text")
    figures = {f["doc"]: (f["killed"], f["injured"], f["killed_claimed"], f["claimed"]) for f in mosque["detail"]["figures"] if f["killed"] or f["killed_claimed"]}
    assert figures == {
        "2025-03-07_baghlan_mosque_first.txt": (12, 30, None, False),
        "2025-03-08_baghlan_mosque_toll.txt": (18, 41, None, None),
        "2025-03-08_baghlan_mosque_claim.txt": (None, None, 60, True),
    }
    minibus = events[frozenset({"2025-04-02_jalalabad_minibus.txt", "2025-04-03_jalalabad_minibus_update.txt"})]
    assert (minibus["date"], minibus["killed"], minibus["killed_low"], minibus["killed_high"]) == ("2025-04-02", 5, 5, 7)
    kandahar = events[frozenset({"2025-04-02_kandahar_roadside_bomb.txt"})]
    assert kandahar["killed"] == 3


def test_events_dataframe_has_one_row_per_resolved_event(resolution_store: kwatch.api.Kwatch) -> None:
    df = resolution_store.events()
    assert len(df) == 3
    assert {"killed_low", "killed_high", "sources", "detail"} <= set(df.columns)


def test_resolution_is_stable_when_rerun(resolution_store: kwatch.api.Kwatch) -> None:
    before = resolution_store.event_records()
    resolution_store.resolve()
    assert resolution_store.event_records() == before


@pytest.mark.shared
def test_seeds_crocus_attack_is_one_event_with_both_sources(shared_dir: Path, tmp_path: Path) -> None:
    with kwatch.open(str(tmp_path / "seeds.db")) as kw:
        kw.ingest([str(shared_dir / "corpus" / "seeds")])
        records = kw.event_records(country="RU", type="attack")
    crocus = [r for r in records if r["date"] and r["date"].startswith("2024-03")]
    assert len(crocus) == 1
    [event] = crocus
    assert {s["doc"] for s in event["sources"]} == {"001_a889bdf4d620904d.txt", "002_f615e135dc3cbe39.txt"}
    assert (event["date"], event["killed"]) == ("2024-03-22", 145)


def test_a_report_recalling_its_event_by_month_at_the_same_site_is_that_event(make: Make) -> None:
    # "the March attack on the hall" in the report of the 22 March attack on the hall; another
    # site, or two day dates, stay two events of that report
    a = make("a1", "d1", date="2025-03-07", country="AF", admin1="Baghlan", place="Imam Hussain mosque", geo_precision="site", killed=12)
    month = make("b1", "d1", date="2025-03", country="AF", admin1="Baghlan", place="Imam Hussain mosque", geo_precision="site", killed=12)
    assert len(resolve([a, month], documents=DOCS)) == 1
    elsewhere = make("c1", "d1", date="2025-03", country="AF", admin1="Baghlan", place="Pul-e Khumri market", geo_precision="site")
    assert len(resolve([a, elsewhere], documents=DOCS)) == 2


@pytest.mark.parametrize(("hint", "one_event"), [(None, False), ("--03-05", True), ("W3", True), ("--03-19", False), ("W5", False)])
def test_an_undated_report_joins_the_day_its_text_names(make: Make, hint: str | None, one_event: bool) -> None:
    # A report with no publication date that says only "on Wednesday" or "5 March" (dates.v2's
    # hints): the day of another report of the attack fits it (2025-03-05 was a Wednesday).
    documents = {**DOCS, "d4": DocumentInfo("d4", "fourth.txt", published=None, source="desk D")}
    a = make("a1", "d1", date="2025-03-05", country="AF", admin1="Baghlan", method="suicide_bombing", actor="ISKP",
             quote="A suicide bomber struck worshippers in Baghlan province")
    b = make("b1", "d4", country="AF", admin1="Baghlan", method="suicide_bombing", actor="ISKP",
             quote="Suicide bombing at the mosque in Baghlan", detail={"date_hint": hint} if hint else {})
    assert len(resolve([a, b], documents=documents)) == (1 if one_event else 2)


def test_sites_named_by_their_kind_are_not_kilometres_apart(make: Make) -> None:
    # "the concert hall in Moscow" carries Moscow's coordinates, the gazetteer's hall its own: the
    # distance between them says nothing about two places.
    hall = make("a1", "d1", date="2025-03-07", country="RU", place="Crocus City Hall", geo_precision="site", lat=55.825, lon=37.39,
                killed=140, quote="gunmen attacked the Crocus City Hall")
    named = make("b1", "d2", date="2025-03-07", country="RU", place="the concert hall in Moscow", geo_precision="site", lat=55.752,
                 lon=37.618, killed=140, quote="gunmen attacked the Crocus concert hall", detail={"site": {"kind": "concert_hall", "of": None}})
    assert len(resolve([hall, named], documents=DOCS)) == 1
    assert len(resolve([hall, {**named, "detail": {}}], documents=DOCS)) == 2
