"""casualties.v2: killed and injured figures, with category, qualifier and whether the group claimed them.

Per sentence: find the casualty verbs of `lexicons/<lang>/casualties.yaml`; an active verb takes
the victims after it ("killing seven worshippers"), a passive one the victims before it ("seven
people were killed"). Victims are a list of groups joined by "and", commas, "along with": a
quantity with its description ("13 US soldiers") or one person ("his driver", "him", a named
person). Groups after "including" are part of a figure already given and are not repeated.
Sentences that report aggregates over many incidents ("in 73 incidents since August 2021") give
no figures. Figures after a claim by the group ("IS-KP claimed that … killed 50") are claimed.

Two readers, one stage. What selects one is the language's `casualties.yaml`, never its name:
with `figure_position` (fa, ps, ar, ru, tg, uz, ur, ky) the proximity reader below takes the
nearest number on that side of a killed/injured stem; without it the verb-phrase reader above reads
active and passive verb phrases with their lists of victims (en). They stay two because the
verb-phrase reader needs what only English's lexicon gives (auxiliaries, determiners, pronouns,
connectors: a grammar of the noun phrase), and in English the verb's voice, not a fixed
`figure_position`, says on which side the victims stand; the proximity reader is what a language
can be given from a few dozen words. The rules that need no such grammar are read by both, so each
works in any language that gives its words: killings by the security forces (`security_agents`,
`security_kills`), victims' `categories` and `attackers`, `claim_markers`, and qualifiers after
the number (`qualifier_postpositions`). Number words: the verb-phrase reader embeds
`numbers.quantity_regex` (English's units, tens, scales, "a dozen"); the proximity reader reads
`words`, `scales` and `joiners` with `numbers.combine` (which also knows `units_first`).
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from kwatch import lexicon
from kwatch.pipeline import Context, memo, stage
from kwatch.pipeline.actors import matcher
from kwatch.pipeline.model import CasualtyMention, DateMention, PipelineDoc, Sentence
from kwatch.pipeline.numbers import combine, quantity_regex, read_quantity
from kwatch.pipeline.scan import Scanner, first_words
from kwatch.pipeline.words import WORD_END, WORD_START, fold, literal_alternation

#: How far before a passive verb the victims may start (characters): keeps the backward search short.
_LOOKBACK = 220


def _alternation(phrases: Iterable[str]) -> str:
    ordered = sorted(set(phrases), key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(word) for word in phrase.split()) for phrase in ordered)


def _norm(phrase: str) -> str:
    return " ".join(phrase.lower().split())


@dataclass(frozen=True, slots=True)
class _Anchor:
    kind: str  # 'killed' | 'injured' | 'ambiguous'
    active: bool
    passive: bool


@dataclass(frozen=True, slots=True)
class _Patterns:
    language: str
    lexicons: lexicon.SearchPath
    anchors: dict[str, _Anchor]
    anchor_re: re.Pattern[str]
    anchor_cue: re.Pattern[str]
    list_after: re.Pattern[str]
    list_before: re.Pattern[str]
    continuation: re.Pattern[str]
    item_re: re.Pattern[str]
    quantity_re: re.Pattern[str]
    singular_verb: re.Pattern[str]  # "Ahmadi was killed": a lone named person needs one
    zero_re: re.Pattern[str]
    trailing_aux: re.Pattern[str]
    leading_aux_passive: re.Pattern[str]
    trailing_aside: re.Pattern[str]
    categories: dict[str, str]
    category_re: re.Pattern[str]
    claim_re: re.Pattern[str]
    aggregate_re: re.Pattern[str]
    months: str
    scanner: Scanner  # anchor_cue, anchor_re, aggregate_re and claim_re, tried only where their words occur
    apposition: re.Pattern[str]  # ", the Daesh commander" after one victim: who the victim is
    day_of: re.Pattern[str]  # a month name right before a number: the number is its day


@cache
def _patterns(language: str, lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> _Patterns:
    data = lexicon.load("casualties", language, path=lexicons)
    anchors: dict[str, _Anchor] = {}
    for kind in ("killed", "injured"):
        for role in ("active", "passive"):
            for phrase in data[kind][role]:
                key = _norm(phrase)
                old = anchors.get(key, _Anchor(kind, False, False))
                anchors[key] = dataclasses.replace(old, active=True) if role == "active" else dataclasses.replace(old, passive=True)
    for phrase in data["ambiguous"]:
        anchors[_norm(phrase)] = _Anchor("ambiguous", True, True)
    anchor_alt = _alternation(anchors)
    # A verb (or the first word of a verb phrase) ends a description; "of" in "claimed the
    # lives of" must not.
    anchor_words = {phrase.split()[0] for phrase in anchors}

    quantity = quantity_regex(language, lexicons=lexicons)
    stops = _alternation(set(data["description_stops"]) | anchor_words | set(data["auxiliaries"]))
    # A description word: not a stop, not the start of another quantity, not a participle
    # ("a civilian accusing him"), no sentence-final period.
    endings = data.get("participle_endings") or ()
    participle = rf"(?![\w'’-]*(?:{_alternation(endings)})\b)" if endings else ""
    word = rf"(?!(?:{stops})\b)(?!{quantity}){participle}[A-Za-z](?:[\w'’-]|\.(?=\w))*"
    described = rf"{quantity}(?:\s+{word}){{1,6}}"
    bare = rf"{quantity}"
    person_noun = _alternation(data["singular_persons"])
    determiner = _alternation(data["person_determiners"])
    indefinite = _alternation(data["indefinite_determiners"])
    # "his driver" needs a person noun; "a colonel", "an American volunteer" take any description.
    named_person = rf"\b(?:{determiner}|{indefinite})\s+(?:[\w'’-]+\s+){{0,3}}?(?:{person_noun})\b(?!['’]s)"
    some_one = rf"\b(?:{indefinite})\s+{word}(?:\s+{word}){{0,3}}"
    one_person = rf"(?:{named_person}|{some_one})"
    pronoun_object = rf"\b(?:{_alternation(data['person_pronouns_object'])})\b"
    pronoun_subject = rf"\b(?:{_alternation(data['person_pronouns_subject'])})\b"
    # A named person, case-sensitive inside the case-blind pattern.
    proper = r"(?-i:\b[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’-]*){0,4})"
    connector_alt = _alternation(c for c in data["connectors"] if c != ",")
    and_join = rf"(?:\s*,?\s+(?:{connector_alt})\s+)"
    any_join = rf"(?:\s*,\s*(?:(?:{connector_alt})\s+)?|{and_join})"
    # Bare numbers join only with "and" ("14, 2023, seven people" is a date then a count); a
    # quantity is tried before an indefinite person so "a dozen" is 12.
    # "a colonel" (any noun) joins only with "and": after a comma it is too often a place.
    grouped_after = rf"(?:(?:{described}|{pronoun_object}|{named_person}){any_join}|(?:{bare}|{some_one}){and_join})"
    last_after = rf"(?:{described}|{bare}|{pronoun_object}|{one_person})"
    grouped_before = (
        rf"(?:(?:{described}|{pronoun_subject}|{named_person}|{proper}){any_join}|(?:{bare}|{some_one}){and_join})"
    )
    last_before = rf"(?:{described}|{bare}|{pronoun_subject}|{one_person})"
    auxiliaries = _alternation(data["auxiliaries"])
    item = rf"(?:{described}|{bare}|{pronoun_object}|{pronoun_subject}|{one_person}|{proper})"

    continuation = _alternation(c for c in data["connectors"] if c.strip(", ") not in ("", "and"))
    categories = {_norm(noun): category for category, nouns in data["categories"].items() for noun in nouns}
    # The proximity reader's list of attacker words, where a language gives one, is a category too.
    categories.update({_norm(noun): "attackers" for noun in data.get("attackers") or () if _norm(noun) not in categories})
    subset = _alternation(data["subset_markers"])

    claimants = _alternation(data["claimants"])
    claim_verbs = _alternation(data["claim_verbs"])
    claim_openers = _alternation(data["claim_openers"])
    saying = _alternation(data["claim_responsibility_saying"])
    saying_verbs = _alternation(data["saying_verbs"])
    articles = _alternation(data["definite_articles"])
    claim = (
        rf"(?-i:\b(?:{claimants}))(?:['’]s)?(?:\s+[\w-]+){{0,3}}?\s+(?:{claim_verbs})\b"
        rf"|\b(?:{claim_openers})\s+(?:(?:{articles})\s+)?(?-i:(?:{claimants}))\b"
        rf"|\b(?:{saying})\b[^.;]*?\b(?:{saying_verbs})\b"
    )
    if data.get("claim_markers"):  # the proximity reader's claim words, where a language gives them
        claim += rf"|{WORD_START}(?:{literal_alternation(data['claim_markers'])})"

    months = _alternation(lexicon.load("dates", language, path=lexicons)["months"])
    aggregate = "|".join(
        "(?:" + p.replace("{number}", quantity).replace("{month}", f"(?:{months})") + ")"
        for p in data["aggregate_patterns"]
    )
    anchor_re = re.compile(rf"\b(?:{anchor_alt})\b", re.I)
    # The longest word of every verb phrase: a quick test before the full alternation.
    anchor_cue = re.compile(_alternation({max(p.split(), key=len) for p in anchors}), re.I)
    claim_re = re.compile(claim, re.I)
    aggregate_re = re.compile(aggregate, re.I)
    return _Patterns(
        language=language,
        lexicons=lexicons,
        anchors=anchors,
        anchor_re=anchor_re,
        anchor_cue=anchor_cue,
        list_after=re.compile(rf"\s*[\"“‘']?(?:{grouped_after})*{last_after}", re.I),
        continuation=re.compile(rf"\s*,?\s*(?:{continuation})\s+(?:{grouped_after})*{last_after}", re.I),
        list_before=re.compile(rf"(?:{grouped_before})*(?:{last_before}|{proper})$", re.I),
        item_re=re.compile(item, re.I),
        quantity_re=re.compile(quantity, re.I),
        singular_verb=re.compile(rf"\b(?:{_alternation(data['singular_auxiliaries'])})\b", re.I),
        zero_re=re.compile(rf"(?:{_alternation(data['zero'])})", re.I),
        trailing_aux=re.compile(rf"(?:\s+(?:{auxiliaries})\b)*\s*$", re.I),
        leading_aux_passive=re.compile(rf"(?:\s+(?:{auxiliaries})\b)*\s+(?:{anchor_alt})\b", re.I),
        trailing_aside=re.compile(rf"\s*(?:,?\s*\b(?:{subset})\b[^,;]*,?|\([^()]*\)|\[[^\[\]]*\])\s*$", re.I),
        categories=categories,
        category_re=re.compile(rf"\b(?:{_alternation(categories)})\b", re.I),
        claim_re=claim_re,
        aggregate_re=aggregate_re,
        months=months,
        scanner=Scanner((anchor_cue, anchor_re, aggregate_re, claim_re)),
        apposition=re.compile(rf"\s*,\s*((?:{articles}|{indefinite})\s[^,;.()]*)", re.I),
        day_of=re.compile(rf"\b(?:{months})\s+$", re.I),
    )


def _category(description: str, patterns: _Patterns) -> str | None:
    found = [m.group(0) for m in patterns.category_re.finditer(description)]
    if not found:
        return None
    return patterns.categories[_norm(max(found, key=len))]


def _read_item(
    text: str, start: int, sentence: Sentence, kind: str, claimed: bool, patterns: _Patterns, *, lead: str = ""
) -> CasualtyMention | None:
    """One victim group (`text` at document offset `start`) as a mention; `lead` is verb text
    kept in front of it ("death toll rose to ")."""
    quantity = patterns.quantity_re.match(text)
    if quantity:
        figure = read_quantity(quantity.group(0), start, patterns.language, lexicons=patterns.lexicons)
        description = text[quantity.end() :]
        if figure.value is not None and 1900 <= figure.value <= 2100 and not description.strip():
            return None  # a year, not a count
        value, qualifier = figure.value, figure.qualifier
    else:
        description = text
        value, qualifier = 1, "exact"
    return CasualtyMention(
        start=start - len(lead),
        end=start + len(text),
        text=lead + text,
        sentence=sentence.index,
        kind=kind,
        value=value,
        qualifier=qualifier,
        category=_category(description, patterns),
        claimed=claimed,
    )


def _items(list_text: str, offset: int, patterns: _Patterns) -> list[tuple[int, int]]:
    """Spans (document offsets) of the victim groups inside a matched list."""
    return [(offset + m.start(), offset + m.end()) for m in patterns.item_re.finditer(list_text)]


def sentence_casualties(sentence: Sentence, language: str = "en", *, lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> list[CasualtyMention]:
    """The casualty figures one sentence reports, left to right (`lexicons`: the user lexicon
    folders merged over casualties.yaml, numbers.yaml and dates.yaml)."""
    return [mention for mention, _ in _phrase_figures(sentence, language, lexicons)]


@lru_cache(maxsize=2048)  # casualties.v2 and cues.v2 (`group_kills`) read each sentence
def _phrase_figures(sentence: Sentence, language: str, lexicons: lexicon.SearchPath) -> tuple[tuple[CasualtyMention, tuple[int, int] | None], ...]:
    """The verb-phrase reader's figures of one sentence, each with the span (sentence offsets) of
    its killed word when its victims are named as the group's men ("three Daesh commanders")."""
    return tuple(_read_phrase_figures(sentence, language, lexicons))


memo.per_document(_phrase_figures.cache_clear)


def _read_phrase_figures(sentence: Sentence, language: str, lexicons: lexicon.SearchPath) -> list[tuple[CasualtyMention, tuple[int, int] | None]]:
    patterns = _patterns(language, lexicons)
    text = sentence.text
    scan = patterns.scanner.scan(text)
    if not scan.search(patterns.anchor_cue):
        return []
    anchors = scan.finditer(patterns.anchor_re)
    if not anchors or scan.search(patterns.aggregate_re):
        return []
    claim_starts = [m.end() for m in scan.finditer(patterns.claim_re)]
    claim_from = min(claim_starts) if claim_starts else len(text) + 1
    consumed_until = 0  # groups before this offset already belong to an earlier verb
    kills = security_kills(text, patterns.language, lexicons=patterns.lexicons)
    by_forces: set[int] = set()  # start of each group killed by the security forces
    verbs: dict[int, tuple[int, int]] = {}  # start of each group -> span of its verb
    found: list[tuple[int, int, str, int | None]] = []
    for anchor_match in anchors:
        anchor = patterns.anchors[_norm(anchor_match.group(0))]
        spans: list[tuple[int, int]] = []
        if anchor.active:
            after = patterns.list_after.match(text, anchor_match.end())
            if after:
                spans = _items(after.group(0), after.start(), patterns)
                # A last group followed by a passive verb is the subject of the next clause.
                if spans and patterns.leading_aux_passive.match(text, spans[-1][1]):
                    spans = spans[:-1]
        if not spans and anchor.passive:
            window_start = max(consumed_until, anchor_match.start() - _LOOKBACK)
            before = text[window_start : anchor_match.start()]
            aux = patterns.trailing_aux.search(before)
            before = before[: aux.start()] if aux else before
            aside = patterns.trailing_aside.search(before)
            while aside and aside.start() < len(before):
                before = before[: aside.start()]
                aside = patterns.trailing_aside.search(before)
            victims = patterns.list_before.search(before)
            if victims:
                spans = _items(victims.group(0), window_start + victims.start(), patterns)
                more = patterns.continuation.match(text, anchor_match.end())
                if more:  # "… were killed, along with 11 Taliban"
                    extra = _items(more.group(0), more.start(), patterns)
                    if extra and patterns.leading_aux_passive.match(text, extra[-1][1]):
                        extra = extra[:-1]
                    spans += extra
                # A lone named person counts only with a singular verb ("Ahmadi was killed").
                if len(spans) == 1 and not patterns.quantity_re.match(text, spans[0][0]):
                    head = text[spans[0][0] : spans[0][1]]
                    verb_zone = text[spans[0][1] : anchor_match.start()].lower()
                    if head[:1].isupper() and not patterns.singular_verb.search(verb_zone) and not patterns.item_re.fullmatch(head.lower()):
                        spans = []
        if spans:
            consumed_until = max(consumed_until, spans[-1][1], anchor_match.end())
        if anchor.kind == "ambiguous":
            # "no casualties": nobody killed and nobody injured; any other figure is neither.
            if spans and all(patterns.zero_re.fullmatch(text[s:e]) for s, e in spans):
                found.extend((s, e, kind, None) for s, e in spans for kind in ("killed", "injured"))
            continue
        # "death toll rose to 145": a running total; the phrase stays in the mention for total().
        lead_start = anchor_match.start() if _RUNNING_TOTAL_WORDS(lexicons).search(anchor_match.group(0)) else None
        found.extend((s, e, anchor.kind, lead_start if i == 0 else None) for i, (s, e) in enumerate(spans))
        verbs.update({s: anchor_match.span() for s, _ in spans})
        if anchor.kind == "killed" and _by_forces(anchor_match.start(), anchor_match.end(), kills):
            by_forces.update(s for s, _ in spans)
    mentions: list[tuple[CasualtyMention, tuple[int, int] | None]] = []
    for start, end, kind, lead_start in found:
        if patterns.quantity_re.fullmatch(text, start, end) and patterns.day_of.search(text, 0, start):
            continue  # "on November 19 killed Khalil": the day of a date, not a count
        lead = text[lead_start:start] if lead_start is not None else ""
        mention = _read_item(
            text[start:end], sentence.start + start, sentence, kind, start >= claim_from, patterns, lead=lead
        )
        if mention is None:
            continue
        if start in by_forces and mention.category is None:
            mention = dataclasses.replace(mention, category="attackers")  # killed by the security forces
        # The group's bare name is no victims' description ("… executed by ISIS, and another man …").
        bare = any(s == 0 and e == len(text[start:end].rstrip()) for s, e, _ in matcher(lexicons).find(text[start:end]))
        group = kind == "killed" and not bare and names_the_group(text[start:end], language, lexicons=lexicons)
        anaphora = _group_names(language, lexicons)
        if kind == "killed" and not group and anaphora is not None:
            # "five members of the group": the description runs on into a reference to the group.
            group = anaphora.match(text, end + len(text[end:]) - len(text[end:].lstrip())) is not None
        if kind == "killed" and not group and mention.value == 1:
            # One victim and who they are: "killed Zubair, the operational commander of Daesh".
            apposition = patterns.apposition.match(text, end)
            group = apposition is not None and names_the_group(apposition.group(1), language, lexicons=lexicons)
        verb = verbs.get(start)
        if group and verb is not None and verb[0] >= end and not text[end:verb[0]].strip() and not patterns.quantity_re.match(text, start):
            # "An ISIS sniper killed …": a subject before its verb, not victims; a headline's
            # victims without an auxiliary are counted ("3 Daesh commanders killed").
            group = False
        if group and mention.category is None:
            mention = dataclasses.replace(mention, category="attackers")  # "three Daesh commanders": the group's men
        mentions.append((mention, verbs.get(start) if group else None))
    return mentions


def find_casualties(sentences: Iterable[Sentence], language: str = "en", *, lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> tuple[CasualtyMention, ...]:
    return tuple(m for s in sentences for m in sentence_casualties(s, language, lexicons=lexicons))


# -- figures by proximity ---------------------------------------------------------------------
# A language whose casualties.yaml gives `figure_position` is read by proximity: the nearest number
# on that side of a killed/injured stem, within `max_words_between` words.


@dataclass(frozen=True, slots=True)
class _CasualtyRules:
    quantity: re.Pattern[str]
    words: dict[str, int]
    scales: dict[str, int]  # words that multiply what stands before them ("سو", "زره", "ہزار")
    units_first: bool  # a unit stands before its ten ("پنځه ويشت", "خمسة وعشرين")
    joiners: frozenset[str]
    qualifiers: dict[str, str]
    post_qualifiers: dict[str, str]  # qualifiers after the number ("50 سے زائد", "30 dan ortiq")
    vague: frozenset[str]
    anchors: re.Pattern[str]
    kinds: dict[str, str]
    directions: tuple[str, ...]  # 'before' and/or 'after': where the figure stands from the verb
    max_words: int
    attackers: re.Pattern[str] | None
    categories: dict[str, str]  # victims' nouns by category, where the language gives `categories`
    category: re.Pattern[str] | None
    claim: re.Pattern[str] | None
    barrier: re.Pattern[str]
    asides: tuple[re.Pattern[str], ...]  # subset asides, blanked before figures are read
    # expected tolls (casualties.yaml `projections`), blanked to a barrier: no figure on either side reaches across
    projections: tuple[re.Pattern[str], ...] = ()
    # The anchors' first words, found in one pass (`Scanner`): a sentence without one has no figure
    # to read. None where a first word could be made by blanking (it holds a space or ';').
    anchor_scanner: Scanner | None = None
    # The anchors and the quantities, read in one pass over the blanked sentence: both open with a
    # look-behind, which `re` tries at every position of the text.
    figure_scanner: Scanner = dataclasses.field(default_factory=lambda: Scanner([]))


@cache
def _casualty_rules(language: str, lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> _CasualtyRules:
    numbers = lexicon.load("numbers", language, path=lexicons)
    data = lexicon.load("casualties", language, path=lexicons)
    words = {fold(k): v for k, v in numbers["words"].items()}
    scales = {fold(k): v for k, v in (numbers.get("scales") or {}).items()}
    joiner_words = frozenset(fold(j) for j in numbers.get("joiners") or ())
    qualifiers = {fold(p): q for q, phrases in numbers["qualifiers"].items() for p in phrases}
    post_qualifiers = {fold(p): q for q, phrases in (numbers.get("qualifier_postpositions") or {}).items() for p in phrases}
    vague = frozenset(fold(v) for v in numbers.get("vague") or ())
    number_words = literal_alternation([*numbers["words"], *scales])
    joiners = numbers.get("joiners") or ()
    # Between two number words: a space, or a joiner ("و", "and") that may be glued to the next word ("وعشرين").
    link = rf"[\s\u200c]+(?:(?:{literal_alternation(joiners)})[\s\u200c]*)?" if joiners else r"[\s\u200c]+"
    scale = rf"(?:[\s\u200c]+(?:{literal_alternation(scales)}){WORD_END})?" if scales else ""
    # A compound number is up to four number words in a row ("двадцать пять", "بیست و پنج", "دو ہزار پانچ سو"),
    # or digits with a scale word after them ("۵ هزار").
    number = rf"(?:\d{{1,5}}{scale}|{WORD_START}(?:{number_words}){WORD_END}(?:{link}(?:{number_words}){WORD_END}){{0,3}})"
    qualifier = rf"(?:{WORD_START}(?:{literal_alternation(qualifiers)})\s+)?" if qualifiers else ""
    post_qualifier = rf"(?:[\s\u200c-]*(?:{literal_alternation(post_qualifiers)}){WORD_END})?" if post_qualifiers else ""
    vague_alt = rf"|{WORD_START}(?:{literal_alternation(vague)}){WORD_END}" if vague else ""
    # Vague amounts first: "ده‌ها" (dozens) must not read as "ده" (ten).
    vague_first = vague_alt[1:] + "|" if vague_alt else ""
    quantity = re.compile(rf"(?<![\d./:-])(?:{vague_first}{qualifier}{number}{post_qualifier})(?![\d./:%])", re.IGNORECASE)
    kinds = {}
    for kind in ("killed", "injured"):
        for stem in data[kind]["stems"]:
            kinds[fold(stem)] = kind
    # A clitic ("و", "ب" in Arabic) may stand glued before a stem; the stem alone says the kind.
    clitic = f"(?:{literal_alternation(data['clitics'])})?" if data.get("clitics") else ""
    anchor_plain = rf"{WORD_START}{clitic}(?:{literal_alternation(kinds)})[^\W\d_]*"
    anchors = re.compile(rf"{WORD_START}{clitic}(?P<stem>(?:{literal_alternation(kinds)})[^\W\d_]*)", re.IGNORECASE)
    attackers = data.get("attackers") or ()
    # The verb-phrase reader's categories, where a language gives them: the nouns right after a figure.
    categories = {fold(noun): category for category, nouns in (data.get("categories") or {}).items() for noun in nouns}
    claims = data.get("claim_markers") or ()
    return _CasualtyRules(
        quantity=quantity,
        words=words,
        scales=scales,
        units_first=bool(numbers.get("units_first")),
        joiners=joiner_words,
        qualifiers=qualifiers,
        post_qualifiers=post_qualifiers,
        vague=vague,
        anchors=anchors,
        kinds=kinds,
        directions=tuple(data["figure_position"]),
        max_words=int(data["max_words_between"]),
        attackers=re.compile(rf"{WORD_START}(?:{literal_alternation(attackers)})", re.I) if attackers else None,
        categories=categories,
        category=re.compile(rf"{WORD_START}(?:{literal_alternation(categories)}){WORD_END}", re.I) if categories else None,
        claim=re.compile(rf"{WORD_START}(?:{literal_alternation(claims)})", re.I) if claims else None,
        barrier=re.compile(r"[,،;؛:()«»\"]|\s[-–—]\s"),
        asides=_asides(data.get("subset_markers") or (), data.get("subset_postpositions") or (), number, anchor_plain),
        projections=tuple(re.compile(p.replace("{number}", f"(?:{qualifier}{number})"), re.I) for p in data.get("projections") or ()),
        anchor_scanner=Scanner([anchors]) if not any(" " in w or ";" in w for w in first_words(anchors) or {" "}) else None,
        figure_scanner=Scanner([anchors, quantity]),
    )


def _asides(markers: Any, postpositions: Any, number: str, anchor: str) -> tuple[re.Pattern[str], ...]:
    # A bracketed aside without a number ("(whose name is not known)") stands outside the clause.
    asides = [re.compile(r"\([^()\d]{0,120}\)")]
    if markers:
        marker = rf"{WORD_START}(?:{literal_alternation(markers)}){WORD_END}"
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
        post = rf"(?:{literal_alternation(postpositions)}){WORD_END}"
        asides.append(re.compile(rf"(?<![\d./:-]){number}(?:\s+[^\s\d,،.;؛]+){{0,3}}?\s+{post}", re.I))
    return tuple(asides)


def _blank(text: str, patterns: tuple[re.Pattern[str], ...]) -> str:
    """`text` with each match of `patterns` replaced by spaces: offsets stay where they were."""
    for pattern in patterns:
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    return text


def _read_quantity(text: str, rules: _CasualtyRules) -> tuple[int | None, str]:
    folded = fold(text)
    qualifier = "exact"
    for phrase, q in sorted(rules.qualifiers.items(), key=lambda kv: -len(kv[0])):
        if folded.startswith(phrase + " "):
            qualifier, folded = q, folded[len(phrase) + 1:]
            break
    for phrase, q in sorted(rules.post_qualifiers.items(), key=lambda kv: -len(kv[0])):
        if folded.endswith(phrase) and folded[: -len(phrase)].rstrip(" -"):
            qualifier, folded = q, folded[: -len(phrase)].rstrip(" -")
            break
    if folded in rules.vague:
        return None, "vague"
    if folded.isdigit():
        return int(folded), qualifier
    return _compound(folded, rules), qualifier


def _compound(folded: str, rules: _CasualtyRules) -> int | None:
    """A number word, or words read as one number by `numbers.combine` (tens and units in the
    language's order, scales that multiply). Words that are not one number: the first one counts."""
    if folded in rules.words:
        return rules.words[folded]
    tokens: list[tuple[int, bool]] = []
    for part in folded.replace("\u200c", " ").split():
        if part in rules.joiners:
            continue
        known = (*rules.words, *rules.scales)
        # A joiner glued to the next number word ("وعشرين") is left off it.
        word = part if part in known else next((part[len(j):] for j in rules.joiners if part.startswith(j) and part[len(j):] in known), part)
        if word.isdigit():
            tokens.append((int(word), False))
        elif word in rules.scales:
            tokens.append((rules.scales[word], True))
        elif word in rules.words:
            tokens.append((rules.words[word], False))
        else:
            return tokens[0][0] if tokens else None
    value = combine(tokens, units_first=rules.units_first)
    return value if value is not None or not tokens else tokens[0][0]


def _kind_of(anchor: str, rules: _CasualtyRules) -> str:
    folded = fold(anchor)
    best = max((stem for stem in rules.kinds if folded.startswith(stem)), key=len)
    return rules.kinds[best]


# -- killings by the security forces -----------------------------------------------------------
# A language's `security_agents` name the security forces as the doers of a killing, with the word
# that marks them so ("by security forces", "توسط نیروهای", "силовиками", "kuchlari tomonidan",
# "فورسز نے"). Such a phrase and a killed word at most `agent_reach` words apart, with no comma or
# bracket, are a killing by the forces: its dead are the group's men (category 'attackers', when
# their description names no other), and cues.v2 gives it as an `agent` cue, which events.v3
# reads as an operation against the group (a raid) unless another attack word stands beside it.

#: How many words may stand between a security agent and the killed word it goes with, unless the
#: language's `agent_reach` says: in a verb-final language the victims and the place stand between
#: ("فورسز نے پشاور میں 5 … ہلاک"), in English the agent follows its verb ("killed by police").
AGENT_REACH = 4
_BARRIER = re.compile(r"[,،;؛:()«»\"]|\s[-–—]\s")


@dataclass(frozen=True, slots=True)
class _AgentRules:
    agents: re.Pattern[str]
    killed: re.Pattern[str]
    reach: int  # words between an agent and its killed word
    scanner: Scanner  # the two patterns, each tried only where its words occur


@cache
def _agent_rules(language: str, lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> _AgentRules | None:
    data = lexicon.load("casualties", language, path=lexicons)
    agents = data.get("security_agents") or ()
    if not agents:
        return None
    killed = data["killed"]
    if killed.get("stems"):
        clitic = f"(?:{literal_alternation(data['clitics'])})?" if data.get("clitics") else ""
        killed_re = rf"{WORD_START}{clitic}(?:{literal_alternation(killed['stems'])})[^\W\d_]*"
    else:
        killed_re = rf"{WORD_START}(?:{literal_alternation([*killed.get('active', ()), *killed.get('passive', ())])}){WORD_END}"
    agents_re = re.compile(rf"{WORD_START}(?:{literal_alternation(agents)})[^\W\d_]*", re.IGNORECASE)
    killed_pattern = re.compile(killed_re, re.IGNORECASE)
    return _AgentRules(agents=agents_re, killed=killed_pattern, reach=int(data.get("agent_reach", AGENT_REACH)),
                       scanner=Scanner([agents_re, killed_pattern]))


def security_kills(text: str, language: str, *, lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> list[tuple[int, int, int, int]]:
    """Killings by the security forces in `text`: (start, end) of the agent and the killed word
    together, then (start, end) of the killed word, left to right."""
    rules = _agent_rules(language, lexicons)
    if rules is None:
        return []
    scan = rules.scanner.scan(text)
    agents = scan.finditer(rules.agents)
    if not agents:
        return []
    found = []
    for killed in scan.finditer(rules.killed):
        for agent in agents:
            if agent.start() < killed.end() and killed.start() < agent.end():
                continue
            gap = text[agent.end():killed.start()] if agent.end() <= killed.start() else text[killed.end():agent.start()]
            if len(gap.split()) <= rules.reach and not _BARRIER.search(gap):
                found.append((min(agent.start(), killed.start()), max(agent.end(), killed.end()), killed.start(), killed.end()))
                break
    return found


def _agent_words(text: str, language: str, lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> int:
    """How many words of `text` are security agents ("by security forces")."""
    rules = _agent_rules(language, lexicons)
    return sum(len(m.group(0).split()) for m in rules.agents.finditer(text)) if rules else 0


def _by_forces(start: int, end: int, kills: list[tuple[int, int, int, int]]) -> bool:
    """The killed word at `start`-`end` is one of a killing by the security forces."""
    return any(k_start < end and start < k_end for _, _, k_start, k_end in kills)


def find_near_casualties(sentences: tuple[Sentence, ...], language: str, dates: tuple[DateMention, ...] = (), *,
                         lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> tuple[CasualtyMention, ...]:
    found: list[CasualtyMention] = []
    for sentence in sentences:
        date_spans = [(d.start - sentence.start, d.end - sentence.start) for d in dates if d.sentence == sentence.index]
        found.extend(mention for mention, _ in _near_figures(sentence, language, tuple(date_spans), lexicons))
    return tuple(found)


#: How many characters after its number the victims' description of a figure is read for the
#: group's name ("۲ عضو داعش", "5 من عناصر داعش"), up to its verb or a comma.
_DESCRIPTION_REACH = 60
#: Where a victims' description ends: a comma or bracket, not quotes («Исламское государство»).
_DESCRIPTION_END = re.compile(r"[,،;؛:()]|\s[-–—]\s")


@lru_cache(maxsize=2048)  # casualties.v2 and cues.v2 (`group_kills`, no date spans) read each sentence
def _near_figures(sentence: Sentence, language: str, date_spans: tuple[tuple[int, int], ...],
                  lexicons: lexicon.SearchPath) -> tuple[tuple[CasualtyMention, tuple[int, int] | None], ...]:
    """The proximity reader's figures of one sentence (none of them inside `date_spans`), each with
    the span (sentence offsets) of its killed word when its victims are named as the group's men
    ("دو عضو داعش کشته شدند")."""
    return tuple(_read_near_figures(sentence, language, date_spans, lexicons))


memo.per_document(_near_figures.cache_clear)


def _read_near_figures(sentence: Sentence, language: str, date_spans: Sequence[tuple[int, int]],
                       lexicons: lexicon.SearchPath) -> list[tuple[CasualtyMention, tuple[int, int] | None]]:
    """`_near_figures`, read."""
    rules = _casualty_rules(language, lexicons)
    found: list[tuple[CasualtyMention, tuple[int, int] | None]] = []
    original = sentence.text
    if rules.anchor_scanner is not None and not rules.anchor_scanner.scan(original).may_match(rules.anchors):
        return found  # blanking only writes spaces and ';': an anchor's first word stands in the original
    text = _blank(original, rules.asides)
    for projection in rules.projections:
        text = projection.sub(lambda m: ";" + " " * (len(m.group(0)) - 1), text)
    scan = rules.figure_scanner.scan(text)
    anchors = scan.finditer(rules.anchors)
    if not anchors:
        return found
    quantities = [q for q in scan.finditer(rules.quantity)
                  if not any(q.start() < e and s < q.end() for s, e in date_spans)]
    claim_at = rules.claim.search(text) if rules.claim else None
    kills = security_kills(text, language, lexicons=lexicons)
    used: set[int] = set()
    for anchor in anchors:
        kind = _kind_of(anchor.group("stem"), rules)
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
            # The agent of the verb ("توسط نیروهای امنیتی") belongs to it: its words are not counted.
            words = len(gap.split()) - _agent_words(gap, language, lexicons)
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
        described = rules.category.match(between.lstrip()) if rules.category and category is None else None
        if described:
            category = rules.categories[fold(described.group(0))]
        if category is None and kind == "killed" and _by_forces(anchor.start(), anchor.end(), kills):
            category = "attackers"  # killed by the security forces: the group's men
        # The victims' description: from the number to its verb, or (the verb first) on to a comma.
        description = text[q.end():anchor.start()] if q.end() <= anchor.start() else text[q.end():q.end() + _DESCRIPTION_REACH]
        description = _DESCRIPTION_END.split(description, maxsplit=1)[0]
        group = kind == "killed" and names_the_group(description, language, lexicons=lexicons)
        if group and category is None:
            category = "attackers"  # "دو عضو داعش": the group's men
        claimed = claim_at is not None and claim_at.start() < span_start
        mention = CasualtyMention(sentence.start + span_start, sentence.start + span_end, original[span_start:span_end],
                                  sentence.index, kind, value, qualifier, category, claimed)
        found.append((mention, anchor.span() if group else None))
    return found


# -- killings of the group's men --------------------------------------------------------------
# Victims named as the group's men ("3 Daesh commanders", "دو عضو داعش", "боевиков ИГ", "members of
# the group"): the first actor their description names is of the Islamic State family (or it
# refers back to the group, `anaphora` of actors.yaml). Such a figure is the group's dead
# (category 'attackers'), and cues.v2 gives its killing as an `agent` cue (value 'group'), which
# events.v3 reads as an operation against the group (a raid) unless an attack word stands beside it.


@cache
def _group_names(language: str, lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> re.Pattern[str] | None:
    """The language's words that refer back to the group (`anaphora` of actors.yaml)."""
    anaphora = lexicon.load("actors", path=lexicons)["anaphora"].get(language) or ()
    return re.compile(rf"{WORD_START}(?:{literal_alternation(anaphora)}){WORD_END}", re.I) if anaphora else None


#: How many words of a victims' description may stand before the group's name in it ("ten
#: militants affiliated with Daesh"; not "one member of tribal groups fighting the Islamic State").
GROUP_REACH = 4


def names_the_group(description: str, language: str, *, lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> bool:
    """The victims' description names them as the group's men: the first actor in it is of the
    Islamic State family ("Daesh commanders", not "Taliban killed by Daesh"), or it refers back to
    the group ("members of the group"), within `GROUP_REACH` words of its start."""
    actors = matcher(lexicons)
    named = actors.find(description)
    if named:
        start, _, actor = named[0]
        return actors.families.get(actor) == "islamic_state" and len(description[:start].split()) <= GROUP_REACH
    anaphora = _group_names(language, lexicons)
    found = anaphora.search(description) if anaphora is not None else None
    return found is not None and len(description[: found.start()].split()) <= GROUP_REACH


@cache
def _executions(language: str, lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> re.Pattern[str] | None:
    """The language's killed words that put captives to death (`executions` of casualties.yaml)."""
    words = lexicon.load("casualties", language, path=lexicons).get("executions") or ()
    return re.compile(rf"{WORD_START}(?:{literal_alternation(words)})", re.I) if words else None


def group_kills(sentence: Sentence, language: str, *, lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> list[tuple[int, int, int, int]]:
    """Killings of the group's men named as such in `sentence`: (start, end) of the figure and its
    killed word together, then (start, end) of the killed word, in sentence offsets, left to right
    (as `security_kills`)."""
    actors = matcher(lexicons)
    if not any(actors.families.get(actor) == "islamic_state" for _, _, actor in actors.find(sentence.text)):
        anaphora = _group_names(language, lexicons)
        if anaphora is None or anaphora.search(sentence.text) is None:
            return []  # the sentence names no group: no figure of it can
    proximity = "figure_position" in lexicon.load("casualties", language, path=lexicons)
    figures = _near_figures(sentence, language, (), lexicons) if proximity else _phrase_figures(sentence, language, lexicons)
    executions = _executions(language, lexicons)
    found = []
    for mention, verb in figures:
        if verb is None or (executions is not None and executions.match(sentence.text, verb[0])):
            continue  # the group's men executed are captives put to death, not an operation's dead
        start, end = mention.start - sentence.start, mention.end - sentence.start
        found.append((min(start, verb[0]), max(end, verb[1]), verb[0], verb[1]))
    return sorted(found)


@stage("casualties.v2", requires=("sentences",), assigns=("casualties",))
def casualties(doc: PipelineDoc, ctx: Context) -> PipelineDoc:
    """Killed and injured figures with category, qualifier and claimed flag (the user's lexicon
    folders merged over the lexicons)."""
    path = lexicon.in_options(ctx.options)
    if "figure_position" in lexicon.load("casualties", doc.language or "en", path=path):
        found = find_near_casualties(doc.sentences or (), doc.language or "en", doc.dates or (), lexicons=path)
        return doc.but(casualties=found)
    return doc.but(casualties=find_casualties(doc.sentences or (), doc.language or "en", lexicons=path))


@cache
def _RUNNING_TOTAL_WORDS(lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> re.Pattern[str]:  # noqa: N802 - a constant built on first use
    """Words that make a figure a running total ("death toll rose to 145"), in every language
    (`running_totals`): a mention does not record its language, and `total()` reads any. One
    pattern per search path."""
    words = [w for language in lexicon.available("casualties")
             for w in lexicon.load("casualties", language, path=lexicons).get("running_totals") or ()]
    return re.compile(rf"{WORD_START}(?:{literal_alternation(words)}){WORD_END}" if words else r"(?!)", re.I)


def total(mentions: Iterable[CasualtyMention], kind: str, *, claimed: bool = False, attackers: bool = False,
          lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> int | None:
    """The toll of one event from its mentions: summed within a sentence ("170 civilians and 13
    US soldiers"), the largest over sentences (a repeated or updated toll). Vague amounts, (by
    default) claimed figures and (unless `attackers`: the toll of a raid is the group's men it
    killed, and then only they where some figure names them) attackers are left out; a "death toll" figure in a sentence is already a total, so the
    sentence counts the larger of it and the sum of the rest. `lexicons`: the search path whose
    `running_totals` the mentions were found with."""
    sums: dict[int, int] = defaultdict(int)
    tolls: dict[int, int] = defaultdict(int)
    seen = False
    mentions = list(mentions)
    # A raid's toll: the group's men, where the report names them apart ("eight killed in the
    # clash" … "five members of the group were killed").
    only_attackers = attackers and any(
        m.kind == kind and m.claimed == claimed and m.value is not None and m.category == "attackers" for m in mentions
    )
    for m in mentions:
        if m.kind != kind or m.claimed != claimed or m.value is None or (m.category == "attackers" and not attackers):
            continue
        if only_attackers and m.category != "attackers":
            continue
        seen = True
        if _RUNNING_TOTAL_WORDS(lexicons).search(m.text):
            tolls[m.sentence] = max(tolls[m.sentence], m.value)
        else:
            sums[m.sentence] += m.value
    if not seen:
        return None
    return max(max(sums[i], tolls[i]) for i in set(sums) | set(tolls))
