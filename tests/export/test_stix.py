"""stix export: parsed back with stix2, validated with stix2-validator, deterministic."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import pytest
import stix2
from stix2validator import ValidationOptions, validate_string

from kwatch import lexicon
from kwatch.export.stix import CASUALTY_FIELDS, EXTENSION_ID, GROUP_ID, PRECISION_METRES, bundle, period, write_stix
from kwatch.records import ResolvedEvent


def typed(records):
    """FORMAT.md records as the typed events exporters take, and the document names their sources give."""
    return [ResolvedEvent.of(r) for r in records], {s["document_id"]: s["doc"] for r in records for s in r.get("sources") or ()}


def export_stix(records, **options) -> str:
    events, names = typed(records)
    buffer = io.StringIO()
    write_stix(events, buffer, names=names, **options)
    return buffer.getvalue()


def record(**fields):
    base = {"id": "e1", "type": "attack", "date": "2024-03-22", "country": "RU", "admin1": None, "admin2": None,
            "place": "Crocus City Hall", "actor": "ISKP", "claimed": True, "method": "shooting", "target": "public_event",
            "killed": 145, "injured": 551, "killed_claimed": None, "injured_claimed": None, "medium": None,
            "languages": [], "outlet": None, "geo_precision": "site", "lat": 55.8245, "lon": 37.3853, "detail": {},
            "sources": [{"doc": "a.html", "document_id": "d1", "quote": "Gunmen attacked the hall.", "start": 0, "end": 25, "fields": []}]}
    base.update(fields)
    return base


def objects_by_type(text: str) -> dict[str, list]:
    bundle = stix2.parse(text, allow_custom=False)
    grouped: dict[str, list] = {}
    for obj in bundle.objects:
        grouped.setdefault(obj.type, []).append(obj)
    return grouped


def event_objects(grouped) -> dict[str, object]:
    """Sightings and notes by the kwatch event id in their external reference (the notes on an
    event's attribution name it as `kwatch-attribution`: they are not events)."""
    found = {}
    for obj in grouped.get("sighting", []) + grouped.get("note", []):
        refs = [r for r in obj.external_references if r.source_name == "kwatch"]
        if obj.type == "note" and not refs and any(r.source_name == "kwatch-attribution" for r in obj.external_references):
            continue
        (ref,) = refs
        found[ref.external_id] = obj
    return found


def casualties(obj) -> dict:
    extension = obj.get("extensions", {}).get(EXTENSION_ID)
    return {k: v for k, v in dict(extension or {}).items() if k != "extension_type"}


@pytest.fixture(scope="module")
def sample_bundle(sample_db) -> str:
    import kwatch

    with kwatch.open(str(sample_db)) as kw:
        buffer = io.StringIO()
        kw.export("stix", buffer)
    return buffer.getvalue()


def test_sample_bundle_passes_the_validator(sample_bundle):
    result = validate_string(sample_bundle, ValidationOptions())
    assert result.is_valid, [str(e) for e in result.errors]
    assert not result.errors


def test_sample_bundle_meets_every_should_but_the_uuid_version(sample_bundle):
    # Strict mode turns warnings into errors; 103 ("SHOULD be UUIDv4") is the one we accept for stable ids.
    result = validate_string(sample_bundle, ValidationOptions(strict=True, disabled=["103"]))
    assert result.is_valid, [str(e) for e in result.errors + result.warnings]


def test_sample_bundle_round_trips_ids_and_figures(sample_bundle, sample_records):
    grouped = objects_by_type(sample_bundle)
    by_event = event_objects(grouped)
    assert sorted(by_event) == sorted(r["id"] for r in sample_records)
    for rec in sample_records:
        expected = {k: rec[k] for k in CASUALTY_FIELDS if rec.get(k) is not None}
        if rec["claimed"] is not None:
            expected["claimed"] = rec["claimed"]
        assert casualties(by_event[rec["id"]]) == expected
        kind = "sighting" if rec["type"] in ("attack", "plot") and rec["actor"] == "ISKP" else "note"
        assert by_event[rec["id"]].type == kind
    assert any(o.type == "sighting" for o in by_event.values()) and any(o.type == "note" for o in by_event.values())


def test_every_reference_resolves_inside_the_bundle(sample_bundle):
    bundle = json.loads(sample_bundle)
    ids = {o["id"] for o in bundle["objects"]}
    assert len(ids) == len(bundle["objects"])
    for obj in bundle["objects"]:
        for key, value in obj.items():
            refs = value if key.endswith("_refs") else [value] if key.endswith("_ref") else []
            assert set(refs) <= ids, (obj["id"], key)
        for extension in obj.get("extensions", {}):
            assert extension in ids


def test_one_report_per_source_document_listing_its_events(sample_bundle, sample_records):
    grouped = objects_by_type(sample_bundle)
    by_event = event_objects(grouped)
    expected: dict[str, set[str]] = {}
    for rec in sample_records:
        for source in rec["sources"]:
            expected.setdefault(source["document_id"], set()).add(by_event[rec["id"]].id)
    reports = {r.external_references[0].external_id: set(r.object_refs) for r in grouped["report"]}
    assert reports == expected


def test_intrusion_set_carries_every_alias_of_the_lexicon(sample_bundle):
    (group,) = objects_by_type(sample_bundle)["intrusion-set"]
    assert group.id == GROUP_ID and group.name == "ISKP"
    lexicon_aliases = {a for names in lexicon.load("actors")["actors"]["ISKP"]["aliases"].values() for a in names} - {"ISKP"}
    assert set(group.aliases) == lexicon_aliases
    assert "داعش خراسان" in group.aliases and "ИГИЛ-Хорасан" in group.aliases


def test_outlets_become_identities_referenced_by_their_releases(sample_bundle, sample_records):
    grouped = objects_by_type(sample_bundle)
    outlets = {i.name: i.id for i in grouped["identity"] if i.identity_class == "organization"}
    releases = [r for r in sample_records if r["outlet"]]
    assert releases and set(outlets) == {r["outlet"] for r in releases}
    by_event = event_objects(grouped)
    for rec in releases:
        assert outlets[rec["outlet"]] in by_event[rec["id"]].object_refs


def test_locations_carry_precision_with_their_coordinates(sample_bundle):
    locations = objects_by_type(sample_bundle)["location"]
    with_points = [loc for loc in locations if "latitude" in loc]
    assert with_points
    for loc in with_points:
        assert loc.precision in PRECISION_METRES.values()
        assert -90 <= loc.latitude <= 90 and -180 <= loc.longitude <= 180
    for loc in locations:
        assert "country" in loc or "latitude" in loc


def test_sighting_points_at_its_location_and_period():
    grouped = objects_by_type(export_stix([record()]))
    (sighting,) = grouped["sighting"]
    (location,) = grouped["location"]
    assert sighting.sighting_of_ref == GROUP_ID and sighting.where_sighted_refs == [location.id]
    assert (location.latitude, location.longitude, location.precision, location.country) == (55.8245, 37.3853, 100.0, "RU")
    assert location.region == "europe"
    assert (sighting.first_seen, sighting.last_seen) == (datetime(2024, 3, 22, tzinfo=UTC), datetime(2024, 3, 23, tzinfo=UTC))


def test_resolved_ranges_travel_in_the_extension():
    grouped = objects_by_type(export_stix([record(killed_low=133, killed_high=145, killed_claimed=150)]))
    figures = casualties(grouped["sighting"][0])
    assert figures == {"killed": 145, "injured": 551, "killed_claimed": 150, "killed_low": 133, "killed_high": 145, "claimed": True}


def test_event_without_place_or_figures_is_a_valid_note():
    text = export_stix([record(type="arrest", actor="Taliban", country=None, place=None, lat=None, lon=None, geo_precision=None, killed=None, injured=None, claimed=None)])
    (note,) = objects_by_type(text)["note"]
    assert "extensions" not in note and note.object_refs == [objects_by_type(text)["report"][0].id]
    assert validate_string(text, ValidationOptions(strict=True, disabled=["103"])).is_valid


def test_re_export_is_byte_identical(sample_bundle, sample_db):
    import kwatch

    with kwatch.open(str(sample_db)) as kw:
        again = io.StringIO()
        kw.export("stix", again)
    assert again.getvalue() == sample_bundle


def test_timestamp_option_sets_created_and_published_but_not_ids():
    default = json.loads(export_stix([record()]))
    later = json.loads(export_stix([record()], timestamp=datetime(2027, 1, 2, tzinfo=UTC)))
    assert [o["id"] for o in default["objects"]] == [o["id"] for o in later["objects"]]
    assert {o["created"] for o in later["objects"]} == {"2027-01-02T00:00:00.000Z"}
    (report,) = [o for o in later["objects"] if o["type"] == "report"]
    assert report["published"].startswith("2027-01-02T00:00:00")


@pytest.mark.parametrize(
    ("value", "start", "end"),
    [
        ("2024-03-22", "2024-03-22", "2024-03-23"),
        ("2024-12-31", "2024-12-31", "2025-01-01"),
        ("2024-02", "2024-02-01", "2024-03-01"),
        ("2024-12", "2024-12-01", "2025-01-01"),
        ("2024", "2024-01-01", "2025-01-01"),
    ],
)
def test_period_spans_the_day_month_or_year_given(value, start, end):
    first, last = period(value)
    assert (first.date().isoformat(), last.date().isoformat()) == (start, end)


def test_undated_sighting_has_no_period():
    (sighting,) = objects_by_type(export_stix([record(date=None)]))["sighting"]
    assert "first_seen" not in sighting and "last_seen" not in sighting


def test_written_bundle_equals_the_stix2_bundle_object(sample_bundle, sample_records):
    events, names = typed(sample_records)
    built, count = bundle(events, names=names)
    written = json.loads(sample_bundle)
    assert count == len(sample_records)
    assert built.id == written["id"]
    assert json.loads(built.serialize()) == written
