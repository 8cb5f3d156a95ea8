"""Sessions the server can end (finding 2 of issue 18) and administrators who always remain
(finding 9): a copied cookie dies with sign-out, password change, deactivation and
"sign out everywhere"; idle and absolute timeouts; privilege changes are audited."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from planner.models import AuditEvent, Membership, User
from planner.services.playbooks import get_playbook
from planner.services.programs import create_program
from planner.sessions import LAST_SEEN_KEY, SIGNED_IN_AT_KEY, now_seconds
from tests.conftest import TEST_PASSWORD, make_user

NEW_PASSWORD = "a much newer passphrase"


def _sign_in_by_form(app, email: str, password: str = TEST_PASSWORD):
    client = app.test_client()
    page = client.post("/login", data={"email": email, "password": password, "next": "/"})
    assert page.status_code == 302, page.get_data(as_text=True)
    return client


def _copy_of(app, client):
    """A second browser holding the same session cookie (the attacker's copy)."""
    copy = app.test_client()
    cookie = client.get_cookie("session")
    assert cookie is not None
    copy.set_cookie("session", cookie.value)
    return copy


def _signed_in(client) -> bool:
    return client.get("/").status_code == 200


def test_copied_cookie_dies_with_sign_out(app, db) -> None:
    make_user("lead@example.com")
    browser = _sign_in_by_form(app, "lead@example.com")
    stolen = _copy_of(app, browser)
    assert _signed_in(stolen)
    browser.post("/logout")
    assert not _signed_in(browser)
    assert not _signed_in(stolen)


def test_password_change_ends_other_sessions_but_keeps_this_one(app, db) -> None:
    make_user("lead@example.com")
    browser = _sign_in_by_form(app, "lead@example.com")
    stolen = _copy_of(app, browser)
    other_device = _sign_in_by_form(app, "lead@example.com")
    page = browser.post(
        "/account/password",
        data={"current_password": TEST_PASSWORD, "new_password": NEW_PASSWORD},
    )
    assert page.status_code == 302
    assert _signed_in(browser)
    assert not _signed_in(stolen)
    assert not _signed_in(other_device)


def test_reactivation_does_not_revive_old_cookies(app, db, client) -> None:
    user = make_user("member@example.com")
    browser = _sign_in_by_form(app, "member@example.com")
    form = {"is_consultant": "", "is_admin": ""}
    client.post(f"/admin/users/{user.id}", data={**form, "active": ""})
    assert not _signed_in(browser)
    client.post(f"/admin/users/{user.id}", data={**form, "active": "1"})
    assert db.session.get(User, user.id).active
    assert not _signed_in(browser)
    assert _signed_in(_sign_in_by_form(app, "member@example.com"))


def test_administrator_signs_a_user_out_everywhere(app, db, client) -> None:
    user = make_user("member@example.com")
    laptop = _sign_in_by_form(app, "member@example.com")
    phone = _sign_in_by_form(app, "member@example.com")
    page = client.post(f"/admin/users/{user.id}/sign-out")
    assert page.status_code == 302
    assert not _signed_in(laptop) and not _signed_in(phone)
    assert _signed_in(client)  # the administrator's own session is untouched


def test_sign_out_everywhere_is_for_administrators_only(login_as, db) -> None:
    user = make_user("member@example.com")
    outsider = login_as("outsider")
    assert outsider.post(f"/admin/users/{user.id}/sign-out").status_code == 403
    assert db.session.get(User, user.id).session_generation == 0


@pytest.mark.parametrize(
    ("key", "age_seconds", "config", "alive"),
    [
        (LAST_SEEN_KEY, 119 * 60, {}, True),  # default idle limit: 120 minutes
        (LAST_SEEN_KEY, 121 * 60, {}, False),
        (LAST_SEEN_KEY, 11 * 60, {"PLANNER_SESSION_IDLE_MINUTES": 10}, False),
        (SIGNED_IN_AT_KEY, 11 * 3600, {}, True),  # default absolute limit: 12 hours
        (SIGNED_IN_AT_KEY, 13 * 3600, {}, False),
        (SIGNED_IN_AT_KEY, 3 * 3600, {"PLANNER_SESSION_MAX_HOURS": 2}, False),
    ],
)
def test_idle_and_absolute_timeouts(app, db, monkeypatch, key, age_seconds, config, alive) -> None:
    for name, value in config.items():
        monkeypatch.setitem(app.config, name, value)
    make_user("lead@example.com")
    browser = _sign_in_by_form(app, "lead@example.com")
    with browser.session_transaction() as session:
        session[key] = now_seconds() - age_seconds
    assert _signed_in(browser) is alive


def test_activity_keeps_an_idle_session_alive(app, db) -> None:
    make_user("lead@example.com")
    browser = _sign_in_by_form(app, "lead@example.com")
    with browser.session_transaction() as session:
        session[LAST_SEEN_KEY] = now_seconds() - 100 * 60
    assert _signed_in(browser)
    with browser.session_transaction() as session:
        assert now_seconds() - session[LAST_SEEN_KEY] < 60


def test_session_without_generation_is_refused(app, db) -> None:
    """What a sign-in wrote before revocation existed (only Flask-Login's keys)."""
    user = make_user("lead@example.com")
    browser = app.test_client()
    with browser.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
    assert not _signed_in(browser)


def test_sign_in_starts_a_fresh_session_with_a_new_csrf_token(app, db) -> None:
    make_user("lead@example.com")
    browser = app.test_client()
    with browser.session_transaction() as session:
        session["csrf_token"] = "planted-before-sign-in"
        session["lang"] = "zh_Hans_CN"
    browser.post(
        "/login", data={"email": "lead@example.com", "password": TEST_PASSWORD, "next": "/"}
    )
    with browser.session_transaction() as session:
        assert session.get("csrf_token") != "planted-before-sign-in"
        assert session["lang"] == "zh_Hans_CN"
        assert session["_user_id"]


# --------------------------------------------------------------------------- administrators


def test_administrator_cannot_remove_own_admin_right(client, db) -> None:
    me = db.session.scalars(select(User).where(User.email == "admin@test.example")).one()
    make_user("second-admin@example.com", is_admin=True)
    page = client.post(f"/admin/users/{me.id}", data={"active": "1"}, follow_redirects=True)
    assert "You cannot remove your own administrator right" in page.get_data(as_text=True)
    assert db.session.get(User, me.id).is_admin


def test_last_active_administrator_always_remains(app, db) -> None:
    """Two administrators; one deactivates the other, then the last cannot be removed."""
    from tests.conftest import sign_in

    first = make_user("first@example.com", is_admin=True)
    second = make_user("second@example.com", is_admin=True)
    by_first = app.test_client()
    sign_in(by_first, first)
    page = by_first.post(f"/admin/users/{second.id}", data={"active": "", "is_admin": "1"})
    assert page.status_code == 302
    assert not db.session.get(User, second.id).active
    # the only active administrator left cannot lose the right, by any path
    db.session.expire_all()
    page = by_first.post(f"/admin/users/{first.id}", data={"active": "1"}, follow_redirects=True)
    text = page.get_data(as_text=True)
    assert "At least one active administrator must remain." in text
    assert db.session.get(User, first.id).is_admin


def test_one_of_two_administrators_may_step_down(client, db) -> None:
    other = make_user("other-admin@example.com", is_admin=True)
    assert client.post(f"/admin/users/{other.id}", data={"active": "1"}).status_code == 302
    db.session.expire_all()
    assert not db.session.get(User, other.id).is_admin  # two admins: one may step down


def test_privilege_changes_are_in_the_audit_trail(client, db) -> None:
    user = make_user("member@example.com")
    client.post(f"/admin/users/{user.id}", data={"active": "1", "is_admin": "1"})
    playbook = get_playbook("small-business-quick-start")
    program = create_program(playbook, name="P", client="C", start_date=date(2026, 1, 5))
    db.session.commit()
    client.post(f"/programs/{program.id}/members", data={"email": user.email, "role": "viewer"})
    client.post(f"/programs/{program.id}/members", data={"email": user.email, "role": "lead"})
    client.post(f"/admin/users/{user.id}", data={"active": "", "is_admin": "1"})
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "update").order_by(AuditEvent.id)
    ).all()
    changes = [(e.entity, e.entity_label, e.field, e.old_value, e.new_value) for e in events]
    assert ("user", "member@example.com", "is_admin", "false", "true") in changes
    assert ("user", "member@example.com", "active", "true", "false") in changes
    assert ("membership", "member@example.com", "role", "viewer", "lead") in changes
    actors = {e.actor for e in events}
    assert actors == {"admin@test.example"}
    # secrets never reach the trail
    assert not db.session.scalars(
        select(AuditEvent).where(AuditEvent.field.in_(["password_hash", "session_generation"]))
    ).all()
    membership = db.session.scalars(select(Membership).where(Membership.user_id == user.id)).one()
    assert membership.role == "lead"
    # the Users page lists the changes to accounts, in the reader's words
    page = client.get("/admin/users").get_data(as_text=True)
    changes_table = page.split("Changes to accounts", 1)[1]
    assert "member@example.com" in changes_table and "Administrator" in changes_table
