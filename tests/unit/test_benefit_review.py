"""The benefit review gate criterion, judged from the benefits case (hand-computed figures)."""

from __future__ import annotations

from datetime import date

import pytest

from planner.domain.benefit_review import (
    REQUIRED_SHARE,
    BenefitsCriterion,
    BenefitsFact,
    benefits_outcome,
    realised_share,
)
from planner.domain.explain import Quantity
from planner.domain.gates import (
    GateFacts,
    ManualCriterion,
    describe_criterion,
    evaluate_gate,
)
from planner.domain.playbook import ManualCriterion as PlaybookManual
from planner.domain.playbook import parse_playbook

GATE = date(2025, 2, 1)
BEFORE = date(2025, 1, 10)
AFTER = date(2025, 2, 3)
LIVE = date(2024, 4, 9)


def fact(measured: int = 2, expected: float = 60_000, realised: float = 60_000) -> BenefitsFact:
    return BenefitsFact(2, measured, expected, realised, "CNY", LIVE)


@pytest.mark.parametrize(
    ("fact_", "today", "outcome", "code"),
    [
        # no case at all: there is time before the gate, none after it
        (None, BEFORE, "at_risk", "gate.benefits.no_case"),
        (None, GATE, "not_met", "gate.benefits.no_case"),
        (BenefitsFact(0, 0, 0, 0), AFTER, "not_met", "gate.benefits.no_case"),
        # nothing due yet (no go-live passed): an outlook on track, not met at the gate
        (fact(0, 0, 0), BEFORE, "on_track", "gate.benefits.nothing_due"),
        (fact(0, 0, 0), GATE, "not_met", "gate.benefits.nothing_due"),
        # due but never measured after go-live
        (fact(0, 60_000, 0), BEFORE, "at_risk", "gate.benefits.no_readings"),
        (fact(0, 60_000, 0), AFTER, "not_met", "gate.benefits.no_readings"),
        # realised reaches the case: met whatever the date
        (fact(2, 60_000, 60_000), BEFORE, "met", "gate.benefits.realised"),
        (fact(1, 60_000, 75_000), AFTER, "met", "gate.benefits.realised"),
        # short of the case
        (fact(2, 60_000, 59_999), BEFORE, "at_risk", "gate.benefits.short"),
        (fact(2, 60_000, 45_000), GATE, "not_met", "gate.benefits.short"),
    ],
)
def test_outcomes(fact_: BenefitsFact | None, today: date, outcome: str, code: str) -> None:
    got, why = benefits_outcome(fact_, today, GATE)
    assert (got, why.code) == (outcome, code)


def test_the_reason_carries_the_figures_that_decided_it() -> None:
    # 45,000 of 60,000 expected: 75 %, short of the 100 % required
    _, why = benefits_outcome(fact(1, 60_000, 45_000), AFTER, GATE)
    assert why.params["realised"] == Quantity(45_000, "CNY")
    assert why.params["expected"] == Quantity(60_000, "CNY")
    assert why.params["share"] == Quantity(75.0, "%")
    assert why.params["required"] == Quantity(100, "%")
    assert (why.params["measured"], why.params["count"]) == (1, 2)
    assert why.params["go_live"] == LIVE


def test_a_share_just_short_never_reads_as_the_whole() -> None:
    _, why = benefits_outcome(fact(2, 60_000, 59_999), AFTER, GATE)
    assert why.code == "gate.benefits.short"
    assert why.params["share"] == Quantity(99.9, "%")  # rounded down, not up to 100


def test_realised_share() -> None:
    assert realised_share(30, 40) == 0.75
    assert realised_share(30, 0) is None
    assert REQUIRED_SHARE == 1.0


def test_the_gate_judges_it_from_the_facts_and_names_it() -> None:
    criteria = [BenefitsCriterion("Benefit review"), ManualCriterion("Sign-off", True)]
    short = evaluate_gate(criteria, GateFacts(benefits=fact(2, 60_000, 30_000)), AFTER, GATE)
    assert [r.outcome for r in short.results] == ["not_met", "met"]
    assert short.verdict == "fail"
    reached = evaluate_gate(criteria, GateFacts(benefits=fact()), AFTER, GATE)
    assert reached.verdict == "pass"
    none = evaluate_gate(criteria, GateFacts(), BEFORE, GATE)
    assert none.results[0].reason.code == "gate.benefits.no_case"
    described = describe_criterion(criteria[0])
    assert (described.code, described.params["text"]) == ("criterion.benefits", "Benefit review")


PLAYBOOK = """
id: tiny
version: "1.0"
title: Tiny
phases:
  - ordinal: 1
    key: one
    name: One
    milestones:
      - {key: live, name: Live}
    gate:
      - kind: manual
        source: %s
        text: {en: "Benefits proven", zh: 效益得到证明}
"""


def test_a_playbook_keys_the_criterion_by_its_source_not_its_words() -> None:
    pb = parse_playbook(PLAYBOOK % "benefits_case", source="tiny.yaml")
    criterion = pb.phases[0].gate[0]
    assert isinstance(criterion, PlaybookManual)
    assert (criterion.source, criterion.reference) == ("benefits_case", "benefits_case")
    plain = parse_playbook((PLAYBOOK % "person"), source="tiny.yaml").phases[0].gate[0]
    assert isinstance(plain, PlaybookManual)
    assert plain.reference == ""


def test_a_playbook_refuses_an_unknown_source_naming_the_field() -> None:
    from planner.domain.playbook import PlaybookError

    with pytest.raises(PlaybookError) as caught:
        parse_playbook(PLAYBOOK % "robot", source="tiny.yaml")
    text = str(caught.value)
    assert "phases[0].gate[0].source" in text and "robot" in text
