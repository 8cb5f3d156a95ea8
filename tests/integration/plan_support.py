"""Helpers of the plan tests: a program with a fixed status date, and database snapshots."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from planner.models import CalendarException, Dependency, Program, WorkItem
from planner.models.baseline import Baseline, BaselineItem
from planner.services.plan import ItemDetails
from planner.services.playbooks import get_playbook
from planner.services.programs import create_program
from planner.services.scheduling import reschedule

START = date(2026, 3, 2)  # a Monday
STATUS = date(2026, 3, 2)


def make_program(
    db: Any,
    *,
    playbook: str = "crm-four-100-days",
    start: date = START,
    status: date | None = STATUS,
    name: str = "Plan test",
) -> Program:
    """A committed program whose schedule does not depend on today's date."""
    program = create_program(get_playbook(playbook), name=name, client="Client", start_date=start)
    program.status_date = status
    reschedule(program)
    db.session.commit()
    return program


def item(db: Any, program: Program, key: str) -> WorkItem:
    return db.session.scalars(
        select(WorkItem).where(WorkItem.program_id == program.id, WorkItem.key == key)
    ).one()


def snapshot(db: Any, program_id: int) -> dict[str, Any]:
    """Every plan row of a program, as plain tuples (to prove nothing changed)."""
    db.session.expire_all()

    def rows(model: Any, *where: Any) -> list[tuple[Any, ...]]:
        table = model.__table__
        query = select(table).where(*where).order_by(table.c.id)
        return [tuple(r) for r in db.session.execute(query)]

    baseline_ids = select(Baseline.id).where(Baseline.program_id == program_id)
    return {
        "program": rows(Program, Program.id == program_id),
        "items": rows(WorkItem, WorkItem.program_id == program_id),
        "dependencies": rows(Dependency, Dependency.program_id == program_id),
        "calendar": rows(CalendarException, CalendarException.program_id == program_id),
        "baselines": rows(Baseline, Baseline.program_id == program_id),
        "baseline_items": rows(BaselineItem, BaselineItem.baseline_id.in_(baseline_ids)),
    }


def item_details(item: WorkItem, days: int) -> ItemDetails:
    """The item's details as its edit form would send them, with ``days`` as its duration."""
    return ItemDetails(
        name=item.name,
        kind=item.kind,
        duration_days=days,
        owner=item.owner,
        constraint_type=item.constraint_type,
        constraint_date=item.constraint_date,
        deliverable=item.deliverable,
    )
