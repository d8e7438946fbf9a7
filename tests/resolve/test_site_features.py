"""Sites compared as things across languages (issue 12/13): the extractor's `detail.site` (kind and
owner or place) makes "the Russian embassy", "سفارت روسیه" and "посольство России" one site."""

from __future__ import annotations

from typing import Any

import pytest

from kwatch.resolve.features import features
from kwatch.resolve.members import DocumentInfo, Member


def _member(eid: str, place: str, site: tuple[str, str | None] | None, **fields: Any) -> Member:
    event = {"id": eid, "document_id": f"d-{eid}", "type": "attack", "country": "AF", "admin1": "Kabul", "place": place,
             "geo_precision": "site", "sources": [], "detail": {"site": {"kind": site[0], "of": site[1]}} if site else {}, **fields}
    return Member.of(event, DocumentInfo(f"d-{eid}", f"{eid}.txt", language="en"))


@pytest.mark.parametrize(
    ("a", "b", "same", "other"),
    [
        ((("embassy", "RU"), "سفارت روسیه"), (("embassy", "RU"), "посольства России"), True, False),
        ((("consulate", "RU"), "консульство России"), (("embassy", "RU"), "Russian embassy"), True, False),
        ((("shrine", None), "Sakhi shrine"), (("mosque", None), "مسجد سخی"), True, False),  # one province, one family
        ((("embassy", "RU"), "Russian embassy"), (("embassy", "PK"), "Pakistani embassy"), False, True),
        ((("mosque", None), "Eidgah mosque"), (("ministry", None), "ministry of urban development"), False, True),
        ((("gate", "Kabul"), "Abbey Gate"), (("airport", "Kabul"), "Kabul airport"), False, False),  # a part of the place
    ],
)
def test_sites_compared_as_things(a: tuple[tuple[str, str | None], str], b: tuple[tuple[str, str | None], str], same: bool, other: bool) -> None:
    found = features(_member("a", a[1], a[0]), _member("b", b[1], b[0]))
    assert (found.get("same_site", 0) > 0, found.get("other_place", 0) > 0) == (same, other)


def test_a_report_without_a_known_kind_of_site_says_nothing_of_it() -> None:
    found = features(_member("a", "Kabul", None, geo_precision="town"), _member("b", "Russian embassy", ("embassy", "RU")))
    assert not found.get("same_site") and not found.get("other_place")
