"""People directory and workload pages (URLs under /programs/<id>/people, /workload, and
/workload across the programs the signed-in user may see)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from planner.domain.days import NotADay, parse_day
from planner.domain.errors import PlannerError, ValidationError
from planner.extensions import db
from planner.forms.money import DayOffForm, LevelingForm, MergeForm, PersonForm
from planner.i18n import content_lang
from planner.models import Program
from planner.services import people as service
from planner.services import workload as workload_service
from planner.services.programs import get_program, list_programs
from planner.web.form_errors import show_on_form

bp = Blueprint("people", __name__)


def _saved(form: FlaskForm, action: Any) -> bool:
    """Run ``action``; commit and say so, or roll back and show its problems on ``form``."""
    try:
        action()
    except PlannerError as exc:
        db.session.rollback()
        show_on_form(form, exc)
        return False
    db.session.commit()
    flash(_("Saved."), "success")
    return True


def _person_data(form: PersonForm) -> dict[str, Any]:
    return {name: field.data for name, field in form._fields.items() if name != "csrf_token"}


@bp.route("/programs/<int:program_id>/people", methods=["GET", "POST"])
def directory(program_id: int):
    program = get_program(program_id)
    form = PersonForm()
    if form.validate_on_submit() and _saved(
        form, lambda: service.create_person(program, _person_data(form))
    ):
        return redirect(url_for("people.directory", program_id=program.id))
    status = 422 if request.method == "POST" else 200
    return _directory_page(program, form), status


def _directory_page(program: Program, form: PersonForm) -> str:
    people = service.list_people(program)
    return render_template(
        "money/people.html",
        program=program,
        people=people,
        owned=service.owned_counts(program),
        form=form,
        merge_targets=[p for p in people if p.kind != "role"],
    )


@bp.route("/programs/<int:program_id>/people/<int:person_id>", methods=["GET", "POST"])
def person(program_id: int, person_id: int):
    program = get_program(program_id)
    row = service.get_person(program, person_id)
    form = PersonForm(obj=row if request.method == "GET" else None)
    days = DayOffForm(prefix="off")
    merge = MergeForm(prefix="merge")
    merge.into.choices = [(p.id, p.name) for p in service.list_people(program) if p.id != row.id]
    if form.submit.data and form.validate_on_submit():
        data = _person_data(form)
        if _saved(form, lambda: service.update_person(program, row, data, data["version"])):
            return redirect(url_for("people.directory", program_id=program.id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "money/person.html",
        program=program,
        person=row,
        form=form,
        days=days,
        merge=merge,
        owned=service.owned_by(row),
    ), status


@bp.post("/programs/<int:program_id>/people/<int:person_id>/days-off")
def days_off(program_id: int, person_id: int):
    program = get_program(program_id)
    row = service.get_person(program, person_id)
    form = DayOffForm(prefix="off")
    if form.validate_on_submit():
        try:
            first, last = parse_day(form.first_day.data or ""), parse_day(form.last_day.data or "")
            service.add_day_off(row, first, last, form.note.data or "")
        except (NotADay, ValueError):
            db.session.rollback()
            flash(_("Enter a date as YYYY-MM-DD."), "error")
        except ValidationError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(_("Saved."), "success")
    return redirect(url_for("people.person", program_id=program.id, person_id=row.id))


@bp.post("/programs/<int:program_id>/people/<int:person_id>/merge")
def merge(program_id: int, person_id: int):
    """Name a playbook role (or join two entries of one human): the other takes it all."""
    program = get_program(program_id)
    source = service.get_person(program, person_id)
    into = service.get_person(program, int(request.form.get("merge-into") or 0))
    service.merge_person(program, source, into)
    db.session.commit()
    flash(_("%(role)s is now %(name)s.", role=source.name, name=into.name), "success")
    return redirect(url_for("people.directory", program_id=program.id))


# --------------------------------------------------------------------------- workload


def _filters() -> tuple[int | None, int, int]:
    phase = request.args.get("phase", "")
    before = request.args.get("before", "4")
    after = request.args.get("after", "12")
    return (
        int(phase) if phase.isdigit() else None,
        min(26, int(before)) if before.isdigit() else 4,
        min(52, int(after)) if after.isdigit() else 12,
    )


@bp.get("/programs/<int:program_id>/workload")
def workload(program_id: int):
    program = get_program(program_id)
    phase, before, after = _filters()
    today = date.today()
    view = workload_service.build_workload(
        [program], today=today, phase=phase, weeks_before=before, weeks_after=after,
        lang=content_lang(),
    )  # fmt: skip
    suggestion = workload_service.suggest_leveling(program, today=today)
    return render_template(
        "money/workload.html", program=program, view=view, suggestion=suggestion,
        phase=phase, before=before, after=after, form=LevelingForm(), programs=None,
        phase_ordinals=_ordinals([program]),
    )  # fmt: skip


@bp.post("/programs/<int:program_id>/workload/level")
def level(program_id: int):
    """The leveling suggestion as a what-if scenario; the lead applies it there, or not."""
    program = get_program(program_id)
    suggestion = workload_service.suggest_leveling(program, today=date.today())
    if not suggestion.delays:
        flash(_("No over-allocation can be removed by delaying items within their free float."))
        return redirect(url_for("people.workload", program_id=program.id))
    name = _("Leveling: %(n)d items delayed within their float", n=len(suggestion.delays))
    scenario = workload_service.leveling_scenario(program, suggestion, name)
    db.session.commit()
    return redirect(url_for("scenarios.show", program_id=program.id, scenario_id=scenario.id))


@bp.get("/people")
def across():
    """The people of every program the viewer may see: one line a human, with their programs."""
    from planner.web.dashboard import _visible_program_ids

    visible = _visible_program_ids()
    programs = [p for p in list_programs() if visible is None or p.id in visible]
    return render_template("money/people_across.html", people=service.people_across(programs))


@bp.get("/workload")
def portfolio_workload():
    """Person × week across every program the viewer may see, filtered by program."""
    from planner.web.dashboard import _visible_program_ids

    visible = _visible_program_ids()
    programs = [p for p in list_programs() if visible is None or p.id in visible]
    chosen = request.args.get("program", "")
    shown = [p for p in programs if not chosen or str(p.id) == chosen]
    phase, before, after = _filters()
    view = workload_service.build_workload(
        shown, today=date.today(), phase=phase, weeks_before=before, weeks_after=after,
        lang=content_lang(),
    )  # fmt: skip
    return render_template(
        "money/workload.html", program=None, view=view, suggestion=None, phase=phase,
        before=before, after=after, form=None, programs=programs, chosen=chosen,
        phase_ordinals=_ordinals(shown),
    )  # fmt: skip


def _ordinals(programs: list[Program]) -> list[int]:
    """The phase filter's choices: the phases of the programs shown (a playbook may have
    three phases or six)."""
    return sorted({phase.ordinal for program in programs for phase in program.phases})
