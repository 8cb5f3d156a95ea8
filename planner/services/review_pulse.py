"""Record the program's pulse with a steering review, and compare it with the previous one.

The pulse reads the stored schedule (computed dates are kept on the work items by the
scheduler), the gate evaluations and the metric statuses as they stand when the review's
snapshot is taken; ``planner.domain.review_pulse`` compares two of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from planner.domain.review_pulse import (
    GatePulse,
    MetricPulse,
    Pulse,
    PulseChanges,
    changes_between,
    pulse_from_json,
    pulse_to_json,
)
from planner.extensions import db
from planner.models.gate import GateDecision
from planner.models.metric import Metric
from planner.models.plan import Phase, WorkItem
from planner.models.review import SteeringReview
from planner.models.risk import Risk
from planner.services import gates as gate_service
from planner.services import metrics as metric_service
from planner.services.scheduling import program_calendar


def pulse_now(program_id: int, today: date) -> Pulse:
    """The program as it stands on ``today``: finish, milestones, gates, critical items, metrics."""
    program, reports = gate_service.gate_reports(program_id, today)
    items = db.session.execute(
        select(
            WorkItem.key,
            WorkItem.kind,
            WorkItem.phase_id,
            WorkItem.early_finish,
            WorkItem.actual_finish,
            WorkItem.is_critical,
        ).where(WorkItem.program_id == program_id)
    ).all()
    finish_of = {row.key: row.actual_finish or row.early_finish for row in items}
    phase_finish: dict[int, date] = {}
    for row in items:
        day = finish_of[row.key]
        if day is not None and (
            row.phase_id not in phase_finish or day > phase_finish[row.phase_id]
        ):
            phase_finish[row.phase_id] = day
    gates = {
        report.phase.ordinal: GatePulse(
            report.phase.window_end,
            phase_finish.get(report.phase.id),
            str(report.evaluation.verdict),  # an outlook before the gate date
        )
        for report in reports
    }
    metrics = {}
    # the metrics as the gate reports just loaded them (targets and readings): not again
    for row in metric_service.metric_rows(program, today, program.metrics):
        latest = row.status.latest
        metrics[row.metric.key] = MetricPulse(
            latest.value if latest else None,
            latest.day if latest else None,
            row.status.status,
        )
    days = [day for day in finish_of.values() if day is not None]
    return Pulse(
        taken_on=today,
        finish=max(days) if days else None,
        milestones={
            row.key: finish_of[row.key]
            for row in items
            if row.kind == "milestone" and finish_of[row.key] is not None
        },
        gates=gates,
        critical=frozenset(row.key for row in items if row.is_critical),
        metrics=metrics,
    )


def record_pulse(review: SteeringReview, today: date) -> None:
    """Keep the program's pulse with the review's snapshot."""
    review.plan_pulse = pulse_to_json(pulse_now(review.program_id, today))


@dataclass(frozen=True)
class PlanSinceReview:
    """What moved in the plan, gates and metrics since the previous review.

    ``changes`` is None when either review has no recorded pulse (reviews taken before the
    pulse was kept); ``decisions`` are the gate decisions recorded after the previous
    review, up to this one.
    """

    changes: PulseChanges | None
    pulse: Pulse | None
    decisions: list[GateDecision]
    # rows to name what the pulse names by key or ordinal (in the reader's language)
    items: dict[str, Any] = field(default_factory=dict)  # rows of key, name, name_zh
    phases: dict[int, Phase] = field(default_factory=dict)
    metrics: dict[str, Metric] = field(default_factory=dict)


def plan_since(review: SteeringReview, previous: SteeringReview | None) -> PlanSinceReview:
    """Compare this review's pulse with the previous review's; list gate decisions between."""
    pulse = pulse_from_json(review.plan_pulse) if review.plan_pulse else None
    before = pulse_from_json(previous.plan_pulse) if previous and previous.plan_pulse else None
    changes = None
    if pulse is not None and before is not None:
        calendar = program_calendar(review.program)
        changes = changes_between(before, pulse, calendar.workdays_between)
    query = select(GateDecision).where(
        GateDecision.program_id == review.program_id,
        GateDecision.decided_on <= review.held_on,
    )
    if previous is not None:
        query = query.where(GateDecision.decided_on > previous.held_on)
    decisions = list(db.session.scalars(query.order_by(GateDecision.decided_on, GateDecision.id)))
    program_id = review.program_id
    return PlanSinceReview(
        changes=changes,
        pulse=pulse,
        decisions=decisions,
        items={
            row.key: row
            for row in db.session.execute(
                select(WorkItem.key, WorkItem.name, WorkItem.name_zh).where(
                    WorkItem.program_id == program_id
                )
            )
        },
        phases={
            p.ordinal: p
            for p in db.session.scalars(select(Phase).where(Phase.program_id == program_id))
        },
        metrics={
            m.key: m
            for m in db.session.scalars(select(Metric).where(Metric.program_id == program_id))
        },
    )


@dataclass(frozen=True)
class SinceLastReview:
    """What moved between the latest review held before ``today`` and the program now."""

    review: SteeringReview
    changes: PulseChanges | None  # None when that review has no recorded pulse
    decisions: list[GateDecision]
    new_risks: int
    closed_risks: int


def since_last_review(program_id: int, today: date) -> SinceLastReview | None:
    """Compare the program today with its latest review before ``today`` (None: no review)."""
    review = db.session.scalars(
        select(SteeringReview)
        .where(SteeringReview.program_id == program_id, SteeringReview.held_on < today)
        .order_by(SteeringReview.held_on.desc())
        .limit(1)
    ).first()
    if review is None:
        return None
    changes = None
    if review.plan_pulse:
        calendar = program_calendar(review.program)
        before = pulse_from_json(review.plan_pulse)
        changes = changes_between(before, pulse_now(program_id, today), calendar.workdays_between)
    decisions = list(
        db.session.scalars(
            select(GateDecision)
            .where(
                GateDecision.program_id == program_id,
                GateDecision.decided_on > review.held_on,
                GateDecision.decided_on <= today,
            )
            .order_by(GateDecision.decided_on, GateDecision.id)
        )
    )
    then = {entry.key: entry.status for entry in review.entries}
    now = dict(
        db.session.execute(select(Risk.key, Risk.status).where(Risk.program_id == program_id)).all()
    )
    return SinceLastReview(
        review=review,
        changes=changes,
        decisions=decisions,
        new_risks=sum(1 for key in now if key not in then),
        closed_risks=sum(
            1 for key, status in now.items() if status == "closed" and then.get(key) != "closed"
        ),
    )
