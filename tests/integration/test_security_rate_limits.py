"""Sign-in limits per client address behind a trusted proxy, and per account (finding 3)."""

from __future__ import annotations

from tests.conftest import TEST_PASSWORD, make_app, make_user

WRONG = "wrong-password-1"


def _attempt(client, email: str, address: str | None = None, password: str = WRONG) -> int:
    headers = {"X-Forwarded-For": address} if address else {}
    return client.post(
        "/login", data={"email": email, "password": password, "next": "/"}, headers=headers
    ).status_code


def _behind_one_proxy(db):
    url = db.engine.url.render_as_string(hide_password=False)
    return make_app(url, PLANNER_PROXY_COUNT=1).test_client()


def test_forwarded_for_is_ignored_without_a_configured_proxy(anonymous_client, db) -> None:
    """Any client can send the header: believing it would let each guess claim a new
    address. Distinct accounts, so only the per-address limit is in play."""
    statuses = [
        _attempt(anonymous_client, f"user{n}@example.com", f"203.0.113.{n}") for n in range(11)
    ]
    assert statuses == [401] * 10 + [429]


def test_behind_a_configured_proxy_each_client_address_has_its_own_limit(db) -> None:
    client = _behind_one_proxy(db)
    attacker = [_attempt(client, f"user{n}@example.com", "203.0.113.7") for n in range(11)]
    assert attacker == [401] * 10 + [429]
    # a colleague behind the same nginx, from another address, is not locked out
    make_user("colleague@example.com")
    assert _attempt(client, "colleague@example.com", "198.51.100.2", TEST_PASSWORD) == 302


def test_per_account_limit_holds_across_addresses(db) -> None:
    client = _behind_one_proxy(db)
    make_user("victim@example.com")
    make_user("bystander@example.com")
    guesses = [_attempt(client, "Victim@Example.com ", f"203.0.113.{n}") for n in range(10)]
    assert guesses == [401] * 10
    # the eleventh guess from yet another address is refused, as is the right password
    assert _attempt(client, "victim@example.com", "203.0.113.99") == 429
    assert _attempt(client, "victim@example.com", "198.51.100.1", TEST_PASSWORD) == 429
    # other accounts are untouched
    assert _attempt(client, "bystander@example.com", "203.0.113.99", TEST_PASSWORD) == 302


def test_successful_sign_ins_do_not_use_up_the_account_limit(db) -> None:
    client = _behind_one_proxy(db)
    make_user("busy@example.com")
    statuses = [
        _attempt(client, "busy@example.com", f"203.0.113.{n}", TEST_PASSWORD) for n in range(12)
    ]
    assert statuses == [302] * 12
