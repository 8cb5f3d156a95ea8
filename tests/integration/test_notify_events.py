"""Events raised by other areas reach the people concerned: gate and review decisions,
a risk's new score, an applied scenario; preferences turn them off."""

from __future__ import annotations

from sqlalchemy import select

from planner.extensions import db
from planner.models import Notification, NotifyPreference
from planner.services.notify_events import notify_decision_recorded, notify_risk_score_changed
from tests.integration.notify_support import team


def _events(user_id: int) -> list[tuple[str, str]]:
    rows = db.session.scalars(select(Notification).where(Notification.user_id == user_id))
    return [(n.event, str(n.params.get("name"))) for n in rows]


def test_a_decision_reaches_every_member_but_its_author_and_only_once(app) -> None:  # type: ignore[no-untyped-def]
    t = team()
    for _ in range(2):
        notify_decision_recorded(t.program.id, "Go for the pilot", "/x", key="raid:D-1",
                                 actor_id=t.lead.id)  # fmt: skip
    db.session.commit()
    assert _events(t.member.id) == [("decision", "Go for the pilot")]
    assert _events(t.lead.id) == []
    assert _events(t.viewer.id) == []  # viewers follow no decisions


def test_a_risks_new_score_reaches_its_owner_by_name(app) -> None:  # type: ignore[no-untyped-def]
    t = team()
    risk = t.program.risks[0]
    risk.owner = "Member Person"
    db.session.flush()
    notify_risk_score_changed(risk, 4, 12)
    notify_risk_score_changed(risk, 12, 12)  # no change: nothing
    db.session.commit()
    (row,) = db.session.scalars(select(Notification).where(Notification.user_id == t.member.id))
    assert row.event == "risk_score" and (row.params["old"], row.params["new"]) == (4, 12)
    assert _events(t.lead.id) == []


def test_a_person_who_turned_an_event_off_does_not_get_it(app) -> None:  # type: ignore[no-untyped-def]
    t = team()
    for channel in ("inapp", "email"):
        choice = {"event": "decision", "channel": channel, "enabled": False}
        db.session.add(NotifyPreference(user_id=t.member.id, program_id=t.program.id, **choice))
    db.session.commit()
    notify_decision_recorded(t.program.id, "Stop", "/x", key="raid:D-2")
    assert _events(t.member.id) == []
    assert _events(t.lead.id) == [("decision", "Stop")]


def test_the_preferences_page_saves_the_grid(app) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import sign_in

    t = team()
    client = app.test_client()
    sign_in(client, t.member)
    page = client.get("/notifications/preferences").get_data(as_text=True)
    assert f'name="p-{t.program.id}-mentioned-email"' in page
    form = {f"p-{t.program.id}-mentioned-inapp": "on", "digest": "daily", "lead_days": "2"}
    assert client.post("/notifications/preferences", data=form).status_code == 302
    off = set(db.session.scalars(
        select(NotifyPreference.event + ":" + NotifyPreference.channel).where(
            NotifyPreference.user_id == t.member.id)))  # fmt: skip
    assert "mentioned:email" in off and "mentioned:inapp" not in off and "decision:inapp" in off
