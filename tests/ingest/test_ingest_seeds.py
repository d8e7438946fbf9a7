"""The shared seed corpus (../shared/corpus/seeds) reads cleanly with its manifest applied."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kwatch.ingest import ReadOptions, read_paths
from kwatch.models import RawDocument


@pytest.mark.shared
def test_seed_corpus_reads_with_manifest_fields(shared_dir: Path) -> None:
    seeds = shared_dir / "corpus" / "seeds"
    manifest = {row["doc"]: row for row in map(json.loads, (seeds / "manifest.jsonl").read_text(encoding="utf-8").splitlines())}
    docs = {Path(d.path or "").name: d for d in read_paths([seeds], options=ReadOptions()) if isinstance(d, RawDocument)}
    assert {
        name: (d.published, d.language, d.source) for name, d in docs.items()
    } == {name: (row["published"], row["language"], row["source"]) for name, row in manifest.items()}
