"""events.v3, the extract API and to_record: events from hand-built mentions and from short texts
written for these tests (no corpus text)."""

from __future__ import annotations

import pytest

from kwatch.extract import extract, to_record
from kwatch.pipeline.cues import find_cues
from kwatch.pipeline.default import DEFAULT_STAGES
from kwatch.pipeline.events import assemble
from kwatch.pipeline.model import ActorMention, CasualtyMention, DateMention, PipelineDoc, PlaceMention
from kwatch.pipeline.sentences import split_sentences


def run(text: str, pipeline, ctx, published: str | None = "2024-05-01", language: str | None = "en") -> PipelineDoc:
    return extract(PipelineDoc(id="t", text=text, published=published, language=language), pipeline=pipeline, ctx=ctx)


# -- hand-built mentions ----------------------------------------------------------------------

HAND_TEXT = "On May 3, 2024, a suicide bomber attacked a mosque in Herat, killing 7. IS-KP claimed responsibility for the attack."


def _hand_doc() -> PipelineDoc:
    text = HAND_TEXT
    sentences = split_sentences(text)
    herat = text.index("Herat")
    seven = text.index("killing 7")
    iskp = text.index("IS-KP")
    return PipelineDoc(
        id="hand",
        text=text,
        sentences=sentences,
        dates=(DateMention(3, 14, text[3:14], 0, "2024-05-03", "absolute"),),
        places=(PlaceMention(herat, herat + 5, "Herat", 0, "AF", "Herat", None, "Herat", "town"),),
        actors=(ActorMention(iskp, iskp + 5, "IS-KP", 1, "ISKP"),),
        casualties=(CasualtyMention(seven, seven + 9, "killing 7", 0, "killed", 7, "exact", None, False),),
        cues=find_cues(text, sentences),
    )


def test_hand_built_mentions_make_one_event():
    (event,) = assemble(_hand_doc())
    assert (event.type, event.date, event.country, event.admin1, event.killed) == ("attack", "2024-05-03", "AF", "Herat", 7)


@pytest.mark.parametrize(
    ("field", "value"),
    [("actor", "ISKP"), ("claimed", True), ("method", "suicide_bombing"), ("target", "religious")],
)
def test_follow_up_and_cues_fill_fields(field, value):
    (event,) = assemble(_hand_doc())
    assert getattr(event, field) == value


def test_every_evidence_quote_is_the_text_slice():
    doc = _hand_doc()
    (event,) = assemble(doc)
    assert all(doc.text[e.start : e.end] == e.quote for e in event.evidence)
    assert len(event.evidence) == 2


# -- whole pipeline on short texts ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "A total of 300 people have been killed in 40 attacks since 2021.",
        "The group could attack the capital, officials warned.",
        "The militants vow to bomb Kabul again.",
        "Police stand guard at the site of a blast in Kabul on May 2, 2024. (Photo by Staff/Agency)",
        "The tunnel gives rebels easy passage near the river, a hurdle for security forces.",
    ],
)
def test_no_event_from_background_hedges_captions_or_unrelated_text(text, pipeline, ctx):
    assert run(text, pipeline, ctx).events == ()


def test_two_sentences_about_one_attack_make_one_event(pipeline, ctx):
    text = "On May 3, 2024, a bomb exploded at a market in Kabul, killing 12 people. The blast also wounded 30 others."
    (event,) = run(text, pipeline, ctx).events
    assert (event.killed, event.injured, event.method) == (12, 30, "bombing")


def test_release_and_attack_in_one_sentence_are_two_events(pipeline, ctx):
    text = "IS-KP launched a new Uzbek-language magazine after the attack on a concert in Moscow on March 22, 2024, which killed 40 people."
    events = sorted(run(text, pipeline, ctx).events, key=lambda e: e.type)
    assert [e.type for e in events] == ["attack", "propaganda"]
    assert (events[0].country, events[0].killed, events[1].languages, events[1].country) == ("RU", 40, ("uz",), None)


def test_claimed_figures_are_kept_apart(pipeline, ctx):
    text = "On June 1, 2024, five people were killed in a suicide attack in Kunduz. In a statement, IS-KP claimed that its fighters killed 40."
    (event,) = run(text, pipeline, ctx).events
    assert (event.killed, event.killed_claimed, event.claimed) == (5, 40, True)


def test_islamic_state_claim_in_afghanistan_is_iskp_with_a_reason(pipeline, ctx):
    text = "On June 1, 2024, a bomb killed five people in Kunduz. The Islamic State claimed responsibility for the attack."
    (event,) = run(text, pipeline, ctx).events
    assert event.actor == "ISKP"
    assert any("IS named for an attack in AF" in i for i in event.provenance["inferences"])


def test_provenance_names_every_stage(pipeline, ctx):
    (event,) = run("On May 3, 2024, a bomb killed five people in Kabul.", pipeline, ctx).events
    assert tuple(event.provenance["stages"]) == DEFAULT_STAGES


def test_plot_foiled_by_arrests(pipeline, ctx):
    text = "Police arrested three men plotting to attack a concert in Vienna in July 2024."
    (event,) = run(text, pipeline, ctx).events
    assert (event.type, event.country, event.target) == ("plot", "AT", "public_event")


# -- documents that cannot be read ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "reason"),
    [
        ("Kabil'de bir patlamada beş kişi öldü.", "tr", "no lexicons"),  # Turkish: no extraction lexicons
        ("12345 678 --- ### 2024", "en", "no letters"),
        ("x" * 1_000_000, "en", "over 2000 characters"),
        ("", "en", "no letters"),
    ],
)
def test_unreadable_documents_are_skipped_with_a_reason(text, language, reason, pipeline, ctx):
    result = run(text, pipeline, ctx, language=language)
    assert result.events == ()
    assert reason in (result.skipped or "")


def test_language_none_is_read_as_english(pipeline, ctx):
    result = run("On May 3, 2024, a bomb killed five people in Kabul.", pipeline, ctx, language=None)
    assert result.skipped is None and len(result.events) == 1


# -- records ------------------------------------------------------------------------------------------


def test_record_has_the_format_fields_and_verbatim_sources(pipeline, ctx):
    text = "On May 3, 2024, a bomb killed five people in Kabul."
    (event,) = run(text, pipeline, ctx).events
    record = to_record(event, "doc-1", "a.txt")
    assert record["sources"][0]["doc"] == "a.txt"
    assert record["sources"][0]["quote"] == text[record["sources"][0]["start"] : record["sources"][0]["end"]]
    assert {"id", "type", "date", "country", "killed", "geo_precision", "detail"} <= set(record)


def test_record_id_is_stable_and_depends_on_the_document(pipeline, ctx):
    (event,) = run("On May 3, 2024, a bomb killed five people in Kabul.", pipeline, ctx).events
    assert to_record(event, "doc-1")["id"] == to_record(event, "doc-1")["id"] != to_record(event, "doc-2")["id"]


def test_events_split_from_one_sentence_have_distinct_ids(pipeline, ctx):
    text = "On May 3, 2024, the group fired rockets into Tajikistan and Uzbekistan."
    events = run(text, pipeline, ctx).events
    assert sorted(e.country for e in events) == ["TJ", "UZ"]
    assert len({to_record(e, "d")["id"] for e in events}) == 2


# -- news-report shapes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, claimed",
    [
        ("A bomb exploded at a mosque in Jalalabad on Friday, killing 12. No group has claimed responsibility for the attack.", False),
        ("Gunmen killed five people in Kabul on Monday. No one has yet claimed responsibility.", False),
        ("Gunmen killed five people in Kabul on Monday. Islamic State claimed responsibility for the attack.", True),
        ("A blast killed 3 in Kunduz on Sunday. The attack has not been claimed.", False),
    ],
)
def test_a_denied_claim_is_not_a_claim(text, claimed, pipeline, ctx):
    (event,) = run(text, pipeline, ctx).events
    assert event.claimed is claimed


def test_headline_lead_and_body_of_one_report_are_one_event(pipeline, ctx):
    text = (
        "Blast at mosque in Kunduz kills at least 40\n\n"
        "KUNDUZ, 8 October 2021 - A suicide bomber struck worshippers at a Shia mosque in Kunduz during Friday prayers.\n\n"
        "A Taliban official said at least 46 people were killed and 143 wounded.\n"
    )
    (event,) = run(text, pipeline, ctx, published="2021-10-08").events
    assert (event.date, event.admin1, event.killed, event.injured) == ("2021-10-08", "Kunduz", 46, 143)


def test_a_report_that_names_no_date_is_dated_by_its_publication_day_with_the_reason(pipeline, ctx):
    (event,) = run("Gunmen killed five people at a checkpoint in Kunar province.", pipeline, ctx, published="2024-05-01").events
    assert event.date == "2024-05-01"
    assert any("publication date" in note for note in event.provenance["inferences"])
    (undated,) = run("Gunmen killed five people at a checkpoint in Kunar province.", pipeline, ctx, published="2024").events
    assert undated.date is None


REPORTED = "A suicide bomber attacked a mosque in Kunduz, killing 12 worshippers.\n\n"


@pytest.mark.parametrize(("later", "date", "basis"), [
    # The one day the report names in the three days up to its publication (8 May, a Wednesday).
    ("It happened on Monday evening near the main gate, police said.", "2024-05-06", "text"),
    # Two such days: neither is taken; a day a week before is outside the window.
    ("It happened on Monday evening near the main gate, police said. The city was quiet on Tuesday.", "2024-05-08", "publication_day"),
    ("It happened on 1 May near the main gate, police said.", "2024-05-08", "publication_day"),
    # The day a statement was made is not the event's.
    ("The ministry said on Monday that the inquiry goes on.", "2024-05-08", "publication_day"),
])
def test_an_undated_event_takes_the_one_day_its_report_names_just_before_publication(later, date, basis, pipeline, ctx):
    (event,) = run(REPORTED + later, pipeline, ctx, published="2024-05-08").events
    assert (event.date, event.date_basis) == (date, basis)
    if basis == "text":
        assert any("the one day the report names" in note for note in event.provenance["inferences"])
        assert any(e.fields == ("date",) and "Monday" in e.quote for e in event.evidence)


def test_hard_wrapped_aggregate_statistics_yield_no_event(pipeline, ctx):
    text = (
        "The UN mission recorded 3,774 civilian casualties between\n"
        "15 August 2021 and the end of May 2023, including 1,095 people killed and 2,679 wounded. Most\n"
        "of this harm came from improvised explosive devices, and the mission attributed the majority of these\n"
        "deliberate attacks to the Islamic State Khorasan Province.\n"
    )
    assert run(text, pipeline, ctx, published="2023-06-27").events == ()


def test_countries_people_come_from_are_not_where_it_happened(pipeline, ctx):
    text = "Police in Cologne arrested seven men from Tajikistan, Turkmenistan and Kyrgyzstan on 6 July 2023 over an ISKP plot."
    events = run(text, pipeline, ctx, published="2023-07-07").events
    assert {e.country for e in events} <= {"DE", None}
    assert len(events) == 1


def test_a_date_that_starts_a_period_is_not_the_event_date(pipeline, ctx):
    text = (
        "KABUL, 11 December 2024 – A suicide bombing in Kabul on Wednesday killed the minister.\n"
        "He was the most senior official killed in an attack since the group returned to power in 2021.\n"
    )
    (event,) = run(text, pipeline, ctx, published="2024-12-11").events
    assert event.date == "2024-12-11"


def test_a_weekday_restated_by_its_full_date_takes_the_full_date(pipeline, ctx):
    text = "Police arrested two ISKP suspects in Kabul on Thursday, 6 July 2023."
    (event,) = run(text, pipeline, ctx, published="2024-01-10").events
    assert event.date == "2023-07-06"


# -- the event's day, not its claim's or report's (issue 13) -------------------------------------


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # A lead dated only by the claim folds into the sentence the attack's own day dates.
        ("Islamic State claimed responsibility Tuesday for a car bomb that killed 23 people at a market in Quetta.\n\n"
         "The group said its fighters set off the Monday blast at the Quetta market.", "en"),
        # A date right before the claim verb is the claim's; one set apart from "said" is the event's.
        ("Islamic State on Tuesday claimed responsibility for a car bomb that killed 23 people at a market in Quetta.\n\n"
         "Police said, on Monday a car bomb exploded at a market in Quetta.", "en"),
        ("ИГ во вторник взяло на себя ответственность за взрыв у рынка в Кветте, погибли 23 человека.\n\n"
         "Полиция сообщила, что в понедельник у рынка в Кветте прогремел взрыв.", "ru"),
    ],
)
def test_the_event_takes_its_own_day_not_the_claims(text, language, pipeline, ctx):
    (event,) = run(text, pipeline, ctx, published="2024-05-08", language=language).events
    assert (event.type, event.date, event.killed) == ("attack", "2024-05-06", 23)


def test_a_date_before_an_event_word_is_that_events_even_after_a_claim(pipeline, ctx):
    text = "Islamic State claimed responsibility for Monday's car bombing at a market in Quetta, which killed 23 people."
    (event,) = run(text, pipeline, ctx, published="2024-05-08").events
    assert event.date == "2024-05-06"


def test_a_coarse_date_refined_in_the_same_clause_gives_the_finer(pipeline, ctx):
    text = "Earlier this year, gunmen attacked a mosque in Herat in March, killing seven people."
    (event,) = run(text, pipeline, ctx, published="2024-05-07").events
    assert event.date == "2024-03"


def test_in_a_verb_final_language_a_date_before_the_reporting_verb_is_the_reports(pipeline, ctx):
    # events.yaml `verb_final`: "the outlet on Wednesday, citing its sources, reported that …"
    text = ("نیروهای طالبان روز دوشنبه پنج عضو داعش را در کابل بازداشت کردند.\n\n"
            "این رسانه روز چهارشنبه (۸ می) به نقل از منابع خود گزارش داد که رهبر این گروه در کابل بازداشت شده است.")
    events = run(text, pipeline, ctx, published="2024-05-08", language="fa").events
    assert [(e.type, e.date) for e in events] == [("arrest", "2024-05-06")]


@pytest.mark.parametrize(
    ("text", "language", "hint"),
    [
        # The claim's day is not the attack's: the hint is the day of the bombing.
        ("The Islamic State on Thursday claimed responsibility for Wednesday's suicide bombing in Kerman that killed 84 people.",
         "en", "W3"),
        ("A suicide bomber killed 12 worshippers at a mosque in Kunduz on March 22, police said.", "en", "--03-22"),
        ("Теракт в Кабуле 22 марта унес жизни 12 человек.", "ru", "--03-22"),
    ],
)
def test_an_undated_event_keeps_the_hint_of_its_day(text, language, hint, pipeline, ctx):
    events = run(text, pipeline, ctx, published=None, language=language).events
    assert [(e.type, e.date, e.detail.get("date_hint")) for e in events] == [("attack", None, hint)]
    assert any(hint in line for line in events[0].provenance["inferences"])


def test_a_dated_event_has_no_hint(pipeline, ctx):
    events = run("A suicide bomber killed 12 worshippers at a mosque in Kunduz on March 22, police said.", pipeline, ctx,
                 published="2024-03-23").events
    assert [(e.date, "date_hint" in e.detail) for e in events] == [("2024-03-22", False)]


def test_a_later_sentence_of_the_event_gives_the_day_its_opening_does_not(pipeline, ctx):
    text = ("Security forces killed 9 Islamic State militants in Nangarhar province, officials said.\n\n"
            "The operation took place on Saturday in the Achin district.")
    events = run(text, pipeline, ctx, published="2024-05-08").events
    assert [(e.type, e.date) for e in events] == [("raid", "2024-05-04")]


def test_a_count_of_strikes_over_years_is_no_event(pipeline, ctx):
    text = "A think tank said the group conducted 100 strikes on civilians in Afghanistan from 2015 to 2017."
    assert run(text, pipeline, ctx).events == ()


def test_a_date_after_the_groups_outlet_is_the_releases_not_the_attacks(pipeline, ctx):
    # "claimed in its weekly Al-Naba on Friday … carried out the attack": Friday is the claim's day.
    text = ("A suicide bomber killed 2 policemen in Peshawar on May 11.\n\n"
            "The claim was made in the weekly Al-Naba on Friday, which said one of its members carried out the attack on the police.")
    events = run(text, pipeline, ctx, published="2025-05-17").events
    assert [(e.type, e.date) for e in events if e.type == "attack"] == [("attack", "2025-05-11")]


@pytest.mark.parametrize(("text", "target"), [
    # the speaker's title is not whom the attack hit
    ("A bomb killed 3 people at a market in Kabul on Monday, officials said.", "civilian"),
    ("A bomb killed 3 people in Kabul on Monday, a police spokesman said.", None),
    # nor are the forces that killed the attackers
    ("Three attackers were killed by security forces in Herat on Monday after they attacked a market.", "civilian"),
    # a security target is still one
    ("A suicide bomber killed 5 soldiers at a checkpoint in Kunduz on Monday.", "security"),
])
def test_a_target_word_that_names_the_speaker_or_the_killers_is_no_target(text, target, pipeline, ctx):
    events = run(text, pipeline, ctx, published="2024-05-08").events
    assert [(e.type, e.target) for e in events] == [("attack", target)]


@pytest.mark.parametrize(("text", "language", "target"), [
    ("در انفجار بمب در شهر کابل پنج سرباز کشته شدند.", "fa", "security"),
    ("په کابل کې په یوه برید کې دوه خبریالان ووژل شول.", "ps", "media"),
    ("کوئٹہ میں دھماکے میں چار فوجی اہلکار ہلاک ہو گئے۔", "ur", "security"),
    ("В результате взрыва в Кабуле погибли трое журналистов.", "ru", "media"),
    ("Kobulda portlash oqibatida uch politsiya xodimi halok boʻldi.", "uz", "security"),
])
def test_security_and_media_targets_in_every_language(text, language, target, pipeline, ctx):
    events = run(text, pipeline, ctx, published="2024-05-08", language=language).events
    assert [e.target for e in events if e.type == "attack"] == [target]


def test_a_later_sentence_that_says_the_bomber_blew_himself_up_makes_a_bombing_a_suicide_bombing(pipeline, ctx):
    text = "An explosion at a mosque in Kunduz killed 12 worshippers on Friday, police said. The bomber blew himself up at the gate."
    events = run(text, pipeline, ctx, published="2024-05-11").events
    assert [(e.type, e.method) for e in events] == [("attack", "suicide_bombing")]
    assert any("method" in ev.fields and "blew himself up" in ev.quote for ev in events[0].evidence)


@pytest.mark.parametrize(("text", "language"), [
    ("A bomb killed one child in Nangarhar on Sunday. In Kabul, on Saturday a blast wounded two people. "
     "Daesh claimed responsibility for these attacks, the agency reported.", "en"),
    ("В воскресенье взрыв в Нангархаре убил ребенка. В субботу в Кабуле при взрыве ранены двое. "
     "Ответственность за эти теракты взяло на себя ИГИЛ.", "ru"),
])
def test_a_claim_of_these_attacks_claims_each_of_them(text, language, pipeline, ctx):
    events = run(text, pipeline, ctx, published="2024-05-13", language=language).events
    assert [(e.type, e.claimed) for e in events] == [("attack", True), ("attack", True)]
    assert all(e.actor == "ISKP" for e in events)


def test_a_claim_of_the_attack_claims_only_the_last(pipeline, ctx):
    text = ("A bomb killed one child in Nangarhar on Sunday. In Kabul, on Saturday a blast wounded two people. "
            "Daesh claimed responsibility for the attack in Kabul.")
    events = run(text, pipeline, ctx, published="2024-05-13").events
    assert [e.claimed for e in events] == [None, True]


@pytest.mark.parametrize(("later", "target"), [
    # Whose spokesperson speaks is not whom the attack hit ...
    ("A spokesman for the provincial interior ministry, Ahmad Khan, confirmed the toll.", None),
    # ... but what the spokesperson says it hit is.
    ("A spokesman said the bomber had targeted a police checkpoint.", "security"),
    # A source phrase ("according to …,") names who reports, up to its comma.
    ("According to the Kunduz provincial public health ministry, 30 people were wounded.", None),
    ("According to officials, the bomber targeted a police checkpoint.", "security"),
])
def test_the_phrase_naming_whose_spokesperson_speaks_gives_no_target(later, target, pipeline, ctx):
    (event,) = run("A suicide bomber killed 12 people in Kunduz on Monday. " + later, pipeline, ctx, published="2024-05-08").events
    assert event.target == target


@pytest.mark.parametrize(("language", "text", "method"), [
    ("en", "ISKP militants kidnapped 12 Hazara passengers on the Kabul-Kandahar highway on 3 May 2024.", None),
    ("ru", "Боевики ИГ похитили 12 пассажиров в провинции Забуль 3 мая 2024 года.", None),
    ("ps", "داعش د زابل ولایت کې د ۲۰۲۴ کال د مې په ۳ مه ۱۲ مسافر وتښتول.", None),
    # A beheading is FORMAT.md's method `other`; a kidnapping tells none.
    ("en", "ISKP militants beheaded seven Hazara passengers in Zabul province on 3 May 2024.", "other"),
    ("ps", "داعش د زابل ولایت کې د ۲۰۲۴ کال د مې په ۳ مه د اوو مسافرو سرونه پرې کړل.", "other"),
])
def test_a_kidnapping_or_beheading_by_the_group_is_an_attack(language, text, method, pipeline, ctx):
    (event,) = run(text, pipeline, ctx, published="2024-05-08", language=language).events
    assert (event.type, event.method) == ("attack", method)


def test_two_other_explosions_elsewhere_in_one_sentence_are_another_event(pipeline, ctx):
    text = ("In Kabul, a blast wounded two people on Saturday, and two other explosions on Saturday targeted "
            "a Taliban vehicle in Nangarhar, wounding 20 people.")
    events = run(text, pipeline, ctx, published="2024-05-08").events
    assert sorted((e.admin1, e.injured, e.date) for e in events) == [("Kabul", 2, "2024-05-04"), ("Nangarhar", 20, "2024-05-04")]


def test_another_blast_at_the_same_place_is_the_same_attack(pipeline, ctx):
    text = "A suicide bomber struck the airport in Kabul on Thursday, killing 60 people, and another blast went off in Kabul minutes later."
    assert len(run(text, pipeline, ctx, published="2024-05-08").events) == 1


def test_a_claim_beside_an_arrest_word_opens_no_arrest(pipeline, ctx):
    # The group's claim anchors its attack; an arrest is anchored by the force that acts, its
    # date, place or figures, not by the group's name and claim in its clause.
    text = "A suicide bomber killed 12 people at a mosque in Kunduz on Monday. ISKP claimed the bombing days after its commander was arrested."
    events = run(text, pipeline, ctx, published="2024-05-08").events
    assert [(e.type, e.claimed) for e in events] == [("attack", True)]


def test_back_in_a_month_recalls_an_earlier_event(pipeline, ctx):
    text = ("A bombing targeted a funeral in Badakhshan province, killing 16 people.\n\n"
            "Back in January, a bombing killed at least 20 people near the foreign ministry in Kabul.")
    events = run(text, pipeline, ctx, published="2023-06-09").events
    assert [(e.admin1, e.date, e.provenance.get("role")) for e in events] == [
        ("Badakhshan", "2023-06-09", None), ("Kabul", "2023-01", "background")]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Gunmen attacked a police post near the border with Afghanistan on 3 May 2024, killing five."),
        ("ru", "Боевики ИГИЛ напали на заставу на границе с Афганистаном 3 мая 2024 года, погибли трое."),
        ("tg", "Ҷангҷӯёни ДОИШ 3 майи 2024 дар сарҳад бо Афғонистон ба посгоҳ ҳамла карданд, се нафар кушта шуданд."),
        ("uz", "IShID jangarilari 2024 yil 3 mayda Afgʻoniston bilan chegaradagi postga hujum qildi, uch kishi halok boʻldi."),
        ("fa", "در حمله داعش بر یک پاسگاه در نزدیکی مرز با پاکستان پنج سرباز کشته شدند."),
    ],
)
def test_a_country_across_the_border_is_not_where_it_happened(language, text, pipeline, ctx):
    # The post is on this side of the border: the country named is the other side's.
    (event,) = run(text, pipeline, ctx, published="2024-05-04", language=language).events
    assert event.country is None


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("uz", "Islomiy davlat 2024 yil 3 mayda barcha tarafdorlarini Yevropada hujumlar uyushtirishga chaqirdi."),
        ("tg", "Давлати исломӣ 3 майи 2024 пайравонашро ба ҳамлаҳо дар Аврупо даъват кард."),
        ("ar", "دعا تنظيم داعش أنصاره إلى شن هجمات في أوروبا في 3 مايو 2024."),
        ("fa", "پولیس کندهار در تلاش دستگیری عاملان این انفجار در ۳ مه ۲۰۲۴ است."),
    ],
)
def test_a_call_or_an_attempt_is_no_event(language, text, pipeline, ctx):
    # A call to attack is the group's words, and police trying to arrest have arrested no one.
    assert run(text, pipeline, ctx, published="2024-05-04", language=language).events == ()


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Police said the three men killed in the raid on 3 May 2024 had been involved in attacks on security forces in Quetta."),
        ("ur", "سی ٹی ڈی کے مطابق دہشت گرد سیکیورٹی فورسز پر بم حملوں میں ملوث تھے۔"),
    ],
)
def test_a_record_of_attacks_is_no_attack(language, text, pipeline, ctx):
    # "involved in attacks": what the men had done, not an attack the report tells.
    events = run(text, pipeline, ctx, published="2024-05-04", language=language).events
    assert not any(e.type == "attack" for e in events)


def test_a_strike_against_the_group_is_a_raid_in_russian(pipeline, ctx):
    text = "Силы США нанесли удар против лидера ИГИЛ в провинции Нангархар 25 августа 2018 года."
    (event,) = run(text, pipeline, ctx, published="2018-09-03", language="ru").events
    assert (event.type, event.date, event.admin1) == ("raid", "2018-08-25", "Nangarhar")


def test_stepped_up_operations_are_a_campaign_not_a_raid(pipeline, ctx):
    text = "Authorities have ramped up operations against ISIS since 3 May 2024, after the group's attack on a church in Istanbul."
    events = run(text, pipeline, ctx, published="2024-06-04").events
    assert not any(e.type == "raid" for e in events)
