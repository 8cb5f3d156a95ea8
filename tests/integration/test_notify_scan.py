"""The daily scan: reminders for owners (matched by account name), gates coming to leads and
steering, the lead days each person chose, and nothing twice when it runs again."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from planner.extensions import db
from planner.models import Membership, Notification, NotifySettings
from planner.services.notify_scan import scan_program
from tests.conftest import make_user
from tests.integration.notify_support import team


def _events(user_id: int) -> list[str]:
    rows = db.session.scalars(select(Notification.event).where(Notification.user_id == user_id))
    return sorted(rows)


def test_scan_reminds_owners_leads_and_steering_once(app) -> None:  # type: ignore[no-untyped-def]
    t = team()
    steering = make_user("steering@acme.example", name="Steering Person")
    db.session.add(Membership(user_id=steering.id, program_id=t.program.id, role="steering"))
    program = t.program
    gate_phase = min(program.phases, key=lambda p: p.ordinal)
    today = gate_phase.window_end - timedelta(days=2)
    item = program.work_items[0]
    item.owner = "Member Person"
    item.early_start, item.early_finish = today + timedelta(days=2), today + timedelta(days=9)
    item.actual_start, item.actual_finish, item.percent_complete = None, None, 0
    db.session.add(NotifySettings(user_id=t.member.id, digest="daily", quiet_days="", lead_days=1))
    db.session.commit()

    scan_program(program, today)
    db.session.commit()
    assert "item_starts" not in _events(t.member.id)  # two days ahead, they asked for one
    assert "gate_soon" in _events(t.lead.id) and "gate_soon" in _events(steering.id)
    assert "gate_soon" not in _events(t.member.id)

    settings = db.session.get(NotifySettings, t.member.id)
    settings.lead_days = 3
    db.session.commit()
    scan_program(program, today)
    scan_program(program, today)  # the same day again: nothing new
    db.session.commit()
    assert _events(t.member.id).count("item_starts") == 1
    row = db.session.scalar(select(Notification).where(Notification.event == "item_starts"))
    assert row.params["as_lead"] is False and row.link.endswith(f"/plan/items/{item.id}")
    assert _events(t.lead.id).count("gate_soon") == 1
