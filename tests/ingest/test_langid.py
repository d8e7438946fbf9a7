"""kwatch.langid.detect on short samples written for it (our own sentences)."""

from __future__ import annotations

import pytest

from kwatch import langid

#: (language, sentence): one to three short news-like sentences per language kwatch reads.
SAMPLES: list[tuple[str, str]] = [
    ("en", "Police said three people were wounded when a bomb exploded near a mosque on Friday."),
    ("en", "The group claimed responsibility for the attack in a statement released online."),
    ("en", "Four suspects were arrested."),
    ("fa", "پولیس می‌گوید در انفجار یک بمب در نزدیکی مسجد سه نفر زخمی شدند."),
    ("fa", "این گروه مسئولیت حمله را در بیانیه‌ای بر عهده گرفت."),
    ("fa", "مقام‌های محلی گفتند که نیروهای امنیتی چهار مظنون را بازداشت کرده‌اند."),
    ("ps", "پولیسو ویلي چې د جمعې په ورځ د یوه جومات تر څنګ چاودنه وشوه."),
    ("ps", "دې ډلې د برید مسؤلیت په غاړه واخیست."),
    ("ps", "امنیتي ځواکونو څلور شکمن کسان ونیول."),
    ("ru", "Полиция сообщила, что в результате взрыва у мечети ранены три человека."),
    ("ru", "Группировка взяла на себя ответственность за нападение."),
    ("ru", "Задержаны четыре подозреваемых."),
    ("tg", "Мақомоти амниятӣ гуфтанд, ки чор нафарро боздошт кардаанд."),
    ("tg", "Гурӯҳ масъулияти ҳамларо бар ӯҳда гирифт."),
    ("tg", "Дар натиҷаи таркиш се нафар захмӣ шуданд."),
    ("uz", "Politsiya juma kuni masjid yaqinida portlash sodir bo‘lganini va uch kishi yaralanganini aytdi."),
    ("uz", "Guruh hujum uchun javobgarlikni o‘z zimmasiga oldi."),
    ("uz", "Xavfsizlik xizmati to‘rt nafar gumonlanuvchini qo‘lga oldi."),
    ("uz", "Полиция жума куни масжид яқинида портлаш содир бўлганини айтди."),
    ("uz", "Гуруҳ ҳужум учун жавобгарликни ўз зиммасига олди."),
    ("uz", "Хавфсизлик хизмати тўрт нафар гумондорни қўлга олди."),
    ("ur", "پولیس کا کہنا ہے کہ مسجد کے قریب دھماکے میں تین افراد زخمی ہو گئے۔"),
    ("ur", "اس گروہ نے حملے کی ذمہ داری قبول کر لی ہے۔"),
    ("ur", "سکیورٹی فورسز نے چار مشتبہ افراد کو گرفتار کر لیا۔"),
    ("ar", "قالت الشرطة إن ثلاثة أشخاص أصيبوا في انفجار قرب مسجد يوم الجمعة."),
    ("ar", "أعلن التنظيم مسؤوليته عن الهجوم في بيان نشر على الإنترنت."),
    ("ar", "اعتقلت قوات الأمن أربعة مشتبه بهم."),
    ("ky", "Коопсуздук кызматы төрт шектүүнү кармаганын билдирди."),
    ("ky", "Топ чабуул үчүн жоопкерчиликти өзүнө алды."),
    ("ky", "Полиция жума күнү мечиттин жанында жарылуу болгонун айтты."),
    ("hi", "पुलिस ने कहा कि शुक्रवार को एक मस्जिद के पास हुए विस्फोट में तीन लोग घायल हो गए।"),
    ("hi", "इस समूह ने हमले की ज़िम्मेदारी ली है।"),
    ("hi", "सुरक्षा बलों ने चार संदिग्धों को गिरफ्तार किया।"),
]


@pytest.mark.parametrize(("expected", "text"), SAMPLES, ids=[f"{lang}-{i}" for i, (lang, _) in enumerate(SAMPLES)])
def test_detects_sample_language(expected: str, text: str) -> None:
    assert langid.detect(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Хавфсизлик хизмати ҳужумни қайд этди.", "uz"),  # қ ҳ without Tajik letters
        ("Ин ҳамла дар шаҳри Кобул рух дод ва ҷавобгарӣ эълон шуд.", "tg"),  # ҳ with ҷ ӣ
        ("د ننګرهار ولایت", "ps"),
    ],
)
def test_script_rules_settle_what_models_confuse(text: str, expected: str) -> None:
    assert langid.detect(text) == expected


@pytest.mark.parametrize("text", ["A bombing left two dead in Kunar Province.[12]", "Gunmen kill at least 3 in Jalalabad."])
def test_short_headline_full_of_names_stays_in_an_expected_language(text: str) -> None:
    assert langid.detect(text) == "en"


@pytest.mark.parametrize("text", ["", "   \n ", "12345 !!! 2024-03-22", "ISKP"])
def test_no_language_without_enough_letters(text: str) -> None:
    assert langid.detect(text) is None


def test_long_text_is_sampled_not_refused() -> None:
    assert langid.detect("The checkpoint was attacked at night. " * 2000) == "en"
