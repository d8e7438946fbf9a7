"""Raids and arrests in every language, with their acting force (issue 13): the raid and arrest
words of each language, the victims-are-the-group rule ("three Daesh commanders killed" is an
operation against the group), clashes between a state's forces and the group, and the acting
force as the state whose forces act (`state:` in lexicons/actors.yaml). The sentences are our
own writing."""

from __future__ import annotations

import pytest

from kwatch.extract import extract
from kwatch.pipeline.actors import State, state_of, states
from kwatch.pipeline.casualties import group_kills, names_the_group
from kwatch.pipeline.model import PipelineDoc, Sentence


def _events(text: str, language: str, pipeline, ctx, published: str = "2024-05-10"):
    doc = extract(PipelineDoc(id="t", text=text, published=published, language=language), pipeline=pipeline, ctx=ctx)
    return doc.events or ()


def _typed(text: str, language: str, pipeline, ctx, published: str = "2024-05-10") -> list[tuple[str, str | None]]:
    return [(e.type, e.actor) for e in _events(text, language, pipeline, ctx, published)]


@pytest.mark.parametrize(
    ("language", "text", "actor"),
    [
        # the force before the verb (the subject)
        ("en", "Pakistani security forces arrested five ISKP militants in Peshawar on 3 May 2024.", "Pakistan"),
        ("ru", "Сотрудники ФСБ задержали в Москве 3 мая 2024 года трех сторонников ИГИЛ.", "Russia"),
        ("fa", "نیروهای طالبان روز ۱۴ ثور ۱۴۰۳ پنج عضو داعش را در کابل بازداشت کردند.", "Taliban"),
        ("ps", "طالبانو په کابل کې د داعش پنځه غړي ونیول.", "Taliban"),
        ("ur", "سی ٹی ڈی نے پشاور میں داعش کے پانچ دہشت گرد گرفتار کر لیے۔", "Pakistan"),
        ("tg", "Кумитаи давлатии амнияти миллӣ дар Хатлон се узви ДИИШ-ро боздошт кард.", "Tajikistan"),
        ("uz", "Davlat xavfsizlik xizmati Toshkentda IShID tarafdorlarini qo'lga oldi.", "Uzbekistan"),
        ("ky", "УКМК Ошто Ислам мамлекетинин үч тарапкерин кармады.", "Kyrgyzstan"),
        # the force after the verb: a verb-first clause, a passive agent
        ("ar", "اعتقلت السلطات الإيرانية خمسة عناصر من داعش في طهران.", "Iran"),
        ("en", "Five ISKP members were detained in Peshawar on 3 May 2024 by the CTD.", "Pakistan"),
        ("ru", "Трое сторонников ИГИЛ задержаны в Москве 3 мая 2024 года сотрудниками ФСБ.", "Russia"),
    ],
)
def test_an_arrest_takes_the_state_whose_forces_acted(language, text, actor, pipeline, ctx):
    assert _typed(text, language, pipeline, ctx) == [("arrest", actor)]


@pytest.mark.parametrize(
    ("language", "text", "actor"),
    [
        # raid words: a hideout raided, an operation against the group
        ("en", "Taliban forces stormed an ISKP hideout in Kabul on 3 May 2024.", "Taliban"),
        ("fa", "در عملیات نیروهای طالبان بر یک مخفیگاه داعش در کابل سه داعشی کشته شدند.", "Taliban"),
        ("ps", "د طالبانو ځواکونو په ننګرهار کې د داعش پر یوه پټنځای عملیات وکړل.", "Taliban"),
        ("ar", "داهمت قوات طالبان مخبأ لعناصر داعش في كابل وقتلت ثلاثة منهم.", "Taliban"),
        ("ky", "Талибан Кабулда Ислам мамлекетине каршы атайын операция жүргүздү.", "Taliban"),
        ("uz", "Tolibon kuchlari Kobulda IShID jangarilariga qarshi maxsus operatsiya o'tkazdi.", "Taliban"),
        # a clash between a state's forces and the group
        ("en", "Six killed in clash between Taliban and ISKP in Kunduz on 3 May 2024.", "Taliban"),
        ("tg", "Дар даргирӣ бо Толибон дар Кобул се ҷангҷӯи ДИИШ кушта шуданд.", "Taliban"),
        ("ur", "پشاور میں پاک فوج کے ساتھ جھڑپ میں داعش کے تین دہشت گرد ہلاک ہو گئے۔", "Pakistan"),
    ],
)
def test_an_operation_against_the_group_is_a_raid_by_its_force(language, text, actor, pipeline, ctx):
    assert _typed(text, language, pipeline, ctx) == [("raid", actor)]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Three Daesh commanders killed in Kunduz on 3 May 2024."),
        ("fa", "در ولایت کنر دو عضو داعش کشته شدند."),
        ("ru", "В провинции Нангархар ликвидированы 12 боевиков ИГИЛ."),
        ("ar", "مقتل خمسة من عناصر داعش في ولاية ننكرهار."),
    ],
)
def test_a_killing_of_the_groups_men_is_a_raid(language, text, pipeline, ctx):
    """Victims named as the group's men, no attacker named: an operation against the group, and
    the authorities of the country where it happened act (the inference recorded)."""
    events = _events(text, language, pipeline, ctx)
    assert [(e.type, e.actor) for e in events] == [("raid", "Taliban")]
    assert events[0].killed is not None
    assert any("no force named, the authorities of AF" in line for line in events[0].provenance["inferences"])


@pytest.mark.parametrize(
    ("language", "text", "kind"),
    [
        # the group kills others: an attack, even with its own men among the dead
        ("en", "ISKP fighters killed five Taliban soldiers in Kunduz on 3 May 2024.", "attack"),
        ("fa", "در حمله داعش روز ۱۴ ثور ۱۴۰۳ در کابل پنج سرباز طالبان کشته شدند.", "attack"),
        ("ru", "3 мая 2024 года в Кабуле боевики ИГИЛ напали на пост талибов и убили пять человек.", "attack"),
        # an operation that only arrested: an arrest
        ("en", "In an operation in Lahore on 3 May 2024, the CTD arrested seven Daesh militants.", "arrest"),
        ("ur", "سی ٹی ڈی نے لاہور میں آپریشن کے دوران داعش کے سات دہشت گرد گرفتار کر لیے۔", "arrest"),
    ],
)
def test_the_group_as_killer_stays_an_attack_and_an_operation_without_dead_is_an_arrest(language, text, kind, pipeline, ctx):
    assert [e.type for e in _events(text, language, pipeline, ctx)] == [kind]


def test_a_clash_whose_sides_are_not_named_is_not_a_raid(pipeline, ctx):
    events = _events("Gunmen attacked a checkpoint in Kunduz on 3 May 2024, sparking clashes with guards; five people were killed.", "en", pipeline, ctx)
    assert "raid" not in [e.type for e in events]


def test_a_state_named_after_its_time_is_the_authorities_that_then_hold_it(pipeline, ctx):
    text = "Afghan security forces detained three ISKP members in Jalalabad on 3 May 2024."
    (event,) = _events(text, "en", pipeline, ctx)
    assert (event.type, event.actor) == ("arrest", "Taliban")
    assert any("'Afghanistan' named in 2024-05-03" in line for line in event.provenance["inferences"])
    (earlier,) = _events("Afghan security forces detained three ISKP members in Jalalabad on 3 May 2019.", "en", pipeline, ctx, "2019-05-10")
    assert earlier.actor == "Afghanistan"


def test_an_arrest_without_a_named_force_is_by_the_authorities_where_it_happened(pipeline, ctx):
    (event,) = _events("Three ISKP members were arrested in Kandahar on 3 May 2024.", "en", pipeline, ctx)
    assert (event.type, event.actor) == ("arrest", "Taliban")
    assert "actor Taliban inferred: no force named, the authorities of AF in 2024-05-03" in event.provenance["inferences"]


def test_a_force_named_only_as_the_source_is_taken_with_the_inference_recorded(pipeline, ctx):
    (event,) = _events("Five Daesh members were killed in Kabul on 3 May 2024, according to the Taliban.", "en", pipeline, ctx)
    assert (event.type, event.actor) == ("raid", "Taliban")
    assert any("named as the source of the report" in line for line in event.provenance["inferences"])


def test_a_countrys_forces_are_never_the_perpetrator_of_an_attack(pipeline, ctx):
    (event,) = _events("Pakistani security forces came under a suicide bombing attack in Bannu on 3 May 2024.", "en", pipeline, ctx)
    assert (event.type, event.actor) == ("attack", None)


@pytest.mark.parametrize(
    ("language", "description", "named"),
    [
        ("en", "three Daesh commanders", True),
        ("en", "five Taliban fighters", False),
        ("en", "five members of the group", True),
        ("fa", "دو عضو داعش", True),
        ("fa", "سه داعشی", True),
        ("fa", "تن از نیروهای طالبان توسط داعش", False),
        ("ar", "من عناصر داعش", True),
        ("ru", "боевиков «Исламского государства»", True),
        ("ru", "пятерых игиловцев", True),
    ],
)
def test_victims_named_as_the_groups_men(language, description, named):
    assert names_the_group(description, language) is named


def test_a_killing_of_the_groups_men_spans_the_figure_and_its_verb():
    text = "Three Daesh commanders were killed in Kunduz."
    (found,) = group_kills(Sentence(0, 0, len(text), text, 0), "en")
    assert text[found[0]:found[1]] == "Three Daesh commanders were killed"
    assert text[found[2]:found[3]] == "killed"


def test_a_sentence_that_names_no_group_has_no_killing_of_its_men():
    text = "Three commanders were killed in Kunduz."
    assert group_kills(Sentence(0, 0, len(text), text, 0), "en") == []


@pytest.mark.parametrize(
    ("country", "date", "actor"),
    [
        ("AF", "2024-05-03", "Taliban"),
        ("AF", "2021-08-15", "Taliban"),
        ("AF", "2021-08-14", "Afghanistan"),
        ("AF", "2019", "Afghanistan"),
        ("PK", None, "Pakistan"),
        ("RU", "2024-03", "Russia"),
        ("XX", "2024", None),
        (None, "2024", None),
    ],
)
def test_the_authorities_of_a_country_on_a_date(country, date, actor):
    assert state_of(country, date) == actor


def test_every_state_actor_names_a_country_and_a_period_that_holds():
    for name, state in states().items():
        assert isinstance(state, State) and len(state.country) == 2 and state.actor == name
        assert state.since is None or state.until is None or state.since < state.until


def test_an_arrest_is_made_where_its_authorities_hold_the_state(pipeline, ctx):
    """A place of another country in the sentence names something else ("who had worked in Moscow")."""
    (event,) = _events("On 29 March 2024, authorities in Tajikistan detained four ISKP recruiters who had worked in Moscow.", "en", pipeline, ctx)
    assert (event.type, event.actor, event.country, event.place) == ("arrest", "Tajikistan", "TJ", None)
    assert any(line.startswith("country TJ inferred: an arrest by Tajikistan is made in TJ") for line in event.provenance["inferences"])


def test_a_raids_toll_is_the_groups_men_where_a_figure_names_them():
    from kwatch.pipeline.casualties import total
    from kwatch.pipeline.model import CasualtyMention

    everyone = CasualtyMention(0, 5, "eight", 0, "killed", 8, "exact", None, False)
    members = CasualtyMention(10, 30, "five members of the group", 1, "killed", 5, "exact", "attackers", False)
    assert total([everyone, members], "killed", attackers=True) == 5
    assert total([everyone], "killed", attackers=True) == 8
    assert total([everyone, members], "killed") == 8


def test_members_of_the_group_are_its_men(pipeline, ctx):
    (event,) = _events("In Kunduz on 3 May 2024, Taliban forces killed five members of the group, ISKP said.", "en", pipeline, ctx)
    assert (event.type, event.actor, event.killed) == ("raid", "Taliban", 5)


@pytest.mark.parametrize(
    "text",
    [
        # a subject before its verb, not victims
        "An ISIS sniper killed a police commander in Mosul on 3 May 2016.",
        # the group's men executed by the group: captives put to death, no operation
        "On 3 May 2016 in Mosul, seven Islamic State fighters were executed for desertion.",
    ],
)
def test_no_operation_against_the_group_where_its_men_are_not_an_operations_dead(text, pipeline, ctx):
    assert "raid" not in [e.type for e in _events(text, "en", pipeline, ctx, "2016-05-10")]


def test_a_clash_opened_by_a_bombing_and_naming_no_group_stays_an_attack(pipeline, ctx):
    text = "A suicide bomber attacked a police post in Kunduz on 3 May 2015, setting off a firefight between Taliban fighters and police."
    assert [e.type for e in _events(text, "en", pipeline, ctx, "2015-05-10")] == ["attack"]


def test_the_taliban_before_they_held_the_state_may_perpetrate_an_attack(pipeline, ctx):
    (event,) = _events("A Taliban suicide bomber attacked a police checkpoint in Kandahar on 3 May 2015.", "en", pipeline, ctx, "2015-05-10")
    assert (event.type, event.actor) == ("attack", "Taliban")


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("ar", "داهمت قوات طالبان مخبأ لتنظيم داعش في مدينة جلال آباد يوم 3 مايو 2024.\n\nوانتهى الهجوم باشتباكات بين الجانبين ومقتل ثلاثة من عناصر داعش في جلال آباد."),
        ("en", "Taliban forces raided an Islamic State hideout in Jalalabad on 3 May 2024.\n\nThe attack ended in clashes between the two sides in Jalalabad, killing three fighters."),
    ],
)
def test_the_attack_that_refers_back_to_a_raid_is_the_raid(language, text, pipeline, ctx):
    # "the attack" with no date of its own, when no attack of the group is told, is the operation
    events = _events(text, language, pipeline, ctx)
    assert [(e.type, e.date) for e in events] == [("raid", "2024-05-03")]


def test_the_force_that_killed_after_an_apposition_is_a_raid(pipeline, ctx):
    # the force, an apposition and adverbials before the verb
    text = "The security forces, including army and police units, had earlier on May 3 killed Khalil, the Daesh commander of the district, in Bajaur."
    assert [(e.type, e.date) for e in _events(text, "en", pipeline, ctx)] == [("raid", "2024-05-03")]


@pytest.mark.parametrize("text", [
    "Taliban forces raided an ISKP hideout in Kabul on Monday, killing three militants, including foreign nationals.",
    "Police arrested two ISKP members near a mosque in Peshawar on 3 May 2024.",
])
def test_raids_and_arrests_have_no_target(text, pipeline, ctx):
    # The group is whom an operation against it hits: the words beside it ("foreign nationals",
    # "a mosque") are not a target (FORMAT.md gives attacks and plots a target).
    events = _events(text, "en", pipeline, ctx)
    assert events and {e.type for e in events} <= {"raid", "arrest"}
    assert all(e.target is None for e in events)


@pytest.mark.parametrize(("language", "text"), [
    ("en", "Police arrested two men in Vienna on 7 August 2024 who were preparing to carry out an attack on a concert."),
    ("ru", "ФСБ задержала в Москве 7 августа 2024 года двух сторонников ИГ, которые готовили теракт."),
    ("ar", "اعتقلت الشرطة في فيينا يوم 7 أغسطس 2024 رجلين خططا لهجوم على حفل موسيقي."),
])
def test_an_arrest_of_men_preparing_an_attack_is_a_plot_foiled(language, text, pipeline, ctx):
    assert [e.type for e in _events(text, language, pipeline, ctx, published="2024-08-08")] == ["plot"]


def test_the_forces_losses_told_after_a_raid_are_the_raids(pipeline, ctx):
    text = ("Taliban forces raided an ISKP hideout in Kunduz on 6 May 2024, killing five militants. "
            "At least one member of the Taliban was killed and two others wounded, the source added.")
    assert [e.type for e in _events(text, "en", pipeline, ctx)] == ["raid"]
