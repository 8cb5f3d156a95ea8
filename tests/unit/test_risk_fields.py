"""planner.domain.risk_fields: the rules for a risk's fields from a form, file or request."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from planner.domain.risk_fields import check_risk_fields

GOOD: dict[str, Any] = {"title": "Data late", "likelihood": 3, "impact": 4}


def codes(data: dict[str, Any], partial: bool = False) -> list[tuple[str, str]]:
    return [(p.field, p.code) for p in check_risk_fields(data, partial=partial)[1]]


def test_a_full_form_is_cleaned_with_its_defaults() -> None:
    clean, problems = check_risk_fields({**GOOD, "title": "  Data late ", "owner": "  "})
    assert problems == []
    assert clean["title"] == "Data late"
    assert clean["owner"] is None
    assert clean["category"] == ""
    assert clean["response"] == "mitigate"
    assert clean["residual_likelihood"] is None and clean["residual_impact"] is None
    assert "status" not in clean


def test_a_form_needs_a_title_and_both_levels() -> None:
    assert codes({}) == [
        ("title", "risk.title_required"),
        ("likelihood", "risk.level"),
        ("impact", "risk.level"),
    ]


def test_a_partial_update_checks_only_what_it_gives() -> None:
    clean, problems = check_risk_fields({"impact": "5"}, partial=True)
    assert (clean, problems) == ({"impact": 5}, [])


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"title": "x" * 301}, [("title", "field.too_long")]),
        ({"category": "c" * 65}, [("category", "field.too_long")]),
        ({"likelihood": 6}, [("likelihood", "risk.level")]),
        ({"likelihood": True}, [("likelihood", "risk.level")]),
        ({"residual_impact": ""}, []),
        ({"response": "pray"}, [("response", "risk.response_unknown")]),
        ({"status": "gone"}, [("status", "risk.status_unknown")]),
        ({"review_date": "2026-01-01"}, [("review_date", "field.not_a_date")]),
        ({"review_date": dt.date(2026, 1, 1)}, []),
    ],
)
def test_each_rule_names_its_field(data: dict[str, Any], expected: list[tuple[str, str]]) -> None:
    assert codes(data, partial=True) == expected


def test_texts_keep_english_empty_and_chinese_absent() -> None:
    clean, _ = check_risk_fields({"cause": None, "cause_zh": ""}, partial=True)
    assert clean == {"cause": "", "cause_zh": None}


def test_an_unknown_status_is_quoted_a_response_is_not() -> None:
    problems = check_risk_fields({"status": "gone", "response": "pray"}, partial=True)[1]
    assert {p.field: p.params["value"] for p in problems} == {
        "response": "pray",
        "status": '"gone"',
    }
