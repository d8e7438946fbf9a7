"""Start-up (issue 14): a command imports what it uses. `kwatch --version`, `summary`, `events`
and `event` on a small store never load the ingestion side, the exporters, the web stack or the
analytics, each of which costs tenths of a second (jsonschema alone a second)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kwatch.cli import cli

HEAVY = ("jsonschema", "stix2", "pandas", "plotly", "fastapi", "uvicorn", "starlette", "trafilatura", "pypdf", "datasketch", "scipy", "httpx")

PROBE = """
import json, runpy, sys
sys.argv = ["kwatch", *json.loads(sys.argv[1])]
try:
    runpy.run_module("kwatch", run_name="__main__")
except SystemExit:
    pass
print("\\nLOADED " + json.dumps(sorted(m for m in {HEAVY} if m in sys.modules)))
"""


def _loaded(*args: str) -> list[str]:
    code = PROBE.replace("{HEAVY}", repr(HEAVY))
    done = subprocess.run([sys.executable, "-c", code, json.dumps(list(args))], capture_output=True, text=True, timeout=120)
    line = next(line for line in done.stdout.splitlines() if line.startswith("LOADED "))
    return list(json.loads(line.removeprefix("LOADED ")))


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("startup")
    report = folder / "report.txt"
    report.write_text("Kabul, 3 March 2024. A suicide bomber killed 4 people at a checkpoint in Kabul; Islamic State Khorasan Province claimed it.\n", encoding="utf-8")
    from click.testing import CliRunner

    db = folder / "small.db"
    assert CliRunner().invoke(cli, ["--db", str(db), "ingest", str(report)]).exit_code == 0
    return db


def test_version_loads_nothing_heavy() -> None:
    assert _loaded("--version") == []


@pytest.mark.parametrize("command", [["summary"], ["events"], ["events", "--json"], ["docs"], ["search", "Kabul"]])
def test_reads_load_nothing_heavy(small_store: Path, command: list[str]) -> None:
    assert _loaded("--db", str(small_store), *command) == []
