"""Blocking: which pairs of members are compared at all."""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from kwatch.resolve.members import Member
from kwatch.resolve.rules import COARSE_LIMIT, WINDOW_DAYS

if TYPE_CHECKING:
    pass

# -- blocking -----------------------------------------------------------------------------------


def candidate_pairs(items: Mapping[str, Member]) -> Iterable[tuple[str, str]]:
    """PROVISIONAL (replaced by the blocking of issue 12): every comparable pair, all-pairs per type."""
    from kwatch.resolve.training import comparable

    by_type: dict[str, list[Member]] = defaultdict(list)
    for item in sorted(items.values(), key=lambda i: i.id):
        by_type[item.type].append(item)
    for kind in sorted(by_type):
        group = by_type[kind]
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                if comparable(a, b):
                    yield a.id, b.id


def _old_candidate_pairs(items: Mapping[str, Member]) -> Iterable[tuple[str, str]]:
    """Pairs (a < b) that share a block, each once. A block is a type and a country; an event
    with no country is compared with every country's events of its type and dates."""
    by_type: dict[str, list[Member]] = defaultdict(list)
    for item in items.values():
        if item.date is not None:
            by_type[item.type].append(item)
    seen: set[tuple[str, str]] = set()
    for kind in sorted(by_type):
        for a, b in _block_pairs(sorted(by_type[kind], key=lambda i: i.id)):
            key = (a, b) if a < b else (b, a)
            if a != b and key not in seen:
                seen.add(key)
                yield key


def _block_pairs(group: list[Member]) -> Iterable[tuple[str, str]]:
    """Candidate pairs among the dated events of one type."""
    days = sorted((i for i in group if i.day is not None), key=lambda i: (i.day, i.id))
    ordinals = [i.day for i in days if i.day is not None]
    by_country: dict[str | None, list[Member]] = defaultdict(list)
    for item in days:
        by_country[item.country].append(item)
    for country in sorted(by_country, key=lambda c: c or ""):
        block = by_country[country]
        for n, item in enumerate(block):
            if country is None and item.day is not None:  # `days` holds day-dated events only
                # No country: every event of the type inside the window.
                lo = bisect.bisect_left(ordinals, item.day - WINDOW_DAYS)
                hi = bisect.bisect_right(ordinals, item.day + WINDOW_DAYS)
                yield from ((item.id, other.id) for other in days[lo:hi])
                continue
            for k in range(n + 1, len(block)):  # indices, not a slice: a slice copies the rest
                if block[k].day - item.day > WINDOW_DAYS:  # type: ignore[operator]
                    break
                yield (item.id, block[k].id)
    # Coarse dates (month, year) against every event in their period and country, or, when the
    # period is crowded, the events of the same province.
    by_period: dict[tuple[str | None, str], list[Member]] = defaultdict(list)
    for item in group:
        for period in {item.date[:4], item.date[:7]}:  # type: ignore[index]
            by_period[(item.country, period)].append(item)
            by_period[("*", period)].append(item)
    for item in group:
        if item.day is not None:
            continue
        if item.country is None:
            pool = by_period[("*", item.date)]  # type: ignore[index]
        else:
            pool = by_period[(item.country, item.date)] + by_period[(None, item.date)]  # type: ignore[index]
        if len(pool) > COARSE_LIMIT:
            pool = [p for p in pool if item.admin1 is not None and p.admin1 == item.admin1]
        yield from ((item.id, other.id) for other in pool)


