"""Loading a program's risks with their actions and links, and their domain snapshots."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from planner.domain.errors import NotFoundError, Problem
from planner.domain.risk import (
    ActionSnapshot,
    RiskSnapshot,
)
from planner.extensions import db
from planner.models.plan import Phase, WorkItem
from planner.models.risk import (
    Risk,
    RiskPhaseLink,
    RiskWorkItemLink,
)

# --------------------------------------------------------------------------- loading


def _risk_query(program_id: int) -> Any:
    return (
        select(Risk)
        .where(Risk.program_id == program_id)
        .options(
            selectinload(Risk.actions),
            selectinload(Risk.item_links)
            .joinedload(RiskWorkItemLink.work_item)
            .joinedload(WorkItem.phase),
            selectinload(Risk.phase_links).joinedload(RiskPhaseLink.phase),
            joinedload(Risk.proximity_phase),
        )
        .order_by(Risk.id)
    )


def load_risks(program_id: int) -> list[Risk]:
    """Every risk of the program with its actions and links (a fixed number of queries)."""
    return list(db.session.scalars(_risk_query(program_id)).unique())


def get_risk(program_id: int, risk_id: int) -> Risk:
    risk = db.session.scalars(_risk_query(program_id).where(Risk.id == risk_id)).unique().first()
    if risk is None:
        raise NotFoundError(problems=[Problem("", "row.not_found")])
    return risk


def program_phases(program_id: int) -> list[Phase]:
    return list(
        db.session.scalars(
            select(Phase).where(Phase.program_id == program_id).order_by(Phase.ordinal)
        )
    )


def program_work_items(program_id: int) -> list[WorkItem]:
    return list(
        db.session.scalars(
            select(WorkItem)
            .where(WorkItem.program_id == program_id)
            .options(joinedload(WorkItem.phase))
            .order_by(WorkItem.position, WorkItem.id)
        )
    )


def threatened_phase_keys(risk: Risk) -> tuple[str, ...]:
    """Phases the risk is linked to, directly or through a linked work item."""
    keys = [link.phase.key for link in risk.phase_links]
    keys += [link.work_item.phase.key for link in risk.item_links]
    return tuple(dict.fromkeys(keys))


def snapshot_of(risk: Risk) -> RiskSnapshot:
    """The domain view of a risk row (actions and links must be loaded)."""
    return RiskSnapshot(
        key=risk.key,
        title=risk.title,
        status=risk.status,
        category=risk.category or None,
        owner=risk.owner or None,
        inherent_likelihood=risk.likelihood,
        inherent_impact=risk.impact,
        residual_likelihood=risk.residual_likelihood,
        residual_impact=risk.residual_impact,
        review_date=risk.review_date,
        actions=tuple(ActionSnapshot(a.title, a.owner, a.due_date, a.done) for a in risk.actions),
        phase=risk.proximity_phase.key if risk.proximity_phase else None,
        threatened_phases=threatened_phase_keys(risk),
    )


def on_critical_path(risk: Risk) -> bool:
    return any(link.work_item.is_critical for link in risk.item_links)
