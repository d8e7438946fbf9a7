"""Review logic (pure) and the store's overrides and audit log."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kwatch import review
from kwatch.errors import ReviewError
from kwatch.records import ResolvedEvent, Review
from kwatch.store import open_store

RECORD = ResolvedEvent(id="e1", type="attack", date="2024-03-22", killed=10, admin1="Kabul", languages=())
AT = datetime(2024, 4, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("field", "value", "stored"),
    [
        ("killed", 12, 12),
        ("killed", None, None),
        ("country", "af", "AF"),
        ("date", "2024-03", "2024-03"),
        ("claimed", False, False),
        ("languages", ["ps", "fa", "ps"], ["fa", "ps"]),
        ("place", "  Crocus City Hall ", "Crocus City Hall"),
        ("method", "shooting", "shooting"),
    ],
)
def test_validate_accepts_and_normalises(field: str, value: Any, stored: Any) -> None:
    assert review.validate(field, value) == stored


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id", "x"), ("sources", []), ("type", None), ("type", "massacre"), ("killed", -1), ("killed", True),
        ("killed", 2.5), ("date", "2024-13"), ("date", "22 March"), ("country", "AFG"), ("claimed", "yes"),
        ("languages", "ps"), ("place", ""), ("place", "x" * 501),
    ],
)  # fmt: skip
def test_validate_refuses(field: str, value: Any) -> None:
    with pytest.raises(ReviewError):
        review.validate(field, value)


def test_edit_records_old_and_new() -> None:
    change = review.edit(RECORD, "killed", 12, why="recount")
    assert change.overrides == {"killed": 12}
    assert change.entries == [{"action": "edit", "event_id": "e1", "field": "killed", "old": 10, "new": 12, "why": "recount"}]


def test_reject_needs_a_reason() -> None:
    with pytest.raises(ReviewError):
        review.reject(RECORD, why="  ")
    assert review.reject(RECORD, why="duplicate").overrides == {"status": "rejected"}


def test_apply_drops_rejected_unless_asked() -> None:
    overrides = {"e1": {"status": "rejected"}}
    assert review.apply_all([RECORD], overrides) == []
    [kept] = review.apply_all([RECORD], overrides, include_rejected=True)
    assert kept.review == Review(status="rejected")
    assert kept.record({})["review"] == {"status": "rejected", "edited": []}


def test_issue_11_apply_gives_a_new_frozen_event() -> None:
    """Overrides as the store keeps them (JSON: languages a list) make a new typed event; the
    original is left as it was."""
    edited = review.apply(RECORD, {"killed": 12, "languages": ["fa", "ps"], "status": "confirmed", "not_a_field": 1})
    assert (edited.killed, edited.languages, edited.review) == (12, ("fa", "ps"), Review(status="confirmed", edited=("killed", "languages")))
    assert (RECORD.killed, RECORD.review) == (10, None)
    assert review.apply(RECORD, None) == dataclasses.replace(RECORD, review=Review())
    record = edited.record({})
    assert list(record)[-2:] == ["sources", "review"] and record["languages"] == ["fa", "ps"]


def test_edit_records_old_languages_as_a_list() -> None:
    change = review.edit(ResolvedEvent(id="e1", type="propaganda", languages=("ps",)), "languages", ["fa"])
    assert change.entries[0]["old"] == ["ps"] and change.overrides == {"languages": ["fa"]}


values = st.one_of(st.none(), st.integers(0, 10**6), st.text(min_size=1, max_size=30).filter(lambda t: "\x00" not in t))


@given(fields=st.dictionaries(st.sampled_from(["killed", "injured", "place", "admin1"]), values, min_size=1))
def test_apply_is_idempotent(fields: dict[str, Any]) -> None:
    once = review.apply(RECORD, fields)
    assert review.apply(once, fields) == once


@pytest.mark.parametrize("kind", ["sqlite"])
def test_overrides_round_trip_through_the_store(tmp_path: Any, kind: str) -> None:
    with open_store(str(tmp_path / "r.db")) as store:
        for value in (None, 0, 145, "Crocus City Hall", ["fa", "ps"], False):
            store.record_review([{"action": "edit", "event_id": "e1", "field": "x", "old": None, "new": value, "why": None}], at=AT, who="t", overrides={"e1": {"x": value}})
            assert store.overrides(["e1"]) == {"e1": {"x": value}}
            assert store.audit(event_id="e1", limit=1)[0]["new"] == value
        assert store.overrides(["other"]) == {}
        assert store.review_version() == 6
