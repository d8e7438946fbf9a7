"""Benchmarks (`make bench`): speed and memory, reported in the README — never asserted in tests.

Each benchmark runs in its own process so its peak memory (ru_maxrss) is its own.
    ingest      the bundled sample corpus replicated to N documents (default 10,000), no extraction
    extract     extraction over the wiki development set (../shared/eval/wiki/corpus), if present
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def replicate_sample(target: Path, documents: int) -> int:
    """Copy the sample corpus until it holds about `documents` documents, each copy made distinct
    (a marker line in text and HTML, new ids in feeds and exports) so nothing is skipped as present."""
    from kwatch.api import sample_corpus_path
    from kwatch.ingest import ReadOptions, read_paths
    from kwatch.models import RawDocument

    source = sample_corpus_path()
    per_copy = sum(1 for item in read_paths([source], options=ReadOptions()) if isinstance(item, RawDocument))
    copies = max(1, -(-documents // per_copy))
    for n in range(copies):
        dest = target / f"copy{n:05d}"
        for path in source.rglob("*"):
            if path.is_dir() or path.name.startswith("."):
                continue
            out = dest / path.relative_to(source)
            out.parent.mkdir(parents=True, exist_ok=True)
            suffix = path.suffix.lower()
            if suffix in (".txt", ".md"):
                out.write_text(path.read_text(encoding="utf-8") + f"\n\nBenchmark copy {n}.\n", encoding="utf-8")
            elif suffix in (".html", ".htm"):
                html = path.read_text(encoding="utf-8")
                out.write_text(re.sub(r"</article>|</body>", lambda m: f"<p>Benchmark copy {n}.</p>{m.group(0)}", html, count=1), encoding="utf-8")
            elif suffix == ".xml":
                xml = path.read_text(encoding="utf-8")
                xml = re.sub(r"</(title|guid|link)>", lambda m: f" {n}</{m.group(1)}>", xml)
                out.write_text(xml, encoding="utf-8")
            elif path.name == "result.json":
                data = json.loads(path.read_text(encoding="utf-8"))
                data["id"] = int(data.get("id", 0)) + n + 1
                data["name"] = f"{data.get('name', 'channel')} {n}"
                out.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            else:
                shutil.copyfile(path, out)
    return copies * per_copy


def bench_ingest(documents: int) -> dict:
    import kwatch

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        expected = replicate_sample(corpus, documents)
        with kwatch.open(str(Path(tmp) / "bench.db")) as kw:
            start = time.perf_counter()
            report, _ = kw.ingest([str(corpus)], extract=False)
            seconds = time.perf_counter() - start
        return {
            "benchmark": "ingest",
            "documents": report.new,
            "already_present": report.present,  # byte-identical copies (the PDF) are stored once
            "read": expected,
            "failed": report.failed,
            "seconds": round(seconds, 2),
            "documents_per_second": round(report.new / seconds, 1),
        }


def bench_extract() -> dict:
    from kwatch.extract import build_context, extract
    from kwatch.pipeline.default import build_pipeline
    from kwatch.pipeline.model import PipelineDoc

    corpus = SHARED / "eval" / "wiki" / "corpus"
    if not corpus.is_dir():
        return {"benchmark": "extract", "skipped": f"{corpus} is absent"}
    manifest = {json.loads(line)["doc"]: json.loads(line) for line in (corpus / "manifest.jsonl").read_text().splitlines() if line.strip()}
    docs = [
        PipelineDoc(id=name, text=(corpus / name).read_text(encoding="utf-8"), published=meta.get("published"), language="en")
        for name, meta in sorted(manifest.items())
    ]
    pipeline, ctx = build_pipeline(), build_context()
    extract(docs[0], pipeline=pipeline, ctx=ctx)  # warm caches: lexicons, gazetteer automaton
    words = sum(len(d.text.split()) for d in docs)
    start = time.perf_counter()
    events = sum(len(extract(d, pipeline=pipeline, ctx=ctx).events or ()) for d in docs)
    seconds = time.perf_counter() - start
    return {
        "benchmark": "extract",
        "documents": len(docs),
        "events": events,
        "seconds": round(seconds, 2),
        "documents_per_second": round(len(docs) / seconds, 1),
        "words_per_second": round(words / seconds),
    }


def run_one(name: str, documents: int) -> dict:
    result = bench_ingest(documents) if name == "ingest" else bench_extract()
    result["peak_memory_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("benchmarks", nargs="*", default=["ingest", "extract"], choices=["ingest", "extract"])
    parser.add_argument("--documents", type=int, default=10_000, help="documents for the ingest benchmark")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.benchmarks[0], args.documents)))
        return
    for name in args.benchmarks:
        out = subprocess.run(
            [sys.executable, __file__, name, "--one", "--documents", str(args.documents)],
            check=True, capture_output=True, text=True,
        ).stdout
        result = json.loads(out.strip().splitlines()[-1])
        print(" ".join(f"{k}={v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
