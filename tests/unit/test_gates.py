"""Phase gates: criterion outcomes, overall result, decision rules and RAG roll-ups."""

from __future__ import annotations

from datetime import date

import pytest

from planner.domain.errors import ValidationError
from planner.domain.gates import (
    Criterion,
    Decision,
    GateEvaluation,
    GateFacts,
    ManualCriterion,
    MetricCriterion,
    MetricFact,
    MilestoneFact,
    MilestonesCriterion,
    OpenRisk,
    RagResult,
    RiskCriterion,
    describe_criterion,
    evaluate_gate,
    metric_fact,
    metrics_rag,
    phase_progress,
    rag_rollup,
    risks_rag,
    schedule_rag,
    validate_decision,
)
from planner.domain.metrics import MetricDef, PhaseSpan, Reading, StatusRule, metric_status

GATE = date(2024, 4, 9)
BEFORE = date(2024, 3, 1)  # 39 days before the gate
AFTER = date(2024, 4, 10)


def _metric(
    status: str | None,
    forecast_status: str | None = None,
    latest: float | None = 50.0,
    target: float | None = 60.0,
    forecast_value: float | None = None,
) -> GateFacts:
    fact = MetricFact(
        "active",
        "Active users",
        latest,
        target,
        status,  # type: ignore[arg-type]
        forecast_status,  # type: ignore[arg-type]
        forecast_value,
        "%",
    )
    return GateFacts(metrics={"active": fact})


# --------------------------------------------------------------------------- metric criterion


@pytest.mark.parametrize(
    ("facts", "today", "outcome", "reason"),
    [
        (
            _metric("green", latest=62.0),
            BEFORE,
            "met",
            "Active users is 62%, reaching the target of 60%",
        ),
        (
            _metric("green", latest=62.0),
            AFTER,
            "met",
            "Active users is 62%, reaching the target of 60%",
        ),
        (
            _metric("red", "green", forecast_value=63.0),
            BEFORE,
            "at_risk",
            "Active users is 50%, short of the target of 60%, but the forecast at the gate "
            "(63%) reaches it",
        ),
        (
            _metric("amber", "red", latest=56.0, forecast_value=52.0),
            BEFORE,
            "at_risk",
            "Active users is 56%, short of the target of 60% but within the amber band, "
            "39 days before the gate on 2024-04-09",
        ),
        (
            _metric("amber", None, latest=56.0),
            GATE,  # the gate day itself still counts as ahead
            "at_risk",
            "Active users is 56%, short of the target of 60% but within the amber band, "
            "and the gate is today",
        ),
        (
            _metric("amber", "green", latest=56.0),
            AFTER,
            "not_met",
            "Active users is 56%, short of the target of 60%; the gate on 2024-04-09 has passed",
        ),
        (
            _metric("red", "red", forecast_value=51.0),
            BEFORE,
            "not_met",
            "Active users is 50%, short of the target of 60% and the forecast at the gate "
            "(51%) falls short too",
        ),
        (
            _metric("red", None),
            BEFORE,
            "not_met",
            "Active users is 50%, short of the target of 60% and there are too few readings "
            "for a forecast",
        ),
        (
            _metric(None, latest=None),
            BEFORE,
            "not_met",
            "Active users has no reading yet (target 60%)",
        ),
        (
            _metric(None, target=None),
            BEFORE,
            "not_met",
            "Active users has no target for this phase",
        ),
    ],
)
def test_metric_criterion(facts: GateFacts, today: date, outcome: str, reason: str) -> None:
    (result,) = evaluate_gate([MetricCriterion("active")], facts, today, GATE).results
    assert (result.outcome, result.reason) == (outcome, reason)


def test_unknown_metric_is_not_met() -> None:
    (result,) = evaluate_gate([MetricCriterion("nps")], GateFacts(), BEFORE, GATE).results
    assert (result.outcome, result.reason) == ("not_met", 'unknown metric "nps"')


def test_metric_fact_bridges_metric_status() -> None:
    metric = MetricDef("active", "Active users", "%", "higher", 20.0, {1: 60.0}, True)
    phases = [PhaseSpan(1, date(2024, 1, 1), GATE)]
    # 30 on 01-01 and 44 on 01-29: slope 0.5 a day; to 04-09 is 99 days -> 30 + 49.5 = 79.5
    rs = [Reading(date(2024, 1, 1), 30.0), Reading(date(2024, 1, 29), 44.0)]
    fact = metric_fact(metric, metric_status(metric, rs, phases, BEFORE, StatusRule()))
    assert fact == MetricFact("active", "Active users", 44.0, 60.0, "red", "green", 79.5, "%")
    (result,) = evaluate_gate(
        [MetricCriterion("active")], GateFacts(metrics={"active": fact}), BEFORE, GATE
    ).results
    assert result.outcome == "at_risk"


# --------------------------------------------------------------------------- milestones

MILESTONES = {
    "kickoff": MilestoneFact("kickoff", "Kick-off", True, date(2024, 1, 5)),
    "pilot": MilestoneFact("pilot", "Pilot live", False, date(2024, 4, 1)),
    "on-gate": MilestoneFact("on-gate", "Training done", False, GATE),
    "late": MilestoneFact("late", "Data migrated", False, date(2024, 4, 12)),
    "unplanned": MilestoneFact("unplanned", "Reports", False, None),
    "unnamed": MilestoneFact("unnamed", "", True, None),
}


@pytest.mark.parametrize(
    ("keys", "today", "outcome", "reason"),
    [
        (("kickoff", "unnamed"), BEFORE, "met", "done: Kick-off, unnamed"),
        (("kickoff",), AFTER, "met", "done: Kick-off"),
        (
            ("kickoff", "pilot", "on-gate"),
            BEFORE,
            "at_risk",
            "not done yet, forecast by the gate on 2024-04-09: Pilot live (forecast "
            "2024-04-01), Training done (forecast 2024-04-09)",
        ),
        (
            # 2024-04-12 - 2024-04-09 = 3 days
            ("pilot", "late"),
            BEFORE,
            "not_met",
            "forecast after the gate on 2024-04-09: Data migrated (forecast 2024-04-12, "
            "3 days late)",
        ),
        (
            ("pilot",),
            AFTER,
            "not_met",
            "not done by the gate on 2024-04-09: Pilot live",
        ),
        (("unplanned",), BEFORE, "not_met", "not done and not scheduled: Reports"),
        (("kickoff", "ghost"), BEFORE, "not_met", 'unknown milestone "ghost"'),
        ((), BEFORE, "not_met", "no milestones are listed for this criterion"),
    ],
)
def test_milestones_criterion(
    keys: tuple[str, ...], today: date, outcome: str, reason: str
) -> None:
    facts = GateFacts(milestones=MILESTONES)
    (result,) = evaluate_gate([MilestonesCriterion(keys)], facts, today, GATE).results
    assert (result.outcome, result.reason) == (outcome, reason)


# --------------------------------------------------------------------------- risks


@pytest.mark.parametrize(
    ("risks", "max_band", "outcome", "reason"),
    [
        ((), "medium", "met", "0 open risks, none rated above medium"),
        ((OpenRisk("R-1", "medium"),), "medium", "met", "1 open risk, none rated above medium"),
        (
            (
                OpenRisk("R-1", "low"),
                OpenRisk("R-2", "high", "Data migration slips"),
                OpenRisk("R-3", "Critical"),
            ),
            "medium",
            "not_met",
            '2 open risks rated above medium: R-2 "Data migration slips" (high), R-3 (Critical)',
        ),
        (
            (OpenRisk("R-2", "critical"),),
            "HIGH",
            "not_met",
            "1 open risk rated above HIGH: R-2 (critical)",
        ),
        (
            (OpenRisk("R-4", "severe"),),
            "high",
            "not_met",
            '1 open risk rated above high: R-4 (unknown band "severe")',
        ),
        (
            (),
            "extreme",
            "not_met",
            'unknown band "extreme"; expected one of low, medium, high, critical',
        ),
    ],
)
def test_risk_criterion(
    risks: tuple[OpenRisk, ...], max_band: str, outcome: str, reason: str
) -> None:
    facts = GateFacts(open_risks=risks)
    (result,) = evaluate_gate([RiskCriterion(max_band)], facts, BEFORE, GATE).results
    assert (result.outcome, result.reason) == (outcome, reason)


def test_risk_criterion_uses_the_given_band_order() -> None:
    facts = GateFacts(open_risks=(OpenRisk("R-1", "amber"),), band_order=("green", "amber", "red"))
    (result,) = evaluate_gate([RiskCriterion("green")], facts, BEFORE, GATE).results
    assert result.outcome == "not_met"


# --------------------------------------------------------------------------- manual


@pytest.mark.parametrize(
    ("criterion", "outcome", "reason"),
    [
        (
            ManualCriterion("Sponsor sign-off", True, "minutes 2024-04-08"),
            "met",
            "Sponsor sign-off: confirmed (evidence: minutes 2024-04-08)",
        ),
        (
            ManualCriterion("Sponsor sign-off", True),
            "met",
            "Sponsor sign-off: confirmed (no evidence recorded)",
        ),
        (
            ManualCriterion("Sponsor sign-off", False, "sponsor asked for a second pilot"),
            "not_met",
            "Sponsor sign-off: recorded as not met (evidence: sponsor asked for a second pilot)",
        ),
        (ManualCriterion("Sponsor sign-off"), "at_risk", "Sponsor sign-off: pending"),
    ],
)
def test_manual_criterion(criterion: ManualCriterion, outcome: str, reason: str) -> None:
    (result,) = evaluate_gate([criterion], GateFacts(), BEFORE, GATE).results
    assert (result.outcome, result.reason) == (outcome, reason)


# --------------------------------------------------------------------------- overall

MET = ManualCriterion("a", True)
AT_RISK = ManualCriterion("b", None)
NOT_MET = ManualCriterion("c", False)


@pytest.mark.parametrize(
    ("criteria", "overall", "summary"),
    [
        ([MET, MET], "pass", "2 of 2 criteria met, 0 at risk, 0 not met"),
        ([MET, AT_RISK], "at_risk", "1 of 2 criteria met, 1 at risk, 0 not met"),
        ([MET, NOT_MET], "fail", "1 of 2 criteria met, 0 at risk, 1 not met"),
        ([AT_RISK, NOT_MET, MET], "fail", "1 of 3 criteria met, 1 at risk, 1 not met"),
        ([], "at_risk", "this gate has no criteria yet; add criteria before it can pass"),
    ],
)
def test_overall_result(criteria: list[Criterion], overall: str, summary: str) -> None:
    evaluation = evaluate_gate(criteria, GateFacts(), BEFORE, GATE)
    assert (evaluation.overall, evaluation.summary) == (overall, summary)
    assert [r.criterion for r in evaluation.results] == criteria


def test_a_full_gate() -> None:
    criteria: list[Criterion] = [
        MetricCriterion("active"),
        MilestonesCriterion(("kickoff", "pilot")),
        RiskCriterion("medium"),
        ManualCriterion("Sponsor sign-off", True, "email"),
    ]
    facts = GateFacts(
        metrics=_metric("green", latest=61.0).metrics,
        milestones=MILESTONES,
        open_risks=(OpenRisk("R-1", "low"),),
    )
    before = evaluate_gate(criteria, facts, BEFORE, GATE)
    assert [r.outcome for r in before.results] == ["met", "at_risk", "met", "met"]
    assert before.overall == "at_risk"
    after = evaluate_gate(criteria, facts, AFTER, GATE)  # the pilot is still not done
    assert [r.outcome for r in after.results] == ["met", "not_met", "met", "met"]
    assert after.overall == "fail"


@pytest.mark.parametrize(
    ("criterion", "text"),
    [
        (MetricCriterion("active"), "Active users reaches its phase target"),
        (MetricCriterion("nps"), "nps reaches its phase target"),
        (MilestonesCriterion(("kickoff", "ghost")), "milestones done: Kick-off, ghost"),
        (RiskCriterion("high"), "no open risk rated above high"),
        (ManualCriterion("Sponsor sign-off"), "Sponsor sign-off"),
    ],
)
def test_describe_criterion(criterion: Criterion, text: str) -> None:
    facts = GateFacts(metrics=_metric("green").metrics, milestones=MILESTONES)
    assert describe_criterion(criterion, facts) == text


# --------------------------------------------------------------------------- decisions

ON = date(2024, 4, 9)
CRITERIA: list[Criterion] = [MET, AT_RISK]


def _evaluation(criteria: list[Criterion]) -> GateEvaluation:
    return evaluate_gate(criteria, GateFacts(), ON, GATE)


def test_decision_on_a_gate_without_criteria_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        validate_decision(Decision("go", "Board", ON), [], _evaluation([]))
    assert str(info.value) == "this gate has no criteria; add criteria before recording a decision"


@pytest.mark.parametrize(
    ("decision", "criteria"),
    [
        (Decision("go", "Board", ON), [MET]),  # all met: no justification needed
        (Decision("go", "Board", ON, justification="pilot users already at 58%"), CRITERIA),
        (
            Decision("conditional_go", "Board", ON, conditions="sign-off by May", due=ON),
            CRITERIA,
        ),
        (Decision("no_go", "Board", ON, replan="extend phase 1 by four weeks"), [MET]),
    ],
)
def test_decision_accepted(decision: Decision, criteria: list[Criterion]) -> None:
    validate_decision(decision, criteria, _evaluation(criteria))


@pytest.mark.parametrize(
    ("decision", "errors"),
    [
        (
            Decision("go", "Board", ON),
            [
                (
                    "justification",
                    "a go while 1 criterion is not met needs a written justification (not met: b)",
                )
            ],
        ),
        (
            Decision("go", "Board", ON, justification="   "),
            [
                (
                    "justification",
                    "a go while 1 criterion is not met needs a written justification (not met: b)",
                )
            ],
        ),
        (
            Decision("conditional_go", "Board", ON),
            [
                ("conditions", "a conditional go needs its conditions"),
                ("due", "a conditional go needs a due date for its conditions"),
            ],
        ),
        (
            Decision("conditional_go", "Board", ON, conditions="x", due=date(2024, 4, 8)),
            [("due", "the due date 2024-04-08 is before the decision (2024-04-09)")],
        ),
        (
            Decision("no_go", "Board", ON),
            [("replan", "a no-go needs a replan note: what happens next")],
        ),
        (
            Decision("no_go", " ", ON, replan="later"),
            [("decided_by", "say who decided")],
        ),
        (
            Decision("maybe", "Board", ON),  # type: ignore[arg-type]
            [("kind", 'expected go, conditional_go or no_go, got "maybe"')],
        ),
    ],
)
def test_decision_refused(decision: Decision, errors: list[tuple[str, str]]) -> None:
    with pytest.raises(ValidationError) as info:
        validate_decision(decision, CRITERIA, _evaluation(CRITERIA))
    assert info.value.errors == errors


def test_go_justification_names_every_unmet_criterion() -> None:
    criteria: list[Criterion] = [MET, AT_RISK, NOT_MET]
    with pytest.raises(ValidationError) as info:
        validate_decision(Decision("go", "Board", ON), criteria, _evaluation(criteria))
    assert info.value.errors == [
        (
            "justification",
            "a go while 2 criteria are not met needs a written justification (not met: b; c)",
        )
    ]


# --------------------------------------------------------------------------- roll-ups


@pytest.mark.parametrize(
    ("rags", "expected"),
    [
        (("green", "green", "green"), "green"),
        (("green", "amber", "green"), "amber"),
        (("amber", "green", "red"), "red"),
        (("red", "amber", "amber"), "red"),
    ],
)
def test_rag_rollup_is_the_worst(rags: tuple[str, str, str], expected: str) -> None:
    parts = [RagResult(r, f"why {i}") for i, r in enumerate(rags)]  # type: ignore[arg-type]
    rag, reasons = rag_rollup(*parts)
    assert rag == expected
    assert reasons == (
        f"schedule: {rags[0]}, why 0",
        f"metrics: {rags[1]}, why 1",
        f"risks: {rags[2]}, why 2",
    )


@pytest.mark.parametrize(
    ("slips", "overrun", "tolerance", "rag", "reason"),
    [
        ({}, 0, 5, "green", "no milestone slips and the phase fits its window"),
        ({"Pilot live": 0, "Kick-off": -2}, -3, 5, "green", None),  # early is not a slip
        ({"Pilot live": 3}, 0, 5, "amber", "Pilot live 3 days late (tolerance 5 days)"),
        ({"Pilot live": 5}, 0, 5, "amber", None),  # at the tolerance: still amber
        ({"Pilot live": 6}, 0, 5, "red", None),
        ({}, 1, 5, "amber", "the phase overruns its window by 1 day (tolerance 5 days)"),
        ({}, 6, 5, "red", None),
        ({"Pilot live": 1}, 0, 0, "red", None),  # tolerance 0: any slip is red
        (
            {"A": 2, "B": 9},
            4,
            5,
            "red",
            "B 9 days late; A 2 days late; the phase overruns its window by 4 days "
            "(tolerance 5 days)",
        ),
    ],
)
def test_schedule_rag(
    slips: dict[str, int], overrun: int, tolerance: int, rag: str, reason: str | None
) -> None:
    result = schedule_rag(slips, overrun, tolerance)
    assert result.rag == rag
    if reason is not None:
        assert result.reason == reason


def test_schedule_rag_refuses_negative_tolerance() -> None:
    with pytest.raises(ValidationError):
        schedule_rag({}, 0, -1)


@pytest.mark.parametrize(
    ("bands", "kwargs", "rag", "reason"),
    [
        ([], {}, "green", "no open risk rated high or above"),
        (["low", "medium", "medium"], {}, "green", "no open risk rated high or above"),
        (["low", "high"], {}, "amber", "1 open risk rated high"),
        (
            ["high", "critical", "high"],
            {},
            "red",
            "1 open risk rated critical, 2 open risks rated high",
        ),
        (["extreme"], {}, "red", "1 open risk rated extreme"),  # unknown band counts as red
        (["medium"], {"amber_from": "medium", "red_from": "high"}, "amber", None),
        (["high"], {"amber_from": "medium", "red_from": "high"}, "red", None),
    ],
)
def test_risks_rag(bands: list[str], kwargs: dict[str, str], rag: str, reason: str | None) -> None:
    result = risks_rag(bands, **kwargs)
    assert result.rag == rag
    if reason is not None:
        assert result.reason == reason


def test_risks_rag_refuses_an_unknown_threshold() -> None:
    with pytest.raises(ValidationError, match='amber_from: unknown band "severe"'):
        risks_rag([], amber_from="severe")


@pytest.mark.parametrize(
    ("statuses", "rag", "reason"),
    [
        ({"Active users": "green", "Junk orders": "green"}, "green", "all 2 metrics on target"),
        (
            {"Active users": "green", "Junk orders": "amber"},
            "amber",
            "amber: Junk orders",
        ),
        ({"Active users": None}, "amber", "no status yet: Active users"),
        (
            {"Active users": "amber", "Junk orders": "red", "Logins": None},
            "red",
            "red: Junk orders; amber: Active users; no status yet: Logins",
        ),
        ({}, "amber", "no metrics are tracked, so nothing shows adoption"),
    ],
)
def test_metrics_rag(statuses: dict[str, str | None], rag: str, reason: str) -> None:
    assert metrics_rag(statuses) == RagResult(rag, reason)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([], 0.0),
        ([(10, 100), (30, 50)], 62.5),  # (10x100 + 30x50) / 40 = 2500 / 40
        ([(10, 100), (30, 50), (0, 100)], 62.5),  # a milestone carries no weight
        ([(0, 100), (0, 0)], 50.0),  # only milestones: plain average
        ([(5, 0), (5, 0)], 0.0),
        ([(1, 100), (3, 100)], 100.0),
    ],
)
def test_phase_progress(items: list[tuple[float, float]], expected: float) -> None:
    assert phase_progress(items) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("items", "path"),
    [([(-1, 50)], "items[0].duration"), ([(5, 50), (5, 101)], "items[1].percent")],
)
def test_phase_progress_refuses_bad_items(items: list[tuple[float, float]], path: str) -> None:
    with pytest.raises(ValidationError) as info:
        phase_progress(items)
    assert [p for p, _ in info.value.errors] == [path]
