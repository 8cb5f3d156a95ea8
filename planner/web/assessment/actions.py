"""An assessment's action plan: proposed actions, editing them, their status, into the plan."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from planner.domain.errors import ValidationError
from planner.extensions import db
from planner.forms.assessment import (
    ActionForm,
    ActionStatusForm,
    ToPlanForm,
    VersionForm,
)
from planner.i18n import content_lang
from planner.services import assessment as service
from planner.services.concurrency import StaleEditError
from planner.web.assessment.common import (
    ONE,
    bp,
    load_assessment,
    no_interviews_message,
    phase_choices,
    phase_labels,
    results_or_message,
)
from planner.web.form_errors import save_or_refuse, show_on_form

# --------------------------------------------------------------------------- actions


def _actions_page(program, assessment, to_plan=None, status=200):
    res, message = results_or_message(assessment)
    if to_plan is None:
        to_plan = ToPlanForm()
        to_plan.phase.choices = phase_choices(program)
        first = [o for o, _label in phase_labels(program) if o > 0]
        to_plan.phase.data = first[0] if first else 0
    pending = [a for a in assessment.actions if a.status == "accepted" and a.work_item_id is None]
    return render_template(
        "assessment/actions.html",
        program=program,
        assessment=assessment,
        res=res,
        message=message,
        view=service.model_for(assessment, content_lang()),
        to_plan=to_plan,
        pending=pending,
        status_form=ActionStatusForm(),
        propose_form=VersionForm(),
    ), status


@bp.get(ONE + "/actions")
def actions(program_id: int, assessment_id: int):
    program, assessment = load_assessment(program_id, assessment_id)
    return _actions_page(program, assessment)


@bp.post(ONE + "/actions/propose")
def actions_propose(program_id: int, assessment_id: int):
    program, assessment = load_assessment(program_id, assessment_id)
    form = VersionForm()
    if not form.validate_on_submit():
        return _actions_page(program, assessment, status=400)
    if not assessment.interviews:
        flash(no_interviews_message(), "warning")
        return _actions_page(program, assessment, status=422)
    try:
        created = service.propose_actions(assessment)
        db.session.commit()
    except ValidationError as exc:
        db.session.rollback()
        flash(str(exc), "warning")
        return _actions_page(program, assessment, status=422)
    if created:
        flash(_("%(n)d action(s) proposed from the largest gaps.", n=len(created)), "success")
    else:
        flash(
            _(
                "No new proposal: no other indicator is below its target. "
                "Set targets in the settings to find gaps."
            ),
            "info",
        )
    return redirect(
        url_for("assessment.actions", program_id=program.id, assessment_id=assessment.id)
    )


def _action_data(form: ActionForm) -> service.ActionData:
    return service.ActionData(
        title=form.title.data or "",
        title_zh=form.title_zh.data,
        horizon=form.horizon.data,
        priority=form.priority.data,
        status=form.status.data,
    )


@bp.route(ONE + "/actions/<int:action_id>/edit", methods=["GET", "POST"])
def action_edit(program_id: int, assessment_id: int, action_id: int):
    program, assessment = load_assessment(program_id, assessment_id)
    action = service.get_action(assessment, action_id)
    form = ActionForm(obj=action if request.method == "GET" else None)
    status, conflict = (422 if request.method == "POST" else 200), None
    if form.validate_on_submit():
        status, stale = save_or_refuse(
            form, lambda: service.update_action(action, form.version.data, _action_data(form))
        )
        conflict = str(stale) if stale else None
        if status == 200:
            flash(_("Action saved."), "success")
            return redirect(
                url_for("assessment.actions", program_id=program.id, assessment_id=assessment.id)
            )
    return render_template(
        "assessment/action_form.html",
        program=program,
        assessment=assessment,
        action=action,
        view=service.model_for(assessment, content_lang()),
        form=form,
        conflict=conflict,
    ), status


@bp.post(ONE + "/actions/<int:action_id>/status")
def action_status(program_id: int, assessment_id: int, action_id: int):
    program, assessment = load_assessment(program_id, assessment_id)
    action = service.get_action(assessment, action_id)
    form = ActionStatusForm()
    back = url_for("assessment.actions", program_id=program.id, assessment_id=assessment.id)
    if not form.validate_on_submit():
        flash(_("Unknown action status."), "warning")
        return redirect(back)
    try:
        service.set_action_status(action, form.version.data, form.status.data)
        db.session.commit()
    except (StaleEditError, ValidationError) as exc:
        db.session.rollback()
        flash(str(exc), "warning")
    return redirect(back + f"#action-{action.id}")


@bp.post(ONE + "/actions/to-plan")
def actions_to_plan(program_id: int, assessment_id: int):
    program, assessment = load_assessment(program_id, assessment_id)
    form = ToPlanForm()
    form.phase.choices = phase_choices(program)
    if not form.validate_on_submit():
        return _actions_page(program, assessment, to_plan=form, status=422)
    try:
        items = service.add_accepted_to_plan(assessment, form.phase.data, content_lang())
        db.session.commit()
    except ValidationError as exc:
        db.session.rollback()
        show_on_form(form, exc, fallback="phase")
        return _actions_page(program, assessment, to_plan=form, status=422)
    flash(
        _(
            "%(n)d work item(s) added to the plan: %(keys)s.",
            n=len(items),
            keys=", ".join(i.key for i in items),
        ),
        "success",
    )
    return redirect(
        url_for("assessment.actions", program_id=program.id, assessment_id=assessment.id)
    )
