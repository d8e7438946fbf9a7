"""Reader metadata in the shapes records carry: a string field holds a plain string or None, a
count an int or None, whatever JSON shape the source gave (a Telegram `forwarded_from` may be an
object, an `author` a list)."""

from __future__ import annotations

import math
import re
from typing import Any

#: Keys of an object that name what it stands for (a forwarded-from channel, an author).
_NAME_KEYS = ("name", "title")
#: A lone surrogate (a JSON "\\ud800" escape, an undecodable byte of a file name) is no
#: character: it cannot be encoded or stored.
SURROGATE = re.compile("[\ud800-\udfff]")


def as_string(value: Any) -> str | None:
    """A string as it is; an object with a name or title → that string; a list → its string
    items joined with ', '; anything else (numbers, empty values) → None. NUL is removed (no
    store keeps it), a lone surrogate becomes U+FFFD."""
    if isinstance(value, str):
        text = SURROGATE.sub("\ufffd", value.replace("\x00", ""))
        return text if text.strip() else None
    if isinstance(value, dict):
        for key in _NAME_KEYS:
            if isinstance(value.get(key), str):
                return as_string(value[key])
        return None
    if isinstance(value, list):
        parts = [part for part in (as_string(v) for v in value if isinstance(v, (str, dict))) if part]
        return ", ".join(parts) or None
    return None


def as_count(value: Any) -> int | None:
    """A whole number (a size, a duration, an id) or None; a bool is not a number here."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def as_identifier(value: Any) -> int | str | None:
    """A message or channel id: a number or a non-empty string, else None."""
    count = as_count(value)
    return count if count is not None else as_string(value)


def as_number(value: Any) -> int | float | None:
    """A finite number (a duration in seconds may have a fraction) or None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def storable(text: str) -> str:
    """`text` as every store can keep it: NUL removed; an undecodable byte of a file name
    (surrogateescape) or a lone surrogate shown as U+FFFD."""
    text = text.replace("\x00", "")
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return SURROGATE.sub("\ufffd", text)
