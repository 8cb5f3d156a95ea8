"""Phase gates: criterion outcomes, overall result, decision rules and RAG roll-ups."""

from __future__ import annotations

from datetime import date

import pytest

from planner.domain.errors import ValidationError
from planner.domain.explain import Days, Explanation, Quantity, Quoted, Reason, Term, codes
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
        status,
        forecast_status,
        forecast_value,
        "%",
    )
    return GateFacts(metrics={"active": fact})


# --------------------------------------------------------------------------- metric criterion


PCT = "%"


def _q(value: float) -> Quantity:
    return Quantity(value, PCT)


def _seen(latest: float) -> dict[str, object]:
    """The parameters every judged metric reason carries."""
    return {"name": "Active users", "latest": _q(latest), "target": _q(60.0)}


@pytest.mark.parametrize(
    ("facts", "today", "outcome", "reason"),
    [
        (
            _metric("green", latest=62.0),
            BEFORE,
            "met",
            Explanation("gate.metric.reached", _seen(62.0)),
        ),
        (
            _metric("green", latest=62.0),
            AFTER,
            "met",
            Explanation("gate.metric.reached", _seen(62.0)),
        ),
        (
            _metric("red", "green", forecast_value=63.0),
            BEFORE,
            "at_risk",
            Explanation(
                "gate.metric.short_forecast_reaches", {**_seen(50.0), "forecast": _q(63.0)}
            ),
        ),
        (
            _metric("red", "green"),  # a green forecast without its value
            BEFORE,
            "at_risk",
            Explanation("gate.metric.short_forecast_reaches_no_value", _seen(50.0)),
        ),
        (
            _metric("amber", "red", latest=56.0, forecast_value=52.0),
            BEFORE,
            "at_risk",
            Explanation(
                "gate.metric.amber_before_gate", {**_seen(56.0), "days": Days(39), "gate": GATE}
            ),
        ),
        (
            _metric("amber", None, latest=56.0),
            GATE,  # the gate day itself still counts as ahead
            "at_risk",
            Explanation("gate.metric.amber_gate_today", _seen(56.0)),
        ),
        (
            _metric("amber", "green", latest=56.0),
            AFTER,
            "not_met",
            Explanation("gate.metric.short_gate_passed", {**_seen(56.0), "gate": GATE}),
        ),
        (
            _metric("red", "red", forecast_value=51.0),
            BEFORE,
            "not_met",
            Explanation("gate.metric.short_forecast_short", {**_seen(50.0), "forecast": _q(51.0)}),
        ),
        (
            _metric("red", None),
            BEFORE,
            "not_met",
            Explanation("gate.metric.short_no_forecast", _seen(50.0)),
        ),
        (
            _metric(None, latest=None),
            BEFORE,
            "at_risk",
            Explanation("gate.metric.no_reading_yet", {"name": "Active users", "target": _q(60.0)}),
        ),
        (
            _metric(None, latest=None),
            GATE,
            "not_met",
            Explanation("gate.metric.no_reading", {"name": "Active users", "target": _q(60.0)}),
        ),
        (
            _metric(None, target=None),
            BEFORE,
            "not_met",
            Explanation("gate.metric.no_target", {"name": "Active users"}),
        ),
    ],
)
def test_metric_criterion(facts: GateFacts, today: date, outcome: str, reason: Explanation) -> None:
    (result,) = evaluate_gate([MetricCriterion("active")], facts, today, GATE).results
    assert (result.outcome, result.reason) == (outcome, reason)


def test_unknown_metric_is_not_met() -> None:
    (result,) = evaluate_gate([MetricCriterion("nps")], GateFacts(), BEFORE, GATE).results
    assert (result.outcome, result.reason) == (
        "not_met",
        Explanation("gate.metric.unknown", {"key": Quoted("nps")}),
    )


def test_metric_fact_bridges_metric_status() -> None:
    metric = MetricDef("active", "Active users", "%", "higher", 20.0, {1: 60.0}, True)
    phases = [PhaseSpan(1, date(2024, 1, 1), GATE)]
    # 30, 37, 44 two weeks apart: slope 0.5 a day; to 04-09 is 99 days -> 30 + 49.5 = 79.5.
    # The path on 01-29 (day 28 of 99): 20 + 40 x 28/99 = 31.31, so 44 is green against it
    # and red against the gate's 60 (amber from 54)
    rs = [
        Reading(date(2024, 1, 1), 30.0),
        Reading(date(2024, 1, 15), 37.0),
        Reading(date(2024, 1, 29), 44.0),
    ]
    fact = metric_fact(metric, metric_status(metric, rs, phases, BEFORE, StatusRule()))
    assert fact == MetricFact(
        "active",
        "Active users",
        44.0,
        60.0,
        "green",
        "green",
        pytest.approx(79.5),
        "%",
        target_status="red",
        path_value=pytest.approx(20 + 40 * 28 / 99),
    )
    (result,) = evaluate_gate(
        [MetricCriterion("active")], GateFacts(metrics={"active": fact}), BEFORE, GATE
    ).results
    assert result.outcome == "on_track"
    assert result.reason.code == "gate.metric.on_path"


def _path_fact(
    status: str | None,
    forecast_status: str | None = None,
    forecast_value: float | None = None,
    started: bool = True,
) -> GateFacts:
    fact = MetricFact(
        "active",
        "Active users",
        40.0 if started else None,
        60.0,
        status,
        forecast_status,
        forecast_value,
        "%",
        target_status="red" if started else None,
        path_value=42.0 if started else None,
        started=started,
    )
    return GateFacts(metrics={"active": fact})


def _on_path(**more: object) -> dict[str, object]:
    return {**_seen(40.0), "path": _q(42.0), **more}


@pytest.mark.parametrize(
    ("facts", "today", "outcome", "reason"),
    [
        (
            _path_fact(None, started=False),
            BEFORE,
            "on_track",
            Explanation(
                "gate.metric.phase_not_started", {"name": "Active users", "target": _q(60.0)}
            ),
        ),
        (_path_fact("green"), BEFORE, "on_track", Explanation("gate.metric.on_path", _on_path())),
        (_path_fact("amber"), BEFORE, "at_risk", Explanation("gate.metric.near_path", _on_path())),
        (
            _path_fact("red", "green", 61.0),
            BEFORE,
            "at_risk",
            Explanation("gate.metric.behind_path_forecast_reaches", _on_path(forecast=_q(61.0))),
        ),
        (
            _path_fact("red", "red", 45.0),
            BEFORE,
            "not_met",
            Explanation("gate.metric.behind_path_forecast_short", _on_path(forecast=_q(45.0))),
        ),
        (_path_fact("red"), BEFORE, "not_met", Explanation("gate.metric.behind_path", _on_path())),
        (
            # on the gate day the path is the target: judged as before glide paths
            _path_fact("green", "red", 45.0),
            GATE,
            "not_met",
            Explanation("gate.metric.short_forecast_short", {**_seen(40.0), "forecast": _q(45.0)}),
        ),
    ],
)
def test_metric_criterion_against_the_glide_path(
    facts: GateFacts, today: date, outcome: str, reason: Explanation
) -> None:
    (result,) = evaluate_gate([MetricCriterion("active")], facts, today, GATE).results
    assert (result.outcome, result.reason) == (outcome, reason)


# --------------------------------------------------------------------------- milestones

MILESTONES = {
    "kickoff": MilestoneFact("kickoff", "Kick-off", True, date(2024, 1, 5)),
    "pilot": MilestoneFact("pilot", "Pilot live", False, date(2024, 4, 1)),
    "on-gate": MilestoneFact("on-gate", "Training done", False, GATE),
    "late": MilestoneFact("late", "Data migrated", False, date(2024, 4, 12)),
    "unplanned": MilestoneFact("unplanned", "Reports", False, None),
    "unnamed": MilestoneFact("unnamed", "", True, None),
}


def _forecast(name: str, day: date, late: int | None = None) -> Explanation:
    if late is None:
        return Explanation("milestone.forecast", {"name": name, "forecast": day})
    return Explanation(
        "milestone.forecast_late", {"name": name, "forecast": day, "days": Days(late)}
    )


@pytest.mark.parametrize(
    ("keys", "today", "outcome", "reason"),
    [
        (
            ("kickoff", "unnamed"),
            BEFORE,
            "met",
            Explanation("gate.milestones.done", {"names": ("Kick-off", "unnamed")}),
        ),
        (("kickoff",), AFTER, "met", Explanation("gate.milestones.done", {"names": ("Kick-off",)})),
        (
            # before the gate, forecast on time: on track
            ("kickoff", "pilot", "on-gate"),
            BEFORE,
            "on_track",
            Explanation(
                "gate.milestones.pending",
                {
                    "gate": GATE,
                    "items": (
                        _forecast("Pilot live", date(2024, 4, 1)),
                        _forecast("Training done", GATE),
                    ),
                },
            ),
        ),
        (
            # on the gate day, still not done: at risk
            ("on-gate",),
            GATE,
            "at_risk",
            Explanation(
                "gate.milestones.pending",
                {"gate": GATE, "items": (_forecast("Training done", GATE),)},
            ),
        ),
        (
            # 2024-04-12 - 2024-04-09 = 3 days
            ("pilot", "late"),
            BEFORE,
            "not_met",
            Explanation(
                "gate.milestones.late",
                {"gate": GATE, "items": (_forecast("Data migrated", date(2024, 4, 12), 3),)},
            ),
        ),
        (
            ("pilot",),
            AFTER,
            "not_met",
            Explanation(
                "gate.milestones.not_done_by_gate", {"gate": GATE, "names": ("Pilot live",)}
            ),
        ),
        (
            ("unplanned",),
            BEFORE,
            "not_met",
            Explanation("gate.milestones.unscheduled", {"names": ("Reports",)}),
        ),
        (
            ("kickoff", "ghost"),
            BEFORE,
            "not_met",
            Explanation("gate.milestones.unknown", {"keys": (Quoted("ghost"),)}),
        ),
        ((), BEFORE, "not_met", Explanation("gate.milestones.none_listed")),
    ],
)
def test_milestones_criterion(
    keys: tuple[str, ...], today: date, outcome: str, reason: Explanation
) -> None:
    facts = GateFacts(milestones=MILESTONES)
    (result,) = evaluate_gate([MilestonesCriterion(keys)], facts, today, GATE).results
    assert (result.outcome, result.reason) == (outcome, reason)


def test_every_milestone_problem_is_its_own_clause() -> None:
    facts = GateFacts(milestones=MILESTONES)
    criterion = MilestonesCriterion(("ghost", "late", "unplanned", "kickoff"))
    (result,) = evaluate_gate([criterion], facts, BEFORE, GATE).results
    assert result.outcome == "not_met"
    assert codes(result.reason) == (
        "gate.milestones.unknown",
        "gate.milestones.late",
        "gate.milestones.unscheduled",
    )


# --------------------------------------------------------------------------- risks


def _band(name: str) -> Term:
    return Term("band", name)


@pytest.mark.parametrize(
    ("risks", "max_band", "outcome", "reason"),
    [
        (
            (),
            "medium",
            "met",
            Explanation("gate.risk.none_above", {"count": 0, "band": _band("medium")}),
        ),
        (
            (OpenRisk("R-1", "medium"),),
            "medium",
            "met",
            Explanation("gate.risk.none_above", {"count": 1, "band": _band("medium")}),
        ),
        (
            (
                OpenRisk("R-1", "low"),
                OpenRisk("R-2", "high", "Data migration slips"),
                OpenRisk("R-3", "Critical"),
            ),
            "medium",
            "not_met",
            Explanation(
                "gate.risk.above",
                {
                    "count": 2,
                    "band": _band("medium"),
                    "risks": (
                        Explanation(
                            "risk.rated",
                            {"key": "R-2", "title": "Data migration slips", "band": _band("high")},
                        ),
                        Explanation(
                            "risk.rated", {"key": "R-3", "title": "", "band": _band("Critical")}
                        ),
                    ),
                },
            ),
        ),
        (
            (OpenRisk("R-2", "critical"),),
            "HIGH",
            "not_met",
            Explanation(
                "gate.risk.above",
                {
                    "count": 1,
                    "band": _band("HIGH"),
                    "risks": (
                        Explanation(
                            "risk.rated", {"key": "R-2", "title": "", "band": _band("critical")}
                        ),
                    ),
                },
            ),
        ),
        (
            (OpenRisk("R-4", "severe"),),
            "high",
            "not_met",
            Explanation(
                "gate.risk.above",
                {
                    "count": 1,
                    "band": _band("high"),
                    "risks": (
                        Explanation(
                            "risk.unknown_band",
                            {"key": "R-4", "title": "", "band": Quoted("severe")},
                        ),
                    ),
                },
            ),
        ),
        (
            (),
            "extreme",
            "not_met",
            Explanation(
                "gate.risk.unknown_band",
                {
                    "band": Quoted("extreme"),
                    "known": tuple(_band(b) for b in ("low", "medium", "high", "critical")),
                },
            ),
        ),
    ],
)
def test_risk_criterion(
    risks: tuple[OpenRisk, ...], max_band: str, outcome: str, reason: Explanation
) -> None:
    facts = GateFacts(open_risks=risks)
    (result,) = evaluate_gate([RiskCriterion(max_band)], facts, GATE, GATE).results
    assert (result.outcome, result.reason) == (outcome, reason)


def test_risks_above_the_ceiling_before_the_gate_are_at_risk_not_off_track() -> None:
    facts = GateFacts(open_risks=(OpenRisk("R-1", "high"),))
    (before,) = evaluate_gate([RiskCriterion("medium")], facts, BEFORE, GATE).results
    (on_the_day,) = evaluate_gate([RiskCriterion("medium")], facts, GATE, GATE).results
    assert (before.outcome, on_the_day.outcome) == ("at_risk", "not_met")
    assert before.reason == on_the_day.reason


def test_risk_criterion_uses_the_given_band_order() -> None:
    facts = GateFacts(open_risks=(OpenRisk("R-1", "amber"),), band_order=("green", "amber", "red"))
    (result,) = evaluate_gate([RiskCriterion("green")], facts, GATE, GATE).results
    assert result.outcome == "not_met"


# --------------------------------------------------------------------------- manual


SIGN_OFF = "Sponsor sign-off"


@pytest.mark.parametrize(
    ("criterion", "outcome", "reason"),
    [
        (
            ManualCriterion(SIGN_OFF, True, "minutes 2024-04-08"),
            "met",
            Explanation(
                "gate.manual.confirmed", {"text": SIGN_OFF, "evidence": "minutes 2024-04-08"}
            ),
        ),
        (
            ManualCriterion(SIGN_OFF, True),
            "met",
            Explanation("gate.manual.confirmed", {"text": SIGN_OFF, "evidence": ""}),
        ),
        (
            ManualCriterion(SIGN_OFF, True, "  "),  # blank evidence is no evidence
            "met",
            Explanation("gate.manual.confirmed", {"text": SIGN_OFF, "evidence": ""}),
        ),
        (
            ManualCriterion(SIGN_OFF, False, "sponsor asked for a second pilot"),
            "not_met",
            Explanation(
                "gate.manual.not_met",
                {"text": SIGN_OFF, "evidence": "sponsor asked for a second pilot"},
            ),
        ),
        (
            ManualCriterion(SIGN_OFF),
            "on_track",  # before the gate day: it is signed at the gate
            Explanation("gate.manual.pending", {"text": SIGN_OFF}),
        ),
    ],
)
def test_manual_criterion(criterion: ManualCriterion, outcome: str, reason: Explanation) -> None:
    (result,) = evaluate_gate([criterion], GateFacts(), BEFORE, GATE).results
    assert (result.outcome, result.reason) == (outcome, reason)


def test_a_pending_sign_off_is_at_risk_on_the_gate_day() -> None:
    (result,) = evaluate_gate([ManualCriterion(SIGN_OFF)], GateFacts(), GATE, GATE).results
    assert result.outcome == "at_risk"


# --------------------------------------------------------------------------- overall

MET = ManualCriterion("a", True)
AT_RISK = ManualCriterion("b", None)
NOT_MET = ManualCriterion("c", False)


def _summary(met: int, total: int, at_risk: int, not_met: int) -> Explanation:
    counts = {"met": met, "total": total, "at_risk": at_risk, "not_met": not_met}
    return Explanation("gate.summary", counts)


@pytest.mark.parametrize(
    ("criteria", "overall", "summary"),
    [
        ([MET, MET], "pass", _summary(2, 2, 0, 0)),
        ([MET, AT_RISK], "at_risk", _summary(1, 2, 1, 0)),
        ([MET, NOT_MET], "fail", _summary(1, 2, 0, 1)),
        ([AT_RISK, NOT_MET, MET], "fail", _summary(1, 3, 1, 1)),
        ([], "at_risk", Explanation("gate.no_criteria")),
    ],
)
def test_overall_result(criteria: list[Criterion], overall: str, summary: Explanation) -> None:
    evaluation = evaluate_gate(criteria, GateFacts(), GATE, GATE)
    assert (evaluation.overall, evaluation.summary) == (overall, summary)
    assert evaluation.verdict == overall  # on the gate day the verdict is the result
    assert [r.criterion for r in evaluation.results] == criteria


def _outlook(met: int, total: int, on_track: int, at_risk: int, off_track: int) -> Explanation:
    counts = {
        "met": met,
        "total": total,
        "on_track": on_track,
        "at_risk": at_risk,
        "off_track": off_track,
    }
    return Explanation("gate.outlook_summary", counts)


@pytest.mark.parametrize(
    ("criteria", "verdict", "summary"),
    [
        ([MET, MET], "on_track", _outlook(2, 2, 0, 0, 0)),
        ([MET, AT_RISK], "on_track", _outlook(1, 2, 1, 0, 0)),  # a sign-off still to come
        ([MET, NOT_MET], "off_track", _outlook(1, 2, 0, 0, 1)),
        ([AT_RISK, NOT_MET, MET], "off_track", _outlook(1, 3, 1, 0, 1)),
        ([], "at_risk", Explanation("gate.no_criteria")),
    ],
)
def test_before_the_gate_an_outlook_never_fail(
    criteria: list[Criterion], verdict: str, summary: Explanation
) -> None:
    evaluation = evaluate_gate(criteria, GateFacts(), BEFORE, GATE)
    assert (evaluation.verdict, evaluation.summary) == (verdict, summary)
    assert evaluation.verdict != "fail"


def test_fail_from_the_gate_date_on() -> None:
    for today, verdict in ((BEFORE, "off_track"), (GATE, "fail"), (AFTER, "fail")):
        evaluation = evaluate_gate([NOT_MET], GateFacts(), today, GATE)
        assert (evaluation.verdict, evaluation.is_outlook) == (verdict, today < GATE)


def test_a_gate_without_criteria_is_an_outlook_before_its_date_too() -> None:
    assert evaluate_gate([], GateFacts(), BEFORE, GATE).is_outlook
    assert not evaluate_gate([], GateFacts(), GATE, GATE).is_outlook


def test_an_at_risk_criterion_makes_the_outlook_at_risk() -> None:
    facts = _path_fact("amber")
    evaluation = evaluate_gate([MetricCriterion("active"), MET], facts, BEFORE, GATE)
    assert evaluation.verdict == "at_risk"
    assert evaluation.summary == _outlook(1, 2, 0, 1, 0)


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
    assert [r.outcome for r in before.results] == ["met", "on_track", "met", "met"]
    assert (before.overall, before.verdict) == ("at_risk", "on_track")
    after = evaluate_gate(criteria, facts, AFTER, GATE)  # the pilot is still not done
    assert [r.outcome for r in after.results] == ["met", "not_met", "met", "met"]
    assert (after.overall, after.verdict) == ("fail", "fail")


@pytest.mark.parametrize(
    ("criterion", "text"),
    [
        (MetricCriterion("active"), Explanation("criterion.metric", {"name": "Active users"})),
        (MetricCriterion("nps"), Explanation("criterion.metric", {"name": "nps"})),
        (
            MilestonesCriterion(("kickoff", "ghost")),
            Explanation("criterion.milestones", {"names": ("Kick-off", "ghost")}),
        ),
        (RiskCriterion("high"), Explanation("criterion.risk", {"band": _band("high")})),
        (ManualCriterion(SIGN_OFF), Explanation("criterion.manual", {"text": SIGN_OFF})),
    ],
)
def test_describe_criterion(criterion: Criterion, text: Explanation) -> None:
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
            [("due", "the due date Apr 8, 2024 is before the decision (Apr 9, 2024)")],
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
            Decision("maybe", "Board", ON),
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
    whys = [Explanation(f"why.{i}") for i in range(3)]
    parts = [RagResult(r, why) for r, why in zip(rags, whys, strict=True)]
    rag, reasons = rag_rollup(*parts)
    assert rag == expected
    assert reasons == tuple(
        Explanation("rag.area", {"area": Term("area", area), "rag": Term("rag", r), "reason": why})
        for area, r, why in zip(("schedule", "metrics", "risks"), rags, whys, strict=True)
    )


def test_rag_rollup_keeps_a_compound_reason_whole() -> None:
    clauses_ = (Explanation("metrics.red", {"names": ("A",)}), Explanation("metrics.no_status"))
    green = RagResult("green", Explanation("schedule.on_time"))
    _rag, reasons = rag_rollup(green, RagResult("red", clauses_), green)
    assert reasons[1].params["reason"] == Explanation("clauses", {"clauses": clauses_})


def _late(name: str, days: int) -> Explanation:
    return Explanation("schedule.milestone_late", {"name": name, "days": Days(days)})


def _overrun(days: int) -> Explanation:
    return Explanation("schedule.overrun", {"days": Days(days)})


def _schedule(problems: Explanation, tolerance: int = 5) -> Explanation:
    return Explanation("schedule.late", {"problems": problems, "tolerance": Days(tolerance)})


@pytest.mark.parametrize(
    ("slips", "overrun", "tolerance", "rag", "reason"),
    [
        ({}, 0, 5, "green", Explanation("schedule.on_time")),
        ({"Pilot live": 0, "Kick-off": -2}, -3, 5, "green", None),  # early is not a slip
        ({"Pilot live": 3}, 0, 5, "amber", _schedule(_late("Pilot live", 3))),
        ({"Pilot live": 5}, 0, 5, "amber", None),  # at the tolerance: still amber
        ({"Pilot live": 6}, 0, 5, "red", None),
        ({}, 1, 5, "amber", _schedule(_overrun(1))),
        ({}, 6, 5, "red", None),
        ({"Pilot live": 1}, 0, 0, "red", None),  # tolerance 0: any slip is red
        (
            {"A": 2, "B": 9},
            4,
            5,
            "red",
            _schedule(
                Explanation("clauses", {"clauses": (_late("B", 9), _late("A", 2), _overrun(4))})
            ),
        ),
    ],
)
def test_schedule_rag(
    slips: dict[str, int], overrun: int, tolerance: int, rag: str, reason: Explanation | None
) -> None:
    result = schedule_rag(slips, overrun, tolerance)
    assert result.rag == rag
    if reason is not None:
        assert result.reason == reason


def test_schedule_rag_refuses_negative_tolerance() -> None:
    with pytest.raises(ValidationError) as caught:
        schedule_rag({}, 0, -1)
    assert [(p.field, p.code) for p in caught.value.problems] == [("tolerance", "field.at_least")]


def _rated(*groups: tuple[int, str]) -> Explanation:
    return Explanation(
        "risks.rated",
        {
            "groups": tuple(
                Explanation("risks.rated_band", {"count": n, "band": _band(b)}) for n, b in groups
            )
        },
    )


@pytest.mark.parametrize(
    ("bands", "kwargs", "rag", "reason"),
    [
        ([], {}, "green", Explanation("risks.none_from", {"band": _band("high")})),
        (
            ["low", "medium", "medium"],
            {},
            "green",
            Explanation("risks.none_from", {"band": _band("high")}),
        ),
        (["low", "high"], {}, "amber", _rated((1, "high"))),
        (["high", "critical", "high"], {}, "red", _rated((1, "critical"), (2, "high"))),
        (["extreme"], {}, "red", _rated((1, "extreme"))),  # unknown band counts as red
        (["medium"], {"amber_from": "medium", "red_from": "high"}, "amber", None),
        (["high"], {"amber_from": "medium", "red_from": "high"}, "red", None),
    ],
)
def test_risks_rag(
    bands: list[str], kwargs: dict[str, str], rag: str, reason: Explanation | None
) -> None:
    result = risks_rag(bands, **kwargs)
    assert result.rag == rag
    if reason is not None:
        assert result.reason == reason


def test_risks_rag_refuses_an_unknown_threshold() -> None:
    with pytest.raises(ValidationError) as caught:
        risks_rag([], amber_from="severe")
    ((problem,),) = [caught.value.problems]
    assert (problem.field, problem.code, problem.params["value"]) == (
        "amber_from",
        "gate.criterion.band",
        "severe",
    )


def _names(code: str, *names: str) -> Explanation:
    return Explanation(code, {"names": names})


@pytest.mark.parametrize(
    ("statuses", "rag", "reason"),
    [
        (
            {"Active users": "green", "Junk orders": "green"},
            "green",
            Explanation("metrics.all_on_target", {"count": 2}),
        ),
        (
            {"Active users": "green", "Junk orders": "amber"},
            "amber",
            _names("metrics.amber", "Junk orders"),
        ),
        ({"Active users": None}, "amber", _names("metrics.no_status", "Active users")),
        (
            {"Active users": "amber", "Junk orders": "red", "Logins": None},
            "red",
            (
                _names("metrics.red", "Junk orders"),
                _names("metrics.amber", "Active users"),
                _names("metrics.no_status", "Logins"),
            ),
        ),
        ({}, "amber", Explanation("metrics.none_tracked")),
    ],
)
def test_metrics_rag(statuses: dict[str, str | None], rag: str, reason: Reason) -> None:
    assert metrics_rag(statuses) == RagResult(rag, reason)


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
    assert [p.field for p in info.value.problems] == [path]
