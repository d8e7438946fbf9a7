"""attribution.v1: who an event is put down to, on what basis, by whom and how surely.

events.v3 calls `attribute()` once for each event it finishes, with the sentences the event was
read from; releases.v2 calls `of_release()` for a release post. The result is a
`kwatch.records.Attribution`. docs/attribution.md tells the rules with examples:

- **claimed**: a claim cue of the event (claims.yaml, or events.yaml `claims`; cues.v2) that no
  denial, "nobody has claimed" or blame phrase holds, and that no "nobody has claimed" stands
  within `NEGATION_REACH` characters of (`standing_claims`: events.v3's `claimed` reads the same
  rule), or the group's statement that events.v3 folded into its attack. The claimant is the actor named nearest to
  it (the group a "the group" refers to is the event's actor), else its outlet's actor. The outlet
  is an outlet of lexicons/outlets.yaml named in the sentence, else a channel (Telegram) of
  attribution.yaml. Confidence `high`, or `medium` when a hearsay phrase ("reportedly", "according
  to", "could not be verified") stands in the claim's sentence and no outlet is named. A release
  (an event of type propaganda) is claimed by its author: `high` through its outlet, `medium`
  when the report names none.
- **denied**: a denial phrase after the group (an Islamic State actor, "the group", or the event's
  actor for an attack or plot). Another actor's denial ("the Taliban denied …") is not the group's.
- **blamed** / **assessed** / **suspected**: a blame, involvement, assessment or suspicion phrase
  with a group named within `REACH` characters. A blame phrase is `blamed` (`assessed` when an
  assessor word — analysts, experts — is nearer than an official one); an involvement phrase ("was
  behind") counts only when someone says it: an official word or another actor (`blamed`), an
  assessor (`assessed`). `by` is the other actor named before the phrase. Confidence: `medium` for
  blame, `low` for an assessment or a suspicion.
- **unknown**: a no-claim cue or an `unclaimed` phrase ("no group has claimed it"), with its
  quote; and, when the sentences say nothing at all, `unknown` without a quote.

The strongest statement wins (`records.strongest`: claimed > denied > blamed > assessed >
suspected > unknown, then confidence); the other bases stated stay in `others`. Every quote is the
sentence, a slice of the document text. Mentions inside a dateline or a stock note (reading.v1)
count for nothing. The words are data (`lexicons/<lang>/attribution.yaml`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from kwatch import lexicon
from kwatch.pipeline import memo
from kwatch.pipeline.actors import is_islamic_state
from kwatch.pipeline.cues import compile_phrases, phrase_options
from kwatch.pipeline.model import ActorMention, Cue, Evidence, PipelineDoc, Sentence
from kwatch.pipeline.scan import Scanner
from kwatch.records import Attribution, AttributionBasis, AttributionConfidence, strongest

#: The name of these rules (docs/attribution.md); a change of behaviour is a new version.
RULES = "attribution.v1"
#: How far (characters) from an attribution phrase the group it names may stand.
REACH = 120
#: How far (characters) from a claim cue "nobody has claimed" makes it no claim ("Hech bir guruh
#: hujum uchun masʼuliyatni …": the negation and the claim word are a few words apart).
NEGATION_REACH = 40
#: The phrase kinds of attribution.yaml, each compiled to one pattern.
PHRASE_KINDS = ("denial", "blame", "involvement", "assessment", "assessors", "officials", "suspicion", "unclaimed", "hearsay")
#: Kinds whose match makes a claim cue inside it no claim ("никто не взял на себя ответственность",
#: "возложили ответственность на …").
_NOT_A_CLAIM = ("denial", "unclaimed", "blame", "involvement", "assessment", "suspicion")

#: What the text says when it says nothing about who did it.
UNSTATED = Attribution(basis="unknown", reason="no attribution stated in the report")


@dataclass(frozen=True, slots=True)
class Tables:
    """The attribution phrases of one language, compiled."""

    phrases: dict[str, re.Pattern[str]]  # kind -> pattern (kinds with no phrase are left out)
    channels: tuple[tuple[str, re.Pattern[str]], ...]  # (channel name, pattern)
    subject_after: bool = False  # the subject may follow its verb (Arabic)
    # Every pattern above: a sentence is read with one pass for all of them (kwatch.pipeline.scan).
    scanner: Scanner = dataclasses.field(default_factory=lambda: Scanner([]))


@cache
def tables(language: str, lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> Tables:
    """The compiled phrases of `lexicons/<language>/attribution.yaml` (English when the language
    has none), matched as that language's events.yaml says (`match: stems`, `clitics`)."""
    if language not in lexicon.available("attribution"):
        language = "en"
    data = lexicon.load("attribution", language, path=lexicons)
    stems, clitic = phrase_options(language, lexicons)
    phrases = {kind: compile_phrases(data[kind], stems=stems, clitic=clitic) for kind in PHRASE_KINDS if data.get(kind)}
    channels = tuple((name, compile_phrases(words, stems=stems, clitic=clitic)) for name, words in (data.get("channels") or {}).items() if words)
    scanner = Scanner([*phrases.values(), *(pattern for _, pattern in channels)])
    return Tables(phrases, channels, bool(data.get("subject_after")), scanner)


@cache
def _outlet_actors(lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> dict[str, str]:
    return {name: entry["actor"] for name, entry in lexicon.load("outlets", path=lexicons)["outlets"].items()}


class Mentions(Protocol):
    """What one sentence's share of an event holds (events.v3 `_Mentions`)."""

    @property
    def cues(self) -> Sequence[Cue]: ...


class Part(Protocol):
    """One sentence's share of an event (events.v3 `_Part`)."""

    @property
    def sentence(self) -> Sentence: ...

    @property
    def mentions(self) -> Mentions: ...

    @property
    def statement(self) -> bool:
        """The group's statement, folded into the attack it claims (events.v3 `_fold_statements`)."""
        ...


@dataclass(frozen=True, slots=True)
class _Hit:
    kind: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class _Name:
    """A group or actor named in the sentence: an actor mention, or "the group" (its actor: the event's)."""

    start: int
    end: int
    actor: str | None
    reference: bool  # "the group", not a name


def _distance(a: _Name | _Hit | Cue, b: _Hit | Cue) -> int:
    if a.end <= b.start:
        return b.start - a.end
    if a.start >= b.end:
        return a.start - b.end
    return 0


def _overlaps(a: _Hit | Cue, b: _Hit | Cue) -> bool:
    return a.start < b.end and b.start < a.end


_Found = tuple[tuple[str, int, int, str], ...]  # (kind, start, end, text) in sentence offsets
#: (tables, sentence text) -> its phrases and channels: each sentence is read for every event and
#: every claim check it is part of (emptied when a document starts: `memo`).
_PHRASES: memo.Memo[tuple[int, str], tuple[_Found, _Found]] = memo.Memo()


def _phrases_of(t: Tables, text: str) -> tuple[_Found, _Found]:
    def read() -> tuple[_Found, _Found]:
        # The scanner's patterns are the phrases, then the channels, in their order.
        names = [*t.phrases, *(name for name, _ in t.channels)]
        found = [(index, names[index], matches) for index, matches in t.scanner.found(text)]
        return (
            tuple((name, m.start(), m.end(), m.group(0)) for index, name, matches in found if index < len(t.phrases) for m in matches),
            tuple((name, m.start(), m.end(), m.group(0)) for index, name, matches in found if index >= len(t.phrases) for m in matches),
        )

    return _PHRASES.remember((id(t), text), read)


class _Sentence:
    """What one sentence of the event says about who did it."""

    __slots__ = ("doc", "sentence", "actor", "kind", "lexicons", "t", "statement", "subject_after", "ignored", "own",
                 "_found", "_hits", "_channels", "_cues", "_names")

    def __init__(self, doc: PipelineDoc, part: Part, *, actor: str | None, kind: str, t: Tables, lexicons: lexicon.SearchPath) -> None:
        s = part.sentence
        self.doc, self.sentence, self.actor, self.kind, self.lexicons, self.t = doc, s, actor, kind, lexicons, t
        self.statement = part.statement
        self.subject_after = t.subject_after
        self.ignored: Callable[[int], object] = doc.layout.ignores if doc.layout is not None else (lambda _: None)
        self.own = [c for c in part.mentions.cues if self.ignored(c.start) is None]  # the event's share of the sentence
        self._found: tuple[_Found, _Found] | None = None
        self._hits: list[_Hit] | None = None
        self._channels: list[_Hit] | None = None
        self._cues: list[Cue] | None = None
        self._names: list[_Name] | None = None

    # The sentence's phrases, cues and names, read when a question needs them: most sentences of
    # an event hold no claim cue, and `standing` asks nothing more of them. (Each kept in a slot,
    # not a `functools.cached_property`: that takes a lock on every first read, and a sentence is
    # read for every event and every claim check it is part of.)

    @property
    def _phrases(self) -> tuple[_Found, _Found]:
        if self._found is None:
            self._found = _phrases_of(self.t, self.sentence.text)  # offsets in the sentence; s.text == doc.text[s.start:s.end]
        return self._found

    @property
    def hits(self) -> list[_Hit]:
        if self._hits is None:
            s, ignored = self.sentence, self.ignored
            self._hits = [_Hit(name, s.start + start, s.start + end, text) for name, start, end, text in self._phrases[0]
                          if ignored(s.start + start) is None]
        return self._hits

    @property
    def channels(self) -> list[_Hit]:
        if self._channels is None:
            s = self.sentence
            self._channels = [_Hit(name, s.start + start, s.start + end, text) for name, start, end, text in self._phrases[1]]
        return self._channels

    @property
    def cues(self) -> list[Cue]:
        if self._cues is None:
            index, ignored = self.sentence.index, self.ignored
            self._cues = [c for c in self.doc.cues or () if c.sentence == index and ignored(c.start) is None]
        return self._cues

    @property
    def names(self) -> list[_Name]:
        if self._names is None:
            index, ignored = self.sentence.index, self.ignored
            actors: list[ActorMention] = [a for a in self.doc.actors or () if a.sentence == index and ignored(a.start) is None]
            self._names = sorted(
                [_Name(a.start, a.end, a.actor, False) for a in actors]
                + [_Name(c.start, c.end, self.actor, True) for c in self.cues if c.kind == "group_ref"],
                key=lambda n: n.start,
            )
        return self._names

    def of(self, *kinds: str) -> list[_Hit]:
        return [h for h in self.hits if h.kind in kinds]

    def subject(self, hit: _Hit) -> _Name | None:
        """Who the phrase is said by or of: the name nearest before it; with none and a language
        whose subject may follow its verb, the first name after it (within REACH)."""
        before = [n for n in self.names if n.end <= hit.start]
        if before:
            return before[-1]
        after = [n for n in self.names if n.start >= hit.end and _distance(n, hit) <= REACH] if self.subject_after else []
        return after[0] if after else None

    def attribution(self, basis: AttributionBasis, confidence: AttributionConfidence | None, reason: str, *,
                    group: str | None = None, by: str | None = None, outlet: str | None = None) -> Attribution:
        """An attribution quoting this sentence."""
        s = self.sentence
        return Attribution(basis=basis, confidence=confidence, group=group, by=by, outlet=outlet, reason=reason,
                           quote=self.doc.text[s.start : s.end], start=s.start, end=s.end)

    def read(self) -> list[Attribution]:
        return [*self.claims(), *self.denials(), *self.accusations(), *self.unclaimed()]

    # -- claimed ----------------------------------------------------------------------------

    def standing(self) -> list[Cue]:
        """The event's claim cues in this sentence that stand: none inside a denial, "nobody has
        claimed", blame, involvement, assessment or suspicion phrase or a no-claim cue, and no
        no-claim cue or `unclaimed` phrase within NEGATION_REACH characters."""
        if not any(c.kind == "claim" for c in self.own):
            return []
        inside: list[_Hit | Cue] = [*self.of(*_NOT_A_CLAIM)]
        near: list[_Hit | Cue] = [*(c for c in self.cues if c.kind == "no_claim"), *self.of("unclaimed")]
        return [
            c for c in self.own
            if c.kind == "claim" and not any(_overlaps(c, n) for n in inside) and not any(_distance(n, c) <= NEGATION_REACH for n in near)
        ]  # fmt: skip

    def claims(self) -> list[Attribution]:
        claims = self.standing()
        if not claims and self.statement:
            # The group's statement told after its attack is its claim: its medium or outlet says so.
            claims = [c for c in self.own if c.kind in ("medium", "outlet")][:1]
        if not claims:
            return []
        cue = claims[0]
        outlets = sorted((c for c in self.cues if c.kind == "outlet"), key=lambda c: _distance(c, cue))
        outlet = outlets[0].value if outlets else (min(self.channels, key=lambda h: _distance(h, cue)).kind if self.channels else None)
        named = [n for n in self.names if n.actor is not None]
        claimant = min(named, key=lambda n: (_distance(n, cue), n.start > cue.start)).actor if named else None
        if claimant is None:
            claimant = _outlet_actors(self.lexicons).get(outlets[0].value) if outlets else self.actor
        second_hand = not outlet and bool(self.of("hearsay"))
        reason = f"claimed by {claimant or 'a group the report does not name'}"
        reason += f" through {outlet}" if outlet else ""
        reason += "; the claim is only reported second-hand" if second_hand else ""
        reason += f' ("{cue.text}")'
        return [self.attribution("claimed", "medium" if second_hand else "high", reason, group=claimant, by=claimant, outlet=outlet)]

    # -- denied -----------------------------------------------------------------------------

    def denials(self) -> list[Attribution]:
        for hit in self.of("denial"):
            denier = self.subject(hit)
            if denier is None:
                continue
            own = denier.reference or is_islamic_state(denier.actor) or (denier.actor == self.actor and self.kind in ("attack", "plot"))
            if not own or denier.actor is None:
                continue
            second_hand = bool(self.of("hearsay"))
            reason = f'denied by {denier.actor}' + ("; the denial is only reported second-hand" if second_hand else "") + f' ("{hit.text}")'
            return [self.attribution("denied", "medium" if second_hand else "high", reason, group=denier.actor, by=denier.actor)]
        return []

    # -- blamed, assessed, suspected ----------------------------------------------------------

    def _group(self, hit: _Hit) -> _Name | None:
        """The group the phrase puts the event down to: an Islamic State actor, the event's actor
        or "the group" within REACH, the nearest (after the phrase on a tie)."""
        groups = [
            n for n in self.names
            if n.actor is not None and (n.reference or is_islamic_state(n.actor) or n.actor == self.actor) and _distance(n, hit) <= REACH
        ]  # fmt: skip
        return min(groups, key=lambda n: (_distance(n, hit), n.start < hit.start)) if groups else None

    def _speaker(self, hit: _Hit, group: _Name) -> tuple[str | None, _Hit | None]:
        """Who says it: the actor named before the phrase other than the group (its `by`; in a
        language whose subject may follow its verb, the subject after it), and the nearer of an
        official or an assessor word in the sentence."""
        others = [n for n in self.names if n.end <= hit.start and not n.reference and n.actor != group.actor and not is_islamic_state(n.actor)]
        subject = self.subject(hit)
        by = others[-1].actor if others else None
        if by is None and subject is not None and subject.start >= hit.end and subject is not group and not is_islamic_state(subject.actor):
            by = subject.actor
        words = sorted(self.of("officials", "assessors"), key=lambda h: _distance(h, hit))
        return by, (words[0] if words else None)

    def _accuses_another(self, hit: _Hit, group: _Name) -> bool:
        """"The group accused the Taliban of …": the group speaks, another actor is accused."""
        after = [n for n in self.names if n.start >= max(hit.end, group.end) and n.actor != group.actor and not n.reference and _distance(n, hit) <= REACH]
        return self.subject(hit) is group and bool(after)

    def accusations(self) -> list[Attribution]:
        found: list[Attribution] = []
        taken: set[str] = set()
        for hit in sorted(self.of("blame", "involvement", "assessment", "suspicion"), key=lambda h: h.start):
            if any(_overlaps(hit, d) for d in self.of("denial", "unclaimed")):
                continue
            group = self._group(hit)
            if group is None or group.actor is None or self._accuses_another(hit, group):
                continue
            by, word = self._speaker(hit, group)
            assessor = word is not None and word.kind == "assessors"
            basis: AttributionBasis
            if hit.kind == "blame":
                basis = "assessed" if assessor else "blamed"
            elif hit.kind == "involvement":
                if word is None and by is None:
                    continue  # "ISKP was behind the attack" in the report's own words: no one attributes it
                basis = "assessed" if assessor else "blamed"
            elif hit.kind == "assessment":
                basis = "assessed"
            else:
                basis = "suspected"
            if basis in taken:
                continue
            taken.add(basis)
            confidence: AttributionConfidence = "medium" if basis == "blamed" else "low"
            who = by or (f'"{word.text}"' if word is not None else None)
            verb = {"blamed": "blamed on", "assessed": "assessed to be the work of", "suspected": "suspected to be the work of"}[basis]
            reason = f"{verb} {group.actor}" + (f" by {who}" if who else "") + f' ("{hit.text}")'
            found.append(self.attribution(basis, confidence, reason, group=group.actor, by=by))
        return found

    # -- unknown ----------------------------------------------------------------------------

    def unclaimed(self) -> list[Attribution]:
        denials = self.of("denial")
        stated: list[_Hit | Cue] = [c for c in self.own if c.kind == "no_claim" and not any(_overlaps(c, d) for d in denials)]
        stated += self.of("unclaimed")
        if not stated:
            return []
        first = min(stated, key=lambda h: h.start)
        return [self.attribution("unknown", None, f'no group has claimed it ("{first.text}")')]


def standing_claims(doc: PipelineDoc, part: Part, *, lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> list[Cue]:
    """The claim cues of one sentence's share of an event that stand (`_Sentence.standing`): what
    makes an event's `claimed` true (events.v3) and its basis `claimed`, one rule for both."""
    if not any(c.kind == "claim" for c in part.mentions.cues):
        return []  # no claim cue to stand (`standing` asks no more): most sentences of an event
    t = tables(doc.language or "en", lexicons)
    return _Sentence(doc, part, actor=None, kind="", t=t, lexicons=lexicons).standing()


def official_words(doc: PipelineDoc, sentence: Sentence, *, lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> list[tuple[int, int]]:
    """The spans of the words for who speaks for a state (`officials`: "ministry", "police",
    "وزارت", "власти") in one sentence, outside a dateline or a stock note."""
    pattern = tables(doc.language or "en", lexicons).phrases.get("officials")
    if pattern is None:
        return []
    ignored: Callable[[int], object] = doc.layout.ignores if doc.layout is not None else (lambda _: None)
    return [(m.start(), m.end()) for m in pattern.finditer(doc.text, sentence.start, sentence.end) if ignored(m.start()) is None]


def attribute(doc: PipelineDoc, parts: Sequence[Part], *, actor: str | None, kind: str,
              lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> Attribution:
    """The attribution of one event: what its sentences (`parts`, an event's share of each) say
    about who did it, the strongest first (`records.strongest`); `UNSTATED` when they say
    nothing. `actor`: the event's actor (the group "the group" refers to); `kind`: its type."""
    t = tables(doc.language or "en", lexicons)
    ordered = sorted(parts, key=lambda p: p.sentence.index)
    found = [a for part in ordered for a in _Sentence(doc, part, actor=actor, kind=kind, t=t, lexicons=lexicons).read()]
    if kind == "propaganda":
        found += _release(doc, ordered, actor=actor, t=t, lexicons=lexicons)
    return strongest(found) or UNSTATED


def _release(doc: PipelineDoc, parts: Sequence[Part], *, actor: str | None, t: Tables, lexicons: lexicon.SearchPath) -> list[Attribution]:
    """A release told by a report is claimed by its author: through the outlet the report names
    (high), else on the report's word (medium)."""
    for part in parts:
        outlets = [c for c in part.mentions.cues if c.kind == "outlet"]
        if outlets:
            author = actor or _outlet_actors(lexicons).get(outlets[0].value)
            s = part.sentence
            reason = f'released by {author or "the group"} through {outlets[0].value} ("{outlets[0].text}")'
            return [Attribution(basis="claimed", confidence="high", group=author, by=author, outlet=outlets[0].value, reason=reason,
                                quote=doc.text[s.start : s.end], start=s.start, end=s.end)]
    if actor is None or not parts:
        return []
    s = parts[0].sentence
    reason = f"released by {actor}, as the report tells it (no outlet named)"
    return [Attribution(basis="claimed", confidence="medium", group=actor, by=actor, reason=reason, quote=doc.text[s.start : s.end], start=s.start, end=s.end)]


def of_release(*, actor: str | None, outlet: str | None, channel: str | None, evidence: Sequence[Evidence]) -> Attribution:
    """The attribution of a release read from the post itself (releases.v2): the group's own
    word, `high`; through its outlet, else the channel that posted it. `UNSTATED` when no actor
    is known."""
    if actor is None:
        return UNSTATED
    through = outlet or channel
    quote = evidence[0] if evidence else None
    reason = f"released by {actor}" + (f" through {through}" if through else "") + " (the release itself)"
    return Attribution(basis="claimed", confidence="high", group=actor, by=actor, outlet=through, reason=reason,
                       quote=quote.quote if quote else None, start=quote.start if quote else None, end=quote.end if quote else None)
