"""csv export: read back with pandas from a real store; formula injection; arbitrary text survives."""

from __future__ import annotations

import io
import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kwatch.export.csv import CONFLICT_COLUMNS, NOTE_QUOTE_CHARS, NOTES_CHARS, clip, neutralise, notes, write_csv
from kwatch.records import ResolvedEvent


def typed(records):
    """FORMAT.md records as the typed events exporters take, and the document names their sources give."""
    return [ResolvedEvent.of(r) for r in records], {s["document_id"]: s["doc"] for r in records for s in r.get("sources") or ()}


def export_csv(records, **options) -> str:
    events, names = typed(records)
    buffer = io.StringIO(newline="")
    write_csv(events, buffer, names=names, **options)
    return buffer.getvalue()


def read_text_cells(text: str) -> pd.DataFrame:
    """Every cell as the exact string written (no NA guessing), as an analyst reads text columns."""
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def record(**fields):
    base = {"id": "e1", "type": "attack", "date": "2024-03-22", "country": "RU", "admin1": None, "admin2": None,
            "place": "Crocus City Hall", "actor": "ISKP", "claimed": True, "method": "shooting", "target": "public_event",
            "killed": 145, "injured": 551, "killed_claimed": None, "injured_claimed": None, "medium": None,
            "languages": [], "outlet": None, "geo_precision": "site", "lat": 55.8245, "lon": 37.3853, "detail": {},
            "sources": [{"doc": "a.html", "document_id": "d1", "quote": "Gunmen attacked the hall.", "start": 0, "end": 25, "fields": ["place"]}]}
    base.update(fields)
    return base


def value(cell):
    return None if isinstance(cell, float) and math.isnan(cell) else cell


def test_sample_store_round_trips_through_pandas(kw, sample_records):
    buffer = io.StringIO(newline="")
    count = kw.export("csv", buffer)
    frame = pd.read_csv(io.StringIO(buffer.getvalue()), dtype={"event_id": str, "iso_numeric": str})
    assert count == len(sample_records) == len(frame)
    assert tuple(frame.columns[: len(CONFLICT_COLUMNS)]) == CONFLICT_COLUMNS
    assert list(frame["event_id"]) == [r["id"] for r in sample_records]
    for (_, row), rec in zip(frame.iterrows(), sample_records):
        assert value(row["fatalities"]) == rec["killed"]
        assert value(row["injuries"]) == rec["injured"]
        assert value(row["fatalities_claimed"]) == rec["killed_claimed"]
        assert value(row["fatalities_low"]) == rec.get("killed_low") and value(row["fatalities_high"]) == rec.get("killed_high")
        assert value(row["injuries_low"]) == rec.get("injured_low") and value(row["injuries_high"]) == rec.get("injured_high")
        assert value(row["latitude"]) == rec["lat"] and value(row["longitude"]) == rec["lon"]
        assert value(row["iso"]) == rec["country"]
        assert value(row["event_date"]) == (None if rec["date"] is None else rec["date"])
    assert frame["fatalities"].dropna().sum() == sum(r["killed"] or 0 for r in sample_records) > 0


def test_codes_follow_the_documented_scheme(sample_records):
    frame = read_text_cells(export_csv(sample_records))
    by_id = {r["id"]: r for r in sample_records}
    for _, row in frame.iterrows():
        rec = by_id[row["event_id"]]
        assert row["time_precision"] == {None: "", 10: "1", 7: "2", 4: "3"}[len(rec["date"]) if rec["date"] else None]
        precision = rec["geo_precision"]
        assert row["geo_precision"] == {None: "", "site": "1", "town": "1", "district": "2", "province": "3", "country": "3"}[precision]
        if rec["country"] == "AF":
            assert (row["country"], row["iso_numeric"]) == ("Afghanistan", "004")
        assert row["source"] == "; ".join(dict.fromkeys(s["doc"] for s in rec["sources"]))
        assert row["claimed"] == {None: "", True: "true", False: "false"}[rec["claimed"]]
        if rec["type"] == "propaganda":
            assert row["sub_event_type"] == (rec["medium"] or "")
        else:
            assert row["sub_event_type"] == (rec["method"] or "")


def test_bom_file_opens_in_pandas_with_persian_and_cyrillic_intact(tmp_path):
    path = tmp_path / "events.csv"
    rec = record(place="مسجد امام زمان", sources=[{"doc": "ru.html", "document_id": "d9", "quote": "Теракт в «Крокус Сити Холле»", "start": 0, "end": 28, "fields": []}])
    events, names = typed([rec])
    with open(path, "w", encoding="utf-8", newline="") as fp:
        write_csv(events, fp, names=names, bom=True)
    assert path.read_bytes().startswith(b"\xef\xbb\xbfevent_id,")
    frame = pd.read_csv(path)
    assert frame.columns[0] == "event_id"
    assert frame.loc[0, "location"] == "مسجد امام زمان"
    assert "Теракт в «Крокус Сити Холле»" in frame.loc[0, "notes"]
    assert frame.loc[0, "country"] == "Russia"


def test_without_bom_the_file_starts_with_the_header():
    assert export_csv([record()]).startswith("event_id,event_date,")


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1:A9)", "\t=cmd", "\r=cmd", '=HYPERLINK("http://x","y")'])
def test_formula_cells_get_a_leading_apostrophe(text):
    frame = read_text_cells(export_csv([record(place=text, actor=text)]))
    assert frame.loc[0, "location"] == "'" + text
    assert frame.loc[0, "actor1"] == "'" + text


@pytest.mark.parametrize("text", ["Kabul", "1 = 1", "'quoted", "", "Kunduz - north"])
def test_ordinary_text_is_left_alone(text):
    frame = read_text_cells(export_csv([record(place=text)]))
    assert frame.loc[0, "location"] == text


def test_negative_coordinates_stay_numbers():
    frame = pd.read_csv(io.StringIO(export_csv([record(lat=-33.8688, lon=-118.2437)])))
    assert frame.loc[0, "latitude"] == -33.8688 and frame.loc[0, "longitude"] == -118.2437


def test_resolved_ranges_are_written_when_present_and_blank_otherwise():
    frame = pd.read_csv(io.StringIO(export_csv([record(killed_low=133, killed_high=145, injured_low=360, injured_high=551), record(id="e2")])))
    assert list(frame.loc[0, ["fatalities_low", "fatalities_high", "injuries_low", "injuries_high"]]) == [133, 145, 360, 551]
    assert frame.loc[1, ["fatalities_low", "fatalities_high"]].isna().all()


def test_unknown_figures_are_blank_not_zero():
    frame = pd.read_csv(io.StringIO(export_csv([record(killed=None, injured=0)])))
    assert math.isnan(frame.loc[0, "fatalities"]) and frame.loc[0, "injuries"] == 0


def test_notes_clip_long_quotes_and_cap_the_cell():
    quote = "word " * 200
    rec = record(sources=[{"doc": f"d{i}.html", "document_id": f"d{i}", "quote": quote, "start": 0, "end": 1, "fields": []} for i in range(20)])
    [event], names = typed([rec])
    cell = notes(event, names)
    assert len(cell) <= NOTES_CHARS + len(" | (+20 more quotes)")
    assert cell.endswith("more quotes)")
    first = cell.split(" | ")[0]
    assert first.endswith('…"') and len(first) < NOTE_QUOTE_CHARS + 20


def test_clip_keeps_short_text_and_cuts_at_a_word():
    assert clip("short", 10) == "short"
    assert clip("alpha beta gamma delta", 14) == "alpha beta…"


# Text an analyst's documents could hold: any script, quotes, commas, newlines, leading = or -.
free_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=80)


@settings(max_examples=200, deadline=None)
@given(place=free_text, quote=free_text.filter(lambda q: len(q) <= NOTE_QUOTE_CHARS))
def test_arbitrary_place_and_quote_survive_the_round_trip(place, quote):
    rec = record(place=place, sources=[{"doc": "doc.html", "document_id": "d1", "quote": quote, "start": 0, "end": len(quote), "fields": []}])
    frame = read_text_cells(export_csv([rec]))
    assert len(frame) == 1
    assert frame.loc[0, "location"] == neutralise(place)
    assert frame.loc[0, "notes"] == f'doc.html: "{quote}"'
