"""The calendar feed: a per-user secret token, stable UIDs, and 404 for everyone else."""

from __future__ import annotations

import hashlib
import re

import pytest
from icalendar import Calendar
from sqlalchemy import select

from planner.models import AuditEvent, User, WorkItem
from planner.models.feed import FeedToken
from planner.services import plan as plan_service
from tests.conftest import make_user, sign_in
from tests.integration.exchange_support import (
    count_queries,
    item,
    make_program,
)

FEED_URL = re.compile(r'value="(http://localhost/feeds/([^/"]+)/programs/(\d+)\.ics)"')


@pytest.fixture()
def program(db):
    return make_program(db)


def new_token(http) -> dict[int, str]:
    """Create (or rotate) the signed-in user's token; the feed URL of each program."""
    response = http.post("/account/feed", data={"rotate": "y"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    return {
        int(pid): url.replace("http://localhost", "") for url, _t, pid in FEED_URL.findall(page)
    }


def events_of(data: bytes) -> dict[str, dict[str, object]]:
    calendar = Calendar.from_ical(data)
    return {
        str(event["UID"]): {
            "summary": str(event["SUMMARY"]),
            "day": event["DTSTART"].dt,
            "category": event["CATEGORIES"].cats[0],
        }
        for event in calendar.walk("VEVENT")
    }


def test_a_member_subscribes_with_a_token_and_uids_stay_stable(
    login_as, anonymous_client, db, program
) -> None:
    member = login_as("member", program)
    urls = new_token(member)
    assert set(urls) == {program.id}
    response = anonymous_client.get(urls[program.id])  # a calendar app has no session
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    events = events_of(response.data)
    milestones = db.session.scalars(
        select(WorkItem).where(WorkItem.program_id == program.id, WorkItem.kind == "milestone")
    ).all()
    domain = f"program-{program.id}.crm-rollout-planner"
    for milestone in milestones:
        event = events[f"milestone-{milestone.key}@{domain}"]
        assert event["day"] == milestone.early_finish
        assert event["category"] == "Milestone"
    for phase in program.phases:
        event = events[f"gate-{phase.key}@{domain}"]
        assert event["day"] == phase.window_end
        assert event["category"] == "Gate review"
        assert phase.name in str(event["summary"])
    assert len(events) == len(milestones) + len(program.phases)
    # the plan changes: the same UID, a new date (the calendar moves the event)
    key = "roadmap-approved"
    before = events[f"milestone-{key}@{domain}"]["day"]
    predecessor = db.session.scalars(
        select(WorkItem).where(WorkItem.program_id == program.id, WorkItem.key == "roadmap")
    ).one()
    details = plan_service.ItemDetails(
        name=predecessor.name,
        kind=predecessor.kind,
        duration_days=predecessor.duration_days + 5,
        deliverable=predecessor.deliverable,
    )
    plan_service.update_item(program, predecessor, details, predecessor.version)
    db.session.commit()
    again = events_of(anonymous_client.get(urls[program.id]).data)
    assert set(again) == set(events)
    assert again[f"milestone-{key}@{domain}"]["day"] > before


def test_the_token_is_stored_hashed_and_rotation_kills_the_old_one(
    login_as, anonymous_client, db, program
) -> None:
    lead = login_as("lead", program)
    first = new_token(lead)[program.id]
    token = first.split("/")[2]
    row = db.session.scalars(select(FeedToken)).one()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in row.token_hash
    second = new_token(lead)[program.id]
    assert second != first
    assert anonymous_client.get(first).status_code == 404
    assert anonymous_client.get(second).status_code == 200
    db.session.expire_all()
    assert db.session.scalar(select(FeedToken.id)) == row.id  # one row per user, replaced
    audited = db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "feed_token")).all()
    assert {e.action for e in audited} >= {"create", "update"}
    # turning the feed off ends every link
    page = lead.post("/account/feed", data={"revoke": "y"}, follow_redirects=True)
    assert page.status_code == 200
    assert anonymous_client.get(second).status_code == 404
    assert db.session.scalar(select(FeedToken.id)) is None


def test_everyone_else_gets_404(login_as, anonymous_client, db, program) -> None:
    other = make_program(db, name="Other program", client="Other")
    member = login_as("member", program)
    url = new_token(member)[program.id]
    token = url.split("/")[2]
    assert anonymous_client.get(f"/feeds/{token}/programs/{other.id}.ics").status_code == 404
    assert anonymous_client.get(f"/feeds/{token}/programs/999999.ics").status_code == 404
    assert (
        anonymous_client.get(f"/feeds/{token[:-1]}x/programs/{program.id}.ics").status_code == 404
    )
    assert anonymous_client.get(f"/feeds/nothing/programs/{program.id}.ics").status_code == 404
    # an outsider's own token opens nothing
    outsider = login_as("outsider")
    assert new_token(outsider) == {}
    outsider_token = db.session.scalars(
        select(FeedToken).join(User).where(User.email.like("outsider%"))
    ).one()
    assert outsider_token is not None
    # a user who leaves the program, or is deactivated, loses the feed
    assert anonymous_client.get(url).status_code == 200
    user = db.session.scalars(select(User).where(User.email.like("member%"))).one()
    user.active = False
    db.session.commit()
    assert anonymous_client.get(url).status_code == 404


def test_an_administrator_subscribes_to_any_program(
    login_as, anonymous_client, db, program
) -> None:
    other = make_program(db, name="Other program", client="Other")
    urls = new_token(login_as("admin"))
    assert set(urls) == {program.id, other.id}
    assert anonymous_client.get(urls[other.id]).status_code == 200


def test_the_feed_speaks_the_subscribers_language(anonymous_client, db, program) -> None:
    user = make_user("zh@test.example")
    user.lang = "zh_Hans_CN"
    db.session.commit()
    from planner.models import Membership

    db.session.add(Membership(user_id=user.id, program_id=program.id, role="viewer"))
    db.session.commit()
    http = anonymous_client.application.test_client()
    sign_in(http, user)
    url = new_token(http)[program.id]
    events = events_of(anonymous_client.get(url).data)
    milestone = item(db, program, "roadmap-approved")
    assert milestone.name_zh
    summary = events[f"milestone-roadmap-approved@program-{program.id}.crm-rollout-planner"]
    assert summary["summary"] == milestone.name_zh
    # the categories too are in the subscriber's language: no English in a Chinese calendar
    gates = [e for uid, e in events.items() if uid.startswith("gate-")]
    assert {e["category"] for e in gates} == {"阶段关口评审"}
    assert summary["category"] == "里程碑"


def test_the_account_page_needs_a_sign_in(anonymous_client) -> None:
    response = anonymous_client.get("/account/feed")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert anonymous_client.post("/account/feed", data={"rotate": "y"}).status_code == 302


def test_the_account_page_says_a_token_exists_without_showing_it(login_as, db, program) -> None:
    lead = login_as("lead", program)
    url = new_token(lead)[program.id]
    token = url.split("/")[2]
    page = lead.get("/account/feed").get_data(as_text=True)
    assert token not in page
    assert "create a new one" in page


def test_the_feed_needs_few_queries_whatever_its_size(
    login_as, anonymous_client, db, program
) -> None:
    small = make_program(db, name="Small", playbook="small-business-quick-start")
    lead = login_as("admin")
    urls = new_token(lead)
    counts = []
    for pid in (small.id, program.id):
        with count_queries(db) as statements:
            assert anonymous_client.get(urls[pid]).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]
