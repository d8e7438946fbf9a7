"""The resolved record of one cluster: every field from its members, figures side by side.

Every choice here depends on what the members say and on who said it (the document's source),
never on the order the members come in or on when a report was published, so the record does not
change when a late report arrives that agrees with the others. docs/resolution.md ("The merged
record") tells the same rules.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from kwatch import lexicon
from kwatch.records import Attribution, refined_method, strongest
from kwatch.releases import release_detail
from kwatch.resolve.clusters import Clusters
from kwatch.resolve.members import DocumentInfo, Member, Resolved
from kwatch.resolve.rules import FIGURE_RULE, GENERIC_ACTORS, PRECISION_RANK, TYPE_ORDER

if TYPE_CHECKING:
    pass

# -- the merged record --------------------------------------------------------------------------

#: The location fields, from the coarsest to the finest.
LOCATION = ("country", "admin1", "admin2", "place")


def merge(ids: list[str], items: Mapping[str, Member], clusters: Clusters, documents: Mapping[str, DocumentInfo]) -> Resolved:
    members = [items[i] for i in ids]
    rid = ids[0]
    source = {m.id: _source(m, documents) for m in members}
    record: dict[str, Any] = {"id": rid}
    record["type"] = _most_common([m.type for m in members], prefer=TYPE_ORDER)
    date = _pick_date(members, source)
    record["date"] = date.value
    place = _pick_place(members, source)
    record.update(place.fields)
    record["actor"] = _pick_actor([m.actor for m in members])
    claims = [m.raw.get("claimed") for m in members]
    record["claimed"] = True if True in claims else (False if False in claims else None)
    record["method"] = refined_method(_most_common([m.method for m in members], prefer=_priority("methods")), (m.method for m in members))
    record["target"] = _most_common([m.target for m in members], prefer=_priority("targets"))
    record["medium"] = _most_common([m.medium for m in members])
    record["outlet"] = _most_common([m.outlet for m in members])
    record["languages"] = sorted({lang for m in members for lang in m.languages})
    record["attribution"] = _pick_attribution(members)

    placed = {m.id for m in place.consistent if any(getattr(m, name) for name in LOCATION[1:])}
    figures = [_figures(m, documents, placed=m.id in placed) for m in members]
    killed_from = None
    for name in ("killed", "injured"):
        best, low, high, chosen = _best_figure(figures, name)
        record.update({name: best, f"{name}_low": low, f"{name}_high": high})
        killed_from = chosen if name == "killed" else killed_from
    for name in ("killed_claimed", "injured_claimed"):
        record[name] = _best_figure(figures, name)[0]
    # Victims by category from the report whose toll was chosen, so the parts fit the whole.
    casualties = (killed_from or {}).get("casualties") or _most_detailed(figures)
    record["detail"] = {
        "members": ids,
        "documents": sorted({m.document_id for m in members}),
        "figures": figures,
        "figure_rule": FIGURE_RULE,
        "casualties": casualties,
        "date_basis": date.basis,
        "date_from": date.members,
        "date_refines": date.refines,
        "place_basis": place.basis,
        "inherited": _inherited(members, record),
    }
    sighted = [m.raw for m in members if m.release_keys]  # a report about a release is no sighting
    if record["type"] == "propaganda" and sighted:
        # One release: its sightings, keys and themes, by the rule merge_sightings follows too.
        record["detail"].update(release_detail(sighted))
    reasons = clusters.reasons(ids)
    return Resolved(rid, record, [(eid, reasons[eid]) for eid in ids])


def _source(m: Member, documents: Mapping[str, DocumentInfo]) -> str:
    """Who stated a member's fields: its document's source (outlet, channel), else the document.
    Two reports of one outlet are one source; a figure counts once per source."""
    doc = documents.get(m.document_id)
    return f"source:{doc.source}" if doc and doc.source else f"document:{m.document_id}"


def _support(values: Iterable[tuple[Any, str]]) -> Counter[Any]:
    """How many independent sources give each value (`values`: (value, source) pairs)."""
    return Counter(value for value, _ in set(values))


# -- date ---------------------------------------------------------------------------------------


#: The date bases that only bound the event's date from above, the finest founded first.
BOUNDS = ("claim", "publication_day", "publication_month", "document_year")


@dataclass(frozen=True, slots=True)
class _Date:
    value: str | None
    basis: str | None  # "text", "claim", or the publication basis of the members that give it
    members: list[str]  # the members that give this date on this basis
    refines: str | None = None  # the coarser text date (a month, a year) this date falls in


def _date_basis(m: Member) -> str:
    """A member's date basis: `date_basis` of the event ("text" when unknown: events extracted
    before the field existed), or "claim" when the sentence that dates the event is the one that
    says the group claimed it (events.v3 marks the fields each quote supports: `date` and
    `claimed` on one quote; the mark is the same in every language)."""
    basis = m.raw.get("date_basis") or "text"
    if basis == "text" and m.type != "propaganda" and m.raw.get("claimed") is True:
        for quote in m.raw.get("sources") or ():
            if {"date", "claimed"} <= set(quote.get("fields") or ()):
                return "claim"
    return str(basis)


def _pick_date(members: Sequence[Member], source: Mapping[str, str]) -> _Date:
    """The date the text gives for the event itself; else the earliest bound from above.

    1. Of the dates the members' texts give (basis "text"): the most precise, then the one most
       sources give, then the earliest (an attack comes before its reports and its claim).
    2. Bounds from above — the date a claim of responsibility gives (basis "claim": a claim comes
       on the attack's day or after it) and a report's publication day or month standing in for a
       date its text does not give — never replace a text date. They give the date when no text
       does (the most precise, then the earliest). A publication day refines a text date that is
       only a month or a year when it falls inside it (the earliest such day); a claim's date never
       does, so the claim's day never becomes the attack's when a report dates the attack."""
    dated = [(m, _date_basis(m)) for m in members if m.date]
    text = [m for m, basis in dated if basis == "text"]
    bounds = [(m, basis) for m, basis in dated if basis != "text"]
    if text:
        finest = max(len(m.date or "") for m in text)
        votes = _support((m.date, source[m.id]) for m in text if len(m.date or "") == finest)
        value = min(votes, key=lambda d: (-votes[d], d))
        found = _Date(value, "text", sorted(m.id for m in text if m.date == value))
        inside = [
            (m, basis)
            for m, basis in bounds
            if basis.startswith("publication") and (m.date or "").startswith(value) and len(m.date or "") > len(value)
        ]
        if not inside:
            return found
        refined = _earliest_bound(inside)
        return _Date(refined.value, refined.basis, refined.members, refines=value)
    if bounds:
        return _earliest_bound(bounds)
    return _Date(None, None, [])


def _earliest_bound(bounds: Sequence[tuple[Member, str]]) -> _Date:
    finest = max(len(m.date or "") for m, _ in bounds)
    value = min(m.date or "" for m, _ in bounds if len(m.date or "") == finest)
    giving = [(m, basis) for m, basis in bounds if m.date == value]
    basis = min((b for _, b in giving), key=lambda b: BOUNDS.index(b) if b in BOUNDS else len(BOUNDS))
    return _Date(value, basis, sorted(m.id for m, _ in giving))


# -- place --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Place:
    fields: dict[str, Any]
    consistent: list[Member]  # the members in the majority's country and province (or naming none)
    basis: dict[str, Any] | None


def _pick_place(members: Sequence[Member], source: Mapping[str, str]) -> _Place:
    """The most precise location that agrees with the others. The country and then the province
    are those most sources give (on a tie, the one of the most precise member, then by name);
    a member in another country or province is set aside, however precise. Of the others the
    finest precision wins (site < town < district < province < country), then a named place,
    the place most sources name, the smallest id; its gaps are filled from the others."""
    country = _majority(members, "country", source)
    in_country = [m for m in members if m.country in (None, country)]
    admin1 = _majority(in_country, "admin1", source)
    consistent = [m for m in in_country if m.admin1 in (None, admin1)]
    kept = {m.id for m in consistent}
    set_aside = sorted(m.id for m in members if m.id not in kept)
    located = [m for m in consistent if m.country or m.admin1 or m.admin2 or m.place or m.precision]
    if not located:
        empty = dict.fromkeys((*LOCATION, "geo_precision", "lat", "lon"))
        return _Place(empty, consistent, None)
    names = _support((m.place_key, source[m.id]) for m in consistent if m.place_key)
    where = min(located, key=lambda m: (_rank(m), m.place is None, -names.get(m.place_key, 0), m.id))
    fields: dict[str, Any] = {}
    filled = []
    for name in LOCATION:
        fields[name] = getattr(where, name)
        if fields[name] is None:
            pool = consistent if name != "admin2" else [m for m in consistent if m.admin1 in (None, fields["admin1"])]
            fields[name] = _most_common([getattr(m, name) for m in pool])
            filled += [name] if fields[name] is not None else []
    fields.update(geo_precision=where.precision, lat=where.lat, lon=where.lon)
    basis = {"member": where.id, "precision": where.precision, "filled": filled, "set_aside": set_aside}
    return _Place(fields, consistent, basis)


def _rank(m: Member) -> int:
    return PRECISION_RANK.get(m.precision or "", len(PRECISION_RANK))


def _majority(members: Sequence[Member], name: str, source: Mapping[str, str]) -> str | None:
    votes: Counter[str] = _support((str(getattr(m, name)), source[m.id]) for m in members if getattr(m, name))
    if not votes:
        return None
    finest = {v: min(_rank(m) for m in members if getattr(m, name) == v) for v in votes}
    return min(votes, key=lambda v: (-votes[v], finest[v], v))


def _inherited(members: Sequence[Member], record: Mapping[str, Any]) -> dict[str, list[str]]:
    """Per member, the fields it does not state (or states less precisely: a month for the day)
    and takes from the cluster: date, country, admin1, admin2, place."""
    out = {}
    for m in members:
        took = []
        if record["date"] and (m.date is None or (len(m.date) < len(record["date"]) and record["date"].startswith(m.date))):
            took.append("date")
        took += [name for name in LOCATION if record[name] is not None and getattr(m, name) is None]
        if took:
            out[m.id] = took
    return out


# -- figures ------------------------------------------------------------------------------------


def _figures(m: Member, documents: Mapping[str, DocumentInfo], *, placed: bool) -> dict[str, Any]:
    doc = documents.get(m.document_id)
    sources = m.raw.get("sources") or []
    quote = next((s["quote"] for s in sources if {"killed", "injured"} & set(s.get("fields") or ())), None)
    if quote is None and sources:
        quote = sources[0]["quote"]
    return {
        "event_id": m.id,
        "document_id": m.document_id,
        "doc": doc.name if doc else m.document_id,
        "stated_by": doc.source if doc else None,
        "source": _source(m, documents),
        "published": doc.published if doc else None,
        "date": m.date,
        "date_basis": _date_basis(m) if m.date else None,
        "placed": placed,
        "claimed": m.raw.get("claimed"),
        "killed": m.killed,
        "injured": m.injured,
        "killed_claimed": m.raw.get("killed_claimed"),
        "injured_claimed": m.raw.get("injured_claimed"),
        "casualties": dict((m.raw.get("detail") or {}).get("casualties") or {}),
        "quote": quote,
    }


def _strength(f: Mapping[str, Any], name: str) -> tuple[bool, bool, bool]:
    """How well the text backs a report's figure, compared in this order: the report places the
    event (consistently with the others), dates it in its text, breaks the figure down by victims
    (civilians, security forces … rather than only a total)."""
    key = "claimed_" + name.removesuffix("_claimed") if name.endswith("_claimed") else name  # extract._casualties_by_category
    broken_down = any(category != "unspecified" and row.get(key) for category, row in f["casualties"].items())
    return bool(f["placed"]), f["date_basis"] in ("text", "claim"), broken_down


def _best_figure(figures: Sequence[Mapping[str, Any]], name: str) -> tuple[int | None, int | None, int | None, Mapping[str, Any] | None]:
    """(best, low, high, the report the best came from) by FIGURE_RULE."""
    stated = [f for f in figures if f.get(name) is not None]
    if not stated:
        return None, None, None, None
    votes = _support((f[name], f["source"]) for f in stated)
    strength = {v: max(_strength(f, name) for f in stated if f[name] == v) for v in votes}
    top = max((votes[v], strength[v]) for v in votes)
    tied = sorted(v for v in votes if (votes[v], strength[v]) == top)
    best = tied[(len(tied) - 1) // 2]  # the median of the tied figures, the lower middle
    giving = sorted((f for f in stated if f[name] == best), key=lambda f: str(f["event_id"]))
    chosen = max(giving, key=lambda f: (_strength(f, name), len(f["casualties"])))  # the first: the smallest id
    values = [f[name] for f in stated]
    return best, min(values), max(values), chosen


def _most_detailed(figures: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    tables: list[dict[str, Any]] = [f["casualties"] for f in figures if f.get("casualties")]
    if not tables:
        return {}
    best = max(tables, key=lambda t: (len(t), sorted(t)))
    return dict(best)


def _most_common(values: Iterable[Any], *, prefer: Sequence[str] = ()) -> Any:
    counts = Counter(v for v in values if v is not None)
    if not counts:
        return None
    rank = {v: n for n, v in enumerate(prefer)}
    return min(counts, key=lambda v: (-counts[v], rank.get(v, len(rank)), str(v)))


def _pick_attribution(members: Sequence[Member]) -> dict[str, Any] | None:
    """The strongest attribution of the members (claimed > denied > blamed > assessed >
    suspected > unknown, then confidence; `records.strongest`), naming the document it came from,
    with the other bases the members state in `others` (a claim beside "no group has claimed
    it"). None when no member was read for one (events extracted before attribution.v1)."""
    found = [Attribution.of(m.raw["attribution"]) for m in members if m.raw.get("attribution")]
    best = strongest(found)
    return None if best is None else best.as_dict()


def _pick_actor(actors: Iterable[str | None]) -> str | None:
    counts = Counter(a for a in actors if a)
    if not counts:
        return None
    return min(counts, key=lambda a: (-counts[a], a in GENERIC_ACTORS, a))


@cache
def _priority(name: str) -> tuple[str, ...]:
    # Canonical values are language-independent; the English lexicon holds the shared order.
    return tuple(lexicon.load(name, "en")["priority"])
