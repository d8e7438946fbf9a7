"""reading.v1 and what events.v3 does with it: the headline, author lines, dateline, recall of
earlier events, stock notes and the group's seat, on short reports written for these tests (no
corpus text)."""

from __future__ import annotations

import pytest

from kwatch.extract import extract
from kwatch.pipeline import Context, Pipeline
from kwatch.pipeline.model import PipelineDoc
from kwatch.pipeline.reading import markers, read_layout


def run(text: str, pipeline: Pipeline, ctx: Context, *, published: str | None = "2024-05-08", language: str = "en",
        title: str | None = None) -> PipelineDoc:
    return extract(PipelineDoc(id="t", text=text, published=published, language=language, title=title), pipeline=pipeline, ctx=ctx)


WIRE = (
    "Blast kills nine at a market in Jalalabad\n\n"
    "By Staff Reporter\n\n"
    "May 8, 2024\n\n"
    "ISLAMABAD: A bomb exploded at a crowded market in Jalalabad on Monday, killing nine people, officials said.\n\n"
    "The Islamic State claimed the bombing in a statement."
)


def test_the_roles_of_a_wire_report(pipeline: Pipeline, ctx: Context) -> None:
    doc = run(WIRE, pipeline, ctx)
    assert doc.layout is not None
    assert doc.layout.roles[:4] == ("headline", "byline", "byline", "lead")
    (span,) = [s for s in doc.layout.spans if s.role == "dateline"]
    assert span.text == "ISLAMABAD:"


def test_a_dateline_is_not_where_the_event_happened(pipeline: Pipeline, ctx: Context) -> None:
    (event,) = [e for e in run(WIRE, pipeline, ctx).events or () if e.type == "attack"]
    assert (event.country, event.admin1, event.date, event.killed) == ("AF", "Nangarhar", "2024-05-06", 9)


def test_an_agency_closes_a_dateline_without_a_separator(pipeline: Pipeline, ctx: Context) -> None:
    text = "Gunmen storm a hotel in Kabul\n\nTehran, (Agency) Gunmen stormed a hotel in Kabul on Tuesday, killing four guests."
    (event,) = run(text, pipeline, ctx).events or ()
    assert (event.country, event.admin1) == ("AF", "Kabul")


def test_author_and_date_lines_open_no_event(pipeline: Pipeline, ctx: Context) -> None:
    doc = run(WIRE, pipeline, ctx)
    bylines = {s.index for s in doc.sentences or () if doc.layout and doc.layout.role(s.index) == "byline"}
    quoted = {e.start for event in doc.events or () for e in event.evidence}
    assert bylines and not quoted & {s.start for s in doc.sentences or () if s.index in bylines}


RECALL = (
    "A suicide bomber attacked a mosque in Kunduz on Friday, killing 12 worshippers. "
    "Last year a similar attack on a mosque in Kandahar killed 60 people."
)


def test_a_recall_without_its_own_date_adds_nothing(pipeline: Pipeline, ctx: Context) -> None:
    (event,) = run(RECALL, pipeline, ctx).events or ()
    assert (event.admin1, event.killed) == ("Kunduz", 12)


def test_a_recall_with_its_own_date_is_a_background_event(pipeline: Pipeline, ctx: Context) -> None:
    text = RECALL.replace("Last year a similar attack on", "Previously, in October 2021, a bombing at")
    events = run(text, pipeline, ctx).events or ()
    assert [(e.admin1, e.killed) for e in events] == [("Kunduz", 12), ("Kandahar", 60)]
    assert events[1].provenance.get("role") == "background"
    assert any("recalls an earlier event" in line for line in events[1].provenance["inferences"])
    assert "role" not in events[0].provenance


def test_the_russian_note_on_a_banned_group_does_not_make_an_event_russian(pipeline: Pipeline, ctx: Context) -> None:
    # Without the note's span, Russia (named first, at the same precision) would be the event's country.
    text = "«Исламское государство» (запрещено в России) взяло ответственность за теракт в Афганистане 5 мая, погибли 7 человек."
    doc = run(text, pipeline, ctx, language="ru")
    assert doc.layout is not None and [s.role for s in doc.layout.spans] == ["boilerplate"]
    (event,) = doc.events or ()
    assert event.country == "AF"


def test_the_groups_seat_is_not_the_attacks_country(pipeline: Pipeline, ctx: Context) -> None:
    # Both are countries: without the seat, the first named would be the attack's.
    text = "A militant group based in Afghanistan, the Islamic State, claimed a bombing in Pakistan on Monday that killed 5 people."
    (event,) = run(text, pipeline, ctx).events or ()
    assert event.country == "PK"


def test_an_arrest_over_an_attack_elsewhere_is_where_the_police_are(pipeline: Pipeline, ctx: Context) -> None:
    text = "Police in Tajikistan detained nine suspects on Friday in connection with the Moscow attack."
    arrests = [e for e in run(text, pipeline, ctx).events or () if e.type == "arrest"]
    assert [e.country for e in arrests] == ["TJ"]


def test_a_statement_by_another_actor_is_no_release(pipeline: Pipeline, ctx: Context) -> None:
    text = "“ISIS commanders never moved to Afghanistan,” said a statement released by the Taliban on Friday."
    assert not [e for e in run(text, pipeline, ctx).events or () if e.type == "propaganda"]


@pytest.mark.parametrize(
    ("language", "text", "day"),
    [
        # Tajik writes weekdays in lower case: "Душанбе" is the capital, "душанбе" Monday.
        ("tg", "Дар Душанбе гуфтанд, ки дар Кобул рӯзи ҷумъа таркиш рух дод ва 5 нафар кушта шуданд.", "2024-05-03"),
        ("tg", "Дар Кобул рӯзи душанбе таркиш рух дод ва 5 нафар кушта шуданд.", "2024-05-06"),
        # The Urdu oblique of جمعہ (Friday) after گزشتہ (last).
        ("ur", "گزشتہ جمعے کو کابل میں ایک دھماکے میں 5 افراد ہلاک ہوگئے۔", "2024-05-03"),
        # The Pashto oblique of شنبه (Saturday).
        ("ps", "د شنبې په ورځ په کابل کې په یوه چاودنه کې ۵ کسان ووژل شول.", "2024-05-04"),
    ],
)
def test_weekdays_are_read_in_their_inflected_forms(pipeline: Pipeline, ctx: Context, language: str, text: str, day: str) -> None:
    (event,) = run(text, pipeline, ctx, language=language).events or ()
    assert event.date == day


def test_every_language_has_reading_markers() -> None:
    from kwatch import lexicon

    for language in lexicon.available("events"):
        assert language in lexicon.available("reading"), language
        assert markers(language).recall is not None, language


def test_a_document_without_sentences_has_an_empty_layout() -> None:
    layout = read_layout(PipelineDoc(id="e", text="", sentences=()), markers("en"))
    assert layout.roles == () and layout.spans == ()


def test_a_question_opens_no_event(pipeline: Pipeline, ctx: Context) -> None:
    text = "Was the Islamic State behind the bombing in Kabul on Monday that killed 9 people?"
    doc = run(text, pipeline, ctx)
    assert doc.layout is not None and doc.layout.roles == ("question",)
    assert not doc.events


def test_a_country_before_a_word_for_the_groups_branch_is_its_seat(pipeline: Pipeline, ctx: Context) -> None:
    # Both are countries: without the seat, the first named would be the attack's.
    text = "The Islamic State's Afghanistan branch claimed a bombing in Pakistan on Monday that killed 5 people."
    (event,) = run(text, pipeline, ctx).events or ()
    assert event.country == "PK"


def test_the_groups_statement_in_a_report_of_its_attack_is_the_claim(pipeline: Pipeline, ctx: Context) -> None:
    text = (
        "A suicide bomber killed 11 people at a mosque in Herat on Friday. "
        "The Islamic State issued a statement on its Telegram channels."
    )
    events = run(text, pipeline, ctx).events or ()
    assert [e.type for e in events] == ["attack"]
    assert len(events[0].evidence) == 2 and any("is the claim of this attack" in line for line in events[0].provenance["inferences"])


def test_a_video_in_a_report_of_an_attack_stays_a_release(pipeline: Pipeline, ctx: Context) -> None:
    text = (
        "A suicide bomber killed 11 people at a mosque in Herat on Friday. "
        "The Islamic State released a video of the bomber on its Telegram channels."
    )
    assert sorted(e.type for e in run(text, pipeline, ctx).events or ()) == ["attack", "propaganda"]


@pytest.mark.parametrize(
    ("first", "dateline"),
    [
        ("МОСКВА, 5 мая. /ТАСС/. Взрыв прогремел в Кабуле.", "МОСКВА, 5 мая. /ТАСС/."),
        ("ДУШАНБЕ, 5 май — Агентство. Дар Кобул таркиш рух дод.", "ДУШАНБЕ, 5 май —"),
        ("WASHINGTON, May 5, 2024 (Agency) - A bomb exploded in Kabul.", "WASHINGTON, May 5, 2024 (Agency) -"),
        ("Kabul [Afghanistan], May 5 : A bomb exploded in Kabul.", "Kabul [Afghanistan], May 5 :"),
        ("VIENNA — Police arrested a man.", "VIENNA —"),
    ],
)
def test_dateline_shapes(first: str, dateline: str) -> None:
    from kwatch.pipeline.model import PlaceMention, Sentence
    from kwatch.pipeline.reading import dateline as find

    where = first.split(",")[0].split(" ")[0]
    place = PlaceMention(0, len(where), where, 0, "XX", None, None, where, "town")
    span = find(Sentence(0, 0, len(first), first, 0), [place])
    assert span is not None and span.text.rstrip() == dateline


def test_a_sentence_that_opens_on_a_place_is_no_dateline() -> None:
    from kwatch.pipeline.model import PlaceMention, Sentence
    from kwatch.pipeline.reading import dateline as find

    text = "Kabul police said a bomb exploded."
    place = PlaceMention(0, 5, "Kabul", 0, "AF", "Kabul", None, "Kabul", "town")
    assert find(Sentence(0, 0, len(text), text, 0), [place]) is None


def test_a_trigger_typed_against_a_number_is_read(pipeline: Pipeline, ctx: Context) -> None:
    text = "کابل ایئرپورٹ کے باہر 3دھماکے، 20 افراد ہلاک ہو گئے۔"
    (event,) = run(text, pipeline, ctx, language="ur").events or ()
    assert (event.type, event.admin1, event.killed) == ("attack", "Kabul", 20)


def test_a_dateline_on_the_line_after_a_headline_without_a_full_stop(pipeline: Pipeline, ctx: Context) -> None:
    text = "Толибон бо ДОИШ дар Афғонистон меҷанганд ва задухӯрд шиддат мегирад\nДУШАНБЕ, 1 окт — Агентӣ. Дар Кобул 5 нафар кушта шуданд."
    doc = run(text, pipeline, ctx, language="tg")
    assert doc.layout is not None and [s.text for s in doc.layout.spans if s.role == "dateline"] == ["ДУШАНБЕ, 1 окт —"]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        # A country that owns a news agency is not where it happened (the only place named: without
        # the rule it would be the event's).
        ("ps", "د جرمني خبري اژانس راپور ورکړی چې په یوه چاودنه کې ۱۲ کسان ووژل شول."),
        ("fa", "خبرگزاری فرانسه گزارش داد که در یک انفجار ۱۲ نفر کشته شدند."),
    ],
)
def test_a_country_that_owns_a_news_agency_is_not_the_events(pipeline: Pipeline, ctx: Context, language: str, text: str) -> None:
    (event,) = run(text, pipeline, ctx, language=language).events or ()
    assert event.country is None
