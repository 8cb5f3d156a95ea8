"""Edits applied incrementally to the kept schedule store the dates a full reschedule stores.

Hundreds of random edits go through the plan service (durations, links added and removed,
progress recorded and cleared); after each one the stored computed columns of every item are
compared with a schedule computed from scratch from the rows.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from planner.domain.errors import DependencyCycleError, ValidationError
from planner.domain.schedule import COMPILED_MIN_ITEMS
from planner.models import Dependency, WorkItem
from planner.services import plan as plan_service
from planner.services.generate import generate_program
from planner.services.live_schedule import Stats
from planner.services.plan import ItemDetails
from planner.services.scheduling import (
    build_live,
    compute,
    live_from_record,
    load_network,
    reschedule,
)
from tests.integration.plan_support import item_details

COLUMNS = (
    "early_start",
    "early_finish",
    "late_start",
    "late_finish",
    "total_float",
    "free_float",
    "is_critical",
)


def stored(db, program_id: int) -> dict[str, tuple]:
    rows = db.session.execute(
        select(WorkItem.key, *(getattr(WorkItem, c) for c in COLUMNS)).where(
            WorkItem.program_id == program_id
        )
    )
    return {row[0]: tuple(row[1:]) for row in rows}


def from_scratch(db, program) -> dict[str, tuple]:
    db.session.expire_all()
    return columns(compute(load_network(program)))


def columns(result) -> dict[str, tuple]:
    items = result.items
    return {
        key: (
            s.early_start,
            s.early_finish,
            s.late_start,
            s.late_finish,
            s.total_float,
            s.free_float,
            s.critical,
        )
        for key, s in items.items()
    }


def random_edit(db, program, rng: random.Random, today: date):
    """One random edit through the plan service: (its kind, its outcome)."""
    items = db.session.scalars(select(WorkItem).where(WorkItem.program_id == program.id)).all()
    tasks = [i for i in items if i.kind == "task"]
    roll = rng.random()
    if roll < 0.45:
        item = rng.choice(tasks)
        days = rng.randint(1, 12)
        return "duration", plan_service.update_item(
            program, item, item_details(item, days), item.version
        )
    if roll < 0.55:
        item = rng.choice(tasks)
        changed = item_details(item, item.duration_days)
        changed = ItemDetails(**{**changed.__dict__, "name": f"{item.name}!"[:300]})
        return "rename", plan_service.update_item(program, item, changed, item.version)
    if roll < 0.75:
        a, b = rng.sample(items, 2)
        kind = rng.choice(["FS", "FS", "SS", "FF", "SF"])
        _dependency, outcome = plan_service.add_dependency(
            program, a.key, b.key, kind, rng.randint(-3, 5)
        )
        return "link added", outcome
    if roll < 0.88:
        links = db.session.scalars(
            select(Dependency).where(Dependency.program_id == program.id)
        ).all()
        return "link removed", plan_service.delete_dependency(program, rng.choice(links))
    item = rng.choice(tasks)
    if item.actual_start is None and item.early_start is not None and item.early_start < today:
        outcome = plan_service.set_progress(
            program,
            item,
            percent_complete=rng.choice((10, 50, 90)),
            actual_start=item.early_start,
            actual_finish=None,
            version=item.version,
        )
    else:
        outcome = plan_service.set_progress(
            program,
            item,
            percent_complete=0,
            actual_start=None,
            actual_finish=None,
            version=item.version,
        )
    return "progress", outcome


@pytest.mark.parametrize(
    ("size", "per_stream", "steps"),
    [
        (240, None, 300),  # shallow: workstreams of a few dozen items
        # deep: six workstreams of 200 items one after another, large enough for the
        # compiled engine; an edit early in a chain moves hundreds of items
        (COMPILED_MIN_ITEMS + 200, (COMPILED_MIN_ITEMS + 200) // 6, 90),
    ],
    ids=["shallow", "deep"],
)
def test_random_edits_store_what_a_full_reschedule_stores(  # type: ignore[no-untyped-def]
    today, db, size: int, per_stream: int | None, steps: int
) -> None:
    shape = {} if per_stream is None else {"items_per_stream": per_stream}
    program = generate_program(
        size, start_date=today - timedelta(days=120), seed=7, progress_until=today, **shape
    )
    db.session.commit()
    rng = random.Random(17)
    Stats.reset()
    done: dict[str, int] = {}
    refused = 0
    for step in range(steps):
        try:
            kind, outcome = random_edit(db, program, rng, today)
        except (DependencyCycleError, ValidationError):
            db.session.rollback()
            refused += 1
            continue
        db.session.commit()
        done[kind] = done.get(kind, 0) + 1
        db.session.expire_all()
        full = compute(load_network(program))
        expected = columns(full)
        actual = stored(db, program.id)
        wrong = [key for key in expected if expected[key] != actual[key]]
        assert not wrong, f"step {step} ({kind}): {wrong[:5]} differ, e.g. {wrong[:1]}"
        # what the page says about the finish and the overrunning phases holds too
        assert outcome.finish == full.finish, f"step {step} ({kind})"
        assert outcome.overruns == full.overruns, f"step {step} ({kind})"
        # what moved is named as the rows are named now (names kept with the schedule)
        names = dict(
            db.session.execute(
                select(WorkItem.key, WorkItem.name).where(WorkItem.program_id == program.id)
            ).all()
        )
        assert all(move.name == names[move.key] for move in outcome.moves), f"step {step}"
    # every kind of edit was exercised, and most edits reused the kept schedule
    assert set(done) == {"duration", "rename", "link added", "link removed", "progress"}
    assert refused > 0  # cycles and duplicates were tried and refused
    incremental = done["duration"] + done["rename"] + done["link added"] + done["link removed"]
    assert Stats.reused >= incremental - 1
    # progress is scheduled in full from the kept schedule's record; after a refused edit
    # the next one starts from the program's record: none reads the rows
    assert Stats.built == 0


def test_a_refused_cycle_changes_nothing_and_the_next_edit_is_right(today, db) -> None:
    program = generate_program(60, start_date=today - timedelta(days=30), seed=3)
    db.session.commit()
    first, last = (
        db.session.scalars(
            select(WorkItem)
            .where(WorkItem.program_id == program.id)
            .order_by(WorkItem.position.desc() if desc else WorkItem.position)
            .limit(1)
        ).one()
        for desc in (False, True)
    )
    # make sure a path first → … → last exists, then close the cycle
    plan_service.add_dependency(program, first.key, last.key, "FS", 0)
    db.session.commit()
    with pytest.raises(DependencyCycleError) as cycle:
        plan_service.add_dependency(program, last.key, first.key, "FS", 0)
    db.session.rollback()
    # named from the successor back to the predecessor, as the page shows it
    assert cycle.value.cycle[0] == first.key and cycle.value.cycle[-1] == last.key
    item = db.session.get(WorkItem, first.id)
    plan_service.update_item(
        program, item, item_details(item, item.duration_days + 3), item.version
    )
    db.session.commit()
    assert stored(db, program.id) == from_scratch(db, program)


def test_a_schedule_from_the_record_is_the_schedule_from_the_rows(today, db) -> None:
    from planner.ops.cache import plan_revision

    program = generate_program(80, start_date=today - timedelta(days=40), seed=5)
    db.session.commit()
    live = build_live(program, today)
    copy = live_from_record(program, today, plan_revision(program.id))
    assert copy is not None
    key = live.keys[3]
    assert live.scheduler.set_duration(key, 9) == copy.scheduler.set_duration(key, 9)
    assert live.scheduler.result() == copy.scheduler.result()
    assert (copy.item_ids == live.item_ids).all() and (copy.stored == live.stored).all()
    assert copy.keys == live.keys and copy.names[7] == live.names[7]


def test_a_full_reschedule_writes_only_rows_that_changed(today, db) -> None:
    program = generate_program(50, start_date=today - timedelta(days=10), seed=9)
    db.session.commit()
    versions = dict(db.session.execute(select(WorkItem.key, WorkItem.version)).all())
    outcome = reschedule(program)
    db.session.commit()
    assert outcome.moves == []
    assert dict(db.session.execute(select(WorkItem.key, WorkItem.version)).all()) == versions


def test_no_kept_schedule_when_the_setting_is_zero(today, app, db) -> None:
    before = app.config["PLANNER_LIVE_SCHEDULES"]
    app.config["PLANNER_LIVE_SCHEDULES"] = 0
    try:
        program = generate_program(40, start_date=today - timedelta(days=20), seed=11)
        db.session.commit()
        item_id = db.session.scalars(
            select(WorkItem.id).where(WorkItem.program_id == program.id, WorkItem.kind == "task")
        ).first()
        Stats.reset()
        for days in (3, 4):
            item = db.session.get(WorkItem, item_id)
            plan_service.update_item(program, item, item_details(item, days), item.version)
            db.session.commit()
        # nothing kept: each edit built it from the program's record (written by the last)
        assert (Stats.reused, Stats.from_record, Stats.built) == (0, 2, 0)
    finally:
        app.config["PLANNER_LIVE_SCHEDULES"] = before
    assert stored(db, program.id) == from_scratch(db, program)


def test_a_change_outside_the_plan_keeps_the_schedule_a_plan_change_does_not(db) -> None:
    from planner.services.risks.edit import create_risk

    today = date.today()
    program = generate_program(
        COMPILED_MIN_ITEMS + 100, start_date=today - timedelta(days=30), seed=4
    )
    db.session.commit()
    items = db.session.scalars(
        select(WorkItem).where(WorkItem.program_id == program.id).order_by(WorkItem.position)
    ).all()
    first, second = items[3], items[len(items) // 2]

    def edit(item: WorkItem, days: int) -> None:
        plan_service.update_item(program, item, item_details(item, days), item.version)
        db.session.commit()

    edit(first, first.duration_days + 2)  # keeps the schedule of the new revision
    Stats.reset()
    # a risk is not part of the plan: the next plan edit takes the kept schedule
    create_risk(program, {"title": "Vendor late", "likelihood": 3, "impact": 4})
    db.session.commit()
    edit(second, second.duration_days + 4)
    assert (Stats.reused, Stats.built) == (1, 0)
    assert stored(db, program.id) == from_scratch(db, program)
    # a holiday is: the schedule is made again from the rows, and stays right
    plan_service.add_calendar_day(program, today + timedelta(days=20), False, "Holiday")
    db.session.commit()
    Stats.reset()
    edit(first, first.duration_days + 1)
    assert Stats.reused == 1  # the holiday's own full reschedule kept its schedule
    assert stored(db, program.id) == from_scratch(db, program)


def test_a_program_with_a_percent_lag_is_scheduled_in_full_by_every_edit(today, db) -> None:
    """A lag kept as a percent of its predecessor's duration changes with that duration: an
    edit after a full schedule of such a program must not take the kept schedule (whose lag
    is the working days of the duration before)."""
    program = generate_program(60, start_date=today - timedelta(days=20), seed=13)
    db.session.commit()
    link = db.session.scalars(
        select(Dependency)
        .where(Dependency.program_id == program.id, Dependency.type == "FS")
        .order_by(Dependency.id)
    ).first()
    link.lag_unit, link.lag_amount = "pct", 100  # the successor waits its predecessor's length
    db.session.flush()
    reschedule(program)  # a full schedule: lag converted, the schedule kept
    db.session.commit()
    predecessor = db.session.get(WorkItem, link.predecessor_id)
    successor_key = db.session.get(WorkItem, link.successor_id).key
    before = stored(db, program.id)[successor_key]
    plan_service.update_item(
        program,
        predecessor,
        item_details(predecessor, predecessor.duration_days + 6),
        predecessor.version,
    )
    db.session.commit()
    assert stored(db, program.id) == from_scratch(db, program)
    assert stored(db, program.id)[successor_key][0] > before[0]  # twice as far: 6 + 6 days
    assert db.session.get(Dependency, link.id).lag_days > 0
