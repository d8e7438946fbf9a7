"""Quality gate: the scores on the shared sets must not drop below tests/eval/baseline.json.

Measured by scripts/measure_baseline.py (the same code, through the `measurer` fixture):
- seeds and wiki with the default pipeline alone (no store), and end to end as `kwatch eval`
  does (ingest into a store, extract, resolve across documents);
- the dev split of each real set (en, fa_ps, ru_tg_uz_ur) end to end. Their test splits are written
  to the baseline as `reported` and never gated: develop on dev (../shared/eval/real/README.md).

A figure more than `TOLERANCE` below its floor fails. Every corpus is hashed (manifest, gold file,
documents): a corpus that changed since the baseline was measured fails once, here, with the
command that re-measures, and its figures are skipped rather than compared with stale floors.

Raising or lowering a floor is a deliberate commit: `python scripts/measure_baseline.py --update`
rewrites the baseline (a floor that would go down needs --allow-lower and the reason in the commit
message). docs/evaluation.md.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import measure_baseline as measure  # scripts/measure_baseline.py, loaded by tests/eval/conftest.py
import pytest

from kwatch.evaluate import corpus_hash

BASELINE = json.loads((Path(__file__).parent / "baseline.json").read_text(encoding="utf-8"))
TOLERANCE = 0.005
GATED = [pytest.param(how, measure.lookup(BASELINE, section, sub, key), id=".".join(filter(None, (section, sub, key)))) for section, sub, key, how in measure.gated()]

pytestmark = pytest.mark.shared


def _changed(shared_dir: Path, name: str) -> str | None:
    """The one message for a corpus that is not the one the baseline was measured on."""
    recorded = BASELINE["corpora"][name]["sha256"]
    now = corpus_hash(*measure.paths(shared_dir, name))
    if now == recorded:
        return None
    return f"corpus {name} changed since the baseline was measured (hash {recorded[:12]}…, now {now[:12]}…); re-measure with `{measure.COMMAND}` and commit tests/eval/baseline.json"


@pytest.mark.parametrize("name", sorted(measure.SETS))
def test_corpus_is_the_one_measured(shared_dir: Path, name: str) -> None:
    message = _changed(shared_dir, name)
    if message:
        pytest.fail(message, pytrace=False)


def test_every_figure_has_a_floor() -> None:
    assert [p.id for p in GATED if p.values[1] is None] == [], f"run `{measure.COMMAND}`"


@pytest.mark.parametrize(("how", "floor"), GATED)
def test_figure_holds_its_floor(shared_dir: Path, measurer: Any, how: tuple[str, str, str | None, str], floor: float | None) -> None:
    name, mode, split, key = how
    if _changed(shared_dir, name):
        pytest.skip(f"corpus {name} changed since the baseline was measured: see test_corpus_is_the_one_measured[{name}]")
    if floor is None:
        pytest.skip("no floor yet: see test_every_figure_has_a_floor")
    value = measurer.value(how)
    where = f"{name} {mode.replace('_', ' ')}{' ' + split if split else ''} {key}"
    assert value >= floor - TOLERANCE, f"{where} fell to {value:.3f} (floor {floor:.3f})"


def test_seeds_quotes_are_verbatim(measurer: Any) -> None:
    report = measurer.report("seeds", "pipeline")
    assert report.quotes_found == report.quotes


@pytest.mark.parametrize("name", measure.REAL)
def test_real_quotes_are_verbatim(measurer: Any, name: str) -> None:
    report = measurer.report(name, "end_to_end")
    assert report.quotes_found == report.quotes
