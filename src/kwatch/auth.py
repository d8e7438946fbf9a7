"""API tokens and roles. A token is shown once, when created; the store keeps only its sha256.

    viewer   may read (reads are open on loopback anyway; a viewer token opens them elsewhere)
    analyst  may also review events: confirm, edit a field, reject, merge, split
    admin    may also create and revoke tokens

A presented token is hashed and looked up by its hash; the stored hash is then compared with
`hmac.compare_digest`, so no comparison of secrets depends on how many characters match.

A browser logs in once with a token and then holds a session: a random secret in a cookie, of
which the store keeps only the sha256 (table `web_sessions`), tied to the token. The session
acts with the token's role until it expires, is logged out, or the token is revoked.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from kwatch.errors import Forbidden, KwatchError, Unauthenticated
from kwatch.store import Store

ROLES = ("viewer", "analyst", "admin")
#: The prefix tells a kwatch token apart in a config file or a leaked-secret scan.
TOKEN_PREFIX = "kw_"


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is acting: a token's public id, name and role."""

    token_id: str
    name: str
    role: str

    @property
    def label(self) -> str:
        """How the audit log names this principal."""
        return f"{self.name} ({self.role}, token {self.token_id})"

    def may(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)


@dataclass(frozen=True, slots=True)
class NewToken:
    principal: Principal
    token: str  # the secret: shown once, never stored


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_role(role: str) -> str:
    if role not in ROLES:
        raise KwatchError(f"Unknown role {role!r}.", hint=f"use one of: {', '.join(ROLES)}")
    return role


def create_token(store: Store, *, role: str, name: str | None, now: datetime) -> NewToken:
    check_role(role)
    token_id = secrets.token_hex(4)
    token = f"{TOKEN_PREFIX}{secrets.token_urlsafe(32)}"
    name = (name or "").strip() or f"{role}-{token_id}"
    store.add_token(id=token_id, name=name, role=role, token_hash=hash_token(token), created_at=now)
    return NewToken(Principal(token_id=token_id, name=name, role=role), token)


def authenticate(store: Store, token: str | None) -> Principal:
    """The principal a bearer token stands for; Unauthenticated when missing, unknown or revoked."""
    if not token:
        raise Unauthenticated("This request needs a bearer token.", hint="send 'Authorization: Bearer TOKEN'; create one with `kwatch token create --role analyst`")
    presented = hash_token(token)
    row = store.token_by_hash(presented)
    if row is None or not hmac.compare_digest(row["token_hash"], presented):
        raise Unauthenticated("The bearer token is not valid.", hint="check it was copied whole, or create a new one with `kwatch token create`")
    return Principal(token_id=row["id"], name=row["name"], role=row["role"])


def require(principal: Principal, role: str) -> Principal:
    """The principal itself when its role is at least `role`; Forbidden otherwise."""
    if not principal.may(role):
        raise Forbidden(f"A {principal.role} token may not do this; it needs the {role} role.", hint=f"use a token created with `kwatch token create --role {role}`")
    return principal


@dataclass(frozen=True, slots=True)
class NewSession:
    principal: Principal
    secret: str  # goes into the cookie; the store keeps only its hash
    expires_at: datetime


def start_session(store: Store, token: str | None, *, now: datetime, hours: float) -> NewSession:
    """A session for the holder of `token` (checked as `authenticate` does), lasting `hours`."""
    principal = authenticate(store, token)
    secret = secrets.token_urlsafe(32)
    expires_at = now + timedelta(hours=hours)
    store.delete_expired_sessions(now=now)
    store.add_session(session_hash=hash_token(secret), token_id=principal.token_id, created_at=now, expires_at=expires_at)
    return NewSession(principal, secret, expires_at)


def session_principal(store: Store, secret: str | None, *, now: datetime) -> Principal | None:
    """Who holds the session with this secret; None when unknown, expired, or its token revoked."""
    if not secret:
        return None
    presented = hash_token(secret)
    row = store.session_token(presented, now=now)
    if row is None or not hmac.compare_digest(row["session_hash"], presented):
        return None
    return Principal(token_id=row["id"], name=row["name"], role=row["role"])


def end_session(store: Store, secret: str | None) -> bool:
    """Forget the session with this secret; False when there was none."""
    if not secret:
        return False
    return store.delete_session(hash_token(secret))
