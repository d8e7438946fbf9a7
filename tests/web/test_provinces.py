"""The province choropleth: polygons from package data, matched through the gazetteer."""

from __future__ import annotations

from importlib import resources

import pytest

from kwatch.web.provinces import PALETTE, WORLD, legend, province_map, shapes, world_map, world_shapes


def test_every_province_has_a_path() -> None:
    found, width, height = shapes()
    assert len(found) == 34
    assert all(s.iso.startswith("AF-") and s.path.startswith("M") for s in found)
    assert width > 0 and height > 0


def test_counts_fill_provinces_by_iso_code() -> None:
    # geoBoundaries spells Ghazni "Ghanzi"; the gazetteer's ISO code still finds it, and names it.
    result = province_map({"Kabul": 5, "Ghazni": 1, "Atlantis": 2})
    by_name = {p["name"]: p for p in result.provinces}
    assert by_name["Kabul"]["count"] == 5 and by_name["Ghazni"]["count"] == 1
    assert by_name["Kabul"]["fill"] != by_name["Ghazni"]["fill"] != PALETTE[0]
    assert by_name["Herat"]["count"] == 0 and by_name["Herat"]["fill"] == PALETTE[0]
    assert result.unmatched == {"Atlantis": 2}
    assert [item["label"] for item in result.legend] == ["0", "1", "2–4", "5"]
    assert result.ranked == [{"name": "Kabul", "count": 5}, {"name": "Ghazni", "count": 1}]


@pytest.mark.parametrize(
    ("top", "labels"),
    [
        (0, ["0"]),
        (1, ["0", "1"]),
        (8, ["0", "1", "2–4", "5–8"]),
        (10, ["0", "1", "2–4", "5–9", "10"]),
        (49, ["0", "1", "2–4", "5–9", "10–19", "20–49"]),
        (400, ["0", "1", "2–4", "5–9", "10–19", "20–49", "50+"]),
    ],
)
def test_legend_classes_are_round_and_end_at_the_data(top: int, labels: list[str]) -> None:
    assert [item["label"] for item in legend(top)] == labels
    assert len({item["fill"] for item in legend(top)}) == len(labels)


def test_world_map_groups_incidents_by_place_and_frames_them() -> None:
    incidents = [
        {"id": "a", "type": "attack", "country": "RU", "place": "Krasnogorsk", "lat": 55.82, "lon": 37.33, "killed": 145},
        {"id": "b", "type": "arrest", "country": "RU", "place": "Krasnogorsk", "lat": 55.8, "lon": 37.3, "killed": None},
        {"id": "c", "type": "plot", "country": "AT", "place": "Vienna", "lat": 48.2, "lon": 16.37, "killed": None},
        {"id": "d", "type": "arrest", "country": "NL", "place": None, "lat": None, "lon": None, "killed": None},
    ]
    result = world_map(incidents)
    [krasnogorsk, vienna] = result.places
    assert krasnogorsk["label"] == "Krasnogorsk, Russia" and krasnogorsk["count"] == 2 and krasnogorsk["killed"] == 145
    assert krasnogorsk["types"] == ["attack", "arrest"] and krasnogorsk["r"] > vienna["r"]
    counts = {c["iso"]: c["count"] for c in result.countries}
    assert counts["RU"] == 2 and counts["NL"] == 1 and counts["FR"] == 0  # Natural Earth writes -99 for France
    x, y, width, height = (float(v) for v in result.view_box.split())
    for place in result.places:
        assert x < place["x"] < x + width and y < place["y"] < y + height
    assert width == 2 * height


def test_world_base_map_is_small_and_names_every_country() -> None:
    found = world_shapes()
    assert len(found) > 170 and all(len(s.iso) == 2 and s.name for s in found)
    size = len((resources.files("kwatch") / "data" / "world" / WORLD).read_bytes())
    assert size < 150_000
