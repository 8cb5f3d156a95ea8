"""Helpers shared by the risk-area integration tests (test_risks_*.py)."""

from __future__ import annotations

import html
import json
import re
from datetime import date
from typing import Any

from sqlalchemy import func, select

from planner.extensions import db
from planner.models import AuditEvent, Program, WorkItem
from planner.models.review import ReviewDecision, RiskReviewEntry, SteeringReview
from planner.models.risk import Risk, RiskAction, RiskPhaseLink, RiskWorkItemLink
from planner.services.playbooks import get_playbook
from planner.services.programs import create_program

RISK_TABLES = (
    Risk,
    RiskAction,
    RiskWorkItemLink,
    RiskPhaseLink,
    SteeringReview,
    RiskReviewEntry,
    ReviewDecision,
    AuditEvent,
)


def new_program(name: str = "Acme rollout", playbook: str = "crm-four-100-days") -> Program:
    program = create_program(
        get_playbook(playbook), name=name, client="Acme Ltd", start_date=date(2026, 1, 5)
    )
    db.session.commit()
    return program


def risk(program: Program, key: str) -> Risk:
    return db.session.scalars(
        select(Risk).where(Risk.program_id == program.id, Risk.key == key)
    ).one()


def item(program: Program, key: str) -> WorkItem:
    return db.session.scalars(
        select(WorkItem).where(WorkItem.program_id == program.id, WorkItem.key == key)
    ).one()


def database_state() -> dict[str, Any]:
    """Every row of the risk tables (and the audit trail), to assert that nothing changed."""
    db.session.expire_all()
    state: dict[str, Any] = {}
    for model in RISK_TABLES:
        rows = db.session.execute(select(model.__table__).order_by(model.__table__.c.id)).all()
        state[model.__tablename__] = [tuple(row) for row in rows]
    return state


def count(model: Any) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def figure(html: str, figure_id: str) -> dict[str, Any]:
    """The plotly figure a page embeds as JSON beside <div id=figure_id>."""
    match = re.search(
        rf'<script type="application/json" id="{re.escape(figure_id)}-json">(.*?)</script>',
        html,
        re.S,
    )
    assert match, f"no figure {figure_id} on the page"
    return json.loads(match.group(1))


def risk_form(r: Risk, **changes: Any) -> dict[str, Any]:
    """The edit form as the page would post it, with ``changes``."""
    data: dict[str, Any] = {
        "title": r.title,
        "title_zh": r.title_zh or "",
        "category": r.category,
        "owner": r.owner or "",
        "description": r.description,
        "description_zh": r.description_zh or "",
        "cause": r.cause,
        "cause_zh": r.cause_zh or "",
        "effect": r.effect,
        "effect_zh": r.effect_zh or "",
        "likelihood": str(r.likelihood),
        "impact": str(r.impact),
        "residual_likelihood": "" if r.residual_likelihood is None else str(r.residual_likelihood),
        "residual_impact": "" if r.residual_impact is None else str(r.residual_impact),
        "response": r.response,
        "mitigation": r.mitigation,
        "mitigation_zh": r.mitigation_zh or "",
        "contingency": r.contingency,
        "trigger": r.trigger,
        "proximity_date": r.proximity_date.isoformat() if r.proximity_date else "",
        "proximity_phase_id": str(r.proximity_phase_id or ""),
        "review_date": r.review_date.isoformat() if r.review_date else "",
        "status": r.status,
        "issue_note": r.issue_note,
        "version": str(r.version),
    }
    data.update(changes)
    return data


def text(response: Any) -> str:
    """A response's page as text, HTML entities decoded (so quotes read as quotes)."""
    return html.unescape(response.get_data(as_text=True))
