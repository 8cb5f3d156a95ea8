"""Replanning a program: start date and diagnosis length (service, pages, API)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from planner.domain.replan import ReplanError
from planner.models import AuditEvent, Phase, WorkItem
from planner.services import plan as plan_service
from planner.services.concurrency import StaleEditError
from planner.services.replan import diagnosis_weeks, replan_program
from tests.integration.plan_support import START, item, make_program


def windows(db, program):
    db.session.expire_all()
    return [
        (p.key, p.window_start, p.window_end, p.length_days)
        for p in db.session.scalars(
            select(Phase).where(Phase.program_id == program.id).order_by(Phase.ordinal)
        )
    ]


def dates(db, program):
    rows = db.session.scalars(select(WorkItem).where(WorkItem.program_id == program.id))
    return {
        i.key: (i.early_start, i.early_finish, i.actual_start, i.actual_finish, i.constraint_date)
        for i in rows
    }


def test_two_weeks_later_and_six_weeks_of_diagnosis_then_back(db) -> None:
    program = make_program(db, status=date(2026, 3, 6))
    first = program.work_items[0]
    assert first.phase.kind == "diagnosis"
    plan_service.set_progress(
        program,
        first,
        percent_complete=50,
        actual_start=START,
        actual_finish=None,
        version=first.version,
    )
    later = item(db, program, program.work_items[-1].key)  # a phase-4 item, far from started
    plan_service.update_item(
        program,
        later,
        plan_service.ItemDetails(
            name=later.name,
            kind=later.kind,
            duration_days=later.duration_days,
            constraint_type="SNET",
            constraint_date=date(2027, 3, 1),
        ),
        later.version,
    )
    db.session.commit()
    before_windows = windows(db, program)
    before = dates(db, program)
    assert diagnosis_weeks(program) == 4

    outcome = replan_program(
        program, start_date=START + timedelta(days=14), diagnosis_weeks=6, version=program.version
    )
    db.session.commit()
    moved = windows(db, program)
    # diagnosis: 16 Mar, 42 days → 26 Apr; phase 1: 28 days later than 30 Mar → 27 Apr
    assert moved[0][1:] == (date(2026, 3, 16), date(2026, 4, 26), 42)
    assert moved[1][1:3] == (date(2026, 4, 27), date(2026, 8, 4))
    for (key, start, end, _len), (_k, old_start, old_end, _l) in zip(
        moved[1:], before_windows[1:], strict=True
    ):
        assert (start - old_start, end - old_end) == (timedelta(28), timedelta(28)), key
    after = dates(db, program)
    # the started item keeps its actuals; the constraint of work not started moved 28 days
    assert after[first.key][2:4] == (START, None)
    assert after[later.key][4] == date(2027, 3, 29)
    # every phase-1 item not started now starts no earlier than its new window
    p1 = [i for i in program.work_items if i.phase.ordinal == 1]
    assert all(after[i.key][0] >= date(2026, 4, 27) for i in p1)
    assert outcome.moves, "what moved is reported"
    assert diagnosis_weeks(program) == 6
    audited = {
        (e.entity, e.field)
        for e in db.session.scalars(select(AuditEvent).where(AuditEvent.program_id == program.id))
    }
    assert ("program", "start_date") in audited
    assert ("phase", "window_start") in audited and ("phase", "length_days") in audited

    replan_program(program, start_date=START, diagnosis_weeks=4, version=program.version)
    db.session.commit()
    assert windows(db, program) == before_windows
    assert dates(db, program) == before


def test_a_stale_version_changes_nothing(db) -> None:
    program = make_program(db)
    opened = program.version
    replan_program(program, start_date=None, diagnosis_weeks=5, version=opened)
    db.session.commit()
    before = windows(db, program)
    with pytest.raises(StaleEditError):
        replan_program(program, start_date=START, diagnosis_weeks=3, version=opened)
    db.session.rollback()
    assert windows(db, program) == before


def test_a_bad_length_is_refused(db) -> None:
    program = make_program(db)
    with pytest.raises(ReplanError):
        replan_program(program, start_date=None, diagnosis_weeks=9, version=program.version)


# --------------------------------------------------------------------------- pages


def test_replan_page_moves_the_plan_and_says_what_moved(client, db) -> None:
    program = make_program(db)
    page = client.get(f"/programs/{program.id}/plan/replan")
    assert page.status_code == 200
    assert 'name="diagnosis_weeks" type="number" value="4"' in page.get_data(as_text=True)
    response = client.post(
        f"/programs/{program.id}/plan/replan",
        data={"start_date": "2026-03-16", "diagnosis_weeks": "6", "version": program.version},
    )
    assert response.status_code == 302
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "What moved" in shown
    assert windows(db, program)[1][1] == date(2026, 4, 27)


def test_replan_page_refuses_bad_and_stale_input(client, db) -> None:
    program = make_program(db)
    before = windows(db, program)
    bad = client.post(
        f"/programs/{program.id}/plan/replan",
        data={"start_date": "2026-03-16", "diagnosis_weeks": "9", "version": program.version},
    )
    assert bad.status_code == 422
    stale = client.post(
        f"/programs/{program.id}/plan/replan",
        data={"start_date": "2026-03-16", "diagnosis_weeks": "6", "version": program.version - 1},
    )
    assert stale.status_code == 409
    assert windows(db, program) == before


def test_replanning_needs_the_lead(login_as, db) -> None:
    program = make_program(db)
    member = login_as("member", program)
    assert member.get(f"/programs/{program.id}/plan/replan").status_code == 200
    response = member.post(
        f"/programs/{program.id}/plan/replan",
        data={"start_date": "2026-03-16", "diagnosis_weeks": "6", "version": program.version},
    )
    assert response.status_code == 403


def test_new_program_with_six_weeks_of_diagnosis_and_chinese_holidays(client, db) -> None:
    from planner.models import CalendarException, Program

    response = client.post(
        "/programs/new",
        data={
            "name": "Shanghai rollout",
            "client": "Acme Shanghai",
            "start_date": "2026-03-02",
            "playbook": "crm-four-100-days@1.0",
            "diagnosis_weeks": "6",
            "holiday_set": "cn-mainland",
        },
    )
    assert response.status_code == 302
    program = db.session.scalars(select(Program)).one()
    assert program.holiday_set == "cn-mainland"
    assert (program.phases[0].window_end, program.phases[1].window_start) == (
        date(2026, 4, 12),  # 2 March + 41 days
        date(2026, 4, 13),
    )
    days = {
        e.day: e.working
        for e in db.session.scalars(
            select(CalendarException).where(CalendarException.program_id == program.id)
        )
    }
    # National Day 2026: Thursday 1 to Wednesday 7 October off (5 weekdays), Saturday 10
    # worked; Sunday 20 September worked too (State Council notice for 2026)
    assert [d for d in days if d.month == 10 and d.year == 2026 and not days[d]] == [
        date(2026, 10, 1),
        date(2026, 10, 2),
        date(2026, 10, 5),
        date(2026, 10, 6),
        date(2026, 10, 7),
    ]
    assert days[date(2026, 10, 10)] is True and days[date(2026, 9, 20)] is True
    # Spring Festival 2027 (not published yet): the statutory days, estimated
    assert days[date(2027, 2, 8)] is False
    # the schedule skips them: nothing starts on a holiday
    items = db.session.scalars(select(WorkItem).where(WorkItem.program_id == program.id))
    assert all(days.get(i.early_start) is not False for i in items)


def test_new_program_refuses_nine_weeks(client, db) -> None:
    from planner.models import Program

    response = client.post(
        "/programs/new",
        data={
            "name": "X",
            "client": "Y",
            "start_date": "2026-03-02",
            "playbook": "crm-four-100-days@1.0",
            "diagnosis_weeks": "9",
        },
    )
    assert response.status_code == 422
    assert db.session.scalars(select(Program)).first() is None


def test_holiday_set_applied_from_the_calendar_page(client, db) -> None:
    from planner.models import CalendarException

    program = make_program(db)
    page = client.get(f"/programs/{program.id}/plan/calendar").get_data(as_text=True)
    assert 'name="holiday_set"' in page
    response = client.post(
        f"/programs/{program.id}/plan/holiday-set", data={"holiday_set": "cn-mainland"}
    )
    assert response.status_code == 302
    labels = {
        e.day: e.name
        for e in db.session.scalars(
            select(CalendarException).where(CalendarException.program_id == program.id)
        )
    }
    assert labels[date(2026, 5, 1)] == "劳动节 · Labour Day"
    again = client.post(
        f"/programs/{program.id}/plan/holiday-set", data={"holiday_set": "cn-mainland"}
    )
    assert again.status_code == 302  # applying twice adds nothing twice
    count = db.session.scalars(
        select(CalendarException).where(CalendarException.program_id == program.id)
    ).all()
    assert len(count) == len(labels)
