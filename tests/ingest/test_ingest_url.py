"""read_url against a real HTTP server on 127.0.0.1: dispatch by Content-Type and sniffing."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from kwatch.ingest import ReadOptions, read_url
from kwatch.models import RawDocument, ReadProblem

OPTIONS = ReadOptions()
Server = tuple[str, dict[str, tuple[int, str, bytes]]]


def test_feed_url_yields_one_document_per_item(http_server: Server, client: httpx.Client, ingest_data: Path) -> None:
    base, routes = http_server
    routes["/feed"] = (200, "application/rss+xml", (ingest_data / "rss" / "wire.rss").read_bytes())
    assert [d.kind for d in read_url(f"{base}/feed", client=client, options=OPTIONS)] == ["rss", "rss"]


def test_feed_served_as_text_xml_is_sniffed(http_server: Server, client: httpx.Client, ingest_data: Path) -> None:
    base, routes = http_server
    routes["/atom"] = (200, "text/xml", (ingest_data / "rss" / "releases.atom").read_bytes())
    assert [d.kind for d in read_url(f"{base}/atom", client=client, options=OPTIONS)] == ["rss"]


def test_html_url_yields_one_page_with_its_url(http_server: Server, client: httpx.Client, ingest_data: Path) -> None:
    base, routes = http_server
    routes["/page"] = (200, "text/html; charset=utf-8", (ingest_data / "html" / "kerman_fa.html").read_bytes())
    (doc,) = read_url(f"{base}/page", client=client, options=OPTIONS)
    assert isinstance(doc, RawDocument) and (doc.kind, doc.url, doc.path) == ("html", f"{base}/page", None)


def test_pdf_url_served_as_octet_stream_is_sniffed(http_server: Server, client: httpx.Client, ingest_data: Path) -> None:
    base, routes = http_server
    routes["/download?id=7"] = (200, "application/octet-stream", (ingest_data / "pdf" / "report.pdf").read_bytes())
    (doc,) = read_url(f"{base}/download?id=7", client=client, options=OPTIONS)
    assert isinstance(doc, RawDocument) and doc.kind == "pdf"


def test_plain_text_url_in_declared_charset(http_server: Server, client: httpx.Client) -> None:
    base, routes = http_server
    routes["/note"] = (200, "text/plain; charset=windows-1251", "Взрыв в Кабуле.\n".encode("windows-1251"))
    (doc,) = read_url(f"{base}/note", client=client, options=OPTIONS)
    assert isinstance(doc, RawDocument) and doc.text == "Взрыв в Кабуле.\n"


@pytest.mark.parametrize(("status", "reason"), [(404, "HTTP 404 Not Found"), (500, "HTTP 500 Internal Server Error")])
def test_http_error_is_a_problem(http_server: Server, client: httpx.Client, status: int, reason: str) -> None:
    base, routes = http_server
    routes["/broken"] = (status, "text/plain", b"no")
    assert list(read_url(f"{base}/broken", client=client, options=OPTIONS)) == [ReadProblem(f"{base}/broken", reason)]


def test_oversized_response_is_a_problem(http_server: Server, client: httpx.Client) -> None:
    base, routes = http_server
    routes["/big"] = (200, "text/plain", b"x" * 4096)
    assert list(read_url(f"{base}/big", client=client, options=ReadOptions(max_bytes=1024))) == [
        ReadProblem(f"{base}/big", "file is 4 KB, over the 1 KB limit (setting max_file_size)")
    ]


def test_unreachable_host_is_a_problem(client: httpx.Client) -> None:
    (item,) = read_url("http://127.0.0.1:9/nothing", client=client, options=OPTIONS)
    assert isinstance(item, ReadProblem) and item.reason.startswith("could not fetch")


def test_binary_response_is_a_problem(http_server: Server, client: httpx.Client, ingest_data: Path) -> None:
    base, routes = http_server
    routes["/img"] = (200, "text/html", (ingest_data / "bad" / "image.html").read_bytes())
    assert list(read_url(f"{base}/img", client=client, options=OPTIONS)) == [ReadProblem(f"{base}/img", "binary file (PNG image)")]
