"""Properties of resolution (issue 12) over reports as they come: undated (no date, or only the
report's publication day), unplaced, and in several languages and scripts (English, Dari,
Pashto, Urdu, Russian, Uzbek Cyrillic), naming the same people and places in each script and
giving figures in each digit system. Whatever the input order, resolving it gives the same
records; resolving them again changes nothing; resolving a second batch into a stored
resolution gives what a full resolution of everything gives.

The sentences are our own, built from templates below."""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kwatch.resolve import DocumentInfo, Resolved, blocking, resolve
from kwatch.resolve.incremental import Changes, MemoryResolution, index_of, resolve_part

Event = dict[str, Any]
Case = tuple[list[Event], dict[str, DocumentInfo]]

#: (canonical place, province, its name in Latin, Arabic and Cyrillic script)
PLACES = [
    ("Kabul", "Kabul", "Kabul", "کابل", "Кабул"),
    ("Jalalabad", "Nangarhar", "Jalalabad", "جلال آباد", "Джалалабад"),
    ("Kunduz", "Kunduz", "Kunduz", "قندوز", "Кундуз"),
]
#: people a report may name, in the three scripts (made-up names)
PEOPLE = [("Haqyar", "حقيار", "Хакьяр"), ("Zarifi", "ظریفی", "Зарифи"), ("Mansoor", "منصور", "Мансур"), ("Taheri", "طاهری", "Тахери")]
#: language -> (script index into PLACES/PEOPLE names, digits, sentence template)
LANGUAGES = {
    "en": (0, "0123456789", "Gunmen killed {n} people and {who} in {place} on the day."),
    "fa": (1, "۰۱۲۳۴۵۶۷۸۹", "در {place} {n} تن و {who} کشته شدند."),
    "ps": (1, "۰۱۲۳۴۵۶۷۸۹", "په {place} کې {n} کسان او {who} ووژل شول."),
    "ur": (1, "٠١٢٣٤٥٦٧٨٩", "{place} میں {n} افراد اور {who} ہلاک ہو گئے۔"),
    "ru": (2, "0123456789", "В городе {place} убиты {n} человек и {who}."),
    "uz": (2, "0123456789", "Шаҳар {place} ҳужумида {n} киши ва {who} ҳалок бўлди."),
}
START = date(2025, 3, 1)


def _quote(language: str, place: int, person: int, killed: int | None) -> str:
    script, digits, template = LANGUAGES[language]
    figure = "".join(digits[int(d)] for d in str(killed)) if killed is not None else ""
    return template.format(place=PLACES[place][2 + script], who=PEOPLE[person][script], n=figure)


@st.composite
def multilingual_reports(draw: st.DrawFn) -> Case:
    """Real events each told by one to three reports, each in a language of its own choosing; a
    report gives the day, the month, only its publication day or no date; it may leave out the
    place or the country; reports of one document are sometimes two events."""
    rnd = random.Random(draw(st.integers(0, 2**32 - 1)))
    events: list[Event] = []
    documents: dict[str, DocumentInfo] = {}
    span = draw(st.sampled_from([6, 30, 120]))
    for real in range(draw(st.integers(min_value=1, max_value=14))):
        place, person = rnd.randrange(len(PLACES)), rnd.randrange(len(PEOPLE))
        kind = rnd.choice(["attack", "attack", "raid"])
        day = START + timedelta(days=rnd.randrange(span))
        killed, method = rnd.choice([None, 2, 5, 12, 40]), rnd.choice([None, "bombing", "shooting"])
        for report in range(rnd.choice([1, 2, 3])):
            doc = f"d{real}-{report}" if rnd.random() < 0.85 else f"d{max(0, real - 1)}-0"
            language = rnd.choice(list(LANGUAGES))
            published = rnd.choice([day, day + timedelta(days=1), None])
            documents.setdefault(doc, DocumentInfo(doc, f"{doc}.txt", published=published.isoformat() if published else None, language=language))
            language = documents[doc].language or language
            basis = rnd.choice(["text", "text", "month", "publication_day", "none"])
            when: str | None = {"text": day.isoformat(), "month": day.isoformat()[:7], "none": None}.get(basis)
            if basis == "publication_day":
                when = documents[doc].published  # the report dates nothing; its day stands in
            unplaced = rnd.random() < 0.3
            told = None if killed is None or rnd.random() < 0.2 else killed + rnd.choice([0, 0, 1])
            events.append(
                {
                    "id": f"e{real:03d}{report}", "document_id": doc, "type": kind, "date": when,
                    "date_basis": None if when is None else "publication_day" if basis == "publication_day" else "text",
                    "country": None if unplaced and rnd.random() < 0.5 else "AF",
                    "admin1": None if unplaced else PLACES[place][1], "admin2": None,
                    "place": None if unplaced else PLACES[place][0], "geo_precision": None if unplaced else "town",
                    "lat": None, "lon": None, "actor": rnd.choice([None, "ISKP", "IS"]), "claimed": rnd.choice([None, True]),
                    "method": method if kind == "attack" else None, "target": None, "killed": told, "injured": None,
                    "killed_claimed": None, "injured_claimed": None, "medium": None, "languages": [], "outlet": None, "detail": {},
                    "sources": [{"document_id": doc, "quote": _quote(language, place, person, told), "start": 0, "end": 1, "fields": []}],
                }
            )  # fmt: skip
    return events, documents


def shown(resolved: Sequence[Resolved]) -> list[tuple[str, dict[str, Any], list[tuple[str, dict[str, Any]]]]]:
    return [(r.id, r.record, r.members) for r in resolved]


@contextmanager
def limits(content: int) -> Iterator[None]:
    """A small crowding limit for words and names, so a few reports crowd a name."""
    saved = blocking.CONTENT_LIMIT
    blocking.CONTENT_LIMIT = content
    try:
        yield
    finally:
        blocking.CONTENT_LIMIT = saved


@given(multilingual_reports(), st.randoms(use_true_random=False))
@settings(max_examples=50, deadline=None)
def test_the_order_of_the_reports_does_not_change_the_records(case: Case, rnd: random.Random) -> None:
    events, documents = case
    shuffled = list(events)
    rnd.shuffle(shuffled)
    shuffled_documents = dict(rnd.sample(sorted(documents.items()), len(documents)))
    assert shown(resolve(shuffled, documents=shuffled_documents)) == shown(resolve(events, documents=documents))


@given(multilingual_reports())
@settings(max_examples=50, deadline=None)
def test_resolving_again_changes_nothing_and_holds_every_report_once(case: Case) -> None:
    events, documents = case
    first = resolve(events, documents=documents)
    assert shown(resolve(events, documents=documents)) == shown(first)
    assert sorted(eid for r in first for eid, _ in r.members) == sorted(e["id"] for e in events)
    # An unplaced or undated member takes its record's place and date and says so.
    by_id = {e["id"]: e for e in events}
    for r in first:
        for eid, _ in r.members:
            inherited = r.record["detail"]["inherited"].get(eid, [])
            if by_id[eid]["place"] is None and r.record["place"] is not None:
                assert "place" in inherited
            if by_id[eid]["date"] is None and r.record["date"] is not None:
                assert "date" in inherited


def _incremental(before: Sequence[Event], now: Sequence[Event], documents: Mapping[str, DocumentInfo]) -> list[Resolved]:
    """Resolve `before` in full, then `now` incrementally over it: the stored resolution after."""
    first = resolve(before, documents=documents)
    previous = MemoryResolution(now, resolved=first, keys=index_of(before, documents), documents=documents)
    part = resolve_part(previous, Changes.between({e["id"]: e for e in before}, {e["id"]: e for e in now}))
    assert part is not None
    removed = set(part.removed)
    return sorted([r for r in first if r.id not in removed] + part.resolved, key=lambda r: r.id)


@given(multilingual_reports(), st.integers(0, 2**16), st.sampled_from([50, 8, 4, 2]))
@settings(max_examples=50, deadline=None)
def test_a_second_batch_resolved_incrementally_equals_a_full_resolution(case: Case, seed: int, content: int) -> None:
    events, documents = case
    rnd = random.Random(seed)
    before = [e for e in events if rnd.random() < 0.7]
    now = [e for e in events if e not in before or rnd.random() < 0.95]  # new reports, and some gone
    for n, event in enumerate(now):
        if event in before and rnd.random() < 0.1:  # re-extracted undated, or unplaced
            now[n] = {**event, "date": None, "date_basis": None} if rnd.random() < 0.5 else {**event, "admin1": None, "place": None}
    with limits(content):
        assert shown(_incremental(before, now, documents)) == shown(resolve(now, documents=documents))
