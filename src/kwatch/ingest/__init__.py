"""Readers: files, folders and URLs → RawDocuments, or ReadProblems for what cannot be read.

    read_paths(["reports/"], options=ReadOptions())     # files and folders, recursively
    read_url(url, client=httpx.Client(), options=...)   # a page, a PDF or a feed

What a file is gets decided by its content first and its name second (`sniff.py`), then one
module per kind reads it: text.py, html.py, pdf.py, rss.py, telegram.py. A folder's
`manifest.jsonl` (manifest.py) supplies title, source, date and language for the files it lists.
A bad file never stops a batch: it becomes a ReadProblem with a one-line reason.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator
from urllib.parse import urlsplit

import httpx

from kwatch.errors import IngestError
from kwatch.ingest.fetch import fetch
from kwatch.ingest.html import read_html
from kwatch.ingest.manifest import MANIFEST_NAME, Manifest, load_manifest
from kwatch.ingest.pdf import read_pdf
from kwatch.ingest.rss import read_feed
from kwatch.ingest.sizes import too_big
from kwatch.ingest.sniff import HEAD_BYTES, Sniffed, sniff
from kwatch.ingest.telegram import decode_json, is_export, read_export
from kwatch.ingest.text import decode_utf8, read_text
from kwatch.models import RawDocument, ReadProblem

__all__ = ["Item", "ReadOptions", "count_inputs", "read_bytes", "read_paths", "read_url"]

Item = RawDocument | ReadProblem

#: A folder holding this file is a Telegram Desktop export; its subfolders hold media we never read.
TELEGRAM_EXPORT_NAME = "result.json"


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadOptions:
    max_bytes: int = 50 * 1024 * 1024  # setting max_file_size


def read_paths(paths: Iterable[str | Path], *, options: ReadOptions) -> Iterator[Item]:
    """Read files and folders (recursively, in sorted order, hidden names skipped).

    Raises IngestError at once when a given path does not exist; every other failure is yielded
    as a ReadProblem and the batch goes on.
    """
    roots = _existing(paths)
    return _read_all(roots, options)


def count_inputs(paths: Iterable[str | Path]) -> int:
    """How many files `read_paths` will visit (manifests not counted), for a progress bar."""
    return sum(1 for _ in _files(_existing(paths)))


def read_url(url: str, *, client: httpx.Client, options: ReadOptions) -> Iterator[Item]:
    """Fetch a URL with the injected client: a feed gives one document per item, a page or a PDF
    one document. HTTP and network errors are yielded as a ReadProblem."""
    try:
        got = fetch(url, client=client, max_bytes=options.max_bytes)
        data = got.data
        suffix = Path(urlsplit(got.url).path).suffix.lower()
        kind = sniff(data[:HEAD_BYTES], suffix=suffix, content_type=got.content_type)
        if kind.kind == "text" and got.charset and got.charset.lower().replace("_", "-") not in ("utf-8", "utf8", "ascii"):
            data = _transcode(data, got.charset)
        yield from read_bytes(data, sniffed=kind, origin=url, path=None, url=got.url)
    except IngestError as exc:
        yield ReadProblem(url, exc.message)


def read_bytes(data: bytes, *, sniffed: Sniffed, origin: str, path: str | None, url: str | None) -> Iterator[Item]:
    """Read content whose kind is already sniffed; a failure is yielded as a ReadProblem at `origin`."""
    try:
        yield from _dispatch(data, sniffed=sniffed, origin=origin, path=path, url=url)
    except IngestError as exc:
        yield ReadProblem(origin, exc.message)


def _dispatch(data: bytes, *, sniffed: Sniffed, origin: str, path: str | None, url: str | None) -> Iterator[Item]:
    kind = sniffed.kind
    if kind == "text":
        yield read_text(data, path=path, url=url)
    elif kind == "html":
        yield read_html(data, path=path, url=url)
    elif kind == "pdf":
        yield read_pdf(data, path=path, url=url)
    elif kind == "rss":
        yield from read_feed(data, path=path, url=url)
    elif kind == "json":
        value = decode_json(data)
        if not is_export(value):
            raise IngestError('JSON is not a Telegram Desktop export (no object with "messages" and "name"/"type")')
        yield from read_export(value, path=origin)
    elif kind == "empty":
        raise IngestError("empty file")
    elif kind == "binary":
        raise IngestError(f"binary file ({sniffed.detail})" if sniffed.detail else "binary file")
    else:
        raise IngestError(sniffed.detail or "unsupported file type")


def _existing(paths: Iterable[str | Path]) -> list[Path]:
    roots = [Path(p) for p in paths]
    for root in roots:
        if not root.exists():
            raise IngestError(f"{root} does not exist.", hint="check the path")
    return roots


def _files(roots: list[Path]) -> Iterator[Path]:
    """Every document file under the roots once, in order; a file given by name is read even when
    hidden."""
    seen: set[Path] = set()
    for root in roots:
        for file in [root] if root.is_file() else _walk(root):
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                yield file


def _walk(folder: Path) -> Iterator[Path]:
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError:
        return  # unreadable folder: nothing to visit (reported when read, see _read_all)
    is_telegram_export = any(e.name == TELEGRAM_EXPORT_NAME and e.is_file() for e in entries)
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            if not is_telegram_export and not entry.is_symlink():  # symlinked folders could loop
                yield from _walk(entry)
        elif entry.is_file() and entry.name != MANIFEST_NAME:
            yield entry


def _read_all(roots: list[Path], options: ReadOptions) -> Iterator[Item]:
    manifests: dict[Path, Manifest | None] = {}
    for root in roots:
        if root.is_dir() and not os.access(root, os.R_OK | os.X_OK):
            yield ReadProblem(str(root), "folder cannot be read (permission denied)")
    for file in _files(roots):
        folder = file.parent.resolve()
        if folder not in manifests:
            manifests[folder] = manifest = _manifest(file.parent)
            if manifest is not None:
                yield from manifest.problems
        manifest = manifests[folder]
        for item in _read_file(file, options):
            yield manifest.apply(item, file) if manifest is not None and isinstance(item, RawDocument) else item


def _manifest(folder: Path) -> Manifest | None:
    path = folder / MANIFEST_NAME
    if not path.is_file():
        return None
    try:
        text = decode_utf8(path.read_bytes())
    except (IngestError, OSError) as exc:
        reason = exc.message if isinstance(exc, IngestError) else f"cannot read: {exc.strerror}"
        return Manifest(folder=folder, problems=(ReadProblem(str(path), f"manifest ignored: {reason}"),))
    return load_manifest(path, text=text)


def _read_file(file: Path, options: ReadOptions) -> Iterator[Item]:
    origin = str(file)
    try:
        size = file.stat().st_size
        if size > options.max_bytes:
            yield ReadProblem(origin, too_big(size, options.max_bytes))
            return
        data = file.read_bytes()
    except OSError as exc:
        yield ReadProblem(origin, f"cannot read: {exc.strerror or exc}")
        return
    sniffed = sniff(data[:HEAD_BYTES], suffix=file.suffix.lower())
    yield from read_bytes(data, sniffed=sniffed, origin=origin, path=origin, url=None)


def _transcode(data: bytes, charset: str) -> bytes:
    try:
        return data.decode(charset).encode("utf-8")
    except (LookupError, UnicodeDecodeError):
        raise IngestError(f"text is not valid {charset} as its Content-Type says") from None
