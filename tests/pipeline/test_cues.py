"""cues.v2: lexicon matches for event type, method, target, claim, medium, outlet, language, length."""

from __future__ import annotations

import pytest

from kwatch.pipeline.cues import compile_phrases, find_cues
from kwatch.pipeline.model import Sentence


def _cues(text: str, kind: str) -> list[str]:
    sentence = Sentence(0, 0, len(text), text, 0)
    return [c.value for c in find_cues(text, (sentence,)) if c.kind == kind]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("A bomb blast tore through the market.", "attack"),
        ("Gunmen opened fire on worshippers.", "attack"),
        ("Police foiled the plot.", "plot"),
        ("Three men were arrested in Vienna.", "arrest"),
        ("Suspects were taken into custody.", "arrest"),
        ("Forces launched a counter-terrorism operation in Nangarhar.", "raid"),
        ("The group released a video on Friday.", "propaganda"),
        ("It launched a new Tajik-language magazine.", "propaganda"),
    ],
)
def test_event_type_trigger(text, value):
    assert value in _cues(text, "event_type")


def test_longest_trigger_wins_within_a_kind():
    assert _cues("the foiled attack on a concert", "event_type") == ["plot"]


@pytest.mark.parametrize(
    ("text", "method"),
    [
        ("a suicide bomber detonated an explosive vest", "suicide_bombing"),
        ("a magnetic mine exploded", "bombing"),
        ("he was shot dead", "shooting"),
        ("rockets landed near the base", "rocket"),
        ("attackers set fire to the school", "arson"),
        ("a man stabbed two people", "stabbing"),
    ],
)
def test_method(text, method):
    assert method in _cues(text, "method")


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("worshippers at a Shia mosque", "religious"),
        ("the provincial governor", "government"),
        ("a police checkpoint", "security"),
        ("an education centre", "education"),
        ("foreign tourists", "foreign"),
        ("a crowded concert", "public_event"),
        ("a passenger bus", "transport"),
        ("two journalists", "media"),
        ("a busy market", "civilian"),
    ],
)
def test_target(text, target):
    assert target in _cues(text, "target")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("The group claimed responsibility for the blast.", "claim"),
        ("In a statement, the group claimed that its fighters killed 20.", "claim"),
        ("No group has claimed the attack.", "no_claim"),
        ("The Taliban have yet to claim it.", "no_claim"),
    ],
)
def test_claim_and_no_claim(text, kind):
    assert _cues(text, kind)


@pytest.mark.parametrize(
    ("text", "languages"),
    [
        ("a new Tajik-language magazine", ["tg"]),
        ("messages in Pashto, Persian and Uzbek languages", ["ps", "fa", "uz"]),
        ("a video with an Arabic narration", ["ar"]),
        ("propaganda in Urdu and Hindi", ["ur", "hi"]),
        ("songs in the national languages of Tajikistan, Uzbekistan and Kyrgyzstan", ["tg", "uz", "ky"]),
        ("Tajik recruits joined the group", []),
    ],
)
def test_languages_named_as_languages(text, languages):
    assert _cues(text, "language") == languages


@pytest.mark.parametrize(
    ("text", "length"),
    [("a 25-minute film", ["minutes:25"]), ("the 83-page publication", ["pages:83"]), ("it runs to 30 pages", ["pages:30"])],
)
def test_length(text, length):
    assert _cues(text, "length") == length


@pytest.mark.parametrize(
    ("text", "outlet"),
    [("published by its media arm Al-Azaim", "Al-Azaim"), ("the magazine Voice of Khurasan", "Al-Azaim"), ("Amaq reported", "Amaq")],
)
def test_outlet(text, outlet):
    assert _cues(text, "outlet") == [outlet]


@pytest.mark.parametrize("text", ["The attack in May killed five.", "Will Smith spoke."])
def test_capitalised_may_and_will_are_not_hedges(text):
    assert _cues(text, "hedge") == []


@pytest.mark.parametrize(
    ("phrase", "text", "found"),
    [
        ("عملیات … علیه", "عملیات مشترکی علیه داعش", "عملیات مشترکی علیه"),
        ("عملیات … علیه", "عملیات علیه داعش", "عملیات علیه"),
        ("عملیات … علیه", "عملیاتی در کابل و ننگرهار و کنر علیه", None),  # more than three words between
        ("عملیات … علیه", "عملیات، علیه", None),  # a gap never crosses a comma
        ("операци … против", "операции спецслужб против боевиков", "операции спецслужб против"),
    ],
)
def test_a_stem_phrase_may_hold_a_gap(phrase, text, found):
    match = compile_phrases([phrase], stems=True).search(text)
    assert (match.group(0) if match else None) == found


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fa", "طالبان در ننگرهار عملیات مشترکی علیه داعش انجام دادند."),
        ("fa", "در حملات هوایی در ننگرهار ده جنگجوی داعش کشته شدند."),
        ("ar", "قتل عشرة من عناصر داعش في غارة جوية."),
        ("ru", "В результате авиаудара погибли десять боевиков."),
        ("ur", "ڈرون حملے میں دس دہشت گرد ہلاک ہو گئے۔"),
        ("uz", "Havo hujumi natijasida o'n jangari halok bo'ldi."),
    ],
)
def test_operations_and_air_strikes_are_raid_words_in_every_language(language, text):
    sentence = Sentence(0, 0, len(text), text, 0)
    assert "raid" in [c.value for c in find_cues(text, (sentence,), language) if c.kind == "event_type"]


@pytest.mark.parametrize(
    ("language", "text", "agent"),
    [
        ("en", "Five men were killed by security forces.", True),
        ("en", "Five men were killed and police arrived.", False),
        ("fa", "۵ عضو داعش توسط نیروهای امنیتی کشته شدند.", True),
        ("fa", "۵ تن از نیروهای امنیتی کشته شدند.", False),
        ("ur", "سیکیورٹی فورسز نے 5 دہشت گرد ہلاک کر دیے۔", True),
        ("ur", "سیکیورٹی فورسز نے علاقے کو گھیرے میں لے لیا، 5 دہشت گرد ہلاک ہو گئے۔", False),  # a comma between
    ],
)
def test_a_killing_by_the_security_forces_is_an_agent_cue(language, text, agent):
    sentence = Sentence(0, 0, len(text), text, 0)
    assert any(c.kind == "agent" for c in find_cues(text, (sentence,), language)) is agent
