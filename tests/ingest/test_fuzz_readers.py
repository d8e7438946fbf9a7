"""Bounded property tests: whatever bytes, JSON, HTML, feeds or text the readers are given, no
exception escapes, and every record they make is well formed.

Runs through `read_bytes` for every sniffed kind, through files on disk (`read_paths`), and a
smaller sample through `kwatch.ingest.batch.ingest` into a real SQLite store. The example counts keep the
whole file well under a minute on a slow shared machine (the "kwatch" profile of
tests/conftest.py: no per-example deadline).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kwatch.ingest import ReadOptions, count_inputs, decoded_and_sniffed, read_bytes, read_paths
from kwatch.ingest.batch import ingest
from kwatch.ingest.sniff import Sniffed
from kwatch.ingest.telegram import json_depth
from kwatch.models import RawDocument, ReadProblem
from kwatch.store import open_store

OPTIONS = ReadOptions()
T0 = datetime(2024, 3, 23, 9, 0, tzinfo=UTC)
PUBLISHED = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
KINDS = ["text", "html", "pdf", "rss", "json", "empty", "binary", "unsupported"]
STRING_FIELDS = ("path", "source", "url", "title", "author", "language", "locator")
#: Metadata that is a string whenever it is set (Telegram, feeds); counts are ints.
STRING_META = ("channel", "forwarded_from", "media_type", "mime_type", "file_name", "photo", "date_time", "feed", "guid", "bad_date")
COUNT_META = ("file_size", "width", "height", "pages")
FILES = settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def check(items: list[Any]) -> None:
    """The properties every reader keeps, whatever its input."""
    for item in items:
        assert isinstance(item, (RawDocument, ReadProblem)), item
        if isinstance(item, ReadProblem):
            assert isinstance(item.path, str) and isinstance(item.reason, str) and item.reason
            assert "\n" not in item.reason
            # the guard contains bugs; the fuzzer's job is to find them
            assert "a bug in kwatch" not in item.reason, item
            continue
        assert isinstance(item.text, str)
        # a Telegram message with media and no caption is a document with no text
        assert item.text.strip() or item.kind == "telegram", item
        assert item.published is None or PUBLISHED.match(item.published), item.published
        for name in STRING_FIELDS:
            assert getattr(item, name) is None or isinstance(getattr(item, name), str), (name, getattr(item, name))
        for name in STRING_META:
            assert item.meta.get(name) is None or isinstance(item.meta[name], str), (name, item.meta[name])
        for name in COUNT_META:
            value = item.meta.get(name)
            assert value is None or (isinstance(value, int) and not isinstance(value, bool)), (name, value)
        json.dumps(dict(item.meta))  # the store writes it as JSON


# inputs ------------------------------------------------------------------------------------------

JUNK_DATES = st.sampled_from(
    [
        "0000-00-00",
        "0001-01-01T00:00:00",
        "0999-12-31",
        "9999-99-99",
        "9999-12-31T23:59:59",
        "Mon, 01 Jan 0001 00:00:00 GMT",
        "2024-13-45",
        "2024-02-30T10:00:00",
        "",
        "-1",
        "yesterday",
        "2024-03-22T10:00:00",
        "Fri, 22 Mar 2024 23:30:00 -0500",
    ]
) | st.text(max_size=25)
SCALARS = st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | st.floats() | st.text(max_size=20)
JUNK = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["name", "title", "text", "type", "id", "x"]), inner, max_size=3), max_leaves=8)
TEXT_VALUES = (
    st.text(max_size=200)
    | st.lists(st.text(max_size=40) | st.fixed_dictionaries({"type": st.text(max_size=6), "text": JUNK}), max_size=5)
    | st.dictionaries(st.sampled_from(["text", "type"]), JUNK, max_size=2)
    | st.integers()
    | st.none()
)
MEDIA_FIELDS = ("photo", "file", "media_type", "mime_type", "file_name", "file_size", "photo_file_size", "duration_seconds", "width", "height", "sticker_emoji")
MESSAGES = st.fixed_dictionaries(
    {"id": st.integers(0, 10**6) | JUNK, "type": st.sampled_from(["message", "service"]) | JUNK, "date": st.just("2024-03-22T10:00:00") | JUNK_DATES | JUNK, "text": TEXT_VALUES},
    optional={"forwarded_from": JUNK, "author": JUNK, "text_entities": TEXT_VALUES, "reply_to_message_id": JUNK, **{key: JUNK for key in MEDIA_FIELDS}},
)
EXPORTS = st.fixed_dictionaries(
    {"name": st.text(max_size=20) | JUNK, "messages": st.lists(MESSAGES | JUNK, max_size=6)},
    optional={"type": JUNK, "id": JUNK},
)


@st.composite
def deep_json(draw: st.DrawFn) -> str:
    levels = draw(st.integers(0, 3000))
    shape = draw(st.sampled_from(["text_list", "dict", "export_list", "string_brackets"]))
    if shape == "text_list":  # a message whose text nests
        return '{"name": "c", "messages": [{"id": 1, "type": "message", "date": "2024-03-22T10:00:00", "text": ' + "[" * levels + '"x"' + "]" * levels + "}]}"
    if shape == "dict":
        return '{"a": ' * levels + "1" + "}" * levels
    if shape == "export_list":
        return '{"name": "c", "messages": ' + "[" * levels + "]" * levels + "}"
    return '{"name": "c", "messages": [{"id": 1, "date": "2024-03-22T10:00:00", "text": "' + "[{" * levels + '"}]}'  # brackets in a string


JSON_INPUTS = (
    EXPORTS.map(lambda value: json.dumps(value))
    | EXPORTS.map(lambda value: json.dumps(value, ensure_ascii=False))
    | st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)).map(json.dumps)
    | deep_json()
)


def _xml_text(draw: st.DrawFn) -> str:
    raw = draw(st.text(max_size=80))
    return raw if draw(st.booleans()) else escape(raw)  # unescaped text makes the XML malformed, as in the wild


@st.composite
def feeds(draw: st.DrawFn) -> str:
    atom = draw(st.booleans())
    items = []
    for _ in range(draw(st.integers(0, 4))):
        title, body, date = _xml_text(draw), _xml_text(draw), escape(draw(JUNK_DATES))
        if atom:
            items.append(f"<entry><title>{title}</title><updated>{date}</updated><published>{date}</published><summary>{body}</summary><author><name>{title}</name></author></entry>")
        else:
            items.append(f"<item><title>{title}</title><description>{body}</description><pubDate>{date}</pubDate><author>{title}</author><guid>{body[:20]}</guid></item>")
    if atom:
        return f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>{_xml_text(draw)}</title>{"".join(items)}</feed>'
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{_xml_text(draw)}</title>{"".join(items)}</channel></rss>'


@st.composite
def pages(draw: st.DrawFn) -> str:
    depth = draw(st.integers(0, 400))
    paragraphs = "".join(f"<p>{escape(draw(st.text(max_size=120)))}</p>" for _ in range(draw(st.integers(0, 4))))
    date = escape(draw(JUNK_DATES), {'"': "&quot;"})
    lang = draw(st.sampled_from(["en", "fa-AF", "ru", "", "x"]))
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><title>{escape(draw(st.text(max_size=40)))}</title>'
        f'<meta name="date" content="{date}"><meta name="author" content="{date}"></head><body>'
        f"<article>{'<div>' * depth}{paragraphs}{'</div>' * depth}</article></body></html>"
    )


#: Code point ranges of a few scripts (Latin lower case only: capitals could spell a binary
#: signature such as "MZ" or "ID3").
SCRIPTS = [(0x61, 0x7A), (0x400, 0x4FF), (0x600, 0x6FF), (0x4E00, 0x4FFF), (0x900, 0x97F)]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"]
#: Encodings that say themselves (BOM, or UTF-8): text in them always reads back exactly.
SELF_DESCRIBING = {"utf-8", "utf-8-sig", "utf-16", "utf-32"}


@st.composite
def script_texts(draw: st.DrawFn) -> str:
    low, high = draw(st.sampled_from(SCRIPTS))
    return draw(st.text(alphabet=st.characters(min_codepoint=low, max_codepoint=high) | st.sampled_from(" \n.,"), min_size=1, max_size=300))


DOCUMENTS = st.one_of(
    st.tuples(st.just(".json"), JSON_INPUTS.map(str.encode)),
    st.tuples(st.sampled_from([".rss", ".xml", ".atom", ""]), feeds().map(str.encode)),
    st.tuples(st.sampled_from([".html", ".htm"]), pages().map(str.encode)),
    st.tuples(st.sampled_from([".txt", ".md"]), st.tuples(script_texts(), st.sampled_from(ENCODINGS)).map(lambda pair: pair[0].encode(pair[1]))),
    st.tuples(st.sampled_from([".txt", ".html", ".pdf", ".json", ".rss", ""]), st.binary(max_size=600)),
)


# through read_bytes, every sniffed kind -----------------------------------------------------------


@settings(max_examples=100)
@given(data=st.binary(max_size=2000) | JSON_INPUTS.map(str.encode) | feeds().map(str.encode), kind=st.sampled_from(KINDS), detail=st.sampled_from(["", "PNG image"]))
def test_read_bytes_of_any_kind_never_raises(data: bytes, kind: str, detail: str) -> None:
    check(list(read_bytes(data, sniffed=Sniffed(kind, detail), origin="input", path="input", url=None)))


@settings(max_examples=80)
@given(text=JSON_INPUTS)
def test_any_json_or_telegram_export_never_raises(text: str) -> None:
    for encoding in ("utf-8", "utf-16"):
        data, sniffed = decoded_and_sniffed(text.encode(encoding), suffix=".json")
        check(list(read_bytes(data, sniffed=sniffed, origin="result.json", path="result.json", url=None)))


@settings(max_examples=60)
@given(text=feeds())
def test_any_feed_never_raises(text: str) -> None:
    items = list(read_bytes(text.encode(), sniffed=Sniffed("rss"), origin="feed.rss", path="feed.rss", url=None))
    check(items)


@settings(max_examples=25)
@given(text=pages())
def test_any_page_never_raises(text: str) -> None:
    check(list(read_bytes(text.encode(), sniffed=Sniffed("html"), origin="page.html", path="page.html", url=None)))


@settings(max_examples=60)
@given(text=script_texts(), encoding=st.sampled_from(ENCODINGS))
def test_text_in_any_script_and_unicode_encoding_reads(text: str, encoding: str) -> None:
    data, sniffed = decoded_and_sniffed(text.encode(encoding), suffix=".txt")
    items = list(read_bytes(data, sniffed=sniffed, origin="note.txt", path="note.txt", url=None))
    check(items)
    if encoding in SELF_DESCRIBING and text.strip():
        assert [getattr(i, "text", None) for i in items] == [text]


def nesting(value: Any) -> int:
    if isinstance(value, (list, dict)):
        children = value.values() if isinstance(value, dict) else value
        return 1 + max((nesting(child) for child in children), default=0)
    return 0


BRACKETY_TEXT = st.text(alphabet=st.sampled_from('[]{}"\\ax\n'), max_size=12)


def _containers(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.lists(inner, max_size=3) | st.dictionaries(BRACKETY_TEXT, inner, max_size=3)


@settings(max_examples=100)
@given(value=st.recursive(st.none() | st.integers() | BRACKETY_TEXT, _containers, max_leaves=20))
def test_json_depth_is_the_nesting_of_the_parsed_value(value: Any) -> None:
    for text in (json.dumps(value), json.dumps(value, indent=1, ensure_ascii=False)):
        assert json_depth(text.encode()) == nesting(value)


# through files on disk, and into a store -----------------------------------------------------------


@FILES
@given(documents=st.lists(DOCUMENTS, min_size=1, max_size=4))
def test_any_folder_reads_without_raising(tmp_path_factory: pytest.TempPathFactory, documents: list[tuple[str, bytes]]) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    for number, (suffix, data) in enumerate(documents):
        (folder / f"doc{number}{suffix}").write_bytes(data)
    items = list(read_paths([folder], options=OPTIONS))
    check(items)
    assert len({i.path.split("#")[0] for i in items if isinstance(i, ReadProblem)}) <= count_inputs([folder]) == len(documents)


@settings(max_examples=8, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(documents=st.lists(DOCUMENTS, min_size=1, max_size=3))
def test_any_folder_ingests_into_a_store_and_again_adds_nothing(tmp_path_factory: pytest.TempPathFactory, documents: list[tuple[str, bytes]]) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    for number, (suffix, data) in enumerate(documents):
        (folder / f"doc{number}{suffix}").write_bytes(data)
    with open_store(str(tmp_path_factory.mktemp("store") / "x.db")) as store:
        first = ingest([str(folder)], store, options=OPTIONS, now=lambda: T0)
        errors = len(store.errors())
        count = store.count_documents()
        second = ingest([str(folder)], store, options=OPTIONS, now=lambda: T0)
        assert second.new == 0 and store.count_documents() == count
        assert len(store.errors()) == errors
        assert first.failed == len(first.problems) and all("\n" not in p.reason for p in first.problems)
