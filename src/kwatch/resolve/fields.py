"""The resolved record of one cluster: every field from its members, figures side by side."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from kwatch import lexicon
from kwatch.releases import release_detail
from kwatch.resolve.clusters import Clusters
from kwatch.resolve.members import DocumentInfo, Member, Resolved
from kwatch.resolve.rules import FIGURE_RULE, GENERIC_ACTORS, PRECISION_RANK, TYPE_ORDER

if TYPE_CHECKING:
    pass

# -- the merged record --------------------------------------------------------------------------


def merge(ids: list[str], items: Mapping[str, Member], clusters: Clusters, documents: Mapping[str, DocumentInfo]) -> Resolved:
    members = [items[i] for i in ids]
    rid = ids[0]
    record: dict[str, Any] = {"id": rid}
    record["type"] = _most_common([m.type for m in members], prefer=TYPE_ORDER)
    record["date"] = _pick_date([m.date for m in members])
    where = min(members, key=lambda m: (PRECISION_RANK.get(m.precision or "", 9), m.place is None, m.id))
    for name in ("country", "admin1", "admin2", "place"):
        record[name] = getattr(where, name) or _most_common([getattr(m, name) for m in members if _fits(m, where)])
    record.update(geo_precision=where.precision, lat=where.lat, lon=where.lon)
    record["actor"] = _pick_actor([m.actor for m in members])
    claims = [m.raw.get("claimed") for m in members]
    record["claimed"] = True if True in claims else (False if False in claims else None)
    record["method"] = _most_common([m.method for m in members], prefer=_priority("methods"))
    record["target"] = _most_common([m.target for m in members], prefer=_priority("targets"))
    record["medium"] = _most_common([m.medium for m in members])
    record["outlet"] = _most_common([m.outlet for m in members])
    record["languages"] = sorted({lang for m in members for lang in m.languages})

    figures = [_figures(m, documents) for m in members]
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
    }
    sighted = [m.raw for m in members if m.release_keys]  # a report about a release is no sighting
    if record["type"] == "propaganda" and sighted:
        # One release: its sightings, keys and themes, by the rule merge_sightings follows too.
        record["detail"].update(release_detail(sighted))
    reasons = clusters.reasons(ids)
    return Resolved(rid, record, [(eid, reasons[eid]) for eid in ids])


def _fits(m: Member, where: Member) -> bool:
    """A member's location can fill a gap in the chosen one when it is in the same country."""
    return where.country is None or m.country in (None, where.country)


def _figures(m: Member, documents: Mapping[str, DocumentInfo]) -> dict[str, Any]:
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
        "published": doc.published if doc else None,
        "date": m.date,
        "claimed": m.raw.get("claimed"),
        "killed": m.killed,
        "injured": m.injured,
        "killed_claimed": m.raw.get("killed_claimed"),
        "injured_claimed": m.raw.get("injured_claimed"),
        "casualties": dict((m.raw.get("detail") or {}).get("casualties") or {}),
        "quote": quote,
    }


def _best_figure(figures: Sequence[Mapping[str, Any]], name: str) -> tuple[int | None, int | None, int | None, Mapping[str, Any] | None]:
    """(best, low, high, the report the best came from) by FIGURE_RULE."""
    stated = [f for f in figures if f.get(name) is not None]
    if not stated:
        return None, None, None, None
    counts = Counter(f[name] for f in stated)
    chosen = max(stated, key=lambda f: (counts[f[name]], f.get("published") or "", f[name], f["event_id"]))
    values = [f[name] for f in stated]
    return chosen[name], min(values), max(values), chosen


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


def _pick_date(dates: Iterable[str | None]) -> str | None:
    """The most precise date; among those the most frequent, then the earliest."""
    known = [d for d in dates if d]
    if not known:
        return None
    finest = max(len(d) for d in known)
    counts = Counter(d for d in known if len(d) == finest)
    return min(counts, key=lambda d: (-counts[d], d))


def _pick_actor(actors: Iterable[str | None]) -> str | None:
    counts = Counter(a for a in actors if a)
    if not counts:
        return None
    return min(counts, key=lambda a: (-counts[a], a in GENERIC_ACTORS, a))


@cache
def _priority(name: str) -> tuple[str, ...]:
    # Canonical values are language-independent; the English lexicon holds the shared order.
    return tuple(lexicon.load(name, "en")["priority"])


