"""The daily scan `planner notify send` runs before the digests: which reminders are due today
(items starting or late, risk actions and reviews due or overdue, gates coming), which gates'
outlook changed and which metrics turned Red. Each becomes notifications (found again
tomorrow, the same reminder is the same row: see ``Reminder.dedupe_key``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from planner.domain.notify import Dated, Reminder, reminders
from planner.extensions import db
from planner.models import Notification, NotifySettings, Program, Risk, WorkItem
from planner.services.notify import Audience, announce, link_to, links_to, record

HORIZON_DAYS = 14  # the furthest anyone may ask to be reminded ahead
_LINKS = {
    "workitem": ("plan.item", "item_id"),
    "action": ("risks.detail", "risk_id"),
    "review": ("risks.detail", "risk_id"),
}


@dataclass
class ScanResult:
    notifications: int = 0
    programs: int = 0


def scan_all(today: date) -> ScanResult:
    result = ScanResult()
    programs = db.session.scalars(select(Program).where(Program.status != "closed"))
    for program in list(programs):
        result.programs += 1
        result.notifications += scan_program(program, today)
    return result


def scan_program(program: Program, today: date) -> int:
    made = 0
    things, risk_of = _dated(program)
    lead_days = _lead_days()
    # the members and their settings once for every event of the scan, not per event
    audience = Audience(program.id)
    due = reminders(things, today, HORIZON_DAYS)
    links = links_to([_target(program, r, risk_of) for r in due])
    for reminder, link in zip(due, links, strict=True):
        made += _remind(program, reminder, link, lead_days, today, audience)
    made += _gates(program, today, audience)
    made += _metrics(program, today, audience)
    return made


def _lead_days() -> dict[int, int]:
    return {s.user_id: s.lead_days for s in db.session.scalars(select(NotifySettings))}


def _dated(program: Program) -> tuple[list[Dated], dict[int, int]]:
    things: list[Dated] = []
    items = db.session.scalars(select(WorkItem).where(WorkItem.program_id == program.id))
    for item in items:
        done = item.percent_complete >= 100 or item.actual_finish is not None
        start = None if item.actual_start else item.early_start
        things.append(
            Dated(
                "workitem",
                item.id,
                item.owner,
                item.name,
                item.name_zh,
                start,
                item.early_finish,
                done,
            )  # fmt: skip
        )
    risk_of: dict[int, int] = {}
    risks = db.session.scalars(
        select(Risk).where(Risk.program_id == program.id).options(selectinload(Risk.actions))
    )
    for risk in risks:
        if not (risk.is_open or risk.status == "occurred"):
            continue
        things.append(Dated("review", risk.id, risk.owner, f"{risk.key} {risk.title}",
                            _zh(risk.key, risk.title_zh), due=risk.review_date))  # fmt: skip
        risk_of[-risk.id] = risk.id
        for action in risk.actions:
            risk_of[action.id] = risk.id
            things.append(Dated("action", action.id, action.owner or risk.owner, action.title,
                                None, due=action.due_date, done=action.done))  # fmt: skip
    return things, risk_of


def _zh(key: str, title: str | None) -> str | None:
    return f"{key} {title}" if title else None


def _target(program: Program, r: Reminder, risk_of: dict[int, int]) -> tuple[str, dict[str, Any]]:
    """Where a reminder links to: the work item, or the risk of a review or an action."""
    endpoint, arg = _LINKS[r.subject_type]
    target = (
        r.subject_id
        if r.subject_type == "workitem"
        else risk_of.get(
            r.subject_id if r.subject_type == "action" else -r.subject_id, r.subject_id
        )
    )
    return endpoint, {"program_id": program.id, arg: target}


def _remind(
    program: Program,
    r: Reminder,
    link: str,
    lead_days: dict[int, int],
    today: date,
    audience: Audience,
) -> int:
    people, matched = audience.owners(r.owner)
    ahead = (r.day - today).days
    if ahead > 0:  # a reminder ahead: only for those who asked to be told this early
        people = [p for p in people if ahead <= lead_days.get(p.id, 3)]
    params: dict[str, Any] = {
        **r.params, "owner": r.owner or "", "as_lead": not matched, "program": program.name
    }  # fmt: skip
    return record(people, program.id, r.event, params, link, r.dedupe_key, audience=audience)


def _gates(program: Program, today: date, audience: Audience) -> int:
    from planner.services.gates import gate_reports

    made = 0
    _, reports = gate_reports(program.id, today)
    people = audience.members(("lead", "steering"))
    for report in reports:
        days = report.days_to_gate
        if days < 0 or days > HORIZON_DAYS or report.latest_decision is not None:
            continue
        phase = report.phase
        outlook = report.evaluation.overall
        params = {
            "name": phase.name,
            "name_zh": phase.name_zh,
            "day": phase.window_end.isoformat(),
            "days": days,
            "outlook": outlook,
            "program": program.name,
        }
        link = link_to("gates.show", program_id=program.id, ordinal=phase.ordinal)
        before = _last_outlook(program.id, phase.id)
        key = f"gate_soon:{phase.id}:{phase.window_end.isoformat()}"
        made += announce(people, program.id, "gate_soon", params, link, key, audience=audience)
        if before is not None and before != outlook:
            params = {**params, "before": before}
            key = f"gate_outlook:{phase.id}:{today.isoformat()}:{outlook}"
            made += announce(
                people, program.id, "gate_outlook", params, link, key, audience=audience
            )
    return made


def _last_outlook(program_id: int, phase_id: int) -> str | None:
    """The outlook last told (the notifications remember it: no state of their own)."""
    row = db.session.scalar(
        select(Notification.params)
        .where(
            Notification.program_id == program_id,
            Notification.event.in_(("gate_soon", "gate_outlook")),
            Notification.dedupe_key.like(f"gate_%:{phase_id}:%"),
        )
        .order_by(Notification.id.desc())
        .limit(1)
    )
    return str(row.get("outlook")) if isinstance(row, dict) and row.get("outlook") else None


def _metrics(program: Program, today: date, audience: Audience) -> int:
    from planner.services.metrics import metric_rows

    made = 0
    for row in metric_rows(program, today):
        latest = row.status.latest
        if row.status.status != "red" or latest is None:
            continue
        previous = [r for r in row.readings if r.day < latest.day]
        metric = row.metric
        people, matched = audience.owners(metric.owner)
        params = {
            "name": metric.name,
            "name_zh": getattr(metric, "name_zh", None),
            "day": latest.day.isoformat(),
            "program": program.name,
            "owner": metric.owner or "",
            "as_lead": not matched,
            "first": not previous,
        }
        link = link_to("metrics.detail", program_id=program.id, metric_id=metric.id)
        key = f"metric_red:{metric.id}:{latest.day.isoformat()}"
        made += announce(people, program.id, "metric_red", params, link, key, audience=audience)
    return made
