"""stix: the events as one STIX 2.1 bundle, built with the `stix2` library.

What each event becomes (docs/exports.md has the full mapping):
- an attack or plot by ISKP is a `sighting` of the ISKP `intrusion-set`, where_sighted_refs → its
  `location`; every other event (propaganda, raids, arrests, unattributed attacks) is a `note`
  whose object_refs name its location, outlet `identity`, the intrusion-set when ISKP is the actor,
  and the reports of its documents;
- each source document is a `report` whose object_refs are the sightings and notes it supports;
- casualty figures (reported and claimed, and the resolved ranges when present) travel in a
  property extension defined by an `extension-definition` in the same bundle;
- an event's attribution, when its sources state one (docs/attribution.md), is a second `note`
  about the event's sighting or note (and the intrusion-set when ISKP is the group named): the
  reason and the quote in words, STIX `confidence` (high 85, medium 50, low 15: the STIX 2.1
  High/Medium/Low scale), and basis, group, attributed_by, outlet, document and the other bases stated in a
  second property extension (OpenCTI keeps declared extensions, not unknown custom properties).

Ids are UUIDv5 of stable names (the event id, the document id, the place), so exporting the same
events twice gives the same bundle byte for byte. stix2-validator reports each as warning 103
("SHOULD be UUIDv4"); STIX itself uses v5 for deterministic identifiers, and a stable id is what
lets a consumer update an object instead of duplicating it. Timestamps never come from the clock:
`created`/`modified` (and a report's `published`) are the `timestamp` option, by default the
date this mapping was written."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from datetime import date as Date
from typing import Any, TextIO

import stix2

from kwatch import lexicon
from kwatch.export.csv import country_facts
from kwatch.records import ATTRIBUTION_BASES, ATTRIBUTION_CONFIDENCES, Attribution, ResolvedEvent

#: Namespace of every id in our bundles: uuid5(URL namespace, "kwatch STIX 2.1 mapping v1").
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "kwatch STIX 2.1 mapping v1")
#: Default created/modified of every object: the date this mapping (v1) was written.
MAPPING_TIMESTAMP = datetime(2026, 11, 25, tzinfo=UTC)
EXTENSION_VERSION = "1.0.0"

#: Location.precision in metres, by how precise the event's coordinates are.
PRECISION_METRES = {"site": 100.0, "town": 5_000.0, "district": 25_000.0, "province": 150_000.0, "country": 500_000.0}
#: GeoNames continent codes → STIX region-ov values.
REGIONS = {"AS": "asia", "EU": "europe", "AF": "africa", "NA": "americas", "SA": "south-america", "OC": "oceania", "AN": "antarctica"}
#: Event types that are the group's own operations, and so sightings of it when it is the actor.
SIGHTED_TYPES = ("attack", "plot")
GROUP = "ISKP"

CASUALTY_FIELDS = ("killed", "injured", "killed_claimed", "injured_claimed", "killed_low", "killed_high", "injured_low", "injured_high")
EXTENSION_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "kwatch casualties",
    "description": "Casualty figures of one event: reported by the sources (killed, injured), claimed by the actor "
    "(killed_claimed, injured_claimed), and the range the sources span once resolved (…_low, …_high). "
    "A figure not stated is left out.",
    "type": "object",
    "properties": {
        "extension_type": {"const": "property-extension"},
        **{name: {"type": "integer", "minimum": 0} for name in CASUALTY_FIELDS},
        "claimed": {"type": "boolean", "description": "the actor claimed responsibility"},
    },
    "required": ["extension_type"],
}


_ATTRIBUTION_PROPERTIES: dict[str, Any] = {
    "basis": {"enum": list(ATTRIBUTION_BASES)},
    "confidence": {"enum": list(ATTRIBUTION_CONFIDENCES)},
    "group": {"type": "string", "description": "the group the event is put down to"},
    "attributed_by": {"type": "string", "description": "who attributes it (the group itself for a claim or denial)"},
    "outlet": {"type": "string", "description": "the outlet or channel a claim came through"},
    "document": {"type": "string", "description": "kwatch id of the document the quote is from"},
}
ATTRIBUTION_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "kwatch attribution",
    "description": "On what basis an event is put down to a group (claimed, denied, blamed, assessed, suspected, unknown), "
    "by whom, how surely, and from which document; `others` lists the other bases the sources state. A value not stated is left out.",
    "type": "object",
    "properties": {
        "extension_type": {"const": "property-extension"},
        **_ATTRIBUTION_PROPERTIES,
        "others": {"type": "array", "items": {"type": "object", "properties": _ATTRIBUTION_PROPERTIES, "required": ["basis"]}},
    },
    "required": ["extension_type", "basis"],
}
#: STIX 2.1 confidence (Appendix A, the High/Medium/Low scale) of each attribution confidence.
STIX_CONFIDENCE = {"high": 85, "medium": 50, "low": 15}


def stix_id(kind: str, name: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, f'{kind}:{name}')}"


PRODUCER_ID = stix_id("identity", "kwatch")
EXTENSION_ID = stix_id("extension-definition", "casualties")
ATTRIBUTION_EXTENSION_ID = stix_id("extension-definition", "attribution")
GROUP_ID = stix_id("intrusion-set", GROUP)


def period(value: str | None) -> tuple[datetime, datetime] | None:
    """The start and end of the day, month or year an ISO date names (end exclusive)."""
    if not value:
        return None
    parts = [int(p) for p in value.split("-")]
    start = Date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    if len(parts) == 3:
        end = Date.fromordinal(start.toordinal() + 1)
    elif len(parts) == 2:
        end = Date(start.year + start.month // 12, start.month % 12 + 1, 1)
    else:
        end = Date(start.year + 1, 1, 1)
    return (datetime(start.year, start.month, start.day, tzinfo=UTC), datetime(end.year, end.month, end.day, tzinfo=UTC))


def summary(event: ResolvedEvent) -> str:
    """One line saying what the event is: type, how, when, where, figures."""
    how = [v for v in (event.method or event.medium, event.target and f"target {event.target}") if v]
    text = str(event.type or "event") + (f" ({', '.join(how)})" if how else "")
    if event.actor:
        text += f" by {event.actor}"
    if event.outlet:
        text += f" via {event.outlet}"
    text += f" on {event.date}" if event.date else ", date not stated"
    country = country_facts(event.country)
    where = [v for v in (event.place, event.admin2, event.admin1, country.name if country else event.country) if v]
    where = list(dict.fromkeys(where))
    if where:
        text += " at " + ", ".join(where)
    figures = [f"{name.replace('_', ' ')} {getattr(event, name)}" for name in ("killed", "injured", "killed_claimed", "injured_claimed") if getattr(event, name) is not None]
    if figures:
        text += "; " + ", ".join(figures)
    return text


class _Bundle:
    """Collects the objects of one bundle, each once, in the order first added."""

    def __init__(self, timestamp: datetime, names: Mapping[str, str]) -> None:
        self.timestamp = timestamp
        self.names = names
        self.objects: dict[str, Any] = {}
        self.report_refs: dict[str, list[str]] = {}
        self.report_names: dict[str, str] = {}

    def stamp(self) -> dict[str, Any]:
        return {"created": self.timestamp, "modified": self.timestamp}

    def add(self, obj: Any) -> str:
        self.objects.setdefault(obj.id, obj)
        return str(obj.id)

    def location(self, event: ResolvedEvent) -> str | None:
        lat, lon, code = event.lat, event.lon, event.country
        has_point = lat is not None and lon is not None
        if not has_point and not code:
            return None  # STIX needs coordinates, a country or a region; a bare place name has none
        country = country_facts(code)
        key = json.dumps([code, event.admin1, event.admin2, event.place, lat, lon, event.geo_precision], ensure_ascii=False)
        location_id = stix_id("location", key)
        if location_id in self.objects:
            return location_id
        props: dict[str, Any] = {
            "name": event.place or event.admin2 or event.admin1 or (country.name if country else code),
            "country": code,
            "region": REGIONS.get(country.continent) if country else None,
            "administrative_area": event.admin1,
            "city": event.place if event.geo_precision == "town" else None,
        }
        if has_point:
            props.update(latitude=float(lat or 0), longitude=float(lon or 0), precision=PRECISION_METRES.get(event.geo_precision or ""))
        props = {k: v for k, v in props.items() if v is not None}
        return self.add(stix2.Location(id=location_id, created_by_ref=PRODUCER_ID, **self.stamp(), **props))

    def outlet(self, name: str) -> str:
        outlet_id = stix_id("identity", f"outlet:{name}")
        if outlet_id not in self.objects:
            actor = lexicon.load("outlets")["outlets"].get(name, {}).get("actor")
            description = f"Media outlet that publishes for {actor}." if actor else "Media outlet."
            self.add(stix2.Identity(id=outlet_id, name=name, identity_class="organization", description=description, created_by_ref=PRODUCER_ID, **self.stamp()))
        return outlet_id

    def event(self, event: ResolvedEvent) -> str:
        event_id = str(event.id)
        doc_ids = list(dict.fromkeys(s.document_id for s in event.sources))
        for source in event.sources:
            self.report_names.setdefault(source.document_id, source.doc(self.names) or source.document_id)
        reports = [stix_id("report", doc) for doc in doc_ids]
        location_id = self.location(event)
        figures: dict[str, Any] = {name: int(getattr(event, name)) for name in CASUALTY_FIELDS if getattr(event, name) is not None}
        if event.claimed is not None:
            figures["claimed"] = bool(event.claimed)
        common: dict[str, Any] = {
            "created_by_ref": PRODUCER_ID,
            "external_references": [{"source_name": "kwatch", "external_id": event_id, "description": "kwatch event id"}],
            **self.stamp(),
        }
        if figures:
            common["extensions"] = {EXTENSION_ID: {"extension_type": "property-extension", **figures}}
        if event.type in SIGHTED_TYPES and event.actor == GROUP:
            window = period(event.date)
            extra: dict[str, Any] = {"where_sighted_refs": [location_id]} if location_id else {}
            if window:
                extra.update(first_seen=window[0], last_seen=window[1])
            obj: Any = stix2.Sighting(id=stix_id("sighting", event_id), sighting_of_ref=GROUP_ID, description=summary(event), **extra, **common)
        else:
            refs = [r for r in (location_id, self.outlet(event.outlet) if event.outlet else None, GROUP_ID if event.actor == GROUP else None) if r]
            quotes = [f'{s.doc(self.names)}: "{s.quote}"' for s in event.sources]
            obj = stix2.Note(
                id=stix_id("note", event_id), abstract=summary(event), content="\n".join([summary(event), *quotes]),
                authors=["kwatch"], object_refs=(refs + reports) or [PRODUCER_ID], **common,  # a captionless release of unknown outlet quotes nothing
            )
        for doc in doc_ids:
            self.report_refs.setdefault(doc, []).append(obj.id)
        added = self.add(obj)
        self.attribution(event, added, doc_ids)
        return added

    def attribution(self, event: ResolvedEvent, about: str, doc_ids: list[str]) -> None:
        """The note on the attribution of the event (its sighting or note `about`), when its
        sources state one."""
        found = event.attribution
        if found is None or not found.stated:
            return
        doc = found.document_id
        refs = [about, *([GROUP_ID] if found.group == GROUP else []), *([stix_id("report", doc)] if doc in doc_ids else [])]
        lines = [found.reason]
        if found.quote:
            lines.append(f'{self.names.get(doc or "", doc)}: "{found.quote}"')
        lines += [f"also stated: {o.reason} ({self.names.get(o.document_id or '', o.document_id)})" for o in found.others]
        extension = {"extension_type": "property-extension", **_attribution_values(found), "others": [_attribution_values(o) for o in found.others]}
        if not extension["others"]:
            del extension["others"]
        confidence = STIX_CONFIDENCE.get(found.confidence or "")
        self.add(stix2.Note(
            id=stix_id("note", f"attribution:{event.id}"), abstract=f"Attribution: {found.basis}" + (f", {found.confidence} confidence" if found.confidence else ""),
            content="\n".join(lines), authors=["kwatch"], object_refs=refs, created_by_ref=PRODUCER_ID,
            external_references=[{"source_name": "kwatch-attribution", "external_id": str(event.id), "description": "kwatch id of the event attributed"}],
            extensions={ATTRIBUTION_EXTENSION_ID: extension}, **({"confidence": confidence} if confidence is not None else {}), **self.stamp(),
        ))

    def reports(self) -> None:
        for doc, refs in sorted(self.report_refs.items()):
            self.add(stix2.Report(
                id=stix_id("report", doc), name=self.report_names[doc], report_types=["threat-report"],
                published=self.timestamp, object_refs=list(dict.fromkeys(refs)),
                description=f"The events kwatch extracted from the document {self.report_names[doc]}.",
                external_references=[{"source_name": "kwatch-document", "external_id": doc, "description": self.report_names[doc]}],
                created_by_ref=PRODUCER_ID, **self.stamp(),
            ))


def _attribution_values(found: Attribution) -> dict[str, str]:
    values = {"basis": found.basis, "confidence": found.confidence, "group": found.group, "attributed_by": found.by, "outlet": found.outlet, "document": found.document_id}
    return {name: value for name, value in values.items() if value is not None}


def group_aliases() -> list[str]:
    """Every alias of ISKP in lexicons/actors.yaml, all languages, first spelling first."""
    aliases = lexicon.load("actors")["actors"][GROUP]["aliases"]
    return [a for a in dict.fromkeys(str(a) for names in aliases.values() for a in names) if a != GROUP]


def stix_objects(
    events: Iterable[ResolvedEvent], *, names: Mapping[str, str] | None = None, timestamp: datetime = MAPPING_TIMESTAMP
) -> tuple[list[Any], int]:
    """The STIX objects of `events` (documents named by `names`), producer and definitions first,
    and how many events they hold (one sighting or note each)."""
    parts = _Bundle(timestamp, names or {})
    parts.add(stix2.Identity(id=PRODUCER_ID, name="Khorasan Watch (kwatch)", identity_class="system",
                             description="Open-source monitoring of ISKP activity built from public reports.", **parts.stamp()))
    parts.add(stix2.ExtensionDefinition(
        id=EXTENSION_ID, name="kwatch casualties", version=EXTENSION_VERSION, extension_types=["property-extension"],
        description="Casualty figures of an event, reported by the sources and claimed by the actor.",
        schema=json.dumps(EXTENSION_SCHEMA, ensure_ascii=False), created_by_ref=PRODUCER_ID, **parts.stamp(),
    ))
    parts.add(stix2.ExtensionDefinition(
        id=ATTRIBUTION_EXTENSION_ID, name="kwatch attribution", version=EXTENSION_VERSION, extension_types=["property-extension"],
        description="On what basis an event is put down to a group, by whom and how surely.",
        schema=json.dumps(ATTRIBUTION_SCHEMA, ensure_ascii=False), created_by_ref=PRODUCER_ID, **parts.stamp(),
    ))
    parts.add(stix2.IntrusionSet(
        id=GROUP_ID, name=GROUP, aliases=group_aliases(), created_by_ref=PRODUCER_ID, **parts.stamp(),
        description="Islamic State Khorasan Province, the Islamic State's branch for Afghanistan, Pakistan and Central Asia.",
    ))
    count = 0
    for event in events:
        parts.event(event)
        count += 1
    parts.reports()
    return list(parts.objects.values()), count


def _serialized(objects: list[Any]) -> tuple[str, list[str]]:
    """The bundle id (UUIDv5 of the content) and each object's JSON in stix2's property order."""
    texts = [o.serialize(pretty=True, ensure_ascii=False) for o in objects]
    return stix_id("bundle", hashlib.sha256("\n".join(texts).encode("utf-8")).hexdigest()), texts


def bundle(
    events: Iterable[ResolvedEvent], *, names: Mapping[str, str] | None = None, timestamp: datetime = MAPPING_TIMESTAMP
) -> tuple[stix2.Bundle, int]:
    """The STIX bundle of `events` and how many events it holds."""
    objects, count = stix_objects(events, names=names, timestamp=timestamp)
    bundle_id, _ = _serialized(objects)
    return stix2.Bundle(*objects, id=bundle_id), count


def write_stix(
    events: Iterable[ResolvedEvent], fp: TextIO, *, names: Mapping[str, str] | None = None, timestamp: datetime = MAPPING_TIMESTAMP
) -> int:
    """Write the STIX 2.1 bundle of `events` to `fp` (documents named by `names`); returns the
    number of events."""
    objects, count = stix_objects(events, names=names, timestamp=timestamp)
    bundle_id, texts = _serialized(objects)
    # Objects are serialized one by one: stix2's pretty Bundle.serialize() orders properties by
    # searching the whole bundle for each one, which is quadratic (minutes at 10^3 events).
    envelope = {"type": "bundle", "id": bundle_id, "objects": [json.loads(text) for text in texts]}
    json.dump(envelope, fp, indent=4, ensure_ascii=False)
    fp.write("\n")
    return count
