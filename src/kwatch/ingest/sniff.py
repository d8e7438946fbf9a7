"""Tell what a file or response holds from its first bytes, its name and its Content-Type.

Content decides first (a PNG named `.html` is an image, an RSS feed named `.xml` is a feed); the
extension only settles what the bytes leave open (plain text vs. Markdown vs. an unsupported text
format). Every verdict is a `Sniffed(kind, detail)`; kinds that cannot be read carry a reason.

`unicode_encoding` runs first and names UTF-16/UTF-32 input (a byte order mark, a declared
charset, or the alternating NUL bytes of BOM-less UTF-16): such input is transcoded to UTF-8
before `sniff` sees it, so every reader gets one encoding.
"""

from __future__ import annotations

import codecs
import re
from collections import Counter
from dataclasses import dataclass

#: How many leading bytes are enough to decide.
HEAD_BYTES = 4096

#: Signatures of binary formats we never read, with a name for the error message.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"RIFF", "RIFF media (WebP/WAV/AVI)"),
    (b"PK\x03\x04", "ZIP archive (or DOCX/XLSX/EPUB)"),
    (b"\x1f\x8b", "gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!", "RAR archive"),
    (b"OggS", "Ogg media"),
    (b"\x1aE\xdf\xa3", "Matroska/WebM video"),
    (b"ID3", "MP3 audio"),
    (b"\xd0\xcf\x11\xe0", "legacy Office document"),
    (b"\x7fELF", "executable"),
    (b"MZ", "executable"),
)
_MP4 = re.compile(rb"^....ftyp", re.DOTALL)
#: Byte order marks, longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_UNICODE_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_UTF16_CHARSET = re.compile(r"^utf-?16(?:-?(le|be))?$")
_UTF32_CHARSET = re.compile(r"^utf-?32(?:-?(le|be))?$")
#: BOM-less UTF-16 of alphabetic scripts: in each character's high byte, at least this share of
#: NULs (ASCII spaces, digits, punctuation; all of Latin text), few distinct values and two of
#: them nearly always (NUL and one script block: U+0400 Cyrillic, U+0600 Arabic …); in its low
#: byte almost never NUL. Fewer characters than the minimum are not enough to tell.
_UTF16_MIN_CHARS = 8
_UTF16_MIN_HIGH_NULS = 0.1
_UTF16_MAX_LOW_NULS = 0.01
_UTF16_MAX_HIGH_VALUES = 8
_UTF16_MIN_TOP_TWO_HIGH = 0.9

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text", ""})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
FEED_SUFFIXES = frozenset({".rss", ".atom", ".xml"})

_HTML = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|title)\b", re.IGNORECASE | re.DOTALL)
_FEED = re.compile(rb"<(rss|feed|rdf:RDF)\b", re.IGNORECASE)
_XML_DECL = re.compile(rb"^\s*<\?xml", re.IGNORECASE)
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class Sniffed:
    kind: str  # 'text' | 'html' | 'pdf' | 'rss' | 'json' | 'empty' | 'binary' | 'unsupported'
    detail: str = ""  # for 'binary'/'unsupported': what it is, for the error message


def sniff(head: bytes, *, suffix: str = "", content_type: str | None = None) -> Sniffed:
    """Classify a document from its first bytes (`HEAD_BYTES` are plenty), its lower-case file
    suffix ('.txt', '' when none) and, for URLs, the media type of its Content-Type header."""
    if not head:
        return Sniffed("empty")
    if head.startswith(b"%PDF-"):
        return Sniffed("pdf")
    binary_format = _binary_format(head)
    if binary_format:
        return Sniffed("binary", binary_format)
    body = head[len(_BOM) :] if head.startswith(_BOM) else head
    if _looks_binary(body):
        return Sniffed("binary")
    stripped = body.lstrip()
    if _XML_DECL.match(stripped) or stripped.startswith(b"<"):
        if _FEED.search(body[:2048]) and not _HTML.match(stripped):
            return Sniffed("rss")
        if _HTML.match(stripped):
            return Sniffed("html")
    media = (content_type or "").split(";")[0].strip().lower()
    if stripped[:1] in (b"{", b"[") and (suffix == ".json" or media.endswith("json")):
        return Sniffed("json")
    if suffix == ".pdf":
        return Sniffed("unsupported", "named .pdf but has no %PDF header: PDF is truncated or damaged")
    if media in ("text/html", "application/xhtml+xml") or (not media and suffix in HTML_SUFFIXES):
        return Sniffed("html")
    if media in ("application/rss+xml", "application/atom+xml") or (not media and suffix in FEED_SUFFIXES):
        return Sniffed("rss")
    if media.startswith("text/plain") or media == "text/markdown" or (not media and suffix in TEXT_SUFFIXES):
        return Sniffed("text")
    if suffix == ".json":
        return Sniffed("unsupported", "a .json file that does not start with { or [")
    return Sniffed("unsupported", f"unsupported file type {suffix or media!r}")


def unicode_encoding(head: bytes, *, declared: str | None = None) -> str | None:
    """The UTF-16 or UTF-32 codec the bytes are in ('utf-16', 'utf-16-le', 'utf-32', …), or None
    for everything else (UTF-8, another charset, binary). A byte order mark decides, then the
    charset a server declared, then, for bytes that would otherwise read as binary, the pattern
    of BOM-less UTF-16 (conservative: alphabetic scripts only, and the sample must decode to text
    without control characters)."""
    for bom, codec in _UNICODE_BOMS:
        if head.startswith(bom):
            return codec
    charset = (declared or "").strip().lower().replace("_", "-")
    if b"\x00" not in head and _is_utf8(head):
        return None  # a server that says UTF-16 of a UTF-8 page: the bytes win
    for pattern, family in ((_UTF16_CHARSET, "utf-16"), (_UTF32_CHARSET, "utf-32")):
        match = pattern.match(charset)
        if match and match.group(1):
            return f"{family}-{match.group(1)}"
        if match:  # no byte order stated: the bytes may show it, else big-endian (RFC 2781)
            return (_utf16_byte_order(head) if family == "utf-16" else None) or f"{family}-be"
    if b"\x00" in head and not _binary_format(head):
        return _utf16_byte_order(head)
    return None


def _utf16_byte_order(head: bytes) -> str | None:
    sample = head[: min(len(head), HEAD_BYTES) // 2 * 2]
    pairs = len(sample) // 2
    if pairs < _UTF16_MIN_CHARS:
        return None
    for codec, low, high in (("utf-16-le", sample[0::2], sample[1::2]), ("utf-16-be", sample[1::2], sample[0::2])):
        if (
            high.count(0) >= pairs * _UTF16_MIN_HIGH_NULS
            and low.count(0) <= pairs * _UTF16_MAX_LOW_NULS
            and len(set(high)) <= _UTF16_MAX_HIGH_VALUES
            and sum(count for _, count in Counter(high).most_common(2)) >= pairs * _UTF16_MIN_TOP_TWO_HIGH
        ):
            try:  # final=False: the sample may end inside a surrogate pair
                text = codecs.getincrementaldecoder(codec)().decode(sample, final=False)
            except UnicodeDecodeError:
                return None
            return codec if text and not _looks_binary(text.encode("utf-8")) else None
    return None


def _is_utf8(head: bytes) -> bool:
    try:  # final=False: the head may end inside a character
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _binary_format(head: bytes) -> str | None:
    """The name of the binary format whose signature the bytes start with, if any."""
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    if _MP4.match(head):
        return "MP4/QuickTime video"
    return None


def _looks_binary(head: bytes) -> bool:
    """NUL bytes or many control characters: no text format we read has them (UTF-16 text is
    transcoded before it gets here, see `unicode_encoding`)."""
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > max(2, len(head) // 100)
