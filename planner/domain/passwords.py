"""The password policy: what a new password must not be, as codes (no words).

Applied wherever a password is set (the ``planner user create`` command, an administrator's
new user, a change of password). Problems come back as
:class:`~planner.domain.explain.Explanation` values; ``planner/web/password_text.py``
words them in the reader's language.

Codes: ``password.too_short`` (``min``), ``password.too_long`` (``max``),
``password.is_email``, ``password.common``, ``password.repeated``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Final

from planner.domain.explain import Explanation

MIN_LENGTH: Final = 10
#: Longer passwords are refused before hashing: a megabyte costs the hasher real time.
MAX_LENGTH: Final = 128
COMMON_PASSWORDS_FILE: Final = Path(__file__).with_name("common_passwords.txt")


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords, lower case."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


def password_problems(password: str, email: str = "") -> list[Explanation]:
    """Everything wrong with ``password`` for the account ``email`` (empty: acceptable).

    Examples:
        >>> [p.code for p in password_problems("aaaaaaaaaaaa")]
        ['password.repeated']
        >>> [p.code for p in password_problems("ada@example.com", "Ada@Example.com")]
        ['password.is_email']
        >>> password_problems("correct horse battery staple")
        []
    """
    if len(password) > MAX_LENGTH:
        # nothing else is looked at: the length alone settles it, cheaply
        return [Explanation("password.too_long", {"max": MAX_LENGTH})]
    problems: list[Explanation] = []
    if len(password) < MIN_LENGTH:
        problems.append(Explanation("password.too_short", {"min": MIN_LENGTH}))
    folded = password.strip().lower()
    address = email.strip().lower()
    local_part = address.split("@", 1)[0]
    if address and folded in {address, local_part}:
        problems.append(Explanation("password.is_email"))
    if folded in common_passwords():
        problems.append(Explanation("password.common"))
    if password and len(set(password)) == 1:
        problems.append(Explanation("password.repeated"))
    return problems
