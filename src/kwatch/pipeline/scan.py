"""Run many lexicon regexes over one text fast, with exactly the matches of `pattern.finditer()`.

CPython's `re` cannot skip ahead in a case-blind pattern that opens with a look-behind
(`(?<![\\w])(?:attack|assault|…)`): it tries every alternative at every position, so each pattern
costs a full pass over the text whether or not any of its words occur. A `Scanner` reads each
pattern's syntax tree once to find the literal words one of which must open every match (its
*first words*), finds all of them in one Aho-Corasick pass over the case-folded text, and then
tries each pattern only where one of its first words starts, with `pattern.match(text, pos)`.
Look-behinds and `\\b` still see the text before `pos`, and a match is only tried at a position
`finditer` would reach (after the end of the previous match), so the matches are the same.

Patterns whose matches may open with something other than a literal word (a character class, a
look-around only, an empty match) are run with `finditer` as before.
"""

from __future__ import annotations

import _sre  # unicode_tolower: the simple lower case that `re` compares
import bisect
import re
import re._casefix as sre_casefix  # the extra case-blind equivalences of `re` ('σ' ~ 'ς' …)
import re._constants as C  # noqa: N812 - the opcodes of the parse tree
import re._parser as sre_parse
from collections.abc import Iterable, Sequence
from functools import lru_cache

import ahocorasick

from kwatch.pipeline import memo

#: Shortest first word worth indexing: shorter ones occur so often that a plain pass is cheaper.
MIN_WORD = 1
#: Fewest characters of text per candidate start below which a plain pass is cheaper too.
MIN_CHARS_PER_CANDIDATE = 8

#: The first word of a pattern that may open with a digit (`\\d`): every digit of the text is a
#: candidate start (`_DIGIT_RUN` reads the same class, so no start `finditer` would try is missed);
#: for a pattern that cannot follow a digit, the first digit of each run.
DIGIT = "\\d"
#: A run of digits: one pass gives both lists (`(?<!\\d)\\d` opens with a look-behind, which `re`
#: tries at every position, at three times the cost).
_DIGIT_RUN = re.compile(r"\d+")

_ZERO_WIDTH = {C.AT, C.ASSERT, C.ASSERT_NOT}
_REPEATS = {C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT}
_SMALL_SET = 12  # largest character class expanded into one-character words


def first_words(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """The case-folded literal words one of which starts every match of `pattern`, or None when a
    match may start with anything else (or be empty)."""
    try:
        tree = sre_parse.parse(pattern.pattern, pattern.flags)
    except (re.error, RecursionError):
        return None
    words, nullable = _first(list(tree), 0)
    if words is None or nullable or not words:
        return None
    return frozenset(words)


def opens_after_no_digit(pattern: re.Pattern[str]) -> bool:
    """Whether no match of `pattern` can start right after a digit: it opens with a look-behind
    of one character class that holds every decimal digit (`WORD_START`: "(?<![^\\W_])")."""
    try:
        tree = list(sre_parse.parse(pattern.pattern, pattern.flags))
    except (re.error, RecursionError):
        return False
    if not tree or tree[0][0] is not C.ASSERT_NOT:
        return False
    direction, body = tree[0][1]
    body = list(body)
    if direction != -1 or len(body) != 1 or body[0][0] is not C.IN:
        return False
    return _holds_every_digit(body[0][1])


#: The class items that hold no decimal digit, and those that hold them all.
_NO_DIGIT = {C.CATEGORY_NOT_WORD, C.CATEGORY_NOT_DIGIT, C.CATEGORY_SPACE, C.CATEGORY_LINEBREAK}
_EVERY_DIGIT = {C.CATEGORY_DIGIT, C.CATEGORY_WORD}
_LARGE_RANGE = 5000  # a range of more characters is not checked for digits (taken to hold some)


def _holds_every_digit(items: Sequence[tuple[object, object]]) -> bool:
    """Whether a character class (its parse-tree items) matches every decimal digit."""
    if items and items[0][0] is C.NEGATE:
        # The complement holds every digit when no item matches one.
        for op, av in items[1:]:
            if op is C.CATEGORY and av in _NO_DIGIT:
                continue
            if op is C.LITERAL and not chr(av).isdecimal():  # type: ignore[arg-type]
                continue
            if op is C.RANGE and av[1] - av[0] < _LARGE_RANGE and not any(  # type: ignore[index]
                    chr(c).isdecimal() for c in range(av[0], av[1] + 1)):  # type: ignore[index]
                continue
            return False
        return True
    return any(op is C.CATEGORY and av in _EVERY_DIGIT for op, av in items)


def _first(items: Sequence[tuple[object, object]], depth: int) -> tuple[set[str] | None, bool]:
    """(first words, can the sequence match empty) of a sequence of parse-tree nodes."""
    if depth > 50:
        return None, True
    words: set[str] = set()
    i = 0
    while i < len(items):
        op, av = items[i]
        if op in _ZERO_WIDTH:
            i += 1
            continue
        if op is C.LITERAL:
            run = []
            while i < len(items) and items[i][0] is C.LITERAL:
                run.append(fold(chr(items[i][1])))  # type: ignore[arg-type]
                i += 1
            words.add("".join(run))
            return words, False
        if op is C.SUBPATTERN:
            found, nullable = _first(list(av[-1]), depth + 1)  # type: ignore[index]
        elif op is C.BRANCH:
            found, nullable = set(), False
            for alternative in av[1]:  # type: ignore[index]
                alt_words, alt_nullable = _first(list(alternative), depth + 1)
                if alt_words is None:
                    return None, False
                found |= alt_words
                nullable = nullable or alt_nullable
        elif op in _REPEATS:
            low, _high, body = av  # type: ignore[misc]
            found, nullable = _first(list(body), depth + 1)  # type: ignore[has-type]
            nullable = nullable or low == 0  # type: ignore[has-type]
        elif op is C.IN:
            found, nullable = _class_words(av), False  # type: ignore[arg-type]
        else:
            return None, False
        if found is None:
            return None, False
        words |= found
        if not nullable:
            return words, False
        i += 1
    return words, True


def _class_words(items: Sequence[tuple[object, object]]) -> set[str] | None:
    chars: set[str] = set()
    for op, av in items:
        if op is C.CATEGORY and av is C.CATEGORY_DIGIT:
            chars.add(DIGIT)  # `\\d`: found by `_DIGIT_RUN`, not by the automaton
        elif op is C.LITERAL:
            chars.add(fold(chr(av)))  # type: ignore[arg-type]
        elif op is C.RANGE and av[1] - av[0] < _SMALL_SET:  # type: ignore[index]
            chars.update(fold(chr(c)) for c in range(av[0], av[1] + 1))  # type: ignore[index]
        else:
            return None
    return chars if len(chars) <= _SMALL_SET else None


#: Above this no character has a case.
_LAST_CASED = 0x1FFFF


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    """The characters for which `str.lower()` is not their case-blind class in `re`, each mapped to
    its class's representative: a lower case of two characters ('İ'), and the members of the
    extra equivalences of `re._casefix` ('ı' ~ 'i', 'ſ' ~ 's', 'ς' ~ 'σ', 'ᲁ' ~ 'д' …)."""
    representative: dict[int, int] = {}
    for lower, others in sre_casefix._EXTRA_CASES.items():
        members = {lower, *others}
        for member in members:
            representative[member] = min(members)
    table: dict[int, str] = {}
    for code in range(128, _LAST_CASED + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue
        lower = chr(code).lower()
        simple = ord(lower) if len(lower) == 1 else _sre.unicode_tolower(code)
        folded = representative.get(simple, simple)
        if len(lower) != 1 or folded != ord(lower):
            table[code] = chr(folded)
    return table


@lru_cache(maxsize=1)
def _special() -> re.Pattern[str]:
    return re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_fold_table())) + "]")


def fold(text: str) -> str:
    """`text` case-folded, one character for one (offsets stay valid), so that two characters are
    equal after folding when a case-blind `re` literal of one matches the other."""
    if text.isascii():
        return text.lower()
    if _special().search(text):
        text = text.translate(_fold_table())
    return text.lower()


#: text -> `fold(text)`: the stages' scanners read each sentence about eight times over (dates,
#: places, casualties, cues, attribution …), each folding it again (emptied per document: `memo`).
_FOLDED: memo.Memo[str, str] = memo.Memo()


def _folded(text: str) -> str:
    """`fold(text)`, once per text of a document."""
    return _FOLDED.of(text, fold)


#: text -> (the offset of every digit, of the first digit of each run): the dates', the figures' and
#: the cues' scanners all ask (emptied per document: `memo`).
_DIGITS: memo.Memo[str, tuple[list[int], list[int]]] = memo.Memo()


def _digits(text: str) -> tuple[list[int], list[int]]:
    """Where the digits of `text` are, once per text of a document; the lists are shared (never
    changed: a `Scan` keeps them as its candidates)."""
    return _DIGITS.of(text, _find_digits)


def _find_digits(text: str) -> tuple[list[int], list[int]]:
    every: list[int] = []
    firsts: list[int] = []
    for run in _DIGIT_RUN.finditer(text):
        start, end = run.span()
        firsts.append(start)
        every.extend(range(start, end))
    return every, firsts


class Scanner:
    """Every match of each of `patterns` in a text, as `finditer` and `search` give them."""

    def __init__(self, patterns: Iterable[re.Pattern[str]]) -> None:
        self.patterns: tuple[re.Pattern[str], ...] = tuple(patterns)
        # By identity: a compiled pattern hashes its whole compiled code on every lookup, which
        # for a long alternation (the actors' aliases) cost more than the scan itself.
        self._index = {id(pattern): i for i, pattern in enumerate(self.patterns)}
        self._indexed: list[bool] = []
        self._digit_owners: list[int] = []  # may start at any digit
        self._run_owners: list[int] = []  # only at the first digit of a run
        owners: dict[str, list[int]] = {}
        for index, pattern in enumerate(self.patterns):
            words = first_words(pattern)
            self._indexed.append(words is not None and min(map(len, words)) >= MIN_WORD)
            if self._indexed[-1]:
                for word in words or ():
                    if word == DIGIT:
                        (self._run_owners if opens_after_no_digit(pattern) else self._digit_owners).append(index)
                    else:
                        owners.setdefault(word, []).append(index)
        self._automaton: ahocorasick.Automaton | None = None
        if owners:
            automaton = ahocorasick.Automaton()
            for word, indices in owners.items():
                # (how far back the word starts from where it ends, its patterns)
                automaton.add_word(word, (len(word) - 1, tuple(indices)))
            automaton.make_automaton()
            self._automaton = automaton
        # (owners, 0: at every digit | 1: at the first of each run)
        self._digit_passes = tuple((owners, which) for which, owners in enumerate((self._digit_owners, self._run_owners)) if owners)
        self._plain = {index for index, indexed in enumerate(self._indexed) if not indexed}

    def scan(self, text: str) -> Scan:
        """Find where each pattern may match in `text` (one pass); then ask the `Scan`."""
        starts: dict[int, list[int]] = {}
        if self._automaton is not None:
            get = starts.get
            for end, (back, indices) in self._automaton.iter(_folded(text)):
                start = end - back
                for index in indices:
                    found = get(index)
                    if found is None:
                        starts[index] = [start]  # (not setdefault: a new list for every word found)
                    else:
                        found.append(start)
        for owners, which in self._digit_passes:
            digits = _digits(text)[which]
            if digits:
                for index in owners:
                    found = starts.get(index)
                    if found is None:
                        # The shared list (`_digits`) for a pattern that opens only with a digit
                        # here (dates have a score of them): candidates are read, never changed.
                        starts[index] = digits
                    else:
                        found.extend(digits)
        return Scan(self, text, starts)

    def found(self, text: str) -> list[tuple[int, list[re.Match[str]]]]:
        """(pattern number, `list(pattern.finditer(text))`) for the patterns that match, in
        their order: for a scanner of many patterns few of which occur in a text."""
        scan = self.scan(text)
        asked = sorted(set(scan._starts) | self._plain)
        return [(index, found) for index in asked if (found := scan.matches(index))]

    def finditer_all(self, text: str) -> list[list[re.Match[str]]]:
        """For each pattern, `list(pattern.finditer(text))`."""
        found = self.scan(text)
        return [found.matches(index) for index in range(len(self.patterns))]


class Scan:
    """One text as a `Scanner` read it: the matches of its patterns, each found only where it can start."""

    __slots__ = ("text", "_scanner", "_starts", "_limit", "_index", "_indexed")

    def __init__(self, scanner: Scanner, text: str, starts: dict[int, list[int]]) -> None:
        self.text = text
        self._scanner = scanner
        self._starts = starts  # pattern index -> offsets where one of its first words starts
        self._limit = len(text) // MIN_CHARS_PER_CANDIDATE
        self._index = scanner._index
        self._indexed = scanner._indexed

    # The questions below are asked of every sentence by every stage, most of them of a pattern
    # none of whose first words occurs: each answers in as few calls as it can.

    def _candidates(self, pattern: re.Pattern[str]) -> list[int] | None:
        """Sorted offsets where `pattern` may match, or None when a plain pass is needed (not
        indexed, not one of the scanner's patterns, or too many candidates to be worth it)."""
        index = self._index.get(id(pattern))
        return None if index is None else self._candidates_of(index)

    def _candidates_of(self, index: int) -> list[int] | None:
        """`_candidates` of the scanner's pattern number `index`."""
        if not self._indexed[index]:
            return None
        starts = self._starts.get(index)
        if not starts:
            return []
        if len(starts) > self._limit:
            return None
        return sorted(set(starts)) if len(starts) > 1 else starts

    def finditer(self, pattern: re.Pattern[str]) -> list[re.Match[str]]:
        """`list(pattern.finditer(text))`."""
        index = self._index.get(id(pattern))
        return list(pattern.finditer(self.text)) if index is None else self.matches(index)

    def matches(self, index: int) -> list[re.Match[str]]:
        """`finditer` of the scanner's pattern number `index` (no lookup of the pattern): the
        scanner's hottest loop, `_candidates_of` and `_all_matches_at` written out."""
        pattern = self._scanner.patterns[index]
        starts = self._starts.get(index)
        if not self._indexed[index] or (starts and len(starts) > self._limit):
            return list(pattern.finditer(self.text))
        if not starts:
            return []
        if len(starts) > 1:
            starts = sorted(set(starts))
        found: list[re.Match[str]] = []
        resume = 0
        match, text = pattern.match, self.text
        for start in starts:
            if start < resume:
                continue
            hit = match(text, start)
            if hit is not None:
                found.append(hit)
                resume = hit.end()
        return found

    def may_match(self, pattern: re.Pattern[str]) -> bool:
        """False when `pattern` cannot match: one of the scanner's patterns none of whose first
        words occurs in the text."""
        index = self._index.get(id(pattern))
        return index is None or not self._indexed[index] or bool(self._starts.get(index))

    def search_in(self, pattern: re.Pattern[str], pos: int, endpos: int) -> re.Match[str] | None:
        """`pattern.search(text, pos, endpos)`: the leftmost match in one stretch (a sentence of
        a scanned document)."""
        starts = self._candidates(pattern)
        if starts is None:
            return pattern.search(self.text, pos, endpos)
        for start in starts[bisect.bisect_left(starts, pos):]:
            if start >= endpos:
                break
            hit = pattern.match(self.text, start, endpos)
            if hit is not None:
                return hit
        return None

    def finditer_in(self, pattern: re.Pattern[str], pos: int, endpos: int) -> list[re.Match[str]]:
        """`list(pattern.finditer(text, pos, endpos))`."""
        starts = self._candidates(pattern)
        if starts is None:
            return list(pattern.finditer(self.text, pos, endpos))
        found: list[re.Match[str]] = []
        resume = pos
        for start in starts[bisect.bisect_left(starts, pos):]:
            if start >= endpos:
                break
            if start < resume:
                continue
            hit = pattern.match(self.text, start, endpos)
            if hit is not None:
                found.append(hit)
                resume = hit.end()
        return found

    def search(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        """`pattern.search(text)`: the leftmost match."""
        index = self._index.get(id(pattern))
        starts = None if index is None else self._candidates_of(index)
        if starts is None:
            return pattern.search(self.text)
        match, text = pattern.match, self.text
        for start in starts:  # the first start with a match: `finditer`'s first
            hit = match(text, start)
            if hit is not None:
                return hit
        return None
