"""actors.v2: find named armed groups and forces and normalise them to a canonical short name.

The aliases (in every language the project reads) are data in `lexicons/actors.yaml`. Short
all-capitals aliases ("IS", "ISK") match case-sensitively, so the verb "is" never becomes the
Islamic State; longer aliases ignore case. At one position the longest alias wins.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from functools import cache

from kwatch import lexicon
from kwatch.pipeline import Context, memo, stage
from kwatch.pipeline.model import ActorMention, PipelineDoc, Sentence
from kwatch.pipeline.scan import Scanner

#: Letters of an alias that is matched case-sensitively when written in capitals.
_SHORT_CAPITALS = 5
_SEPARATOR = r"[\s\-‐–—]*"
# No letter or digit may touch an alias; an apostrophe-s after it ("IS-KP's") is fine.
_BEFORE = r"(?<![\w])"
_AFTER = r"(?![^\W_])"


def phrase_regex(phrase: str) -> str:
    """A regex for a phrase in which spaces and hyphens match any run of spaces or hyphens."""
    parts = [re.escape(part) for part in re.split(r"[\s\-‐–—]+", phrase.strip()) if part]
    return _SEPARATOR.join(parts)


def is_case_sensitive(alias: str) -> bool:
    letters = [c for c in alias if c.isalpha()]
    return 0 < len(letters) <= _SHORT_CAPITALS and all(c.isupper() for c in letters)


@dataclasses.dataclass(frozen=True, slots=True)
class ActorMatcher:
    canonical: dict[str, str]  # alias key (see `_key`) -> canonical actor
    families: dict[str, str]  # canonical actor -> family ('islamic_state' or '')
    # One alternation per first word of the aliases (the case-sensitive ones apart): `re` tries
    # the alternatives of one pattern one by one at every place it is asked, and with a single
    # alternation of all 700 aliases that was most of the stage's time.
    scanner: Scanner
    # alias key -> provenance line, for the aliases a user lexicon file gave
    origins: dict[str, str] = dataclasses.field(default_factory=dict)
    # text -> its matches: several stages ask about one sentence (actors, casualties' group kills,
    # cues, attribution).
    _memo: memo.Memo[str, tuple[tuple[int, int, str], ...]] = dataclasses.field(default_factory=memo.Memo, compare=False, repr=False)

    def origin(self, alias: str) -> str | None:
        """The provenance line of an alias a user file gave (as matched in the text), else None."""
        return self.origins.get(_key(alias))

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Non-overlapping (start, end, actor) matches, longest first at each position."""
        return list(self._memo.remember(text, lambda: tuple(self._find(text))))

    def _find(self, text: str) -> list[tuple[int, int, str]]:
        found: list[tuple[int, int, str]] = []
        for _, matches in self.scanner.found(text):
            for match in matches:
                actor = self.canonical.get(_key(match.group(0)))
                if actor is not None:
                    found.append((match.start(), match.end(), actor))
        found.sort(key=lambda m: (m[0], -(m[1] - m[0])))
        kept: list[tuple[int, int, str]] = []
        for start, end, actor in found:
            if kept and start < kept[-1][1]:
                continue
            kept.append((start, end, actor))
        return kept


def _key(alias: str) -> str:
    return re.sub(r"[\s\-‐–—]+", "", alias).casefold()


def _alternations(aliases: list[str], flags: int) -> list[re.Pattern[str]]:
    """The aliases as patterns, one per first word, each with its longest aliases first."""
    by_first: dict[str, list[str]] = {}
    for alias in sorted(set(aliases), key=len, reverse=True):
        by_first.setdefault(re.split(r"[\s\-‐–—]+", alias.strip())[0].casefold(), []).append(alias)
    return [
        re.compile(f"{_BEFORE}(?:{'|'.join(phrase_regex(a) for a in group)}){_AFTER}", flags)
        for _, group in sorted(by_first.items())
    ]


@cache
def matcher(lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> ActorMatcher:
    """The actor patterns of lexicons/actors.yaml with the user's files of `lexicons` merged over
    it (cached per search path, so two stores' folders never mix)."""
    table = lexicon.load_file("actors.yaml", lexicons)
    data = table.data["actors"]
    exact: list[str] = []
    folded: list[str] = []
    canonical: dict[str, str] = {}
    families: dict[str, str] = {}
    origins: dict[str, str] = {}
    for actor, entry in data.items():
        families[actor] = entry.get("family", "")
        for language, aliases in entry["aliases"].items():
            for alias in aliases:
                (exact if is_case_sensitive(alias) else folded).append(alias)
                key = _key(alias)
                if key in canonical:
                    continue  # an alias two actors share belongs to the first
                canonical[key] = actor
                origin = table.origin("actors", actor, "aliases", language, alias)
                if origin is not None:
                    origins[key] = f"actor {actor}: alias {' '.join(alias.split()).casefold()!r} from user lexicon {origin}"
    return ActorMatcher(
        canonical=canonical,
        families=families,
        scanner=Scanner(_alternations(exact, 0) + _alternations(folded, re.IGNORECASE)),
        origins=origins,
    )


def is_islamic_state(actor: str | None) -> bool:
    """ISKP and IS proper: the groups this project monitors."""
    return actor is not None and matcher().families.get(actor) == "islamic_state"


@dataclasses.dataclass(frozen=True, slots=True)
class State:
    """An actor that is the authorities of a country (`state:` in actors.yaml), for a period."""

    actor: str
    country: str
    since: str | None  # YYYY-MM-DD, the first day it holds the state
    until: str | None  # YYYY-MM-DD, the first day it no longer does

    def holds(self, date: str | None) -> bool:
        """It holds the state on `date` (YYYY, YYYY-MM or YYYY-MM-DD, read as its first day); any
        date when `date` is None."""
        if date is None:
            return True
        day = (date + "-01-01")[:10] if len(date) == 4 else (date + "-01")[:10] if len(date) == 7 else date[:10]
        return (self.since is None or day >= self.since) and (self.until is None or day < self.until)


@cache
def states(lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> dict[str, State]:
    """The actors of actors.yaml that are a country's authorities, by canonical name."""
    data = lexicon.load_file("actors.yaml", lexicons).data["actors"]
    return {
        actor: State(actor, entry["state"], entry.get("since"), entry.get("until"))
        for actor, entry in data.items()
        if entry.get("state")
    }


def state_of(country: str | None, date: str | None, *, lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> str | None:
    """The actor that holds the authorities of `country` on `date`, if actors.yaml names one."""
    if country is None:
        return None
    return next((s.actor for s in states(lexicons).values() if s.country == country and s.holds(date)), None)


def sentence_of(sentences: tuple[Sentence, ...], offset: int) -> int:
    """Index of the sentence holding `offset` (the nearest earlier one between sentences)."""
    starts = [s.start for s in sentences]
    return max(bisect.bisect_right(starts, offset) - 1, 0)


class SentenceLocator:
    """`sentence_of` for many offsets of one document: the sentence starts are listed once."""

    def __init__(self, sentences: tuple[Sentence, ...]) -> None:
        self._sentences = sentences
        self._starts = [s.start for s in sentences]

    def __call__(self, offset: int) -> int:
        """The `index` of the sentence holding `offset`, as `sentences[sentence_of(...)].index`."""
        return self._sentences[max(bisect.bisect_right(self._starts, offset) - 1, 0)].index


def find_actors(text: str, sentences: tuple[Sentence, ...], *, lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> tuple[ActorMention, ...]:
    if not sentences:
        return ()
    found = matcher(lexicons)
    # Sentence by sentence: casualties.v2 and cues.v2 ask the matcher about each sentence again,
    # and it remembers (`memo`). No alias spans two sentences.
    return tuple(
        ActorMention(s.start + start, s.start + end, s.text[start:end], s.index, actor, origin=found.origin(s.text[start:end]))
        for s in sentences
        for start, end, actor in found.find(s.text)
    )


@stage("actors.v2", requires=("sentences",), assigns=("actors",))
def actors(doc: PipelineDoc, ctx: Context) -> PipelineDoc:
    """Find group and force names and normalise them to canonical actors (lexicons/actors.yaml,
    with the user's lexicon folders merged over it)."""
    found = find_actors(doc.text, doc.sentences or (), lexicons=lexicon.in_options(ctx.options))
    return doc.but(actors=found)
