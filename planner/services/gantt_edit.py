"""Edits made on the Gantt chart, through the same plan services as the forms.

A drag of a bar sets a start-no-earlier-than constraint, a drag of its end the duration,
a drag between bars adds a dependency, a selected link can be removed. Each goes through
:mod:`planner.services.plan` (optimistic locking with the row version, validation, the
cycle check, the audit trail, the reschedule) and comes back as a :class:`GanttEdit`:
what the scheduler moved and the edit that undoes this one. The caller commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from planner.domain.cycles import cycle_text
from planner.domain.errors import DependencyCycleError, ValidationError
from planner.domain.ids import as_id
from planner.domain.limits import MAX_TASK_DAYS
from planner.extensions import db
from planner.models import Program, WorkItem
from planner.services import plan as plan_service
from planner.services.scheduling import Outcome

OPS = ("move", "duration", "restore", "link", "unlink")


@dataclass(frozen=True)
class GanttEdit:
    """What an edit did: the scheduler's outcome, the edited item's new version (for the
    next edit of the same bar), a new dependency's id, and the edit that reverts it."""

    outcome: Outcome
    item_id: int | None
    version: int | None
    dependency_id: int | None
    undo: dict[str, Any]


def apply_edit(program: Program, edit: Mapping[str, Any]) -> GanttEdit:
    """Apply one chart edit (``op`` one of :data:`OPS`; see the module docstring)."""
    op = edit.get("op")
    if op not in OPS:
        raise ValidationError.of("op", "field.not_a_choice", value=str(op))
    if op == "link":
        return _link(program, edit)
    if op == "unlink":
        return _unlink(program, edit)
    item = _item(program, edit.get("item"))
    details = _details(item)
    undo = {
        "op": "restore",
        "item": item.id,
        "duration": item.duration_days,
        "constraint": item.constraint_type or "",
        "date": item.constraint_date.isoformat() if item.constraint_date else None,
    }
    if op == "move":
        if item.actual_start is not None:
            # a started item's start is a fact (its progress), not a plan to move
            raise ValidationError.of("start", "gantt.started", key=item.key)
        start = _date(edit.get("start"), "start")
        details = replace(details, constraint_type="SNET", constraint_date=start)
    elif op == "duration":
        details = replace(details, duration_days=_days(edit.get("days"), item))
    else:  # restore: the duration and constraint an earlier edit replaced
        details = _restored(details, edit, item)
    outcome = plan_service.update_item(program, item, details, edit.get("version"))
    db.session.flush()  # the new row version, for the next edit of this bar
    return GanttEdit(outcome, item.id, item.version, None, {**undo, "version": item.version})


def _details(item: WorkItem) -> plan_service.ItemDetails:
    return plan_service.ItemDetails(
        name=item.name,
        kind=item.kind,
        duration_days=item.duration_days,
        owner=item.owner,
        constraint_type=item.constraint_type,
        constraint_date=item.constraint_date,
        deliverable=item.deliverable,
    )


def _restored(
    details: plan_service.ItemDetails, edit: Mapping[str, Any], item: WorkItem
) -> plan_service.ItemDetails:
    constraint = edit.get("constraint") or None
    if constraint not in (None, *plan_service.CONSTRAINT_TYPES):
        raise ValidationError.of("constraint", "field.not_a_choice", value=str(constraint))
    day = _date(edit.get("date"), "date") if constraint else None
    return replace(
        details,
        duration_days=_days(edit.get("duration"), item),
        constraint_type=constraint,
        constraint_date=day,
    )


def _item(program: Program, raw: Any) -> WorkItem:
    item_id = as_id(raw)
    if item_id is None:
        raise ValidationError.of("item", "field.unknown_reference", value=str(raw))
    return plan_service.get_item(program, item_id)


def _date(raw: Any, field: str) -> date:
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise ValidationError.of(field, "field.not_a_date") from None


def _days(raw: Any, item: WorkItem) -> int:
    if item.kind == "milestone":
        return 0
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise ValidationError.of("days", "field.not_a_number")
    if not 1 <= raw <= MAX_TASK_DAYS:
        raise ValidationError.of("days", "field.out_of_range", min=1, max=MAX_TASK_DAYS)
    return raw


def _link(program: Program, edit: Mapping[str, Any]) -> GanttEdit:
    predecessor = _item(program, edit.get("from"))
    successor = _item(program, edit.get("to"))
    lag = edit.get("lag", 0)
    if isinstance(lag, bool) or not isinstance(lag, int):
        raise ValidationError.of("lag", "field.not_a_number")
    try:
        dependency, outcome = plan_service.add_dependency(
            program, predecessor.key, successor.key, str(edit.get("type", "FS")), lag
        )
    except DependencyCycleError as exc:
        raise ValidationError.of("to", "dependency.cycle", cycle=cycle_text(exc.cycle)) from None
    db.session.flush()  # the new dependency's id
    undo = {"op": "unlink", "dependency": dependency.id}
    return GanttEdit(outcome, None, None, dependency.id, undo)


def _unlink(program: Program, edit: Mapping[str, Any]) -> GanttEdit:
    dependency_id = as_id(edit.get("dependency"))
    if dependency_id is None:
        raise ValidationError.of("dependency", "field.unknown_reference", value="?")
    dependency = plan_service.get_dependency(program, dependency_id)
    undo = {
        "op": "link",
        "from": dependency.predecessor_id,
        "to": dependency.successor_id,
        "type": dependency.type,
        "lag": dependency.lag_days or 0,
    }
    outcome = plan_service.delete_dependency(program, dependency)
    return GanttEdit(outcome, None, None, None, undo)
