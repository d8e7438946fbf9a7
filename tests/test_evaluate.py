"""kwatch.evaluate gives the figures of ../shared/eval/score.py (the project's scoring rule)."""

from __future__ import annotations

import copy
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from kwatch.errors import EvalError
from kwatch.evaluate import Counts, corpus_hash, dates_compatible, field_equal, load_jsonl, only_split, score, split_documents


@pytest.mark.parametrize(
    ("name", "gold", "pred", "expected"),
    [
        ("place", ["Kabul airport"], "Kabul", True),
        ("place", "Imam Zaman Mosque", "the Imam Zaman mosque!", True),
        ("place", "Herat", "Kabul", False),
        ("admin2", ["Pul-e-Khumri", "Puli Khumri"], "puli khumri", True),
        ("killed", [10, 12], 12, True),
        ("killed", 7, 8, False),
        ("claimed", True, 1, True),
        ("languages", ["ps", "fa"], ["fa", "ps"], True),
        ("languages", ["ps", "fa"], ["ps"], False),
        ("date", "2024-03", "2024-03-22", False),
        ("method", None, None, True),
        ("method", None, "bombing", False),
    ],
)
def test_field_equal(name, gold, pred, expected):
    assert field_equal(name, gold, pred) is expected


@pytest.mark.parametrize(
    ("gold", "pred", "expected"),
    [("2024-03", "2024-03-22", True), ("2024", None, True), ("2023-10-14", "2023-10-15", False), (["2022", "2023"], "2023-01", True)],
)
def test_dates_compatible(gold, pred, expected):
    assert dates_compatible(gold, pred) is expected


def test_counts_f1_of_nothing_is_zero():
    assert Counts().f1 == 0.0


def test_optional_gold_is_neither_reward_nor_penalty():
    gold = [{"id": "a", "type": "attack", "optional": True, "docs": ["d"]}]
    pred = [{"type": "attack", "sources": [{"doc": "d", "quote": "x"}]}]
    report = score(gold, pred)
    assert (report.events.tp, report.events.fp, report.events.fn) == (0, 0, 0)


def test_load_jsonl_names_the_bad_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"a": 1}\nnot json\n', encoding="utf-8")
    with pytest.raises(EvalError, match="bad.jsonl:2"):
        load_jsonl(path)


_ALTERATIONS = {
    "killed": [None, 3, 7, 145],
    "date": [None, "2024", "2023-10-14", "2018-03"],
    "actor": [None, "IS", "ISKP", "Taliban"],
    "place": [None, "Kabul", "", "Moscow", "Крокус", "کابل", "كابل"],
    "admin1": [None, "Kabul", "Кабул", "Moscow Oblast", "ننگرهار"],
    "country": [None, "AF", "PK", "RU"],
    "method": [None, "bombing", "suicide_bombing"],
    "languages": [None, ["ps"], [], ["tg", "uz", "ky"]],
    "claimed": [None, True, False],
}


def _perturb(records: list[dict], seed: int) -> list[dict]:
    """Drop, duplicate and alter predictions so that every scoring path is exercised."""
    rng = random.Random(seed)
    out = []
    for record in copy.deepcopy(records):
        roll = rng.random()
        if roll < 0.15:
            continue
        if roll < 0.3:
            out.append(copy.deepcopy(record))
        for name, choices in _ALTERATIONS.items():
            if rng.random() < 0.2:
                record[name] = rng.choice(choices)
        if rng.random() < 0.1:
            record["type"] = rng.choice(["attack", "plot", "raid"])
        out.append(record)
    return out


def _gold_as_prediction(gold: list[dict]) -> list[dict]:
    preds = []
    for g in gold:
        p = {k: (v[0] if isinstance(v, list) and k != "languages" else v) for k, v in g.items() if k != "docs"}
        p["sources"] = [{"doc": d, "quote": "not in the text"} for d in g.get("docs", [])]
        preds.append(p)
    return preds


#: (gold, corpus) under ../shared: the seeds, and the real sets whose names are in many scripts
SETS = {
    "seeds": ("eval/seeds.gold.jsonl", "corpus/seeds"),
    **{name: (f"eval/real/{name}/gold.jsonl", f"eval/real/{name}/corpus") for name in ("en", "fa_ps", "ru_tg_uz_ur")},
}


def _predictions(gold: list[dict], name: str) -> list[dict]:
    if name == "empty":
        return []
    if name == "gold":
        return _gold_as_prediction(gold)
    return _perturb(_gold_as_prediction(gold), seed=int(name.split("-")[1]))


@pytest.mark.shared
@pytest.mark.parametrize("which", sorted(SETS))
@pytest.mark.parametrize("name", ["empty", "gold", "perturbed-1", "perturbed-2", "perturbed-3", "perturbed-4"])
def test_agrees_with_reference_scorer(shared_dir, tmp_path, which, name):
    gold_path, corpus = (shared_dir / part for part in SETS[which])
    pred = _predictions(load_jsonl(gold_path), name)
    pred_path = tmp_path / "pred.jsonl"
    pred_path.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in pred), encoding="utf-8")
    reference = json.loads(
        subprocess.run(
            [sys.executable, str(shared_dir / "eval" / "score.py"), str(gold_path), str(pred_path), "--corpus", str(corpus), "--json"],
            check=True, capture_output=True, text=True,
        ).stdout
    )  # fmt: skip
    report = score(load_jsonl(gold_path), pred, corpus=corpus)
    assert report.score == pytest.approx(reference["score"], abs=5e-4)
    assert report.events.f1 == pytest.approx(reference["events"]["f1"], abs=5e-4)
    assert {f: c.f1 for f, c in report.fields.items()} == pytest.approx({f: v["f1"] for f, v in reference["fields"].items()}, abs=5e-4)
    assert (report.quotes_found, report.quotes) == (reference["evidence"]["verbatim"], reference["evidence"]["quotes"])
    assert report.missed == reference["missed"]


# -- names in every script, a gold file scored against itself, splits, corpus hashes


@pytest.mark.parametrize(
    ("name", "gold", "pred", "expected"),
    [
        ("admin1", "Кабул", "кабул", True),
        ("admin1", "Кабул", "Герат", False),  # used to fold both to "" and agree
        ("admin1", "كابل", "کابل", True),  # Arabic and Persian kaf
        ("actor", "داعش", "داعش خراسان", False),
        ("place", "مسجد امام زمان", "امام زمان", True),
        ("admin1", "Qo‘qon", "Qoqon", True),
        ("killed", [10, 12], [12], True),  # a gold record as the prediction
        ("actor", ["ISKP", "IS"], ["IS", "ISKP"], True),
    ],
)
def test_names_compare_in_every_script(name, gold, pred, expected):
    assert field_equal(name, gold, pred) is expected


def test_gold_country_alternatives_allow_a_match():
    gold = [{"id": "g", "type": "attack", "country": ["AF", "PK"], "docs": ["a.txt"]}]
    pred = [{"type": "attack", "country": "PK", "sources": [{"doc": "a.txt", "quote": "q"}]}]
    assert score(gold, pred).events.tp == 1


def _corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    rows = [{"doc": "a.txt", "published": "2024-01-02", "language": "en", "split": "dev"}, {"doc": "b.txt", "published": "2024-02-03", "language": "en", "split": "test"}]
    (corpus / "manifest.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    (corpus / "a.txt").write_text("Our own sentence about a market.\n", encoding="utf-8")
    (corpus / "b.txt").write_text("Another sentence of ours.\n", encoding="utf-8")
    (tmp_path / "gold.jsonl").write_text(
        json.dumps({"id": "g1", "type": "attack", "date": "2024-01-01", "docs": ["a.txt"]}) + "\n"
        + json.dumps({"id": "g2", "type": "arrest", "date": "2024-02-02", "docs": ["b.txt"]}) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    return corpus


def test_only_split_keeps_the_documents_of_one_split(tmp_path):
    corpus = _corpus(tmp_path)
    gold = load_jsonl(tmp_path / "gold.jsonl")
    pred = [{"type": "attack", "sources": [{"doc": "a.txt", "quote": "q"}]}, {"type": "arrest", "sources": [{"doc": "b.txt", "quote": "q"}]}]
    kept_gold, kept_pred = only_split(gold, pred, split_documents(corpus, "dev"))
    assert [g["id"] for g in kept_gold] == ["g1"] and [p["type"] for p in kept_pred] == ["attack"]


def test_a_split_the_manifest_lacks_is_an_error_with_a_hint(tmp_path):
    corpus = _corpus(tmp_path)
    with pytest.raises(EvalError, match="split 'train'") as info:
        split_documents(corpus, "train")
    assert "dev, test" in info.value.hint


def test_corpus_hash_notices_a_changed_added_or_renamed_document(tmp_path):
    corpus = _corpus(tmp_path)
    gold = tmp_path / "gold.jsonl"
    first = corpus_hash(gold, corpus)
    assert corpus_hash(gold, corpus) == first
    (corpus / "a.txt").write_text("Our own sentence about a market!\n", encoding="utf-8")
    second = corpus_hash(gold, corpus)
    (corpus / "c.txt").write_text("", encoding="utf-8")
    third = corpus_hash(gold, corpus)
    (corpus / "c.txt").rename(corpus / "d.txt")
    assert len({first, second, third, corpus_hash(gold, corpus)}) == 4


def test_cli_eval_scores_one_split_of_an_export(tmp_path):
    from click.testing import CliRunner

    from kwatch.cli import cli

    corpus = _corpus(tmp_path)
    pred = tmp_path / "pred.jsonl"
    pred.write_text(json.dumps({"type": "attack", "date": "2024-01-01", "sources": [{"doc": "a.txt", "quote": "Our own sentence"}]}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", str(tmp_path / "gold.jsonl"), "--corpus", str(corpus), "--predictions", str(pred), "--split", "dev", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["events"]["tp"], data["events"]["fp"], data["events"]["fn"], data["score"]) == (1, 0, 0, 1.0)
    result = CliRunner().invoke(cli, ["eval", str(tmp_path / "gold.jsonl"), "--corpus", str(corpus), "--predictions", str(pred), "--split", "test", "--json"])
    assert json.loads(result.output)["events"]["fn"] == 1


def test_cli_eval_refuses_predictions_and_save_predictions_together(tmp_path):
    from click.testing import CliRunner

    from kwatch.cli import cli

    corpus = _corpus(tmp_path)
    result = CliRunner().invoke(cli, ["eval", str(tmp_path / "gold.jsonl"), "--corpus", str(corpus), "--predictions", str(tmp_path / "gold.jsonl"), "--save-predictions", str(tmp_path / "x.jsonl")])
    assert result.exit_code == 2 and "give one of them" in result.output


def test_cli_eval_reports_each_language_of_the_corpus(tmp_path):
    from click.testing import CliRunner

    from kwatch.cli import cli

    corpus = _corpus(tmp_path)
    rows = [{"doc": "a.txt", "language": "en", "split": "dev"}, {"doc": "b.txt", "language": "ps", "split": "dev"}]
    (corpus / "manifest.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    pred = tmp_path / "pred.jsonl"
    pred.write_text(json.dumps({"type": "attack", "date": "2024-01-01", "sources": [{"doc": "a.txt", "quote": "Our own sentence"}]}) + "\n", encoding="utf-8")
    args = ["eval", str(tmp_path / "gold.jsonl"), "--corpus", str(corpus), "--predictions", str(pred), "--split", "dev"]
    data = json.loads(CliRunner().invoke(cli, [*args, "--json"]).output)
    assert {k: (v["events"]["tp"], v["events"]["fn"]) for k, v in data["languages"].items()} == {"en": (1, 0), "ps": (0, 1)}
    text = CliRunner().invoke(cli, args).output
    assert " en " in text and " ps " in text and "language" in text
