"""Quantity phrases in running text: "seven", "at least 11", "more than 500", "two hundred",
"a dozen", "dozens of", "10-12".

Not a stage: casualties.v1 embeds `quantity_regex()` in its own patterns and calls
`read_quantity()` on what matched, so every figure keeps exact character offsets (text2num's
`alpha2digit` rewrites the text and loses them). Number words and qualifiers are in
`lexicons/<lang>/numbers.yaml`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from kwatch import lexicon
from kwatch.errors import Bug


@dataclass(frozen=True, slots=True)
class Quantity:
    start: int
    end: int
    text: str
    value: int | None  # None for vague amounts ("dozens")
    qualifier: str  # 'exact' | 'at_least' | 'more_than' | 'about' | 'vague'


def _alternation(phrases: list[str]) -> str:
    """Longest first, so "more than" wins over "more"; spaces match any whitespace."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(word) for word in phrase.split()) for phrase in ordered)


@dataclass(frozen=True, slots=True)
class _Table:
    words: dict[str, int]  # units and tens
    scales: dict[str, int]
    fixed: dict[str, int | None]
    vague: tuple[str, ...]
    qualifiers: dict[str, str]  # phrase (lower case, single spaces) -> qualifier
    regex: str  # one quantity, no capturing groups
    qualifier_re: re.Pattern[str]
    vague_re: re.Pattern[str]
    fixed_re: re.Pattern[str]
    range_split: re.Pattern[str]
    dash_split: re.Pattern[str]


@cache
def _table(language: str, lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> _Table:
    data = lexicon.load("numbers", language, path=lexicons)
    words = {**data["units"], **data["tens"]}
    scales = dict(data["scales"])
    fixed = dict(data["fixed"])
    vague = tuple(data["vague"])
    qualifiers = {" ".join(p.lower().split()): q for q, phrases in data["qualifiers"].items() for p in phrases}
    word = f"(?:{_alternation(list(words) + list(scales))})"
    after_scale = "|".join(f"(?<={re.escape(s)})" for s in scales)
    # "and" only joins after a scale word ("two hundred and five"), never two counts ("six and three").
    first_word = f"(?:{_alternation(list(words))})"
    scale_joiner = f"(?:{_alternation(data['scale_joiners'])})"
    word_run = rf"\b{first_word}(?:(?:\s+|-){word}|(?:{after_scale})\s+{scale_joiner}\s+{word})*\b(?!-[A-Za-z])"
    digit_scales = _alternation(data["digit_scales"])
    # Digits: not part of a citation mark "[12]", a decimal, a time "8:15", an age "25-year", a
    # percentage, a money amount, or a longer token.
    digits = r"(?<![\w.,\[/$£€:#-])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\s+(?:" + digit_scales + r"))?(?![\w\]%]|[.,:]\d|-[A-Za-z])"
    fixed_alt = rf"\b(?:{_alternation([k for k, v in fixed.items() if v is not None])})\b"
    number = f"(?:{fixed_alt}|{digits}|{word_run})"
    range_end = f"(?:{fixed_alt}|{digits.replace('-])', '])', 1)}|{word_run})"
    joiners = [j for j in data["range_joiners"] if j.isalpha()]
    dashes = "".join(re.escape(j) for j in data["range_joiners"] if not j.isalpha())
    range_tail = rf"(?:\s*[{dashes}]\s*{range_end}|\s+(?:{_alternation(joiners)})\s+{range_end})?"
    qualifier_alt = _alternation(list(qualifiers))
    vague_alt = _alternation(list(vague) + [k for k, v in fixed.items() if v is None])
    regex = rf"(?:(?:\b(?:{qualifier_alt})\s+|~\s*)?{number}{range_tail}|\b(?:{vague_alt})\b)"
    return _Table(
        words=words,
        scales=scales,
        fixed={" ".join(k.split()): v for k, v in fixed.items()},
        vague=vague,
        qualifiers=qualifiers,
        regex=regex,
        qualifier_re=re.compile(rf"^(?:(?P<q>{qualifier_alt})\s+|(?P<tilde>~)\s*)", re.I),
        vague_re=re.compile(rf"^(?:{vague_alt})$", re.I),
        fixed_re=re.compile(rf"^(?:{fixed_alt})", re.I),
        range_split=re.compile(rf"(?<=\d)\s*[{dashes}]\s*(?=\d)|\s+(?:{_alternation(joiners)})\s+", re.I),
        # A range dash that is not the hyphen of a number word ("twenty-five"): spaced, or next to a digit.
        dash_split=re.compile(rf"\s+[{dashes}]\s*|\s*[{dashes}]\s+|(?<=\d)[{dashes}]|[{dashes}](?=\d)"),
    )


def quantity_regex(language: str = "en", *, lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> str:
    """Regex source matching one quantity phrase (qualifier included); compile with re.IGNORECASE.
    `lexicons`: the user lexicon folders merged over numbers.yaml (every function here takes it)."""
    return _table(language, lexicons).regex


@cache
def _compiled(language: str, lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> re.Pattern[str]:
    return re.compile(quantity_regex(language, lexicons=lexicons), re.I)


def parse_number(phrase: str, language: str = "en", *, lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> int | None:
    """'seven' -> 7, 'two hundred and five' -> 205, '4,000' -> 4000, 'a dozen' -> 12, '3 million'
    -> 3000000; None when the phrase is not a number."""
    table = _table(language, lexicons)
    text = " ".join(phrase.lower().replace("-", " ").split())
    if text in table.fixed:
        return table.fixed[text]
    head, _, scale = text.partition(" ")
    if head.replace(",", "").isdecimal():
        value = int(head.replace(",", ""))
        if scale:
            if scale not in table.scales:
                return None
            value *= table.scales[scale]
        return value
    total = current = 0
    seen = False
    for token in text.split():
        if token == "and" and seen:
            continue
        if token in table.words:
            current += table.words[token]
        elif token in table.scales:
            scale_value = table.scales[token]
            if scale_value < 1000:
                current = max(current, 1) * scale_value
            else:
                total += max(current, 1) * scale_value
                current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def read_quantity(text: str, start: int = 0, language: str = "en", *, lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> Quantity:
    """Interpret a phrase matched by `quantity_regex()`; `start` is its offset in the document.
    A range ("10-12", "10 to 12") keeps its lower bound, qualified 'at_least'."""
    table = _table(language, lexicons)
    rest = text
    qualifier = "exact"
    match = table.qualifier_re.match(rest)
    if match:
        qualifier = "about" if match.group("tilde") else table.qualifiers[" ".join(match.group("q").lower().split())]
        rest = rest[match.end() :]
    if table.vague_re.match(rest):
        return Quantity(start, start + len(text), text, None, "vague")
    fixed = table.fixed_re.match(rest)
    first = fixed.group(0) if fixed else table.range_split.split(rest, maxsplit=1)[0]
    value = parse_number(first, language, lexicons=lexicons)
    if value is None:
        # A dash between a digit and a number word ("3 - five", "five -5", "١٢ - five") joins two
        # numbers that do not read as one: the range keeps the first part that parses.
        for part in table.dash_split.split(rest):
            value = parse_number(part, language, lexicons=lexicons) if part.strip() else None
            if value is not None:
                first = part
                break
    if value is None:
        raise Bug(f"quantity {text!r} matched the quantity regex but does not parse")
    if len(first.strip()) < len(rest.strip()) and qualifier == "exact":
        qualifier = "at_least"
    return Quantity(start, start + len(text), text, value, qualifier)


def find_quantities(text: str, language: str = "en", *, lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> list[Quantity]:
    """Every quantity phrase in `text`, left to right."""
    return [read_quantity(m.group(0), m.start(), language, lexicons=lexicons) for m in _compiled(language, lexicons).finditer(text)]
