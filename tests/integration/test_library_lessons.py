"""Lessons learned: a program's outcome proposes changes; the new version validates."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from planner.domain.playbook import parse_playbook
from planner.models import Dependency, Membership, Metric, MetricReading, Program, WorkItem
from planner.models.library import PlaybookUpload
from planner.services import library as service
from planner.services.playbooks import get_playbook
from tests.conftest import sign_in
from tests.integration.library_support import (
    counts,
    install_library,
    item,
    make_consultant,
    new_program,
    text_of,
)

LESSONS = {
    "add_task:vendor-demo-day",
    "lengthen_task:contact-migration",
    "raise_risk:cleaning-legacy-data",
    "adjust_target:duplicate-rate:1",
}


@pytest.fixture(autouse=True)
def library(app, monkeypatch):
    install_library(app, monkeypatch)


@pytest.fixture()
def program(db, today):
    """200 days in: a task added, one that ran long, a risk that occurred, a missed target
    (on the frozen clock's today, which the pages read too)."""
    start = today - timedelta(days=200)
    start -= timedelta(days=start.weekday())  # a Monday
    program = new_program(start=start)
    foundation = item(program, "change-impact").phase
    added = WorkItem(
        program_id=program.id,
        phase_id=foundation.id,
        key="vendor-demo-day",
        kind="task",
        name="Vendor demo day for the sales floor",
        duration_days=3,
        position=500,
    )
    db.session.add(added)
    db.session.flush()
    db.session.add(
        Dependency(
            program_id=program.id,
            predecessor_id=item(program, "change-impact").id,
            successor_id=added.id,
        )
    )
    migration = item(program, "contact-migration")
    migration.actual_start = start + timedelta(days=35)  # a Monday
    migration.actual_finish = migration.actual_start + timedelta(days=25)  # Friday, 4 weeks on
    migration.percent_complete = 100
    risk = next(r for r in program.risks if r.key == "cleaning-legacy-data")
    risk.status = "occurred"
    risk.occurred_on = start + timedelta(days=60)
    metric = db.session.scalars(
        select(Metric).where(Metric.program_id == program.id, Metric.key == "duplicate-rate")
    ).one()
    phase_1_end = next(p for p in program.phases if p.ordinal == 1).window_end
    metric.readings.append(MetricReading(day=phase_1_end - timedelta(days=3), value=10))
    db.session.commit()
    return program


def _url(program: Program) -> str:
    return f"/programs/{program.id}/playbook/lessons"


def _form(
    program: Program, *, today: date, drop: set[str] = frozenset(), **overrides: str
) -> dict[str, str]:
    """Every lesson kept with its proposed value, less ``drop``, plus ``overrides``."""
    context = service.lessons_context(program, today)
    data = {"new_version": context.suggested_version}
    for lesson in context.lessons:
        token = service.lesson_token(lesson)
        if lesson.id not in drop:
            data[f"use_{token}"] = "y"
        value = overrides.pop(lesson.id, None)
        default = service.editable_value(lesson)
        data[f"value_{token}"] = value if value is not None else f"{default:g}"
    data.update(overrides)
    return data


def test_lessons_are_proposed_from_what_happened(today, client, program) -> None:
    context = service.lessons_context(program, today)
    assert {lesson.id for lesson in context.lessons} == LESSONS
    assert context.suggested_version == "1.2"  # 1.1 is installed already
    page = text_of(client.get(_url(program)))
    assert (
        'Lengthen task "contact-migration" from 15 to 20 working days: it took 20 (33% over).'
        in page
    )
    assert 'Raise the likelihood of risk "cleaning-legacy-data" from 4 to 5' in page
    assert 'Add task "vendor-demo-day" to phase "foundation"' in page
    assert "after change-impact" in page
    assert 'Adjust the phase-1 target of metric "duplicate-rate" from 6 to 8' in page


def test_lessons_are_worded_in_chinese_for_a_chinese_reader(today, client, program) -> None:
    page = text_of(client.get(_url(program), headers={"Accept-Language": "zh-CN"}))
    assert '把任务 "contact-migration" 的工期从 15 延长到 20 个工作日' in page
    assert '把风险 "cleaning-legacy-data" 的可能性从 4 提高到 5' in page
    assert '中增加任务 "vendor-demo-day"' in page and "前置：change-impact" in page
    for english in ("Lengthen task", "Raise the likelihood", "Add task", "working days"):
        assert english not in page


def test_download_gives_a_valid_new_version_with_the_chosen_lessons(
    today, client, program, db
) -> None:
    before = counts()
    data = _form(
        program,
        today=today,
        drop={"raise_risk:cleaning-legacy-data"},
        **{"lengthen_task:contact-migration": "19"},
    )
    data["download"] = "y"
    response = client.post(_url(program), data=data)
    assert response.status_code == 200
    assert response.mimetype == "application/yaml"
    assert "crm-four-100-days-1.2.yaml" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("# crm-four-100-days 1.2: 1.0 with 3 lesson(s)")
    new = parse_playbook(text, source="download.yaml")  # validates exactly as the CLI does
    assert new.version == "1.2"
    tasks = {item.key: item for _phase, item in new.work_items()}
    assert tasks["contact-migration"].duration == 19  # the edited value
    assert tasks["vendor-demo-day"].duration == 3
    assert [d.key for d in tasks["vendor-demo-day"].depends_on] == ["change-impact"]
    assert next(r for r in new.risks if r.key == "cleaning-legacy-data").likelihood == 4  # dropped
    assert next(m for m in new.metrics if m.key == "duplicate-rate").targets[1] == 8
    assert counts() == before  # a download installs nothing


def test_consultant_saves_the_new_version_to_the_library(today, app, program, db) -> None:
    user = make_consultant()
    db.session.add(Membership(user_id=user.id, program_id=program.id, role="viewer"))
    db.session.commit()
    consultant = app.test_client()
    sign_in(consultant, user)
    data = _form(program, today=today)
    data["save"] = "y"
    response = consultant.post(_url(program), data=data)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/playbooks/crm-four-100-days/1.2")
    upload = db.session.scalars(select(PlaybookUpload)).one()
    assert (upload.version, upload.uploaded_by) == ("1.2", "consultant@test.example")
    saved = get_playbook("crm-four-100-days")
    assert saved.version == "1.2"
    assert next(r for r in saved.risks if r.key == "cleaning-legacy-data").likelihood == 5
    page = text_of(consultant.get(response.headers["Location"]))
    assert "saved to the library with 4 lesson(s)" in page


def test_members_download_but_may_not_save(today, login_as, program, db) -> None:
    member = login_as("member", program)
    before = counts()
    assert member.get(_url(program)).status_code == 200
    assert "Save to the library" not in text_of(member.get(_url(program)))
    data = _form(program, today=today)
    assert member.post(_url(program), data={**data, "save": "y"}).status_code == 403
    assert counts() == before
    assert member.post(_url(program), data={**data, "download": "y"}).status_code == 200
    assert login_as("outsider").get(_url(program)).status_code == 404


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"new_version": "1.0"}, "Version 1.0 is not newer than 1.0"),
        ({"new_version": "one"}, "Numbers separated by dots"),
        ({"lengthen_task:contact-migration": "abc"}, "Enter a number."),
        ({"raise_risk:cleaning-legacy-data": "7"}, "Enter a value from 1 to 5."),
        ({"lengthen_task:contact-migration": "2.5"}, "Give a whole number."),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(
    today, client, program, db, change, message
) -> None:
    before = counts()
    data: dict[str, Any] = _form(program, today=today, **change)
    data["save"] = "y"
    response = client.post(_url(program), data=data)
    assert response.status_code == 422
    assert message in text_of(response)
    assert counts() == before


def test_saving_a_version_that_exists_with_other_content_is_refused(
    today, client, program, db
) -> None:
    data = _form(program, today=today, new_version="1.1")
    data["save"] = "y"
    response = client.post(_url(program), data=data)
    assert response.status_code == 409
    assert "shipped with the planner" in text_of(response)
    assert db.session.scalars(select(PlaybookUpload)).first() is None


def test_a_program_that_followed_its_playbook_has_nothing_to_carry_back(today, client, db) -> None:
    program = new_program(name="On plan")
    assert service.lessons_context(program, today).lessons == []
    assert "Nothing to carry back yet" in text_of(client.get(_url(program)))


def test_a_version_that_is_not_newer_is_refused_in_chinese(today, client, program, db) -> None:
    before = counts()
    data: dict[str, Any] = _form(program, today=today, new_version="1.0")
    data["save"] = "y"
    response = client.post(_url(program), data=data, headers={"Accept-Language": "zh-CN"})
    assert response.status_code == 422
    page = text_of(response)
    assert "版本 1.0 并不比 1.0 新" in page and "is not newer" not in page
    assert counts() == before
