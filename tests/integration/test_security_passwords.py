"""The password policy at every place a password is set (finding 10 of issue 18)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from planner.models import User
from planner.services.users import authenticate
from tests.conftest import TEST_PASSWORD, make_user, sign_in

# (password for the account weak@example.com, the sentence that refuses it in English)
REFUSED = [
    ("1234567890", "This password is among the most common ones"),
    ("aaaaaaaaaa", "A single character repeated is not a password"),
    ("weak@example.com", "Do not use your e-mail address"),
    ("x" * 1_000_000, "Use at most 128 characters."),
    ("short", "Use at least 10 characters."),
]


def _users() -> int:
    from planner.extensions import db

    return int(db.session.scalar(select(func.count()).select_from(User)))


@pytest.mark.parametrize(("password", "message"), REFUSED)
def test_cli_user_create_applies_the_policy(runner, db, password, message) -> None:
    result = runner.invoke(
        args=["user", "create", "weak@example.com", "--password-stdin"], input=password + "\n"
    )
    assert result.exit_code == 1
    assert message in result.output
    assert _users() == 0


@pytest.mark.parametrize(("password", "message"), REFUSED)
def test_administrator_new_user_applies_the_policy(client, db, password, message) -> None:
    before = _users()
    page = client.post("/admin/users", data={"email": "weak@example.com", "password": password})
    assert page.status_code == 422
    assert message in page.get_data(as_text=True)
    assert _users() == before


@pytest.mark.parametrize(("password", "message"), REFUSED)
def test_change_of_password_applies_the_policy(anonymous_client, db, password, message) -> None:
    sign_in(anonymous_client, make_user("weak@example.com"))
    page = anonymous_client.post(
        "/account/password", data={"current_password": TEST_PASSWORD, "new_password": password}
    )
    assert page.status_code == 422
    assert message in page.get_data(as_text=True)
    assert authenticate("weak@example.com", TEST_PASSWORD) is not None


def test_policy_is_worded_in_chinese(anonymous_client, db) -> None:
    sign_in(anonymous_client, make_user("weak@example.com"))
    with anonymous_client.session_transaction() as session:
        session["lang"] = "zh_Hans_CN"
    page = anonymous_client.post(
        "/account/password", data={"current_password": TEST_PASSWORD, "new_password": "short"}
    )
    text = page.get_data(as_text=True)
    assert "Use at least" not in text
    assert "10" in text and "至少" in text


def test_megabyte_password_at_sign_in_is_refused_like_any_wrong_one(anonymous_client, db) -> None:
    make_user("weak@example.com")
    page = anonymous_client.post(
        "/login", data={"email": "weak@example.com", "password": "x" * 1_000_000}
    )
    assert page.status_code == 401
    assert "Invalid e-mail or password." in page.get_data(as_text=True)


def test_a_good_password_is_accepted_everywhere(runner, client, db) -> None:
    good = "violet kettle under 7 bridges"
    result = runner.invoke(
        args=["user", "create", "good@example.com", "--password-stdin"], input=good + "\n"
    )
    assert result.exit_code == 0, result.output
    page = client.post("/admin/users", data={"email": "good2@example.com", "password": good})
    assert page.status_code == 302
    assert authenticate("good@example.com", good) is not None
    assert authenticate("good2@example.com", good) is not None
