"""`kwatch event / merge / split / resolve / stats / plot` end to end on a real SQLite file, over
our own resolution corpus (tests/data/resolution/)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from kwatch.cli import cli

MOSQUE_DOCS = {"2025-03-07_baghlan_mosque_first.txt", "2025-03-08_baghlan_mosque_toll.txt", "2025-03-08_baghlan_mosque_claim.txt"}


def kwatch(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)


@pytest.fixture
def db(tmp_path: Path, data_dir: Path) -> Path:
    path = tmp_path / "r.db"
    shutil.copyfile(_ingested(data_dir, tmp_path.parent), path)
    return path


def _ingested(data_dir: Path, base: Path) -> Path:
    """One ingested store per test session directory, copied for each test."""
    path = base / "resolution-template.db"
    if not path.exists():
        result = kwatch(path, "ingest", str(data_dir / "resolution"))
        assert result.exit_code == 0, result.output
    return path


def _events(db: Path) -> list[dict[str, Any]]:
    return json.loads(kwatch(db, "events", "--json").output)


def _mosque(db: Path) -> dict[str, Any]:
    return next(e for e in _events(db) if {s["doc"] for s in e["sources"]} >= {"2025-03-07_baghlan_mosque_first.txt"})


def test_event_shows_sources_figures_quotes_and_why(db: Path) -> None:
    mosque = _mosque(db)
    result = kwatch(db, "event", mosque["id"][:8])
    assert result.exit_code == 0, result.output
    for text in ("killed 12 (low 12, high 18); claimed by the group: 60", "why merged", "likely one event: ", "12 worshippers"):
        assert text in result.output
    data = json.loads(kwatch(db, "event", mosque["id"], "--json").output)
    assert {m["doc"] for m in data["members"]} == MOSQUE_DOCS
    auto = [m["reason"] for m in data["members"] if m["reason"]["kind"] == "auto"]
    assert auto and all(r["probability"] >= 0.5 and {"same_place", "same_country"} <= set(r["matched"]) for r in auto)


def test_unknown_event_is_one_line_error(db: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(db), "event", "zzzzzzzz"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == ["Error: No event 'zzzzzzzz'. Hint: list events and their ids with `kwatch events`"]


def test_split_and_merge_survive_reextraction(db: Path) -> None:
    mosque = _mosque(db)
    result = kwatch(db, "split", mosque["id"], "2025-03-08_baghlan_mosque_claim.txt", "--why", "test")
    assert result.exit_code == 0, result.output
    assert len(_events(db)) == 4
    assert kwatch(db, "extract", "--all").exit_code == 0
    events = _events(db)
    assert len(events) == 4
    claim = next(e for e in events if {s["doc"] for s in e["sources"]} == {"2025-03-08_baghlan_mosque_claim.txt"})
    rest = next(e for e in events if "2025-03-07_baghlan_mosque_first.txt" in {s["doc"] for s in e["sources"]})
    assert kwatch(db, "merge", claim["id"], rest["id"]).exit_code == 0
    assert kwatch(db, "resolve").exit_code == 0
    assert len(_events(db)) == 3
    assert {s["doc"] for s in _mosque(db)["sources"]} == MOSQUE_DOCS


def test_split_of_a_document_that_is_not_a_source_is_an_error(db: Path) -> None:
    mosque = _mosque(db)
    result = CliRunner().invoke(cli, ["--db", str(db), "split", mosque["id"], "2025-04-02_kandahar_roadside_bomb.txt"])
    assert result.exit_code == 1
    assert "is not one source of event" in result.output


def test_stats_json_has_the_agreed_keys(db: Path) -> None:
    data = json.loads(kwatch(db, "stats", "--json").output)
    assert {"monthly", "propaganda_by_language", "casualties", "abroad", "by_province"} <= set(data)
    assert data["monthly"] == [{"month": "2025-03", "iskp_attacks": 1, "raids": 0}, {"month": "2025-04", "iskp_attacks": 1, "raids": 0}]
    total = next(row for row in data["casualties"] if row["category"] == "total")
    assert total == {"category": "total", "incidents": 3, "killed": 20, "injured": 30}  # 12 + 5 + 3 (FIGURE_RULE)
    assert kwatch(db, "stats", "--since", "2025-04", "--json").exit_code == 0
    human = kwatch(db, "stats")
    assert human.exit_code == 0 and "casualties" in human.output


@pytest.mark.parametrize("kind", ["monthly", "propaganda", "casualties", "abroad", "provinces"])
def test_plot_writes_a_png(db: Path, tmp_path: Path, kind: str) -> None:
    out = tmp_path / f"{kind}.png"
    result = kwatch(db, "plot", kind, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_export_jsonl_writes_resolved_events(db: Path) -> None:
    lines = kwatch(db, "export", "--format", "jsonl").output.splitlines()
    assert len(lines) == 3
    records = [json.loads(line) for line in lines]
    assert max(len({s["doc"] for s in r["sources"]}) for r in records) == 3


def test_issue_11_an_analysts_edit_shows_in_kwatch_event_as_everywhere(db: Path) -> None:
    """One rule: `kwatch event ID` (text and --json) shows the values every other view shows,
    and every filter sees the edited values."""
    import kwatch as kwatch_api
    from kwatch.query import EventQuery

    mosque = _mosque(db)
    with kwatch_api.open(str(db)) as kw:
        kw.edit(mosque["id"], "injured", 99, who="analyst", why="hospital figure")
        kw.edit(mosque["id"], "admin1", "Kunduz", who="analyst")
        assert kw.event(mosque["id"])["injured"] == 99
        # Filters see the edited values: the event is found under its new province, not its old one.
        assert [e["id"] for e in kw.event_records() if e["admin1"] == "Kunduz"] == [mosque["id"]]
        assert mosque["id"] not in {e["id"] for e in kw.browse(EventQuery(province="Baghlan")).items}
        assert [e["id"] for e in kw.browse(EventQuery(province="Kunduz")).items] == [mosque["id"]]
    data = json.loads(kwatch(db, "event", mosque["id"], "--json").output)
    assert data["injured"] == 99 and data["review"] == {"status": None, "edited": ["admin1", "injured"]}
    assert "injured 99 (edited by an analyst; the reports give low" in kwatch(db, "event", mosque["id"]).output
    assert [e["id"] for e in _events(db) if e["injured"] == 99] == [mosque["id"]]
