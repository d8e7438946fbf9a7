"""Plain text and Markdown files → one RawDocument of kind 'text'.

The text is kept exactly as decoded (UTF-8, BOM stripped, CRLF/CR → LF) so evidence offsets found
later point into the same characters a reader sees in the file. Input in another encoding
(UTF-16, UTF-32, a charset a server declared) is `transcode`d to UTF-8 bytes before sniffing, so
the stored text is the same characters whichever encoding the file used.
"""

from __future__ import annotations

import re

from kwatch.errors import IngestError
from kwatch.models import RawDocument

_BOM = "\ufeff"
#: A first line longer than this reads as a paragraph, not a headline.
MAX_TITLE_CHARS = 200
#: A headline does not end like a sentence or a clause.
_NOT_TITLE_ENDINGS = (".", ",", ";", ":")
#: The encoding an XML declaration states, which stops being true once the bytes are UTF-8.
_XML_ENCODING = re.compile(r"""^(\ufeff?\s*<\?xml\b[^>]*?\sencoding\s*=\s*)(["'])[^"']*\2""")


def transcode(data: bytes, encoding: str) -> bytes:
    """`data`, text in `encoding`, as UTF-8 bytes; an XML declaration at the start is made to say
    utf-8 (feedparser believes it over the bytes). IngestError when the bytes are not valid."""
    try:
        text = data.decode(encoding)
        return _XML_ENCODING.sub(r"\1\2utf-8\2", text, count=1).encode("utf-8")
    except LookupError:
        raise IngestError(f"text is in an unknown encoding {encoding!r}") from None
    except UnicodeDecodeError as exc:
        raise IngestError(f"text is not valid {encoding.upper()} at byte {exc.start}") from None
    except UnicodeEncodeError:  # a lone surrogate the codec let through
        raise IngestError(f"text is not valid {encoding.upper()} (it holds a lone surrogate)") from None


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
