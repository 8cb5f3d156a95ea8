"""Helpers shared by the metrics, gates and dashboard tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import event, func, select

from planner.extensions import db
from planner.models import AuditEvent, Metric, MetricReading, Program
from planner.models.gate import GateCriterion, GateDecision
from planner.models.metric import StatusSettings
from planner.services.playbooks import get_playbook
from planner.services.programs import create_program
from tests.conftest import FROZEN_TODAY

#: the day the programs are made around: the frozen one. Every test module using these
#: helpers runs on the frozen clock (``pytestmark = pytest.mark.usefixtures("today")``), so
#: the pages judge on the same day whatever the machine's date.
TODAY = FROZEN_TODAY


def make_program(name: str = "Northwind", days_ago: int = 150, playbook: str = "crm-four-100-days"):
    """A program started ``days_ago`` days before today (150: 22 days into phase 2)."""
    program = create_program(
        get_playbook(playbook),
        name=name,
        client=f"{name} Ltd",
        start_date=TODAY - timedelta(days=days_ago),
    )
    db.session.commit()
    return program


def metric(program: Program, key: str) -> Metric:
    return db.session.scalars(
        select(Metric).where(Metric.program_id == program.id, Metric.key == key)
    ).one()


def snapshot() -> dict[str, Any]:
    """Row counts and every reading: equal before and after means nothing changed."""
    counts = {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (
            Metric,
            MetricReading,
            GateCriterion,
            GateDecision,
            StatusSettings,
            AuditEvent,
        )
    }
    readings = sorted(
        (r.metric_id, r.day, r.value, r.note) for r in db.session.scalars(select(MetricReading))
    )
    db.session.expire_all()
    return {"counts": counts, "readings": readings}


@contextmanager
def count_queries() -> Iterator[list[str]]:
    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)
