"""Write docs/cli.md from the `--help` of every command (tests/test_docs.py checks it is current).

usage: python scripts/cli_docs.py [--check]
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kwatch.cli import cli

DOC = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def render() -> str:
    parts = ["# CLI reference\n", "Generated from `--help` by `scripts/cli_docs.py`; do not edit by hand.\n"]
    with click.Context(cli, info_name="kwatch", terminal_width=100) as ctx:
        parts.append("## kwatch\n\n```\n" + cli.get_help(ctx) + "\n```\n")
        for name in sorted(cli.list_commands(ctx)):
            command = cli.get_command(ctx, name)
            with click.Context(command, info_name=name, parent=ctx, terminal_width=100) as sub:
                parts.append(f"## kwatch {name}\n\n```\n{command.get_help(sub)}\n```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    text = render()
    if "--check" in sys.argv:
        sys.exit(0 if DOC.read_text(encoding="utf-8") == text else 1)
    DOC.write_text(text, encoding="utf-8")
