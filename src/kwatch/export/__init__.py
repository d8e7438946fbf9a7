"""Exporters: each turns resolved events into one file format.

`EXPORTERS[name](events, fp, *, names, **options) -> count` writes typed resolved events
(`kwatch.records.ResolvedEvent`, e.g. `Kwatch.reviewed_events()`) to a text stream and returns
how many it wrote; `names` ({document id: display name}, `Kwatch.document_names()`) names the
documents in their records (`ResolvedEvent.record(names)`: what jsonl writes, GeoJSON's
properties). `FORMATS[name]` says more about each (media type, file suffix, the options it
takes); `export(name, events, fp, names=..., **options)` checks the name and options first and
raises ExportError with a hint, so the CLI and the web API report the same one-line error."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TextIO

from kwatch.errors import ExportError
from kwatch.export.csv import write_csv
from kwatch.export.geojson import write_geojson
from kwatch.export.jsonl import write_jsonl
from kwatch.export.stix import write_stix
from kwatch.records import ResolvedEvent


class Exporter(Protocol):
    def __call__(self, events: Iterable[ResolvedEvent], fp: TextIO, *, names: Mapping[str, str] | None = None, **options: Any) -> int: ...


@dataclass(frozen=True)
class ExportFormat:
    write: Callable[..., int]
    media_type: str
    suffix: str
    options: frozenset[str] = frozenset()


FORMATS: dict[str, ExportFormat] = {
    "jsonl": ExportFormat(write_jsonl, "application/x-ndjson", ".jsonl"),
    "csv": ExportFormat(write_csv, "text/csv; charset=utf-8", ".csv", frozenset({"bom"})),
    "geojson": ExportFormat(write_geojson, "application/geo+json", ".geojson"),
    "stix": ExportFormat(write_stix, "application/stix+json;version=2.1", ".json", frozenset({"timestamp"})),
}

EXPORTERS: dict[str, Exporter] = {name: spec.write for name, spec in FORMATS.items()}


def check_export(fmt: str, options: dict[str, Any]) -> ExportFormat:
    """The format called `fmt`, once `options` are known to apply to it; else ExportError."""
    spec = FORMATS.get(fmt)
    if spec is None:
        raise ExportError(f"Unknown export format {fmt!r}.", hint=f"use one of: {', '.join(FORMATS)}")
    unknown = sorted(set(options) - spec.options)
    if unknown:
        takes = ", ".join(sorted(spec.options)) or "none"
        raise ExportError(f"Export format {fmt!r} takes no option {unknown[0]!r}.", hint=f"options of {fmt}: {takes}")
    return spec


def export(fmt: str, events: Iterable[ResolvedEvent], fp: TextIO, *, names: Mapping[str, str] | None = None, **options: Any) -> int:
    """Write `events` to `fp` in format `fmt`, naming documents by `names`; returns how many
    events were written."""
    return check_export(fmt, options).write(events, fp, names=names, **options)
