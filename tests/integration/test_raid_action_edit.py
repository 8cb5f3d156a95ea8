"""An action's title, owner, due date and status are edited on its page: saved and audited,
the owner linked to the people directory; a stale form (409), bad input (422, in the reader's
language) and a reader's post (403) change nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from planner.demodata import raid as raid_demo
from planner.models import AuditEvent, Person, RiskAction
from planner.services import raid
from tests.conftest import FROZEN_TODAY
from tests.integration.exchange_support import demo_program

#: the pages judge on today: a frozen one (the `today` fixture of tests/conftest.py)
pytestmark = pytest.mark.usefixtures("today")

TODAY = FROZEN_TODAY


@pytest.fixture()
def program(db):  # type: ignore[no-untyped-def]
    program = demo_program(db, TODAY)
    raid_demo.populate(program, TODAY)
    db.session.commit()
    return program


def audit_count(db) -> int:  # type: ignore[no-untyped-def]
    return int(db.session.scalar(select(func.count()).select_from(AuditEvent)))


def an_open_action(program) -> RiskAction:  # type: ignore[no-untyped-def]
    return next(a for a in raid.list_actions(program) if not a.done and a.issue_id)


def test_the_action_page_saves_every_field_and_audits_it(login_as, db, program) -> None:  # type: ignore[no-untyped-def]
    action = an_open_action(program)
    url = f"/programs/{program.id}/raid/actions/{action.id}"
    lead = login_as("lead", program)
    page = lead.get(url).get_data(as_text=True)
    assert f'value="{action.title}"' in page and 'list="raid-people"' in page
    due = TODAY + timedelta(days=9)
    saved = lead.post(
        url,
        data={
            "title": "Agree the rules with the vendor in writing",
            "owner": "Gu Lan",
            "due_date": due.isoformat(),
            "status": "done",
            "version": action.version,
            "back": f"/programs/{program.id}/raid?kind=action",
        },
    )
    assert saved.status_code == 302 and saved.location.endswith("/raid?kind=action")
    db.session.expire_all()
    action = db.session.get(RiskAction, action.id)
    assert (action.title, action.owner, action.due_date) == (
        "Agree the rules with the vendor in writing",
        "Gu Lan",
        due,
    )
    assert action.done and action.done_on == TODAY
    person = db.session.get(Person, action.owner_person_id)
    assert person is not None and person.name == "Gu Lan" and person.program_id == program.id
    fields = set(
        db.session.scalars(
            select(AuditEvent.field).where(
                AuditEvent.entity == "risk_action", AuditEvent.entity_id == action.id
            )
        )
    )
    assert {"title", "owner", "due_date", "done", "done_on"} <= fields
    reopened = lead.post(
        url,
        data={"title": action.title, "status": "open", "version": action.version},
    )
    assert reopened.status_code == 302
    db.session.expire_all()
    action = db.session.get(RiskAction, action.id)
    assert not action.done and action.done_on is None and action.owner is None


def test_a_stale_or_bad_edit_changes_nothing(login_as, db, program) -> None:  # type: ignore[no-untyped-def]
    action = an_open_action(program)
    url = f"/programs/{program.id}/raid/actions/{action.id}"
    lead = login_as("lead", program)
    before = (action.title, action.owner, action.due_date, action.version, audit_count(db))
    stale = lead.post(url, data={"title": "Mine", "version": action.version - 1})
    assert stale.status_code == 409
    assert "changed" in stale.get_data(as_text=True).lower()
    empty = lead.post(
        url, data={"title": "", "version": action.version}, headers={"Accept-Language": "zh-CN"}
    )
    assert empty.status_code == 422 and "必填" in empty.get_data(as_text=True)
    odd = lead.post(url, data={"title": "x", "status": "half", "version": action.version})
    assert odd.status_code == 422
    with pytest.raises(Exception) as refused:
        raid.edit_action(action, {"title": "x", "status": "half"}, action.version, TODAY)
    assert [p.code for p in refused.value.problems] == ["field.not_a_choice"]  # type: ignore[attr-defined]
    db.session.rollback()
    db.session.expire_all()
    action = db.session.get(RiskAction, action.id)
    assert (action.title, action.owner, action.due_date, action.version, audit_count(db)) == before


def test_readers_see_the_action_but_cannot_edit_it(login_as, db, program) -> None:  # type: ignore[no-untyped-def]
    action = an_open_action(program)
    url = f"/programs/{program.id}/raid/actions/{action.id}"
    viewer = login_as("viewer", program)
    page = viewer.get(url)
    assert page.status_code == 200 and action.title in page.get_data(as_text=True)
    assert "raid-action-edit" not in page.get_data(as_text=True)
    assert viewer.post(url, data={"title": "x", "version": action.version}).status_code == 403
    db.session.expire_all()
    assert db.session.get(RiskAction, action.id).title == action.title
    listing = login_as("lead", program).get(f"/programs/{program.id}/raid?kind=action")
    assert f"/raid/actions/{action.id}" in listing.get_data(as_text=True)
