"""The password policy (finding 10 of issue 18)."""

from __future__ import annotations

import pytest

from planner.domain.passwords import (
    MAX_LENGTH,
    MIN_LENGTH,
    common_passwords,
    password_problems,
)


def codes(password: str, email: str = "") -> list[str]:
    return [p.code for p in password_problems(password, email)]


@pytest.mark.parametrize(
    ("password", "email", "expected"),
    [
        ("correct horse battery staple", "ada@example.com", []),
        ("Tr0ub4dor&3-extended", "ada@example.com", []),
        ("short", "", ["password.too_short"]),
        ("1234567890", "", ["password.common"]),
        ("aaaaaaaaaa", "", ["password.repeated"]),
        ("aaaa", "", ["password.too_short", "password.repeated"]),
        ("Password123", "", ["password.common"]),  # case does not matter
        ("PASSWORD1234", "", ["password.common"]),
        ("qwertyuiop", "", ["password.common"]),
        ("ada.lovelace@example.com", "Ada.Lovelace@example.com", ["password.is_email"]),
        ("ada.lovelace", "ada.lovelace@example.com", ["password.is_email"]),
        ("x" * (MAX_LENGTH + 1), "", ["password.too_long"]),
        ("y" * 1_000_000, "", ["password.too_long"]),
    ],
)
def test_policy(password: str, email: str, expected: list[str]) -> None:
    assert codes(password, email) == expected


def test_limits_carry_their_numbers() -> None:
    (short,) = password_problems("abc-12")
    assert short.params["min"] == MIN_LENGTH == 10
    (long,) = password_problems("z" * 200)
    assert long.params["max"] == MAX_LENGTH == 128


def test_exactly_the_limits_are_accepted() -> None:
    assert codes("k9#Lm2$pQ7") == []  # 10 characters
    assert codes(("k9#Lm2$pQ7" * 13)[:MAX_LENGTH]) == []


def test_shipped_list_is_sizeable_and_lower_case() -> None:
    words = common_passwords()
    assert len(words) >= 3000
    assert all(word == word.lower() for word in words)
    assert {"password", "123456", "qwerty123", "iloveyou", "welcome1"} <= words
