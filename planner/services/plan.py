"""Editing the plan: work items, dependencies, progress, the calendar (baselines:
:mod:`planner.services.baselines`).

Each function validates what it is given (forms only check shapes), changes rows, then
recomputes the schedule and returns the :class:`~planner.services.scheduling.Outcome` (what
moved). Bad input raises :class:`ValidationError` with ``(field, message)`` pairs named after
the form fields, before anything is written; the caller commits on success and rolls back
on any error, so a refused edit changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

import planner.models.baseline  # noqa: F401  (registers the baseline tables)
from planner.domain.errors import NotFoundError, Problem, ValidationError
from planner.domain.item_keys import key_for
from planner.domain.limits import MAX_TASK_DAYS
from planner.domain.progress import Progress, checked_progress
from planner.domain.schedule import MAX_LAG, MAX_YEARS_FROM_START
from planner.extensions import db
from planner.models import CalendarException, Dependency, Phase, Program, WorkItem
from planner.models.baseline import Baseline

# baselines live in their own module; their names stay importable from here
from planner.services.baselines import (  # noqa: F401
    BaselineSummary,
    baseline_summaries,
    delete_baseline,
    list_baselines,
    record_baseline,
    take_baseline,
)
from planner.services.concurrency import check_version

# what moved, worded: its own module; its names stay importable from here
from planner.services.plan_moves import MoveView, count_moved, describe_moves  # noqa: F401
from planner.services.scheduling import (
    ItemEdited,
    LinkAdded,
    LinkRemoved,
    Outcome,
    program_calendar,  # noqa: F401 (the plan pages and the API take it from here)
    reschedule,
    status_date_of,
)

KEY_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
CONSTRAINT_TYPES = ("SNET", "FNLT")


# --------------------------------------------------------------------------- lookups


def get_item(program: Program, item_id: int) -> WorkItem:
    item = db.session.get(WorkItem, item_id)
    if item is None or item.program_id != program.id:
        raise NotFoundError(problems=[Problem("", "row.not_found")])
    return item


def get_dependency(program: Program, dependency_id: int) -> Dependency:
    dependency = db.session.get(Dependency, dependency_id)
    if dependency is None or dependency.program_id != program.id:
        raise NotFoundError(problems=[Problem("", "row.not_found")])
    return dependency


def get_baseline(program: Program, baseline_id: int) -> Baseline:
    baseline = db.session.get(Baseline, baseline_id)
    if baseline is None or baseline.program_id != program.id:
        raise NotFoundError(problems=[Problem("", "row.not_found")])
    return baseline


def item_dependencies(item: WorkItem) -> tuple[list[Dependency], list[Dependency]]:
    """(links into the item, links out of it), with the other end loaded, in two queries."""
    from sqlalchemy.orm import joinedload

    incoming = db.session.scalars(
        select(Dependency)
        .options(joinedload(Dependency.predecessor))
        .where(Dependency.successor_id == item.id)
        .order_by(Dependency.id)
    ).all()
    outgoing = db.session.scalars(
        select(Dependency)
        .options(joinedload(Dependency.successor))
        .where(Dependency.predecessor_id == item.id)
        .order_by(Dependency.id)
    ).all()
    return list(incoming), list(outgoing)


def workstreams(program: Program) -> list[str]:
    rows = db.session.scalars(
        select(WorkItem.workstream)
        .where(WorkItem.program_id == program.id, WorkItem.workstream.is_not(None))
        .distinct()
    )
    return sorted(row for row in rows if row is not None)


def suggest_key(program: Program, name: str) -> str:
    """A key for a new item named ``name``, unique in the program (nothing is reserved)."""
    return key_for(name or "", item_keys(program))


def item_keys(program: Program) -> list[str]:
    return list(
        db.session.scalars(
            select(WorkItem.key)
            .where(WorkItem.program_id == program.id)
            .order_by(WorkItem.position, WorkItem.id)
        )
    )


# --------------------------------------------------------------------------- validation


def _check_date_range(
    program: Program, value: date | None, field: str, errors: list[Problem]
) -> None:
    if value is None:
        return
    limit = MAX_YEARS_FROM_START * 365
    if abs((value - program.start_date).days) > limit:
        errors.append(
            Problem(
                field,
                "plan.date_far",
                {"day": value.isoformat(), "years": str(MAX_YEARS_FROM_START)},
            )
        )


def _clean(text: str | None, limit: int) -> str | None:
    text = (text or "").strip()
    return text[:limit] if text else None


@dataclass(frozen=True)
class ItemDetails:
    """The editable description of a work item (not its place, not its progress)."""

    name: str
    kind: str = "task"
    duration_days: int = 1
    owner: str | None = None
    constraint_type: str | None = None
    constraint_date: date | None = None
    deliverable: str | None = None


def _validate_details(program: Program, details: ItemDetails) -> list[Problem]:
    errors: list[Problem] = []
    if not details.name or not details.name.strip():
        errors.append(Problem("name", "plan.item.name_required"))
    elif len(details.name.strip()) > 300:
        errors.append(Problem("name", "field.too_long", {"max": 300}))
    if details.kind not in ("task", "milestone"):
        errors.append(Problem("kind", "plan.item.kind", {"value": details.kind}))
    elif details.kind == "task" and not 1 <= details.duration_days <= MAX_TASK_DAYS:
        errors.append(
            Problem(
                "duration_days",
                "plan.item.duration",
                {"max": str(MAX_TASK_DAYS), "value": str(details.duration_days)},
            )
        )
    ctype = details.constraint_type or None
    if ctype is not None and ctype not in CONSTRAINT_TYPES:
        errors.append(Problem("constraint_type", "plan.item.constraint_type", {"value": ctype}))
    if ctype and details.constraint_date is None:
        errors.append(Problem("constraint_date", "plan.item.constraint_date_missing"))
    if not ctype and details.constraint_date is not None:
        errors.append(Problem("constraint_type", "plan.item.constraint_type_missing"))
    _check_date_range(program, details.constraint_date, "constraint_date", errors)
    return errors


def _apply_details(item: WorkItem, details: ItemDetails) -> None:
    item.name = details.name.strip()
    item.kind = details.kind
    item.duration_days = 0 if details.kind == "milestone" else details.duration_days
    item.owner = _clean(details.owner, 120)
    item.deliverable = _clean(details.deliverable, 5000)
    item.constraint_type = details.constraint_type or None
    item.constraint_date = details.constraint_date if details.constraint_type else None
    if item.kind == "milestone":
        # a milestone is done or not: one date says when it happened
        if item.actual_start and not item.actual_finish:
            item.actual_finish = item.actual_start
        if item.actual_finish:
            item.actual_start = item.actual_finish
            item.percent_complete = 100
        elif item.percent_complete not in (0, 100):
            item.percent_complete = 0


def _phase_of(program: Program, phase_id: int | None) -> Phase:
    for phase in program.phases:
        if phase.id == phase_id:
            return phase
    raise ValidationError(problems=[Problem("phase", "plan.phase_unknown")])


def _workstream(value: str | None) -> str | None:
    return _clean(value, 64)


# --------------------------------------------------------------------------- work items


def add_item(
    program: Program,
    *,
    key: str | None,
    phase_id: int,
    workstream: str | None,
    details: ItemDetails,
    predecessor_key: str | None = None,
) -> tuple[WorkItem, Outcome]:
    """Add a work item (optionally finish-to-start after ``predecessor_key``); without a
    key it gets one made from its name (:func:`suggest_key`)."""
    key = (key or "").strip() or suggest_key(program, details.name)
    errors = _validate_details(program, details)
    if not KEY_PATTERN.match(key):
        errors.append(Problem("key", "plan.item.key_pattern"))
    elif db.session.scalar(
        select(WorkItem.id).where(WorkItem.program_id == program.id, WorkItem.key == key)
    ):
        errors.append(Problem("key", "plan.item.key_taken", {"key": key}))
    phase = None
    try:
        phase = _phase_of(program, phase_id)
    except ValidationError as exc:
        errors.extend(exc.problems)
    predecessor = None
    if predecessor_key and predecessor_key.strip():
        predecessor = _item_by_key(program, predecessor_key.strip())
        if predecessor is None:
            errors.append(
                Problem("predecessor", "plan.item_unknown", {"key": predecessor_key.strip()})
            )
    if errors:
        raise ValidationError(problems=errors)
    assert phase is not None
    position = db.session.scalar(
        select(func.coalesce(func.max(WorkItem.position), -1)).where(
            WorkItem.program_id == program.id
        )
    )
    item = WorkItem(
        program_id=program.id,
        key=key,
        workstream=_workstream(workstream),
        position=int(position or 0) + 1,
        percent_complete=0,
    )
    _apply_details(item, details)
    phase.work_items.append(item)
    db.session.flush()
    if predecessor is not None:
        db.session.add(
            Dependency(
                program_id=program.id,
                predecessor_id=predecessor.id,
                successor_id=item.id,
                type="FS",
                lag_days=0,
            )
        )
    return item, reschedule(program)


def update_item(
    program: Program, item: WorkItem, details: ItemDetails, version: int | str | None
) -> Outcome:
    """Change an item's name, kind, duration, owner or constraint."""
    check_version(item, version)
    errors = _validate_details(program, details)
    if errors:
        raise ValidationError(problems=errors)
    _apply_details(item, details)
    return reschedule(program, edit=ItemEdited(item))


def move_item(
    program: Program,
    item: WorkItem,
    phase_id: int,
    workstream: str | None,
    version: int | str | None,
) -> Outcome:
    """Put an item in another phase and/or workstream (its links stay)."""
    check_version(item, version)
    phase = _phase_of(program, phase_id)
    item.phase = phase
    item.phase_id = phase.id
    item.workstream = _workstream(workstream)
    return reschedule(program, edit=ItemEdited(item))


def delete_item(program: Program, item: WorkItem, version: int | str | None) -> Outcome:
    """Delete an item and its dependencies (each one recorded in the audit trail)."""
    check_version(item, version)
    incoming, outgoing = item_dependencies(item)
    for dependency in [*incoming, *outgoing]:
        db.session.delete(dependency)
    db.session.flush()
    item.phase.work_items.remove(item)
    db.session.delete(item)
    return reschedule(program)


def set_progress(
    program: Program,
    item: WorkItem,
    *,
    percent_complete: int,
    actual_start: date | None,
    actual_finish: date | None,
    version: int | str | None,
) -> Outcome:
    """Record progress: percent complete and actual dates (none after the status date)."""
    check_version(item, version)
    progress, errors = checked_progress(
        Progress(percent_complete, actual_start, actual_finish),
        milestone=item.is_milestone,
        start=program.start_date,
        status=status_date_of(program),
    )
    if errors:
        raise ValidationError(problems=errors)
    item.percent_complete = progress.percent_complete
    item.actual_start = progress.actual_start
    item.actual_finish = progress.actual_finish
    return reschedule(program, edit=ItemEdited(item))


# --------------------------------------------------------------------------- dependencies


def _item_by_key(program: Program, key: str) -> WorkItem | None:
    return db.session.scalar(
        select(WorkItem).where(WorkItem.program_id == program.id, WorkItem.key == key)
    )


def add_dependency(
    program: Program, predecessor_key: str, successor_key: str, dep_type: str, lag: int
) -> tuple[Dependency, Outcome]:
    """Link two items by key; unknown keys, bad type or lag, duplicates and cycles refused."""
    predecessor_key = (predecessor_key or "").strip()
    successor_key = (successor_key or "").strip()
    errors: list[Problem] = []
    predecessor = _item_by_key(program, predecessor_key) if predecessor_key else None
    successor = _item_by_key(program, successor_key) if successor_key else None
    for field, key, found in (
        ("predecessor", predecessor_key, predecessor),
        ("successor", successor_key, successor),
    ):
        if not key:
            errors.append(Problem(field, "plan.link.key_required"))
        elif found is None:
            errors.append(Problem(field, "plan.item_unknown", {"key": key}))
    if not isinstance(lag, int) or isinstance(lag, bool) or not -MAX_LAG <= lag <= MAX_LAG:
        errors.append(Problem("lag", "plan.link.lag", {"max": str(MAX_LAG)}))
    if dep_type not in ("FS", "SS", "FF", "SF"):
        errors.append(Problem("type", "plan.link.type", {"value": dep_type}))
    if errors:
        raise ValidationError(problems=errors)
    assert predecessor is not None and successor is not None
    if predecessor.id == successor.id:
        errors.append(Problem("successor", "plan.link.self"))
    elif db.session.scalar(
        select(Dependency.id).where(
            Dependency.predecessor_id == predecessor.id, Dependency.successor_id == successor.id
        )
    ):
        errors.append(
            Problem(
                "successor",
                "plan.link.duplicate",
                {"successor": successor.key, "predecessor": predecessor.key},
            )
        )
    if errors:
        raise ValidationError(problems=errors)
    dependency = Dependency(
        program_id=program.id,
        predecessor_id=predecessor.id,
        successor_id=successor.id,
        type=dep_type,
        lag_days=lag,
    )
    db.session.add(dependency)
    # the compiled schedule refuses a cycle (naming it) before anything is written
    edit = LinkAdded(predecessor.key, successor.key, dep_type, lag)  # type: ignore[arg-type]  # the form's choices allow only the Literal's values
    outcome = reschedule(program, edit=edit)
    return dependency, outcome


def delete_dependency(program: Program, dependency: Dependency) -> Outcome:
    edit = LinkRemoved(dependency.predecessor.key, dependency.successor.key)
    db.session.delete(dependency)
    return reschedule(program, edit=edit)


# --------------------------------------------------------------------------- calendar


def add_calendar_day(program: Program, day: date, working: bool, name: str) -> Outcome:
    """Add a holiday (``working`` False) or an extra working day (True)."""
    errors: list[Problem] = []
    if any(e.day == day for e in program.calendar_exceptions):
        errors.append(Problem("day", "plan.calendar.listed", {"day": day.isoformat()}))
    _check_date_range(program, day, "day", errors)
    if len((name or "").strip()) > 200:
        errors.append(Problem("name", "field.too_long", {"max": 200}))
    if errors:
        raise ValidationError(problems=errors)
    program.calendar_exceptions.append(
        CalendarException(day=day, working=working, name=(name or "").strip())
    )
    return reschedule(program)


def delete_calendar_day(program: Program, exception_id: int) -> Outcome:
    for exception in program.calendar_exceptions:
        if exception.id == exception_id:
            program.calendar_exceptions.remove(exception)
            db.session.delete(exception)
            return reschedule(program)
    raise NotFoundError(problems=[Problem("", "row.not_found")])


def set_status_date(program: Program, day: date | None, version: int | str | None) -> Outcome:
    """Set (or clear, to follow today) the date the progress is reported at."""
    check_version(program, version)
    effective = day or date.today()
    errors: list[Problem] = []
    _check_date_range(program, day, "status_date", errors)
    later = db.session.scalars(
        select(WorkItem.key)
        .where(
            WorkItem.program_id == program.id,
            (WorkItem.actual_start > effective) | (WorkItem.actual_finish > effective),
        )
        .order_by(WorkItem.position)
        .limit(4)
    ).all()
    if later:
        listed = ", ".join(later[:3]) + (" …" if len(later) > 3 else "")
        errors.append(
            Problem(
                "status_date",
                "plan.status_date.before_actuals",
                {"day": effective.isoformat(), "items": listed},
            )
        )
    if errors:
        raise ValidationError(problems=errors)
    program.status_date = day
    return reschedule(program)
