"""geojson: an RFC 7946 FeatureCollection with one Point feature per event that has coordinates.

Coordinates are [longitude, latitude] (WGS 84, 6 decimals, about 0.1 m). Each feature's `id` is
the event id and its `properties` are the event record (`ResolvedEvent.record(names)`; lists
and objects stay JSON arrays and objects). Events without coordinates cannot be features: the top-level foreign member
`events_without_coordinates` counts them and `event_ids_without_coordinates` names them, so a
reader can tell an empty map from a missing one."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from kwatch.records import ResolvedEvent

COORDINATE_DECIMALS = 6


def feature(event: ResolvedEvent, names: Mapping[str, str]) -> dict[str, Any] | None:
    """The Point feature of one event (its properties: `record(names)`), or None when it has no
    coordinates."""
    lat, lon = event.lat, event.lon
    if lat is None or lon is None:
        return None
    point = [round(float(lon), COORDINATE_DECIMALS), round(float(lat), COORDINATE_DECIMALS)]
    return {"type": "Feature", "id": event.id, "geometry": {"type": "Point", "coordinates": point}, "properties": event.record(names)}


def feature_collection(events: Iterable[ResolvedEvent], *, names: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The FeatureCollection of `events` (see the module docstring for the foreign members)."""
    features = []
    without: list[Any] = []
    for event in events:
        item = feature(event, names or {})
        if item is None:
            without.append(event.id)
        else:
            features.append(item)
    collection: dict[str, Any] = {"type": "FeatureCollection"}
    if features:
        lons = [f["geometry"]["coordinates"][0] for f in features]
        lats = [f["geometry"]["coordinates"][1] for f in features]
        collection["bbox"] = [min(lons), min(lats), max(lons), max(lats)]
    collection["events_without_coordinates"] = len(without)
    collection["event_ids_without_coordinates"] = without
    collection["features"] = features
    return collection


def write_geojson(events: Iterable[ResolvedEvent], fp: TextIO, *, names: Mapping[str, str] | None = None) -> int:
    """Write the FeatureCollection to `fp` as UTF-8 JSON; returns the number of features."""
    collection = feature_collection(events, names=names)
    json.dump(collection, fp, ensure_ascii=False, indent=1, allow_nan=False)
    fp.write("\n")
    return len(collection["features"])
