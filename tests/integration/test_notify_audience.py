"""The scan reads a program's members and their settings once (``Audience``) and links all
its reminders in one request context: the people, the preferences honoured and the links are
those the per-event look-ups give."""

from __future__ import annotations

from sqlalchemy import func, select

from planner.extensions import db
from planner.models import Membership, Notification, NotifyPreference, Webhook, WebhookDelivery
from planner.services import notify
from tests.conftest import make_user
from tests.integration.notify_support import team


def _ids(users):  # type: ignore[no-untyped-def]
    return [u.id for u in users]


def test_the_audience_answers_as_members_and_owners_do(app) -> None:  # type: ignore[no-untyped-def]
    t = team()
    steering = make_user("steering@acme.example", name="Steering Person")
    gone = make_user("gone@acme.example", name="Gone Person")
    db.session.add(Membership(user_id=steering.id, program_id=t.program.id, role="steering"))
    db.session.add(Membership(user_id=gone.id, program_id=t.program.id, role="lead"))
    gone.active = False
    other = team("Other rollout")  # members of another program are no one's audience here
    db.session.commit()

    audience = notify.Audience(t.program.id)
    pid = t.program.id
    for roles in [("lead", "member", "steering"), ("lead", "steering"), ("lead",), notify.ROLES]:
        assert _ids(audience.members(roles)) == _ids(notify.members(pid, roles))
    assert _ids(audience.members()) == _ids(notify.members(pid))
    for owner in (
        "Member Person",
        " member@acme.example ",
        "VIEWER PERSON",
        "Gone Person",
        "",
        None,
    ):
        ours, matched = audience.owners(owner)
        theirs, found = notify.owners(pid, owner)
        assert (_ids(ours), matched) == (_ids(theirs), found)
    assert other.lead.id not in _ids(audience.members(notify.ROLES))


def test_record_with_the_audience_honours_the_same_preferences(app) -> None:  # type: ignore[no-untyped-def]
    t = team()
    pid = t.program.id
    for user, channel in ((t.member, "inapp"), (t.viewer, "inapp"), (t.viewer, "email")):
        db.session.add(
            NotifyPreference(user_id=user.id, program_id=pid, event="item_late", channel=channel)
        )
    other = team("Other rollout").program.id
    # another event's choice, and another program's, change nothing here
    for program_id, event in ((pid, "review_due"), (other, "item_late")):
        for channel in ("inapp", "email"):
            db.session.add(
                NotifyPreference(
                    user_id=t.lead.id, program_id=program_id, event=event, channel=channel
                )
            )
    db.session.commit()
    people = [t.lead, t.member, t.viewer, t.lead]

    audience = notify.Audience(pid)
    made = notify.record(people, pid, "item_late", {}, "/x", "late:1", audience=audience)
    again = notify.record(people, pid, "item_late", {}, "/x", "late:1", audience=audience)
    plain = notify.record(people, pid, "item_late", {}, "/x", "late:2")
    assert (made, again, plain) == (2, 0, 2)
    rows = db.session.execute(
        select(Notification.dedupe_key, Notification.user_id, Notification.read_at.is_(None))
        .where(Notification.program_id == pid)
        .order_by(Notification.id)
    ).all()
    # the viewer turned both channels off; the member's is e-mail only (read for the bell)
    assert [tuple(r) for r in rows] == [
        ("late:1", t.lead.id, True),
        ("late:1", t.member.id, False),
        ("late:2", t.lead.id, True),
        ("late:2", t.member.id, False),
    ]


def test_links_made_together_are_the_links_made_one_by_one(app) -> None:  # type: ignore[no-untyped-def]
    targets = [
        ("plan.item", {"program_id": 3, "item_id": 14}),
        ("risks.detail", {"program_id": 3, "risk_id": 2}),
        ("gates.show", {"program_id": 5, "ordinal": 1}),
    ]
    assert notify.links_to(targets) == [notify.link_to(e, **v) for e, v in targets]
    assert notify.links_to([]) == []
    with app.test_request_context("/programs/3/plan"):
        assert notify.links_to(targets) == [notify.link_to(e, **v) for e, v in targets]


def test_a_repeated_event_counts_nothing_new_on_every_database(app) -> None:  # type: ignore[no-untyped-def]
    """On PostgreSQL the row count of INSERT … ON CONFLICT DO NOTHING is -1, written or
    skipped: a count made from it called every skipped notification and delivery new."""
    t = team()
    db.session.add(Webhook(program_id=t.program.id, kind="json", url="http://127.0.0.1:9/h"))
    db.session.commit()
    people = [t.lead, t.member]
    first = notify.announce(people, t.program.id, "item_late", {}, "/x", "late:9")
    queued_first = db.session.scalar(select(func.count()).select_from(WebhookDelivery))
    again = notify.announce(people, t.program.id, "item_late", {}, "/x", "late:9")
    queued_again = notify.queue_webhooks(t.program.id, "item_late", {}, "/x", "late:9")
    assert (first, again, queued_first, queued_again) == (2, 0, 1, 0)
    count = select(func.count()).select_from(Notification)
    assert db.session.scalar(count.where(Notification.dedupe_key == "late:9")) == 2
