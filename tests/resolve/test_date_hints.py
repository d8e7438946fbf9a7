"""What an undated report says of its day (issue 12): the hint of its text (dates.v2: a weekday,
a day and month without a year) and the month its report was published, weighed against the
other report's day."""

from __future__ import annotations

from typing import Any

import pytest

from kwatch.resolve.features import features
from kwatch.resolve.members import DocumentInfo, Member


def _member(eid: str, *, published: str | None = None, **fields: Any) -> Member:
    event = {"id": eid, "document_id": f"d-{eid}", "type": "attack", "country": "AF", "sources": [], "detail": {}, **fields}
    return Member.of(event, DocumentInfo(f"d-{eid}", f"{eid}.txt", published=published, language="en"))


DATED = _member("a", date="2024-01-03", date_basis="text")  # a Wednesday


@pytest.mark.parametrize(
    ("hint", "feature"),
    [
        ("W3", "weekday_fits"),
        ("W4", "weekday_other"),
        ("--01-03", "hint_fits"),
        ("--01-05", "hint_near"),
        ("--12-31", "hint_near"),  # three days before, in the year before
        ("--02-03", "hint_other"),
    ],
)
def test_a_hint_is_weighed_against_the_other_day(hint: str, feature: str) -> None:
    undated = _member("b", detail={"date_hint": hint})
    found = features(DATED, undated)
    assert feature in found
    assert {"undated", feature} <= set(features(undated, DATED))  # either order


def test_a_day_of_publication_is_not_the_events() -> None:
    # The other report is dated only by its publication day: a weekday hint says nothing of it.
    published = _member("a", date="2024-01-03", date_basis="publication_day")
    assert not {"weekday_fits", "weekday_other"} & set(features(published, _member("b", detail={"date_hint": "W3"})))


def test_two_undated_reports_naming_one_day() -> None:
    a, b = _member("a", detail={"date_hint": "--03-22"}), _member("b", detail={"date_hint": "--03-22"})
    assert list(features(a, b)).count("hint_fits") == 1
    assert "hint_other" in features(a, _member("c", detail={"date_hint": "--03-25"}))


@pytest.mark.parametrize(
    ("published", "feature"),
    [("2024-01", "reported_soon"), ("2024-02", "reported_soon"), ("2023-12", "reported_other"), ("2024-04", "reported_other"),
     ("2024", None), (None, None)],
)
def test_the_month_an_undated_report_was_published(published: str | None, feature: str | None) -> None:
    found = set(features(DATED, _member("b", published=published)))
    assert found & {"reported_soon", "reported_other"} == ({feature} if feature else set())


@pytest.mark.parametrize(
    ("hint", "feature"),
    [("W7", "weekday_in_window"), ("W3", "weekday_in_window"), ("W5", "weekday_other"), ("--01-01", "hint_in_window"),
     ("--01-05", "hint_other")],
)
def test_a_hint_against_a_day_of_publication(hint: str, feature: str) -> None:
    # Dated only by its report of Wednesday 2024-01-03: the event is that day or up to three days
    # before (Sunday 31 December to Wednesday 3 January).
    published = _member("a", date="2024-01-03", date_basis="publication_day")
    found = features(published, _member("b", detail={"date_hint": hint}))
    assert feature in found
