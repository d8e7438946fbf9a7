"""Issue 11: every stage reads the user's lexicon folders (`lexicon_dirs`) through the extraction
context, and its compiled patterns are cached per search path: a folder that adds a word changes
what the stage finds, and the same document read without the folder (before and after) gives the
built-in result.

The sentences are our own, invented for these tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

import kwatch
from kwatch import lexicon
from kwatch.cli import cli
from kwatch.extract import build_context, extract
from kwatch.extraction import pipeline_version
from kwatch.pipeline import Pipeline
from kwatch.pipeline.casualties import total
from kwatch.pipeline.default import DEFAULT_STAGES, build_pipeline
from kwatch.pipeline.model import CasualtyMention, PipelineDoc
from kwatch.pipeline.numbers import find_quantities


def _folder(root: Path, files: dict[str, str]) -> lexicon.SearchPath:
    for relpath, text in files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return lexicon.search_path(str(root))


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return build_pipeline()


def _run(text: str, pipeline: Pipeline, path: lexicon.SearchPath = lexicon.BUILTIN, *, language: str = "en") -> PipelineDoc:
    doc = PipelineDoc(id="d1", text=text, language=language, published="2024-03-10")
    return extract(doc, pipeline=pipeline, ctx=build_context(**{lexicon.LEXICONS_OPTION: path}))


def _with_and_without(text: str, pipeline: Pipeline, path: lexicon.SearchPath, *,
                      language: str = "en") -> tuple[PipelineDoc, PipelineDoc, PipelineDoc]:
    """The document read without the folder, with it, and without it again: a cache keyed on
    anything less than the search path would leak the user's word into the third."""
    return (_run(text, pipeline, language=language), _run(text, pipeline, path, language=language),
            _run(text, pipeline, language=language))


# -- dates.v2 -------------------------------------------------------------------------------------


def test_dates_read_a_relative_day_word_of_the_users(tmp_path: Path, pipeline: Pipeline):
    path = _folder(tmp_path, {"en/dates.yaml": "relative_days:\n  overnight: 0\n"})
    before, with_user, after = _with_and_without("Gunmen attacked a police post in Kabul overnight.", pipeline, path)
    assert [(d.text, d.value) for d in with_user.dates or ()] == [("overnight", "2024-03-10")]
    assert before.dates == after.dates == ()


# -- places.v2 ------------------------------------------------------------------------------------


def test_places_read_a_site_head_of_the_users(tmp_path: Path, pipeline: Pipeline):
    path = _folder(tmp_path, {"en/places.yaml": "site_heads: [caravanserai]\n"})
    text = "A bomb went off at the Shah Caravanserai in Herat on 3 March 2024."
    before, with_user, after = _with_and_without(text, pipeline, path)
    assert ("Shah Caravanserai", "site") in [(p.text, p.precision) for p in with_user.places or ()]
    assert [(p.text, p.precision) for p in before.places or ()] == [(p.text, p.precision) for p in after.places or ()] == [("Herat", "town")]


def test_places_read_a_site_head_of_the_users_in_a_name_table_language(tmp_path: Path, pipeline: Pipeline):
    path = _folder(tmp_path, {"ru/places.yaml": "sites:\n  heads_first:\n    караван-сара: hotel\n"})
    text = "Взрыв прогремел у караван-сарая Шах в Герате 3 марта 2024 года."
    before, with_user, after = _with_and_without(text, pipeline, path, language="ru")
    assert [(p.text, p.site_kind, p.admin1) for p in with_user.places or () if p.precision == "site"] == [("караван-сарая Шах", "hotel", "Herat")]
    # A province read bare is its capital (the town of Herat).
    assert [p.precision for p in before.places or ()] == [p.precision for p in after.places or ()] == ["town"]


# -- casualties.v2 --------------------------------------------------------------------------------


def test_casualties_read_a_verb_of_the_users(tmp_path: Path, pipeline: Pipeline):
    path = _folder(tmp_path, {"en/casualties.yaml": "killed:\n  active: [felled]\n"})
    text = "A sniper felled 4 guards at a checkpoint in Kabul on 3 March 2024."
    before, with_user, after = _with_and_without(text, pipeline, path)
    assert [(c.kind, c.value, c.text) for c in with_user.casualties or ()] == [("killed", 4, "4 guards")]
    assert before.casualties == after.casualties == ()


def test_a_running_total_word_of_the_users_makes_a_figure_a_toll(tmp_path: Path):
    """`total()` reads the running-total words of every language: with the search path it reads
    the user's too ("tally" is a toll, not one more group of victims)."""
    path = _folder(tmp_path, {"en/casualties.yaml": "running_totals: [tally]\n"})
    mentions = [
        CasualtyMention(0, 16, "tally rose to 10", 0, "killed", 10, "exact", None, claimed=False),
        CasualtyMention(30, 39, "3 guards", 0, "killed", 3, "exact", None, claimed=False),
    ]
    assert total(mentions, "killed") == 13
    assert total(mentions, "killed", lexicons=path) == 10
    assert total(mentions, "killed") == 13


# -- numbers (read by casualties.v2) ----------------------------------------------------------------


def test_numbers_read_a_number_phrase_of_the_users(tmp_path: Path, pipeline: Pipeline):
    path = _folder(tmp_path, {"en/numbers.yaml": 'fixed:\n  "a brace of": 2\n'})
    assert [(q.text, q.value) for q in find_quantities("a brace of guards", lexicons=path)] == [("a brace of", 2)]
    assert find_quantities("a brace of guards") == []
    text = "The attack in Kabul on 3 March 2024 killed a brace of guards."
    before, with_user, after = _with_and_without(text, pipeline, path)
    assert [(c.kind, c.value) for c in with_user.casualties or ()] == [("killed", 2)]
    assert [e.killed for e in with_user.events or ()] == [2]
    assert before.casualties == after.casualties and [(c.value, c.qualifier) for c in before.casualties or ()] != [(2, "exact")]


# -- cues.v2 and events.v3 --------------------------------------------------------------------------


def test_cues_and_events_read_a_trigger_of_the_users(tmp_path: Path, pipeline: Pipeline):
    path = _folder(tmp_path, {"en/events.yaml": "triggers:\n  attack: [sniped]\n"})
    text = "Militants sniped at a checkpoint in Kabul on 3 March 2024, wounding 2 soldiers."
    before, with_user, after = _with_and_without(text, pipeline, path)
    assert ("sniped", "event_type", "attack") in [(c.text, c.kind, c.value) for c in with_user.cues or ()]
    assert [(e.type, e.date, e.admin1, e.injured) for e in with_user.events or ()] == [("attack", "2024-03-03", "Kabul", 2)]
    assert before.events == after.events == ()
    assert "sniped" not in [c.text for c in after.cues or ()]


def test_events_read_a_method_priority_of_the_users(tmp_path: Path, pipeline: Pipeline):
    """events.v3 picks a method by the priority list of methods.yaml: a user file that puts
    shooting before bombing changes which of the two methods the event gets."""
    text = "Gunmen opened fire and set off a bomb at a checkpoint in Kabul on 3 March 2024, killing 3 police officers."
    built_in = lexicon.load("methods", "en")["priority"]
    assert built_in.index("bombing") < built_in.index("shooting")
    order = ["shooting", *(m for m in built_in if m != "shooting")]
    path = _folder(tmp_path, {"en/methods.yaml": f"_replace: [priority]\npriority: [{', '.join(order)}]\n"})
    before, with_user, after = _with_and_without(text, pipeline, path)
    assert [e.method for e in before.events or ()] == [e.method for e in after.events or ()] == ["bombing"]
    assert [e.method for e in with_user.events or ()] == ["shooting"]


# -- place-name variants (lexicons/place_names.yaml) --------------------------------------------------


def test_a_user_english_spelling_names_a_gazetteer_place(tmp_path: Path, pipeline: Pipeline):
    """`names: en` adds a spelling to the gazetteer entry the row names; the event gets that place,
    and its provenance names the user file."""
    path = _folder(tmp_path, {"place_names.yaml": "places:\n  Jalalabad:\n    names:\n      en: [Jalalabaad]\n"})
    text = "A bomb went off at a market in Jalalabaad on 3 March 2024, killing 4 people."
    before, with_user, after = _with_and_without(text, pipeline, path)
    assert before.places == after.places == ()
    (place,) = with_user.places or ()
    assert (place.text, place.admin1, place.admin2, place.precision) == ("Jalalabaad", "Nangarhar", "Jalalabad", "district")
    (event,) = with_user.events or ()
    assert (event.admin1, event.admin2) == ("Nangarhar", "Jalalabad")
    origin = str((tmp_path / "place_names.yaml").resolve())
    assert f"place Jalalabad: name 'jalalabaad' from user lexicon {origin}" in event.provenance["inferences"]
    assert not any("user lexicon" in line for e in after.events or () for line in e.provenance["inferences"])


def test_a_user_place_in_another_script_is_read_with_the_case_endings(tmp_path: Path, pipeline: Pipeline):
    """A place the shipped table lacks, with its Russian spelling: read like the shipped ones
    (the stem takes the language's case endings)."""
    # A spelling of the user's own: the gazetteer's Cyrillic names have "Газни".
    path = _folder(tmp_path, {"place_names.yaml": "places:\n  Ghazni: {kind: admin1, names: {ru: [Гхазни]}}\n"})
    text = "3 марта 2024 года в провинции Гхазни при взрыве погибли 5 человек."
    before, with_user, after = (_run(text, pipeline, p, language="ru") for p in (lexicon.BUILTIN, path, lexicon.BUILTIN))
    assert [(p.text, p.admin1, p.precision) for p in with_user.places or ()] == [("Гхазни", "Ghazni", "province")]
    assert before.places == after.places == ()
    (event,) = with_user.events or ()
    origin = str((tmp_path / "place_names.yaml").resolve())
    assert (event.admin1, event.provenance["inferences"]) == ("Ghazni", [f"place Ghazni: name 'гхазни' from user lexicon {origin}"])


def test_a_shipped_name_in_the_same_sentence_decides_alone(tmp_path: Path, pipeline: Pipeline):
    """The user spelling and the gazetteer's own name of one place in the sentence the place was
    read from: the built-in name would have decided it, so provenance names no user file."""
    path = _folder(tmp_path, {"place_names.yaml": "places:\n  Jalalabad:\n    names:\n      en: [Jalalabaad]\n"})
    text = "A bomb went off at a market in Jalalabaad (Jalalabad) on 3 March 2024, killing 4 people."
    (event,) = _run(text, pipeline, path).events or ()
    assert event.admin2 == "Jalalabad"
    assert not any("user lexicon" in line for line in event.provenance["inferences"])


def test_check_names_each_problem_of_a_place_names_file_on_one_line(tmp_path: Path):
    folder = tmp_path / "lex"
    bad = folder / "place_names.yaml"
    folder.mkdir()
    bad.write_text("places:\n  Ghazni: {kind: province, names: {ru: [Газни]}}\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["lexicons", "check", str(folder)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{bad}: places.Ghazni.kind: 'province' is not one of ['country', 'admin1', 'admin2', 'town'] (lexicons/schemas/place_names.yaml)"]
    bad.write_text("places:\n  Ghazny: {kind: admin1, names: {ru: [Газни]}}\n  Kabul: {names: {ru: Кабулград}}\n", encoding="utf-8")
    result = runner.invoke(cli, ["lexicons", "check", str(folder)])
    assert result.stdout.splitlines() == [f"{bad}: places.Kabul.names.ru: expected a list (as in the built-in file), got text"]
    bad.write_text("places:\n  Ghazny: {kind: admin1, names: {ru: [Газни]}}\n", encoding="utf-8")
    result = runner.invoke(cli, ["lexicons", "check", str(folder)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{bad.resolve()}: places.Ghazny: the gazetteer has no admin1 named 'Ghazny', so its names are never read"]


# -- actor aliases in provenance -------------------------------------------------------------------


def test_an_actor_alias_from_a_user_file_is_named_in_the_provenance(tmp_path: Path, pipeline: Pipeline):
    path = _folder(tmp_path, {"actors.yaml": 'actors:\n  ISKP:\n    aliases:\n      en: ["Lantern Column"]\n'})
    origin = str((tmp_path / "actors.yaml").resolve())
    text = "The Lantern Column said it carried out the bombing at a market in Kabul on 3 March 2024 that killed 4 people."
    (event,) = _run(text, pipeline, path).events or ()
    assert event.actor == "ISKP"
    assert f"actor ISKP: alias 'lantern column' from user lexicon {origin}" in event.provenance["inferences"]
    both = "ISKP, calling itself the Lantern Column, said it carried out the bombing at a market in Kabul on 3 March 2024 that killed 4 people."
    (event,) = _run(both, pipeline, path).events or ()
    assert event.actor == "ISKP" and not any("user lexicon" in line for line in event.provenance["inferences"])


# -- pipeline_version --------------------------------------------------------------------------------


def test_the_pipeline_version_follows_the_user_lexicon_files(tmp_path: Path):
    """Like a changed stage or built-in lexicon, a user file added or edited gives another
    pipeline version; the same contents again give the same one (an edit, not the clock)."""
    folder = tmp_path / "lex"
    path = folder / "en" / "events.yaml"
    one = _folder(folder, {"en/events.yaml": "triggers:\n  attack: [sniped]\n"})
    built_in = pipeline_version()
    assert pipeline_version(DEFAULT_STAGES, lexicon.BUILTIN) == built_in
    first = pipeline_version(DEFAULT_STAGES, one)
    assert first != built_in and len(first) == 12

    path.write_text("triggers:\n  attack: [sniped, shelled]\n", encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    edited = lexicon.search_path(str(folder))
    assert edited != one and pipeline_version(DEFAULT_STAGES, edited) not in (first, built_in)

    path.write_text("triggers:\n  attack: [sniped]\n", encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 2 * 10**9))
    assert pipeline_version(DEFAULT_STAGES, lexicon.search_path(str(folder))) == first


def test_an_extraction_run_records_the_version_with_the_user_files(tmp_path: Path):
    folder = tmp_path / "lex"
    path = _folder(folder, {"en/events.yaml": "triggers:\n  attack: [sniped]\n"})
    with kwatch.open(str(tmp_path / "k.db"), lexicon_dirs=str(folder)) as kw:
        kw.extract()
        [run] = kw.runs(kind="extract")
    assert run["pipeline_version"] == pipeline_version(DEFAULT_STAGES, path) != pipeline_version()
    with kwatch.open(str(tmp_path / "k.db")) as kw:
        kw.extract()
        assert kw.runs(kind="extract")[0]["pipeline_version"] == pipeline_version()
