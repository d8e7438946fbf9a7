"""scripts/measure_baseline.py writes floors rounded down, never lowers one silently, and records
the test splits as `reported` without gating them."""

from __future__ import annotations

import measure_baseline as measure  # scripts/measure_baseline.py, loaded by tests/eval/conftest.py

CORPORA = {name: {"gold": gold, "corpus": corpus, "sha256": "x"} for name, (gold, corpus) in measure.SETS.items()}


def _old(value: float) -> dict:
    return {"seeds": {"score": value}}


def test_floors_are_rounded_down_and_test_splits_reported() -> None:
    new, lowered = measure.build(lambda how: 0.71349, CORPORA, {}, allow_lower=False)
    assert new["seeds"]["score"] == 0.713 and new["real"]["en"]["event"] == 0.713
    assert new["reported"]["en"]["test"]["score"] == 0.713 and "test" not in new["real"]["en"]
    assert new["corpora"] == CORPORA and lowered == []


def test_a_floor_never_goes_down_without_allow_lower() -> None:
    new, lowered = measure.build(lambda how: 0.5, CORPORA, _old(0.9), allow_lower=False)
    assert new["seeds"]["score"] == 0.9 and lowered == ["seeds.score: 0.900 -> 0.500"]
    new, _ = measure.build(lambda how: 0.5, CORPORA, _old(0.9), allow_lower=True)
    assert new["seeds"]["score"] == 0.5


def test_a_floor_goes_up_with_the_figure() -> None:
    new, lowered = measure.build(lambda how: 0.95, CORPORA, _old(0.9), allow_lower=False)
    assert new["seeds"]["score"] == 0.95 and lowered == []
