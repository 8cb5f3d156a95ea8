"""The program's record (its rows as one compact value per part) holds what the rows hold.

Every edit here starts cold — nothing kept in this process, no shared cache (tests run with
none) — so each one builds its schedule from the record the edit before wrote. After each
edit the record must equal the rows read one by one, and the stored dates a full
reschedule; a record of another revision, or whose parts do not belong together, is never
used.
"""

from __future__ import annotations

import random
import threading
from datetime import timedelta

import numpy as np
import pytest
from sqlalchemy import select, update

from planner.domain.errors import DependencyCycleError, ValidationError
from planner.models import Dependency, PlanRecord, Program, WorkItem
from planner.services import plan as plan_service
from planner.services import plan_record
from planner.services.generate import generate_program
from planner.services.live_schedule import Stats, forget_all
from planner.services.plan_rows import load_plan_rows
from planner.services.scheduling import reschedule
from tests.integration.plan_support import item_details
from tests.integration.test_live_schedule import from_scratch, random_edit, stored


def record_equals_rows(db, program_id: int) -> None:
    """The record of the program's current revision holds exactly its rows."""
    from planner.ops.cache import plan_revision

    found = plan_record.read(program_id, plan_revision(program_id))
    assert found is not None, "no record of the current revision"
    record, computed = found
    rows = load_plan_rows(program_id, ("name", "name_zh"))
    expected = plan_record.RecordColumns.of_rows(rows)
    assert (record.items == expected.items).all()
    assert (record.percent == expected.percent).all()
    assert (computed == rows.computed).all()
    # links in the order the rows have them (the order they were made)
    assert record.links.tolist() == expected.links.tolist()
    assert (record.keys, record.names, record.names_zh) == (
        expected.keys,
        expected.names,
        expected.names_zh,
    )


def tasks_of(db, program) -> list[WorkItem]:
    """The program's tasks in plan order."""
    return list(
        db.session.scalars(
            select(WorkItem)
            .where(WorkItem.program_id == program.id, WorkItem.kind == "task")
            .order_by(WorkItem.position)
        )
    )


def edit_duration(db, program, item: WorkItem, days: int):
    outcome = plan_service.update_item(program, item, item_details(item, days), item.version)
    db.session.commit()
    return outcome


@pytest.mark.parametrize(
    ("size", "per_stream", "steps"),
    [(240, None, 120), (1200, 200, 40)],
    ids=["shallow", "deep"],
)
def test_edits_made_from_the_record_keep_it_equal_to_the_rows(
    today, db, size: int, per_stream: int | None, steps: int
) -> None:
    shape = {} if per_stream is None else {"items_per_stream": per_stream}
    program = generate_program(
        size, start_date=today - timedelta(days=120), seed=23, progress_until=today, **shape
    )
    db.session.commit()
    record_equals_rows(db, program.id)
    rng = random.Random(29)
    Stats.reset()
    done: dict[str, int] = {}
    for step in range(steps):
        forget_all()  # a restart: nothing kept in this process (and no shared cache)
        try:
            kind, _outcome = random_edit(db, program, rng, today)
        except (DependencyCycleError, ValidationError):
            db.session.rollback()
            continue
        db.session.commit()
        done[kind] = done.get(kind, 0) + 1
        db.session.expire_all()
        assert stored(db, program.id) == from_scratch(db, program), f"step {step} ({kind})"
        record_equals_rows(db, program.id)
    assert {"duration", "rename", "link added", "link removed", "progress"} <= set(done)
    # every edit started from the record (progress too: scheduled in full from it), none
    # read the rows
    assert Stats.from_record >= sum(done.values())
    assert (Stats.reused, Stats.built) == (0, 0)


def test_a_record_of_an_older_revision_is_not_used(today, db) -> None:
    program = generate_program(60, start_date=today - timedelta(days=30), seed=31)
    db.session.commit()
    items = tasks_of(db, program)
    # a change by a path that writes no record (and schedules nothing): audited, so the
    # plan's revision moves past the record's
    items[2].duration_days += 5
    db.session.commit()
    forget_all()
    Stats.reset()
    edit_duration(db, program, items[10], items[10].duration_days + 1)
    assert (Stats.from_record, Stats.built) == (0, 1)
    assert stored(db, program.id) == from_scratch(db, program)
    record_equals_rows(db, program.id)  # the edit wrote the record of its revision


def test_a_record_whose_texts_were_rewritten_is_not_used(today, db) -> None:
    program = generate_program(40, start_date=today - timedelta(days=20), seed=37)
    db.session.commit()
    db.session.execute(
        update(PlanRecord)
        .where(PlanRecord.program_id == program.id, PlanRecord.part == plan_record.TEXTS)
        .values(data=b'[["a"],["b"],[null]]')
    )
    db.session.commit()
    item = db.session.scalars(
        select(WorkItem).where(WorkItem.program_id == program.id, WorkItem.kind == "task")
    ).first()
    forget_all()
    Stats.reset()
    edit_duration(db, program, item, item.duration_days + 2)
    assert (Stats.from_record, Stats.built) == (0, 1)
    assert stored(db, program.id) == from_scratch(db, program)
    record_equals_rows(db, program.id)


def test_a_broken_record_is_read_as_none() -> None:
    columns = plan_record.RecordColumns(
        items=np.zeros((2, len(plan_record.ITEM_COLUMNS)), np.int64),
        percent=np.zeros(2),
        links=np.zeros((1, 4), np.int64),
        keys=["a", "b"],
        names=["A", "B"],
        names_zh=[None, "乙"],
    )
    texts = plan_record.encode_texts(columns)
    columns.texts_digest = plan_record.digest(texts)
    numbers = plan_record.encode_numbers(columns, np.zeros((2, 7), np.int64))
    decoded, _computed = plan_record.decode(numbers, texts)
    assert decoded.names_zh == [None, "乙"] and decoded.links.shape == (1, 4)
    for bad in (numbers[:-8], b"XXXX" + numbers[4:], numbers[:10]):
        with pytest.raises(plan_record.BadRecord):
            plan_record.decode(bad, texts)
    with pytest.raises(plan_record.BadRecord):
        plan_record.decode(numbers, texts.replace(b'"A"', b'"C"'))


def test_a_program_with_a_percent_lag_is_never_scheduled_from_a_record(today, db) -> None:
    program = generate_program(60, start_date=today - timedelta(days=20), seed=41)
    db.session.commit()
    link = db.session.scalars(
        select(Dependency).where(Dependency.program_id == program.id).order_by(Dependency.id)
    ).first()
    link.lag_unit, link.lag_amount = "pct", 50
    db.session.flush()
    reschedule(program)
    db.session.commit()
    predecessor = db.session.get(WorkItem, link.predecessor_id)
    for days in (4, 9):
        forget_all()
        Stats.reset()
        edit_duration(db, program, predecessor, days)
        assert Stats.from_record == 0
        assert stored(db, program.id) == from_scratch(db, program)


def test_the_record_goes_with_its_program(db, today) -> None:
    program = generate_program(20, start_date=today, seed=43)
    db.session.commit()
    program_id = program.id
    assert db.session.scalar(
        select(PlanRecord.program_id).where(PlanRecord.program_id == program_id)
    )
    db.session.delete(db.session.get(Program, program_id))
    db.session.commit()
    assert (
        db.session.scalar(select(PlanRecord.program_id).where(PlanRecord.program_id == program_id))
        is None
    )


def test_two_edits_of_one_program_at_once_store_what_a_full_reschedule_stores(
    app, db, today
) -> None:
    """The first edit has rescheduled but not committed when the second one starts: the
    second must schedule from the plan the first commits, not from the plan before both."""
    program = generate_program(
        240, start_date=today - timedelta(days=30), seed=47, items_per_stream=60
    )
    db.session.commit()
    tasks = tasks_of(db, program)
    # two tasks of one chain: the first one's change moves the second one's successors
    first, second = tasks[5], tasks[20]
    program_id, ids = program.id, (first.id, second.id)
    rescheduled, go_on = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def edit(item_id: int, days: int, hold: bool) -> None:
        try:
            with app.app_context():
                mine = db.session.get(Program, program_id)
                item = db.session.get(WorkItem, item_id)
                plan_service.update_item(mine, item, item_details(item, days), item.version)
                if hold:
                    rescheduled.set()
                    go_on.wait(10)
                db.session.commit()
                db.session.remove()
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            failures.append(exc)
            rescheduled.set()

    one = threading.Thread(target=edit, args=(ids[0], first.duration_days + 9, True))
    two = threading.Thread(target=edit, args=(ids[1], second.duration_days + 4, False))
    one.start()
    assert rescheduled.wait(30)
    two.start()
    two.join(0.5)  # the second edit waits for the first (on PostgreSQL, at the program's row)
    go_on.set()
    one.join(30)
    two.join(30)
    assert not failures, failures
    db.session.expire_all()
    program = db.session.get(Program, program_id)
    assert stored(db, program_id) == from_scratch(db, program)
    record_equals_rows(db, program_id)
    # and the next edit, cold, starts from a record that holds both
    forget_all()
    item = db.session.get(WorkItem, tasks[30].id)
    edit_duration(db, program, item, item.duration_days + 1)
    assert stored(db, program_id) == from_scratch(db, program)
