"""Near-duplicate signatures: a lightly edited wire story on two sites is found, different stories
are not; signatures are deterministic and round-trip through their bytes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kwatch import neardup
from kwatch.errors import IngestError

WIRE_STORY = (
    "Gunmen opened fire on people attending a concert at a large music venue on the western edge of the capital "
    "on Friday evening, and then set the building on fire, officials said. Emergency services said the roof of the "
    "hall collapsed after the blaze spread through the upper floors of the building. Investigators said the attackers "
    "fled the scene in a white car and were detained hours later in a region close to the border, about four hundred "
    "kilometres from the city. The Islamic State group claimed responsibility for the attack in a short statement "
    "published by its news agency, and officials in Washington said their intelligence pointed to the Khorasan "
    "branch of the group. The authorities declared a day of national mourning and cancelled public events across the "
    "country for the weekend. Hospitals in the region asked residents to donate blood, and long queues formed outside "
    "donation centres on Saturday morning. Officials said the number of dead was likely to rise as rescue teams "
    "searched the burned building, and that dozens of the wounded remained in a serious condition in hospital."
)
SITE_A = "Example Wire | World news\n" + WIRE_STORY + "\nShare this article"
SITE_B = (
    "Daily Example - Latest\n"
    + WIRE_STORY.replace("on Friday evening", "late on Friday").replace("a short statement", "a brief statement")
    + "\nRead more from our partners"
)
OTHER_STORY = (
    "Security forces said they arrested four men accused of recruiting young people online for the Khorasan branch "
    "of the Islamic State group. The suspects were detained in raids on houses in two northern districts after months "
    "of surveillance, a spokesman said. Police seized phones, laptops and printed material, and said the men had sent "
    "money abroad through informal transfer networks. A court will decide next week whether to keep them in custody "
    "while the investigation continues, and lawyers for two of the men said their clients denied the accusations."
)


def test_lightly_edited_wire_story_on_two_sites_is_found() -> None:
    index = neardup.NearDuplicateIndex()
    index.add("site-a", neardup.signature(SITE_A))
    assert [doc_id for doc_id, _ in index.query(neardup.signature(SITE_B))] == ["site-a"]


def test_query_reports_estimated_jaccard_at_least_the_threshold() -> None:
    index = neardup.NearDuplicateIndex()
    index.add("site-a", neardup.signature(SITE_A))
    ((_, score),) = index.query(neardup.signature(SITE_B))
    assert neardup.THRESHOLD <= score <= 1.0


def test_different_stories_are_not_duplicates() -> None:
    index = neardup.NearDuplicateIndex()
    index.add("wire", neardup.signature(WIRE_STORY))
    assert index.query(neardup.signature(OTHER_STORY)) == []


def test_texts_without_a_shingle_match_nothing() -> None:
    index = neardup.NearDuplicateIndex()
    index.add("caption-less-1", neardup.signature(""))
    index.add("short", neardup.signature("Photo."))
    assert (len(index), index.query(neardup.signature(""))) == (0, [])


def test_case_and_punctuation_do_not_matter() -> None:
    assert neardup.signature(WIRE_STORY) == neardup.signature(WIRE_STORY.upper().replace(",", " ;"))


def test_signature_is_513_bytes() -> None:
    assert len(neardup.signature(WIRE_STORY)) == 1 + 4 * neardup.NUM_PERM


@pytest.mark.parametrize("bad", [b"", b"\x01" + b"\x00" * 10, b"\x02" + b"\x00" * 512])
def test_foreign_bytes_are_not_a_signature(bad: bytes) -> None:
    with pytest.raises(IngestError):
        neardup.from_signature(bad)


def test_adding_an_id_twice_keeps_one_entry() -> None:
    index = neardup.NearDuplicateIndex()
    index.add("a", neardup.signature(WIRE_STORY))
    index.add("a", neardup.signature(WIRE_STORY))
    assert index.query(neardup.signature(WIRE_STORY)) == [("a", 1.0)]


@given(st.text(max_size=400))
def test_signature_is_deterministic_and_round_trips(text: str) -> None:
    sig = neardup.signature(text)
    assert sig == neardup.signature(text)
    assert neardup.similarity(sig, sig) == 1.0 or neardup.is_empty(sig)


@given(st.lists(st.sampled_from(["alpha", "beta", "gamma", "delta", "kabul", "herat", "raid", "claim"]), min_size=5, max_size=60))
def test_a_text_always_finds_itself(words: list[str]) -> None:
    sig = neardup.signature(" ".join(words))
    index = neardup.NearDuplicateIndex()
    index.add("self", sig)
    assert index.query(sig) == [("self", 1.0)]
