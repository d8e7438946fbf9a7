"""The pair decision: whether two members can be, and are, one real event."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING

from kwatch.pipeline.actors import is_islamic_state
from kwatch.resolve.blocking import candidate_pairs
from kwatch.resolve.members import DocumentInfo, Member, km, record_dates_compatible
from kwatch.resolve.rules import FAR_KM, METHOD_FAMILY, NEAR_KM, PRECISION_RANK, STRONG, WEAK, WINDOW_DAYS

if TYPE_CHECKING:
    pass

# -- decision -----------------------------------------------------------------------------------


def conflicts(a: Member, b: Member) -> bool:
    """Two events that cannot be the same real event, whatever else they share."""
    if a.type != b.type:
        return True
    if a.country and b.country and a.country != b.country:
        return True
    if a.admin1 and b.admin1 and a.admin1 != b.admin1:
        return True
    if a.day is not None and b.day is not None:
        if abs(a.day - b.day) > WINDOW_DAYS:
            return True
    elif not record_dates_compatible(a.date, b.date):
        return True
    if a.actor and b.actor and a.actor != b.actor and not (is_islamic_state(a.actor) and is_islamic_state(b.actor)):
        return True
    distance = km(a, b)
    if distance is not None and a.precision == b.precision == "site" and distance > FAR_KM and a.place_key != b.place_key:
        return True
    if a.type == "propaganda":
        if any(getattr(a, n) and getattr(b, n) and getattr(a, n) != getattr(b, n) for n in ("medium", "outlet")):
            return True
        if a.languages and b.languages and not a.languages & b.languages:
            return True
        # One release is the sightings sharing a release key (`release_groups`): two sightings
        # that each have keys and share none are two releases, however alike.
        if a.release_keys and b.release_keys and not set(a.release_keys) & set(b.release_keys):
            return True
    return False


def _score(a: Member, b: Member) -> tuple[float, list[str]] | None:
    """Points for the keys two dated events of different documents agree on, or None when they
    cannot be the same event."""
    if a.document_id == b.document_id or a.date is None or b.date is None or conflicts(a, b):
        return None
    matched = ["type"] + (["country"] if a.country and a.country == b.country else [])
    score = 0.0
    if a.day is not None and b.day is not None and (a.date_from_publication or b.date_from_publication):
        # Two reports of one day that name no date: a weak hint, not a shared date.
        score += 0.5
        matched.append("publication day")
    elif a.day is not None and b.day is not None:
        gap = abs(a.day - b.day)
        score += {0: 2.0, 1: 1.0}.get(gap, 0.5)
        matched.append("date" if gap == 0 else f"date±{gap}")
    else:
        score += 0.5 if min(len(a.date), len(b.date)) >= 7 else 0.25
        matched.append("date⊂")
    if a.admin1 and b.admin1:
        score += 1.0
        matched.append("admin1")
    if a.admin2 and b.admin2:
        if a.admin2 == b.admin2:
            score += 1.0
            matched.append("admin2")
        else:
            score -= 1.0
    points, name = _place_score(a, b)
    score += points
    matched += [name] if name else []
    if a.actor and b.actor:
        score += 0.5 if a.actor == b.actor else 0.25
        matched.append("actor" if a.actor == b.actor else "actor~")
    if a.type == "propaganda":
        return _release_score(a, b, score, matched)
    if a.method and b.method:
        if a.method == b.method:
            score += 1.0
            matched.append("method")
        elif METHOD_FAMILY.get(a.method, a.method) == METHOD_FAMILY.get(b.method, b.method):
            score += 0.5
            matched.append("method~")
        else:
            score -= 1.0
    if a.target and b.target and a.target == b.target:
        score += 0.5
        matched.append("target")
    for name, full in (("killed", 1.5), ("injured", 1.0)):
        x, y = getattr(a, name), getattr(b, name)
        if x is None or y is None:
            continue
        if x == y:
            score += full
            matched.append(name)
        elif abs(x - y) <= max(2, 0.25 * max(x, y)):
            score += full / 2
            matched.append(f"{name}~")
    return score, matched


def _same_place(a: Member, b: Member) -> bool:
    return bool(a.place_key and b.place_key and (a.place_key in b.place_key or b.place_key in a.place_key))


def _place_score(a: Member, b: Member) -> tuple[float, str | None]:
    if _same_place(a, b):
        return 1.5, "place"
    if a.place_key and b.place_key and a.precision == b.precision:
        # Two named places of the same kind that are not the same one (two sites, two towns).
        return (-1.5 if a.precision == "site" else -1.0), None
    distance = km(a, b)
    coarser = max((a.precision, b.precision), key=lambda p: PRECISION_RANK.get(p or "", 9))
    if distance is not None and coarser in NEAR_KM and distance <= NEAR_KM[coarser]:
        return 1.0, "place~coordinates"  # a site inside the town another report names
    return 0.0, None


def _release_score(a: Member, b: Member, score: float, matched: list[str]) -> tuple[float, list[str]]:
    for name in ("medium", "outlet"):
        if getattr(a, name) and getattr(b, name):
            score += 1.0
            matched.append(name)
    if a.languages and b.languages:
        score += 1.5 if a.languages == b.languages else 0.5
        matched.append("languages" if a.languages == b.languages else "languages~")
    return score, matched


def fragment_folds(items: Mapping[str, Member]) -> list[tuple[str, str, list[str]]]:
    """(dated event, undated event, keys) of one document: an undated event (often the headline
    of a report told again, dated, in its body) folds into the only dated event of its document
    with the same type and an agreeing place, province or district."""
    by_document: dict[str, list[Member]] = defaultdict(list)
    for item in items.values():
        by_document[item.document_id].append(item)
    folds = []
    for document in sorted(by_document):
        events = by_document[document]
        dated = [e for e in events if e.date is not None]
        for fragment in sorted((e for e in events if e.date is None), key=lambda e: e.id):
            found = []
            for event in dated:
                if conflicts(fragment, event):
                    continue
                agreements = (
                    ("place", _same_place(fragment, event)),
                    ("admin2", bool(fragment.admin2) and fragment.admin2 == event.admin2),
                    ("admin1", bool(fragment.admin1) and fragment.admin1 == event.admin1),
                )
                keys = [k for k, same in agreements if same]
                if keys:
                    found.append((event.id, keys))
            if len(found) == 1:
                folds.append((found[0][0], fragment.id, ["type", *found[0][1], "same document", "only dated event"]))
    return folds


def accepted_pairs(
    items: Mapping[str, Member],
    documents: Mapping[str, DocumentInfo] | None = None,
    *,
    crowded: Collection[str] | None = None,
) -> list[tuple[float, str, str, list[str]]]:
    """Scored pairs that may merge, best first (ties by ids). `documents` and `crowded` are
    blocking's (`candidate_pairs`)."""
    scored: list[tuple[float, str, str, list[str]]] = []
    options: Counter[str] = Counter()  # per event: its candidates at WEAK or more
    for a, b in candidate_pairs(items, documents, crowded=crowded):
        result = _score(items[a], items[b])
        if result is None or result[0] < WEAK:
            continue
        scored.append((result[0], a, b, result[1]))
        options[a] += 1
        options[b] += 1
    accepted = []
    for score, a, b, matched in scored:
        # Reports dated only by their publication day need the strong evidence of place and figures.
        publication_dated = "publication day" in matched
        if publication_dated and not ("place" in matched and "killed" in matched):
            continue
        unique = options[a] == 1 and options[b] == 1 and not publication_dated
        if score >= STRONG or unique:
            accepted.append((score, a, b, matched + ([] if score >= STRONG else ["only candidate"])))
    return sorted(accepted, key=lambda t: (-t[0], t[1], t[2]))


