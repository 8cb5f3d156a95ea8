"""Baselines of a plan: take one (the schedule as it stands), list them with how far the
plan moved since, delete one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import case, func, insert, select

import planner.models.baseline  # noqa: F401  (registers the baseline tables)
from planner.domain.errors import Problem, ValidationError
from planner.extensions import db
from planner.models import Program, WorkItem
from planner.models.baseline import Baseline, BaselineItem
from planner.services.audit import current_actor
from planner.services.concurrency import check_version
from planner.services.scheduling import (
    program_calendar,
    refresh_if_stale,
    status_date_of,
)


def list_baselines(program: Program) -> list[Baseline]:
    return list(
        db.session.scalars(
            select(Baseline)
            .where(Baseline.program_id == program.id)
            .order_by(Baseline.taken_at.desc(), Baseline.id.desc())
        )
    )


def _check_baseline_name(program: Program, name: str) -> str:
    name = (name or "").strip()
    errors: list[Problem] = []
    if not name:
        errors.append(Problem("name", "plan.baseline.name_required"))
    elif len(name) > 200:
        errors.append(Problem("name", "field.too_long", {"max": 200}))
    elif db.session.scalar(
        select(Baseline.id).where(Baseline.program_id == program.id, Baseline.name == name)
    ):
        errors.append(Problem("name", "plan.baseline.name_taken", {"name": name}))
    if errors:
        raise ValidationError(problems=errors)
    return name


def record_baseline(
    program: Program,
    name: str,
    dates: dict[str, tuple[date, date, int]],
    *,
    taken_at: datetime | None = None,
    taken_by: str | None = None,
    status_date: date | None = None,
) -> Baseline:
    """Store a baseline from ``key → (start, finish, duration)``; keys must exist."""
    name = _check_baseline_name(program, name)
    ids = dict(
        db.session.execute(
            select(WorkItem.key, WorkItem.id).where(WorkItem.program_id == program.id)
        ).all()
    )
    unknown = sorted(set(dates) - set(ids))
    if unknown:
        raise ValidationError(problems=[Problem("items", "plan.item_unknown", {"key": unknown[0]})])
    baseline = Baseline(
        program_id=program.id,
        name=name,
        taken_at=taken_at or datetime.now(UTC).replace(tzinfo=None),
        taken_by=taken_by or current_actor(),
        status_date=status_date,
    )
    db.session.add(baseline)
    db.session.flush()
    rows = [
        {
            "baseline_id": baseline.id,
            "work_item_id": ids[key],
            "key": key,
            "start": start,
            "finish": finish,
            "duration_days": duration,
        }
        for key, (start, finish, duration) in dates.items()
    ]
    if rows:
        # one executemany: a baseline of thousands of items is one statement
        db.session.execute(insert(BaselineItem), rows)
    return baseline


def take_baseline(program: Program, name: str) -> Baseline:
    """Snapshot every item's current start, finish and duration under ``name``."""
    _check_baseline_name(program, name)
    refresh_if_stale(program)
    db.session.flush()
    rows = db.session.execute(
        select(WorkItem.key, WorkItem.early_start, WorkItem.early_finish, WorkItem.duration_days)
        .where(WorkItem.program_id == program.id, WorkItem.early_start.is_not(None))
        .order_by(WorkItem.position)
    ).all()
    dates = {key: (start, finish, duration) for key, start, finish, duration in rows}
    return record_baseline(program, name, dates, status_date=status_date_of(program))  # type: ignore[arg-type]  # scheduled items have both dates (the columns are nullable)


def delete_baseline(program: Program, baseline: Baseline, version: int | str | None) -> None:
    check_version(baseline, version)
    db.session.delete(baseline)


@dataclass(frozen=True)
class BaselineSummary:
    """A baseline beside today's plan: its finish, the slip, how many items moved later."""

    baseline: Baseline
    items: int
    finish: date | None
    current_finish: date | None
    finish_variance: int | None
    slipped: int
    removed: int


def baseline_summaries(program: Program) -> list[BaselineSummary]:
    """Every baseline of the program compared with the current plan (three queries)."""
    baselines = list_baselines(program)
    if not baselines:
        return []
    ids = [b.id for b in baselines]
    b = BaselineItem.__table__.c
    w = WorkItem.__table__.c
    totals = {
        row[0]: row[1:]
        for row in db.session.execute(
            select(
                b.baseline_id,
                func.count(),
                func.max(b.finish),
                func.sum(case((b.work_item_id.is_(None), 1), else_=0)),
                func.sum(case((w.early_finish > b.finish, 1), else_=0)),
            )
            .select_from(
                BaselineItem.__table__.outerjoin(WorkItem.__table__, w.id == b.work_item_id)
            )
            .where(b.baseline_id.in_(ids))
            .group_by(b.baseline_id)
        )
    }
    current_finish = db.session.scalar(
        select(func.max(w.early_finish)).where(w.program_id == program.id)
    )
    calendar = program_calendar(program)
    summaries = []
    for baseline in baselines:
        count, finish, removed, slipped = totals.get(baseline.id, (0, None, 0, 0))
        variance = (
            calendar.workdays_between(finish, current_finish)
            if finish is not None and current_finish is not None
            else None
        )
        summaries.append(
            BaselineSummary(
                baseline,
                int(count or 0),
                finish,
                current_finish,
                variance,
                int(slipped or 0),
                int(removed or 0),
            )
        )
    return summaries
