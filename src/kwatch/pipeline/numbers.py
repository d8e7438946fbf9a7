"""Quantity phrases in running text: "seven", "at least 11", "more than 500", "two hundred",
"a dozen", "dozens of", "10-12".

Not a stage: casualties.v2 embeds `quantity_regex()` in its own patterns and calls
`read_quantity()` on what matched, so every figure keeps exact character offsets (text2num's
`alpha2digit` rewrites the text and loses them). Number words and qualifiers are in
`lexicons/<lang>/numbers.yaml`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
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
    post_qualifiers: dict[str, str]  # qualifiers after the number ("10 or more"), where the language has them
    post_qualifier_re: re.Pattern[str] | None
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
    post = {" ".join(p.lower().split()): q for q, phrases in (data.get("qualifier_postpositions") or {}).items() for p in phrases}
    post_tail = rf"(?:\s*(?:{_alternation(list(post))})\b)?" if post else ""
    vague_alt = _alternation(list(vague) + [k for k, v in fixed.items() if v is None])
    regex = rf"(?:(?:\b(?:{qualifier_alt})\s+|~\s*)?{number}{range_tail}{post_tail}|\b(?:{vague_alt})\b)"
    return _Table(
        words=words,
        scales=scales,
        fixed={" ".join(k.split()): v for k, v in fixed.items()},
        vague=vague,
        qualifiers=qualifiers,
        regex=regex,
        qualifier_re=re.compile(rf"^(?:(?P<q>{qualifier_alt})\s+|(?P<tilde>~)\s*)", re.I),
        post_qualifiers=post,
        post_qualifier_re=re.compile(rf"\s*(?P<q>{_alternation(list(post))})$", re.I) if post else None,
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
    post = table.post_qualifier_re.search(rest) if table.post_qualifier_re else None
    if post and post.start() > 0:
        qualifier = table.post_qualifiers[" ".join(post.group("q").lower().split())]
        rest = rest[: post.start()]
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


def _class(value: int) -> str:
    """The part a value plays inside a number below a thousand."""
    if 1 <= value <= 9:
        return "unit"
    if value % 10 == 0 and 10 <= value <= 90:
        return "ten"
    if value % 100 == 0 and 100 <= value <= 900:
        return "hundreds"
    return "whole"  # a teen, a digit figure, zero: it stands alone


def _group(parts: Sequence[int], *, units_first: bool, after_hundred: bool) -> int | None:
    """The sum of the words between two scale words, or None when they are not one number: at
    most one hundreds word ("دویست", before everything else and not right after a hundred), one
    ten and one unit in the language's order; a teen or a figure in digits stands alone."""
    classes = [_class(v) for v in parts]
    if "whole" in classes and len(parts) > 1:
        return None
    if len(set(classes)) < len(classes) or ("hundreds" in classes and (after_hundred or classes[0] != "hundreds")):
        return None
    small = [c for c in classes if c != "hundreds"]
    if small == (["ten", "unit"] if units_first else ["unit", "ten"]):
        return None
    return sum(parts)


def combine(tokens: Sequence[tuple[int, bool]], *, units_first: bool = False) -> int | None:
    """Number words read as one number, from (value, is_scale) pairs in text order.

    Below a hundred a ten and a unit are added in the language's order: "twenty five", or with
    `units_first` "پنځه ويشت" (five twenty) and "خمسة وعشرين". A scale word multiplies what stands
    before it since the last larger scale ("دو سو", "پنځه زره", "two hundred thousand"; alone it
    is one of it: "ہزار") and what follows is added ("دو ہزار پانچ سو"). Languages whose numbers up
    to a hundred are single words (Urdu "پچیس") list them as words and need nothing else. None when
    the words are not one number in that order ("five twenty" where tens come first)."""
    total = 0  # finished groups of a thousand and more
    group = 0  # the group being read, below the next scale of a thousand or more
    parts: list[int] = []  # words since the last scale
    hundred = False  # the group has had a scale below a thousand
    big: int | None = None  # the last scale of a thousand or more
    for value, is_scale in tokens:
        if not is_scale:
            parts.append(value)
            continue
        small = _group(parts, units_first=units_first, after_hundred=hundred)
        if small is None:
            return None
        group, parts = group + small, []
        if value < 1000:
            if hundred:
                return None
            group, hundred = (group or 1) * value, True
        else:
            if big is not None and value >= big:
                return None
            total, group, hundred, big = total + (group or 1) * value, 0, False, value
    small = _group(parts, units_first=units_first, after_hundred=hundred)
    if small is None or not tokens:
        return None
    return total + group + small


def find_quantities(text: str, language: str = "en", *, lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> list[Quantity]:
    """Every quantity phrase in `text`, left to right."""
    return [read_quantity(m.group(0), m.start(), language, lexicons=lexicons) for m in _compiled(language, lexicons).finditer(text)]
