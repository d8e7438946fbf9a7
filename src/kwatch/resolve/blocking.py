"""Blocking: which pairs of members are compared at all.

A member is *filed under* keys (`index_keys`) and *looks up* keys (`probe_keys`); two members
are a candidate pair when one looks up a key the other is filed under and `may_pair` (type,
country, dates) allows it. The relation is symmetric, and a pair depends on the two members
(and their documents) alone, with one exception: a key filed by too many members is *crowded*
and looked up differently (a period: only the same province; a word or a name: not at all), so
which keys are crowded is the one thing blocking needs to know of the rest (`crowded_keys`).

Key families (`|`-separated; the type comes first, so only events of one type meet):

    d|TYPE|DAY        the member's day (ordinal): its date's, or when the date is not a day, its
                      document's publication day. Looks up the days within WINDOW_DAYS.
    p|TYPE|PERIOD     each period its date lies in (year, month), also as p|TYPE|PERIOD|PROVINCE.
    q|TYPE|PERIOD     a month or year date looks up its period (p|...): every event in it, or,
                      when the period is crowded (more than COARSE_LIMIT), the same province's.
    w|TYPE|WORD       each word of its sentences (the quotes of `raw["sources"]`; words of four
                      letters or more and numbers, in any script).
    v|TYPE|WORD       a member with no day date (undated, or a month or year) looks up the
                      members sharing a rare word (filed by at most CONTENT_LIMIT members).
    n|TYPE|SKELETON   each name of its sentences as its consonant skeleton (`names.name_skeletons`:
                      the same in every script, so "Haqqani" and "حقاني" are one key).
    o|TYPE|SKELETON   a member with no day date looks up the members sharing a rare name, as v|.
    r|KEY             a release key (a repost or forward of one release).
    doc|DOCUMENT      the member's document: members of one document are compared.

So undated members meet their events through rare shared words (names, figures), rare names in
any script and their report's publication day; the decision weighs the evidence
(`content_similarity` is one).
`expand` works from the keys alone, so the neighbours of an event gone from the store are found
from its stored keys (`kwatch.resolve.incremental`).
"""

from __future__ import annotations

import hashlib
import itertools
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping
from datetime import date as Date
from functools import cache, lru_cache

from kwatch.resolve.members import DocumentInfo, Member, record_dates_compatible
from kwatch.resolve.names import name_skeletons
from kwatch.resolve.rules import COARSE_LIMIT, CONTENT_LIMIT, CONTENT_MIN_LETTERS, WINDOW_DAYS

#: Longest part of a key (a word, a province, a release key) kept as it is; a longer one ends in
#: a hash of the whole part (keys are stored, at most 255 characters).
_MAX_PART = 64

# -- keys ---------------------------------------------------------------------------------------


def index_keys(member: Member, document: DocumentInfo | None = None) -> frozenset[str]:
    """The keys `member` is filed under (`document`: its document, for the publication day)."""
    t = member.type
    keys = {f"doc|{member.document_id}"}
    day = anchor_day(member, document)
    if day is not None:
        keys.add(f"d|{t}|{day}")
    if member.date:
        province = _part(member.admin1) if member.admin1 else None
        for period in {member.date[:4], member.date[:7]}:
            keys.add(f"p|{t}|{period}")
            if province:
                keys.add(f"p|{t}|{period}|{province}")
        if member.day is None:  # a month or year: it looks up its period
            keys.add(f"q|{t}|{member.date}")
            if province:
                keys.add(f"q|{t}|{member.date}|{province}")
    keys.update(_word_keys(t, _quotes(member), member.day is None))
    keys.update(f"r|{_part(k)}" for k in member.release_keys)
    return frozenset(keys)


def probe_keys(member: Member, document: DocumentInfo | None = None, *, crowded: Collection[str] = frozenset()) -> frozenset[str]:
    """The keys `member` looks up: the members filed under them are its candidates (before
    `may_pair`). `crowded`: the keys filed by too many members (`crowded_keys`)."""
    return expand(index_keys(member, document), crowded=crowded)


def expand(keys: Iterable[str], *, crowded: Collection[str] = frozenset()) -> frozenset[str]:
    """The keys a member filed under `keys` looks up (what `probe_keys` gives, from the keys)."""
    found: set[str] = set()
    for key in keys:
        family, _, rest = key.partition("|")
        if family == "d":
            found.update(_days_around(key))
        elif family in ("p", "q"):
            kind, _, tail = rest.partition("|")
            period, _, province = tail.partition("|")
            full = f"p|{kind}|{period}"
            other = "q" if family == "p" else "p"
            if not province and full not in crowded:
                found.add(f"{other}|{kind}|{period}")
            elif province and full in crowded:
                found.add(f"{other}|{kind}|{period}|{province}")
        elif family in _RARE:
            if key not in crowded:
                found.add(_RARE[family] + rest)
        elif family in _RARE_LOOKUP:
            filed = _RARE_LOOKUP[family] + rest
            if filed not in crowded:
                found.add(filed)
        else:  # doc, r: members sharing the key meet
            found.add(key)
    return frozenset(found)


#: The families of rare keys (a word, a name): what a member filed under one is looked up by
#: (the key's lookup form, filed by members with no day date), and back.
_RARE = {"w": "v|", "n": "o|"}
_RARE_LOOKUP = {"v": "w|", "o": "n|"}


@lru_cache(maxsize=1 << 16)
def _days_around(key: str) -> tuple[str, ...]:
    """The day keys within WINDOW_DAYS of a day key."""
    head, _, day = key.rpartition("|")
    return tuple(f"{head}|{int(day) + step}" for step in range(-WINDOW_DAYS, WINDOW_DAYS + 1))


def limit(key: str) -> int | None:
    """How many members may be filed under `key` before it is crowded (None: no limit)."""
    if key.startswith("p|") and key.count("|") == 2:
        return COARSE_LIMIT
    if key[:2] in ("w|", "n|"):
        return CONTENT_LIMIT
    return None


def crowded_keys(counts: Mapping[str, int]) -> frozenset[str]:
    """Of keys with their counts of members filed under them, those over their `limit`."""
    found = set()
    for key, count in counts.items():
        most = limit(key)
        if most is not None and count > most:
            found.add(key)
    return frozenset(found)


def prober_key(key: str) -> str | None:
    """For a key that can be crowded, the key its lookers-up are filed under (whose candidates
    change when it becomes crowded, or stops being)."""
    if key.startswith("p|") and key.count("|") == 2:
        return "q" + key[1:]
    if key[:2] in ("w|", "n|"):
        return _RARE[key[0]] + key[2:]
    return None


def may_pair(a: Member, b: Member) -> bool:
    """The cheap test every candidate pair passes: one type, the same country (or one unknown),
    and dates that can be one day (day dates at most WINDOW_DAYS apart, a month or year that
    holds the other date, or no date)."""
    if a.id == b.id or a.type != b.type:
        return False
    if a.country and b.country and a.country != b.country:
        return False
    if a.day is not None and b.day is not None:
        return abs(a.day - b.day) <= WINDOW_DAYS
    return record_dates_compatible(a.date, b.date)


def anchor_day(member: Member, document: DocumentInfo | None) -> int | None:
    """The day (ordinal) a member is compared around: its date's, else its document's
    publication day (ISO date or datetime), else None."""
    if member.day is not None:
        return member.day
    published = document.published if document is not None else None
    if not published or len(published) < 10:
        return None
    try:
        return Date.fromisoformat(published[:10]).toordinal()
    except ValueError:
        return None


# -- content ------------------------------------------------------------------------------------


def content_words(member: Member) -> frozenset[str]:
    """The words of the member's sentences (its sources' quotes) that can tell one event from
    another in any script: folded words of CONTENT_MIN_LETTERS letters or more, and numbers in any
    digit system (as ASCII digits). Cached by the quotes' text."""
    return _words(_quotes(member))


def content_similarity(a: Member, b: Member) -> float:
    """The share of words (`content_words`) the two members' sentences have in common (Jaccard),
    in [0, 1]; 0 when either has none."""
    x, y = content_words(a), content_words(b)
    if not x or not y:
        return 0.0
    shared = len(x & y)
    return shared / (len(x) + len(y) - shared)


def _quotes(member: Member) -> tuple[str, ...]:
    return tuple(str(source.get("quote") or "") for source in member.raw.get("sources") or ())


@lru_cache(maxsize=1 << 16)
def _words(quotes: tuple[str, ...]) -> frozenset[str]:
    found = set()
    for word in _folded_words(" ".join(quotes)):
        if word.isdigit():
            found.add(str(int(word)))  # int() reads every decimal digit system
        elif len(word) >= CONTENT_MIN_LETTERS:
            found.add(_part(word))
    return frozenset(found)


@lru_cache(maxsize=1 << 16)
def _word_keys(kind: str, quotes: tuple[str, ...], looks_up: bool) -> tuple[str, ...]:
    """The w| keys of the words of `quotes` and the n| keys of their names, and their v| and o|
    keys when the member looks them up."""
    words = sorted(_words(quotes))
    names = sorted(name_skeletons(" ".join(quotes), CONTENT_MIN_LETTERS))
    filed = [f"w|{kind}|{word}" for word in words] + [f"n|{kind}|{name}" for name in names]
    if not looks_up:
        return tuple(filed)
    return tuple(filed + [f"v|{kind}|{word}" for word in words] + [f"o|{kind}|{name}" for name in names])


def _folded_words(text: str) -> list[str]:
    """`members.norm(text).split()`, faster (the marks stripped by one regular expression)."""
    folded = _combining().sub("", unicodedata.normalize("NFKD", text.casefold()))
    return [word for word in _NOT_WORD.split(folded) if word]


_NOT_WORD = re.compile(r"[\W_]+")


@cache
def _combining() -> re.Pattern[str]:
    """Every combining mark (what `members.norm` drops after NFKD), as one character class."""
    marks = [cp for cp in range(sys.maxunicode + 1) if unicodedata.combining(chr(cp))]
    ranges = []
    for _, run in itertools.groupby(enumerate(marks), key=lambda t: t[1] - t[0]):
        span = [cp for _, cp in run]
        ranges.append(f"{re.escape(chr(span[0]))}-{re.escape(chr(span[-1]))}" if len(span) > 1 else re.escape(chr(span[0])))
    return re.compile("[" + "".join(ranges) + "]")


# -- pairs --------------------------------------------------------------------------------------


def candidate_pairs(
    items: Mapping[str, Member],
    documents: Mapping[str, DocumentInfo] | None = None,
    *,
    crowded: Collection[str] | None = None,
) -> Iterator[tuple[str, str]]:
    """Every candidate pair (a < b) of `items` once, in order: the members that share a key
    (one looks it up, the other is filed under it) and `may_pair`. Which keys are crowded is
    counted over `items`, unless `crowded` says (when `items` are part of a larger set: the
    keys crowded in all of it)."""
    documents = documents or {}
    ids = sorted(items)
    filed: dict[str, list[str]] = defaultdict(list)
    canonical: dict[str, str] = {}  # one string per key, so each member's keys cost a reference each
    keys_of: dict[str, tuple[str, ...]] = {}
    for eid in ids:
        keys = tuple(canonical.setdefault(key, key) for key in index_keys(items[eid], documents.get(items[eid].document_id)))
        keys_of[eid] = keys
        for key in keys:
            filed[key].append(eid)
    del canonical
    if crowded is None:
        crowded = crowded_keys({key: len(held) for key, held in filed.items() if limit(key) is not None})
    for a in ids:
        member = items[a]
        found: set[str] = set()
        for key in expand(keys_of.pop(a), crowded=crowded):
            held = filed.get(key)
            if held:
                found.update(held)
        for b in sorted(b for b in found if b > a):
            if may_pair(member, items[b]):
                yield (a, b)


def _part(text: str) -> str:
    """A part of a key (a word, a province, a release key): without `|`, at most _MAX_PART
    characters (a longer one ends in a hash of the whole)."""
    if "|" in text:
        text = text.replace("|", "/")
    if len(text) <= _MAX_PART:
        return text
    return text[: _MAX_PART - 17] + "#" + hashlib.sha1(text.encode()).hexdigest()[:16]
