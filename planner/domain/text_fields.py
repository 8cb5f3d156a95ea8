"""Checks of free-text fields a person or a file gives: present, and not too long."""

from __future__ import annotations

from collections.abc import Iterable

from planner.domain.errors import Problem


def text_problems(values: Iterable[tuple[str, str]], max_length: int) -> list[Problem]:
    """For each ``(field, value)`` (already stripped): ``field.required`` when it is empty,
    ``field.too_long`` when it has more than ``max_length`` characters.

    Examples:
        >>> [(p.field, p.code) for p in text_problems([("name", ""), ("client", "ab")], 1)]
        [('name', 'field.required'), ('client', 'field.too_long')]
    """
    problems: list[Problem] = []
    for field, value in values:
        if not value:
            problems.append(Problem(field, "field.required"))
        elif len(value) > max_length:
            problems.append(Problem(field, "field.too_long", {"max": max_length}))
    return problems
