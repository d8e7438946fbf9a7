"""Issue 6: propaganda releases from channel exports (kwatch.releases, releases.v2).

The export in tests/data/telegram_releases/ is ours (make_export.py): two channels, captions shaped
like release metadata and neutral paraphrases; gold.jsonl has one line per message.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import kwatch
from kwatch import langid
from kwatch.cli import cli
from kwatch.extract import build_context, extract
from kwatch.pipeline.default import build_pipeline
from kwatch.pipeline.model import PipelineDoc
from kwatch.releases import MAX_QUOTE, describe_release, find_outlet, merge_sightings, propaganda_breakdowns, propaganda_rows

DATA = Path(__file__).resolve().parent / "data" / "telegram_releases"
EXPORTS = [DATA / "outlet_channel", DATA / "relay_channel"]
CHANNEL_IDS = {"Al-Azaim Foundation": 1001110001, "Northern Relay": 1002220002}

# Gold counts over releases (reposts counted once), pinned so the test data cannot drift unseen.
GOLD_BY_LANGUAGE = {"ar": 13, "en": 18, "fa": 13, "ps": 13, "ru": 15, "tg": 13, "unknown": 5, "ur": 10, "uz": 23}
GOLD_BY_OUTLET = {"Al-Azaim": 92, "Al-Battar": 6, "Amaq": 10, "unknown": 1}  # issue 11: an uncaptioned photo in the relay channel
GOLD_BY_MEDIUM = {"article": 10, "audio": 14, "book": 10, "image": 17, "magazine": 10, "post": 9, "statement": 18, "video": 21}
GOLD_BY_THEME = {"anti_taliban": 21, "attack_claim": 20, "external_threat": 22, "grievance": 20, "hijrah": 21, "none": 5}


@pytest.fixture(scope="module")
def gold() -> dict[str, dict]:
    """Gold lines by document locator ("channel_id/message_id")."""
    lines = [json.loads(line) for line in (DATA / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    return {f"{CHANNEL_IDS[g['channel']]}/{g['message_id']}": g for g in lines}


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Both channels ingested and extracted into a real SQLite file."""
    db = tmp_path_factory.mktemp("releases") / "kwatch.db"
    with kwatch.open(str(db)) as kw:
        report, _ = kw.ingest([str(p) for p in EXPORTS])
        records = kw.extracted_events(type="propaganda")
        documents = {d.id: d for d in kw.documents()}
    return {"db": db, "report": report, "records": records, "documents": documents}


def _locator(record: dict) -> str:
    detail = record["detail"]
    return f"{CHANNEL_IDS[detail['channel']]}/{detail['message_id']}"


def _by_message(records: list[dict]) -> dict[str, dict]:
    return {_locator(r): r for r in records}


def _gold_groups(gold: dict[str, dict]) -> dict[str, dict]:
    groups: dict[str, dict] = {}
    for line in gold.values():
        if line["release"]:
            groups.setdefault(line["group"], line)
    return groups


# -- the test data ---------------------------------------------------------------------------


def test_export_has_what_the_issue_asks_for(gold):
    messages = sum(len(json.loads((p / "result.json").read_bytes().decode("utf-8", "replace"))["messages"]) for p in EXPORTS)
    assert messages >= 200
    releases = [g for g in gold.values() if g["release"]]
    assert len({code for g in releases for code in g["languages"]}) >= 6
    assert {g["medium"] for g in releases} == {"video", "audio", "magazine", "image", "statement", "article", "book", "post"}
    assert any(not g["release"] for g in gold.values())  # chatter
    relay = [g for g in releases if g["channel"] == "Northern Relay" and g["group"].startswith("outlet/")]
    assert len(relay) >= 20  # reposts and forwards across the two channels


def test_gold_counts_are_pinned(gold):
    groups = _gold_groups(gold).values()

    def count(values) -> dict[str, int]:
        return dict(sorted(Counter(v for g in groups for v in values(g)).items()))

    assert count(lambda g: g["languages"] or ["unknown"]) == GOLD_BY_LANGUAGE
    assert count(lambda g: [g["outlet"] or "unknown"]) == GOLD_BY_OUTLET
    assert count(lambda g: [g["medium"]]) == GOLD_BY_MEDIUM
    assert count(lambda g: g["themes"] or ["none"]) == GOLD_BY_THEME


def test_broken_messages_are_reported_and_the_rest_ingests(ingested):
    report = ingested["report"]
    reasons = " | ".join(p.reason for p in report.problems)
    assert report.failed == 6
    assert "not valid UTF-8" in reasons and "bad date" in reasons and "not an object" in reasons
    assert report.new == 208


# -- detection and description ---------------------------------------------------------------


def test_release_detection_f1(ingested, gold):
    found = set(_by_message(ingested["records"]))
    truth = {loc for loc, g in gold.items() if g["release"]}
    tp, fp, fn = len(found & truth), len(found - truth), len(truth - found)
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= 0.95, (tp, fp, fn)
    assert fp == 0


@pytest.mark.parametrize("field", ["medium", "outlet"])
def test_medium_and_outlet_of_every_release(ingested, gold, field):
    """Per sighting; a sighting whose post names no outlet (gold `post_outlet`: null) has outlet
    None, and gets the outlet of its original when merged (test_merged_releases_have_the_gold_outlet)."""
    def expected(line: dict):
        return line.get("post_outlet", line["outlet"]) if field == "outlet" else line[field]

    wrong = [(loc, r[field], expected(gold[loc])) for loc, r in _by_message(ingested["records"]).items() if r[field] != expected(gold[loc])]
    assert wrong == []


def test_merged_releases_have_the_gold_outlet(ingested, gold):
    merged = merge_sightings(ingested["records"])
    wrong = []
    for release in merged:
        first = release["detail"]["sightings"][0]
        line = gold[f"{CHANNEL_IDS[first['channel']]}/{first['message_id']}"]
        if release["outlet"] != line["outlet"]:
            wrong.append((first, release["outlet"], line["outlet"]))
    assert wrong == [] and len(merged) == len(_gold_groups(gold)) == 109


@pytest.mark.parametrize("language", ["ps", "fa", "tg", "uz", "ru", "ur", "ar", "en"])
def test_language_accuracy_per_language(ingested, gold, language):
    """Per language: of the releases that carry it (gold) or are said to (prediction), the share
    where prediction and gold agree."""
    predicted = _by_message(ingested["records"])
    relevant = [loc for loc in predicted if language in gold[loc]["languages"] or language in (predicted[loc]["languages"] or [])]
    agree = [loc for loc in relevant if (language in gold[loc]["languages"]) == (language in (predicted[loc]["languages"] or []))]
    assert relevant and len(agree) / len(relevant) >= 0.95


@pytest.mark.parametrize("language", ["ps", "fa", "tg", "uz", "ru", "ur", "ar", "en"])
def test_paragraph_language_accuracy(gold, language):
    paragraphs = {text for g in gold.values() for text, code in g.get("paragraphs", []) if code == language}
    right = [text for text in paragraphs if langid.detect_paragraphs(text) == [language]]
    assert len(right) / len(paragraphs) >= 0.95


def test_themes_of_every_release(ingested, gold):
    predicted = _by_message(ingested["records"])
    wrong = [loc for loc, r in predicted.items() if sorted({t["theme"] for t in r["detail"]["themes"]}) != gold[loc]["themes"]]
    assert wrong == []


def test_counts_by_language_outlet_medium_theme_match_gold(ingested):
    rows = propaganda_rows(ingested["records"])

    def total(name: str, key: str) -> dict[str, int]:
        counts: Counter[str] = Counter()
        for row in rows[name]:
            counts[row[key]] += row["releases"]
        return dict(sorted(counts.items()))

    assert total("propaganda_by_language", "language") == GOLD_BY_LANGUAGE
    assert total("propaganda_by_outlet", "outlet") == GOLD_BY_OUTLET
    assert total("propaganda_by_medium", "medium") == GOLD_BY_MEDIUM
    assert total("propaganda_by_theme", "theme") == GOLD_BY_THEME


def test_reposts_and_forwards_are_one_release(ingested, gold):
    merged = merge_sightings(ingested["records"])
    predicted = sorted(sorted(f"{CHANNEL_IDS[s['channel']]}/{s['message_id']}" for s in r["detail"]["sightings"]) for r in merged)
    by_group: dict[str, list[str]] = {}
    for loc in _by_message(ingested["records"]):
        by_group.setdefault(gold[loc]["group"], []).append(loc)
    assert predicted == sorted(sorted(v) for v in by_group.values())


def test_evidence_is_verbatim_and_short(ingested):
    documents = ingested["documents"]
    for record in ingested["records"]:
        for source in record["sources"]:
            text = documents[source["document_id"]].text
            assert text[source["start"] : source["end"]] == source["quote"] and len(source["quote"]) <= MAX_QUOTE
        doc = documents[record["sources"][0]["document_id"]] if record["sources"] else None
        for theme in record["detail"]["themes"]:
            assert doc is not None and doc.text[theme["start"] : theme["end"]] == theme["quote"]
            assert len(theme["quote"]) <= MAX_QUOTE


def test_only_file_metadata_is_kept(ingested):
    files = [r["detail"]["file"] for r in ingested["records"] if r["detail"]["file"]]
    assert files and all(set(f) == {"name", "size", "mime"} for f in files)


# -- single posts, built by hand ---------------------------------------------------------------


def _telegram(text: str, **meta) -> dict:
    return {"channel": "Northern Relay", "message_id": 1, **meta}


def test_chatter_in_an_outlet_channel_is_no_release():
    meta = {"channel": "Al-Azaim Foundation", "message_id": 3}
    assert describe_release("The video link is broken, it will be fixed.", kind="telegram", meta=meta) is None
    assert describe_release("Please share the channel with your friends.", kind="telegram", meta=meta) is None


def test_media_whose_caption_is_the_channels_own_talk_is_no_release():
    meta = _telegram("", media_type="video_file", file_name="clip.mp4", file_size=1000)
    assert describe_release("A photo from the market.", kind="telegram", meta=meta) is None


def test_a_file_without_a_caption_on_a_mirror_channel_is_a_release_of_the_channel():
    meta = _telegram("", media_type="photo", file_size=5000, width=10, height=10)
    release = describe_release("", kind="telegram", meta=meta, published="2024-02-01")
    assert release is not None
    assert (release.outlet, release.actor, release.medium, release.channel) == (None, None, "image", "Northern Relay")
    assert release.reasons[0] == "outlet unknown: a file without a caption, attributed to the channel 'Northern Relay'"
    assert release.detail()["channel"] == "Northern Relay"


def test_an_unsigned_announcement_with_a_file_is_a_release_of_unknown_outlet():
    text = "New video, 9 minutes: call to make hijrah and join."
    meta = _telegram(text, media_type="video_file", file_name="v9.mp4", file_size=77, duration_seconds=540)
    release = describe_release(text, kind="telegram", meta=meta)
    assert release is not None and release.outlet is None and release.medium == "video"
    assert [t.theme for t in release.themes] == ["hijrah"] and release.key.startswith("file:")


def test_an_unsigned_text_post_names_no_outlet_and_is_no_release():
    assert describe_release("Statement: threat of attacks on Paris and Moscow.", kind="telegram", meta=_telegram("")) is None


def test_a_forward_takes_the_outlet_of_its_original():
    meta = _telegram("", forwarded_from="Al-Azaim Foundation", media_type="photo", file_size=5000, width=10, height=10)
    release = describe_release("New poster: call to make hijrah and join.", kind="telegram", meta=meta, published="2024-02-01")
    assert release is not None
    assert (release.outlet, release.actor, release.medium, release.date) == ("Al-Azaim", "ISKP", "image", "2024-02-01")
    assert [t.theme for t in release.themes] == ["hijrah"]


def test_a_cyrillic_signature_names_the_outlet_and_a_mention_adds_a_language():
    text = "New video in Tajik, 12 minutes: threat of attacks on Paris.\nФонд «Аль-Азаим»"
    meta = _telegram(text, media_type="video_file", file_name="v.mp4", file_size=99, duration_seconds=725)
    release = describe_release(text, kind="telegram", meta=meta)
    assert release is not None
    assert release.outlet == "Al-Azaim" and sorted(release.languages) == ["en", "tg"]
    assert release.length == {"minutes": 12}
    assert release.title == "New video in Tajik, 12 minutes: threat of attacks on Paris."


def test_a_signed_text_post_without_a_medium_word_is_a_post():
    text = "Кобулдаги постга ҳужум учун жавобгарликни ўз зиммасига олиш.\nАл-Азоим жамғармаси"
    release = describe_release(text, kind="telegram", meta=_telegram(text))
    assert release is not None
    assert (release.medium, release.languages, [t.theme for t in release.themes]) == ("post", ("uz",), ["attack_claim"])


def test_a_pdf_magazine_is_a_release_and_a_report_is_not():
    release = describe_release("Voice of Khurasan\nIssue 12\n...", kind="pdf", meta={"pages": 52}, title="Voice of Khurasan, issue 12")
    assert release is not None and (release.medium, release.length, release.outlet) == ("magazine", {"pages": 52}, "Al-Azaim")
    report = "Briefing note on the Khorasan branch.\nIts magazine Voice of Khurasan appeared in 2022."
    assert describe_release("x" * 400 + report, kind="pdf", meta={"pages": 9}, title="Briefing note") is None


def test_an_rss_item_of_an_outlet_feed_is_a_release():
    release = describe_release("New video, 9 minutes: call to make hijrah and join.", kind="rss", meta={"feed": "Al-Azaim Media", "guid": "g1"})
    assert release is not None and (release.medium, release.outlet, release.length) == ("video", "Al-Azaim", {"minutes": 9})


def test_outlet_aliases_in_other_scripts():
    assert find_outlet("د «خراسان غږ» مجلې نوې ګڼه")[0] == "Al-Azaim"
    assert find_outlet("Агентство «Амак»")[0] == "Amaq"
    assert find_outlet("مؤسسة البتار")[0] == "Al-Battar"
    assert find_outlet("a market in Kabul") is None


def test_a_copy_with_a_hashtag_and_a_link_keeps_the_release_key():
    text = "Statement: threat of attacks on Paris and Moscow.\nAl-Azaim Foundation"
    original = describe_release(text, kind="telegram", meta={"channel": "Al-Azaim Foundation", "message_id": 5})
    copy = describe_release(f"#repost {text}\nhttps://mirror.example.org/5", kind="telegram", meta=_telegram(text))
    assert original is not None and copy is not None and original.key == copy.key
    other_outlet = describe_release("Statement: threat of attacks on Paris and Moscow.\nAmaq News Agency", kind="telegram", meta=_telegram(text))
    assert other_outlet is not None and other_outlet.key != original.key


# -- pipeline, analytics, command line ---------------------------------------------------------


def test_releases_stage_runs_alone_on_a_language_without_event_lexicons():
    text = "نوې ویډیو، ۱۲ دقیقې: هجرت او یوځای کېدو ته بلنه.\nد العزائم بنسټ"
    doc = PipelineDoc(id="d1", text=text, language="ps", published="2024-05-01", kind="telegram",
                      meta={"channel": "Northern Relay", "message_id": 7, "media_type": "video_file", "file_name": "a.mp4", "file_size": 3})
    result = extract(doc, pipeline=build_pipeline(), ctx=build_context())
    assert result.skipped is None
    (event,) = result.events
    assert (event.type, event.medium, event.languages, event.outlet, event.length) == ("propaganda", "video", ("ps",), "Al-Azaim", {"minutes": 12})
    assert "releases.v2" in event.provenance["stages"]  # Pashto has event lexicons since issue 7: the whole pipeline runs


def test_releases_stage_leaves_news_reports_alone():
    doc = PipelineDoc(id="d2", text="Al-Azaim released a new video in Tajik on 3 May 2024.", language="en", kind="html", published="2024-05-04")
    result = extract(doc, pipeline=build_pipeline(), ctx=build_context())
    assert all("release_key" not in e.detail for e in result.events or ())


def _record(rid: str, keys: list[str], date: str, languages: list[str]) -> dict:
    return {"id": rid, "type": "propaganda", "date": date, "languages": languages, "outlet": "Al-Azaim", "medium": "video",
            "sources": [], "detail": {"release_key": keys[0], "release_keys": keys, "themes": [], "channel": "c", "message_id": rid}}


records_strategy = st.lists(
    st.builds(
        _record,
        rid=st.text("abcdef", min_size=1, max_size=3),
        keys=st.lists(st.sampled_from(["file:a", "file:b", "caption:c", "message:d", "message:e"]), min_size=1, max_size=3),
        date=st.sampled_from(["2024-01-01", "2024-02-03", "2024-03"]),
        languages=st.lists(st.sampled_from(["ps", "fa", "tg", "uz"]), max_size=2),
    ),
    max_size=8,
)


@settings(max_examples=60, deadline=None)
@given(records_strategy)
def test_merging_sightings_is_idempotent(records):
    once = merge_sightings(records)
    assert merge_sightings(once) == once
    assert len(once) <= len(records)


def test_breakdowns_and_the_share_outside_pashto_and_dari():
    records = [
        _record("1", ["file:a"], "2024-01-05", ["ps"]),
        _record("2", ["file:a"], "2024-01-09", ["ps"]),  # a repost: counted once
        _record("3", ["file:b"], "2024-01-20", ["tg", "ru"]),
        _record("4", ["file:c"], "2024-02-02", ["fa"]),
    ]
    frames = propaganda_breakdowns(records)
    assert set(frames) == {"propaganda_by_language", "propaganda_by_outlet", "propaganda_by_medium", "propaganda_by_theme", "propaganda_outside_ps_fa"}
    by_language = frames["propaganda_by_language"]
    assert by_language[by_language["month"] == "2024-01"].set_index("language")["releases"].to_dict() == {"ps": 1, "ru": 1, "tg": 1}
    share = frames["propaganda_outside_ps_fa"].set_index("month")["share"].to_dict()
    assert share == {"2024-01": pytest.approx(2 / 3, abs=1e-4), "2024-02": 0.0}


def test_cli_ingest_then_list_propaganda(tmp_path):
    db = str(tmp_path / "cli.db")
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", db, "ingest", *map(str, EXPORTS)])
    assert result.exit_code == 1  # the broken messages are reported
    assert "208 new" in result.output
    listed = runner.invoke(cli, ["--db", db, "events", "--type", "propaganda", "--json"])
    assert listed.exit_code == 0, listed.output
    records = json.loads(listed.output)
    assert records and all(r["type"] == "propaganda" and r["medium"] for r in records)
    assert sum(not r["outlet"] for r in records) == GOLD_BY_OUTLET["unknown"]  # issue 11: the channel's, outlet unknown
    assert {code for r in records for code in r["languages"] or []} >= {"ps", "fa", "tg", "uz", "ru", "ur", "ar", "en"}


def test_kwatch_stats_carries_the_propaganda_breakdowns_beside_the_analyses(ingested):
    """`kwatch stats --json` (issue 6): outlet, theme and the share outside Pashto/Dari beside
    propaganda_by_language, counted once per release however often it was reposted."""
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "kwatch", "--db", str(ingested["db"]), "stats", "--json"], capture_output=True, text=True, check=True
    ).stdout
    tables = json.loads(out)
    assert {"propaganda_by_language", "propaganda_by_outlet", "propaganda_by_theme", "propaganda_outside_ps_fa"} <= set(tables)
    by_outlet: Counter[str] = Counter()
    for row in tables["propaganda_by_outlet"]:
        by_outlet[row["outlet"]] += row["releases"]
    assert dict(sorted(by_outlet.items())) == GOLD_BY_OUTLET
    assert all(0.0 <= row["share"] <= 1.0 for row in tables["propaganda_outside_ps_fa"])


def test_issue_11_resolution_and_merge_sightings_agree_on_what_one_release_is(ingested):
    """One definition of a release (`kwatch.resolve.release_groups`): the resolved propaganda
    events are exactly the groups merge_sightings makes of the per-post records."""
    with kwatch.open(str(ingested["db"])) as kw:
        resolved = {frozenset(r["detail"]["members"]) for r in kw.event_records(type="propaganda")}
    merged = {frozenset(s["id"] for s in r["detail"]["sightings"]) for r in merge_sightings(ingested["records"])}
    assert resolved == merged


# -- issue 12: one definition of one release ---------------------------------------------------
#
# A small export written here (invented captions): one video posted by the outlet's channel,
# the same file posted again by a mirror channel, and the outlet's post forwarded by the mirror;
# beside it another video of the mirror's own and chatter.

OUTLET, MIRROR = ("Al-Azaim Foundation", 1001), ("Valley Mirror", 2002)
VIDEO = {"file": "(File not included. Change data exporting settings to download.)", "file_name": "part_four.mp4",
         "file_size": 7340111, "media_type": "video_file", "mime_type": "video/mp4", "duration_seconds": 730, "width": 1280, "height": 720}
CAPTION = "New video: the fourth part of the series, 12 minutes."


def _message(mid: int, day: str, text: str, channel: tuple[str, int], **fields) -> dict:
    return {"id": mid, "type": "message", "date": f"2025-03-{day}T09:30:00", "from": channel[0], "from_id": f"channel{channel[1]}",
            "text": text, **fields}


def _write_export(folder: Path, channel: tuple[str, int], messages: list[dict]) -> Path:
    folder.mkdir(parents=True)
    export = {"name": channel[0], "type": "public_channel", "id": channel[1], "messages": messages}
    (folder / "result.json").write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def one_release(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Both exports through `kwatch ingest`, `kwatch resolve`, `kwatch export` and `kwatch stats`
    into a real SQLite file."""
    root = tmp_path_factory.mktemp("one_release")
    outlet = _write_export(root / "outlet", OUTLET, [
        _message(10, "04", f"{CAPTION}\nAl-Azaim Foundation", OUTLET, **VIDEO),
        _message(11, "04", "The channel will be quiet until Friday.", OUTLET),
    ])
    mirror = _write_export(root / "mirror", MIRROR, [
        _message(5, "05", f"#mirror {CAPTION}", MIRROR, **VIDEO),  # the same file posted again
        _message(6, "06", f"{CAPTION}\nAl-Azaim Foundation", MIRROR, forwarded_from=OUTLET[0], **VIDEO),  # a forward
        _message(7, "06", "New video: a talk about the mountain roads, 9 minutes.", MIRROR,
                 **{**VIDEO, "file_name": "roads.mp4", "file_size": 5120333}),  # another release
    ])
    db = str(root / "kwatch.db")
    runner = CliRunner()
    ingest = runner.invoke(cli, ["--db", db, "ingest", str(outlet), str(mirror)])
    assert ingest.exit_code == 0, ingest.output
    resolved = runner.invoke(cli, ["--db", db, "resolve"])
    assert resolved.exit_code == 0, resolved.output
    out = root / "events.jsonl"
    exported = runner.invoke(cli, ["--db", db, "export", "--format", "jsonl", "-o", str(out)])
    assert exported.exit_code == 0, exported.output
    csv_out = root / "events.csv"
    assert runner.invoke(cli, ["--db", db, "export", "--format", "csv", "-o", str(csv_out)]).exit_code == 0
    stats = runner.invoke(cli, ["--db", db, "stats", "--json"])
    assert stats.exit_code == 0, stats.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return {"db": db, "records": records, "csv": csv_out.read_text(encoding="utf-8"), "stats": json.loads(stats.stdout)}


def _the_video(records: list[dict]) -> dict:
    [video] = [r for r in records if r["type"] == "propaganda" and any(s["message_id"] == 10 for s in r["detail"]["sightings"])]
    return video


def test_issue_12_a_file_posted_on_two_channels_and_forwarded_is_one_release_with_three_sightings(one_release):
    releases = [r for r in one_release["records"] if r["type"] == "propaganda"]
    assert len(releases) == 2  # the video, and the mirror's own
    video = _the_video(releases)
    sightings = [(s["channel"], s["message_id"], s["forwarded_from"], s["date"]) for s in video["detail"]["sightings"]]
    assert sightings == [
        ("Al-Azaim Foundation", 10, None, "2025-03-04"),
        ("Valley Mirror", 5, None, "2025-03-05"),
        ("Valley Mirror", 6, "Al-Azaim Foundation", "2025-03-06"),
    ]
    assert len(video["detail"]["members"]) == 3 and len(video["detail"]["documents"]) == 3
    assert (video["outlet"], video["medium"], video["date"]) == ("Al-Azaim", "video", "2025-03-04")
    assert video["detail"]["release_key"].startswith("file:") and video["detail"]["release_key"] in video["detail"]["release_keys"]


def test_issue_12_the_csv_export_has_one_row_per_release(one_release):
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(one_release["csv"])))
    assert sum(1 for row in rows if row["sub_event_type"] == "video") == 2


def test_issue_12_propaganda_stats_count_the_release_once(one_release):
    tables = one_release["stats"]  # `kwatch stats --json`: two releases, not four sightings
    assert tables["propaganda_by_outlet"] == [
        {"month": "2025-03", "outlet": "Al-Azaim", "releases": 1},
        {"month": "2025-03", "outlet": "unknown", "releases": 1},
    ]
    assert tables["propaganda_by_language"] == [{"month": "2025-03", "en": 2}]
    assert tables["propaganda_by_medium"] == [{"month": "2025-03", "video": 2}]
    with kwatch.open(one_release["db"]) as kw:
        frames = kw.stats(actor="ISKP")  # the same filters for every table: only the outlet's release
    assert frames["propaganda_by_outlet"].to_dict("records") == [{"month": "2025-03", "outlet": "Al-Azaim", "releases": 1}]
    assert int(frames["propaganda_by_medium"].loc["2025-03", "video"]) == 1


def _video_post(meta: dict, text: str = CAPTION):
    release = describe_release(text, kind="telegram", meta={"media_type": "video_file", "mime_type": "video/mp4", **meta}, published="2025-03-04")
    assert release is not None
    return release


def _as_record(rid: str, release) -> dict:
    return {"id": rid, "type": "propaganda", "date": release.date, "languages": list(release.languages), "outlet": release.outlet,
            "medium": release.medium, "sources": [], "detail": release.detail()}


def test_issue_12_a_file_name_and_size_match_even_where_only_one_export_lists_a_hash():
    """Hash policy: an export that lists file hashes and one that does not still agree on the file
    by its name and size, so the two sightings are one release; a hash links sightings whose names
    differ; a name and size shared by files with different hashes is still one key shared."""
    hashed = _video_post({"channel": "A", "message_id": 1, "file_name": "Part_Four.MP4", "file_size": 99, "sha256": "AB12"})
    plain = _video_post({"channel": "B", "message_id": 2, "file_name": "part_four.mp4", "file_size": 99})
    renamed = _video_post({"channel": "C", "message_id": 3, "file_name": "copy.mp4", "file_size": 99, "file_hash": "ab12"})
    other = _video_post({"channel": "D", "message_id": 4, "file_name": "part_four.mp4", "file_size": 98})
    assert hashed.key.startswith("hash:") and plain.key.startswith("file:") and plain.key in hashed.keys
    merged = merge_sightings([_as_record(str(i), r) for i, r in enumerate((hashed, plain, renamed, other))])
    assert sorted(sorted(s["channel"] for s in r["detail"]["sightings"]) for r in merged) == [["A", "B", "C"], ["D"]]
    rehashed = _video_post({"channel": "E", "message_id": 5, "file_name": "part_four.mp4", "file_size": 99, "sha256": "cd34"})
    assert len(merge_sightings([_as_record("1", hashed), _as_record("5", rehashed)])) == 1


def test_issue_12_the_hash_an_export_lists_reaches_the_release_key(tmp_path):
    folder = _write_export(tmp_path / "hashed", OUTLET, [_message(10, "04", CAPTION, OUTLET, sha256="ABC123", **VIDEO)])
    with kwatch.open(str(tmp_path / "k.db")) as kw:
        kw.ingest([str(folder)])
        [record] = kw.extracted_events(type="propaganda")
    assert record["detail"]["release_key"] == "hash:abc123"


def test_issue_12_an_outlet_and_caption_match_is_one_release_and_another_outlet_is_not():
    text = "Statement on the events of this week in the northern valleys.\nAl-Azaim Foundation"
    original = describe_release(text, kind="telegram", meta={"channel": "Al-Azaim Foundation", "message_id": 8}, published="2025-03-04")
    repost = describe_release(f"{text}\n#share https://mirror.example.org/8", kind="telegram", meta={"channel": "Valley Mirror", "message_id": 3},
                              published="2025-03-05")
    other = describe_release(text.replace("Al-Azaim Foundation", "Amaq News Agency"), kind="telegram",
                             meta={"channel": "Valley Mirror", "message_id": 4}, published="2025-03-05")
    assert original is not None and repost is not None and other is not None
    assert original.key.startswith("caption:") and original.key == repost.key != other.key
    merged = merge_sightings([_as_record("1", original), _as_record("2", repost), _as_record("3", other)])
    assert sorted(len(r["detail"]["sightings"]) for r in merged) == [1, 2]


def test_issue_12_two_files_with_one_caption_are_two_releases():
    first = _video_post({"channel": "A", "message_id": 1, "file_name": "one.mp4", "file_size": 10}, f"{CAPTION}\nAl-Azaim Foundation")
    second = _video_post({"channel": "A", "message_id": 2, "file_name": "two.mp4", "file_size": 20}, f"{CAPTION}\nAl-Azaim Foundation")
    assert not set(first.keys) & set(second.keys)


def test_issue_12_a_forward_whose_origin_message_is_known_shares_the_originals_key():
    from kwatch.releases import Sighting, message_key, release_keys

    original = describe_release("Statement: a short note.\nAl-Azaim Foundation", kind="telegram",
                                meta={"channel": "Al-Azaim Foundation", "message_id": 41})
    forward = describe_release("Statement: a short note.\nAl-Azaim Foundation", kind="telegram",
                               meta={"channel": "Valley Mirror", "message_id": 7, "forwarded_from": "Al-Azaim Foundation", "forwarded_message_id": 41})
    assert original is not None and forward is not None
    assert message_key("Al-Azaim Foundation", 41) in set(original.keys) & set(forward.keys)
    assert release_keys(Sighting(channel="Valley Mirror", post=7, forwarded_from="Al-Azaim Foundation")) == (message_key("Valley Mirror", 7),)


def test_issue_12_resolved_releases_are_counted_as_resolution_made_them():
    """An analyst's split keeps two sightings apart although they share a key: the statistics
    count the resolved records as they are, never merging them again."""
    resolved = [{**_record(rid, ["file:a"], "2025-03-04", ["ps"]), "detail": {"members": [rid], "release_keys": ["file:a"], "themes": []}}
                for rid in ("r1", "r2")]
    assert len(merge_sightings(resolved)) == 2
    [row] = propaganda_rows(resolved)["propaganda_by_language"]
    assert row == {"month": "2025-03", "language": "ps", "releases": 2}
