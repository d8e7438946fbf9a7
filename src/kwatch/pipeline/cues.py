"""cues.v2: lexicon matches that say something about an event.

Each cue has a `kind` and a `value`:

    event_type   attack | plot | arrest | raid | propaganda       (lexicons/<lang>/events.yaml)
    intent, hedge, aggregate, aggregate_weak, plural, caption,
    reference (value: the event type referred to), plural_reference (several of them: "these
    attacks"), recency, reporting,
    spokesperson ("spokesman", "ویاند", "пресс-служба": a force beside one is the source of a report),
    release      a word that names a media release by itself ("a propaganda release", "إصدار جديد")   (events.yaml)
    method       suicide_bombing | bombing | shooting | ...     (methods.yaml)
    target       religious | government | security | ...       (targets.yaml)
    claim / no_claim                                            (claims.yaml, else events.yaml `claims`)
    medium, language (ISO 639-1), length ('minutes:25')         (propaganda.yaml, else releases/<lang>.yaml)
    outlet       canonical outlet name                          (lexicons/outlets.yaml)
    group_ref    'the group', 'the IS affiliate' ...             (lexicons/actors.yaml, anaphora)
    agent        security: a killing by the security forces    (casualties.yaml security_agents
                 beside a killed word, by casualties.security_kills);
                 group: a killing of the group's men named as such ("3 Daesh commanders
                 killed", by casualties.group_kills)

Within one kind, overlapping matches keep the longest ("foiled attack" over "attack").
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from kwatch import lexicon
from kwatch.pipeline import Context, stage
from kwatch.pipeline.actors import SentenceLocator, phrase_regex
from kwatch.pipeline.casualties import group_kills, security_kills
from kwatch.pipeline.model import Cue, PipelineDoc, Sentence
from kwatch.pipeline.scan import Scanner
from kwatch.pipeline.words import literal_alternation

_BEFORE = r"(?<![^\W\d_])"  # a letter may not touch the phrase; a digit may ("3دھماکے", typed without a space)
_AFTER = r"(?![\w])"


#: A stem phrase word that stands for a gap of up to this many words ("عملیات … علیه", an operation … against).
GAP = "…"
GAP_WORDS = 3


def _stem_phrase(phrase: str) -> str:
    """A stem phrase as a regex: its words in order, the last one (and each one before a gap `…`)
    taking any ending."""
    pieces = []
    for i, chunk in enumerate(" ".join(phrase.split()).split(f" {GAP} ")):
        if i:
            pieces.append(rf"[^\W\d_]*(?:\s+[^\s.,،;؛:]+){{0,{GAP_WORDS}}}?\s+")
        pieces.append(re.escape(chunk).replace(r"\ ", r"\s+"))
    return "".join(pieces) + r"[^\W\d_]*"


def compile_phrases(patterns: Iterable[str], *, literal: bool = False, stems: bool = False, clitic: str = "") -> re.Pattern[str]:
    """One pattern for a list of phrases: regexes (a space stands for any run of spaces), or
    literal phrases, or word-initial stems that take any ending (`match: stems`; a `…` between two
    words of a stem phrase is a gap of up to `GAP_WORDS` words)."""
    if stems:
        parts = [_stem_phrase(p) for p in patterns]
    else:
        parts = [phrase_regex(p) if literal else re.sub(r" ", r"\\s+", p) for p in patterns]
    parts.sort(key=len, reverse=True)
    # A clitic ("و", "ب" in Arabic) may stand glued before a stem.
    prefix = clitic if stems else ""
    return re.compile(f"{_BEFORE}{prefix}(?:{'|'.join(parts)}){_AFTER}", re.IGNORECASE | re.MULTILINE)


def _compile_values(
    table: dict[str, list[str]], *, literal: bool = False, stems: bool = False, clitic: str = ""
) -> list[tuple[str, re.Pattern[str]]]:
    """One pattern per value: measured faster in CPython's re than one alternation with a named
    group per alternative."""
    return [(value, compile_phrases(phrases, literal=literal, stems=stems, clitic=clitic)) for value, phrases in table.items() if phrases]


@dataclasses.dataclass(frozen=True, slots=True)
class CueTables:
    # (kind, value, pattern) triples; overlaps are resolved within a kind.
    patterns: tuple[tuple[str, str, re.Pattern[str]], ...]
    language_contexts: tuple[re.Pattern[str], ...]
    language_names: re.Pattern[str] | None
    language_codes: dict[str, tuple[str, ...]]  # casefolded name (language or country) -> codes
    lengths: tuple[tuple[str, re.Pattern[str]], ...]
    scanner: Scanner  # patterns, then language_contexts, then lengths: each pattern tried only where its words occur


def _table(language: str, name: str, key: str, events: dict[str, Any], lexicons: lexicon.SearchPath) -> dict[str, list[str]]:
    """A value table (methods, targets, claims): its own lexicon file when the language has one,
    else the same key in its events.yaml."""
    if language in lexicon.available(name):
        table: dict[str, list[str]] = lexicon.load(name, language, path=lexicons)[key] if key != "claims" else {
            k: v for k, v in lexicon.load(name, language, path=lexicons).items()
        }
        return table
    return dict(events.get(key) or {})


def phrase_options(language: str, lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> tuple[bool, str]:
    """How the phrases of a language's lexicons are matched, as its events.yaml says: as stems
    (`match: stems`), and with which clitics before them (a regex, '' for none). Every stage that
    compiles phrase lists (cues, reading, attribution) reads them from here."""
    events = lexicon.load("events", language, path=lexicons) if language in lexicon.available("events") else {}
    clitic = f"(?:{literal_alternation(events['clitics'])})?" if events.get("clitics") else ""
    return events.get("match") == "stems", clitic


@cache
def tables(language: str = "en", lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> CueTables:
    """The cue patterns of one language, with the user files of `lexicons` merged over each
    lexicon (cached per search path)."""
    events = lexicon.load("events", language, path=lexicons)
    stems, clitic = phrase_options(language, lexicons)
    methods = _table(language, "methods", "methods", events, lexicons)
    targets = _table(language, "targets", "targets", events, lexicons)
    claims = _table(language, "claims", "claims", events, lexicons)
    propaganda, regex_media = _release_words(language, lexicons)
    outlets = lexicon.load("outlets", path=lexicons)["outlets"]
    anaphora = lexicon.load("actors", path=lexicons)["anaphora"].get(language, [])

    patterns: list[tuple[str, str, re.Pattern[str]]] = []

    def by_value(kind: str, table: dict[str, list[str]], literal: bool = False, regex: bool = False) -> None:
        as_stems = stems and not literal and not regex
        patterns.extend((kind, value, pattern) for value, pattern in _compile_values(table, literal=literal, stems=as_stems, clitic=clitic))

    def one(kind: str, value: str, phrases: list[str] | None) -> None:
        if phrases:
            patterns.append((kind, value, compile_phrases(phrases, stems=stems, clitic=clitic)))

    by_value("event_type", events["triggers"])
    for key, kind in (("intent", "intent"), ("hedges", "hedge"), ("captions", "caption"), ("recency", "recency"), ("reporting", "reporting"),
                      ("spokespeople", "spokesperson"), ("release_nouns", "release")):
        one(kind, key, events.get(key))
    aggregates = events.get("aggregates") or {}
    one("aggregate", "strong", aggregates.get("strong"))
    one("aggregate_weak", "weak", aggregates.get("weak"))
    one("plural", "plural", aggregates.get("plural"))
    by_value("reference", events.get("references") or {})
    by_value("plural_reference", events.get("plural_references") or {})
    by_value("method", methods)
    by_value("target", targets)
    one("claim", "claim", claims.get("claim"))
    one("no_claim", "no_claim", claims.get("no_claim"))
    by_value("medium", propaganda.get("media") or {}, regex=regex_media)
    by_value("outlet", {outlet: entry["aliases"] for outlet, entry in outlets.items()}, literal=True)
    if anaphora:
        patterns.append(("group_ref", "group", compile_phrases(anaphora, literal=True)))

    codes: dict[str, tuple[str, ...]] = {}
    for code, spoken in (propaganda.get("languages") or {}).items():
        for name in spoken:
            codes[name.casefold()] = (code,)
    lang_names = sorted(codes, key=len, reverse=True)
    countries = propaganda.get("national_languages") or {}
    for country, code in countries.items():
        codes[country.casefold()] = tuple(code) if isinstance(code, list) else (code,)
    contexts = []
    names: re.Pattern[str] | None = None
    if lang_names:
        lang = "(?:" + "|".join(re.escape(n) for n in lang_names) + ")"
        country = "(?:" + "|".join(re.escape(c) for c in sorted(countries, key=len, reverse=True)) + ")" if countries else "(?!)"
        joiner = "(?:" + "|".join(propaganda.get("list_joiners") or [","]) + ")"
        for context in propaganda.get("contexts") or ():
            regex = (
                re.sub(r" ", r"\\s+", context)
                .replace("LIST", f"{lang}(?:{joiner}{lang})*")
                .replace("COUNTRIES", f"{country}(?:{joiner}{country})*")
                .replace("LANG", lang)
            )
            contexts.append(re.compile(f"{_BEFORE}{regex}", re.IGNORECASE))
        names = re.compile(f"{_BEFORE}(?:{lang}|{country}){_AFTER}", re.IGNORECASE)
    lengths = tuple(
        (unit, re.compile(f"{_BEFORE}(?:{'|'.join(p)})", re.IGNORECASE)) for unit, p in (propaganda.get("length") or {}).items()
    )
    scanner = Scanner([p for _, _, p in patterns] + contexts + [p for _, p in lengths])
    return CueTables(tuple(patterns), tuple(contexts), names, codes, lengths, scanner)


def _release_words(language: str, lexicons: lexicon.SearchPath) -> tuple[dict[str, Any], bool]:
    """The language's release vocabulary in the shape of propaganda.yaml, and whether its medium
    words are regular expressions: its own propaganda.yaml, else the words releases.v2 reads
    (`releases/<lang>.yaml`: media, length, language names and contexts), so one table serves
    both stages."""
    if language in lexicon.available("propaganda"):
        return lexicon.load("propaganda", language, path=lexicons), False
    if language not in lexicon.folder_names("releases"):
        return {}, False
    table = lexicon.load_file(f"releases/{language}.yaml", lexicons).data
    spoken = (table.get("languages") or {})
    return {
        "media": table.get("media") or {},
        "length": table.get("length") or {},
        "languages": spoken.get("names") or {},
        "contexts": spoken.get("contexts") or [],
    }, True


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


def find_cues(text: str, sentences: tuple[Sentence, ...], language: str = "en", *,
              lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> tuple[Cue, ...]:
    if not sentences:
        return ()
    t = tables(language, lexicons)
    found: list[tuple[int, int, str, str]] = []
    # The scanner's patterns: the cue patterns, then the language contexts, then the lengths; only
    # those with a match are looked at (most of a language's hundreds find nothing in one text).
    contexts_from = len(t.patterns)
    lengths_from = contexts_from + len(t.language_contexts)
    for index, matches in t.scanner.found(text):
        if index < contexts_from:
            kind, value, _ = t.patterns[index]
            found.extend((m.start(), m.end(), kind, value) for m in matches)
        elif index < lengths_from:
            for match in matches:
                for name in t.language_names.finditer(text, match.start(), match.end()) if t.language_names else ():
                    for code in t.language_codes.get(name.group(0).casefold(), ()):
                        found.append((name.start(), name.end(), f"language:{code}", code))
        else:
            unit, _ = t.lengths[index - lengths_from]
            for match in matches:
                number = next(g for g in match.groups() if g is not None)
                found.append((match.start(), match.end(), "length", f"{unit}:{int(number)}"))
    for sentence in sentences:
        for start, end, _, _ in security_kills(sentence.text, language, lexicons=lexicons):
            found.append((sentence.start + start, sentence.start + end, "agent", "security"))
        for start, end, _, _ in group_kills(sentence, language, lexicons=lexicons):
            found.append((sentence.start + start, sentence.start + end, "agent", "group"))
    cues = []
    locate = SentenceLocator(sentences)
    for start, end, kind, value in sorted(_longest_per_kind(found)):
        kind = "language" if kind.startswith("language:") else kind
        cues.append(Cue(start, end, text[start:end], locate(start), kind, value))
    return tuple(cues)


@stage("cues.v2", requires=("sentences",), assigns=("cues",))
def cues(doc: PipelineDoc, ctx: Context) -> PipelineDoc:
    """Find event-type triggers, method, target, claim, medium, outlet, language and length cues
    (the user's lexicon folders merged over each lexicon)."""
    found = find_cues(doc.text, doc.sentences or (), doc.language or "en", lexicons=lexicon.in_options(ctx.options))
    return doc.but(cues=found)
