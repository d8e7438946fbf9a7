"""RSS and Atom feeds → one RawDocument of kind 'rss' per item.

The text is the item title and its content (or summary) stripped of HTML. A feed that feedparser
flags as malformed (`bozo`) still gives the items it could read; only a feed with no items at all
is a problem. Each item is read under its own guard (`guard.contained`): a failure costs that
item only.

Feeds commonly carry junk dates ('0000-00-00', year 0001, '9999-99-99'): such an item is kept
with `published` None and the date as the feed wrote it in `meta["bad_date"]`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial
from typing import Any

import feedparser

from kwatch.errors import IngestError
from kwatch.ingest.dates import to_day
from kwatch.ingest.guard import contained, one_line
from kwatch.ingest.html import html_to_text
from kwatch.ingest.values import as_string
from kwatch.models import RawDocument, ReadProblem

#: A date written as numbers, year first ('2024-03-22', '0000-00-00', '2024/03/22').
_NUMERIC_DATE = re.compile(r"^\s*\d{4}[-/.]\d")


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
        where = f"{origin}#item={number}"
        item = contained(partial(_item, entry, feed_title=feed_title, path=path), origin=where, reader="feed")
        yield item if item is not None else ReadProblem(where, "feed item has neither title nor text")


def _item(entry: Any, *, feed_title: str | None, path: str | None) -> RawDocument | None:
    title = html_to_text(entry.get("title", "")) or None
    body = html_to_text(_body_html(entry))
    parts = [p for p in (title, body) if p]
    if not parts:
        return None
    link = as_string(entry.get("link"))
    guid = as_string(entry.get("id")) or link
    # dict.get: feedparser's own get maps a missing "updated" to "published" with a DeprecationWarning
    stated = dict.get(entry, "published") or dict.get(entry, "updated")
    published = to_day(stated)
    if published is None and not (isinstance(stated, str) and _NUMERIC_DATE.match(stated)):
        # feedparser reads formats we do not (W3C, asctime, other languages); a numeric date we
        # could not read is junk, which feedparser would "normalise" ('2024/03/22' → 2024-12-01)
        published = to_day(dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed"))
    meta = {"feed": feed_title, "guid": guid}
    if published is None and as_string(stated):
        meta["bad_date"] = one_line(stated)[:100]
    return RawDocument(
        text="\n\n".join(parts) if body != title else parts[0],
        kind="rss",
        path=path,
        source=feed_title,
        url=link,
        title=title,
        author=as_string(entry.get("author")),
        published=published,
        locator=guid,
        meta=meta,
    )


def _body_html(entry: Any) -> str:
    """The fullest body the item carries: `content:encoded`/Atom content over the summary."""
    contents = [c.get("value", "") for c in entry.get("content", []) or []]
    summary = entry.get("summary", "") or ""
    return str(max([*contents, summary], key=len))


def _one_line(exc: object) -> str:
    return " ".join(str(exc).split())[:200] or "unknown error"
