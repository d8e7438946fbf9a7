"""jsonl: one FORMAT.md event record per line (see ../shared/eval/FORMAT.md)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import TextIO

from kwatch.records import ResolvedEvent


def write_jsonl(events: Iterable[ResolvedEvent], fp: TextIO, *, names: Mapping[str, str] | None = None) -> int:
    """Write each event's record (`record(names)`) as one line of JSON; returns how many."""
    count = 0
    for event in events:
        fp.write(json.dumps(event.record(names or {}), ensure_ascii=False, sort_keys=False) + "\n")
        count += 1
    return count
