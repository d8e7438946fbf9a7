"""Every stage lexicon has one schema (lexicons/schemas/<name>.yaml), checked when it is loaded:
a wrong key or type is one PipelineError naming the file and the key."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from kwatch import lexicon
from kwatch.errors import PipelineError

LEXICONS = resources.files("kwatch") / "lexicons"
SCHEMAS = sorted(p.name[: -len(".yaml")] for p in (LEXICONS / "schemas").iterdir() if p.name.endswith(".yaml"))
BUILT_IN = sorted(
    (folder.name, entry.name[: -len(".yaml")])
    for folder in LEXICONS.iterdir()
    if folder.is_dir() and folder.name not in ("schemas", "releases", "themes")
    for entry in folder.iterdir()
    if entry.name.endswith(".yaml")
)
#: Lexicons of every language (lexicons/<name>.yaml) that have a schema; the others (outlets,
#: actors) are checked by shape against the built-in file only.
TOP_LEVEL = sorted(p.name[: -len(".yaml")] for p in LEXICONS.iterdir() if p.name.endswith(".yaml") and p.name[: -len(".yaml")] in SCHEMAS)


@pytest.mark.parametrize(("language", "name"), BUILT_IN)
def test_every_built_in_lexicon_validates(language: str, name: str) -> None:
    assert name in SCHEMAS, f"lexicons/{language}/{name}.yaml has no schema in lexicons/schemas/"
    with (LEXICONS / language / f"{name}.yaml").open(encoding="utf-8") as handle:
        lexicon.validate(name, yaml.safe_load(handle), origin=f"lexicons/{language}/{name}.yaml")


def test_an_unknown_key_is_one_error_naming_file_and_key() -> None:
    data = {"triggers": {"attack": ["взрыв"]}, "hedgez": ["может"]}
    with pytest.raises(PipelineError) as raised:
        lexicon.validate("events", data, origin="lexicons/ru/events.yaml")
    message = str(raised.value)
    assert "lexicons/ru/events.yaml" in message and "'hedgez'" in message
    assert "hedges" in message  # the hint lists the keys there are


def test_a_wrong_type_is_one_error_naming_file_and_key() -> None:
    data = {"figure_position": ["after"], "max_words_between": "four", "killed": {"stems": ["погиб"]}, "injured": {"stems": ["ранен"]}}
    with pytest.raises(PipelineError) as raised:
        lexicon.validate("casualties", data, origin="lexicons/ru/casualties.yaml")
    message = str(raised.value)
    assert "lexicons/ru/casualties.yaml" in message and "'max_words_between'" in message and "integer" in message


def test_a_nested_wrong_type_names_the_path() -> None:
    data = {"triggers": {"attack": "взрыв"}}
    with pytest.raises(PipelineError, match=r"key 'triggers/attack'"):
        lexicon.validate("events", data, origin="lexicons/ru/events.yaml")


def test_a_wrong_value_names_the_key() -> None:
    data = {"figure_position": ["sideways"], "max_words_between": 4, "killed": {"stems": ["x"]}, "injured": {"stems": ["y"]}}
    with pytest.raises(PipelineError, match=r"key 'figure_position/0'"):
        lexicon.validate("casualties", data, origin="x.yaml")


def test_a_lexicon_without_a_schema_is_not_checked() -> None:
    lexicon.validate("no-such-lexicon", {"anything": 1}, origin="x.yaml")


@pytest.mark.parametrize("name", TOP_LEVEL)
def test_every_top_level_lexicon_with_a_schema_validates(name: str) -> None:
    with (LEXICONS / f"{name}.yaml").open(encoding="utf-8") as handle:
        lexicon.validate(name, yaml.safe_load(handle), origin=f"lexicons/{name}.yaml")


def test_the_place_names_table_is_checked_by_its_schema() -> None:
    assert "place_names" in TOP_LEVEL
    data = {"places": {"Ghazni": {"kind": "province", "names": {"ru": ["Газни"]}}}}
    with pytest.raises(PipelineError, match=r"key 'places/Ghazni/kind'"):
        lexicon.validate("place_names", data, origin="place_names.yaml")
    with pytest.raises(PipelineError, match=r"places/Ghazni/names"):
        lexicon.validate("place_names", {"places": {"Ghazni": {"kind": "admin1", "names": {"de": ["Ghasni"]}}}}, origin="x.yaml")


@pytest.mark.parametrize("name", SCHEMAS)
def test_every_schema_is_used(name: str) -> None:
    assert any(n == name for _, n in BUILT_IN) or name in TOP_LEVEL, f"schemas/{name}.yaml describes no lexicon"
