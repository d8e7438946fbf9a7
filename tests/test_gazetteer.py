"""The package gazetteer: its data, the matcher and its ambiguity rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kwatch.gazetteer import Entry, Gazetteer, load_gazetteer, name_key

DATA = Path(__file__).resolve().parent.parent / "src" / "kwatch" / "data" / "gazetteer"


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


def test_package_data_is_small() -> None:
    assert sum(p.stat().st_size for p in DATA.iterdir()) < 5_000_000


def test_has_every_province_and_district(gazetteer: Gazetteer) -> None:
    af = [e for e in gazetteer.entries if e.country == "AF"]
    assert (sum(e.kind == "admin1" for e in af), sum(e.kind == "admin2" for e in af)) == (34, 398)


def test_every_province_has_an_iso_code(gazetteer: Gazetteer) -> None:
    provinces = [e for e in gazetteer.entries if e.kind == "admin1" and e.country == "AF"]
    assert all(e.iso and e.iso.startswith("AF-") for e in provinces)


@pytest.mark.parametrize(
    "variant, canonical",
    [("Bamiyan", "Bamyan"), ("Hilmand", "Helmand"), ("Paktya", "Paktia"), ("Urozgan", "Uruzgan"),
     ("Oruzgan", "Uruzgan"), ("Nimroz", "Nimruz"), ("Sar-i-Pul", "Sar-e Pol"), ("Ghazni", "Ghazni"),
     ("Maidan Wardak", "Wardak"), ("herat", "Herat")],
)
def test_province_spelling_variants(gazetteer: Gazetteer, variant: str, canonical: str) -> None:
    province = gazetteer.province(variant)
    assert province is not None and province.name == canonical


@pytest.mark.parametrize(
    "text, admin2, admin1",
    [("Guzra District", "Guzara", "Herat"), ("Guzareh District", "Guzara", "Herat"),
     ("Pul-i-Khumri District", "Puli Khumri", "Baghlan"), ("Pol-e Khomri District", "Puli Khumri", "Baghlan"),
     ("Sirkanay District", "Sarkani", "Kunar"), ("Sar Kani District", "Sarkani", "Kunar"),
     ("Faiz Abad District", "Fayzabad", None)],
)
def test_district_variants(gazetteer: Gazetteer, text: str, admin2: str, admin1: str | None) -> None:
    name = text.rsplit(" ", 1)[0]
    districts = [e for e in gazetteer.candidates(name) if e.kind == "admin2"]
    assert districts and all(e.admin2 == admin2 for e in districts)
    if admin1:
        assert {e.admin1 for e in districts} == {admin1}


@pytest.mark.parametrize(
    "town, admin1, admin2",
    [("Mazar-i-Sharif", "Balkh", "Mazari Sharif"), ("Pul-e-Khumri", "Baghlan", "Puli Khumri"),
     ("Kabul", "Kabul", "Kabul"), ("Jalalabad", "Nangarhar", None), ("Lashkar Gah", "Helmand", None)],
)
def test_afghan_towns_resolve_to_province_and_district(gazetteer: Gazetteer, town: str, admin1: str, admin2: str | None) -> None:
    towns = [e for e in gazetteer.candidates(town) if e.kind == "town" and e.country == "AF"]
    assert towns and towns[0].admin1 == admin1
    if admin2:
        assert towns[0].admin2 == admin2


@pytest.mark.parametrize(
    "name, country",
    [("Moscow", "RU"), ("Vienna", "AT"), ("Paris", "FR"), ("Kerman", "IR"), ("Peshawar", "PK"),
     ("Quetta", "PK"), ("Bajaur", "PK"), ("North Waziristan", "PK"), ("Khyber Pakhtunkhwa", "PK"),
     ("Sistan and Baluchestan", "IR"), ("Dushanbe", "TJ"), ("United States", "US"), ("America", "US"),
     ("UK", "GB"), ("Russia", "RU"), ("Iran", "IR"), ("Syria", "SY"), ("Tajikistan", "TJ")],
)
def test_country_of(gazetteer: Gazetteer, name: str, country: str) -> None:
    assert gazetteer.country_of(name) == country


@pytest.mark.parametrize("text", ["Taliban", "Khorasan", "Islamic", "Mercy", "Bar", "Of", "Afghan", "Tajik",
                                  "in March", "Police said", "a police van", "the cars", "ask us"])
def test_words_that_are_not_places(gazetteer: Gazetteer, text: str) -> None:
    assert gazetteer.find(text) == []


@pytest.mark.parametrize(
    "text, expected",
    [("Kabul airport", "Kabul"), ("in the city of Kandahar", "Kandahar"), ("Guzra District in Herat Province", "Guzra"),
     ("attacks in the US", "the US"), ("in Tank", "Tank")],
)
def test_find_returns_offsets_of_the_name(gazetteer: Gazetteer, text: str, expected: str) -> None:
    start, end, _ = gazetteer.find(text)[0]
    assert text[start:end] == expected


def test_find_prefers_the_longest_match(gazetteer: Gazetteer) -> None:
    text = "a blast in North Waziristan"
    assert [(text[s:e], entry.name) for s, e, entry in gazetteer.find(text)] == [("North Waziristan", "North Waziristan")]


def test_capitals_only_variant_needs_capitals(gazetteer: Gazetteer) -> None:
    assert [e.country for _, _, e in gazetteer.find("flights to the UAE")] == ["AE"]


def test_common_word_needs_a_locative_preposition() -> None:
    tank = Entry("town", "Tank", "PK")
    small = Gazetteer([tank], common_words=["Tank"], locatives=["in"])
    assert ([e.name for _, _, e in small.find("a tank in Tank")], small.find("Tank crews")) == (["Tank"], [])


def test_blocked_names_never_match() -> None:
    small = Gazetteer([Entry("town", "Khorasan", "IR")], blocked=["Khorasan"])
    assert small.find("Islamic State Khorasan") == []


@pytest.mark.parametrize("name", ["Pul-e Khumri", "PUL-E-KHUMRI", "Pul e Khumri", "Pūl-e Khumrī"])
def test_name_key_folds_case_accents_and_hyphens(name: str) -> None:
    assert name_key(name) == "pul e khumri"


@pytest.mark.shared
def test_whole_wiki_corpus_matches_quickly(gazetteer: Gazetteer, shared_dir: Path) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted((shared_dir / "eval" / "wiki" / "corpus").glob("*.txt"))]
    found = sum(len(gazetteer.find(t)) for t in texts)
    assert len(texts) == 3219 and found > 3000


def test_province_polygons_ship_with_the_package() -> None:
    features = json.loads((DATA / "afg_adm1_geoboundaries_simplified.geojson").read_text(encoding="utf-8"))["features"]
    assert len(features) == 34


def test_with_variants_adds_spellings_to_the_entries_given() -> None:
    town = Entry(kind="town", name="Jalalabad", country="AF", admin1="Nangarhar")
    other = Entry(kind="town", name="Asadabad", country="AF", admin1="Kunar")
    base = Gazetteer([town, other], blocked=["Taliban"])
    assert base.with_variants({}) is base and base.with_variants({town: []}) is base
    grown = base.with_variants({town: ["Jalalabaad"]})
    assert [e.name for e in grown.candidates("jalalabaad")] == ["Jalalabad"]
    assert base.candidates("Jalalabaad") == ()
    assert [e.name for e in grown.entries] == ["Jalalabad", "Asadabad"] and grown.blocked == base.blocked
