"""Claims of responsibility linked to the attacks they claim."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date as Date
from functools import cache
from typing import TYPE_CHECKING, Any

from kwatch import lexicon
from kwatch.resolve.members import DocumentInfo, Member, Resolved, norm
from kwatch.resolve.names import name_overlap, skeletons_of
from kwatch.resolve.rules import CLAIM_DAYS

if TYPE_CHECKING:
    pass

# -- claims -------------------------------------------------------------------------------------


@cache
def _claim_patterns(language: str) -> tuple[re.Pattern[str], ...]:
    """The claim phrases of `language` as cues.v2 reads them (claims.yaml, else the `claims` of
    its events.yaml, with its stems and clitics): one rule for both stages."""
    from kwatch.pipeline.cues import tables

    if language not in lexicon.available("events"):
        language = "en"
    return tuple(pattern for kind, _, pattern in tables(language).patterns if kind == "claim")


def link_claims(resolved: list[Resolved], items: Mapping[str, Member], documents: Mapping[str, DocumentInfo]) -> None:
    """Link each claim release to the one attack it claims (date and place agree)."""
    attacks_by_day: dict[int, list[Resolved]] = defaultdict(list)
    for r in resolved:
        date = r.record["date"]
        if r.record["type"] == "attack" and date and len(date) == 10:
            attacks_by_day[Date.fromisoformat(date).toordinal()].append(r)
    for release in resolved:
        date = release.record["date"]
        if release.record["type"] != "propaganda" or not date or len(date) != 10:
            continue
        text = claim_text([eid for eid, _ in release.members], items, documents)
        if not text:
            continue
        day = Date.fromisoformat(date).toordinal()
        found = [
            attack
            for back in range(CLAIM_DAYS + 1)
            for attack in attacks_by_day.get(day - back, [])
            if names_place(text, attack.record)
        ]
        if len({a.id for a in found}) != 1:
            continue  # none, or ambiguous: an analyst can merge by hand
        attack = found[0]
        attack.record["claimed"] = True
        attack.record["detail"].setdefault("claimed_by", []).append(release.id)
        release.record["detail"]["claims"] = attack.id


def claim_text(member_ids: Iterable[str], items: Mapping[str, Member], documents: Mapping[str, DocumentInfo]) -> str:
    """The folded text of a release's quotes that hold a claim phrase of their document's
    language ('' when none does): what names the attack it claims."""
    quotes = []
    for eid in member_ids:
        item = items[eid]
        doc = documents.get(item.document_id)
        patterns = _claim_patterns((doc.language if doc else None) or "en")
        for source in item.raw.get("sources") or []:
            if any(pattern.search(source["quote"]) for pattern in patterns):
                quotes.append(source["quote"])
    return " ".join(quotes)


def names_place(text: str, record: Mapping[str, Any]) -> bool:
    """`text` names the record's place, district or province, in any script: as a whole word,
    or by the sound of one of its words (`resolve/names.py`: "Kabul", "کابل" and "Кабулом" are
    one name)."""
    names = [str(record[k]) for k in ("place", "admin2", "admin1") if record.get(k)]
    folded = norm(text)
    if any(re.search(rf"\b{re.escape(norm(n))}\b", folded) for n in names if norm(n)):
        return True
    heard = skeletons_of([text])
    return any(name_overlap(skeletons_of([n]), heard) == 1.0 for n in names)
