"""Names across scripts: the romanised consonant skeleton of a word, from `data/scripts.yaml`.

Reports of one incident in Pashto, Russian and English share no word, but they share names: the
victim, the town, the group. `skeleton(word)` writes a word of any script in the table as its
consonants in one Latin spelling, vowels left out, like consonants once ("Haqqani", "حقاني" and
"Хаккани" are all "hkn"; "Kabul", "کابل" and "Кабул" all "kbl"). `name_skeletons(text)` gives the
skeletons of the names of a text (in a cased script the capitalised words; in Arabic script,
which has no case, every word), so a common word that happens to sound like a name is not
taken for one. Resolution compares two reports in different scripts (or in two languages of a
script with case) by these (`features.shared_names`), and files the rare ones as blocking keys
(`blocking.index_keys`).

A script's variant letters (Arabic and Persian kaf, Urdu heh goal) share a class, so a Dari and
an Arabic spelling of one name are one skeleton too. Everything here is data: a script or a
letter is added in the YAML, not in code.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import yaml

from kwatch.errors import Bug

TABLE = "data/scripts.yaml"


@dataclass(frozen=True, slots=True)
class Script:
    """One script's table: how its letters are read (see data/scripts.yaml)."""

    name: str
    cased: bool
    letters: Mapping[str, str]  # folded letter -> consonant class, '' for a vowel
    digraphs: Mapping[str, str]  # two folded letters -> consonant class
    prefixes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Table:
    scripts: Mapping[str, Script]
    of_letter: Mapping[str, Script]  # every letter any script reads -> that script
    final_dropped: str
    min_consonants: int
    stem_consonants: int


@cache
def table() -> Table:
    """The shipped table, checked once: a letter read by two scripts is a bug of the table."""
    text = resources.files("kwatch").joinpath(TABLE).read_text(encoding="utf-8")
    return _parse(yaml.safe_load(text))


def _parse(data: Mapping[str, Any]) -> Table:
    scripts: dict[str, Script] = {}
    of_letter: dict[str, Script] = {}
    for name, spec in data["scripts"].items():
        letters = {letter: "" for letter in spec.get("vowels", "")}
        for consonant, spelled in spec["consonants"].items():
            letters.update(dict.fromkeys(spelled, consonant))
        script = Script(
            name=name,
            cased=bool(spec["cased"]),
            letters=letters,
            digraphs=dict(spec.get("digraphs") or {}),
            prefixes=tuple(spec.get("prefixes") or ()),
        )
        for letter in letters:
            if letter in of_letter:
                raise Bug(f"{TABLE}: the letter {letter!r} is read by both {of_letter[letter].name} and {name}")
            of_letter[letter] = script
        scripts[name] = script
    return Table(scripts, of_letter, str(data["final_dropped"]), int(data["min_consonants"]), int(data["stem_consonants"]))


def script_of(word: str) -> str | None:
    """The script of a folded word: its first letter's (None: a digit, or a script not in the table)."""
    for letter in word:
        script = table().of_letter.get(letter)
        if script is not None:
            return script.name
    return None


def is_cased(script: str) -> bool:
    """Whether names of `script` start with a capital letter (Latin, Cyrillic; not Arabic)."""
    return table().scripts[script].cased


def main_script(words: Iterable[str]) -> str | None:
    """The script most of these folded words are written in (on a tie, the first by name)."""
    counts = Counter(s for s in map(script_of, words) if s is not None)
    if not counts:
        return None
    return min(counts, key=lambda s: (-counts[s], s))


@lru_cache(maxsize=1 << 16)
def skeleton(word: str) -> str:
    """The consonant skeleton of a folded word ('' when it is shorter than `min_consonants` or in
    no script of the table): its script's prefix dropped, digraphs and letters read as consonant
    classes, vowels left out, a final h dropped, a consonant repeated written once."""
    found = table()
    name = script_of(word)
    if name is None:
        return ""
    script = found.scripts[name]
    for prefix in script.prefixes:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            word = word[len(prefix) :]
            break
    classes: list[str] = []
    i = 0
    while i < len(word):
        pair = script.digraphs.get(word[i : i + 2])
        if pair is not None:
            consonant, i = pair, i + 2
        else:
            consonant, i = script.letters.get(word[i], ""), i + 1
        if consonant and (not classes or classes[-1] != consonant):
            classes.append(consonant)
    while classes and classes[-1] in found.final_dropped:
        classes.pop()
    return "".join(classes) if len(classes) >= found.min_consonants else ""


@lru_cache(maxsize=1 << 16)
def name_skeletons(text: str, min_letters: int = 4) -> frozenset[str]:
    """The skeletons of the names of `text`: its words of `min_letters` letters or more that are
    capitalised in a cased script (and do not open a sentence, where every word is), or written
    in one without case."""
    found = set()
    end = 0
    for match in _WORD.finditer(text):
        token, opens = match.group(), end == 0 or _ENDS_SENTENCE.search(text, end, match.start()) is not None
        end = match.end()
        if len(token) < min_letters or token.isdigit():
            continue
        word = fold_word(token)
        name = script_of(word)
        if name is None or (table().scripts[name].cased and (opens or not token[0].isupper())):
            continue
        if shape := skeleton(word):
            found.add(shape)
    return frozenset(found)


def name_overlap(x: frozenset[str], y: frozenset[str]) -> float:
    """The share of names two texts have in common (of `name_skeletons`), in [0, 1]: of the text
    that gives fewer, the share the other gives too. The shorter text decides because in a
    script without case every word counts, so its report gives far more "names" than one in a
    cased script. A name matches the same skeleton, or one that begins it or that it begins
    when the shorter has `stem_consonants` or more (a case ending: Russian "Кабулом", Uzbek
    "Москвадаги")."""
    if not x or not y:
        return 0.0
    stem = table().stem_consonants
    return min(_matched(x, y, stem), _matched(y, x, stem)) / min(len(x), len(y))


def without(names: frozenset[str], excluded: frozenset[str]) -> frozenset[str]:
    """`names` but those that match one of `excluded` (as `name_overlap` matches names)."""
    if not names or not excluded:
        return names
    stem = table().stem_consonants
    return frozenset(name for name in names if not _matches(name, excluded, stem))


def _matched(names: frozenset[str], others: frozenset[str], stem: int) -> int:
    return sum(1 for name in names if _matches(name, others, stem))


def _matches(name: str, others: frozenset[str], stem: int) -> bool:
    return name in others or any(min(len(name), len(o)) >= stem and (o.startswith(name) or name.startswith(o)) for o in others)


def skeletons_of(phrases: Iterable[str]) -> frozenset[str]:
    """The skeletons of every word of these names (a place, a group's aliases), capitalised or not."""
    return frozenset(shape for phrase in phrases for token in _WORD.findall(phrase) if (shape := skeleton(fold_word(token))))


def fold_word(token: str) -> str:
    """A word as the table reads it: case-folded, accents removed (`members.norm`)."""
    decomposed = unicodedata.normalize("NFKD", token.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_WORD = re.compile(r"[^\W_]+")
_ENDS_SENTENCE = re.compile(r"[.!?\n]")
