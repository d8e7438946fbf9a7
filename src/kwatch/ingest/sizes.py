"""File sizes as people read them, for the over-the-limit message."""

from __future__ import annotations

_UNITS = ((1024**3, "GB"), (1024**2, "MB"), (1024, "KB"))


def human_size(count: int) -> str:
    for factor, unit in _UNITS:
        if count >= factor:
            return f"{count / factor:.1f}".removesuffix(".0") + f" {unit}"
    return f"{count} bytes"


def too_big(size: int, limit: int, *, at_least: bool = False) -> str:
    """'file is 61.2 MB, over the 50 MB limit (setting max_file_size)'."""
    more = "more than " if at_least else ""
    return f"file is {more}{human_size(size)}, over the {human_size(limit)} limit (setting max_file_size)"
