"""The record types of kwatch after extraction, with their field lists written once.

    ExtractedEvent (pipeline/model.py, what the stages build)
        └─ extract.to_event ─▶ Event ──▶ store `events` + `event_sources` rows ──▶ Store.events()
                                  └─ resolve ─▶ ResolvedEvent ──▶ store `resolved_events` ──▶ Store.resolved_events()
                                                   └─ review.apply ─▶ ResolvedEvent with `review` (Kwatch.reviewed_events())
    Event.record() / ResolvedEvent.record(): the FORMAT.md record (../shared/eval/FORMAT.md) that
    exports, the API and the dashboard serve, `sources` naming each document by its display name.

The store reads back the types it was given; query, review, analytics and the exporters take them
and call `record(names)` where they need the FORMAT.md dict.

Everything that lists these fields derives the list from here: the store's columns
(`store/schema.py`, with a type map, from `stored_fields()`), the keys of `Event.as_dict()`,
`api.RECORD_FIELDS` / `api.RESOLVED_FIELDS`, the analytics frame (`analytics.COLUMNS`).
`tests/test_records.py` checks that the derived tables are the ones migrations 0001/0002 created.

A field is, unless its metadata says otherwise, both stored and part of the record:
`STORE_ONLY` (stored in a column, not in the record: which document wrote an event),
`IN_DETAIL_ONLY` (stored in the JSON `detail`, not in the record: `date_basis`), `IN_DETAIL_RECORD`
(stored in the JSON `detail`, part of the record: `attribution`) and `LAID_OVER` (never stored,
laid over the stored record on read: the analysts' `review`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal, get_args

#: Where an event's date came from. `text`: the text states it (or the paragraph does);
#: `publication_day` / `publication_month`: the text gives none and the report's day (month)
#: stands in; `document_year`: only the year of the document (a release called new/recent).
DateBasis = Literal["text", "publication_day", "publication_month", "document_year"]
DATE_BASES: tuple[str, ...] = get_args(DateBasis)

#: Methods that are a kind of another (a suicide bombing is a bombing). A source that names the
#: exact one refines another's general one: in one report, the sentence that says the bomber blew
#: himself up refines the opening's "explosion" (events.v3); across reports, resolution does the same.
METHOD_KIND_OF = {"suicide_bombing": "bombing"}


def refined_method(chosen: str | None, named: Iterable[str | None]) -> str | None:
    """`chosen`, or the more exact method of its kind that one of `named` is."""
    exact = sorted({m for m in named if m is not None and METHOD_KIND_OF.get(m) == chosen})
    return exact[0] if exact else chosen


#: On what ground an event is put down to a group (docs/attribution.md), strongest first:
#: `claimed` the group claimed it (itself, or through its outlet or channel); `denied` the group
#: denied it; `blamed` officials or governments blamed or accused the group; `assessed` analysts,
#: experts or monitors attribute it; `suspected` the group is suspected or believed to be behind
#: it; `unknown` no attribution is stated (or the report says no group has claimed it).
AttributionBasis = Literal["claimed", "denied", "blamed", "assessed", "suspected", "unknown"]
ATTRIBUTION_BASES: tuple[str, ...] = get_args(AttributionBasis)
#: How far the basis can be trusted, highest first: `high` the group's own claim (or denial),
#: `medium` blame by officials or a claim only reported second-hand, `low` suspicion or an
#: assessment. An `unknown` basis has none (None).
AttributionConfidence = Literal["high", "medium", "low"]
ATTRIBUTION_CONFIDENCES: tuple[str, ...] = get_args(AttributionConfidence)
#: Each basis in words, as the CLI and the dashboard say it (docs/attribution.md has the same).
BASIS_WORDS = {
    "claimed": "the group claimed it",
    "denied": "the group denied it",
    "blamed": "officials or a government blamed the group",
    "assessed": "analysts, experts or monitors attribute it to the group",
    "suspected": "the group is suspected or believed to be behind it",
    "unknown": "no attribution stated",
}


#: How a report's date was found (`DateBasis`), in words.
DATE_BASIS_WORDS = {
    "text": "from its text",
    "publication_day": "by its publication day (the text gives none)",
    "publication_month": "by its publication month (the text gives none)",
    "document_year": "by the document's year only",
}


def merge_reason(reason: Mapping[str, Any]) -> str:
    """Why a report is part of its event, in words: the first report; the pair model's
    probability and what moved it; the same release; or the analyst who merged it. `kwatch
    event` and the event page both say it this way."""
    kind = reason.get("kind")
    if kind == "first":
        return "first report"
    if kind == "auto" and "evidence" in reason:  # the pair model: its probability and what moved it
        return f"{reason['probability']:.2f} likely one event: " + ", ".join(f"{p['means']} ({p['weight']:+.1f})" for p in reason["evidence"])
    if kind == "auto":  # a resolution stored before the pair model (resolve.v2)
        return f"score {reason['score']}: " + ", ".join(reason["matched"])
    if kind == "release_key":
        return f"same release ({reason['release_key']})"
    if kind == "analyst":
        return f"merged by {reason.get('who')}" + (f": {reason['why']}" if reason.get("why") else "")
    return str(kind)


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who an event is put down to, on what basis, by whom, how surely, and the verbatim quote
    (`quote` == the text of document `document_id` from `start` to `end`) it was read from.

    `group`: the group attributed (the claimant, the group blamed or suspected); `by`: who
    attributes it (the group itself for a claim or denial; the official body or actor that
    blames, when the text names it as an actor; else None); `outlet`: the outlet or channel a
    claim came through; `reason`: the same in words. `others`: the other bases stated, one of each
    (the strongest), kept so that a claim beside "no group has claimed it" stays visible."""

    basis: AttributionBasis
    confidence: AttributionConfidence | None = None
    group: str | None = None
    by: str | None = None
    outlet: str | None = None
    reason: str = ""
    quote: str | None = None
    start: int | None = None
    end: int | None = None
    document_id: str | None = None
    others: tuple[Attribution, ...] = ()

    @property
    def rank(self) -> tuple[int, int, int]:
        """Sorts the strongest first: basis (ATTRIBUTION_BASES order), confidence, a stated quote
        before none."""
        confidence = ATTRIBUTION_CONFIDENCES.index(self.confidence) if self.confidence else len(ATTRIBUTION_CONFIDENCES)
        return ATTRIBUTION_BASES.index(self.basis), confidence, self.quote is None

    def as_dict(self) -> dict[str, Any]:
        """The stored form: every field, `others` as a list of their stored forms."""
        return {
            "basis": self.basis, "confidence": self.confidence, "group": self.group, "by": self.by, "outlet": self.outlet,
            "reason": self.reason, "quote": self.quote, "start": self.start, "end": self.end, "document_id": self.document_id,
            "others": [o.as_dict() for o in self.others],
        }  # fmt: skip

    def record(self, names: Mapping[str, str]) -> dict[str, Any]:
        """The record's `attribution`: the stored form with `doc`, the document's display name."""
        doc = names.get(self.document_id, self.document_id) if self.document_id else None
        return {**self.as_dict(), "doc": doc, "others": [o.record(names) for o in self.others]}

    @property
    def stated(self) -> bool:
        """The text says something about who did it (every basis but an `unknown` without a quote)."""
        return self.basis != "unknown" or self.quote is not None

    def in_document(self, document_id: str) -> Attribution:
        """The same attribution (and its others) read from document `document_id`: the document
        its quote is from (one without a quote names none)."""
        document = document_id if self.quote is not None else None
        return replace(self, document_id=document, others=tuple(o.in_document(document_id) for o in self.others))

    @staticmethod
    def of(mapping: Mapping[str, Any]) -> Attribution:
        """An attribution from its stored form or its record (`doc` is left out: it is a name)."""
        return Attribution(
            basis=mapping["basis"],
            confidence=mapping.get("confidence"),
            group=mapping.get("group"),
            by=mapping.get("by"),
            outlet=mapping.get("outlet"),
            reason=mapping.get("reason") or "",
            quote=mapping.get("quote"),
            start=mapping.get("start"),
            end=mapping.get("end"),
            document_id=mapping.get("document_id"),
            others=tuple(Attribution.of(o) for o in mapping.get("others") or ()),
        )


def strongest(found: Iterable[Attribution]) -> Attribution | None:
    """The strongest of `found` (by `Attribution.rank`, then document, offset and reason, so the
    choice does not depend on their order), with `others`: the strongest stated one of each other
    basis among `found` and their own `others`. None when `found` is empty."""
    flat = [replace(a, others=()) if a.others else a for given in found for a in (given, *given.others)]
    if not flat:
        return None
    flat.sort(key=lambda a: (a.rank, a.document_id or "", a.start if a.start is not None else -1, a.reason))
    best, others = flat[0], list[Attribution]()
    for candidate in flat[1:]:
        if candidate.stated and candidate.basis != best.basis and all(o.basis != candidate.basis for o in others):
            others.append(candidate)
    return replace(best, others=tuple(others)) if others else best


@dataclass(frozen=True, slots=True)
class Source:
    """One piece of evidence: who stated it (the document), the verbatim quote, where, and which
    event fields it supports."""

    document_id: str
    quote: str
    start: int | None = None
    end: int | None = None
    fields: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The stored form (`event_sources` row without event id and position)."""
        return {"document_id": self.document_id, "quote": self.quote, "start": self.start, "end": self.end, "fields": list(self.fields)}

    def doc(self, names: Mapping[str, str]) -> str:
        """The document's display name in `names` (`Kwatch.document_names()`), else its id."""
        return names.get(self.document_id, self.document_id)

    def record(self, names: Mapping[str, str]) -> dict[str, Any]:
        """The FORMAT.md source: `doc` is the document's display name (`doc(names)`)."""
        return {"doc": self.doc(names), **self.as_dict()}

    @staticmethod
    def of(mapping: Mapping[str, Any]) -> Source:
        return Source(
            document_id=mapping["document_id"],
            quote=mapping["quote"],
            start=mapping.get("start"),
            end=mapping.get("end"),
            fields=tuple(mapping.get("fields") or ()),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class _Format:
    """The FORMAT.md fields, in the order exports write them."""

    id: str
    type: str
    date: str | None = None
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    place: str | None = None
    actor: str | None = None
    claimed: bool | None = None
    method: str | None = None
    target: str | None = None
    killed: int | None = None
    injured: int | None = None
    killed_claimed: int | None = None
    injured_claimed: int | None = None
    medium: str | None = None
    languages: tuple[str, ...] | None = None
    outlet: str | None = None


#: Field metadata: stored in a column of its own, but not part of the record kwatch serves.
STORE_ONLY = {"record": False}
#: Field metadata: stored inside the JSON `detail` (no column of its own), not in the record.
IN_DETAIL_ONLY = {"record": False, "column": False}
#: Field metadata: stored inside the JSON `detail` (no column of its own), part of the record.
IN_DETAIL_RECORD = {"column": False}
#: Field metadata: never stored; laid over the stored record when it is read. Not one of the
#: record's fields either: `record()` adds it last, when it is set.
LAID_OVER = {"record": False, "stored": False}


@dataclass(frozen=True, slots=True)
class Review:
    """What analysts made of a resolved event (`kwatch.review`): `status` confirmed, rejected or
    None (not reviewed), and the fields they edited, sorted by name."""

    status: str | None = None
    edited: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The record's `review`: {status, edited}."""
        return {"status": self.status, "edited": list(self.edited)}

    @staticmethod
    def of(mapping: Mapping[str, Any]) -> Review:
        return Review(status=mapping.get("status"), edited=tuple(mapping.get("edited") or ()))


@dataclass(frozen=True, slots=True, kw_only=True)
class Event(_Format):
    """One event as extraction found it in one document: FORMAT.md fields, sources, location
    precision and coordinates, `attribution`, `detail` (casualties by category, length,
    provenance …), and `document_id`, the document whose extraction wrote it (its sources may
    cite others too)."""

    sources: tuple[Source, ...] = ()
    geo_precision: str | None = None
    lat: float | None = None
    lon: float | None = None
    attribution: Attribution | None = field(default=None, metadata=IN_DETAIL_RECORD)
    detail: Mapping[str, Any] = field(default_factory=dict)
    date_basis: DateBasis | None = field(default=None, metadata=IN_DETAIL_ONLY)
    document_id: str = field(metadata=STORE_ONLY)

    def as_dict(self) -> dict[str, Any]:
        """The stored form as a dict of `EVENT_KEYS` (what `Store.set_extraction` also takes)."""
        return {name: _plain(getattr(self, name)) for name in EVENT_KEYS}

    def record(self, names: Mapping[str, str]) -> dict[str, Any]:
        """The FORMAT.md record with extra keys (sources, geo_precision, lat, lon, attribution, detail)."""
        return _record(self, EVENT_RECORD, names)

    @staticmethod
    def of(mapping: Mapping[str, Any]) -> Event:
        """An event from its stored dict (`as_dict()`, a row of the store's)."""
        return Event(**_typed(mapping, EVENT_KEYS))


@dataclass(frozen=True, slots=True, kw_only=True)
class ResolvedEvent(_Format):
    """One real-world event: FORMAT.md fields, the range of reported figures, location precision
    and coordinates, `attribution` (the strongest of its members', the others kept), `detail`
    (per-source figures, merge explanation, claim links), every source."""

    killed_low: int | None = None
    killed_high: int | None = None
    injured_low: int | None = None
    injured_high: int | None = None
    geo_precision: str | None = None
    lat: float | None = None
    lon: float | None = None
    attribution: Attribution | None = field(default=None, metadata=IN_DETAIL_RECORD)
    detail: Mapping[str, Any] = field(default_factory=dict)
    sources: tuple[Source, ...] = ()
    review: Review | None = field(default=None, metadata=LAID_OVER)

    def record(self, names: Mapping[str, str]) -> dict[str, Any]:
        """The FORMAT.md record with extra keys (ranges, location, detail, sources), and `review`
        last when analysts' overrides were applied (`review.apply`)."""
        record = _record(self, RESOLVED_RECORD, names)
        if self.review is not None:
            record["review"] = self.review.as_dict()
        return record

    @staticmethod
    def of(mapping: Mapping[str, Any]) -> ResolvedEvent:
        """A resolved event from its record or a row of `resolved_events` (no sources: those
        are its members' sources)."""
        return ResolvedEvent(**_typed(mapping, _names(ResolvedEvent)))


def _names(cls: type, *, record_only: bool = False, stored_only: bool = False) -> tuple[str, ...]:
    return tuple(
        f.name
        for f in fields(cls)
        if (not record_only or f.metadata.get("record", True)) and (not stored_only or f.metadata.get("stored", True))
    )


def stored_fields(record_type: type) -> tuple[str, ...]:
    """The fields of `record_type` the store keeps (a column, `detail`, or `event_sources`), in order."""
    return _names(record_type, stored_only=True)


#: The FORMAT.md fields, in the order exports write them.
FORMAT_FIELDS = _names(_Format)
#: Keys of an event as the store keeps it (`Event.as_dict()`), in this order.
EVENT_KEYS = stored_fields(Event)
#: Keys of an extracted event's record (`Event.record()`), in this order.
EVENT_RECORD = _names(Event, record_only=True)
#: Keys of a resolved event's record (`ResolvedEvent.record()`), in this order; `sources` last
#: (then `review`, when set).
RESOLVED_RECORD = _names(ResolvedEvent, record_only=True)


def in_detail(record_type: type) -> tuple[str, ...]:
    """The stored fields of `record_type` kept in the store's JSON `detail` rather than in a
    column of their own."""
    return tuple(f.name for f in fields(record_type) if f.metadata.get("stored", True) and not f.metadata.get("column", True))


#: Fields kept in the store's JSON `detail` of an event rather than in a column of their own.
IN_DETAIL = in_detail(Event)
#: The same for a resolved event (`resolved_events.detail`).
RESOLVED_IN_DETAIL = in_detail(ResolvedEvent)


def _record(event: Event | ResolvedEvent, keys: tuple[str, ...], names: Mapping[str, str]) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for key in keys:
        value = getattr(event, key)
        if key == "sources":
            record[key] = [s.record(names) for s in value]
        elif key == "attribution":
            record[key] = None if value is None else value.record(names)
        elif key == "languages":
            record[key] = None if value is None else list(value)
        else:
            record[key] = _plain(value)
    return record


def _typed(mapping: Mapping[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    values = {key: mapping[key] for key in keys if key in mapping}
    if "sources" in values:
        values["sources"] = tuple(s if isinstance(s, Source) else Source.of(s) for s in values["sources"] or ())
    if values.get("languages") is not None:
        values["languages"] = tuple(values["languages"])
    if values.get("detail") is None:
        values.pop("detail", None)
    if isinstance(values.get("review"), Mapping):
        values["review"] = Review.of(values["review"])
    if isinstance(values.get("attribution"), Mapping):
        values["attribution"] = Attribution.of(values["attribution"])
    return values


def _plain(value: Any) -> Any:
    if isinstance(value, (Source, Attribution)):
        return value.as_dict()
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
