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
    resolve     event resolution (kwatch.resolve, no store) of 10^5 and 10^6 synthetic per-document
                events (each size in its own process): real events each told by 1-3 reports with
                noisy dates, places and tolls, 5% of them undated, each with a sentence and a
                document published on the day or the next; candidate pairs and blocking time
    resolve-incremental  10^2 new events into a resolution of 10^6 (pure functions: the part
                resolved again and its time), and into a SQLite store of N synthetic events
                (default 10^5; `kwatch resolve`: full, then incremental, checked equal to a full
                resolution)
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
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


def synthetic_events(count: int, *, seed: int = 4, days: int | None = None, prefix: str = "") -> list[dict]:
    """About `count` per-document events: real events (province and district, day, method, toll)
    each reported by 1-3 documents that may shift the date by a day, give only the month, drop
    the place or disagree on the toll. The period grows with `count` (about 8 reports a day), so
    10x the events is 10x the work for a near-linear resolver; `days` sets it instead."""
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
        day = start + rnd.randrange(days or max(1, count // 8))
        kind = rnd.choice(["attack", "attack", "attack", "raid", "arrest"])
        method, killed = rnd.choice(["bombing", "suicide_bombing", "shooting"]), rnd.randrange(0, 40)
        for report in range(rnd.choice([1, 1, 2, 3])):
            when = date.fromordinal(day + rnd.choice([0, 0, 0, 1]))
            text = when.isoformat() if rnd.random() > 0.1 else when.isoformat()[:7]
            events.append(
                {
                    "id": f"{prefix}{real:07d}{report}", "document_id": f"{prefix}doc{real}-{report}", "type": kind, "date": text,
                    "country": "AF", "admin1": province, "admin2": None, "place": None if rnd.random() < 0.3 else f"{province} town {district}",
                    "geo_precision": "town", "lat": lat, "lon": lon, "actor": "ISKP" if kind == "attack" else "Taliban",
                    "claimed": rnd.choice([None, True]), "method": method if kind == "attack" else None, "target": None,
                    "killed": killed + rnd.choice([0, 0, 2, 5]) if rnd.random() > 0.2 else None, "injured": None,
                    "killed_claimed": None, "injured_claimed": None, "medium": None, "languages": [], "outlet": None,
                    "detail": {}, "sources": [],
                }
            )  # fmt: skip
    return events[:count]


#: Words of the synthetic sentences beside the place, method and toll: names, mostly rare.
_NAMES = 20_000


def with_reports(events: list[dict], *, seed: int = 7, undated: float = 0.05) -> tuple[list[dict], dict]:
    """`events` as reports: each a sentence (its town, method, toll and three names, so reports
    of one event share some rare words), a share of them `undated`, and each document published
    on the event's day or the next (a fifth undated). Returns the events and their documents."""
    import random
    from datetime import date, timedelta

    from kwatch.resolve import DocumentInfo

    rnd = random.Random(seed)
    documents = {}
    out = []
    for event in events:
        real = event["id"][:-1]
        names = random.Random(real).sample(range(_NAMES), 6)  # the event's own names; a report gives three
        words = [event["place"] or event["admin1"], event["method"] or event["type"], str(event["killed"] or ""),
                 *(f"name{n}" for n in rnd.sample(names, 3))]  # fmt: skip
        quote = " ".join(w for w in words if w)
        published = None
        if event["date"] and len(event["date"]) == 10 and rnd.random() > 0.2:
            published = (date.fromisoformat(event["date"]) + timedelta(days=rnd.choice([0, 1]))).isoformat()
        documents[event["document_id"]] = DocumentInfo(event["document_id"], event["document_id"], published=published)
        source = {"document_id": event["document_id"], "quote": quote, "start": 0, "end": len(quote), "fields": []}
        out.append({**event, "date": None if rnd.random() < undated else event["date"], "sources": [source]})
    return out, documents


def _label(count: int) -> str:
    return f"{count:.0e}".replace("+0", "")


def bench_resolve_one(count: int) -> dict:
    from kwatch.resolve import resolve
    from kwatch.resolve.blocking import candidate_pairs
    from kwatch.resolve.members import Member

    events, documents = with_reports(synthetic_events(count))
    label = _label(count)
    result: dict = {"benchmark": f"resolve-{label}", "events": count, "undated": sum(1 for e in events if e["date"] is None)}
    members = {e["id"]: Member.of(e) for e in events}
    gc.disable()  # as resolve() runs it: the cyclic collector's passes over millions of objects are not blocking's
    start = time.perf_counter()
    pairs = sum(1 for _ in candidate_pairs(members, documents))
    result["blocking_seconds"] = round(time.perf_counter() - start, 2)
    gc.enable()
    result["candidate_pairs"] = pairs
    result["pairs_per_event"] = round(pairs / count, 1)
    del members
    start, cpu = time.perf_counter(), time.process_time()
    resolved = resolve(events, documents=documents)
    seconds = time.perf_counter() - start
    result["seconds"] = round(seconds, 2)
    result["cpu_seconds"] = round(time.process_time() - cpu, 2)  # the machine is shared: CPU time is steadier
    result["events_per_second"] = round(count / seconds)
    result["resolved"] = len(resolved)
    return result


def bench_resolve() -> dict:
    """10^5 and 10^6, each in its own process (its own peak memory)."""
    result: dict = {"benchmark": "resolve"}
    for count in (100_000, 1_000_000):
        one = _subprocess("resolve-one", count)
        label = _label(count)
        for key in ("seconds", "cpu_seconds", "events_per_second", "blocking_seconds", "candidate_pairs", "pairs_per_event", "resolved", "undated", "peak_memory_mb"):
            result[f"{key}_{label}"] = one[key]
    # near-linear: 10x the events should cost about 10x the time
    result["time_ratio_1e6_vs_1e5"] = round(result["seconds_1e6"] / result["seconds_1e5"], 1)
    result["cpu_ratio_1e6_vs_1e5"] = round(result["cpu_seconds_1e6"] / result["cpu_seconds_1e5"], 1)
    result["pairs_ratio_1e6_vs_1e5"] = round(result["candidate_pairs_1e6"] / result["candidate_pairs_1e5"], 1)
    return result


NEW_EVENTS = 100


def bench_resolve_incremental(count: int = 1_000_000, store_count: int = 100_000) -> dict:
    """10^2 new events: into a resolution of 10^6 held in memory (`resolve_part`; the part and its
    time), and into a SQLite store of 10^5 (`resolve_store`: full, then incremental)."""
    from kwatch.resolve import resolve
    from kwatch.resolve.incremental import Changes, MemoryResolution, index_of, resolve_part

    result: dict = {"benchmark": "resolve-incremental"}
    label = _label(count)
    events, documents = with_reports(synthetic_events(count))
    new, new_documents = with_reports(synthetic_events(NEW_EVENTS, seed=11, days=count // 8, prefix="n"), seed=12)
    documents.update(new_documents)
    start, cpu = time.perf_counter(), time.process_time()
    first = resolve(events, documents=documents)
    result[f"full_seconds_{label}"] = round(time.perf_counter() - start, 2)
    result[f"full_cpu_seconds_{label}"] = round(time.process_time() - cpu, 2)
    gc.disable()  # as resolve_store runs it
    start = time.perf_counter()
    keys = index_of(events, documents)
    result[f"index_seconds_{label}"] = round(time.perf_counter() - start, 2)
    gc.enable()
    previous = MemoryResolution(events + new, resolved=first, keys=keys, documents=documents)
    start, cpu = time.perf_counter(), time.process_time()
    part = resolve_part(previous, Changes(dirty=frozenset(e["id"] for e in new)))
    result[f"part_seconds_{label}"] = round(time.perf_counter() - start, 3)
    result[f"part_cpu_seconds_{label}"] = round(time.process_time() - cpu, 3)
    if part is not None:
        result.update({f"part_events_{label}": part.events, f"part_context_{label}": part.context,
                       f"part_replaced_{label}": len(part.removed), f"part_touched_{label}": part.touched})  # fmt: skip
        result[f"cpu_speedup_{label}"] = round(result[f"full_cpu_seconds_{label}"] / result[f"part_cpu_seconds_{label}"])
    del first, previous, events, keys
    result.update(_incremental_store(store_count))
    return result


def _incremental_store(count: int) -> dict:
    """A SQLite store of `count` synthetic events, resolved in full; then 10^2 new ones resolved
    incrementally, and the stored resolution checked against a full one."""
    from datetime import UTC, datetime

    import sqlalchemy as sa

    import kwatch
    from kwatch.models import RawDocument, date_precision
    from kwatch.store.database import _event_rows
    from kwatch.store.schema import documents as documents_table
    from kwatch.store.schema import event_sources
    from kwatch.store.schema import events as events_table

    events, docs = with_reports(synthetic_events(count))
    new, new_docs = with_reports(synthetic_events(NEW_EVENTS, seed=11, days=count // 8, prefix="n"), seed=12)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    label = _label(count)
    result: dict = {}
    with tempfile.TemporaryDirectory() as tmp, kwatch.open(str(Path(tmp) / "bench.db")) as kw:
        # The bulk of the store straight into its tables (documents without full text), in one
        # transaction: adding 10^5 documents one by one would measure ingestion.
        by_doc: dict[str, list] = {}
        for event in events:
            by_doc.setdefault(event["document_id"], []).append(event)
        rows, event_rows, source_rows = [], [], []
        for doc_id, held in by_doc.items():
            text = f"Synthetic report {doc_id}."
            rows.append({"id": doc_id, "kind": "text", "text": text, "chars": len(text), "meta": {}, "ingested_at": now, "published": docs[doc_id].published,
                         "published_precision": date_precision(docs[doc_id].published), "extract_status": "ok", "extracted_at": now})  # fmt: skip
            made, sources = _event_rows(doc_id, [{k: v for k, v in e.items() if k != "document_id"} for e in held], created_at=now)
            event_rows += made
            source_rows += sources
        with kw.store._engine.begin() as conn:
            for table, batch in ((documents_table, rows), (events_table, event_rows), (event_sources, source_rows)):
                for i in range(0, len(batch), 5000):
                    conn.execute(sa.insert(table), batch[i : i + 5000])
        start = time.perf_counter()
        kw.resolve()
        result[f"store_full_seconds_{label}"] = round(time.perf_counter() - start, 2)
        for doc_id in sorted({e["document_id"] for e in new}):
            held = [{k: v for k, v in e.items() if k != "document_id"} for e in new if e["document_id"] == doc_id]
            raw = RawDocument(text=f"Synthetic report {doc_id}.", kind="text", published=new_docs[doc_id].published)
            made = kw.store.add_document(raw, ingested_at=now)
            kw.store.set_extraction(made.id, status="ok", note=None, events=[{**e, "sources": [{**s, "document_id": made.id} for s in e["sources"]]} for e in held])
        start = time.perf_counter()
        report = kw.resolve()
        result[f"store_incremental_seconds_{label}"] = round(time.perf_counter() - start, 2)
        result[f"store_incremental_redone_{label}"] = report.redone
        stored = kw.store.resolved_events()
        start = time.perf_counter()
        kw.resolve(full=True)
        result[f"store_full_again_seconds_{label}"] = round(time.perf_counter() - start, 2)
        result[f"store_incremental_equals_full_{label}"] = kw.store.resolved_events() == stored
        result[f"store_speedup_{label}"] = round(result[f"store_full_seconds_{label}"] / result[f"store_incremental_seconds_{label}"], 1)
    return result


def _subprocess(name: str, documents: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, name, "--one", "--documents", str(documents)],
        check=True, capture_output=True, text=True,
    ).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def run_one(name: str, documents: int) -> dict:
    if name == "resolve":
        result = bench_resolve()
    elif name == "resolve-one":
        result = bench_resolve_one(documents)
    elif name == "resolve-incremental":
        result = bench_resolve_incremental(store_count=documents)
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


#: `--documents` when it is not given, per benchmark (else 10,000)
DEFAULT_DOCUMENTS = {"extract-news": 300, "extract-languages": 300, "resolve-incremental": 100_000}
BENCHMARKS = ("ingest", "extract", "extract-news", "extract-languages", "web", "resolve", "resolve-incremental")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("benchmarks", nargs="*", metavar="BENCHMARK", help=f"any of {', '.join(BENCHMARKS)} (default: all)")
    parser.add_argument("--documents", type=int, default=None,
                        help="documents for the ingest benchmark (10,000), the extract-news one (300), "
                             "per language for extract-languages (300), and the SQLite store's events "
                             "for resolve-incremental (100,000)")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    unknown = [name for name in args.benchmarks if name not in (*BENCHMARKS, "resolve-one")]
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    args.benchmarks = args.benchmarks or list(BENCHMARKS)
    if args.one:
        print(json.dumps(run_one(args.benchmarks[0], args.documents)))
        return
    for name in args.benchmarks:
        documents = args.documents or DEFAULT_DOCUMENTS.get(name, 10_000)
        result = _subprocess(name, documents)
        print(" ".join(f"{k}={v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
