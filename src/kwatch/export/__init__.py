"""Exporters: each turns resolved events into one file format.

`EXPORTERS[name](events, fp, *, names, **options) -> count` writes typed resolved events
(`kwatch.records.ResolvedEvent`, e.g. `Kwatch.reviewed_events()`) to a text stream and returns
how many it wrote; `names` ({document id: display name}, `Kwatch.document_names()`) names the
documents in their records (`ResolvedEvent.record(names)`: what jsonl writes, GeoJSON's
properties). `FORMATS[name]` says more about each (media type, file suffix, the options it
takes); `export(name, events, fp, names=..., **options)` checks the name and options first and
raises ExportError with a hint, so the CLI and the web API report the same one-line error."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from kwatch.errors import ExportError

if TYPE_CHECKING:
    from kwatch.records import ResolvedEvent


class Exporter(Protocol):
    def __call__(self, events: Iterable[ResolvedEvent], fp: TextIO, *, names: Mapping[str, str] | None = None, **options: Any) -> int: ...


@dataclass(frozen=True)
class ExportFormat:
    """One format: its writer, named `module:function` and imported on first use (stix2 alone
    takes a tenth of a second to import, and most commands never export), its media type, file
    suffix and the options it takes."""

    writer: str
    media_type: str
    suffix: str
    options: frozenset[str] = frozenset()

    def write(self, events: Iterable[ResolvedEvent], fp: TextIO, *, names: Mapping[str, str] | None = None, **options: Any) -> int:
        module, function = self.writer.split(":")
        written: int = getattr(import_module(module), function)(events, fp, names=names, **options)
        return written


FORMATS: dict[str, ExportFormat] = {
    "jsonl": ExportFormat("kwatch.export.jsonl:write_jsonl", "application/x-ndjson", ".jsonl"),
    "csv": ExportFormat("kwatch.export.csv:write_csv", "text/csv; charset=utf-8", ".csv", frozenset({"bom"})),
    "geojson": ExportFormat("kwatch.export.geojson:write_geojson", "application/geo+json", ".geojson"),
    "stix": ExportFormat("kwatch.export.stix:write_stix", "application/stix+json;version=2.1", ".json", frozenset({"timestamp"})),
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
