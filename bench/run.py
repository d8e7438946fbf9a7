"""Benchmarks (`make bench`): speed and memory, reported in the README — never asserted in tests.

Each benchmark runs in its own process so its peak memory (ru_maxrss) is its own.
    ingest      the bundled sample corpus replicated to N documents (default 10,000), no extraction
    extract     extraction over the wiki development set (../shared/eval/wiki/corpus), if present
    extract-news  extraction over news-length reports: the seeds (../shared/corpus/seeds) and the
                sample corpus's reports in a language with lexicons, replicated to N (default 300)
    web         API latency (p50/p99: events list, stats) at 10^5 synthetic events on SQLite, and
                requests/s with 50 concurrent clients on loopback (bench/web.py)
    extract-languages  extraction per language over the multilingual test reports
                (tests/data/multilingual/<language>/), each set replicated to N (default 300)
    resolve     event resolution (kwatch.resolve, no store) of 10^4 and 10^5 synthetic per-document
                events: real events each told by 1-3 reports with noisy dates, places and tolls
"""

from __future__ import annotations

import argparse
import dataclasses
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


def _throughput(name: str, docs: list, *, repeat: int = 1) -> dict:
    """Extract `docs` (`repeat` times over) with the default pipeline: documents/s and words/s."""
    from kwatch.extract import build_context, extract
    from kwatch.pipeline.default import build_pipeline

    pipeline, ctx = build_pipeline(), build_context()
    extract(docs[0], pipeline=pipeline, ctx=ctx)  # warm caches: lexicons, gazetteer, scanners
    words = sum(len(d.text.split()) for d in docs) * repeat
    count = len(docs) * repeat
    start = time.perf_counter()
    events = sum(len(extract(d, pipeline=pipeline, ctx=ctx).events or ()) for _ in range(repeat) for d in docs)
    seconds = time.perf_counter() - start
    return {
        "benchmark": name,
        "documents": count,
        "events": events,
        "seconds": round(seconds, 2),
        "documents_per_second": round(count / seconds, 1),
        "words_per_second": round(words / seconds),
    }


def _manifest_docs(corpus: Path) -> list:
    from kwatch.pipeline.model import PipelineDoc

    manifest = {json.loads(line)["doc"]: json.loads(line) for line in (corpus / "manifest.jsonl").read_text().splitlines() if line.strip()}
    return [
        PipelineDoc(id=name, text=(corpus / name).read_text(encoding="utf-8"), published=meta.get("published"),
                    language=meta.get("language") or "en", title=meta.get("title"))
        for name, meta in sorted(manifest.items())
    ]


def bench_extract() -> dict:
    corpus = SHARED / "eval" / "wiki" / "corpus"
    if not corpus.is_dir():
        return {"benchmark": "extract", "skipped": f"{corpus} is absent"}
    return _throughput("extract", [dataclasses.replace(d, language="en") for d in _manifest_docs(corpus)])


def bench_extract_news(documents: int) -> dict:
    """News-length reports: the seeds (about 4.7 KB each) and the bundled sample corpus's reports in
    a language extraction reads, replicated to about `documents`; the seeds alone as well."""
    from kwatch import langid
    from kwatch.api import sample_corpus_path
    from kwatch.extract import supported_languages
    from kwatch.ingest import ReadOptions, read_paths
    from kwatch.models import RawDocument
    from kwatch.pipeline.model import PipelineDoc

    sample = []
    for item in read_paths([sample_corpus_path()], options=ReadOptions()):
        if isinstance(item, RawDocument):
            language = item.language or langid.detect(item.text)
            if language in supported_languages():
                sample.append(PipelineDoc(id=item.id, text=item.text, published=item.published, language=language, title=item.title))
    seeds_dir = SHARED / "corpus" / "seeds"
    seeds = _manifest_docs(seeds_dir) if seeds_dir.is_dir() else []
    docs = seeds + sample
    result = _throughput("extract-news", docs, repeat=max(1, round(documents / len(docs))))
    result["mean_kb_per_document"] = round(sum(len(d.text) for d in docs) / len(docs) / 1000, 1)
    if seeds:
        alone = _throughput("seeds", seeds, repeat=max(1, round(documents / len(seeds))))
        result["seeds_documents_per_second"] = alone["documents_per_second"]
        result["seeds_words_per_second"] = alone["words_per_second"]
    else:
        result["seeds"] = f"{seeds_dir} is absent"
    return result


def bench_extract_languages(documents: int) -> dict:
    """Documents/s per language over the multilingual test reports (short news items), each
    language's set replicated to about `documents`."""
    data = ROOT / "tests" / "data" / "multilingual"
    result: dict = {"benchmark": "extract-languages"}
    total = 0
    for folder in sorted(json.loads((data / "baseline.json").read_text(encoding="utf-8"))):
        docs = _manifest_docs(data / folder)
        measured = _throughput(folder, docs, repeat=max(1, round(documents / len(docs))))
        total += measured["documents"]
        result[f"{folder}_documents_per_second"] = measured["documents_per_second"]
    result["documents"] = total
    return result


def synthetic_events(count: int, *, seed: int = 4) -> list[dict]:
    """About `count` per-document events: real events (province and district, day, method, toll)
    each reported by 1-3 documents that may shift the date by a day, give only the month, drop
    the place or disagree on the toll. The period grows with `count` (about 8 reports a day), so
    10x the events is 10x the work for a near-linear resolver."""
    import random
    from datetime import date

    rnd = random.Random(seed)
    provinces = [("Kabul", 34.53, 69.17), ("Nangarhar", 34.43, 70.45), ("Kunar", 34.85, 71.1), ("Baghlan", 35.94, 68.71),
                 ("Kunduz", 36.73, 68.86), ("Balkh", 36.71, 67.11), ("Herat", 34.35, 62.2), ("Kandahar", 31.61, 65.71)]  # fmt: skip
    start = date(2020, 1, 1).toordinal()
    events: list[dict] = []
    real = 0
    while len(events) < count:
        real += 1
        province, lat, lon = rnd.choice(provinces)
        district = rnd.randrange(40)  # each district its own town and coordinates
        lat, lon = lat + (district % 7) * 0.08, lon + (district // 7) * 0.08
        day = start + rnd.randrange(max(1, count // 8))
        kind = rnd.choice(["attack", "attack", "attack", "raid", "arrest"])
        method, killed = rnd.choice(["bombing", "suicide_bombing", "shooting"]), rnd.randrange(0, 40)
        for report in range(rnd.choice([1, 1, 2, 3])):
            when = date.fromordinal(day + rnd.choice([0, 0, 0, 1]))
            text = when.isoformat() if rnd.random() > 0.1 else when.isoformat()[:7]
            events.append(
                {
                    "id": f"{real:07d}{report}", "document_id": f"doc{real}-{report}", "type": kind, "date": text,
                    "country": "AF", "admin1": province, "admin2": None, "place": None if rnd.random() < 0.3 else f"{province} town {district}",
                    "geo_precision": "town", "lat": lat, "lon": lon, "actor": "ISKP" if kind == "attack" else "Taliban",
                    "claimed": rnd.choice([None, True]), "method": method if kind == "attack" else None, "target": None,
                    "killed": killed + rnd.choice([0, 0, 2, 5]) if rnd.random() > 0.2 else None, "injured": None,
                    "killed_claimed": None, "injured_claimed": None, "medium": None, "languages": [], "outlet": None,
                    "detail": {}, "sources": [],
                }
            )  # fmt: skip
    return events[:count]


def bench_resolve() -> dict:
    from kwatch.resolve import resolve

    result: dict = {"benchmark": "resolve"}
    for count in (10_000, 100_000):
        events = synthetic_events(count)
        start = time.perf_counter()
        resolved = resolve(events)
        seconds = time.perf_counter() - start
        label = f"{count:.0e}".replace("+0", "")
        result[f"seconds_{label}"] = round(seconds, 2)
        result[f"events_per_second_{label}"] = round(count / seconds)
        result[f"resolved_{label}"] = len(resolved)
    # near-linear: 10x the events should cost about 10x the time
    result["time_ratio_1e5_vs_1e4"] = round(result["seconds_1e5"] / result["seconds_1e4"], 1)
    return result


def run_one(name: str, documents: int) -> dict:
    if name == "resolve":
        result = bench_resolve()
    elif name == "ingest":
        result = bench_ingest(documents)
    elif name == "extract-news":
        result = bench_extract_news(documents)
    elif name == "extract-languages":
        result = bench_extract_languages(documents)
    elif name == "web":
        from web import WEB_EVENTS, bench_web  # bench/web.py

        result = bench_web(WEB_EVENTS)
    else:
        result = bench_extract()
    result["peak_memory_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return result


BENCHMARKS = ("ingest", "extract", "extract-news", "extract-languages", "web", "resolve")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("benchmarks", nargs="*", metavar="BENCHMARK", help=f"any of {', '.join(BENCHMARKS)} (default: all)")
    parser.add_argument("--documents", type=int, default=None,
                        help="documents for the ingest benchmark (10,000), the extract-news one (300) and "
                             "per language for extract-languages (300)")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    unknown = [name for name in args.benchmarks if name not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    args.benchmarks = args.benchmarks or list(BENCHMARKS)
    if args.one:
        print(json.dumps(run_one(args.benchmarks[0], args.documents)))
        return
    for name in args.benchmarks:
        documents = args.documents or (300 if name in ("extract-news", "extract-languages") else 10_000)
        out = subprocess.run(
            [sys.executable, __file__, name, "--one", "--documents", str(documents)],
            check=True, capture_output=True, text=True,
        ).stdout
        result = json.loads(out.strip().splitlines()[-1])
        print(" ".join(f"{k}={v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
