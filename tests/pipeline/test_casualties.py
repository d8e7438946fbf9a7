"""casualties.v2: killed/injured figures with category, qualifier and claimed flag."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

import kwatch.pipeline.casualties  # noqa: F401  (registers the stage)
import kwatch.pipeline.sentences  # noqa: F401
from kwatch.pipeline import Context, Pipeline
from kwatch.pipeline.casualties import _casualty_rules, _read_quantity, find_near_casualties, sentence_casualties, total
from kwatch.pipeline.model import CasualtyMention, PipelineDoc, Sentence


def _mentions(text: str) -> list[tuple[str, int | None, str, str | None, bool]]:
    found = sentence_casualties(Sentence(0, 0, len(text), text, 0))
    return [(m.kind, m.value, m.qualifier, m.category, m.claimed) for m in found]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The Kabul airport suicide bombing killed 170 civilians and 13 US soldiers.",
            [("killed", 170, "exact", "civilians", False), ("killed", 13, "exact", "foreigners", False)],
        ),
        ("Seven people were killed in the blast.", [("killed", 7, "exact", None, False)]),
        (
            "Gunmen attacked the mosque, killing seven worshippers, including two women and a child.",
            [("killed", 7, "exact", "civilians", False)],
        ),
        (
            "The blasts killed six and injured at least 11.",
            [("killed", 6, "exact", None, False), ("injured", 11, "at_least", None, False)],
        ),
        (
            "The attack killed 145 people and injured more than 500.",
            [("killed", 145, "exact", None, False), ("injured", 500, "more_than", None, False)],
        ),
        (
            "The acting governor Nisar Ahmadi and his driver were killed and six others were injured.",
            [("killed", 1, "exact", None, False), ("killed", 1, "exact", "civilians", False), ("injured", 6, "exact", None, False)],
        ),
        (
            "A bomber blew himself up near the governor, killing him along with two civilians.",
            [("killed", 1, "exact", None, False), ("killed", 2, "exact", "civilians", False)],
        ),
        ("Militants shot dead a civilian in the district.", [("killed", 1, "exact", "civilians", False)]),
        (
            "In a statement, IS-KP claimed that one of their suicide bombers killed 50 Shia and wounded dozens more.",
            [("killed", 50, "exact", "civilians", True), ("injured", None, "vague", None, True)],
        ),
        ("The death toll rose to 145 on Sunday.", [("killed", 145, "exact", None, False)]),
        (
            "The explosion left 12 dead and 30 wounded.[12]",
            [("killed", 12, "exact", None, False), ("injured", 30, "exact", None, False)],
        ),
        ("A roadside bomb went off, wounding 9.", [("injured", 9, "exact", None, False)]),
        ("Two attackers were killed by the guards.", [("killed", 2, "exact", "attackers", False)]),
        ("Four policemen were injured.", [("injured", 4, "exact", "security", False)]),
        ("Nearly 30 people died.", [("killed", 30, "about", None, False)]),
        ("Dozens of people were killed.", [("killed", None, "vague", None, False)]),
        ("The blast claimed the lives of a dozen passengers.", [("killed", 12, "exact", "civilians", False)]),
        ("Police found 10 bodies near the road.", [("killed", 10, "exact", None, False)]),
        ("A bomb killed 1 and another 22 were injured.", [("killed", 1, "exact", None, False), ("injured", 22, "exact", None, False)]),
        ("No casualties were reported.", [("killed", 0, "exact", None, False), ("injured", 0, "exact", None, False)]),
    ],
)
def test_sentence_figures(sentence: str, expected: list[tuple[str, int | None, str, str | None, bool]]) -> None:
    assert _mentions(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "The group has between 4,000 to 6,000 fighters.",
        "A total of 429 persons have been killed in 73 incidents since August 15, 2021.",
        "Militants have killed 300 people so far this year.",
        "The attack caused 40 casualties.",
        "Police said 12 suspects were arrested.[12]",
        "Sixteen people were killed or wounded.",
        "The IS-KP statement ran to 30 pages.",
    ],
)
def test_no_figures(sentence: str) -> None:
    assert _mentions(sentence) == []


def test_claim_responsibility_alone_is_not_a_claimed_figure() -> None:
    text = "ISKP claimed responsibility for the attack, which killed 10 people."
    assert _mentions(text) == [("killed", 10, "exact", None, False)]


def test_mention_text_is_verbatim() -> None:
    text = "Intro sentence. The blast killed 13 US soldiers."
    sentence = Sentence(1, 16, len(text), text[16:], 0)
    (mention,) = sentence_casualties(sentence)
    assert text[mention.start : mention.end] == mention.text == "13 US soldiers"


def _mention(sentence: int, kind: str, value: int | None, category: str | None = None, *, claimed: bool = False, text: str = "x") -> CasualtyMention:
    return CasualtyMention(0, 1, text, sentence, kind, value, "exact" if value is not None else "vague", category, claimed)


@pytest.mark.parametrize(
    ("mentions", "kind", "claimed", "expected"),
    [
        ([_mention(0, "killed", 170, "civilians"), _mention(0, "killed", 13, "foreigners")], "killed", False, 183),
        ([_mention(0, "killed", 7), _mention(3, "killed", 7)], "killed", False, 7),
        ([_mention(0, "killed", 7), _mention(2, "killed", 9)], "killed", False, 9),
        ([_mention(0, "killed", 7), _mention(0, "killed", 2, "attackers")], "killed", False, 7),
        ([_mention(0, "killed", 7), _mention(0, "killed", 50, claimed=True)], "killed", True, 50),
        ([_mention(0, "killed", 10), _mention(0, "killed", 25, text="death toll rose to 25")], "killed", False, 25),
        ([_mention(0, "killed", None)], "killed", False, None),
        ([_mention(0, "injured", 4)], "killed", False, None),
    ],
)
def test_total(mentions: list[CasualtyMention], kind: str, claimed: bool, expected: int | None) -> None:
    assert total(mentions, kind, claimed=claimed) == expected


@given(st.integers(min_value=0, max_value=100_000), st.booleans())
def test_killed_n_people_round_trips(value: int, commas: bool) -> None:
    written = f"{value:,}" if commas else str(value)
    assert _mentions(f"The bombing killed {written} people.") == [("killed", value, "exact", None, False)]


def test_stage_assigns_casualties() -> None:
    pipeline = Pipeline(["sentences.v1", "casualties.v2"])
    doc = pipeline.run(PipelineDoc(id="d", text="Background first. Seven people were killed."), Context(gazetteer=None))
    assert [(m.sentence, m.value) for m in doc.casualties or ()] == [(1, 7)]


@pytest.mark.shared
def test_wiki_killed_and_injured_f1(shared_dir) -> None:  # type: ignore[no-untyped-def]
    """Per document: summed non-claimed, non-attacker figures against the table's counts."""
    wiki = shared_dir / "eval" / "wiki"
    pipeline = Pipeline(["sentences.v1", "casualties.v2"])
    ctx = Context(gazetteer=None)
    counts = {kind: {"tp": 0, "fp": 0, "fn": 0} for kind in ("killed", "injured")}
    for line in (wiki / "gold.jsonl").read_text().splitlines():
        gold = json.loads(line)
        text = (wiki / "corpus" / gold["docs"][0]).read_text()
        doc = pipeline.run(PipelineDoc(id=gold["id"], text=text), ctx)
        for kind, c in counts.items():
            if kind not in gold or kind in gold.get("not_in_text", []):
                continue
            accepted = gold[kind] if isinstance(gold[kind], list) else [gold[kind]]
            predicted = total(doc.casualties or (), kind)
            if predicted is None:
                c["fn"] += 1
            elif predicted in accepted:
                c["tp"] += 1
            else:
                c["fp"] += 1
                c["fn"] += 1
    for kind, c in counts.items():
        f1 = 2 * c["tp"] / (2 * c["tp"] + c["fp"] + c["fn"])
        assert f1 >= 0.88, f"{kind} F1 {f1:.3f} ({c})"


@pytest.mark.parametrize(
    ("language", "phrase", "value", "qualifier"),
    [
        # Urdu: every number to a hundred is a word; scales multiply; "سے زائد" follows the number.
        ("ur", "پچیس", 25, "exact"),
        ("ur", "ننانوے", 99, "exact"),
        ("ur", "دو سو", 200, "exact"),
        ("ur", "دو ہزار پانچ سو", 2500, "exact"),
        ("ur", "ایک لاکھ", 100_000, "exact"),
        ("ur", "5 ہزار", 5000, "exact"),
        ("ur", "50 سے زائد", 50, "more_than"),
        ("ur", "کم از کم اکیس", 21, "at_least"),
        # Pashto: the unit before the ten, written apart or as one word; hundreds and thousands.
        ("ps", "پنځه ويشت", 25, "exact"),
        ("ps", "يوويشت", 21, "exact"),
        ("ps", "دوه دېرش", 32, "exact"),
        ("ps", "دوه سوه او پنځوس", 250, "exact"),
        ("ps", "درې زره", 3000, "exact"),
        # Arabic: the unit first, the joiner glued to the ten.
        ("ar", "خمسة وعشرين", 25, "exact"),
        ("ar", "ثلاثة عشر", 13, "exact"),
        # Persian and Russian keep the ten first.
        ("fa", "بیست و پنج", 25, "exact"),
        ("fa", "دو صد", 200, "exact"),
        ("ru", "сто двадцать", 120, "exact"),
        ("ru", "девяти", 9, "exact"),  # the genitive ("гибель девяти человек")
        ("ru", "двух тысяч", 2000, "exact"),
        ("uz", "30 dan ortiq", 30, "more_than"),
        # Digits of every script.
        ("fa", "۱۲", 12, "exact"),
        ("ar", "١٢", 12, "exact"),
        ("ur", "12", 12, "exact"),
    ],
)
def test_number_words_of_the_proximity_languages(language: str, phrase: str, value: int, qualifier: str) -> None:
    rules = _casualty_rules(language)
    match = rules.quantity.search(phrase)
    assert match is not None and match.group(0) == phrase
    assert _read_quantity(match.group(0), rules) == (value, qualifier)


@pytest.mark.parametrize(
    ("language", "text", "value"),
    [
        ("ur", "دھماکے میں پچیس افراد ہلاک ہو گئے۔", 25),
        ("ur", "حملے میں 50 سے زائد افراد زخمی ہوئے۔", 50),
        ("ps", "په چاودنه کې پنځه ويشت کسان ووژل شول.", 25),
        ("fa", "در این انفجار ۱۲ تن کشته شدند.", 12),
        ("ar", "أسفر التفجير عن مقتل خمسة وعشرين شخصا.", 25),
    ],
)
def test_a_compound_figure_is_read_beside_its_verb(language: str, text: str, value: int) -> None:
    sentence = Sentence(0, 0, len(text), text, 0)
    (mention,) = find_near_casualties((sentence,), language)
    assert mention.value == value


@pytest.mark.parametrize(
    ("language", "text", "category"),
    [
        # Killed by the security forces: the dead are the group's men.
        ("en", "Five men were killed by security forces in Kabul.", "attackers"),
        ("fa", "۵ عضو داعش توسط نیروهای امنیتی در کابل کشته شدند.", "attackers"),
        ("ps", "د امنیتي ځواکونو له خوا په کابل کې پنځه تنه ووژل شول.", "attackers"),
        ("ur", "سیکیورٹی فورسز نے پشاور میں 5 دہشت گرد ہلاک کر دیے۔", "attackers"),
        ("ru", "В Кабуле силовиками были убиты 5 человек.", "attackers"),
        ("ar", "قتل خمسة أشخاص برصاص قوات الأمن في كابل.", "attackers"),
        ("tg", "Дар Кобул 5 нафар аз ҷониби нерӯҳои амниятӣ кушта шуданд.", "attackers"),
        ("uz", "Kobulda 5 kishi xavfsizlik kuchlari tomonidan o'ldirildi.", "attackers"),
        ("ky", "Кабулда 5 адам коопсуздук күчтөрү тарабынан өлтүрүлдү.", "attackers"),
        # The forces as victims are not their doers.
        ("en", "Five soldiers were killed by a bomb in Kabul.", "security"),
        ("fa", "در کابل ۵ تن از نیروهای امنیتی کشته شدند.", None),
        ("ps", "په کابل کې د امنیتي ځواکونو پنځه غړي ووژل شول.", None),
        ("ru", "В Кабуле погибли 5 силовиков.", None),
        ("ar", "مقتل خمسة من قوات الأمن في كابل.", None),
    ],
)
def test_a_killing_by_the_security_forces_kills_attackers(language: str, text: str, category: str | None) -> None:
    sentence = Sentence(0, 0, len(text), text, 0)
    found = sentence_casualties(sentence, language) if language == "en" else find_near_casualties((sentence,), language)
    assert [(m.kind, m.value, m.category) for m in found] == [("killed", 5, category)]


def test_a_raid_counts_the_attackers_it_killed() -> None:
    militants = CasualtyMention(0, 5, "five militants", 0, "killed", 5, "exact", "attackers", False)
    assert total([militants], "killed") is None
    assert total([militants], "killed", attackers=True) == 5


def test_each_reader_reads_the_other_readers_category_words(monkeypatch: pytest.MonkeyPatch) -> None:
    """`categories` (verb-phrase reader) work in the proximity reader, `attackers` and
    `claim_markers` (proximity reader) in the verb-phrase reader, for a language that gives them."""
    from kwatch import lexicon
    from kwatch.pipeline import casualties as stage

    real = lexicon.load

    def load(name: str, language: str | None = None, *args: object, **kwargs: object) -> object:
        data = real(name, language, *args, **kwargs)  # type: ignore[arg-type]
        if name == "casualties" and language == "ru":
            data = {**data, "categories": {"civilians": ["мирных жителей"]}}
        if name == "casualties" and language == "en":
            data = {**data, "attackers": ["raiders"], "claim_markers": ["purportedly"]}
        return data

    monkeypatch.setattr(lexicon, "load", load)
    stage._casualty_rules.cache_clear()
    stage._patterns.cache_clear()
    try:
        ru = "При взрыве погибли 5 мирных жителей."
        (mention,) = find_near_casualties((Sentence(0, 0, len(ru), ru, 0),), "ru")
        assert mention.category == "civilians"
        assert _mentions("Five raiders were killed.") == [("killed", 5, "exact", "attackers", False)]
        assert _mentions("Purportedly 50 soldiers were killed.")[0][-1] is True
    finally:
        monkeypatch.undo()
        stage._casualty_rules.cache_clear()
        stage._patterns.cache_clear()


@pytest.mark.parametrize(
    ("language", "sentence", "expected"),
    [
        ("ar", "قتل 40 شخصا في الانفجار الذي قد تصل حصيلته النهائية إلى مئة قتيل.", [40]),
        ("ar", "حفر 30 قبرا بعد الهجوم الذي قد تصل حصيلته إلى مئة قتيل.", []),
        ("ru", "Число погибших может возрасти до 100 человек.", []),
        ("fa", "ممکن است شمار کشته‌شدگان به ۱۰۰ تن برسد.", []),
    ],
)
def test_a_toll_the_report_expects_is_not_counted(language: str, sentence: str, expected: list[int]) -> None:
    # casualties.yaml `projections`: "the toll may reach a hundred" is no figure, and no figure beside it reaches across it
    found = find_near_casualties((Sentence(0, 0, len(sentence), sentence, 0),), language)
    assert [c.value for c in found if c.kind == "killed"] == expected
