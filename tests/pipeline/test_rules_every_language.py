"""The rules of events.v3 fire in every language that supplies their words (issue 11): hedges,
aggregates, captions, periods ("since"), origins ("citizens of") and clause breaks. The sentences
are our own writing."""

from __future__ import annotations

import pytest

from kwatch import lexicon
from kwatch.extract import extract
from kwatch.pipeline.events import _rules
from kwatch.pipeline.model import PipelineDoc


def _events(text: str, language: str, pipeline, ctx):
    doc = extract(PipelineDoc(id="t", text=text, published="2024-05-10", language=language), pipeline=pipeline, ctx=ctx)
    return doc.events or ()


def _kinds(text: str, language: str, pipeline, ctx) -> set[str]:
    doc = extract(PipelineDoc(id="t", text=text, published="2024-05-10", language=language), pipeline=pipeline, ctx=ctx)
    return {c.kind for c in doc.cues or ()}


@pytest.mark.parametrize(
    ("language", "plain", "ruled", "kind"),
    [
        # hedge: a threat is no attack
        ("ru", "В Кабуле 3 мая 2024 года при взрыве погибли 5 человек.", "Боевики могут совершить теракт в Кабуле 3 мая 2024 года.", "hedge"),
        ("fa", "در انفجار روز ۱۲ ثور ۱۴۰۳ در کابل ۵ تن کشته شدند.", "داعش تهدید کرد که در کابل حمله خواهد کرد.", "hedge"),
        ("ar", "أسفر تفجير في كابل يوم 3 مايو 2024 عن مقتل 12 شخصا.", "هدد التنظيم بشن هجمات جديدة في كابل.", "hedge"),
        # aggregate: a tally is no event
        ("ru", "В Кабуле 3 мая 2024 года при взрыве погибли 5 человек.", "В 2023 году боевики неоднократно совершали теракты в Кабуле.", "aggregate"),
        ("fa", "در انفجار روز ۱۲ ثور ۱۴۰۳ در کابل ۵ تن کشته شدند.", "در مجموع ۴۰ حمله در کابل در سال ۲۰۲۳ انجام شد.", "aggregate"),
        # caption: a photo line is no event
        ("ru", "В Кабуле 3 мая 2024 года при взрыве погибли 5 человек.", "Фото: взрыв в Кабуле 3 мая 2024 года, погибли 5 человек.", "caption"),
    ],
)
def test_a_rule_fires_in_a_language_that_gives_its_words(language, plain, ruled, kind, pipeline, ctx):
    assert _events(plain, language, pipeline, ctx), "the plain report gives an event"
    assert kind in _kinds(ruled, language, pipeline, ctx)
    assert _events(ruled, language, pipeline, ctx) == ()


def test_where_people_come_from_is_not_where_it_happened_in_russian(pipeline, ctx):
    events = _events("В Москве 5 мая 2024 года задержаны уроженцы Таджикистана, подозреваемые в подготовке теракта.", "ru", pipeline, ctx)
    assert [(e.type, e.country) for e in events] == [("plot", "RU")]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("ru", "Это продолжается с тех пор как боевики пришли в 2021 году"),
        ("ar", "منذ عام 2021"),
        ("en", "since the group returned to power in 2021"),
    ],
)
def test_a_period_start_is_read_in_every_language_that_names_it(language, text):
    rules = _rules(language)
    assert rules.period is not None and rules.period.search(text, 0, text.index("2021"))


@pytest.mark.parametrize(
    ("language", "text", "date"),
    [
        ("ur", "3 مئی 2024 سے اب تک", "3 مئی 2024"),
        ("ur", "3 مئی 2024 تک", "3 مئی 2024"),
        ("uz", "3-may dan beri", "3-may"),
        ("ky", "3-май дан бери", "3-май"),
        ("fa", "از ۳ مه ۲۰۲۴ تاکنون", "۳ مه ۲۰۲۴"),
        ("tg", "аз 3 майи соли 2024 инҷониб", "3 майи соли 2024"),
    ],
)
def test_a_period_marker_after_the_date_is_read_where_the_language_puts_it(language, text, date):
    rules = _rules(language)
    assert rules.period_after is not None and rules.period_after.match(text, text.index(date) + len(date))


def test_a_date_before_a_period_postposition_is_not_the_event_date(pipeline, ctx):
    events = _events("کابل میں 3 مئی 2024 سے اب تک دھماکے میں 5 افراد ہلاک ہو گئے۔", "ur", pipeline, ctx)
    assert [e.date for e in events] == ["2024-05-10"]  # the report's day, not the period's start


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("ur", "کابل میں 3 مئی 2024 کو تاجکستان اور ازبکستان سے تعلق رکھنے والے تین افراد گرفتار کر لیے گئے۔"),
        ("uz", "Kobulda 3-may kuni Tojikiston va O'zbekistondan kelgan uch kishi hibsga olindi."),
        ("uz", "Kobulda 3-may kuni Tojikiston fuqarolari hibsga olindi."),
    ],
)
def test_where_people_come_from_is_not_where_it_happened_after_the_name(language, text, pipeline, ctx):
    events = _events(text, language, pipeline, ctx)
    assert [(e.type, e.country, e.admin1) for e in events] == [("arrest", "AF", "Kabul")]


@pytest.mark.parametrize(("language", "text"), [("ru", "погибли 5 человек, а 3 ранены"), ("fa", "پنج تن کشته شدند، اما سه تن زخمی شدند"), ("en", "five died, but three")])
def test_a_clause_break_is_read_in_every_language_that_names_it(language, text):
    assert _rules(language).clause_break.search(text)


def test_every_language_with_events_gives_the_sentence_rules():
    for language in lexicon.available("events"):
        data = lexicon.load("events", language)
        assert data.get("hedges") and data.get("aggregates") and data.get("clause_breaks") and data.get("list_joiners"), language


@pytest.mark.parametrize(
    ("text", "countries"),
    [
        ("У посольства в Кабуле 5 сентября 2022 года взорвался смертник, погибли 2 сотрудника, сообщил МИД России.", {"AF"}),
        ("У посольства России в Кабуле 5 сентября 2022 года взорвался смертник, погибли 2 человека.", {"AF"}),
    ],
)
def test_the_country_of_an_institution_is_no_location(text, countries, pipeline, ctx):
    doc = extract(PipelineDoc(id="t", text=text, published="2022-09-06", language="ru"), pipeline=pipeline, ctx=ctx)
    assert {p.country for p in doc.places or ()} == countries


@pytest.mark.parametrize(
    ("published", "value"),
    [(None, "2024-03-22"), ("2024-04", "2024-03-22"), ("2024-02", "2023-03-22")],
)
def test_without_a_publication_day_a_date_takes_the_texts_year(published, value, pipeline, ctx):
    text = "Ҳужум 22 март куни содир бўлди. 1 январь 2024 яна бир портлаш бўлган."
    if published == "2024-02":
        text = "Ҳужум 22 март куни содир бўлди."
    doc = extract(PipelineDoc(id="t", text=text, published=published, language="uz"), pipeline=pipeline, ctx=ctx)
    found = {d.text: d.value for d in doc.dates or ()}
    assert found["22 март"] == value
    if published is None:
        assert any("inferred" in note for note in doc.notes)


@pytest.mark.parametrize(
    ("language", "text", "killed"),
    [
        ("en", "Five ISIS militants were killed by security forces in Kabul on 3 May 2024.", 5),
        ("fa", "روز دوشنبه ۵ عضو داعش توسط نیروهای امنیتی در کابل کشته شدند.", 5),
        ("ps", "د امنیتي ځواکونو له خوا په کابل کې د داعش پنځه غړي ووژل شول.", 5),
        ("ur", "سیکیورٹی فورسز نے پشاور میں 5 داعش دہشت گرد ہلاک کر دیے۔", 5),
        ("ru", "В Кабуле 3 мая силовиками были убиты 5 боевиков ИГИЛ.", 5),
        ("ar", "قتل خمسة من عناصر داعش برصاص قوات الأمن في كابل.", 5),
        ("tg", "Дар Кобул 5 ҷангҷӯи ДИИШ аз ҷониби нерӯҳои амниятӣ кушта шуданд.", 5),
    ],
)
def test_a_killing_by_the_security_forces_is_a_raid_in_every_language(language, text, killed, pipeline, ctx):
    events = _events(text, language, pipeline, ctx)
    assert [(e.type, e.killed) for e in events] == [("raid", killed)]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "ISIS gunmen attacked a checkpoint in Kabul on 3 May 2024, and two of them were shot dead by police."),
        ("ur", "پشاور میں داعش کے حملے میں 5 سیکیورٹی اہلکار ہلاک ہو گئے۔"),
        ("fa", "روز دوشنبه ۵ تن از نیروهای امنیتی در حمله داعش در کابل کشته شدند."),
    ],
)
def test_an_attack_whose_attackers_the_forces_killed_stays_an_attack(language, text, pipeline, ctx):
    assert [e.type for e in _events(text, language, pipeline, ctx)] == ["attack"]
