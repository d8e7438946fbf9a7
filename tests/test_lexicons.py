"""Issue 11: users extend the language knowledge with lexicon folders (`lexicon_dirs`), merged
over the built-in lexicons; `kwatch lexicons check|list`; user entries in provenance."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import kwatch
from kwatch import lexicon
from kwatch.cli import cli
from kwatch.errors import ConfigError
from kwatch.extract import build_context, extract
from kwatch.pipeline.default import build_pipeline
from kwatch.pipeline.model import PipelineDoc
from kwatch.pipeline.releases import describe_release, find_outlet

ALIAS = "Lantern of Khurasan"
SIGNED = f"Statement: a call to make hijrah and join.\n{ALIAS}"


def _write(folder: Path, relpath: str, text: str) -> Path:
    path = folder / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def user_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "mylex"
    _write(folder, "outlets.yaml", f'outlets:\n  Al-Azaim:\n    aliases: ["{ALIAS}"]\n')
    return folder


# -- merge rules -----------------------------------------------------------------------------


def test_mappings_merge_recursively_lists_extend_scalars_replace():
    base = {"a": {"x": [1, 2], "y": "old"}, "b": 1}
    origins: dict = {}
    merged = lexicon.merge(base, {"a": {"x": [2, 3], "y": "new", "z": True}}, origin="u.yaml", origins=origins)
    assert merged == {"a": {"x": [1, 2, 3], "y": "new", "z": True}, "b": 1}
    assert base == {"a": {"x": [1, 2], "y": "old"}, "b": 1}  # neither input is changed
    assert origins == {("a", "x", 3): "u.yaml", ("a", "y"): "u.yaml", ("a", "z"): "u.yaml"}


def test_null_removes_a_key_and_replace_swaps_a_value_whole():
    base = {"outlets": {"A": {"aliases": ["a1", "a2"], "actor": "IS"}, "B": {"aliases": ["b"], "actor": "IS"}}}
    user = {"outlets": {"B": None, "A": {"_replace": ["aliases"], "aliases": ["a3"]}}}
    assert lexicon.merge(base, user, origin="u") == {"outlets": {"A": {"aliases": ["a3"], "actor": "IS"}}}


values = st.recursive(st.none() | st.booleans() | st.integers(0, 3) | st.text("ab", max_size=2),
                      lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from("xyz"), inner, max_size=3), max_leaves=8)


@settings(max_examples=80, deadline=None)
@given(values, values)
def test_merging_a_user_file_twice_is_merging_it_once(base, user):
    once = lexicon.merge(base, user, origin="u")
    assert lexicon.merge(once, user, origin="u") == once


# -- search paths ----------------------------------------------------------------------------


def test_a_user_alias_is_used_only_through_its_search_path(user_dir: Path, tmp_path: Path):
    path = lexicon.search_path(str(user_dir))
    assert ALIAS in lexicon.load("outlets", path=path)["outlets"]["Al-Azaim"]["aliases"]
    assert ALIAS not in lexicon.load("outlets")["outlets"]["Al-Azaim"]["aliases"]  # built-in callers unchanged
    other = _write(tmp_path / "other", "outlets.yaml", 'outlets:\n  Amaq:\n    aliases: ["Lantern of Khurasan"]\n').parent
    assert find_outlet(SIGNED, lexicons=path)[0] == "Al-Azaim"
    assert find_outlet(SIGNED, lexicons=lexicon.search_path(str(other)))[0] == "Amaq"  # no leak between folder sets
    assert find_outlet(SIGNED) is None
    assert lexicon.search_path(f"{user_dir}{os.pathsep}{other}").files[0].relpath == "outlets.yaml"


def test_a_later_folder_overrides_an_earlier_one(tmp_path: Path):
    first = _write(tmp_path / "one", "outlets.yaml", "outlets:\n  Nashir:\n    actor: ISKP\n").parent
    second = _write(tmp_path / "two", "outlets.yaml", "outlets:\n  Nashir:\n    actor: IS-Central\n").parent
    both = lexicon.search_path([first, second])
    assert lexicon.load("outlets", path=both)["outlets"]["Nashir"]["actor"] == "IS-Central"


def test_an_edited_user_file_is_read_again(user_dir: Path):
    before = lexicon.search_path(str(user_dir))
    path = user_dir / "outlets.yaml"
    path.write_text('outlets:\n  Al-Azaim:\n    aliases: ["Khurasan Beacon Media"]\n', encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    after = lexicon.search_path(str(user_dir))
    assert before != after
    assert "Khurasan Beacon Media" in lexicon.load("outlets", path=after)["outlets"]["Al-Azaim"]["aliases"]


def test_a_file_with_no_built_in_counterpart_is_an_error(tmp_path: Path):
    folder = _write(tmp_path / "bad", "fa/outlet.yaml", "outlets: {}\n").parent.parent
    with pytest.raises(ConfigError, match="no built-in lexicon fa/outlet.yaml"):
        lexicon.search_path(str(folder))
    with pytest.raises(ConfigError, match="does not exist"):
        lexicon.search_path(str(tmp_path / "missing"))


def test_the_stage_reads_the_search_path_of_its_context(user_dir: Path):
    doc = PipelineDoc(id="d1", text=SIGNED, language="en", published="2024-05-01", kind="telegram",
                      meta={"channel": "Mountain Echo", "message_id": 4})
    plain = extract(doc, pipeline=build_pipeline(), ctx=build_context())
    assert not [e for e in plain.events or () if e.type == "propaganda"]
    path = lexicon.search_path(str(user_dir))
    result = extract(doc, pipeline=build_pipeline(), ctx=build_context(**{lexicon.LEXICONS_OPTION: path}))
    (event,) = [e for e in result.events or () if e.type == "propaganda"]
    assert (event.outlet, event.actor) == ("Al-Azaim", "ISKP")
    origin = str((user_dir / "outlets.yaml").resolve())
    assert f"outlet Al-Azaim: alias {ALIAS.casefold()!r} from user lexicon {origin}" in event.provenance["inferences"]


def test_a_new_outlet_from_a_user_file_names_its_actor_and_origin(tmp_path: Path):
    folder = _write(tmp_path / "lex", "outlets.yaml", 'outlets:\n  Lantern:\n    actor: ISKP\n    aliases: ["Lantern Media"]\n').parent
    release = describe_release("Statement: threat of attacks on Paris.\nLantern Media", kind="telegram",
                               meta={"channel": "Mountain Echo", "message_id": 1}, lexicons=lexicon.search_path(str(folder)))
    assert release is not None and (release.outlet, release.actor) == ("Lantern", "ISKP")
    assert any("from user lexicon" in reason and reason.endswith("outlets.yaml") for reason in release.reasons)


# -- kwatch lexicons check / list --------------------------------------------------------------


def test_check_reports_each_problem_on_one_line(tmp_path: Path):
    folder = tmp_path / "lex"
    _write(folder, "outlets.yaml", "outlets:\n  New:\n    aliases: [n]\n  Nashir:\n    actor: 7\nextra: 1\n")
    _write(folder, "releases/ps.yaml", "media: [\n")
    _write(folder, "releases/de.yaml", "media: {}\n")
    _write(folder, "actors.yaml", "- a list\n")
    _write(folder, "README.md", "notes, not a lexicon\n")
    result = CliRunner().invoke(cli, ["lexicons", "check", str(folder)])
    assert result.exit_code == 1
    lines = sorted(result.stdout.splitlines())
    assert lines == sorted([
        f"{folder / 'actors.yaml'}: (top level): expected a mapping (as in the built-in file), got a list",
        f"{folder / 'outlets.yaml'}: outlets.New: missing 'actor' (every built-in entry has it)",
        f"{folder / 'outlets.yaml'}: outlets.Nashir.actor: expected text (as in the built-in file), got a number",
        f"{folder / 'outlets.yaml'}: extra: unknown key (the built-in file has here: outlets)",
        f"{folder / 'releases/de.yaml'}: (file): no built-in lexicon releases/de.yaml to add to (see `kwatch lexicons list`)",
        f"{folder / 'releases/ps.yaml'}: line 2: not valid YAML: expected the node content, but found '<stream end>'",
    ])


def test_check_passes_a_good_folder_and_uses_the_setting(user_dir: Path):
    runner = CliRunner()
    assert runner.invoke(cli, ["lexicons", "check", str(user_dir)]).exit_code == 0
    result = runner.invoke(cli, ["lexicons", "check"], env={"KWATCH_LEXICON_DIRS": str(user_dir)})
    assert result.exit_code == 0 and "No problems" in result.stderr
    listed = runner.invoke(cli, ["lexicons", "list", "--json"], env={"KWATCH_LEXICON_DIRS": str(user_dir)})
    assert json.loads(listed.stdout) == [{"lexicon": "outlets.yaml", "builtin": "kwatch/lexicons/outlets.yaml",
                                          "user": [str((user_dir / "outlets.yaml").resolve())]}]


def test_a_bad_configured_folder_stops_extraction_with_one_line(tmp_path: Path):
    folder = _write(tmp_path / "lex", "outlet.yaml", "outlets: {}\n").parent
    with kwatch.open(str(tmp_path / "k.db"), lexicon_dirs=str(folder)) as kw, pytest.raises(ConfigError, match="outlet.yaml"):
        kw.extract()


# -- end to end: kwatch ingest of a Telegram Desktop export ------------------------------------


def _export(folder: Path) -> Path:
    """A channel export of our own writing: a signed statement and a signed video whose signature
    only a user lexicon knows, and chatter."""
    messages = [
        {"id": 1, "text": SIGNED},
        {"id": 2, "text": f"New video, 7 minutes: threat of attacks on Paris and Moscow.\n{ALIAS}", "file": "(File not included.)",
         "file_name": "lantern_7.mp4", "file_size": 7_340_033, "media_type": "video_file", "mime_type": "video/mp4", "duration_seconds": 433},
        {"id": 3, "text": "Please share the channel with your friends."},
    ]
    for n, message in enumerate(messages):
        message.update({"type": "message", "date": f"2024-04-0{n + 1}T10:00:00", "date_unixtime": str(1711965600 + 86400 * n),
                        "from": "Mountain Echo", "from_id": "channel1003330003"})
    folder.mkdir(parents=True)
    body = {"name": "Mountain Echo", "type": "public_channel", "id": 1003330003, "messages": messages}
    (folder / "result.json").write_text(json.dumps(body, ensure_ascii=False, indent=1), encoding="utf-8")
    return folder


def _ingest(export: Path, db: Path, lexicon_dirs: str | None) -> list[dict]:
    env = {k: v for k, v in os.environ.items() if k != "KWATCH_LEXICON_DIRS"}
    if lexicon_dirs is not None:
        env["KWATCH_LEXICON_DIRS"] = lexicon_dirs
    done = subprocess.run([sys.executable, "-m", "kwatch", "--db", str(db), "ingest", str(export)], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    with kwatch.open(str(db)) as kw:
        records = kw.extracted_events(type="propaganda")
    return sorted(records, key=lambda r: r["detail"]["message_id"])


def test_issue11_a_user_outlet_alias_makes_the_post_a_release_end_to_end(tmp_path: Path, user_dir: Path):
    export = _export(tmp_path / "export")
    without = _ingest(export, tmp_path / "without.db", None)
    # The statement names no outlet anyone knows: no release. The video is a media post of the
    # channel: a release of unknown outlet.
    assert [(r["detail"]["message_id"], r["outlet"]) for r in without] == [(2, None)]
    assert without[0]["detail"]["channel"] == "Mountain Echo"
    assert "attributed to the channel 'Mountain Echo'" in without[0]["detail"]["provenance"]["inferences"][0]

    with_user = _ingest(export, tmp_path / "with.db", str(user_dir))
    assert [(r["detail"]["message_id"], r["outlet"], r["actor"], r["medium"]) for r in with_user] == [
        (1, "Al-Azaim", "ISKP", "statement"), (2, "Al-Azaim", "ISKP", "video")]
    origin = str((user_dir / "outlets.yaml").resolve())
    for record in with_user:
        assert f"outlet Al-Azaim: alias {ALIAS.casefold()!r} from user lexicon {origin}" in record["detail"]["provenance"]["inferences"]


def test_a_user_actor_alias_names_the_group_of_an_attack_end_to_end(tmp_path: Path):
    """actors.v2 reads the user's actors.yaml too: a group name the built-in table lacks (our own
    invented alias) names the attacker once the folder is configured, and only then."""
    report = tmp_path / "reports" / "report.txt"
    report.parent.mkdir()
    report.write_text(
        "Bombing in Jalalabad\n\nThe Lantern Column said it carried out the bombing at a market in Jalalabad "
        "on 3 March 2024 that killed 4 people, police said.\n",
        encoding="utf-8",
    )
    folder = tmp_path / "user"
    folder.mkdir()
    (folder / "actors.yaml").write_text('actors:\n  ISKP:\n    aliases:\n      en: ["Lantern Column"]\n', encoding="utf-8")

    without = _ingest_attack(report.parent, tmp_path / "without.db", None)
    with_user = _ingest_attack(report.parent, tmp_path / "with.db", str(folder))
    assert (without["actor"], with_user["actor"]) == (None, "ISKP")
    origin = str((folder / "actors.yaml").resolve())
    assert f"actor ISKP: alias 'lantern column' from user lexicon {origin}" in with_user["detail"]["provenance"]["inferences"]


def _ingest_attack(reports: Path, db: Path, lexicon_dirs: str | None) -> dict:
    """`kwatch --db DB ingest REPORTS` (KWATCH_LEXICON_DIRS set when given): the one attack record."""
    env = {k: v for k, v in os.environ.items() if k != "KWATCH_LEXICON_DIRS"}
    if lexicon_dirs is not None:
        env["KWATCH_LEXICON_DIRS"] = lexicon_dirs
    done = subprocess.run([sys.executable, "-m", "kwatch", "--db", str(db), "ingest", str(reports)], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    with kwatch.open(str(db)) as kw:
        [attack] = kw.extracted_events(type="attack")
    return attack


def test_issue11_a_user_place_variant_gives_the_event_its_place_end_to_end(tmp_path: Path):
    """A spelling of a place the gazetteer lacks (our own, invented) in a user place_names.yaml:
    through `kwatch ingest` the attack gets the place, and its provenance names the user file."""
    report = tmp_path / "reports" / "report.txt"
    report.parent.mkdir()
    report.write_text(
        "Market bombing\n\nA bomb went off at a market in Jalalabaad on 3 March 2024, killing 4 people, police said.\n",
        encoding="utf-8",
    )
    folder = tmp_path / "user"
    _write(folder, "place_names.yaml", "places:\n  Jalalabad:\n    names:\n      en: [Jalalabaad]\n")

    without = _ingest_attack(report.parent, tmp_path / "without.db", None)
    assert (without["country"], without["admin1"], without["admin2"]) == (None, None, None)
    assert not any("user lexicon" in line for line in without["detail"]["provenance"]["inferences"])

    with_user = _ingest_attack(report.parent, tmp_path / "with.db", str(folder))
    assert (with_user["country"], with_user["admin1"], with_user["admin2"]) == ("AF", "Nangarhar", "Jalalabad")
    origin = str((folder / "place_names.yaml").resolve())
    assert f"place Jalalabad: name 'jalalabaad' from user lexicon {origin}" in with_user["detail"]["provenance"]["inferences"]
