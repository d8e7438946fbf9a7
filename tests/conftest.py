"""Fixtures shared by every test module."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# CI machines are shared and slow at times: no per-example deadline, no "too slow" health check.
# Properties still run their full number of examples.
settings.register_profile("kwatch", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("kwatch")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DATA = Path(__file__).resolve().parent / "data"


def pytest_addoption(parser: pytest.Parser) -> None:
    # Declared here, in the root conftest, so `pytest --pg URL` works from any directory.
    parser.addoption("--pg", default=None, metavar="URL", help="run the store tests on this PostgreSQL server (or set KWATCH_TEST_PG)")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the checkout; tests that need it skip with the reason when it is absent."""
    if not (SHARED / "eval" / "FORMAT.md").is_file():
        pytest.skip(f"../shared is absent ({SHARED}): development data not available on this machine")
    return SHARED


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA
