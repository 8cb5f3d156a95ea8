"""Helpers of the exchange tests: the app with the exchange blueprint, programs, snapshots.

Until ``planner/web/__init__.py`` registers the blueprint and ``planner/web/policy.py``
lists its endpoints, the ``app`` fixture here does both (only what is missing), so the tests
run the same before and after.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from sqlalchemy import event, func, select

from planner.models import Membership, Program, WorkItem
from planner.services.playbooks import get_playbook
from planner.services.programs import create_program
from planner.services.scheduling import reschedule

START = date(2026, 3, 2)  # a Monday
STATUS = date(2026, 3, 2)


def make_program(
    db: Any,
    *,
    name: str = "Acme rollout",
    client: str = "Acme Co",
    playbook: str = "crm-four-100-days",
    status: date | None = STATUS,
) -> Program:
    """A committed program whose schedule does not depend on today's date."""
    program = create_program(get_playbook(playbook), name=name, client=client, start_date=START)
    program.status_date = status
    reschedule(program)
    db.session.commit()
    return program


def item(db: Any, program: Program, key: str) -> WorkItem:
    return db.session.scalars(
        select(WorkItem).where(WorkItem.program_id == program.id, WorkItem.key == key)
    ).one()


def table_counts(db: Any) -> dict[str, int]:
    """Rows in every table: an import that fails must leave every count as it was."""
    db.session.expire_all()
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def program_rows(db: Any, program_id: int) -> dict[str, list[tuple[Any, ...]]]:
    """A program's items and dependencies as plain tuples."""
    from planner.models import Dependency

    db.session.expire_all()
    out = {}
    for name, model in (("items", WorkItem), ("dependencies", Dependency)):
        table = model.__table__
        query = select(table).where(table.c.program_id == program_id).order_by(table.c.id)
        out[name] = [tuple(r) for r in db.session.execute(query)]
    return out


def upload(http: Any, url: str, filename: str, data: bytes, /, **fields: Any) -> Any:
    """POST a file (and form fields) as a browser does; ``http`` is a test client."""
    form = {"file": (io.BytesIO(data), filename), **fields}
    return http.post(url, data=form, content_type="multipart/form-data")


def add_member(db: Any, program: Program, user: Any, role: str) -> None:
    db.session.add(Membership(user_id=user.id, program_id=program.id, role=role))
    db.session.commit()


@contextmanager
def count_queries(db: Any) -> Iterator[list[str]]:
    statements: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


def demo_program(db: Any, today: date) -> Program:
    """The demo's program: 150 days in, with progress, risks, readings and decisions."""
    from planner.demodata import metrics as demo_metrics
    from planner.demodata import plan as demo_plan
    from planner.demodata import risks as demo_risks

    program = create_program(
        get_playbook("crm-four-100-days", "1.0"),
        name="Northwind — CRM rollout",
        client="Northwind Industrial Co.",
        start_date=today - timedelta(days=150),
    )
    db.session.flush()
    for area in (demo_plan, demo_risks, demo_metrics):
        area.populate(program, today)
        db.session.flush()
    db.session.commit()
    return program
