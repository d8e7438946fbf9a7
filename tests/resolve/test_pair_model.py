"""The pair model of resolution: its features, the shipped weights and the fit that makes them."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from kwatch.resolve import training
from kwatch.resolve.features import FEATURES, features
from kwatch.resolve.members import DocumentInfo, Member
from kwatch.resolve.model import pair_model

ROOT = Path(__file__).resolve().parents[2]


def _fit_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fit_resolution", ROOT / "scripts" / "fit_resolution.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fit_resolution"] = module
    spec.loader.exec_module(module)
    return module


def _member(eid: str, doc: str, **fields: Any) -> Member:
    event = {"id": eid, "document_id": doc, "type": "attack", **fields}
    return Member.of(event, DocumentInfo(doc, f"{doc}.txt", language=fields.pop("language", "en")))


def test_the_shipped_model_has_a_weight_for_every_feature_and_says_what_each_means() -> None:
    model = pair_model()
    assert set(model.weights) == set(FEATURES) and all(FEATURES.values())
    assert 0 < model.threshold < 1


def test_agreement_makes_one_event_likelier_and_disagreement_less() -> None:
    model = pair_model()
    base = {"date": "2025-03-07", "country": "AF", "admin1": "Baghlan", "place": "Imam Hussain mosque", "geo_precision": "site", "method": "suicide_bombing"}
    a = _member("a", "d1", **base)
    same = _member("b", "d2", **base)
    other_day = _member("c", "d3", **{**base, "date": "2025-03-20"})
    other_method = _member("d", "d4", **{**base, "method": "shooting"})
    p_same = model.probability(features(a, same))
    assert p_same >= model.threshold
    assert model.probability(features(a, other_day)) < p_same
    assert model.probability(features(a, other_method)) < p_same


def test_conflicting_tolls_never_argue_against_a_merge() -> None:
    model = pair_model()
    base = {"date": "2025-03-07", "country": "AF", "admin1": "Kabul", "place": "Kabul"}
    a, b = _member("a", "d1", **base, killed=12), _member("b", "d2", **base, killed=40)
    assert model.evidence(features(a, b)) >= model.evidence(features(_member("a", "d1", **base), _member("b", "d2", **base)))


def test_an_explanation_names_each_feature_in_words_strongest_first() -> None:
    model = pair_model()
    a = _member("a", "d1", date="2025-03-07", country="AF", place="Kabul")
    b = _member("b", "d2", date="2025-03-07", country="AF", place="Kabul")
    parts = model.explain(features(a, b))
    assert [p["feature"] for p in parts][:1] == ["same_day"]
    assert all(p["means"] == FEATURES[p["feature"]] for p in parts)
    assert [abs(p["weight"]) for p in parts] == sorted((abs(p["weight"]) for p in parts), reverse=True)


def test_pairs_are_labelled_by_the_gold_record_their_events_tell(data_dir: Path) -> None:
    corpus, gold = data_dir / "resolution", data_dir / "resolution_gold.jsonl"
    events, documents = training.corpus_input(corpus)
    records = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    labels = training.labels(events, documents, records)
    by_doc = {documents[e["document_id"]].name: labels.get(e["id"]) for e in events}
    assert by_doc["2025-04-02_jalalabad_minibus.txt"] == by_doc["2025-04-03_jalalabad_minibus_update.txt"] == "M02"
    pairs = training.pairs("own", events, documents, records)
    assert pairs and all(p.same == (labels[p.a] == labels[p.b]) for p in pairs)


def test_the_shipped_model_is_what_the_fit_gives(shared_dir: Path) -> None:
    """`make train` on the shared gold sets reproduces src/kwatch/data/resolution_model.json: a
    change of pipeline, features or gold that moves the weights is refitted deliberately."""
    fit = _fit_script()
    shipped = json.loads((ROOT / "src" / "kwatch" / "data" / "resolution_model.json").read_text(encoding="utf-8"))
    assert fit.build(shared_dir) == shipped
