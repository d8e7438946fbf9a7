"""attribution.v1 (issue 13, "Attribution with its basis"): a claim is told from an accusation, in
every language. Each report is our own writing: an attack, then one sentence that attributes it."""

from __future__ import annotations

from typing import Any

import pytest

from kwatch import lexicon
from kwatch.extract import extract
from kwatch.pipeline import attribution, cues
from kwatch.pipeline.model import PipelineDoc
from kwatch.records import ATTRIBUTION_BASES, Attribution, strongest

#: The attack each report tells, by language.
ATTACK = {
    "en": "A suicide bomber killed 12 worshippers at a mosque in Kabul on 3 May 2024.",
    "ru": "В Кабуле 3 мая 2024 года при взрыве у мечети погибли 12 человек.",
    "fa": "در انفجار روز ۱۲ ثور ۱۴۰۳ در یک مسجد در کابل ۱۲ تن کشته شدند.",
    "ps": "د ۲۰۲۴ کال د مې په ۳ مه په کابل کې په یوه جومات کې په چاودنه کې ۱۲ کسان ووژل شول.",
    "ar": "أسفر تفجير في مسجد في كابل يوم 3 مايو 2024 عن مقتل 12 شخصا.",
    "ur": "کابل میں 3 مئی 2024 کو ایک مسجد میں دھماکے میں 12 افراد ہلاک ہو گئے۔",
    "tg": "Дар Кобул 3 майи соли 2024 дар натиҷаи таркиш дар масҷид 12 нафар кушта шуданд.",
    "uz": "Kobulda 2024-yil 3-may kuni masjidda sodir boʻlgan portlashda 12 kishi halok boʻldi.",
    "ky": "Кабулда 2024-жылдын 3-майында мечитте болгон жардырууда 12 адам каза болду.",
}

# (language, the sentence that attributes it, basis, confidence, group, by, outlet)
CASES = [
    ("en", "ISKP claimed responsibility for the attack through Amaq.", "claimed", "high", "ISKP", "ISKP", "Amaq"),
    ("en", "ISKP claimed responsibility for the attack on its Telegram channel.", "claimed", "high", "ISKP", "ISKP", "Telegram"),
    ("en", "ISKP reportedly claimed responsibility for the attack.", "claimed", "medium", "ISKP", "ISKP", None),
    ("en", "ISKP denied any involvement in the attack.", "denied", "high", "ISKP", "ISKP", None),
    ("en", "Taliban officials blamed ISKP for the attack.", "blamed", "medium", "ISKP", "Taliban", None),
    ("en", "Analysts said ISKP was behind the attack.", "assessed", "low", "ISKP", None, None),
    ("en", "The attack bears the hallmarks of ISKP.", "suspected", "low", "ISKP", None, None),
    ("en", "No group has claimed responsibility for the attack.", "unknown", None, None, None, None),
    ("ru", "Ответственность за теракт взяло на себя ИГИЛ-Хорасан через агентство Амак.", "claimed", "high", "ISKP", "ISKP", "Amaq"),
    ("ru", "ИГИЛ-Хорасан отрицает свою причастность к теракту.", "denied", "high", "ISKP", "ISKP", None),
    ("ru", "Власти Талибана обвинили ИГИЛ-Хорасан в теракте.", "blamed", "medium", "ISKP", "Taliban", None),
    ("ru", "По оценке экспертов, за терактом стоит ИГИЛ-Хорасан.", "assessed", "low", "ISKP", None, None),
    ("ru", "В теракте подозревают ИГИЛ-Хорасан.", "suspected", "low", "ISKP", None, None),
    ("ru", "Пока никто не взял на себя ответственность за теракт.", "unknown", None, None, None, None),
    ("fa", "داعش خراسان مسئولیت این حمله را از طریق خبرگزاری اعماق بر عهده گرفت.", "claimed", "high", "ISKP", "ISKP", "Amaq"),
    ("fa", "داعش خراسان دست داشتن در این حمله را رد کرد.", "denied", "high", "ISKP", "ISKP", None),
    ("fa", "مقامات طالبان داعش خراسان را مسئول این حمله دانستند.", "blamed", "medium", "ISKP", "Taliban", None),
    ("fa", "به باور کارشناسان، داعش خراسان پشت این حمله است.", "assessed", "low", "ISKP", None, None),
    ("fa", "گمان می‌رود داعش خراسان عامل این حمله باشد.", "suspected", "low", "ISKP", None, None),
    ("fa", "تاکنون هیچ گروهی مسئولیت این حمله را نپذیرفته است.", "unknown", None, None, None, None),
    ("ps", "داعش خراسان د دې برید مسؤلیت په غاړه واخیست.", "claimed", "high", "ISKP", "ISKP", None),
    ("ps", "داعش خراسان په دې برید کې لاس درلودل رد کړل.", "denied", "high", "ISKP", "ISKP", None),
    ("ps", "طالبانو داعش خراسان په دې برید تورن کړ.", "blamed", "medium", "ISKP", "Taliban", None),
    ("ps", "د کارپوهانو په اند، داعش خراسان د دې برید تر شا دی.", "assessed", "low", "ISKP", None, None),
    ("ps", "امنیتي چارواکو داعش خراسان په دې برید شکمن بللی.", "suspected", "low", "ISKP", None, None),
    ("ps", "تر اوسه هیڅ ډلې د دې برید مسؤلیت نه دی منلی.", "unknown", None, None, None, None),
    ("ar", "وتبنى تنظيم ولاية خراسان الهجوم عبر وكالة أعماق.", "claimed", "high", "ISKP", "ISKP", "Amaq"),
    ("ar", "ونفى تنظيم ولاية خراسان أي علاقة له بالهجوم.", "denied", "high", "ISKP", "ISKP", None),
    ("ar", "واتهمت حركة طالبان تنظيم ولاية خراسان بتنفيذ الهجوم.", "blamed", "medium", "ISKP", "Taliban", None),
    ("ar", "ويرجح محللون أن تنظيم ولاية خراسان يقف وراء الهجوم.", "assessed", "low", "ISKP", None, None),
    ("ar", "ويشتبه في أن تنظيم ولاية خراسان نفذ الهجوم.", "suspected", "low", "ISKP", None, None),
    ("ar", "ولم تعلن أي جهة مسؤوليتها عن الهجوم حتى الآن.", "unknown", None, None, None, None),
    ("ur", "داعش خراسان نے اعماق کے ذریعے اس حملے کی ذمہ داری قبول کر لی۔", "claimed", "high", "ISKP", "ISKP", "Amaq"),
    ("ur", "اطلاعات کے مطابق داعش خراسان نے اس حملے کی ذمہ داری قبول کر لی۔", "claimed", "medium", "ISKP", "ISKP", None),
    ("ur", "داعش خراسان نے اس حملے میں ملوث ہونے کی تردید کی۔", "denied", "high", "ISKP", "ISKP", None),
    ("ur", "طالبان حکام نے اس حملے کا الزام داعش خراسان پر عائد کیا۔", "blamed", "medium", "ISKP", "Taliban", None),
    ("ur", "تجزیہ کاروں کے خیال میں اس حملے کے پیچھے داعش خراسان کا ہاتھ ہے۔", "assessed", "low", "ISKP", None, None),
    ("ur", "پولیس کو شبہ ہے کہ یہ حملہ داعش خراسان نے کیا۔", "suspected", "low", "ISKP", None, None),
    ("ur", "ابھی تک کسی گروپ نے اس حملے کی ذمہ داری قبول نہیں کی۔", "unknown", None, None, None, None),
    ("tg", "Ҳеҷ гуруҳе масъулияти ин ҳамларо ба дӯш нагирифтааст.", "unknown", None, None, None, None),
    ("uz", "Hech bir guruh hujum uchun masʼuliyatni oʻz zimmasiga olmadi.", "unknown", None, None, None, None),
    ("ky", "Эч бир топ жоопкерчиликти өзүнө алган жок.", "unknown", None, None, None, None),
]


# (language, the sentence after the attack, `claimed`, basis): claim idioms with their light verbs,
# "nobody has claimed" and denials in every language. A claim word inside a no-claim, a denial or
# a blame phrase, or beside a no-claim, is no claim: `claimed` and the basis read one rule.
CLAIMED = [
    ("en", "No group or individual has so far claimed responsibility for the attack.", False, "unknown"),
    ("en", "The attack was not immediately claimed.", False, "unknown"),
    ("en", "ISKP took credit for the attack.", True, "claimed"),
    ("ru", "Теракт взяла на себя группировка ИГИЛ-Хорасан.", True, "claimed"),
    ("ru", "Ни одна группировка пока не взяла на себя ответственность за теракт.", False, "unknown"),
    ("ru", "Власти возложили ответственность за теракт на ИГИЛ-Хорасан.", None, "blamed"),
    ("ru", "ИГИЛ-Хорасан отрицает свою причастность к теракту.", False, "denied"),
    ("fa", "داعش خراسان این حمله را بر عهده گرفت.", True, "claimed"),
    ("fa", "هیچ گروهی تاکنون مسئولیت این حمله را بر عهده نگرفته است.", False, "unknown"),
    ("fa", "داعش خراسان دست داشتن در این حمله را رد کرد.", False, "denied"),
    ("ps", "د دې برید پړه داعش خراسان ومنله.", True, "claimed"),
    ("ps", "داعش خراسان ډلې ادعا کړې چې دا برید یې کړی.", True, "claimed"),
    ("ps", "تر اوسه هیچا د دې برید پړه نه ده منلې.", False, "unknown"),
    ("ps", "داعش خراسان په دې برید کې لاس درلودل رد کړل.", False, "denied"),
    ("ar", "وأعلن تنظيم ولاية خراسان مسؤوليته عن الهجوم.", True, "claimed"),
    ("ar", "ولم تتبن أي جهة الهجوم حتى الآن.", False, "unknown"),
    ("ar", "وحملت طالبان تنظيم داعش المسؤولية عن الهجوم.", None, "blamed"),
    ("ar", "ونفى تنظيم ولاية خراسان أي علاقة له بالهجوم.", False, "denied"),
    ("ur", "ابھی تک کسی بھی گروپ نے اس حملے کی ذمہ داری قبول نہیں کی۔", False, "unknown"),
    ("ur", "داعش خراسان نے اس حملے میں ملوث ہونے کی تردید کی۔", False, "denied"),
    ("tg", "ДИИШ-Хуросон масъулияти ин ҳамларо ба дӯш гирифт.", True, "claimed"),
    ("tg", "ДИИШ-Хуросон ин ҳамларо ба ӯҳда гирифт.", True, "claimed"),
    ("tg", "Ҳеҷ гуруҳе масъулияти ин ҳамларо ба дӯш нагирифтааст.", False, "unknown"),
    ("tg", "ДИИШ-Хуросон даст доштан дар ин ҳамларо инкор кард.", False, "denied"),
    ("uz", "IShID-Xuroson hujum uchun javobgarlikni oʻz zimmasiga oldi.", True, "claimed"),
    ("uz", "Hech qanday guruh hujum uchun javobgarlikni oʻz zimmasiga olmadi.", False, "unknown"),
    ("ky", "Ислам мамлекети-Хорасан кол салуу үчүн жоопкерчиликти өзүнө алды.", True, "claimed"),
    ("ky", "Азырынча эч ким жоопкерчиликти мойнуна ала элек.", False, "unknown"),
]


@pytest.mark.parametrize(("language", "sentence", "claimed", "basis"), CLAIMED)
def test_issue_13_claimed_and_the_basis_read_one_rule_in_every_language(language, sentence, claimed, basis, pipeline, ctx) -> None:
    event = _event(f"{ATTACK[language]} {sentence}", language, pipeline, ctx)
    assert (event.claimed, event.attribution.basis) == (claimed, basis), event.attribution.reason


def test_criminal_liability_is_no_claim(pipeline, ctx) -> None:
    # "привлечь к уголовной ответственности" (to bring to criminal liability): no claim word.
    text = f"{ATTACK['ru']} Организаторов привлекут к уголовной ответственности."
    assert _event(text, "ru", pipeline, ctx).claimed is None


def _event(text: str, language: str, pipeline: Any, ctx: Any) -> Any:
    doc = extract(PipelineDoc(id="t", text=text, published="2024-05-04", language=language, kind="text"), pipeline=pipeline, ctx=ctx)
    events = [e for e in doc.events or () if e.type == "attack"]
    assert len(events) == 1, [(e.type, e.date) for e in doc.events or ()]
    return events[0]


@pytest.mark.parametrize(("language", "sentence", "basis", "confidence", "group", "by", "outlet"), CASES)
def test_issue_13_each_basis_in_each_language(language, sentence, basis, confidence, group, by, outlet, pipeline, ctx) -> None:
    text = f"{ATTACK[language]} {sentence}"
    found = _event(text, language, pipeline, ctx).attribution
    assert (found.basis, found.confidence, found.group, found.by, found.outlet) == (basis, confidence, group, by, outlet), found.reason
    # The quote is the attributing sentence, a slice of the text, and the reason says the basis in words.
    assert found.quote == sentence == text[found.start : found.end]
    assert found.reason and found.others == ()


@pytest.mark.parametrize("language", sorted(ATTACK))
def test_a_report_that_names_no_one_states_no_attribution(language, pipeline, ctx) -> None:
    found = _event(ATTACK[language], language, pipeline, ctx).attribution
    assert found == attribution.UNSTATED and not found.stated
    assert (found.basis, found.confidence, found.quote) == ("unknown", None, None)


def test_a_claim_beside_no_claim_keeps_both(pipeline, ctx) -> None:
    text = f"{ATTACK['en']} No group has claimed responsibility for the attack, police said. Later ISKP claimed responsibility for the attack through Amaq."
    found = _event(text, "en", pipeline, ctx).attribution
    assert (found.basis, found.outlet) == ("claimed", "Amaq")
    assert [(o.basis, o.quote) for o in found.others] == [("unknown", "No group has claimed responsibility for the attack, police said.")]


@pytest.mark.parametrize(
    ("sentence", "why"),
    [
        ("The Taliban denied any involvement in the attack.", "another actor's denial is not the group's"),
        ("ISKP was behind the attack.", "the report's own words: nobody attributes it"),
        ("ISKP accused the Taliban of apostasy.", "the group accuses another actor"),
    ],
)
def test_what_is_no_attribution(sentence: str, why: str, pipeline, ctx) -> None:
    found = _event(f"{ATTACK['en']} {sentence}", "en", pipeline, ctx).attribution
    assert found.basis == "unknown" and found.quote is None, why


def test_a_release_is_claimed_by_its_author_through_its_outlet(pipeline, ctx) -> None:
    text = "On 5 May 2024 ISKP's outlet Al-Azaim released a new video in Pashto."
    doc = extract(PipelineDoc(id="t", text=text, published="2024-05-06", language="en", kind="text"), pipeline=pipeline, ctx=ctx)
    (release,) = [e for e in doc.events or () if e.type == "propaganda"]
    found = release.attribution
    assert (found.basis, found.confidence, found.group, found.outlet) == ("claimed", "high", "ISKP", "Al-Azaim")


def _a(basis: str, confidence: str | None, doc: str, start: int = 0) -> Attribution:
    return Attribution(basis=basis, confidence=confidence, reason=f"{basis} in {doc}", quote=f"quote {doc}", start=start, end=start + 5, document_id=doc)


def test_strongest_takes_the_basis_order_then_confidence_and_keeps_one_of_each_other() -> None:
    found = [_a("suspected", "low", "d1"), _a("claimed", "medium", "d2"), _a("blamed", "medium", "d3"),
             _a("claimed", "high", "d4"), _a("unknown", None, "d5"), _a("blamed", "medium", "d6")]  # fmt: skip
    best = strongest(found)
    assert best is not None and (best.basis, best.confidence, best.document_id) == ("claimed", "high", "d4")
    assert [(o.basis, o.document_id) for o in best.others] == [("blamed", "d3"), ("suspected", "d1"), ("unknown", "d5")]
    assert all(strongest(list(order)) == best for order in (reversed(found), found[3:] + found[:3]))
    assert strongest([]) is None
    assert ATTRIBUTION_BASES == ("claimed", "denied", "blamed", "assessed", "suspected", "unknown")


@pytest.mark.parametrize("language", sorted(ATTACK))
def test_every_language_gives_every_kind_of_phrase(language: str) -> None:
    assert language in lexicon.available("attribution")
    data = lexicon.load("attribution", language)
    assert all(data[kind] for kind in attribution.PHRASE_KINDS), [kind for kind in attribution.PHRASE_KINDS if not data[kind]]
    assert data["channels"]["Telegram"]


@pytest.mark.parametrize("language", sorted(ATTACK))
def test_every_language_gives_claim_and_no_claim_phrases(language: str) -> None:
    kinds = {kind for kind, _, _ in cues.tables(language).patterns}
    assert {"claim", "no_claim"} <= kinds
