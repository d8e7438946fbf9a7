"""Review is one layer (issue 14): every view reads the reviewed record, and every review action,
from the web or the command line, is one `Kwatch` call that writes the audit log."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from kwatch.cli import cli


def kwatch(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args])


def _attack(client: Any, **params: Any) -> dict[str, Any]:
    items = client.get("/api/events", params={"type": "attack", "limit": 500, **params}).json()["items"]
    return next(e for e in items if e.get("injured") is not None)


def _two_attacks(client: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    items = client.get("/api/events", params={"type": "attack", "limit": 500}).json()["items"]
    return items[0], items[1]


def test_issue_14_event_after_an_api_edit_shows_the_edit_in_text_and_json(client: Any, bearer: Any, db_path: Path) -> None:
    event = _attack(client)
    new = event["injured"] + 7
    done = client.post(f"/api/events/{event['id']}/edit", json={"field": "injured", "value": new, "why": "hospital"}, headers=bearer("analyst"))
    assert done.status_code == 200, done.json()

    shown = json.loads(kwatch(db_path, "event", event["id"], "--json").output)
    assert shown["injured"] == new and shown["review"]["edited"] == ["injured"]
    text = kwatch(db_path, "event", event["id"][:10])
    assert text.exit_code == 0, text.output
    assert f"injured {new} (edited by an analyst; the reports give low {event['injured_low']}" in text.output
    assert f"edit {event['id'][:10]} injured: {event['injured']} → {new} — hospital" in text.output
    # The same record in every view: the list, the API's event, the export.
    listed = {e["id"]: e for e in json.loads(kwatch(db_path, "events", "--json").output)}
    exported = {e["id"]: e for e in map(json.loads, kwatch(db_path, "export", "--format", "jsonl").output.splitlines())}
    api = client.get(f"/api/events/{event['id']}").json()["event"]
    assert listed[event["id"]]["injured"] == exported[event["id"]]["injured"] == api["injured"] == new
    assert {k: v for k, v in shown.items() if k != "members"} == {k: v for k, v in api.items() if k != "members"}


def test_issue_14_a_cli_merge_is_in_the_api_audit_log_with_who_and_why(client: Any, db_path: Path) -> None:
    a, b = _two_attacks(client)
    result = kwatch(db_path, "merge", a["id"], b["id"], "--why", "one attack told twice")
    assert result.exit_code == 0, result.output
    merged = min(a["id"], b["id"])
    assert f"Merged into {merged}" in result.output
    entries = client.get("/api/audit").json()["items"]
    assert {e["event_id"] for e in entries} == {a["id"], b["id"]}
    assert all(e["action"] == "merge" and e["why"] == "one attack told twice" and e["who"].endswith("(cli)") for e in entries)
    assert all(sorted(e["new"]["merged"]) == sorted([a["id"], b["id"]]) and e["new"]["decision"] for e in entries)
    page = client.get(f"/api/events/{merged}").json()
    assert [e["action"] for e in page["audit"]] == ["merge"]
    assert len(page["event"]["members"]) >= 2
    listed = kwatch(db_path, "audit")
    assert listed.output.count(": merge ") == 1 and "one attack told twice" in listed.output


def test_issue_14_a_cli_split_is_in_the_audit_log_of_both_events_it_leaves(client: Any, db_path: Path) -> None:
    a, b = _two_attacks(client)
    assert kwatch(db_path, "merge", a["id"], b["id"], "--who", "dana").exit_code == 0
    doc = b["sources"][0]["doc"]
    result = kwatch(db_path, "split", min(a["id"], b["id"]), doc, "--why", "two attacks", "--who", "dana")
    assert result.exit_code == 0, result.output
    for event in (a, b):
        actions = [e["action"] for e in client.get(f"/api/events/{event['id']}").json()["audit"]]
        assert actions == ["split", "merge"], (event["id"], actions)
    split = client.get("/api/audit").json()["items"][0]
    assert split["who"] == "dana" and split["new"]["doc"] == doc and split["why"] == "two attacks"


def test_issue_14_review_confirm_edit_reject_from_the_cli(client: Any, db_path: Path) -> None:
    event = _attack(client)
    ident = event["id"][:8]
    assert kwatch(db_path, "review", "confirm", ident, "--why", "two sources", "--who", "eve").exit_code == 0
    edited = kwatch(db_path, "review", "edit", ident, "killed", "12", "--who", "eve")
    assert edited.exit_code == 0, edited.output
    assert "killed is now 12" in edited.output
    assert kwatch(db_path, "review", "edit", ident, "claimed", "no", "--who", "eve").exit_code == 0
    assert kwatch(db_path, "review", "edit", ident, "languages", "ps,fa", "--who", "eve").exit_code == 0
    record = client.get(f"/api/events/{event['id']}").json()["event"]
    assert (record["killed"], record["claimed"], record["languages"]) == (12, False, ["fa", "ps"])
    assert record["review"] == {"status": "confirmed", "edited": ["claimed", "killed", "languages"]}
    assert [e["who"] for e in client.get("/api/audit").json()["items"]] == ["eve"] * 4

    assert kwatch(db_path, "review", "reject", ident, "--why", "not this group's", "--who", "eve").exit_code == 0
    assert event["id"] not in {e["id"] for e in json.loads(kwatch(db_path, "events", "--json").output)}
    rejected = json.loads(kwatch(db_path, "events", "--review", "rejected", "--json").output)
    assert [e["id"] for e in rejected] == [event["id"]]
    assert json.loads(kwatch(db_path, "event", event["id"], "--json").output)["review"]["status"] == "rejected"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["review", "edit", "{id}", "killed", "many"], 1, "Error: killed 'many' is not a count. Hint: give a whole number"),
        (["review", "edit", "{id}", "sources", "x"], 1, "Error: Field 'sources' cannot be edited."),
        (["review", "edit", "{id}", "date", "2024-13"], 1, "Error: date '2024-13' is not YYYY, YYYY-MM or YYYY-MM-DD."),
        (["review", "confirm", "zzzzzzzz"], 1, "Error: No event 'zzzzzzzz'. Hint: list events and their ids with `kwatch events`"),
        (["review", "confirm", "ab"], 1, "Error: No event 'ab'. Hint: give at least 6 characters"),
    ],
)
def test_review_mistakes_are_one_line_and_write_nothing(client: Any, db_path: Path, args: list[str], code: int, message: str) -> None:
    event = _attack(client)
    result = kwatch(db_path, *(a.replace("{id}", event["id"]) for a in args))
    assert result.exit_code == code
    assert result.output.startswith(message) and len(result.output.strip().splitlines()) == 1, result.output
    assert client.get("/api/audit").json()["items"] == []


def test_reject_needs_a_reason_on_the_cli(client: Any, db_path: Path) -> None:
    result = kwatch(db_path, "review", "reject", _attack(client)["id"])
    assert result.exit_code == 2 and "--why" in result.output


def test_web_merge_and_split_keep_their_shapes_and_are_audited_once_per_event(client: Any, bearer: Any) -> None:
    a, b = _two_attacks(client)
    merged = client.post("/api/events/merge", json={"ids": [a["id"], b["id"]], "why": "same"}, headers=bearer("analyst")).json()
    assert merged["ok"] and len(merged["event"]["members"]) >= 2
    split = client.post(f"/api/events/{merged['event']['id']}/split", json={"document_id": b["sources"][0]["document_id"]}, headers=bearer("analyst")).json()
    assert split["ok"] and len(split["events"]) == 2
    actions = sorted(e["action"] for e in client.get("/api/audit").json()["items"])
    assert actions == ["merge", "merge", "split", "split"]
    assert all(e["who"].startswith("test analyst") for e in client.get("/api/audit").json()["items"])
