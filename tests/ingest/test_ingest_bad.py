"""The bad-input corpus: each bad file is one ReadProblem with a clear reason, good files ingest."""

from __future__ import annotations

from pathlib import Path

import pytest

from kwatch.errors import IngestError
from kwatch.ingest import ReadOptions, count_inputs, read_paths
from kwatch.models import RawDocument, ReadProblem

OPTIONS = ReadOptions()


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("invalid_utf8.txt", "not valid UTF-8 at byte 29"),
        ("random_bytes.txt", "binary file"),
        ("image.html", "binary file (PNG image)"),
        ("empty.txt", "empty file"),
        ("truncated.pdf", "PDF is truncated or damaged: it has no %%EOF end marker"),
        ("result.json", "malformed JSON at line 4 column 13: Expecting property name enclosed in double quotes"),
    ],
)
def test_bad_file_yields_exactly_one_problem(ingest_data: Path, name: str, reason: str) -> None:
    path = ingest_data / "bad" / name
    items = list(read_paths([path], options=OPTIONS))
    assert items == [ReadProblem(str(path), reason)]


@pytest.mark.parametrize("name", ["good.txt", "script.html"])
def test_good_file_in_bad_corpus_yields_a_document(ingest_data: Path, name: str) -> None:
    items = list(read_paths([ingest_data / "bad" / name], options=OPTIONS))
    assert len(items) == 1 and isinstance(items[0], RawDocument)


def test_script_content_never_reaches_text(ingest_data: Path) -> None:
    (doc,) = read_paths([ingest_data / "bad" / "script.html"], options=OPTIONS)
    assert isinstance(doc, RawDocument)
    assert "alert" not in doc.text and "rocket struck an empty field" in doc.text


def test_whole_bad_folder_goes_on_past_every_problem(ingest_data: Path) -> None:
    items = list(read_paths([ingest_data / "bad"], options=OPTIONS))
    problems = sorted(Path(i.path).name for i in items if isinstance(i, ReadProblem))
    documents = sorted(Path(i.path or "").name for i in items if isinstance(i, RawDocument))
    assert problems == ["empty.txt", "image.html", "invalid_utf8.txt", "random_bytes.txt", "result.json", "truncated.pdf"]
    assert documents == ["good.txt", "script.html"]


@pytest.mark.parametrize(
    ("size", "limit", "reason"),
    [
        (2048, 1024, "file is 2 KB, over the 1 KB limit (setting max_file_size)"),
        (1500, 1000, "file is 1.5 KB, over the 1000 bytes limit (setting max_file_size)"),
    ],
)
def test_oversized_file_is_reported_with_its_size(tmp_path: Path, size: int, limit: int, reason: str) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * size)
    assert list(read_paths([path], options=ReadOptions(max_bytes=limit))) == [ReadProblem(str(path), reason)]


def test_file_at_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "exact.txt"
    path.write_bytes(b"a" * 1024)
    (doc,) = read_paths([path], options=ReadOptions(max_bytes=1024))
    assert isinstance(doc, RawDocument)


def test_missing_path_raises_before_reading(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="does not exist"):
        read_paths([tmp_path / "nope"], options=OPTIONS)


def test_count_inputs_counts_the_files_read_paths_visits(ingest_data: Path) -> None:
    assert count_inputs([ingest_data / "bad"]) == 8
