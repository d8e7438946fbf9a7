"""cues.v1: lexicon matches that say something about an event.

Each cue has a `kind` and a `value`:

    event_type   attack | plot | arrest | raid | propaganda       (lexicons/<lang>/events.yaml)
    intent, hedge, aggregate, aggregate_weak, plural, caption,
    reference (value: the event type referred to), recency, reporting   (events.yaml)
    method       suicide_bombing | bombing | shooting | ...     (methods.yaml)
    target       religious | government | security | ...       (targets.yaml)
    claim / no_claim                                            (claims.yaml)
    medium, language (ISO 639-1), length ('minutes:25')         (propaganda.yaml)
    outlet       canonical outlet name                          (lexicons/outlets.yaml)
    group_ref    'the group', 'the IS affiliate' ...             (lexicons/actors.yaml, anaphora)

Within one kind, overlapping matches keep the longest ("foiled attack" over "attack").
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from functools import cache

from kwatch import lexicon
from kwatch.pipeline import Context, multilingual, stage
from kwatch.pipeline.actors import SentenceLocator, phrase_regex
from kwatch.pipeline.model import Cue, PipelineDoc, Sentence
from kwatch.pipeline.scan import Scanner

_BEFORE = r"(?<![\w])"
_AFTER = r"(?![\w])"


def _compile(patterns: Iterable[str], *, literal: bool = False) -> re.Pattern[str]:
    parts = [phrase_regex(p) if literal else re.sub(r" ", r"\\s+", p) for p in patterns]
    parts.sort(key=len, reverse=True)
    return re.compile(f"{_BEFORE}(?:{'|'.join(parts)}){_AFTER}", re.IGNORECASE | re.MULTILINE)


def _compile_values(table: dict[str, list[str]], *, literal: bool = False) -> list[tuple[str, re.Pattern[str]]]:
    """One pattern per value: measured faster in CPython's re than one alternation with a named
    group per alternative."""
    return [(value, _compile(phrases, literal=literal)) for value, phrases in table.items()]


@dataclasses.dataclass(frozen=True, slots=True)
class CueTables:
    # (kind, value, pattern) triples; overlaps are resolved within a kind.
    patterns: tuple[tuple[str, str, re.Pattern[str]], ...]
    language_contexts: tuple[re.Pattern[str], ...]
    language_names: re.Pattern[str]
    language_codes: dict[str, tuple[str, ...]]  # casefolded name (language or country) -> codes
    lengths: tuple[tuple[str, re.Pattern[str]], ...]
    scanner: Scanner  # patterns, then language_contexts, then lengths: each pattern tried only where its words occur


@cache
def tables(language: str = "en") -> CueTables:
    events = lexicon.load("events", language)
    methods = lexicon.load("methods", language)["methods"]
    targets = lexicon.load("targets", language)["targets"]
    claims = lexicon.load("claims", language)
    propaganda = lexicon.load("propaganda", language)
    outlets = lexicon.load("outlets")["outlets"]
    anaphora = lexicon.load("actors")["anaphora"].get(language, [])

    patterns: list[tuple[str, str, re.Pattern[str]]] = []

    def by_value(kind: str, table: dict[str, list[str]], literal: bool = False) -> None:
        patterns.extend((kind, value, pattern) for value, pattern in _compile_values(table, literal=literal))

    by_value("event_type", events["triggers"])
    for kind in ("intent", "hedges", "captions", "recency", "reporting"):
        patterns.append((kind.rstrip("s") if kind in ("hedges", "captions") else kind, kind, _compile(events[kind])))
    patterns.append(("aggregate", "strong", _compile(events["aggregates"]["strong"])))
    patterns.append(("aggregate_weak", "weak", _compile(events["aggregates"]["weak"])))
    patterns.append(("plural", "plural", _compile(events["aggregates"]["plural"])))
    by_value("reference", events["references"])
    by_value("method", methods)
    by_value("target", targets)
    patterns.append(("claim", "claim", _compile(claims["claim"])))
    patterns.append(("no_claim", "no_claim", _compile(claims["no_claim"])))
    by_value("medium", propaganda["media"])
    by_value("outlet", {outlet: entry["aliases"] for outlet, entry in outlets.items()}, literal=True)
    if anaphora:
        patterns.append(("group_ref", "group", _compile(anaphora, literal=True)))

    codes: dict[str, tuple[str, ...]] = {}
    for code, names in propaganda["languages"].items():
        for name in names:
            codes[name.casefold()] = (code,)
    lang_names = sorted(codes, key=len, reverse=True)
    countries = propaganda["national_languages"]
    for country, code in countries.items():
        codes[country.casefold()] = tuple(code) if isinstance(code, list) else (code,)
    lang = "(?:" + "|".join(re.escape(n) for n in lang_names) + ")"
    country = "(?:" + "|".join(re.escape(c) for c in sorted(countries, key=len, reverse=True)) + ")"
    joiner = r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+)"
    contexts = []
    for context in propaganda["contexts"]:
        regex = (
            re.sub(r" ", r"\\s+", context)
            .replace("LIST", f"{lang}(?:{joiner}{lang})*")
            .replace("COUNTRIES", f"{country}(?:{joiner}{country})*")
            .replace("LANG", lang)
        )
        contexts.append(re.compile(f"{_BEFORE}{regex}", re.IGNORECASE))
    names = re.compile(f"{_BEFORE}(?:{lang}|{country}){_AFTER}", re.IGNORECASE)
    lengths = tuple(
        (unit, re.compile(f"{_BEFORE}(?:{'|'.join(p)})", re.IGNORECASE)) for unit, p in propaganda["length"].items()
    )
    scanner = Scanner([p for _, _, p in patterns] + contexts + [p for _, p in lengths])
    return CueTables(tuple(patterns), tuple(contexts), names, codes, lengths, scanner)


def _longest_per_kind(found: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    by_kind: dict[str, list[tuple[int, int, str, str]]] = {}
    for item in found:
        by_kind.setdefault(item[2], []).append(item)
    kept: list[tuple[int, int, str, str]] = []
    for items in by_kind.values():
        items.sort(key=lambda m: (m[0], -(m[1] - m[0])))
        last_end = -1
        for item in items:
            if item[0] >= last_end:
                kept.append(item)
                last_end = item[1]
    return kept


def find_cues(text: str, sentences: tuple[Sentence, ...], language: str = "en") -> tuple[Cue, ...]:
    if not sentences:
        return ()
    t = tables(language)
    found: list[tuple[int, int, str, str]] = []
    matches = iter(t.scanner.finditer_all(text))
    for (kind, value, _), pattern_matches in zip(t.patterns, matches):
        found.extend((m.start(), m.end(), kind, value) for m in pattern_matches)
    for _, context_matches in zip(t.language_contexts, matches):
        for match in context_matches:
            for name in t.language_names.finditer(text, match.start(), match.end()):
                for code in t.language_codes.get(name.group(0).casefold(), ()):
                    found.append((name.start(), name.end(), f"language:{code}", code))
    for (unit, _), length_matches in zip(t.lengths, matches):
        for match in length_matches:
            number = next(g for g in match.groups() if g is not None)
            found.append((match.start(), match.end(), "length", f"{unit}:{int(number)}"))
    cues = []
    locate = SentenceLocator(sentences)
    for start, end, kind, value in sorted(_longest_per_kind(found)):
        kind = "language" if kind.startswith("language:") else kind
        cues.append(Cue(start, end, text[start:end], locate(start), kind, value))
    return tuple(cues)


@stage("cues.v1", requires=("sentences",), assigns=("cues",))
def cues(doc: PipelineDoc, ctx: Context) -> PipelineDoc:
    """Find event-type triggers, method, target, claim, medium, outlet, language and length cues."""
    if multilingual.handles(doc.language):
        return dataclasses.replace(doc, cues=multilingual.find_cues(doc.sentences or (), doc.language))
    return dataclasses.replace(doc, cues=find_cues(doc.text, doc.sentences or (), doc.language or "en"))
