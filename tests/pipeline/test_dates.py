"""dates.v2: date expressions resolved at the precision the text gives."""

from __future__ import annotations

import json

import pytest

import kwatch.pipeline.dates  # noqa: F401  (registers the stage)
import kwatch.pipeline.sentences  # noqa: F401
from kwatch.pipeline import Context, Pipeline
from kwatch.pipeline.model import PipelineDoc

PIPELINE = Pipeline(["sentences.v1", "dates.v2"])
CTX = Context(gazetteer=None)


def _run(text: str, published: str | None, title: str | None = None) -> PipelineDoc:
    return PIPELINE.run(PipelineDoc(id="d", text=text, published=published, title=title), CTX)


def _dates(text: str, published: str | None) -> list[tuple[str, str, str]]:
    return [(d.text, d.value, d.basis) for d in _run(text, published).dates or ()]


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("It happened on April 29, 2024.", "2024-05-10", [("April 29, 2024", "2024-04-29", "absolute")]),
        ("It happened on 29 April 2024.", None, [("29 April 2024", "2024-04-29", "absolute")]),
        ("It happened on 2024-04-29.", None, [("2024-04-29", "2024-04-29", "absolute")]),
        ("It happened on Oct. 8, 2021.", None, [("Oct. 8, 2021", "2021-10-08", "absolute")]),
        ("It happened in August 2021.", None, [("August 2021", "2021-08", "absolute")]),
        ("Rockets were fired in 2022.", None, [("2022", "2022", "absolute")]),
        ("Since August 15, 2021, it grew.", None, [("August 15, 2021", "2021-08-15", "absolute")]),
        ("A film released on March 4 was shown.", "2018-03", [("March 4", "2018-03-04", "relative")]),
        ("A film released on December 28 was shown.", "2018-03", [("December 28", "2017-12-28", "relative")]),
        ("Most recently, in May this year, it struck.", "2024", [("May this year", "2024-05", "relative")]),
        ("The attack in March of this year killed many.", "2024", [("March of this year", "2024-03", "relative")]),
        ("Attacks fell last year.", "2024-06-01", [("last year", "2023", "relative")]),
        ("It was raided earlier this month.", "2024-06-20", [("earlier this month", "2024-06", "relative")]),
        ("The group said on Tuesday (March 6) that it grew.", "2018-03-07", [("March 6", "2018-03-06", "relative")]),
        ("The group said on Tuesday that it grew.", "2018-03-08", [("on Tuesday", "2018-03-06", "relative")]),
        ("The group said on Tuesday that it grew.", "2018-03", []),
        ("It happened yesterday.", "2021-10-17", [("yesterday", "2021-10-16", "relative")]),
        (
            "On July 11, 2023, he said a letter was delivered on July 9.",
            "2024",
            [("July 11, 2023", "2023-07-11", "absolute"), ("July 9", "2023-07-09", "relative")],
        ),
    ],
)
def test_resolved_dates(text: str, published: str | None, expected: list[tuple[str, str, str]]) -> None:
    assert _dates(text, published) == expected


# 2024-05-08 is a Wednesday.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The group claimed the attack Wednesday.", [("Wednesday", "2024-05-08", "relative")]),
        ("Sunday's attack killed five.", [("Sunday's", "2024-05-05", "relative")]),
        ("Police detained two men Thursday evening.", [("Thursday", "2024-05-02", "relative")]),
        ("Late Sunday, gunmen opened fire.", [("Sunday", "2024-05-05", "relative")]),
        ("The minister spoke to reporters Friday.", [("Friday", "2024-05-03", "relative")]),
    ],
)
def test_a_weekday_without_an_opener_is_a_date(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert _dates(text, "2024-05-08") == expected


@pytest.mark.parametrize(
    "text",
    [
        "Shoppers crowded into Black Friday sales.",  # a name: the capitalised word before
        "He wrote a weekly Sunday Times column.",  # a name: the capitalised word after
        "They pray in the mosque on Fridays.",
        "It was a sunday service.",  # not capitalised
    ],
)
def test_a_weekday_in_a_name_is_no_date(text: str) -> None:
    assert _dates(text, "2024-05-08") == []


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("Clashes went on 5-6 May.", "2024-05-10", [("5-6 May", "2024-05-05", "relative")]),
        ("Fighting between 3 and 5 May killed ten.", "2024-05-10", [("3 and 5 May", "2024-05-03", "relative")]),
        ("It fell in the night of 5 to 6 May 2023.", None, [("5 to 6 May 2023", "2023-05-05", "absolute")]),
        ("Raids on May 5-6, 2024 netted four.", None, [("May 5-6, 2024", "2024-05-05", "absolute")]),
        ("It ran from March 4th through 7th.", "2024-05-10", [("March 4th through 7th", "2024-03-04", "relative")]),
    ],
)
def test_a_range_of_days_is_dated_by_its_first(text: str, published: str | None, expected: list[tuple[str, str, str]]) -> None:
    assert _dates(text, published) == expected


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("It happened three days ago.", "2024-05-08", [("three days ago", "2024-05-05", "relative")]),
        ("It happened last night.", "2024-05-08", [("last night", "2024-05-07", "relative")]),
    ],
)
def test_relative_days(text: str, published: str, expected: list[tuple[str, str, str]]) -> None:
    assert _dates(text, published) == expected


@pytest.mark.parametrize(
    ("text", "day", "value"),
    [
        # A byline date under the headline.
        ("Three killed in Kabul\n\nNovember 24, 2020\n\nGunmen killed three people on Monday.", "November 24, 2020", "2020-11-23"),
        # Weekday abbreviations and times may stand beside it.
        ("Three killed in Kabul\n\nSat Mar 09 2024 14:20\n\nGunmen killed three people on Wednesday.", "Mar 09 2024", "2024-03-06"),
        # A dateline's date, its year from the text.
        ("KABUL, May 5 (Agency) - Gunmen killed three people yesterday. It was the worst attack of 2024.", "May 5", "2024-05-04"),
    ],
)
def test_without_a_publication_day_the_reports_date_line_is_its_day(text: str, day: str, value: str) -> None:
    doc = _run(text, None)
    assert value in [d.value for d in doc.dates or ()]
    assert any(f"date line '{day}'" in note for note in doc.notes)


def test_with_only_a_publication_month_day_phrases_count_from_the_latest_day_named() -> None:
    doc = _run("The agency said on Monday, 8 July, that two men were held. The raid took place last Saturday.", "2024-07")
    assert [(d.text, d.value, d.basis) for d in doc.dates or ()][-1] == ("last Saturday", "2024-07-06", "inferred")
    assert doc.notes == ("no publication day: days named relative to the report counted from 2024-07-08, the latest day the text names",)


def test_a_date_line_is_no_reference_when_the_publication_day_is_known() -> None:
    doc = _run("Three killed\n\nNovember 24, 2020\n\nGunmen killed three people on Monday.", "2020-12-02")
    assert [d.value for d in doc.dates or ()] == ["2020-11-24", "2020-11-30"]
    assert doc.notes == ()


@pytest.mark.parametrize(
    "text",
    [
        "The blast occurred at 8:15 am.",
        "A 25-minute video was released.",
        "The recruits, aged 20, left.",
        "It has 4,000 to 6,000 fighters.",
        "See page 2019 of the report.",
        "The first phase (2015-19) focused on recruits.",
        "Officials may meet again.",
        "They march on the capital.",
        "It happened in 1850.",
    ],
)
def test_not_dates(text: str) -> None:
    assert _dates(text, "2024-05-10") == []


def test_without_publication_date_the_year_is_inferred_and_noted() -> None:
    doc = _run("It happened on March 4. Later, in August 2019, it grew.", None)
    assert [(d.value, d.basis) for d in doc.dates or ()] == [("2019-03-04", "inferred"), ("2019-08", "absolute")]
    assert doc.notes == ("no publication date: year 2019 inferred from the latest explicit date",)


def test_without_publication_date_the_title_year_counts() -> None:
    doc = _run("It happened on March 4.", None, title="Review of 2017")
    assert [(d.value, d.basis) for d in doc.dates or ()] == [("2017-03-04", "inferred")]


def test_without_any_year_partial_dates_are_dropped() -> None:
    doc = _run("It happened on March 4, last year.", None)
    assert doc.dates == ()
    assert doc.notes == ()


def test_offsets_are_verbatim() -> None:
    text = "Intro. On October 14, 2023, seven people were killed."
    (mention,) = _run(text, None).dates or ()
    assert text[mention.start : mention.end] == mention.text


@pytest.mark.shared
def test_seed_gold_dates_are_found(shared_dir) -> None:  # type: ignore[no-untyped-def]
    """Every day- or month-level gold date of a required seed event is among its document's dates."""
    seeds = shared_dir / "corpus" / "seeds"
    manifest = {m["doc"]: m for m in map(json.loads, (seeds / "manifest.jsonl").read_text().splitlines())}
    found: dict[str, set[str]] = {}
    for name, meta in manifest.items():
        doc = _run((seeds / name).read_text(), meta["published"], meta["title"])
        found[name] = {d.value for d in doc.dates or ()}
    missing = []
    for gold in map(json.loads, (shared_dir / "eval" / "seeds.gold.jsonl").read_text().splitlines()):
        if gold.get("optional") or not gold.get("date") or len(gold["date"]) < 7:
            continue
        if not any(gold["date"] in found[doc] for doc in gold["docs"]):
            missing.append((gold["id"], gold["date"]))
    assert missing == []


def _hints(text: str, published: str | None) -> list[tuple[str, str, str]]:
    return [(d.text, d.value, d.basis) for d in _run(text, published).date_hints or ()]


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("The bombing on March 22 killed many.", None, [("March 22", "--03-22", "partial")]),
        ("It was claimed on Thursday.", None, [("on Thursday", "W4", "partial")]),
        ("Wednesday's bombing killed many.", None, [("Wednesday's", "W3", "partial")]),
        # 29 February is a day of some years.
        ("The raid on 29 February ended it.", None, [("29 February", "--02-29", "partial")]),
        # A year in the text dates "March 22"; a weekday still has no day to count from.
        ("The bombing on March 22 was the worst of 2024. It was claimed on Thursday.", None,
         [("on Thursday", "W4", "partial")]),
    ],
)
def test_a_date_nothing_resolves_is_kept_as_a_hint(text: str, published: str | None, expected: list[tuple[str, str, str]]) -> None:
    assert _hints(text, published) == expected


def test_a_publication_day_leaves_no_hint() -> None:
    assert _hints("The bombing on March 22 was claimed on Thursday.", "2024-03-25") == []


def test_hint_gap() -> None:
    from datetime import date

    from kwatch.pipeline.dates import hint_gap

    assert hint_gap("W3", date(2024, 1, 3)) == 0  # a Wednesday
    assert hint_gap("W4", date(2024, 1, 3)) is None
    assert hint_gap("--03-22", date(2024, 3, 22)) == 0
    assert hint_gap("--03-22", date(2024, 3, 24)) == 2
    assert hint_gap("--12-31", date(2024, 1, 1)) == 1  # across the new year
    assert hint_gap("--02-29", date(2023, 3, 1)) == 365  # no 29 February in 2023: the nearest is 2024's
