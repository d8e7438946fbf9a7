"""Sites in the languages of the name table (fa, ps, ar, ur, ru, tg, uz, ky), for places.v2.

A site is a head noun of the language ("مسجد", "посольство", "аэропорти") with its name or
qualifier beside it: after the head (`sites.heads_first` in places.yaml: "مسجد امام زمان",
"سفارت روسیه", "بنك كابول", "посольства России", "мақбараи Сахӣ") or before it
(`sites.heads_last`: "Кобул аэропорти", "Хитой меҳмонхонаси", "د روسیې سفارت", "کابل
ایئرپورٹ"). Each head has its canonical English kind ('mosque', 'embassy' …), takes the
`head_endings` of the language (kept in the site) and, after them, `case_endings` (left out:
Uzbek "меҳмонхонаси|га"), after an optional clitic (`head_clitics`, left out) and article
(`head_articles`, kept).

The qualifier is, in this order: a name in quotes («Крокус Сити Холл»); a known place of the name
table or gazetteer, possibly after a `links` word ("аэропорта города Кабул") or, before the head,
before a `genitive` postposition ("پشاور کی … مسجد"); a nationality adjective (`demonyms`:
"السفارة الروسية", "российского посольства"); else up to `name_words` words that are not
`stopwords`, capitalised where the language writes names so (`capitalised`). A name without
capitals must end where a clause does (a stopword, punctuation, a known place, the sentence's end);
before the head it must open with a `name_lead` word ("د … جومات"), which is left out of the site.
`between` words may stand between the name and a head after it and belong to the site ("شیعہ
جامع مسجد"); `interposed` ones stand there but are not part of its name (Pashto "د … په وزارت
کې"). A site beside a `speakers` word is the institution that speaks ("سخنگوی وزارت"), not a
place.

Where the site is: a known place inside it that is not its owner ("Кобулдаги Хитой меҳмонхонаси"),
else the known place it is named by ("аэропорт Кабула") unless the clause goes on to name another
place that disagrees ("بنك كابول في جلال أباد": Kabul Bank in Jalalabad) or the site is a branch of a
chain (`BRANCHED`: a bank stands where the sentence says, never where its name says), else the
nearest known place of the sentence. A site named for a place that a document placed elsewhere keeps that place when told
again. A country that names the site is its owner (`site_of`): an embassy or a consulate
(`ABROAD`) is never in it ("سفارت روسیه در کابل"), any other site is unless the sentence names a
place inside that country ("МИД Афганистана в Кабуле"). A site the sentence does not place is not
read: its missing country would be the event's.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from kwatch import lexicon
from kwatch.gazetteer import Gazetteer
from kwatch.pipeline.model import PlaceMention, Sentence
from kwatch.pipeline.scan import Scan
from kwatch.pipeline.words import WORD_END, WORD_START, fold, literal_alternation

#: Kinds whose owner country is never where the site is (canonical values, not words).
ABROAD = frozenset({"embassy", "consulate"})
#: Kinds of chains with branches: one named for a place ("Kabul Bank") stands where the sentence
#: says (or the document said), never where its name says.
BRANCHED = frozenset({"bank"})

#: A word: a letter, then letters and digits, joined by a ZWNJ, an apostrophe or a hyphen. (A run
#: of letters is one repeat, not one repeat a letter: the same words, found faster.)
_WORD = re.compile(r"[^\W\d_](?:[^\W_]+|[\u200c'’ʼ\-](?=[^\W_]))*")
_SPACES = re.compile(r"[^\S\n]*|[^\S\n]*\n[^\S\n]*")
_CLAUSE_BREAK = re.compile(r"[^\w\s\u200c]")


@dataclasses.dataclass(frozen=True, slots=True)
class SiteRules:
    """`sites` of a language's places.yaml, compiled once."""

    first: re.Pattern[str] | None  # a head whose name follows it
    last: re.Pattern[str] | None  # a head whose name stands before it
    kinds_first: Mapping[str, str]  # folded head -> kind
    kinds_last: Mapping[str, str]
    lead: frozenset[str]
    genitive: frozenset[str]
    between: frozenset[str]
    interposed: frozenset[str]
    links: frozenset[str]
    joiners: frozenset[str]
    stopwords: frozenset[str]
    speakers: frozenset[str]
    speaker_before: re.Pattern[str] | None  # a speaker word (or phrase) right before a site
    speaker_after: re.Pattern[str] | None  # … or right after it
    demonyms: Mapping[str, str]  # folded stem -> country code
    demonym_endings: tuple[str, ...]
    quotes: Mapping[str, str]  # opening -> closing mark
    name_words: int
    capitalised: bool
    place_before: bool  # a known place right before a head names it ("Кобул аэропорти")
    possessive: bool  # a head after its name takes one of its endings ("аэропорт-и"), else it has no name


def _head_pattern(heads: Mapping[str, str], data: Mapping[str, Any]) -> re.Pattern[str] | None:
    if not heads:
        return None
    clitics = data.get("head_clitics") or []
    articles = data.get("head_articles") or []
    endings = data.get("head_endings") or []
    cases = data.get("case_endings") or []
    clitic = rf"(?:{literal_alternation(clitics)})?" if clitics else ""
    article = rf"(?:{literal_alternation(articles)})?" if articles else ""
    ending = rf"(?P<ending>{literal_alternation(endings)})?" if endings else ""
    case = rf"(?:{literal_alternation(cases)})?" if cases else ""
    return re.compile(
        rf"{WORD_START}{clitic}(?P<head>{article}(?P<stem>{literal_alternation(heads)}){ending}){case}{WORD_END}", re.IGNORECASE
    )


@cache
def site_rules(language: str, lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> SiteRules | None:
    """The site rules of `language` (None when its places.yaml gives no `sites`)."""
    data: dict[str, Any] = (lexicon.load("places", language, path=lexicons) or {}).get("sites") or {}
    first: dict[str, str] = data.get("heads_first") or {}
    last: dict[str, str] = data.get("heads_last") or {}
    if not first and not last:
        return None

    def words(key: str) -> frozenset[str]:
        return frozenset(fold(w) for w in data.get(key) or ())

    speakers = data.get("speakers") or []
    spoken = literal_alternation(speakers)

    return SiteRules(
        first=_head_pattern(first, data),
        last=_head_pattern(last, data),
        kinds_first={fold(k): v for k, v in first.items()},
        kinds_last={fold(k): v for k, v in last.items()},
        lead=words("name_lead"),
        genitive=words("genitive"),
        between=words("between"),
        interposed=words("interposed"),
        links=words("links"),
        joiners=words("joiners"),
        stopwords=words("stopwords"),
        speakers=words("speakers"),
        speaker_before=re.compile(rf"{WORD_START}(?:{spoken})[^\S\n]*$", re.IGNORECASE) if speakers else None,
        speaker_after=re.compile(rf"[^\S\n]*[,،]?[^\S\n]*(?:{spoken}){WORD_END}", re.IGNORECASE) if speakers else None,
        demonyms={fold(k): v for k, v in (data.get("demonyms") or {}).items()},
        demonym_endings=tuple(sorted({fold(e) for e in data.get("demonym_endings") or ()}, key=len, reverse=True)),
        quotes={pair[0]: pair[1] for pair in data.get("quotes") or ()},
        name_words=int(data.get("name_words") or 3),
        capitalised=bool(data.get("capitalised")),
        place_before=bool(data.get("place_before", True)),
        possessive=bool(data.get("possessive")),
    )


@dataclasses.dataclass(frozen=True, slots=True)
class Name:
    """A known place name in a sentence (sentence offsets), located or not: the country of
    "посольство России" names the embassy's owner and is no location of the sentence."""

    start: int
    end: int
    mention: PlaceMention  # resolved as a location would be
    located: bool


@dataclasses.dataclass(slots=True)
class _Site:
    start: int
    end: int
    kind: str
    places: list[Name]  # known places inside the site, nearest the head first
    owner: str | None = None  # a country code
    named_by: Name | None = None  # the known place the name is ("аэропорт Кабула")
    dropped: list[tuple[int, int]] = dataclasses.field(default_factory=list)  # interposed words


class _Reader:
    def __init__(self, text: str, rules: SiteRules, names: Sequence[Name]) -> None:
        self.text = text
        self.rules = rules
        self.names = names
        self.words = [m.span() for m in _WORD.finditer(text)]
        self.word_starts = [s for s, _ in self.words]
        self.word_ends = [e for _, e in self.words]

    # -- words around a position ---------------------------------------------------------------

    def _adjacent(self, a: int, b: int) -> bool:
        return a <= b and _SPACES.fullmatch(self.text, a, b) is not None

    def word_after(self, pos: int) -> int | None:
        """Index of the word that follows `pos` across spaces only (None: punctuation, a digit or
        the end of the sentence comes first)."""
        i = bisect.bisect_left(self.word_starts, pos)
        return i if i < len(self.words) and self._adjacent(pos, self.words[i][0]) else None

    def word_before(self, pos: int) -> int | None:
        i = bisect.bisect_right(self.word_ends, pos) - 1
        return i if i >= 0 and self._adjacent(self.words[i][1], pos) else None

    def folded(self, i: int) -> str:
        s, e = self.words[i]
        return fold(self.text[s:e])

    def name_at(self, start: int) -> Name | None:
        return next((n for n in self.names if n.start == start), None)

    def name_ending(self, end: int) -> Name | None:
        return next((n for n in self.names if n.end == end), None)

    def demonym(self, i: int) -> str | None:
        word = self.folded(i)
        for stem, code in self.rules.demonyms.items():
            if word == stem or (word.startswith(stem) and word[len(stem):] in self.rules.demonym_endings):
                return code
        return None

    def is_name_word(self, i: int) -> bool:
        word = self.folded(i)
        if word in self.rules.stopwords or word in self.rules.speakers:
            return False
        return not self.rules.capitalised or self.text[self.words[i][0]].isupper()

    def quote_after(self, pos: int) -> tuple[int, int] | None:
        at = pos + len(self.text[pos:]) - len(self.text[pos:].lstrip(" \t"))
        close = self.rules.quotes.get(self.text[at:at + 1])
        if close is None:
            return None
        end = self.text.find(close, at + 1, at + 80)
        return (at, end + 1) if end > at + 1 else None

    def quote_before(self, pos: int) -> tuple[int, int] | None:
        head = self.text[:pos].rstrip(" \t")
        if not head:
            return None
        for opener, close in self.rules.quotes.items():
            if head[-1] == close:
                start = head.rfind(opener, max(0, len(head) - 80), len(head) - 1)
                if start >= 0 and len(head) - start > 2:
                    return start, len(head)
        return None

    def speaks(self, start: int, end: int) -> bool:
        """The site is an institution that speaks ("سخنگوی وزارت …", "… وزارت ویاند", "… کے مطابق")."""
        before, after = self.rules.speaker_before, self.rules.speaker_after
        return bool((before and before.search(self.text, max(0, start - 40), start)) or (after and after.match(self.text, end)))

    # -- the two orders ------------------------------------------------------------------------

    def name_after(self, head: re.Match[str]) -> _Site | None:
        """The head first, its name after it: "سفارت روسیه", "посольства России", «…»."""
        kind = self.rules.kinds_first.get(fold(head.group("stem")))
        if kind is None:
            return None
        start, pos = head.start("head"), head.end()
        quoted = self.quote_after(pos)
        if quoted:
            return _Site(start, quoted[1], kind, [])
        i = self.word_after(pos)
        if i is None:
            return None
        if self.folded(i) in self.rules.links:  # "аэропорта города Кабул"
            j = self.word_after(self.words[i][1])
            linked = self.name_at(self.words[j][0]) if j is not None else None
            if linked is not None:
                return self._named(start, linked.end, kind, linked)
        name = self.name_at(self.words[i][0])
        if name is not None:
            return self._named(start, name.end, kind, name)
        taken: list[int] = []
        k: int | None = i
        ended = True  # a name without capitals must end where a clause does
        while k is not None:
            if self.name_at(self.words[k][0]) is not None or not self.is_name_word(k):
                break
            if len(taken) == self.rules.name_words:
                ended = self.rules.capitalised
                break
            taken.append(k)
            code = self.demonym(k)
            if code is not None:  # "السفارة الروسية", "وزارة الخارجية الروسية": that country's
                return _Site(start, self.words[k][1], kind, [], owner=code)
            k = self.word_after(self.words[k][1])
        while taken and self.folded(taken[-1]) in self.rules.joiners:
            taken.pop()
        if not taken or not ended:
            return None
        return _Site(start, self.words[taken[-1]][1], kind, [])

    def _named(self, start: int, end: int, kind: str, name: Name) -> _Site:
        if name.mention.precision == "country":
            return _Site(start, end, kind, [], owner=name.mention.country)
        return _Site(start, end, kind, [name], named_by=name)

    def name_before(self, head: re.Match[str]) -> _Site | None:
        """The name first, the head after it: "Кобул аэропорти", "د روسیې سفارت", "پشاور کی … مسجد"."""
        kind = self.rules.kinds_last.get(fold(head.group("stem")))
        if kind is None or (self.rules.possessive and not head.groupdict().get("ending")):
            return None
        left = head.start()
        dropped: list[tuple[int, int]] = []
        i = self.word_before(left)
        for _ in range(2):  # "شیعہ جامع مسجد", "د … په وزارت"
            if i is None or self.folded(i) not in self.rules.between | self.rules.interposed:
                break
            if self.folded(i) in self.rules.interposed:
                dropped.append(self.words[i])
            left = self.words[i][0]
            i = self.word_before(left)
        places: list[Name] = []
        owner: str | None = None
        sure: int | None = None  # where the site starts for certain
        pending: int | None = None  # unsure words (no capitals) wait for a lead word
        waiting: list[Name] = []  # the known places among them
        quoted = self.quote_before(left)
        if quoted:
            left = sure = quoted[0]

        def own(name: Name) -> None:
            nonlocal owner
            if name.mention.precision == "country":
                owner = owner or name.mention.country
            else:
                places.append(name)

        for _ in range(2 * self.rules.name_words):
            i = self.word_before(left)
            if i is None:
                break
            s, e = self.words[i]
            word = self.folded(i)
            name = self.name_ending(e)
            if name is not None and pending is None and (self.rules.place_before or sure is not None):
                own(name)
                left = sure = name.start
                continue
            if name is not None:  # inside a name that waits for its lead ("د ننګرهار ولایت روغتون")
                waiting.append(name)
                left = pending = name.start
                continue
            if word in self.rules.genitive and pending is None:
                g = self.word_before(s)
                owned = self.name_ending(self.words[g][1]) if g is not None else None
                if owned is not None:
                    own(owned)
                    sure = owned.start
                break
            if word in self.rules.lead:
                if pending is not None:
                    sure = pending
                    for name in waiting:
                        own(name)
                break
            code = self.demonym(i)
            if code is not None and pending is None:
                owner = owner or code
                left = sure = s
                continue
            if word in self.rules.joiners:
                left = s
                continue
            if not self.is_name_word(i):
                break
            left = s
            if self.rules.capitalised:
                sure = s
            else:
                pending = s
        if sure is None:
            return None  # a head with no name
        start = sure
        while (j := self.word_after(start)) is not None and self.words[j][0] == start and self.folded(j) in self.rules.joiners:
            start = self.words[j + 1][0] if j + 1 < len(self.words) else head.start()
        if start >= head.start():
            return None
        named_by = places[0] if places and self._next_to_head(places[0], head) else None
        return _Site(start, head.end("head"), kind, places, owner=owner, named_by=named_by,
                     dropped=[d for d in dropped if start <= d[0]])

    def _next_to_head(self, name: Name, head: re.Match[str]) -> bool:
        words = self.text[name.end:head.start()].split()
        return all(fold(w) in self.rules.between | self.rules.interposed | self.rules.genitive for w in words)


def canonical(mention: PlaceMention) -> str | None:
    """The gazetteer's name of a known place: its town, district or province, or its country code."""
    if mention.precision == "country":
        return mention.country
    return {"town": mention.place, "district": mention.admin2, "province": mention.admin1}.get(mention.precision)


def _inside(mention: PlaceMention, country: str | None) -> bool:
    return mention.country == country and mention.precision != "country"


def _location(site: _Site, sentence: Sentence, located: Sequence[PlaceMention], gazetteer: Gazetteer,
              text: str, placed: dict[tuple[str, str | None], PlaceMention]) -> PlaceMention | None:
    def local(m: PlaceMention) -> tuple[int, int]:
        return m.start - sentence.start, m.end - sentence.start

    outside = [m for m in located if local(m)[1] <= site.start or local(m)[0] >= site.end]
    nearest = sorted(outside, key=lambda m: abs(local(m)[0] - site.start))
    inner = [n.mention for n in site.places if n.located or n is site.named_by]
    if site.owner is not None:
        inside_owner = [m for m in inner + nearest if _inside(m, site.owner)]
        if inside_owner:
            return inside_owner[0]
        if site.kind in ABROAD:
            others = [m for m in inner + nearest if not (m.precision == "country" and m.country == site.owner)]
            return others[0] if others else None
        entry = gazetteer.country(site.owner)
        if entry is None:
            return None
        return PlaceMention(sentence.start + site.start, sentence.start + site.end, "", sentence.index, entry.country,
                            None, None, None, "country", entry.lat, entry.lon)
    if site.named_by is not None:
        named = site.named_by.mention
        key = (site.kind, canonical(named))
        if site.kind in BRANCHED:
            # "د کندهار ښار کې د کابل بانک": a branch of Kabul Bank in Kandahar; the bank's name
            # alone says nothing of where the branch is.
            if nearest:
                placed.setdefault(key, nearest[0])
                return nearest[0]
            return placed.get(key)
        following = [m for m in outside if local(m)[0] >= site.end]
        if following:
            after = min(following, key=lambda m: m.start)
            gap = text[site.end:local(after)[0]]
            if not _CLAUSE_BREAK.search(gap) and (after.country != named.country or (
                    after.admin1 and named.admin1 and after.admin1 != named.admin1)):
                placed.setdefault(key, after)
                return after  # "بنك كابول في جلال أباد": the bank is named for Kabul, in Jalalabad
        # Told again, the same bank of the document is where the document said it is.
        return placed.get(key, named)
    if inner:
        return inner[0]
    return nearest[0] if nearest else None


def read_sites(sentence: Sentence, rules: SiteRules, names: Sequence[Name], located: Sequence[PlaceMention],
               gazetteer: Gazetteer, taken: Sequence[tuple[int, int]] = (),
               placed: dict[tuple[str, str | None], PlaceMention] | None = None, scan: Scan | None = None) -> list[PlaceMention]:
    """The sites of one sentence, each a PlaceMention with precision 'site' placed where the
    sentence says it is. `names` are the sentence's known names (sentence offsets), `located`
    its place mentions (document offsets), `taken` spans (sentence offsets) no head may touch.
    `placed` (kept by the caller across a document's sentences) holds where a site named for a
    known place was said to stand elsewhere ("Kabul Bank in Jalalabad"), by (kind, that place).
    `scan`: the sentence as a scanner of the head patterns read it (their matches, found faster)."""
    placed = {} if placed is None else placed
    text = sentence.text
    reader = _Reader(text, rules, names)
    busy = [*taken, *((n.start, n.end) for n in names)]
    heads: dict[tuple[int, int], list[_Site | None]] = {}
    for pattern, read in ((rules.first, reader.name_after), (rules.last, reader.name_before)):
        for head in (scan.finditer(pattern) if scan is not None else pattern.finditer(text)) if pattern is not None else ():
            if not any(head.start() < e and s < head.end() for s, e in busy):  # "مزار شریف" is a town
                heads.setdefault(head.span("head"), []).append(read(head))
    found: list[_Site] = []
    for span in sorted(heads):
        readings = [r for r in heads[span] if r is not None]
        if not readings or any(reader.speaks(r.start, r.end) for r in readings):
            continue  # one reading of the head speaks: "افغان وزارت داخلہ کے مطابق"
        site = readings[0]
        if not any(site.start < f.end and f.start < site.end for f in found):
            found.append(site)
    out = []
    for site in sorted(found, key=lambda s: s.start):
        where = _location(site, sentence, located, gazetteer, text, placed)
        if where is None:
            continue
        place = text[site.start:site.end]
        for s, e in sorted(site.dropped, reverse=True):
            place = place[:s - site.start].rstrip() + " " + place[e - site.start:].lstrip()
        site_of = site.owner or (canonical(site.named_by.mention) if site.named_by else None)
        out.append(dataclasses.replace(
            where, start=sentence.start + site.start, end=sentence.start + site.end, text=text[site.start:site.end],
            sentence=sentence.index, place=place, precision="site", site_kind=site.kind, site_of=site_of,
        ))
    return out
