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
from kwatch.resolve.rules import CLAIM_DAYS

if TYPE_CHECKING:
    pass

# -- claims -------------------------------------------------------------------------------------


@cache
def _claim_pattern(language: str) -> re.Pattern[str] | None:
    if language not in lexicon.available("claims"):
        return None
    phrases = lexicon.load("claims", language)["claim"]
    return re.compile(r"\b(?:" + "|".join(phrases) + r")\b", re.IGNORECASE)


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
        pattern = _claim_pattern((doc.language if doc else None) or "en")
        for source in item.raw.get("sources") or []:
            if pattern is not None and pattern.search(source["quote"]):
                quotes.append(source["quote"])
    return norm(" ".join(quotes)) if quotes else ""


def names_place(text: str, record: Mapping[str, Any]) -> bool:
    """`text` names the record's place, district or province (as a whole word)."""
    names = [norm(record.get(k)) for k in ("place", "admin2", "admin1")]
    return any(n and re.search(rf"\b{re.escape(n)}\b", text) for n in names)
