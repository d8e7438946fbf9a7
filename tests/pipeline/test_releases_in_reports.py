"""A media release told by a news report, in every language (issue 13): the release words of
`<lang>/events.yaml` (`triggers.propaganda`) with the medium, length and language words of
`releases/<lang>.yaml`; the group (or its outlet) must be the author, and a government's statement
is none. Every sentence is our own writing."""

from __future__ import annotations

from typing import Any

import pytest

from kwatch import lexicon
from kwatch.extract import extract
from kwatch.pipeline.model import PipelineDoc


def _releases(text: str, language: str, pipeline: Any, ctx: Any) -> list[Any]:
    doc = extract(PipelineDoc(id="t", text=text, published="2024-05-10", language=language, kind="text"), pipeline=pipeline, ctx=ctx)
    return [e for e in doc.events or () if e.type == "propaganda"]


# (language, the report, medium, languages)
RELEASES = [
    ("en", "On 5 May 2024 ISKP released a new video in Pashto.", "video", ("ps",)),
    ("fa", "داعش خراسان روز ۱۵ ثور ۱۴۰۳ یک ویدیوی جدید به زبان پشتو منتشر کرد.", "video", ("ps",)),
    ("fa", "داعش خراسان در یک پیام صوتی تازه از هوادارانش خواست به افغانستان بیایند.", "audio", None),
    ("ps", "داعش خراسان د ۲۰۲۴ کال د مې په ۵ مه په پښتو ژبه یوه نوې ویډیو خپره کړه.", "video", ("ps",)),
    ("ar", "أصدر تنظيم ولاية خراسان يوم 5 مايو 2024 فيديو جديدا باللغة الطاجيكية.", "video", ("tg",)),
    ("ar", "ونشر تنظيم ولاية خراسان بيانا على قناته.", "statement", None),
    ("ur", "داعش خراسان نے 5 مئی 2024 کو پشتو زبان میں ایک نئی ویڈیو جاری کی۔", "video", ("ps",)),
    ("ru", "5 мая 2024 года ИГИЛ-Хорасан опубликовало новое видео на таджикском языке.", "video", ("tg",)),
    ("ru", "ИГИЛ-Хорасан распространило видеообращение своего главаря.", "video", None),
    ("tg", "ДИИШ-Хуросон 5 майи соли 2024 видеои навро бо забони тоҷикӣ нашр кард.", "video", ("tg",)),
    ("uz", "IShID-Xuroson 2024-yil 5-may kuni tojik tilida yangi video tarqatdi.", "video", ("tg",)),
    ("uz", "ИШИД-Хуросон тожик тилида янги видеомурожаат тарқатди.", "video", ("tg",)),
    ("ky", "Ислам мамлекети-Хорасан 2024-жылдын 5-майында тажик тилинде жаңы видео жарыялады.", "video", ("tg",)),
]


@pytest.mark.parametrize(("language", "text", "medium", "languages"), RELEASES)
def test_issue_13_a_release_told_by_a_report_in_every_language(language, text, medium, languages, pipeline, ctx) -> None:
    (release,) = _releases(text, language, pipeline, ctx)
    assert (release.medium, release.languages) == (medium, languages)
    assert release.actor in ("ISKP", "IS")
    assert release.attribution.basis == "claimed"


@pytest.mark.parametrize(
    ("language", "text", "length"),
    [
        ("ar", "وأصدر تنظيم ولاية خراسان إصدارا جديدا في 17 دقيقة.", {"minutes": 17}),
        ("fa", "داعش خراسان فیلمی ۲۵ دقیقه‌ای منتشر کرد.", {"minutes": 25}),
        ("ru", "ИГИЛ-Хорасан выпустило 20-минутный ролик.", {"minutes": 20}),
    ],
)
def test_a_release_keeps_its_length(language, text, length, pipeline, ctx) -> None:
    (release,) = _releases(text, language, pipeline, ctx)
    assert release.length == length


def test_a_word_that_names_a_release_needs_no_medium(pipeline, ctx) -> None:
    # "a new release" (إصدار جديد): no medium is named, the release is told all the same, and the
    # next sentence that refers back to it ("the release …") gives its length.
    text = "أعلن تنظيم ولاية خراسان عن إصدار جديد.\nوجاء الإصدار في 12 دقيقة."
    (release,) = _releases(text, "ar", pipeline, ctx)
    assert (release.medium, release.length) == (None, {"minutes": 12})


def test_a_release_named_by_its_language_alone(pipeline, ctx) -> None:
    # Propaganda "in Tajik" (a language named as a language) is a release without a medium word.
    (release,) = _releases("Daish internetda tojik tilida targʻibot olib boradi.", "uz", pipeline, ctx)
    assert (release.medium, release.languages) == (None, ("tg",))


def test_a_clause_shares_its_subject_with_the_one_before(pipeline, ctx) -> None:
    # The video's clause names no author: the sentence's (the group's media) is its author.
    text = "Теракт произошел 3 мая 2024 года. Медиа ИГ выпустили заявление — и опубликовали кадры нападения."
    (release,) = _releases(text, "ru", pipeline, ctx)
    assert release.medium == "video"


def test_the_groups_weekly_writes_a_release_with_its_medium(pipeline, ctx) -> None:
    # The group's periodical "writes": its release; Al-Naba is a weekly, so the medium is a magazine.
    (release,) = _releases("ИШИД ўз жангарилари қўлга олинганини тасдиқлади, деб ёзади ҳафталик «Ал-Наба».", "uz", pipeline, ctx)
    assert (release.outlet, release.medium, release.actor) == ("Al-Naba", "magazine", "IS")
    assert any("medium magazine inferred" in line for line in release.provenance["inferences"])


@pytest.mark.parametrize(
    ("language", "text"),
    [
        # a government's statement about the group is no release of the group's
        ("en", "On 5 May 2024 the Interior Ministry released a statement on the arrest of ISKP members."),
        ("fa", "وزارت داخله روز ۱۵ ثور ۱۴۰۳ اعلامیه‌ای درباره بازداشت اعضای داعش خراسان منتشر کرد."),
        ("ar", "أصدرت وزارة الداخلية بيانا حول اعتقال عناصر من داعش."),
        ("ur", "وزارت داخلہ نے داعش کے ارکان کی گرفتاری کے بارے میں بیان جاری کیا۔"),
        ("ru", "МВД опубликовало заявление о задержании членов ИГИЛ-Хорасан."),
        # another named actor is the author
        ("ps", "طالبانو د داعش خراسان په اړه یوه ویډیو خپره کړه."),
        ("tg", "Толибон дар бораи ДИИШ-Хуросон видео нашр карданд."),
        # a release word with nothing that makes it a media release
        ("uz", "IShID-Xuroson haqida hisobot chop etildi."),
    ],
)
def test_issue_13_no_release_when_the_group_is_not_its_author(language, text, pipeline, ctx) -> None:
    assert _releases(text, language, pipeline, ctx) == []


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("ru", "В Москве 5 мая 2024 года задержан мужчина, который распространял в соцсетях видеоролики ИГИЛ-Хорасан."),
        ("uz", "Toshkentda 2024-yil 5-may kuni IShID videolarini tarqatgan shaxs qoʻlga olindi."),
        ("ur", "لاہور میں 5 مئی 2024 کو داعش کی ویڈیوز شائع کرنے والا شخص گرفتار کر لیا گیا۔"),
    ],
)
def test_the_group_s_videos_spread_by_an_arrested_man_are_no_release(language, text, pipeline, ctx) -> None:
    # A release word in the clause of an arrest is what the arrested did: the arrest keeps its date.
    doc = extract(PipelineDoc(id="t", text=text, published="2024-05-10", language=language, kind="text"), pipeline=pipeline, ctx=ctx)
    assert [(e.type, e.date) for e in doc.events or ()] == [("arrest", "2024-05-05")]


def test_a_claim_statement_in_the_sentence_of_its_attack_is_its_claim(pipeline, ctx) -> None:
    # "Daesh said in a statement it issued that it carried out the attack": the statement folds
    # into the attack as its claim, even when the attack is told in that sentence and dated later.
    text = ("داعش نے اپنے بیان میں کابل میں حملے کی ذمہ داری قبول کی۔\n\n"
            "داعش نے جاری کردہ بیان میں کابل میں مسجد پر حملے کی ذمہ داری قبول کی۔\n\n"
            "کابل میں 3 مئی 2024 کو مسجد پر حملے میں 12 افراد ہلاک ہو گئے۔")
    doc = extract(PipelineDoc(id="t", text=text, published="2024-05-04", language="ur", kind="text"), pipeline=pipeline, ctx=ctx)
    assert [(e.type, e.claimed) for e in doc.events or ()] == [("attack", True)]


@pytest.mark.parametrize("language", sorted(set(lexicon.available("events")) - {"en"}))
def test_every_language_has_release_words_and_media(language: str) -> None:
    assert lexicon.load("events", language)["triggers"]["propaganda"]
    assert lexicon.load("events", language)["references"]["propaganda"]
    assert language in lexicon.folder_names("releases")
