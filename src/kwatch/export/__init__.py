"""Exporters: each turns stored events into one file format. `EXPORTERS[name](records, fp)`."""

from __future__ import annotations

from typing import Callable, Iterable, TextIO

from kwatch.export.jsonl import write_jsonl

Exporter = Callable[[Iterable[dict], TextIO], int]

EXPORTERS: dict[str, Exporter] = {
    "jsonl": write_jsonl,
}
