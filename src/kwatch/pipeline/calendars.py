"""Solar Hijri (Jalali / Hijri Shamsi) dates to Gregorian, with the well-known arithmetic.

Afghan and Iranian reports date events in the Solar Hijri calendar ("۴ سنبله ۱۴۰۰" is 26 August
2021). The year starts at the March equinox; months 1-6 have 31 days, 7-11 have 30, and month 12
has 29 or 30. Leap years follow the 33-year cycles between the break years of Borkowski's
algorithm (the one `jalaali-js` and `jdatetime` use), exact for years 1-3177.
"""

from __future__ import annotations

from datetime import date, timedelta

from kwatch.errors import Bug

# Years at which the 33-year leap cycle is re-anchored.
_BREAKS = (-61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210, 1635, 2060, 2097, 2192, 2262, 2324, 2394,
           2456, 3178)


def _year_facts(jy: int) -> tuple[int, int, int]:
    """(leap position, Gregorian year of 1 Farvardin, March day of 1 Farvardin); leap position 0 is a leap year."""
    if not _BREAKS[0] < jy < _BREAKS[-1]:
        raise Bug(f"Solar Hijri year {jy} is outside the supported range")
    gy = jy + 621
    leap_j = -14
    jp = _BREAKS[0]
    jump = 0
    for jm in _BREAKS[1:]:
        jump = jm - jp
        if jy < jm:
            break
        leap_j += (jump // 33) * 8 + (jump % 33) // 4
        jp = jm
    n = jy - jp
    leap_j += (n // 33) * 8 + ((n % 33) + 3) // 4
    if jump % 33 == 4 and jump - n == 4:
        leap_j += 1
    leap_g = gy // 4 - ((gy // 100 + 1) * 3) // 4 - 150
    march = 20 + leap_j - leap_g
    if jump - n < 6:
        n = n - jump + ((jump + 4) // 33) * 33
    rest = (n + 1) % 33 - 1
    leap = rest % 4 if rest >= 0 else 4
    return leap, gy, march


def is_leap(jy: int) -> bool:
    return _year_facts(jy)[0] == 0


def month_length(jy: int, jm: int) -> int:
    if jm <= 6:
        return 31
    if jm <= 11:
        return 30
    return 30 if is_leap(jy) else 29


def to_gregorian(jy: int, jm: int, jd: int = 1) -> date:
    """The Gregorian date of Solar Hijri year `jy`, month `jm` (1 = Hamal/Farvardin), day `jd`."""
    if not 1 <= jm <= 12 or not 1 <= jd <= month_length(jy, jm):
        raise ValueError(f"no Solar Hijri date {jy}-{jm}-{jd}")
    _, gy, march = _year_facts(jy)
    return date(gy, 3, march) + timedelta(days=(jm - 1) * 31 - (jm // 7) * (jm - 7) + jd - 1)


def from_gregorian(day: date) -> tuple[int, int, int]:
    """The Solar Hijri (year, month, day) of a Gregorian date."""
    jy = day.year - 621
    if day < to_gregorian(jy, 1, 1):
        jy -= 1
    offset = (day - to_gregorian(jy, 1, 1)).days
    month = 1
    while offset >= month_length(jy, month):
        offset -= month_length(jy, month)
        month += 1
    return jy, month, offset + 1
