"""What extraction stages read and write: a document and the mentions found in it.

Offsets (`start`, `end`) are character offsets into `PipelineDoc.text`, so every mention and every
piece of evidence can be found verbatim in the stored document. `sentence` is the index of the
sentence holding the mention.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kwatch.records import Attribution, DateBasis


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str
    paragraph: int


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int
    end: int
    text: str
    sentence: int
    value: str  # 'YYYY' | 'YYYY-MM' | 'YYYY-MM-DD'; a hint: '--MM-DD' | 'W1'…'W7' (`dates.hint_value`)
    basis: str  # 'absolute' | 'relative' (resolved against the publication date) | 'inferred' (year guessed from the document) | 'partial' (a hint)


@dataclass(frozen=True, slots=True)
class PlaceMention:
    start: int
    end: int
    text: str
    sentence: int
    country: str | None  # ISO 3166-1 alpha-2
    admin1: str | None  # canonical province / region name
    admin2: str | None  # canonical district name
    place: str | None  # town, neighbourhood or site as named
    precision: str  # 'site' | 'town' | 'district' | 'province' | 'country'
    lat: float | None = None
    lon: float | None = None
    # The user lexicon entry the place was found by, as a provenance line ("place Jalalabad: name
    # 'jalal-abad' from user lexicon /home/a/lex/place_names.yaml"); None: the built-in lexicons.
    origin: str | None = None
    # A site's identity in every language: its canonical English kind ('mosque', 'embassy',
    # 'airport' …, lexicons/<lang>/places.yaml) and what its name says it is of: the owner's
    # country code ("посольство России", "سفارت روسیه" -> 'RU'), else the gazetteer's name of the
    # known place it is named by ("аэропорт Кабула", "Kabul airport" -> 'Kabul'), else None.
    site_kind: str | None = None
    site_of: str | None = None


@dataclass(frozen=True, slots=True)
class ActorMention:
    start: int
    end: int
    text: str
    sentence: int
    actor: str  # canonical short name: 'ISKP', 'IS', 'Taliban', 'TTP' ...
    # The user lexicon alias the actor was found by, as a provenance line ("actor ISKP: alias
    # 'lantern column' from user lexicon /home/a/lex/actors.yaml"); None: the built-in lexicons.
    origin: str | None = None


@dataclass(frozen=True, slots=True)
class CasualtyMention:
    start: int
    end: int
    text: str
    sentence: int
    kind: str  # 'killed' | 'injured'
    value: int | None  # None for vague amounts ("dozens")
    qualifier: str  # 'exact' | 'at_least' | 'more_than' | 'about' | 'vague'
    category: str | None  # 'civilians' | 'security' | 'foreigners' | 'attackers' | None
    claimed: bool  # the figure is the group's claim, not a reported toll


@dataclass(frozen=True, slots=True)
class Cue:
    """A lexicon match: a trigger word or phrase that says something about an event."""

    start: int
    end: int
    text: str
    sentence: int
    kind: str  # 'event_type' | 'method' | 'target' | 'medium' | 'outlet' | 'language' | 'claim' | 'no_claim' | ...
    value: str


@dataclass(frozen=True, slots=True)
class Evidence:
    start: int
    end: int
    quote: str  # == text[start:end]
    fields: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ExtractedEvent:
    """One event as extraction found it in one document (the FORMAT.md fields, plus detail)."""

    type: str
    date: str | None = None
    # Where `date` came from: 'text' | 'publication_day' | 'publication_month' | 'document_year'
    # (kwatch.records.DateBasis); None when there is no date.
    date_basis: DateBasis | None = None
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    place: str | None = None
    geo_precision: str | None = None
    lat: float | None = None
    lon: float | None = None
    actor: str | None = None
    claimed: bool | None = None
    method: str | None = None
    target: str | None = None
    killed: int | None = None
    injured: int | None = None
    killed_claimed: int | None = None
    injured_claimed: int | None = None
    casualties: tuple[CasualtyMention, ...] = ()  # every figure with its category and qualifier
    medium: str | None = None
    languages: tuple[str, ...] | None = None
    outlet: str | None = None
    # Who the event is put down to, on what basis, by whom and how surely, with its quote
    # (attribution.v1, pipeline/attribution.py); None: not read (an event built by hand).
    attribution: Attribution | None = None
    length: Mapping[str, int] = field(default_factory=dict)  # {'pages': 83} / {'minutes': 25}
    evidence: tuple[Evidence, ...] = ()
    provenance: Mapping[str, Any] = field(default_factory=dict)  # stage names, inferences with reasons
    detail: Mapping[str, Any] = field(default_factory=dict)  # extra record detail (a release's key, title, themes …)


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of text that tells nothing about the event: its mentions are not the event's."""

    start: int
    end: int
    # 'dateline' (where and when the report was filed) | 'boilerplate' (a legal or stock note) |
    # 'seat' (a country named as where the group is based)
    role: str
    text: str


@dataclass(frozen=True, slots=True)
class Layout:
    """How the document is written (reading.v1): the role of every sentence and the spans that
    are about the report, not the event."""

    # One per sentence, by index: 'headline' | 'byline' (an author or date line) | 'lead' (the
    # first sentence of the body) | 'body' | 'background' (recalls an earlier event) | 'question'
    roles: tuple[str, ...]
    spans: tuple[Span, ...] = ()
    # The sentence's marker of each background role, by index: what the role was read from.
    markers: Mapping[int, str] = field(default_factory=dict)

    def role(self, index: int) -> str:
        return self.roles[index] if 0 <= index < len(self.roles) else "body"

    def ignores(self, start: int) -> Span | None:
        """The span holding the offset `start`, if any."""
        if not self.spans:
            return None  # most documents: asked of every mention
        return next((s for s in self.spans if s.start <= start < s.end), None)


@dataclass(frozen=True, slots=True)
class PipelineDoc:
    """A document going through extraction. A stage returns a copy with its fields assigned."""

    id: str
    text: str
    published: str | None = None  # 'YYYY' | 'YYYY-MM' | 'YYYY-MM-DD' | None
    language: str | None = None
    title: str | None = None
    kind: str | None = None  # the reader's document kind ('telegram', 'rss', 'pdf' …)
    meta: Mapping[str, Any] = field(default_factory=dict)  # the reader's metadata (Telegram: channel, media …)
    sentences: tuple[Sentence, ...] | None = None
    dates: tuple[DateMention, ...] | None = None
    # Dates nothing resolves, as what they still say ('--MM-DD', 'W1'…'W7'; basis 'partial'):
    # dates.v2's `hint_value`.
    date_hints: tuple[DateMention, ...] | None = None
    places: tuple[PlaceMention, ...] | None = None
    actors: tuple[ActorMention, ...] | None = None
    casualties: tuple[CasualtyMention, ...] | None = None
    cues: tuple[Cue, ...] | None = None
    layout: Layout | None = None
    events: tuple[ExtractedEvent, ...] | None = None
    skipped: str | None = None  # why extraction produced nothing on purpose (unsupported language …)
    notes: tuple[str, ...] = ()  # document-level inferences ("year inferred from latest explicit date")

    def but(self, **fields: Any) -> PipelineDoc:
        """`dataclasses.replace(self, **fields)` at half its cost: every stage returns its document
        so, some ten times a document, and for a short one `replace`'s walk over the fields was a
        tenth of what a stage costs. A field name the class lacks raises AttributeError."""
        new = PipelineDoc(*_DOC_VALUES(self))
        for name, value in fields.items():
            object.__setattr__(new, name, value)  # (frozen) a copy no one holds yet
        return new


#: Every field of a PipelineDoc, in the order of its constructor's parameters.
_DOC_VALUES = operator.attrgetter(*(f.name for f in dataclasses.fields(PipelineDoc)))
