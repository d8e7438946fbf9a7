"""Docs are checked by tests: every command has help and is in docs/cli.md, which is generated
from --help; every setting is documented."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import click
import pytest

from kwatch.cli import cli
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
