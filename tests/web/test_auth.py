"""Tokens: shown once, stored as a sha256 hash, checked by role."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kwatch import auth
from kwatch.errors import Forbidden, Unauthenticated
from kwatch.store import open_store

NOW = datetime(2024, 4, 1, tzinfo=UTC)


def test_token_is_stored_hashed(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    with open_store(str(db)) as store:
        new = auth.create_token(store, role="analyst", name="alice", now=NOW)
        assert auth.authenticate(store, new.token) == new.principal
    rows = sqlite3.connect(db).execute("SELECT token_hash FROM api_tokens").fetchall()
    assert rows == [(hashlib.sha256(new.token.encode()).hexdigest(),)]
    assert new.token.encode() not in db.read_bytes()


def test_unknown_missing_and_revoked_tokens_are_refused(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "a.db")) as store:
        new = auth.create_token(store, role="viewer", name=None, now=NOW)
        for bad in (None, "", new.token + "x", new.token[:-1]):
            with pytest.raises(Unauthenticated):
                auth.authenticate(store, bad)
        assert store.revoke_token(new.principal.token_id, at=NOW)
        with pytest.raises(Unauthenticated):
            auth.authenticate(store, new.token)
        assert [t["name"] for t in store.tokens()] == [new.principal.name]
        assert "token_hash" not in store.tokens()[0]


@pytest.mark.parametrize(
    ("role", "needed", "allowed"),
    [("viewer", "analyst", False), ("analyst", "analyst", True), ("admin", "analyst", True), ("analyst", "admin", False)],
)
def test_roles_are_ordered(role: str, needed: str, allowed: bool) -> None:
    principal = auth.Principal(token_id="t", name="n", role=role)
    if allowed:
        assert auth.require(principal, needed) is principal
    else:
        with pytest.raises(Forbidden):
            auth.require(principal, needed)


def test_unknown_role_is_refused(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "a.db")) as store, pytest.raises(Exception, match="Unknown role"):
        auth.create_token(store, role="root", name=None, now=NOW)
