"""Issue 11: the one union-find (`kwatch.resolve.clusters.UnionFind`), which resolution's clusters
and the grouping of release sightings are built on."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kwatch.releases import release_groups
from kwatch.resolve.clusters import UnionFind

KEYS = st.lists(st.integers(0, 30), min_size=1, max_size=25, unique=True)


@st.composite
def keys_and_unions(draw: st.DrawFn) -> tuple[list[int], list[tuple[int, int]]]:
    keys = draw(KEYS)
    pairs = draw(st.lists(st.tuples(st.sampled_from(keys), st.sampled_from(keys)), max_size=40))
    return keys, pairs


def built(keys: list[int], pairs: list[tuple[int, int]]) -> UnionFind[int]:
    sets = UnionFind(keys)
    for a, b in pairs:
        sets.union(a, b)
    return sets


def components(keys: list[int], pairs: list[tuple[int, int]]) -> list[list[int]]:
    """The connected components, the slow way: a reference to check the union-find against."""
    neighbours: dict[int, set[int]] = {k: set() for k in keys}
    for a, b in pairs:
        neighbours[a].add(b)
        neighbours[b].add(a)
    seen: set[int] = set()
    found = []
    for key in keys:
        if key in seen:
            continue
        group, todo = set(), [key]
        while todo:
            k = todo.pop()
            if k not in group:
                group.add(k)
                todo.extend(neighbours[k] - group)
        seen |= group
        found.append(sorted(group))
    return sorted(found)


@settings(max_examples=100, deadline=None)
@given(keys_and_unions())
def test_groups_are_a_partition_of_the_keys(case: tuple[list[int], list[tuple[int, int]]]) -> None:
    keys, pairs = case
    groups = built(keys, pairs).groups()
    flat = [k for group in groups for k in group]
    assert sorted(flat) == sorted(keys) and len(flat) == len(set(flat))
    assert all(group == sorted(group) and group for group in groups) and groups == sorted(groups)
    assert groups == components(keys, pairs)


@settings(max_examples=100, deadline=None)
@given(keys_and_unions(), st.randoms(use_true_random=False))
def test_the_order_of_unions_does_not_change_the_groups(case: tuple[list[int], list[tuple[int, int]]], rnd) -> None:
    keys, pairs = case
    shuffled = [(b, a) if rnd.random() < 0.5 else (a, b) for a, b in pairs]
    rnd.shuffle(shuffled)
    keys_shuffled = list(keys)
    rnd.shuffle(keys_shuffled)
    assert built(keys_shuffled, shuffled).groups() == built(keys, pairs).groups()


@settings(max_examples=100, deadline=None)
@given(keys_and_unions())
def test_unions_are_idempotent(case: tuple[list[int], list[tuple[int, int]]]) -> None:
    keys, pairs = case
    sets = built(keys, pairs)
    once = sets.groups()
    assert not any(sets.union(a, b) for a, b in pairs)  # every pair is already one set
    assert not any(sets.union(k, k) for k in keys)
    sets.add(keys[0])
    assert sets.groups() == once


@settings(max_examples=100, deadline=None)
@given(keys_and_unions())
def test_the_root_is_the_smallest_key_of_its_set(case: tuple[list[int], list[tuple[int, int]]]) -> None:
    keys, pairs = case
    sets = built(keys, pairs)
    for group in sets.groups():
        assert {sets.find(k) for k in group} == {group[0]}
        assert sorted(sets.members(group[-1])) == group


def test_union_adds_new_keys_and_works_on_strings() -> None:
    sets: UnionFind[str] = UnionFind(["b"])
    assert sets.union("c", "a") and sets.union("b", "c") and not sets.union("a", "b")
    assert (sets.groups(), sets.find("c"), len(sets), "a" in sets, "z" in sets) == ([["a", "b", "c"]], "a", 3, True, False)


def test_find_of_an_unknown_key_is_an_error() -> None:
    with pytest.raises(KeyError):
        UnionFind([1]).find(2)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["hash:a", "file:b", "caption:c", "message:d", "message:e"]), max_size=3), max_size=10),
       st.randoms(use_true_random=False))
def test_release_groups_do_not_depend_on_the_order_of_the_sightings(keys: list[list[str]], rnd) -> None:
    order = list(range(len(keys)))
    rnd.shuffle(order)
    shuffled = [keys[i] for i in order]

    def together(groups: list[list[int]], names: list[int]) -> set[frozenset[int]]:
        return {frozenset(names[i] for i in group) for group in groups}

    assert together(release_groups(shuffled), order) == together(release_groups(keys), list(range(len(keys))))
