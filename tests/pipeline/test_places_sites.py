"""places.v2 reads sites (mosques, embassies, airports …) in every language: the name-table reader
by `sites` in lexicons/<lang>/places.yaml (pipeline/sites.py), the English reader by its site heads.
Every sentence here is written for the test."""

from __future__ import annotations

import pytest

import kwatch.pipeline.default  # noqa: F401  (registers the stages)
from kwatch import lexicon
from kwatch.extract import build_context
from kwatch.pipeline import Context, Pipeline
from kwatch.pipeline.model import PipelineDoc, PlaceMention

PIPELINE = Pipeline(["sentences.v1", "dates.v2", "places.v2"])


@pytest.fixture(scope="module")
def ctx() -> Context:
    return build_context()


def places(text: str, language: str, ctx: Context) -> tuple[PlaceMention, ...]:
    found = PIPELINE.run(PipelineDoc(id="t", text=text, language=language), ctx).places
    assert found is not None
    return found


def sites(text: str, language: str, ctx: Context) -> list[tuple[str | None, str | None, str | None, str | None, str | None]]:
    """(place, kind, of, country, admin1) of every site."""
    return [(m.place, m.site_kind, m.site_of, m.country, m.admin1) for m in places(text, language, ctx) if m.precision == "site"]


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        # The head first, the name after it (ezafe, idafa, genitive).
        ("fa", "دیروز در مسجد امام زمان در شهر کابل انفجار شد.", ("مسجد امام زمان", "mosque", None, "AF", "Kabul")),
        ("fa", "یک مهاجم انتحاری نزدیک فرودگاه کابل کشته شد.", ("فرودگاه کابل", "airport", "Kabul", "AF", "Kabul")),
        ("ar", "قتل خمسة في هجوم على مطار كابول صباح اليوم.", ("مطار كابول", "airport", "Kabul", "AF", "Kabul")),
        ("ar", "وقع انفجار قرب مسجد قندوز مساء أمس.", ("مسجد قندوز", "mosque", "Kunduz", "AF", "Kunduz")),
        ("ru", "Двое погибли при взрыве в аэропорту Кабула.", ("аэропорту Кабула", "airport", "Kabul", "AF", "Kabul")),
        ("ru", "Вечером стрельба началась у отеля «Барон» в Кабуле.", ("отеля «Барон»", "hotel", None, "AF", "Kabul")),
        ("tg", "Се нафар дар назди мақбараи Сахӣ дар Кобул захмӣ шуданд.", ("мақбараи Сахӣ", "shrine", None, "AF", "Kabul")),
        ("tg", "Таркиш дар наздикии Донишгоҳи Кобул рух дод.", ("Донишгоҳи Кобул", "university", "Kabul", "AF", "Kabul")),
        # The name first, the head after it (possessive, genitive "د", postpositions).
        ("uz", "Кобул аэропорти олдида икки киши ҳалок бўлди.", ("Кобул аэропорти", "airport", "Kabul", "AF", "Kabul")),
        ("uz", "Kobul aeroportida portlash yuz berdi.", ("Kobul aeroporti", "airport", "Kabul", "AF", "Kabul")),
        ("uz", "Кобулдаги Хитой меҳмонхонасига ҳужум қилинди.", ("Кобулдаги Хитой меҳмонхонаси", "hotel", None, "AF", "Kabul")),
        ("ps", "په هرات کې د بلال جومات ته نږدې برید وشو.", ("بلال جومات", "mosque", None, "AF", "Herat")),
        ("ur", "کابل ایئرپورٹ کے قریب دو دھماکے ہوئے۔", ("کابل ایئرپورٹ", "airport", "Kabul", "AF", "Kabul")),
        ("ur", "پشاور کی جامع مسجد پر حملہ ہوا۔", ("پشاور کی جامع مسجد", "mosque", "Peshawar", "PK", "Khyber Pakhtunkhwa")),
        ("ky", "Москвадагы \"Жылдыз\" борборунда кол салуу болду.", ('Москвадагы "Жылдыз" борбору', "centre", None, "RU", None)),
    ],
)
def test_a_site_is_read_with_its_name_on_the_side_the_language_puts_it(language: str, text: str, expected: tuple[str, ...], ctx: Context) -> None:
    assert sites(text, language, ctx) == [expected]


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        # A country that names an embassy is its owner; where it is comes from the other place.
        ("fa", "حمله بر سفارت روسیه در کابل دو کشته داشت.", ("سفارت روسیه", "embassy", "RU", "AF", "Kabul")),
        ("ps", "په کابل کې د روسیې سفارت ته نږدې چاودنه وشوه.", ("روسیې سفارت", "embassy", "RU", "AF", "Kabul")),
        ("ar", "استهدف هجوم السفارة الروسية في كابول أمس.", ("السفارة الروسية", "embassy", "RU", "AF", "Kabul")),
        ("ar", "انفجرت سيارة بالقرب من السفارة الروسية بكابول.", ("السفارة الروسية", "embassy", "RU", "AF", "Kabul")),
        ("ur", "کابل میں روسی سفارت خانے کے قریب دھماکہ ہوا۔", ("روسی سفارت خانے", "embassy", "RU", "AF", "Kabul")),
        ("ur", "کابل میں روس کے سفارت خانے پر حملہ ہوا۔", ("روس کے سفارت خانے", "embassy", "RU", "AF", "Kabul")),
        ("ru", "Утром у посольства России в Кабуле взорвался смертник.", ("посольства России", "embassy", "RU", "AF", "Kabul")),
        ("ru", "Смертник подорвал себя у здания российской дипмиссии в Кабуле.", ("российской дипмиссии", "embassy", "RU", "AF", "Kabul")),
        ("tg", "Ду нафар дар назди сафорати Русия дар Кобул кушта шуданд.", ("сафорати Русия", "embassy", "RU", "AF", "Kabul")),
        ("uz", "Россиянинг Кобулдаги элчихонаси яқинида портлаш бўлди.", ("Россиянинг Кобулдаги элчихонаси", "embassy", "RU", "AF", "Kabul")),
        # Any other site a country names lies in it, unless the sentence names a place inside it.
        ("ru", "Три взрыва прогремели у здания МИД Афганистана в Кабуле.", ("МИД Афганистана", "ministry", "AF", "AF", "Kabul")),
        ("ky", "Ирандын Тынчтык мечитинде ок атылды.", ("Ирандын Тынчтык мечити", "mosque", "IR", "IR", None)),
    ],
)
def test_a_country_that_names_a_site_is_its_owner_not_its_location(language: str, text: str, expected: tuple[str, ...], ctx: Context) -> None:
    assert sites(text, language, ctx) == [expected]


def test_the_owner_of_an_embassy_is_no_location_of_the_sentence(ctx: Context) -> None:
    found = places("Утром у посольства России в Кабуле взорвался смертник.", "ru", ctx)
    assert {m.country for m in found} == {"AF"}


@pytest.mark.parametrize(
    "text",
    [
        "Посольство России в Кабуле закрыли.",
        "Взрыв прогремел у посольства России в Кабуле.",
        "Охрану посольству России в Кабуле усилили.",
        "Он работал в посольстве России в Кабуле.",
        "Ранен сотрудник, работавший с посольством России в Кабуле.",
    ],
)
def test_an_inflected_head_is_read_in_every_case(text: str, ctx: Context) -> None:
    [(place, kind, of, country, admin1)] = sites(text, "ru", ctx)
    assert (kind, of, country, admin1) == ("embassy", "RU", "AF", "Kabul")
    assert place is not None and place.casefold().startswith("посольств") and place.endswith("России")


@pytest.mark.parametrize(
    ("language", "text", "place"),
    [
        ("uz", "Хитой меҳмонхонасида Кобулда ўқ отилди.", "Хитой меҳмонхонаси"),
        ("uz", "Kobul aeroportidan chiqqan avtobus portladi.", "Kobul aeroporti"),
        ("ky", "Ирандын Тынчтык мечитине кол салынды.", "Ирандын Тынчтык мечити"),
    ],
)
def test_a_case_ending_after_the_possessive_is_left_out_of_the_site(language: str, text: str, place: str, ctx: Context) -> None:
    assert [s[0] for s in sites(text, language, ctx)] == [place]


def test_a_name_that_only_names_a_known_place_locates_the_site_unless_the_clause_says_otherwise(ctx: Context) -> None:
    # "Kabul Bank in Jalalabad": the bank is named for Kabul and stands in Jalalabad.
    assert sites("فجر انتحاري نفسه أمام بنك كابول في جلال أباد.", "ar", ctx) == [("بنك كابول", "bank", "Kabul", "AF", "Nangarhar")]
    assert sites("مهاجم در برابر کابل بانک در ولایت ننگرهار خود را منفجر کرد.", "fa", ctx) == [
        ("کابل بانک", "bank", "Kabul", "AF", "Nangarhar")]


def test_a_preposition_between_name_and_head_is_not_part_of_the_name(ctx: Context) -> None:
    found = [m for m in places("په کابل کې د کرنې او مالدارۍ په وزارت کې چاودنه وشوه.", "ps", ctx) if m.precision == "site"]
    assert [(m.text, m.place, m.site_kind, m.admin1) for m in found] == [
        ("کرنې او مالدارۍ په وزارت", "کرنې او مالدارۍ وزارت", "ministry", "Kabul")]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        # An institution that speaks is no place.
        ("fa", "سخنگوی وزارت داخله گفت که در کابل سه نفر کشته شدند."),
        ("ps", "د کورنیو چارو وزارت ویاند وویل چې په کابل کې برید شوی."),
        ("ar", "وقالت وزارة الخارجية الروسية إن الانفجار وقع في كابول."),
        ("ur", "افغان وزارت داخلہ کے مطابق کابل میں دھماکہ ہوا۔"),
        ("ru", "Представитель МИД России заявил, что в Кабуле тихо."),
        # A head without a name, or with a word that says what kind of place it is.
        ("fa", "انفجار در مسجد شیعیان در ولایت قندوز رخ داد."),
        ("fa", "در مسجد رخ داد که در کابل است."),
        ("ar", "استهدف التفجير مسجدا للشيعة في قندوز."),
        ("ru", "Взрыв прогремел у посольства в Кабуле."),
        ("uz", "Кобулда меҳмонхонага ҳужум бўлди."),
        # A place name right before a Russian head does not name it.
        ("ru", "В Кабуле посольство закрыли."),
        # "مزار شریف" is a town, not a shrine.
        ("fa", "دو نفر در مزار شریف کشته شدند."),
    ],
)
def test_no_site(language: str, text: str, ctx: Context) -> None:
    assert sites(text, language, ctx) == []


def test_a_site_the_sentence_does_not_place_is_not_read(ctx: Context) -> None:
    # Its country would become the event's: without a place in the sentence there is none.
    assert sites("Боевики ворвались в «Звезда Холл» вечером.", "ru", ctx) == []
    assert [m.precision for m in places("Боевики ворвались в «Звезда Холл» в Красногорске.", "ru", ctx)] == ["site", "town"]


def test_the_site_span_is_verbatim(ctx: Context) -> None:
    text = "Первая строка.\nДвое погибли у посольства России в Кабуле."
    for m in places(text, "ru", ctx):
        assert text[m.start:m.end] == m.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The suicide bombing at the Kabul airport killed 170.", [("Kabul airport", "airport", "Kabul")]),
        ("Gunmen attacked the Imam Zaman Mosque in Herat Province.", [("Imam Zaman Mosque", "mosque", None)]),
        ("The attack against Moscow's Crocus City Hall killed 145.", [("Crocus City Hall", "hall", None)]),
        ("Gunmen attacked a mosque in the Andisheh town of Guzra District.", [("Andisheh", "area", None)]),
    ],
)
def test_english_sites_have_a_kind_and_what_names_them(text: str, expected: list[tuple[str, ...]], ctx: Context) -> None:
    assert [(m.place, m.site_kind, m.site_of) for m in places(text, "en", ctx) if m.precision == "site"] == expected


def test_one_site_in_two_languages_has_one_identity(ctx: Context) -> None:
    english = sites("A bomb exploded at the Kabul airport.", "en", ctx)
    russian = sites("Бомба взорвалась в аэропорту Кабула.", "ru", ctx)
    uzbek = sites("Кобул аэропортида бомба портлади.", "uz", ctx)
    assert {(k, o) for _, k, o, _, _ in english + russian + uzbek} == {("airport", "Kabul")}


def _languages_with_sites() -> list[str]:
    return [lang for lang in lexicon.available("places") if (lexicon.load("places", lang) or {}).get("sites")]


def test_every_name_table_language_reads_sites() -> None:
    readers = [lang for lang in lexicon.available("places") if "case_suffixes" in lexicon.load("places", lang)]
    assert sorted(_languages_with_sites()) == sorted(readers)


def test_every_english_site_head_has_a_kind() -> None:
    data = lexicon.load("places", "en")
    kinds = data["site_kinds"]
    assert [h for h in [*data["site_heads"], *data["site_of_patterns"]] if h not in kinds] == []


@pytest.mark.parametrize("language", _languages_with_sites())
def test_site_kinds_are_the_english_ones(language: str) -> None:
    english = set(lexicon.load("places", "en")["site_kinds"].values())
    data = lexicon.load("places", language)["sites"]
    kinds = {*(data.get("heads_first") or {}).values(), *(data.get("heads_last") or {}).values()}
    assert kinds - english == set()



def test_a_bank_named_for_a_place_stands_where_the_sentence_says(ctx: Context) -> None:
    # A chain's branch: the place named before it is where it is, though its name is another.
    assert sites("په هرات ښار کې د کابل بانک د څانګې مخې ته چاودنه وشوه.", "ps", ctx) == [("کابل بانک", "bank", "Kabul", "AF", "Herat")]


def test_a_bank_named_for_a_place_is_not_placed_by_its_name_alone(ctx: Context) -> None:
    assert sites("مهاجم در برابر کابل بانک خود را منفجر کرد.", "fa", ctx) == []


def test_a_site_told_again_keeps_the_place_the_document_gave_it(ctx: Context) -> None:
    text = "انفجرت قنبلة أمام بنك كابول في جلال أباد. وأغلق بنك كابول أبوابه بعد الهجوم."
    assert [(m.sentence, m.place, m.admin1) for m in places(text, "ar", ctx) if m.precision == "site"] == [
        (0, "بنك كابول", "Nangarhar"), (1, "بنك كابول", "Nangarhar")]
