"""RAID pages: the one list with counts and filters, issues through their workflow, risk to
issue, actions, decisions, change requests (impact, steering approves, others refused),
the dashboard card, the steering review, the pack, and xlsx export/import (all or nothing)."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from pptx import Presentation
from sqlalchemy import func, select

from planner.demodata import raid as raid_demo
from planner.models import AuditEvent, ChangeRequest, Decision, Issue, RiskAction, WorkItem
from planner.services import change_requests as changes
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


def count(db, model) -> int:  # type: ignore[no-untyped-def]
    return int(db.session.scalar(select(func.count()).select_from(model)))


def state(db) -> tuple[int, ...]:  # type: ignore[no-untyped-def]
    db.session.expire_all()
    models = (Issue, RiskAction, Decision, ChangeRequest, AuditEvent)
    return tuple(count(db, m) for m in models)


def test_the_raid_page_lists_every_kind_with_counts_and_filters(login_as, program) -> None:  # type: ignore[no-untyped-def]
    viewer = login_as("viewer", program)
    page = viewer.get(f"/programs/{program.id}/raid").get_data(as_text=True)
    for text in ("Configurator needs custom pricing rules", "CR-1", "CR-2", "D-1", "R-12"):
        assert text in page
    assert "Raise an issue" not in page  # a viewer reads only
    issues = viewer.get(f"/programs/{program.id}/raid?kind=issue&open=1").get_data(as_text=True)
    rows = re.findall(r'<tr class="raid-row raid-(\w+)', issues)
    assert rows and set(rows) == {"issue"}
    assert "Duplicate contacts block" not in issues  # closed: filtered out
    overdue = viewer.get(f"/programs/{program.id}/raid?kind=action&overdue=1")
    assert "Agree the pricing-rule scope with the vendor" in overdue.get_data(as_text=True)


def test_an_issue_goes_through_its_workflow_and_a_skip_is_refused_in_both_languages(
    login_as, db, program
) -> None:  # type: ignore[no-untyped-def]
    member = login_as("member", program)
    response = member.post(
        f"/programs/{program.id}/raid/issues/new",
        data={"title": "Regional data feed late", "severity": "high", "risks": "R-12"},
    )
    assert response.status_code == 302
    issue = db.session.scalars(select(Issue).where(Issue.title == "Regional data feed late")).one()
    url = f"/programs/{program.id}/raid/issues/{issue.id}"
    before = state(db)
    skipped = member.post(f"{url}/status", data={"status": "closed", "version": issue.version})
    assert skipped.status_code == 422
    assert "An issue cannot go from “Open” to “Closed”" in skipped.get_data(as_text=True)
    assert state(db) == before
    member.post("/language", data={"lang": "zh_Hans_CN", "next": "/"})
    zh = member.post(f"{url}/status", data={"status": "closed", "version": issue.version})
    assert "问题不能从“未关闭”直接变为“已关闭”" in zh.get_data(as_text=True)
    ok = member.post(f"{url}/status", data={"status": "in_progress", "version": issue.version})
    assert ok.status_code == 302
    db.session.refresh(issue)
    assert issue.status == "in_progress"


def test_unknown_links_are_refused_on_the_form(login_as, db, program) -> None:  # type: ignore[no-untyped-def]
    member = login_as("member", program)
    before = state(db)
    response = member.post(
        f"/programs/{program.id}/raid/issues/new",
        data={"title": "x", "items": "no-such-item", "severity": "low"},
    )
    assert response.status_code == 422
    assert "no-such-item does not exist in this program." in response.get_data(as_text=True)
    assert state(db) == before


def test_a_risk_that_occurs_becomes_an_issue_from_its_page(login_as, db, program) -> None:  # type: ignore[no-untyped-def]
    member = login_as("member", program)
    risk = next(r for r in program.risks if r.key == "R-12")
    page = member.get(f"/programs/{program.id}/risks/{risk.id}").get_data(as_text=True)
    assert "Review cadence" in page and "Reviewed today: set the next review" in page
    response = member.post(
        f"/programs/{program.id}/raid/risks/{risk.id}/issue",
        data={"version": risk.version, "note": "The ERP team confirmed the slip."},
    )
    assert response.status_code == 302
    db.session.refresh(risk)
    assert risk.status == "occurred" and risk.issues
    assert risk.issues[0].description == "The ERP team confirmed the slip."


def test_steering_approves_a_change_and_the_plan_follows(login_as, db, program) -> None:  # type: ignore[no-untyped-def]
    cr2 = db.session.scalars(select(ChangeRequest).where(ChangeRequest.key == "CR-2")).one()
    url = f"/programs/{program.id}/raid/changes/{cr2.id}"
    member = login_as("member", program)
    page = member.get(url).get_data(as_text=True)
    assert "Impact on the plan" in page and "R-12" in page
    assert "Approve and apply to the live plan" not in page
    assert member.post(f"{url}/decide", data={"approve": "1"}).status_code == 403
    item = db.session.scalars(select(WorkItem).where(WorkItem.id == cr2.work_item_id)).one()
    old = item.duration_days
    steering = login_as("steering", program)
    response = steering.post(
        f"{url}/decide", data={"approve": "1", "version": cr2.version, "rationale": "keep orders"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(WorkItem, item.id).duration_days == old + raid_demo.PENDING_DAYS
    assert db.session.get(ChangeRequest, cr2.id).status == "approved"
    decision = db.session.scalars(select(Decision).where(Decision.change_request_id == cr2.id))
    assert decision.one().rationale == "keep orders"


def test_a_stale_change_is_refused_on_its_page(login_as, db, program) -> None:  # type: ignore[no-untyped-def]
    cr2 = db.session.scalars(select(ChangeRequest).where(ChangeRequest.key == "CR-2")).one()
    other = next(i for i in program.work_items if i.kind == "task" and i.actual_finish is None)
    other.duration_days += 1
    db.session.commit()
    lead = login_as("lead", program)
    url = f"/programs/{program.id}/raid/changes/{cr2.id}"
    assert "run it again before deciding" in lead.get(url).get_data(as_text=True)
    before = state(db)
    response = lead.post(f"{url}/decide", data={"approve": "1", "version": cr2.version})
    assert response.status_code == 409
    assert "The live plan changed since the impact of CR-2 was analysed" in response.get_data(
        as_text=True
    )
    assert state(db) == before


def test_dashboard_card_review_panel_and_pack_show_the_raid(login_as, program) -> None:  # type: ignore[no-untyped-def]
    lead = login_as("lead", program)
    dashboard = lead.get(f"/programs/{program.id}/dashboard").get_data(as_text=True)
    card = dashboard.split('class="mt-3 raid-card"', 1)[1]
    assert "Overdue actions" in card and "Agree the pricing-rule scope with the vendor" in card
    reviews = raid_demo.program_reviews(program)
    latest = max(reviews, key=lambda r: r.held_on)
    review = lead.get(f"/programs/{program.id}/reviews/{latest.id}").get_data(as_text=True)
    assert "Issues, change requests and decisions" in review
    assert "Freeze customisation beyond the pricing rules" in review
    deck = Presentation(io.BytesIO(lead.get(f"/programs/{program.id}/exchange/pack.pptx").data))
    last = deck.slides[len(deck.slides) - 1]
    assert last.shapes.title.text_frame.text == "RAID: issues, changes and decisions"
    cells = [c.text for s in last.shapes if s.has_table for r in s.table.rows for c in r.cells]
    assert any(c.startswith("I-3 ") for c in cells)
    assert any(c.startswith("CR-2 ") for c in cells)
    assert any("Phase 3 gate +" in c for c in cells)


def test_export_then_import_round_trip_and_a_bad_row_changes_nothing(login_as, db, program) -> None:  # type: ignore[no-untyped-def]
    lead = login_as("lead", program)
    data = lead.get(f"/programs/{program.id}/raid/export.xlsx").data
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Issues", "Actions", "Decisions", "Change requests"]
    issues = book["Issues"]
    assert [c.value for c in issues[1]][:3] == ["Key", "Title", "Description"]
    issues.append([None, "Printer queue drops quotes", None, "low", "Chen Jie"])
    book["Actions"].append([None, "issue", "I-3", "Call the vendor", "Huang Tao"])
    ok = io.BytesIO()
    book.save(ok)
    before = count(db, Issue), count(db, RiskAction)
    response = lead.post(
        f"/programs/{program.id}/raid/import",
        data={"file": (io.BytesIO(ok.getvalue()), "raid.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert (count(db, Issue), count(db, RiskAction)) == (before[0] + 1, before[1] + 1)

    book = load_workbook(io.BytesIO(data))
    book["Issues"].append([None, "Good row", None, "low"])
    book["Issues"].append([None, "Bad link", None, "low", None, None, None, None, "nope-9"])
    bad = io.BytesIO()
    book.save(bad)
    snapshot = state(db)
    refused = lead.post(
        f"/programs/{program.id}/raid/import",
        data={"file": (io.BytesIO(bad.getvalue()), "raid.xlsx")},
        content_type="multipart/form-data",
    )
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Issues:" in text and "nope-9 does not exist in this program." in text
    assert state(db) == snapshot


def test_members_cannot_record_decisions_steering_can(login_as, db, program) -> None:  # type: ignore[no-untyped-def]
    member = login_as("member", program)
    url = f"/programs/{program.id}/raid/decisions/new"
    assert member.post(url, data={"title": "x"}).status_code == 403
    steering = login_as("steering", program)
    response = steering.post(url, data={"title": "Hold phase 3 kick-off", "issue": "I-3"})
    assert response.status_code == 302
    made = db.session.scalars(select(Decision).where(Decision.title == "Hold phase 3 kick-off"))
    assert made.one().issue.key == "I-3"
    assert changes.pending_changes(program)  # CR-2 still waits
    assert raid.list_decisions(program)[0].title == "Hold phase 3 kick-off"
    page = member.get(f"/programs/{program.id}/raid/decisions/{made_id(db)}")
    assert page.status_code == 200 and "Hold phase 3 kick-off" in page.get_data(as_text=True)


def made_id(db) -> int:  # type: ignore[no-untyped-def]
    return int(
        db.session.scalar(select(Decision.id).where(Decision.title == "Hold phase 3 kick-off"))
    )


def test_a_decision_logged_on_the_page_notifies_the_program_once(login_as, db, program) -> None:  # type: ignore[no-untyped-def]
    from planner.models import Membership, Notification

    steering = login_as("steering", program)
    member = db.session.scalars(
        select(Membership).where(Membership.program_id == program.id, Membership.role == "member")
    ).first()
    if member is None:  # the demo program's members are made by the demo loader, not here
        login_as("member", program)
        member = db.session.scalars(
            select(Membership).where(
                Membership.program_id == program.id, Membership.role == "member"
            )
        ).one()
    before = db.session.scalars(
        select(Notification).where(Notification.user_id == member.user_id)
    ).all()
    url = f"/programs/{program.id}/raid/decisions/new"
    assert steering.post(url, data={"title": "Freeze scope for phase 3"}).status_code == 302
    after = db.session.scalars(
        select(Notification).where(Notification.user_id == member.user_id)
    ).all()
    new = [n for n in after if n not in before]
    assert len(new) == 1 and new[0].event == "decision"
    assert "Freeze scope for phase 3" in str(new[0].params)
