"""RSS and Atom feeds → one RawDocument of kind 'rss' per item.

The text is the item title and its content (or summary) stripped of HTML. A feed that feedparser
flags as malformed (`bozo`) still gives the items it could read; only a feed with no items at all
is a problem.
"""

from __future__ import annotations

from typing import Any, Iterator

import feedparser

from kwatch.errors import IngestError
from kwatch.ingest.dates import to_day
from kwatch.ingest.html import html_to_text
from kwatch.models import RawDocument, ReadProblem


def read_feed(data: bytes, *, path: str | None = None, url: str | None = None) -> Iterator[RawDocument | ReadProblem]:
    origin = path or url or "feed"
    # bytes, never a str: feedparser would treat a str as a URL or a file name and open it
    parsed = feedparser.parse(data)
    if not parsed.entries:
        if parsed.bozo:
            raise IngestError(f"feed could not be parsed: {_one_line(parsed.get('bozo_exception'))}")
        raise IngestError("feed has no items")
    feed_title = html_to_text(parsed.feed.get("title", "")) or None
    for number, entry in enumerate(parsed.entries, start=1):
        item = _item(entry, feed_title=feed_title, path=path)
        yield item if item is not None else ReadProblem(f"{origin}#item={number}", "feed item has neither title nor text")


def _item(entry: Any, *, feed_title: str | None, path: str | None) -> RawDocument | None:
    title = html_to_text(entry.get("title", "")) or None
    body = html_to_text(_body_html(entry))
    parts = [p for p in (title, body) if p]
    if not parts:
        return None
    link = entry.get("link") or None
    guid = entry.get("id") or link
    published = to_day(entry.get("published") or entry.get("updated")) or to_day(
        entry.get("published_parsed") or entry.get("updated_parsed")
    )
    return RawDocument(
        text="\n\n".join(parts) if body != title else parts[0],
        kind="rss",
        path=path,
        source=feed_title,
        url=link,
        title=title,
        author=entry.get("author") or None,
        published=published,
        locator=guid,
        meta={"feed": feed_title, "guid": guid},
    )


def _body_html(entry: Any) -> str:
    """The fullest body the item carries: `content:encoded`/Atom content over the summary."""
    contents = [c.get("value", "") for c in entry.get("content", []) or []]
    summary = entry.get("summary", "") or ""
    return max([*contents, summary], key=len)


def _one_line(exc: object) -> str:
    return " ".join(str(exc).split())[:200] or "unknown error"
