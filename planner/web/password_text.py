"""A refusal's words for pages and the CLI (a rejected password's codes included: they are
worded by planner/messages/users.py like every other coded problem)."""

from __future__ import annotations

from planner.domain.errors import ValidationError
from planner.explain_text import problem_pairs


def error_texts(exc: ValidationError) -> list[tuple[str, str]]:
    """``(field, sentence)`` for every error, in the reader's language (English outside a
    request: the command line)."""
    return problem_pairs(exc)
