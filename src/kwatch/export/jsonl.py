"""jsonl: one FORMAT.md event record per line (see ../shared/eval/FORMAT.md)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO


def write_jsonl(records: Iterable[dict[str, Any]], fp: TextIO) -> int:
    count = 0
    for record in records:
        fp.write(json.dumps(record, ensure_ascii=False, sort_keys=False) + "\n")
        count += 1
    return count
