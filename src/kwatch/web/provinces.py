"""The choropleth of Afghan provinces as plain SVG: no tile server, no map library.

The polygons are the package's geoBoundaries ADM1 file; an event's `admin1` is matched to a
polygon through the gazetteer's ISO 3166-2 code (geoBoundaries writes AF_KAB for AF-KAB), so a
spelling the gazetteer knows maps even when geoBoundaries spells it differently (Ghanzi).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from kwatch.gazetteer import load_gazetteer, name_key

GEOJSON = "afg_adm1_geoboundaries_simplified.geojson"
WIDTH = 640
#: Fill colours from no events to the most; sequential and readable in grey-scale print.
PALETTE = ("#eef2f5", "#fde0c5", "#facba6", "#f8b58b", "#f59e72", "#f2855d", "#ef6a4c", "#d63f3a")


@dataclass(frozen=True, slots=True)
class Shape:
    iso: str  # ISO 3166-2, e.g. AF-KAB
    name: str
    path: str  # SVG path data in map coordinates


@dataclass(frozen=True, slots=True)
class ProvinceMap:
    width: int
    height: int
    provinces: list[dict[str, Any]]  # iso, name, path, count, fill
    legend: list[dict[str, Any]]  # fill, label
    unmatched: dict[str, int]  # admin1 names with events that match no polygon


def _rings(geometry: Mapping[str, Any]) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


@lru_cache(maxsize=1)
def shapes() -> tuple[tuple[Shape, ...], int, int]:
    """The provinces projected to SVG paths (equirectangular, scaled by the cosine of the mid
    latitude), with the map's width and height."""
    data = json.loads((resources.files("kwatch") / "data" / "gazetteer" / GEOJSON).read_text(encoding="utf-8"))
    features = [(f["properties"], _rings(f["geometry"])) for f in data["features"]]
    points = [p for _, rings in features for ring in rings for p in ring]
    min_lon, max_lon = min(p[0] for p in points), max(p[0] for p in points)
    min_lat, max_lat = min(p[1] for p in points), max(p[1] for p in points)
    x_scale = math.cos(math.radians((min_lat + max_lat) / 2))
    scale = WIDTH / ((max_lon - min_lon) * x_scale)
    height = round((max_lat - min_lat) * scale)
    out = []
    for props, rings in features:
        parts = []
        for ring in rings:
            coords = " ".join(f"{(lon - min_lon) * x_scale * scale:.1f},{(max_lat - lat) * scale:.1f}" for lon, lat in ring)
            parts.append(f"M{coords}Z")
        out.append(Shape(iso=str(props.get("shapeISO", "")).replace("_", "-"), name=str(props.get("shapeName", "")), path="".join(parts)))
    return tuple(sorted(out, key=lambda s: s.name)), WIDTH, height


def _iso_of(admin1: str) -> str | None:
    entry = load_gazetteer().province(admin1)
    return entry.iso if entry is not None and entry.country == "AF" else None


def _bin(count: int, top: int) -> int:
    if count <= 0 or top <= 0:
        return 0
    return 1 + min(len(PALETTE) - 2, int((len(PALETTE) - 1) * math.log1p(count) / math.log1p(top + 1e-9)))


def province_map(counts: Mapping[str, int]) -> ProvinceMap:
    """Fill each province by its number of events; `counts` is {admin1 name: events}."""
    found, width, height = shapes()
    by_iso: dict[str, int] = {}
    by_name = {name_key(s.name): s.iso for s in found}
    unmatched: dict[str, int] = {}
    for admin1, count in counts.items():
        iso = _iso_of(admin1) or by_name.get(name_key(admin1))
        if iso is None:
            unmatched[admin1] = unmatched.get(admin1, 0) + int(count)
        else:
            by_iso[iso] = by_iso.get(iso, 0) + int(count)
    top = max(by_iso.values(), default=0)
    provinces = [
        {"iso": s.iso, "name": s.name, "path": s.path, "count": by_iso.get(s.iso, 0), "fill": PALETTE[_bin(by_iso.get(s.iso, 0), top)]}
        for s in found
    ]
    legend = [{"fill": PALETTE[0], "label": "0"}]
    if top:
        bins = sorted({_bin(c, top) for c in by_iso.values() if c})
        for b in bins:
            members = [c for c in by_iso.values() if c and _bin(c, top) == b]
            low, high = min(members), max(members)
            legend.append({"fill": PALETTE[b], "label": str(low) if low == high else f"{low}–{high}"})
    return ProvinceMap(width=width, height=height, provinces=provinces, legend=legend, unmatched=unmatched)
