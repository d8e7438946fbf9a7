"""The dashboard's two maps as plain SVG, drawn here from package data: no tile server, no map
library, nothing fetched at run time.

`province_map`: the choropleth of Afghan provinces from the package's geoBoundaries ADM1 file. An
event's `admin1` is matched to a polygon through the gazetteer's ISO 3166-2 code (geoBoundaries
writes AF_KAB for AF-KAB), so a spelling the gazetteer knows maps even when geoBoundaries spells it
differently (Ghanzi), and each province is named as the gazetteer names it (Ghazni).

`world_map`: incidents outside Afghanistan as circles on Natural Earth's 1:110m countries
(public domain; `data/world/`, built by `scripts/build_world.py`), framed on the incidents.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from kwatch.gazetteer import load_gazetteer, name_key

GEOJSON = "afg_adm1_geoboundaries_simplified.geojson"
WORLD = "ne_110m_admin0.geojson"
WIDTH = 640
#: The world map's width in map units (equirectangular, one unit per 1/WORLD_SCALE degree).
WORLD_SCALE = 4.0
#: Fill colours from no events to the most; sequential (the dashboard's red, lightening), and
#: readable in grey-scale print. The legend uses as many as the data needs.
PALETTE = ("#eef2f5", "#fbe3d6", "#f5bfa6", "#ec9877", "#dc6b4f", "#b5322c", "#7f1d19")
#: Lower bounds of the count classes after "0": 1, 2–4, 5–9, 10–19, 20–49, 50+ (then the last
#: colour takes everything above).
BREAKS = (1, 2, 5, 10, 20, 50)


@dataclass(frozen=True, slots=True)
class Shape:
    iso: str  # ISO 3166-2, e.g. AF-KAB (world map: ISO 3166-1 alpha-2)
    name: str
    path: str  # SVG path data in map coordinates


@dataclass(frozen=True, slots=True)
class ProvinceMap:
    width: int
    height: int
    provinces: list[dict[str, Any]]  # iso, name, path, count, fill
    legend: list[dict[str, Any]]  # fill, label
    unmatched: dict[str, int]  # admin1 names with events that match no polygon
    ranked: list[dict[str, Any]]  # the provinces with events, most first: name, count


@dataclass(frozen=True, slots=True)
class WorldMap:
    view_box: str  # "x y width height": the frame around the incidents
    countries: list[dict[str, Any]]  # iso, name, path, count (incidents there)
    places: list[dict[str, Any]]  # x, y, r, label, count, types, killed, ids


def _rings(geometry: Mapping[str, Any]) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


def _path(rings: Iterable[list[list[float]]], x: Any, y: Any) -> str:
    return "".join("M" + " ".join(f"{x(lon):.1f},{y(lat):.1f}" for lon, lat in ring) + "Z" for ring in rings)


def _data(*parts: str) -> Any:
    return json.loads((resources.files("kwatch") / "data").joinpath(*parts).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def shapes() -> tuple[tuple[Shape, ...], int, int]:
    """The provinces projected to SVG paths (equirectangular, scaled by the cosine of the mid
    latitude), with the map's width and height."""
    data = _data("gazetteer", GEOJSON)
    features = [(f["properties"], _rings(f["geometry"])) for f in data["features"]]
    points = [p for _, rings in features for ring in rings for p in ring]
    min_lon, max_lon = min(p[0] for p in points), max(p[0] for p in points)
    min_lat, max_lat = min(p[1] for p in points), max(p[1] for p in points)
    x_scale = math.cos(math.radians((min_lat + max_lat) / 2))
    scale = WIDTH / ((max_lon - min_lon) * x_scale)
    height = round((max_lat - min_lat) * scale)
    gazetteer = load_gazetteer()
    out = []
    for props, rings in features:
        path = _path(rings, lambda lon: (lon - min_lon) * x_scale * scale, lambda lat: (max_lat - lat) * scale)
        name = str(props.get("shapeName", ""))
        entry = gazetteer.province(name)
        if entry is not None and entry.country == "AF":
            name = entry.name
        out.append(Shape(iso=str(props.get("shapeISO", "")).replace("_", "-"), name=name, path=path))
    return tuple(sorted(out, key=lambda s: s.name)), WIDTH, height


def _iso_of(admin1: str) -> str | None:
    entry = load_gazetteer().province(admin1)
    return entry.iso if entry is not None and entry.country == "AF" else None


def _class(count: int) -> int:
    """The count's class: 0 for none, else 1 + the index of the last break it reaches."""
    if count <= 0:
        return 0
    return min(len(PALETTE) - 1, sum(1 for low in BREAKS if count >= low))


def legend(top: int) -> list[dict[str, Any]]:
    """The classes up to the one holding `top`: "0", "1", "2–4", "5–9", …, the last one "N+"
    only when the palette runs out (else it ends at `top`)."""
    items = [{"fill": PALETTE[0], "label": "0"}]
    last = _class(top)
    for index in range(1, last + 1):
        low = BREAKS[index - 1]
        open_ended = index == len(PALETTE) - 1
        high = top if index == last else BREAKS[index] - 1
        label = f"{low}+" if open_ended else (str(low) if high == low else f"{low}–{high}")
        items.append({"fill": PALETTE[index], "label": label})
    return items


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
        {"iso": s.iso, "name": s.name, "path": s.path, "count": by_iso.get(s.iso, 0), "fill": PALETTE[_class(by_iso.get(s.iso, 0))]}
        for s in found
    ]
    ranked: list[dict[str, Any]] = [
        {"name": s.name, "count": by_iso[s.iso]} for s in sorted(found, key=lambda s: (-by_iso.get(s.iso, 0), s.name)) if by_iso.get(s.iso)
    ]
    return ProvinceMap(width=width, height=height, provinces=provinces, legend=legend(top), unmatched=unmatched, ranked=ranked)


@lru_cache(maxsize=1)
def world_shapes() -> tuple[Shape, ...]:
    """The countries projected to SVG paths: x = (lon + 180) * WORLD_SCALE, y = (90 - lat) * WORLD_SCALE."""
    data = _data("world", WORLD)
    return tuple(
        Shape(iso=str(f["properties"]["iso"]), name=str(f["properties"]["name"]),
              path=_path(_rings(f["geometry"]), lambda lon: (lon + 180) * WORLD_SCALE, lambda lat: (90 - lat) * WORLD_SCALE))
        for f in data["features"]
    )  # fmt: skip


def _frame(points: list[tuple[float, float]]) -> str:
    """A view box around the points (and Afghanistan, for orientation) with a margin, at least
    70 degrees wide and with the map's 2:1 shape, inside the world."""
    lons = [lon for lon, _ in points] + [61.0, 75.0]
    lats = [lat for _, lat in points] + [29.0, 38.5]
    west, east = min(lons) - 12, max(lons) + 12
    south, north = min(lats) - 10, max(lats) + 10
    width = max(70.0, east - west, 2 * (north - south))
    height = width / 2
    centre_lon, centre_lat = (west + east) / 2, (south + north) / 2
    west = min(max(-180.0, centre_lon - width / 2), 180 - width)
    north = max(min(84.0, centre_lat + height / 2), -56 + height)
    if width > 360:
        west, width, north, height = -180.0, 360.0, 84.0, 140.0
    return f"{(west + 180) * WORLD_SCALE:.0f} {(90 - north) * WORLD_SCALE:.0f} {width * WORLD_SCALE:.0f} {height * WORLD_SCALE:.0f}"


def world_map(incidents: Iterable[Mapping[str, Any]]) -> WorldMap:
    """The incidents with coordinates as circles, one per place (area by number of incidents);
    each incident is {id, type, country, place, admin1, lat, lon, killed}. Countries with
    incidents are shaded and carry their count."""
    places: dict[tuple[float, float], list[Mapping[str, Any]]] = {}
    by_country: dict[str, int] = {}
    for incident in incidents:
        if incident.get("country"):
            by_country[str(incident["country"])] = by_country.get(str(incident["country"]), 0) + 1
        if incident.get("lat") is None or incident.get("lon") is None:
            continue
        places.setdefault((round(float(incident["lon"]), 1), round(float(incident["lat"]), 1)), []).append(incident)
    names = {s.iso: s.name for s in world_shapes()}
    marks = []
    for (lon, lat), here in sorted(places.items(), key=lambda item: -len(item[1])):
        first = here[0]
        label = ", ".join(str(x) for x in dict.fromkeys(x for x in (first.get("place"), first.get("admin1"), names.get(str(first.get("country")), first.get("country"))) if x))
        types = [str(t) for t in dict.fromkeys(i.get("type") for i in here) if t]
        killed = sum(int(i.get("killed") or 0) for i in here)
        marks.append({
            "x": round((lon + 180) * WORLD_SCALE, 1), "y": round((90 - lat) * WORLD_SCALE, 1), "r": round(3.5 + 3 * math.sqrt(len(here)), 1),
            "label": label, "count": len(here), "types": types, "killed": killed, "ids": [str(i.get("id")) for i in here],
        })  # fmt: skip
    countries = [{"iso": s.iso, "name": s.name, "path": s.path, "count": by_country.get(s.iso, 0)} for s in world_shapes()]
    return WorldMap(view_box=_frame(list(places)), countries=countries, places=marks)
