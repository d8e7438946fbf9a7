"""geojson export: RFC 7946 shape, read back with json and with GDAL/OGR (what QGIS uses)."""

from __future__ import annotations

import io
import json

import pyogrio
import pyogrio.raw
from hypothesis import given, settings
from hypothesis import strategies as st

from kwatch.export.geojson import write_geojson
from kwatch.records import ResolvedEvent


def typed(records):
    """FORMAT.md records as the typed events exporters take, and the document names their sources give."""
    return [ResolvedEvent.of(r) for r in records], {s["document_id"]: s["doc"] for r in records for s in r.get("sources") or ()}


def export_geojson(records) -> dict:
    events, names = typed(records)
    buffer = io.StringIO()
    count = write_geojson(events, buffer, names=names)
    collection = json.loads(buffer.getvalue())
    assert count == len(collection["features"])
    return collection


def record(**fields):
    base = {"id": "e1", "type": "attack", "date": "2024-01-03", "country": "IR", "admin1": "Kerman", "admin2": None,
            "place": "Kerman", "actor": "ISKP", "claimed": True, "method": "suicide_bombing", "target": "public_event",
            "killed": 95, "injured": 284, "killed_claimed": None, "injured_claimed": None, "medium": None,
            "languages": [], "outlet": None, "geo_precision": "town", "lat": 30.2832, "lon": 57.0788, "detail": {},
            "sources": [{"doc": "k.html", "document_id": "d1", "quote": "Two blasts in Kerman.", "start": 0, "end": 21, "fields": []}]}
    base.update(fields)
    return base


def test_sample_store_round_trips_as_json(kw, sample_records):
    buffer = io.StringIO()
    count = kw.export("geojson", buffer)
    collection = json.loads(buffer.getvalue())
    located = [r for r in sample_records if r["lat"] is not None and r["lon"] is not None]
    assert 0 < count == len(located) < len(sample_records)
    assert collection["type"] == "FeatureCollection"
    assert [f["id"] for f in collection["features"]] == [r["id"] for r in located]
    assert collection["events_without_coordinates"] == len(sample_records) - len(located)
    assert set(collection["event_ids_without_coordinates"]) == {r["id"] for r in sample_records} - {r["id"] for r in located}
    for item, rec in zip(collection["features"], located):
        assert item["type"] == "Feature"
        assert item["geometry"] == {"type": "Point", "coordinates": [rec["lon"], rec["lat"]]}
        assert item["properties"] == json.loads(json.dumps(rec))
        assert isinstance(item["properties"]["sources"], list) and isinstance(item["properties"]["languages"], list)
    lons = [r["lon"] for r in located]
    lats = [r["lat"] for r in located]
    assert collection["bbox"] == [min(lons), min(lats), max(lons), max(lats)]


def test_gdal_reads_every_feature_with_its_properties(kw, sample_records, tmp_path):
    path = tmp_path / "events.geojson"
    with open(path, "w", encoding="utf-8") as fp:
        count = kw.export("geojson", fp)
    info = pyogrio.read_info(path)
    assert (info["driver"], info["geometry_type"], info["crs"], info["features"]) == ("GeoJSON", "Point", "EPSG:4326", count)
    meta, _, geometry, fields = pyogrio.raw.read(path, return_fids=True)
    names = list(meta["fields"])
    ids = list(fields[names.index("id")])
    located = {r["id"]: r for r in sample_records if r["lat"] is not None}
    assert sorted(ids) == sorted(located)
    killed = fields[names.index("killed")]
    stated = [int(k) for k in killed if k == k]  # OGR reads a null figure as NaN, which != itself
    assert sum(stated) == sum(r["killed"] or 0 for r in located.values()) > 0


def test_coordinates_are_longitude_then_latitude():
    point = export_geojson([record(lat=30.2832, lon=57.0788)])["features"][0]["geometry"]["coordinates"]
    assert point == [57.0788, 30.2832]


def test_zero_is_a_coordinate_and_none_is_not():
    collection = export_geojson([record(id="a", lat=0.0, lon=0.0), record(id="b", lat=None, lon=None), record(id="c", lat=1.0, lon=None)])
    assert [f["id"] for f in collection["features"]] == ["a"]
    assert collection["events_without_coordinates"] == 2 and collection["event_ids_without_coordinates"] == ["b", "c"]


def test_no_located_events_is_an_empty_collection_without_bbox():
    collection = export_geojson([record(lat=None, lon=None)])
    assert collection["features"] == [] and "bbox" not in collection
    assert collection["events_without_coordinates"] == 1


def test_resolved_ranges_travel_as_properties():
    props = export_geojson([record(killed_low=90, killed_high=95)])["features"][0]["properties"]
    assert (props["killed_low"], props["killed_high"]) == (90, 95)


free_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=80)


@settings(max_examples=200, deadline=None)
@given(place=free_text, quote=free_text, lat=st.floats(-90, 90), lon=st.floats(-180, 180))
def test_arbitrary_text_and_coordinates_survive_the_round_trip(place, quote, lat, lon):
    rec = record(place=place, lat=lat, lon=lon, sources=[{"doc": "d.html", "document_id": "d1", "quote": quote, "start": 0, "end": len(quote), "fields": []}])
    (item,) = export_geojson([rec])["features"]
    assert item["properties"]["place"] == place
    assert item["properties"]["sources"][0]["quote"] == quote
    assert item["geometry"]["coordinates"] == [round(lon, 6), round(lat, 6)]
