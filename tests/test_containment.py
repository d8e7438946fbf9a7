"""Issue 10's promise end to end, through the real `kwatch` command: a folder holding every kind of
input that used to stop a batch, beside good documents. One run reports each bad input once with its
path and exits 1; every good document is stored and extracted; `kwatch errors` lists the bad ones;
the same folder again adds nothing and reports the same. Our own writing, no ../shared text."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

GOOD = {
    "kabul.txt": "Bombing in Kabul\n\nAn ISKP suicide bomber killed 6 people at a market in Kabul on 3 March 2024, police said.\n",
    # Used to raise `Bug: quantity '3 - five' … does not parse` on this and every later run.
    "dash.txt": "Attack in Jalalabad\n\nAn ISKP attack in Jalalabad on 4 March 2024 killed 3 - five people, officials said.\n",
    "page.html": "<html><head><title>Raid in Nangarhar</title></head><body><article><p>Taliban forces raided an ISKP "
    "hideout in Nangarhar province on 5 March 2024 and killed two militants, a spokesman said.</p></article></body></html>",
}


def _export(*messages: dict) -> str:
    return json.dumps({"name": "Example Channel", "type": "public_channel", "id": 1005550001, "messages": list(messages)})


def _message(number: int, text: str, date: str = "2024-03-06T10:00:00", **fields: object) -> dict:
    return {"id": number, "type": "message", "date": date, "text": text, **fields}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "inbox"
    (root / "channel").mkdir(parents=True)
    for name, text in GOOD.items():
        (root / name).write_text(text, encoding="utf-8")
    (root / "utf16.txt").write_bytes("Blast in Herat\n\nA blast in Herat city on 6 March 2024 wounded four people.\n".encode("utf-16"))
    (root / "deep.json").write_text('{"name": "c", "messages": [' + "[" * 1200 + "]" * 1200 + "]}", encoding="utf-8")
    (root / "channel" / "result.json").write_text(
        _export(
            _message(1, "A post dated year one.", date="0001-01-01T00:00:00"),
            _message(2, "A post forwarded from an object.", forwarded_from={"name": "Example Wire"}),
            _message(3, "A post forwarded from a list.", forwarded_from=["Example", "Wire"]),
        ),
        encoding="utf-8",
    )
    (root / "feed.rss").write_text(
        '<rss version="2.0"><channel><title>Wire</title><item><title>Clash in Kunar</title>'
        "<description>Fighters clashed in Kunar.</description><pubDate>0000-00-00</pubDate></item></channel></rss>",
        encoding="utf-8",
    )
    (root / "passwd").symlink_to("/etc/passwd")
    (root / "broken").symlink_to(root / "gone")
    (root / "loop").symlink_to(root)
    os.mkfifo(root / "pipe")
    return root


BAD = ("deep.json", "channel/result.json#message=1", "passwd", "broken", "loop", "pipe")


def _kwatch(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "kwatch", "--db", str(db), *args], capture_output=True, text=True, timeout=300, env=env)


def _reported(stderr: str, folder: Path) -> list[str]:
    prefix = f"{folder}/"
    return sorted(line.split(": ", 1)[0].removeprefix(prefix) for line in stderr.splitlines() if line.startswith(prefix))


def test_a_folder_of_bad_inputs_never_stops_the_batch(tmp_path: Path, folder: Path) -> None:
    db = tmp_path / "k.db"
    first = _kwatch(db, "ingest", str(folder))
    assert first.returncode == 1, first.stderr
    assert "Traceback" not in first.stderr
    assert _reported(first.stderr, folder) == sorted(BAD)
    assert "7 new" in first.stdout  # 3 good files, UTF-16 text, 2 channel posts, 1 feed item

    docs = json.loads(_kwatch(db, "docs", "--json").stdout)
    assert len(docs) == 7
    assert [d["extract_status"] for d in docs] == ["ok"] * 7
    assert not any("/etc/passwd" in (d.get("path") or "") or d.get("title") == "passwd" for d in docs)
    events = json.loads(_kwatch(db, "events", "--json").stdout)
    kabul = [e for e in events if e["admin1"] == "Kabul" and e["type"] == "attack"]
    assert kabul and kabul[0]["killed"] == 6

    listed = json.loads(_kwatch(db, "errors", "--json").stdout)
    assert sorted(e["path"].removeprefix(f"{folder}/") for e in listed) == sorted(BAD)
    assert {(e["kind"], e["stage"]) for e in listed} == {("ingest", "read")}

    again = _kwatch(db, "ingest", str(folder))
    assert again.returncode == 1 and "0 new, 7 already present" in again.stdout
    assert _reported(again.stderr, folder) == _reported(first.stderr, folder)
    assert len(json.loads(_kwatch(db, "errors", "--json").stdout)) == len(listed)
