"""The portfolio reads work items as per-phase aggregates (no object per item), kept per
program revision, and shows exactly what it showed when it judged every item object."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from planner.models import Program, WorkItem
from planner.ops.cache import Stats as CacheStats
from planner.services import dashboard
from planner.services import metrics as metric_service
from planner.services.gates import decisions_by_phase, load_program, program_facts, program_query
from planner.services.generate import generate_program
from tests.conftest import _empty_all_tables, make_app
from tests.integration.demo_copy import load_demo_copy

DAY = date(2026, 3, 16)


@pytest.fixture()
def app(schema_database: str, tmp_path):  # type: ignore[no-untyped-def]
    """The app with a file cache of its own (the root fixture turns the cache off)."""
    app = make_app(schema_database, PLANNER_CACHE_URL=f"file://{tmp_path / 'cache'}")
    with app.app_context():
        yield app
        from planner.extensions import db

        db.session.remove()
        _empty_all_tables()
        db.engine.dispose()


def reference_statuses(db, today: date) -> dict[int, list[dashboard.PhaseStatus]]:  # type: ignore[no-untyped-def]
    """Every phase judged as the portfolio judged it before: from the item objects."""
    programs = list(db.session.scalars(program_query()))
    ids = [p.id for p in programs]
    settings = metric_service.settings_by_program(ids)
    decisions = decisions_by_phase(ids)
    out = {}
    for program in programs:
        facts = program_facts(program, today, settings=settings[program.id], decisions=decisions)
        out[program.id] = [dashboard.phase_status(facts, p) for p in program.phases]
    return out


def shown(status: dashboard.PhaseStatus) -> tuple:  # type: ignore[type-arg]
    gate = status.gate
    return (
        status.phase.id,
        status.state,
        status.rag,
        status.schedule,
        status.metrics,
        status.risks,
        gate.evaluation,
        [line.result for line in gate.lines],
        gate.facts.milestones,
    )


@pytest.fixture()
def programs(db):  # type: ignore[no-untyped-def]
    load_demo_copy(DAY)
    late = generate_program(
        600, start_date=DAY - timedelta(days=200), seed=4, progress_until=DAY, name="Late plan"
    )
    db.session.flush()
    # squeeze its phase windows so milestones and tasks overrun them
    for phase in late.phases:
        phase.window_end = phase.window_end - timedelta(days=25)
    db.session.commit()
    return late


def test_portfolio_figures_equal_the_item_by_item_computation(db, programs) -> None:  # type: ignore[no-untyped-def]
    expected = reference_statuses(db, DAY)
    db.session.expunge_all()
    computed = {}
    real = dashboard.phase_status

    def spy(facts, phase, summary=None):  # type: ignore[no-untyped-def]
        status = real(facts, phase, summary)
        assert summary is not None  # the portfolio judges phases from the aggregates
        computed.setdefault(facts.program.id, []).append(status)
        return status

    dashboard.phase_status = spy
    try:
        rows = dashboard.portfolio(DAY)
    finally:
        dashboard.phase_status = real
    # no work item was loaded as an object
    assert not [o for o in db.session.identity_map.values() if isinstance(o, WorkItem)]
    assert len(rows) == len(expected) == 3
    for program_id, statuses in expected.items():
        assert [shown(s) for s in computed[program_id]] == [shown(s) for s in statuses]
        for new, old in zip(computed[program_id], statuses, strict=True):
            assert new.progress == pytest.approx(old.progress, abs=1e-9)
    # the test is not vacuous: the squeezed plan is late, with milestones named as late
    late = [s for s in computed[programs.id] if s.schedule.rag != "green"]
    assert late and any("problems" in s.schedule.reason.params for s in late)


def test_the_summary_is_kept_per_program_revision(db, programs) -> None:  # type: ignore[no-untyped-def]
    dashboard.portfolio(DAY)
    CacheStats.reset()
    dashboard.portfolio(DAY)
    assert (CacheStats.hits, CacheStats.misses, CacheStats.bypassed, CacheStats.errors) == (
        3,
        0,
        0,
        0,
    )
    # a change to one program (an audited edit) makes only that one read again
    program = db.session.get(Program, programs.id)
    program.name = "Late plan, renamed"
    db.session.commit()
    CacheStats.reset()
    dashboard.portfolio(DAY)
    assert CacheStats.misses == 1


def test_the_program_dashboard_equals_the_item_by_item_one(db, programs) -> None:  # type: ignore[no-untyped-def]
    ids = [p.id for p in db.session.scalars(program_query())]
    expected = {}
    for program_id in ids:
        board = dashboard.dashboard_for(program_facts(load_program(program_id), DAY))
        expected[program_id] = board
    db.session.expunge_all()
    for program_id in ids:
        board = dashboard.build_dashboard(program_id, DAY)
        old = expected[program_id]
        assert [shown(s) for s in board.phases] == [shown(s) for s in old.phases]
        assert [
            (m.item.key, m.phase.id, m.forecast, m.days_late) for m in board.next_milestones
        ] == [(m.item.key, m.phase.id, m.forecast, m.days_late) for m in old.next_milestones]
        assert [g.evaluation for g in board.next_gates] == [g.evaluation for g in old.next_gates]
        assert board.headline is not None and old.headline is not None
        assert shown(board.headline) == shown(old.headline)
        assert [m.metric.id for m in board.key_metrics] == [m.metric.id for m in old.key_metrics]
        assert board.next_milestones or program_id != ids[0]
    # only the milestones shown were loaded as objects
    loaded = [o for o in db.session.identity_map.values() if isinstance(o, WorkItem)]
    assert len(loaded) <= dashboard.MAX_NEXT_MILESTONES * len(ids)
