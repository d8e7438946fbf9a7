"""Tell what a file or response holds from its first bytes, its name and its Content-Type.

Content decides first (a PNG named `.html` is an image, an RSS feed named `.xml` is a feed); the
extension only settles what the bytes leave open (plain text vs. Markdown vs. an unsupported text
format). Every verdict is a `Sniffed(kind, detail)`; kinds that cannot be read carry a reason.
"""

from __future__ import annotations

import re
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
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return Sniffed("binary", name)
    if _MP4.match(head):
        return Sniffed("binary", "MP4/QuickTime video")
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


def _looks_binary(head: bytes) -> bool:
    """NUL bytes or many control characters: no text format we read has them."""
    if b"\x00" in head:
        # UTF-16 text has NULs too, but no source we read is UTF-16; reported as binary.
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > max(2, len(head) // 100)
