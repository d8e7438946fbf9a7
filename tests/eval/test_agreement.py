"""`kwatch eval` gives the figures of ../shared/eval/score.py, to three decimals, on every shared
set and split: both score the same predictions (the end-to-end export, made once per session, and
each gold file scored against itself) and every figure is compared."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import measure_baseline as measure  # scripts/measure_baseline.py, loaded by tests/eval/conftest.py
import pytest

from kwatch.api import evaluate_corpus, report_dict

pytestmark = pytest.mark.shared
CASES = [pytest.param(name, split, id=f"{name}-{split or 'all'}") for name in measure.SETS for split in measure.SPLITS[name]]


def _reference(shared_dir: Path, gold: Path, pred: Path, corpus: Path, split: str | None) -> dict[str, Any]:
    command = [sys.executable, str(shared_dir / "eval" / "score.py"), str(gold), str(pred), "--corpus", str(corpus), "--json"]
    if split:
        command += ["--split", split]
    return json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)  # type: ignore[no-any-return]


def _assert_agree(ours: dict[str, Any], ref: dict[str, Any]) -> None:
    close = {"abs": 5e-4}
    assert ours["score"] == pytest.approx(ref["score"], **close)
    assert ours["events"] == pytest.approx(ref["events"], **close)
    assert {k: ours["fields_micro"][k] for k in ref["fields_micro"]} == pytest.approx(ref["fields_micro"], **close)
    assert sorted(ours["fields"]) == sorted(ref["fields"])
    for name, counts in ref["fields"].items():
        assert ours["fields"][name] == pytest.approx(counts, **close), name
    assert ours["missed"] == ref["missed"]
    assert len(ours["spurious"]) == len(ref["spurious"])
    assert (ours["quotes_found"], ours["quotes"]) == (ref["evidence"]["verbatim"], ref["evidence"]["quotes"])


@pytest.mark.parametrize(("name", "split"), CASES)
def test_kwatch_eval_agrees_with_score_py(shared_dir: Path, measurer: Any, name: str, split: str | None) -> None:
    gold, corpus = measure.paths(shared_dir, name)
    pred = measurer.export(name)
    ours = report_dict(evaluate_corpus(gold, corpus, split=split, predictions=pred))
    _assert_agree(ours, _reference(shared_dir, gold, pred, corpus, split))


@pytest.mark.parametrize(("name", "split"), [c for c in CASES if c.values[0] != "wiki"])
def test_gold_scored_against_itself_agrees(shared_dir: Path, name: str, split: str | None) -> None:
    # wiki is left out: score.py compares its 3,200 gold events all against all (about a minute).
    gold, corpus = measure.paths(shared_dir, name)
    ours = report_dict(evaluate_corpus(gold, corpus, split=split, predictions=gold))
    _assert_agree(ours, _reference(shared_dir, gold, gold, corpus, split))
    assert ours["score"] == pytest.approx(1.0)
