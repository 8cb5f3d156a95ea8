"""One way to show a service's refusal on a form: each problem on its field, the rest above."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.domain.errors import PlannerError
from planner.explain_text import problem_pairs


def show_on_form(
    form: Any,
    error: PlannerError,
    aliases: Mapping[str, str] | None = None,
    *,
    fallback: str | None = None,
) -> None:
    """Put each ``(field, sentence)`` of ``error`` (worded now, in the reader's language) on
    the form field it names (``aliases`` maps a service's field name to the form's); what
    names no field of the form goes on the ``fallback`` field, else to ``form.form_errors``,
    shown above the form."""
    aliases = aliases or {}
    for path, message in problem_pairs(error):
        name = aliases.get(path, path)
        field = form._fields.get(name) if name else None
        if field is None and name and "." in name:  # "answers.3": on the answers field
            field = form._fields.get(name.split(".")[0])
        if field is None and fallback is not None:
            field = form._fields[fallback]
        if field is not None:
            field.errors = [*list(field.errors), message]
        else:
            form.form_errors.append(message)
