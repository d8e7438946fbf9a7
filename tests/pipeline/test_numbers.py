"""Quantity phrases: number words, digits, qualifiers, vague amounts, and what is not a count."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kwatch.pipeline.numbers import combine, find_quantities, parse_number


@pytest.mark.parametrize(
    ("phrase", "value"),
    [
        ("seven", 7),
        ("twenty-five", 25),
        ("two hundred", 200),
        ("two hundred and five", 205),
        ("a dozen", 12),
        ("two dozen", 24),
        ("half a dozen", 6),
        ("4,000", 4000),
        ("3 million", 3_000_000),
        ("one thousand two hundred", 1200),
        ("worshippers", None),
    ],
)
def test_parse_number(phrase: str, value: int | None) -> None:
    assert parse_number(phrase) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("at least 11", [("at least 11", 11, "at_least")]),
        ("more than 500", [("more than 500", 500, "more_than")]),
        ("over 20", [("over 20", 20, "more_than")]),
        ("nearly 30", [("nearly 30", 30, "about")]),
        ("another 22", [("another 22", 22, "exact")]),
        ("dozens of people", [("dozens of", None, "vague")]),
        ("scores", [("scores", None, "vague")]),
        ("several", [("several", None, "vague")]),
        ("10-12 people", [("10-12", 10, "at_least")]),
        ("six and three", [("six", 6, "exact"), ("three", 3, "exact")]),
    ],
)
def test_find_quantities(text: str, expected: list[tuple[str, int | None, str]]) -> None:
    assert [(q.text, q.value, q.qualifier) for q in find_quantities(text)] == expected


@pytest.mark.parametrize(
    "text",
    ["[12]", "at 8:15 am", "a 25-minute film", "a 12-year-old boy", "1.3 million", "45%", "COVID-19"],
)
def test_not_a_count(text: str) -> None:
    assert find_quantities(text) == []


def test_quantity_offsets_point_into_the_text() -> None:
    text = "The blast killed at least 11 people."
    (quantity,) = find_quantities(text)
    assert text[quantity.start : quantity.end] == "at least 11"


@given(st.integers(min_value=0, max_value=100_000), st.booleans())
def test_digits_round_trip(value: int, commas: bool) -> None:
    written = f"{value:,}" if commas else str(value)
    (quantity,) = find_quantities(f"killed {written} people")
    assert quantity.value == value


@pytest.mark.parametrize(
    ("tokens", "units_first", "value"),
    [
        ([(20, False), (5, False)], False, 25),  # twenty five
        ([(5, False), (20, False)], True, 25),  # five twenty (Pashto, Arabic)
        ([(5, False), (20, False)], False, None),  # not one number where tens come first
        ([(20, False), (5, False)], True, None),
        ([(2, False), (100, True)], False, 200),
        ([(100, True), (20, False)], False, 120),
        ([(2, False), (1000, True), (5, False), (100, True)], False, 2500),
        ([(2, False), (100_000, True), (50, False), (1000, True)], False, 250_000),  # two lakh fifty thousand
        ([(12, False), (100, True)], False, 1200),  # twelve hundred
        ([(1000, True)], False, 1000),
        ([(200, False), (50, False), (5, False)], False, 255),  # a hundreds word, a ten, a unit
        ([(2, False), (100, True), (5, False), (20, False)], True, 225),
        ([(12, False), (5, False)], False, None),  # a teen stands alone
        ([(1000, True), (1000, True)], False, None),
        ([(100, True), (100, True)], False, None),
        ([], False, None),
    ],
)
def test_combine_reads_compound_numbers_by_the_language_order(tokens: list[tuple[int, bool]], units_first: bool, value: int | None) -> None:
    assert combine(tokens, units_first=units_first) == value
