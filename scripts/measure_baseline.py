"""Measure the quality gate's figures on the shared sets; with --update, rewrite the baseline.

usage: python scripts/measure_baseline.py [--update [--allow-lower]] [--shared DIR]

Without --update it prints every figure beside its floor in tests/eval/baseline.json and each
corpus hash beside the recorded one, and changes nothing. With --update it writes the measured
figures (rounded down to three decimals) as the new floors, the test-split figures as `reported`,
and the hash of every corpus. A floor that would go down is refused unless --allow-lower is given:
lowering one is a deliberate commit with the reason in its message (CONTRIBUTING.md).

tests/eval/ imports this module: the gate and this script measure with the same code.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BASELINE_PATH = ROOT / "tests" / "eval" / "baseline.json"
COMMAND = "python scripts/measure_baseline.py --update"
COMMENT = (
    "Floors for tests/eval/test_quality_gate.py and the hash of each corpus they were measured on, written by "
    f"`{COMMAND}` (docs/evaluation.md). Raising or lowering a floor is a deliberate, reviewed commit; `reported` is never gated."
)

#: set name -> (gold file, corpus folder), relative to ../shared
SETS: dict[str, tuple[str, str]] = {
    "seeds": ("eval/seeds.gold.jsonl", "corpus/seeds"),
    "wiki": ("eval/wiki/gold.jsonl", "eval/wiki/corpus"),
    "en": ("eval/real/en/gold.jsonl", "eval/real/en/corpus"),
    "fa_ps": ("eval/real/fa_ps/gold.jsonl", "eval/real/fa_ps/corpus"),
    "ru_tg_uz_ur": ("eval/real/ru_tg_uz_ur/gold.jsonl", "eval/real/ru_tg_uz_ur/corpus"),
}
REAL = ("en", "fa_ps", "ru_tg_uz_ur")
#: the splits of each set (None: the whole set, which has no split in its manifest)
SPLITS: dict[str, tuple[str | None, ...]] = {"seeds": (None,), "wiki": (None,), **{name: (None, "dev", "test") for name in REAL}}

WIKI_FIELDS = ("event", "killed", "injured", "method", "country", "place", "actor", "date")
END_TO_END = {"seeds_score": ("seeds", "score"), **{f"wiki_{f}": ("wiki", f) for f in ("event", "killed", "injured", "date", "country")}}
#: what is gated on the dev split of each real set (and reported on its test split)
#: (the fields most events have; method, target and injured have too few values per split to gate)
#: (`event_precision`: one real event, one record — a duplicate is a spurious event; issue 12)
REAL_FIGURES = ("score", "event", "event_precision", "event_recall", "date", "country", "admin1", "actor", "killed")

#: a baseline entry: (section, set, key) -> how it is measured: (set, mode, split, figure)
Entry = tuple[str, str | None, str]


def paths(shared: Path, name: str) -> tuple[Path, Path]:
    gold, corpus = SETS[name]
    return shared / gold, shared / corpus


def figure(report: Any, key: str) -> float:
    """`score`, `event` (the event F1), its precision or recall, or a field's F1 (0 when the field
    was never scored)."""
    if key == "score":
        return float(report.score)
    if key == "event":
        return float(report.events.f1)
    if key in ("event_precision", "event_recall"):
        return float(getattr(report.events, key.removeprefix("event_")))
    counts = report.fields.get(key)
    return float(counts.f1) if counts is not None else 0.0


def gated() -> Iterator[tuple[str, str, str, tuple[str, str, str | None, str]]]:
    """Every floor of the baseline: (section, subsection, key, (set, mode, split, figure))."""
    yield "seeds", "", "score", ("seeds", "pipeline", None, "score")
    for key in WIKI_FIELDS:
        yield "wiki", "", key, ("wiki", "pipeline", None, key)
    for key, (name, fig) in END_TO_END.items():
        yield "end_to_end", "", key, (name, "end_to_end", None, fig)
    for name in REAL:
        for key in REAL_FIGURES:
            yield "real", name, key, (name, "end_to_end", "dev", key)


def reported() -> Iterator[tuple[str, str, tuple[str, str, str | None, str]]]:
    """The figures written down but never gated: the test split of each real set."""
    for name in REAL:
        for key in REAL_FIGURES:
            yield name, key, (name, "end_to_end", "test", key)


def pipeline_records(corpus: Path) -> list[dict[str, Any]]:
    """The default pipeline alone (no store, no resolution across documents) over a corpus."""
    from kwatch.evaluate import read_manifest
    from kwatch.extract import build_context, extract, to_record
    from kwatch.models import content_id
    from kwatch.pipeline.default import build_pipeline
    from kwatch.pipeline.model import PipelineDoc

    pipeline, ctx = build_pipeline(), build_context()
    records: list[dict[str, Any]] = []
    for entry in read_manifest(corpus):
        text = (corpus / entry["doc"]).read_text(encoding="utf-8")
        doc = PipelineDoc(id=content_id(text), text=text, published=entry.get("published"), language=entry.get("language"))
        result = extract(doc, pipeline=pipeline, ctx=ctx)
        records.extend(to_record(event, doc.id, entry["doc"]) for event in result.events or ())
    return records


class Measurer:
    """Reports per (set, mode, split), extracting each set once per mode and reusing it.

    mode `pipeline`: the default pipeline alone; `end_to_end`: what `kwatch eval` does (ingest
    into a store, extract, resolve across documents), exported once to `workdir/<set>.jsonl`.
    """

    def __init__(self, shared: Path, workdir: Path) -> None:
        self.shared, self.workdir = shared, workdir
        self._pipeline: dict[str, list[dict[str, Any]]] = {}
        self._reports: dict[tuple[str, str, str | None], Any] = {}

    def export(self, name: str) -> Path:
        """The end-to-end predictions of a set, as `kwatch eval --save-predictions` writes them."""
        from kwatch.api import evaluate_corpus

        path = self.workdir / f"{name}.jsonl"
        if not path.exists():
            gold, corpus = paths(self.shared, name)
            evaluate_corpus(gold, corpus, save_predictions=path)
        return path

    def report(self, name: str, mode: str, split: str | None = None) -> Any:
        from kwatch.api import evaluate_corpus
        from kwatch.evaluate import load_jsonl, only_split, score, split_documents

        key = (name, mode, split)
        if key not in self._reports:
            gold, corpus = paths(self.shared, name)
            if mode == "end_to_end":
                self._reports[key] = evaluate_corpus(gold, corpus, split=split, predictions=self.export(name))
            else:
                if name not in self._pipeline:
                    self._pipeline[name] = pipeline_records(corpus)
                gold_records, pred = load_jsonl(gold), self._pipeline[name]
                if split is not None:
                    gold_records, pred = only_split(gold_records, pred, split_documents(corpus, split))
                self._reports[key] = score(gold_records, pred, corpus=corpus)
        return self._reports[key]

    def value(self, how: tuple[str, str, str | None, str]) -> float:
        name, mode, split, key = how
        return figure(self.report(name, mode, split), key)


def hashes(shared: Path) -> dict[str, dict[str, str]]:
    from kwatch.evaluate import corpus_hash

    return {name: {"gold": gold, "corpus": corpus, "sha256": corpus_hash(*paths(shared, name))} for name, (gold, corpus) in SETS.items()}


def floor3(value: float) -> float:
    return math.floor(value * 1000 + 1e-9) / 1000


def lookup(baseline: dict[str, Any], section: str, sub: str, key: str) -> float | None:
    node = baseline.get(section, {})
    if sub:
        node = node.get(sub, {})
    value = node.get(key)
    return float(value) if value is not None else None


def build(
    measure: Callable[[tuple[str, str, str | None, str]], float], corpora: dict[str, dict[str, str]], old: dict[str, Any], *, allow_lower: bool
) -> tuple[dict[str, Any], list[str]]:
    """The new baseline and the floors that would go down (kept at their old value unless allow_lower)."""
    new: dict[str, Any] = {"_comment": COMMENT, "corpora": corpora}
    lowered = []
    for section, sub, key, how in gated():
        value = floor3(measure(how))
        before = lookup(old, section, sub, key)
        if before is not None and value < before:
            lowered.append(f"{section}{'.' + sub if sub else ''}.{key}: {before:.3f} -> {value:.3f}")
            if not allow_lower:
                value = before
        node = new.setdefault(section, {})
        (node.setdefault(sub, {}) if sub else node)[key] = value
    for name, key, how in reported():
        new.setdefault("reported", {}).setdefault(name, {}).setdefault("test", {})[key] = round(measure(how), 3)
    return new, lowered


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="rewrite tests/eval/baseline.json with the measured floors, reported figures and hashes")
    parser.add_argument("--allow-lower", action="store_true", help="with --update: let a floor go down (say why in the commit message)")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="the shared data folder (default: ../shared)")
    args = parser.parse_args(argv)
    if not (args.shared / "eval" / "FORMAT.md").is_file():
        parser.error(f"{args.shared} is not the shared data folder (no eval/FORMAT.md)")
    old = json.loads(BASELINE_PATH.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="kwatch-measure-") as tmp:
        measurer = Measurer(args.shared, Path(tmp))
        new, lowered = build(measurer.value, hashes(args.shared), old, allow_lower=args.allow_lower)
        measured = {how: measurer.value(how) for *_, how in gated()}
    for name, entry in new["corpora"].items():
        before = old.get("corpora", {}).get(name, {}).get("sha256")
        print(f"corpus {name:12} {entry['sha256'][:16]}  {'unchanged' if before == entry['sha256'] else 'CHANGED (was ' + str(before)[:16] + ')'}")
    for section, sub, key, how in gated():
        before = lookup(old, section, sub, key)
        print(f"{section + ('.' + sub if sub else '') + '.' + key:32} floor {before if before is not None else '-':>6}  measured {measured[how]:.4f}")
    for name, figures in new["reported"].items():
        print(f"reported {name} test: " + ", ".join(f"{k} {v:.3f}" for k, v in figures["test"].items()))
    if lowered:
        print(("lowered (--allow-lower): " if args.allow_lower else "would lower (kept; give --allow-lower to lower them): ") + "; ".join(lowered))
    if args.update and lowered and not args.allow_lower:
        print("baseline not written: a floor would go down")
        return 1
    if args.update:
        BASELINE_PATH.write_text(json.dumps(new, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {BASELINE_PATH.relative_to(ROOT)}: commit it, with the reason for any floor that moved")
    return 0


if __name__ == "__main__":
    sys.exit(main())
