"""Analytics (kwatch.analytics) over the bundled sample corpus's gold events.

The expected numbers were counted by hand from tests/data/sample_gold.jsonl (and the sample
documents it annotates): required events only; where gold lists acceptable values, the first.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from kwatch import analytics
from kwatch.records import ResolvedEvent


@pytest.fixture(scope="module")
def gold_frame(data_dir: Path) -> pd.DataFrame:
    records: list[ResolvedEvent] = []
    for line in (data_dir / "sample_gold.jsonl").read_text(encoding="utf-8").splitlines():
        gold = json.loads(line)
        if gold.get("optional"):
            continue
        record = {k: (v[0] if isinstance(v, list) and k != "languages" else v) for k, v in gold.items()}
        records.append(ResolvedEvent.of({**record, "detail": {}, "sources": []}))
    return analytics.frame(records)


def test_monthly_iskp_attacks_and_raids(gold_frame: pd.DataFrame) -> None:
    table = analytics.monthly(gold_frame)
    # ISKP: K01-K04, K06-K11, K15, plus K14 (IS in Afghanistan); not K12/K13 (IS abroad), K05/K16.
    assert table["iskp_attacks"].sum() == 12
    assert table["raids"].sum() == 3  # K17 2021-10, K18 2023-01, K19 2023-02
    assert list(table.loc["2021-10"]) == [2, 1]
    assert table.index[0] == "2021-08" and table.index[-1] == "2024-12"
    assert len(table) == 41  # every month in between, zeros included
    assert list(table.loc["2022-01"]) == [0, 0]


def test_monthly_with_filters(gold_frame: pd.DataFrame) -> None:
    table = analytics.stats(gold_frame, since="2023", country="af")["monthly"]
    assert table["iskp_attacks"].sum() == 5  # 2023-03, 2023-06, 2023-10, 2024-05, 2024-12
    assert table["raids"].sum() == 2
    kabul = analytics.stats(gold_frame, province="kabul")["monthly"]
    assert kabul["iskp_attacks"].sum() == 5  # K01, K04, K07, K08, K15
    assert analytics.stats(gold_frame, actor="Taliban")["monthly"]["iskp_attacks"].sum() == 0


def test_propaganda_by_language(gold_frame: pd.DataFrame) -> None:
    table = analytics.propaganda_by_language(gold_frame)
    # K26 is dated to a year only and stays out of the monthly series.
    assert table.sum().to_dict() == {"en": 3, "fa": 1, "ps": 3, "ru": 1, "tg": 3, "uz": 2}
    assert table.loc["2025-02"].to_dict() == {"en": 0, "fa": 0, "ps": 0, "ru": 1, "tg": 1, "uz": 0}
    assert (table.index[0], table.index[-1], len(table)) == ("2022-02", "2025-02", 37)


def test_propaganda_by_medium(gold_frame: pd.DataFrame) -> None:
    table = analytics.propaganda_by_medium(gold_frame)
    assert table.sum().to_dict() == {"audio": 2, "magazine": 6, "statement": 1, "video": 4}


def test_casualty_tally(gold_frame: pd.DataFrame) -> None:
    table = analytics.casualties(gold_frame)
    # Gold has no victims by category: attack tolls are `unknown`, raid tolls group members.
    assert table.loc["unknown"].to_dict() == {"incidents": 14, "killed": 604, "injured": 1029}
    assert table.loc["group_members"].to_dict() == {"incidents": 2, "killed": 10, "injured": 0}
    assert table.loc["total"].to_dict() == {"incidents": 19, "killed": 614, "injured": 1029}
    assert table.loc["civilians"].to_dict() == {"incidents": 0, "killed": 0, "injured": 0}


def test_casualty_tally_by_category() -> None:
    df = analytics.frame(
        [
            ResolvedEvent(id="a", type="attack", date="2021-08-26", killed=183, detail={"casualties": {"civilians": {"killed": 170}, "foreigners": {"killed": 13}}}),
            ResolvedEvent(id="b", type="attack", date="2023-06-06", killed=3, injured=6, detail={"casualties": {"security": {"killed": 1}, "unspecified": {"injured": 6}}}),
            ResolvedEvent(id="c", type="attack", date="2022-12-12", killed=None, detail={"casualties": {"attackers": {"killed": 3}}}),
            ResolvedEvent(id="d", type="propaganda", date="2022-12-12"),
        ]
    )
    table = analytics.casualties(df)
    assert table.loc["civilians", "killed"] == 170
    assert table.loc["foreigners", "killed"] == 13
    assert table.loc["security_forces", "killed"] == 1
    assert table.loc["group_members", "killed"] == 3
    assert table.loc["unknown"].to_dict() == {"incidents": 1, "killed": 2, "injured": 6}  # b: 3 killed, 1 by category
    assert table.loc["total"].to_dict() == {"incidents": 3, "killed": 189, "injured": 6}


def test_incidents_abroad(gold_frame: pd.DataFrame) -> None:
    table = analytics.abroad(gold_frame)
    rows = [tuple(r) for r in table[["country", "year", "attack", "plot", "arrest", "total"]].itertuples(index=False)]
    assert rows == [
        ("DE", "2023", 0, 0, 1, 1),
        ("AT", "2024", 0, 1, 0, 1),
        ("IR", "2024", 1, 0, 0, 1),
        ("RU", "2024", 1, 0, 0, 1),
        ("US", "2024", 0, 0, 1, 1),
    ]


def test_events_by_province(gold_frame: pd.DataFrame) -> None:
    table = analytics.by_province(gold_frame).set_index(["admin1", "admin2"])
    assert table.loc[("Kabul", ""), ["events", "attacks", "killed"]].tolist() == [10, 7, 224]
    assert table.loc[("Balkh", "Mazari Sharif"), ["events", "killed"]].tolist() == [2, 34]
    assert table.loc[("Baghlan", "Puli Khumri"), "events"] == 1
    assert table["events"].sum() == 17  # every required event with a province
    assert table.index[0] == ("Kabul", "")  # most events first


def test_stats_json_has_every_analysis(gold_frame: pd.DataFrame) -> None:
    data = analytics.to_json(analytics.stats(gold_frame))
    assert set(data) == set(analytics.ANALYSES)
    json.dumps(data)  # plain JSON values only
    assert data["casualties"][-1] == {"category": "total", "incidents": 19, "killed": 614, "injured": 1029}
    assert data["monthly"][0] == {"month": "2021-08", "iskp_attacks": 1, "raids": 0}


def test_empty_selection_gives_empty_tables(gold_frame: pd.DataFrame) -> None:
    tables = analytics.stats(gold_frame, since="2099")
    assert all(tables[name].empty for name in ("monthly", "propaganda_by_language", "abroad", "by_province"))
    assert tables["casualties"].loc["total", "incidents"] == 0
