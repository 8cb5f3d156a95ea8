"""Assessment pages: the list, starting one, one assessment, editing and deleting it."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from planner.domain.errors import ValidationError
from planner.extensions import db
from planner.forms.assessment import (
    AssessmentForm,
    StartAssessmentForm,
    VersionForm,
)
from planner.forms.choices import choices
from planner.i18n import content_lang, format_day
from planner.models.assessment import Assessment
from planner.models.program import Program
from planner.services import assessment as service
from planner.services.concurrency import StaleEditError
from planner.services.programs import get_program
from planner.web.assessment.common import (
    BASE,
    ONE,
    assessment_data,
    bp,
    load_assessment,
    phase_choices,
    phase_labels,
    results_or_message,
)
from planner.web.form_errors import save_or_refuse, show_on_form

# --------------------------------------------------------------------------- list, start


@bp.get(BASE)
def index(program_id: int):
    program = get_program(program_id)
    assessments = service.list_assessments(program, full=True)
    summaries = {}
    for a in assessments:
        if a.interviews:
            summaries[a.id], _message = results_or_message(a)
    return render_template(
        "assessment/index.html",
        program=program,
        assessments=assessments,
        summaries=summaries,
        phases=dict(phase_labels(program)),
    )


@bp.route(BASE + "/new", methods=["GET", "POST"])
def new(program_id: int):
    program = get_program(program_id)
    previous = service.list_assessments(program)
    form = _start_form(program, previous)
    problem = None
    try:
        service.playbook_maturity(program)
    except ValidationError as exc:
        problem = str(exc)
    if form.validate_on_submit() and problem is None:
        assessment = _start(program, previous, form)
        if assessment is not None:
            flash(_("Assessment “%(title)s” started.", title=assessment.title), "success")
            return redirect(
                url_for("assessment.show", program_id=program.id, assessment_id=assessment.id)
            )
    status = 200 if request.method == "GET" and problem is None else 422
    return render_template(
        "assessment/new.html", program=program, form=form, problem=problem
    ), status


def _start_form(program: Program, previous: list[Assessment]) -> StartAssessmentForm:
    """The form to start an assessment; on a GET, a re-assessment of the next phase after
    an earlier one (its settings copied), else the diagnosis."""
    form = StartAssessmentForm()
    form.phase_ordinal.choices = phase_choices(program)
    form.copy_from.choices = choices(
        [(0, _("— none: the playbook's weights —"))]
        + [(a.id, f"{a.title} ({format_day(a.started_on)})") for a in previous]
    )
    if request.method == "GET":
        form.started_on.data = date.today()
        if previous:
            form.kind.data = "reassessment"
            form.copy_from.data = previous[-1].id
            form.title.data = _("Re-assessment")
            later = [o for o, _label in phase_labels(program) if o > 0]
            form.phase_ordinal.data = later[0] if later else 0
        else:
            form.kind.data = "diagnosis"
            form.title.data = _("CRM maturity diagnosis")
            form.phase_ordinal.data = 0
    return form


def _start(
    program: Program, previous: list[Assessment], form: StartAssessmentForm
) -> Assessment | None:
    """Start the assessment the form describes (committed); None with the refusal on the
    form."""
    copy_from = None
    if form.copy_from.data:
        copy_from = next((a for a in previous if a.id == form.copy_from.data), None)
    try:
        assessment = service.start_assessment(
            program,
            service.AssessmentData(
                title=form.title.data,
                kind=form.kind.data,
                phase_ordinal=form.phase_ordinal.data,
                started_on=form.started_on.data,
            ),
            copy_settings_from=copy_from,
        )
        db.session.commit()
    except ValidationError as exc:
        db.session.rollback()
        show_on_form(form, exc)
        return None
    return assessment


# --------------------------------------------------------------------------- one assessment


@bp.get(ONE)
def show(program_id: int, assessment_id: int):
    program, assessment = load_assessment(program_id, assessment_id)
    view = service.model_for(assessment, content_lang())
    scored: dict[int, dict[str, int]] = {}
    for iv in assessment.interviews:
        per_category: dict[str, int] = {}
        keys_with_score = {s.indicator_key for s in iv.scores if s.score is not None}
        for category in view.categories:
            per_category[category.key] = sum(
                1 for i in category.indicators if i.key in keys_with_score
            )
        scored[iv.id] = per_category
    return render_template(
        "assessment/show.html",
        program=program,
        assessment=assessment,
        view=view,
        interviews=service.sorted_interviews(assessment),
        scored=scored,
        phases=dict(phase_labels(program)),
        delete_form=VersionForm(),
    )


@bp.route(ONE + "/edit", methods=["GET", "POST"])
def edit(program_id: int, assessment_id: int):
    program, assessment = load_assessment(program_id, assessment_id)
    form = AssessmentForm(obj=assessment if request.method == "GET" else None)
    form.phase_ordinal.choices = phase_choices(program)
    status, conflict = (422 if request.method == "POST" else 200), None
    if form.validate_on_submit():
        status, stale = save_or_refuse(
            form,
            lambda: service.update_assessment(assessment, form.version.data, assessment_data(form)),
        )
        conflict = str(stale) if stale else None
        if status == 200:
            flash(_("Assessment saved."), "success")
            return redirect(
                url_for("assessment.show", program_id=program.id, assessment_id=assessment.id)
            )
    return render_template(
        "assessment/edit.html",
        program=program,
        assessment=assessment,
        form=form,
        conflict=conflict,
        phases=dict(phase_labels(program)),
    ), status


@bp.post(ONE + "/delete")
def delete(program_id: int, assessment_id: int):
    program, assessment = load_assessment(program_id, assessment_id)
    form = VersionForm()
    try:
        service.delete_assessment(assessment, form.version.data)
        db.session.commit()
    except StaleEditError as exc:
        db.session.rollback()
        flash(str(exc), "warning")
        return redirect(
            url_for("assessment.show", program_id=program.id, assessment_id=assessment_id)
        )
    flash(_("Assessment deleted."), "success")
    return redirect(url_for("assessment.index", program_id=program.id))
