"""Docs are checked by tests: every command has help and is in docs/cli.md, which is generated
from --help; every setting, CSV column and attribution basis is documented."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import click
import pytest

from kwatch.cli import cli
from kwatch.export.csv import COLUMNS as CSV_COLUMNS
from kwatch.settings import SETTINGS

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = sorted(cli.list_commands(click.Context(cli)))


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help(name):
    command = cli.get_command(click.Context(cli), name)
    assert command.help and len(command.help.strip()) > 20


def test_cli_reference_is_generated_from_current_help():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "cli_docs.py"), "--check"])
    assert result.returncode == 0, "docs/cli.md is stale: run `python scripts/cli_docs.py`"


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_is_in_the_readme(name):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"kwatch {name}" in readme or re.search(rf"kwatch \[[^\]]*\] {name}", readme)


@pytest.mark.parametrize("setting", [s.name for s in SETTINGS])
def test_every_setting_is_documented(setting):
    doc = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert f"## {setting}\n" in doc


def _section(doc: str, heading: str) -> str:
    text = "\n" + (ROOT / "docs" / doc).read_text(encoding="utf-8")
    start = text.index(f"\n{heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


@pytest.mark.parametrize("column", CSV_COLUMNS)
def test_every_csv_column_is_documented(column):
    assert f"`{column}`" in _section("exports.md", "## csv")


def test_issue_13_every_attribution_basis_and_confidence_is_documented():
    from kwatch.records import ATTRIBUTION_BASES, ATTRIBUTION_CONFIDENCES, BASIS_WORDS

    bases = _section("attribution.md", "## Bases")
    assert set(BASIS_WORDS) == set(ATTRIBUTION_BASES)
    for basis in ATTRIBUTION_BASES:
        assert f"\n| `{basis}` | {BASIS_WORDS[basis]} |" in bases, basis
    confidence = _section("attribution.md", "## Confidence")
    for level in ATTRIBUTION_CONFIDENCES:
        assert f"\n| `{level}` |" in confidence, level


def test_issue_13_every_attribution_key_and_lexicon_key_is_documented():
    from kwatch import lexicon
    from kwatch.records import Attribution

    intro = _section("attribution.md", "# Attribution")
    for key in Attribution(basis="unknown").record({}):
        assert f"`{key}`" in intro.split("## Bases")[0], key
    where = _section("attribution.md", "## Where it is read")
    for key in (lexicon.schema("attribution") or {})["properties"]:
        assert f"| `{key}` |" in where, key


@pytest.mark.parametrize("action", ["confirm", "edit", "reject"])
def test_issue_14_every_review_action_is_in_the_readme(action):
    review = cli.get_command(click.Context(cli), "review")
    assert action in review.list_commands(click.Context(review))  # type: ignore[attr-defined]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"`{action} ID" in readme


def test_issue_14_the_date_rule_is_documented_as_the_code_applies_it():
    from kwatch.errors import QueryError
    from kwatch.query import check_date

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "relative dates such as `7d` or `yesterday` are refused" in readme
    for refused in ("7d", "yesterday"):
        with pytest.raises(QueryError):
            check_date("since", refused)
