"""Score event records against a gold file: the rules of ../shared/eval/FORMAT.md as a library.

`score(gold, pred, corpus=...)` matches predictions to gold events (type, country, compatible
dates, admin1 and shared documents must agree; pairs chosen greedily, most agreeing fields
first), then counts events and fields. `only_split` keeps the documents of one manifest split,
`corpus_hash` fingerprints what a figure was measured on.

The rules are our own copy, so user gold files score without `../shared`; they give the figures
of `../shared/eval/score.py` to three decimals on every shared set and split, which
tests/eval/test_agreement.py checks (docs/evaluation.md).
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kwatch.errors import EvalError

FIELDS = (
    "date", "country", "admin1", "admin2", "place", "actor", "claimed", "method", "target",
    "killed", "injured", "killed_claimed", "injured_claimed", "medium", "languages", "outlet",
)  # fmt: skip
NAME_FIELDS = frozenset({"admin1", "admin2", "actor", "outlet", "country"})
COUNT_FIELDS = frozenset({"killed", "injured", "killed_claimed", "injured_claimed"})


@dataclass(frozen=True, slots=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": self.precision, "recall": self.recall, "f1": self.f1}


@dataclass(frozen=True, slots=True)
class Report:
    events: Counts
    fields: dict[str, Counts]  # only fields with any count
    missed: list[Any]  # gold ids of unmatched required events
    spurious: list[dict[str, Any]]  # unmatched predictions
    quotes_found: int | None = None
    quotes: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    # The same scoring restricted to the documents of each language of the corpus manifest (an
    # event told in two languages counts in both), when the corpus says its documents' languages.
    languages: dict[str, Report] = field(default_factory=dict)

    @property
    def fields_micro(self) -> Counts:
        return Counts(*(sum(getattr(c, k) for c in self.fields.values()) for k in ("tp", "fp", "fn")))

    @property
    def score(self) -> float:
        return (self.events.f1 + self.fields_micro.f1) / 2


#: Arabic-script letters that Persian, Pashto and Urdu text writes in more than one way.
_FOLD = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "ۀ": "ه", "أ": "ا", "إ": "ا", "آ": "ا"})


def normalise(text: Any) -> str:
    """Case-, accent- and punctuation-blind form of a name, in any script (Arabic and Persian
    yeh, kaf and heh count as one)."""
    decomposed = unicodedata.normalize("NFKD", str(text).translate(_FOLD))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c for c in bare.casefold() if c.isalnum())


def _options(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def dates_compatible(gold: Any, pred: Any) -> bool:
    """One date is a prefix of the other, or either is unknown; gold may list alternatives."""
    if isinstance(pred, list):  # a gold file scored against itself
        return not pred or any(dates_compatible(gold, p) for p in pred)
    for option in _options(gold):
        if option is None or pred is None:
            return True
        if str(pred).startswith(str(option)) or str(option).startswith(str(pred)):
            return True
    return False


def _equal_one(name: str, option: Any, pred: Any) -> bool:
    if option is None or pred is None:
        return option is None and pred is None
    if name == "date":
        return str(pred) == str(option)
    if name in COUNT_FIELDS:
        return int(pred) == int(option)
    if name == "claimed":
        return bool(pred) == bool(option)
    if name == "place":
        a, b = normalise(pred), normalise(option)
        return bool(a and b and (a in b or b in a))
    if name in NAME_FIELDS:
        return normalise(pred) == normalise(option)
    return str(pred) == str(option)


def field_equal(name: str, gold: Any, pred: Any) -> bool:
    """`gold` may list acceptable values; `languages` compares as a set."""
    if name == "languages":
        return pred is not None and gold is not None and set(pred) == set(gold)
    if isinstance(pred, list):  # a gold file scored against itself
        return any(field_equal(name, gold, p) for p in pred)
    return any(_equal_one(name, option, pred) for option in _options(gold))


def _documents(pred: dict[str, Any]) -> set[Any]:
    return {source.get("doc") for source in pred.get("sources") or []}


def compatible(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    if not any(p == t for p in _options(pred.get("type")) for t in _options(gold.get("type"))):
        return False
    if gold.get("country") and pred.get("country") and not field_equal("country", gold["country"], pred["country"]):
        return False
    if not dates_compatible(gold.get("date"), pred.get("date")):
        return False
    if gold.get("admin1") and pred.get("admin1") and not field_equal("admin1", gold["admin1"], pred["admin1"]):
        return False
    gold_docs, pred_docs = set(gold.get("docs") or []), _documents(pred)
    return not (gold_docs and pred_docs and not gold_docs & pred_docs)


def agreement(gold: dict[str, Any], pred: dict[str, Any]) -> int:
    return sum(1 for f in FIELDS if gold.get(f) is not None and field_equal(f, gold[f], pred.get(f)))


def match(gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Greedy one-to-one pairs, the most agreeing (and required before optional) first."""
    # Only predictions sharing a document (or naming none) can match a gold event that names its
    # documents: index them so a corpus of thousands is not compared all against all.
    by_doc: dict[Any, list[int]] = {}
    undocumented: list[int] = []
    for pi, p in enumerate(pred):
        docs = _documents(p)
        for doc in docs:
            by_doc.setdefault(doc, []).append(pi)
        if not docs:
            undocumented.append(pi)
    pairs: list[tuple[int, bool, int, int]] = []
    for gi, g in enumerate(gold):
        gold_docs = g.get("docs") or []
        if gold_docs:
            candidates = sorted({pi for d in gold_docs for pi in by_doc.get(d, ())} | set(undocumented))
        else:
            candidates = list(range(len(pred)))
        pairs.extend((agreement(g, pred[pi]), not g.get("optional"), gi, pi) for pi in candidates if compatible(g, pred[pi]))
    pairs.sort(reverse=True)
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    matched = []
    for _, _, gi, pi in pairs:
        if gi not in used_gold and pi not in used_pred:
            used_gold.add(gi)
            used_pred.add(pi)
            matched.append((gi, pi))
    return matched


def _field_counts(gold: list[dict[str, Any]], pred: list[dict[str, Any]], matched: list[tuple[int, int]]) -> dict[str, Counts]:
    tallies = {f: [0, 0, 0] for f in FIELDS}
    for gi, pi in matched:
        g_event, p_event = gold[gi], pred[pi]
        if g_event.get("optional"):
            continue
        unscored = set(g_event.get("not_in_text") or ())
        for name in FIELDS:
            if name not in g_event or name in unscored:
                continue
            g, p = g_event[name], p_event.get(name)
            if p in ([], ""):
                p = None
            right = field_equal(name, g, p)
            gold_has = not (g is None or g == [None])
            if right and gold_has:
                tallies[name][0] += 1
            elif not right:
                tallies[name][1] += p is not None
                tallies[name][2] += gold_has
    return {name: Counts(*t) for name, t in tallies.items() if any(t)}


def quotes_verbatim(pred: Iterable[dict[str, Any]], corpus: Path | None = None, *, texts: Mapping[str, str] | None = None) -> tuple[int, int]:
    """How many quotes are found in their documents, whitespace folded. `texts` (document name →
    stored text) wins over reading `corpus/doc`: a PDF or a feed item is not its file's bytes."""
    found = total = 0
    folded: dict[str, str] = {}
    for event in pred:
        for source in event.get("sources") or []:
            total += 1
            quote, doc = source.get("quote"), source.get("doc")
            if not quote or not doc:
                continue
            if doc not in folded:
                if texts is not None and doc in texts:
                    text = texts[doc]
                elif corpus is not None and (corpus / doc).is_file():
                    text = (corpus / doc).read_text(encoding="utf-8", errors="replace")
                else:
                    text = ""
                folded[doc] = " ".join(text.split())
            found += " ".join(quote.split()) in folded[doc]
    return found, total


def score(
    gold: list[dict[str, Any]],
    pred: list[dict[str, Any]],
    *,
    corpus: Path | None = None,
    texts: Mapping[str, str] | None = None,
) -> Report:
    matched = match(gold, pred)
    matched_gold = {gi for gi, _ in matched}
    matched_pred = {pi for _, pi in matched}
    required = [i for i, g in enumerate(gold) if not g.get("optional")]
    events = Counts(
        tp=sum(1 for gi, _ in matched if not gold[gi].get("optional")),
        fp=sum(1 for i in range(len(pred)) if i not in matched_pred),
        fn=sum(1 for i in required if i not in matched_gold),
    )
    found = total = None
    if corpus is not None or texts is not None:
        found, total = quotes_verbatim(pred, corpus, texts=texts)
    return Report(
        events=events,
        fields=_field_counts(gold, pred, matched),
        missed=[gold[i].get("id") for i in required if i not in matched_gold],
        spurious=[pred[i] for i in range(len(pred)) if i not in matched_pred],
        quotes_found=found,
        quotes=total,
    )


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    """Records of a JSON-lines file; a line that is not JSON is an EvalError naming it."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise EvalError(f"Cannot read {path}: {exc.strerror}.", hint="check the path") from exc
    records = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise EvalError(f"{path}:{number} is not JSON ({exc.msg}).", hint="one JSON object per line") from exc
    return records


SPLITS = ("dev", "test")


def read_manifest(corpus: Path) -> list[dict[str, Any]]:
    """The records of `corpus/manifest.jsonl` (one per document; FORMAT.md)."""
    path = corpus / "manifest.jsonl"
    if not path.is_file():
        raise EvalError(f"{corpus} has no manifest.jsonl.", hint="a split is read from each document's `split` in the corpus manifest")
    return load_jsonl(path)


def split_documents(corpus: Path, split: str) -> set[str]:
    """The documents that the corpus manifest puts in `split` (`dev` or `test`)."""
    manifest = read_manifest(corpus)
    docs = {str(r["doc"]) for r in manifest if r.get("split") == split and r.get("doc")}
    if not docs:
        present = sorted({str(r["split"]) for r in manifest if r.get("split")})
        hint = f"its splits are {', '.join(present)}" if present else "this corpus has no splits: leave out --split"
        raise EvalError(f"No document of {corpus / 'manifest.jsonl'} is in split {split!r}.", hint=hint)
    return docs


def only_split(gold: list[dict[str, Any]], pred: list[dict[str, Any]], docs: set[str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The gold events that name a document of `docs` and the predictions with a source in one,
    as `score.py --split` keeps them (an event told by documents of both splits is in both)."""
    return ([g for g in gold if set(g.get("docs") or ()) & docs], [p for p in pred if _documents(p) & docs])


def language_documents(corpus: Path, docs: set[str] | None = None) -> dict[str, set[str]]:
    """The documents of each language the corpus manifest names (of `docs` only, when given)."""
    found: dict[str, set[str]] = {}
    for record in read_manifest(corpus):
        name, language = record.get("doc"), record.get("language")
        if name and language and (docs is None or str(name) in docs):
            found.setdefault(str(language), set()).add(str(name))
    return found


def corpus_files(gold: Path, corpus: Path) -> list[tuple[str, Path]]:
    """What a figure measured on `corpus` depends on, in a stable order, each with the name it is
    hashed under: the manifest, the gold file, then every other file of the corpus folder by path."""
    documents = sorted(
        (p.relative_to(corpus).as_posix(), p)
        for p in corpus.rglob("*")
        if p.is_file() and p.name != "manifest.jsonl" and not any(part.startswith(".") for part in p.relative_to(corpus).parts)
    )
    return [("manifest.jsonl", corpus / "manifest.jsonl"), ("gold", gold), *documents]


def corpus_hash(gold: Path, corpus: Path) -> str:
    """sha256 over the manifest, the gold file and every document file (names and bytes), so a
    changed, added, removed or renamed file changes it."""
    digest = hashlib.sha256()
    for name, path in corpus_files(gold, corpus):
        data = path.read_bytes() if path.is_file() else b""
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()
