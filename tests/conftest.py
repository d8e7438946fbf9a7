"""Fixtures shared by every test module."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the checkout; tests that need it skip with the reason when it is absent."""
    if not (SHARED / "eval" / "FORMAT.md").is_file():
        pytest.skip(f"../shared is absent ({SHARED}): development data not available on this machine")
    return SHARED


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA
