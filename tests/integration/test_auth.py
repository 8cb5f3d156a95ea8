"""Sign-in, roles, share links, CSRF, security headers, history, members."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from planner.models import AuditEvent, Membership, Risk, ShareLink
from planner.services.playbooks import get_playbook
from planner.services.programs import create_program
from planner.services.users import create_share_link
from tests.conftest import TEST_PASSWORD, make_app, make_user, sign_in


@pytest.fixture()
def program(db):
    program = create_program(
        get_playbook("small-business-quick-start"),
        name="Alpha",
        client="A",
        start_date=date(2026, 1, 5),
    )
    db.session.commit()
    return program


@pytest.fixture()
def other_program(db):
    program = create_program(
        get_playbook("small-business-quick-start"),
        name="Beta",
        client="B",
        start_date=date(2026, 1, 5),
    )
    db.session.commit()
    return program


def test_sign_in_and_out(anonymous_client, db) -> None:
    make_user("lead@example.com")
    assert anonymous_client.get("/").status_code == 302  # must sign in first
    page = anonymous_client.post(
        "/login", data={"email": "LEAD@example.com ", "password": TEST_PASSWORD, "next": "/"}
    )
    assert page.status_code == 302 and page.headers["Location"] == "/"
    assert anonymous_client.get("/").status_code == 200
    anonymous_client.post("/logout")
    assert anonymous_client.get("/").status_code == 302


def test_failed_sign_in_does_not_reveal_which_part_was_wrong(anonymous_client, db, caplog) -> None:
    make_user("lead@example.com")
    wrong_password = anonymous_client.post(
        "/login", data={"email": "lead@example.com", "password": "nope-nope-nope"}
    )
    unknown_user = anonymous_client.post(
        "/login", data={"email": "ghost@example.com", "password": "nope-nope-nope"}
    )
    assert wrong_password.status_code == unknown_user.status_code == 401
    for page in (wrong_password, unknown_user):
        assert "Invalid e-mail or password." in page.get_data(as_text=True)
    assert "failed sign-in" in caplog.text


def test_sign_in_is_rate_limited(anonymous_client, db) -> None:
    statuses = [
        anonymous_client.post(
            "/login", data={"email": "x@example.com", "password": "wrong-one!"}
        ).status_code
        for _ in range(12)
    ]
    assert statuses[:10] == [401] * 10
    assert statuses[10:] == [429, 429]


def test_next_redirect_stays_on_site(anonymous_client, db) -> None:
    make_user("lead@example.com")
    page = anonymous_client.post(
        "/login",
        data={"email": "lead@example.com", "password": TEST_PASSWORD, "next": "//evil.example/x"},
    )
    assert page.headers["Location"] == "/"


def test_user_sees_only_own_programs_and_others_are_404(login_as, program, other_program) -> None:
    client = login_as("viewer", program)
    listing = client.get("/").get_data(as_text=True)
    assert "Alpha" in listing and "Beta" not in listing
    assert client.get(f"/programs/{program.id}").status_code == 200
    assert client.get(f"/programs/{other_program.id}").status_code == 404
    assert client.get(f"/programs/{other_program.id}/history").status_code == 404


def test_roles_limit_what_can_be_changed(login_as, program, other_program, db) -> None:
    viewer = login_as("viewer", program)
    member = login_as("member", program)
    lead = login_as("lead", program)
    new_member = make_user("new@example.com")
    # a lead adds people they already work with: here, on another program
    lead_id = db.session.scalar(
        select(Membership.user_id).where(
            Membership.program_id == program.id, Membership.role == "lead"
        )
    )
    for user_id in (lead_id, new_member.id):
        db.session.add(Membership(user_id=user_id, program_id=other_program.id, role="member"))
    db.session.commit()
    data = {"email": new_member.email, "role": "viewer"}
    assert viewer.post(f"/programs/{program.id}/members", data=data).status_code == 403
    assert member.post(f"/programs/{program.id}/members", data=data).status_code == 403
    assert lead.post(f"/programs/{program.id}/members", data=data).status_code == 302
    assert (
        db.session.scalar(
            select(Membership.role).where(
                Membership.user_id == new_member.id, Membership.program_id == program.id
            )
        )
        == "viewer"
    )


def test_the_only_lead_cannot_be_removed(login_as, program, db) -> None:
    lead = login_as("lead", program)
    membership = db.session.scalars(
        select(Membership).where(Membership.program_id == program.id)
    ).one()
    page = lead.post(
        f"/programs/{program.id}/members/{membership.id}/remove", follow_redirects=True
    )
    assert "The program&#39;s only lead cannot be removed." in page.get_data(as_text=True)
    assert db.session.get(Membership, membership.id) is not None


def test_post_without_csrf_token_is_refused_and_changes_nothing(db, program) -> None:
    app = make_app(db.engine.url.render_as_string(hide_password=False), WTF_CSRF_ENABLED=True)
    client = app.test_client()
    lead = make_user("lead@example.com")
    db.session.add(Membership(user_id=lead.id, program_id=program.id, role="lead"))
    db.session.commit()
    sign_in(client, lead)
    before = db.session.scalar(select(func.count()).select_from(Membership))
    page = client.post(
        f"/programs/{program.id}/members", data={"email": "lead@example.com", "role": "viewer"}
    )
    assert page.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Membership)) == before


def test_share_link_reads_dashboard_only_until_revoked_or_expired(
    anonymous_client, db, program
) -> None:
    link, token = create_share_link(program, "lead@example.com", days=7, label="Sponsor")
    db.session.commit()
    opened = anonymous_client.get(f"/share/{token}")
    assert opened.status_code == 302
    assert opened.headers["Location"].endswith(f"/programs/{program.id}/dashboard")
    assert anonymous_client.get(f"/programs/{program.id}/members").status_code == 302  # sign in
    assert anonymous_client.post(f"/programs/{program.id}/members").status_code == 302
    assert anonymous_client.get("/share/not-a-token").status_code == 410

    link.revoked_at = datetime.now(UTC).replace(tzinfo=None)
    db.session.commit()
    assert anonymous_client.get(f"/share/{token}").status_code == 410

    expired, expired_token = create_share_link(program, "lead@example.com", days=1)
    expired.expires_at = datetime.now(UTC).replace(tzinfo=None) - timedelta(minutes=1)
    db.session.commit()
    assert anonymous_client.get(f"/share/{expired_token}").status_code == 410
    assert db.session.scalar(select(func.count()).select_from(ShareLink)) == 2


def test_security_headers(anonymous_client) -> None:
    page = anonymous_client.get("/login")
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    cookie = page.headers.get("Set-Cookie", "")
    if cookie:
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_history_lists_changes_with_filters(login_as, program, db) -> None:
    lead = login_as("lead", program)
    risk = db.session.scalars(select(Risk).where(Risk.program_id == program.id)).first()
    from planner.services import audit

    original = audit.actor_provider
    audit.set_actor_provider(lambda: "alice@example.com")
    try:
        risk.owner = "Alice"
        db.session.commit()
    finally:
        audit.set_actor_provider(original)
    page = lead.get(f"/programs/{program.id}/history?entity=risk&action=update")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "alice@example.com" in html and "Alice" in html
    assert (
        db.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.field == "owner")
        )
        == 1
    )


def test_cli_creates_an_administrator(runner, db) -> None:
    result = runner.invoke(
        args=["user", "create", "root@example.com", "--admin", "--password-stdin"],
        input="a-long-enough-password\n",
    )
    assert result.exit_code == 0, result.output
    assert "created administrator root@example.com" in result.output
    weak = runner.invoke(
        args=["user", "create", "weak@example.com", "--password-stdin"], input="short\n"
    )
    assert weak.exit_code == 1 and "at least 10 characters" in weak.output


def test_change_password(anonymous_client, db) -> None:
    user = make_user("me@example.com")
    from tests.conftest import sign_in

    sign_in(anonymous_client, user)
    bad = anonymous_client.post(
        "/account/password", data={"current_password": "wrong", "new_password": "another-long-one"}
    )
    assert bad.status_code == 422
    good = anonymous_client.post(
        "/account/password",
        data={"current_password": TEST_PASSWORD, "new_password": "another-long-one"},
    )
    assert good.status_code == 302
    from planner.services.users import authenticate

    assert authenticate("me@example.com", "another-long-one") is not None


def test_language_choice_is_remembered_per_user(anonymous_client, db) -> None:
    make_user("me@example.com")
    login = {"email": "me@example.com", "password": TEST_PASSWORD, "next": "/"}
    anonymous_client.post("/login", data=login)
    anonymous_client.post("/language", data={"lang": "zh_Hans_CN", "next": "/"})
    anonymous_client.post("/logout")
    signed_out = anonymous_client.get("/login", headers={"Accept-Language": "en"})
    assert 'lang="en"' in signed_out.get_data(as_text=True)  # the browser's language again
    anonymous_client.post("/login", data=login)
    page = anonymous_client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'lang="zh-CN"' in page
