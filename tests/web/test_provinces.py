"""The province choropleth: polygons from package data, matched through the gazetteer."""

from __future__ import annotations

from kwatch.web.provinces import PALETTE, province_map, shapes


def test_every_province_has_a_path() -> None:
    found, width, height = shapes()
    assert len(found) == 34
    assert all(s.iso.startswith("AF-") and s.path.startswith("M") for s in found)
    assert width > 0 and height > 0


def test_counts_fill_provinces_by_iso_code() -> None:
    # geoBoundaries spells Ghazni "Ghanzi"; the gazetteer's ISO code still finds it.
    result = province_map({"Kabul": 5, "Ghazni": 1, "Atlantis": 2})
    by_name = {p["name"]: p for p in result.provinces}
    assert by_name["Kabul"]["count"] == 5 and by_name["Ghanzi"]["count"] == 1
    assert by_name["Kabul"]["fill"] != by_name["Ghanzi"]["fill"] != PALETTE[0]
    assert by_name["Herat"]["count"] == 0 and by_name["Herat"]["fill"] == PALETTE[0]
    assert result.unmatched == {"Atlantis": 2}
    assert result.legend[0]["label"] == "0" and len(result.legend) == 3
