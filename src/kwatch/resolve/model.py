"""The pair model: how likely two members are one real event, from their features.

A logistic regression over `features.FEATURES`, its weights fitted by `scripts/fit_resolution.py`
(`make train`) on labelled pairs of the shared gold sets and shipped as
`kwatch/data/resolution_model.json`. `probability(found)` is the model's chance that a pair is one incident; `explain(found)`
lists what moved it, in words, strongest first, for the merge explanation analysts read.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from kwatch.errors import Bug
from kwatch.resolve.features import FEATURES


@dataclass(frozen=True, slots=True)
class PairModel:
    intercept: float
    weights: Mapping[str, float]
    threshold: float  # a pair at or above this probability is one event
    version: str  # a hash of the weights, for RESOLVE_VERSION

    def evidence(self, found: Mapping[str, float]) -> float:
        """What the features add to the log-odds (negative: they argue for two events)."""
        return sum(self.weights[name] * value for name, value in found.items())

    def logit(self, found: Mapping[str, float]) -> float:
        return self.intercept + self.evidence(found)

    def probability(self, found: Mapping[str, float]) -> float:
        z = self.logit(found)
        return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))

    def explain(self, found: Mapping[str, float]) -> list[dict[str, Any]]:
        """What each present feature added to the log-odds, strongest first."""
        parts = [
            {"feature": name, "means": FEATURES[name], "value": round(value, 3), "weight": round(self.weights[name] * value, 2)}
            for name, value in found.items()
            if self.weights[name] * value
        ]
        return sorted(parts, key=lambda p: (-abs(p["weight"]), p["feature"]))


@cache
def pair_model() -> PairModel:
    """The shipped model (`resolution_model.json`), checked against the feature list."""
    text = resources.files("kwatch").joinpath("data/resolution_model.json").read_text(encoding="utf-8")
    data = json.loads(text)
    weights = data["weights"]
    if set(weights) != set(FEATURES):
        raise Bug(f"kwatch/data/resolution_model.json has features {sorted(set(weights) ^ set(FEATURES))} the code does not (or lacks them): run `make train`")
    import hashlib

    version = hashlib.sha256(json.dumps([data["intercept"], sorted(weights.items()), data["threshold"]]).encode()).hexdigest()[:12]
    return PairModel(float(data["intercept"]), {k: float(v) for k, v in weights.items()}, float(data["threshold"]), version)


def in_words(parts: list[dict[str, Any]], probability: float) -> str:
    """One line: the probability and the features that moved it ('0.91: same day +3.5, …')."""
    return f"{probability:.2f}: " + ", ".join(f"{p['means']} {p['weight']:+.1f}" for p in parts)
