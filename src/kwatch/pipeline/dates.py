"""dates.v2: date expressions resolved to 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' at the precision the text gives.

Candidates come from regexes built from `lexicons/<lang>/dates.yaml` (month and weekday names,
relative phrases); only English phrases like "three days ago" go to dateparser, with
`RELATIVE_BASE` set to the publication date, so the stage never reads the clock. Dates without a
year ("March 4", "in May this year", "last year", "on Tuesday") are resolved against
`doc.published` (basis 'relative'); without a publication date, against the latest explicit year
in the document or its title (basis 'inferred', with a note on the document); with no year
anywhere they are dropped. A range of days is dated by its first day ("5-6 May", "between 3 and
5 May", "в ночь с 5 на 6 мая": `range_joiners`).

When the publication date gives no day (none at all, or only a year or month), the report's own
day is looked for in its text (`_report_day`, with a note on the document): a line near the top
that holds only a date (a byline date: "November 24, 2020", "Sat Mar 09 2024"; weekdays, times and
`date_line_words` may stand beside it) or the date of a dateline ("МОСКВА, 5 мая. /ТАСС/."); with
its year it is the publication day (relative dates resolve against it, basis 'relative'), without
one a day to count from. Else, when the publication month is known, day-level phrases ("last
Wednesday", "yesterday") count from the latest day the text names in that month (the report is no
earlier; basis 'inferred'). The dates stage runs before reading.v1, so it finds these lines
itself; reading.v1 still marks them as bylines and datelines for events.v3.

Two readers, chosen by the language's `dates.yaml`, never its name: with `templates` ("{day}
{month} {year}" in the language's order, fa, ps, ar, ru, tg, uz, ur, ky) the template reader at
the end of this module, which also knows Solar Hijri months (yearless ones take the Solar year of
the publication date: `calendars.py`), the era written after a year (`year_suffixes`: "۱۴۰۰ه‍.ش",
"2021م", "2021ء"), ordinals after a day and case endings after a month (`ordinal_suffixes`,
`month_suffixes`), relative days, months and years ("в прошлом году"), weekdays and "three days
ago" (`ago_templates`, `ago_units` and the number words of the language's numbers.yaml); without
them the phrase rules (en: `month_numbers`, `prepositions`, `weekday_openers`, `ago` …, with
English's capitalised months and weekdays — a weekday without an opener is a date when it stands apart from a name: "claimed the
attack Wednesday", "Sunday's attack" — and "three days ago" read by dateparser). Both resolve
against the publication day the same way (`day_of`, the latest explicit year without
one). What neither can resolve (a day and month, or a weekday, in a report with no year or no
day to count from) is kept as a hint (`date_hints`, `hint_value`: "--03-22", "W3") that
resolution compares with the days of other reports. They stay two because the phrase rules lean on English's capitals and on dateparser's
English, which the other languages do not give; a date's role ("since 2021", "2021 سے": the start
of a period) is decided by events.v3 for every language from `period_starts` /
`period_postpositions`, and which date is the event's (not its report's or its claim's) by
events.v3's `_best_date`.
"""

from __future__ import annotations

import calendar
import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from typing import Any

import dateparser

from kwatch import lexicon
from kwatch.pipeline import Context, calendars, stage
from kwatch.pipeline.model import DateMention, PipelineDoc, Sentence
from kwatch.pipeline.scan import Scan, Scanner
from kwatch.pipeline.words import WORD_END, WORD_START, fold, literal_alternation

_YEAR = r"(?P<year>(?:19|20)\d\d)(?!\d|,\d|\s*[-–]\s*\d)"


#: Rules whose year may come from a full date in the same sentence rather than the publication date.
_LOCAL_RULES = frozenset({"month_day", "day_month", "month_alone"})


@dataclass(frozen=True, slots=True)
class _Reference:
    """What partial dates resolve against: a day, a month or a year. `near`: the day that
    day-level phrases ("yesterday", "on Tuesday") count from when the reference has no day of its
    own (the latest day the text names in the publication month), with basis 'inferred'."""

    year: int
    month: int | None
    day: int | None
    basis: str  # 'relative' | 'inferred'
    near: date | None = None


@dataclass(frozen=True, slots=True)
class _Rule:
    name: str
    pattern: re.Pattern[str]
    needs: str  # the cheap cue a sentence must have before this rule is tried: 'month' | 'year' | 'word'


@dataclass(frozen=True, slots=True)
class _Patterns:
    rules: tuple[_Rule, ...]
    cues: dict[str, re.Pattern[str]]  # cheap checks that let a sentence skip whole groups of rules
    months: dict[str, int]
    weekdays: dict[str, int]
    relative_days: dict[str, int | None]
    relative_months: dict[str, int]
    relative_years: dict[str, int | None]
    relative_weeks: dict[str, int]
    this_year: frozenset[str]
    last_year: frozenset[str]
    year_anywhere: re.Pattern[str]
    line_words: re.Pattern[str] | None  # what a line holding only the report's date may also hold
    scanner: Scanner  # the cues and the rules, each tried only where its words occur


def _alternation(phrases: list[str]) -> str:
    ordered = sorted(set(phrases), key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in ordered)


@cache
def _patterns(language: str, lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> _Patterns:
    data = lexicon.load("dates", language, path=lexicons)
    months = {k.lower(): v for k, v in data["month_numbers"].items()}
    month = rf"(?P<month>{_alternation(list(months))})\.?"
    weekday = rf"(?P<weekday>{_alternation(list(data['weekdays']))})"
    this_year = [p.lower() for p in data["this_year_suffixes"]]
    last_year = [p.lower() for p in data["last_year_suffixes"]]
    suffix = rf"(?P<suffix>{_alternation(this_year + last_year)})"
    preposition = f"(?:{_alternation(data['prepositions'])})"
    ordinal = f"(?:{_alternation(data['ordinal_suffixes'])})?" if data.get("ordinal_suffixes") else ""
    # A range of days keeps its first ("5-6 May", "between 3 and 5 May", "the night of 5 to 6 May").
    joiners = rf"|\s+(?:{_alternation(data['range_joiners'])})\s+" if data.get("range_joiners") else ""
    day_ = rf"(?P<day>[0-3]?\d){ordinal}(?:(?:\s*[-–]\s*{joiners})[0-3]?\d(?!\d){ordinal})?"
    possessive = rf"(?:{_alternation(data['possessives'])})?" if data.get("possessives") else ""
    of = rf"(?:(?:{_alternation(data['of'])})\s+)?" if data.get("of") else ""
    weekday_opener = _alternation(data["weekday_openers"])
    specs: list[tuple[str, str]] = [
        ("iso", r"\b(?P<year>(?:19|20)\d\d)-(?P<month_num>[01]\d)-(?P<day>[0-3]\d)\b"),
        ("month_day_year", rf"\b{month}\s+{day_},?\s+{_YEAR}\b"),
        ("day_month_year", rf"\b{day_}\s+{of}{month},?\s+{_YEAR}\b"),
        ("month_suffix", rf"\b{month}\s+{of}{suffix}\b"),
        ("month_year", rf"\b{month},?\s+{of}{_YEAR}\b"),
        ("weekday_paren", rf"\b{weekday}\s*\(\s*(?P<inner>[^()]{{3,20}})\)"),
        ("month_day", rf"\b{month}\s+{day_}\b(?![:\d])"),
        ("day_month", rf"\b{day_}\s+{of}{month}\b"),
        # After a preposition (so ages, counts and page numbers are never years); the span kept
        # is the `target` group.
        ("month_alone", rf"\b{preposition}\s+(?P<target>{month})\b"),
        ("year_alone", rf"\b{preposition}\s+(?P<target>{_YEAR})\b"),
        ("relative_day", rf"\b(?P<rel>{_alternation(list(data['relative_days']))})\b"),
        ("relative_month", rf"\b(?P<rel>{_alternation(list(data['relative_months']))})\b"),
        ("relative_year", rf"\b(?P<rel>{_alternation(list(data['relative_years']))})\b"),
        ("relative_week", rf"\b(?P<rel>{_alternation(list(data['relative_weeks']))})\b"),
        # "three days ago": read by dateparser.
        ("ago", rf"\b(?P<rel>{data['ago']})\b"),
        ("weekday", rf"\b(?:{weekday_opener})\s+{weekday}\b"),
        # "claimed the attack Wednesday", "Sunday's attack": a capitalised weekday that is no part
        # of a name (checked in `_find`).
        ("weekday_bare", rf"\b{weekday}{possessive}\b"),
    ]
    flags = re.I
    needs = {"iso": "year", "month_day_year": "month", "day_month_year": "month", "month_suffix": "month",
             "month_year": "month", "weekday_paren": "weekday", "month_day": "month", "day_month": "month",
             "month_alone": "month", "year_alone": "year", "weekday_bare": "weekday"}
    rules = tuple(_Rule(name, re.compile(regex, flags), needs.get(name, "word")) for name, regex in specs)
    cues = {
        "month": re.compile(rf"\b(?:{_alternation(list(months))})\b", re.I),
        "weekday": re.compile(rf"\b(?:{_alternation(list(data['weekdays']))})\b", re.I),
        "year": re.compile(r"(?:19|20)\d\d"),
        "word": re.compile(
            rf"\b(?:{_alternation(list(data['relative_days']) + list(data['period_words']) + list(data['weekdays']))})",
            re.I,
        ),
    }
    return _Patterns(
        rules=rules,
        cues=cues,
        months=months,
        weekdays={k.lower(): v for k, v in data["weekdays"].items()},
        relative_days={k.lower(): v for k, v in data["relative_days"].items()},
        relative_months={k.lower(): v for k, v in data["relative_months"].items()},
        relative_years={k.lower(): v for k, v in data["relative_years"].items()},
        relative_weeks={k.lower(): v for k, v in data["relative_weeks"].items()},
        this_year=frozenset(this_year),
        last_year=frozenset(last_year),
        year_anywhere=re.compile(r"(?<![\d\[,.])(?:19|20)\d\d(?![\d\]])"),
        line_words=_line_words(data, list(data["weekdays"])),
        scanner=Scanner([*cues.values(), *(rule.pattern for rule in rules)]),
    )


def _valid(year: int, month: int, day: int | None = None) -> bool:
    if not (1900 <= year <= 2100 and 1 <= month <= 12):
        return False
    return day is None or 1 <= day <= calendar.monthrange(year, month)[1]


def _fmt(year: int, month: int | None = None, day: int | None = None) -> str:
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def _month_of(match: re.Match[str], patterns: _Patterns) -> int:
    return patterns.months[" ".join(match.group("month").lower().rstrip(".").split())]


def _latest_year(month: int, day: int | None, ref: _Reference) -> int:
    """The year of the latest `month`/`day` not after the reference date."""
    if ref.month is None:
        return ref.year
    if month > ref.month or (month == ref.month and day is not None and ref.day is not None and day > ref.day):
        return ref.year - 1
    return ref.year


def _reference_date(ref: _Reference) -> date | None:
    return date(ref.year, ref.month, ref.day) if ref.month and ref.day else None


@lru_cache(maxsize=4096)
def _dateparser_day(phrase: str, base: date) -> date | None:
    parsed = dateparser.parse(
        phrase,
        languages=["en"],
        settings={"RELATIVE_BASE": datetime(base.year, base.month, base.day), "PREFER_DATES_FROM": "past"},
    )
    return parsed.date() if parsed else None


def _resolve(rule: str, m: re.Match[str], ref: _Reference | None, patterns: _Patterns) -> tuple[str, str] | None:
    """(value, basis) of one candidate, or None when it is not a date or cannot be resolved."""
    if rule == "iso":
        year, month, day = int(m.group("year")), int(m.group("month_num")), int(m.group("day"))
        return (_fmt(year, month, day), "absolute") if _valid(year, month, day) else None
    if rule in ("month_day_year", "day_month_year"):
        year, month, day = int(m.group("year")), _month_of(m, patterns), int(m.group("day"))
        return (_fmt(year, month, day), "absolute") if _valid(year, month, day) else None
    if rule == "month_year":
        year, month = int(m.group("year")), _month_of(m, patterns)
        return (_fmt(year, month), "absolute") if _valid(year, month) else None
    if rule == "year_alone":
        return _fmt(int(m.group("year"))), "absolute"
    if ref is None:
        return _partial(rule, m, patterns)
    if rule == "month_suffix":
        offset = 0 if " ".join(m.group("suffix").lower().split()) in patterns.this_year else -1
        return _fmt(ref.year + offset, _month_of(m, patterns)), ref.basis
    if rule in ("month_day", "day_month"):
        month, day = _month_of(m, patterns), int(m.group("day"))
        year = _latest_year(month, day, ref)
        return (_fmt(year, month, day), ref.basis) if _valid(year, month, day) else None
    if rule == "month_alone":
        month = _month_of(m, patterns)
        return _fmt(_latest_year(month, None, ref), month), ref.basis
    rel = " ".join(m.group("rel").lower().split()) if "rel" in m.groupdict() and m.group("rel") else ""
    if rule == "relative_year":
        years = patterns.relative_years.get(rel)
        return (_fmt(ref.year + years), ref.basis) if years is not None else None
    if rule == "relative_month":
        if ref.month is None:
            return None
        year, month = divmod(ref.year * 12 + ref.month - 1 + patterns.relative_months[rel], 12)
        return _fmt(year, month + 1), ref.basis
    base, basis = _reference_date(ref), ref.basis
    if base is None and ref.near is not None:
        base, basis = ref.near, "inferred"
    if base is None:
        return _partial(rule, m, patterns)  # day-level phrases need a day-level reference
    if rule == "relative_day":
        days = patterns.relative_days.get(rel)
        if days is None:
            return None
        when = base + timedelta(days=days)
        return _fmt(when.year, when.month, when.day), basis
    if rule == "relative_week":
        earliest = base + timedelta(days=patterns.relative_weeks[rel])
        latest = earliest + timedelta(days=6) if earliest < base else base
        latest = min(latest, base)
        if (earliest.year, earliest.month) != (latest.year, latest.month):
            return None  # the week straddles two months: no certain month
        return _fmt(earliest.year, earliest.month), basis
    if rule == "ago":
        parsed = _dateparser_day(rel, base)
        return (_fmt(parsed.year, parsed.month, parsed.day), basis) if parsed else None
    if rule in ("weekday", "weekday_bare"):
        back = (base.weekday() - patterns.weekdays[m.group("weekday").lower()]) % 7
        when = base - timedelta(days=back)
        return _fmt(when.year, when.month, when.day), basis
    return None


def _partial(rule: str, m: re.Match[str], patterns: _Patterns) -> tuple[str, str] | None:
    """What a date without a reference still says (basis 'partial', `hint_value`): its day and
    month, or its weekday."""
    if rule in ("month_day", "day_month"):
        return hint_value(month=_month_of(m, patterns), day=int(m.group("day")))
    if rule in ("weekday", "weekday_bare"):
        return hint_value(weekday=patterns.weekdays[m.group("weekday").lower()])
    return None


def hint_value(*, month: int | None = None, day: int | None = None, weekday: int | None = None) -> tuple[str, str] | None:
    """(value, 'partial') of a date the text gives without its year and no reference resolves:
    '--MM-DD' (ISO 8601's day of an unnamed year) or 'W1' … 'W7' (an ISO weekday, 1 = Monday;
    `weekday`: Python's, 0 = Monday). None for a day no month has."""
    if weekday is not None:
        return f"W{weekday + 1}", PARTIAL
    if month is not None and day is not None and _valid(2000, month, day):  # 2000: leap, 29 February is a day
        return f"--{month:02d}-{day:02d}", PARTIAL
    return None


#: The basis of a date hint: what the text says of a day no reference dates (`hint_value`).
PARTIAL = "partial"


def hint_gap(hint: str, day: date) -> int | None:
    """How many days `day` is from one the hint names: 0 when it is one (the same weekday, or the
    same day and month), else, for a day and month, the days to the nearest such day (across a
    new year too); None for another weekday."""
    if hint.startswith("W"):
        return 0 if day.isoweekday() == int(hint[1:]) else None
    month, dom = int(hint[2:4]), int(hint[5:7])
    gaps = []
    for year in (day.year - 1, day.year, day.year + 1):
        if _valid(year, month, dom):
            gaps.append(abs((date(year, month, dom) - day).days))
    return min(gaps) if gaps else None


def _split(mentions: Sequence[DateMention]) -> tuple[tuple[DateMention, ...], tuple[DateMention, ...]]:
    """(dates, hints): the resolved mentions and the partial ones."""
    return (tuple(d for d in mentions if d.basis != PARTIAL), tuple(d for d in mentions if d.basis == PARTIAL))


def _find(sentence: Sentence, ref: _Reference | None, patterns: _Patterns) -> list[DateMention]:
    taken: list[tuple[int, int]] = []
    mentions: list[DateMention] = []
    text = sentence.text
    local_ref = ref
    scan = patterns.scanner.scan(text)
    present = {cue for cue, pattern in patterns.cues.items() if scan.search(pattern)}
    for rule in patterns.rules:
        if rule.name == "weekday_paren":
            # Partial dates in a sentence that also gives a full date take their year from it
            # ("On July 11, 2023, … a letter delivered on July 9").
            full = [d for d in mentions if d.basis == "absolute" and len(d.value) >= 7]
            if full:
                y, mo, *dd = (int(x) for x in max(full, key=lambda d: d.value).value.split("-"))
                local_ref = _Reference(y, mo, dd[0] if dd else None, "relative")
        if rule.needs not in present:
            continue
        for m in scan.finditer(rule.pattern):
            start, end = m.span("target") if m.groupdict().get("target") else m.span()
            if any(start < e and s < end for s, e in taken):
                continue
            if rule.name == "weekday_paren":
                # "Saturday (Oct 16)": the date inside the brackets is the date; the weekday only
                # marks its span.
                inner = m.group("inner")
                inner_offset = m.start("inner")
                sub = Sentence(sentence.index, sentence.start + inner_offset, sentence.start + m.end("inner"), inner, sentence.paragraph)
                found = _find_in(sub, ref, patterns, exclude=("weekday_paren",))
                if found:
                    taken.append((start, end))
                    mentions.extend(found)
                continue
            if m.groupdict().get("month") and not m.group("month")[0].isupper():
                continue  # "may", "march" as verbs: month names are capitalised in English text
            if rule.name == "weekday_bare" and _in_name(text, m.start("weekday"), m.end()):
                continue
            resolved = _resolve(rule.name, m, local_ref if rule.name in _LOCAL_RULES else ref, patterns)
            if resolved is None:
                continue
            taken.append((start, end))
            mentions.append(
                DateMention(sentence.start + start, sentence.start + end, text[start:end], sentence.index, *resolved)
            )
    return sorted(mentions, key=lambda d: d.start)


def _capitalised_word(text: str) -> bool:
    """The first word of `text` starts with a capital."""
    words = text.split(maxsplit=1)
    return bool(words) and words[0][0].isupper()


def _in_name(text: str, start: int, end: int) -> bool:
    """A weekday without an opener is a date only when it is capitalised and stands apart from
    the capitalised words of a name ("Good Friday", "the Sunday Times"); the first word of the
    sentence does not count."""
    if not text[start].isupper():
        return True
    before = text[:start].rstrip()
    if before and before[-1].isalnum() and len(before.split()) > 1 and _capitalised_word(before.split()[-1]):
        return True
    after = text[end:]
    return bool(after[:1].isspace()) and _capitalised_word(after)


def _find_in(sentence: Sentence, ref: _Reference | None, patterns: _Patterns, *, exclude: tuple[str, ...]) -> list[DateMention]:
    narrowed = dataclasses.replace(patterns, rules=tuple(r for r in patterns.rules if r.name not in exclude))
    return _find(sentence, ref, narrowed)


def _published_reference(published: str) -> _Reference:
    parts = [int(p) for p in published.split("-")]
    return _Reference(parts[0], parts[1] if len(parts) > 1 else None, parts[2] if len(parts) > 2 else None, "relative")


def find_dates(
    sentences: tuple[Sentence, ...], *, published: str | None, title: str | None = None, language: str = "en",
    lexicons: lexicon.SearchPath = lexicon.BUILTIN,
) -> tuple[tuple[DateMention, ...], tuple[str, ...], tuple[DateMention, ...]]:
    """Date mentions of every sentence, the notes about what was inferred and the hints (dates
    nothing resolves: `hint_value`) (`lexicons`: the user lexicon folders merged over dates.yaml)."""
    patterns = _patterns(language, lexicons)
    if published and len(published) >= 10:
        day_ref = _published_reference(published)
        dated, hints = _split([d for s in sentences for d in _find(s, day_ref, patterns)])
        return dated, (), hints
    notes: tuple[str, ...] = ()
    ref: _Reference | None = None
    if published:
        ref = _published_reference(published)
    else:
        explicit, _ = _split([d for s in sentences for d in _find(s, None, patterns)])
        years = [int(d.value[:4]) for d in explicit]
        years += [int(y) for y in patterns.year_anywhere.findall(title or "")]
        if years:
            ref = _Reference(max(years), None, None, "inferred")
            notes = (f"no publication date: year {max(years)} inferred from the latest explicit date",)
    mentions, hints = _split([d for s in sentences for d in _find(s, ref, patterns)])
    if ref is None:
        return mentions, notes, hints
    day, note = _report_day(sentences, mentions, published, patterns.line_words)
    if day is None:
        return mentions, notes, hints
    if day.basis == "absolute":
        ref, notes = _published_reference(day.value), (note,)
    else:
        ref, notes = dataclasses.replace(ref, near=date.fromisoformat(day.value)), (*notes, note)
    mentions, hints = _split([d for s in sentences for d in _find(s, ref, patterns)])
    return mentions, notes, hints


# -- the report's own day, when the publication date gives none -------------------------------

#: Near the top: the headline, bylines and lead.
_TOP_SENTENCES = 4
_TIME = re.compile(r"(?<!\d)\d{1,2}[:.]\d{2}(?!\d)")
_LETTERS = re.compile(r"[^\W\d_]{2,}")
_DIGIT = re.compile(r"\d")
# A dateline: up to a few words naming where (no digit, no full stop), a comma, the date, and a
# separator or the agency ("МОСКВА, 5 мая. /ТАСС/.", "Herat [Afghanistan], June 2 :").
_DATELINE_HEAD = re.compile(r"\W*[^\W\d_][^\d.!?\n]{0,48},\s*")
_DATELINE_TAIL = re.compile(r"\s*\.?\s*(?:[-–—:/(|]|$)")


def _date_only(text: str, mention: DateMention, start: int, weekday: re.Pattern[str] | None) -> bool:
    """The sentence holds nothing but the date, a weekday, a time and punctuation ("November 24,
    2020", "Sat Mar 09 2024", "۱۴:۲۰ - ۱۲ قوس ۱۴۰۱")."""
    rest = text[: mention.start - start] + " " + text[mention.end - start :]
    if weekday is not None:
        rest = weekday.sub(" ", rest)
    return not _LETTERS.search(_TIME.sub(" ", rest))


def _dateline(text: str, mention: DateMention, start: int) -> bool:
    head, tail = text[: mention.start - start], text[mention.end - start :]
    return _DATELINE_HEAD.fullmatch(head) is not None and _DATELINE_TAIL.match(tail) is not None


def _report_day(
    sentences: Sequence[Sentence], mentions: Sequence[DateMention], published: str | None,
    weekday: re.Pattern[str] | None,
) -> tuple[DateMention | None, str]:
    """The day of the report when the publication date gives none (or only its year or month),
    and the note saying where it came from: a date line near the top (a byline date, a
    dateline's date) that agrees with the publication date; else, when the month is known, the
    latest day the text names in it (the report is no earlier), which only day-level phrases
    count from ('inferred'). A date line with its year is the publication day (basis 'absolute');
    a yearless one, or the latest day, only a day to count from."""
    days = [d for d in mentions if len(d.value) == 10 and (not published or d.value.startswith(published))]
    for sentence in sentences[:_TOP_SENTENCES]:
        for d in days:
            if d.sentence == sentence.index and (
                _date_only(sentence.text, d, sentence.start, weekday) or _dateline(sentence.text, d, sentence.start)
            ):
                return d, f"no publication day: the report's date line '{d.text}' taken as its day"
    if published and len(published) == 7 and days:
        latest = max(days, key=lambda d: d.value)
        return dataclasses.replace(latest, basis="inferred"), (
            f"no publication day: days named relative to the report counted from {latest.value}, the latest day the text names"
        )
    return None, ""


# -- dates by template ------------------------------------------------------------------------
# A language whose dates.yaml gives `templates` ("{day} {month} {year}" in its own order) is read
# by them: Gregorian and Solar Hijri month names, relative days and weekdays from the same file.


@dataclass(frozen=True, slots=True)
class _DateRules:
    patterns: tuple[re.Pattern[str], ...]
    gregorian: dict[str, int]
    solar: dict[str, int]
    relative_days: dict[str, int]
    relative_re: re.Pattern[str] | None
    weekdays: dict[str, int]
    weekday_re: re.Pattern[str] | None
    # "три дня назад", "دو روز پیش": the number (digits or a word of numbers.yaml) times the
    # unit's days.
    ago_re: tuple[re.Pattern[str], ...] = ()
    ago_units: dict[str, int] = dataclasses.field(default_factory=dict)
    numbers: dict[str, int] = dataclasses.field(default_factory=dict)
    # "в прошлом году", "ماه گذشته": offsets in years and months from the report's.
    relative_years: dict[str, int] = dataclasses.field(default_factory=dict)
    relative_years_re: re.Pattern[str] | None = None
    relative_months: dict[str, int] = dataclasses.field(default_factory=dict)
    relative_months_re: re.Pattern[str] | None = None
    # Weekdays are written in lower case; the capitalised word is a name (Tajik "Душанбе", the
    # capital, is "душанбе", Monday).
    weekdays_lowercase: bool = False
    # Words a line holding only the report's date may also hold (`date_line_words`).
    line_words: re.Pattern[str] | None = None
    # Whether each of `patterns` needs a digit (a day or a year): a sentence without one is not
    # read by them (most of a report's sentences; patterns opening with a digit cannot be scanned).
    numeric: tuple[bool, ...] = ()
    # Whether each of `patterns` names a month, and the month names alone: a sentence that names
    # no month is not read by them either.
    monthly: tuple[bool, ...] = ()
    month_re: re.Pattern[str] | None = None
    # All of the patterns above that read a sentence, for one pass over it (`Scanner`).
    scanner: Scanner = dataclasses.field(default_factory=lambda: Scanner(()))


def _line_words(data: dict[str, Any], weekdays: list[str]) -> re.Pattern[str] | None:
    words = [*weekdays, *(data.get("date_line_words") or [])]
    return re.compile(rf"{WORD_START}(?:{literal_alternation(words)}){WORD_END}", re.I) if words else None


def _phrases(table: dict[str, int | None] | None) -> re.Pattern[str] | None:
    words = [k for k, v in (table or {}).items() if v is not None]
    return re.compile(rf"{WORD_START}(?:{literal_alternation(words)}){WORD_END}", re.I) if words else None


def _number_words(language: str, lexicons: lexicon.SearchPath) -> dict[str, int]:
    """The language's number words up to a month's days ("три", "دو"), for "three days ago"."""
    if language not in lexicon.available("numbers"):
        return {}
    data = lexicon.load("numbers", language, path=lexicons)
    table = {**(data.get("units") or {}), **(data.get("words") or {}), **(data.get("tens") or {})}
    return {fold(k): v for k, v in table.items() if isinstance(v, int) and 0 < v <= 31}


@cache
def _date_rules(language: str, lexicons: lexicon.SearchPath = lexicon.BUILTIN) -> _DateRules:
    data = lexicon.load("dates", language, path=lexicons)
    gregorian = {fold(k): v for k, v in data["gregorian_months"].items()}
    solar = {fold(k): v for k, v in (data.get("solar_months") or {}).items()}
    # A month may take a case ending glued to it ("26 августда"), left out of the name.
    endings = rf"(?:{literal_alternation(data['month_suffixes'])})?" if data.get("month_suffixes") else ""
    month = rf"(?P<month>{literal_alternation([*data['gregorian_months'], *(data.get('solar_months') or {})])}){endings}"
    # A range of days keeps its first ("5-6 мая", "۵ و ۶ ثور", "в ночь с 5 на 6 мая").
    # Digits stand on both sides, so a joiner may be glued to them ("5 و6 مايو").
    joiners = rf"|\s*(?:{literal_alternation(data['range_joiners'])})\s*" if data.get("range_joiners") else ""
    # An ordinal ending may follow the day ("30-юми сентябр").
    ordinal = rf"(?:{literal_alternation(data['ordinal_suffixes'])})?" if data.get("ordinal_suffixes") else ""
    day = rf"(?<!:)(?P<day>\d{{1,2}}){ordinal}(?:(?:\s*[-–]\s*{joiners})\d{{1,2}}(?!\d){ordinal})?"  # not the minutes of a time
    # The era written after a year, glued or apart ("۱۴۰۰ه‍.ش", "2021م", "2024г.").
    era = rf"(?:\s*(?:{literal_alternation(data['year_suffixes'])}))?" if data.get("year_suffixes") else ""
    fill = {"day": day, "year": rf"(?P<year>\d{{4}}){era}", "month": month}
    patterns = tuple(
        re.compile(WORD_START + template.format(**fill).replace(" ", r"\s*") + WORD_END, re.IGNORECASE)
        for template in data["templates"]
    )
    relative = {fold(k): v for k, v in (data.get("relative_days") or {}).items()}
    weekdays = {fold(k): v for k, v in (data.get("weekdays") or {}).items()}
    units = {fold(k): v for k, v in (data.get("ago_units") or {}).items()}
    numbers = _number_words(language, lexicons) if units else {}
    count = rf"(?P<n>\d{{1,2}}|{literal_alternation(numbers)})" if numbers else r"(?P<n>\d{1,2})"
    unit = rf"(?P<unit>{literal_alternation(units)})"
    ago = tuple(
        re.compile(WORD_START + t.format(n=count, unit=unit).replace(" ", r"\s+") + WORD_END, re.IGNORECASE)
        for t in (data.get("ago_templates") or [])
    ) if units else ()
    rules = _DateRules(
        patterns=patterns,
        numeric=tuple("{day}" in template or "{year}" in template for template in data["templates"]),
        monthly=tuple("{month}" in template for template in data["templates"]),
        month_re=re.compile(month, re.IGNORECASE),
        gregorian=gregorian,
        solar=solar,
        relative_days=relative,
        relative_re=re.compile(rf"{WORD_START}(?:{literal_alternation(data['relative_days'])}){WORD_END}", re.I) if relative else None,
        weekdays=weekdays,
        weekday_re=re.compile(rf"{WORD_START}(?:{literal_alternation(data['weekdays'])}){WORD_END}", re.I) if weekdays else None,
        ago_re=ago,
        ago_units=units,
        numbers=numbers,
        relative_years={fold(k): v for k, v in (data.get("relative_years") or {}).items() if v is not None},
        relative_years_re=_phrases(data.get("relative_years")),
        relative_months={fold(k): v for k, v in (data.get("relative_months") or {}).items() if v is not None},
        relative_months_re=_phrases(data.get("relative_months")),
        weekdays_lowercase=bool(data.get("weekdays_lowercase")),
        line_words=_line_words(data, list(data.get("weekdays") or {})),
    )
    read = [*rules.patterns, rules.month_re, *rules.ago_re, rules.relative_re, rules.weekday_re, rules.relative_years_re, rules.relative_months_re]
    return dataclasses.replace(rules, scanner=Scanner(p for p in read if p is not None))


def day_of(value: str | None) -> date | None:
    """The day a date of this stage names ('YYYY-MM-DD', a publication day), or None for a
    coarser date, a hint or nothing."""
    if not value or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _resolve_date(match: re.Match[str], rules: _DateRules, base: date | None) -> tuple[str, str] | None:
    groups = match.groupdict()
    key = fold(groups["month"])
    day = int(groups["day"]) if groups.get("day") else None
    year = int(groups["year"]) if groups.get("year") else None
    if key in rules.solar and not (year is not None and year >= 1900):
        month = rules.solar[key]
        years = [year] if year is not None else ([base.year - 621, base.year - 622] if base else [])
        for jy in years:
            try:
                value = calendars.to_gregorian(jy, month, day or 1)
            except ValueError:
                return None
            if year is None and base is not None and value > base:
                continue
            if day is None:
                # A Solar month spans two Gregorian months: give the year only when both agree.
                end = calendars.to_gregorian(jy, month, calendars.month_length(jy, month))
                return (f"{value.year:04d}", "absolute" if year else "relative") if end.year == value.year else None
            return value.isoformat(), "absolute" if year else "relative"
        return None
    if key not in rules.gregorian:
        return None
    month = rules.gregorian[key]
    basis = "absolute"
    if year is None:
        if base is None:
            return None
        year = base.year if (month, day or 1) <= (base.month, base.day) else base.year - 1
        basis = "relative"
    if not 1900 <= year <= 2100:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}", basis
    try:
        return date(year, month, day).isoformat(), basis
    except ValueError:
        return None


def _template_mentions(
    sentences: tuple[Sentence, ...], rules: _DateRules, base: date | None, *, day_level: bool, basis: str | None = None,
    near: date | None = None, month_level: bool | None = None,
) -> list[DateMention]:
    """The dates of every sentence. `base`: what dates without a year resolve against, and the
    year (and, with `month_level`, the month: by default when `day_level`) that "last year" ("last
    month") count from; day-level phrases ("yesterday", weekdays, "three days ago") count from it
    when `day_level`, else from `near` (basis 'inferred') when given."""
    found: list[DateMention] = []
    day_base, day_basis = (base, "relative") if day_level else (near, "inferred")
    month_level = day_level if month_level is None else month_level
    for sentence in sentences:
        taken: list[tuple[int, int]] = []
        text = sentence.text
        scan = rules.scanner.scan(text)
        digits = _DIGIT.search(text) is not None
        months = rules.month_re is None or scan.may_match(rules.month_re)
        for pattern, numeric, monthly in zip(rules.patterns, rules.numeric, rules.monthly, strict=True):
            if (numeric and not digits) or (monthly and not months):
                continue
            for m in scan.finditer(pattern):
                if any(m.start() < e and s < m.end() for s, e in taken):
                    continue
                resolved = _resolve_date(m, rules, base)
                if resolved is None:
                    continue
                value, how = resolved
                taken.append(m.span())
                found.append(DateMention(sentence.start + m.start(), sentence.start + m.end(), m.group(0), sentence.index,
                                         value, basis if basis and how == "relative" else how))
        if base is not None:
            for m, value in _period_phrases(scan, rules, base, month_level=month_level):
                if any(m.start() < e and s < m.end() for s, e in taken):
                    continue
                taken.append(m.span())
                found.append(DateMention(sentence.start + m.start(), sentence.start + m.end(), m.group(0), sentence.index,
                                         value, "relative" if day_level else basis or "inferred"))
        if day_base is None:
            continue  # "yesterday" and weekdays need the publication day
        for m, day in _day_phrases(scan, rules, day_base):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append(m.span())
            found.append(DateMention(sentence.start + m.start(), sentence.start + m.end(), m.group(0), sentence.index,
                                     day.isoformat(), day_basis))
    return found


def _template_hints(sentences: tuple[Sentence, ...], rules: _DateRules, found: Sequence[DateMention]) -> list[DateMention]:
    """What the dates left unresolved still say (`hint_value`): a Gregorian day and month without
    a year, a weekday, where no mention of `found` stands. A Solar day without its year gives no
    Gregorian day and month (the calendars' new years drift by a day)."""
    hints: list[DateMention] = []
    for sentence in sentences:
        taken = [(d.start - sentence.start, d.end - sentence.start) for d in found if d.sentence == sentence.index]
        candidates: list[tuple[re.Match[str], tuple[str, str] | None]] = []
        for pattern in rules.patterns:
            for m in pattern.finditer(sentence.text):
                groups = m.groupdict()
                month = rules.gregorian.get(fold(groups["month"]))
                if month is not None and groups.get("day") and not groups.get("year"):
                    candidates.append((m, hint_value(month=month, day=int(groups["day"]))))
        if rules.weekday_re is not None:
            for m in rules.weekday_re.finditer(sentence.text):
                if not (rules.weekdays_lowercase and m.group(0) != m.group(0).lower()):
                    candidates.append((m, hint_value(weekday=rules.weekdays[fold(m.group(0))])))
        for m, hint in candidates:  # the first to claim a span keeps it
            if hint is not None and not any(m.start() < e and s < m.end() for s, e in taken):
                taken.append(m.span())
                hints.append(DateMention(sentence.start + m.start(), sentence.start + m.end(), m.group(0), sentence.index, *hint))
    return sorted(hints, key=lambda d: d.start)


def _period_phrases(scan: Scan, rules: _DateRules, base: date, *, month_level: bool) -> list[tuple[re.Match[str], str]]:
    """Month and year phrases counted from `base`: "в прошлом месяце" (only when `base` gives the
    report's month), "в прошлом году", "два года назад"."""
    found: list[tuple[re.Match[str], str]] = []
    if month_level and rules.relative_months_re is not None:
        for m in scan.finditer(rules.relative_months_re):
            year, month = divmod(base.year * 12 + base.month - 1 + rules.relative_months[fold(m.group(0))], 12)
            found.append((m, f"{year:04d}-{month + 1:02d}"))
    if rules.relative_years_re is not None:
        found.extend((m, f"{base.year + rules.relative_years[fold(m.group(0))]:04d}") for m in scan.finditer(rules.relative_years_re))
    return found


def _day_phrases(scan: Scan, rules: _DateRules, base: date) -> list[tuple[re.Match[str], date]]:
    """Day-level phrases counted from `base`: "three days ago", then relative days ("yesterday"),
    then weekdays (the latest such day not after `base`); the first to claim a span keeps it."""
    found: list[tuple[re.Match[str], date]] = []
    for regex in rules.ago_re:
        for m in scan.finditer(regex):
            n = m.groupdict().get("n")
            count = 1 if n is None else int(n) if n.isdigit() else rules.numbers.get(fold(n), 0)
            found.append((m, base - timedelta(days=count * rules.ago_units[fold(m.group("unit"))])))
    if rules.relative_re is not None:
        found.extend((m, base + timedelta(days=rules.relative_days[fold(m.group(0))])) for m in scan.finditer(rules.relative_re))
    if rules.weekday_re is not None:
        for m in scan.finditer(rules.weekday_re):
            if rules.weekdays_lowercase and m.group(0) != m.group(0).lower():
                continue
            found.append((m, base - timedelta(days=(base.weekday() - rules.weekdays[fold(m.group(0))]) % 7)))
    return found


def find_template_dates(
    sentences: tuple[Sentence, ...], published: str | None, language: str, *, title: str | None = None,
    lexicons: lexicon.SearchPath = lexicon.BUILTIN,
) -> tuple[tuple[DateMention, ...], tuple[str, ...], tuple[DateMention, ...]]:
    """Date mentions by the language's templates, the notes about what was inferred and the hints
    (`_template_hints`). Without a
    publication day, dates without a year take the latest explicit year of the text or title
    (basis 'inferred'), as the phrase rules do, and day-level phrases count from the report's
    day the text gives (`_report_day`)."""
    rules = _date_rules(language, lexicons)
    base = day_of(published)
    if base is not None:
        found = _template_mentions(sentences, rules, base, day_level=True)
        return tuple(sorted(found, key=lambda d: d.start)), (), ()
    explicit = _template_mentions(sentences, rules, None, day_level=False)
    years = [int(d.value[:4]) for d in explicit]
    years += [int(y) for y in re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", title or "")]
    if published and len(published) >= 4 and published[:4].isdigit():
        years.append(int(published[:4]))
    if not years:
        return tuple(sorted(explicit, key=lambda d: d.start)), (), tuple(_template_hints(sentences, rules, explicit))
    year = max(years)
    notes: tuple[str, ...] = (f"no publication date: year {year} inferred from the latest explicit date",)
    reference = date(year, 12, 31)
    month_known = bool(published and re.fullmatch(r"\d{4}-\d{2}", published[:7]) and int(published[:4]) == year)
    if published and month_known:
        month = int(published[5:7])  # a publication month: the latest day of it
        reference = date(year, month, calendar.monthrange(year, month)[1])
    found = _template_mentions(sentences, rules, reference, day_level=False, basis="inferred", month_level=month_known)
    day, note = _report_day(sentences, found, published, rules.line_words)
    if day is not None and day.basis == "absolute":
        found = _template_mentions(sentences, rules, date.fromisoformat(day.value), day_level=True)
        notes = (note,)
    elif day is not None:
        found = _template_mentions(sentences, rules, reference, day_level=False, basis="inferred", near=date.fromisoformat(day.value),
                                   month_level=month_known)
        notes = (*notes, note)
    return tuple(sorted(found, key=lambda d: d.start)), notes, tuple(_template_hints(sentences, rules, found))


@stage("dates.v2", requires=("sentences",), assigns=("dates", "date_hints"))
def dates(doc: PipelineDoc, ctx: Context) -> PipelineDoc:
    """Date expressions resolved against the publication date (or a year inferred from the text),
    read with the user's lexicon folders merged over dates.yaml, and the hints of those nothing
    resolves."""
    path = lexicon.in_options(ctx.options)
    if "templates" in lexicon.load("dates", doc.language or "en", path=path):
        found, notes, hints = find_template_dates(doc.sentences or (), doc.published, doc.language or "en", title=doc.title, lexicons=path)
    else:
        found, notes, hints = find_dates(doc.sentences or (), published=doc.published, title=doc.title, language=doc.language or "en",
                                         lexicons=path)
    return doc.but(dates=found, date_hints=hints, notes=doc.notes + notes)
