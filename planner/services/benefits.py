"""The benefits case of a program: benefits from the method's list, each measured by an
adoption metric or its own readings, worth a money value a year at target, realised along a
ramp after its phase's go-live; with the costs of the plan: ROI, payback, NPV and a
sensitivity table. The phase-4 benefit review reads it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from planner.domain.benefit_review import BenefitsFact, benefits_outcome
from planner.domain.errors import NotFoundError, Problem, ValidationError
from planner.domain.explain import Explanation
from planner.domain.roi import Sensitivity, npv, payback_period, realisation, roi, sensitivity
from planner.extensions import db
from planner.models import (
    Benefit,
    BenefitReading,
    Metric,
    MetricReading,
    Phase,
    Program,
    WorkItem,
)
from planner.services.concurrency import check_version
from planner.services.money import cost_report
from planner.services.money_input import number, settings_of, text

# The method's benefits (seed 001 and 000): what a CRM rollout must prove, with the adoption
# metric that usually measures it.
LIBRARY: dict[str, dict[str, str]] = {
    "revenue-per-rep": {
        "name": "Revenue per sales rep",
        "name_zh": "人均销售收入",
        "unit": "k/rep",
        "metric": "",
    },
    "forecast-accuracy": {
        "name": "Forecast accuracy",
        "name_zh": "预测准确率",
        "unit": "%",
        "metric": "forecast-accuracy",
    },
    "retention": {
        "name": "Customer retention",
        "name_zh": "客户保持率",
        "unit": "%",
        "metric": "retention-rate",
    },
    "cost-to-serve": {
        "name": "Cost to serve a customer",
        "name_zh": "客户服务成本",
        "unit": "",
        "metric": "",
    },
    "junk-order-rate": {
        "name": "Junk-order rate",
        "name_zh": "无效订单率",
        "unit": "%",
        "metric": "junk-order-rate",
    },
    "cost-to-win": {
        "name": "Cost to win a new customer",
        "name_zh": "获取新客户成本",
        "unit": "",
        "metric": "",
    },
}


def list_benefits(program: Program) -> list[Benefit]:
    return list(
        db.session.scalars(
            select(Benefit)
            .where(Benefit.program_id == program.id)
            .order_by(Benefit.position, Benefit.id)
        )
    )


def benefit_by_key(program: Program, key: str) -> Benefit:
    benefit = db.session.scalars(
        select(Benefit).where(Benefit.program_id == program.id, Benefit.key == key)
    ).first()
    if benefit is None:
        raise NotFoundError(problems=[Problem("benefit", "row.not_found")])
    return benefit


def get_benefit(program: Program, benefit_id: int) -> Benefit:
    benefit = db.session.get(Benefit, benefit_id)
    if benefit is None or benefit.program_id != program.id:
        raise NotFoundError(problems=[Problem("benefit", "row.not_found")])
    return benefit


def _clean(program: Program, data: Mapping[str, Any], benefit: Benefit | None) -> dict[str, Any]:
    problems: list[Problem] = []
    key = text(data, "key", problems, limit=64, required=benefit is None)
    template = LIBRARY.get(key, {})
    values: dict[str, Any] = {
        "name": text(data, "name", problems, limit=200) or template.get("name", key),
        "name_zh": text(data, "name_zh", problems, limit=200) or template.get("name_zh") or None,
        "unit": text(data, "unit", problems, limit=32) or template.get("unit", ""),
        "baseline": number(data, "baseline", problems, low=-1e12),
        "target": number(data, "target", problems, low=-1e12),
        "annual_value": number(data, "annual_value", problems),
        "go_live_phase": number(data, "go_live_phase", problems, high=20.0),
        "ramp_months": number(data, "ramp_months", problems, high=120.0),
    }
    metric_key = str(data.get("metric") or "").strip()
    values["metric_id"] = None
    if metric_key:
        metric = db.session.scalars(
            select(Metric).where(Metric.program_id == program.id, Metric.key == metric_key)
        ).first()
        if metric is None:
            problems.append(Problem("metric", "field.unknown_reference", {"value": metric_key}))
        else:
            values["metric_id"] = metric.id
    if benefit is None:
        values["key"] = key
        clash = db.session.scalars(
            select(Benefit.id).where(Benefit.program_id == program.id, Benefit.key == key)
        ).first()
        if clash is not None:
            problems.append(Problem("key", "field.taken", {"value": key}))
    phase = values["go_live_phase"]
    if phase is not None and int(phase) not in {p.ordinal for p in program.phases}:
        # a benefit of no phase would never go live: nothing realised, nothing said
        problems.append(Problem("go_live_phase", "field.unknown_reference", {"value": str(phase)}))
    baseline, target = values["baseline"], values["target"]
    if baseline is not None and baseline == target:
        problems.append(Problem("target", "money.benefit_no_change"))
    if problems:
        raise ValidationError(problems=problems)
    values["go_live_phase"] = int(values["go_live_phase"])
    values["ramp_months"] = int(values["ramp_months"])
    return values


def create_benefit(program: Program, data: Mapping[str, Any]) -> Benefit:
    values = _clean(program, data, None)
    count = len(list_benefits(program))
    benefit = Benefit(program_id=program.id, position=count, **values)
    db.session.add(benefit)
    db.session.flush()
    return benefit


def update_benefit(
    program: Program, benefit: Benefit, data: Mapping[str, Any], version: Any
) -> None:
    check_version(benefit, version)
    for key, value in _clean(program, data, benefit).items():
        setattr(benefit, key, value)
    db.session.flush()


def add_benefit_reading(benefit: Benefit, day: date, value: float, note: str = "") -> None:
    problems: list[Problem] = []
    checked = number({"value": value}, "value", problems, low=-1e12)
    if problems or checked is None:
        raise ValidationError(problems=problems)
    existing = next((r for r in benefit.readings if r.day == day), None)
    if existing is None:
        benefit.readings.append(BenefitReading(day=day, value=checked, note=note[:300]))
    else:
        existing.value, existing.note = checked, note[:300]
    db.session.flush()


# --------------------------------------------------------------------------- the case


def readings_of(benefit: Benefit) -> list[tuple[date, float]]:
    """The benefit's own readings, else its metric's."""
    if benefit.metric_id is None or benefit.readings:
        return [(r.day, r.value) for r in benefit.readings]
    rows = db.session.execute(
        select(MetricReading.day, MetricReading.value)
        .where(MetricReading.metric_id == benefit.metric_id)
        .order_by(MetricReading.day)
    )
    return [(d, v) for d, v in rows]


def achieved_fraction(benefit: Benefit, readings: list[tuple[date, float]], day: date) -> float:
    """How far from baseline to target the latest reading on or before ``day`` is (0–1)."""
    latest = [v for d, v in readings if d <= day]
    if not latest or benefit.target == benefit.baseline:
        return 0.0
    share = (latest[-1] - benefit.baseline) / (benefit.target - benefit.baseline)
    return max(0.0, min(1.0, share))


def _month(start: date, offset: int) -> date:
    months = start.year * 12 + start.month - 1 + offset
    return date(months // 12, months % 12 + 1, 1)


def _months_between(a: date, b: date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month


@dataclass(frozen=True)
class BenefitLine:
    benefit: Benefit
    go_live: date | None
    latest: float | None
    achieved: float  # share of the way to target, today
    case_to_date: float  # money the case expects by today
    realised_to_date: float  # money the readings show by today
    measured: bool = False  # a reading after go-live, on or before today


@dataclass(frozen=True)
class Case:
    currency: str
    discount_rate: float
    horizon_months: int
    lines: list[BenefitLine]
    months: list[date]
    benefits: list[float]  # per month, the case
    costs: list[float]  # per month, planned cost
    total_benefit: float
    total_cost: float
    roi: float | None
    npv: float
    payback_months: float | None
    sensitivity: Sensitivity
    today: date

    @property
    def realised_to_date(self) -> float:
        return sum(line.realised_to_date for line in self.lines)

    @property
    def case_to_date(self) -> float:
        return sum(line.case_to_date for line in self.lines)

    @property
    def on_track(self) -> bool:
        """The benefit review's rule (:mod:`planner.domain.benefit_review`) holds today."""
        return benefits_outcome(self.fact(), self.today, self.today)[0] == "met"

    def fact(self) -> BenefitsFact:
        """The case as the benefit review gate criterion reads it."""
        return fact_of(self.lines, self.currency)


def fact_of(lines: list[BenefitLine], currency: str) -> BenefitsFact:
    """Benefit lines as the benefit review gate criterion reads them."""
    lives = [line.go_live for line in lines if line.go_live is not None]
    return BenefitsFact(
        count=len(lines),
        measured=sum(1 for line in lines if line.measured),
        expected=sum(line.case_to_date for line in lines),
        realised=sum(line.realised_to_date for line in lines),
        currency=currency,
        go_live=min(lives) if lives else None,
    )


def go_lives(program: Program) -> dict[int, date]:
    """When each phase's result went (or goes) live, by phase ordinal: its first go-live or
    launch milestone (actual finish, else forecast), else the end of its window. One query,
    reading columns (no work item is loaded as an object)."""
    rows = db.session.execute(
        select(
            Phase.ordinal,
            Phase.window_end,
            WorkItem.key,
            WorkItem.kind,
            WorkItem.actual_finish,
            WorkItem.early_finish,
        )
        .outerjoin(WorkItem, WorkItem.phase_id == Phase.id)
        .where(Phase.program_id == program.id)
    )
    live: dict[int, list[date]] = {}
    ends: dict[int, date] = {}
    for ordinal, window_end, key, kind, actual, early in rows:
        ends[ordinal] = window_end
        day = actual or early
        if kind == "milestone" and key and ("live" in key or "launch" in key) and day:
            live.setdefault(ordinal, []).append(day)
    return {
        ordinal: min(live[ordinal]) if ordinal in live else end for ordinal, end in ends.items()
    }


def go_live_of(program: Program, ordinal: int) -> date | None:
    """When phase ``ordinal``'s result went (or goes) live (see :func:`go_lives`)."""
    return go_lives(program).get(ordinal)


def _line(
    benefit: Benefit, go_live: date | None, start: date, today: date, settings: Any
) -> tuple[BenefitLine, list[float]]:
    readings = readings_of(benefit)
    monthly: list[float] = []
    case_to_date = realised = 0.0
    for offset in range(settings.horizon_months):
        month = _month(start, offset)
        since = _months_between(go_live, month) if go_live else -1
        value = benefit.annual_value / 12 * realisation(since, benefit.ramp_months)
        monthly.append(value)
        month_end = _month(start, offset + 1)
        if month <= today and since > 0:  # the month under way counts for its days so far
            share = min(1.0, ((today - month).days + 1) / (month_end - month).days)
            case_to_date += value * share
            achieved = achieved_fraction(benefit, readings, min(today, month_end))
            realised += benefit.annual_value / 12 * achieved * share
    latest = next((v for d, v in reversed(readings) if d <= today), None)
    line = BenefitLine(
        benefit,
        go_live,
        latest,
        achieved_fraction(benefit, readings, today),
        case_to_date,
        realised,
        measured=go_live is not None and any(go_live < d <= today for d, _ in readings),
    )
    return line, monthly


def benefits_case(program: Program, today: date) -> Case:
    """The whole case: per-benefit lines, monthly flows over the horizon, ROI, NPV, payback."""
    settings = settings_of(program)
    start = _month(program.start_date, 0)
    horizon = settings.horizon_months
    benefits = [0.0] * horizon
    lines = []
    lives = go_lives(program)
    for benefit in list_benefits(program):
        line, monthly = _line(benefit, lives.get(benefit.go_live_phase), start, today, settings)
        lines.append(line)
        benefits = [a + b for a, b in zip(benefits, monthly, strict=True)]
    costs = [0.0] * horizon
    for month, amount in cost_report(program, today).monthly_cost.items():
        offset = _months_between(start, month)
        if 0 <= offset < horizon:
            costs[offset] += amount
    flows = [b - c for b, c in zip(benefits, costs, strict=True)]
    rate = settings.discount_rate
    rates = sorted({max(0.0, round(rate - 0.04, 4)), rate, round(rate + 0.04, 4)})
    return Case(
        currency=settings.currency,
        discount_rate=rate,
        horizon_months=horizon,
        lines=lines,
        months=[_month(start, i) for i in range(horizon)],
        benefits=benefits,
        costs=costs,
        total_benefit=sum(benefits),
        total_cost=sum(costs),
        roi=roi(sum(benefits), sum(costs)),
        npv=npv(rate, flows),
        payback_months=payback_period(flows),
        sensitivity=sensitivity(rates, (0.5, 0.75, 1.0, 1.25), benefits, costs),
        today=today,
    )


def review_fact(program: Program, today: date) -> BenefitsFact | None:
    """The benefits case as the benefit review reads it, without the costs of the plan (the
    review needs none); None without a benefits case."""
    benefits = list_benefits(program)
    if not benefits:
        return None
    settings = settings_of(program)
    start = _month(program.start_date, 0)
    lives = go_lives(program)
    lines = [_line(b, lives.get(b.go_live_phase), start, today, settings)[0] for b in benefits]
    return fact_of(lines, settings.currency)


def programs_with_benefits(program_ids: list[int]) -> set[int]:
    """Which of the programs have a benefits case (one query)."""
    return set(
        db.session.scalars(
            select(Benefit.program_id).where(Benefit.program_id.in_(program_ids)).distinct()
        )
    )


def add_reading_from(benefit: Benefit, data: Mapping[str, Any]) -> None:
    """A reading from form or API input (``day``, ``value``, ``note``)."""
    from planner.domain.days import NotADay, parse_day

    try:
        day = parse_day(str(data.get("day") or ""))
    except (NotADay, ValueError):
        raise ValidationError(problems=[Problem("day", "field.not_a_date")]) from None
    problems: list[Problem] = []
    value = number(data, "value", problems, low=-1e12)
    if problems or value is None:
        raise ValidationError(problems=problems)
    add_benefit_reading(benefit, day, value, str(data.get("note") or ""))


def benefit_review_case(program: Program, ordinal: int, today: date) -> Case | None:
    """The benefits case as the evidence of a gate's benefit review, when the program has a
    benefits case: for the phase whose gate has the benefit review criterion (a manual
    criterion judged by the benefits case); without one, for the phase that holds the benefit
    review (a work item keyed ``benefit-review…``; else the last phase)."""
    phases = sorted(program.phases, key=lambda p: p.ordinal)
    if not phases:
        return None
    judged = [p for p in phases if any(c.source == "benefits_case" for c in p.gate_criteria)]
    if judged:
        shown = ordinal in {p.ordinal for p in judged}
    else:
        review = next(
            (p for p in phases if any(i.key.startswith("benefit-review") for i in p.work_items)),
            phases[-1],
        )
        shown = review.ordinal == ordinal
    if not shown or not list_benefits(program):
        return None
    return benefits_case(program, today)


@dataclass(frozen=True)
class Review:
    """The benefit review as its gate criterion judges it on a day."""

    phase: Phase
    outcome: str
    reason: Explanation


def benefit_review(program: Program, case: Case, today: date) -> Review | None:
    """The benefit review judged by the domain's rule for the first gate that has it (a
    manual criterion whose source is the benefits case); None when no gate has it."""
    phase = next(
        (
            p
            for p in sorted(program.phases, key=lambda p: p.ordinal)
            if any(c.source == "benefits_case" for c in p.gate_criteria)
        ),
        None,
    )
    if phase is None:
        return None
    outcome, reason = benefits_outcome(case.fact(), today, phase.window_end)
    return Review(phase, outcome, reason)
