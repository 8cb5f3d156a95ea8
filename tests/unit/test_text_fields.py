"""Free-text fields: present and not too long (domain.text_fields)."""

from __future__ import annotations

from planner.domain.errors import Problem
from planner.domain.text_fields import text_problems


def test_empty_and_too_long_values_each_give_one_problem() -> None:
    values = [("name", "x" * 200), ("client", "x" * 201), ("owner", "")]
    assert text_problems(values, 200) == [
        Problem("client", "field.too_long", {"max": 200}),
        Problem("owner", "field.required"),
    ]
    assert text_problems([], 200) == []
