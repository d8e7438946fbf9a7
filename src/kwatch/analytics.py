"""The analyses of the monitoring reports, as pure functions over a DataFrame of resolved events.

`frame(events, names=...)` turns resolved events (`Kwatch.reviewed_events()`) into a DataFrame of
their records (`ResolvedEvent.record(names)`); each analysis takes that frame and returns a
DataFrame; `stats()` runs them all after the filters.
Undated events cannot be placed in a month or a year and are left out of the series; events
dated only to a year are left out of the monthly series but counted by year.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from kwatch.query import EventQuery, fields_match
from kwatch.records import RESOLVED_RECORD, ResolvedEvent

#: Columns of the frame: the resolved record's keys (`kwatch.records.ResolvedEvent`).
COLUMNS = RESOLVED_RECORD
#: Where the Islamic State operates as its Khorasan province: "IS" there is ISKP.
KHORASAN_COUNTRIES = frozenset({"AF", "PK"})
#: The extractor's victim categories → the tally's (the ICM columns, plus foreigners, whom the
#: text does not tell apart as tourists, diplomats or troops).
CASUALTY_CATEGORIES = {
    "civilians": "civilians",
    "security": "security_forces",
    "attackers": "group_members",
    "foreigners": "foreigners",
}
TALLY_ROWS = ("civilians", "security_forces", "group_members", "foreigners", "unknown", "total")
ABROAD_TYPES = ("attack", "plot", "arrest")
HOME_COUNTRY = "AF"
#: The keys of `stats()`, in the order the CLI prints them.
ANALYSES = ("monthly", "propaganda_by_language", "propaganda_by_medium", "casualties", "abroad", "by_province")


def frame(events: Iterable[ResolvedEvent], *, names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Resolved events as a DataFrame of their records (`record(names)`: sources name their
    documents by `names`, `Kwatch.document_names()`), with COLUMNS plus `year` and `month` (None
    when the date is not that precise)."""
    records = (event.record(names or {}) for event in events)
    df = pd.DataFrame.from_records([{key: r[key] for key in COLUMNS} for r in records], columns=list(COLUMNS))
    df = df.astype(object).where(df.notna(), None)
    dates = df["date"]
    df["year"] = [d[:4] if isinstance(d, str) else None for d in dates]
    df["month"] = [d[:7] if isinstance(d, str) and len(d) >= 7 else None for d in dates]
    return df


def select(
    df: pd.DataFrame,
    *,
    since: str | None = None,
    until: str | None = None,
    country: str | None = None,
    province: str | None = None,
    actor: str | None = None,
) -> pd.DataFrame:
    """The rows matching every filter, by the rule of every view (`kwatch.query.fields_match`):
    since/until compare on the date's prefix of the same length; undated events are left out
    when either is given."""
    q = EventQuery(since=since, until=until, country=country, province=province, actor=actor)
    keep = pd.Series([fields_match(r, q) for r in df[["type", "date", "country", "admin1", "actor"]].to_dict("records")], index=df.index, dtype=bool)
    return df[keep]


def by_iskp(df: pd.DataFrame) -> pd.Series:
    """Rows whose actor is ISKP, or IS in ISKP's countries."""
    return (df["actor"] == "ISKP") | ((df["actor"] == "IS") & df["country"].isin(KHORASAN_COUNTRIES))


def monthly(df: pd.DataFrame) -> pd.DataFrame:
    """Attacks by ISKP and raids against it per month (the Afghan Witness chart): index `month`
    (every month from the first to the last), columns `iskp_attacks`, `raids`. Every raid in the
    dataset is an operation against the group (that is what the extractor records as a raid)."""
    attacks = df[(df["type"] == "attack") & by_iskp(df)]
    raids = df[df["type"] == "raid"]
    counts = pd.DataFrame(
        {
            "iskp_attacks": attacks.dropna(subset=["month"]).groupby("month").size(),
            "raids": raids.dropna(subset=["month"]).groupby("month").size(),
        }
    )
    return _every_month(counts)


def propaganda_by_language(df: pd.DataFrame) -> pd.DataFrame:
    """Releases per month and language (a release in two languages counts once in each): index
    `month`, one column per ISO 639-1 code, and `unknown` for releases with no language."""
    releases = df[(df["type"] == "propaganda") & df["month"].notna()]
    rows = [
        {"month": month, "language": language}
        for month, languages in zip(releases["month"], releases["languages"])
        for language in (languages or ["unknown"])
    ]
    return _per_month(pd.DataFrame(rows, columns=["month", "language"]), "language")


def propaganda_by_medium(df: pd.DataFrame) -> pd.DataFrame:
    """Releases per month and medium: index `month`, one column per medium (`unknown` if none)."""
    releases = df[(df["type"] == "propaganda") & df["month"].notna()]
    rows = pd.DataFrame({"month": releases["month"], "medium": releases["medium"].map(lambda m: m or "unknown")})
    return _per_month(rows, "medium")


def casualties(df: pd.DataFrame) -> pd.DataFrame:
    """The tally of attacks and raids (the ICM table): index TALLY_ROWS, columns `incidents`
    (events with a victim in that row; all events on `total`), `killed`, `injured`.

    Per event: the victims by category of the report whose toll was chosen; what the toll counts
    beyond them is `unknown`. A raid's uncategorised dead are group members (raids are operations
    against the group)."""
    events = df[df["type"].isin(("attack", "raid"))]
    table = {row: {"incidents": 0, "killed": 0, "injured": 0} for row in TALLY_ROWS}
    for _, event in events.iterrows():
        parts = _event_tally(event)
        for row, figures in parts.items():
            if figures["killed"] or figures["injured"]:
                table[row]["incidents"] += 1
            table[row]["killed"] += figures["killed"]
            table[row]["injured"] += figures["injured"]
            table["total"]["killed"] += figures["killed"]
            table["total"]["injured"] += figures["injured"]
        table["total"]["incidents"] += 1
    out = pd.DataFrame.from_dict(table, orient="index", columns=["incidents", "killed", "injured"])
    out.index.name = "category"
    return out.astype(int)


def abroad(df: pd.DataFrame) -> pd.DataFrame:
    """Attacks, plots and arrests outside Afghanistan by country and year: columns `country`,
    `year`, `attack`, `plot`, `arrest`, `total`, sorted by year then country."""
    rows = df[df["type"].isin(ABROAD_TYPES) & df["country"].notna() & (df["country"] != HOME_COUNTRY) & df["year"].notna()]
    counts = rows.groupby(["country", "year", "type"]).size().unstack("type", fill_value=0)
    counts = counts.reindex(columns=list(ABROAD_TYPES), fill_value=0)
    counts["total"] = counts.sum(axis=1)
    counts = counts.reset_index().sort_values(["year", "country"]).reset_index(drop=True)
    counts.columns.name = None
    return counts.astype({name: int for name in (*ABROAD_TYPES, "total")})


def by_province(df: pd.DataFrame) -> pd.DataFrame:
    """Events by province and district, for the map: columns `country`, `admin1`, `admin2`
    ("" for the province as a whole), `events`, `attacks`, `killed`, `lat`, `lon` (the mean of
    the events' coordinates), sorted by events (most first)."""
    rows = df[df["admin1"].notna()].copy()
    rows["admin2"] = rows["admin2"].map(lambda a: a or "")
    rows["is_attack"] = rows["type"] == "attack"
    rows["killed_n"] = rows["killed"].map(lambda k: k or 0)
    rows["lat_f"] = pd.to_numeric(rows["lat"], errors="coerce")
    rows["lon_f"] = pd.to_numeric(rows["lon"], errors="coerce")
    columns = ["country", "admin1", "admin2", "events", "attacks", "killed", "lat", "lon"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    grouped = rows.groupby(["country", "admin1", "admin2"], dropna=False).agg(
        events=("id", "size"), attacks=("is_attack", "sum"), killed=("killed_n", "sum"), lat=("lat_f", "mean"), lon=("lon_f", "mean")
    )
    out = grouped.reset_index().sort_values(["events", "country", "admin1", "admin2"], ascending=[False, True, True, True])
    out = out.astype({"events": int, "attacks": int, "killed": int}).reset_index(drop=True)
    return out[columns]


def stats(
    df: pd.DataFrame,
    *,
    since: str | None = None,
    until: str | None = None,
    country: str | None = None,
    province: str | None = None,
    actor: str | None = None,
) -> dict[str, pd.DataFrame]:
    """Every analysis of ANALYSES over the rows that match the filters."""
    rows = select(df, since=since, until=until, country=country, province=province, actor=actor)
    return {
        "monthly": monthly(rows),
        "propaganda_by_language": propaganda_by_language(rows),
        "propaganda_by_medium": propaganda_by_medium(rows),
        "casualties": casualties(rows),
        "abroad": abroad(rows),
        "by_province": by_province(rows),
    }


def to_json(tables: Mapping[str, pd.DataFrame]) -> dict[str, list[dict[str, Any]]]:
    """The analyses as JSON-able lists of row objects (index columns included)."""
    out = {}
    for name, table in tables.items():
        flat = table.reset_index() if table.index.name else table
        out[name] = [
            {key: _plain(value) for key, value in row.items()} for row in flat.to_dict(orient="records")
        ]
    return out


# -- helpers ------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and value != value:  # NaN
        return None
    return value


def _every_month(counts: pd.DataFrame) -> pd.DataFrame:
    """Fill the months between the first and the last with zeros."""
    if counts.empty:
        out = pd.DataFrame(columns=counts.columns, dtype=int)
    else:
        months = pd.period_range(min(counts.index), max(counts.index), freq="M").strftime("%Y-%m")
        out = counts.reindex(months, fill_value=0).fillna(0)
    out.index.name = "month"
    return out.astype(int)


def _per_month(rows: pd.DataFrame, column: str) -> pd.DataFrame:
    counts = rows.groupby(["month", column]).size().unstack(column, fill_value=0) if not rows.empty else pd.DataFrame()
    counts = counts.reindex(columns=sorted(counts.columns))
    counts.columns.name = None
    return _every_month(counts)


def _event_tally(event: pd.Series) -> dict[str, dict[str, int]]:
    """One event's victims by tally row. The stated toll is the total when there is one: the
    named categories are taken as parts of it, and the rest is `unknown`; categories that add up
    to more than the toll contradict it, so the whole toll is `unknown`. With no toll, the
    categories are all there is."""
    parts = {row: {"killed": 0, "injured": 0} for row in TALLY_ROWS if row != "total"}
    table = (event["detail"] or {}).get("casualties") or {}
    for kind in ("killed", "injured"):
        named = {row: 0 for row in parts}
        for category, figures in table.items():
            named[CASUALTY_CATEGORIES.get(category, "unknown")] += int(figures.get(kind) or 0)
        stated = event[kind]
        if stated is None:
            for row, value in named.items():
                parts[row][kind] += value
            continue
        known = sum(v for row, v in named.items() if row != "unknown")
        if known > stated:
            parts["unknown"][kind] += int(stated)
            continue
        for row, value in named.items():
            if row != "unknown":
                parts[row][kind] += value
        # A raid's dead are group members unless the text says otherwise.
        rest_row = "group_members" if event["type"] == "raid" and kind == "killed" and not table else "unknown"
        parts[rest_row][kind] += int(stated) - known
    return parts
