"""Containment: one input that a reader cannot cope with costs that input, never the batch.

Every reader invocation (a file, a URL, a manifest, one Telegram message, one feed item) runs
under `guarded` or `contained`. An IngestError is the reader saying what is wrong with the input;
any other Exception (RecursionError, ValueError, TypeError, kwatch.errors.Bug, …) is a reader
failing in a way it did not foresee, so the reason says so and names the reader. BaseExceptions
(KeyboardInterrupt, SystemExit) are never caught: the user asked to stop.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

from kwatch.errors import IngestError
from kwatch.models import RawDocument, ReadProblem

Item = RawDocument | ReadProblem
T = TypeVar("T")

#: A reason is one line; an exception message quoting a whole input is cut here.
MAX_REASON_CHARS = 300


def one_line(text: object) -> str:
    """Whitespace folded and NUL removed (no store keeps U+0000), cut to MAX_REASON_CHARS."""
    folded = " ".join(str(text).replace("\x00", "").split())
    return folded if len(folded) <= MAX_REASON_CHARS else folded[: MAX_REASON_CHARS - 1] + "…"


def unforeseen(exc: Exception, *, reader: str) -> str:
    """'could not be read: RecursionError: maximum recursion depth exceeded (a bug in kwatch's
    telegram reader)'."""
    what = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return one_line(f"could not be read: {what} (a bug in kwatch's {reader} reader)")


def guarded(items: Iterator[Item], *, origin: str, reader: str) -> Iterator[Item]:
    """The items of a reader's iterator until it fails; a failure becomes a last ReadProblem at
    `origin`. Items already yielded stay yielded."""
    try:
        yield from items
    except IngestError as exc:
        yield ReadProblem(origin, one_line(exc.message))
    except Exception as exc:  # containment: see the module docstring
        yield ReadProblem(origin, unforeseen(exc, reader=reader))


def contained(read: Callable[[], T], *, origin: str, reader: str) -> T | ReadProblem:
    """`read()`, or the ReadProblem at `origin` that its failure becomes."""
    try:
        return read()
    except IngestError as exc:
        return ReadProblem(origin, one_line(exc.message))
    except Exception as exc:  # containment: see the module docstring
        return ReadProblem(origin, unforeseen(exc, reader=reader))
