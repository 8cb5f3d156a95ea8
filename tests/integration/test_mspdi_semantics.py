"""MS Project files mean the same here: files written and scheduled by MPXJ
(``tests/fixtures/mspdi/make_mpxj_files.py``) import with MPXJ's dates; a status date in the
past is kept; our export keeps its meaning through an import (status date, lag units,
exception names, both languages)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from planner.interop import mspdi
from planner.models import CalendarException, Dependency, Program, WorkItem
from planner.services.exchange import (
    PlanFile,
    export_plan,
    import_new_program,
    plan_data,
    read_plan_file,
)

D = dt.date
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "mspdi"


def _import(db, name: str, today: dt.date) -> Program:
    data = (FIXTURES / name).read_bytes()
    outcome = import_new_program(read_plan_file(name, data), name=None, client="Acme", today=today)
    db.session.commit()
    return outcome.program


def _dates(db, program: Program) -> dict[str, tuple[dt.date, dt.date]]:
    rows = db.session.scalars(select(WorkItem).where(WorkItem.program_id == program.id))
    return {row.name: (row.early_start, row.early_finish) for row in rows}


def _file_dates(name: str) -> dict[str, tuple[dt.date, dt.date]]:
    plan = mspdi.read((FIXTURES / name).read_bytes())
    return {i.name: (i.early_start, i.early_finish) for i in plan.items}


@pytest.mark.parametrize(
    ("name", "today"),
    [
        # no status date: planned as of today, the project's first day
        ("mpxj_plan.xml", D(2025, 3, 3)),
        # today is before the actual start of "Migrate data" (17 March): the status date says
        # what has happened, so the file is neither refused nor replanned from today
        ("mpxj_progress.xml", D(2025, 3, 10)),
    ],
)
def test_a_file_written_and_scheduled_by_mpxj_imports_with_its_dates(
    db, name: str, today: dt.date
) -> None:
    program = _import(db, name, today=today)
    assert _dates(db, program) == _file_dates(name)
    assert len(_dates(db, program)) in (10, 5)


def test_a_past_status_date_is_kept(db) -> None:
    program = _import(db, "mpxj_progress.xml", today=D(2026, 12, 6))
    # StatusDate 2025-03-21T17:00 is the end of Friday: remaining work from Saturday on
    assert program.status_date == D(2025, 3, 22)
    dates = _dates(db, program)
    assert dates["Migrate data"] == (D(2025, 3, 17), D(2025, 3, 28))  # 5 of 10 days left
    assert dates["Go-live"] == (D(2025, 4, 2), D(2025, 4, 2))


def test_the_ms_project_2019_file_keeps_its_status_date(db) -> None:
    """It used to be replanned from today (+583 working days)."""
    program = _import(db, "ms_project_2019.xml", today=D(2026, 12, 6))
    assert program.status_date == D(2024, 10, 1)
    finish = max(f for _s, f in _dates(db, program).values())
    assert finish < D(2025, 1, 1)


def test_lag_units_exception_names_and_both_languages_survive_export_and_import(
    db,
) -> None:
    from planner.services.playbooks import get_playbook
    from planner.services.programs import create_program
    from planner.services.scheduling import reschedule

    start = D(2026, 1, 5)
    program = create_program(
        get_playbook("crm-four-100-days", "1.0"), name="Both", client="C", start_date=start
    )
    program.calendar_exceptions.append(
        CalendarException(day=D(2026, 1, 1), working=False, name="元旦 New Year")
    )
    link = db.session.scalars(
        select(Dependency).where(Dependency.program_id == program.id).limit(1)
    ).one()
    link.lag_unit, link.lag_amount = "pct", 50
    reschedule(program, start)
    db.session.commit()
    predecessor = db.session.get(WorkItem, link.predecessor_id)
    # the working days follow the predecessor's duration: 50 % of it, rounded half away
    assert link.lag_days == int(predecessor.duration_days / 2 + 0.5)
    data = export_plan(program, "mspdi", language="zh", today=start)
    copy = import_new_program(
        PlanFile(mspdi.read(data), "mspdi"), name="Copy", client="C", today=start
    ).program
    db.session.commit()
    original, imported = plan_data(program, today=start), plan_data(copy, today=start)
    assert imported.links == original.links
    assert ("pct", 50) in {(x.lag_unit, x.lag_amount) for x in imported.links}
    assert imported.calendar == original.calendar
    assert imported.calendar.name_of(program.calendar_exceptions[0].day) == "元旦 New Year"
    assert [(i.name, i.alt_name) for i in imported.items] == [
        (i.name, i.alt_name) for i in original.items
    ]
    assert all(i.alt_name for i in imported.items)  # the playbook is bilingual
    assert [(p.key, p.ordinal) for p in imported.phases][0] == ("diagnosis", 0)
    assert [(i.early_start, i.early_finish) for i in imported.items] == [
        (i.early_start, i.early_finish) for i in original.items
    ]
    # the Chinese export names the tasks in Chinese, English in the custom field
    plan = mspdi.read(data)
    first = db.session.scalars(
        select(WorkItem).where(WorkItem.program_id == program.id).order_by(WorkItem.position)
    ).first()
    assert plan.language == "zh"
    assert (plan.items[0].name, plan.items[0].alt_name) == (first.name_zh, first.name)


def test_a_percent_lag_follows_its_predecessor_until_edited_in_days(db) -> None:
    from planner.services.playbooks import get_playbook
    from planner.services.programs import create_program
    from planner.services.scheduling import reschedule

    start = D(2026, 1, 5)
    program = create_program(
        get_playbook("small-business-quick-start"), name="Lags", client="C", start_date=start
    )
    link = db.session.scalars(
        select(Dependency).where(Dependency.program_id == program.id).limit(1)
    ).one()
    link.lag_unit, link.lag_amount = "pct", 50
    predecessor = db.session.get(WorkItem, link.predecessor_id)
    predecessor.kind, predecessor.duration_days = "task", 10
    reschedule(program, start)
    assert (link.lag_days, link.lag_unit) == (5, "pct")  # 50 % of 10 days
    predecessor.duration_days = 7
    reschedule(program, start)
    assert (link.lag_days, link.lag_unit) == (4, "pct")  # 3.5 rounds half away from zero
    if link.type == "FS":  # the schedule used it: 4 working days after the predecessor
        successor = db.session.get(WorkItem, link.successor_id)
        from planner.services.scheduling import program_calendar

        calendar = program_calendar(program)
        gap = calendar.workdays_between(predecessor.early_finish, successor.early_start)
        assert gap >= 5  # the finish day itself and the four days of lag
    link.lag_days = 2  # an edit in working days
    reschedule(program, start)
    assert (link.lag_days, link.lag_unit, link.lag_amount) == (2, "d", None)


@pytest.mark.parametrize(
    ("lang", "where", "message"),
    [
        ("en", 'Task UID 12 "Build"', 'Duration "P3X" is not a valid duration'),
        ("zh_Hans_CN", "任务 UID 12“Build”", "Duration：“P3X”不是有效的工期"),
    ],
)
def test_an_import_error_names_the_task_in_the_readers_language(
    client, db, lang: str, where: str, message: str
) -> None:
    from flask_babel import refresh

    from tests.integration.exchange_support import upload

    assert client.post("/language", data={"lang": lang, "next": "/"}).status_code == 302
    refresh()
    data = (FIXTURES / "bad_duration.xml").read_bytes()
    response = upload(client, "/programs/import", "bad.xml", data, client="Acme")
    assert response.status_code == 422
    page = response.get_data(as_text=True).replace("&#34;", '"')
    assert f'<td class="where">{where}</td>' in page
    assert message in page
    assert db.session.scalars(select(Program)).first() is None
