"""Optimistic locking: a form or request carries the version it was built from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from planner.domain.errors import ConflictError, Problem
from planner.extensions import db
from planner.models.audit import Audited, AuditEvent


@dataclass(frozen=True)
class LastChange:
    actor: str
    at: datetime


class StaleEditError(ConflictError):
    """The row changed since the form was opened; ``theirs`` maps field → current value."""

    def __init__(self, entity: str, last: LastChange | None, current_version: int) -> None:
        self.entity = entity
        self.last = last
        self.current_version = current_version
        # who and when, worded by the page that shows the conflict (planner/messages/common.py)
        problem = (
            Problem("", "row.changed_by", {"actor": last.actor, "at": f"{last.at:%Y-%m-%d %H:%M}"})
            if last
            else Problem("", "row.stale")
        )
        super().__init__(problems=[problem])


def last_change(obj: Audited) -> LastChange | None:
    entity = obj.audit_entity()
    event = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity == entity, AuditEvent.entity_id == getattr(obj, "id", None))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(1)
    ).first()
    return LastChange(event.actor, event.at) if event else None


def check_version(obj: Audited, submitted_version: int | str | None) -> None:
    """Raise :class:`StaleEditError` when ``obj`` moved past the version the editor saw."""
    current = getattr(obj, "version")  # noqa: B009 - every locked model has it
    try:
        submitted = int(submitted_version) if submitted_version not in (None, "") else None
    except (TypeError, ValueError):
        submitted = None
    if submitted != current:
        entity = obj.audit_entity()
        raise StaleEditError(entity.replace("_", " "), last_change(obj), current)
