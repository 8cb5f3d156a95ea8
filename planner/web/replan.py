"""Replanning pages: move the program's start, set the diagnosis length, apply a holiday set.

Thin like the plan's views: parse, call one service, commit, say what moved (the plan's
"what moved" box), redirect; a refused change re-renders with the errors (422), a stale one
with the stored values (409), and nothing changes.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _

from planner.domain.errors import ValidationError
from planner.domain.holiday_sets import CN_MAINLAND, name_in, published_years
from planner.domain.replan import ReplanError
from planner.extensions import db
from planner.forms.replan import HOLIDAY_SET_CHOICES, HolidaySetForm, ReplanForm
from planner.i18n import content_lang, format_day
from planner.models import Program
from planner.replan_text import reason_text
from planner.services.concurrency import StaleEditError
from planner.services.holiday_sets import apply_holiday_set
from planner.services.programs import get_program
from planner.services.replan import diagnosis_weeks, replan_program
from planner.services.scheduling import reschedule
from planner.web.plan import _moved_message, _pop_moves, _remember

bp = Blueprint("replan", __name__)


@bp.app_context_processor
def holiday_set_choices() -> dict[str, Any]:
    """The holiday sets a calendar may choose, and a calendar day's name in the reader's
    language (a set's days carry both)."""
    return {
        "holiday_set_choices": HOLIDAY_SET_CHOICES,
        "day_name": lambda label: name_in(label, content_lang()),
        "holiday_set_published": lambda: published_years(CN_MAINLAND)[1],
    }


def attach_reasons(form: Any, exc: ValidationError, fallback: str) -> None:
    """Put a replan/scenario error's worded reasons on the form's fields."""
    reasons = getattr(exc, "reasons", None) or [(f, m) for f, m in exc.errors]
    for name, reason in reasons or [(fallback, str(exc))]:
        field = getattr(form, name, None) or getattr(form, fallback)
        field.errors = [*field.errors, reason_text(reason)]


def _page(
    program: Program,
    form: ReplanForm | None = None,
    conflict: dict[str, Any] | None = None,
    status: int = 200,
):
    if form is None:
        form = ReplanForm(formdata=None)
        form.start_date.data = program.start_date
        form.diagnosis_weeks.data = diagnosis_weeks(program)
        form.version.data = program.version
    return render_template(
        "replan/replan.html",
        program=program,
        form=form,
        conflict=conflict,
        has_diagnosis=diagnosis_weeks(program) is not None,
        moves=_pop_moves(program),
    ), status


@bp.route("/programs/<int:program_id>/plan/replan", methods=["GET", "POST"])
def replan(program_id: int):
    program = get_program(program_id)
    if request.method == "GET":
        return _page(program)
    form = ReplanForm()
    if not form.validate_on_submit():
        return _page(program, form, status=422)
    try:
        outcome = replan_program(
            program,
            start_date=form.start_date.data,
            diagnosis_weeks=form.diagnosis_weeks.data,
            version=form.version.data,
        )
        db.session.commit()
    except StaleEditError as exc:
        db.session.rollback()
        form.version.data = exc.current_version
        current = {
            "start_date": format_day(program.start_date),
            "diagnosis_weeks": str(diagnosis_weeks(program) or "—"),
        }
        return _page(program, form, {"message": str(exc), "current": current}, status=409)
    except ReplanError as exc:
        db.session.rollback()
        attach_reasons(form, exc, "start_date")
        return _page(program, form, status=422)
    _remember(program, outcome, _moved_message(outcome, _("Program replanned")))
    return redirect(url_for("replan.replan", program_id=program.id))


@bp.post("/programs/<int:program_id>/plan/holiday-set")
def holiday_set(program_id: int):
    program = get_program(program_id)
    form = HolidaySetForm()
    if not form.validate_on_submit():
        abort(400)
    added = apply_holiday_set(program, form.holiday_set.data or None)
    outcome = reschedule(program)
    db.session.commit()
    what = _("Holiday set applied: %(n)d day(s) added", n=added)
    _remember(program, outcome, _moved_message(outcome, what))
    return redirect(url_for("plan.calendar", program_id=program.id))
