"""The bundled sample corpus (src/kwatch/sample_corpus/) and its gold (tests/data/sample_gold.jsonl)
are well formed: every file parses with the library its reader uses, the manifest and the gold
name only documents that exist, and the corpus stays small.

Gold `docs` name a document three ways: a file in the folder by its name
("2021-08-26_kabul_airport.txt"); a Telegram message by its locator "<channel id>/<message id>"
("1700000001/11", as kwatch.ingest.telegram builds it); an RSS item by its link, which is also its
guid (the locator kwatch.ingest.rss gives it).
"""

from __future__ import annotations

import importlib.util
import json
import re
from datetime import UTC
from pathlib import Path
from typing import Any

import feedparser
import pypdf
import pytest

from kwatch.ingest import ReadOptions, read_paths
from kwatch.models import RawDocument, ReadProblem, date_precision

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "src" / "kwatch" / "sample_corpus"
MANIFEST = CORPUS / "manifest.jsonl"
FEED = CORPUS / "feed.xml"
TELEGRAM = CORPUS / "telegram" / "result.json"
PDF = CORPUS / "2025-01-15_monitoring_note.pdf"
GOLD = Path(__file__).resolve().parent / "data" / "sample_gold.jsonl"
PDF_SCRIPT = ROOT / "scripts" / "make_sample_pdf.py"

#: Files in the folder that are not documents listed in the manifest.
NOT_IN_MANIFEST = {"manifest.jsonl", "feed.xml"}
EVENT_TYPES = {"attack", "plot", "arrest", "raid", "propaganda"}
MANIFEST_FIELDS = {"doc", "title", "source", "published", "language"}
MAX_CORPUS_BYTES = 300 * 1024
LOCATOR = re.compile(r"^(\d+)/(\d+)$")


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _manifest() -> list[dict[str, Any]]:
    return _jsonl(MANIFEST)


def _export() -> dict[str, Any]:
    return json.loads(TELEGRAM.read_text(encoding="utf-8"))


def _messages(kind: str) -> list[dict[str, Any]]:
    return [m for m in _export()["messages"] if m["type"] == kind]


def _feed() -> Any:
    return feedparser.parse(FEED.read_bytes())


def _gold() -> list[dict[str, Any]]:
    return _jsonl(GOLD)


def _known_docs() -> set[str]:
    files = {e["doc"] for e in _manifest()}
    export = _export()
    messages = {f"{export['id']}/{m['id']}" for m in export["messages"] if m["type"] == "message"}
    links = {entry.link for entry in _feed().entries}
    return files | messages | links


# --- manifest ---------------------------------------------------------------------------------


@pytest.mark.parametrize("entry", _manifest(), ids=lambda e: e["doc"])
def test_manifest_line_has_the_format_md_fields(entry: dict[str, Any]) -> None:
    assert set(entry) == MANIFEST_FIELDS
    assert date_precision(entry["published"]) == "day"
    assert entry["source"] == "Khorasan Watch sample desk"


@pytest.mark.parametrize("entry", _manifest(), ids=lambda e: e["doc"])
def test_manifest_doc_exists(entry: dict[str, Any]) -> None:
    assert (CORPUS / entry["doc"]).is_file()


def test_every_document_file_is_in_the_manifest() -> None:
    listed = {e["doc"] for e in _manifest()}
    files = {p.name for p in CORPUS.iterdir() if p.is_file()} - NOT_IN_MANIFEST
    assert files == listed


# --- formats and size -------------------------------------------------------------------------


@pytest.mark.parametrize(("suffix", "minimum"), [(".txt", 4), (".html", 3), (".pdf", 1), (".xml", 1)])
def test_corpus_has_enough_files_of_each_format(suffix: str, minimum: int) -> None:
    assert len(list(CORPUS.glob(f"*{suffix}"))) >= minimum


def test_corpus_has_at_least_16_documents() -> None:
    # manifest files, the feed and the Telegram export: each a document source of its own kind
    assert len(_manifest()) + 1 + 1 >= 16


def test_corpus_is_small() -> None:
    total = sum(p.stat().st_size for p in CORPUS.rglob("*") if p.is_file())
    assert total < MAX_CORPUS_BYTES


@pytest.mark.parametrize("page", sorted(CORPUS.glob("*.html")), ids=lambda p: p.name)
def test_html_page_carries_date_meta_and_boilerplate(page: Path) -> None:
    html = page.read_text(encoding="utf-8")
    date = page.name[:10]
    assert f'<meta name="date" content="{date}">' in html
    assert f'<meta property="article:published_time" content="{date}T' in html
    assert "Join our Telegram channel" in html
    assert "<nav>" in html and "<footer>" in html


# --- RSS --------------------------------------------------------------------------------------


def test_feed_parses_with_feedparser() -> None:
    parsed = _feed()
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "rss20"


def test_feed_has_at_least_four_items() -> None:
    assert len(_feed().entries) >= 4


@pytest.mark.parametrize("entry", _feed().entries, ids=lambda e: e.link.rsplit("/", 1)[-1])
def test_feed_item_has_link_guid_date_and_text(entry: Any) -> None:
    assert entry.id == entry.link
    assert entry.published_parsed is not None
    assert entry.summary.strip()


# --- Telegram export --------------------------------------------------------------------------


def test_telegram_export_is_a_public_channel() -> None:
    export = _export()
    assert export["type"] == "public_channel"
    assert isinstance(export["id"], int)
    assert export["name"]


def test_telegram_export_has_at_least_20_messages() -> None:
    assert len(_messages("message")) >= 20


def test_telegram_export_has_service_messages() -> None:
    assert len(_messages("service")) >= 2


def test_telegram_message_ids_are_unique() -> None:
    ids = [m["id"] for m in _export()["messages"]]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("text_type", [str, list])
def test_telegram_text_comes_in_both_shapes(text_type: type) -> None:
    assert any(isinstance(m["text"], text_type) and m["text"] for m in _messages("message"))


def test_telegram_list_text_has_entity_objects() -> None:
    parts = [p for m in _messages("message") if isinstance(m["text"], list) for p in m["text"]]
    assert any(isinstance(p, dict) and {"type", "text"} <= set(p) for p in parts)


@pytest.mark.parametrize("field", ["photo", "file", "mime_type", "file_name", "file_size", "duration_seconds", "forwarded_from"])
def test_telegram_export_uses_field(field: str) -> None:
    assert any(field in m for m in _messages("message"))


@pytest.mark.parametrize("media_type", ["video_file", "voice_message"])
def test_telegram_export_has_media_type(media_type: str) -> None:
    assert any(m.get("media_type") == media_type for m in _messages("message"))


@pytest.mark.parametrize("message", _messages("message"), ids=lambda m: str(m["id"]))
def test_telegram_message_dates_agree(message: dict[str, Any]) -> None:
    from datetime import datetime

    stamp = datetime.fromisoformat(message["date"]).replace(tzinfo=UTC).timestamp()
    assert int(message["date_unixtime"]) == int(stamp)
    assert isinstance(message["text_entities"], list)


def test_telegram_media_files_are_not_included() -> None:
    # the corpus never stores media: only what an export without media writes
    assert not [p for p in TELEGRAM.parent.rglob("*") if p.is_file() and p != TELEGRAM]


# --- PDF --------------------------------------------------------------------------------------


def test_pdf_has_two_pages_with_text() -> None:
    reader = pypdf.PdfReader(PDF)
    assert len(reader.pages) >= 2
    assert all(page.extract_text().strip() for page in reader.pages)


def test_pdf_is_what_the_script_builds() -> None:
    pytest.importorskip("fpdf", reason="fpdf2 (the [test] extra) builds the sample PDF")
    spec = importlib.util.spec_from_file_location("make_sample_pdf", PDF_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.build() == PDF.read_bytes()


# --- gold -------------------------------------------------------------------------------------


@pytest.mark.parametrize("event", _gold(), ids=lambda g: g["id"])
def test_gold_docs_exist(event: dict[str, Any]) -> None:
    assert event["docs"]
    assert set(event["docs"]) <= _known_docs()


@pytest.mark.parametrize("event", _gold(), ids=lambda g: g["id"])
def test_gold_event_has_a_known_type_and_date_shape(event: dict[str, Any]) -> None:
    types = event["type"] if isinstance(event["type"], list) else [event["type"]]
    assert set(types) <= EVENT_TYPES
    dates = event.get("date") if isinstance(event.get("date"), list) else [event.get("date")]
    for value in dates:
        date_precision(value)


def test_gold_ids_are_unique() -> None:
    ids = [g["id"] for g in _gold()]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("event", [g for g in _gold() if g["type"] == "propaganda"], ids=lambda g: g["id"])
def test_gold_propaganda_has_no_place(event: dict[str, Any]) -> None:
    assert not {"country", "admin1", "admin2", "place", "killed", "injured"} & set(event)


# --- the project's own readers ----------------------------------------------------------------


def test_readers_read_the_whole_corpus_without_problems() -> None:
    items = list(read_paths([CORPUS], options=ReadOptions()))
    problems = [i for i in items if isinstance(i, ReadProblem)]
    assert problems == []
    docs = [i for i in items if isinstance(i, RawDocument)]
    assert {d.kind for d in docs} == {"text", "html", "pdf", "rss", "telegram"}


@pytest.mark.parametrize("entry", _manifest(), ids=lambda e: e["doc"])
def test_readers_apply_the_manifest(entry: dict[str, Any]) -> None:
    docs = [i for i in read_paths([CORPUS / entry["doc"]], options=ReadOptions()) if isinstance(i, RawDocument)]
    assert len(docs) == 1
    assert (docs[0].published, docs[0].language, docs[0].title) == (entry["published"], entry["language"], entry["title"])


def test_readers_do_not_read_the_sources_notes() -> None:
    read = {Path(i.path).name for i in read_paths([CORPUS], options=ReadOptions()) if isinstance(i, RawDocument) and i.path}
    assert "SOURCES.md" not in read and "sample-corpus.md" not in read
