"""The members resolution compares: one per-document event, its keys normalised."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date as Date
from typing import TYPE_CHECKING, Any

from kwatch.releases import keys_of
from kwatch.resolve.names import main_script

if TYPE_CHECKING:
    pass

# -- items --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Member:
    id: str
    document_id: str
    type: str
    date: str | None
    day: int | None  # ordinal of a day date
    country: str | None
    admin1: str | None
    admin2: str | None
    place: str | None
    place_key: str
    precision: str | None
    lat: float | None
    lon: float | None
    actor: str | None
    method: str | None
    target: str | None
    killed: int | None
    injured: int | None
    medium: str | None
    languages: frozenset[str]
    outlet: str | None
    release_keys: tuple[str, ...]
    raw: Mapping[str, Any]
    date_from_publication: bool = False  # the text gave no date; the report's day stands in
    date_basis: str | None = None  # records.DateBasis of the date
    language: str | None = None  # of its document
    words: frozenset[str] = frozenset()  # the words of its quotes (`words_of`), for text similarity
    script: str | None = None  # the script most of its words are written in (`names.main_script`)
    # The site it happened at as one thing in every language: (kind, owner country or place), from
    # the extractor's `detail.site` ("embassy", "RU"); None when not at a known kind of site.
    site: tuple[str, str | None] | None = None
    # What an undated report still says of its day ('--MM-DD', 'W1'…'W7': dates.v2's hints),
    # from the extractor's `detail.date_hint`.
    date_hint: str | None = None
    published: str | None = None  # its document's publication date, at the precision it has

    @staticmethod
    def of(e: Mapping[str, Any], document: DocumentInfo | None = None) -> Member:
        day = None
        if e.get("date") and len(e["date"]) == 10:
            day = Date.fromisoformat(e["date"]).toordinal()
        detail = e.get("detail") or {}
        words = words_of(" ".join(str(s.get("quote") or "") for s in e.get("sources") or ()))
        return Member(
            id=e["id"],
            document_id=e["document_id"],
            type=e["type"],
            date=e.get("date"),
            day=day,
            country=e.get("country"),
            admin1=e.get("admin1"),
            admin2=e.get("admin2"),
            place=e.get("place"),
            place_key=norm(e.get("place")),
            precision=e.get("geo_precision"),
            lat=e.get("lat"),
            lon=e.get("lon"),
            actor=e.get("actor"),
            method=e.get("method"),
            target=e.get("target"),
            killed=e.get("killed"),
            injured=e.get("injured"),
            medium=e.get("medium"),
            languages=frozenset(e.get("languages") or ()),
            outlet=e.get("outlet"),
            release_keys=keys_of(detail),  # what one release is: kwatch.releases
            raw=e,
            date_from_publication=e.get("date_basis") == "publication_day",
            date_basis=e.get("date_basis"),
            language=document.language if document else None,
            words=words,
            script=main_script(words),
            site=_site(detail),
            date_hint=detail.get("date_hint") if isinstance(detail.get("date_hint"), str) else None,
            published=document.published if document else None,
        )


def _site(detail: Mapping[str, Any]) -> tuple[str, str | None] | None:
    site = detail.get("site")
    if not isinstance(site, Mapping) or not site.get("kind"):
        return None
    return str(site["kind"]), (str(site["of"]) if site.get("of") else None)


def words_of(text: str) -> frozenset[str]:
    """The words of a text that can tell one event from another in any script: folded words of
    four letters or more, and numbers in any digit system (as ASCII digits)."""
    found = set()
    for word in norm(text).split():
        if word.isdigit():
            found.add(str(int(word)))  # int() reads every decimal digit system
        elif len(word) >= 4:
            found.add(word)
    return frozenset(found)


def norm(text: str | None) -> str:
    """Case-, accent- and punctuation-blind form of a name."""
    if not text:
        return ""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[\W_]+", " ", folded).split())


def km(a: Member, b: Member) -> float | None:
    if None in (a.lat, a.lon, b.lat, b.lon):
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))  # type: ignore[arg-type]
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))




@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """What resolution needs to know about a document."""

    id: str
    name: str
    published: str | None = None
    source: str | None = None
    language: str | None = None


@dataclass(slots=True)
class Resolved:
    """One resolved event: its record fields and its members with the reason each joined."""

    id: str
    record: dict[str, Any]
    members: list[tuple[str, dict[str, Any]]] = field(default_factory=list)




def record_dates_compatible(a: str | None, b: str | None) -> bool:
    """One date is a prefix of the other (or either is unknown)."""
    return a is None or b is None or a.startswith(b) or b.startswith(a)


