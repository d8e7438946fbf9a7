"""Dev harness: run the extraction pipeline over a corpus folder and write FORMAT.md records.

usage: python scripts/score_corpus.py CORPUS_DIR OUT.jsonl [--limit N]

CORPUS_DIR holds the documents and a manifest.jsonl ({"doc", "published", "language", ...}).
Prints documents, events and throughput (documents/s); score the output with
`python3 ../shared/eval/score.py GOLD OUT.jsonl --corpus CORPUS_DIR` or `kwatch.evaluate`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from kwatch.extract import build_context, extract, to_record
from kwatch.models import content_id
from kwatch.pipeline.default import build_pipeline
from kwatch.pipeline.model import PipelineDoc


def corpus_records(corpus: Path, limit: int | None = None) -> tuple[list[dict], int, float]:
    """Extract every manifest document; return the records, the document count and the seconds spent."""
    manifest = [json.loads(line) for line in (corpus / "manifest.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    if limit:
        manifest = manifest[:limit]
    docs = []
    for entry in manifest:
        text = (corpus / entry["doc"]).read_text(encoding="utf-8")
        docs.append((entry["doc"], PipelineDoc(id=content_id(text), text=text, published=entry.get("published"),
                                               language=entry.get("language"), title=entry.get("title"))))
    pipeline, ctx = build_pipeline(), build_context()
    records: list[dict] = []
    started = time.perf_counter()
    for name, doc in docs:
        result = extract(doc, pipeline=pipeline, ctx=ctx)
        records.extend(to_record(event, doc.id, name) for event in result.events or ())
    return records, len(docs), time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--limit", type=int)
    args = parser.parse_args(argv)
    records, count, seconds = corpus_records(args.corpus, args.limit)
    with args.out.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"{count} documents, {len(records)} events, {seconds:.2f} s, {count / seconds:.0f} documents/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
