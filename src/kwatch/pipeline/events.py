"""events.v3: assemble events from the mentions and cues of earlier stages.

How a document becomes events (docs/pipeline.md tells the same story with examples):

1. Sentences in a caption paragraph, sentences over `MAX_SENTENCE` characters, aggregate
   statistics ("a total of 429 ... in 73 incidents") and, except for media releases, hedged or
   generic sentences ("could", "vows to", "plans to") open no event.
2. In a sentence, event-type triggers close together (and of compatible kinds) form a cluster; a
   sentence may hold several clusters ("launched a magazine after the attack ..., which killed 145").
   Every date, place, figure, actor and cue of the sentence goes to the nearest cluster in its own
   clause. A cluster's type: propaganda; else raid; attack when people were killed; plot; plot
   when intent meets an arrest; arrest; attack.
3. A cluster opens a candidate when it is anchored (a date, a place, a figure, or a named actor
   with a method or claim); a release when a medium, outlet, length, language or release noun
   tells it and the group or its outlet is its author (`releases_from_group`). A candidate merges
   into an earlier event of the same type when it refers back to it ("the attack"), adds nothing
   new (no date and no place, same paragraph) or agrees with it on date and place.
4. Sentences without a trigger in the paragraph of the last event, or that refer back to an event
   ("The 30-page statement ..."), add fields to it: claim, figures, method, target, a more
   specific place in the same province, and the release's medium, languages and length.
5. Fields are picked by rule (see `_finish`); any inference is written into provenance.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from typing import Any

from kwatch import lexicon
from kwatch.pipeline import Context, stage
from kwatch.pipeline.actors import is_islamic_state, state_of, states
from kwatch.pipeline.attribution import attribute, official_words, standing_claims
from kwatch.pipeline.dates import day_of
from kwatch.pipeline.model import (
    ActorMention,
    CasualtyMention,
    Cue,
    DateMention,
    Evidence,
    ExtractedEvent,
    Layout,
    PipelineDoc,
    PlaceMention,
    Sentence,
)
from kwatch.pipeline.words import WORD_END, WORD_START, literal_alternation
from kwatch.records import refined_method

#: Sentences longer than this (characters) are not read: no sentence of news is this long.
MAX_SENTENCE = 2000
#: How many paragraphs back a reference ("the attack") may reach.
REFERENCE_REACH = 12
#: How many sentences back a claim of several events ("… claimed these attacks") may reach.
PLURAL_REACH = 3

VIOLENT = ("attack", "plot", "arrest", "raid")
_PRECISION_RANK = {"site": 0, "town": 1, "district": 2, "province": 3, "country": 4}
_ANCHOR_KINDS = ("date", "place", "casualty")
# Cues that open clusters: event-type words, intent ("plotting"), and a killing by the security
# forces (`agent`, casualties.security_kills).
_TRIGGER_KINDS = ("event_type", "intent", "agent")
# Countries where the Islamic State operates as its Khorasan province (ISKP's area of operations).
_KHORASAN_COUNTRIES = frozenset({"AF", "PK"})
#: Days before its publication within which a report's one named day is its event's (`_report_day`).
REPORT_WINDOW_DAYS = 3
#: The event types whose `target` says whom the group struck or meant to strike (FORMAT.md).
_TARGETED = frozenset({"attack", "plot"})
#: What may stand between the group's name and its own official ("ISKP's spokesman", "د داعش ویاند").
_OWN_OFFICIAL = re.compile(r"[\s'’-]{0,3}s?[\s\u200c]{0,2}")
#: What tells a release besides its trigger: its medium ("a video"), outlet, length ("17 minutes"),
#: language ("in Tajik") or a word that names a release by itself (`release`: "a new release").
_RELEASE_TOLD = ("medium", "outlet", "length", "language", "release")


@cache
def _priorities(language: str, lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> dict[str, list[str]]:
    # Method, target and medium values are canonical English names in every language.
    if language not in lexicon.available("methods"):
        language = "en"
    return {
        "method": lexicon.load("methods", language, path=lexicons)["priority"],
        "target": lexicon.load("targets", language, path=lexicons)["priority"],
        "medium": lexicon.load("propaganda", language, path=lexicons)["priority"],
    }


@cache
def _outlet_actors(lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> dict[str, str]:
    return {name: entry["actor"] for name, entry in lexicon.load("outlets", path=lexicons)["outlets"].items()}


@cache
def _outlet_media(lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> dict[str, str]:
    """The one medium of an outlet that is a single publication (outlets.yaml `medium`: a weekly)."""
    return {name: entry["medium"] for name, entry in lexicon.load("outlets", path=lexicons)["outlets"].items() if entry.get("medium")}


@dataclass
class _Mentions:
    """Everything found in one sentence (or in one cluster of it)."""

    dates: list[DateMention] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    casualties: list[CasualtyMention] = field(default_factory=list)
    actors: list[ActorMention] = field(default_factory=list)
    cues: list[Cue] = field(default_factory=list)

    def cue_values(self, kind: str) -> list[str]:
        return [c.value for c in self.cues if c.kind == kind]

    def has(self, kind: str) -> bool:
        return any(c.kind == kind for c in self.cues)


@dataclass
class _Cluster:
    triggers: list[Cue]
    clause: int
    mentions: _Mentions = field(default_factory=_Mentions)

    @property
    def start(self) -> int:
        return self.triggers[0].start

    @property
    def end(self) -> int:
        return max(t.end for t in self.triggers)

    @property
    def kinds(self) -> set[str]:
        return {t.value if t.kind == "event_type" else t.kind for t in self.triggers}

    @property
    def is_propaganda(self) -> bool:
        return "propaganda" in self.kinds


@dataclass
class _Part:
    """One sentence's share of an event."""

    sentence: Sentence
    mentions: _Mentions  # the cluster's share (or the whole sentence for a follow-up)
    opening: bool
    whole: _Mentions | None = None  # the whole sentence, when `mentions` is a cluster's share
    statement: bool = False  # the group's statement, folded into the attack it claims (`_fold_statements`)


@dataclass
class _Draft:
    type: str
    paragraph: int
    parts: list[_Part]
    trigger: Cue
    inferences: list[str] = field(default_factory=list)
    background: bool = False  # opened by a sentence that recalls an earlier event (reading.v1)
    verb_final: bool = False  # its language ends a clause with the verb (events.yaml `verb_final`)

    @property
    def opening(self) -> _Part:
        return self.parts[0]

    def all(self, attr: str) -> list[Any]:
        return [m for part in self.parts for m in getattr(part.mentions, attr)]


def _distance(start: int, end: int, cluster: _Cluster) -> int:
    if end <= cluster.start:
        return cluster.start - end
    if start >= cluster.end:
        return start - cluster.end
    return 0


@dataclass(frozen=True, slots=True)
class _Rules:
    """The sentence-level rules of one language, built from its events.yaml."""

    clause_break: re.Pattern[str]  # a mention is assigned to a cluster in its own clause
    period: re.Pattern[str] | None  # "since the group returned to power in 2021": a period's start or end
    origin: re.Pattern[str] | None  # "seven men from Tajikistan, Turkmenistan and Kyrgyzstan", "the border with Iran": not where it happened
    list_joiner: re.Pattern[str]  # "Tajikistan and Uzbekistan": one list of places
    # The same two rules where the marker follows its name (a postposition or case ending):
    period_after: re.Pattern[str] | None = None  # "2021 سے", "15 اگست تک": matched right after the date
    origin_after: re.Pattern[str] | None = None  # "X سے تعلق رکھنے والے", "Xdan kelgan": matched from the country on
    verb_final: bool = False  # the verb ends its clause: the first name of the clause is its subject
    # The words that name a source as the phrase after them ("according to …") or before them ("… کے مطابق").
    source_before: re.Pattern[str] | None = None
    source_after: re.Pattern[str] | None = None
    # Ends right before an event word that tells another event ("two other explosions", "another attack").
    other_event: re.Pattern[str] | None = None


@cache
def _rules(language: str, lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> _Rules:
    data = lexicon.load("events", language, path=lexicons)
    words = data.get("clause_breaks") or ()
    # Punctuation breaks a clause in every language; words only after a comma.
    # (A full stop after a single capital is an initial, "U.S. forces", not a clause's end.)
    clause = r";\s|\s[–—]\s|(?<!\b[A-Z])\.\s|؛\s*" + (rf"|[,،]\s+(?:{literal_alternation(words)})\s" if words else "")
    joiners = data.get("list_joiners") or ()
    joiner = rf"(?:{literal_alternation(joiners)})\s+" if joiners else None
    comma = r"[,،]"
    list_joiner = re.compile(rf"\s*(?:{comma}\s*(?:{joiner})?|{joiner})\s*" if joiner else rf"\s*{comma}\s*")
    periods = data.get("period_starts") or ()
    period = re.compile(rf"{WORD_START}(?:{literal_alternation(periods)}){WORD_END}[^.;:,،؛]{{0,60}}$", re.IGNORECASE) if periods else None
    after = data.get("period_postpositions") or ()
    period_after = re.compile(rf"[\s\u200c-]*(?:{literal_alternation(after)}){WORD_END}", re.IGNORECASE) if after else None
    # A country people come from and a country across a border are read alike: not where it happened.
    origins = [*(data.get("origins") or ()), *(data.get("borders") or ())]
    origin_postpositions = [*(data.get("origin_postpositions") or ()), *(data.get("border_postpositions") or ())]
    origin = origin_after = None
    between = rf"\s*(?:{comma}\s*(?:{joiner})?|\s+{joiner})" if joiner else rf"\s*{comma}\s*"
    if origins:
        # The lead, then a list of names (each one or two words, joined by a comma or a list word).
        name = r"[^\W\d_][\w'-]*(?:\s+[^\W\d_][\w'-]*)?" if data.get("match") == "stems" else r"[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)?"
        origin = re.compile(rf"{WORD_START}(?:{'|'.join(origins)})\s+(?:{name}{between})*$")
    if origin_postpositions:
        # A list of names from the country on, then the marker: after a space, or glued to the
        # last name as a case ending ("Tojikistondan kelgan"), so each name is read shortest first.
        name = r"[^\W\d_][\w'ʻ’‘-]*?"
        origin_after = re.compile(rf"{name}(?:{between}{name})*?[\s\u200c-]*(?:{'|'.join(origin_postpositions)})", re.IGNORECASE)
    sources = data.get("source_phrases") or {}
    source_before, source_after = (_words_pattern(sources.get(side) or ()) for side in ("before", "after"))
    others = data.get("other_events") or ()
    # An other-event word, and at most one word more, right before the trigger ("two other explosions").
    other_event = re.compile(rf"{WORD_START}(?:{literal_alternation(others)})[\s\u200c]+(?:[^\W_]+[\s\u200c]+)?$", re.IGNORECASE) if others else None
    return _Rules(re.compile(clause), period, origin, list_joiner, period_after, origin_after, bool(data.get("verb_final")),
                  source_before, source_after, other_event)


def _words_pattern(words: Sequence[str]) -> re.Pattern[str] | None:
    """Any of `words`, as whole words, case-blind; None for none."""
    return re.compile(rf"{WORD_START}(?:{literal_alternation(words)}){WORD_END}", re.IGNORECASE) if words else None


def _reference_point(text: str, date: DateMention, rules: _Rules) -> bool:
    """The date starts or ends a period: a marker before it ("since …"), or one right after it ("2021 سے")."""
    if rules.period_after is not None and rules.period_after.match(text, date.end):
        return True
    return rules.period is not None and bool(rules.period.search(text, max(0, date.start - 80), date.start))


def _restated(date: DateMention, dates: Sequence[DateMention]) -> bool:
    """"on Thursday, 6 July 2023", "Saturday (Oct 16)": a weekday restated by the full date that
    follows it; the full date is the one to read."""
    return date.basis == "relative" and any(
        0 <= other.start - date.end <= 3 and other.basis == "absolute" for other in dates if other is not date
    )


def _origin(text: str, place: PlaceMention, rules: _Rules) -> bool:
    """A country people come from, or the one across a border: after a lead ("men from …", "the
    border with …"), or before a postposition ("… سے تعلق رکھنے والے", "… bilan chegarada")."""
    if place.precision != "country":
        return False
    if rules.origin_after is not None and rules.origin_after.match(text, place.start, min(len(text), place.end + 120)):
        return True
    return rules.origin is not None and bool(rules.origin.search(text, max(0, place.start - 120), place.start))


class _Reader:
    """Reads one document; holds its mentions indexed by sentence."""

    def __init__(self, doc: PipelineDoc, lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> None:
        self.doc = doc
        self.language = doc.language or "en"
        self.lexicons = lexicons
        self.sentences = doc.sentences or ()
        self.by_sentence: dict[int, _Mentions] = {}
        self.rules = _rules(self.language, lexicons)
        self.layout = doc.layout or Layout(("body",) * len(self.sentences))
        for attr in ("dates", "places", "casualties", "actors", "cues"):
            for mention in getattr(doc, attr) or ():
                if self.layout.ignores(mention.start) is not None:
                    # A dateline or a stock note: about the report, not the event (reading.v1).
                    continue
                if attr == "dates" and (_reference_point(doc.text, mention, self.rules) or _restated(mention, doc.dates or ())):
                    continue
                if attr == "places" and _origin(doc.text, mention, self.rules):
                    continue
                bucket = self.by_sentence.get(mention.sentence)
                if bucket is None:  # (not setdefault: a _Mentions is five new lists)
                    bucket = self.by_sentence[mention.sentence] = _Mentions()
                getattr(bucket, attr).append(mention)
        self.caption_paragraphs = {
            self.sentences[c.sentence].paragraph for c in doc.cues or () if c.kind == "caption" and c.sentence < len(self.sentences)
        }
        counts = Counter(a.actor for a in doc.actors or () if is_islamic_state(a.actor))
        # The group the document is about: the most named Islamic State actor (ISKP on a tie).
        self.topic_actor = max(counts, key=lambda a: (counts[a], a == "ISKP")) if counts else None
        self.drafts: list[_Draft] = []

    def mentions(self, sentence: Sentence) -> _Mentions:
        found = self.by_sentence.get(sentence.index)
        return found if found is not None else _Mentions()  # a new one only when there is none

    # -- step 1: which sentences may open events -------------------------------------------

    def readable(self, sentence: Sentence) -> bool:
        return (
            len(sentence.text) <= MAX_SENTENCE
            and sentence.paragraph not in self.caption_paragraphs
            and self.layout.role(sentence.index) not in ("byline", "question")
        )

    def background(self, sentence: Sentence) -> str | None:
        """The marker of a sentence that recalls an earlier event ("last year"), else None."""
        if self.layout.role(sentence.index) != "background":
            return None
        return self.layout.markers.get(sentence.index, "")

    @staticmethod
    def aggregate(m: _Mentions) -> bool:
        return m.has("aggregate") or (m.has("aggregate_weak") and m.has("plural"))

    # -- step 2: clusters ------------------------------------------------------------------

    def clusters(self, sentence: Sentence, m: _Mentions) -> list[_Cluster]:
        triggers = sorted((c for c in m.cues if c.kind in _TRIGGER_KINDS), key=lambda c: c.start)
        if not triggers:
            return []
        breaks = [b.start() + sentence.start for b in self.rules.clause_break.finditer(sentence.text)]
        # "…, and two other explosions …": where another event is told, a clause starts.
        breaks = sorted(breaks + [start for cue in triggers if (start := self.another(sentence, cue)) is not None])

        def clause(offset: int) -> int:
            return sum(1 for b in breaks if b < offset)

        clusters: list[_Cluster] = []
        for cue in triggers:
            last = clusters[-1] if clusters else None
            propaganda = cue.kind == "event_type" and cue.value == "propaganda"
            # One clause reports one event of each kind: its triggers ("attacked ... killing")
            # form one cluster however far apart they are; "two other explosions" opens another.
            if last is not None and clause(cue.start) == last.clause and propaganda == last.is_propaganda:
                last.triggers.append(cue)
            else:
                clusters.append(_Cluster([cue], clause(cue.start)))
        # "a man who distributed IS videos was arrested": a release told in the clause of an arrest
        # is what the arrested did, no release of the group's (and its date is the arrest's),
        # unless the sentence names the group's outlet ("… were arrested, Al-Naba writes").
        arrests = {c.clause for c in clusters if "arrest" in c.kinds} if not m.has("outlet") else set()
        clusters = [c for c in clusters if not (c.is_propaganda and c.clause in arrests)]
        if not clusters:
            return clusters
        # The clusters' triggers are all in: whether each is a release is read once, not for every mention.
        releases = [c.is_propaganda for c in clusters]
        for attr in ("dates", "places", "casualties", "actors", "cues"):
            for mention in getattr(m, attr):
                if attr == "cues" and mention.kind in _TRIGGER_KINDS:
                    continue
                fits = [c for c, release in zip(clusters, releases, strict=True) if _accepts(release, attr, mention)]
                if len(fits) > 1:
                    own = [c for c in fits if c.clause == clause(mention.start)]
                    best = min(own or fits, key=lambda c: (_distance(mention.start, mention.end, c), c.start > mention.start))
                elif fits:
                    best = fits[0]  # the one cluster it fits (most sentences tell one event)
                else:
                    continue
                getattr(best.mentions, attr).append(mention)
        return clusters

    def another(self, sentence: Sentence, cue: Cue) -> int | None:
        """Where the words start that make the trigger another event than the one its clause
        opened: an `other_events` word right before it, or before the one word between ("two
        other explosions", "another suicide attack"); None when there is none."""
        other = self.rules.other_event
        if other is None or cue.kind != "event_type":
            return None
        start = cue.start - sentence.start
        found = other.search(sentence.text, max(0, start - 40), start)
        return None if found is None else sentence.start + found.start()

    # -- step 3: candidates and merging ----------------------------------------------------

    def read(self) -> None:
        for sentence in self.sentences:
            if not self.readable(sentence):
                continue
            m = self.mentions(sentence)
            if self.aggregate(m) or self.claim_of_several(sentence, m):
                continue
            clusters = self.clusters(sentence, m)
            recall = self.background(sentence)
            opened = False
            for cluster in clusters:
                kind = _cluster_type(cluster)
                if kind is None:
                    continue
                if kind != "propaganda" and m.has("hedge"):
                    continue
                if recall is not None:
                    self.recalled(sentence, cluster, kind, recall)
                    continue
                opened |= self.consider(sentence, cluster, kind)
            if not opened and recall is None:
                self.follow_up(sentence, m)

    def recalled(self, sentence: Sentence, cluster: _Cluster, kind: str, marker: str) -> None:
        """A sentence that recalls an earlier event adds nothing to the events already open (its
        figures and places are the earlier event's) and opens the earlier event only when it
        gives its own date; that event is marked as background."""
        if not cluster.mentions.dates:
            return
        part = _Part(sentence, cluster.mentions, opening=True, whole=self.mentions(sentence))
        note = f"background: the sentence recalls an earlier event ('{marker}')"
        self.drafts.append(_Draft(kind, sentence.paragraph, [part], cluster.triggers[0], [note], background=True, verb_final=self.rules.verb_final))

    def consider(self, sentence: Sentence, cluster: _Cluster, kind: str) -> bool:
        cm = cluster.mentions
        reference = _is_reference(cluster, kind)
        whole = self.mentions(sentence)
        part = _Part(sentence, cm, opening=True, whole=whole)
        if kind == "propaganda":
            if not any(cm.has(k) for k in _RELEASE_TOLD) or not self.releases_from_group(cluster, cm if cm.actors else whole):
                return False
        if kind == "raid" and not any(is_islamic_state(a.actor) for a in whole.actors) and not (
            whole.has("group_ref") and self.topic_actor is not None
        ):
            # An operation or strike counts as a raid against the group only when the sentence names
            # the group ("a US drone strike" recalled in a report on another attack does not).
            return False
        if kind in ("arrest", "raid"):
            # "detained suspects over the Moscow attack": the attack's place, not the arrest's.
            attacks = [c for c in whole.cues if c.kind == "event_type" and c.value == "attack"]
            kept = [p for p in cm.places if not _names_attack(self.doc.text, p, attacks)]
            if len(kept) < len(cm.places):
                cm = dataclasses.replace(cm, places=kept)
                cluster = dataclasses.replace(cluster, mentions=cm)
                part = _Part(sentence, cm, opening=True, whole=whole)
        # A bare country ("attacks in Iran") does not anchor an event; a town, a date or a figure does.
        fine_places = [p for p in cm.places if p.precision != "country"]
        anchored = bool(cm.dates or fine_places or any(c.value is not None for c in cm.casualties))
        # The group named with its method or its claim anchors its attack; an arrest or a raid is
        # anchored by the force that acts (`_force_named`), not by a claim beside it.
        anchored |= kind not in ("raid", "arrest") and bool(cm.actors) and (cm.has("method") or cm.has("claim"))
        anchored |= kind == "propaganda"
        if not anchored and kind in ("raid", "arrest") and cm.actors:
            day = _best_date(cm.dates, cm.cues, sentence=sentence, words=whole.cues, verb_final=self.rules.verb_final, kind=kind)
            anchored = _force_named(kind, cm, day or self.doc.published, self.lexicons)
        target = self.merge_target(kind, cm, sentence, reference) or self.toll_of_raid(kind, cm, sentence)
        if target is not None:
            target.parts.append(_Part(sentence, cm, opening=False, whole=whole))
            return True
        if not anchored:
            return False
        countries = _listed_countries(cm.places, self.doc.text, self.rules) if kind != "propaganda" else []
        if len(countries) > 1:
            # "rockets into Tajikistan and Uzbekistan": one event in each country listed.
            for place in countries:
                share = dataclasses.replace(cm, places=[place])
                self.drafts.append(_Draft(kind, sentence.paragraph, [dataclasses.replace(part, mentions=share)], cluster.triggers[0], verb_final=self.rules.verb_final))
            return True
        self.drafts.append(_Draft(kind, sentence.paragraph, [part], cluster.triggers[0], verb_final=self.rules.verb_final))
        return True

    def toll_of_raid(self, kind: str, m: _Mentions, sentence: Sentence) -> _Draft | None:
        """A bare toll told after an operation against the group ("At least one member of the
        Taliban was killed and two others wounded"): killed words and figures, with no date,
        place, method or claim of their own and not the group's doing, are the losses of that
        operation (the raid open in this paragraph or the one before), not an attack of their own."""
        if kind != "attack" or m.dates or m.places or any(c.kind in ("method", "claim", "reference") for c in m.cues):
            return None
        if any(is_islamic_state(a.actor) for a in m.actors):
            return None
        last = self.drafts[-1] if self.drafts else None
        if last is None or last.type != "raid" or last.background or sentence.paragraph - last.paragraph > 1:
            return None
        return last

    def claim_of_several(self, sentence: Sentence, m: _Mentions) -> bool:
        """"Daesh claimed responsibility for these attacks": an undated claim that refers back to
        several events (`plural_reference`) joins each event of its kind told in the PLURAL_REACH
        sentences before it, not only the last; it opens none."""
        kinds = {c.value for c in m.cues if c.kind == "plural_reference"}
        if m.dates or not kinds:
            return False
        part = _Part(sentence, m, opening=False)
        if not _claims(self.doc, part, self.lexicons):
            return False
        told = [d for d in self.drafts if d.type in kinds and not d.background
                and sentence.index - max(p.sentence.index for p in d.parts) <= PLURAL_REACH]
        if len(told) < 2:
            return False
        for draft in told:
            draft.parts.append(part)
        return True

    def releases_from_group(self, cluster: _Cluster, m: _Mentions) -> bool:
        """A release counts when an Islamic State actor or outlet is its author, not when a named
        other actor or an official body is the subject ("the Ministry of the Islamic Emirate
        published a letter", "the Interior Ministry released a statement on the arrest of ISKP
        members"). The subject is the name nearest before the release word, or (`verb_final`
        languages: "وزارت داخله … درباره داعش … اعلامیه منتشر کرد") the first of its clause; else
        the name nearest the release word ("a statement released by the Taliban"). An outlet named
        makes it the group's. `m` is the cluster's share of the sentence, or the whole sentence when
        the cluster names no actor (a clause that shares its subject: "IS media issued statements —
        and published footage")."""
        names = self.names(cluster, m)
        if not any(author for _, _, author in names):
            return False
        if m.has("outlet"):
            return True
        before = [n for n in names if n[1] <= cluster.start]
        if self.rules.verb_final:
            sentence = self.sentences[cluster.triggers[0].sentence]
            opens = [sentence.start + b.end() for b in self.rules.clause_break.finditer(sentence.text) if sentence.start + b.end() <= cluster.start]
            opens += [c.end for c in m.cues if c.kind == "reporting" and c.end <= cluster.start]
            clause = [n for n in before if n[0] >= max(opens, default=sentence.start)]
            if clause:
                return clause[0][2]
        if before and not before[-1][2]:
            return False
        return min(names, key=lambda n: _distance(n[0], n[1], cluster))[2]

    def names(self, cluster: _Cluster, m: _Mentions) -> list[tuple[int, int, bool]]:
        """Who may be a release's author, in order: (start, end, is the group) for each actor,
        outlet, "the group" and official word (attribution.yaml `officials`) of `m`. An official
        word right after the group's name is the group's own ("ISKP's spokesman"), one right before
        a medium word says what the release is ("official statements"): neither is a name."""
        names = [(a.start, a.end, is_islamic_state(a.actor)) for a in m.actors]
        names += [(c.start, c.end, True) for c in m.cues if c.kind == "outlet" or (c.kind == "group_ref" and self.topic_actor is not None)]
        sentence = self.sentences[cluster.triggers[0].sentence]
        media = [c.start for c in self.mentions(sentence).cues if c.kind == "medium"]
        text = self.doc.text
        for start, end in official_words(self.doc, sentence, lexicons=self.lexicons):
            if any(_OWN_OFFICIAL.fullmatch(text, e, start) for _, e, author in names if author and e <= start):
                continue
            if any(_OWN_OFFICIAL.fullmatch(text, end, medium) for medium in media if medium >= end):
                continue
            if any(s < end and start < e for s, e, _ in names):
                continue  # inside a name ("Ministry of the Islamic Emirate")
            names.append((start, end, False))
        return sorted(names)

    def merge_target(self, kind: str, m: _Mentions, sentence: Sentence, reference: bool) -> _Draft | None:
        date = _best_date(m.dates, m.cues, own=True, sentence=sentence, words=self.mentions(sentence).cues, verb_final=self.rules.verb_final,
                          kind=kind)
        place = _best_place(m.places)
        for draft in reversed(self.drafts):
            if draft.type != kind or draft.background:
                continue
            d_date = _event_date(draft, own=True)
            d_place = _event_place(draft)
            if reference and date is None and sentence.paragraph - draft.paragraph <= REFERENCE_REACH:
                # "Iran's Embassy in Kabul condemned the attack": the places of a sentence that
                # refers back are about something else.
                return draft
            if not _dates_agree(date, d_date) or not _places_agree(place, d_place):
                continue
            if kind == "propaganda" and not _media_agree(m, draft):
                continue
            if reference and date is None and sentence.paragraph - draft.paragraph <= REFERENCE_REACH:
                return draft
            if date is None and place is None and sentence.paragraph == draft.paragraph:
                return draft
            if kind == "propaganda" and date is None and sentence.paragraph - draft.paragraph <= 1:
                return draft
            if date is not None and date == d_date and (place is None or d_place is not None):
                return draft
            if date is None and place is not None and d_place is not None and _same_place(place, d_place):
                return draft
        if reference and kind == "attack" and date is None:
            # "Taliban forces attacked a Daesh hideout … The attack ended in clashes": with no attack
            # told, "the attack" is the operation against the group the report is telling.
            for draft in reversed(self.drafts):
                if sentence.paragraph - draft.paragraph > REFERENCE_REACH:
                    break
                if not draft.background and draft.type in ("attack", "raid"):
                    return draft if draft.type == "raid" else None
        return None

    # -- step 4: follow-up sentences -------------------------------------------------------

    def follow_up(self, sentence: Sentence, m: _Mentions) -> None:
        if not self.drafts or m.has("hedge") and not m.has("reference"):
            return
        referenced = {c.value for c in m.cues if c.kind == "reference"}
        for draft in reversed(self.drafts):
            if draft.type in referenced and sentence.paragraph - draft.paragraph <= REFERENCE_REACH:
                draft.parts.append(_Part(sentence, m, opening=False))
                return
        last = self.drafts[-1]
        if last.paragraph != sentence.paragraph or last.parts[-1].sentence.index < sentence.index - 2:
            return
        place = _best_place(m.places)
        if m.dates or (place is not None and not _places_agree(place, _event_place(last))):
            return
        last.parts.append(_Part(sentence, m, opening=False))


#: What may stand between a place and the event noun it qualifies: a case ending, a possessive,
#: a hyphen ("Moscow attack", "Moscow's attack", "Москвадаги ҳужум").
_ATTRIBUTIVE_GAP = re.compile(r"[^\W\d_]{0,5}[\s'’-]{1,3}(?:s\s)?")


def _names_attack(text: str, place: PlaceMention, attacks: Sequence[Cue]) -> bool:
    """The place qualifies an attack word right after it ("the Moscow attack")."""
    return any(
        (gap := _ATTRIBUTIVE_GAP.match(text, place.end, cue.start)) is not None and gap.end() == cue.start
        for cue in attacks
        if cue.start >= place.end
    )


def _listed_countries(places: Sequence[PlaceMention], text: str, rules: _Rules) -> list[PlaceMention]:
    """Country mentions written as one list ("Tajikistan and Uzbekistan") of distinct countries,
    when the cluster names no finer place inside them."""
    countries = sorted((p for p in places if p.precision == "country"), key=lambda p: p.start)
    listed: list[PlaceMention] = []
    for place in countries:
        if listed and not rules.list_joiner.fullmatch(text[listed[-1].end : place.start]):
            if len(listed) > 1:
                break
            listed = []
        listed.append(place)
    codes = {p.country for p in listed}
    if len(listed) < 2 or len(codes) < len(listed):
        return []
    finer = [p for p in places if p.precision != "country" and p.country in codes]
    return [] if finer else listed


def _accepts(release: bool, attr: str, mention: Any) -> bool:
    """Releases take no places or figures; attacks take no medium, language, outlet or length
    (`release`: the cluster is a release's, `_Cluster.is_propaganda`)."""
    if release:
        if attr in ("places", "casualties"):
            return False
        return not (attr == "cues" and mention.kind in ("method", "target"))
    return not (attr == "cues" and mention.kind in ("medium", "language", "outlet", "length"))


def _cluster_type(cluster: _Cluster) -> str | None:
    kinds = cluster.kinds
    if "propaganda" in kinds:
        return "propaganda"
    killed = any(c.kind == "killed" and c.value for c in cluster.mentions.casualties)
    # A clash between a country's forces and the group is an operation against it ("clash
    # between Taliban and ISKP"); a clash whose sides are not both named, or that a bombing
    # opened, leaves it to the other triggers. (The built-in `state` actors: a user lexicon's
    # aliases of them count, a state it adds does not.)
    actors = cluster.mentions.actors
    clash = (
        "clash" in kinds
        and any(a.actor in states() for a in actors)
        and any(is_islamic_state(a.actor) for a in actors)
        and not any(c.kind == "method" and c.value in _OPENING_METHODS for c in cluster.mentions.cues)
    )
    if "raid" in kinds or clash:
        # An operation in which people were only arrested is an arrest ("in an operation … seven
        # terrorists were arrested"); one that killed is a raid.
        dead = "agent" in kinds or any(c.kind == "killed" for c in cluster.mentions.casualties)
        return "arrest" if "arrest" in kinds and not dead else "raid"
    if "agent" in kinds and not _attack_beside(cluster):
        # A killing by the security forces, or of the group's men named as such, is an operation
        # against the group ("five militants were killed by security forces", "3 Daesh
        # commanders killed"), unless the clause also tells an attack of the group.
        return "raid"
    if killed and "attack" in kinds:
        return "attack"
    if "plot" in kinds:
        return "plot"
    if "intent" in kinds:
        return "plot" if "arrest" in kinds else None
    if "arrest" in kinds:
        return "arrest"
    if "attack" in kinds:
        return "attack"
    return None


#: Methods that make a clash the group's attack ("a suicide bomber …, setting off a firefight").
_OPENING_METHODS = frozenset({"bombing", "suicide_bombing"})


def _attack_beside(cluster: _Cluster) -> bool:
    """An attack word of the cluster outside its killings by the security forces or of the
    group's men: the killed word itself ("killed", "shot dead") is one in some languages and does
    not count. Where only the group's men are named as killed, any other dead of the clause
    ("killing five Taliban and two of the attackers") tell an attack too."""
    agents = [t for t in cluster.triggers if t.kind == "agent"]
    if all(a.value == "group" for a in agents) and any(
        c.kind == "killed" and c.value and c.category != "attackers" for c in cluster.mentions.casualties
    ):
        return True
    return any(
        t.kind == "event_type" and t.value == "attack" and not any(t.start < a.end and a.start < t.end for a in agents)
        for t in cluster.triggers
    )


def _force_named(kind: str, m: _Mentions, date: str | None, lexicons: lexicon.SearchPath) -> bool:
    """A raid or an arrest with its acting force named (a country's authorities on `date`: "CTD
    arrested seven Daesh militants", "Iranian intelligence detained 14") is anchored as a figure
    anchors an attack: a force and its act are one event."""
    return kind in ("raid", "arrest") and any(_a_force(a.actor, date, lexicons) for a in m.actors)


def _is_reference(cluster: _Cluster, kind: str) -> bool:
    """The cluster names its event as one already told ("the attack", "The ISIS video published")."""
    return any(c.kind == "reference" and c.value == kind for c in cluster.mentions.cues)


# -- field choice -------------------------------------------------------------------------------


#: Punctuation between a reporting verb and a date: the date opens the reported clause.
_SET_APART = re.compile(r"[^\w\s'’-]")
_BRACKETS = re.compile(r"\([^()]*\)|[()]")
#: Words that may stand before a date that opens its sentence ("But on Monday, …").
FRONTED_WORDS = 1
#: How far (characters) before a reporting verb that ends its clause a date may stand and be the report's day.
VERB_FINAL_REACH = 60


def _best_date(
    dates: Sequence[DateMention], cues: Sequence[Cue], near: int | None = None, *, own: bool = False,
    sentence: Sentence | None = None, words: Sequence[Cue] = (), verb_final: bool = False, kind: str | None = None,
) -> str | None:
    """The date of what happened: not a date right after a reporting verb ("said on Tuesday") or
    a claim ("claimed responsibility on Monday": the claim's day is not the attack's), or right
    before one ("IS on Friday claimed responsibility", "во вторник взяло на себя …"), then the
    nearest to the trigger, then the most specific. A date right before an event word is that
    event's own however near a claim it stands ("claimed responsibility for the Friday attack",
    "Wednesday's raids"), and so is one that punctuation sets apart from the reporting verb in
    `sentence` (the reported clause: "хабар доданд, ки рӯзи пайшанбе …", "according to the
    report, last Wednesday …"). `own`: only the event's own dates, None when every date is the
    day of a report or a claim. `words`: the cues of the whole sentence (a cluster's own cues
    leave its event words out). `verb_final`: the language puts the verb last, so the day of a
    report stands anywhere before its verb in the clause ("این رسانه روز شنبه … گزارش داد که":
    "the outlet on Saturday … reported that"). `kind`: the event's type (a date after the group's
    outlet is a release's own)."""
    if not dates:
        return None
    if not own and len(dates) == 1:
        return dates[0].value  # the one date, however it ranks
    # The group's outlet names where a claim or release came out: a date right after it is the
    # publication's ("in Al-Naba on Friday"), the event's own only when the event is the release.
    told = ("reporting", "claim") if kind == "propaganda" else ("reporting", "claim", "outlet")
    reporting = [c for c in (*cues, *words) if c.kind in told]
    events = [c for c in (*cues, *words) if c.kind == "event_type"]

    def apart(start: int, end: int, *, brackets: bool = False) -> bool:
        if sentence is None:
            return False
        between = sentence.text[start - sentence.start : end - sentence.start]
        if brackets:
            between = _BRACKETS.sub("", between)  # "روز شنبه (۱۳ جولای) … گزارش داد": the day restated
        return _SET_APART.search(between) is not None

    def fronted(d: DateMention) -> bool:
        # A date that opens its sentence ("But on Monday, the group … claimed") is the day of the
        # clause's verb: the first reporting, claim or event word after it.
        if sentence is None or len(sentence.text[: d.start - sentence.start].split()) > FRONTED_WORDS:
            return False
        after = [c for c in (*reporting, *events) if c.start >= d.end]
        return bool(after) and min(after, key=lambda c: c.start).kind in ("reporting", "claim")

    def reported(d: DateMention) -> bool:
        if any(0 <= c.start - d.end <= 2 for c in events):
            return False
        return fronted(d) or any(
            (0 <= d.start - r.end <= 25 and not apart(r.end, d.start))
            or (0 <= r.start - d.end <= (VERB_FINAL_REACH if verb_final else 2) and not apart(d.end, r.start, brackets=verb_final))
            for r in reporting
        )

    def rank(d: DateMention) -> tuple[bool, int, int]:
        distance = abs(d.start - near) if near is not None else 0
        return (reported(d), distance, -len(d.value))

    pool = [d for d in dates if not reported(d)] if own else list(dates)
    if not pool:
        return None
    if len(pool) == 1:
        return pool[0].value
    best = min(pool, key=rank)
    # A coarser date refined by another of the cluster ("this year … in July"): the finer one.
    finer = [d for d in pool if len(d.value) > len(best.value) and d.value.startswith(best.value) and reported(d) == reported(best)]
    return min(finer, key=rank).value if finer else best.value


def _best_place(places: Sequence[PlaceMention], near: int | None = None) -> PlaceMention | None:
    """The most specific place; of equally specific ones, the nearest the trigger when one is
    given ("At the Basmanny Court, … the Crocus City Hall shooting": the hall), else the first."""
    if not places:
        return None
    return min(places, key=lambda p: (_PRECISION_RANK.get(p.precision, 5), abs(p.start - near) if near is not None else 0, p.start))


def _event_date(draft: _Draft, *, own: bool = False) -> str | None:
    """The opening cluster's date (`own`: only a date of the event itself, not of its report or
    claim: what merging and folding compare, so a lead dated only by its claim folds into the
    candidate the attack's own day dates)."""
    m = draft.opening.mentions
    whole = draft.opening.whole or m
    return _best_date(m.dates, m.cues, draft.trigger.start, own=own, sentence=draft.opening.sentence, words=whole.cues, verb_final=draft.verb_final,
                      kind=draft.type)


def _own_date(draft: _Draft, part: _Part, dates: Sequence[DateMention], near: int | None = None, *,
              words: Sequence[Cue] | None = None) -> DateMention | None:
    """The mention of `dates` (in `part`'s sentence) that is the event's own day, chosen as its
    date is (`_best_date`; `words`: the sentence's cues, by default the part's), if any."""
    value = _best_date(dates, part.mentions.cues, near, own=True, sentence=part.sentence,
                       words=part.mentions.cues if words is None else words, verb_final=draft.verb_final, kind=draft.type)
    return next((d for d in dates if d.value == value), None) if value is not None else None


def _later_date(draft: _Draft) -> tuple[str, int] | None:
    """The own date of the first sentence after the opening that joined the event and has one,
    with that sentence's index."""
    for part in sorted(draft.parts[1:], key=lambda p: p.sentence.index):
        if (found := _own_date(draft, part, part.mentions.dates)) is not None:
            return found.value, part.sentence.index
    return None


def _date_hint(draft: _Draft, doc: PipelineDoc) -> DateMention | None:
    """The hint (dates.v2's `date_hints`) of the event's own day: in its opening sentence, chosen
    as its date would be, else in its first later sentence that has one."""
    hints = doc.date_hints or ()
    if not hints:
        return None
    opening = draft.opening
    here = [h for h in hints if h.sentence == opening.sentence.index]
    if (found := _own_date(draft, opening, here, draft.trigger.start, words=(opening.whole or opening.mentions).cues)) is not None:
        return found
    for part in sorted(draft.parts, key=lambda p: p.sentence.index):
        later = [h for h in hints if h.sentence == part.sentence.index] if part.sentence.index != opening.sentence.index else []
        if (found := _own_date(draft, part, later)) is not None:
            return found
    return None


def _event_place(draft: _Draft) -> PlaceMention | None:
    return _best_place(draft.opening.mentions.places, draft.trigger.start)


def _dates_agree(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a.startswith(b) or b.startswith(a)


def _places_agree(a: PlaceMention | None, b: PlaceMention | None) -> bool:
    if a is None or b is None:
        return True
    if a.country and b.country and a.country != b.country:
        return False
    return not (a.admin1 and b.admin1 and a.admin1 != b.admin1)


def _same_place(a: PlaceMention, b: PlaceMention) -> bool:
    return (a.country, a.admin1, a.admin2, (a.place or "").casefold()) == (
        b.country,
        b.admin1,
        b.admin2,
        (b.place or "").casefold(),
    )


def _media_agree(m: _Mentions, draft: _Draft) -> bool:
    mine = set(m.cue_values("medium"))
    theirs = {c.value for c in draft.all("cues") if c.kind == "medium"}
    return not mine or not theirs or bool(mine & theirs)


def _by_priority(values: Iterable[str], order: list[str]) -> str | None:
    present = set(values)
    return next((v for v in order if v in present), None)


def _first_cue(draft: _Draft, kind: str, order: list[str], rules: _Rules | None = None) -> tuple[str | None, int | None]:
    """The cue value of the opening sentence by priority, else of the follow-ups. A target word
    that names who speaks ("officials said", "به گفته پولیس") or the forces that did the killing
    ("killed by security forces") is not whom the attack hit."""
    for part in draft.parts:
        cues = [c for c in part.mentions.cues if c.kind == kind]
        if kind == "target":
            context = part.whole or part.mentions
            cues = [c for c in cues if not _attributed(c, context, part.sentence, rules) and not _agent(c, context)]
        value = _by_priority((c.value for c in cues), order)
        if value is not None:
            return value, part.sentence.index
    return None, None


def _refined_method(draft: _Draft, method: str | None, source: int | None) -> tuple[str | None, int | None]:
    """The event's method, or the more exact one of its kind a sentence of the event names
    ("an explosion in Kabul … the bomber blew himself up": a suicide bombing)."""
    for part in draft.parts:
        exact = refined_method(method, (part.whole or part.mentions).cue_values("method"))
        if exact != method:
            return exact, part.sentence.index
    return method, source


def _pick_actor(draft: _Draft, topic: str | None, *, lexicons: lexicon.SearchPath = lexicon.BUILTIN,
                country: str | None = None, date: str | None = None) -> tuple[str | None, int | None, list[str]]:
    """The actor of an event; for a raid or an arrest, the acting force (`_acting_force`: `country`
    and `date` say whose authorities acted where none is named)."""
    notes: list[str] = []
    if draft.type in ("raid", "arrest"):
        return _acting_force(draft, country=country, date=date, lexicons=lexicons)
    for part in draft.parts:
        actors = part.mentions.actors
        family = [a.actor for a in actors if is_islamic_state(a.actor)]
        if family and draft.type in ("attack", "plot", "propaganda"):
            return ("ISKP" if "ISKP" in family else family[0]), part.sentence.index, notes
    whole = draft.opening.whole
    family = [a.actor for a in whole.actors if is_islamic_state(a.actor)] if whole else []
    if family and draft.type in ("attack", "plot", "propaganda"):
        return ("ISKP" if "ISKP" in family else family[0]), draft.opening.sentence.index, notes
    for part in draft.parts:
        if draft.type in ("attack", "plot", "propaganda") and part.mentions.has("group_ref") and topic:
            notes.append(f"actor {topic} inferred: '{_cue_text(part.mentions, 'group_ref')}' refers to the group the document is about")
            return topic, part.sentence.index, notes
    if draft.type == "propaganda":
        outlets = [c.value for c in draft.all("cues") if c.kind == "outlet"]
        if outlets:
            actor = _outlet_actors(lexicons).get(outlets[0])
            if actor:
                notes.append(f"actor {actor} inferred: outlet {outlets[0]} speaks for it")
                return actor, None, notes
    if draft.type == "attack":
        # Another group names itself as perpetrator only as the subject before the trigger.
        # A country's forces named before an attack are its target, never its perpetrator (the
        # Taliban before they held Afghanistan's authorities may be).
        opening = draft.opening.mentions
        before = [a for a in opening.actors if a.end <= draft.trigger.start and not _a_force(a.actor, date, lexicons)]
        if before and (opening.has("claim") or opening.has("method")):
            return before[-1].actor, draft.opening.sentence.index, notes
    return None, None, notes


#: How near (characters) a reporting or spokesperson cue stands to a force named as the source of
#: a statement ("according to the Taliban", "CTD spokesman", "сообщили в ФСБ"), with none of
#: `_ATTRIBUTION_BREAK` between.
_ATTRIBUTION_REACH = 25
_ATTRIBUTION_BREAK = re.compile(r"[,،;؛:.!?()]")
#: How far (characters) a phrase that names who speaks may run: after a spokesperson word ("a
#: spokesman for the interior ministry"), after or before a source word ("according to …", "… کے مطابق").
_SPEAKER_REACH = 80


def _in_source_phrase(named: ActorMention | Cue, sentence: Sentence, rules: _Rules) -> bool:
    """`named` stands between a source word and the punctuation that closes its phrase (within
    _SPEAKER_REACH): after a `before` word ("according to …,"), or before an `after` word back to
    the punctuation that opens the phrase ("…، X کے مطابق")."""
    text, offset = sentence.text, sentence.start
    start, end = named.start - offset, named.end - offset
    if rules.source_before is not None:
        for m in rules.source_before.finditer(text, max(0, start - _SPEAKER_REACH), start):
            if not _ATTRIBUTION_BREAK.search(text, m.end(), start):
                return True
    if rules.source_after is not None:
        for m in rules.source_after.finditer(text, end, min(len(text), end + _SPEAKER_REACH)):
            if not _ATTRIBUTION_BREAK.search(text, end, m.start()):
                return True
    return False


def _in_speaker_phrase(named: ActorMention | Cue, speaker: Cue, m: _Mentions, sentence: Sentence) -> bool:
    """`named` stands in the phrase that says whose spokesperson speaks ("a spokesman for the
    Taliban's interior ministry, …", "المتحدث باسم طالبان في رسالة نصية إلى الصحفيين، …"): after
    the spokesperson word, before any punctuation or reporting word, within _SPEAKER_REACH."""
    if not 0 <= named.start - speaker.end <= _SPEAKER_REACH:
        return False
    if _ATTRIBUTION_BREAK.search(sentence.text[speaker.end - sentence.start : named.start - sentence.start]):
        return False
    return not any(c.kind == "reporting" and speaker.end <= c.start < named.start for c in m.cues)


def _attributed(named: ActorMention | Cue, m: _Mentions, sentence: Sentence, rules: _Rules | None = None) -> bool:
    """A force (or a target word) is named as the source of the report, not (by itself) as the
    doer or the victim: a reporting or spokesperson word beside it, with no punctuation between;
    or (with the language's `rules`) inside the phrase a source word opens or closes ("according
    to the Moscow Region's health ministry, …", "… وزارت کے مطابق")."""
    if rules is not None and _in_source_phrase(named, sentence, rules):
        return True
    for c in m.cues:
        if c.kind not in ("reporting", "spokesperson") or c is named:
            continue
        if c.kind == "spokesperson" and _in_speaker_phrase(named, c, m, sentence):
            return True
        if 0 <= named.start - c.end <= _ATTRIBUTION_REACH:
            gap = (c.end, named.start)
        elif 0 <= c.start - named.end <= _ATTRIBUTION_REACH:
            gap = (named.end, c.start)
        else:
            continue
        if not _ATTRIBUTION_BREAK.search(sentence.text[gap[0] - sentence.start : gap[1] - sentence.start]):
            return True
    return False


def _agent(cue: Cue, m: _Mentions) -> bool:
    """The word stands inside a killing by the security forces (`agent`: "killed by police")."""
    return any(c.kind == "agent" and c.value == "security" and c.start <= cue.start and cue.end <= c.end for c in m.cues)


def _acting_force(draft: _Draft, *, country: str | None, date: str | None,
                  lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> tuple[str | None, int | None, list[str]]:
    """The acting force of a raid or an arrest: a country's authorities (actors.yaml `state`) named
    in the opening cluster, the nearest before the trigger (the subject: "Taliban forces raided",
    "سی ٹی ڈی نے … گرفتار", or the agent of a killing by the forces), else the nearest after it (a
    verb first or a passive: "اعتقلت السلطات الإيرانية", "задержаны сотрудниками ФСБ"); else named
    elsewhere in its opening sentence, else in its other sentences. A force named only as the
    source of the report ("according to the Taliban spokesman") is taken last, and the inference
    recorded. Named by a state's name after its time ("Afghan forces" in 2023), it is the
    authorities that then hold that state. Where no force is named, the authorities of the country
    it happened in on its date, the inference recorded."""
    notes: list[str] = []
    until = draft.trigger.end if draft.trigger.kind == "agent" else draft.trigger.start

    def nearest(actors: Sequence[ActorMention]) -> ActorMention | None:
        before = [a for a in actors if a.start < until]
        after = [a for a in actors if a.start >= until]
        return before[-1] if before else (after[0] if after else None)

    opening = draft.opening
    tiers: list[tuple[Sequence[ActorMention], _Mentions, Sentence]] = [(opening.mentions.actors, opening.whole or opening.mentions, opening.sentence)]
    if opening.whole is not None:
        tiers.append((opening.whole.actors, opening.whole, opening.sentence))
    tiers.extend((part.mentions.actors, part.mentions, part.sentence) for part in draft.parts[1:])
    attributed: tuple[ActorMention, int] | None = None
    for actors, context, sentence in tiers:
        forces = [a for a in actors if _a_force(a.actor, date, lexicons)]
        named = nearest([a for a in forces if not _attributed(a, context, sentence)])
        if named is not None:
            return _in_its_time(named.actor, date, notes, lexicons), sentence.index, notes
        source = nearest(forces)
        if attributed is None and source is not None:
            attributed = (source, sentence.index)
    if attributed is not None:
        source, index = attributed
        notes.append(f"actor {source.actor} inferred: named as the source of the report ('{source.text}'), taken as the acting force")
        return _in_its_time(source.actor, date, notes, lexicons), index, notes
    inferred = state_of(country, date, lexicons=lexicons)
    if inferred is not None:
        notes.append(f"actor {inferred} inferred: no force named, the authorities of {country}" + (f" in {date}" if date else ""))
    return inferred, None, notes


def _where_the_force_arrests(draft: _Draft, values: dict[str, Any], actor: str | None, sources: dict[int, set[str]],
                             lexicons: lexicon.SearchPath) -> list[str]:
    """An arrest is made where the authorities that make it hold the state: a place of another
    country ("detained in Tajikistan … over the Moscow attack") names something else, so the
    event's place is the best one of its mentions in that country, else the country alone; an
    arrest with no place is in that country. The inference is recorded."""
    state = states(lexicons).get(actor or "") if draft.type == "arrest" else None
    if state is None or values.get("country") == state.country:
        return []
    named = values.get("place") or values.get("admin1") or values.get("country")
    place = _best_place([p for p in draft.all("places") if p.country == state.country])
    if place is not None:
        filled = _fill_admin(place, draft.all("places"))
        values.update(country=filled.country, admin1=filled.admin1, admin2=filled.admin2, place=place.place,
                      geo_precision=place.precision, lat=place.lat, lon=place.lon)
        if place.sentence in sources:
            sources[place.sentence].update(("country", "place"))
    else:
        values.update(country=state.country, admin1=None, admin2=None, place=None, geo_precision=None, lat=None, lon=None)
    where = f"'{named}' names another place" if named else "the text names no place"
    return [f"country {state.country} inferred: an arrest by {state.actor} is made in {state.country}; {where}"]


def _a_force(actor: str, date: str | None, lexicons: lexicon.SearchPath) -> bool:
    """The actor is a country's authorities on `date`, or was before it (then its successor
    acts: `_in_its_time`); an actor that held no state yet (the Taliban before August 2021) is not."""
    state = states(lexicons).get(actor)
    return state is not None and (state.holds(date) or state.until is not None)


def _in_its_time(actor: str, date: str | None, notes: list[str], lexicons: lexicon.SearchPath) -> str:
    """A state named after its time ("Afghan forces" in 2023) is the authorities holding it then."""
    state = states(lexicons).get(actor)
    if state is None or state.holds(date) or state.until is None:
        return actor
    successor = state_of(state.country, date, lexicons=lexicons)
    if successor is None or successor == actor:
        return actor
    notes.append(f"actor {successor} inferred: '{actor}' named in {date}, when {successor} held the authorities of {state.country}")
    return successor


def _cue_text(m: _Mentions, kind: str) -> str:
    return next((c.text for c in m.cues if c.kind == kind), "")


def _total(mentions: Sequence[CasualtyMention], kind: str, claimed: bool, *, attackers: bool = False,
           lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> int | None:
    from kwatch.pipeline import casualties as casualties_stage

    return casualties_stage.total(mentions, kind, claimed=claimed, attackers=attackers, lexicons=lexicons)


def _finish(draft: _Draft, reader: _Reader, stages: tuple[str, ...]) -> ExtractedEvent:
    doc = reader.doc
    language = reader.language
    priorities = _priorities(language, reader.lexicons)
    sources: dict[int, set[str]] = {p.sentence.index: set() for p in draft.parts}
    inferences = list(draft.inferences)
    opening = draft.opening
    values: dict[str, Any] = {"type": draft.type}

    # date: the opening cluster's, else the paragraph's latest earlier date, else (a recent
    # release) the publication year.
    date = _event_date(draft)
    if date is not None:
        sources[opening.sentence.index].add("date")
    elif (later := _later_date(draft)) is not None:
        # "… in an operation that took place on Saturday": a sentence that joined the event (a
        # reference back, a follow-up) gives the day its opening did not.
        date, index = later
        sources[index].add("date")
        inferences.append(f"date {date}: from a later sentence of the event (its opening gives none)")
    else:
        date = _paragraph_date(reader, opening.sentence)
        if date is not None:
            inferences.append(f"date {date} inferred: the latest date earlier in the same paragraph")
        elif draft.type != "propaganda" and (found := _report_day(reader, draft)) is not None:
            date, index = found
            # The sentence is the date's quote; only its date joins the event.
            sources[index] = {"date"}
            told = [d for d in reader.mentions(reader.sentences[index]).dates if d.value == date]
            draft.parts.append(_Part(reader.sentences[index], _Mentions(dates=told), opening=False))
            inferences.append(f"date {date} inferred: the one day the report names in the days up to its publication")
    values["date_basis"] = None if date is None else "text"
    if date is None and draft.type == "propaganda" and opening.mentions.has("recency") and doc.published:
        date = doc.published[:4]
        values["date_basis"] = "document_year"
        inferences.append(f"date {date} inferred: a release called new/recent, year of publication")
    if date is None and draft.type != "propaganda" and doc.published and len(doc.published) == 10:
        # A report that names no date tells of an event of its own day or the day before; the
        # publication day is the estimate conflict coders use (ACLED: time precision of the report).
        date = doc.published
        values["date_basis"] = "publication_day"
        inferences.append(f"date {date} inferred: the text gives none, publication date of the report")
    values["date"] = date
    hint = _date_hint(draft, doc) if date is None else None
    if hint is not None:
        # What the text still says of an undated event's day ("on Wednesday", "22 March" with no
        # year): resolution compares it with other reports' days.
        values["detail"] = {"date_hint": hint.value}
        inferences.append(f"date unknown: the text names '{hint.text}' ({hint.value}) with nothing to count it from")

    if draft.type != "propaganda":
        place = _event_place(draft)
        source = opening.sentence.index if place else None
        for part in draft.parts[1:]:
            refined = _best_place(part.mentions.places)
            if refined and (place is None or _refines(refined, place)):
                place, source = refined, part.sentence.index
        if place is not None:
            filled = _fill_admin(place, draft.all("places"))
            values.update(
                country=filled.country,
                admin1=filled.admin1,
                admin2=filled.admin2,
                place=place.place,
                geo_precision=place.precision,
                lat=place.lat,
                lon=place.lon,
            )
            if source is not None:
                sources[source].update(("country", "place"))
            if place.site_kind is not None:
                # The site as one thing in every language ("embassy" of RU, "airport" of Kabul):
                # resolution compares it across reports (kwatch.resolve.features).
                values.setdefault("detail", {})["site"] = {"kind": place.site_kind, "of": place.site_of}

    actor, source, notes = _pick_actor(draft, reader.topic_actor, lexicons=reader.lexicons, country=values.get("country"), date=date or doc.published)
    inferences.extend(notes)
    inferences.extend(_where_the_force_arrests(draft, values, actor, sources, reader.lexicons))
    claim_parts = [p for p in draft.parts if p.statement or _claims(doc, p, reader.lexicons)]
    denial_parts = [p for p in draft.parts if p.mentions.has("no_claim")]
    claimed = True if claim_parts else (False if denial_parts else None)
    if actor == "IS" and draft.type == "attack" and values.get("country") in _KHORASAN_COUNTRIES:
        inferences.append(f"actor ISKP inferred: IS named for an attack in {values['country']}")
        actor = "ISKP"
    values["actor"] = actor
    values["claimed"] = claimed
    if source is not None:
        sources[source].add("actor")
    for part in claim_parts or denial_parts:
        sources[part.sentence.index].add("claimed")

    if draft.type != "propaganda":
        for name in ("method", "target"):
            if name == "target" and draft.type not in _TARGETED:
                continue  # an operation against the group, or an arrest of its men: the group is whom it hit
            value, source = _first_cue(draft, name, priorities[name], reader.rules)
            if name == "method":
                value, source = _refined_method(draft, value, source)
            values[name] = value
            if source is not None:
                sources[source].add(name)
        figures = tuple(draft.all("casualties"))
        values["casualties"] = figures
        for key, kind, claimed_figure in (
            ("killed", "killed", False),
            ("injured", "injured", False),
            ("killed_claimed", "killed", True),
            ("injured_claimed", "injured", True),
        ):
            # A raid's toll is the group's men it killed: attackers count there, never in an attack's.
            values[key] = _total(figures, kind, claimed_figure, attackers=draft.type == "raid", lexicons=reader.lexicons)
            for c in figures:
                if c.kind == kind and c.claimed == claimed_figure and values[key] is not None:
                    sources[c.sentence].add(key)
    else:
        medium, source = _first_cue(draft, "medium", priorities["medium"])
        outlets = [c for c in draft.all("cues") if c.kind == "outlet"]
        if medium is None and outlets and (medium := _outlet_media(reader.lexicons).get(outlets[0].value)) is not None:
            inferences.append(f"medium {medium} inferred: {outlets[0].value} puts out only that")
        values["medium"] = medium
        if source is not None:
            sources[source].add("medium")
        languages = sorted({c.value for c in draft.all("cues") if c.kind == "language"})
        values["languages"] = tuple(languages) or None
        values["outlet"] = outlets[0].value if outlets else None
        length: dict[str, int] = {}
        for cue in draft.all("cues"):
            if cue.kind == "length":
                unit, number = cue.value.split(":")
                length.setdefault(unit, int(number))
        values["length"] = length
        for cue in draft.all("cues"):
            if cue.kind in ("language", "outlet", "length"):
                sources[cue.sentence].add({"language": "languages"}.get(cue.kind, cue.kind))

    evidence = tuple(
        Evidence(p.sentence.start, p.sentence.end, doc.text[p.sentence.start : p.sentence.end], tuple(sorted(sources[p.sentence.index])))
        for p in sorted(draft.parts, key=lambda p: p.sentence.index)
    )
    provenance: dict[str, Any] = {"stages": list(stages), "inferences": inferences, "notes": list(doc.notes)}
    if draft.background:
        provenance["role"] = "background"
    detail = values.pop("detail", {})
    attribution = attribute(doc, draft.parts, actor=actor, kind=draft.type, lexicons=reader.lexicons)
    return ExtractedEvent(**values, attribution=attribution, evidence=evidence, provenance=provenance, detail=detail)


def _refines(candidate: PlaceMention, place: PlaceMention) -> bool:
    """A follow-up place is taken when it is more specific and inside the same province."""
    if _PRECISION_RANK.get(candidate.precision, 5) >= _PRECISION_RANK.get(place.precision, 5):
        return False
    if place.admin1:
        return candidate.admin1 == place.admin1
    return bool(place.country) and candidate.country == place.country


def _fill_admin(place: PlaceMention, others: Sequence[PlaceMention]) -> PlaceMention:
    """Complete province and district from the event's other mentions of the same area."""
    admin1, admin2 = place.admin1, place.admin2
    for other in sorted(others, key=lambda p: _PRECISION_RANK.get(p.precision, 5)):
        if other.country != place.country:
            continue
        if admin1 is None and other.admin1:
            admin1 = other.admin1
        if admin2 is None and other.admin2 and other.admin1 == admin1:
            admin2 = other.admin2
    if (admin1, admin2) == (place.admin1, place.admin2):
        return place  # nothing to complete (most events)
    return dataclasses.replace(place, admin1=admin1, admin2=admin2)


def _paragraph_date(reader: _Reader, sentence: Sentence) -> str | None:
    """The latest date told earlier in the same paragraph by a sentence that opened no event."""
    used = {p.sentence.index for d in reader.drafts for p in d.parts}
    for earlier in reversed(reader.sentences[: sentence.index]):
        if earlier.paragraph != sentence.paragraph:
            break
        if earlier.index in used:
            continue
        m = reader.mentions(earlier)
        if m.dates and not reader.aggregate(m):
            return _best_date(m.dates, m.cues, sentence=earlier, verb_final=reader.rules.verb_final)
    return None


def _report_day(reader: _Reader, draft: _Draft) -> tuple[str, int] | None:
    """The day of an event whose own sentences name none, from the rest of its report: the one
    day the report names in the `REPORT_WINDOW_DAYS` up to its publication ("the incident took
    place on Monday morning", a paragraph away from the sentences that tell it), in a sentence no
    event holds and that recalls nothing. A report is about what happened just before it was
    published; a day in those days told by a sentence of no other event is that event's. Two such
    days, or none: nothing (the publication day stays the estimate)."""
    published = reader.doc.published
    last = day_of(published) if published and len(published) == 10 else None
    if last is None:
        return None
    first = last - timedelta(days=REPORT_WINDOW_DAYS)
    used = {p.sentence.index for d in reader.drafts if d is not draft for p in d.parts}
    days: dict[str, int] = {}
    for sentence in reader.sentences:
        if sentence.index in used or reader.background(sentence) is not None or not reader.readable(sentence):
            continue
        m = reader.mentions(sentence)
        if not m.dates or reader.aggregate(m):
            continue
        # What happened on the day, as an event's own sentence is read: not a report's day ("said
        # on May 16"), not a claim's.
        value = _best_date(m.dates, m.cues, own=True, sentence=sentence, words=m.cues, verb_final=reader.rules.verb_final)
        day = day_of(value)
        if value is not None and day is not None and first <= day <= last:
            days.setdefault(value, sentence.index)
    return next(iter(days.items())) if len(days) == 1 else None


def _claims(doc: PipelineDoc, part: _Part, lexicons: lexicon.SearchPath) -> bool:
    """A claim cue that stands in the part, by attribution.v1's rule (`standing_claims`): not inside
    a no-claim ("No group has claimed responsibility" holds both; "никто не взял на себя
    ответственность"), a denial or a blame phrase ("возложили ответственность на …"), and no
    no-claim near it ("Hech bir guruh … masʼuliyatni … zimmasiga olmadi"), in every language."""
    return bool(standing_claims(doc, part, lexicons=lexicons))


def _fold_undated(drafts: list[_Draft]) -> list[_Draft]:
    """A candidate with no date of its own (a headline, "At least 46 people were killed.") is the
    same event as a candidate of its type whose place agrees: fold it into the nearest such dated
    one, else into the first such undated one. A news report tells one event in its headline, lead
    and body; without this it would yield three. A candidate dated only by its claim or report
    ("claimed responsibility Tuesday for a blast in Kunduz") folds the same way into the nearest
    one the event's own day dates ("the Sunday attack"), and is kept otherwise."""
    own = {id(d) for d in drafts if _event_date(d, own=True) is not None}
    dated = {id(d) for d in drafts if _event_date(d) is not None}
    kept = [draft for draft in drafts if id(draft) in dated]

    def fits(draft: _Draft) -> list[_Draft]:
        place = _event_place(draft)
        # Releases are told one per sentence ("a video …, and a magazine …"): never folded.
        return [] if draft.type == "propaganda" else [
            other for other in kept
            if other is not draft and other.type == draft.type and not other.background and _places_agree(place, _event_place(other))
        ]

    def fold(draft: _Draft, pool: list[_Draft]) -> None:
        target = min(pool, key=lambda other: (abs(other.paragraph - draft.paragraph), other.paragraph))
        target.parts.extend(dataclasses.replace(part, opening=False) for part in draft.parts)
        target.inferences.extend(draft.inferences)

    for draft in drafts:
        if id(draft) in dated and id(draft) not in own and not draft.background:
            pool = [other for other in fits(draft) if id(other) in own]
            if pool:
                fold(draft, pool)
                kept.remove(draft)
    for draft in drafts:
        if id(draft) in dated:
            continue
        candidates = fits(draft)
        pool = [other for other in candidates if id(other) in dated] or candidates
        if not pool:
            kept.append(draft)
            continue
        fold(draft, pool)
    order = {id(d): i for i, d in enumerate(drafts)}
    return sorted(kept, key=lambda d: order[id(d)])


#: The media of a release that may be only the claim of an attack the report tells.
_CLAIM_MEDIA = frozenset({"statement", "post"})


def _fold_statements(drafts: list[_Draft]) -> list[_Draft]:
    """A statement of the group in a report of one of its attacks ("The group issued a statement
    on its Telegram channels") is the claim of that attack, not a release of its own: coders fold
    it into the attack (../shared/eval/FORMAT.md leaves it to them; the claim's quote is kept on the
    attack, whose `claimed` it makes true). A statement with a title, a length, languages, another
    medium or a word that names it a release stays a release."""
    attacks = [d for d in drafts if d.type == "attack" and not d.background]
    if not attacks:
        return drafts
    kept = []
    for draft in drafts:
        cues = draft.all("cues")
        media = {c.value for c in cues if c.kind == "medium"}
        plain = draft.type == "propaganda" and media <= _CLAIM_MEDIA and not any(c.kind in ("length", "language", "release") for c in cues)
        # An attack the report tells before the statement, or in its sentence ("IS said in a statement
        # … that it carried out the attack"), from its headline on.
        earlier = [a for a in attacks if min(p.sentence.index for p in a.parts) <= draft.opening.sentence.index]
        if not plain or not earlier:
            kept.append(draft)
            continue
        target = earlier[-1]
        target.parts.extend(dataclasses.replace(part, opening=False, statement=True) for part in draft.parts)
        target.inferences.append(f"the group's statement ('{draft.trigger.text}') is the claim of this attack, not a release of its own")
    return kept


def assemble(doc: PipelineDoc, stages: tuple[str, ...] = (), *, lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> tuple[ExtractedEvent, ...]:
    reader = _Reader(doc, lexicons)
    reader.read()
    reader.drafts = _fold_statements(_fold_undated(reader.drafts))
    return tuple(_finish(d, reader, stages) for d in reader.drafts)


def event_key(event: ExtractedEvent, doc_id: str) -> str:
    """A stable id: the document, the evidence offsets and the type, plus where and when, since
    one sentence can report two events of one type ("a plot in Vienna, as well as arrests in Paris")."""
    spans = ",".join(f"{e.start}-{e.end}" for e in event.evidence)
    where = f"{event.date}|{event.country}|{event.admin1}|{event.place}"
    return hashlib.sha256(f"{doc_id}|{spans}|{event.type}|{where}".encode()).hexdigest()[:24]


def _user_lexicon_lines(event: ExtractedEvent, doc: PipelineDoc) -> ExtractedEvent:
    """The event with a provenance line for each user lexicon entry that decided its actor or its
    place: in a sentence the actor (the place) was read from, every mention of that actor (that
    place) was found by an entry of a user file (`ActorMention.origin`, `PlaceMention.origin`).
    A built-in alias or name in the same sentence would have decided it alone: no line then."""
    lines: list[str] = []
    for evidence in event.evidence:
        inside = range(evidence.start, evidence.end)
        if "actor" in evidence.fields and event.actor is not None:
            actors = [a for a in doc.actors or () if a.start in inside and a.actor == event.actor]
            if actors and all(a.origin for a in actors):
                lines.append(str(actors[0].origin))
        if "place" in evidence.fields:
            where = (event.country, event.place, event.geo_precision, event.lat, event.lon)
            places = [p for p in doc.places or () if p.start in inside and (p.country, p.place, p.precision, p.lat, p.lon) == where]
            if places and all(p.origin for p in places):
                lines.append(str(places[0].origin))
    told = list(event.provenance.get("inferences") or ())
    new = [line for line in dict.fromkeys(lines) if line not in told]
    if not new:
        return event
    return dataclasses.replace(event, provenance={**event.provenance, "inferences": [*told, *new]})


@stage(
    "events.v3",
    requires=("sentences", "dates", "date_hints", "places", "actors", "casualties", "cues", "layout"),
    assigns=("events",),
)
def events(doc: PipelineDoc, ctx: Context) -> PipelineDoc:
    """Assemble events from the sentence mentions: one event per real event in the document
    (events.yaml and the tables it reads with the user's lexicon folders merged over them). An
    actor or place a user lexicon entry decided is named in the event's provenance."""
    stages = tuple(ctx.options.get("stages", ()))
    found = assemble(doc, stages, lexicons=lexicon.in_options(ctx.options))
    return doc.but(events=tuple(_user_lexicon_lines(event, doc) for event in found))
