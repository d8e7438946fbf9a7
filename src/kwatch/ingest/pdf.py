"""PDF files → one RawDocument of kind 'pdf' via pypdf: the text of every page, and title,
author and creation date from the document information when present."""

from __future__ import annotations

import io
import logging
import re

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from kwatch.errors import IngestError
from kwatch.ingest.dates import to_day
from kwatch.models import RawDocument

#: A complete PDF ends with %%EOF; incremental updates may add a little after it.
_TAIL_BYTES = 2048
_PAGE_SEPARATOR = "\n\n"
_LAYOUT_SPACES = re.compile(r"[ \t]{2,}")


def read_pdf(data: bytes, *, path: str | None = None, url: str | None = None) -> RawDocument:
    if b"%%EOF" not in data[-_TAIL_BYTES:]:
        raise IngestError("PDF is truncated or damaged: it has no %%EOF end marker")
    # pypdf logs recoverable oddities at WARNING; a reader must not write to the user's log.
    logger = logging.getLogger("pypdf")
    previous = logger.level
    logger.setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError("PDF is encrypted with a password")
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata
        title = _clean(info.title) if info else None
        author = _clean(info.author) if info else None
        created = _creation_day(reader)
    except IngestError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, RecursionError) as exc:
        # pypdf surfaces a broken object graph as any of these (a cyclic or absurdly deep one: RecursionError)
        raise IngestError(f"PDF is truncated or damaged: {_one_line(exc)}") from None
    finally:
        logger.setLevel(previous)
    # runs of spaces come from justified layout, not from the author
    text = _PAGE_SEPARATOR.join(_LAYOUT_SPACES.sub(" ", p).strip() for p in pages if p.strip())
    if not text:
        raise IngestError(f"PDF has no extractable text ({len(pages)} pages, probably scanned images)")
    return RawDocument(text=text, kind="pdf", path=path, url=url, title=title, author=author, published=created, meta={"pages": len(pages)})


def _creation_day(reader: PdfReader) -> str | None:
    info = reader.metadata
    if not info:
        return None
    try:
        return to_day(info.creation_date)
    except (ValueError, TypeError):
        return None  # a malformed /CreationDate string is common and harmless


def _clean(value: object) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


def _one_line(exc: Exception) -> str:
    message = " ".join(str(exc).split()) or type(exc).__name__
    return message[:200]
