"""dates.v2 in the languages read by templates: inflected weekdays, relative days and nights, "three
days ago", ranges of days, eras after a year, yearless Solar Hijri dates and the report's own day
(issue 13). Every sentence is written for these tests."""

from __future__ import annotations

import pytest

import kwatch.pipeline.dates  # noqa: F401  (registers the stage)
import kwatch.pipeline.sentences  # noqa: F401
from kwatch.pipeline import Context, Pipeline
from kwatch.pipeline.model import PipelineDoc

PIPELINE = Pipeline(["sentences.v1", "dates.v2"])
CTX = Context(gazetteer=None)


def _run(text: str, language: str, published: str | None) -> PipelineDoc:
    return PIPELINE.run(PipelineDoc(id="d", text=text, published=published, language=language), CTX)


def _dates(text: str, language: str, published: str | None) -> list[tuple[str, str]]:
    return [(d.text, d.value) for d in _run(text, language, published).dates or ()]


# 2024-05-08 is a Wednesday.
@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("ru", "Взрыв прогремел в субботу.", [("субботу", "2024-05-04")]),
        ("ru", "Это было в ночь с пятницы на субботу.", [("пятницы", "2024-05-03"), ("субботу", "2024-05-04")]),
        ("fa", "این حمله روز شنبه‌ی گذشته رخ داد.", [("شنبه", "2024-05-04")]),
        ("fa", "انفجار جمعه شب در کابل رخ داد.", [("جمعه", "2024-05-03")]),
        ("fa", "انفجار روز یک شنبه رخ داد.", [("یک شنبه", "2024-05-05")]),
        ("ps", "برید د جمعې په ورځ وشو.", [("جمعې", "2024-05-03")]),
        ("ps", "برید د سې شنبې په ورځ وشو.", [("سې شنبې", "2024-05-07")]),
        ("ps", "برید د يکشنبې په ورځ وشو.", [("يکشنبې", "2024-05-05")]),
        ("tg", "Ҳамла рӯзи пайшанбе шуд.", [("пайшанбе", "2024-05-02")]),
    ],
)
def test_inflected_weekdays(language: str, text: str, expected: list[tuple[str, str]]) -> None:
    assert _dates(text, language, "2024-05-08") == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("ru", "Прошлой ночью прогремел взрыв.", [("Прошлой ночью", "2024-05-07")]),
        ("ru", "Вчера вечером прогремел взрыв.", [("Вчера", "2024-05-07")]),
        ("fa", "شب گذشته انفجاری رخ داد.", [("شب گذشته", "2024-05-07")]),
        ("fa", "روز گذشته انفجاری رخ داد.", [("روز گذشته", "2024-05-07")]),
        ("fa", "دیشب انفجاری رخ داد.", [("دیشب", "2024-05-07")]),
        ("ps", "تېره شپه چاودنه وشوه.", [("تېره شپه", "2024-05-07")]),
        ("ps", "تېر ماښام چاودنه وشوه.", [("تېر ماښام", "2024-05-07")]),
        ("ar", "وقع الانفجار الليلة الماضية.", [("الليلة الماضية", "2024-05-07")]),
        ("tg", "Шаби гузашта ҳамла шуд.", [("Шаби гузашта", "2024-05-07")]),
        ("uz", "Кеча кечқурун портлаш содир бўлди.", [("Кеча", "2024-05-07")]),
        ("ur", "گزشتہ رات دھماکہ ہوا۔", [("گزشتہ رات", "2024-05-07")]),
        ("ky", "Өткөн түнү жарылуу болду.", [("Өткөн түнү", "2024-05-07")]),
    ],
)
def test_last_night_is_the_day_before(language: str, text: str, expected: list[tuple[str, str]]) -> None:
    assert _dates(text, language, "2024-05-08") == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("ru", "Три дня назад прогремел взрыв.", [("Три дня назад", "2024-05-05")]),
        ("ru", "Взрыв прогремел 5 дней назад.", [("5 дней назад", "2024-05-03")]),
        ("fa", "دو روز پیش انفجاری رخ داد.", [("دو روز پیش", "2024-05-06")]),
        ("fa", "۳ روز قبل انفجاری رخ داد.", [("۳ روز قبل", "2024-05-05")]),
        ("ps", "درې ورځې مخکې چاودنه وشوه.", [("درې ورځې مخکې", "2024-05-05")]),
        ("ar", "وقع الانفجار قبل 3 أيام.", [("قبل 3 أيام", "2024-05-05")]),
        ("ar", "وقع الانفجار منذ يومين.", [("منذ يومين", "2024-05-06")]),
        ("tg", "Се рӯз пеш ҳамла шуд.", [("Се рӯз пеш", "2024-05-05")]),
        ("uz", "Portlash ikki kun oldin sodir boʻldi.", [("ikki kun oldin", "2024-05-06")]),
        ("ur", "دو دن پہلے دھماکہ ہوا۔", [("دو دن پہلے", "2024-05-06")]),
        ("ky", "Жарылуу үч күн мурун болду.", [("үч күн мурун", "2024-05-05")]),
    ],
)
def test_days_ago(language: str, text: str, expected: list[tuple[str, str]]) -> None:
    assert _dates(text, language, "2024-05-08") == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("ru", "Бои шли 5-6 мая.", [("5-6 мая", "2024-05-05")]),
        ("ru", "Взрывы прогремели в ночь с 5 на 6 мая 2023 года.", [("5 на 6 мая 2023 года", "2023-05-05")]),
        ("ru", "Операция шла с 3 по 5 мая.", [("3 по 5 мая", "2024-05-03")]),
        ("ar", "وقعت الاشتباكات بين 5 و6 مايو.", [("5 و6 مايو", "2024-05-05")]),
        ("fa", "درگیری‌ها ۵ و ۶ ثور ۱۴۰۳ ادامه داشت.", [("۵ و ۶ ثور ۱۴۰۳", "2024-04-24")]),
        ("uz", "Janglar 5-6-may kunlari boʻldi.", [("5-6-may", "2024-05-05")]),
    ],
)
def test_a_range_of_days_is_dated_by_its_first(language: str, text: str, expected: list[tuple[str, str]]) -> None:
    assert _dates(text, language, "2024-05-08") == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("fa", "این حمله ۱۷ اسفند ۱۴۰۲ه.ش رخ داد.", [("۱۷ اسفند ۱۴۰۲ه.ش", "2024-03-07")]),
        ("fa", "این حمله ۱۷ حوت ۱۴۰۲ هـ ش رخ داد.", [("۱۷ حوت ۱۴۰۲ هـ ش", "2024-03-07")]),
        ("fa", "این حمله ۱۷ حوت ١٤٠٢ رخ داد.", [("۱۷ حوت ١٤٠٢", "2024-03-07")]),  # Arabic-Indic digits
        ("ps", "برید د ۱۴۰۲ لمریز کال د کب په ۱۷مه وشو.", [("د ۱۴۰۲ لمریز کال د کب په ۱۷مه", "2024-03-07")]),
        ("ar", "وقع الهجوم في 5 مايو 2021م.", [("5 مايو 2021م", "2021-05-05")]),
        ("ur", "یہ حملہ 5 مئی 2021ء کو ہوا۔", [("5 مئی 2021ء", "2021-05-05")]),
        ("ru", "Теракт произошёл 22 марта 2024г. в Подмосковье.", [("22 марта 2024г.", "2024-03-22")]),
    ],
)
def test_the_era_after_a_year_is_part_of_the_date(language: str, text: str, expected: list[tuple[str, str]]) -> None:
    assert _dates(text, language, None) == expected


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        # 17 Hut / Esfand: 1402 in March 2024 (the Solar year began on 21 March 2023) ...
        ("2024-03-10", "2024-03-07"),
        # ... and 1401 before 21 March 2023, though the Gregorian year is the same.
        ("2023-03-10", "2023-03-08"),
    ],
)
@pytest.mark.parametrize("text", ["این حمله ۱۷ حوت رخ داد.", "این حمله ۱۷ اسفند رخ داد."])
def test_a_yearless_solar_hijri_date_takes_the_solar_year_of_the_publication(text: str, published: str, expected: str) -> None:
    assert [value for _, value in _dates(text, "fa", published)] == [expected]


@pytest.mark.parametrize(
    ("language", "text", "published", "expected", "day"),
    [
        # A dateline's date (no year) with the publication year: "вчера" counts from it.
        ("ru", "МОСКВА, 5 мая. /Агентство/. Вчера в Подмосковье задержали двоих.", "2024", ("Вчера", "2024-05-04"), "5 мая"),
        ("tg", "ХУҶАНД, 14 апр — Агентство.\n\nРӯзи пайшанбе дар Ҳирот ҳамла шуд.", "2023", ("пайшанбе", "2023-04-13"), "14 апр"),
        # A line holding only the date (and a time) under the headline.
        ("fa", "انفجار در هرات\n\n۱۴:۲۰ - ۱۲ قوس ۱۴۰۱\n\nدیروز انفجاری در هرات رخ داد.", None, ("دیروز", "2022-12-02"), "۱۲ قوس ۱۴۰۱"),
    ],
)
def test_the_reports_own_day_when_the_publication_date_gives_none(
    language: str, text: str, published: str | None, expected: tuple[str, str], day: str
) -> None:
    doc = _run(text, language, published)
    assert expected in [(d.text, d.value) for d in doc.dates or ()]
    assert any(f"date line '{day}'" in note for note in doc.notes)


def test_with_only_a_publication_month_a_weekday_counts_from_the_latest_day_named() -> None:
    text = "خبرگزاری روز دوشنبه (۸ جولای) خبر داد.\n\nشنبه گذشته دو تن در هرات بازداشت شدند."
    assert ("شنبه", "2024-07-06") in _dates(text, "fa", "2024-07")


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("ru", "Два года назад в городе прогремел взрыв.", [("Два года назад", "2022")]),
        ("ru", "В прошлом месяце задержали двоих.", [("В прошлом месяце", "2024-04")]),
        ("ru", "Это было в марте прошлого года.", [("прошлого года", "2023")]),
        ("fa", "سال گذشته انفجاری در کابل رخ داد.", [("سال گذشته", "2023")]),
        ("fa", "ماه گذشته انفجاری در کابل رخ داد.", [("ماه گذشته", "2024-04")]),
        ("ps", "تېر کال په کابل کې چاودنه وشوه.", [("تېر کال", "2023")]),
        ("ar", "وقع الهجوم العام الماضي.", [("العام الماضي", "2023")]),
        ("tg", "Соли гузашта дар Ҳирот ҳамла шуд.", [("Соли гузашта", "2023")]),
        ("uz", "Hujum oʻtgan yili sodir boʻlgan.", [("oʻtgan yili", "2023")]),
        ("ur", "گزشتہ سال کابل میں دھماکہ ہوا۔", [("گزشتہ سال", "2023")]),
        ("ky", "Өткөн жылы жарылуу болду.", [("Өткөн жылы", "2023")]),
    ],
)
def test_last_year_and_last_month(language: str, text: str, expected: list[tuple[str, str]]) -> None:
    assert _dates(text, language, "2024-05-08") == expected


def test_last_month_needs_the_publication_month() -> None:
    # Without it the year comes from the text, but no month: "last month" is not read.
    text = "В прошлом месяце задержали двоих. Взрыв прогремел 5 мая 2023 года."
    assert _dates(text, "ru", None) == [("5 мая 2023 года", "2023-05-05")]
    assert ("В прошлом месяце", "2023-06") in _dates(text, "ru", "2023-07")


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("tg", "Имрӯз, 12-уми октябр, дар Ҳирот ҳамла шуд.", [("Имрӯз", "2024-05-08"), ("12-уми октябр", "2023-10-12")]),
        ("tg", "Рӯзи 30-юми январ дар Балх ҳамла шуд.", [("30-юми январ", "2024-01-30")]),
        ("ru", "Взрыв прогремел 5-го мая.", [("5-го мая", "2024-05-05")]),
        ("uz", "2022 йил 14 июлда Ҳиротда портлаш бўлди.", [("2022 йил 14 июлда", "2022-07-14")]),
        ("uz", "Portlash 2023 yil may oyida boʻlgan.", [("2023 yil may", "2023-05")]),
        ("uz", "Sud 5-martgacha davom etadi.", [("5-martgacha", "2024-03-05")]),
    ],
)
def test_ordinals_and_case_endings(language: str, text: str, expected: list[tuple[str, str]]) -> None:
    assert _dates(text, language, "2024-05-08") == expected


# -- hints: what a date nothing resolves still says (issue 12) ---------------------------------


def _hints(text: str, language: str, published: str | None) -> list[tuple[str, str]]:
    doc = _run(text, language, published)
    return [(d.text, d.value) for d in doc.date_hints or ()]


@pytest.mark.parametrize(
    ("language", "text", "published", "expected"),
    [
        # No publication date and no year anywhere: the day and month, or the weekday, stay as hints.
        ("ru", "Нападение произошло 22 марта в пригороде.", None, [("22 марта", "--03-22")]),
        ("ru", "Взрыв прогремел в субботу.", None, [("субботу", "W6")]),
        ("uz", "Ҳужум 22 март куни содир бўлди.", None, [("22 март", "--03-22")]),
        ("fa", "این حمله روز چهارشنبه رخ داد.", None, [("چهارشنبه", "W3")]),
        # A month of publication gives "22 марта" its year, but no day for a weekday to count from.
        ("ru", "Взрыв прогремел в субботу.", "2024-05", [("субботу", "W6")]),
    ],
)
def test_a_date_nothing_resolves_is_kept_as_a_hint(language: str, text: str, published: str | None, expected: list[tuple[str, str]]) -> None:
    assert _dates(text, language, published) == []
    assert _hints(text, language, published) == expected


@pytest.mark.parametrize(
    ("language", "text", "published"),
    [
        ("ru", "Взрыв прогремел в субботу.", "2024-05-08"),
        ("ru", "Нападение произошло 22 марта в пригороде.", "2024-05"),
        ("ru", "Нападение произошло 22 марта 2024 года.", None),
    ],
)
def test_a_resolved_date_leaves_no_hint(language: str, text: str, published: str | None) -> None:
    assert _dates(text, language, published)
    assert _hints(text, language, published) == []
