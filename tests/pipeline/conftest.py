"""Fixtures the stage tests share: the default pipeline and a context with the package gazetteer."""

from __future__ import annotations

import pytest

from kwatch.extract import build_context
from kwatch.pipeline import Context, Pipeline
from kwatch.pipeline.default import build_pipeline


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return build_pipeline()


@pytest.fixture(scope="module")
def ctx() -> Context:
    return build_context()
