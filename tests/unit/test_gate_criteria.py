"""planner.domain.gate_criteria: the rules for a gate's exit criterion."""

from __future__ import annotations

import pytest

from planner.domain.errors import ValidationError
from planner.domain.explain import Term
from planner.domain.gate_criteria import CriterionInput, clean_criterion


def problems(data: CriterionInput, known: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as caught:
        clean_criterion(data, known)
    return [(p.field, p.code) for p in caught.value.problems]


def test_a_metric_target_refers_to_a_known_metric() -> None:
    clean = clean_criterion(CriterionInput("metric_target", metric="active"), ("active",))
    assert (clean.reference, clean.manual) == ("active", False)
    assert problems(CriterionInput("metric_target", metric="gone"), ("active",)) == [
        ("metric", "gate.criterion.metric")
    ]


def test_milestones_are_kept_once_in_order_and_must_exist() -> None:
    data = CriterionInput("milestones_done", milestones=["M2", "", "M1", "M2"])
    assert clean_criterion(data, ("M1", "M2")).reference == "M2 M1"
    assert problems(CriterionInput("milestones_done")) == [
        ("milestones", "gate.criterion.no_milestone")
    ]
    with pytest.raises(ValidationError) as caught:
        clean_criterion(CriterionInput("milestones_done", milestones=["M9"]), ("M1",))
    assert dict(caught.value.problems[0].params) == {"keys": ("M9",)}


def test_a_band_names_the_known_bands_when_refused() -> None:
    assert clean_criterion(CriterionInput("max_risk_band", band="high"), ("low", "high"))
    with pytest.raises(ValidationError) as caught:
        clean_criterion(CriterionInput("max_risk_band", band="severe"), ("low", "high"))
    (problem,) = caught.value.problems
    assert problem.params["known"] == (Term("band", "low"), Term("band", "high"))


def test_a_manual_criterion_judged_by_a_person_carries_the_evidence_link() -> None:
    data = CriterionInput("manual", text="Sign-off", evidence_url=" https://x.example/a ")
    clean = clean_criterion(data, ())
    assert (clean.reference, clean.evidence_url, clean.manual) == (
        "",
        "https://x.example/a",
        True,
    )


def test_a_criterion_the_benefit_review_judges_is_not_manual() -> None:
    data = CriterionInput("manual", text="Benefits", source="benefits_case")
    clean = clean_criterion(data, ())
    assert (clean.reference, clean.manual) == ("benefits_case", False)


def test_every_problem_comes_at_once() -> None:
    data = CriterionInput("manual", text=" ", source="robot", evidence_url="ftp://x")
    assert problems(data) == [
        ("text", "gate.criterion.text"),
        ("source", "gate.criterion.source"),
        ("evidence_url", "gate.criterion.url"),
    ]
    assert problems(CriterionInput("vibes")) == [("kind", "field.not_a_choice")]
