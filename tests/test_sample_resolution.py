"""Issue 12 on the bundled sample corpus: one real event, one record.

The sample tells several incidents in several reports and languages (an English page and a
Russian one, a Telegram post, a monitoring note). Each must come out as one resolved attack.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import kwatch

SAMPLE = Path(kwatch.__file__).parent / "sample_corpus"


@pytest.fixture(scope="module")
def attacks(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    with kwatch.open(str(tmp_path_factory.mktemp("sample") / "s.db")) as kw:
        report, _ = kw.ingest([str(SAMPLE)])
        assert report.failed == 0
        return kw.event_records(type="attack")


def _told(attacks: list[dict[str, Any]], *, country: str, day: str) -> list[dict[str, Any]]:
    """The resolved attacks in `country` dated within a day of `day` (or in its month)."""
    from datetime import date

    target = date.fromisoformat(day)
    found = []
    for record in attacks:
        when = record["date"] or ""
        if record["country"] != country:
            continue
        if len(when) == 10 and abs((date.fromisoformat(when) - target).days) <= 1 or when == day[:7]:
            found.append(record)
    return found


@pytest.mark.parametrize(
    ("incident", "country", "day", "reports"),
    [
        ("Kabul airport", "AF", "2021-08-26", 1),
        ("Kerman", "IR", "2024-01-03", 1),  # the claim is a release, linked to the attack, not merged
        ("Crocus City Hall", "RU", "2024-03-22", 2),  # a Russian page and a Telegram post
        ("Bamyan tourists", "AF", "2024-05-17", 2),  # an English page and a Telegram post a day apart
    ],
)
def test_each_incident_of_the_sample_is_one_event(attacks: list[dict[str, Any]], incident: str, country: str, day: str, reports: int) -> None:
    told = _told(attacks, country=country, day=day)
    assert len(told) == 1, f"{incident}: {[(r['date'], r['place'], len(r['sources'])) for r in told]}"
    assert len({s["doc"] for s in told[0]["sources"]}) >= reports  # every report of it is a source of the one record


def test_the_haqqani_assassination_is_one_event(attacks: list[dict[str, Any]]) -> None:
    """The Pashto Telegram post shares no word with the English page and the monitoring note,
    but it names the minister as they do (`resolve.names`): one record with all three reports."""
    told = _told(attacks, country="AF", day="2024-12-11")
    assert len(told) == 1
    assert {"2024-12-11_khalil_haqqani.html", "2025-01-15_monitoring_note.pdf", "1700000001/18"} <= {s["doc"] for s in told[0]["sources"]}
