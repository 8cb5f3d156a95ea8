"""Phase gates: exit criteria evaluated on evidence, decisions, and RAG roll-ups.

Every function is pure: the service gathers the facts (metric statuses, milestones, open
risks) and this module judges them. Reasons and summaries are explanations
(:mod:`planner.domain.explain`: codes and parameters); ``planner.explain_text`` words them in
the reader's language.

Two moments: **before the gate** (``today < gate_date``) the gate has an *outlook*; **on
or after the gate date** it has a *result*. "Fail" exists only as a result.

Criterion outcomes: *met* (proven now), *on track* (not yet proven, and the evidence says it
will be; only before the gate), *at risk*, *not met*.

- **metric** reaches its phase target: *met* when the latest reading reaches the gate
  target. Before the gate: *on track* when its phase has not started yet (nothing is due)
  or the latest reading is green against the glide path on its date; *at risk* when there
  is no reading yet, the reading is amber against the path, or it is red against the path
  but the forecast at the gate reaches the target; *not met* (off track) when it is red
  against the path and the forecast does not reach the target (or there is not enough data
  for one). On the gate day: *at risk* when amber against the target or the forecast
  reaches it, else *not met*. After the gate: *not met* unless reached. No target, an
  unknown metric, or no reading on or after the gate day: *not met*.
- **milestones** done: *met* when every listed milestone is done; *not met* when one is
  unknown, not done after the gate date, forecast to finish after the gate date, or not
  scheduled at all; else (the rest forecast on or before the gate) *on track* before the
  gate day, *at risk* on it. An empty list is *not met* (nothing to prove).
- **risk**: when any open risk's band (by residual score) ranks above ``max_band``, or has
  a band the order does not know: *at risk* before the gate (there is time to bring it
  down), *not met* on or after the gate date; *met* otherwise.
- **benefits** (the benefit review, a manual criterion whose source is the benefits case):
  judged from the benefits case by :func:`planner.domain.benefit_review.benefits_outcome`.
- **manual**: ``met`` True → *met*, False → *not met*, None (pending) → *on track* before
  the gate day (it is confirmed at the gate), *at risk* on or after it.

``evaluate_gate`` also gives the **verdict** through ``gate_verdict``, the one rule every
page, the API and the steering pack show: before the gate *off track* when any criterion
is not met, else *at risk* when any is at risk, else *on track*; on or after the gate date
*fail* when any is not met, else *pass* when all are met, else *at risk*. A gate with no
criteria is *at risk* (nothing proves it) and no decision can be recorded on it.

``overall`` (pass / at risk / fail, ignoring the date) is what a decision records.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Final, Literal

from planner.domain.benefit_review import BenefitsCriterion, BenefitsFact, benefits_outcome
from planner.domain.errors import Problem, ValidationError
from planner.domain.explain import (
    CLAUSES,
    Days,
    Explanation,
    Quantity,
    Quoted,
    Reason,
    Term,
    as_one,
)
from planner.domain.metrics import MetricDef, MetricStatus, Rag

Outcome = Literal["met", "on_track", "at_risk", "not_met"]
Overall = Literal["pass", "at_risk", "fail"]
#: What a gate shows: an outlook before its date, a result on or after it.
Verdict = Literal["on_track", "at_risk", "off_track", "pass", "fail"]
DecisionKind = Literal["go", "conditional_go", "no_go"]

#: Rating bands lowest first (the names risk.py uses by default).
DEFAULT_BAND_ORDER: Final[tuple[str, ...]] = ("low", "medium", "high", "critical")

_RAG_RANK: Final[dict[str, int]] = {"green": 0, "amber": 1, "red": 2}


# --------------------------------------------------------------------------- criteria


@dataclass(frozen=True)
class MetricCriterion:
    """The metric reaches its target for the gate's phase."""

    metric_key: str


@dataclass(frozen=True)
class MilestonesCriterion:
    """Every listed milestone is done."""

    keys: tuple[str, ...]


@dataclass(frozen=True)
class RiskCriterion:
    """No open risk is rated above ``max_band`` (by residual score)."""

    max_band: str


@dataclass(frozen=True)
class ManualCriterion:
    """A judgement a person records, e.g. "sponsor sign-off"; ``met`` None means pending."""

    text: str
    met: bool | None = None
    evidence: str = ""


Criterion = (
    MetricCriterion | MilestonesCriterion | RiskCriterion | ManualCriterion | BenefitsCriterion
)


# --------------------------------------------------------------------------- facts


@dataclass(frozen=True)
class MetricFact:
    """What the gate needs to know about one metric, judged against the gate's phase target.

    ``status`` (against the glide path on the reading's date), ``target_status`` (against
    the gate target) and ``forecast_status`` are those of ``metrics.metric_status`` (None
    when there is no reading, no target, or too few readings for a forecast).
    """

    key: str
    name: str
    latest: float | None
    target: float | None
    status: Rag | None
    forecast_status: Rag | None
    forecast_value: float | None = None
    unit: str = ""
    #: the latest reading against the gate target (``status`` is against the glide path)
    target_status: Rag | None = None
    path_value: float | None = None
    #: False while the gate's phase has not started (nothing is due yet)
    started: bool = True


@dataclass(frozen=True)
class MilestoneFact:
    """A milestone's state: done or not, and the scheduler's forecast finish date."""

    key: str
    name: str
    done: bool
    forecast_finish: date | None = None


@dataclass(frozen=True)
class OpenRisk:
    """An open risk with its rating band (from the residual score)."""

    key: str
    band: str
    title: str = ""


@dataclass(frozen=True)
class GateFacts:
    """Everything ``evaluate_gate`` looks at; the service builds it from rows."""

    metrics: Mapping[str, MetricFact] = field(default_factory=dict)
    milestones: Mapping[str, MilestoneFact] = field(default_factory=dict)
    open_risks: tuple[OpenRisk, ...] = ()
    band_order: tuple[str, ...] = DEFAULT_BAND_ORDER
    #: the benefits case on the day (None: the program has none, or it was not read)
    benefits: BenefitsFact | None = None


def metric_fact(metric: MetricDef, judged: MetricStatus) -> MetricFact:
    """Turn a ``metric_status`` result into the fact a gate needs.

    Examples:
        >>> from planner.domain.metrics import MetricStatus
        >>> m = MetricDef("active", "Active users", "%", "higher", None, {1: 60.0}, True)
        >>> judged = MetricStatus(None, 60.0, None, None, None, None, "no reading yet")
        >>> metric_fact(m, judged).latest is None
        True
    """
    return MetricFact(
        key=metric.key,
        name=metric.name,
        latest=judged.latest.value if judged.latest is not None else None,
        target=judged.target,
        status=judged.status,
        forecast_status=judged.forecast_status,
        forecast_value=judged.forecast_at_gate,
        unit=metric.unit,
        target_status=judged.target_status,
        path_value=judged.path_value,
        started=judged.started,
    )


# --------------------------------------------------------------------------- evaluation


@dataclass(frozen=True)
class CriterionResult:
    """One criterion's outcome and why (an explanation, worded by the renderer)."""

    criterion: Criterion
    outcome: Outcome
    reason: Reason


@dataclass(frozen=True)
class GateEvaluation:
    """Every criterion's result in the order given, the overall result, the verdict (see
    ``gate_verdict``) and a summary.

    The summary is ``gate.summary`` on or after the gate date (counts ``met``, ``total``,
    ``at_risk``, ``not_met``), ``gate.outlook_summary`` before it (``met``, ``total``,
    ``on_track``, ``at_risk``, ``off_track``) or, without criteria, ``gate.no_criteria``.
    """

    results: tuple[CriterionResult, ...]
    overall: Overall
    summary: Explanation
    verdict: Verdict = "at_risk"
    #: judged before the gate date: the verdict is an outlook, not a result
    outlook: bool = False

    @property
    def is_outlook(self) -> bool:
        """True before the gate date (the verdict is an outlook, not a result)."""
        return self.outlook


def gate_verdict(outcomes: Sequence[Outcome], today: date, gate_date: date) -> Verdict:
    """The one rule for what a gate shows (see the module docstring): an outlook before the
    gate date, a result on or after it; never "fail" before the gate.

    Examples:
        >>> gate_verdict(["met", "not_met"], date(2024, 4, 8), date(2024, 4, 9))
        'off_track'
        >>> gate_verdict(["met", "not_met"], date(2024, 4, 9), date(2024, 4, 9))
        'fail'
        >>> gate_verdict(["met", "on_track"], date(2024, 4, 8), date(2024, 4, 9))
        'on_track'
        >>> gate_verdict(["met", "met"], date(2024, 4, 10), date(2024, 4, 9))
        'pass'
        >>> gate_verdict([], date(2024, 4, 1), date(2024, 4, 9))
        'at_risk'
    """
    if not outcomes:
        return "at_risk"
    before = today < gate_date
    if "not_met" in outcomes:
        return "off_track" if before else "fail"
    if "at_risk" in outcomes:
        return "at_risk"
    if before:
        return "on_track"
    return "pass" if all(o == "met" for o in outcomes) else "at_risk"


def describe_criterion(criterion: Criterion, facts: GateFacts | None = None) -> Explanation:
    """A criterion as a line of the gate page, with names from ``facts`` when known.

    Codes: ``criterion.metric`` (``name``), ``criterion.milestones`` (``names``),
    ``criterion.risk`` (``band``), ``criterion.manual`` (``text``).

    Examples:
        >>> describe_criterion(MilestonesCriterion(("pilot-live", "training-done"))).params
        mappingproxy({'names': ('pilot-live', 'training-done')})
        >>> describe_criterion(RiskCriterion("medium")).params["band"]
        Term(vocabulary='band', value='medium')
    """
    if isinstance(criterion, MetricCriterion):
        fact = facts.metrics.get(criterion.metric_key) if facts else None
        name = fact.name if fact else criterion.metric_key
        return Explanation("criterion.metric", {"name": name})
    if isinstance(criterion, MilestonesCriterion):
        names: list[str] = []
        for key in criterion.keys:
            ms = facts.milestones.get(key) if facts else None
            names.append(ms.name if ms and ms.name else key)
        return Explanation("criterion.milestones", {"names": tuple(names)})
    if isinstance(criterion, RiskCriterion):
        return Explanation("criterion.risk", {"band": Term("band", criterion.max_band)})
    if isinstance(criterion, BenefitsCriterion):
        return Explanation("criterion.benefits", {"text": criterion.text})
    return Explanation("criterion.manual", {"text": criterion.text})


def evaluate_gate(
    criteria: Sequence[Criterion], facts: GateFacts, today: date, gate_date: date
) -> GateEvaluation:
    """Judge every criterion on ``today`` for a gate held on ``gate_date``.

    The rules are in the module docstring.

    Examples:
        >>> facts = GateFacts(milestones={"live": MilestoneFact("live", "Pilot live", False,
        ...                                                     date(2024, 4, 1))})
        >>> ev = evaluate_gate([MilestonesCriterion(("live",)), ManualCriterion("Sign-off", True)],
        ...                    facts, date(2024, 3, 1), date(2024, 4, 9))
        >>> ev.verdict, [r.outcome for r in ev.results]
        ('on_track', ['on_track', 'met'])
        >>> ev.summary.code, ev.summary.params["on_track"], ev.summary.params["off_track"]
        ('gate.outlook_summary', 1, 0)
    """
    results = tuple(_evaluate_one(c, facts, today, gate_date) for c in criteria)
    outcomes = [r.outcome for r in results]
    if not results:
        return GateEvaluation(
            (), "at_risk", Explanation("gate.no_criteria"), "at_risk", today < gate_date
        )
    overall: Overall
    if "not_met" in outcomes:
        overall = "fail"
    elif "at_risk" in outcomes or "on_track" in outcomes:
        overall = "at_risk"
    else:
        overall = "pass"
    verdict = gate_verdict(outcomes, today, gate_date)
    if today < gate_date:
        summary = Explanation(
            "gate.outlook_summary",
            {
                "met": outcomes.count("met"),
                "total": len(outcomes),
                "on_track": outcomes.count("on_track"),
                "at_risk": outcomes.count("at_risk"),
                "off_track": outcomes.count("not_met"),
            },
        )
    else:
        summary = Explanation(
            "gate.summary",
            {
                "met": outcomes.count("met"),
                "total": len(outcomes),
                "at_risk": outcomes.count("at_risk") + outcomes.count("on_track"),
                "not_met": outcomes.count("not_met"),
            },
        )
    return GateEvaluation(results, overall, summary, verdict, today < gate_date)


def _evaluate_one(
    criterion: Criterion, facts: GateFacts, today: date, gate_date: date
) -> CriterionResult:
    outcome: Outcome
    reason: Reason
    if isinstance(criterion, MetricCriterion):
        outcome, reason = _metric_outcome(criterion, facts, today, gate_date)
    elif isinstance(criterion, MilestonesCriterion):
        outcome, reason = _milestones_outcome(criterion, facts, today, gate_date)
    elif isinstance(criterion, RiskCriterion):
        outcome, reason = _risk_outcome(criterion, facts)
        if outcome == "not_met" and today < gate_date and reason.code == "gate.risk.above":
            outcome = "at_risk"  # risks can still be brought down before the gate
    elif isinstance(criterion, BenefitsCriterion):
        outcome, reason = benefits_outcome(facts.benefits, today, gate_date)
    else:
        outcome, reason = _manual_outcome(criterion, today, gate_date)
    return CriterionResult(criterion, outcome, reason)


def _metric_outcome(
    criterion: MetricCriterion, facts: GateFacts, today: date, gate_date: date
) -> tuple[Outcome, Explanation]:
    """Codes ``gate.metric.*``; every one but ``unknown`` names the metric (``name``)."""
    fact = facts.metrics.get(criterion.metric_key)
    if fact is None:
        return "not_met", Explanation("gate.metric.unknown", {"key": Quoted(criterion.metric_key)})
    if fact.target is None:
        return "not_met", Explanation("gate.metric.no_target", {"name": fact.name})
    target = Quantity(fact.target, fact.unit)
    before = today < gate_date
    if before and not fact.started:
        return "on_track", Explanation(
            "gate.metric.phase_not_started", {"name": fact.name, "target": target}
        )
    if fact.latest is None or fact.status is None:
        if before:
            return "at_risk", Explanation(
                "gate.metric.no_reading_yet", {"name": fact.name, "target": target}
            )
        return "not_met", Explanation(
            "gate.metric.no_reading", {"name": fact.name, "target": target}
        )
    seen = {"name": fact.name, "latest": Quantity(fact.latest, fact.unit), "target": target}
    reached = fact.target_status if fact.target_status is not None else fact.status
    if reached == "green":
        return "met", Explanation("gate.metric.reached", seen)
    if today > gate_date:
        return "not_met", Explanation("gate.metric.short_gate_passed", {**seen, "gate": gate_date})
    forecast = (
        {"forecast": Quantity(fact.forecast_value, fact.unit)}
        if fact.forecast_value is not None
        else {}
    )
    if before and fact.path_value is not None:
        on_path = {**seen, "path": Quantity(fact.path_value, fact.unit)}
        return _path_outcome(fact, on_path, forecast)
    return _short_outcome(fact, reached, seen, forecast, today, gate_date)


def _path_outcome(
    fact: MetricFact, on_path: Mapping[str, object], forecast: Mapping[str, object]
) -> tuple[Outcome, Explanation]:
    """Before the gate, a metric short of its target but with a glide path: the latest
    reading against the path, then the forecast."""
    if fact.status == "green":
        return "on_track", Explanation("gate.metric.on_path", on_path)
    if fact.status == "amber":
        return "at_risk", Explanation("gate.metric.near_path", on_path)
    if fact.forecast_status == "green":
        code = "gate.metric.behind_path_forecast_reaches" + ("" if forecast else "_no_value")
        return "at_risk", Explanation(code, {**on_path, **forecast})
    code = "gate.metric.behind_path" + ("_forecast_short" if forecast else "")
    return "not_met", Explanation(code, {**on_path, **forecast})


def _short_outcome(
    fact: MetricFact,
    reached: str | None,
    seen: Mapping[str, object],
    forecast: Mapping[str, object],
    today: date,
    gate_date: date,
) -> tuple[Outcome, Explanation]:
    """A metric short of its target without a glide path, before the gate or on its day:
    the forecast, then how near the latest reading is."""
    if fact.forecast_status == "green":
        code = "gate.metric.short_forecast_reaches" + ("" if forecast else "_no_value")
        return "at_risk", Explanation(code, {**seen, **forecast})
    if reached == "amber":
        days = (gate_date - today).days
        if days == 0:
            return "at_risk", Explanation("gate.metric.amber_gate_today", seen)
        return "at_risk", Explanation(
            "gate.metric.amber_before_gate", {**seen, "days": Days(days), "gate": gate_date}
        )
    if fact.forecast_status is None:
        return "not_met", Explanation("gate.metric.short_no_forecast", seen)
    code = "gate.metric.short_forecast_short" + ("" if forecast else "_no_value")
    return "not_met", Explanation(code, {**seen, **forecast})


def _milestones_outcome(
    criterion: MilestonesCriterion, facts: GateFacts, today: date, gate_date: date
) -> tuple[Outcome, Reason]:
    """Codes ``gate.milestones.*``: ``none_listed``; ``unknown``, ``late``/``not_done_by_gate``
    and ``unscheduled`` together (what is wrong); else ``pending``; else ``done``."""
    if not criterion.keys:
        return "not_met", Explanation("gate.milestones.none_listed")
    unknown: list[Quoted] = []
    late: list[Explanation] = []
    missed: list[str] = []
    unscheduled: list[str] = []
    pending: list[Explanation] = []
    done: list[str] = []
    gate_passed = today > gate_date
    for key in criterion.keys:
        ms = facts.milestones.get(key)
        if ms is None:
            unknown.append(Quoted(key))
            continue
        name = ms.name or key
        if ms.done:
            done.append(name)
        elif gate_passed:
            missed.append(name)
        elif ms.forecast_finish is None:
            unscheduled.append(name)
        elif ms.forecast_finish > gate_date:
            days = Days((ms.forecast_finish - gate_date).days)
            late.append(
                Explanation(
                    "milestone.forecast_late",
                    {"name": name, "forecast": ms.forecast_finish, "days": days},
                )
            )
        else:
            pending.append(
                Explanation("milestone.forecast", {"name": name, "forecast": ms.forecast_finish})
            )
    problems: list[Explanation] = []
    if unknown:
        problems.append(Explanation("gate.milestones.unknown", {"keys": tuple(unknown)}))
    if missed:
        problems.append(
            Explanation(
                "gate.milestones.not_done_by_gate", {"gate": gate_date, "names": tuple(missed)}
            )
        )
    if late:
        problems.append(
            Explanation("gate.milestones.late", {"gate": gate_date, "items": tuple(late)})
        )
    if unscheduled:
        problems.append(Explanation("gate.milestones.unscheduled", {"names": tuple(unscheduled)}))
    if problems:
        return "not_met", problems[0] if len(problems) == 1 else tuple(problems)
    if pending:
        return "on_track" if today < gate_date else "at_risk", Explanation(
            "gate.milestones.pending", {"gate": gate_date, "items": tuple(pending)}
        )
    return "met", Explanation("gate.milestones.done", {"names": tuple(done)})


def _risk_outcome(criterion: RiskCriterion, facts: GateFacts) -> tuple[Outcome, Explanation]:
    """Codes ``gate.risk.unknown_band``, ``gate.risk.above`` (each risk a ``risk.rated`` or
    ``risk.unknown_band``) and ``gate.risk.none_above``."""
    order = [b.casefold() for b in facts.band_order]
    limit = criterion.max_band.casefold()
    if limit not in order:
        return "not_met", Explanation(
            "gate.risk.unknown_band",
            {
                "band": Quoted(criterion.max_band),
                "known": tuple(Term("band", b) for b in facts.band_order),
            },
        )
    ceiling = order.index(limit)
    above: list[Explanation] = []
    for risk in facts.open_risks:
        band = risk.band.casefold()
        who = {"key": risk.key, "title": risk.title}
        if band not in order:
            above.append(Explanation("risk.unknown_band", {**who, "band": Quoted(risk.band)}))
        elif order.index(band) > ceiling:
            above.append(Explanation("risk.rated", {**who, "band": Term("band", risk.band)}))
    limit_term = Term("band", criterion.max_band)
    if above:
        return "not_met", Explanation(
            "gate.risk.above", {"count": len(above), "band": limit_term, "risks": tuple(above)}
        )
    return "met", Explanation(
        "gate.risk.none_above", {"count": len(facts.open_risks), "band": limit_term}
    )


def _manual_outcome(
    criterion: ManualCriterion, today: date, gate_date: date
) -> tuple[Outcome, Explanation]:
    """Codes ``gate.manual.pending``, ``gate.manual.confirmed`` and ``gate.manual.not_met``;
    the last two carry ``evidence`` ("" when none was recorded)."""
    evidence = criterion.evidence.strip()
    if criterion.met is None:
        pending: Outcome = "on_track" if today < gate_date else "at_risk"
        return pending, Explanation("gate.manual.pending", {"text": criterion.text})
    code = "gate.manual.confirmed" if criterion.met else "gate.manual.not_met"
    outcome: Outcome = "met" if criterion.met else "not_met"
    return outcome, Explanation(code, {"text": criterion.text, "evidence": evidence})


# --------------------------------------------------------------------------- decisions


DECISION_KINDS: tuple[DecisionKind, ...] = ("go", "conditional_go", "no_go")


def decision_kind(value: str) -> DecisionKind:
    """``value`` as a decision kind, or a refusal naming it."""
    for kind in DECISION_KINDS:
        if kind == value:
            return kind
    raise ValidationError.of("kind", "field.not_a_choice", value=value)


@dataclass(frozen=True)
class Decision:
    """A steering committee's decision at a gate (what a page or the API hands over, and
    what the history keeps)."""

    kind: DecisionKind
    decided_by: str
    decided_on: date
    notes: str = ""
    conditions: str = ""
    due: date | None = None
    justification: str = ""
    replan: str = ""


def validate_decision(
    decision: Decision,
    criteria: Sequence[Criterion],
    evaluation: GateEvaluation,
    facts: GateFacts | None = None,
) -> None:
    """Refuse a decision that breaks the gate rules; every problem is listed.

    No criteria → refused outright. A go while any criterion is not met (not met or at
    risk) needs a justification; a conditional go needs conditions and a due date on or
    after the decision date; a no-go needs a replan note; someone must have decided. The
    refusal is coded (``gate.decision.*``, worded by ``planner/messages/gates.py``); the unmet
    criteria are named as the gate page names them (with ``facts``' names when given).

    Examples:
        >>> ev = evaluate_gate([ManualCriterion("Sign-off", None)], GateFacts(),
        ...                    date(2024, 4, 9), date(2024, 4, 9))
        >>> try:
        ...     validate_decision(Decision("go", "Board", date(2024, 4, 9)),
        ...                       [ManualCriterion("Sign-off", None)], ev)
        ... except ValidationError as e:
        ...     print(e.errors[0][0])
        justification
    """
    if not criteria:
        raise ValidationError.of("criteria", "gate.decision.no_criteria")
    errors: list[Problem] = []
    if decision.kind not in ("go", "conditional_go", "no_go"):
        errors.append(Problem("kind", "gate.decision.kind", {"value": decision.kind}))
    if not decision.decided_by.strip():
        errors.append(Problem("decided_by", "gate.decision.who"))
    if decision.kind == "go":
        unmet = [r for r in evaluation.results if r.outcome != "met"]
        if unmet and not decision.justification.strip():
            named = tuple(describe_criterion(r.criterion, facts) for r in unmet)
            names = Explanation(CLAUSES, {"clauses": named})  # "b; c": a name may hold commas
            errors.append(
                Problem(
                    "justification",
                    "gate.decision.justification",
                    {"count": len(unmet), "names": names},
                )
            )
    elif decision.kind == "conditional_go":
        if not decision.conditions.strip():
            errors.append(Problem("conditions", "gate.decision.conditions"))
        if decision.due is None:
            errors.append(Problem("due", "gate.decision.due_missing"))
        elif decision.due < decision.decided_on:
            errors.append(
                Problem(
                    "due",
                    "gate.decision.due_before",
                    {"due": decision.due, "day": decision.decided_on},
                )
            )
    elif decision.kind == "no_go" and not decision.replan.strip():
        errors.append(Problem("replan", "gate.decision.replan"))
    if errors:
        raise ValidationError(problems=errors)


# --------------------------------------------------------------------------- roll-ups


@dataclass(frozen=True)
class RagResult:
    """One area's RAG with the reason a person reads beside it (worded by the renderer)."""

    rag: Rag
    reason: Reason


def rag_rollup(
    schedule: RagResult, metrics: RagResult, risks: RagResult
) -> tuple[Rag, tuple[Explanation, ...]]:
    """The worst of the three areas, with every area's reason (schedule, metrics, risks):
    one ``rag.area`` explanation each (``area``, ``rag``, ``reason``).

    Examples:
        >>> rag, reasons = rag_rollup(RagResult("green", Explanation("a")),
        ...                           RagResult("amber", Explanation("b")),
        ...                           RagResult("green", Explanation("c")))
        >>> rag, reasons[1].params["area"], reasons[1].params["rag"]
        ('amber', Term(vocabulary='area', value='metrics'), Term(vocabulary='rag', value='amber'))
    """
    parts = (("schedule", schedule), ("metrics", metrics), ("risks", risks))
    worst = max((p.rag for _, p in parts), key=lambda rag: _RAG_RANK[rag])
    return worst, tuple(
        Explanation(
            "rag.area",
            {"area": Term("area", area), "rag": Term("rag", p.rag), "reason": as_one(p.reason)},
        )
        for area, p in parts
    )


def schedule_rag(
    milestone_slips_days: Mapping[str, int], overrun_days: int, tolerance: int = 5
) -> RagResult:
    """Schedule RAG from milestone slips (days late against the baseline, by name) and the
    phase's overrun of its 100-day window (days; 0 or less means none).

    Rule: green when nothing slips and nothing overruns; amber when the worst slip or
    overrun is 1 to ``tolerance`` days; red when any exceeds ``tolerance`` days.

    The reason is ``schedule.on_time``, or ``schedule.late`` with the ``problems`` (each a
    ``schedule.milestone_late``, worst first, then ``schedule.overrun``) and the
    ``tolerance``.

    Examples:
        >>> schedule_rag({"Pilot live": 3}, 0).rag, schedule_rag({}, 6).rag
        ('amber', 'red')
    """
    if tolerance < 0:
        raise ValidationError.of("tolerance", "field.at_least", limit=0, value=tolerance)
    slips = {name: days for name, days in milestone_slips_days.items() if days > 0}
    worst = max([overrun_days, *slips.values()], default=0)
    if worst <= 0:
        return RagResult("green", Explanation("schedule.on_time"))
    parts = [
        Explanation("schedule.milestone_late", {"name": name, "days": Days(d)})
        for name, d in sorted(slips.items(), key=lambda i: -i[1])
    ]
    if overrun_days > 0:
        parts.append(Explanation("schedule.overrun", {"days": Days(overrun_days)}))
    rag: Rag = "red" if worst > tolerance else "amber"
    return RagResult(
        rag,
        Explanation(
            "schedule.late", {"problems": as_one(tuple(parts)), "tolerance": Days(tolerance)}
        ),
    )


@dataclass(frozen=True)
class ItemFinish:
    """A work item of a phase and when it finishes: the actual finish when done, else the
    scheduler's forecast (None when there is none yet)."""

    name: str
    milestone: bool
    finish: date | None


def window_slips(window_end: date, items: Iterable[ItemFinish]) -> tuple[dict[str, int], int]:
    """The inputs of ``schedule_rag`` for one phase: each milestone finishing after the
    window's end with its days late, and the phase's overrun (the latest finish of any item
    past the window end, 0 if none). Items without a finish date are left out.

    Examples:
        >>> end = date(2024, 4, 9)
        >>> window_slips(end, [ItemFinish("Go-live", True, date(2024, 4, 12)),
        ...                    ItemFinish("Training", False, date(2024, 4, 20)),
        ...                    ItemFinish("Design", True, date(2024, 3, 1)),
        ...                    ItemFinish("Report", True, None)])
        ({'Go-live': 3}, 11)
    """
    slips: dict[str, int] = {}
    overrun = 0
    for item in items:
        if item.finish is None:
            continue
        late = (item.finish - window_end).days
        if late <= 0:
            continue
        overrun = max(overrun, late)
        if item.milestone:
            slips[item.name] = max(late, slips.get(item.name, 0))
    return slips, overrun


def metrics_rag(statuses: Mapping[str, Rag | None], *, expected: bool = True) -> RagResult:
    """Metrics RAG from each metric's status, by name.

    Rule: red if any metric is red; amber if any is amber, has no status yet (no reading
    or no target), or if no metric is tracked at all; green when every metric is green.
    With ``expected=False`` (a phase no metric has a target for, such as the diagnosis) an
    empty mapping is green: nothing is due to show adoption yet.

    Codes: ``metrics.none_expected``, ``metrics.none_tracked``, ``metrics.all_on_target``
    (``count``), else clauses ``metrics.red``, ``metrics.amber``, ``metrics.no_status``
    (``names`` each).

    Examples:
        >>> result = metrics_rag({"Active users": "green", "Junk orders": "amber"})
        >>> result.rag, result.reason.code, result.reason.params["names"]
        ('amber', 'metrics.amber', ('Junk orders',))
        >>> metrics_rag({}, expected=False).reason.code
        'metrics.none_expected'
    """
    if not statuses:
        if not expected:
            return RagResult("green", Explanation("metrics.none_expected"))
        return RagResult("amber", Explanation("metrics.none_tracked"))
    by: dict[str, list[str]] = {"red": [], "amber": [], "none": [], "green": []}
    for name, rag in statuses.items():
        by[rag if rag is not None else "none"].append(name)
    parts = tuple(
        Explanation(code, {"names": tuple(by[k])})
        for k, code in (
            ("red", "metrics.red"),
            ("amber", "metrics.amber"),
            ("none", "metrics.no_status"),
        )
        if by[k]
    )
    if by["red"]:
        return RagResult("red", _one_or_many(parts))
    if parts:
        return RagResult("amber", _one_or_many(parts))
    return RagResult("green", Explanation("metrics.all_on_target", {"count": len(statuses)}))


def risks_rag(
    open_bands: Iterable[str],
    band_order: Sequence[str] = DEFAULT_BAND_ORDER,
    amber_from: str = "high",
    red_from: str = "critical",
) -> RagResult:
    """Risks RAG from the bands of the open risks (by residual score).

    Rule: red if any open risk is rated ``red_from`` or above (default critical); amber if
    any is ``amber_from`` or above (default high); green otherwise. A band the order does
    not know counts as red.

    The reason is ``risks.none_from`` (``band``), or ``risks.rated`` with ``groups``: one
    ``risks.rated_band`` (``count``, ``band``) a band, the highest band first.

    Examples:
        >>> group = risks_rag(["low", "high", "medium"]).reason.params["groups"][0]
        >>> group.params["count"], group.params["band"].value
        (1, 'high')
    """
    order = [b.casefold() for b in band_order]

    def rank(band: str) -> int:
        """Position in the order; an unknown band ranks above every known one."""
        return order.index(band.casefold()) if band.casefold() in order else len(order)

    unknown = [
        Problem(name, "gate.criterion.band", {"known": tuple(band_order), "value": band})
        for name, band in (("amber_from", amber_from), ("red_from", red_from))
        if band.casefold() not in order
    ]
    if unknown:
        raise ValidationError(problems=unknown)
    amber_at, red_at = rank(amber_from), rank(red_from)
    counts: dict[str, int] = {}
    worst = -1
    for band in open_bands:
        worst = max(worst, rank(band))
        if rank(band) >= amber_at:
            counts[band] = counts.get(band, 0) + 1
    if worst < amber_at:
        return RagResult(
            "green", Explanation("risks.none_from", {"band": Term("band", amber_from)})
        )
    listed = sorted(counts.items(), key=lambda item: -rank(item[0]))
    groups = tuple(
        Explanation("risks.rated_band", {"count": n, "band": Term("band", band)})
        for band, n in listed
    )
    return RagResult(
        "red" if worst >= red_at else "amber", Explanation("risks.rated", {"groups": groups})
    )


def phase_progress(durations_and_percent: Iterable[tuple[float, float]]) -> float:
    """Percent complete of a phase, each item weighted by its duration.

    Zero-duration items (milestones) carry no weight unless every item has zero
    duration; then it is the plain average. No items → 0.0.

    Examples:
        >>> phase_progress([(10, 100), (30, 50), (0, 0)])  # (10x100 + 30x50) / 40
        62.5
    """
    items = list(durations_and_percent)
    problems: list[Problem] = []
    for i, (duration, percent) in enumerate(items):
        if duration < 0:
            at_least = {"limit": 0, "value": duration}
            problems.append(Problem(f"items[{i}].duration", "field.at_least", at_least))
        if not 0 <= percent <= 100:
            between = {"min": 0, "max": 100}
            problems.append(Problem(f"items[{i}].percent", "field.out_of_range", between))
    if problems:
        raise ValidationError(problems=problems)
    if not items:
        return 0.0
    total = sum(d for d, _ in items)
    if total == 0:
        return sum(p for _, p in items) / len(items)
    return sum(d * p for d, p in items) / total


def _one_or_many(parts: tuple[Explanation, ...]) -> Reason:
    return parts[0] if len(parts) == 1 else parts
