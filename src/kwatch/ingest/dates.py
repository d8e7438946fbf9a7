"""Dates as readers find them (ISO strings, RFC 822 feed dates, datetimes) → 'YYYY-MM-DD'.

A date is kept only when it names a real calendar day in `PLAUSIBLE_YEARS`: feeds and page
metadata carry junk ('0000-00-00', year 0001 placeholders, '9999-99-99'), and a year outside
that range is no publication date of anything kwatch reads. Junk reads as None ("unknown"),
never as an error: the document is worth keeping without its date.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from time import struct_time

_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_RFC_YEAR = re.compile(r"\d{1,2}\s+[A-Za-z]{3,}\s+(\d+)")
#: Years a document we read can be published in; anything else is a placeholder or a typo.
PLAUSIBLE_YEARS = range(1900, 2101)


def to_day(value: object) -> str | None:
    """The calendar day a date names, in its own time zone (a feed item stamped 23:30 -05:00 is
    that day, not the next day in UTC); None when it cannot be read or is implausible."""
    if value is None or value == "":
        return None
    if isinstance(value, (date, datetime)):
        return _day(value.year, value.month, value.day)
    if isinstance(value, struct_time):
        return _day(value.tm_year, value.tm_mon, value.tm_mday)
    if not isinstance(value, str):  # a reader passes on whatever JSON or a feed held
        return None
    text = value.strip()
    match = _ISO_DAY.match(text)
    if match:
        return _day(*(int(part) for part in match.groups()))
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    written = _RFC_YEAR.search(text)
    if written and len(written.group(1)) == 4 and int(written.group(1)) != parsed.year:
        return None  # 'Mon, 01 Jan 0001': the parser reads year 0001 as 2001
    return _day(parsed.year, parsed.month, parsed.day)


def _day(year: int, month: int, day: int) -> str | None:
    """'YYYY-MM-DD' with a four-digit year (never strftime: it drops the zeros of year 1 on some
    platforms), or None for a day that does not exist or a year outside PLAUSIBLE_YEARS."""
    if year not in PLAUSIBLE_YEARS:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None
