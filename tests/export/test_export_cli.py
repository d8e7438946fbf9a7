"""`kwatch export` end to end: a real SQLite file, every format, one-line errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pandas as pd
import pytest
import stix2
from click.testing import CliRunner

from kwatch.cli import cli


def test_csv_with_bom_from_the_installed_program(sample_db, sample_records, tmp_path):
    out = tmp_path / "f.csv"
    result = subprocess.run([sys.executable, "-m", "kwatch", "--db", str(sample_db), "export", "--format", "csv", "-o", str(out), "--bom"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == f"Wrote {len(sample_records)} events to {out}."
    assert out.read_bytes().startswith(b"\xef\xbb\xbfevent_id,")
    frame = pd.read_csv(out, dtype={"event_id": str})
    assert list(frame["event_id"]) == [r["id"] for r in sample_records]


@pytest.mark.parametrize("fmt", ["jsonl", "geojson", "stix"])
def test_every_format_reads_back_from_standard_output(sample_db, sample_records, fmt):
    result = CliRunner().invoke(cli, ["--db", str(sample_db), "export", "--format", fmt])
    assert result.exit_code == 0, result.output
    ids = {r["id"] for r in sample_records}
    if fmt == "jsonl":
        assert {json.loads(line)["id"] for line in result.stdout.splitlines()} == ids
    elif fmt == "geojson":
        assert {f["id"] for f in json.loads(result.stdout)["features"]} == {r["id"] for r in sample_records if r["lat"] is not None}
    else:
        bundle = stix2.parse(result.stdout, allow_custom=False)
        assert {ref.external_id for o in bundle.objects if o.type in ("sighting", "note") for ref in o.external_references} == ids


def test_unknown_format_is_one_line_and_creates_no_file(sample_db, tmp_path):
    out = tmp_path / "f.xml"
    result = CliRunner().invoke(cli, ["--db", str(sample_db), "export", "--format", "xml", "-o", str(out)])
    assert result.exit_code == 1
    assert result.output.strip() == "Error: Unknown export format 'xml'. Hint: use one of: jsonl, csv, geojson, stix"
    assert not out.exists()


def test_bom_applies_to_csv_only(sample_db):
    result = CliRunner().invoke(cli, ["--db", str(sample_db), "export", "--format", "geojson", "--bom"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == ["Error: Export format 'geojson' takes no option 'bom'. Hint: options of geojson: none"]


def test_help_lists_the_registered_formats():
    result = CliRunner().invoke(cli, ["export", "--help"])
    assert "[jsonl|csv|geojson|stix]" in result.output and "--bom" in result.output


def test_api_export_passes_options_and_filters(kw, sample_records):
    buffer = io.StringIO(newline="")
    count = kw.export("csv", buffer, options={"bom": True}, type="propaganda")
    assert buffer.getvalue().startswith("\ufeffevent_id,")
    assert count == sum(1 for r in sample_records if r["type"] == "propaganda") > 0
