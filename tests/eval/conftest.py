"""The gate's measurements, made once per session and shared by tests/eval.

`measurer` extracts each shared set once per mode (the pipeline alone; end to end as `kwatch eval`
does, exported to JSON lines) and scores any split of it on demand: the quality gate and the
agreement with ../shared/eval/score.py read the same predictions.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load_measure() -> ModuleType:
    """scripts/measure_baseline.py as the module `measure_baseline` (test modules import it)."""
    if "measure_baseline" in sys.modules:
        return sys.modules["measure_baseline"]
    spec = importlib.util.spec_from_file_location("measure_baseline", ROOT / "scripts" / "measure_baseline.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["measure_baseline"] = module
    spec.loader.exec_module(module)
    return module


measure = _load_measure()


@pytest.fixture(scope="session")
def measurer(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    return measure.Measurer(shared_dir, tmp_path_factory.mktemp("eval-predictions"))
