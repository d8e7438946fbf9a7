"""Names across scripts (kwatch.resolve.names, issue 12): one incident told in Pashto, Dari, Russian
and English is compared by the names it gives, written as romanised consonant skeletons from the
table in data/scripts.yaml. The sentences are our own."""

from __future__ import annotations

from typing import Any

import pytest

from kwatch.errors import Bug
from kwatch.resolve.features import features, shared_names
from kwatch.resolve.members import DocumentInfo, Member
from kwatch.resolve.names import _parse, fold_word, main_script, name_overlap, name_skeletons, skeleton, without


def shape(word: str) -> str:
    return skeleton(fold_word(word))


@pytest.mark.parametrize(
    "spellings",
    [
        ["Haqqani", "حقاني", "حقانی", "Хаккани"],
        ["Kabul", "کابل", "كابل", "Кабул", "Кобул", "Kobul"],
        ["Khorasan", "خراسان", "Хорасан", "Хуросон", "Xuroson"],
        ["Kandahar", "قندهار", "قندھار", "Qandahor"],
        ["Jalalabad", "Джалалабад", "Жалолобод", "Jalolobod"],
        ["Moscow", "Moskva", "Москва", "مسکو", "ماسکو"],
        ["Peshawar", "پشاور", "Пешавар"],
        ["Rahman", "الرحمان", "رحمان"],
    ],
)
def test_one_name_has_one_skeleton_in_every_script(spellings: list[str]) -> None:
    assert len({shape(s) for s in spellings}) == 1, {s: shape(s) for s in spellings}
    assert shape(spellings[0])


@pytest.mark.parametrize(("a", "b"), [("Kabul", "Kunduz"), ("Kandahar", "Kunduz"), ("Herat", "Helmand"), ("Khost", "Kunar"), ("حقاني", "کابل")])
def test_different_names_have_different_skeletons(a: str, b: str) -> None:
    assert shape(a) != shape(b)


def test_a_word_too_short_to_tell_names_apart_has_no_skeleton() -> None:
    assert shape("Shah") == ""  # s; a final h is left out
    assert shape("1234") == "" and shape("中国") == ""  # digits; a script the table does not read


def test_in_a_cased_script_names_are_the_capitalised_words_that_do_not_open_a_sentence() -> None:
    english = name_skeletons("Gunmen killed Mawlawi Haqyar near Kabul. Police said the attackers fled.")
    assert english == {shape("Haqyar"), shape("Mawlawi"), shape("Kabul")}  # not Gunmen, Police, killed
    pashto = name_skeletons("په کابل کې مولوي حقيار ووژل شو")  # Arabic script has no case: every word counts
    assert {shape("Haqyar"), shape("Kabul")} <= pashto


def test_names_overlap_allows_a_case_ending_and_is_symmetric() -> None:
    russian = name_skeletons("Взрыв в Кабуле и в Джалалабаде")  # locative endings
    english = name_skeletons("A blast in Kabul and in Jalalabad")
    assert name_overlap(russian, english) == name_overlap(english, russian) == 1.0
    assert name_overlap(english, name_skeletons("A blast in Herat")) == 0.0
    assert name_overlap(english, frozenset()) == 0.0
    # Of the text that gives fewer names, the share the other gives (never more than all of them).
    assert name_overlap(frozenset({"kbl"}), frozenset({"kbl", "kblm", "hrt", "kndz"})) == 1.0
    assert without(english, frozenset({shape("Kabul")})) == {shape("Jalalabad")}


def test_main_script() -> None:
    assert main_script(["kabul", "کابل", "حقاني"]) == "arabic"
    assert main_script(["12", "2024"]) is None


def test_a_letter_two_scripts_read_is_a_bug_of_the_table() -> None:
    table: dict[str, Any] = {
        "final_dropped": "h", "min_consonants": 2, "stem_consonants": 3,
        "scripts": {"one": {"cased": True, "consonants": {"k": "k"}}, "two": {"cased": False, "consonants": {"g": "k"}}},
    }  # fmt: skip
    with pytest.raises(Bug, match="read by both"):
        _parse(table)


# -- the pair feature ---------------------------------------------------------------------------


def _member(eid: str, language: str, quote: str, **fields: Any) -> Member:
    event = {"id": eid, "document_id": f"d-{eid}", "type": "attack", "country": "AF", "sources": [{"quote": quote}], **fields}
    return Member.of(event, DocumentInfo(f"d-{eid}", f"{eid}.txt", language=language))


ENGLISH = "A suicide bomber killed Mawlawi Abdul Basir Haqyar, the Taliban governor, in Kabul on Friday."
PASHTO = "په کابل کې طالب والي مولوي عبدالبصير حقيار په ځانمرګي برید کې ووژل شو."


def test_reports_in_two_languages_share_their_names() -> None:
    english, pashto = _member("e", "en", ENGLISH, admin1="Kabul"), _member("p", "ps", PASHTO, admin1="Kabul")
    assert english.script == "latin" and pashto.script == "arabic"
    found = features(english, pashto)
    assert "shared_words" not in found  # not one word in common
    assert 0 < found["shared_names"] == shared_names(pashto, english) <= 1
    other = _member("o", "ps", "په کندهار کې یو پولیس ووژل شو.", admin1="Kandahar")
    assert shared_names(english, other) < found["shared_names"]


def test_the_names_the_fields_compare_are_not_counted_again() -> None:
    """Two reports of one province name it as their field says; sharing it says nothing more."""
    english_quote, pashto_quote = "Gunmen of Khorasan attacked a checkpoint in Nangarhar.", "په ننګرهار کې د خراسان داعش وسله والو برید وکړ."
    english = _member("e", "en", english_quote, admin1="Nangarhar", actor="ISKP")
    pashto = _member("p", "ps", pashto_quote, admin1="Nangarhar", actor="ISKP")
    assert shared_names(english, pashto) == 0.0
    assert shared_names(_member("x", "en", english_quote), _member("y", "ps", pashto_quote)) == 1.0  # unplaced, no perpetrator


def test_reports_in_one_language_are_compared_by_their_words() -> None:
    a, b = _member("a", "en", ENGLISH), _member("b", "en", ENGLISH.replace("Friday", "Thursday"))
    assert shared_names(a, b) == 0.0 and features(a, b)["shared_words"] > 0.5


def test_two_languages_of_a_cased_script_share_names_of_arabic_script_words() -> None:
    """Russian and Uzbek Cyrillic decline a name each their own way; in Arabic script every word
    counts as a name, so a Dari and a Pashto report are compared by their words alone."""
    russian = _member("r", "ru", "Взрыв произошёл у здания в Кабуле, сообщил Забихулла Муджахид.")
    uzbek = _member("u", "uz", "Портлаш Кобулда юз берди, деди Забиҳулла Мужоҳид.")
    assert shared_names(russian, uzbek) > 0
    dari = _member("d", "fa", "انفجار در کابل رخ داد و ذبیح الله مجاهد گفت.")
    assert shared_names(dari, _member("p", "ps", PASHTO)) == 0.0
