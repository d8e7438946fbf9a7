"""Readers: files, folders and URLs → RawDocuments, or ReadProblems for what cannot be read.

    read_paths(["reports/"], options=ReadOptions())     # files and folders, recursively
    read_url(url, client=httpx.Client(), options=...)   # a page, a PDF or a feed

What a file is gets decided by its content first and its name second (`sniff.py`; UTF-16 and
UTF-32 text is transcoded to UTF-8 first), then one module per kind reads it: text.py, html.py,
pdf.py, rss.py, telegram.py. A folder's `manifest.jsonl` (manifest.py) supplies title, source,
date and language for the files it lists. The readers never touch the store: `batch.py`
(`ingest(inputs, store, ...)`) is the one module here that writes what they read.

A bad input never stops a batch: every reader invocation (a file, a URL, a manifest, one
Telegram message, one feed item) runs under a guard (guard.py), and whatever it cannot read,
including a failure no reader foresaw, becomes a ReadProblem with a one-line reason.

Walking a folder: hidden names (".git") are skipped silently, and so are the subfolders of a
Telegram Desktop export (its media) and the folder's manifest (read apart). Everything else is
either read or reported: a symbolic link is followed only when its target lies inside the
folder the user gave (else `symbolic link to a file outside the ingested folder; not followed`),
a link that loops (to itself or a folder above it) is `symbolic link loop`, one whose target is
gone `broken symbolic link`, and a FIFO, socket or device `not a regular file (FIFO)` (never
opened: opening a FIFO blocks). A file reached twice (through a link) is read once. A path given
by name is read even when it is a symbolic link.
"""

from __future__ import annotations

import errno
import os
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from kwatch.errors import IngestError
from kwatch.ingest.fetch import DEFAULT_DEADLINE, fetch
from kwatch.ingest.guard import contained, guarded
from kwatch.ingest.html import read_html
from kwatch.ingest.manifest import MANIFEST_NAME, Manifest, load_manifest
from kwatch.ingest.pdf import read_pdf
from kwatch.ingest.rss import read_feed
from kwatch.ingest.sizes import too_big
from kwatch.ingest.sniff import HEAD_BYTES, Sniffed, sniff, unicode_encoding
from kwatch.ingest.telegram import decode_json, is_export, read_export
from kwatch.ingest.text import decode_utf8, read_text, transcode
from kwatch.models import RawDocument, ReadProblem

__all__ = ["Item", "ReadOptions", "count_inputs", "decoded_and_sniffed", "read_bytes", "read_paths", "read_url"]

Item = RawDocument | ReadProblem

#: A folder holding this file is a Telegram Desktop export; its subfolders hold media we never read.
TELEGRAM_EXPORT_NAME = "result.json"


#: The reader each sniffed kind goes to, as a one-line reason names it.
_READERS = {"text": "text", "html": "html", "pdf": "pdf", "rss": "feed", "json": "telegram"}
_FILE_TYPES = ((stat.S_ISFIFO, "FIFO"), (stat.S_ISSOCK, "socket"), (stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device"))
_UTF8_NAMES = ("utf-8", "utf8", "ascii", "us-ascii")


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadOptions:
    max_bytes: int = 50 * 1024 * 1024  # setting max_file_size
    http_deadline: float = DEFAULT_DEADLINE  # setting http_deadline: seconds one URL fetch may take in all
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)  # monotonic, for the deadline


def read_paths(paths: Iterable[str | Path], *, options: ReadOptions) -> Iterator[Item]:
    """Read files and folders (recursively, in sorted order; what is skipped or reported while
    walking: see the module docstring).

    Raises IngestError at once when a given path does not exist; every other failure is yielded
    as a ReadProblem and the batch goes on.
    """
    roots = _existing(paths)
    return _read_all(roots, options)


def count_inputs(paths: Iterable[str | Path]) -> int:
    """How many entries `read_paths` will visit, for a progress bar: the files it reads and the
    entries it reports (a link outside the folder, a FIFO …); manifests are not counted."""
    return sum(1 for _ in _visits(_existing(paths)))


def read_url(url: str, *, client: httpx.Client, options: ReadOptions) -> Iterator[Item]:
    """Fetch a URL with the injected client: a feed gives one document per item, a page or a PDF
    one document. HTTP and network errors, and a fetch over `options.http_deadline`, are yielded
    as a ReadProblem."""
    return guarded(_read_url(url, client=client, options=options), origin=url, reader="URL")


def _read_url(url: str, *, client: httpx.Client, options: ReadOptions) -> Iterator[Item]:
    got = fetch(url, client=client, max_bytes=options.max_bytes, deadline=options.http_deadline, clock=options.clock)
    suffix = Path(urlsplit(got.url).path).suffix.lower()
    data, kind = decoded_and_sniffed(got.data, suffix=suffix, content_type=got.content_type, charset=got.charset)
    yield from read_bytes(data, sniffed=kind, origin=url, path=None, url=got.url)


def decoded_and_sniffed(
    data: bytes, *, suffix: str, content_type: str | None = None, charset: str | None = None
) -> tuple[bytes, Sniffed]:
    """The content as UTF-8 bytes when it is text in another encoding (UTF-16/32 by its byte
    order mark, its NUL pattern or `charset`; plain text in a declared `charset`), and its kind,
    sniffed from those bytes. IngestError when the bytes are not valid in their encoding."""
    encoding = unicode_encoding(data[:HEAD_BYTES], declared=charset)
    if encoding is not None:
        data = transcode(data, encoding)
    sniffed = sniff(data[:HEAD_BYTES], suffix=suffix, content_type=content_type)
    if encoding is None and sniffed.kind == "text" and charset and charset.lower().replace("_", "-") not in _UTF8_NAMES:
        data = transcode(data, charset)
    return data, sniffed


def read_bytes(data: bytes, *, sniffed: Sniffed, origin: str, path: str | None, url: str | None) -> Iterator[Item]:
    """Read content whose kind is already sniffed (UTF-8 bytes, see `decoded_and_sniffed`); a
    failure, foreseen or not, is yielded as a ReadProblem at `origin`."""
    reader = _READERS.get(sniffed.kind, sniffed.kind)
    return guarded(_dispatch(data, sniffed=sniffed, origin=origin, path=path, url=url), origin=origin, reader=reader)


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
        try:
            missing = not root.exists()
        except OSError:  # there but not reachable (permission): reported when visited
            missing = False
        if missing:
            raise IngestError(f"{root} does not exist.", hint="check the path")
    return roots


def _visits(roots: list[Path]) -> Iterator[Path | ReadProblem]:
    """Every document file under the roots once, in order, and a ReadProblem for each entry that
    is reported instead of read (the rules are in the module docstring)."""
    files: set[Path] = set()
    walked: set[Path] = set()  # real paths of the folders already walked
    for root in roots:
        linked: list[Path] = []  # files reached through a link come last: a file's own name wins
        for visit in _root(root, walked):
            if isinstance(visit, _Linked):
                linked.append(visit.path)
            elif isinstance(visit, ReadProblem) or _first_time(visit, files):
                yield visit
        yield from (path for path in linked if _first_time(path, files))


@dataclass(frozen=True, slots=True)
class _Linked:
    """A file inside the folder reached through a symbolic link."""

    path: Path


def _first_time(file: Path, seen: set[Path]) -> bool:
    real = Path(os.path.realpath(file))
    if real in seen:
        return False
    seen.add(real)
    return True


def _root(root: Path, walked: set[Path]) -> Iterator[Path | _Linked | ReadProblem]:
    try:
        info = root.stat()  # follows a symbolic link: a path given by name is read through it
    except OSError as exc:
        yield ReadProblem(str(root), f"cannot read: {exc.strerror or exc}")
        return
    if stat.S_ISDIR(info.st_mode):
        yield from _walk(root, walked)
    elif stat.S_ISREG(info.st_mode):
        yield root
    else:
        yield ReadProblem(str(root), _not_regular(info.st_mode))


def _walk(top: Path, walked: set[Path]) -> Iterator[Path | _Linked | ReadProblem]:
    """Depth first in name order, with an explicit stack (a folder may nest deeper than Python
    recurses). Folders reached through a link are walked last, so a folder inside is read by its
    own name when it has one; a link is a loop when the folder holding it lies inside its target."""
    boundary = Path(os.path.realpath(top))
    stack: list[tuple[Path, Path, Iterator[str], bool]] = []  # folder, its real path, names left, is an export
    linked_folders: list[Path] = [top]
    while stack or linked_folders:
        if not stack:
            folder = linked_folders.pop(0)
            real = Path(os.path.realpath(folder))
            if real not in walked:
                walked.add(real)
                yield from _enter(folder, real, stack)
            continue
        folder, real_folder, names, in_export = stack[-1]
        name = next(names, None)
        if name is None:
            stack.pop()
            continue
        path = folder / name
        entry = _entry(path, boundary)
        if isinstance(entry, ReadProblem):
            if name != MANIFEST_NAME:
                yield entry
        elif name == MANIFEST_NAME and not stat.S_ISDIR(entry.st_mode):
            continue  # read apart, and reported there when it cannot be (see _manifest)
        elif stat.S_ISREG(entry.st_mode):
            yield _Linked(path) if os.path.islink(path) else path
        elif not stat.S_ISDIR(entry.st_mode):
            yield ReadProblem(str(path), _not_regular(entry.st_mode))
        elif in_export:
            continue  # an export's subfolders hold its media, never read
        elif not os.path.islink(path):
            real = Path(os.path.realpath(path))
            if real not in walked:
                walked.add(real)
                yield from _enter(path, real, stack)
        elif real_folder.is_relative_to(os.path.realpath(path)):
            yield ReadProblem(str(path), "symbolic link loop")
        else:
            linked_folders.append(path)


def _enter(folder: Path, real: Path, stack: list[tuple[Path, Path, Iterator[str], bool]]) -> Iterator[ReadProblem]:
    """Push a folder's listing onto the walk's stack, or yield why it cannot be listed."""
    listing = _listing(folder)
    if isinstance(listing, ReadProblem):
        yield listing
    else:
        stack.append((folder, real, iter(listing), _is_export(folder, listing)))


def _listing(folder: Path) -> list[str] | ReadProblem:
    """The names in a folder, sorted, hidden ones left out."""
    try:
        names = os.listdir(folder)
    except PermissionError:
        return ReadProblem(str(folder), "folder cannot be read (permission denied)")
    except OSError as exc:
        return ReadProblem(str(folder), f"folder cannot be read: {exc.strerror or exc}")
    return sorted(name for name in names if not name.startswith("."))


def _is_export(folder: Path, names: list[str]) -> bool:
    """A folder holding `result.json` is a Telegram Desktop export."""
    return TELEGRAM_EXPORT_NAME in names and os.path.isfile(folder / TELEGRAM_EXPORT_NAME)


def _entry(path: Path, boundary: Path) -> os.stat_result | ReadProblem:
    """What `path` is (through a symbolic link whose target lies inside `boundary`), or the
    ReadProblem it is reported as."""
    try:
        info = os.lstat(path)
        if not stat.S_ISLNK(info.st_mode):
            return info
    except OSError as exc:
        return ReadProblem(str(path), f"cannot read: {exc.strerror or exc}")
    try:
        target = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return ReadProblem(str(path), "symbolic link loop")
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            return ReadProblem(str(path), "broken symbolic link")
        return ReadProblem(str(path), f"cannot read: {exc.strerror or exc}")
    if not Path(os.path.realpath(path)).is_relative_to(boundary):
        what = "folder" if stat.S_ISDIR(target.st_mode) else "file"
        return ReadProblem(str(path), f"symbolic link to a {what} outside the ingested folder; not followed")
    return target


def _not_regular(mode: int) -> str:
    kind = next((name for test, name in _FILE_TYPES if test(mode)), "special file")
    return f"not a regular file ({kind})"


def _read_all(roots: list[Path], options: ReadOptions) -> Iterator[Item]:
    manifests: dict[Path, Manifest | None] = {}
    for visit in _visits(roots):
        if isinstance(visit, ReadProblem):
            yield visit
            continue
        file = visit
        folder = Path(os.path.realpath(file.parent))
        if folder not in manifests:
            found = contained(partial(_manifest, file.parent), origin=str(file.parent / MANIFEST_NAME), reader="manifest")
            if isinstance(found, ReadProblem):  # a manifest that breaks the reader is ignored
                found = Manifest(folder=file.parent, problems=(ReadProblem(found.path, f"manifest ignored: {found.reason}"),))
            manifests[folder] = found
            if found is not None:
                yield from found.problems
        manifest = manifests[folder]
        for item in guarded(_read_file(file, options), origin=str(file), reader="file"):
            if manifest is not None and isinstance(item, RawDocument):
                item = contained(partial(manifest.apply, item, file), origin=str(file), reader="manifest")
            yield item


#: A manifest lists documents, one short line each; a bigger one is not a manifest.
_MAX_MANIFEST_BYTES = 64 * 1024 * 1024


def _manifest(folder: Path) -> Manifest | None:
    """The folder's manifest, or None when it has none. One that is not read (a link out of the
    folder, not UTF-8 …) is a Manifest with only that problem, the folder's files read without it."""
    path = folder / MANIFEST_NAME
    if not os.path.lexists(path):
        return None
    entry = _entry(path, Path(os.path.realpath(folder)))
    if isinstance(entry, os.stat_result) and stat.S_ISDIR(entry.st_mode):
        return None  # a folder of that name is walked as a folder
    data = entry if isinstance(entry, ReadProblem) else _read_regular(path, max_bytes=_MAX_MANIFEST_BYTES)
    if isinstance(data, bytes):
        try:
            return load_manifest(path, text=decode_utf8(data))
        except IngestError as exc:
            data = ReadProblem(str(path), exc.message)
    return Manifest(folder=folder, problems=(ReadProblem(str(path), f"manifest ignored: {data.reason}"),))


def _read_file(file: Path, options: ReadOptions) -> Iterator[Item]:
    origin = str(file)
    data = _read_regular(file, max_bytes=options.max_bytes)
    if isinstance(data, ReadProblem):
        yield data
        return
    data, sniffed = decoded_and_sniffed(data, suffix=file.suffix.lower())
    yield from read_bytes(data, sniffed=sniffed, origin=origin, path=origin, url=None)


def _read_regular(file: Path, *, max_bytes: int) -> bytes | ReadProblem:
    """The bytes of a regular file of at most `max_bytes`, or why not. Opened without blocking
    and checked on the open descriptor, so a FIFO swapped in after the walk is never waited on."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(file, flags)
    except OSError as exc:
        return ReadProblem(str(file), f"cannot read: {exc.strerror or exc}")
    with open(descriptor, "rb", closefd=True) as handle:
        try:
            info = os.fstat(descriptor)
            if not stat.S_ISREG(info.st_mode):
                return ReadProblem(str(file), _not_regular(info.st_mode))
            if info.st_size > max_bytes:
                return ReadProblem(str(file), too_big(info.st_size, max_bytes))
            data = handle.read(max_bytes + 1)  # the file may have grown since
        except OSError as exc:
            return ReadProblem(str(file), f"cannot read: {exc.strerror or exc}")
    if len(data) > max_bytes:
        return ReadProblem(str(file), too_big(len(data), max_bytes, at_least=True))
    return data
