"""Dates, places, casualty figures and cues for reports not in English (Dari/Persian, Pashto,
Russian, Tajik, Uzbek in both scripts, Urdu).

The English rules lean on English word order ("seven people were killed"); these read any of the
other languages from its lexicons (`lexicons/<lang>/{dates,numbers,casualties,events}.yaml` and
`data/gazetteer/names_multilingual.yaml`):

- dates: the language's date templates filled with its Gregorian and Solar Hijri month names;
  Solar Hijri dates become Gregorian (`calendars`); "yesterday" and weekdays resolve against the
  publication date.
- casualties: a figure is the nearest number to a killed/injured word in the direction(s) the
  language puts it, within a few words and never across a comma or another casualty word.
- places: the multilingual name table (stems that may take the language's case suffixes), then
  the gazetteer's own Dari and Pashto names.
- cues: event, method, target and claim words, matched as word-initial stems.

Every mention keeps the offsets of the original text. Persian and Eastern Arabic digits need no
rewriting: `\\d` matches them and `int()` reads them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import yaml

from kwatch import lexicon
from kwatch.gazetteer import Entry, Gazetteer
from kwatch.pipeline import calendars
from kwatch.pipeline.model import CasualtyMention, Cue, DateMention, PlaceMention, Sentence

_PRECISION = {"country": "country", "admin1": "province", "admin2": "district", "town": "town"}
_WORD_START = r"(?<![^\W_])"
_WORD_END = r"(?![^\W_])"
_NUMBER = re.compile(r"(?<![\d./:-])\d{1,5}(?![\d./:%])")


def handles(language: str | None) -> bool:
    """True for a language other than English that has the lexicons this module reads."""
    return bool(language) and language != "en" and language in lexicon.available("casualties") \
        and "multilingual" in lexicon.load("casualties", language)


def _alternation(words: Any) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


# -- dates -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _DateRules:
    patterns: tuple[re.Pattern[str], ...]
    gregorian: dict[str, int]
    solar: dict[str, int]
    relative_days: dict[str, int]
    relative_re: re.Pattern[str] | None
    weekdays: dict[str, int]
    weekday_re: re.Pattern[str] | None


def _fold(word: str) -> str:
    return " ".join(word.casefold().split())


@cache
def _date_rules(language: str) -> _DateRules:
    data = lexicon.load("dates", language)
    gregorian = {_fold(k): v for k, v in data["gregorian_months"].items()}
    solar = {_fold(k): v for k, v in (data.get("solar_months") or {}).items()}
    month = rf"(?P<month>{_alternation([*data['gregorian_months'], *(data.get('solar_months') or {})])})"
    fill = {"day": r"(?P<day>\d{1,2})", "year": r"(?P<year>\d{4})", "month": month}
    patterns = tuple(
        re.compile(_WORD_START + template.format(**fill).replace(" ", r"\s*") + _WORD_END, re.IGNORECASE)
        for template in data["templates"]
    )
    relative = {_fold(k): v for k, v in (data.get("relative_days") or {}).items()}
    weekdays = {_fold(k): v for k, v in (data.get("weekdays") or {}).items()}
    return _DateRules(
        patterns=patterns,
        gregorian=gregorian,
        solar=solar,
        relative_days=relative,
        relative_re=re.compile(rf"{_WORD_START}(?:{_alternation(data['relative_days'])}){_WORD_END}", re.I) if relative else None,
        weekdays=weekdays,
        weekday_re=re.compile(rf"{_WORD_START}(?:{_alternation(data['weekdays'])}){_WORD_END}", re.I) if weekdays else None,
    )


def _published(published: str | None) -> date | None:
    if not published or len(published) < 10:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


def _resolve_date(match: re.Match[str], rules: _DateRules, base: date | None) -> tuple[str, str] | None:
    groups = match.groupdict()
    key = _fold(groups["month"])
    day = int(groups["day"]) if groups.get("day") else None
    year = int(groups["year"]) if groups.get("year") else None
    if key in rules.solar and not (year is not None and year >= 1900):
        month = rules.solar[key]
        years = [year] if year is not None else ([base.year - 621, base.year - 622] if base else [])
        for jy in years:
            try:
                value = calendars.to_gregorian(jy, month, day or 1)
            except ValueError:
                return None
            if year is None and base is not None and value > base:
                continue
            if day is None:
                # A Solar month spans two Gregorian months: give the year only when both agree.
                end = calendars.to_gregorian(jy, month, calendars.month_length(jy, month))
                return (f"{value.year:04d}", "absolute" if year else "relative") if end.year == value.year else None
            return value.isoformat(), "absolute" if year else "relative"
        return None
    if key not in rules.gregorian:
        return None
    month = rules.gregorian[key]
    basis = "absolute"
    if year is None:
        if base is None:
            return None
        year = base.year if (month, day or 1) <= (base.month, base.day) else base.year - 1
        basis = "relative"
    if not 1900 <= year <= 2100:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}", basis
    try:
        return date(year, month, day).isoformat(), basis
    except ValueError:
        return None


def find_dates(sentences: tuple[Sentence, ...], published: str | None, language: str) -> tuple[DateMention, ...]:
    rules = _date_rules(language)
    base = _published(published)
    found: list[DateMention] = []
    for sentence in sentences:
        taken: list[tuple[int, int]] = []
        text = sentence.text
        for pattern in rules.patterns:
            for m in pattern.finditer(text):
                if any(m.start() < e and s < m.end() for s, e in taken):
                    continue
                resolved = _resolve_date(m, rules, base)
                if resolved is None:
                    continue
                taken.append(m.span())
                found.append(DateMention(sentence.start + m.start(), sentence.start + m.end(), m.group(0), sentence.index, *resolved))
        if base is None:
            continue
        for regex, table, is_weekday in ((rules.relative_re, rules.relative_days, False), (rules.weekday_re, rules.weekdays, True)):
            if regex is None:
                continue
            for m in regex.finditer(text):
                if any(m.start() < e and s < m.end() for s, e in taken):
                    continue
                value = table[_fold(m.group(0))]
                day = base - timedelta(days=(base.weekday() - value) % 7) if is_weekday else base + timedelta(days=value)
                taken.append(m.span())
                found.append(DateMention(sentence.start + m.start(), sentence.start + m.end(), m.group(0), sentence.index, day.isoformat(), "relative"))
    return tuple(sorted(found, key=lambda d: d.start))


# -- numbers and casualties --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _CasualtyRules:
    quantity: re.Pattern[str]
    words: dict[str, int]
    joiners: frozenset[str]
    qualifiers: dict[str, str]
    vague: frozenset[str]
    anchors: re.Pattern[str]
    kinds: dict[str, str]
    directions: tuple[str, ...]  # 'before' and/or 'after': where the figure stands from the verb
    max_words: int
    attackers: re.Pattern[str] | None
    claim: re.Pattern[str] | None
    barrier: re.Pattern[str]
    asides: tuple[re.Pattern[str], ...]  # subset asides, blanked before figures are read


@cache
def _casualty_rules(language: str) -> _CasualtyRules:
    numbers = lexicon.load("numbers", language)
    data = lexicon.load("casualties", language)
    words = {_fold(k): v for k, v in numbers["words"].items()}
    joiner_words = frozenset(_fold(j) for j in numbers.get("joiners") or ())
    qualifiers = {_fold(p): q for q, phrases in numbers["qualifiers"].items() for p in phrases}
    vague = frozenset(_fold(v) for v in numbers.get("vague") or ())
    word = rf"{_WORD_START}(?:{_alternation(numbers['words'])}){_WORD_END}"
    joiners = numbers.get("joiners") or ()
    joiner = rf"(?:[\s\u200c]+(?:{_alternation(joiners)}))?" if joiners else ""
    # A compound number is up to four number words in a row ("двадцать пять", "بیست و پنج").
    number = rf"(?:\d{{1,5}}|{word}(?:{joiner}[\s\u200c]+{word}){{0,3}})"
    qualifier = rf"(?:{_WORD_START}(?:{_alternation(qualifiers)})\s+)?" if qualifiers else ""
    vague_alt = rf"|{_WORD_START}(?:{_alternation(vague)}){_WORD_END}" if vague else ""
    # Vague amounts first: "ده‌ها" (dozens) must not read as "ده" (ten).
    vague_first = vague_alt[1:] + "|" if vague_alt else ""
    quantity = re.compile(rf"(?<![\d./:-])(?:{vague_first}{qualifier}{number})(?![\d./:%])", re.IGNORECASE)
    kinds = {}
    for kind in ("killed", "injured"):
        for stem in data[kind]:
            kinds[_fold(stem)] = kind
    anchors = re.compile(rf"{_WORD_START}(?:{_alternation(kinds)})[^\W\d_]*", re.IGNORECASE)
    attackers = data.get("attackers") or ()
    claims = data.get("claim_markers") or ()
    return _CasualtyRules(
        quantity=quantity,
        words=words,
        joiners=joiner_words,
        qualifiers=qualifiers,
        vague=vague,
        anchors=anchors,
        kinds=kinds,
        directions=tuple(data["figure_position"]),
        max_words=int(data["max_words_between"]),
        attackers=re.compile(rf"{_WORD_START}(?:{_alternation(attackers)})", re.I) if attackers else None,
        claim=re.compile(rf"{_WORD_START}(?:{_alternation(claims)})", re.I) if claims else None,
        barrier=re.compile(r"[,،;؛:()«»\"]|\s[-–—]\s"),
        asides=_asides(data.get("subset_markers") or (), data.get("subset_postpositions") or (), number, anchors.pattern),
    )


def _asides(markers: Any, postpositions: Any, number: str, anchor: str) -> tuple[re.Pattern[str], ...]:
    asides = []
    if markers:
        marker = rf"{_WORD_START}(?:{_alternation(markers)}){_WORD_END}"
        asides += [
            # ", including two staff," between commas, with no casualty word inside;
            re.compile(rf"[,،]\s*{marker}(?:(?!{anchor})[^,،.;؛])*[,،]", re.I),
            # "6 people, including two staff died" without a closing comma: up to the casualty word;
            re.compile(rf"[,،]?\s*{marker}[^,،.;؛]*?(?={anchor})", re.I),
            # else the marker and the figure after it.
            re.compile(rf"{marker}\s+\S+", re.I),
        ]
    if postpositions:
        # "دو ملازمین سمیت 6 افراد" (six people including two staff): the subset stands before the word.
        post = rf"(?:{_alternation(postpositions)}){_WORD_END}"
        asides.append(re.compile(rf"(?<![\d./:-]){number}(?:\s+[^\s\d,،.;؛]+){{0,3}}?\s+{post}", re.I))
    return tuple(asides)


def _blank(text: str, patterns: tuple[re.Pattern[str], ...]) -> str:
    """`text` with each match of `patterns` replaced by spaces: offsets stay where they were."""
    for pattern in patterns:
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    return text


def _read_quantity(text: str, rules: _CasualtyRules) -> tuple[int | None, str]:
    folded = _fold(text)
    qualifier = "exact"
    for phrase, q in sorted(rules.qualifiers.items(), key=lambda kv: -len(kv[0])):
        if folded.startswith(phrase + " "):
            qualifier, folded = q, folded[len(phrase) + 1:]
            break
    if folded in rules.vague:
        return None, "vague"
    if folded.isdigit():
        return int(folded), qualifier
    return _compound(folded, rules), qualifier


def _compound(folded: str, rules: _CasualtyRules) -> int | None:
    """A number word, or words read as one number: tens then units are added ("twenty five"), a
    hundred multiplies what stands before it ("three hundred"). Words in any other order are not
    one number: the first one counts."""
    if folded in rules.words:
        return rules.words[folded]
    values = [rules.words.get(part) for part in folded.replace("\u200c", " ").split() if part not in rules.joiners]
    if not values or None in values:
        return values[0] if values else None
    current = 0
    previous = None
    for value in values:
        if value == 100:
            current = (current or 1) * 100
        elif previous is not None and previous != 100 and value >= previous:
            return values[0]
        else:
            current += value
        previous = value
    return current


def _kind_of(anchor: str, rules: _CasualtyRules) -> str:
    folded = _fold(anchor)
    best = max((stem for stem in rules.kinds if folded.startswith(stem)), key=len)
    return rules.kinds[best]


def find_casualties(sentences: tuple[Sentence, ...], language: str, dates: tuple[DateMention, ...] = ()) -> tuple[CasualtyMention, ...]:
    rules = _casualty_rules(language)
    found: list[CasualtyMention] = []
    for sentence in sentences:
        original = sentence.text
        text = _blank(original, rules.asides)
        anchors = list(rules.anchors.finditer(text))
        if not anchors:
            continue
        date_spans = [(d.start - sentence.start, d.end - sentence.start) for d in dates if d.sentence == sentence.index]
        quantities = [q for q in rules.quantity.finditer(text)
                      if not any(q.start() < e and s < q.end() for s, e in date_spans)]
        claim_at = rules.claim.search(text) if rules.claim else None
        used: set[int] = set()
        for anchor in anchors:
            kind = _kind_of(anchor.group(0), rules)
            best: tuple[int, int] | None = None  # (words between, index)
            for i, q in enumerate(quantities):
                if i in used:
                    continue
                if q.end() <= anchor.start() and "before" in rules.directions:
                    gap = text[q.end():anchor.start()]
                elif q.start() >= anchor.end() and "after" in rules.directions:
                    gap = text[anchor.end():q.start()]
                else:
                    continue
                if rules.barrier.search(gap) or any(a is not anchor and rules.anchors.search(gap) for a in anchors):
                    continue
                words = len(gap.split())
                if words > rules.max_words:
                    continue
                if best is None or words < best[0]:
                    best = (words, i)
            if best is None:
                continue
            q = quantities[best[1]]
            value, qualifier = _read_quantity(q.group(0), rules)
            if value is None and qualifier != "vague":
                continue
            used.add(best[1])
            span_start, span_end = min(q.start(), anchor.start()), max(q.end(), anchor.end())
            between = text[q.end():q.end() + 40]
            category = "attackers" if rules.attackers and rules.attackers.match(between.lstrip()) else None
            claimed = claim_at is not None and claim_at.start() < span_start
            found.append(CasualtyMention(sentence.start + span_start, sentence.start + span_end, original[span_start:span_end],
                                         sentence.index, kind, value, qualifier, category, claimed))
    return tuple(found)


# -- places ------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _name_table() -> list[dict[str, Any]]:
    path = resources.files("kwatch") / "data" / "gazetteer" / "names_multilingual.yaml"
    with path.open("r", encoding="utf-8") as handle:
        return yaml.safe_load(handle)["places"]


def _entry(gazetteer: Gazetteer, row: dict[str, Any]) -> Entry | None:
    for entry in gazetteer.candidates(row["name"]):
        if entry.kind == row["kind"] and (row.get("country") is None or entry.country == row["country"]):
            return entry
    return None


@cache
def _place_rules(language: str, gazetteer: Gazetteer) -> tuple[re.Pattern[str] | None, dict[str, Entry]]:
    surfaces: dict[str, Entry] = {}
    for row in _name_table():
        entry = _entry(gazetteer, row)
        if entry is None:
            continue
        for surface in row.get(language) or ():
            surfaces.setdefault(_fold(surface), entry)
    if not surfaces:
        return None, surfaces
    suffixes = lexicon.load("casualties", language).get("place_suffixes") or []
    suffix = rf"(?:{_alternation(suffixes)})?" if suffixes else ""
    organisations = lexicon.load("casualties", language).get("organisation_words") or []
    not_organisation = rf"(?!\s*(?:{_alternation(organisations)}))" if organisations else ""
    pattern = re.compile(rf"{_WORD_START}(?P<name>{_alternation(surfaces)}){suffix}{_WORD_END}{not_organisation}", re.IGNORECASE)
    return pattern, surfaces


def _mention(start: int, end: int, text: str, sentence: Sentence, entry: Entry) -> PlaceMention:
    return PlaceMention(start, end, text, sentence.index, entry.country,
                        entry.admin1 if entry.kind != "country" else None,
                        entry.admin2 if entry.kind in ("admin2", "town") else None,
                        entry.name if entry.kind == "town" else None,
                        _PRECISION[entry.kind], entry.lat, entry.lon)


def find_places(sentences: tuple[Sentence, ...], language: str, gazetteer: Gazetteer,
                dates: tuple[DateMention, ...] = ()) -> tuple[PlaceMention, ...]:
    pattern, surfaces = _place_rules(language, gazetteer)
    organisations = lexicon.load("casualties", language).get("organisation_words") or []
    organisation = re.compile(rf"\s*(?:{_alternation(organisations)})", re.I) if organisations else None
    found: list[PlaceMention] = []
    readings: list[tuple[Sentence, object]] = []
    for sentence in sentences:
        # Month names ("میزان", "تیر") are place names too: a date's words are never a place.
        taken = [(d.start - sentence.start, d.end - sentence.start) for d in dates if d.sentence == sentence.index]
        if pattern is not None:
            for m in pattern.finditer(sentence.text):
                if any(m.start() < e and s < m.end() for s, e in taken):
                    continue
                entry = surfaces[_fold(m.group("name"))]
                taken.append(m.span())
                found.append(_mention(sentence.start + m.start(), sentence.start + m.end(), m.group(0), sentence, entry))
        if language in ("fa", "ps"):
            # The gazetteer's own Dari and Pashto names (provinces and districts).
            for m in gazetteer.matches(sentence.text):
                if organisation is not None and organisation.match(sentence.text, m.end):
                    continue
                if not any(m.start < e and s < m.end for s, e in taken):
                    readings.append((sentence, m))
    provinces = {p.admin1 for p in found if p.precision == "province"}
    provinces |= {m.candidates[0].admin1 for _, m in readings if m.candidates[0].kind == "admin1"}
    for sentence, m in readings:
        # A name with several readings takes the one in a province the document names.
        entry = next((e for e in m.candidates if e.admin1 in provinces), m.candidates[0])
        if provinces and entry.kind in ("admin2", "town") and entry.admin1 not in provinces:
            continue  # a district of a province the report never names is another place of that name
        found.append(_mention(sentence.start + m.start, sentence.start + m.end, m.text, sentence, entry))
    return tuple(sorted(found, key=lambda p: p.start))


# -- cues --------------------------------------------------------------------------------------


@cache
def _cue_rules(language: str) -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    data = lexicon.load("events", language)
    rules = []
    for kind in ("event_type", "method", "target", "claim", "hedge"):
        for value, stems in (data.get(kind) or {}).items():
            pattern = re.compile(rf"{_WORD_START}(?:{_alternation(stems)})[^\W\d_]*", re.IGNORECASE)
            rules.append((kind, value, pattern))
    return tuple(rules)


def find_cues(sentences: tuple[Sentence, ...], language: str) -> tuple[Cue, ...]:
    found: list[Cue] = []
    for sentence in sentences:
        for kind, value, pattern in _cue_rules(language):
            for m in pattern.finditer(sentence.text):
                found.append(Cue(sentence.start + m.start(), sentence.start + m.end(), m.group(0), sentence.index, kind, value))
    found.sort(key=lambda c: (c.start, -(c.end - c.start)))
    # Within one kind, overlapping matches keep the longest.
    kept: list[Cue] = []
    for cue in found:
        if any(k.kind == cue.kind and cue.start < k.end and k.start < cue.end for k in kept):
            continue
        kept.append(cue)
    return tuple(kept)
