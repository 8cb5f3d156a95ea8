"""A program's history: the audit trail, filtered."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import Blueprint, render_template, request
from sqlalchemy import select

from planner.extensions import db
from planner.models import AuditEvent
from planner.services.programs import get_program

bp = Blueprint("history", __name__)
PAGE_SIZE = 200


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@bp.get("/programs/<int:program_id>/history")
def index(program_id: int):  # type: ignore[no-untyped-def]
    program = get_program(program_id)
    args = request.args
    query = select(AuditEvent).where(AuditEvent.program_id == program.id)
    entity = args.get("entity", "")
    actor = args.get("actor", "")
    action = args.get("action", "")
    since, until = _day(args.get("since")), _day(args.get("until"))
    if entity:
        query = query.where(AuditEvent.entity == entity)
    if actor:
        query = query.where(AuditEvent.actor == actor)
    if action in ("create", "update", "delete"):
        query = query.where(AuditEvent.action == action)
    if since:
        query = query.where(AuditEvent.at >= datetime.combine(since, time.min))
    if until:
        query = query.where(AuditEvent.at < datetime.combine(until + timedelta(days=1), time.min))
    events = list(
        db.session.scalars(
            query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(PAGE_SIZE)
        )
    )
    facets = db.session.execute(
        select(AuditEvent.entity, AuditEvent.actor)
        .where(AuditEvent.program_id == program.id)
        .distinct()
    ).all()
    return render_template(
        "history/index.html",
        program=program,
        events=events,
        entities=sorted({e for e, _a in facets}),
        actors=sorted({a for _e, a in facets}),
        filters={
            "entity": entity,
            "actor": actor,
            "action": action,
            "since": args.get("since", ""),
            "until": args.get("until", ""),
        },
        page_size=PAGE_SIZE,
    )
