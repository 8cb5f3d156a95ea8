"""A steering review shows what moved in the plan, the gates and the metrics since the
previous review, not only the risks: milestones (in working days), the forecast finish,
items that became critical, metric readings and gate decisions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from planner.extensions import db
from planner.models.metric import Metric
from planner.models.plan import Dependency, WorkItem
from planner.services import metrics as metric_service
from planner.services import risks as service
from planner.services.plan import ItemDetails, update_item
from planner.services.scheduling import program_calendar
from tests.conftest import FROZEN_TODAY
from tests.integration.risks_support import new_program, text

#: the pages judge on today: a frozen one (the `today` fixture of tests/conftest.py)
pytestmark = pytest.mark.usefixtures("today")

TODAY = FROZEN_TODAY
FIRST = TODAY - timedelta(days=42)
SECOND = TODAY - timedelta(days=7)


@pytest.fixture()
def program(db):
    return new_program()


def open_review(client, program, day: date):
    data = {"held_on": day.isoformat(), "title": "", "attendees": "", "notes": ""}
    assert client.post(f"/programs/{program.id}/reviews", data=data).status_code == 302


def stored_dates(program) -> dict[str, tuple[str, date | None, bool]]:
    db.session.expire_all()
    rows = db.session.execute(
        select(WorkItem.key, WorkItem.kind, WorkItem.early_finish, WorkItem.is_critical).where(
            WorkItem.program_id == program.id
        )
    )
    return {r.key: (r.kind, r.early_finish, r.is_critical) for r in rows}


def lengthen_a_milestone_driver(program) -> str:
    """Add 15 working days to the task that drives the latest milestone of phase 1."""
    driver = db.session.scalars(
        select(WorkItem)
        .join(Dependency, Dependency.predecessor_id == WorkItem.id)
        .join(WorkItem.phase)
        .where(
            WorkItem.program_id == program.id,
            WorkItem.kind == "task",
            Dependency.successor.has(WorkItem.kind == "milestone"),
        )
        .order_by(WorkItem.total_float, WorkItem.early_finish.desc())
    ).first()
    assert driver is not None
    details = ItemDetails(
        name=driver.name,
        kind=driver.kind,
        duration_days=driver.duration_days + 15,
        owner=driver.owner,
        constraint_type=driver.constraint_type,
        constraint_date=driver.constraint_date,
        deliverable=driver.deliverable,
    )
    update_item(program, driver, details, driver.version)
    db.session.commit()
    return driver.key


def test_review_lists_moved_milestones_finish_critical_items_and_readings(client, program) -> None:
    open_review(client, program, FIRST)
    before = stored_dates(program)
    lengthen_a_milestone_driver(program)
    metric = db.session.scalars(select(Metric).where(Metric.program_id == program.id)).first()
    metric_service.add_reading(program, metric, SECOND - timedelta(days=1), 12.5)
    db.session.commit()
    after = stored_dates(program)
    open_review(client, program, SECOND)

    # the oracle: the stored schedule before and after, counted on the program's calendar
    calendar = program_calendar(program)
    expected_moves = {
        key: calendar.workdays_between(before[key][1], after[key][1])
        for key, (kind, day, _crit) in after.items()
        if kind == "milestone" and day and before[key][1] and day != before[key][1]
    }
    assert expected_moves, "lengthening a milestone's driver moved no milestone"
    became_critical = sorted(k for k, v in after.items() if v[2] and not before[k][2])

    reviews = service.list_reviews(program.id)
    view = service.review_view(reviews[0], service.scale_for(program))
    changes = view.plan.changes
    assert changes is not None
    assert {m.key: m.workdays for m in changes.milestones_moved} == expected_moves
    finish_before = max(d for _k, d, _c in before.values() if d)
    finish_after = max(d for _k, d, _c in after.values() if d)
    if finish_after != finish_before:
        assert changes.finish is not None
        assert changes.finish.workdays == calendar.workdays_between(finish_before, finish_after)
    assert list(changes.became_critical) == became_critical
    assert [(m.key, m.after.value) for m in changes.metrics] == [(metric.key, 12.5)]

    html = text(client.get(f"/programs/{program.id}/reviews/{reviews[0].id}"))
    section = html[html.index('id="plan-changes-h"') : html.index('id="top-h"')]
    assert "Milestones that moved" in section
    biggest = max(expected_moves.values())
    assert f"+{biggest} working days" in section
    assert "12.5" in section and "Metric readings" in section


def test_gate_decisions_between_reviews_are_listed(client, program) -> None:
    from planner.models.gate import GateDecision

    open_review(client, program, FIRST)
    phase = program.phases[0]
    for day, kind in ((FIRST - timedelta(days=1), "no_go"), (FIRST + timedelta(days=3), "go")):
        db.session.add(
            GateDecision(
                program_id=program.id,
                phase_id=phase.id,
                kind=kind,
                decided_by="Steering committee",
                decided_on=day,
                overall_at_decision="pass",
            )
        )
    db.session.commit()
    open_review(client, program, SECOND)
    reviews = service.list_reviews(program.id)
    view = service.review_view(reviews[0], service.scale_for(program))
    assert [(d.kind, d.decided_on) for d in view.plan.decisions] == [
        ("go", FIRST + timedelta(days=3))
    ]
    first_view = service.review_view(reviews[1], service.scale_for(program))
    assert [d.kind for d in first_view.plan.decisions] == ["no_go"]


def test_review_in_chinese_words_the_plan_changes(client, program) -> None:
    open_review(client, program, FIRST)
    lengthen_a_milestone_driver(program)
    open_review(client, program, SECOND)
    review = service.list_reviews(program.id)[0]
    html = text(
        client.get(
            f"/programs/{program.id}/reviews/{review.id}", headers={"Accept-Language": "zh-CN"}
        )
    )
    section = html[html.index('id="plan-changes-h"') : html.index('id="top-h"')]
    assert "移动的里程碑" in section and "个工作日" in section
    assert "Milestones that moved" not in section


def test_the_pack_says_what_moved_since_the_latest_review(client, program, app) -> None:
    from flask_babel import force_locale

    from planner.services.pack import build_pack

    open_review(client, program, FIRST)
    before = stored_dates(program)
    lengthen_a_milestone_driver(program)
    after = stored_dates(program)
    moved = {
        key
        for key, (kind, day, _crit) in after.items()
        if kind == "milestone" and day != before[key][1]
    }
    names = {i.key: i.name for i in program.work_items}
    with app.test_request_context(headers={"Accept-Language": "en"}):
        pack = build_pack(program.id, TODAY, "en")
    assert pack.since_title.startswith("Since the review of")
    lines = "\n".join(pack.since)
    assert any(names[key] in lines for key in moved)
    assert "working days" in lines and "Risks: 0 new, 0 closed" in lines
    with app.test_request_context(), force_locale("zh_Hans_CN"):
        pack_zh = build_pack(program.id, TODAY, "zh")
    assert pack_zh.since_title.startswith("自") and "个工作日" in "\n".join(pack_zh.since)
