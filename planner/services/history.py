"""A program's audit trail, filtered: the events the History page lists and its filter choices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, select

from planner.extensions import db
from planner.models import AuditEvent, Program

ACTIONS = ("create", "update", "delete")


@dataclass(frozen=True)
class EventFilter:
    """Empty text and None filter nothing; an action other than ``ACTIONS`` is ignored."""

    entity: str = ""
    actor: str = ""
    action: str = ""
    since: date | None = None
    until: date | None = None  # inclusive: the whole day


def _filtered(query: Select[Any], wanted: EventFilter) -> Select[Any]:
    if wanted.entity:
        query = query.where(AuditEvent.entity == wanted.entity)
    if wanted.actor:
        query = query.where(AuditEvent.actor == wanted.actor)
    if wanted.action in ACTIONS:
        query = query.where(AuditEvent.action == wanted.action)
    if wanted.since:
        query = query.where(AuditEvent.at >= datetime.combine(wanted.since, time.min))
    if wanted.until:
        day_after = datetime.combine(wanted.until + timedelta(days=1), time.min)
        query = query.where(AuditEvent.at < day_after)
    return query


def events(program: Program, wanted: EventFilter, limit: int) -> list[AuditEvent]:
    """The program's latest events that pass the filter, newest first, at most ``limit``."""
    query = _filtered(select(AuditEvent).where(AuditEvent.program_id == program.id), wanted)
    newest_first = query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
    return list(db.session.scalars(newest_first))


def facets(program: Program) -> tuple[list[str], list[str]]:
    """The entities and the actors the program's trail holds (the filters' choices), sorted."""
    pairs = db.session.execute(
        select(AuditEvent.entity, AuditEvent.actor)
        .where(AuditEvent.program_id == program.id)
        .distinct()
    ).all()
    return sorted({entity for entity, _actor in pairs}), sorted({actor for _entity, actor in pairs})
