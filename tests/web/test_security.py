"""Sharing the server safely: the Host allow-list, security headers, login sessions (cookie flags,
expiry, revocation, logout, CSRF) and the bounded request queue, in process."""

from __future__ import annotations

import asyncio
import hashlib
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from kwatch.api import Kwatch
from kwatch.web import create_app
from kwatch.web import sessions as sessions_mod
from kwatch.web.guard import RequestQueue, allowed_host_names, host_name
from kwatch.web.pages import plotly_css, plotly_style_ids

REMOTE = ("203.0.113.7", 40000)
SITE = "http://kwatch.example"


def _client(app: Any, *, base_url: str = SITE, client: tuple[str, int] = REMOTE, **kwargs: Any) -> Any:
    from fastapi.testclient import TestClient

    return TestClient(app, base_url=base_url, client=client, follow_redirects=False, **kwargs)


def _is_error_shape(response: Any, status: int) -> None:
    body = response.json()
    assert response.status_code == status
    assert set(body) == {"ok", "status", "error", "errors"} and body["ok"] is False and body["status"] == status


@pytest.fixture
def remote(kw: Kwatch) -> Any:
    """A client on another machine, reaching the server by an allowed name."""
    with _client(create_app(kw, allowed_hosts="kwatch.example")) as test_client:
        yield test_client


def _login(client: Any, token: str, *, next_path: str = "/") -> Any:
    return client.post("/login", data={"token": token, "next": next_path}, headers={"Origin": str(client.base_url).rstrip("/")})


# -- Host allow-list ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("localhost", "localhost"),
        ("LocalHost:8000", "localhost"),
        ("127.0.0.1:80", "127.0.0.1"),
        ("[::1]:8000", "::1"),
        ("[::1]", "::1"),
        ("::1", "::1"),
        ("example.org.", "example.org"),
        ("", None),
        ("a b", None),
        ("host:port", None),
        ("[::1]x", None),
        ("evil.example/x", None),
    ],
)
def test_host_name_parsing(header: str, name: str | None) -> None:
    assert host_name(header) == name


def test_allowed_hosts_add_to_loopback_names() -> None:
    assert allowed_host_names("a.example, B.example:8000", ["0.0.0.0", "192.0.2.5"]) == {
        "localhost", "127.0.0.1", "::1", "a.example", "b.example", "192.0.2.5",
    }  # fmt: skip


def test_unknown_host_gets_421_in_the_error_shape(client: Any) -> None:
    response = client.get("/api/events", headers={"Host": "attacker.example"})
    _is_error_shape(response, 421)
    assert "attacker.example" in response.json()["error"]
    assert response.headers["x-frame-options"] == "DENY"


def test_missing_or_malformed_host_gets_400(client: Any) -> None:
    _is_error_shape(client.get("/api/events", headers={"Host": "a b"}), 400)


@pytest.mark.parametrize("host", ["localhost", "localhost:8000", "127.0.0.1:1234", "[::1]:8000", "::1"])
def test_loopback_hosts_pass(client: Any, host: str) -> None:
    assert client.get("/api/stats", headers={"Host": host}).status_code == 200


def test_configured_host_passes_and_others_still_fail(kw: Kwatch) -> None:
    with _client(create_app(kw, allowed_hosts=["kwatch.example"]), client=("127.0.0.1", 1)) as local:
        assert local.get("/api/stats").status_code == 200
        assert local.get("/api/stats", headers={"Host": "kwatch.example.attacker.example"}).status_code == 421


def test_allowed_hosts_default_from_the_setting(kw: Kwatch) -> None:
    settings = {**kw.settings, "allowed_hosts": "dash.example"}
    with _client(create_app(Kwatch(kw.store, settings)), base_url="http://dash.example", client=("127.0.0.1", 1)) as local:
        assert local.get("/api/stats").status_code == 200


# -- security headers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/api/events", "/", "/static/style.css", "/vendor/plotly.min.js", "/login", "/api/nowhere", "/api/events/nope", "/api/docs"]
)
def test_security_headers_on_every_response(client: Any, path: str) -> None:
    response = client.get(path)
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-eval" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert response.headers["x-frame-options"] == "DENY"


def test_pages_allow_no_inline_script_or_style(client: Any) -> None:
    csp = client.get("/").headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"


def test_headers_on_crashes_too(kw: Kwatch) -> None:
    app = create_app(kw)

    @app.get("/api/boom")
    def boom() -> None:
        raise RuntimeError("secret detail")

    with _client(app, base_url="http://127.0.0.1", client=("127.0.0.1", 1), raise_server_exceptions=False) as local:
        response = local.get("/api/boom")
    _is_error_shape(response, 500)
    assert response.headers["x-frame-options"] == "DENY" and "default-src 'self'" in response.headers["content-security-policy"]


def test_plotly_styles_are_served_as_a_stylesheet(client: Any) -> None:
    """The dashboard pre-empts plotly.js's own <style> elements (refused by the CSP)."""
    css = plotly_css()
    assert len(css.splitlines()) >= 50 and ".js-plotly-plot .plotly .modebar" in css and ".plotly-notifier {" in css
    assert client.get("/vendor/plotly.css").text == css
    page = client.get("/").text
    assert '<link id="plotly.js-style-global" class="no-inline-styles"' in page
    assert all(f'<template id="{i}">' in page for i in plotly_style_ids())


# -- login and sessions ---------------------------------------------------------------------------


def test_off_loopback_pages_redirect_to_login_and_api_says_401(remote: Any) -> None:
    page = remote.get("/events/abc?x=1")
    assert page.status_code == 303 and page.headers["location"] == "/login?next=/events/abc%3Fx%3D1"
    assert remote.get("/").headers["location"] == "/login"
    _is_error_shape(remote.get("/api/events"), 401)
    assert remote.get("/login").status_code == 200
    assert remote.get("/static/style.css").status_code == 200


def test_login_sets_a_strict_httponly_cookie_and_stores_only_its_hash(remote: Any, tokens: dict[str, str], db_path: Path) -> None:
    response = _login(remote, tokens["viewer"], next_path="/events/x")
    assert response.status_code == 303 and response.headers["location"] == "/events/x"
    cookie = response.headers["set-cookie"]
    secret = cookie.split(";")[0].split("=", 1)[1]
    flags = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "samesite=strict", "path=/"} <= flags and "secure" not in flags
    assert secret not in tokens.values() and len(secret) >= 40
    rows = sqlite3.connect(db_path).execute("SELECT session_hash FROM web_sessions").fetchall()
    assert rows == [(hashlib.sha256(secret.encode()).hexdigest(),)]
    assert remote.get("/api/events").status_code == 200
    assert remote.get("/api/whoami").json()["role"] == "viewer"
    dashboard = remote.get("/")
    assert dashboard.status_code == 200 and "Log out" in dashboard.text


def test_cookie_is_secure_over_https(kw: Kwatch, tokens: dict[str, str]) -> None:
    with _client(create_app(kw, allowed_hosts="kwatch.example"), base_url="https://kwatch.example") as secure:
        cookie = _login(secure, tokens["viewer"]).headers["set-cookie"]
    assert "secure" in {part.strip().lower() for part in cookie.split(";")}


def test_bad_token_is_refused_after_a_delay(remote: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sessions_mod, "FAILURE_DELAY", 0.0)
    response = _login(remote, "kw_not-a-token")
    assert response.status_code == 401 and "not valid" in response.text and "set-cookie" not in response.headers


def test_repeated_failures_are_rate_limited(remote: Any, tokens: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sessions_mod, "FAILURE_DELAY", 0.0)
    statuses = [_login(remote, f"kw_wrong{i}").status_code for i in range(sessions_mod.FAILURE_LIMIT + 1)]
    assert statuses == [401] * sessions_mod.FAILURE_LIMIT + [429]
    blocked = _login(remote, tokens["viewer"])
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) >= 1


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example", "evil"])
def test_login_never_redirects_off_site(remote: Any, tokens: dict[str, str], target: str) -> None:
    assert _login(remote, tokens["viewer"], next_path=target).headers["location"] == "/"


def test_login_from_a_foreign_origin_is_refused(remote: Any, tokens: dict[str, str]) -> None:
    response = remote.post("/login", data={"token": tokens["viewer"]}, headers={"Origin": "http://attacker.example"})
    assert response.status_code == 403 and "set-cookie" not in response.headers


def test_expired_session_is_refused(kw: Kwatch, tokens: dict[str, str]) -> None:
    clock = {"now": datetime(2026, 1, 1, tzinfo=UTC)}
    timed = Kwatch(kw.store, {**kw.settings, "web_session_hours": 2.0}, now=lambda: clock["now"])
    with _client(create_app(timed, allowed_hosts="kwatch.example")) as remote:
        _login(remote, tokens["analyst"])
        assert remote.get("/api/events").status_code == 200
        clock["now"] += timedelta(hours=2, seconds=1)
        _is_error_shape(remote.get("/api/events"), 401)
        assert remote.get("/").headers["location"] == "/login"
    assert kw.store.delete_expired_sessions(now=clock["now"]) == 1


def test_revoking_the_token_ends_its_sessions(remote: Any, kw: Kwatch, tokens: dict[str, str]) -> None:
    _login(remote, tokens["viewer"])
    assert remote.get("/api/events").status_code == 200
    token_id = kw.authenticate(tokens["viewer"]).token_id
    assert kw.revoke_token(token_id)
    _is_error_shape(remote.get("/api/events"), 401)


def test_logout_forgets_the_session_and_the_cookie(remote: Any, tokens: dict[str, str], db_path: Path) -> None:
    _login(remote, tokens["viewer"])
    secret = remote.cookies[sessions_mod.SESSION_COOKIE]
    response = remote.post("/logout", headers={"Origin": SITE})
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert 'kwatch_session=""' in response.headers["set-cookie"] or "max-age=0" in response.headers["set-cookie"].lower()
    assert sqlite3.connect(db_path).execute("SELECT COUNT(*) FROM web_sessions").fetchone() == (0,)
    remote.cookies.set(sessions_mod.SESSION_COOKIE, secret)  # a copy kept by an attacker is dead too
    _is_error_shape(remote.get("/api/events"), 401)


# -- CSRF on writes made with the cookie ---------------------------------------------------------


def _an_event(kw: Kwatch) -> str:
    return str(kw.reviewed_records()[0]["id"])


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 403),
        ({"Origin": "http://attacker.example"}, 403),
        ({"Origin": "null"}, 403),
        ({"Referer": "http://attacker.example/events/x"}, 403),
        ({"Origin": "https://kwatch.example"}, 403),  # another scheme is another origin
        ({"Origin": SITE}, 200),
        ({"Referer": SITE + "/events/x"}, 200),
    ],
)
def test_cookie_writes_must_come_from_our_own_pages(remote: Any, kw: Kwatch, tokens: dict[str, str], headers: dict[str, str], status: int) -> None:
    _login(remote, tokens["analyst"])
    response = remote.post(f"/api/events/{_an_event(kw)}/confirm", json={"why": "checked"}, headers=headers)
    assert response.status_code == status, response.text
    if status == 403:
        _is_error_shape(response, 403)
    else:
        assert "analyst" in kw.audit()[0]["who"]


def test_a_viewer_session_may_not_review(remote: Any, kw: Kwatch, tokens: dict[str, str]) -> None:
    _login(remote, tokens["viewer"])
    response = remote.post(f"/api/events/{_an_event(kw)}/confirm", json={}, headers={"Origin": SITE})
    _is_error_shape(response, 403)
    assert "viewer" in response.json()["error"]


def test_bearer_writes_need_no_origin(remote: Any, kw: Kwatch, bearer: Any) -> None:
    assert remote.post(f"/api/events/{_an_event(kw)}/confirm", json={}, headers=bearer("analyst")).status_code == 200


def test_a_bad_bearer_token_is_not_rescued_by_a_cookie(remote: Any, tokens: dict[str, str]) -> None:
    _login(remote, tokens["viewer"])
    _is_error_shape(remote.get("/api/events", headers={"Authorization": "Bearer kw_wrong"}), 401)


def test_event_page_reviews_with_the_session(remote: Any, kw: Kwatch, tokens: dict[str, str]) -> None:
    _login(remote, tokens["analyst"])
    page = remote.get(f"/events/{_an_event(kw)}").text
    assert 'data-session="1"' in page and 'name="token"' not in page


# -- the request queue ----------------------------------------------------------------------------


def test_request_queue_answers_503_with_retry_after_when_full() -> None:
    async def scenario() -> list[httpx.Response]:
        release = asyncio.Event()
        entered = 0

        async def slow_app(scope: Any, receive: Any, send: Any) -> None:
            nonlocal entered
            entered += 1
            await release.wait()
            await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
            await send({"type": "http.response.body", "body": b"ok"})

        queue = RequestQueue(slow_app, limit=2)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=queue), base_url="http://127.0.0.1") as client:
            first = [asyncio.create_task(client.get("/")) for _ in range(2)]
            while entered < 2:
                await asyncio.sleep(0.01)
            refused = await asyncio.wait_for(client.get("/"), timeout=5)
            release.set()
            done = await asyncio.gather(*first)
            after = await client.get("/")
        assert queue.active == 0
        return [refused, *done, after]

    refused, *served = asyncio.run(scenario())
    _is_error_shape(refused, 503)
    assert refused.headers["retry-after"] == "1"
    assert [r.status_code for r in served] == [200, 200, 200]


def test_max_requests_defaults_to_the_setting(kw: Kwatch) -> None:
    from kwatch.web.guard import RequestQueue as Queue

    app = create_app(Kwatch(kw.store, {**kw.settings, "web_max_requests": 7}))
    stack = app.build_middleware_stack()
    found = []
    while stack is not None and not found:
        if isinstance(stack, Queue):
            found.append(stack.limit)
        stack = getattr(stack, "app", None)
    assert found == [7]


def test_failed_logins_forget_stale_addresses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sessions_mod, "MAX_TRACKED_CLIENTS", 3)
    clock = {"now": 1000.0}
    failures = sessions_mod.FailedLogins(limit=2, window=60, clock=lambda: clock["now"])
    for address in ("a", "b", "c"):
        failures.record(address)
    failures.record("a")
    assert failures.blocked("a") == 60
    clock["now"] += 61
    failures.record("d")
    assert failures.blocked("a") == 0 and set(failures._seen) == {"d"}
