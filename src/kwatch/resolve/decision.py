"""The pair decision: whether two members can be, and are, one real event."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kwatch.pipeline.actors import is_islamic_state
from kwatch.resolve.blocking import candidate_pairs
from kwatch.resolve.features import features
from kwatch.resolve.members import DocumentInfo, Member, km, record_dates_compatible
from kwatch.resolve.model import pair_model
from kwatch.resolve.rules import FAR_KM, WINDOW_DAYS

if TYPE_CHECKING:
    pass

@dataclass(frozen=True, slots=True)
class Accepted:
    """A pair the model takes for one event: its probability and what moved it."""

    probability: float
    a: str
    b: str
    evidence: list[dict[str, Any]]


# -- decision -----------------------------------------------------------------------------------


def conflicts(a: Member, b: Member) -> bool:
    """Two events that cannot be the same real event, whatever else they share: other types,
    countries, provinces or perpetrators, day dates outside the window, two gazetteer sites kilometres apart, two
    releases by their keys, medium, outlet or languages. Everything softer (another province, a
    far-apart toll) is evidence the pair model weighs."""
    if a.type != b.type:
        return True
    if a.country and b.country and a.country != b.country:
        return True
    if a.admin1 and b.admin1 and a.admin1 != b.admin1:
        return True
    if a.document_id == b.document_id and a.date and b.date and not (a.date_from_publication or b.date_from_publication):
        # The extractor keeps apart what one report dates itself: two events. A month that holds
        # the other's day at the same place is the report recalling its event ("the March attack
        # on the hall"), not a second one.
        if not (_same_place(a, b) and a.date != b.date and (a.date.startswith(b.date) or b.date.startswith(a.date))):
            return True
    # Dates the texts state bound the event; a publication day (a report of an older event) does not.
    text_dated = not (a.date_from_publication or b.date_from_publication)
    if a.day is not None and b.day is not None:
        if text_dated and abs(a.day - b.day) > WINDOW_DAYS:
            return True
    elif text_dated and not record_dates_compatible(a.date, b.date):
        return True
    if a.actor and b.actor and a.actor != b.actor and not (is_islamic_state(a.actor) and is_islamic_state(b.actor)):
        return True
    distance = km(a, b)
    # Only a gazetteer site has coordinates of its own: one the text names by its kind ("the
    # concert hall in Moscow") has those of the place it is in.
    own = a.site is None and b.site is None
    if distance is not None and own and a.precision == b.precision == "site" and distance > FAR_KM and a.place_key != b.place_key:
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


def _same_place(a: Member, b: Member) -> bool:
    return bool(a.place_key and b.place_key and (a.place_key in b.place_key or b.place_key in a.place_key))


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
) -> tuple[list[Accepted], dict[frozenset[str], float]]:
    """The candidate pairs the pair model puts at or above its threshold, most likely first
    (ties by ids), and the evidence (log-odds the features add) of every pair compared, to veto
    joins. `documents` and `crowded` are blocking's (`candidate_pairs`)."""
    model = pair_model()
    accepted: list[Accepted] = []
    compared: dict[frozenset[str], float] = {}
    valid = [(a, b) for a, b in candidate_pairs(items, documents, crowded=crowded) if not conflicts(items[a], items[b])]
    options = Counter(m for pair in valid for m in pair)
    for a, b in valid:
        found = features(items[a], items[b], exclusive=options[a] == options[b] == 1)
        probability = model.probability(found)
        compared[frozenset((a, b))] = model.evidence(found)
        if probability >= model.threshold:
            accepted.append(Accepted(probability, a, b, model.explain(found)))
    accepted.sort(key=lambda t: (-t.probability, t.a, t.b))
    # A member the model would put with two members that cannot be one event (a month date and
    # two attacks in that month) is ambiguous: it joins neither, an analyst can merge it. Its two
    # likeliest partners decide (so the check costs one comparison per member, however crowded).
    partners: dict[str, list[str]] = defaultdict(list)
    for pair in accepted:
        for member, other in ((pair.a, pair.b), (pair.b, pair.a)):
            if len(partners[member]) < 2:
                partners[member].append(other)
    ambiguous = {m for m, best in partners.items() if len(best) == 2 and conflicts(items[best[0]], items[best[1]])}
    return [pair for pair in accepted if pair.a not in ambiguous and pair.b not in ambiguous], compared



