"""Every error path of the API answers in one JSON shape: {ok: false, status, error, errors}."""

from __future__ import annotations

from typing import Any

import pytest

SHAPE = {"ok", "status", "error", "errors"}


def _check(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == SHAPE
    assert body["ok"] is False and body["status"] == status
    assert isinstance(body["error"], str) and body["error"]
    assert isinstance(body["errors"], list)
    return body


@pytest.fixture
def event_id(client: Any) -> str:
    return client.get("/api/events", params={"limit": 1}).json()["items"][0]["id"]


@pytest.mark.parametrize(
    ("method", "path", "role", "payload", "status"),
    [
        ("GET", "/api/no-such-route", None, None, 404),
        ("GET", "/no-such-page", None, None, 404),
        ("DELETE", "/api/events", None, None, 405),
        ("GET", "/api/events?limit=0", None, None, 422),
        ("GET", "/api/events?offset=-1", None, None, 422),
        ("GET", "/api/events?since=last-week", None, None, 422),
        ("GET", "/api/events?review=maybe", None, None, 422),
        ("GET", "/api/events/no-such-event", None, None, 404),
        ("GET", "/events/no-such-event", None, None, 404),
        ("GET", "/api/documents/no-such-document", None, None, 404),
        ("GET", "/documents/no-such-document", None, None, 404),
        ("GET", "/api/export?format=xlsx", None, None, 400),
        ("GET", "/api/whoami", None, None, 401),
        ("POST", "/api/events/{id}/confirm", None, {}, 401),
        ("POST", "/api/events/{id}/confirm", "viewer", {}, 403),
        ("POST", "/api/events/{id}/edit", "analyst", {"value": 3}, 422),
        ("POST", "/api/events/{id}/edit", "analyst", {"field": "colour", "value": "red"}, 422),
        ("POST", "/api/events/{id}/edit", "analyst", {"field": "killed", "value": -3}, 422),
        ("POST", "/api/events/{id}/edit", "analyst", {"field": "date", "value": "March"}, 422),
        ("POST", "/api/events/{id}/reject", "analyst", {}, 422),
        ("POST", "/api/events/no-such-event/confirm", "analyst", {}, 404),
        ("POST", "/api/events/merge", "analyst", {"ids": ["only-one"]}, 422),
        ("POST", "/api/events/merge", "analyst", {"ids": ["no-such-a", "no-such-b"]}, 404),
        ("POST", "/api/events/{id}/split", "analyst", {"document_id": "not-a-source"}, 400),
        ("POST", "/api/tokens", "analyst", {"role": "admin"}, 403),
        ("POST", "/api/tokens", "admin", {"role": "emperor"}, 400),
    ],
)
def test_error_shape(client: Any, bearer: Any, event_id: str, method: str, path: str, role: str | None, payload: Any, status: int) -> None:
    headers = bearer(role) if role else {}
    response = client.request(method, path.replace("{id}", event_id), json=payload, headers=headers)
    _check(response, status)


def test_malformed_json_body_is_422(client: Any, bearer: Any, event_id: str) -> None:
    response = client.post(f"/api/events/{event_id}/edit", content=b"{not json", headers={**bearer("analyst"), "Content-Type": "application/json"})
    body = _check(response, 422)
    assert body["errors"]


def test_validation_errors_list_each_problem(client: Any) -> None:
    body = _check(client.get("/api/events", params={"limit": 0, "offset": -1}), 422)
    assert {tuple(e["loc"]) for e in body["errors"]} == {("query", "limit"), ("query", "offset")}


def test_crash_is_500_without_details(kw: Any) -> None:
    from fastapi.testclient import TestClient

    from kwatch.web import create_app

    def broken(**filters: Any) -> Any:
        raise RuntimeError("secret /path/to/db")

    app = create_app(kw)
    kw.reviewed_records = broken  # an instance attribute: only this Kwatch object is affected
    client = TestClient(app, base_url="http://127.0.0.1", client=("127.0.0.1", 1), raise_server_exceptions=False)
    body = _check(client.get("/api/events"), 500)
    assert "secret" not in body["error"]


@pytest.mark.parametrize(("host", "status"), [("attacker.example", 421), ("attacker.example:8000", 421), ("bad host", 400)])
def test_host_refusals_are_in_the_shape(client: Any, host: str, status: int) -> None:
    _check(client.get("/api/events", headers={"Host": host}), status)


def test_cookie_write_failing_csrf_is_in_the_shape(client: Any, kw: Any, event_id: str, tokens: dict[str, str]) -> None:
    client.post("/login", data={"token": tokens["analyst"]}, headers={"Origin": "http://127.0.0.1"})
    _check(client.post(f"/api/events/{event_id}/confirm", json={}, headers={"Origin": "http://attacker.example"}), 403)
