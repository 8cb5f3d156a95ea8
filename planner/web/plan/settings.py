"""The plan's settings: baselines, the working calendar and the status date."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from planner.domain.errors import ValidationError
from planner.extensions import db
from planner.forms.plan import (
    BaselineForm,
    CalendarDayForm,
    DeleteForm,
    StatusDateForm,
)
from planner.i18n import format_day
from planner.models import Program
from planner.services import plan as plan_service
from planner.services.concurrency import StaleEditError
from planner.services.programs import get_program
from planner.services.scheduling import refresh_if_stale
from planner.web.plan.common import (
    _attach,
    _moved_message,
    _pop_moves,
    _remember,
    bp,
)


@bp.route("/programs/<int:program_id>/plan/baselines", methods=["GET", "POST"])
def baselines(program_id: int):
    program = get_program(program_id)
    form = BaselineForm()
    status = 200
    if request.method == "GET" and not form.name.data:
        form.name.data = _("Baseline %(day)s", day=date.today().isoformat())
    if form.validate_on_submit():
        try:
            baseline = plan_service.take_baseline(program, form.name.data)
            db.session.commit()
        except ValidationError as exc:
            db.session.rollback()
            _attach(form, exc, "name")
            status = 422
        else:
            flash(_("Baseline “%(name)s” taken.", name=baseline.name), "success")
            return redirect(url_for("plan.baselines", program_id=program.id))
    elif request.method == "POST":
        status = 422
    if refresh_if_stale(program) is not None:
        db.session.commit()
    return render_template(
        "plan/baselines.html",
        program=program,
        form=form,
        summaries=plan_service.baseline_summaries(program),
        delete_form=DeleteForm(formdata=None),
    ), status


@bp.post("/programs/<int:program_id>/plan/baselines/<int:baseline_id>/delete")
def baseline_delete(program_id: int, baseline_id: int):
    program = get_program(program_id)
    baseline = plan_service.get_baseline(program, baseline_id)
    form = DeleteForm()
    if not form.validate_on_submit():
        abort(400)
    name = baseline.name
    try:
        plan_service.delete_baseline(program, baseline, form.version.data)
        db.session.commit()
    except StaleEditError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("plan.baselines", program_id=program.id))
    flash(_("Baseline “%(name)s” deleted.", name=name), "success")
    return redirect(url_for("plan.baselines", program_id=program.id))


# --------------------------------------------------------------------------- calendar


def _calendar_page(
    program: Program,
    day_form: CalendarDayForm | None = None,
    status_form: StatusDateForm | None = None,
    conflict: dict[str, Any] | None = None,
    status: int = 200,
):
    if day_form is None:
        day_form = CalendarDayForm(formdata=None)
    if status_form is None:
        status_form = StatusDateForm(formdata=None)
        status_form.status_date.data = program.status_date
        status_form.version.data = program.version
    return render_template(
        "plan/calendar.html",
        program=program,
        day_form=day_form,
        status_form=status_form,
        delete_form=DeleteForm(formdata=None),
        conflict=conflict,
        effective_status=plan_service.status_date_of(program),
        moves=_pop_moves(program),
    ), status


@bp.route("/programs/<int:program_id>/plan/calendar", methods=["GET", "POST"])
def calendar(program_id: int):
    program = get_program(program_id)
    if request.method == "GET":
        return _calendar_page(program)
    form = CalendarDayForm()
    if not form.validate_on_submit():
        return _calendar_page(program, day_form=form, status=422)
    try:
        outcome = plan_service.add_calendar_day(
            program, form.day.data, form.working.data == "1", form.name.data or ""
        )
        db.session.commit()
    except ValidationError as exc:
        db.session.rollback()
        _attach(form, exc, "day")
        return _calendar_page(program, day_form=form, status=422)
    what = _("%(day)s added to the calendar", day=format_day(form.day.data))
    _remember(program, outcome, _moved_message(outcome, what))
    return redirect(url_for("plan.calendar", program_id=program.id))


@bp.post("/programs/<int:program_id>/plan/calendar/<int:day_id>/delete")
def calendar_day_delete(program_id: int, day_id: int):
    program = get_program(program_id)
    if not DeleteForm().validate_on_submit():
        abort(400)
    outcome = plan_service.delete_calendar_day(program, day_id)
    db.session.commit()
    _remember(program, outcome, _moved_message(outcome, _("Calendar day removed")))
    return redirect(url_for("plan.calendar", program_id=program.id))


@bp.post("/programs/<int:program_id>/plan/status-date")
def status_date(program_id: int):
    program = get_program(program_id)
    form = StatusDateForm()
    if not form.validate_on_submit():
        return _calendar_page(program, status_form=form, status=422)
    try:
        outcome = plan_service.set_status_date(program, form.status_date.data, form.version.data)
        db.session.commit()
    except StaleEditError as exc:
        db.session.rollback()
        form.version.data = exc.current_version
        current = {"status_date": format_day(program.status_date) if program.status_date else "—"}
        conflict = {"message": str(exc), "current": current}
        return _calendar_page(program, status_form=form, conflict=conflict, status=409)
    except ValidationError as exc:
        db.session.rollback()
        _attach(form, exc, "status_date")
        return _calendar_page(program, status_form=form, status=422)
    _remember(program, outcome, _moved_message(outcome, _("Status date saved")))
    return redirect(url_for("plan.calendar", program_id=program.id))
