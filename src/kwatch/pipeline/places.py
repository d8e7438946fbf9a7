"""places.v2: the places each sentence names, resolved against the injected gazetteer.

Per sentence: gazetteer names (a province, district, town or country), then named sites the
gazetteer does not know ("Imam Zaman Mosque", "the Andisheh town of …", "Crocus City Hall"),
which take their country and regions from the nearest known place in the same sentence.

A name with several readings is resolved by, in order: a level word after it ("Kabul
Province", "Guzra District"), a province named in the same sentence ("Fayzabad … Badakhshan"),
the countries the document names unambiguously, then the default order of the gazetteer. A
province read bare is its capital when a town of that name lies in it ("in Kabul").
Not locations: names inside organisation names, demonyms (never in the gazetteer), a country
before an institution noun ("Iran's Embassy"), and attributive compounds ("Kabul-based").

Two readers, chosen by the language's `places.yaml`, never its name: with `case_suffixes` (fa, ps,
ar, ru, tg, uz, ur, ky) the name-table reader at the end of this module reads the names of
`names_multilingual.yaml` (and with `gazetteer_names` the gazetteer's own names in that script),
each with the case endings and `clitics` the language glues to it; without them the gazetteer
reader above with its site and level rules (en). They stay two because the site rules ("Imam
Zaman Mosque", "Kabul Province") read capitalised Latin names, which other scripts do not have; an
organisation's country ("Iran's Embassy", "سفارت روسیه") is read by both, from `institution_nouns`
or `organisation_heads`. The name-table reader reads sites by the language's `sites` table
(pipeline/sites.py: "مسجد امام زمان", "посольства России", "Кобул аэропорти"), whose heads map to
the same canonical kinds as English's `site_kinds`: every site carries `site_kind` and `site_of`
(its owner's country, or the known place it is named by) in either reader. Where people come from ("men from …", "… سے تعلق رکھنے والے") is decided
by events.v3 for every language.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from kwatch import lexicon
from kwatch.errors import PipelineError
from kwatch.gazetteer import Entry, Forms, Gazetteer, Match, name_key, normalise_token
from kwatch.pipeline import Context, sites, stage
from kwatch.pipeline.model import DateMention, PipelineDoc, PlaceMention, Sentence
from kwatch.pipeline.scan import Scan, Scanner
from kwatch.pipeline.words import WORD_END, WORD_START, fold, literal_alternation

PRECISION = {"country": "country", "admin1": "province", "admin2": "district", "town": "town", "site": "site"}
_POSSESSIVE = re.compile(r"\s*['’]s?\b")
#: A town this small, in a country the document gives no other sign of, is a local name the
#: gazetteer lacks ("Mandal" of Bajaur is no town in India) and no location.
SMALL_TOWN = 100_000


@dataclasses.dataclass(frozen=True, slots=True)
class Cues:
    """places.yaml, compiled once."""

    level_words: dict[str, str]
    directions: frozenset[str]
    institution_nouns: frozenset[str]
    attributive: frozenset[str]
    organisations: tuple[re.Pattern[str], ...]
    site: re.Pattern[str]
    site_of: tuple[re.Pattern[str], ...]  # groups 'name' and 'kind'
    site_kinds: dict[str, str]  # site head or kind word -> canonical kind
    area_heads: frozenset[str]
    area_name_before: re.Pattern[str]  # "Hazara neighbourhood of X": the name that matters follows
    site_stopwords: frozenset[str]
    origin: frozenset[str]
    demonyms: dict[str, str]
    demonym: re.Pattern[str]  # a demonym and the word after it
    site_head: re.Pattern[str]  # a site head anywhere: `site` cannot match without one
    scanner: Scanner  # the patterns above, each tried only where its words occur


@cache
def cues(language: str = "en", lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> Cues:
    """places.yaml of `language` with the user files of `lexicons` merged over it, compiled
    (cached per search path)."""
    data: dict[str, Any] = lexicon.load("places", language, path=lexicons)
    heads = sorted(data["site_heads"], key=len, reverse=True)
    head_pattern = "|".join(r"\s+".join(re.escape(w) for w in h.split()) for h in heads)
    name_word = r"[A-Z][\w'’\-]*"
    # Up to six capitalised words (joined by spaces, optionally "of"/"al-") before a site head.
    joiners = "|".join(re.escape(w) for w in data["site_joiners"])
    lead = "|".join(re.escape(w) for w in data["site_lead"])
    after = "|".join(re.escape(w) for w in data["site_of_after"])
    namers = "|".join(re.escape(w) for w in data["site_namers"])
    site = re.compile(rf"\b((?:{name_word}\s+(?:(?:{joiners})\s+)?){{1,6}})((?i:{head_pattern}))\b")
    kinds = "|".join(re.escape(w) for w in data["site_of_patterns"])
    site_of = (
        re.compile(rf"\b(?i:(?:{lead})\s+)(?P<name>{name_word}(?:\s+{name_word}){{0,3}})\s+(?P<kind>(?i:{kinds}))\s+(?i:{after})\b"),
        re.compile(rf"\b(?P<kind>(?i:{kinds}))\s+(?i:{namers})\s+(?P<name>{name_word}(?:[\s\-]+{name_word}){{0,3}})"),
    )
    organisations = tuple(re.compile(p) for p in data["organisation_patterns"])
    demonym = re.compile(rf"\b((?i:{'|'.join(map(re.escape, data['demonyms']))}))\b(?:\s+([A-Za-z]+))?")
    site_head = re.compile(rf"(?i:{head_pattern})")
    return Cues(
        level_words={k.lower(): v for k, v in data["level_words"].items()},
        directions=frozenset(w.lower() for w in data["directions"]),
        institution_nouns=frozenset(w.lower() for w in data["institution_nouns"]),
        attributive=frozenset(w.lower() for w in data["attributive_suffixes"]),
        organisations=organisations,
        site=site,
        site_of=site_of,
        site_kinds={fold(k): v for k, v in (data.get("site_kinds") or {}).items()},
        area_heads=frozenset(w.lower() for w in data["area_heads"]),
        area_name_before=re.compile(rf"\s+(?:{after})\b"),
        site_stopwords=frozenset(w.lower() for w in [*data["site_stopwords"], *data["demonyms"]]),
        origin=frozenset(w.lower() for w in data["origin_prepositions"]),
        demonyms={k.lower(): v for k, v in data["demonyms"].items()},
        demonym=demonym,
        site_head=site_head,
        scanner=Scanner([*organisations, *site_of, demonym, site_head]),
    )


def _after(text: str, end: int) -> str:
    return text[end:end + 40]


def _next_word(text: str, end: int) -> str:
    found = re.match(r"[\s,]*([A-Za-z]+)", text[end:end + 30])
    return found.group(1).lower() if found else ""


def _excluded(match: Match, sentence: str, cue: Cues, org_spans: list[tuple[int, int]]) -> bool:
    if any(s <= match.start and match.end <= e for s, e in org_spans):
        return True
    if match.text.lower() in cue.demonyms:
        return True
    head = sentence[max(0, match.start - 60):match.start]  # a short window keeps "$" searches cheap
    before = re.search(r"([A-Za-z]+)\W*$", head)
    previous = before.group(1) if before else ""
    kinds = {c.kind for c in match.candidates}
    if kinds == {"country"} and previous.lower() in cue.origin:
        return True
    if match.token_end - match.token_start == 1 and kinds <= {"town", "admin2"}:
        # One word of a longer proper name ("Shahbaz Bhatti", "Tal Afar", "Zarghun Shar").
        following = re.match(r"[ \t]+([A-Z][a-z][\w'’\-]*)", sentence[match.end:])
        if following and following.group(1).lower() not in cue.level_words and not _is_site_head(following.group(1), cue):
            return True
        joined = re.search(r"([A-Z][a-z][\w'’]*)[ \t]+$", head)
        if joined and joined.group(1).lower() not in cue.site_stopwords and joined.group(1).lower() not in cue.directions:
            return True
    tail = _after(sentence, match.end)
    compound = re.match(r"-([A-Za-z]+)", tail)
    if compound and compound.group(1).lower() in cue.attributive:
        return True
    if match.candidates[0].kind == "country":
        possessive = _POSSESSIVE.match(tail)
        rest = tail[possessive.end():] if possessive else tail
        # "Iran's Embassy", "the United States' biggest air base", "U.S. drones"
        words = [w.lower() for w in re.findall(r"[A-Za-z]+", rest)[:3]]
        phrases = {*words, *(" ".join(words[k:k + 2]) for k in range(len(words) - 1))}
        if phrases & cue.institution_nouns:
            return True
    return False


def _is_site_head(word: str, cue: Cues) -> bool:
    return bool(cue.site.match(f"X {word}"))


def _level(match: Match, sentence: str, cue: Cues) -> str | None:
    return cue.level_words.get(_next_word(sentence, match.end))


def _choose(match: Match, level: str | None, sentence_admin1: set[str], doc_countries: Counter[str]) -> Entry:
    candidates = match.candidates
    if level:
        at_level = [c for c in candidates if c.kind == level]
        if at_level:
            candidates = tuple(at_level)

    def score(entry: Entry) -> tuple[int, int, int, int]:
        in_sentence = int(entry.kind != "admin1" and entry.admin1 in sentence_admin1)
        return in_sentence, doc_countries.get(entry.country, 0), *entry.rank

    best = max(candidates, key=score)
    return best


def _unambiguous_country(match: Match) -> str | None:
    countries = {c.country for c in match.candidates}
    if all(c.kind == "town" and (c.population or 0) < SMALL_TOWN for c in match.candidates):
        return None
    return next(iter(countries)) if len(countries) == 1 else None


def _mention(sentence: Sentence, start: int, end: int, entry: Entry, place: str | None, precision: str, origin: str | None = None) -> PlaceMention:
    return PlaceMention(
        start=sentence.start + start,
        end=sentence.start + end,
        text=sentence.text[start:end],
        sentence=sentence.index,
        country=entry.country,
        admin1=entry.admin1 if entry.kind != "country" else None,
        admin2=entry.admin2 if entry.kind in ("admin2", "town") else None,
        place=place,
        precision=precision,
        lat=entry.lat,
        lon=entry.lon,
        origin=origin,
    )


def _known_mentions(
    sentence: Sentence, matches: Sequence[Match], gazetteer: Gazetteer, cue: Cues, doc_countries: Counter[str],
    origins: Mapping[tuple[str, Entry], str] | None = None,
) -> list[PlaceMention]:
    text = sentence.text
    sentence_admin1 = {c.name for m in matches for c in m.candidates if c.kind == "admin1"}
    out = []
    for match in matches:
        level = _level(match, text, cue)
        entry = _choose(match, level, sentence_admin1, doc_countries)
        start = match.start
        place: str | None = None
        if entry.kind == "admin1" and level is None:
            capitals = gazetteer.towns_named(match.text, entry.name)
            if capitals:
                entry = capitals[0]
        if entry.kind == "town":
            place = entry.name
            window = max(0, start - 30)
            before = re.search(r"([A-Za-z]+)\s+$", text[window:start])
            if before and before.group(1).lower() in cue.directions:
                start = window + before.start(1)
                place = f"{before.group(1)} {entry.name}"
        if entry.kind == "town" and (entry.population or 0) < SMALL_TOWN and doc_countries and not doc_countries.get(entry.country):
            continue  # "Mandal" in a report about Pakistan is no town of India: a local name we lack
        origin = origins.get((name_key(match.text), entry)) if origins else None
        out.append(_mention(sentence, start, match.end, entry, place, PRECISION[entry.kind], origin))
    return out


def _strip_possessor(text: str, start: int, end: int) -> int:
    # "Moscow's Crocus City Hall": the site is what follows the possessive.
    last = None
    for found in re.finditer(r"['’]s\s+", text[start:end]):
        last = found
    return start + last.end() if last else start


def _site_spans(text: str, cue: Cues, scan: Scan | None = None) -> list[tuple[int, int, str, str]]:
    """(start, end, how, head) of every site name. `how` is 'before' ("the Andisheh town of …"),
    'after' ("the neighbourhood of Dasht-e-Barchi") or 'head' ("Imam Zaman Mosque"); `head` is the
    site head or kind word as written; the patterns come first and win over overlapping head sites."""
    scan = scan if scan is not None else cue.scanner.scan(text)
    spans: list[tuple[int, int, str, str]] = []
    for how, pattern in zip(("before", "after"), cue.site_of):
        for found in scan.finditer(pattern):
            if found.group("name").split()[0].lower() not in cue.site_stopwords:
                spans.append((found.start("name"), found.end("name"), how, found.group("kind")))
    for found in cue.site.finditer(text) if scan.search(cue.site_head) else ():
        start, words = found.start(1), found.group(1).split()
        while words and words[0].lower().strip("'’") in cue.site_stopwords:
            start = text.index(words[0], start) + len(words[0])
            words.pop(0)
        if not words:
            continue
        start = _strip_possessor(text, text.index(words[0], start), found.end(1))
        if start >= found.end(1):
            continue
        if found.group(2).lower() in cue.area_heads:
            # "Hazara neighbourhood of X": the name that matters follows "of".
            if cue.area_name_before.match(text, found.end(2)):
                continue
            spans.append((start, start + len(text[start:found.end(1)].rstrip()), "head", found.group(2)))
        else:
            spans.append((start, found.end(2), "head", found.group(2)))
    kept: list[tuple[int, int, str, str]] = []
    for span in spans:
        if not any(span[0] < e and s < span[1] for s, e, _, _ in kept):
            kept.append(span)
    return sorted(kept)


def _site_mentions(sentence: Sentence, known: list[PlaceMention], cue: Cues, scan: Scan | None = None) -> list[PlaceMention]:
    text = sentence.text
    local_known = [(m.start - sentence.start, m.end - sentence.start) for m in known]
    # "the city of Kabul" names a known place, not a site.
    spans = [(s, e, how, head) for s, e, how, head in _site_spans(text, cue, scan)
             if how != "after" or not any(ks < e and s < ke for ks, ke in local_known)]
    # A known name inside "the X town of …" is the site's own name, not a place to anchor to.
    known = [m for m in known if not any(how == "before" and s <= m.start - sentence.start and m.end - sentence.start <= e
                                         for s, e, how, _ in spans)]
    out = []
    for start, end, how, head in spans:
        by_pattern = how != "head"
        name = text[start:end]
        local = [(m.start - sentence.start, m.end - sentence.start, m) for m in known]
        inside = [m for s, e, m in local if start <= s and e <= end]
        outside = [(s, m) for s, e, m in local if e <= start or s >= end]
        if not by_pattern and inside and all(m.text == name for m in inside):
            continue  # a bare known place is no site ("the Kabul area" is Kabul)
        if by_pattern:
            after = [m for s, m in outside if s >= end]
            anchors = after or [m for _, m in sorted(outside, key=lambda sm: abs(sm[0] - start))]
        else:
            anchors = inside or [m for _, m in sorted(outside, key=lambda sm: abs(sm[0] - start))]
        # "Kabul airport" is named by Kabul: the name before the head is that known place.
        qualifier = name[: len(name) - len(head)].strip() if name.endswith(head) else None
        named_by = next((m for m in inside if m.text == qualifier), None)
        where: dict[str, Any] = {"start": sentence.start + start, "end": sentence.start + end, "text": name, "place": name,
                 "precision": "site", "site_kind": cue.site_kinds.get(fold(head)),
                 "site_of": sites.canonical(named_by) if named_by else None}
        if anchors:
            anchor = anchors[0]
            if anchor.precision == "country":
                where.update(admin1=None, admin2=None)
            out.append(dataclasses.replace(anchor, **where))
        else:
            out.append(PlaceMention(country=None, admin1=None, admin2=None, sentence=sentence.index, **where))
    return out


def find_places(doc: PipelineDoc, gazetteer: Gazetteer, language: str = "en", *,
                lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> tuple[PlaceMention, ...]:
    """Every place mention of every sentence, in text order. The English spellings of the name
    table (`names: en` in place_names.yaml, the user's files merged) are names of the gazetteer too."""
    if doc.sentences is None:
        raise PipelineError("places.v2 needs sentences.", hint="run sentences.v1 first")
    cue = cues(language, lexicons)
    gazetteer, origins = english_names(gazetteer, lexicons)
    per_sentence: list[tuple[Sentence, list[Match], Scan]] = []
    doc_countries: Counter[str] = Counter()
    for sentence in doc.sentences:
        scan = cue.scanner.scan(sentence.text)
        org_spans = [m.span() for p in cue.organisations for m in scan.finditer(p)]
        matches = [m for m in gazetteer.matches(sentence.text) if not _excluded(m, sentence.text, cue, org_spans)]
        per_sentence.append((sentence, matches, scan))
        # Small towns say little of where a report is: a local name may be a small town abroad.
        doc_countries.update(c for c in map(_unambiguous_country, matches) if c)
        # Nationality words are no location, but they say which country the text is about.
        for found in scan.finditer(cue.demonym):
            # "the Indian consulate in Jalalabad" says nothing about where the text is.
            if (found.group(2) or "").lower() not in cue.institution_nouns:
                doc_countries[cue.demonyms[found.group(1).lower()]] += 1
    mentions: list[PlaceMention] = []
    for sentence, matches, scan in per_sentence:
        known = _known_mentions(sentence, matches, gazetteer, cue, doc_countries, origins)
        sites = _site_mentions(sentence, known, cue, scan)
        covered = [(s.start, s.end) for s in sites]  # "Kabul airport" replaces "Kabul"
        known = [m for m in known if not any(s <= m.start and m.end <= e for s, e in covered)]
        mentions.extend(sorted(known + sites, key=lambda m: (m.start, m.end)))
    return tuple(mentions)


# -- places by name table --------------------------------------------------------------------
# A language whose places.yaml gives `case_suffixes` reads places from the name table
# (lexicons/place_names.yaml, with the user's files merged over it), names that may take those endings.


_PRECISION = {"country": "country", "admin1": "province", "admin2": "district", "town": "town"}
#: The lexicon of place names in every language's spelling (`lexicon.load_file(PLACE_NAMES, path)`).
PLACE_NAMES = "place_names.yaml"


def _entry(gazetteer: Gazetteer, name: str, row: dict[str, Any]) -> Entry | None:
    """The gazetteer entry a row of the name table names (None when the gazetteer has none)."""
    for entry in gazetteer.candidates(name):
        if entry.kind == row["kind"] and (row.get("country") is None or entry.country == row["country"]):
            return entry
    return None


def _name_origin(table: lexicon.Lexicon, name: str, language: str, surface: str) -> str | None:
    """The provenance line of a spelling a user file gave ("place Kabul: name 'kabool' from user
    lexicon /p/place_names.yaml"), None for a shipped one."""
    origin = table.origin("places", name, "names", language, surface)
    return None if origin is None else f"place {name}: name {' '.join(surface.split()).casefold()!r} from user lexicon {origin}"


def place_name_problems(lexicons: lexicon.SearchPath, gazetteer: Gazetteer | None = None) -> list[str]:
    """`FILE: places.NAME: what is wrong` for each place a user file of `lexicons` adds (or gives
    another kind or country) that names no entry of the gazetteer, whose spellings would
    therefore never be read. The package gazetteer is loaded only when a user file gives places."""
    if not any(f.relpath == PLACE_NAMES for f in lexicons.files):
        return []
    if gazetteer is None:
        from kwatch.gazetteer import load_gazetteer

        gazetteer = load_gazetteer()
    table = lexicon.load_file(PLACE_NAMES, lexicons)
    problems = []
    for name, row in table.data["places"].items():
        origin = next((table.origins[k] for k in (("places", name), ("places", name, "kind"), ("places", name, "country"))
                       if k in table.origins), None)
        if origin is not None and _entry(gazetteer, name, row) is None:
            country = f" in {row['country']}" if row.get("country") else ""
            problems.append(f"{origin}: places.{name}: the gazetteer has no {row['kind']} named {name!r}{country}, so its names are never read")
    return problems


@cache
def english_names(gazetteer: Gazetteer, lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> tuple[Gazetteer, dict[tuple[str, Entry], str]]:
    """The gazetteer with the English spellings of the name table added to the entries they name
    (the same gazetteer when the table gives none), and the provenance line of each spelling a
    user file gave, by (name key, entry). Cached per gazetteer and search path."""
    table = lexicon.load_file(PLACE_NAMES, lexicons)
    extra: dict[Entry, list[str]] = {}
    users: dict[tuple[str, Entry], str] = {}
    for name, row in table.data["places"].items():
        entry = _entry(gazetteer, name, row)
        if entry is None:
            continue
        known = {name_key(s) for s in (entry.name, *entry.variants)}
        for surface in row["names"].get("en") or ():
            key = name_key(surface)
            if not key or key in known:
                continue
            known.add(key)
            extra.setdefault(entry, []).append(surface)
            origin = _name_origin(table, name, "en", surface)
            if origin is not None:
                users[(key, entry)] = origin
    if not extra:
        return gazetteer, {}
    named = gazetteer.with_variants(extra)
    grown = {old: new for old, new in zip(gazetteer.entries, named.entries, strict=True) if old in extra}
    return named, {(key, grown[entry]): line for (key, entry), line in users.items()}


@cache
def _place_rules(language: str, gazetteer: Gazetteer, lexicons: lexicon.SearchPath = lexicon.BUILTIN,
                 ) -> tuple[re.Pattern[str] | None, dict[str, Entry], dict[str, str], re.Pattern[str] | None]:
    """The name table's spellings in `language` as one pattern, the entry of each (folded) spelling,
    the provenance line of each spelling a user file gave, and the pattern that also reads a name
    inside an organisation's ("Kabul Bank": the name a site may be named by)."""
    table = lexicon.load_file(PLACE_NAMES, lexicons)
    surfaces: dict[str, Entry] = {}
    origins: dict[str, str] = {}
    for name, row in table.data["places"].items():
        entry = _entry(gazetteer, name, row)
        if entry is None:
            continue
        for surface in row["names"].get(language) or ():
            key = fold(surface)
            if key in surfaces:
                continue  # a spelling two places share belongs to the first
            surfaces[key] = entry
            origin = _name_origin(table, name, language, surface)
            if origin is not None:
                origins[key] = origin
    if not surfaces:
        return None, surfaces, origins, None
    rules = lexicon.load("places", language, path=lexicons)
    suffixes = rules.get("case_suffixes") or []
    suffix = rf"(?:{literal_alternation(suffixes)})?" if suffixes else ""
    organisations = rules.get("organisation_words") or []
    not_organisation = rf"(?!\s*(?:{literal_alternation(organisations)}))" if organisations else ""
    clitics = rules.get("clitics") or []
    clitic = rf"(?:{literal_alternation(clitics)})?" if clitics else ""
    bare = rf"{WORD_START}{clitic}(?P<name>{literal_alternation(surfaces)}){suffix}{WORD_END}"
    pattern = re.compile(rf"{bare}{not_organisation}", re.IGNORECASE)
    return pattern, surfaces, origins, re.compile(bare, re.IGNORECASE) if not_organisation else pattern


def _named_mention(start: int, end: int, text: str, sentence: Sentence, entry: Entry, origin: str | None = None) -> PlaceMention:
    return PlaceMention(start, end, text, sentence.index, entry.country,
                        entry.admin1 if entry.kind != "country" else None,
                        entry.admin2 if entry.kind in ("admin2", "town") else None,
                        entry.name if entry.kind == "town" else None,
                        _PRECISION[entry.kind], entry.lat, entry.lon, origin)


@dataclasses.dataclass(frozen=True, slots=True)
class NameRules:
    """The keys of a name-table language's places.yaml that place.v1 reads around a name, compiled."""

    organisation: re.Pattern[str] | None  # an organisation word after a name ("کابل بانک")
    head: re.Pattern[str] | None  # an organisation head before a country ("посольство России")
    own_names: bool  # read the gazetteer's names in this script too
    forms: Forms  # case endings and clitics of those names
    levels: Mapping[str, str]  # folded level word -> admin1 | admin2 | town
    level_before: re.Pattern[str] | None  # a level word right before a name ("ولایت کابل")
    level_after: re.Pattern[str] | None  # … or right after it ("Kobul viloyati")
    adjectives: re.Pattern[str] | None  # place adjectives ("подмосковном", "кабульского")
    adjective_places: Mapping[str, Mapping[str, str]]  # folded stem -> level ('town': bare) -> gazetteer name
    common_words: frozenset[str] = frozenset()  # normalised words of the language that are also a name ("سنگین", heavy)


@cache
def name_rules(language: str, lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> NameRules:
    rules = lexicon.load("places", language, path=lexicons)
    organisations = rules.get("organisation_words") or []
    heads = rules.get("organisation_heads") or []
    levels: dict[str, str] = rules.get("level_words") or {}
    level_endings = rules.get("level_endings") or []
    ending = rf"(?:{literal_alternation(level_endings)})?" if level_endings else ""
    level = literal_alternation(levels)
    adjectives: dict[str, str | dict[str, str]] = rules.get("adjectives") or {}
    adjective_endings = rules.get("adjective_endings") or []
    return NameRules(
        organisation=re.compile(rf"\s*(?:{literal_alternation(organisations)})", re.I) if organisations else None,
        head=re.compile(rf"{WORD_START}(?:{literal_alternation(heads)})[^\W\d_]*\s+(?:[^\W\d_]{{3,}}\s+)?$", re.I) if heads else None,
        own_names=bool(rules.get("gazetteer_names")),
        forms=Forms(suffixes=tuple(sorted({normalise_token(x) for x in rules.get("case_suffixes") or ()}, key=len, reverse=True)),
                    stem_endings=tuple(normalise_token(x) for x in rules.get("stem_endings") or ()),
                    clitics=tuple(normalise_token(x) for x in rules.get("clitics") or ())),
        levels={fold(k): v for k, v in levels.items()},
        level_before=re.compile(rf"{WORD_START}(?P<level>{level}){ending}[^\S\n]+$", re.I) if levels else None,
        level_after=re.compile(rf"[^\S\n]+(?P<level>{level}){ending}{WORD_END}", re.I) if levels else None,
        adjectives=re.compile(rf"{WORD_START}(?P<stem>{literal_alternation(adjectives)})(?:{literal_alternation(adjective_endings)}){WORD_END}",
                              re.I) if adjectives and adjective_endings else None,
        adjective_places={fold(k): {"town": v} if isinstance(v, str) else v for k, v in adjectives.items()},
        common_words=frozenset(normalise_token(w) for w in rules.get("common_words") or ()),
    )


def _common_word(reading: Match, rules: NameRules) -> bool:
    """A one-word reading that is a common word of the language, in any of its case forms
    ("تلفات سنگین", heavy losses, is not Sangin; "Такой теракт" is not Taki)."""
    if not rules.common_words or reading.token_end - reading.token_start != 1:
        return False
    key = normalise_token(reading.text)
    return key in rules.common_words or any(stem in rules.common_words for stem in rules.forms.readings(key)[1])


def _level_of(text: str, start: int, end: int, rules: NameRules) -> str | None:
    """The level a word beside a name gives it ("ولایت کابل" admin1, "город Кабул" town), if any."""
    for pattern, found in ((rules.level_after, rules.level_after and rules.level_after.match(text, end)),
                           (rules.level_before, rules.level_before and rules.level_before.search(text, max(0, start - 40), start))):
        if pattern is not None and found:
            return rules.levels.get(fold(found.group("level")))
    return None


def _own_level(name: str, rules: NameRules) -> str | None:
    """The level word a gazetteer name of several words begins or ends with, which says its level
    as a word beside it would ("استان فارس", "Калужская область", "Ош облусу")."""
    words = name.split()
    if len(words) < 2 or rules.level_after is None:
        return None
    for word in (words[0], words[-1]):
        found = rules.level_after.fullmatch(f" {word}")
        if found:
            return rules.levels.get(fold(found.group("level")))
    return None


def _at_level(entry: Entry, level: str | None, gazetteer: Gazetteer) -> Entry:
    """A province or district read bare is the town of its name in it, as English reads "in
    Kabul" (its capital) and the table's districts "Jalalabad", "Mazari Sharif"; a level word
    keeps the region ("ولایت کابل")."""
    if entry.kind not in ("admin1", "admin2") or level in ("admin1", "admin2"):
        return entry
    towns = [t for t in gazetteer.candidates(entry.name) if t.kind == "town" and t.country == entry.country
             and t.admin1 == entry.admin1 and (entry.kind == "admin1" or t.admin2 in (entry.admin2, None))]
    return max(towns, key=lambda t: t.population or 0) if towns else entry


def _region_of(town: Entry, level: str, gazetteer: Gazetteer) -> Entry:
    """The province (or district) of a town, for "Калужской области" (the oblast of Kaluga)."""
    name = town.admin1 if level == "admin1" else town.admin2
    found = [e for e in gazetteer.candidates(name or "") if e.kind == level and e.country == town.country]
    return found[0] if found else town


def find_named_places(sentences: tuple[Sentence, ...], language: str, gazetteer: Gazetteer,
                dates: tuple[DateMention, ...] = (), *, lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> tuple[PlaceMention, ...]:
    pattern, surfaces, origins, _ = _place_rules(language, gazetteer, lexicons)
    rules = name_rules(language, lexicons)
    organisation, head = rules.organisation, rules.head
    scanner = _name_scanner(language, gazetteer, lexicons)
    scans = {sentence.index: scanner.scan(sentence.text) for sentence in sentences}
    found: list[PlaceMention] = []
    readings: list[tuple[Sentence, Match, str | None]] = []
    # Names read as no location (an institution's country, a name inside an organisation's): a
    # site may still be named by them ("سفارت روسیه", "کابل بانک").
    unlocated: list[PlaceMention] = []
    for sentence in sentences:
        text = sentence.text
        # Month names ("میزان", "تیر") are place names too: a date's words are never a place.
        taken = [(d.start - sentence.start, d.end - sentence.start) for d in dates if d.sentence == sentence.index]
        scan = scans[sentence.index]
        if pattern is not None:
            for m in scan.finditer(pattern):
                if any(m.start() < e and s < m.end() for s, e in taken):
                    continue
                key = fold(m.group("name"))
                entry = surfaces[key]
                level = _level_of(text, m.start(), m.end(), rules)
                if level in ("admin1", "admin2") and entry.kind == "town":
                    entry = _region_of(entry, level, gazetteer)  # "استان کرمان": the town's province
                mention = _named_mention(sentence.start + m.start(), sentence.start + m.end(), m.group(0), sentence,
                                         _at_level(entry, level, gazetteer), origins.get(key))
                if mention.precision == "country" and head is not None and head.search(text, max(0, m.start() - 60), m.start()):
                    unlocated.append(mention)
                    continue
                taken.append(m.span())
                found.append(mention)
        if rules.adjectives is not None:
            for m in scan.finditer(rules.adjectives):
                if any(m.start() < e and s < m.end() for s, e in taken):
                    continue
                adjective = _adjective_mention(m, sentence, rules, gazetteer)
                if adjective is not None:
                    taken.append(m.span())
                    found.append(adjective)
        if rules.own_names:
            # The gazetteer's own names in the language's script: Afghan provinces and districts
            # (Dari and Pashto), towns' GeoNames names, countries' names, with the case endings.
            for reading in gazetteer.matches(text, forms=rules.forms):
                if any(reading.start < e and s < reading.end for s, e in taken):
                    continue
                country = reading.candidates[0].kind == "country"
                if (organisation is not None and organisation.match(text, reading.end)) or (
                        country and head is not None and head.search(text, max(0, reading.start - 60), reading.start)):
                    unlocated.append(_named_mention(sentence.start + reading.start, sentence.start + reading.end, reading.text,
                                                    sentence, reading.candidates[0]))
                    continue
                if _inside_name(text, reading) or fold(reading.text) in rules.levels:
                    continue  # "Владимир Путин"; a level word is never a place ("ولایت")
                level = _own_level(reading.text, rules) or _level_of(text, reading.start, reading.end, rules)
                if level is None and _common_word(reading, rules):
                    continue  # a word of the language; "ولسوالی سنگین" (with its level word) is the place
                readings.append((sentence, reading, level))
    found.extend(_resolve_readings(readings, found, gazetteer))
    found.sort(key=lambda p: p.start)
    site = sites.site_rules(language, lexicons)
    if site is not None:
        found = _with_sites(found, unlocated, sentences, site, language, gazetteer, dates, lexicons, scans)
    return tuple(found)


@cache
def _name_scanner(language: str, gazetteer: Gazetteer, lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> Scanner:
    """One scanner for the name-table patterns `find_named_places` runs over every sentence: the
    names (bare and outside an organisation's), the place adjectives, the site heads."""
    pattern, _, _, bare = _place_rules(language, gazetteer, lexicons)
    site = sites.site_rules(language, lexicons)
    heads = (site.first, site.last) if site is not None else ()
    return Scanner(p for p in (pattern, bare, name_rules(language, lexicons).adjectives, *heads) if p is not None)


def _inside_name(text: str, reading: Match) -> bool:
    """One capitalised word of a longer proper name ("Владимир Путин"): a single-word town with a
    capitalised word beside it, in a script with capitals."""
    if reading.token_end - reading.token_start != 1 or any(c.kind not in ("town", "admin2") for c in reading.candidates):
        return False
    if not reading.text[:1].isupper():
        return False
    after = re.match(r"[^\S\n]+([^\W\d_][^\W\d_]+)", text[reading.end:reading.end + 40])
    before = re.search(r"([^\W\d_][^\W\d_]+)[^\S\n]+$", text[max(0, reading.start - 40):reading.start])
    return any(m is not None and m.group(1)[:1].isupper() and not m.group(1).isupper() for m in (after, before))


def _adjective_mention(m: re.Match[str], sentence: Sentence, rules: NameRules, gazetteer: Gazetteer) -> PlaceMention | None:
    """A place adjective ("кабульского", "подмосковном") as the place it derives from; before a
    level word, the region of that place ("Калужской области": the oblast of Kaluga) or the one
    the table gives for that level ("Московской области")."""
    targets = rules.adjective_places[fold(m.group("stem"))]
    level = _level_of(sentence.text, m.start(), m.end(), rules)
    name = targets.get(level or "town") or targets.get("town") or next(iter(targets.values()))
    candidates = gazetteer.candidates(name)
    if not candidates:
        return None
    wanted = level if level in targets else "town"
    at = [c for c in candidates if c.kind == wanted] or list(candidates)
    entry = max(at, key=lambda c: c.population or 0) if wanted == "town" else at[0]
    if level in ("admin1", "admin2") and entry.kind == "town":
        entry = _region_of(entry, level, gazetteer)
    return _named_mention(sentence.start + m.start(), sentence.start + m.end(), m.group(0), sentence, entry)


def _resolve_readings(readings: Sequence[tuple[Sentence, Match, str | None]], found: Sequence[PlaceMention],
                      gazetteer: Gazetteer) -> list[PlaceMention]:
    """Each gazetteer reading as one place: a reading in a province the document names wins, then
    one in a country it names, then the gazetteer's order. A district or small town of a country
    whose provinces the document names, none of them its own, is another place of that name; a
    small town abroad in a country the document gives no other sign of is no location."""
    # The provinces the document names, a province read as its capital included ("قندوز").
    provinces = {p.admin1 for p in found if p.precision in ("province", "town")}
    provinces |= {r.candidates[0].admin1 for _, r, _ in readings if r.candidates[0].kind == "admin1"}
    countries: Counter[str] = Counter(p.country for p in found if p.country)
    for _, reading, _ in readings:
        best = reading.candidates[0]
        if len({c.country for c in reading.candidates}) == 1 and (best.kind != "town" or (best.population or 0) >= SMALL_TOWN):
            countries[best.country] += 1
    named_in = {p.country for p in found if p.admin1} | {
        r.candidates[0].country for _, r, _ in readings if r.candidates[0].kind == "admin1"}
    out = []
    for sentence, reading, level in readings:
        candidates = reading.candidates
        if level is not None and any(c.kind == level for c in candidates):
            candidates = tuple(c for c in candidates if c.kind == level)
        entry = max(candidates, key=lambda e: (e.admin1 in provinces and e.kind != "admin1", countries.get(e.country, 0) > 0,
                                                -candidates.index(e)))
        small = entry.kind == "admin2" or (entry.kind == "town" and (entry.population or 0) < SMALL_TOWN)
        if small and entry.country in named_in and entry.admin1 not in provinces:
            continue  # a district of a province the report never names is another place of that name
        if entry.kind == "town" and (entry.population or 0) < SMALL_TOWN and countries and not countries.get(entry.country):
            continue  # "Mandal" in a report about Pakistan is no town of India
        if level in ("admin1", "admin2") and entry.kind == "town":
            entry = _region_of(entry, level, gazetteer)  # "в провинции Газни": the town's province
        entry = _at_level(entry, level, gazetteer)
        out.append(_named_mention(sentence.start + reading.start, sentence.start + reading.end, reading.text, sentence, entry))
    return out


def _with_sites(found: list[PlaceMention], unlocated: list[PlaceMention], sentences: tuple[Sentence, ...], rules: sites.SiteRules,
                language: str, gazetteer: Gazetteer, dates: tuple[DateMention, ...], lexicons: lexicon.SearchPath,
                scans: Mapping[int, Scan]) -> list[PlaceMention]:
    """The places with the sites of each sentence (pipeline/sites.py); a known place inside a site
    is the site's ("аэропорта Кабула" is the airport, in Kabul)."""
    _, surfaces, origins, bare = _place_rules(language, gazetteer, lexicons)
    out: list[PlaceMention] = []
    placed: dict[tuple[str, str | None], PlaceMention] = {}
    by_sentence: dict[int, list[PlaceMention]] = {}
    for mention in found:
        by_sentence.setdefault(mention.sentence, []).append(mention)
    waiting: dict[int, list[PlaceMention]] = {}
    for mention in unlocated:
        waiting.setdefault(mention.sentence, []).append(mention)
    for sentence in sentences:
        located = by_sentence.get(sentence.index, [])
        scan = scans[sentence.index]
        if not any(p is not None and scan.search(p) for p in (rules.first, rules.last)):
            out.extend(located)
            continue
        taken = [(d.start - sentence.start, d.end - sentence.start) for d in dates if d.sentence == sentence.index]
        names = [sites.Name(m.start - sentence.start, m.end - sentence.start, m, True) for m in located]
        # The unlocated names, then the names inside an organisation's, each kept when it touches
        # no date and no name kept before it (its mention is built only then: most are a located name).
        busy = [*taken, *((n.start, n.end) for n in names)]
        for mention in waiting.get(sentence.index, ()):
            s, e = mention.start - sentence.start, mention.end - sentence.start
            if not any(s < be and bs < e for bs, be in busy):
                names.append(sites.Name(s, e, mention, False))
                busy.append((s, e))
        for m in scan.finditer(bare) if bare is not None else ():
            s, e = m.span()
            if not any(s < be and bs < e for bs, be in busy):
                key = fold(m.group("name"))
                mention = _named_mention(sentence.start + s, sentence.start + e, m.group(0), sentence, surfaces[key], origins.get(key))
                names.append(sites.Name(s, e, mention, False))
                busy.append((s, e))
        read = sites.read_sites(sentence, rules, names, located, gazetteer, taken, placed, scan)
        covered = [(m.start, m.end) for m in read]
        out.extend(m for m in located if not any(s <= m.start and m.end <= e for s, e in covered))
        out.extend(read)
    return sorted(out, key=lambda p: (p.start, p.end))


@stage("places.v2", requires=("sentences",), assigns=("places",))
def places(doc: PipelineDoc, ctx: Context) -> PipelineDoc:
    """Find the places each sentence names and resolve them with the context's gazetteer
    (places.yaml and the place names with the user's lexicon folders merged over them)."""
    if ctx.gazetteer is None:
        raise PipelineError("places.v2 needs a gazetteer in the context.", hint="Context(gazetteer=load_gazetteer())")
    path = lexicon.in_options(ctx.options)
    if "case_suffixes" in lexicon.load("places", doc.language or "en", path=path):
        found = find_named_places(doc.sentences or (), doc.language or "en", ctx.gazetteer, doc.dates or (), lexicons=path)
        return doc.but(places=found)
    return doc.but(places=find_places(doc, ctx.gazetteer, lexicons=path))
