"""The CLI checks what it is told (issue 14): dates, stores that do not exist, missing inputs, a
port in use, search syntax, filters. Real SQLite files, the real command."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import kwatch
from kwatch.cli import cli
from kwatch.errors import KwatchError, QueryError, StoreError

REPORT = (
    "Kabul, 3 March 2024. A suicide bomber killed 4 people at a checkpoint in Kabul; the Islamic State "
    "Khorasan Province claimed responsibility.\n"
)


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args])


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("checks")
    (folder / "kabul.txt").write_text(REPORT, encoding="utf-8")
    db = folder / "small.db"
    assert run(db, "ingest", str(folder / "kabul.txt")).exit_code == 0
    return db


@pytest.mark.parametrize("value", ["2024-13", "2024-02-30", "garbage", "yesterday", "7d", "24-03", "2024-3"])
@pytest.mark.parametrize("command", [["events"], ["stats"], ["plot", "monthly", "-o", "x.png"]])
def test_issue_14_a_bad_date_is_one_line_and_exit_2(store: Path, command: list[str], value: str) -> None:
    result = run(store, *command, "--since", value)
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"Error: --since {value!r} is not a date: give YYYY, YYYY-MM or YYYY-MM-DD. "
        "Hint: e.g. 2024, 2024-03 or 2024-03-22; relative dates such as 7d or yesterday are not taken"
    ]


@pytest.mark.parametrize("value", ["2024", "2024-03", "2024-02-29"])
def test_good_dates_pass(store: Path, value: str) -> None:
    assert run(store, "events", "--since", value).exit_code == 0


@pytest.mark.parametrize("value", ["garbage", "2024-13", "yesterday"])
def test_issue_14_a_bad_date_is_a_typed_error_in_the_library(store: Path, value: str) -> None:
    with kwatch.open(str(store)) as kw:
        for call in (lambda: kw.events(since=value), lambda: kw.event_records(until=value), lambda: kw.stats(since=value)):
            with pytest.raises(QueryError) as raised:
                call()
            assert isinstance(raised.value, KwatchError) and "relative dates" in str(raised.value)


def test_issue_14_a_bad_date_is_422_in_the_web_api(store: Path) -> None:
    import warnings

    with warnings.catch_warnings():  # starlette's notice that its TestClient moves to httpx2 (as tests/web/conftest.py)
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from kwatch.web import create_app

    with kwatch.open(str(store)) as kw, TestClient(create_app(kw), base_url="http://127.0.0.1", client=("127.0.0.1", 5)) as client:
        for path in ("/api/events?since=2024-13", "/api/events?until=7d", "/api/stats?since=yesterday"):
            response = client.get(path)
            assert response.status_code == 422, path
            assert "is not a date" in response.json()["error"]


@pytest.mark.parametrize(
    "command", [["summary"], ["events"], ["event", "abcdef"], ["docs"], ["search", "Kabul"], ["stats"], ["export"], ["errors"], ["runs"], ["audit"], ["resolve"], ["extract"]]
)
def test_issue_14_commands_that_read_never_create_a_store(tmp_path: Path, command: list[str]) -> None:
    db = tmp_path / "no" / "such" / "dir" / "x.db"
    result = run(db, *command)
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: The store {db} does not exist. Hint: create it by ingesting documents (`kwatch --db PATH ingest FILE...`, "
        "or `kwatch ingest --sample`), or give the right --db or KWATCH_DB"
    ]
    assert not (tmp_path / "no").exists()


def test_the_library_opens_without_creating_when_asked(tmp_path: Path) -> None:
    with pytest.raises(StoreError):
        kwatch.open(str(tmp_path / "x.db"), create=False)
    assert not (tmp_path / "x.db").exists()
    kwatch.open(str(tmp_path / "x.db")).close()  # the default creates, as sqlite3.connect does
    kwatch.open(str(tmp_path / "x.db"), create=False).close()


def test_issue_14_a_missing_input_is_one_line_not_the_usage_block(tmp_path: Path) -> None:
    result = run(tmp_path / "x.db", "ingest", str(tmp_path / "nope.txt"))
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [f"Error: {tmp_path / 'nope.txt'} does not exist. Hint: give a file, a folder or an http(s) URL"]
    assert not (tmp_path / "x.db").exists()


def test_issue_14_events_filter_by_province_actor_text_and_review(store: Path) -> None:
    def ids(*args: str) -> list[str]:
        result = run(store, "events", "--json", *args)
        assert result.exit_code == 0, result.output
        return [e["id"] for e in json.loads(result.output)]

    everything = ids()
    assert everything
    assert ids("--province", "kabul") == everything and ids("--province", "Kandahar") == []
    assert ids("--actor", "iskp") == everything and ids("--actor", "Taliban") == []
    assert ids("--text", "checkpoint") == everything and ids("--text", "wedding") == []
    assert ids("--review", "unreviewed") == everything and ids("--review", "confirmed") == []
    assert run(store, "events", "--review", "maybe").exit_code == 2


def test_issue_14_the_events_table_counts_reports_not_quotes(store: Path) -> None:
    [record] = json.loads(run(store, "events", "--json").output)
    header, row = run(store, "events").output.splitlines()[:2]
    assert header.split()[-2:] == ["review", "reports"]
    assert row.split()[-1] == str(len(record["detail"]["documents"])) == "1"


def test_issue_14_serve_on_a_port_in_use_is_one_line(store: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run(store, "serve", "--port", str(port))
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: Port {port} on 127.0.0.1 is in use. Hint: stop the program that listens on it, or give another port: `kwatch serve --port {port + 1}`"
    ]


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("search") / "inputs"
    folder.mkdir()
    for name, text in {
        "a.txt": "Kabul, 3 March 2024. A blast at a checkpoint in Kabul.\n",
        "b.txt": "Kabul, 4 March 2024. Gunmen attacked a wedding hall in Kabul.\n",
        "c.txt": "Kandahar, 5 March 2024. A roadside bomb hit a bus near Kandahar.\n",
    }.items():
        (folder / name).write_text(text, encoding="utf-8")
    db = folder.parent / "docs.db"
    assert run(db, "ingest", "--no-extract", str(folder)).exit_code == 0
    return db


@pytest.mark.parametrize(
    ("words", "found", "footer"),
    [
        (["Kab*"], 2, "2 matching documents."),
        (["Kan*", "or", "wedd*"], 2, "2 matching documents."),
        (["Kabul", "-wedding"], 1, "1 matching document."),
        (["--", "-wedding", "Kabul"], 1, "1 matching document."),
        (["Kabul", "--limit", "1"], 1, "1 of 2 matching documents shown (--limit 2 shows them all)."),
        (["Herat"], 0, "0 matching documents."),
    ],
)
def test_issue_14_search_prefixes_negation_limit_and_a_true_total(documents: Path, words: list[str], found: int, footer: str) -> None:
    result = run(documents, "search", *words)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == footer
    as_json = run(documents, "search", "--json", *words)
    assert len(json.loads(as_json.output)) == found


@pytest.mark.parametrize(
    ("words", "line"),
    [
        (["*"], "Error: Nothing to search for in '*'. Hint: give a word, or the start of one followed by * (Kab*)"),
        (["-Kabul"], "Error: '-Kabul' only leaves words out: a search needs one to look for. Hint: e.g. `Kandahar -Kabul`"),
    ],
)
def test_issue_14_a_search_with_nothing_to_look_for_says_so(documents: Path, words: list[str], line: str) -> None:
    result = run(documents, "search", *words)
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [line]


def test_issue_14_stats_folds_runs_of_empty_months_unless_asked(tmp_path: Path) -> None:
    folder = tmp_path / "inputs"
    folder.mkdir()
    (folder / "a.txt").write_text(REPORT, encoding="utf-8")
    (folder / "b.txt").write_text(
        "Kabul, 9 October 2024. A suicide bomber killed 6 people outside a ministry in Kabul; the Islamic State Khorasan Province claimed responsibility.\n",
        encoding="utf-8",
    )
    db = tmp_path / "x.db"
    assert run(db, "ingest", str(folder)).exit_code == 0
    months = json.loads(run(db, "stats", "--json").output)["monthly"]
    assert [m["month"] for m in months][:1] == ["2024-03"] and len(months) == 8  # March to October
    folded = run(db, "stats").output
    assert "2024-04 … 2024-09  (6 months, none)" in folded and "2024-05" not in folded
    every = run(db, "stats", "--all-months").output
    assert "(6 months, none)" not in every and all(f"2024-0{m}" in every for m in range(3, 10))


@pytest.mark.parametrize(
    ("channel", "text", "media", "title"),
    [
        ("Amaq", "Fighters attacked a checkpoint in Kabul", None, "Amaq: Fighters attacked a checkpoint in Kabul"),
        ("Amaq", "One two three four five six seven eight nine ten", None, "Amaq: One two three four five six seven eight …"),
        ("Amaq", "\n\n  First line here\nsecond line", None, "Amaq: First line here"),
        ("Amaq", "x" * 200, None, "Amaq: " + "x" * 80 + " …"),
        ("Amaq", "", "video_file", "Amaq: video_file"),
        (None, "", None, "Telegram: post"),
    ],
)
def test_issue_14_a_telegram_post_title_is_its_channel_and_first_words(channel: str | None, text: str, media: str | None, title: str) -> None:
    from kwatch.ingest.telegram import is_post_title, post_title

    assert post_title(channel, text, media=media) == title
    assert is_post_title(title, channel, text, {"media_type": media})
    assert not is_post_title("A headline from a manifest", channel, text, {})


def test_issue_14_docs_show_telegram_titles_and_the_extraction_status(tmp_path: Path) -> None:
    export = {
        "name": "Sample channel",
        "type": "public_channel",
        "id": 42,
        "messages": [
            {"id": 1, "type": "message", "date": "2024-03-03T10:00:00", "text": "Kabul, 3 March 2024. A suicide bomber killed 4 people at a checkpoint in Kabul."},
            {"id": 2, "type": "message", "date": "2024-03-04T10:00:00", "text": "", "media_type": "video_file"},
        ],
    }
    (tmp_path / "inputs").mkdir()
    (tmp_path / "inputs" / "result.json").write_text(json.dumps(export), encoding="utf-8")
    db = tmp_path / "x.db"
    assert run(db, "ingest", "--no-extract", str(tmp_path / "inputs")).exit_code == 0
    titles = sorted(d["title"] for d in json.loads(run(db, "docs", "--json").output))
    assert titles == ["Sample channel: Kabul, 3 March 2024. A suicide bomber killed …", "Sample channel: video_file"]
    listed = run(db, "docs").output.splitlines()
    assert listed[0].split()[-1] == "extraction" and all(line.split()[-1] == "pending" for line in listed[1:3])
    assert "Kabul, 3 March 2024. A suicide" in listed[1] + listed[2]
    assert run(db, "extract").exit_code == 0
    statuses = {line.split()[-1] for line in run(db, "docs").output.splitlines()[1:3]}
    assert statuses <= {"ok", "skipped"} and statuses
