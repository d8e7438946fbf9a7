"""Filtering and paging events the way every view asks for them.

Pure functions over events after analysts' overrides, so a filter sees the edited values: an
event moved to another province by an analyst is found under the new one. `keep` filters typed
events (`kwatch.records`); `select` pages FORMAT records (what the web API serves). Both, and the
analytics frame's rows, pass through one rule, `fields_match`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from kwatch.errors import QueryError
from kwatch.records import Event, ResolvedEvent

#: A typed event `keep` filters: extracted or resolved.
Typed = TypeVar("Typed", Event, ResolvedEvent)

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
MAX_LIMIT = 500
REVIEW_STATES = ("any", "unreviewed", "confirmed", "rejected")
#: Fields the free-text filter looks in (besides the quotes of the sources).
_TEXT_FIELDS = ("place", "admin1", "admin2", "actor", "outlet", "method", "target", "medium")


#: The review status (None: not reviewed) each review state but 'any' keeps.
_STATUS_OF = {"unreviewed": None, "confirmed": "confirmed", "rejected": "rejected"}


def check_review(state: str) -> str:
    """`state` when it is a review state a view filters by (REVIEW_STATES), else QueryError."""
    if state not in REVIEW_STATES:
        raise QueryError(f"review {state!r} is not one of {', '.join(REVIEW_STATES)}.")
    return state


def in_review_state(status: str | None, state: str) -> bool:
    """Whether an event of review `status` (None when not reviewed) is in review `state`
    ('any': whatever its status; whether rejected ones are listed at all is the caller's rule)."""
    return state == "any" or status == _STATUS_OF[state]


def check_date(name: str, value: str | None) -> str | None:
    """`value` when it is a calendar date of the form every view filters by (YYYY, YYYY-MM or
    YYYY-MM-DD, a real month and day), else QueryError. Relative dates ("7d", "yesterday") are
    refused everywhere (CLI, Python, web API): a dataset's filter means the same tomorrow."""
    if value is None:
        return None
    found = _PARTIAL_DATE.match(value) if isinstance(value, str) else None
    if found is not None:
        year, month, day = (int(part) if part else None for part in found.groups())
        try:
            date(year or 1, month or 1, day or 1)
        except ValueError:
            found = None
    if found is None:
        raise QueryError(
            f"{name} {value!r} is not a date: give YYYY, YYYY-MM or YYYY-MM-DD.",
            hint="e.g. 2024, 2024-03 or 2024-03-22; relative dates such as 7d or yesterday are not taken",
        )
    return value


@dataclass(frozen=True, slots=True)
class EventQuery:
    type: str | None = None
    since: str | None = None
    until: str | None = None
    country: str | None = None
    province: str | None = None
    actor: str | None = None
    text: str | None = None
    review: str = "any"  # rejected events are only listed with review='rejected'
    limit: int = 50
    offset: int = 0

    def check(self) -> EventQuery:
        check_date("since", self.since)
        check_date("until", self.until)
        if not 1 <= self.limit <= MAX_LIMIT:
            raise QueryError(f"limit {self.limit} is out of range.", hint=f"give 1 to {MAX_LIMIT}")
        if self.offset < 0:
            raise QueryError(f"offset {self.offset} is negative.")
        check_review(self.review)
        return self


@dataclass(frozen=True, slots=True)
class Page:
    total: int
    items: list[dict[str, Any]]
    limit: int
    offset: int


def _folded(text: str | None) -> str:
    return (text or "").casefold()


def date_within(date: str | None, since: str | None = None, until: str | None = None) -> bool:
    """The date-prefix rule every view filters by: since/until compare on the date's prefix of
    the same length (since='2024-03' keeps '2024-03-05' and '2024-04'; until='2024' keeps all of
    2024 and before); an undated record drops out when either bound is given."""
    if since and (not date or date[: len(since)] < since):
        return False
    return not (until and (not date or date[: len(until)] > until))


def matches(record: Mapping[str, Any], q: EventQuery) -> bool:
    """The record passes the review state and the field filters of `q`."""
    status = (record.get("review") or {}).get("status")
    if status == "rejected" and q.review != "rejected":
        return False  # rejected events are listed only when asked for
    return in_review_state(status, q.review) and fields_match(record, q)


def fields_match(record: Event | ResolvedEvent | Mapping[str, Any], q: EventQuery) -> bool:
    """The event passes the field filters of `q` (type, country, province, actor, dates, text):
    a typed event, or its FORMAT record (a page's item, a row of the analytics frame)."""
    get = record.get if isinstance(record, Mapping) else lambda name: getattr(record, name, None)
    if q.type and get("type") != q.type:
        return False
    if q.country and (get("country") or "").upper() != q.country.upper():
        return False
    if q.province and _folded(get("admin1")) != _folded(q.province):
        return False
    if q.actor and _folded(get("actor")) != _folded(q.actor):
        return False
    if not date_within(get("date"), q.since, q.until):
        return False
    if q.text:
        needle = _folded(q.text.strip())
        haystack = [_folded(get(name)) for name in _TEXT_FIELDS]
        haystack += [_folded(s.get("quote") if isinstance(s, Mapping) else s.quote) for s in get("sources") or ()]
        if not any(needle in h for h in haystack):
            return False
    return True


def keep(events: Iterable[Typed], *, limit: int | None = None, **filters: Any) -> list[Typed]:
    """The events (after review) passing the field filters (`EventQuery` names: type, since,
    until, country, province, actor, text), in the order given, at most `limit`: the one
    filtering step of the CLI, the API, exports and the Python API."""
    q = EventQuery(**filters)
    check_date("since", q.since)
    check_date("until", q.until)
    found = [e for e in events if fields_match(e, q)]
    return found if limit is None else found[:limit]


def order(records: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Records newest first (undated last), ties by id: the order every page is cut from."""
    found = sorted(records, key=lambda r: r.get("id") or "")
    found.sort(key=lambda r: r.get("date") or "", reverse=True)
    return found


def _unfiltered(q: EventQuery) -> bool:
    return not any((q.type, q.since, q.until, q.country, q.province, q.actor, q.text)) and q.review == "any"


def select(records: Iterable[Mapping[str, Any]], q: EventQuery, *, ordered: bool = False) -> Page:
    """The page of records matching `q`, newest first (undated last), with the total count.
    `ordered=True` says `records` already come in `order()`, which saves sorting them again."""
    q.check()
    found = list(records) if ordered else order(records)
    if not _unfiltered(q):
        found = [r for r in found if matches(r, q)]
    else:
        found = [r for r in found if (r.get("review") or {}).get("status") != "rejected"]
    return Page(total=len(found), items=[dict(r) for r in found[q.offset : q.offset + q.limit]], limit=q.limit, offset=q.offset)
