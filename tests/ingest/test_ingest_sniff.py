"""Sniffing by content first, and properties every reader keeps whatever bytes it is given."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kwatch.ingest import ReadOptions, read_paths
from kwatch.ingest.sniff import sniff
from kwatch.ingest.text import decode_utf8
from kwatch.models import RawDocument, ReadProblem


@pytest.mark.parametrize(
    ("head", "suffix", "content_type", "kind"),
    [
        (b"%PDF-1.7\n", ".bin", None, "pdf"),
        (b"\x89PNG\r\n\x1a\nrest", ".html", None, "binary"),
        (b'<?xml version="1.0"?><rss version="2.0">', ".txt", None, "rss"),
        (b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">', "", None, "rss"),
        (b"<!DOCTYPE html><html>", ".txt", None, "html"),
        (b"\xef\xbb\xbf<html lang='ps'>", "", None, "html"),
        (b'{"name": "c", "messages": []}', ".json", None, "json"),
        (b'{"name": "c", "messages": []}', "", "application/json", "json"),
        (b"Plain words.", ".txt", None, "text"),
        (b"Plain words.", "", "text/plain", "text"),
        (b"Plain words.", ".html", None, "html"),
        (b"a,b,c\n1,2,3\n", ".csv", None, "unsupported"),
        (b"Plain words.", ".pdf", None, "unsupported"),
        (b"", ".txt", None, "empty"),
        (b"text\x00with NUL", ".txt", None, "binary"),
    ],
)
def test_sniff(head: bytes, suffix: str, content_type: str | None, kind: str) -> None:
    assert sniff(head, suffix=suffix, content_type=content_type).kind == kind


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=600), suffix=st.sampled_from([".txt", ".html", ".pdf", ".json", ".rss", ".md", ""]))
def test_any_bytes_give_items_and_never_raise(tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str) -> None:
    path = tmp_path_factory.mktemp("fuzz") / f"input{suffix}"
    path.write_bytes(data)
    items = list(read_paths([path], options=ReadOptions()))
    assert items and all(isinstance(i, (RawDocument, ReadProblem)) for i in items)


@given(st.text())
def test_decoding_is_idempotent_on_its_own_output(text: str) -> None:
    once = decode_utf8(text.encode("utf-8"))
    assert decode_utf8(once.encode("utf-8")) == once


# control characters make a file binary and "<" could open markup: the rest is plain text
PLAIN = st.characters(blacklist_categories=["Cs", "Cc"], blacklist_characters="<") | st.sampled_from("\n\r\t")


@given(st.text(alphabet=PLAIN, min_size=1))
def test_text_file_round_trips_after_line_end_normalisation(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    path = tmp_path_factory.mktemp("text") / "doc.txt"
    path.write_bytes(text.encode("utf-8"))
    items = list(read_paths([path], options=ReadOptions()))
    expected = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if expected.strip():
        assert [getattr(i, "text", None) for i in items] == [expected]
    else:
        assert [type(i) for i in items] == [ReadProblem]
