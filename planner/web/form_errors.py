"""One way to show a service's refusal on a form: each problem on its field, the rest above;
and one way to save a form's edit and put a refusal on it (:func:`save_or_refuse`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from planner.domain.errors import PlannerError, ValidationError
from planner.explain_text import problem_pairs
from planner.extensions import db
from planner.services.concurrency import StaleEditError


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


def loose_errors(form: Any) -> list[str]:
    """What fits no field of the form, taken off it: pages that show it beside the form."""
    loose, form.form_errors = list(form.form_errors), []
    return loose


def apply_errors(
    form: Any, exc: PlannerError, aliases: Mapping[str, str] | None = None
) -> list[str]:
    """:func:`show_on_form`, returning (and taking off the form) what fits no field."""
    show_on_form(form, exc, aliases)
    return loose_errors(form)


def save_or_refuse(
    form: Any, save: Callable[[], object], aliases: Mapping[str, str] | None = None
) -> tuple[int, StaleEditError | None]:
    """Run ``save`` and commit: 200; or roll back with 409 and the edit made meanwhile (the
    form takes its version, so a deliberate second submit wins), or 422 with the refusal
    shown on ``form`` (:func:`show_on_form`; :func:`loose_errors` takes what fits no field)."""
    try:
        save()
        db.session.commit()
    except StaleEditError as exc:
        db.session.rollback()
        form.version.data = str(exc.current_version)
        return 409, exc
    except ValidationError as exc:
        db.session.rollback()
        show_on_form(form, exc, aliases)
        return 422, None
    return 200, None
