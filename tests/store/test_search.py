"""Full-text search on both dialects: three scripts, ranking, hostile input."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kwatch.models import RawDocument
from kwatch.store import Store
from kwatch.store.fulltext import HIGHLIGHT_START, HIGHLIGHT_STOP, fts5_query

T0 = datetime(2024, 3, 22, 18, 0, tzinfo=UTC)

DOCUMENTS = {
    "en": ("Suicide bombing in Kabul", "A suicide bomber struck a mosque in Kabul on Friday, killing at least 20 worshippers."),
    "ru": ("Теракт в Подмосковье", "Боевики открыли огонь в концертном зале Крокус Сити Холл, погибли 145 человек."),
    "fa": ("حمله در هرات", "در حمله انتحاری به مسجد در شهر هرات دست کم ۱۲ نمازگزار کشته شدند."),
    "en2": ("Arrests in Tajikistan", "Security forces arrested nine suspects accused of planning attacks for the group."),
}


@pytest.fixture
def searchable(store: Store) -> dict[str, str]:
    """The store filled with DOCUMENTS; returns language key -> document id."""
    ids = {}
    for key, (title, text) in DOCUMENTS.items():
        ids[key] = store.add_document(RawDocument(text=text, kind="text", title=title, source=f"src-{key}"), ingested_at=T0).id
    return ids


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("mosque Kabul", "en"),
        ("worshippers", "en"),
        ("погибли", "ru"),
        ("Крокус", "ru"),
        ("концертном зале", "ru"),
        ("هرات", "fa"),
        ("نمازگزار", "fa"),
        ("Tajikistan", "en2"),
    ],
)
def test_search_finds_the_document_in_its_script(store: Store, searchable: dict[str, str], query: str, expected: str) -> None:
    assert [hit.document_id for hit in store.search(query)] == [searchable[expected]]


@pytest.mark.parametrize("query", ["KABUL", "крокус", "ПОГИБЛИ"])
def test_search_ignores_case(store: Store, searchable: dict[str, str], query: str) -> None:
    assert len(store.search(query)) == 1


def test_hit_carries_title_source_and_highlighted_snippet(store: Store, searchable: dict[str, str]) -> None:
    (hit,) = store.search("worshippers")
    assert (hit.title, hit.source, hit.published) == ("Suicide bombing in Kabul", "src-en", None)
    assert f"{HIGHLIGHT_START}worshippers{HIGHLIGHT_STOP}" in hit.snippet


def test_words_are_all_required(store: Store, searchable: dict[str, str]) -> None:
    assert store.search("Kabul Tajikistan") == []


def test_or_finds_either(store: Store, searchable: dict[str, str]) -> None:
    found = {hit.document_id for hit in store.search("Kabul or Tajikistan")}
    assert found == {searchable["en"], searchable["en2"]}


def test_minus_excludes(store: Store, searchable: dict[str, str]) -> None:
    assert [h.document_id for h in store.search("attacks -Kabul")] == [searchable["en2"]]
    assert store.search("attacks -Tajikistan") == []


def test_quoted_phrase_must_be_adjacent(store: Store, searchable: dict[str, str]) -> None:
    assert len(store.search('"suicide bomber"')) == 1
    assert store.search('"bomber suicide"') == []


def test_better_match_ranks_first(store: Store, searchable: dict[str, str]) -> None:
    extra = store.add_document(
        RawDocument(text="Kabul. Kabul again: Kabul police said the Kabul blast was small.", kind="text", title="Kabul Kabul"),
        ingested_at=T0,
    )
    hits = store.search("Kabul")
    assert hits[0].document_id == extra.id
    assert hits[0].rank > hits[1].rank


def test_limit_caps_hits(store: Store, searchable: dict[str, str]) -> None:
    assert len(store.search("in", limit=1)) == 1
    assert store.search("Kabul", limit=0) == []


@pytest.mark.parametrize(
    "query",
    ['"', '""', 'AND (', "*", "-x", ":", "title:Kabul", "Kabul*", "(Kabul", "Kabul)", "NOT", "OR", "AND",
     "NEAR(Kabul mosque)", "'; DROP TABLE documents; --", "-", "--", "^Kabul", "Kabul -", '"Kabul', "{}", "a:b:c",
     "   ", ""],
)  # fmt: skip
def test_hostile_syntax_never_raises(store: Store, searchable: dict[str, str], query: str) -> None:
    hits = store.search(query)
    assert all(hit.document_id in searchable.values() for hit in hits)
    assert store.count_documents() == len(DOCUMENTS)


@pytest.mark.parametrize("query", ['"Kabul', "Kabul)", "(Kabul", "Kabul*", "Kabul:"])
def test_syntax_around_a_word_still_finds_it(store: Store, searchable: dict[str, str], query: str) -> None:
    assert searchable["en"] in [hit.document_id for hit in store.search(query)]


def test_search_on_empty_store(store: Store) -> None:
    assert store.search("Kabul") == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Kabul mosque", '"Kabul" "mosque"'),
        ('"suicide bomber" Kabul', '"suicide bomber" "Kabul"'),
        ("Kabul or Herat", '"Kabul" OR "Herat"'),
        ("Kabul -Herat", '("Kabul") NOT "Herat"'),
        ('say "hi', '"say" "hi"'),
        ('a"b', '"a""b"'),
        ("-Herat", None),
        ("or Kabul", '"Kabul"'),
        ("* : ( ) -", None),
        ("Kab*", '"Kab"*'),
        ("Kab* -Herat*", '("Kab"*) NOT "Herat"*'),
        ('"Kab*"', '"Kab*"'),
        ("Ka(b*", '"Kab"*'),
        ("*", None),
    ],
)
def test_fts5_query_quotes_every_term(query: str, expected: str | None) -> None:
    assert fts5_query(query) == expected


@pytest.mark.parametrize(("query", "expected"), [("Kab*", ["en"]), ("KAB*", ["en"]), ("Крок*", ["ru"]), ("هر*", ["fa"]), ("worship* Kab*", ["en"]), ("Kab* -mosq*", [])])
def test_issue_14_a_word_with_star_finds_the_words_it_begins(store: Store, searchable: dict[str, str], query: str, expected: list[str]) -> None:
    assert [hit.document_id for hit in store.search(query)] == [searchable[key] for key in expected]


@pytest.mark.parametrize(("query", "total"), [("in", 2), ("Kabul", 1), ("Kab* or Tajik*", 2), ("in -Kabul", 1), ("*", 0), ("-Kabul", 0)])
def test_issue_14_count_is_every_match_not_a_page(store: Store, searchable: dict[str, str], query: str, total: int) -> None:
    assert store.count_matches(query) == total
    assert len(store.search(query, limit=1)) == min(total, 1)
    assert [h.document_id for h in store.search(query, limit=1, offset=1)] == [h.document_id for h in store.search(query)][1:2]
