"""The native-script names of the first-level regions of Pakistan, Iran, Russia and Central Asia
(pycountry's ISO 3166-2 translations and curated.yaml's `admin1_native`): each resolves to its
region, bare or inflected or beside a level word, and the names that are also common words or
other places ("فارس", "قم", "مرکزی", "کردستان") are regions only with their level word.
Every sentence here is written for the test."""

from __future__ import annotations

import pytest

import kwatch.pipeline.default  # noqa: F401  (registers the stages)
from kwatch.extract import build_context
from kwatch.gazetteer import Gazetteer, load_gazetteer
from kwatch.pipeline import Context, Pipeline
from kwatch.pipeline.model import PipelineDoc, PlaceMention

PIPELINE = Pipeline(["sentences.v1", "dates.v2", "places.v2"])


@pytest.fixture(scope="module")
def ctx() -> Context:
    return build_context()


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


def places(text: str, language: str, ctx: Context) -> list[tuple[str, str | None, str | None, str | None, str]]:
    """(text, country, admin1, place, precision) of every place that is no site."""
    found: tuple[PlaceMention, ...] | None = PIPELINE.run(PipelineDoc(id="t", text=text, language=language), ctx).places
    assert found is not None
    return [(p.text, p.country, p.admin1, p.place, p.precision) for p in found if p.precision != "site"]


@pytest.mark.parametrize(
    ("name", "region", "country"),
    [("خوزستان", "Khuzestan", "IR"), ("سیستان و بلوچستان", "Sistan and Baluchestan", "IR"), ("استان فارس", "Fars", "IR"),
     ("محافظة قم", "Qom", "IR"), ("ولایت فارس", "Fars", "IR"), ("ولایت البرز", "Alborz", "IR"), ("خیبر پختونخوا", "Khyber Pakhtunkhwa", "PK"), ("آزاد کشمیر", "Azad Kashmir", "PK"),
     ("Татарстан", "Tatarstan", "RU"), ("Башкирия", "Bashkortostan", "RU"), ("Калужская область", "Kaluga Oblast", "RU"),
     ("Хатлон", "Khatlon Region", "TJ"), ("ГБАО", "Gorno-Badakhshan", "TJ"), ("Қорақалпоғистон", "Karakalpakstan", "UZ"),
     ("Qoraqalpogʻiston", "Karakalpakstan", "UZ"), ("Чүй облусу", "Chüy Region", "KG"), ("Лебапский велаят", "Lebap Region", "TM")],
)
def test_region_names_in_the_scripts_we_read(gazetteer: Gazetteer, name: str, region: str, country: str) -> None:
    regions = [(e.name, e.country) for e in gazetteer.candidates(name) if e.kind == "admin1"]
    assert regions == [(region, country)]


@pytest.mark.parametrize("word", ["فارس", "قم", "مرکزی", "گلستان", "کردستان", "البرز", "یزد", "يزد", "سند", "السند", "کشمیر",
                                  "Коми", "Алтай", "Осетия", "Балкан"])
def test_ambiguous_bare_names_are_no_region(gazetteer: Gazetteer, word: str) -> None:
    assert not [e for e in gazetteer.candidates(word) if e.kind == "admin1" and e.country != "AF"]


def test_a_region_named_as_a_town_is_left_to_the_town(gazetteer: Gazetteer) -> None:
    # "اصفهان" is the city; "استان اصفهان" (its level word beside it) the province.
    assert [e.kind for e in gazetteer.candidates("اصفهان") if e.country == "IR"] == ["town"]


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("fa", "دو نفر در استان البرز بازداشت شدند.", ("استان البرز", "IR", "Alborz", None, "province")),
        ("fa", "پلیس در استان فارس سه نفر را دستگیر کرد.", ("استان فارس", "IR", "Fars", None, "province")),
        ("fa", "درگیری در خوزستان ادامه داشت.", ("خوزستان", "IR", "Khuzestan", None, "province")),
        # A town of the name table beside a level word is its province.
        ("fa", "در استان کرمان انفجار رخ داد.", ("کرمان", "IR", "Kerman", None, "province")),
        ("fa", "در استان اصفهان تیراندازی شد.", ("استان اصفهان", "IR", "Isfahan", None, "province")),
        ("ar", "وقع انفجار في محافظة فارس.", ("محافظة فارس", "IR", "Fars", None, "province")),
        ("ur", "صوبہ خیبر پختونخوا میں دھماکہ ہوا۔", ("خیبر پختونخوا", "PK", "Khyber Pakhtunkhwa", None, "province")),
        ("ur", "آزاد کشمیر میں دھماکہ ہوا۔", ("آزاد کشمیر", "PK", "Azad Kashmir", None, "province")),
        ("ru", "Двое задержаны в Татарстане.", ("Татарстане", "RU", "Tatarstan", None, "province")),
        ("ru", "Операция прошла в Башкирии.", ("Башкирии", "RU", "Bashkortostan", None, "province")),
        ("ru", "Взрыв прогремел в Северной Осетии.", ("Северной Осетии", "RU", "North Ossetia", None, "province")),
        ("ru", "Его задержали в Кабардино-Балкарии.", ("Кабардино-Балкарии", "RU", "Kabardino-Balkaria", None, "province")),
        ("tg", "Ду нафар дар вилояти Хатлон боздошт шуданд.", ("Хатлон", "TJ", "Khatlon Region", None, "province")),
        ("uz", "Surxondaryo viloyatida ikki kishi ushlandi.", ("Surxondaryo viloyatida", "UZ", "Surkhandarya Region", None, "province")),
        ("uz", "Fargʻona viloyatida portlash boʻldi.", ("Fargʻona viloyatida", "UZ", "Fergana Region", None, "province")),
        ("ky", "Ош облусу боюнча кабар келди.", ("Ош облусу", "KG", "Osh Region", None, "province")),
    ],
)
def test_region_names_are_read_as_their_region(language: str, text: str, expected: tuple[str | None, ...], ctx: Context) -> None:
    assert expected in places(text, language, ctx)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fa", "بانک مرکزی نرخ ارز را اعلام کرد."),  # the central bank
        ("fa", "او به زبان فارس سخن می‌گفت."),
        ("fa", "اقلیم کردستان عراق انتخابات برگزار کرد."),  # Iraq's Kurdistan
        ("fa", "کوه‌های البرز پوشیده از برف است."),  # the mountains
        ("ar", "لم يزد عدد الحضور عن عشرة."),  # "did not exceed"
        ("ru", "Спектакль превратился в фарс."),
    ],
)
def test_ambiguous_words_are_no_iranian_region(language: str, text: str, ctx: Context) -> None:
    assert not [p for p in places(text, language, ctx) if p[1] == "IR" and p[4] == "province"]
