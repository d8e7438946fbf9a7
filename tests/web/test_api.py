"""The JSON API in process: reads, filters, pagination, review writes and their audit log."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner

from kwatch.cli import cli


def _first(client: Any, **params: Any) -> dict[str, Any]:
    body = client.get("/api/events", params={"limit": 1, **params}).json()
    assert body["total"] >= 1, body
    return body["items"][0]


def test_openapi_schema_lists_the_api(client: Any) -> None:
    schema = client.get("/api/openapi.json").json()
    assert {"/api/events", "/api/events/{event_id}", "/api/documents", "/api/stats", "/api/export", "/api/events/{event_id}/edit"} <= set(schema["paths"])


def test_events_are_paged_with_a_total(client: Any, kw: Any) -> None:
    everything = kw.reviewed_records()
    first = client.get("/api/events", params={"limit": 5}).json()
    second = client.get("/api/events", params={"limit": 5, "offset": 5}).json()
    assert first["total"] == second["total"] == len(everything)
    assert len(first["items"]) == 5
    assert not {e["id"] for e in first["items"]} & {e["id"] for e in second["items"]}


@pytest.mark.parametrize(
    ("params", "check"),
    [
        ({"type": "propaganda"}, lambda e: e["type"] == "propaganda"),
        ({"country": "af"}, lambda e: e["country"] == "AF"),
        ({"province": "kabul"}, lambda e: e["admin1"] == "Kabul"),
        ({"actor": "ISKP"}, lambda e: e["actor"] == "ISKP"),
        ({"since": "2024", "until": "2024-06"}, lambda e: "2024" <= e["date"][:7] <= "2024-06"),
    ],
)
def test_filters_keep_only_matching_events(client: Any, params: dict[str, str], check: Any) -> None:
    body = client.get("/api/events", params={"limit": 500, **params}).json()
    everything = client.get("/api/events", params={"limit": 500}).json()
    assert 0 < body["total"] < everything["total"]
    assert all(check(e) for e in body["items"])


def test_text_filter_searches_quotes(client: Any) -> None:
    body = client.get("/api/events", params={"text": "Crocus"}).json()
    assert body["total"] >= 1
    assert all("crocus" in json.dumps(e).lower() for e in body["items"])


def test_event_has_sources_quotes_and_audit(client: Any) -> None:
    event = _first(client, province="Kabul")
    body = client.get(f"/api/events/{event['id']}").json()
    assert body["event"]["id"] == event["id"]
    assert body["event"]["sources"] and all(s["quote"] for s in body["event"]["sources"])
    assert body["audit"] == []


def test_documents_list_and_search(client: Any) -> None:
    listed = client.get("/api/documents", params={"limit": 3}).json()["items"]
    assert len(listed) == 3 and all("text" not in d for d in listed)
    hits = client.get("/api/documents", params={"q": "Crocus"}).json()["items"]
    assert hits and all(h["snippet"] for h in hits)
    document = client.get(f"/api/documents/{hits[0]['id']}").json()["document"]
    assert "Crocus" in document["text"]


def test_stats_tables_are_row_lists(client: Any) -> None:
    stats = client.get("/api/stats").json()["stats"]
    assert {"monthly", "propaganda_by_language", "casualties", "abroad", "by_province"} <= set(stats)
    assert all(isinstance(rows, list) for rows in stats.values())
    assert stats["monthly"] and isinstance(stats["monthly"][0], dict)


def test_export_serves_registered_formats(client: Any, kw: Any) -> None:
    response = client.get("/api/export", params={"format": "jsonl"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in response.text.splitlines() if line.strip()]
    assert lines and all("sources" in line for line in lines)


def test_write_without_token_is_401(client: Any) -> None:
    event = _first(client)
    response = client.post(f"/api/events/{event['id']}/confirm", json={})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_write_with_unknown_token_is_401(client: Any) -> None:
    event = _first(client)
    response = client.post(f"/api/events/{event['id']}/confirm", json={}, headers={"Authorization": "Bearer kw_not-a-token"})
    assert response.status_code == 401


def test_write_with_viewer_token_is_403(client: Any, bearer: Any) -> None:
    event = _first(client)
    response = client.post(f"/api/events/{event['id']}/edit", json={"field": "killed", "value": 1}, headers=bearer("viewer"))
    assert response.status_code == 403
    assert client.get(f"/api/events/{event['id']}/audit").json()["items"] == []


def test_analyst_edit_is_applied_audited_and_survives_re_extraction(client: Any, bearer: Any, db_path: Any) -> None:
    event = _first(client, province="Kabul", type="attack")
    response = client.post(
        f"/api/events/{event['id']}/edit",
        json={"field": "killed", "value": 99, "why": "hospital figures"},
        headers=bearer("analyst"),
    )
    assert response.status_code == 200, response.json()
    assert response.json()["event"]["killed"] == 99
    [entry] = client.get(f"/api/events/{event['id']}/audit").json()["items"]
    assert entry["action"] == "edit" and entry["field"] == "killed"
    assert entry["old"] == event["killed"] and entry["new"] == 99 and entry["why"] == "hospital figures"
    assert entry["who"].startswith("test analyst (analyst") and entry["at"]

    result = CliRunner().invoke(cli, ["--db", str(db_path), "extract", "--all"])
    assert result.exit_code == 0, result.output
    again = client.get(f"/api/events/{event['id']}").json()
    assert again["event"]["killed"] == 99
    assert again["event"]["review"]["edited"] == ["killed"]
    assert len(again["audit"]) == 1


def test_confirm_sets_status(client: Any, bearer: Any) -> None:
    event = _first(client)
    body = client.post(f"/api/events/{event['id']}/confirm", json={"why": "two sources agree"}, headers=bearer("analyst")).json()
    assert body["event"]["review"]["status"] == "confirmed"
    confirmed = client.get("/api/events", params={"review": "confirmed"}).json()
    assert [e["id"] for e in confirmed["items"]] == [event["id"]]


def test_reject_hides_the_event_and_needs_a_reason(client: Any, bearer: Any) -> None:
    event = _first(client)
    before = client.get("/api/events").json()["total"]
    refused = client.post(f"/api/events/{event['id']}/reject", json={}, headers=bearer("analyst"))
    assert refused.status_code == 422
    done = client.post(f"/api/events/{event['id']}/reject", json={"why": "not an ISKP event"}, headers=bearer("analyst"))
    assert done.status_code == 200
    assert client.get("/api/events").json()["total"] == before - 1
    rejected = client.get("/api/events", params={"review": "rejected"}).json()["items"]
    assert [e["id"] for e in rejected] == [event["id"]]


def test_edit_filter_sees_the_new_value(client: Any, bearer: Any) -> None:
    event = _first(client, province="Kabul")
    client.post(f"/api/events/{event['id']}/edit", json={"field": "admin1", "value": "Zabul"}, headers=bearer("analyst"))
    zabul = client.get("/api/events", params={"province": "Zabul"}).json()["items"]
    assert event["id"] in [e["id"] for e in zabul]


def test_audit_log_lists_every_review_newest_first(client: Any, bearer: Any) -> None:
    event = _first(client)
    client.post(f"/api/events/{event['id']}/confirm", json={}, headers=bearer("analyst"))
    client.post(f"/api/events/{event['id']}/edit", json={"field": "claimed", "value": False}, headers=bearer("admin"))
    items = client.get("/api/audit").json()["items"]
    assert [i["action"] for i in items] == ["edit", "confirm"]


def test_reads_from_elsewhere_need_a_token(kw: Any, bearer: Any) -> None:
    from fastapi.testclient import TestClient

    from kwatch.web import create_app

    remote = TestClient(create_app(kw, allowed_hosts="kwatch.example"), base_url="http://kwatch.example", client=("203.0.113.7", 40000))
    assert remote.get("/api/events").status_code == 401
    assert remote.get("/api/events", headers=bearer("viewer")).status_code == 200
    public = TestClient(create_app(kw, open_reads=True, allowed_hosts=["kwatch.example"]), base_url="http://kwatch.example", client=("203.0.113.7", 40000))
    assert public.get("/api/events").status_code == 200


def test_admin_creates_tokens_analyst_may_not(client: Any, bearer: Any) -> None:
    assert client.post("/api/tokens", json={"role": "viewer"}, headers=bearer("analyst")).status_code == 403
    made = client.post("/api/tokens", json={"role": "analyst", "name": "bob"}, headers=bearer("admin")).json()
    who = client.get("/api/whoami", headers={"Authorization": f"Bearer {made['token']}"}).json()
    assert (who["name"], who["role"]) == ("bob", "analyst")
