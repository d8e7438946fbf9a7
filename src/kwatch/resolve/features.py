"""The evidence two members give about being one real event, as named features.

`features(a, b)` describes one candidate pair with the features of `FEATURES`, each a number in
[0, 1] (most are 0 or 1). The pair model (`resolve/model.py`) weighs them with weights fitted on
pairs of reports whose gold says whether they tell one incident (`scripts/fit_resolution.py`).
A feature says one thing; the words in `FEATURES` are what an explanation prints.

Everything here compares canonical values: the extractor names countries, provinces, districts
and gazetteer places the same way in every language, and counts figures in every digit system,
so a Pashto report and an English one of the same attack agree on these keys. Their sentences
share no word but their names, which `shared_names` compares by sound (`resolve/names.py`).
"""

from __future__ import annotations

import calendar
import math
from collections import defaultdict
from datetime import date as Date
from datetime import timedelta
from functools import cache, lru_cache

from kwatch import lexicon
from kwatch.pipeline.actors import is_islamic_state
from kwatch.pipeline.dates import hint_gap
from kwatch.resolve.members import Member, km
from kwatch.resolve.names import is_cased, name_overlap, name_skeletons, skeletons_of, without
from kwatch.resolve.rules import METHOD_FAMILY, NEAR_KM, PRECISION_RANK, SITE_FAMILY, SITE_SURROUNDS, WINDOW_DAYS

#: feature name -> what it means, in words (an explanation prints these)
FEATURES: dict[str, str] = {
    "same_day": "both texts give the same day",
    "days_apart": "the texts' days are one to three days apart",
    "far_apart": "the dates are further apart than that",
    "period_holds_day": "one date is a month or year that holds the other",
    "reported_after": "one is dated only by a report published up to three days after the other's day",
    "publication_day": "both are dated only by reports published within a day of each other",
    "undated": "one or both have no date (two reports)",
    "undated_in_report": "one has no date and both come from one report",
    "hint_fits": "one has no date but its text names a day and month that fit the other's day",
    "weekday_fits": "one has no date but its text names a weekday that fits the other's day",
    "hint_near": "one has no date and its text names a day and month one to three days from the other's day",
    "hint_other": "one has no date and its text names a day and month further from the other's day",
    "hint_in_window": "one has no date and its text names a day and month in the three days before the other's report was published (the other is dated only by that)",
    "weekday_in_window": "one has no date and its text names a weekday in the three days before the other's report was published (the other is dated only by that)",
    "weekday_other": "one has no date and its text names a weekday that is not the other's day's",
    "reported_soon": "one has no date and its report was published within a month after the other's day",
    "reported_other": "one has no date and its report was published before the other's day or over a month after it",
    "same_place": "the same named place, or coordinates within one town",
    "same_site": "the same named site (a mosque, a school, a checkpoint), or one kind of site with one owner or place in any language (the Russian embassy)",
    "other_place": "two different named places of the same kind, or two different kinds of building",
    "same_admin": "the same province or district (one each)",
    "other_admin": "a different province or district (one each)",
    "same_country": "the same country",
    "unplaced": "one has no country",
    "same_actor": "the same perpetrator (IS and its branch ISKP count as one)",
    "same_method": "the same method (a bombing and a suicide bombing count as one)",
    "other_method": "different methods",
    "same_target": "the same target",
    "other_target": "different targets (reports class one target differently)",
    "same_figures": "the same or a close death toll or number injured (each up to 1, by the figure's size: 3 dead 0.3, 99 or more 1)",
    "other_figures": "a death toll or number injured far apart (one each)",
    "shared_words": "the share of words their sentences have in common",
    "shared_names": "the share of names their sentences have in common, by sound (reports in two scripts, or two languages of one with case)",
    "only_candidates": "each is the other's only candidate",
    "same_document": "both come from one document",
    "same_language": "both reports are in one language",
    "same_release": "the same medium, outlet or languages (releases; one each)",
}
NAMES: tuple[str, ...] = tuple(FEATURES)


def features(a: Member, b: Member, *, exclusive: bool = False) -> dict[str, float]:
    """The features of a pair that are not zero (the rest are 0). `exclusive`: each member is the
    other's only candidate (nothing else it could be compared with is not ruled out)."""
    found: defaultdict[str, float] = defaultdict(float)
    for name in _dates(a, b) + _places(a, b):
        found[name] += 1
    found["only_candidates"] = exclusive
    words = shared_words(a, b)
    if a.actor and b.actor and (a.actor == b.actor or (is_islamic_state(a.actor) and is_islamic_state(b.actor))):
        found["same_actor"] += 1
    for name, x, y, family in (("method", a.method, b.method, METHOD_FAMILY), ("target", a.target, b.target, {})):
        if x and y:
            found[f"same_{name}" if family.get(x, x) == family.get(y, y) else f"other_{name}"] += 1
    for name in ("killed", "injured"):
        x, y = getattr(a, name), getattr(b, name)
        if x is not None and y is not None:
            if abs(x - y) <= max(2, 0.25 * max(x, y)):
                # Two reports giving one large toll is rarely chance; one or two dead often is.
                found["same_figures"] += min(1.0, math.log10(1 + max(x, y)) / 2)
            else:
                found["other_figures"] += 1
    found["same_document"] = a.document_id == b.document_id
    found["same_language"] = bool(a.language) and a.language == b.language
    if a.type == "propaganda":
        found["same_release"] = sum(1 for n in ("medium", "outlet") if getattr(a, n) and getattr(a, n) == getattr(b, n)) + (bool(a.languages) and a.languages == b.languages)
    table = {name: float(value) for name, value in found.items() if value}
    if words:
        table["shared_words"] = words
    if names := shared_names(a, b):
        table["shared_names"] = names
    return table


def _dates(a: Member, b: Member) -> list[str]:
    if a.date is None or b.date is None:
        # Undated, a member of another report could be any event of its kind; in its own report
        # it is most often the headline or a later paragraph of the one event the report dates.
        return ["undated_in_report" if a.document_id == b.document_id else "undated", *_undated(a, b), *_undated(b, a)]
    if a.day is not None and b.day is not None:
        if a.date_from_publication or b.date_from_publication:
            # A publication day is the day of the report, on or a few days after the event.
            return [_published(a, b) if b.date_from_publication else _published(b, a)]
        gap = abs(a.day - b.day)
        return ["same_day" if gap == 0 else "days_apart" if gap <= 3 else "far_apart"]
    if a.date.startswith(b.date) or b.date.startswith(a.date):
        return ["period_holds_day"]
    return ["far_apart"]


def _undated(undated: Member, other: Member) -> list[str]:
    """What an undated member's text and report say of the other's day: the weekday or day and
    month it names (or both name the same), the publication date of its report (a month, or a
    day when it is a release). A day the other's text gives is the event's; a publication day
    only bounds it (the event is on it or up to `WINDOW_DAYS` before)."""
    if undated.date is not None:
        return []
    found = []
    day = Date.fromordinal(other.day) if other.day is not None and not other.date_from_publication else None
    if undated.date_hint:
        if day is not None:
            found.append(_hint(undated.date_hint, hint_gap(undated.date_hint, day)))
        elif other.day is not None:
            # Dated only by its report's publication day: the event is that day or up to three
            # days before (`reported_after`); a hint in those days fits, one outside them does not.
            published = Date.fromordinal(other.day)
            inside = any(hint_gap(undated.date_hint, published - timedelta(days=back)) == 0 for back in range(WINDOW_DAYS + 1))
            weekday = undated.date_hint.startswith("W")
            found.append(("weekday_in_window" if weekday else "hint_in_window") if inside else ("weekday_other" if weekday else "hint_other"))
        elif other.date is None and other.date_hint and other.date_hint[0] == undated.date_hint[0] and undated.id < other.id:
            found.append(_hint(undated.date_hint, 0 if other.date_hint == undated.date_hint else None))  # once per pair
    if day is not None and undated.published and (period := _period(undated.published)) is not None:
        first, last = period
        found.append("reported_soon" if last >= day and (first - day).days <= 31 else "reported_other")
    return found


def _hint(hint: str, gap: int | None) -> str:
    """The feature of a hint `gap` days from a day (None: further than any window). A weekday
    fits one day in seven by chance, a day and month one in 365."""
    if hint.startswith("W"):
        return "weekday_fits" if gap == 0 else "weekday_other"
    return "hint_fits" if gap == 0 else "hint_near" if gap is not None and gap <= 3 else "hint_other"


def _period(value: str) -> tuple[Date, Date] | None:
    """The first and last day of a 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' date; None for a year (too
    coarse to say when the report was written) or a malformed one."""
    try:
        if len(value) >= 10:
            day = Date.fromisoformat(value[:10])
            return day, day
        if len(value) == 7:
            year, month = int(value[:4]), int(value[5:7])
            return Date(year, month, 1), Date(year, month, calendar.monthrange(year, month)[1])
    except ValueError:
        return None
    return None


def _published(event: Member, report: Member) -> str:
    """`report` is dated by its publication day; `event` by its text (or its publication too)."""
    assert event.day is not None and report.day is not None
    if event.date_from_publication:
        return "publication_day" if abs(event.day - report.day) <= 1 else "far_apart"
    return "reported_after" if 0 <= report.day - event.day <= 3 else "far_apart"


def _places(a: Member, b: Member) -> list[str]:
    found = []
    if a.country is None or b.country is None:
        found.append("unplaced")
    elif a.country == b.country:
        found.append("same_country")
    for level in ("admin1", "admin2"):
        x, y = getattr(a, level), getattr(b, level)
        if x and y:
            found.append("same_admin" if x == y else "other_admin")
    site = _sites(a, b)
    named = bool(a.place_key and b.place_key)
    if site == "same_site" or site != "other_place" and named and (a.place_key in b.place_key or b.place_key in a.place_key):
        found.append("same_place")
        if site == "same_site" or a.precision == b.precision == "site":
            found.append("same_site")
    elif site == "other_place" or site is None and named and a.precision == b.precision:
        found.append("other_place")
    else:
        distance = km(a, b)
        coarser = max((a.precision, b.precision), key=lambda p: PRECISION_RANK.get(p or "", 9))
        if distance is not None and coarser in NEAR_KM and distance <= NEAR_KM[coarser]:
            found.append("same_place")
    return found


def _sites(a: Member, b: Member) -> str | None:
    """The sites of two reports compared as things, whatever language names them: one kind (of a
    family: a shrine is a mosque to some) with one owner or place ("the embassy of Russia" in
    Kabul, "سفارت روسیه", "посольство России") is one site; two buildings of different kinds in
    one province are two places. "part": one is a site's surroundings (its names may differ);
    None: nothing to say."""
    if a.site is None or b.site is None:
        return None
    (kind_a, of_a), (kind_b, of_b) = a.site, b.site
    if kind_a in SITE_SURROUNDS or kind_b in SITE_SURROUNDS:
        return "part"  # a gate of the airport, the road to the ministry: the names may differ
    if SITE_FAMILY.get(kind_a, kind_a) != SITE_FAMILY.get(kind_b, kind_b):
        return "other_place" if a.admin1 is None or b.admin1 is None or a.admin1 == b.admin1 else None
    if of_a and of_b:
        return "same_site" if of_a == of_b else "other_place"
    return "same_site" if a.admin1 and a.admin1 == b.admin1 else None


def shared_words(a: Member, b: Member) -> float:
    """Jaccard overlap of the two members' word sets (their quotes), 0 when either has none."""
    if not a.words or not b.words:
        return 0.0
    return len(a.words & b.words) / len(a.words | b.words)


def shared_names(a: Member, b: Member) -> float:
    """For two members in different scripts, which share no word but their names, the overlap of
    the skeletons of their names (`names.name_overlap`: "Haqqani" and "حقاني" are one); also for
    two in different languages of a script with case (Russian and Uzbek Cyrillic), whose names
    take each language's endings. 0 otherwise: in one language, or two of Arabic script, where
    every word counts as a name, the words say it (`shared_words`)."""
    if not (a.script and b.script and (a.script != b.script or (a.language != b.language and is_cased(a.script)))):
        return 0.0
    # The names the pair's fields already compare (its places, its perpetrators' names) are in
    # nearly every report of a region: they would make any two reports of it alike.
    known = _field_names(a) | _field_names(b)
    return name_overlap(without(name_skeletons(_text(a)), known), without(name_skeletons(_text(b)), known))


def _field_names(member: Member) -> frozenset[str]:
    places = _place_names(member.admin1, member.admin2, member.place)
    return places | _actor_names(member.actor) | (_country_names() if member.country else frozenset())


@lru_cache(maxsize=1 << 12)
def _place_names(*names: str | None) -> frozenset[str]:
    return skeletons_of(n for n in names if n)


@cache
def _country_names() -> frozenset[str]:
    """The skeletons of every country's name in every language (lexicons/place_names.yaml): the
    countries are compared as codes (`same_country`), and a report names its own."""
    places = lexicon.load_file("place_names.yaml").data["places"]
    countries = [(name, entry) for name, entry in places.items() if entry.get("kind") == "country"]
    return skeletons_of([name for name, _ in countries] + [n for _, entry in countries for names in entry.get("names", {}).values() for n in names])


@cache
def _actor_names(actor: str | None) -> frozenset[str]:
    """The skeletons of the aliases (every language) of `actor`, and of the Islamic State family
    for one of it (IS and ISKP count as one actor)."""
    if actor is None:
        return frozenset()
    actors = lexicon.load_file("actors.yaml").data["actors"]
    same = [name for name in actors if name == actor or (is_islamic_state(actor) and is_islamic_state(name))]
    return skeletons_of([*same, *(alias for name in same for aliases in actors[name]["aliases"].values() for alias in aliases)])


def _text(member: Member) -> str:
    return " ".join(str(s.get("quote") or "") for s in member.raw.get("sources") or ())
