"""Comments with @mentions and attachments on a program's things, through the web pages."""

from __future__ import annotations

import hashlib

from sqlalchemy import func, select

from planner.extensions import db
from planner.models import Attachment, AuditEvent, Comment, Notification, Phase
from tests.conftest import sign_in
from tests.integration.notify_support import team
from tests.integration.risks_support import item

ITEM = "kickoff-workshop"


def _thread_url(t, kind: str, subject_id: int) -> str:  # type: ignore[no-untyped-def]
    return f"/programs/{t.program.id}/discuss/{kind}/{subject_id}"


def _first_item(t):  # type: ignore[no-untyped-def]
    return t.program.work_items[0]


def _count(model) -> int:  # type: ignore[no-untyped-def]
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_mention_notifies_the_member_and_rings_their_bell(app) -> None:  # type: ignore[no-untyped-def]
    t = team()
    work = _first_item(t)
    lead, member = app.test_client(), app.test_client()
    sign_in(lead, t.lead)
    sign_in(member, t.member)
    assert 'data-testid="bell-count"' not in member.get("/notifications").get_data(as_text=True)

    answer = lead.post(f"{_thread_url(t, 'workitem', work.id)}/comments",
                       data={"body": "Please check **this**, @member"})  # fmt: skip
    assert answer.status_code == 302 and "#comment-" in answer.headers["Location"]

    page = member.get(f"/programs/{t.program.id}/plan/items/{work.id}").get_data(as_text=True)
    assert "<strong>this</strong>" in page
    assert 'data-testid="bell-count">1<' in page
    listing = member.get("/notifications").get_data(as_text=True)
    assert "Lead Person mentioned you in a comment on" in listing
    mine = db.session.scalars(select(Notification).where(Notification.user_id == t.member.id))
    (notification,) = list(mine)
    assert notification.event == "mentioned" and notification.link.endswith(
        f"#comment-{db.session.scalar(select(Comment.id))}"
    )
    # opening it marks it read and goes to the comment
    opened = member.get(f"/notifications/{notification.id}/open")
    assert opened.headers["Location"] == notification.link
    assert 'data-testid="bell-count"' not in member.get("/notifications").get_data(as_text=True)
    # the author is never notified of their own mention
    assert _count(Notification) == 1


def test_html_and_mentions_of_outsiders_are_refused_and_nothing_is_stored(app) -> None:  # type: ignore[no-untyped-def]
    t = team()
    client = app.test_client()
    sign_in(client, t.member)
    url = f"{_thread_url(t, 'workitem', _first_item(t).id)}/comments"
    for body, words in [
        ("<script>alert(1)</script>", "HTML is not allowed in comments"),
        ("ask @stranger about it", "@stranger is not a member of this program"),
    ]:
        answer = client.post(url, data={"body": body}, follow_redirects=True)
        assert words in answer.get_data(as_text=True)
        assert _count(Comment) == 0 and _count(Notification) == 0
    # in Chinese too
    client.post("/language", data={"lang": "zh_Hans_CN", "next": "/"})
    answer = client.post(url, data={"body": "<b>x</b>"}, follow_redirects=True)
    assert "评论中不允许使用 HTML" in answer.get_data(as_text=True)


def test_only_the_author_edits_or_deletes_and_history_shows_it(app) -> None:  # type: ignore[no-untyped-def]
    t = team()
    author, other = app.test_client(), app.test_client()
    sign_in(author, t.member)
    sign_in(other, t.lead)
    base = _thread_url(t, "workitem", _first_item(t).id)
    author.post(f"{base}/comments", data={"body": "first words"})
    comment_id = db.session.scalar(select(Comment.id))
    other.post(f"{base}/comments/{comment_id}", data={"body": "rewritten by the lead"})
    other.post(f"{base}/comments/{comment_id}", data={"delete": "1"})
    db.session.expire_all()
    assert db.session.get(Comment, comment_id).body == "first words"

    author.post(f"{base}/comments/{comment_id}", data={"body": "better words"})
    db.session.expire_all()
    assert db.session.get(Comment, comment_id).body == "better words"
    author.post(f"{base}/comments/{comment_id}", data={"delete": "1"})
    assert _count(Comment) == 0
    actions = db.session.execute(
        select(AuditEvent.action, AuditEvent.field).where(AuditEvent.entity == "comment")
    ).all()
    assert ("create", None) in actions and ("update", "body") in actions
    assert ("delete", None) in actions
    history = other.get(f"/programs/{t.program.id}/history?entity=comment").get_data(as_text=True)
    assert "better words" in history


def test_viewers_read_but_do_not_write_and_outsiders_see_nothing(app, login_as) -> None:  # type: ignore[no-untyped-def]
    t = team()
    viewer = app.test_client()
    sign_in(viewer, t.viewer)
    base = _thread_url(t, "workitem", _first_item(t).id)
    assert viewer.post(f"{base}/comments", data={"body": "hi"}).status_code == 403
    outsider = login_as("outsider")
    assert outsider.post(f"{base}/comments", data={"body": "hi"}).status_code == 404
    assert outsider.get(f"/programs/{t.program.id}/mentionable").status_code == 404
    member = app.test_client()
    sign_in(member, t.member)
    handles = {p["handle"] for p in member.get(f"/programs/{t.program.id}/mentionable").json}
    assert handles == {"lead", "member", "viewer"}


def test_gate_evidence_is_kept_served_safely_and_deleted_with_audit(app) -> None:  # type: ignore[no-untyped-def]
    t = team()
    phase = db.session.scalar(
        select(Phase).where(Phase.program_id == t.program.id, Phase.ordinal == 1)
    )
    lead = app.test_client()
    sign_in(lead, t.lead)
    data = b"%PDF-1.4\n% sign-off\n"
    answer = lead.post(
        f"{_thread_url(t, 'gate', phase.id)}/attachments",
        data={"file": (__import__("io").BytesIO(data), "signoff.pdf")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 302
    row = db.session.scalar(select(Attachment))
    assert row.sha256 == hashlib.sha256(data).hexdigest() and row.content_type == "application/pdf"
    gate_page = lead.get(f"/programs/{t.program.id}/gates/1").get_data(as_text=True)
    assert "Evidence files" in gate_page and "signoff.pdf" in gate_page

    download = lead.get(f"/programs/{t.program.id}/attachments/{row.id}")
    assert download.data == data
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["X-Content-Type-Options"] == "nosniff"

    path = app.instance_path + "/attachments/" + row.storage_key
    lead.post(f"/programs/{t.program.id}/attachments/{row.id}/delete")
    assert _count(Attachment) == 0
    assert not __import__("os").path.exists(path)
    deleted = db.session.scalar(
        select(AuditEvent.entity_label).where(
            AuditEvent.entity == "attachment", AuditEvent.action == "delete"
        )
    )
    assert deleted and "signoff.pdf" in deleted


def test_oversized_and_executable_files_are_refused(app) -> None:  # type: ignore[no-untyped-def]
    import io

    t = team()
    client = app.test_client()
    sign_in(client, t.member)
    url = f"{_thread_url(t, 'workitem', _first_item(t).id)}/attachments"
    app.config["PLANNER_ATTACHMENT_MAX_MB"] = 1
    try:
        cases = [
            (b"MZ\x90\x00" + b"\x00" * 64, "minutes.pdf", "is not a kind of file kept as evidence"),
            (b"%PDF-" + b"x" * (2**20 + 10), "huge.pdf", "larger than the limit of 1 MB"),
        ]
        for data, name, words in cases:
            upload = {"file": (io.BytesIO(data), name)}
            answer = client.post(url, data=upload, follow_redirects=True)
            assert words in answer.get_data(as_text=True)
    finally:
        app.config["PLANNER_ATTACHMENT_MAX_MB"] = 10
    assert _count(Attachment) == 0


def test_attachments_are_served_only_to_members(app, login_as) -> None:  # type: ignore[no-untyped-def]
    import io

    t = team()
    client = app.test_client()
    sign_in(client, t.member)
    client.post(f"{_thread_url(t, 'workitem', _first_item(t).id)}/attachments",
                data={"file": (io.BytesIO(b"notes"), "notes.txt")},
                content_type="multipart/form-data")  # fmt: skip
    row_id = db.session.scalar(select(Attachment.id))
    assert (
        login_as("outsider").get(f"/programs/{t.program.id}/attachments/{row_id}").status_code
        == 404
    )
    anonymous = app.test_client().get(f"/programs/{t.program.id}/attachments/{row_id}")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


__all__ = ["item", "ITEM"]
