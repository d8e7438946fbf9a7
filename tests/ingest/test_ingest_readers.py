"""One behaviour per test for each kind of document, read from the committed samples."""

from __future__ import annotations

from pathlib import Path

import pytest

from kwatch.ingest import ReadOptions, read_paths
from kwatch.models import RawDocument, ReadProblem

OPTIONS = ReadOptions()


def read(path: Path) -> list[RawDocument | ReadProblem]:
    return list(read_paths([path], options=OPTIONS))


def only_doc(path: Path) -> RawDocument:
    (item,) = read(path)
    assert isinstance(item, RawDocument), item
    return item


# text -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("airport_attack.txt", "Suicide bombing at Kabul airport gate"),
        ("notes.md", "ISKP notes"),
        ("raid_with_bom.txt", None),  # a one-paragraph file ending in a period has no title
    ],
)
def test_text_title_is_the_first_line_when_it_looks_like_one(ingest_data: Path, name: str, title: str | None) -> None:
    assert only_doc(ingest_data / "text" / name).title == title


def test_text_strips_bom(ingest_data: Path) -> None:
    assert only_doc(ingest_data / "text" / "raid_with_bom.txt").text.startswith("The Taliban said")


def test_text_turns_crlf_into_lf(ingest_data: Path) -> None:
    text = only_doc(ingest_data / "text" / "notes.md").text
    assert "\r" not in text and text.startswith("# ISKP notes\n\nThe group")


def test_text_keeps_the_file_text_exactly(ingest_data: Path) -> None:
    path = ingest_data / "text" / "airport_attack.txt"
    assert only_doc(path).text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["airport_attack.txt", "notes.md"])
def test_text_kind(ingest_data: Path, name: str) -> None:
    assert only_doc(ingest_data / "text" / name).kind == "text"


def test_text_content_decides_over_extension(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text("<!DOCTYPE html><html><body><article><p>" + "A raid was reported in Kunar province. " * 5 + "</p></article></body></html>")
    assert only_doc(path).kind == "html"


# html -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("kind", "html"),
        ("title", "Gunmen attack concert hall near Moscow"),
        ("author", "Example Wire staff"),
        ("published", "2024-03-23"),
        ("url", "https://wire.example.org/2024/03/23/crocus-city-hall-attack"),
        ("language", "en"),
    ],
)
def test_html_metadata(ingest_data: Path, field: str, value: str) -> None:
    assert getattr(only_doc(ingest_data / "html" / "crocus.html"), field) == value


@pytest.mark.parametrize("dropped", ["Join our Telegram channel", "Copyright 2024", "Sport", "tracking-code", "alert(", ".nav"])
def test_html_drops_boilerplate_and_scripts(ingest_data: Path, dropped: str) -> None:
    assert dropped not in only_doc(ingest_data / "html" / "crocus.html").text


def test_html_keeps_main_text(ingest_data: Path) -> None:
    assert "Four men from Tajikistan were detained" in only_doc(ingest_data / "html" / "crocus.html").text


def test_html_keeps_zero_width_non_joiner_of_persian(ingest_data: Path) -> None:
    assert "ده\u200cها" in only_doc(ingest_data / "html" / "kerman_fa.html").text


def test_html_language_from_lang_attribute(ingest_data: Path) -> None:
    assert only_doc(ingest_data / "html" / "kerman_fa.html").language == "fa"


# pdf ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("kind", "pdf"),
        ("title", "Briefing note on the Khorasan branch"),
        ("author", "Khorasan Watch test suite"),
        ("published", "2024-04-02"),
    ],
)
def test_pdf_metadata(ingest_data: Path, field: str, value: str) -> None:
    assert getattr(only_doc(ingest_data / "pdf" / "report.pdf"), field) == value


@pytest.mark.parametrize(
    "phrase",
    ["Islamic State Khorasan Province claimed the bombing in Kerman", "Crocus City Hall near Moscow", "теракт в Крокус Сити Холле"],
)
def test_pdf_text_of_every_page(ingest_data: Path, phrase: str) -> None:
    assert phrase in only_doc(ingest_data / "pdf" / "report.pdf").text


def test_pdf_without_text_is_a_problem(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    path = tmp_path / "blank.pdf"
    path.write_bytes(bytes(pdf.output()))
    assert read(path) == [ReadProblem(str(path), "PDF has no extractable text (1 pages, probably scanned images)")]


def test_pdf_with_damaged_body_is_a_problem(ingest_data: Path, tmp_path: Path) -> None:
    data = (ingest_data / "pdf" / "report.pdf").read_bytes()
    path = tmp_path / "damaged.pdf"
    path.write_bytes(data[:200] + b"\x00garbage\x00" * 50 + data[-40:])
    (item,) = read(path)
    assert isinstance(item, ReadProblem) and item.reason.startswith("PDF ")


# rss / atom -----------------------------------------------------------------------------------


def test_rss_one_document_per_item(ingest_data: Path) -> None:
    assert [d.title for d in read(ingest_data / "rss" / "wire.rss")] == ["Bomb hits minibus in Kabul", "Arrests in Tajikistan"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("kind", "rss"),
        ("url", "https://wire.example.org/2022/11/minibus"),
        ("published", "2022-11-30"),  # the item's own day, not the next day in UTC
        ("source", "Example Security Wire"),
        ("locator", "wire-2022-11-30-001"),
        ("meta", {"feed": "Example Security Wire", "guid": "wire-2022-11-30-001"}),
    ],
)
def test_rss_item_fields(ingest_data: Path, field: str, value: object) -> None:
    assert getattr(read(ingest_data / "rss" / "wire.rss")[0], field) == value


def test_rss_text_is_title_and_content_without_html(ingest_data: Path) -> None:
    assert read(ingest_data / "rss" / "wire.rss")[0].text == (  # type: ignore[union-attr]
        "Bomb hits minibus in Kabul\n\nA bomb attached to a minibus exploded in western Kabul, police said.\n\n"
        "Islamic State Khorasan Province said it carried out the attack."
    )


def test_rss_item_without_guid_is_located_by_link(ingest_data: Path) -> None:
    assert read(ingest_data / "rss" / "wire.rss")[1].locator == "https://wire.example.org/2023/06/arrests"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("field", "value"),
    [("published", "2024-02-09"), ("author", "Monitoring desk"), ("url", "https://notes.example.org/42"), ("locator", "urn:example:notes:42")],
)
def test_atom_entry_fields(ingest_data: Path, field: str, value: str) -> None:
    assert getattr(only_doc(ingest_data / "rss" / "releases.atom"), field) == value


def test_malformed_feed_still_gives_its_items(ingest_data: Path) -> None:
    items = read(ingest_data / "rss" / "bozo.rss")
    assert [type(i) for i in items] == [RawDocument, RawDocument]


def test_feed_without_items_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "empty.rss"
    path.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>')
    assert read(path) == [ReadProblem(str(path), "feed has no items")]


# telegram -------------------------------------------------------------------------------------


def telegram(ingest_data: Path, folder: str) -> list[RawDocument | ReadProblem]:
    return read(ingest_data / "telegram" / folder / "result.json")


def by_locator(items: list[RawDocument | ReadProblem]) -> dict[str, RawDocument]:
    return {i.locator or "": i for i in items if isinstance(i, RawDocument)}


def test_telegram_skips_service_and_empty_messages(ingest_data: Path) -> None:
    assert sorted(by_locator(telegram(ingest_data, "channel"))) == ["1001234567/2", "1001234567/3", "1001234567/4", "1001234567/5"]


def test_telegram_text_joins_entities(ingest_data: Path) -> None:
    assert by_locator(telegram(ingest_data, "channel"))["1001234567/2"].text == (
        "Reports of a shooting at a concert hall in Krasnogorsk near Moscow. #Russia More at "
        "https://wire.example.org/crocus and this thread"
    )


def test_telegram_text_falls_back_to_text_entities(ingest_data: Path) -> None:
    assert by_locator(telegram(ingest_data, "channel"))["1001234567/5"].text.startswith("Text only in text_entities")


def test_telegram_media_only_message_is_a_document_with_metadata(ingest_data: Path) -> None:
    doc = by_locator(telegram(ingest_data, "channel"))["1001234567/4"]
    assert (doc.text, doc.meta["media_type"], doc.meta["file_name"], doc.meta["file_size"], doc.meta["duration_seconds"]) == (
        "",
        "video_file",
        "briefing.mp4",
        7340032,
        95,
    )


def test_telegram_meta_of_a_forwarded_photo_reply(ingest_data: Path) -> None:
    assert by_locator(telegram(ingest_data, "channel"))["1001234567/3"].meta == {
        "channel": "Example Monitor Channel",
        "channel_id": 1001234567,
        "message_id": 3,
        "date_time": "2024-03-23T07:12:00",
        "forwarded_from": "Example Wire",
        "media_type": "photo",
        "mime_type": None,
        "file_name": None,
        "file_size": 104857,
        "file_hash": None,
        "photo": "photos/photo_3@23-03-2024_07-12-00.jpg",
        "duration_seconds": None,
        "width": 1280,
        "height": 720,
        "reply_to": 2,
    }


@pytest.mark.parametrize(("field", "value"), [("kind", "telegram"), ("source", "Example Monitor Channel"), ("published", "2024-03-22")])
def test_telegram_document_fields(ingest_data: Path, field: str, value: str) -> None:
    assert getattr(by_locator(telegram(ingest_data, "channel"))["1001234567/2"], field) == value


def test_telegram_duplicate_text_keys_keep_the_non_empty_one(ingest_data: Path) -> None:
    assert by_locator(telegram(ingest_data, "broken"))["1009999999/10"].text == "A checkpoint in Kunar came under fire, local officials said."


@pytest.mark.parametrize("locator", ["1009999999/11", "1009999999/15"])
def test_telegram_broken_export_still_ingests_the_good_messages(ingest_data: Path, locator: str) -> None:
    assert locator in by_locator(telegram(ingest_data, "broken"))


@pytest.mark.parametrize(
    ("where", "reason"),
    [
        ("#message=12", "message text is not valid UTF-8 in the export (bytes replaced by U+FFFD)"),
        ("#message-index=3", "message is a JSON str, not an object"),
        ("#message=14", "message has a bad date: 'yesterday'"),
    ],
)
def test_telegram_broken_message_is_its_own_problem(ingest_data: Path, where: str, reason: str) -> None:
    path = ingest_data / "telegram" / "broken" / "result.json"
    assert ReadProblem(f"{path}{where}", reason) in telegram(ingest_data, "broken")


def test_telegram_export_folder_media_is_never_read(tmp_path: Path, ingest_data: Path) -> None:
    export = tmp_path / "export"
    (export / "photos").mkdir(parents=True)
    (export / "result.json").write_bytes((ingest_data / "telegram" / "channel" / "result.json").read_bytes())
    (export / "photos" / "photo_3.jpg").write_bytes(b"\xff\xd8\xff\xe0 not read")
    paths = {i.path for i in read_paths([export], options=OPTIONS)}
    assert paths == {str(export / "result.json")}


def test_json_that_is_not_an_export_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    path.write_text('{"rows": []}')
    (item,) = read(path)
    assert isinstance(item, ReadProblem) and "not a Telegram Desktop export" in item.reason


# manifest -------------------------------------------------------------------------------------


def manifest_docs(ingest_data: Path) -> dict[str, RawDocument]:
    return {Path(i.path or "").name: i for i in read(ingest_data / "manifest") if isinstance(i, RawDocument)}


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", "Manifest title wins"), ("source", "Example Wire"), ("published", "2021-08"), ("language", "en")],
)
def test_manifest_fields_win_over_the_reader(ingest_data: Path, field: str, value: str) -> None:
    assert getattr(manifest_docs(ingest_data)["listed.txt"], field) == value


@pytest.mark.parametrize(("field", "value"), [("title", "Raid in Nangarhar"), ("published", "2024"), ("language", "en")])
def test_manifest_null_leaves_the_reader_value(ingest_data: Path, field: str, value: str) -> None:
    assert getattr(manifest_docs(ingest_data)["page.html"], field) == value


def test_manifest_folder_reads_unlisted_files(ingest_data: Path) -> None:
    assert manifest_docs(ingest_data)["unlisted.txt"].title is None


@pytest.mark.parametrize(("line", "start"), [(3, "malformed JSON"), (4, "manifest lists missing.txt"), (5, "manifest field 'published'")])
def test_manifest_bad_line_is_a_problem_for_that_line(ingest_data: Path, line: int, start: str) -> None:
    problems = {p.path: p.reason for p in read(ingest_data / "manifest") if isinstance(p, ReadProblem)}
    assert problems[f"{ingest_data / 'manifest' / 'manifest.jsonl'}#line={line}"].startswith(start)


def test_manifest_applies_to_a_file_given_by_name(ingest_data: Path) -> None:
    docs = [i for i in read(ingest_data / "manifest" / "listed.txt") if isinstance(i, RawDocument)]
    assert [d.title for d in docs] == ["Manifest title wins"]


# folders --------------------------------------------------------------------------------------


def test_folder_skips_hidden_files_and_folders(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "note.txt").write_text("hidden folder\n")
    (tmp_path / ".draft.txt").write_text("hidden file\n")
    (tmp_path / "seen.txt").write_text("A visible report.\n")
    assert [Path(i.path or "").name for i in read(tmp_path)] == ["seen.txt"]


def test_folder_is_read_recursively_in_sorted_order(tmp_path: Path) -> None:
    for name in ("b/2.txt", "a/1.txt", "c.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(f"Report {name}.\n")
    assert [Path(i.path or "").relative_to(tmp_path).as_posix() for i in read(tmp_path)] == ["a/1.txt", "b/2.txt", "c.txt"]


def test_same_file_given_twice_is_read_once(ingest_data: Path) -> None:
    path = ingest_data / "text" / "notes.md"
    assert len(list(read_paths([path, ingest_data / "text", path], options=OPTIONS))) == 3
