"""Dates as readers find them (ISO strings, RFC 822 feed dates, datetimes) → 'YYYY-MM-DD'."""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from time import struct_time

_ISO_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})")


def to_day(value: str | date | struct_time | None) -> str | None:
    """The calendar day a date names, in its own time zone (a feed item stamped 23:30 -05:00 is
    that day, not the next day in UTC); None when it cannot be read."""
    if value is None or value == "":
        return None
    if isinstance(value, (date, datetime)):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, struct_time):
        return f"{value.tm_year:04d}-{value.tm_mon:02d}-{value.tm_mday:02d}"
    text = value.strip()
    match = _ISO_DAY.match(text)
    if match:
        try:
            return date.fromisoformat(match.group(1)).isoformat()
        except ValueError:
            return None
    try:
        return parsedate_to_datetime(text).strftime("%Y-%m-%d")
    except (TypeError, ValueError, IndexError):
        return None
