"""A gate report of a program the session already holds, with every collection a report
reads, reads nothing again (the demo builds several in one transaction); what the read's
autoflush wrote is still written first, and anything not loaded is read as before."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from planner.domain.errors import NotFoundError
from planner.models import AuditEvent
from planner.services import gates
from tests.integration.exchange_support import count_queries
from tests.integration.plan_support import make_program

TODAY = date(2026, 3, 2)


def _overall(reports: list[gates.GateReport]) -> list[tuple[str, str]]:
    return [(r.phase.key, r.evaluation.overall) for r in reports]


def test_a_held_program_is_not_read_again(db) -> None:  # type: ignore[no-untyped-def]
    program = make_program(db)
    with count_queries(db) as first_read:
        held, reports = gates.gate_reports(program.id, TODAY)
    assert any(s.lstrip().startswith("SELECT work_item") for s in first_read)
    with count_queries(db) as second_read:
        again = gates.load_program(program.id)
    assert again is held and second_read == []
    assert _overall(gates.gate_reports(program.id, TODAY)[1]) == _overall(reports)


def test_pending_changes_are_flushed_first_as_the_read_did(db) -> None:  # type: ignore[no-untyped-def]
    program = make_program(db)
    held = gates.load_program(program.id)
    held.risks[0].title = "Renamed before the report"
    with count_queries(db) as seen:
        gates.load_program(program.id)
    assert not db.session.dirty
    assert [s.split()[0] for s in seen] == ["UPDATE", "INSERT"]  # the risk, its audit row
    assert db.session.scalars(
        select(AuditEvent).where(AuditEvent.new_value == "Renamed before the report")
    ).one()


def test_a_collection_not_loaded_is_read_and_a_gone_program_is_not_found(db) -> None:  # type: ignore[no-untyped-def]
    program = make_program(db)
    held = gates.load_program(program.id)
    db.session.expire(held, ["risks"])
    with count_queries(db) as seen:
        assert gates.load_program(program.id) is held
    assert any("FROM risk" in s for s in seen) and len(held.risks) > 0
    db.session.expire(held.metrics[0], ["readings"])
    with count_queries(db) as seen:
        gates.load_program(program.id)
    assert any("FROM metric_reading" in s for s in seen)
    db.session.delete(held)
    with pytest.raises(NotFoundError):
        gates.load_program(program.id)
