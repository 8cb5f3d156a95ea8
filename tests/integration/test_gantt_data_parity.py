"""The Gantt's data, read from its own plain columns, is the plan view's: same rows in the same
order, statuses, baseline ghosts, critical links, gate drivers — for filters, baselines and
both languages, on a program with progress, slips, overruns, holidays and constraints."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest

from planner.charts.gantt_data import DataCalendar, DataLink, gantt_columns
from planner.models import CalendarException, Dependency, Program, WorkItem
from planner.models.baseline import Baseline
from planner.services.gantt_data import gantt_data
from planner.services.generate import generate_program
from planner.services.plan_view import Filters, PlanView, load_plan
from planner.services.scheduling import program_calendar, reschedule

TODAY = date(2026, 3, 2)


def reference(db: Any, program: Program, view: PlanView) -> dict[str, Any]:
    """The payload as it was built before: from the plan view (the slower, trusted path)."""
    versions = {item.id: item.version for item in program.work_items}
    critical = {(link.predecessor_id, link.successor_id): link.critical for link in view.links}
    dependencies = db.session.query(Dependency).filter_by(program_id=program.id)
    links = [
        DataLink(d.id, d.predecessor_id, d.successor_id, d.type, d.lag_days or 0,
                 critical.get((d.predecessor_id, d.successor_id), False))
        for d in dependencies.order_by(Dependency.id)
    ]  # fmt: skip
    calendar = program_calendar(program)
    return gantt_columns(
        view.rows,
        links,
        view.phases,
        versions={row.id: versions[row.id] for row in view.rows},
        driving=view.driving_ids,
        calendar=DataCalendar(calendar.workdays, calendar.holidays, calendar.extra_workdays),
        today=view.today,
        status_date=view.status_date,
        finish=view.finish,
    )


@pytest.fixture()
def program(db) -> Program:  # type: ignore[no-untyped-def]
    start = TODAY - timedelta(days=120)
    program = generate_program(
        240, start_date=start, progress_until=TODAY, baseline_name="Plan", items_per_stream=40
    )
    db.session.flush()
    program.phases[1].name_zh = "构建"
    db.session.add(CalendarException(program_id=program.id, day=TODAY + timedelta(days=9),
                                     working=False, name="Holiday"))  # fmt: skip
    items = sorted(program.work_items, key=lambda i: i.position)
    later = [i for i in items if i.actual_start is None and i.kind == "task"]
    for started in later[:6]:  # under way, on time
        started.actual_start = TODAY - timedelta(days=1)
        started.percent_complete = 20
    later[3].duration_days += 15  # slips past the baseline and its phase's window
    later[7].constraint_type = "SNET"
    later[7].constraint_date = TODAY + timedelta(days=40)
    later[9].owner = None
    later[9].owner_role = "Architect"
    later[11].name_zh = "数据迁移"
    later[12].workstream = None
    last = max(program.phases, key=lambda p: p.ordinal)
    last.window_end = last.window_end - timedelta(days=40)
    program.status_date = TODAY
    reschedule(program, TODAY)
    db.session.commit()
    db.session.add(Baseline(program_id=program.id, name="Empty", taken_by="test",
                         taken_at=datetime(2020, 1, 1)))  # fmt: skip
    db.session.commit()
    return program


@pytest.mark.parametrize(
    "args",
    [
        {},
        {"critical": "1"},
        {"late": "1"},
        {"workstream": "-"},
        {"phase": "build"},
        {"owner": "Architect"},
    ],
)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_chart_data_is_the_plan_views(db, program, args, lang) -> None:  # type: ignore[no-untyped-def]
    filters = Filters.from_args(args)
    view = load_plan(program, filters=filters, lang=lang, today=TODAY)
    expected = reference(db, program, view)
    found = gantt_data(program, filters=filters, baseline_id=None, lang=lang, today=TODAY)
    found.pop("revisionOf")
    assert found == expected
    if not args:
        statuses = set(expected["items"]["st"])
        assert statuses == {0, 1, 2, 3}, "the program has every status"
        assert any(expected["links"]["crit"]) and any(expected["items"]["drive"])
        assert any(b is not None for b in expected["items"]["bs"])
        assert any(expected["phases"]["over"]) and expected["calendar"]["off"]


def test_each_baseline_and_none(db, program) -> None:  # type: ignore[no-untyped-def]
    baselines = db.session.query(Baseline).filter_by(program_id=program.id).all()
    for baseline_id in [0, *(b.id for b in baselines)]:
        view = load_plan(program, baseline_id=baseline_id, today=TODAY)
        found = gantt_data(
            program, filters=Filters(), baseline_id=baseline_id, lang="en", today=TODAY
        )
        found.pop("revisionOf")
        assert found == reference(db, program, view)


def test_an_unknown_baseline_is_not_found(db, program) -> None:  # type: ignore[no-untyped-def]
    from planner.domain.errors import NotFoundError

    with pytest.raises(NotFoundError):
        gantt_data(program, filters=Filters(), baseline_id=999_999, lang="en", today=TODAY)


def test_after_an_edit_the_data_follows(db, program) -> None:  # type: ignore[no-untyped-def]
    item = next(i for i in program.work_items if i.actual_start is None and i.kind == "task")
    before = gantt_data(program, filters=Filters(), baseline_id=None, lang="en", today=TODAY)
    item.duration_days += 5
    dependency = db.session.query(Dependency).filter_by(program_id=program.id).first()
    db.session.delete(dependency)
    reschedule(program, TODAY)
    db.session.commit()
    db.session.expire_all()
    after = gantt_data(program, filters=Filters(), baseline_id=None, lang="en", today=TODAY)
    at = after["items"]["id"].index(item.id)
    assert (
        after["items"]["dur"][at]
        == before["items"]["dur"][before["items"]["id"].index(item.id)] + 5
    )
    assert len(after["links"]["id"]) == len(before["links"]["id"]) - 1
    view = load_plan(program, today=TODAY)
    after.pop("revisionOf")
    assert after == reference(db, program, view)
    assert db.session.get(WorkItem, item.id) is not None


def test_a_stale_schedule_is_brought_up_to_date_first(db, program) -> None:  # type: ignore[no-untyped-def]
    later = TODAY + timedelta(days=30)  # the status date moves on: work planned before it
    program.status_date = None
    db.session.commit()
    found = gantt_data(program, filters=Filters(), baseline_id=None, lang="en", today=later)
    origin = date.fromisoformat(found["origin"])
    items = found["items"]
    for at in range(len(items["id"])):
        if items["st"][at] == 2:  # not started: never planned before the status date
            assert origin + timedelta(days=items["es"][at]) >= later
    found.pop("revisionOf")
    assert found == reference(db, program, load_plan(program, today=later))
