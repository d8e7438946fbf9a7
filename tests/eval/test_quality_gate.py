"""Quality gate: the scores on the seed and wiki corpora must not drop.

Runs the default pipeline directly (no store) over ../shared/corpus/seeds and
../shared/eval/wiki, and end to end as `kwatch eval` does (ingest into a store, extract, resolve
across documents); scores both with kwatch.evaluate and compares every figure with
`baseline.json`. A figure more than `TOLERANCE` below its floor fails the test.

Raising a floor is a deliberate commit: after an improvement, edit `baseline.json` by hand to the
new figures (rounded down) in the same commit as the change, so a later regression is caught.
Lowering a floor needs the same explicit edit, with the reason in the commit message.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kwatch.evaluate import Report, load_jsonl, score
from kwatch.extract import build_context, extract, to_record
from kwatch.models import content_id
from kwatch.pipeline.default import build_pipeline
from kwatch.pipeline.model import PipelineDoc

BASELINE = json.loads((Path(__file__).parent / "baseline.json").read_text(encoding="utf-8"))
TOLERANCE = 0.005
WIKI_FIELDS = [name for name in BASELINE["wiki"] if name != "event"]


def _run_corpus(corpus: Path) -> list[dict]:
    pipeline, ctx = build_pipeline(), build_context()
    records: list[dict] = []
    for line in (corpus / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        entry = json.loads(line)
        text = (corpus / entry["doc"]).read_text(encoding="utf-8")
        doc = PipelineDoc(id=content_id(text), text=text, published=entry.get("published"), language=entry.get("language"))
        result = extract(doc, pipeline=pipeline, ctx=ctx)
        records.extend(to_record(event, doc.id, entry["doc"]) for event in result.events or ())
    return records


@pytest.fixture(scope="module")
def seeds_report(shared_dir: Path) -> Report:
    corpus = shared_dir / "corpus" / "seeds"
    return score(load_jsonl(shared_dir / "eval" / "seeds.gold.jsonl"), _run_corpus(corpus), corpus=corpus)


@pytest.fixture(scope="module")
def wiki_report(shared_dir: Path) -> Report:
    wiki = shared_dir / "eval" / "wiki"
    return score(load_jsonl(wiki / "gold.jsonl"), _run_corpus(wiki / "corpus"))


def test_seeds_score(seeds_report: Report) -> None:
    assert seeds_report.score >= BASELINE["seeds"]["score"] - TOLERANCE


def test_seeds_quotes_are_verbatim(seeds_report: Report) -> None:
    assert seeds_report.quotes_found == seeds_report.quotes


def test_wiki_event_f1(wiki_report: Report) -> None:
    assert wiki_report.events.f1 >= BASELINE["wiki"]["event"] - TOLERANCE


@pytest.mark.parametrize("name", WIKI_FIELDS)
def test_wiki_field_f1(wiki_report: Report, name: str) -> None:
    assert wiki_report.fields[name].f1 >= BASELINE["wiki"][name] - TOLERANCE


# -- end to end: what `kwatch eval` measures (ingest into a store, extract, resolve across documents)


@pytest.fixture(scope="module")
def seeds_end_to_end(shared_dir: Path) -> Report:
    from kwatch.api import evaluate_corpus

    return evaluate_corpus(shared_dir / "eval" / "seeds.gold.jsonl", shared_dir / "corpus" / "seeds")


@pytest.fixture(scope="module")
def wiki_end_to_end(shared_dir: Path) -> Report:
    from kwatch.api import evaluate_corpus

    return evaluate_corpus(shared_dir / "eval" / "wiki" / "gold.jsonl", shared_dir / "eval" / "wiki" / "corpus")


def test_seeds_end_to_end_score(seeds_end_to_end: Report) -> None:
    assert seeds_end_to_end.score >= BASELINE["end_to_end"]["seeds_score"] - TOLERANCE


@pytest.mark.parametrize("name", ["event", "killed", "injured", "date", "country"])
def test_wiki_end_to_end(wiki_end_to_end: Report, name: str) -> None:
    figure = wiki_end_to_end.events.f1 if name == "event" else wiki_end_to_end.fields[name].f1
    assert figure >= BASELINE["end_to_end"][f"wiki_{name}"] - TOLERANCE
