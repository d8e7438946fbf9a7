"""Places the extractor can recognise: Afghan provinces, districts and towns, and places abroad.

`load_gazetteer()` reads the package data that `scripts/build_gazetteer.py` generates
(`kwatch/data/gazetteer/gazetteer.json.gz`). `Gazetteer.find(text)` returns every
non-overlapping longest match of a known name on word boundaries, case-insensitively.

Ambiguity is handled with data, not code: names in the `blocked` list never match ("Taliban",
"Khorasan"); one-word names that are also common English words (`common_words`: "Police",
"Tank") match only when capitalised right after a locative preposition ("in Tank"); variants
written in capitals in the data ("US", "UAE") match only in capitals.

Names in other scripts (`name_fa`, `name_ps` and `native`: GeoNames' Cyrillic and Arabic-script
names, pycountry's translations of country names, the names of the regions abroad) are matched by
the same index; Arabic-script
letters are folded to one spelling ("ي"/"ی", "ك"/"ک", Urdu "ہ"/"ه", Pashto "ې"/"ی"), and
`Forms` lets a language's case endings and clitics stand around a name ("Калуге", "بكابل").
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import accumulate

from kwatch import lexicon
from kwatch.errors import Bug

#: Candidate order when nothing else decides: a country before a region before a town.
KIND_RANK = {"country": 5, "admin1": 4, "town": 3, "admin2": 2, "site": 1}

_TOKEN = re.compile(r"[^\W_]+")
#: A text split on its words, the words kept: gap, word, gap, …, gap.
_PIECES = re.compile(r"([^\W_]+)")
#: Arabic-script letters folded to one spelling: Arabic and Persian yeh and kaf, Urdu heh,
#: Pashto yeh and gaf forms, teh marbuta; tatweel is dropped (hamza and madda go with NFKD).
_ARABIC_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ې": "ی", "ۍ": "ی", "ے": "ی", "ك": "ک", "ہ": "ه", "ھ": "ه",
                                 "ە": "ه", "ۃ": "ه", "ة": "ه", "ٱ": "ا", "ګ": "گ", "ڪ": "ک", "ـ": None})

#: Abbreviated words of names, by their folded form.
_ABBREVIATIONS = {"st": "saint", "ste": "sainte"}


@dataclass(frozen=True, slots=True)
class Entry:
    """One known place. `admin1`/`admin2` are the canonical names of the region and district
    that contain it (for an admin1 entry, its own name)."""

    kind: str  # 'country' | 'admin1' | 'admin2' | 'town' | 'site'
    name: str
    country: str  # ISO 3166-1 alpha-2
    admin1: str | None = None
    admin2: str | None = None
    lat: float | None = None
    lon: float | None = None
    population: int | None = None
    iso: str | None = None  # ISO 3166-2 code of a province
    name_fa: str | None = None
    name_ps: str | None = None
    variants: tuple[str, ...] = ()
    native: tuple[str, ...] = ()  # names in Cyrillic and Arabic script (GeoNames, pycountry)

    @property
    def rank(self) -> tuple[int, int]:
        return KIND_RANK[self.kind], self.population or 0


@dataclass(frozen=True, slots=True)
class Match:
    """A span of text that names one or more known places, best default reading first."""

    start: int
    end: int
    text: str
    candidates: tuple[Entry, ...]
    token_start: int  # index of the first word (`_TOKEN`) of the match among the text's words
    token_end: int


@dataclass(frozen=True, slots=True)
class Forms:
    """How a language inflects a name (its places.yaml): `suffixes` (case endings) may follow the
    last word, after dropping one of its `stem_endings` ("Калуга" -> "Калуг|е"); `clitics` may be
    glued before the first ("ب|كابل")."""

    suffixes: tuple[str, ...] = ()
    stem_endings: tuple[str, ...] = ()
    clitics: tuple[str, ...] = ()
    # key -> its `first` and `last` readings: every word of every sentence is asked about, a few
    # dozen endings each (bounded: emptied when it holds _FORMS_MEMO words).
    _memo: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = dataclasses.field(
        default_factory=dict, compare=False, repr=False, hash=False)

    def first(self, key: str) -> list[str]:
        """The key of a first word, and what is left of it without a clitic (three letters or more)."""
        return list(self.readings(key)[0])

    def last(self, key: str) -> list[str]:
        """The keys a last word may stand for, without its case ending."""
        return list(self.readings(key)[1])

    def readings(self, key: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(`first`, `last`) of `key` as the tuples kept: what `Gazetteer.matches` reads, without a copy."""
        found = self._memo.get(key)
        if found is None:
            if len(self._memo) >= _FORMS_MEMO:
                self._memo.clear()
            firsts = (key, *(key[len(c):] for c in self.clitics if key.startswith(c) and len(key) - len(c) >= 3))
            lasts: list[str] = []
            for suffix in self.suffixes:
                if key.endswith(suffix) and len(key) - len(suffix) >= 3:
                    stem = key[:-len(suffix)]
                    lasts += [stem, *(stem + e for e in self.stem_endings)]
            found = self._memo[key] = (firsts, tuple(lasts))
        return found


_FORMS_MEMO = 65536


@lru_cache(maxsize=65536)
def normalise_token(token: str) -> str:
    """Case- and accent-blind form of one word: 'Herāt' -> 'herat', 'لاہور' -> 'لاهور'."""
    decomposed = unicodedata.normalize("NFKD", token)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).lower().translate(_ARABIC_LETTERS)
    # "St. Petersburg", "St Louis": the abbreviation is the word (so the larger namesake wins).
    return _ABBREVIATIONS.get(folded, folded)


def name_key(name: str) -> str:
    """The lookup key of a name: its normalised words joined by one space ('Pul-e Khumri' ->
    'pul e khumri')."""
    return " ".join(normalise_token(t) for t in _TOKEN.findall(name))


def _is_capitals(token: str) -> bool:
    return len(token) >= 2 and token.isupper()


class Gazetteer:
    """A name index over `Entry` records, built once."""

    def __init__(
        self,
        entries: Iterable[Entry],
        *,
        blocked: Iterable[str] = (),
        common_words: Iterable[str] = (),
        locatives: Iterable[str] = (),
    ) -> None:
        self.entries: tuple[Entry, ...] = tuple(entries)
        self.blocked = frozenset(name_key(b) for b in blocked)
        self.common_words = frozenset(name_key(w) for w in common_words)
        self.locatives = frozenset(name_key(w) for w in locatives)
        folded: dict[str, list[Entry]] = {}
        exact: dict[tuple[str, ...], list[Entry]] = {}
        for entry in self.entries:
            for surface in (entry.name, *entry.variants, entry.name_fa, entry.name_ps, *entry.native):
                if not surface:
                    continue
                tokens = tuple(_TOKEN.findall(surface))
                k = name_key(surface)
                if not k or k in self.blocked:
                    continue
                # "US", "UAE", "KP province": an abbreviation matches only as written.
                target = exact.setdefault(tokens, []) if any(_is_capitals(t) for t in tokens) else folded.setdefault(k, [])
                if entry not in target:
                    target.append(entry)
        self._folded = {k: tuple(sorted(v, key=lambda e: e.rank, reverse=True)) for k, v in folded.items()}
        self._exact = {k: tuple(sorted(v, key=lambda e: e.rank, reverse=True)) for k, v in exact.items()}
        self._prefixes = {" ".join(k.split(" ")[:n]) for k in self._folded for n in range(1, k.count(" ") + 2)}
        self._exact_prefixes = {k[:n] for k in self._exact for n in range(1, len(k) + 1)}
        self._exact_first = {k[0] for k in self._exact}
        self._max_tokens = max([k.count(" ") + 1 for k in self._folded] + [len(k) for k in self._exact] + [1])
        self._provinces = {name_key(s): e for e in self.entries if e.kind == "admin1" and e.country == "AF"
                           for s in (e.name, *e.variants)}
        self._countries = {e.country: e for e in self.entries if e.kind == "country"}
        # forms -> word key -> `_starts_a_name`: most words of a text start no name, asked once each.
        self._may_start: dict[Forms | None, dict[str, bool]] = {}

    def with_variants(self, extra: Mapping[Entry, Sequence[str]]) -> Gazetteer:
        """A gazetteer whose entries also go by the `extra` spellings given for them, in the same
        order (the same gazetteer when there are none); the entries given must be this gazetteer's."""
        if not any(extra.values()):
            return self
        unknown = set(extra) - set(self.entries)
        if unknown:
            raise Bug(f"with_variants: {len(unknown)} entries are not in the gazetteer (first: {next(iter(unknown)).name})")
        entries = [dataclasses.replace(e, variants=(*e.variants, *extra[e])) if extra.get(e) else e for e in self.entries]
        return Gazetteer(entries, blocked=self.blocked, common_words=self.common_words, locatives=self.locatives)

    # -- lookups ------------------------------------------------------------------------------

    def candidates(self, name: str) -> tuple[Entry, ...]:
        """Every entry a name can denote, best default reading first."""
        tokens = tuple(_TOKEN.findall(name))
        return self._exact.get(tokens) or self._folded.get(name_key(name), ())

    def province(self, name: str) -> Entry | None:
        """The Afghan province a name or spelling variant denotes ('Bamiyan' -> Bamyan)."""
        return self._provinces.get(name_key(name))

    def country(self, code: str) -> Entry | None:
        """The country entry of an ISO 3166-1 alpha-2 code."""
        return self._countries.get(code.upper())

    def country_of(self, name: str) -> str | None:
        """The ISO alpha-2 code of the country a place name lies in (or is): 'Peshawar' -> 'PK'."""
        found = self.candidates(name)
        return found[0].country if found else None

    def towns_named(self, name: str, admin1: str) -> tuple[Entry, ...]:
        """Towns of `admin1` called `name` (the capital that shares a province's name)."""
        return tuple(e for e in self.candidates(name) if e.kind == "town" and e.admin1 == admin1)

    # -- matching -----------------------------------------------------------------------------

    def matches(self, text: str, *, forms: Forms | None = None) -> list[Match]:
        """Non-overlapping longest matches, left to right, with every candidate reading; with
        `forms`, a name may take the language's case endings and clitics."""
        # The text's gaps and words, alternating (gap, word, gap, …, gap): the words without a
        # match object each, and their offsets summed only when a name is found (most sentences
        # of a report name one or two).
        pieces = _PIECES.split(text)
        words = pieces[1::2]
        keys = list(map(normalise_token, words))
        out: list[Match] = []
        ends: list[int] | None = None  # where each piece ends
        exact_first = self._exact_first
        may_start = self._may_start.get(forms)
        if may_start is None or len(may_start) >= _FORMS_MEMO:
            may_start = self._may_start[forms] = {}
        i = 0
        while i < len(words):
            key = keys[i]
            starts = may_start.get(key)
            if starts is None:
                starts = may_start[key] = self._starts_a_name(key, forms)
            if not starts and words[i] not in exact_first:
                i += 1  # no name starts with this word: what `_longest` would find, without the call
                continue
            found = self._longest(words, keys, i, forms)
            if found is None:
                i += 1
                continue
            length, entries = found
            if ends is None:
                ends = list(accumulate(map(len, pieces)))
            start, end = ends[2 * i], ends[2 * (i + length) - 1]
            out.append(Match(start, end, text[start:end], entries, i, i + length))
            i += length
        return out

    def _starts_a_name(self, key: str, forms: Forms | None) -> bool:
        """Whether a folded name of the index starts with the word `key` (in one of its `forms`)."""
        starts = forms.first(key) if forms else [key]
        if forms:
            starts += [k for s in starts for k in forms.last(s)]
        return any(k in self._prefixes for k in starts)

    def find(self, text: str) -> list[tuple[int, int, Entry]]:
        """All non-overlapping longest matches as (start, end, best reading)."""
        return [(m.start, m.end, m.candidates[0]) for m in self.matches(text)]

    def _longest(self, words: list[str], keys: list[str], i: int, forms: Forms | None = None,
                 ) -> tuple[int, tuple[Entry, ...]] | None:
        best: tuple[int, tuple[Entry, ...]] | None = None
        for first in forms.readings(keys[i])[0] if forms else (keys[i],):
            found = self._longest_from(words, keys, i, first, forms)
            if found is not None and (best is None or found[0] > best[0]):
                best = found
        return best

    def _longest_from(self, words: list[str], keys: list[str], i: int, first: str, forms: Forms | None,
                      ) -> tuple[int, tuple[Entry, ...]] | None:
        best: tuple[int, tuple[Entry, ...]] | None = None
        prefixes, folded = self._prefixes, self._folded
        readings = forms.readings if forms else None
        key = ""
        # (The word tuple of an abbreviation is built only when the name may be one: `_exact_first`.)
        may_be_exact = first == keys[i] and words[i] in self._exact_first
        for n in range(1, min(self._max_tokens, len(keys) - i) + 1):
            previous = key
            word = first if n == 1 else keys[i + n - 1]
            key = word if n == 1 else f"{key} {word}"
            exact = tuple(words[i:i + n]) if may_be_exact else ()
            in_folded = key in prefixes
            in_exact = may_be_exact and exact in self._exact_prefixes
            inflected: tuple[Entry, ...] = ()
            if readings is not None:
                # The last word with a case ending: "Калуге", "Мазари-Шарифе".
                for stem in readings(word)[1]:
                    inflected = folded.get(stem if n == 1 else f"{previous} {stem}", ())
                    if inflected:
                        break
            if not in_folded and not in_exact:
                if inflected and not words[i].islower():
                    best = (n, inflected)
                break
            entries = self._exact.get(exact) if in_exact else None
            if not entries and in_folded:
                entries = folded.get(key) or inflected or None
                if entries and n == 1 and key in self.common_words and not self._allowed_common(words, keys, i):
                    entries = None
                # A lower-case single word is an English word, not a town ("cars", "van").
                if entries and n == 1 and words[i].islower() and all(e.kind != "country" for e in entries):
                    entries = None
            if entries:
                best = (n, entries)
        return best

    def _allowed_common(self, words: list[str], keys: list[str], i: int) -> bool:
        # A place name that is also an English word counts only as "in Tank", "near Police".
        return words[i][:1].isupper() and not words[i].isupper() and i > 0 and keys[i - 1] in self.locatives


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The package gazetteer (built by scripts/build_gazetteer.py), loaded once."""
    path = resources.files("kwatch") / "data" / "gazetteer" / "gazetteer.json.gz"
    if not path.is_file():
        raise Bug(f"gazetteer data {path} is missing from the package: run scripts/build_gazetteer.py")
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as handle:
        data = json.load(handle)
    fields = data["fields"]
    entries = []
    for row in data["entries"]:
        record = dict(zip(fields, row))
        record.pop("geonameid", None)
        record["variants"] = tuple(record["variants"] or ())
        record["native"] = tuple(record.get("native") or ())
        entries.append(Entry(**record))
    cues = lexicon.load("places", "en")
    return Gazetteer(entries, blocked=data["blocked"], common_words=data["common_words"],
                     locatives=cues["locative_prepositions"])
