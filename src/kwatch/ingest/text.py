"""Plain text and Markdown files → one RawDocument of kind 'text'.

The text is kept exactly as decoded (UTF-8, BOM stripped, CRLF/CR → LF) so evidence offsets found
later point into the same characters a reader sees in the file.
"""

from __future__ import annotations

from kwatch.errors import IngestError
from kwatch.models import RawDocument

_BOM = "\ufeff"
#: A first line longer than this reads as a paragraph, not a headline.
MAX_TITLE_CHARS = 200
#: A headline does not end like a sentence or a clause.
_NOT_TITLE_ENDINGS = (".", ",", ";", ":")


def decode_utf8(data: bytes) -> str:
    """Strict UTF-8 with the BOM dropped and line ends made LF; IngestError names the bad byte."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise IngestError(f"not valid UTF-8 at byte {exc.start}", hint="re-save the file as UTF-8") from None
    if text.startswith(_BOM):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def guess_title(text: str) -> str | None:
    """The first non-blank line when it looks like a headline (short, no final period) and the
    document has more after it; otherwise None."""
    lines = text.strip().split("\n")
    first = lines[0].lstrip("#").strip()  # a Markdown heading is a title without its marker
    if len(lines) < 2 or not first or len(first) > MAX_TITLE_CHARS or first.endswith(_NOT_TITLE_ENDINGS):
        return None
    return first


def read_text(data: bytes, *, path: str | None = None, url: str | None = None) -> RawDocument:
    text = decode_utf8(data)
    if not text.strip():
        raise IngestError("empty file (only whitespace)")
    return RawDocument(text=text, kind="text", path=path, url=url, title=guess_title(text))
