"""No input stops an ingest batch: the guard around every reader, the root causes it once hid
(deep JSON, impossible dates, metadata of the wrong JSON shape), links and special files in a
folder, and UTF-16/UTF-32 text."""

from __future__ import annotations

import codecs
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

import kwatch.ingest
import kwatch.ingest.telegram
from kwatch import langid
from kwatch.errors import Bug
from kwatch.ingest import ReadOptions, count_inputs, read_bytes, read_paths, read_url
from kwatch.ingest.batch import count_files, ingest
from kwatch.ingest.dates import to_day
from kwatch.ingest.sniff import Sniffed, sniff, unicode_encoding
from kwatch.ingest.telegram import MAX_JSON_DEPTH, json_depth
from kwatch.ingest.values import as_string
from kwatch.models import RawDocument, ReadProblem
from kwatch.store import open_store

OPTIONS = ReadOptions()
T0 = datetime(2024, 3, 23, 9, 0, tzinfo=UTC)
GOOD_TEXT = "A blast hit a market in Kabul on Tuesday, officials said.\nTwo people were hurt.\n"


def clock() -> datetime:
    return T0


def read(*paths: Path) -> list[RawDocument | ReadProblem]:
    return list(read_paths(list(paths), options=OPTIONS))


def problems(items: list[RawDocument | ReadProblem]) -> dict[str, str]:
    return {i.path: i.reason for i in items if isinstance(i, ReadProblem)}


def export(*messages: Any, name: Any = "Example Channel") -> str:
    return json.dumps({"name": name, "type": "public_channel", "id": 1005550000, "messages": list(messages)})


def message(number: int, text: Any = "A checkpoint in Kunar came under fire.", date: Any = "2024-03-22T10:00:00", **fields: Any) -> dict[str, Any]:
    return {"id": number, "type": "message", "date": date, "text": text, **fields}


def deep_json(levels: int) -> str:
    return '{"name": "c", "messages": [' + "[" * levels + "]" * levels + "]}"


# the guard ------------------------------------------------------------------------------------


@pytest.mark.parametrize("error", [RecursionError("maximum recursion depth exceeded"), ValueError("bad"), TypeError("odd"), KeyError("k"), Bug("broken")])
def test_unforeseen_reader_failure_is_a_problem_naming_the_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: Exception) -> None:
    def failing(data: bytes, **kwargs: Any) -> RawDocument:
        raise error

    monkeypatch.setattr(kwatch.ingest, "read_text", failing)
    (tmp_path / "a.txt").write_text(GOOD_TEXT)
    (item,) = read(tmp_path / "a.txt")
    assert isinstance(item, ReadProblem) and item.path == str(tmp_path / "a.txt")
    assert item.reason.startswith(f"could not be read: {type(error).__name__}") and item.reason.endswith("(a bug in kwatch's text reader)")
    assert "\n" not in item.reason


def test_recursion_error_reason_reads_as_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(value: Any, *, path: str) -> Any:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(kwatch.ingest, "read_export", failing)
    (item,) = read_bytes(export(message(1)).encode(), sniffed=Sniffed("json"), origin="x.json", path="x.json", url=None)
    assert item == ReadProblem("x.json", "could not be read: RecursionError: maximum recursion depth exceeded (a bug in kwatch's telegram reader)")


def test_a_failing_file_costs_only_that_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = kwatch.ingest.read_text

    def failing_on_b(data: bytes, **kwargs: Any) -> RawDocument:
        if str(kwargs.get("path", "")).endswith("b.txt"):
            raise RecursionError("maximum recursion depth exceeded")
        return real(data, **kwargs)

    monkeypatch.setattr(kwatch.ingest, "read_text", failing_on_b)
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(f"{GOOD_TEXT}{name}\n")
    items = read(tmp_path)
    assert [type(i).__name__ for i in items] == ["RawDocument", "ReadProblem", "RawDocument"]


def test_a_failing_telegram_message_costs_only_that_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = kwatch.ingest.telegram.message_text

    def failing_on_2(value: dict[str, Any]) -> str:
        if value.get("id") == 2:
            raise TypeError("unexpected shape")
        return real(value)

    monkeypatch.setattr(kwatch.ingest.telegram, "message_text", failing_on_2)
    path = tmp_path / "result.json"
    path.write_text(export(message(1), message(2, "Second."), message(3, "Third.")))
    items = read(path)
    assert [i.locator for i in items if isinstance(i, RawDocument)] == ["1005550000/1", "1005550000/3"]
    assert problems(items) == {f"{path}#message=2": "could not be read: TypeError: unexpected shape (a bug in kwatch's telegram reader)"}


def test_a_failing_feed_item_costs_only_that_item(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = kwatch.ingest.rss.html_to_text

    def failing(fragment: str) -> str:
        if "poison" in fragment:
            raise ValueError("cannot")
        return real(fragment)

    monkeypatch.setattr(kwatch.ingest.rss, "html_to_text", failing)
    path = tmp_path / "wire.rss"
    items_xml = "".join(f"<item><title>Item {n}</title><description>{body}</description></item>" for n, body in ((1, "fine"), (2, "poison"), (3, "fine")))
    path.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{items_xml}</channel></rss>')
    items = read(path)
    assert [i.title for i in items if isinstance(i, RawDocument)] == ["Item 1", "Item 3"]
    assert problems(items) == {f"{path}#item=2": "could not be read: ValueError: cannot (a bug in kwatch's feed reader)"}


def test_keyboard_interrupt_is_never_contained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(data: bytes, **kwargs: Any) -> RawDocument:
        raise KeyboardInterrupt

    monkeypatch.setattr(kwatch.ingest, "read_text", interrupted)
    (tmp_path / "a.txt").write_text(GOOD_TEXT)
    with pytest.raises(KeyboardInterrupt):
        read(tmp_path / "a.txt")


def test_a_failure_after_reading_costs_only_that_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = langid.detect

    def failing(text: str) -> str | None:
        if "second" in text:
            raise ValueError("no language")
        return real(text)

    monkeypatch.setattr(langid, "detect", failing)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(f"{GOOD_TEXT}first\n")
    (folder / "b.txt").write_text(f"{GOOD_TEXT}second\n")
    (folder / "c.txt").write_text(f"{GOOD_TEXT}third\n")
    with open_store(str(tmp_path / "x.db")) as store:
        report = ingest([str(folder)], store, options=OPTIONS, now=clock)
        assert (report.new, report.failed) == (2, 1)
        assert [(e.path, e.reason) for e in store.errors()] == [
            (str(folder / "b.txt"), "could not be ingested: ValueError: no language (a bug in kwatch's ingestion)")
        ]
        assert sorted(Path(d.path or "").name for d in store.documents()) == ["a.txt", "c.txt"]


# root causes ----------------------------------------------------------------------------------


def test_deeply_nested_json_is_a_problem_not_a_recursion_error(tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    path.write_text(deep_json(5000))
    assert read(path) == [ReadProblem(str(path), f"JSON nested too deeply (over {MAX_JSON_DEPTH} levels)")]


def test_deeply_nested_telegram_text_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    nested = "[" * 950 + '"deep"' + "]" * 950
    path.write_text(export(message(1)).replace('"text": "A checkpoint', f'"text": {nested}, "x": "A checkpoint', 1))
    assert read(path) == [ReadProblem(str(path), f"JSON nested too deeply (over {MAX_JSON_DEPTH} levels)")]


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ('{"a": [1, {"b": []}]}', 4),
        ('"[[[{{{"', 0),
        ('{"a": "}]\\"[["}', 1),
        ('{"a": "x\\\\", "b": [[]]}', 3),
        ('["[", "]", [["]"]]]', 3),
        ("[]", 1),
        ("5", 0),
        ("[" * 500, 0),  # never closed: malformed, for the parser to report
    ],
)
def test_json_depth_ignores_brackets_in_strings(text: str, depth: int) -> None:
    assert json_depth(text.encode()) == depth


def test_json_at_the_depth_limit_still_parses(tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    path.write_text('{"name": "c", "messages": [], "extra": ' + "[" * (MAX_JSON_DEPTH - 1) + "]" * (MAX_JSON_DEPTH - 1) + "}")
    assert read(path) == []  # an export without messages: nothing to read, nothing wrong


@pytest.mark.parametrize("date", ["0001-01-01T00:00:00", "0999-12-31T23:59:59", "9999-12-31T00:00:00", "yesterday", 20240322, None])
def test_telegram_message_with_an_impossible_date_is_reported_and_the_rest_read(tmp_path: Path, date: Any) -> None:
    path = tmp_path / "result.json"
    path.write_text(export(message(1, date=date), message(2, "Fine.")))
    items = read(path)
    assert problems(items) == {f"{path}#message=1": f"message has a bad date: {date!r}"}
    assert [i.published for i in items if isinstance(i, RawDocument)] == ["2024-03-22"]


@pytest.mark.parametrize("junk", ["0000-00-00", "0001-01-01", "9999-99-99", "2024-13-45", "2024/03/22", "Mon, 01 Jan 0001 00:00:00 GMT", "soon"])
def test_feed_item_with_a_junk_date_is_kept_undated_with_the_date_noted(tmp_path: Path, junk: str) -> None:
    path = tmp_path / "wire.rss"
    path.write_text(f'<rss version="2.0"><channel><title>Wire</title><item><title>Blast</title><description>A blast.</description><pubDate>{junk}</pubDate></item></channel></rss>')
    (doc,) = read(path)
    assert isinstance(doc, RawDocument) and doc.published is None and doc.meta["bad_date"] == junk


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2024-03-22T23:30:00-05:00", "2024-03-22"),
        ("Fri, 22 Mar 2024 23:30:00 -0500", "2024-03-22"),
        (datetime(1, 1, 1), None),
        (datetime(1899, 12, 31), None),
        ("2024-02-30", None),
        ("0000-00-00", None),
        (12345, None),
    ],
)
def test_to_day_gives_four_digit_real_days_or_none(value: Any, day: str | None) -> None:
    assert to_day(value) == day


@pytest.mark.parametrize(
    ("value", "string"),
    [
        ({"name": "Example Wire", "id": 7}, "Example Wire"),
        ({"title": "Example Wire"}, "Example Wire"),
        (["Example Wire", "Second Desk"], "Example Wire, Second Desk"),
        ([{"name": "A"}, 3, "B"], "A, B"),
        ({"id": 7}, None),
        (12, None),
        (True, None),
        ([], None),
        ("", None),
        ("Wire\x00", "Wire"),
    ],
)
def test_string_metadata_is_a_plain_string_or_none(value: Any, string: str | None) -> None:
    assert as_string(value) == string


@pytest.mark.parametrize("forwarded", [{"name": "Example Wire"}, ["Example", "Wire"], 42, None, {"nested": {"name": "x"}}])
def test_telegram_string_metadata_of_any_json_shape_reads_as_a_string(tmp_path: Path, forwarded: Any) -> None:
    path = tmp_path / "result.json"
    path.write_text(export(message(1, forwarded_from=forwarded, author=forwarded, mime_type=forwarded, file_size={"x": 1}, width="wide"), name=forwarded or "Chan"))
    (doc,) = read(path)
    assert isinstance(doc, RawDocument)
    for value in (doc.author, doc.source, doc.meta["forwarded_from"], doc.meta["mime_type"], doc.meta["channel"]):
        assert value is None or isinstance(value, str)
    assert (doc.meta["file_size"], doc.meta["width"]) == (None, None)


def test_forwarded_from_object_gives_its_name(tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    path.write_text(export(message(1, forwarded_from={"name": "Example Wire", "id": "channel7"})))
    (doc,) = read(path)
    assert isinstance(doc, RawDocument) and doc.meta["forwarded_from"] == "Example Wire"


def test_telegram_text_with_a_lone_surrogate_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    path.write_text(export(message(1, "bad \\ud800 text"), message(2)).replace("\\\\ud800", "\\ud800"))
    items = read(path)
    assert list(problems(items)) == [f"{path}#message=1"] and len(items) == 2


# links and special files ------------------------------------------------------------------------


@pytest.fixture
def linked_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "good.txt").write_text(GOOD_TEXT)
    (folder / "sub" / "inner.txt").write_text(f"{GOOD_TEXT}inner\n")
    (folder / "alias.txt").symlink_to(folder / "good.txt")
    (folder / "passwd").symlink_to("/etc/passwd")
    (folder / "outside_dir").symlink_to(tmp_path)
    (folder / "broken").symlink_to(folder / "nowhere")
    (folder / "self").symlink_to(folder / "self")
    (folder / "sub" / "up").symlink_to(folder)
    (folder / "sub_link").symlink_to(folder / "sub")
    os.mkfifo(folder / "pipe")
    return folder


def test_links_and_special_files_are_each_reported_once(linked_folder: Path) -> None:
    items = read(linked_folder)
    assert problems(items) == {
        str(linked_folder / "passwd"): "symbolic link to a file outside the ingested folder; not followed",
        str(linked_folder / "outside_dir"): "symbolic link to a folder outside the ingested folder; not followed",
        str(linked_folder / "broken"): "broken symbolic link",
        str(linked_folder / "self"): "symbolic link loop",
        str(linked_folder / "sub" / "up"): "symbolic link loop",
        str(linked_folder / "pipe"): "not a regular file (FIFO)",
    }


def test_a_file_inside_reached_through_a_link_is_read_once_by_its_own_name(linked_folder: Path) -> None:
    docs = [i.path for i in read(linked_folder) if isinstance(i, RawDocument)]
    assert docs == [str(linked_folder / "good.txt"), str(linked_folder / "sub" / "inner.txt")]


def test_a_linked_folder_inside_is_followed_and_read_by_its_own_name(tmp_path: Path) -> None:
    (tmp_path / "z_archive" / "deeper").mkdir(parents=True)
    (tmp_path / "z_archive" / "deeper" / "old.txt").write_text(GOOD_TEXT)
    (tmp_path / "a_link").symlink_to(tmp_path / "z_archive")
    (tmp_path / "b_link").symlink_to(tmp_path / "z_archive" / "deeper")
    assert [i.path for i in read(tmp_path)] == [str(tmp_path / "z_archive" / "deeper" / "old.txt")]


def test_a_linked_folder_given_by_name_is_walked_through_the_link(tmp_path: Path) -> None:
    (tmp_path / "store" / "deeper").mkdir(parents=True)
    (tmp_path / "store" / "deeper" / "old.txt").write_text(GOOD_TEXT)
    (tmp_path / "store" / "link").symlink_to(tmp_path / "store" / "deeper")
    assert [i.path for i in read(tmp_path / "store" / "link")] == [str(tmp_path / "store" / "link" / "old.txt")]


def test_count_inputs_counts_what_is_read_and_what_is_reported(linked_folder: Path) -> None:
    assert count_inputs([linked_folder]) == len({i.path.split("#")[0] for i in read(linked_folder)}) == 8
    assert count_files([str(linked_folder)]) == 8


def test_a_link_given_by_name_is_read(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text(GOOD_TEXT)
    link = tmp_path / "in" / "given.txt"
    link.parent.mkdir()
    link.symlink_to(target)
    (doc,) = read(link)
    assert isinstance(doc, RawDocument) and doc.path == str(link)


def test_a_fifo_given_by_name_is_reported_never_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    assert read(tmp_path / "pipe") == [ReadProblem(str(tmp_path / "pipe"), "not a regular file (FIFO)")]


def test_a_manifest_linked_out_of_its_folder_is_ignored(tmp_path: Path) -> None:
    outside = tmp_path / "outside.jsonl"
    outside.write_text('{"doc": "a.txt", "title": "Stolen"}\n')
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD_TEXT)
    (folder / "manifest.jsonl").symlink_to(outside)
    items = read(folder)
    assert problems(items) == {str(folder / "manifest.jsonl"): "manifest ignored: symbolic link to a file outside the ingested folder; not followed"}
    assert [i.title for i in items if isinstance(i, RawDocument)] != ["Stolen"]


def test_a_folder_nested_deeper_than_python_recurses_is_walked(tmp_path: Path) -> None:
    folder = tmp_path
    for _ in range(60):  # the explicit stack has no recursion limit; 60 keeps paths short
        folder = folder / "d"
    folder.mkdir(parents=True)
    (folder / "deep.txt").write_text(GOOD_TEXT)
    assert [i.path for i in read(tmp_path)] == [str(folder / "deep.txt")]


# UTF-16 and UTF-32 -------------------------------------------------------------------------------

SCRIPTS = {
    "latin": "A blast hit a market in Kabul on Tuesday, officials said.\nTwo people were hurt.\n",
    "cyrillic": "Взрыв прогремел на рынке в Кабуле во вторник, сообщили власти.\nДва человека ранены.\n",
    "arabic": "انفجار در بازار کابل روز سه‌شنبه رخ داد، مقامات گفتند.\nدو نفر زخمی شدند.\n",
}


@pytest.mark.parametrize("script", sorted(SCRIPTS))
@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_text_reads_as_the_same_text(tmp_path: Path, script: str, codec: str) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(SCRIPTS[script].encode(codec) if codec != "utf-32" else SCRIPTS[script].encode("utf-32"))
    if codec == "utf-32":
        assert path.read_bytes()[:4] in (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
    (doc,) = read(path)
    assert isinstance(doc, RawDocument) and doc.text == SCRIPTS[script]


def test_utf16_crlf_text_is_stored_exactly_as_a_reader_sees_it(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes("Headline\r\nA blast in Kabul.\r\n".encode("utf-16"))
    (doc,) = read(path)
    assert isinstance(doc, RawDocument) and doc.text == "Headline\nA blast in Kabul.\n" and doc.title == "Headline"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le"])
def test_utf16_html_json_and_feed_are_sniffed_after_decoding(tmp_path: Path, codec: str) -> None:
    page = "<!DOCTYPE html><html lang='ru'><head><title>Взрыв</title></head><body><article><p>Взрыв прогремел на рынке в Кабуле во вторник, сообщили власти.</p></article></body></html>"
    feed = '<?xml version="1.0" encoding="UTF-16"?><rss version="2.0"><channel><title>Лента</title><item><title>Взрыв</title><description>Взрыв в Кабуле.</description></item></channel></rss>'
    (tmp_path / "page.html").write_bytes(page.encode(codec))
    (tmp_path / "feed.xml").write_bytes(feed.encode(codec))
    (tmp_path / "result.json").write_bytes(export(message(1, "Взрыв в Кабуле.")).encode(codec))
    kinds = {Path(i.path or "").name: (i.kind, i.title if i.kind != "telegram" else i.text) for i in read(tmp_path) if isinstance(i, RawDocument)}
    assert kinds == {"page.html": ("html", "Взрыв"), "feed.xml": ("rss", "Взрыв"), "result.json": ("telegram", "Взрыв в Кабуле.")}


@pytest.mark.parametrize(
    ("head", "encoding"),
    [
        ("A blast in Kabul.".encode("utf-16-le"), "utf-16-le"),
        ("A blast in Kabul.".encode("utf-16-be"), "utf-16-be"),
        ("Взрыв в Кабуле.".encode("utf-16-le"), "utf-16-le"),
        (b"\xff\xfe" + "x".encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF32_LE + "x".encode("utf-32-le"), "utf-32"),
        (b"plain ascii", None),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", None),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", None),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00", None),
        (bytes(range(256)) * 4, None),
        (b"\x01\x00\x02\x00\x03\x00\x04\x00" * 50, None),  # 16-bit numbers, not text
        ("中文新闻报道".encode("utf-16-le"), None),  # no NUL pattern: left to the BOM (conservative)
        (b"text\x00with NUL", None),  # UTF-8 with a stray NUL stays binary
        (b"A report from Kabul\x00 about a blast on Tuesday, officials said.", None),
        ("Kabul".encode("utf-16-le"), None),  # too short to tell without a BOM
    ],
)
def test_unicode_encoding_is_recognised_conservatively(head: bytes, encoding: str | None) -> None:
    assert unicode_encoding(head) == encoding


@pytest.mark.parametrize(("charset", "codec"), [("utf-16le", "utf-16-le"), ("UTF-16", "utf-16-be"), ("utf-16", "utf-16-le")])
def test_declared_utf16_charset_is_decoded(charset: str, codec: str) -> None:
    assert unicode_encoding("Взрыв в Кабуле.".encode(codec), declared=charset) == codec


def test_utf8_bytes_win_over_a_declared_utf16_charset() -> None:
    assert unicode_encoding("Взрыв в Кабуле.".encode(), declared="utf-16") is None


Server = tuple[str, dict[str, tuple[int, str, bytes]]]


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/plain; charset=utf-16le", SCRIPTS["cyrillic"].encode("utf-16-le")),
        ("text/plain; charset=utf-16", SCRIPTS["arabic"].encode("utf-16")),
        ("text/plain", SCRIPTS["latin"].encode("utf-16-be")),
    ],
)
def test_utf16_url_is_decoded(http_server: Server, client: httpx.Client, content_type: str, body: bytes) -> None:
    base, routes = http_server
    routes["/note"] = (200, content_type, body)
    (doc,) = read_url(f"{base}/note", client=client, options=OPTIONS)
    assert isinstance(doc, RawDocument) and doc.text in SCRIPTS.values()


def test_utf16_html_url_declared_in_the_header_is_read(http_server: Server, client: httpx.Client) -> None:
    base, routes = http_server
    page = "<html><head><title>Взрыв</title></head><body><article><p>Взрыв прогремел на рынке в Кабуле во вторник, сообщили власти.</p></article></body></html>"
    routes["/page"] = (200, "text/html; charset=utf-16le", page.encode("utf-16-le"))
    (doc,) = read_url(f"{base}/page", client=client, options=OPTIONS)
    assert isinstance(doc, RawDocument) and (doc.kind, doc.title) == ("html", "Взрыв")


def test_a_url_httpx_cannot_parse_is_a_problem(client: httpx.Client) -> None:
    (item,) = read_url("http://[::1/", client=client, options=OPTIONS)
    assert isinstance(item, ReadProblem) and item.reason.startswith("not a URL that can be fetched")


def test_real_binary_files_are_still_refused(tmp_path: Path) -> None:
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    (tmp_path / "archive.txt").write_bytes(b"PK\x03\x04" + bytes(200))
    (tmp_path / "program").write_bytes(b"\x7fELF\x02\x01\x01" + bytes(200))
    (tmp_path / "noise.txt").write_bytes(bytes(range(256)) * 8)
    assert problems(read(tmp_path)) == {
        str(tmp_path / "archive.txt"): "binary file (ZIP archive (or DOCX/XLSX/EPUB))",
        str(tmp_path / "image.txt"): "binary file (PNG image)",
        str(tmp_path / "noise.txt"): "binary file",
        str(tmp_path / "program"): "binary file (executable)",
    }


def test_damaged_utf16_is_a_problem_with_its_byte(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + "A blast".encode("utf-16-le") + b"\x00\xd8" + "x".encode("utf-16-le"))
    (item,) = read(path)
    assert isinstance(item, ReadProblem) and item.reason.startswith("text is not valid UTF-16 at byte")


def test_sniff_sees_decoded_bytes_only() -> None:
    # sniff itself still calls raw UTF-16 binary: decoding is the caller's first step
    assert sniff("<html>".encode("utf-16-le")).kind == "binary"


# the whole batch ---------------------------------------------------------------------------------


@pytest.fixture
def bad_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    (folder / "tg").mkdir(parents=True)
    (folder / "good.txt").write_text(GOOD_TEXT)
    (folder / "page.html").write_text("<html><head><title>Raid</title></head><body><article><p>A raid in Nangarhar province left three people dead, police said on Monday.</p></article></body></html>")
    (folder / "deep.json").write_text(deep_json(2000))
    (folder / "tg" / "result.json").write_text(
        export(
            message(1, "A message dated year one.", date="0001-01-01T00:00:00"),
            message(2, "Forwarded as an object.", forwarded_from={"name": "Example Wire"}),
            message(3, "Forwarded as a list.", forwarded_from=["Example", "Wire"]),
        )
    )
    (folder / "feed.rss").write_text(
        '<rss version="2.0"><channel><title>Wire</title><item><title>Blast in Herat</title><description>A blast in Herat.</description>'
        "<pubDate>0000-00-00</pubDate></item></channel></rss>"
    )
    (folder / "utf16.txt").write_bytes("Взрыв прогремел на рынке в Кабуле во вторник.\n".encode("utf-16"))
    (folder / "passwd").symlink_to("/etc/passwd")
    (folder / "broken").symlink_to(folder / "gone")
    (folder / "loop").symlink_to(folder)
    os.mkfifo(folder / "pipe")
    return folder


BAD = {
    "deep.json": f"JSON nested too deeply (over {MAX_JSON_DEPTH} levels)",
    "tg/result.json#message=1": "message has a bad date: '0001-01-01T00:00:00'",
    "passwd": "symbolic link to a file outside the ingested folder; not followed",
    "broken": "broken symbolic link",
    "loop": "symbolic link loop",
    "pipe": "not a regular file (FIFO)",
}


def test_bad_folder_ingests_every_good_document_and_reports_each_bad_input_once(tmp_path: Path, bad_folder: Path) -> None:
    with open_store(str(tmp_path / "x.db")) as store:
        report = ingest([str(bad_folder)], store, options=OPTIONS, now=clock)
        assert sorted((p.path, p.reason) for p in report.problems) == sorted((f"{bad_folder}/{name}", reason) for name, reason in BAD.items())
        stored = {(Path(d.path or "").name, d.text.split("\n")[0]): d for d in store.documents()}
        assert sorted(stored) == [
            ("feed.rss", "Blast in Herat"),
            ("good.txt", GOOD_TEXT.split("\n")[0]),
            ("page.html", "A raid in Nangarhar province left three people dead, police said on Monday."),
            ("result.json", "Forwarded as a list."),
            ("result.json", "Forwarded as an object."),
            ("utf16.txt", "Взрыв прогремел на рынке в Кабуле во вторник."),
        ]
        assert {d.meta["forwarded_from"] for d in stored.values() if d.kind == "telegram"} == {"Example Wire", "Example, Wire"}
        feed_item = stored[("feed.rss", "Blast in Herat")]
        assert (feed_item.published, feed_item.meta["bad_date"]) == (None, "0000-00-00")
        assert (report.new, report.failed) == (6, len(BAD))
        errors = len(store.errors())

        again = ingest([str(bad_folder)], store, options=OPTIONS, now=clock)
        assert (again.new, again.present) == (0, 6)
        assert sorted(map(repr, again.problems)) == sorted(map(repr, report.problems))
        assert len(store.errors()) == errors == len(BAD)
