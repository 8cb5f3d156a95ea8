"""The one dependency cycle check (planner/domain/cycles.py)."""

from __future__ import annotations

from planner.domain.cycles import find_cycle


def test_a_cycle_is_named_from_its_smallest_key_whatever_the_order_of_the_links() -> None:
    links = [("x", "design"), ("design", "build"), ("build", "test"), ("test", "design")]
    assert find_cycle(links) == ["build", "test", "design"]
    assert find_cycle(reversed(links)) == ["build", "test", "design"]


def test_no_cycle_no_links_and_a_self_link() -> None:
    assert find_cycle([("a", "b"), ("b", "c"), ("a", "c")]) is None
    assert find_cycle([]) is None
    assert find_cycle([("a", "a")]) == ["a"]
