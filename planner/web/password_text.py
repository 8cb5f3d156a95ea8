"""The password policy's codes worded in the reader's language (pages and the CLI)."""

from __future__ import annotations

from flask import has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _

from planner.domain.errors import ValidationError
from planner.domain.explain import Explanation
from planner.services.users import PasswordRejected


def password_problem_text(problem: Explanation) -> str:
    """One sentence for one of planner/domain/passwords.py's codes."""
    params = problem.params
    if problem.code == "password.too_short":
        return _("Use at least %(min)d characters.", min=int(str(params.get("min", 0))))
    if problem.code == "password.too_long":
        return _("Use at most %(max)d characters.", max=int(str(params.get("max", 0))))
    if problem.code == "password.is_email":
        return _("Do not use your e-mail address (or its part before the @) as password.")
    if problem.code == "password.common":
        return _("This password is among the most common ones: choose another.")
    if problem.code == "password.repeated":
        return _("A single character repeated is not a password: choose another.")
    return problem.code


def error_texts(exc: ValidationError) -> list[tuple[str, str]]:
    """``(field, sentence)`` for every error; a rejected password's problems worded in the
    reader's language (English outside a request: the command line)."""
    if not isinstance(exc, PasswordRejected):
        return list(exc.errors)
    if has_request_context():
        return [(exc.field, password_problem_text(p)) for p in exc.problems]
    with force_locale("en"):
        return [(exc.field, password_problem_text(p)) for p in exc.problems]
