"""Fit the pair model of resolution and write src/kwatch/data/resolution_model.json (`make train`).

usage: python scripts/fit_resolution.py [--shared DIR] [--check] [--cache DIR]

Reads the gold sets of ../shared (the dev split of each real set, the wiki set, the seeds),
and our own test corpora with gold (OWN), extracts each corpus with the default pipeline, labels the pairs of members by their gold records
(`kwatch.resolve.training`) and fits a logistic regression (scipy) on the features of
`kwatch.resolve.features`. The weights, the training summary and the hash of every corpus go
into resolution_model.json. Test splits are never read. `--check` fits and compares with the shipped file
instead of writing it (exit 1 when they differ); `--cache DIR` keeps the extracted events
between runs (delete it when the pipeline changes).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "src" / "kwatch" / "data" / "resolution_model.json"
#: name -> (gold file, corpus folder, split), relative to ../shared
SETS: dict[str, tuple[str, str, str | None]] = {
    "seeds": ("eval/seeds.gold.jsonl", "corpus/seeds", None),
    "wiki": ("eval/wiki/gold.jsonl", "eval/wiki/corpus", None),
    "real/en": ("eval/real/en/gold.jsonl", "eval/real/en/corpus", "dev"),
    "real/fa_ps": ("eval/real/fa_ps/gold.jsonl", "eval/real/fa_ps/corpus", "dev"),
    "real/ru_tg_uz_ur": ("eval/real/ru_tg_uz_ur/gold.jsonl", "eval/real/ru_tg_uz_ur/corpus", "dev"),
}
#: our own test corpora with gold (paths relative to the project)
OWN: dict[str, tuple[str, str, str | None]] = {
    "own/resolution": ("tests/data/resolution_gold.jsonl", "tests/data/resolution", None),
    "own/sample": ("tests/data/sample_gold.jsonl", "src/kwatch/sample_corpus", None),
}
DIGITS = 4


def training_pairs(shared: Path, cache: Path | None = None) -> tuple[list[Any], dict[str, str]]:
    from kwatch.evaluate import load_jsonl
    from kwatch.resolve import training
    from kwatch.resolve.members import DocumentInfo

    found: list[Any] = []
    hashes: dict[str, str] = {}
    sets = {name: (shared / g, shared / c, s) for name, (g, c, s) in SETS.items()} | {name: (ROOT / g, ROOT / c, s) for name, (g, c, s) in OWN.items()}
    for name, (gold_path, corpus, split) in sets.items():
        hashes[name] = training.corpus_hash(corpus, gold_path)
        cached = cache / f"{name.replace('/', '_')}-{hashes[name][:16]}.json" if cache else None
        if cached is not None and cached.exists():
            data = json.loads(cached.read_text(encoding="utf-8"))
            events, documents = data["events"], {k: DocumentInfo(**v) for k, v in data["documents"].items()}
        else:
            # our own corpora hold HTML, PDF, feeds and Telegram exports: read as `kwatch ingest` does
            events, documents = training.stored_input(corpus) if name.startswith("own/") else training.corpus_input(corpus, split=split)
            if cached is not None:
                cached.parent.mkdir(parents=True, exist_ok=True)
                plain = {k: {"id": d.id, "name": d.name, "published": d.published, "source": d.source, "language": d.language} for k, d in documents.items()}
                cached.write_text(json.dumps({"events": events, "documents": plain}, ensure_ascii=False), encoding="utf-8")
        gold = [g for g in load_jsonl(gold_path) if split is None or g.get("split") == split]
        found.extend(training.pairs(name, events, documents, gold))
    return found, hashes


#: What an analyst expects each feature to weigh (log-odds of one incident) before seeing the
#: pairs: the fit starts here and moves as far as the evidence carries it (a Gaussian prior of
#: width PRIOR_SD around these). Few incidents are told by several reports in the gold sets, so
#: a fit from zero would learn accidents of a few pairs; this one learns corrections.
PRIOR: dict[str, float] = {
    "same_day": 2.0,
    "days_apart": 0.5,
    "far_apart": -3.0,
    "period_holds_day": 0.5,
    "reported_after": 1.0,
    "publication_day": 0.0,
    "undated": -0.5,
    "undated_in_report": 0.5,
    # An undated report's "22 March" fits one day in 365 by chance, its "Wednesday" one in seven.
    "hint_fits": 2.5,
    "weekday_fits": 1.0,
    "hint_near": 0.5,
    # A publication day bounds the event to four days: a day and month in them is strong, a
    # weekday in them fits four days in seven by chance.
    "hint_in_window": 2.0,
    "weekday_in_window": 0.3,
    "hint_other": -1.5,
    "weekday_other": -0.5,
    "reported_soon": 0.5,
    "reported_other": -1.0,
    "same_place": 1.5,
    "same_site": 1.5,
    "other_place": -1.5,
    "same_admin": 1.0,
    "other_admin": -2.0,
    "same_country": 0.5,
    "unplaced": -0.5,
    "same_actor": 0.5,
    "same_method": 0.5,
    "other_method": -1.0,
    "same_target": 0.3,
    "other_target": -0.3,
    "same_figures": 1.0,
    "other_figures": 0.0,  # conflicting figures never argue against one event
    "shared_words": 4.0,
    # Reports in two languages share only names, few of them, and two reports of different
    # incidents share some (a minister, a district, the names the fields do not compare): an
    # overlap of names says less than the same overlap of words.
    "shared_names": 1.0,
    "only_candidates": 1.0,
    "same_document": 0.0,
    "same_language": 0.0,
    "same_release": 1.0,
}
#: What a feature can mean is not for the fit to turn round: agreement is never evidence of two
#: events, disagreement never of one, and figures that disagree never argue against a merge
#: (reports of one attack give different tolls; that is what per-source figures are for).
SIGNS: dict[str, tuple[float | None, float | None]] = {
    **{n: (0.0, None) for n in PRIOR if n.startswith("same_") and n != "same_document"},
    **{n: (None, 0.0) for n in PRIOR if n.startswith("other_")},
    "other_figures": (0.0, 0.0),
    "far_apart": (None, 0.0),
    "shared_words": (0.0, None),
    "shared_names": (0.0, None),
    "reported_after": (0.0, None),
    "hint_fits": (0.0, None),
    "weekday_fits": (0.0, None),
    "reported_soon": (0.0, None),
    "hint_near": (0.0, None),
    "hint_in_window": (0.0, None),
    "weekday_in_window": (0.0, None),
    "hint_other": (None, 0.0),
    "weekday_other": (None, 0.0),
    "reported_other": (None, 0.0),
    "only_candidates": (0.0, None),
}
PRIOR_INTERCEPT = -4.0
PRIOR_SD = 0.7
#: The total weight of one corpus's pairs of different incidents (see fit()).
NEGATIVES = 2000.0
#: The probability at or above which a pair is one event.
THRESHOLD = 0.5


def fit(found: list[Any]) -> dict[str, Any]:
    """Maximum a posteriori logistic regression (scipy's L-BFGS). Every pair of one incident
    weighs 1; the pairs of different incidents of a corpus weigh NEGATIVES in all at most (2000, so the wiki set's one-report incidents keep the model from merging look-alike undated reports): the
    wiki set's tens of thousands would otherwise drown the few hundred pairs of real reports."""
    import numpy
    import scipy
    from scipy.optimize import minimize
    from scipy.special import expit, log_expit

    from kwatch.resolve.features import NAMES

    x = numpy.array([[1.0] + [p.features.get(n, 0.0) for n in NAMES] for p in found])
    y = numpy.array([1.0 if p.same else 0.0 for p in found])
    negatives = Counter(p.corpus for p in found if not p.same)
    weight = numpy.array([1.0 if p.same else min(1.0, NEGATIVES / negatives[p.corpus]) for p in found])
    prior = numpy.array([PRIOR_INTERCEPT] + [PRIOR[n] for n in NAMES])

    def loss(w: Any) -> tuple[float, Any]:
        z = x @ w
        nll = -float(numpy.sum(weight * (y * log_expit(z) + (1 - y) * log_expit(-z))))
        gap = w - prior
        grad = x.T @ (weight * (expit(z) - y)) + gap / PRIOR_SD**2
        return nll + float(gap @ gap) / (2 * PRIOR_SD**2), grad

    bounds = [(None, None)] + [SIGNS.get(n, (None, None)) for n in NAMES]
    low = [b[0] if b[0] is not None else -numpy.inf for b in bounds]
    high = [b[1] if b[1] is not None else numpy.inf for b in bounds]
    result = minimize(loss, numpy.clip(prior, low, high), jac=True, method="L-BFGS-B", bounds=bounds)
    w = result.x
    return {
        "intercept": round(float(w[0]), DIGITS),
        "weights": {n: round(float(v), DIGITS) for n, v in zip(NAMES, w[1:], strict=True)},
        "prior": {"intercept": PRIOR_INTERCEPT, "weights": PRIOR, "sd": PRIOR_SD},
        "fitted_with": f"scipy {scipy.__version__} L-BFGS-B, maximum a posteriori logistic regression",
    }


def build(shared: Path, cache: Path | None = None) -> dict[str, Any]:
    from kwatch.resolve import training

    found, hashes = training_pairs(shared, cache)
    fitted = fit(found)
    return {
        "comment": "The pair model of resolution (kwatch.resolve.model), written by `python scripts/fit_resolution.py` (make train). Do not edit by hand.",
        # More likely one event than two. A threshold chosen by pairwise F1 on the real reports'
        # few pairs (0.3) merged distinct wiki incidents (event F1 0.920 -> 0.886): not yet.
        "threshold": THRESHOLD,
        **fitted,
        "trained_on": {name: {**counts, "sha256": hashes[name]} for name, counts in training.summary(found).items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--check", action="store_true", help="compare with the shipped resolution_model.json instead of writing it")
    parser.add_argument("--cache", type=Path, default=None, help="keep the extracted events of each corpus here")
    args = parser.parse_args(argv)
    if not (args.shared / "eval").is_dir():
        print(f"{args.shared}: no ../shared/eval here; give --shared DIR", file=sys.stderr)
        return 2
    model = build(args.shared, args.cache)
    text = json.dumps(model, indent=2, ensure_ascii=False) + "\n"
    if args.check:
        same = MODEL.exists() and json.loads(MODEL.read_text(encoding="utf-8")) == model
        print("resolution_model.json is what the fit gives" if same else "resolution_model.json differs from the fit: run `make train`")
        return 0 if same else 1
    MODEL.write_text(text, encoding="utf-8")
    for name, counts in model["trained_on"].items():
        print(f"{name}: {counts['pairs']} pairs, {counts['same']} of one incident")
    for name, weight in sorted(model["weights"].items(), key=lambda kv: -abs(kv[1])):
        print(f"  {weight:+.3f}  {name}")
    print(f"  {model['intercept']:+.3f}  (intercept)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
