"""HTML pages → one RawDocument of kind 'html' via trafilatura: the main text with boilerplate
(navigation, comments, "join our channel" footers) and `<script>`/`<style>` dropped, plus title,
author, publication date, canonical URL and the language the page declares."""

from __future__ import annotations

import re
from typing import Any

import lxml.html
import trafilatura
from lxml import etree
from trafilatura.settings import Document
from trafilatura.utils import decode_file

from kwatch.errors import IngestError
from kwatch.ingest.dates import to_day
from kwatch.models import RawDocument

_LANG_ATTR = re.compile(rb"<html\b[^>]*?\slang\s*=\s*[\"']?([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*[\"'\s>]", re.IGNORECASE)
_BLOCK_TAGS = frozenset(
    {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "table", "pre", "section", "article"}
)
#: trafilatura drops every non-printable character, including the zero-width (non-)joiners that
#: Persian, Pashto and Urdu spelling needs ("ده‌ها"); they travel through it as rare printable
#: symbols instead. Symbols already in the page switch the protection off.
_JOINER_STANDINS = {"\u200c": "\u2bfe", "\u200d": "\u2bff"}
_SPACES = re.compile(r"[ \t\u00a0]+")
#: Characters lxml refuses in a string it parses (controls but tab and line ends, lone
#: surrogates, the two non-characters XML forbids); a feed's text may hold any of them.
_NOT_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def declared_language(data: bytes) -> str | None:
    """The ISO 639-1 code of `<html lang="…">` when the page states one ('fa-AF' → 'fa')."""
    match = _LANG_ATTR.search(data[:8192])
    if not match:
        return None
    code = match.group(1).decode("ascii").lower()
    return code if len(code) == 2 else None


def _bare(page: str, options: dict[str, Any]) -> Document | None:
    """trafilatura's extraction as its Document (we never ask for the dict form)."""
    found = trafilatura.bare_extraction(page, **options)
    return found if isinstance(found, Document) else None


def read_html(data: bytes, *, path: str | None = None, url: str | None = None) -> RawDocument:
    result = _extract(data, url)
    text = (result.get("text") or "").strip()
    if not text:
        raise IngestError("HTML page has no main text (trafilatura found none)")
    return RawDocument(
        text=text,
        kind="html",
        path=path,
        url=result.get("url") or url,
        source=result.get("sitename") or None,
        title=result.get("title") or None,
        author=result.get("author") or None,
        published=to_day(result.get("date")),
        language=declared_language(data),
    )


def _extract(data: bytes, url: str | None) -> dict[str, Any]:
    common: dict[str, Any] = {
        "url": url,
        "with_metadata": True,
        "include_comments": False,
        "date_extraction_params": {"original_date": True, "extensive_search": False},
    }
    page = decode_file(data)
    protect = not any(standin in page for standin in _JOINER_STANDINS.values())
    if protect:
        for joiner, standin in _JOINER_STANDINS.items():
            page = page.replace(joiner, standin)
    try:
        found = _bare(page, common)
        if found is None or not found.text:
            # short pages (a two-paragraph statement) fall under the default thresholds
            found = _bare(page, {**common, "favor_recall": True})
    except (ValueError, etree.LxmlError) as exc:
        raise IngestError(f"HTML could not be parsed: {exc}") from None
    result: dict[str, Any] = found.as_dict() if found is not None else {}
    if protect:
        for key in ("text", "title", "author"):
            if isinstance(result.get(key), str):
                for joiner, standin in _JOINER_STANDINS.items():
                    result[key] = result[key].replace(standin, joiner)
    return result


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed item summary): block elements become line breaks,
    script and style are dropped, runs of spaces fold."""
    if "<" not in fragment and "&" not in fragment:
        return _tidy(fragment)
    root = lxml.html.fragment_fromstring(_NOT_XML_CHARS.sub("", fragment), create_parent="div")
    for bad in root.xpath(".//script|.//style|.//noscript"):
        bad.drop_tree()
    parts: list[str] = []
    _walk(root, parts)
    return _tidy("".join(parts))


def _walk(element: Any, parts: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _BLOCK_TAGS:
        parts.append("\n")
    if element.text and isinstance(element.tag, str):
        parts.append(element.text)
    for child in element:
        _walk(child, parts)
        if child.tail:
            parts.append(child.tail)
    if tag in _BLOCK_TAGS:
        parts.append("\n")


def _tidy(text: str) -> str:
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
