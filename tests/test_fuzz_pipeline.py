"""No document stops extraction: sentences assembled from the lexicons' own words (event and
casualty words, number words, digits in three scripts, dashes, ranges, dates, gazetteer names,
random unicode) in every supported language go through the default pipeline without an exception,
and a batch of them, with odd reader metadata, through `run_extraction` on a real SQLite store.

Bounded: a handful of examples per language (the `kwatch` hypothesis profile of conftest.py has
no deadline); `KWATCH_FUZZ_EXAMPLES` raises the count for a longer hunt.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kwatch import lexicon
from kwatch.extract import _strings, build_context, extract, supported_languages
from kwatch.extraction import run_extraction
from kwatch.models import RawDocument
from kwatch.pipeline import Context
from kwatch.pipeline.default import build_pipeline
from kwatch.pipeline.model import PipelineDoc
from kwatch.releases import RELEASE_KINDS
from kwatch.store import open_store

EXAMPLES = int(os.environ.get("KWATCH_FUZZ_EXAMPLES", "40"))
LANGUAGES = supported_languages()
#: The sentence the bug report gave, and the variants a fuzzer found.
KNOWN = (
    "ISKP attack in Kabul on 3 March 2024 killed 3 - five people.",
    "ISKP attack in Kabul on 3 March 2024 killed 12 - five people.",
    "ISKP attack in Kabul on 3 March 2024 killed five -5 people.",
    "ISKP attack in Kabul on 3 March 2024 killed ١٢ - five people.",
    "ISKP attack in Kabul on 3 March 2024 killed ۱۲ – five people.",
)


def _plain(texts: Any) -> set[str]:
    """Short strings of a lexicon (regex patterns left out)."""
    return {t for t in _strings(texts) if 0 < len(t) <= 30 and not any(ch in t for ch in "\\{}()[]|?*+^$")}


@cache
def pools(language: str) -> dict[str, tuple[str, ...]]:
    """The language's words by role: event words, casualty words, number words, place names."""
    places = lexicon.load("place_names")["places"]
    found = {
        "events": _plain(lexicon.load("events", language)) | {"attack", "bombing", "suicide bomber", "explosion"},
        "casualties": _plain(lexicon.load("casualties", language)) | {"killed", "injured", "wounded", "were killed"},
        "numbers": _plain(lexicon.load("numbers", language)) | {"five", "twenty-five", "a dozen", "dozens of", "at least"},
        "dates": _plain(lexicon.load("dates", language)),
        "places": set(places) | {n for row in places.values() for n in row["names"].get(language) or ()},
        "actors": {"ISKP", "IS-K", "Islamic State", "Islamic State Khorasan Province", "Daesh", "داعش", "ИГИЛ", "Taliban"},
    }
    return {role: tuple(sorted(words)) for role, words in found.items()}


def fragments(language: str) -> tuple[str, ...]:
    return tuple(sorted({w for words in pools(language).values() for w in words}))


def _digits(n: int, script: str) -> str:
    zero = {"ascii": "0", "arabic": "\u0660", "persian": "\u06f0"}[script]
    return "".join(chr(ord(zero) + int(d)) for d in str(n))


JOINERS = ["-", " - ", " -", "- ", "–", " – ", "—", " to ", " or ", " ", " and ", ", ", "~", ""]


def quantities(language: str) -> st.SearchStrategy[str]:
    """One to three numbers (digits in three scripts, number words) joined by dashes and words."""
    atom = st.one_of(
        st.builds(_digits, st.integers(0, 3000), st.sampled_from(["ascii", "arabic", "persian"])),
        st.sampled_from(pools(language)["numbers"]),
    )
    return st.lists(st.tuples(atom, st.sampled_from(JOINERS)), min_size=1, max_size=3).map(
        lambda parts: "".join(a + j for a, j in parts[:-1]) + parts[-1][0]
    )


def sentences(language: str) -> st.SearchStrategy[str]:
    """A report-shaped sentence (actor, event, place, date, casualty words, a quantity, victims)
    whose parts may each be replaced by noise, or a bag of random fragments."""
    p = pools(language)
    date = st.builds(lambda d, m, y: f"{d} {m} {y}", st.integers(1, 31), st.sampled_from(["March", *p["dates"][:40]]), st.integers(1990, 2030))
    noise = st.one_of(
        st.sampled_from(fragments(language)),
        quantities(language),
        st.sampled_from(["-", "–", "—", " - ", "~", "%", ":", ",", ".", "،", "؛", "(", ")", "[1]", "\n", "?", "\u200c", "\ufeff"]),
        st.sampled_from(["\ud800", "\udfff"]),  # lone surrogates, as a JSON escape gives them
        _text(6),
    )

    def part(words: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(words, words, words, noise, st.just(""))

    shaped = st.tuples(
        part(st.sampled_from(p["actors"])), part(st.sampled_from(p["events"])), part(st.sampled_from(p["places"])),
        part(date), part(st.sampled_from(p["casualties"])), part(quantities(language)),
        part(st.sampled_from(["people", "civilians", "police officers", "worshippers", *p["casualties"][:20]])),
        part(st.sampled_from(p["casualties"])), st.sampled_from([".", "", "!", " —", "،", "."]),
    ).map(lambda parts: " ".join(x for x in parts[:-1] if x) + parts[-1])
    separators = st.sampled_from([" ", " ", " ", "-", " - ", ", ", ". ", "–", ""])
    bag = st.lists(st.tuples(noise, separators), min_size=1, max_size=18).map(lambda parts: "".join(p + s for p, s in parts))
    return st.one_of(shaped, shaped, bag, st.lists(shaped, min_size=2, max_size=4).map(" ".join))


@pytest.fixture(scope="module")
def pipeline_and_context() -> tuple[Any, Context]:
    return build_pipeline(), build_context()


@pytest.mark.parametrize("text", KNOWN)
def test_the_reported_sentences_extract_an_attack_with_the_figure_that_reads(pipeline_and_context, text: str) -> None:
    pipeline, ctx = pipeline_and_context
    result = extract(PipelineDoc(id="d", text=text, published="2024-03-04", language="en", title=None), pipeline=pipeline, ctx=ctx)
    assert [(e.type, e.date) for e in result.events] == [("attack", "2024-03-03")]
    assert result.events[0].killed in (3, 5, 12)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_exception_escapes_the_pipeline(pipeline_and_context, language: str) -> None:
    pipeline, ctx = pipeline_and_context

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(text=sentences(language), published=st.sampled_from([None, "2024", "2024-03", "2024-03-04"]),
           kind=st.sampled_from(["text", "html", "telegram", "rss"]))
    def check(text: str, published: str | None, kind: str) -> None:
        doc = PipelineDoc(id="d", text=text, published=published, language=language, title=None, kind=kind)
        result = extract(doc, pipeline=pipeline, ctx=ctx)
        assert result.skipped or result.events is not None

    check()


def _text(size: int) -> st.SearchStrategy[str]:
    return st.text(st.characters(exclude_characters="\x00"), max_size=size)  # the store refuses NUL


_meta_values = st.one_of(
    st.none(), st.integers(), st.booleans(), st.floats(allow_nan=False), _text(12),
    st.lists(_text(6), max_size=3), st.dictionaries(_text(6), _text(6) | st.integers(), max_size=3),
)  # fmt: skip
_meta = st.fixed_dictionaries(
    {},
    optional={
        key: _meta_values
        for key in ("forwarded_from", "channel", "feed", "message_id", "media_type", "mime_type", "file_name",
                    "file_size", "duration_seconds", "pages", "sha256", "width", "height", "guid")
    },
)  # fmt: skip


@settings(max_examples=max(3, EXAMPLES // 5), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(
    docs=st.lists(
        st.tuples(st.sampled_from(LANGUAGES), st.sampled_from(RELEASE_KINDS), st.data()),
        min_size=1,
        max_size=4,
    )
)
def test_a_batch_of_odd_documents_ends_every_one_ok_skipped_or_failed(tmp_path_factory, pipeline_and_context, docs) -> None:
    pipeline, ctx = pipeline_and_context
    path = tmp_path_factory.mktemp("fuzz") / "k.db"
    with open_store(str(path)) as store:
        for n, (language, kind, data) in enumerate(docs):
            text = data.draw(sentences(language), label="text")
            text = "".join(ch for ch in text if not 0xD800 <= ord(ch) <= 0xDFFF) or "x"  # the store takes UTF-8 only
            meta = data.draw(_meta, label="meta")
            raw = RawDocument(text=text, kind=kind, language=language, locator=f"chan/{n}", meta={k: v for k, v in meta.items()})
            store.add_document(raw, ingested_at=datetime(2024, 3, 5, tzinfo=UTC))
        report = run_extraction(store, pipeline=pipeline, ctx=ctx)
        statuses = [d.extract_status for d in store.documents()]
        assert report.documents == len(statuses)
        assert set(statuses) <= {"ok", "skipped", "failed"}, statuses
        assert not report.failures, [(f.stage, f.reason) for f in report.failures]
