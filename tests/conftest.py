"""Fixtures shared by every test module."""

from __future__ import annotations

from pathlib import Path

import pytest

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
