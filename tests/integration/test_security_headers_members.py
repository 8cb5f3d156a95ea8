"""Lesser findings of issue 18 (11): no-store on sensitive pages and exports, the __Host-
cookie over HTTPS, members added only from people the lead may see."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from planner.models import Membership
from planner.services.playbooks import get_playbook
from planner.services.programs import create_program
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


@pytest.mark.parametrize("path", ["/login", "/account/password", "/admin/users", "/"])
def test_sensitive_pages_are_never_stored(client, path) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_risk_export_is_never_stored(client, program) -> None:
    response = client.get(f"/programs/{program.id}/risks/export.csv")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    assert "no-store" in response.headers["Cache-Control"]


def test_static_files_keep_their_own_caching(anonymous_client) -> None:
    response = anonymous_client.get("/static/css/planner.css")
    assert response.status_code == 200
    assert response.headers.get("Cache-Control") != "no-store"


def test_session_cookie_has_the_host_prefix_over_https(anonymous_client, db) -> None:
    make_user("lead@example.com")
    page = anonymous_client.post(
        "/login",
        data={"email": "lead@example.com", "password": TEST_PASSWORD, "next": "/"},
        base_url="https://planner.example",
    )
    cookie = page.headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=")
    assert "Secure" in cookie and "Path=/" in cookie and "Domain" not in cookie
    assert anonymous_client.get("/", base_url="https://planner.example").status_code == 200


def test_plain_http_keeps_the_plain_cookie_name(anonymous_client, db) -> None:
    make_user("lead@example.com")
    page = anonymous_client.post(
        "/login", data={"email": "lead@example.com", "password": TEST_PASSWORD, "next": "/"}
    )
    assert page.headers["Set-Cookie"].startswith("session=")


def test_https_behind_the_configured_proxy_gets_the_host_prefix(db) -> None:
    make_user("lead@example.com")
    url = db.engine.url.render_as_string(hide_password=False)
    client = make_app(url, PLANNER_PROXY_COUNT=1).test_client()
    page = client.post(
        "/login",
        data={"email": "lead@example.com", "password": TEST_PASSWORD, "next": "/"},
        headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.5"},
    )
    assert page.headers["Set-Cookie"].startswith("__Host-session=")


# --------------------------------------------------------------------------- members


def _lead_of(program, db):
    lead = make_user("lead@example.com")
    db.session.add(Membership(user_id=lead.id, program_id=program.id, role="lead"))
    db.session.commit()
    return lead


def _memberships(db, user_id: int) -> int:
    return len(db.session.scalars(select(Membership).where(Membership.user_id == user_id)).all())


def test_lead_cannot_add_or_discover_an_account_out_of_sight(app, db, program) -> None:
    """A new program's lead tries addresses: a stranger's account and a made-up address get
    the same answer, and no one is added."""
    client = app.test_client()
    sign_in(client, _lead_of(program, db))
    stranger = make_user("stranger@example.com")
    existing = client.post(
        f"/programs/{program.id}/members", data={"email": "stranger@example.com", "role": "viewer"}
    )
    made_up = client.post(
        f"/programs/{program.id}/members", data={"email": "nobody@example.com", "role": "viewer"}
    )
    assert existing.status_code == made_up.status_code == 422
    message = "You can add people who already work with you on a program."
    for page in (existing, made_up):
        assert message in page.get_data(as_text=True)
    assert _memberships(db, stranger.id) == 0
    assert "stranger@example.com" not in client.get(f"/programs/{program.id}/members").get_data(
        as_text=True
    )


def test_lead_adds_a_colleague_from_another_program(app, db, program) -> None:
    lead = _lead_of(program, db)
    colleague = make_user("colleague@example.com", name="Colleague")
    shared = create_program(
        get_playbook("small-business-quick-start"),
        name="Beta",
        client="B",
        start_date=date(2026, 1, 5),
    )
    db.session.flush()
    for user in (lead, colleague):
        db.session.add(Membership(user_id=user.id, program_id=shared.id, role="member"))
    db.session.commit()
    client = app.test_client()
    sign_in(client, lead)
    page = client.get(f"/programs/{program.id}/members").get_data(as_text=True)
    assert '<option value="colleague@example.com">Colleague</option>' in page
    added = client.post(
        f"/programs/{program.id}/members", data={"email": "Colleague@example.com", "role": "member"}
    )
    assert added.status_code == 302
    assert _memberships(db, colleague.id) == 2


def test_site_administrator_may_add_anyone(client, db, program) -> None:
    anyone = make_user("anyone@example.com")
    page = client.post(
        f"/programs/{program.id}/members", data={"email": "anyone@example.com", "role": "viewer"}
    )
    assert page.status_code == 302
    assert _memberships(db, anyone.id) == 1
