"""reading.v1: how the report is written — the headline, the author and date lines, the dateline,
the lead, the sentences that recall earlier events, and stock notes.

A news report tells its event in a headline and a lead and then adds detail; around that it
prints lines that are about the report, not the event. Read one sentence at a time, those lines
make events of their own or put their place and date on the event:

- the **dateline** ("ISLAMABAD/KABUL:", "Tehran, (UNI)", "КАБУЛ, 5 мая. /ТАСС/.") names where the
  report was filed, often another country's capital (and in Tajik the Dushanbe dateline reads as
  "Monday");
- **author and date lines** under the headline ("By Bureau report", "November 24, 2020");
- **stock notes** beside a name (the note media in Russia print after a banned group's name,
  which names Russia);
- **recall**: a sentence that tells an earlier event ("last year", "a similar attack", and in
  the languages where it marks one, the past perfect: Uzbek "-gan edi", Persian "شده بود");
- **the group's seat**: a country named as where the group is based ("a group based in
  Afghanistan", "the Afghanistan branch of IS") is not where its attack happened.

This stage finds them; events.v3 decides what they may do (docs/pipeline.md): mentions inside a
dateline or a stock note belong to no event, author lines open none, and a recall opens an event
only when it gives that event's own date. Markers are data (`lexicons/<lang>/reading.yaml`); the
shapes of datelines and author lines are the same in every script and live here.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from functools import cache

from kwatch import lexicon
from kwatch.pipeline import Context, stage
from kwatch.pipeline.actors import is_islamic_state
from kwatch.pipeline.cues import compile_phrases, phrase_options
from kwatch.pipeline.model import DateMention, Layout, PipelineDoc, PlaceMention, Sentence, Span
from kwatch.pipeline.scan import Scan, Scanner
from kwatch.pipeline.words import WORD_END, literal_alternation

#: A sentence that ends in a question mark (Latin or Arabic script), closing quotes aside.
_QUESTION = re.compile(r"[?؟][\s\"'”’»)]*$")
#: How many paragraphs from the top a dateline or an author line may stand in.
TOP_PARAGRAPHS = 4
#: An author or date line is at most this long (characters).
BYLINE_CHARS = 60
#: A headline is at most this long (characters).
HEADLINE_CHARS = 250

# A dateline: one to four words naming where (a place the gazetteer knows, or a word in capitals),
# optionally a date (", 5 May", ", Month D, YYYY"), optionally the agency ("(Reuters)", "/ТАСС/"),
# then a separator (":", a dash) unless the agency closes it ("Tehran, (UNI) The …").
_WORD = r"[^\W\d_][\w’'.\-]*"
_DATELINE = re.compile(
    rf"""(?P<where>{_WORD}(?:[ /]{_WORD}){{0,3}})(?:\s*\[[^\]\n]{{1,30}}\])?
    (?:\s*[,،]\s*(?P<when>[^:—–()\n/]{{0,20}}\d[^:—–()\n/.,،]{{0,14}}))?
    \s*[,،.]?\s*(?P<agency>\([^()\n]{{1,40}}\)|/[^/\n]{{1,20}}/)?
    \s*(?P<sep>—|–|--|:(?!\d)|-(?=\s)|\.(?=\s))?""",
    re.VERBOSE,
)


@dataclasses.dataclass(frozen=True, slots=True)
class Markers:
    """reading.yaml of one language, compiled once."""

    bylines: re.Pattern[str] | None
    recall: re.Pattern[str] | None  # the recall phrases ("last year", "в прошлом году")
    boilerplate: re.Pattern[str] | None
    seats: re.Pattern[str] | None  # matched right before a country
    seat_heads: re.Pattern[str] | None  # matched from a country's end: "… branch", "…даги “…” бўлими"
    # Any word with a recall ending ("boʻlgan edi"); a recall phrase starting where one starts wins.
    # Apart from the phrases so that the scanner can find those by their words.
    recall_endings: re.Pattern[str] | None = None
    ending_words: re.Pattern[str] | None = None  # the endings alone: a sentence without one has no such word
    # The recall and boilerplate patterns, each tried only where its words occur (run over a
    # whole document, asked one sentence at a time).
    scanner: Scanner = dataclasses.field(default_factory=lambda: Scanner(()))


@cache
def markers(language: str, lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> Markers:
    if language not in lexicon.available("reading"):
        language = "en"
    data = lexicon.load("reading", language, path=lexicons)
    stems, clitic = phrase_options(language, lexicons)

    def phrases(key: str) -> re.Pattern[str] | None:
        words = data.get(key) or ()
        return compile_phrases(words, stems=stems, clitic=clitic) if words else None

    bylines = data.get("bylines") or ()
    byline = re.compile(rf"(?:{literal_alternation(bylines)})(?![\w])", re.IGNORECASE) if bylines else None
    recall = phrases("recall")
    recall_pattern = re.compile(recall.pattern, re.IGNORECASE) if recall is not None else None
    # A past perfect written as an ending and an auxiliary ("boʻlgan edi"): any word with the ending
    # (from the word's first letter: tried inside a word, it would try every shorter stem again).
    endings = [rf"(?<![^\W\d_])[^\W\d_]+{re.escape(ending)}" for ending in data.get("recall_endings") or ()]
    endings_pattern = re.compile("|".join(endings), re.IGNORECASE) if endings else None
    ending_words = literal_alternation(data.get("recall_endings") or ())
    ending_words_pattern = re.compile(ending_words, re.IGNORECASE) if endings else None
    seats = data.get("seats") or ()
    seat = re.compile(rf"(?<![\w])(?:{'|'.join(seats)})\s*$", re.IGNORECASE) if seats else None
    heads = data.get("seat_heads") or ()
    # The country, then its case ending and up to three words of a name ("Афғонистондаги “Вилоят
    # Хуросон” бўлими"), then a word for a branch of the group.
    seat_head = (
        re.compile(rf"[^\W\d_]*(?:[\s\-“”\"«»'‘’]+[^\W\d_][\w’'-]*){{0,3}}?[\s\-“”\"«»'‘’]+(?:{literal_alternation(heads)}){WORD_END}", re.IGNORECASE)
        if heads else None
    )
    boilerplate = phrases("boilerplate")
    scanner = Scanner(p for p in (recall_pattern, boilerplate, ending_words_pattern) if p is not None)
    return Markers(byline, recall_pattern, boilerplate, seat, seat_head, endings_pattern, ending_words_pattern, scanner)


def headline(sentences: Sequence[Sentence], title: str | None) -> int | None:
    """The first sentence is the headline when it stands alone in the first paragraph, with more
    text after it, and reads as a title (no full stop at its end, or the document's title)."""
    if len(sentences) < 2 or sentences[0].paragraph == sentences[1].paragraph:
        return None
    first = sentences[0]
    if len(first.text) > HEADLINE_CHARS:
        return None
    same_title = title is not None and " ".join(title.split()).casefold() == " ".join(first.text.split()).casefold()
    return 0 if same_title or not first.text.rstrip().endswith((".", "۔")) else None


def _is_byline(sentence: Sentence, paragraph: Sequence[Sentence], dates: Sequence[DateMention], found: Markers) -> bool:
    """A short line of its own under the headline: an author line ("By …") or a bare date."""
    if len(paragraph) != 1 or len(sentence.text) > BYLINE_CHARS:
        return False
    if found.bylines is not None and found.bylines.match(sentence.text):
        return True
    words = sentence.text.split()
    dated = any(sentence.start <= d.start < sentence.end for d in dates) or any(c.isdigit() for c in sentence.text)
    return dated and len(words) <= 6 and not sentence.text.rstrip().endswith((".", "۔", "!", "?"))


def dateline(sentence: Sentence, places: Sequence[PlaceMention]) -> Span | None:
    """The dateline at the start of a line of the sentence (its first line, or a later one when a
    headline without a full stop runs into it): a place then an agency or a separator."""
    starts = [0]  # and right after each line break (found by `str.find`, not a loop over the characters)
    at = sentence.text.find("\n")
    while at != -1:
        starts.append(at + 1)
        at = sentence.text.find("\n", at + 1)
    for offset in starts:
        match = _DATELINE.match(sentence.text, offset)
        if match is None or not (match.group("agency") or match.group("sep")):
            continue
        if match.group("sep") == "." and not match.group("agency"):
            continue
        where_start, where_end = sentence.start + match.start("where"), sentence.start + match.end("where")
        named = any(where_start <= p.start < where_end for p in places)
        capitals = match.group("where").split("/")[0].isupper() and len(match.group("where")) >= 3
        if not (named or capitals and match.group("sep")):
            continue
        return Span(sentence.start + offset, sentence.start + match.end(), "dateline", sentence.text[offset : match.end()])
    return None


def _recall(scan: Scan, found: Markers, sentence: Sentence) -> re.Match[str] | None:
    """The first recall marker of the sentence: the leftmost phrase or word with a recall ending,
    the phrase where both start at one place."""
    phrase = scan.search_in(found.recall, sentence.start, sentence.end) if found.recall else None
    ending = None
    if found.recall_endings is not None and (
            found.ending_words is None or scan.search_in(found.ending_words, sentence.start, sentence.end) is not None):
        ending = found.recall_endings.search(scan.text, sentence.start, sentence.end)
    if phrase is None or (ending is not None and ending.start() < phrase.start()):
        return ending
    return phrase


def _boilerplate(scan: Scan, sentence: Sentence, pattern: re.Pattern[str]) -> list[Span]:
    """Each stock note in the sentence: its brackets when it stands in brackets, else the phrase."""
    spans = []
    text = scan.text
    for match in scan.finditer_in(pattern, sentence.start, sentence.end):
        opened = text.rfind("(", sentence.start, match.start())
        closed = text.find(")", match.end(), sentence.end)
        if opened != -1 and text.rfind(")", opened, match.start()) == -1 and closed != -1:
            start, end = opened, closed + 1
        else:
            start, end = match.start(), match.end()
        spans.append(Span(start, end, "boilerplate", text[start:end]))
    return spans


#: How far after a country the group's name may start for the country to be its seat
#: ("Afghanistan-based ISKP", "Афғонистондаги “Вилоят Хуросон”": a case ending and a quote between).
SEAT_GAP = 8
_SEAT_GAP = re.compile(r"[^\W\d_]*[\s\-“”\"«»'‘’(]*")


def seats(doc: PipelineDoc, found: Markers, is_group: Callable[[str], bool]) -> list[Span]:
    """Countries named as the group's seat: after a seat phrase ("based in"), or right before
    the group's name ("the Afghan-based ISKP", "Афғонистондаги “Вилоят Хуросон”")."""
    text = doc.text
    group_starts = sorted(a.start for a in doc.actors or () if is_group(a.actor))
    spans = []
    for place in doc.places or ():
        if place.precision != "country":
            continue
        before = found.seats is not None and found.seats.search(text, max(0, place.start - 40), place.start)
        head = found.seat_heads is not None and found.seat_heads.match(text, place.end, min(len(text), place.end + 40))
        gap = _SEAT_GAP.match(text, place.end, place.end + SEAT_GAP)
        after = gap is not None and any(start == gap.end() for start in group_starts)
        if before or after or head:
            spans.append(Span(place.start, place.end, "seat", text[place.start : place.end]))
    return spans


def read_layout(doc: PipelineDoc, found: Markers, is_group: Callable[[str], bool] = lambda actor: False) -> Layout:
    sentences = doc.sentences or ()
    roles = ["body"] * len(sentences)
    spans: list[Span] = []
    marks: dict[int, str] = {}
    top = headline(sentences, doc.title)
    if top is not None:
        roles[top] = "question" if _QUESTION.search(sentences[top].text) else "headline"
    by_paragraph: dict[int, list[Sentence]] = {}
    for sentence in sentences:
        by_paragraph.setdefault(sentence.paragraph, []).append(sentence)
    first_paragraph = sentences[0].paragraph if sentences else 0
    lead: int | None = None
    references = [c for c in doc.cues or () if c.kind == "reference"]
    scan = found.scanner.scan(doc.text)
    for sentence in sentences:
        if roles[sentence.index] == "headline":
            continue
        near_top = sentence.paragraph - first_paragraph <= TOP_PARAGRAPHS
        paragraph = by_paragraph[sentence.paragraph]
        if lead is None and near_top and _is_byline(sentence, paragraph, doc.dates or (), found):
            roles[sentence.index] = "byline"
            continue
        if _QUESTION.search(sentence.text):
            # "Who is behind the Moscow attack?": a question reports nothing.
            roles[sentence.index] = "question"
            continue
        if lead is None:
            lead = sentence.index
            roles[sentence.index] = "lead"
            if near_top and paragraph[0] is sentence:
                span = dateline(sentence, doc.places or ())
                if span is not None:
                    spans.append(span)
        recall = _recall(scan, found, sentence)
        if recall is not None and not any(sentence.start <= c.start < sentence.end for c in references):
            # (A sentence that names its event as the one told, "in the attack", is about it.)
            roles[sentence.index] = "background"
            marks[sentence.index] = recall.group(0)
    if found.boilerplate is not None:
        for sentence in sentences:
            spans.extend(_boilerplate(scan, sentence, found.boilerplate))
    spans.extend(seats(doc, found, is_group))
    return Layout(tuple(roles), tuple(sorted(spans, key=lambda s: s.start)), marks)


@stage("reading.v1", requires=("sentences", "dates", "places", "actors", "cues"), assigns=("layout",))
def reading(doc: PipelineDoc, ctx: Context) -> PipelineDoc:
    """Give every sentence its role in the report (headline, author line, lead, body, recall of an
    earlier event) and find the dateline and stock notes (reading.yaml, with the user's lexicon
    folders merged over it)."""
    found = markers(doc.language or "en", lexicon.in_options(ctx.options))
    return doc.but(layout=read_layout(doc, found, is_islamic_state))
